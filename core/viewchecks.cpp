#include "core/viewchecks.h"

#include <cstdio>
#include <limits>

namespace shmscope::detail {

std::uint64_t maxViewSize()
{
    return static_cast<std::uint64_t>(std::numeric_limits<std::ptrdiff_t>::max());
}

Error ownError(ErrorCode code, const char* operation, const Address& address, std::string detail)
{
    Error error;
    error.code = code;
    error.operation = operation;
    error.object = toString(address);
    error.detail = std::move(detail);
    return error;
}

Error invalidArgument(const char* operation, const Address& address, std::string detail)
{
    return ownError(ErrorCode::InvalidArgument, operation, address, std::move(detail));
}

Status checkViewSize(const char* operation, const Address& address, std::uint64_t size)
{
    if (size > maxViewSize()) {
        return invalidArgument(operation, address,
                               "the size " + formatBytes(size) + " is beyond the address space (at most "
                                   + formatBytes(maxViewSize()) + ")");
    }
    return {};
}

Status checkMode(const Address& address, std::uint32_t mode)
{
    if (mode & ~0777u) {
        char text[16];
        std::snprintf(text, sizeof text, "0%o", static_cast<unsigned>(mode));
        return invalidArgument("create", address, std::string("the mode ") + text + " has bits outside 0777");
    }
    return {};
}

Status checkRange(const char* operation, const Address& address, std::uint64_t offset, std::uint64_t length,
                  std::uint64_t size)
{
    // Written so that offset + length cannot overflow.
    if (offset > size || length > size - offset) {
        return ownError(ErrorCode::OutOfRange, operation, address,
                        "offset " + std::to_string(offset) + " + length " + std::to_string(length)
                            + " is past the end (" + formatBytes(size) + ")");
    }
    return {};
}

Error vanishedError(const char* operation, const Address& address, std::uint64_t faultOffset,
                    std::optional<std::uint64_t> currentSize)
{
    Error error = ownError(ErrorCode::Vanished, operation, address,
                           currentSize ? "the object shrank to " + formatBytes(*currentSize) + " (offset "
                                   + std::to_string(faultOffset) + " is past its end)"
                                       : "the object was removed");
    error.currentSize = currentSize;
    return error;
}

Error partialWriteError(Error error, std::uint64_t written, std::uint64_t length)
{
    const std::string count = std::to_string(written) + " of " + std::to_string(length) + " bytes";
    if (error.sysError != 0)
        error.detail = "after " + count + (error.detail.empty() ? std::string() : " " + error.detail);
    else
        error.detail = (error.detail.empty() ? std::string("stopped") : error.detail) + "; " + count + " were written";
    error.bytesWritten = written;
    return error;
}

} // namespace shmscope::detail
