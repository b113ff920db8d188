#pragma once

// Internal to the Windows backend: a Mapping's lock — this process's threads first, then a named
// mutex for the other processes (the StarLeeMutex of seed 001).

#include "core/error.h"
#include "core/journal.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace shmscope::detail {

/// A Mapping's cross-process lock on Windows. A named mutex belongs to a *thread* and is recursive,
/// which would let two views of one object in one thread both "hold" it, and would forbid releasing
/// a LockGuard from another thread. So the mutex is waited for and released by one owner thread per
/// MutexLock, started at the first cross-process acquire, and the threads of this process are
/// serialised before that by a flag of our own. When the holder process dies, Windows hands the
/// mutex to the next waiter with WAIT_ABANDONED, which acquire() reports. Not copyable; one per
/// Mapping.
class MutexLock
{
public:
    /// `mutexName`: the kernel name (lockMutexName()); `object`: the address for error messages.
    MutexLock(std::wstring mutexName, std::string object);
    ~MutexLock();
    MutexLock(const MutexLock&) = delete;
    MutexLock& operator=(const MutexLock&) = delete;

    /// Takes the lock within `timeout`: this process's threads only when `crossProcess` is false
    /// (private views), else also the named mutex (created on first use). Sets previousHolderDied
    /// on WAIT_ABANDONED. Errors: Timeout; the Win32 error of CreateMutex/WaitForSingleObject
    /// (a name taken by another kind of object gives ERROR_INVALID_HANDLE).
    Status acquire(std::chrono::milliseconds timeout, bool crossProcess, bool& previousHolderDied);

    /// Releases what acquire() took; from any thread. Only after a successful acquire().
    void release();

private:
    enum class Request { None, Wait, Release, Quit };
    void ownerLoop();
    /// Hands `request` to the owner thread and waits until it is done.
    void submit(Request request, unsigned long waitMs);

    std::wstring m_name;
    std::string m_object;

    std::mutex m_mutex; ///< guards everything below
    std::condition_variable m_changed;
    bool m_held = false; ///< a thread of this process holds the lock
    bool m_holdsNamed = false; ///< ... and with it the named mutex
    void* m_handle = nullptr; ///< the named mutex (HANDLE), created on first cross-process acquire

    std::thread m_owner;
    Request m_request = Request::None;
    unsigned long m_waitMs = 0;
    journal::ActionInfo m_action; ///< the requester's user action (core/journal.h), copied with each request
    unsigned long m_waitResult = 0;
    unsigned long m_waitError = 0;
};

} // namespace shmscope::detail
