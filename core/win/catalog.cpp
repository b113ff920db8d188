#include "core/catalog.h"

#include "core/backend.h"
#include "core/viewchecks.h"
#include "core/win/winutil.h"

#include <algorithm>
#include <vector>

// The catalog on Windows: the named sections of this session (\Sessions\<n>\BaseNamedObjects, shown
// as win:Local\NAME) and of the global namespace (\BaseNamedObjects, win:Global\NAME), listed the
// way WinObj does (NtOpenDirectoryObject + NtQueryDirectoryObject), each measured with
// NtOpenSection + NtQuerySection. Windows keeps no per-object owner, mode, time or list of mapping
// processes that a user program could read cheaply, so those fields stay empty/0.

namespace shmscope {

namespace {

constexpr NTSTATUS statusNoMoreEntries = static_cast<NTSTATUS>(0x8000001AL);
constexpr ACCESS_MASK directoryQuery = 0x0001; // DIRECTORY_QUERY
constexpr ACCESS_MASK sectionQuery = 0x0001; // SECTION_QUERY

UNICODE_STRING unicodeString(const std::wstring& text)
{
    UNICODE_STRING string;
    string.Buffer = const_cast<PWSTR>(text.c_str());
    string.Length = static_cast<USHORT>(text.size() * sizeof(wchar_t));
    string.MaximumLength = string.Length;
    return string;
}

Error listError(NTSTATUS status, const std::wstring& directory)
{
    return errorFromWin32("list", {}, detail::win32FromNtStatus(status),
                          "while reading " + detail::fromWide(directory));
}

// Lists one object directory; appends its sections as win:<prefix>NAME. One entry per call:
// Wine 8.0 answers STATUS_NOT_IMPLEMENTED when asked for several at once.
Status listDirectory(const std::wstring& directory, const std::string& prefix, std::vector<ObjectInfo>& out)
{
    const detail::NtApi& api = detail::ntApi();
    if (!api.openDirectoryObject || !api.queryDirectoryObject)
        return errorFromWin32("list", {}, ERROR_CALL_NOT_IMPLEMENTED, "(no NtQueryDirectoryObject in ntdll)");
    UNICODE_STRING name = unicodeString(directory);
    OBJECT_ATTRIBUTES attributes;
    InitializeObjectAttributes(&attributes, &name, OBJ_CASE_INSENSITIVE, nullptr, nullptr);
    HANDLE handle = nullptr;
    if (NTSTATUS status = api.openDirectoryObject(&handle, directoryQuery, &attributes); status < 0)
        return listError(status, directory);
    detail::UniqueHandle directoryHandle(handle);

    // Room for the longest entry (names are at most 32767 UTF-16 units), so one call always fits.
    std::vector<unsigned char> buffer(0x20000);
    ULONG context = 0;
    for (bool first = true;; first = false) {
        ULONG returned = 0;
        NTSTATUS status
            = api.queryDirectoryObject(directoryHandle.get(), buffer.data(), static_cast<ULONG>(buffer.size()), TRUE,
                                       first ? TRUE : FALSE, &context, &returned);
        if (status == statusNoMoreEntries)
            break;
        if (status < 0)
            return listError(status, directory);
        const auto* entry = reinterpret_cast<const detail::ObjectDirectoryInformation*>(buffer.data());
        const std::wstring type(entry->typeName.Buffer, entry->typeName.Length / sizeof(wchar_t));
        if (type != L"Section")
            continue;
        const std::wstring entryName(entry->name.Buffer, entry->name.Length / sizeof(wchar_t));
        ObjectInfo info;
        info.address = Address { Kind::Win, prefix + detail::fromWide(entryName), 0 };
        if (api.openSection) {
            UNICODE_STRING relative = unicodeString(entryName);
            OBJECT_ATTRIBUTES sectionAttributes;
            InitializeObjectAttributes(&sectionAttributes, &relative, OBJ_CASE_INSENSITIVE, directoryHandle.get(),
                                       nullptr);
            HANDLE section = nullptr;
            if (api.openSection(&section, sectionQuery, &sectionAttributes) >= 0) {
                const detail::SectionSize size = detail::querySectionSize(section);
                info.size = size.bytes;
                info.sizeIsExact = size.exact;
                ::CloseHandle(section);
            } else {
                info.sizeIsExact = false; // unknown (0): the section's security refuses SECTION_QUERY
            }
        }
        out.push_back(std::move(info));
    }
    return {};
}

std::int64_t unixTime(const FILETIME& time)
{
    // FILETIME counts 100 ns since 1601-01-01; the Unix epoch is 11644473600 s later.
    const std::uint64_t ticks = (static_cast<std::uint64_t>(time.dwHighDateTime) << 32) | time.dwLowDateTime;
    return static_cast<std::int64_t>(ticks / 10000000ULL) - 11644473600LL;
}

} // namespace

Result<std::vector<ObjectInfo>> listObjects()
{
    DWORD session = 0;
    ::ProcessIdToSessionId(::GetCurrentProcessId(), &session);
    std::vector<ObjectInfo> objects;
    std::optional<Error> firstError;
    int listed = 0;
    // In session 0 the session's namespace is the global one: list it once.
    if (session != 0) {
        Status local
            = listDirectory(L"\\Sessions\\" + std::to_wstring(session) + L"\\BaseNamedObjects", "Local\\", objects);
        if (local)
            ++listed;
        else
            firstError = local.error();
    }
    Status global = listDirectory(L"\\BaseNamedObjects", "Global\\", objects);
    if (global)
        ++listed;
    else if (!firstError)
        firstError = global.error();
    if (listed == 0)
        return *firstError;
    std::sort(objects.begin(), objects.end(),
              [](const ObjectInfo& a, const ObjectInfo& b) { return toString(a.address) < toString(b.address); });
    return objects;
}

Result<Inventory> takeInventory(const InventoryOptions&)
{
    return detail::objectsOnlyInventory();
}

Result<ObjectInfo> describeObject(const Address& address)
{
    if (Status valid = detail::validateAddress("describe", address); !valid)
        return valid.error();
    ObjectInfo info;
    info.address = address;
    if (address.kind == Kind::Win) {
        const std::wstring name = detail::sectionName(address);
        detail::UniqueHandle section(::OpenFileMappingW(SECTION_QUERY | FILE_MAP_READ, FALSE, name.c_str()));
        if (!section.valid())
            return detail::lastWin32Error("describe", address);
        const detail::SectionSize size = detail::querySectionSize(section.get());
        info.size = size.bytes;
        info.sizeIsExact = size.exact;
        if (info.size == 0) {
            // No NtQuerySection: the page-rounded size of a view.
            if (void* view = ::MapViewOfFile(section.get(), FILE_MAP_READ, 0, 0, 0)) {
                MEMORY_BASIC_INFORMATION memory;
                if (::VirtualQuery(view, &memory, sizeof memory) == sizeof memory)
                    info.size = memory.RegionSize;
                ::UnmapViewOfFile(view);
            }
        }
        return info;
    }
    if (address.kind == Kind::File) {
        WIN32_FILE_ATTRIBUTE_DATA data;
        if (!::GetFileAttributesExW(detail::toWide(address.name).c_str(), GetFileExInfoStandard, &data))
            return detail::lastWin32Error("describe", address);
        if (data.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
            return detail::invalidArgument("describe", address, "not a regular file");
        info.size = (static_cast<std::uint64_t>(data.nFileSizeHigh) << 32) | data.nFileSizeLow;
        info.mode = (data.dwFileAttributes & FILE_ATTRIBUTE_READONLY) ? 0444 : 0666;
        info.modifiedTime = unixTime(data.ftLastWriteTime);
        return info;
    }
    return detail::ownError(ErrorCode::Unsupported, "describe", address,
                            std::string(kindName(address.kind)) + ": objects are not supported on this platform");
}

Result<ObjectInfo> lookUpObject(const Address& address)
{
    return describeObject(address);
}

} // namespace shmscope
