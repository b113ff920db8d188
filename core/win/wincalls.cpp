#include "core/win/wincalls.h"

#include "core/error.h"
#include "core/journal.h"
#include "core/journalformat.h"
#include "core/journalrecord.h"
#include "core/win/winutil.h"

#include <string>
#include <utility>
#include <vector>

namespace shmscope::detail::win {

namespace {

namespace fmt = journal::format;
using journal::Arg;
using journal::argsInto;
using journal::Call;
using journal::CallKind;
using journal::RawArg;
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

// Keeps GetLastError() across the recording.
struct KeepLastError {
    DWORD saved = ::GetLastError();
    ~KeepLastError() { ::SetLastError(saved); }
};

// Every wrapper: the plain call when nobody listens, else the call and its raw row (journalrecord.h).
template<typename NativeCall, typename Describe>
auto recorded(NativeCall&& call, Describe&& describe)
{
    return journal::recorded<KeepLastError>(std::forward<NativeCall>(call), std::forward<Describe>(describe));
}

// The error of a row, by name and text (decode time): ` ERROR_FILE_NOT_FOUND (The system cannot …)`.
void renderError(Call& call)
{
    if (!call.failed && call.error == 0)
        return;
    const auto err = static_cast<DWORD>(call.error);
    call.errorName = fmt::valueName(err, kErrorNames, "ERROR_" + std::to_string(err));
    call.errorText = win32ErrorText(err);
    // win32ErrorText() ends in " (Win32 error N)"; the name says that already.
    if (const std::size_t suffix = call.errorText.rfind(" (Win32 error "); suffix != std::string::npos)
        call.errorText.erase(suffix);
    call.result += ' ' + call.errorName + " (" + call.errorText + ")";
}

// The results, one render per kind of value an API returns.
void renderHandleResult(Call& call)
{
    call.result = call.resultValue == reinterpret_cast<std::uintptr_t>(INVALID_HANDLE_VALUE)
        ? std::string("INVALID_HANDLE_VALUE")
        : fmt::address(call.resultValue);
    renderError(call);
}

void renderAddressResult(Call& call)
{
    call.result = fmt::address(call.resultValue);
    renderError(call);
}

void renderBoolResult(Call& call)
{
    call.result = call.resultValue ? "TRUE" : "FALSE";
    renderError(call);
}

void renderWaitResult(Call& call)
{
    call.result = fmt::valueName(call.resultValue, kWaitResults);
    renderError(call);
}

void renderHexResult(Call& call)
{
    call.result = fmt::hex(call.resultValue);
    renderError(call);
}

// Fills in an ApiCall row. `err` is GetLastError() after the call; `failed` says whether the call
// failed. `existed`: a create call that cleared the error first, whose ERROR_ALREADY_EXISTS on
// success means something (other calls leave an old error in place when they succeed).
void describe(Call& row, const char* name, journal::ArgsPacked, bool failed, DWORD err, ValueType type,
              std::uint64_t value, journal::RenderResult render, bool existed = false)
{
    row.kind = CallKind::ApiCall;
    row.name = name;
    row.resultType = type;
    row.resultValue = value;
    row.failed = failed;
    if (failed || (existed && err == ERROR_ALREADY_EXISTS))
        row.error = static_cast<int>(err);
    row.renderResult = render;
}

void renderHandle(Arg& arg)
{
    arg.text = arg.value == reinterpret_cast<std::uintptr_t>(INVALID_HANDLE_VALUE) ? std::string("INVALID_HANDLE_VALUE")
                                                                                   : fmt::address(arg.value);
}

RawArg handleArg(HANDLE handle)
{
    // INVALID_HANDLE_VALUE and NULL are constants, not handles another row made.
    const bool constant = handle == INVALID_HANDLE_VALUE || handle == nullptr;
    RawArg arg = fmt::symbol(reinterpret_cast<std::uintptr_t>(handle), &renderHandle);
    arg.type = constant ? ValueType::Symbol : ValueType::Handle;
    return arg;
}

void renderWideString(Arg& arg)
{
    arg.text = "L" + fmt::quoted(arg.bytes);
    arg.c = arg.text;
}

Arg wideString(const wchar_t* text)
{
    if (!text)
        return fmt::symbol("NULL");
    Arg arg = fmt::string(fromWide(text)); // the bytes kept raw (UTF-8)
    arg.render = &renderWideString;
    return arg;
}

void renderProtection(Arg& arg)
{
    const auto value = static_cast<DWORD>(arg.value);
    arg.text = fmt::valueName(value & 0xff, kPageProtection);
    if (const DWORD rest = value & ~0xffu; rest != 0)
        arg.text += '|' + fmt::flags(rest, kSectionFlags);
}

void renderMessage(Arg& arg)
{
    arg.text = arg.value == WM_CLOSE ? std::string("WM_CLOSE") : fmt::hex(arg.value);
}

void renderWindow(Arg& arg)
{
    if (arg.value == reinterpret_cast<std::uintptr_t>(HWND_BROADCAST)) {
        arg.text = "HWND_BROADCAST";
        return;
    }
    arg.text = fmt::address(arg.value);
    arg.c = "(HWND)" + arg.text;
}

Arg boolArg(BOOL value)
{
    return fmt::symbol(value ? "TRUE" : "FALSE", static_cast<std::uint64_t>(value));
}

} // namespace

HANDLE createFileMappingW(HANDLE file, LPSECURITY_ATTRIBUTES security, DWORD protect, DWORD sizeHigh, DWORD sizeLow,
                          const wchar_t* name)
{
    return recorded(
        [&] {
            ::SetLastError(0); // so that ERROR_ALREADY_EXISTS after it means this call
            return ::CreateFileMappingW(file, security, protect, sizeHigh, sizeLow, name);
        },
        [&](Call& row, HANDLE result, DWORD err) {
            describe(row, "CreateFileMappingW",
                     argsInto(row, handleArg(file), fmt::pointer(security), fmt::symbol(protect, &renderProtection),
                              fmt::unsignedNumber(sizeHigh), fmt::unsignedNumber(sizeLow), wideString(name)),
                     result == nullptr, err, ValueType::Handle, reinterpret_cast<std::uintptr_t>(result),
                     &renderHandleResult, true);
        });
}

HANDLE openFileMappingW(DWORD access, BOOL inherit, const wchar_t* name)
{
    return recorded([&] { return ::OpenFileMappingW(access, inherit, name); },
                    [&](Call& row, HANDLE result, DWORD err) {
                        describe(row, "OpenFileMappingW",
                                 argsInto(row, fmt::symbol(access, &fmt::tableFlags<kSectionAccess>), boolArg(inherit),
                                          wideString(name)),
                                 result == nullptr, err, ValueType::Handle, reinterpret_cast<std::uintptr_t>(result),
                                 &renderHandleResult);
                    });
}

void* mapViewOfFile(HANDLE section, DWORD access, DWORD offsetHigh, DWORD offsetLow, SIZE_T bytes)
{
    return recorded([&] { return ::MapViewOfFile(section, access, offsetHigh, offsetLow, bytes); },
                    [&](Call& row, void* result, DWORD err) {
                        describe(row, "MapViewOfFile",
                                 argsInto(row, handleArg(section), fmt::symbol(access, &fmt::tableFlags<kViewAccess>),
                                          fmt::unsignedNumber(offsetHigh), fmt::unsignedNumber(offsetLow),
                                          fmt::unsignedNumber(bytes)),
                                 result == nullptr, err, ValueType::Address, reinterpret_cast<std::uintptr_t>(result),
                                 &renderAddressResult);
                    });
}

BOOL unmapViewOfFile(const void* view)
{
    return recorded([&] { return ::UnmapViewOfFile(view); },
                    [&](Call& row, BOOL result, DWORD err) {
                        describe(row, "UnmapViewOfFile", argsInto(row, fmt::pointer(view)), !result, err,
                                 ValueType::Number, static_cast<std::uint64_t>(result), &renderBoolResult);
                    });
}

BOOL flushViewOfFile(const void* view, SIZE_T bytes)
{
    return recorded([&] { return ::FlushViewOfFile(view, bytes); },
                    [&](Call& row, BOOL result, DWORD err) {
                        describe(row, "FlushViewOfFile", argsInto(row, fmt::pointer(view), fmt::unsignedNumber(bytes)),
                                 !result, err, ValueType::Number, static_cast<std::uint64_t>(result),
                                 &renderBoolResult);
                    });
}

BOOL flushFileBuffers(HANDLE file)
{
    return recorded([&] { return ::FlushFileBuffers(file); },
                    [&](Call& row, BOOL result, DWORD err) {
                        describe(row, "FlushFileBuffers", argsInto(row, handleArg(file)), !result, err,
                                 ValueType::Number, static_cast<std::uint64_t>(result), &renderBoolResult);
                    });
}

BOOL closeHandle(HANDLE handle)
{
    return recorded([&] { return ::CloseHandle(handle); },
                    [&](Call& row, BOOL result, DWORD err) {
                        describe(row, "CloseHandle", argsInto(row, handleArg(handle)), !result, err, ValueType::Number,
                                 static_cast<std::uint64_t>(result), &renderBoolResult);
                    });
}

HANDLE createMutexW(LPSECURITY_ATTRIBUTES security, BOOL initialOwner, const wchar_t* name)
{
    return recorded(
        [&] {
            ::SetLastError(0);
            return ::CreateMutexW(security, initialOwner, name);
        },
        [&](Call& row, HANDLE result, DWORD err) {
            describe(row, "CreateMutexW",
                     argsInto(row, fmt::pointer(security), boolArg(initialOwner), wideString(name)), result == nullptr,
                     err, ValueType::Handle, reinterpret_cast<std::uintptr_t>(result), &renderHandleResult, true);
        });
}

DWORD waitForSingleObject(HANDLE handle, DWORD milliseconds)
{
    return recorded([&] { return ::WaitForSingleObject(handle, milliseconds); },
                    [&](Call& row, DWORD result, DWORD err) {
                        describe(row, "WaitForSingleObject",
                                 argsInto(row, handleArg(handle),
                                          milliseconds == INFINITE ? fmt::symbol("INFINITE", INFINITE)
                                                                   : fmt::unsignedNumber(milliseconds)),
                                 result == WAIT_FAILED, err, ValueType::Symbol, result, &renderWaitResult);
                    });
}

BOOL releaseMutex(HANDLE mutex)
{
    return recorded([&] { return ::ReleaseMutex(mutex); },
                    [&](Call& row, BOOL result, DWORD err) {
                        describe(row, "ReleaseMutex", argsInto(row, handleArg(mutex)), !result, err, ValueType::Number,
                                 static_cast<std::uint64_t>(result), &renderBoolResult);
                    });
}

BOOL postMessageW(HWND window, UINT message, WPARAM wParam, LPARAM lParam)
{
    return recorded(
        [&] { return ::PostMessageW(window, message, wParam, lParam); },
        [&](Call& row, BOOL result, DWORD err) {
            describe(row, "PostMessageW",
                     argsInto(row, fmt::symbol(reinterpret_cast<std::uintptr_t>(window), &renderWindow),
                              fmt::symbol(message, &renderMessage), fmt::hexSymbol(static_cast<std::uint64_t>(wParam)),
                              fmt::hexSymbol(static_cast<std::uint64_t>(lParam))),
                     !result, err, ValueType::Number, static_cast<std::uint64_t>(result), &renderBoolResult);
        });
}

HANDLE createFileW(const wchar_t* path, DWORD access, DWORD share, LPSECURITY_ATTRIBUTES security, DWORD disposition,
                   DWORD flags, HANDLE templateFile)
{
    return recorded(
        [&] {
            ::SetLastError(0);
            return ::CreateFileW(path, access, share, security, disposition, flags, templateFile);
        },
        [&](Call& row, HANDLE result, DWORD err) {
            describe(row, "CreateFileW",
                     argsInto(row, wideString(path), fmt::symbol(access, &fmt::tableFlags<kFileAccess>),
                              fmt::symbol(share, &fmt::tableFlags<kFileShare>), fmt::pointer(security),
                              fmt::symbol(disposition, &fmt::tableValue<kDispositions>),
                              fmt::symbol(flags, &fmt::tableFlags<kFileFlags>), handleArg(templateFile)),
                     result == INVALID_HANDLE_VALUE, err, ValueType::Handle, reinterpret_cast<std::uintptr_t>(result),
                     &renderHandleResult, true);
        });
}

UINT registerWindowMessageW(const wchar_t* name)
{
    return recorded([&] { return ::RegisterWindowMessageW(name); },
                    [&](Call& row, UINT result, DWORD err) {
                        describe(row, "RegisterWindowMessageW", argsInto(row, wideString(name)), result == 0, err,
                                 ValueType::Number, result, &renderHexResult);
                    });
}

} // namespace shmscope::detail::win
