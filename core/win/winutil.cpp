#include "core/win/winutil.h"

#include <cwctype>

namespace shmscope::detail {

std::wstring toWide(std::string_view utf8)
{
    if (utf8.empty())
        return {};
    const int length = ::MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), nullptr, 0);
    std::wstring wide(static_cast<std::size_t>(length > 0 ? length : 0), L'\0');
    if (length > 0)
        ::MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), wide.data(), length);
    return wide;
}

std::string fromWide(std::wstring_view utf16)
{
    if (utf16.empty())
        return {};
    const int length
        = ::WideCharToMultiByte(CP_UTF8, 0, utf16.data(), static_cast<int>(utf16.size()), nullptr, 0, nullptr, nullptr);
    std::string text(static_cast<std::size_t>(length > 0 ? length : 0), '\0');
    if (length > 0)
        ::WideCharToMultiByte(CP_UTF8, 0, utf16.data(), static_cast<int>(utf16.size()), text.data(), length, nullptr,
                              nullptr);
    return text;
}

Error lastWin32Error(const char* operation, const Address& address, std::string detail)
{
    const DWORD err = ::GetLastError();
    return errorFromWin32(operation, toString(address), err, std::move(detail));
}

std::wstring sectionName(const Address& address)
{
    return toWide(address.name);
}

std::wstring lockMutexName(const Address& address)
{
    if (address.kind != Kind::File)
        return sectionName(address) + L".shmscope-lock";
    // 64-bit FNV-1a over the UTF-16 code units of the lower-cased path.
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (wchar_t c : toWide(address.name)) {
        const auto unit = static_cast<std::uint16_t>(std::towlower(static_cast<wint_t>(c)));
        for (int byte = 0; byte < 2; ++byte) {
            hash ^= static_cast<std::uint8_t>(unit >> (8 * byte));
            hash *= 0x100000001b3ULL;
        }
    }
    wchar_t digits[17];
    for (int i = 15; i >= 0; --i) {
        digits[i] = L"0123456789abcdef"[hash & 0xf];
        hash >>= 4;
    }
    digits[16] = L'\0';
    return std::wstring(L"Local\\shmscope-file-") + digits + L".shmscope-lock";
}

const NtApi& ntApi()
{
    static const NtApi api = [] {
        NtApi result;
        if (HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll")) {
            // The casts go through a generic function pointer: GetProcAddress returns FARPROC.
            auto lookup
                = [ntdll](const char* name) { return reinterpret_cast<void (*)()>(::GetProcAddress(ntdll, name)); };
            result.querySection = reinterpret_cast<decltype(result.querySection)>(lookup("NtQuerySection"));
            result.openSection = reinterpret_cast<decltype(result.openSection)>(lookup("NtOpenSection"));
            result.openDirectoryObject
                = reinterpret_cast<decltype(result.openDirectoryObject)>(lookup("NtOpenDirectoryObject"));
            result.queryDirectoryObject
                = reinterpret_cast<decltype(result.queryDirectoryObject)>(lookup("NtQueryDirectoryObject"));
            result.statusToDosError
                = reinterpret_cast<decltype(result.statusToDosError)>(lookup("RtlNtStatusToDosError"));
        }
        return result;
    }();
    return api;
}

DWORD win32FromNtStatus(NTSTATUS status)
{
    const NtApi& api = ntApi();
    return api.statusToDosError ? api.statusToDosError(status) : 317;
}

bool runningUnderWine()
{
    static const bool wine = [] {
        HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll");
        return ntdll && ::GetProcAddress(ntdll, "wine_get_version") != nullptr;
    }();
    return wine;
}

SectionSize querySectionSize(HANDLE section)
{
    const NtApi& api = ntApi();
    SectionSize result;
    if (!api.querySection)
        return result;
    SectionBasicInformation info = {};
    SIZE_T returned = 0;
    if (api.querySection(section, 0 /* SectionBasicInformation */, &info, sizeof info, &returned) < 0
        || info.maximumSize.QuadPart <= 0)
        return result;
    result.bytes = static_cast<std::uint64_t>(info.maximumSize.QuadPart);
    SYSTEM_INFO system;
    ::GetSystemInfo(&system);
    result.exact = !runningUnderWine() || result.bytes % system.dwPageSize != 0;
    return result;
}

} // namespace shmscope::detail
