#pragma once

#include "core/address.h"
#include "core/error.h"

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace shmscope::detail {

/// The byte every ShmScope process locks (F_OFD_SETLK, F_WRLCK, length 1) on an object's descriptor.
/// Far beyond any real object so that it never conflicts with programs that lock the file's data;
/// part of the cross-process protocol: every ShmScope version must use the same offset.
constexpr std::int64_t lockOffset = 0x7ffffffffffffffe;

/// A Mapping's lock: a timed mutex that serialises the threads of this process, plus an OFD write
/// lock on lockOffset of a descriptor that serialises other processes. The kernel releases an OFD
/// lock when the last descriptor of its open file description closes, so a holder killed with
/// SIGKILL never leaves it taken. Not copyable; one per Mapping.
class OfdLock
{
public:
    /// Takes the lock, waiting at most `timeout`: first this process's threads, then the OFD lock on
    /// `fd` (not owned; -1 means "threads only", used by private views): a write lock (F_WRLCK; `fd`
    /// must be open for writing), or with `shared` a read lock (F_RDLCK; `fd` open for reading is
    /// enough), which other processes' read locks do not exclude but write locks do.
    /// `object` names the object in errors (printed only when there is one: an edit's lock must not
    /// build a string). A `timeout` of 0 is a try-lock: one try_lock() and one
    /// F_OFD_SETLK, no sleep. Errors: Timeout; the fcntl error otherwise.
    Status acquire(int fd, std::chrono::milliseconds timeout, const Address& object, bool shared = false);

    /// Releases what acquire() took. Only call after a successful acquire().
    void release();

private:
    std::timed_mutex m_threads;
    int m_heldFd = -1;
};

} // namespace shmscope::detail
