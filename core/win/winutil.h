#pragma once

// Internal to the Windows backend: UTF-8 ↔ UTF-16, Win32 errors as Error values, an owned HANDLE,
// the kernel object names ShmScope derives from an address, and the ntdll functions it needs.

#include "core/address.h"
#include "core/error.h"
#include "core/win/wincalls.h"

#include <string>
#include <string_view>
#include <windows.h>
#include <winternl.h>

namespace shmscope::detail {

/// UTF-8 → UTF-16 (invalid sequences become U+FFFD).
std::wstring toWide(std::string_view utf8);
/// UTF-16 → UTF-8.
std::string fromWide(std::wstring_view utf16);

/// errorFromWin32() of GetLastError() (read first, before anything else can change it).
Error lastWin32Error(const char* operation, const Address& address, std::string detail = {});

/// An owned kernel handle (CloseHandle on destruction). Holds nullptr when empty; the
/// INVALID_HANDLE_VALUE of a failed CreateFile is stored as empty too.
class UniqueHandle
{
public:
    UniqueHandle() = default;
    explicit UniqueHandle(HANDLE handle) { reset(handle); }
    UniqueHandle(UniqueHandle&& other) noexcept
        : m_handle(other.release())
    { }
    UniqueHandle& operator=(UniqueHandle&& other) noexcept
    {
        if (this != &other)
            reset(other.release());
        return *this;
    }
    UniqueHandle(const UniqueHandle&) = delete;
    UniqueHandle& operator=(const UniqueHandle&) = delete;
    ~UniqueHandle() { reset(); }

    HANDLE get() const { return m_handle; }
    bool valid() const { return m_handle != nullptr; }
    HANDLE release()
    {
        HANDLE handle = m_handle;
        m_handle = nullptr;
        return handle;
    }
    void reset(HANDLE handle = nullptr)
    {
        if (m_handle)
            detail::win::closeHandle(m_handle);
        m_handle = handle == INVALID_HANDLE_VALUE ? nullptr : handle;
    }

private:
    HANDLE m_handle = nullptr;
};

/// The kernel name of a win: address's section: the name as given ("Local\x", "Global\x", or "x",
/// which Windows puts in the session namespace like "Local\x").
std::wstring sectionName(const Address& address);

/// The name of the named mutex that is a Mapping's cross-process lock (the StarLeeMutex pattern of
/// seed 001: a mutex beside the mapping, named after it). win: "<section name>.shmscope-lock" —
/// sections and mutexes share one namespace, so the suffix keeps it from colliding with the
/// section's own name. file: "Local\shmscope-file-<16 hex digits>.shmscope-lock", the digits being
/// the 64-bit FNV-1a hash of the lower-cased absolute UTF-16 path (file names are case-insensitive
/// on Windows, and a path may not appear in an object name). Part of the cross-process protocol.
std::wstring lockMutexName(const Address& address);

/// SECTION_BASIC_INFORMATION of NtQuerySection (documented in the Windows Driver Kit as the
/// ZwQuerySection information class SectionBasicInformation = 0).
struct SectionBasicInformation {
    PVOID baseAddress;
    ULONG allocationAttributes;
    LARGE_INTEGER maximumSize;
};

/// OBJECT_DIRECTORY_INFORMATION, what NtQueryDirectoryObject returns per entry.
struct ObjectDirectoryInformation {
    UNICODE_STRING name;
    UNICODE_STRING typeName;
};

/// The ntdll entry points the backend needs, looked up at run time (GetProcAddress) so that a
/// system without one of them degrades instead of failing to load. Any pointer may be nullptr.
struct NtApi {
    NTSTATUS(NTAPI* querySection)(HANDLE, int, PVOID, SIZE_T, PSIZE_T) = nullptr;
    NTSTATUS(NTAPI* openSection)(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES) = nullptr;
    NTSTATUS(NTAPI* openDirectoryObject)(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES) = nullptr;
    NTSTATUS(NTAPI* queryDirectoryObject)(HANDLE, PVOID, ULONG, BOOLEAN, BOOLEAN, PULONG, PULONG) = nullptr;
    ULONG(NTAPI* statusToDosError)(NTSTATUS) = nullptr;
};

/// The process-wide NtApi (looked up once, thread-safe).
const NtApi& ntApi();

/// The Win32 error code of an NTSTATUS (RtlNtStatusToDosError), or ERROR_MR_MID_NOT_FOUND (317)
/// when ntdll cannot tell.
DWORD win32FromNtStatus(NTSTATUS status);

/// True when this process runs under Wine (ntdll exports wine_get_version).
bool runningUnderWine();

/// A section's size as NtQuerySection tells it.
struct SectionSize {
    std::uint64_t bytes = 0; ///< 0 when the system does not tell (no NtQuerySection, no SECTION_QUERY right)
    bool exact = false; ///< false when `bytes` may be rounded up to the page (see querySectionSize())
};

/// The size of `section` (opened with SECTION_QUERY) from NtQuerySection(SectionBasicInformation).
/// Windows reports the size the section was created with. Wine 8 rounds a pagefile-backed section's
/// size up to the page (measured: 100 → 4096, 12345 → 16384), so under Wine a page-multiple answer
/// is not called exact.
SectionSize querySectionSize(HANDLE section);

} // namespace shmscope::detail
