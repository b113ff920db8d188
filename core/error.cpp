#include "core/error.h"

#include "core/nameescape.h"

#include <cerrno>
#include <cstdio>
#include <system_error>

#ifdef _WIN32
#include <windows.h>
#endif

namespace shmscope {

namespace {

// A default cause for ShmScope's own checks that come without a detail.
const char* codeDescription(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument:
        return "invalid argument";
    case ErrorCode::OutOfRange:
        return "out of range";
    case ErrorCode::NotFound:
        return "no such object";
    case ErrorCode::PermissionDenied:
        return "permission denied";
    case ErrorCode::AlreadyExists:
        return "the object already exists";
    case ErrorCode::NoSpace:
        return "no space left in the backing store";
    case ErrorCode::ReadOnly:
        return "the view is read-only";
    case ErrorCode::Vanished:
        return "the object vanished";
    case ErrorCode::Timeout:
        return "timed out";
    case ErrorCode::Unsupported:
        return "not supported on this platform";
    case ErrorCode::System:
        return "system error";
    }
    return "error";
}

} // namespace

std::string_view operationText(std::string_view operation)
{
    // Internal verb → what the user reads (Error::operation keeps the internal one for callers).
    static constexpr std::pair<std::string_view, std::string_view> kWords[] = {
        { "describe", "info" },
        { "exchange", "write" },
        { "compare-exchange", "write" },
        { "hash", "read" },
        { "data extents", "read" },
        { "size", "check the size of" },
        { "remap", "map the new size of" },
        { "smaps", "inspect the mappings of" }, // /proc/PID/smaps: "… of pid 1234"
        { "cache state", "check the page cache of" }, // cachestat(2)
        { "reset written pages", "reset the written-page marks of" }, // /proc/PID/clear_refs
        { "open snapshot", "open the snapshot" },
        { "verify", "verify the snapshot" },
        { "listen", "listen for notifications on" },
        { "announce", "notify the other instances of" },
    };
    for (const auto& [internal, words] : kWords) {
        if (operation == internal)
            return words;
    }
    return operation;
}

std::string Error::message() const
{
    std::string text(operationText(operation));
    if (!object.empty()) {
        text += ' ';
        text += object;
    }
    text += ": ";
    if (sysError != 0 && sysErrorDomain == SysErrorDomain::Win32) {
        text += win32ErrorText(static_cast<std::uint32_t>(sysError));
        if (!detail.empty()) {
            text += ' ';
            text += detail;
        }
    } else if (sysError != 0) {
        // std::generic_category() is thread-safe (unlike strerror) and exists on every platform.
        text += std::generic_category().message(sysError);
        text += " (";
        text += errnoName(sysError);
        text += ')';
        if (!detail.empty()) {
            text += ' ';
            text += detail;
        }
    } else {
        text += detail.empty() ? codeDescription(code) : detail;
    }
    // One printable line whatever the parts hold: an address from toString() is escaped already
    // (and passes unchanged), but a parse error quotes the input as typed and a detail may quote a path.
    return printableText(text);
}

Error errorFromErrno(std::string operation, std::string object, int err, std::string detail)
{
    ErrorCode code = ErrorCode::System;
    switch (err) {
    case ENOENT:
    case ENOTDIR:
        code = ErrorCode::NotFound;
        break;
    case EACCES:
    case EPERM:
    case EROFS:
        code = ErrorCode::PermissionDenied;
        break;
    case EEXIST:
        code = ErrorCode::AlreadyExists;
        break;
    case ENOSPC:
    case ENOMEM:
#ifdef EDQUOT
    case EDQUOT:
#endif
        code = ErrorCode::NoSpace;
        break;
    case EINVAL:
    case EISDIR:
    case ENAMETOOLONG:
    case EFBIG:
    case EOVERFLOW:
        code = ErrorCode::InvalidArgument;
        break;
    case ETIMEDOUT:
        code = ErrorCode::Timeout;
        break;
    case EIDRM:
        code = ErrorCode::Vanished;
        break;
    case ENOSYS:
    case ENOTSUP:
#if defined(EOPNOTSUPP) && EOPNOTSUPP != ENOTSUP
    case EOPNOTSUPP:
#endif
        code = ErrorCode::Unsupported;
        break;
    default:
        break;
    }
    Error error;
    error.code = code;
    error.operation = std::move(operation);
    error.object = std::move(object);
    error.sysError = err;
    error.detail = std::move(detail);
    return error;
}

