#include "core/posix/ofdlock.h"

#include "core/posix/syscalls.h"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <thread>
#include <unistd.h>

namespace shmscope::detail {

namespace {

static_assert(sizeof(off_t) == 8, "the lock offset needs a 64-bit off_t (_FILE_OFFSET_BITS=64)");

struct flock lockRange(short type)
{
    struct flock range = {};
    range.l_type = type;
    range.l_whence = SEEK_SET;
    range.l_start = static_cast<off_t>(lockOffset);
    range.l_len = 1;
    range.l_pid = 0; // must be 0 for OFD locks (fcntl(2))
    return range;
}

Error timeoutError(const Address& object, std::chrono::milliseconds timeout, const char* holder)
{
    Error error;
    error.code = ErrorCode::Timeout;
    error.operation = "lock";
    error.object = toString(object);
    error.detail = "not obtained within " + std::to_string(timeout.count()) + " ms (" + holder + " holds it)";
    return error;
}

} // namespace

Status OfdLock::acquire(int fd, std::chrono::milliseconds timeout, const Address& object, bool shared)
{
    using Clock = std::chrono::steady_clock;
    const Clock::time_point deadline = Clock::now() + timeout;

    if (!m_threads.try_lock_until(deadline))
        return timeoutError(object, timeout, "another thread of this process");

    if (fd < 0) {
        m_heldFd = -1;
        return {};
    }

    // There is no F_OFD_SETLKW with a timeout, and interrupting a blocking wait needs a signal (which
    // is process-global). Polling F_OFD_SETLK with short sleeps costs little: 1 ms first so that an
    // uncontended hand-over is quick, growing to 10 ms so that a long wait does not spin.
    std::chrono::milliseconds pause(1);
    for (;;) {
        struct flock range = lockRange(shared ? F_RDLCK : F_WRLCK);
        if (sys::fcntlLock(fd, F_OFD_SETLK, &range) == 0) {
            m_heldFd = fd;
            return {};
        }
        const int err = errno;
        if (err != EAGAIN && err != EACCES && err != EINTR) {
            m_threads.unlock();
            return errorFromErrno("lock", toString(object), err, "while taking the OFD lock");
        }
        const Clock::time_point now = Clock::now();
        if (now >= deadline) {
            m_threads.unlock();
            return timeoutError(object, timeout, "another process");
        }
        std::this_thread::sleep_for(std::min<Clock::duration>(pause, deadline - now));
        pause = std::min(pause * 2, std::chrono::milliseconds(10));
    }
}

void OfdLock::release()
{
    if (m_heldFd >= 0) {
        struct flock range = lockRange(F_UNLCK);
        sys::fcntlLock(m_heldFd, F_OFD_SETLK, &range);
        m_heldFd = -1;
    }
    m_threads.unlock();
}

} // namespace shmscope::detail
