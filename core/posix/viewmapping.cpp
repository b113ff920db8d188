#include "core/posix/viewmapping.h"

#include "core/hash.h"
#include "core/journalrecord.h"
#include "core/posix/faultsafecopy.h"
#include "core/posix/lockholders.h"
#include "core/posix/sigbusguard.h"
#include "core/posix/syscalls.h"
#include "core/viewpasses.h"

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

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
            // tmpfs (or the file system) had no page to give: the kernel's SIGBUS stands for ENOSPC.
            Error error = errorFromErrno(operation, toString(m_address), ENOSPC,
                                         "(the backing store is full at offset " + std::to_string(faultOffset) + ")");
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
    // copyToView() writes in ascending order and stops at the first page it cannot write, so exactly
    // `copied` bytes landed: the caller can announce them (Error::bytesWritten).
    const CopyOutcome outcome = copyToView(static_cast<char*>(m_view) + offset, in, length);
    journal::recordStore(m_view, offset, in, outcome.error != 0 ? outcome.copied : length);
    if (outcome.error != 0)
        return partialWriteError(faultError("write", true, offset + outcome.copied, outcome.error), outcome.copied,
                                 length);
    return {};
}

Status ViewMapping::guarded(const char* operation, bool writing, std::uint64_t offset, std::uint64_t length,
                            void (*body)(void*), void* context) const
{
    const char* start = static_cast<const char*>(m_view) + offset;
    const GuardFault fault = runGuarded(start, static_cast<std::size_t>(length), body, context);
    if (!fault.faulted)
        return {};
    const std::size_t before = faultOffsetIn(start, static_cast<std::size_t>(length), fault.address);
    return faultError(operation, writing, offset + before, EFAULT);
}

using detail::CompareArgs;
using detail::compareBody;
using detail::CompareExchangeArgs;
using detail::compareExchangeBody;
using detail::ExchangeArgs;
using detail::exchangeBody;
using detail::HashArgs;
using detail::hashBody;

Status ViewMapping::exchange(std::uint64_t offset, const void* in, void* old, std::size_t length,
                             std::chrono::milliseconds timeout)
{
    if (m_access == Access::ReadOnly)
        return ownError(ErrorCode::ReadOnly, "exchange", "the view is read-only");
    Result<LockGuard> lockGuard = lock(timeout);
    if (!lockGuard)
        return lockGuard.error();
    std::shared_lock<std::shared_mutex> view(m_viewMutex);
    if (Status range = checkRange("exchange", m_address, offset, length, m_size); !range)
        return range;
    if (length == 0)
        return {};
    char* start = static_cast<char*>(m_view) + offset;
    if (copyMethod() == CopyMethod::SignalGuard) {
        ExchangeArgs args { start, in, old, length };
        Status status = guarded("exchange", true, offset, length, &exchangeBody, &args);
        if (status) {
            journal::recordStore(m_view, offset, in, length);
            return status;
        }
        // A fault while the old bytes were read (tmpfs gives a hole its page on the first touch, so a
        // full one fails here) wrote nothing. After that, memcpy's order is not known: no count.
        if (!args.writing)
            return partialWriteError(status.error(), 0, length);
        return status;
    }
    const CopyOutcome read = copyFromView(start, old, length);
    if (read.error != 0)
        return partialWriteError(faultError("exchange", true, offset + read.copied, read.error), 0, length);
    const CopyOutcome written = copyToView(start, in, length); // ascending: exactly `copied` bytes landed
    journal::recordStore(m_view, offset, in, written.error != 0 ? written.copied : length);
    if (written.error != 0)
        return partialWriteError(faultError("exchange", true, offset + written.copied, written.error), written.copied,
                                 length);
    return {};
}

Result<bool> ViewMapping::compareExchange(std::uint64_t offset, const void* expected, const void* replacement,
                                          void* current, std::size_t length, std::chrono::milliseconds timeout)
{
    if (m_access == Access::ReadOnly)
        return ownError(ErrorCode::ReadOnly, "compare-exchange", "the view is read-only");
    Result<LockGuard> lockGuard = lock(timeout);
    if (!lockGuard)
        return lockGuard.error();
    std::shared_lock<std::shared_mutex> view(m_viewMutex);
    if (Status range = checkRange("compare-exchange", m_address, offset, length, m_size); !range)
        return range.error();
    if (length == 0)
        return true;
    char* start = static_cast<char*>(m_view) + offset;
    if (copyMethod() == CopyMethod::SignalGuard) {
        CompareExchangeArgs args { start, expected, replacement, current, length, false };
        if (Status status = guarded("compare-exchange", true, offset, length, &compareExchangeBody, &args); !status)
            return status.error();
        if (args.written)
            journal::recordStore(m_view, offset, replacement, length);
        return args.written;
    }
    CopyOutcome outcome = copyFromView(start, current, length);
    if (outcome.error != 0)
        return faultError("compare-exchange", true, offset + outcome.copied, outcome.error);
    if (std::memcmp(current, expected, length) != 0)
        return false;
    outcome = copyToView(start, replacement, length);
    if (outcome.error != 0)
        return faultError("compare-exchange", true, offset + outcome.copied, outcome.error);
    journal::recordStore(m_view, offset, replacement, length);
    return true;
}

