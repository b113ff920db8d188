#include "core/win/mutexlock.h"

#include "core/journal.h"
#include "core/win/wincalls.h"

#include <windows.h>

namespace shmscope::detail {

MutexLock::MutexLock(std::wstring mutexName, std::string object)
    : m_name(std::move(mutexName))
    , m_object(std::move(object))
{ }

MutexLock::~MutexLock()
{
    if (m_owner.joinable()) {
        // Releases the mutex if a guard is still alive (a contract violation, but the process must
        // not keep the mutex after the Mapping is gone).
        submit(Request::Quit, 0);
        m_owner.join();
    }
    if (m_handle)
        detail::win::closeHandle(m_handle);
}

void MutexLock::ownerLoop()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    for (;;) {
        m_changed.wait(lock, [this] { return m_request != Request::None; });
        const Request request = m_request;
        const journal::ActingFor actingFor(m_action);
        if (request == Request::Wait) {
            const DWORD waitMs = m_waitMs;
            lock.unlock();
            const DWORD result = detail::win::waitForSingleObject(m_handle, waitMs);
            const DWORD err = result == WAIT_FAILED ? ::GetLastError() : 0;
            lock.lock();
            m_waitResult = result;
            m_waitError = err;
        } else if (request == Request::Release || (request == Request::Quit && m_holdsNamed)) {
            detail::win::releaseMutex(m_handle);
            m_holdsNamed = false;
        }
        m_request = Request::None;
        m_changed.notify_all();
        if (request == Request::Quit)
            return;
    }
}

void MutexLock::submit(Request request, unsigned long waitMs)
{
    // Called with m_mutex NOT held.
    std::unique_lock<std::mutex> lock(m_mutex);
    m_changed.wait(lock, [this] { return m_request == Request::None; });
    m_request = request;
    m_waitMs = waitMs;
    // The owner thread waits and releases on behalf of this thread's user action (the journal's rows).
    m_action = journal::listening() ? journal::currentAction() : journal::ActionInfo();
    m_changed.notify_all();
    m_changed.wait(lock, [this] { return m_request == Request::None; });
}

Status MutexLock::acquire(std::chrono::milliseconds timeout, bool crossProcess, bool& previousHolderDied)
{
    previousHolderDied = false;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto timedOut = [this] {
        Error error;
        error.code = ErrorCode::Timeout;
        error.operation = "lock";
        error.object = m_object;
        error.detail = "the lock is held by another view or process";
        return error;
    };
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        if (!m_changed.wait_until(lock, deadline, [this] { return !m_held; }))
            return timedOut();
        m_held = true;
        if (!crossProcess)
            return {};
        if (!m_handle) {
            m_handle = detail::win::createMutexW(nullptr, FALSE, m_name.c_str());
            if (!m_handle) {
                const DWORD err = ::GetLastError();
                m_held = false;
                m_changed.notify_all();
                return errorFromWin32("lock", m_object, err,
                                      err == ERROR_INVALID_HANDLE
                                          ? "(the lock's mutex name is taken by an object of another type)"
                                          : "while creating the lock's mutex");
            }
        }
        if (!m_owner.joinable())
            m_owner = std::thread([this] { ownerLoop(); });
    }

    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    const auto waitMs
        = left.count() <= 0 ? 0UL : static_cast<unsigned long>(std::min<long long>(left.count(), 0x7fffffff));
    submit(Request::Wait, waitMs);

    std::unique_lock<std::mutex> lock(m_mutex);
    switch (m_waitResult) {
    case WAIT_OBJECT_0:
        m_holdsNamed = true;
        return {};
    case WAIT_ABANDONED:
        // The previous holder exited or was killed while holding it: we own it now, and the bytes
        // it protects may be half-written. The caller is told through LockGuard.
        m_holdsNamed = true;
        previousHolderDied = true;
        return {};
    default:
        break;
    }
    m_held = false;
    m_changed.notify_all();
    if (m_waitResult == WAIT_TIMEOUT)
        return timedOut();
    return errorFromWin32("lock", m_object, m_waitError, "while waiting for the lock's mutex");
}

void MutexLock::release()
{
    bool named = false;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        named = m_holdsNamed;
    }
    if (named)
        submit(Request::Release, 0);
    std::lock_guard<std::mutex> lock(m_mutex);
    m_held = false;
    m_changed.notify_all();
}

} // namespace shmscope::detail
