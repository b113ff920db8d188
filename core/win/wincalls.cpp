#include "core/win/wincalls.h"

#include "core/error.h"
#include "core/journal.h"
#include "core/journalformat.h"
#include "core/win/winutil.h"

#include <string>
#include <vector>

namespace shmscope::detail::win {

namespace {

namespace fmt = journal::format;
using journal::Arg;
using journal::CallKind;
using journal::ValueType;
using journal::format::Named;

// Tables checked against <windows.h>, as the POSIX ones are (core/posix/callflags.cpp).
#define SHMSCOPE_CHECK(NAME, VALUE)                                                                                    \
    static_assert(static_cast<unsigned long long>(NAME) == static_cast<unsigned long long>(VALUE),                     \
                  "journal table: " #NAME " is not " #VALUE " in <windows.h>");
#define SHMSCOPE_ENTRY(NAME, VALUE) Named { static_cast<std::uint64_t>(VALUE), #NAME },
#define SHMSCOPE_TABLE(LIST, VARIABLE)                                                                                 \
    LIST(SHMSCOPE_CHECK)                                                                                               \
    constexpr Named VARIABLE[] = { LIST(SHMSCOPE_ENTRY) };

// The flag tables, one entry per line (clang-format would reflow the macro bodies differently each run).
// clang-format off
#define PAGE_PROTECTION(X) \
    X(PAGE_NOACCESS, 0x01) \
    X(PAGE_READONLY, 0x02) \
    X(PAGE_READWRITE, 0x04) \
    X(PAGE_WRITECOPY, 0x08) \
    X(PAGE_EXECUTE, 0x10) \
    X(PAGE_EXECUTE_READ, 0x20) \
    X(PAGE_EXECUTE_READWRITE, 0x40) \
    X(PAGE_EXECUTE_WRITECOPY, 0x80)
SHMSCOPE_TABLE(PAGE_PROTECTION, kPageProtection)
#define SECTION_FLAGS(X) \
    X(PAGE_GUARD, 0x100) \
    X(PAGE_NOCACHE, 0x200) \
    X(PAGE_WRITECOMBINE, 0x400) \
    X(SEC_IMAGE, 0x1000000) \
    X(SEC_RESERVE, 0x4000000) \
    X(SEC_COMMIT, 0x8000000) \
    X(SEC_NOCACHE, 0x10000000) \
    X(SEC_LARGE_PAGES, 0x80000000)
SHMSCOPE_TABLE(SECTION_FLAGS, kSectionFlags)
// MapViewOfFile: FILE_MAP_ALL_ACCESS first (a whole value), then the bits.
#define VIEW_ACCESS(X) \
    X(FILE_MAP_ALL_ACCESS, 0xf001f) \
    X(FILE_MAP_WRITE, 0x2) \
    X(FILE_MAP_READ, 0x4) \
    X(FILE_MAP_COPY, 0x1) \
    X(FILE_MAP_EXECUTE, 0x20)
SHMSCOPE_TABLE(VIEW_ACCESS, kViewAccess)
// OpenFileMappingW: bit 0x1 is SECTION_QUERY there (the same bit as FILE_MAP_COPY).
#define SECTION_ACCESS(X) \
    X(FILE_MAP_ALL_ACCESS, 0xf001f) \
    X(FILE_MAP_WRITE, 0x2) \
    X(FILE_MAP_READ, 0x4) \
    X(SECTION_QUERY, 0x1) \
    X(FILE_MAP_EXECUTE, 0x20)
SHMSCOPE_TABLE(SECTION_ACCESS, kSectionAccess)
#define WAIT_RESULTS(X) \
    X(WAIT_OBJECT_0, 0) \
    X(WAIT_ABANDONED, 0x80) \
    X(WAIT_TIMEOUT, 0x102) \
    X(WAIT_FAILED, 0xffffffff)
SHMSCOPE_TABLE(WAIT_RESULTS, kWaitResults)
#define FILE_ACCESS(X) \
    X(GENERIC_READ, 0x80000000) \
    X(GENERIC_WRITE, 0x40000000) \
    X(DELETE, 0x10000)
SHMSCOPE_TABLE(FILE_ACCESS, kFileAccess)
#define FILE_SHARE(X) \
    X(FILE_SHARE_READ, 0x1) \
    X(FILE_SHARE_WRITE, 0x2) \
    X(FILE_SHARE_DELETE, 0x4)
SHMSCOPE_TABLE(FILE_SHARE, kFileShare)
#define DISPOSITIONS(X) \
    X(CREATE_NEW, 1) \
    X(CREATE_ALWAYS, 2) \
    X(OPEN_EXISTING, 3) \
    X(OPEN_ALWAYS, 4) \
    X(TRUNCATE_EXISTING, 5)
SHMSCOPE_TABLE(DISPOSITIONS, kDispositions)
#define FILE_FLAGS(X) \
    X(FILE_ATTRIBUTE_NORMAL, 0x80) \
    X(FILE_FLAG_BACKUP_SEMANTICS, 0x02000000) \
    X(FILE_FLAG_OPEN_REPARSE_POINT, 0x00200000) \
    X(FILE_FLAG_DELETE_ON_CLOSE, 0x04000000)
SHMSCOPE_TABLE(FILE_FLAGS, kFileFlags)
#define ERROR_NAMES(X) \
    X(ERROR_FILE_NOT_FOUND, 2) \
    X(ERROR_PATH_NOT_FOUND, 3) \
    X(ERROR_ACCESS_DENIED, 5) \
    X(ERROR_INVALID_HANDLE, 6) \
    X(ERROR_NOT_ENOUGH_MEMORY, 8) \
    X(ERROR_SHARING_VIOLATION, 32) \
    X(ERROR_NOT_SUPPORTED, 50) \
    X(ERROR_FILE_EXISTS, 80) \
    X(ERROR_INVALID_PARAMETER, 87) \
    X(ERROR_DISK_FULL, 112) \
    X(ERROR_INVALID_NAME, 123) \
    X(ERROR_ALREADY_EXISTS, 183) \
    X(ERROR_NOT_OWNER, 288) \
    X(ERROR_COMMITMENT_LIMIT, 1455) \
    X(ERROR_TIMEOUT, 1460)
SHMSCOPE_TABLE(ERROR_NAMES, kErrorNames)
// clang-format on

// The arguments moved into a vector (a braced list would copy each one).
template<typename... Args>
std::vector<Arg> argList(Args&&... args)
{
    std::vector<Arg> list;
    list.reserve(sizeof...(Args));
    (list.push_back(std::forward<Args>(args)), ...);
    return list;
}

struct Recording {
    std::int64_t wallUs = journal::wallClockUs();
    std::uint64_t startNs = journal::monotonicNs();
    std::uint64_t endNs = 0;

    void stop() { endNs = journal::monotonicNs(); }

    // `err` is GetLastError() after the call; `failed` says whether the call failed. `existed`: a
    // create call that cleared the error first, whose ERROR_ALREADY_EXISTS on success means something
    // (other calls leave an old error in place when they succeed).
    void finish(const char* name, std::vector<Arg> args, bool failed, DWORD err, ValueType type, std::uint64_t value,
                std::string text, bool existed = false)
    {
        journal::Call call;
        call.timeUs = wallUs;
        call.durationNs = endNs - startNs;
        call.kind = CallKind::ApiCall;
        call.name = name;
        call.args = std::move(args);
        call.resultType = type;
        call.resultValue = value;
        call.failed = failed;
        call.result = std::move(text);
        if (failed || (existed && err == ERROR_ALREADY_EXISTS)) {
            call.error = static_cast<int>(err);
            call.errorName = fmt::valueName(err, kErrorNames, "ERROR_" + std::to_string(err));
            call.errorText = win32ErrorText(err);
            // win32ErrorText() ends in " (Win32 error N)"; the name says that already.
            if (const std::size_t suffix = call.errorText.rfind(" (Win32 error "); suffix != std::string::npos)
                call.errorText.erase(suffix);
            call.result += ' ' + call.errorName + " (" + call.errorText + ")";
        }
        journal::record(call);
    }
};

Arg handleArg(HANDLE handle)
{
    Arg arg;
    arg.type = ValueType::Handle;
    arg.value = reinterpret_cast<std::uintptr_t>(handle);
    if (handle == INVALID_HANDLE_VALUE)
        arg.text = "INVALID_HANDLE_VALUE";
    else
        arg.text = fmt::address(arg.value);
    if (handle == INVALID_HANDLE_VALUE || handle == nullptr)
        arg.type = ValueType::Symbol; // a constant, not a handle another row made
    return arg;
}

Arg wideString(const wchar_t* text)
{
    if (!text)
        return fmt::symbol("NULL");
    Arg arg = fmt::string(fromWide(text));
    arg.c = "L" + arg.text;
    arg.text = arg.c;
    return arg;
}

Arg flagsArg(DWORD value, std::span<const Named> table)
{
    return fmt::symbol(fmt::flags(value, table), value);
}

std::string protectionText(DWORD value)
{
    std::string text = fmt::valueName(value & 0xff, kPageProtection);
    if (const DWORD rest = value & ~0xffu; rest != 0)
        text += '|' + fmt::flags(rest, kSectionFlags);
    return text;
}

std::string handleText(HANDLE handle)
{
    return handle == INVALID_HANDLE_VALUE ? "INVALID_HANDLE_VALUE"
                                          : fmt::address(reinterpret_cast<std::uintptr_t>(handle));
}

std::string boolText(BOOL value)
{
    return value ? "TRUE" : "FALSE";
}

// Keeps GetLastError() across the recording.
struct KeepLastError {
    DWORD saved = ::GetLastError();
    ~KeepLastError() { ::SetLastError(saved); }
};

} // namespace

HANDLE createFileMappingW(HANDLE file, LPSECURITY_ATTRIBUTES security, DWORD protect, DWORD sizeHigh, DWORD sizeLow,
                          const wchar_t* name)
{
    if (!journal::listening())
        return ::CreateFileMappingW(file, security, protect, sizeHigh, sizeLow, name);
    Recording rec;
    ::SetLastError(0);
    HANDLE result = ::CreateFileMappingW(file, security, protect, sizeHigh, sizeLow, name);
    rec.stop();
    KeepLastError keep;
    rec.finish("CreateFileMappingW",
               argList(handleArg(file), fmt::pointer(security), fmt::symbol(protectionText(protect), protect),
                       fmt::unsignedNumber(sizeHigh), fmt::unsignedNumber(sizeLow), wideString(name)),
               result == nullptr, keep.saved, ValueType::Handle, reinterpret_cast<std::uintptr_t>(result),
               handleText(result), true);
    return result;
}

HANDLE openFileMappingW(DWORD access, BOOL inherit, const wchar_t* name)
{
    if (!journal::listening())
        return ::OpenFileMappingW(access, inherit, name);
    Recording rec;
    HANDLE result = ::OpenFileMappingW(access, inherit, name);
    rec.stop();
    KeepLastError keep;
    rec.finish(
        "OpenFileMappingW", argList(flagsArg(access, kSectionAccess), fmt::symbol(boolText(inherit)), wideString(name)),
        result == nullptr, keep.saved, ValueType::Handle, reinterpret_cast<std::uintptr_t>(result), handleText(result));
    return result;
}

void* mapViewOfFile(HANDLE section, DWORD access, DWORD offsetHigh, DWORD offsetLow, SIZE_T bytes)
{
    if (!journal::listening())
        return ::MapViewOfFile(section, access, offsetHigh, offsetLow, bytes);
    Recording rec;
    void* result = ::MapViewOfFile(section, access, offsetHigh, offsetLow, bytes);
    rec.stop();
    KeepLastError keep;
    rec.finish("MapViewOfFile",
               argList(handleArg(section), flagsArg(access, kViewAccess), fmt::unsignedNumber(offsetHigh),
                       fmt::unsignedNumber(offsetLow), fmt::unsignedNumber(bytes)),
               result == nullptr, keep.saved, ValueType::Address, reinterpret_cast<std::uintptr_t>(result),
               fmt::address(reinterpret_cast<std::uintptr_t>(result)));
    return result;
}

BOOL unmapViewOfFile(const void* view)
{
    if (!journal::listening())
        return ::UnmapViewOfFile(view);
    Recording rec;
    const BOOL result = ::UnmapViewOfFile(view);
    rec.stop();
    KeepLastError keep;
    rec.finish("UnmapViewOfFile", argList(fmt::pointer(view)), !result, keep.saved, ValueType::Number,
               static_cast<std::uint64_t>(result), boolText(result));
    return result;
}

BOOL flushViewOfFile(const void* view, SIZE_T bytes)
{
    if (!journal::listening())
        return ::FlushViewOfFile(view, bytes);
    Recording rec;
    const BOOL result = ::FlushViewOfFile(view, bytes);
    rec.stop();
    KeepLastError keep;
    rec.finish("FlushViewOfFile", argList(fmt::pointer(view), fmt::unsignedNumber(bytes)), !result, keep.saved,
               ValueType::Number, static_cast<std::uint64_t>(result), boolText(result));
    return result;
}

BOOL flushFileBuffers(HANDLE file)
{
    if (!journal::listening())
        return ::FlushFileBuffers(file);
    Recording rec;
    const BOOL result = ::FlushFileBuffers(file);
    rec.stop();
    KeepLastError keep;
    rec.finish("FlushFileBuffers", argList(handleArg(file)), !result, keep.saved, ValueType::Number,
               static_cast<std::uint64_t>(result), boolText(result));
    return result;
}

BOOL closeHandle(HANDLE handle)
{
    if (!journal::listening())
        return ::CloseHandle(handle);
    Recording rec;
    const BOOL result = ::CloseHandle(handle);
    rec.stop();
    KeepLastError keep;
    rec.finish("CloseHandle", argList(handleArg(handle)), !result, keep.saved, ValueType::Number,
               static_cast<std::uint64_t>(result), boolText(result));
    return result;
}

HANDLE createMutexW(LPSECURITY_ATTRIBUTES security, BOOL initialOwner, const wchar_t* name)
{
    if (!journal::listening())
        return ::CreateMutexW(security, initialOwner, name);
    Recording rec;
    ::SetLastError(0);
    HANDLE result = ::CreateMutexW(security, initialOwner, name);
    rec.stop();
    KeepLastError keep;
    rec.finish("CreateMutexW", argList(fmt::pointer(security), fmt::symbol(boolText(initialOwner)), wideString(name)),
               result == nullptr, keep.saved, ValueType::Handle, reinterpret_cast<std::uintptr_t>(result),
               handleText(result), true);
    return result;
}

DWORD waitForSingleObject(HANDLE handle, DWORD milliseconds)
{
    if (!journal::listening())
        return ::WaitForSingleObject(handle, milliseconds);
    Recording rec;
    const DWORD result = ::WaitForSingleObject(handle, milliseconds);
    rec.stop();
    KeepLastError keep;
    rec.finish(
        "WaitForSingleObject",
        argList(handleArg(handle),
                milliseconds == INFINITE ? fmt::symbol("INFINITE", INFINITE) : fmt::unsignedNumber(milliseconds)),
        result == WAIT_FAILED, keep.saved, ValueType::Symbol, result, fmt::valueName(result, kWaitResults));
    return result;
}

BOOL releaseMutex(HANDLE mutex)
{
    if (!journal::listening())
        return ::ReleaseMutex(mutex);
    Recording rec;
    const BOOL result = ::ReleaseMutex(mutex);
    rec.stop();
    KeepLastError keep;
    rec.finish("ReleaseMutex", argList(handleArg(mutex)), !result, keep.saved, ValueType::Number,
               static_cast<std::uint64_t>(result), boolText(result));
    return result;
}

BOOL postMessageW(HWND window, UINT message, WPARAM wParam, LPARAM lParam)
{
    if (!journal::listening())
        return ::PostMessageW(window, message, wParam, lParam);
    Recording rec;
    const BOOL result = ::PostMessageW(window, message, wParam, lParam);
    rec.stop();
    KeepLastError keep;
    Arg target = window == HWND_BROADCAST
        ? fmt::symbol("HWND_BROADCAST", 0xffff)
        : fmt::symbol(fmt::address(reinterpret_cast<std::uintptr_t>(window)), reinterpret_cast<std::uintptr_t>(window));
    if (window != HWND_BROADCAST)
        target.c = "(HWND)" + target.text;
    Arg messageArg = message == WM_CLOSE ? fmt::symbol("WM_CLOSE", WM_CLOSE) : fmt::symbol(fmt::hex(message), message);
    rec.finish("PostMessageW",
               argList(std::move(target), std::move(messageArg),
                       fmt::symbol(fmt::hex(static_cast<std::uint64_t>(wParam))),
                       fmt::symbol(fmt::hex(static_cast<std::uint64_t>(lParam)))),
               !result, keep.saved, ValueType::Number, static_cast<std::uint64_t>(result), boolText(result));
    return result;
}

HANDLE createFileW(const wchar_t* path, DWORD access, DWORD share, LPSECURITY_ATTRIBUTES security, DWORD disposition,
                   DWORD flags, HANDLE templateFile)
{
    if (!journal::listening())
        return ::CreateFileW(path, access, share, security, disposition, flags, templateFile);
    Recording rec;
    ::SetLastError(0);
    HANDLE result = ::CreateFileW(path, access, share, security, disposition, flags, templateFile);
    rec.stop();
    KeepLastError keep;
    rec.finish("CreateFileW",
               argList(wideString(path), flagsArg(access, kFileAccess), flagsArg(share, kFileShare),
                       fmt::pointer(security), fmt::symbol(fmt::valueName(disposition, kDispositions), disposition),
                       flagsArg(flags, kFileFlags), handleArg(templateFile)),
               result == INVALID_HANDLE_VALUE, keep.saved, ValueType::Handle, reinterpret_cast<std::uintptr_t>(result),
               handleText(result), true);
    return result;
}

UINT registerWindowMessageW(const wchar_t* name)
{
    if (!journal::listening())
        return ::RegisterWindowMessageW(name);
    Recording rec;
    const UINT result = ::RegisterWindowMessageW(name);
    rec.stop();
    KeepLastError keep;
    rec.finish("RegisterWindowMessageW", argList(wideString(name)), result == 0, keep.saved, ValueType::Number, result,
               fmt::hex(result));
    return result;
}

void recordStore(const void* base, unsigned long long offset, const void* data, size_t length)
{
    if (!journal::listening())
        return;
    journal::Call call;
    call.timeUs = journal::wallClockUs();
    call.kind = CallKind::MemoryStore;
    call.name = "memcpy";
    Arg where = fmt::pointer(base);
    where.text += " + " + fmt::hex(offset);
    call.args = argList(std::move(where), fmt::bytes(data, length, 64 * 1024), fmt::unsignedNumber(length));
    call.storeOffset = offset;
    call.resultType = ValueType::Address;
    call.resultValue = reinterpret_cast<std::uintptr_t>(base) + offset;
    call.result = fmt::address(call.resultValue);
    journal::record(call);
}

} // namespace shmscope::detail::win
