#include "core/posix/viewmapping.h"

#include "core/posix/faultsafecopy.h"

#include <cerrno>
#include <cstddef>

namespace shmscope::detail {

Error ViewMapping::ownError(ErrorCode code, const char* operation, std::string text) const
{
    return shmscope::detail::ownError(code, operation, m_address, std::move(text));
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
    return vanishedError(operation, m_address, faultOffset, currentSize);
}

Status ViewMapping::read(std::uint64_t offset, void* out, std::size_t length) const
{
    std::shared_lock<std::shared_mutex> view(m_viewMutex);
    if (Status range = checkRange("read", m_address, offset, length, m_size); !range)
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
    if (Status range = checkRange("write", m_address, offset, length, m_size); !range)
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
