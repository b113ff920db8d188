#include "core/error.h"

#include <cerrno>
#include <cstdio>
#include <system_error>

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

std::string Error::message() const
{
    std::string text = operation;
    if (!object.empty()) {
        text += ' ';
        text += object;
    }
    text += ": ";
    if (sysError != 0) {
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
    return text;
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