Error errorFromWin32(std::string operation, std::string object, std::uint32_t err, std::string detail)
{
    // The numbers of winerror.h, spelt out so that the mapping compiles (and is tested) everywhere.
    ErrorCode code = ErrorCode::System;
    switch (err) {
    case 2: // ERROR_FILE_NOT_FOUND (OpenFileMapping of a missing name)
    case 3: // ERROR_PATH_NOT_FOUND
    case 161: // ERROR_BAD_PATHNAME
        code = ErrorCode::NotFound;
        break;
    case 5: // ERROR_ACCESS_DENIED
    case 1314: // ERROR_PRIVILEGE_NOT_HELD (Global\ without SeCreateGlobalPrivilege)
    case 19: // ERROR_WRITE_PROTECT
        code = ErrorCode::PermissionDenied;
        break;
    case 80: // ERROR_FILE_EXISTS
    case 183: // ERROR_ALREADY_EXISTS
        code = ErrorCode::AlreadyExists;
        break;
    case 8: // ERROR_NOT_ENOUGH_MEMORY
    case 14: // ERROR_OUTOFMEMORY
    case 112: // ERROR_DISK_FULL
    case 1455: // ERROR_COMMITMENT_LIMIT (the paging file is too small)
        code = ErrorCode::NoSpace;
        break;
    case 87: // ERROR_INVALID_PARAMETER
    case 123: // ERROR_INVALID_NAME
    case 1006: // ERROR_FILE_INVALID (a mapping of an empty file)
    case 206: // ERROR_FILENAME_EXCED_RANGE
        code = ErrorCode::InvalidArgument;
        break;
    case 258: // WAIT_TIMEOUT
    case 1460: // ERROR_TIMEOUT
        code = ErrorCode::Timeout;
        break;
    case 50: // ERROR_NOT_SUPPORTED
    case 120: // ERROR_CALL_NOT_IMPLEMENTED
        code = ErrorCode::Unsupported;
        break;
    default:
        break;
    }
    Error error;
    error.code = code;
    error.operation = std::move(operation);
    error.object = std::move(object);
    error.sysError = static_cast<int>(err);
    error.sysErrorDomain = SysErrorDomain::Win32;
    error.detail = std::move(detail);
    return error;
}

std::string win32ErrorText(std::uint32_t err)
{
    const std::string number = "Win32 error " + std::to_string(err);
#ifdef _WIN32
    wchar_t* buffer = nullptr;
    const DWORD length
        = ::FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
                           nullptr, err, 0, reinterpret_cast<wchar_t*>(&buffer), 0, nullptr);
    std::string text;
    if (length > 0 && buffer) {
        const int bytes
            = ::WideCharToMultiByte(CP_UTF8, 0, buffer, static_cast<int>(length), nullptr, 0, nullptr, nullptr);
        if (bytes > 0) {
            text.resize(static_cast<std::size_t>(bytes));
            ::WideCharToMultiByte(CP_UTF8, 0, buffer, static_cast<int>(length), text.data(), bytes, nullptr, nullptr);
        }
    }
    if (buffer)
        ::LocalFree(buffer);
    // "The system cannot find the file specified.\r\n" → one line without the final period.
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' || text.back() == '.'))
        text.pop_back();
    for (char& c : text) {
        if (c == '\r' || c == '\n')
            c = ' ';
    }
    if (!text.empty())
        return text + " (" + number + ")";
#endif
    return number;
}

