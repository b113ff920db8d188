#include "core/posix/viewmapping.h"

#include "core/posix/faultsafecopy.h"

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <limits>

namespace shmscope::detail {

std::uint64_t maxViewSize()
{
    return static_cast<std::uint64_t>(std::numeric_limits<std::ptrdiff_t>::max());
}

Error invalidArgument(const char* operation, const Address& address, std::string detail)
{
    Error error;
    error.code = ErrorCode::InvalidArgument;
    error.operation = operation;
    error.object = toString(address);
    error.detail = std::move(detail);
    return error;
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

Error ViewMapping::ownError(ErrorCode code, const char* operation, std::string detail) const
{
    Error error;
    error.code = code;
    error.operation = operation;
    error.object = toString(m_address);
    error.detail = std::move(detail);
    return error;
}

Status ViewMapping::checkRange(const char* operation, std::uint64_t offset, std::size_t length) const
{
    // Written so that offset + length cannot overflow.
    if (offset > m_size || length > m_size - offset) {
        return ownError(ErrorCode::OutOfRange, operation,
                        "offset " + std::to_string(offset) + " + length " + std::to_string(length)
                            + " is past the end (" + formatBytes(m_size) + ")");
    }
    return {};
}

// A copy stopped at faultOffset. The object's size now tells why: smaller than the fault → it was
// truncated (or removed) under us; still larger → for a write, the backing store had no page to give
// (tmpfs or the file system is full), anything else is reported as the raw error.
Error ViewMapping::faultError(const char* operation, bool writing, std::uint64_t faultOffset, int err) const
{
    Result<std::uint64_t> now = objectSize();
    std::optional<std::uint64_t> currentSize;
    if (now)
        currentSize = *now;
    else
        currentSize = now.error().currentSize;

    if (currentSize && *currentSize > faultOffset) {
        if (writing && err == EFAULT) {
            Error error
                = ownError(ErrorCode::NoSpace, operation,
                           "the backing store is full (no page for offset " + std::to_string(faultOffset) + ")");
            error.currentSize = currentSize;
            return error;
        }
        return errorFromErrno(operation, toString(m_address), err, "at offset " + std::to_string(faultOffset));
    }
    Error error = ownError(ErrorCode::Vanished, operation,
                           currentSize ? "the object shrank to " + formatBytes(*currentSize) + " (offset "
                                   + std::to_string(faultOffset) + " is past its end)"
                                       : "the object was removed");
    error.currentSize = currentSize;
    return error;
}

Status ViewMapping::read(std::uint64_t offset, void* out, std::size_t length) const
{
    std::shared_lock<std::shared_mutex> view(m_viewMutex);
    if (Status range = checkRange("read", offset, length); !range)
        return range;
    if (length == 0)
        return {};
    const CopyOutcome outcome = copyFromView(static_cast<const char*>(m_view) + offset, out, length);
    if (outcome.error != 0)
        return faultError("read", false, offset + outcome.copied, outcome.error);
    return {};
}

Status ViewMapping::write(std::uint64_t offset, const void* in, std::size_t length)
{
    if (m_access == Access::ReadOnly)
        return ownError(ErrorCode::ReadOnly, "write", "the view is read-only");
    std::shared_lock<std::shared_mutex> view(m_viewMutex);
    if (Status range = checkRange("write", offset, length); !range)
        return range;
    if (length == 0)
        return {};
    const CopyOutcome outcome = copyToView(static_cast<char*>(m_view) + offset, in, length);
    if (outcome.error != 0)
        return faultError("write", true, offset + outcome.copied, outcome.error);
    return {};
}

Status ViewMapping::acquireLock(std::chrono::milliseconds timeout, bool& previousHolderDied)
{
    // OFD locks vanish silently with their holder; nobody can tell us that one died.
    previousHolderDied = false;
    switch (m_access) {
    case Access::ReadOnly:
        // F_WRLCK needs a descriptor open for writing, and a read-only view has no business
        // excluding writers.
        return ownError(ErrorCode::ReadOnly, "lock", "a read-only view cannot take the write lock");
    case Access::CopyOnWrite:
        // This view's writes are private: nobody else can see them, so there is nothing to exclude
        // other processes from. Only the threads of this process are serialised.
        return m_lock.acquire(-1, timeout, toString(m_address));
    case Access::ReadWrite:
        break;
    }
    Result<int> fd = lockDescriptor();
    if (!fd)
        return fd.error();
    return m_lock.acquire(*fd, timeout, toString(m_address));
}

void ViewMapping::releaseLock()
{
    m_lock.release();
}

} // namespace shmscope::detail