Result<std::uint64_t> ViewMapping::hash(std::uint64_t offset, std::uint64_t length, std::uint64_t seed) const
{
    std::shared_lock<std::shared_mutex> view(m_viewMutex);
    if (Status range = checkRange("hash", m_address, offset, length, m_size); !range)
        return range.error();
    const char* start = static_cast<const char*>(m_view) + offset;
    if (copyMethod() == CopyMethod::SignalGuard) {
        if (length == 0)
            return hashBytes(nullptr, 0, seed);
        HashArgs args { start, static_cast<std::size_t>(length), seed, 0 };
        if (Status status = guarded("hash", false, offset, length, &hashBody, &args); !status)
            return status.error();
        return args.hash;
    }
    // The kernel copies 64 KiB at a time into a buffer, which streams into the same hash.
    StreamingHash hasher(seed);
    std::vector<char> buffer(static_cast<std::size_t>(std::min<std::uint64_t>(length, 64 * 1024)));
    for (std::uint64_t done = 0; done < length;) {
        const auto chunk = static_cast<std::size_t>(std::min<std::uint64_t>(length - done, buffer.size()));
        const CopyOutcome outcome = copyFromView(start + done, buffer.data(), chunk);
        if (outcome.error != 0)
            return faultError("hash", false, offset + done + outcome.copied, outcome.error);
        hasher.update(buffer.data(), chunk);
        done += chunk;
    }
    return hasher.digest();
}

Result<bool> ViewMapping::compare(std::uint64_t offset, const void* data, std::size_t length) const
{
    if (copyMethod() != CopyMethod::SignalGuard)
        return Mapping::compare(offset, data, length);
    std::shared_lock<std::shared_mutex> view(m_viewMutex);
    if (Status range = checkRange("read", m_address, offset, length, m_size); !range)
        return range.error();
    if (length == 0)
        return true;
    CompareArgs args { static_cast<const char*>(m_view) + offset, data, length, false };
    if (Status status = guarded("read", false, offset, length, &compareBody, &args); !status)
        return status.error();
    return args.equal;
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
        return m_lock.acquire(-1, timeout, m_address);
    case Access::ReadWrite:
        break;
    }
    Result<int> fd = lockDescriptor();
    if (!fd)
        return fd.error();
    return m_lock.acquire(*fd, timeout, m_address);
}

Status ViewMapping::acquireReadLock(std::chrono::milliseconds timeout, bool& previousHolderDied)
{
    previousHolderDied = false;
    if (m_access == Access::CopyOnWrite)
        return m_lock.acquire(-1, timeout, m_address); // private: this process's threads only
    Result<int> fd = lockDescriptor();
    if (!fd)
        return fd.error();
    return m_lock.acquire(*fd, timeout, m_address, true);
}

LockHolderSearch ViewMapping::lockHolderSearch()
{
    if (m_access == Access::CopyOnWrite)
        return Mapping::lockHolderSearch();
    Result<int> fd = lockDescriptor();
    struct stat status = {};
    if (!fd || sys::fstat(*fd, &status) != 0)
        return Mapping::lockHolderSearch();
    // What the search needs is copied into it: it may run in another thread after this view is gone.
    const FileId file { static_cast<std::uint64_t>(status.st_dev), static_cast<std::uint64_t>(status.st_ino) };
    return [file] { return findOfdLockHolders(file, lockOffset); };
}

void ViewMapping::releaseLock()
{
    m_lock.release();
}

Status ViewMapping::inspectView(const std::function<Status(const NativeView&)>& inspect) const
{
    std::shared_lock<std::shared_mutex> view(m_viewMutex);
    NativeView native;
    if (m_view) {
        native.address = reinterpret_cast<std::uintptr_t>(m_view);
        native.length = m_size;
    }
    native.handle = objectDescriptor();
    return inspect(native);
}

} // namespace shmscope::detail