std::string errnoName(int err)
{
    // Only names that <cerrno> guarantees in C++ (plus guarded extras), so that the mingw build of
    // the core compiles this file unchanged. glibc's strerrorname_np would be Linux-only.
    struct Name {
        int value;
        const char* name;
    };
    static const Name names[]
        = { { EPERM, "EPERM" },
            { ENOENT, "ENOENT" },
            { ESRCH, "ESRCH" },
            { EINTR, "EINTR" },
            { EIO, "EIO" },
            { ENXIO, "ENXIO" },
            { E2BIG, "E2BIG" },
            { ENOEXEC, "ENOEXEC" },
            { EBADF, "EBADF" },
            { ECHILD, "ECHILD" },
            { EAGAIN, "EAGAIN" },
            { ENOMEM, "ENOMEM" },
            { EACCES, "EACCES" },
            { EFAULT, "EFAULT" },
            { EBUSY, "EBUSY" },
            { EEXIST, "EEXIST" },
            { EXDEV, "EXDEV" },
            { ENODEV, "ENODEV" },
            { ENOTDIR, "ENOTDIR" },
            { EISDIR, "EISDIR" },
            { EINVAL, "EINVAL" },
            { ENFILE, "ENFILE" },
            { EMFILE, "EMFILE" },
            { ENOTTY, "ENOTTY" },
            { ETXTBSY, "ETXTBSY" },
            { EFBIG, "EFBIG" },
            { ENOSPC, "ENOSPC" },
            { ESPIPE, "ESPIPE" },
            { EROFS, "EROFS" },
            { EMLINK, "EMLINK" },
            { EPIPE, "EPIPE" },
            { EDOM, "EDOM" },
            { ERANGE, "ERANGE" },
            { EDEADLK, "EDEADLK" },
            { ENAMETOOLONG, "ENAMETOOLONG" },
            { ENOLCK, "ENOLCK" },
            { ENOSYS, "ENOSYS" },
            { ENOTEMPTY, "ENOTEMPTY" },
            { ELOOP, "ELOOP" },
            { EIDRM, "EIDRM" },
            { EOVERFLOW, "EOVERFLOW" },
            { ETIMEDOUT, "ETIMEDOUT" },
            { ENOTSUP, "ENOTSUP" },
            { EILSEQ, "EILSEQ" },
#if defined(EOPNOTSUPP) && EOPNOTSUPP != ENOTSUP
            { EOPNOTSUPP, "EOPNOTSUPP" },
#endif
#if defined(EWOULDBLOCK) && EWOULDBLOCK != EAGAIN
            { EWOULDBLOCK, "EWOULDBLOCK" },
#endif
#ifdef EDQUOT
            { EDQUOT, "EDQUOT" },
#endif
          };
    for (const Name& entry : names) {
        if (entry.value == err)
            return entry.name;
    }
    return "errno " + std::to_string(err);
}

std::string formatBytes(std::uint64_t bytes)
{
    if (bytes == 1)
        return "1 byte";
    if (bytes < 1024)
        return std::to_string(bytes) + " bytes";
    static const char* const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    int unit = 0;
    std::uint64_t scale = 1024;
    while (unit < 5 && bytes / scale >= 1024) {
        scale *= 1024;
        ++unit;
    }
    char buffer[32];
    if (bytes % scale == 0) {
        std::snprintf(buffer, sizeof buffer, "%llu %s", static_cast<unsigned long long>(bytes / scale), units[unit]);
    } else {
        // One decimal ("1.5 MiB"); a value that rounds to a whole number prints without ".0".
        const double value = static_cast<double>(bytes) / static_cast<double>(scale);
        std::snprintf(buffer, sizeof buffer, "%.1f", value);
        std::string number = buffer;
        if (number.size() > 2 && number.compare(number.size() - 2, 2, ".0") == 0)
            number.resize(number.size() - 2);
        return number + ' ' + units[unit];
    }
    return buffer;
}

} // namespace shmscope
