#include "core/posix/faultsafecopy.h"

#include "core/posix/uniquefd.h"

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

// Why the kernel copies for us:
// When another process truncates a mapped object (or tmpfs cannot allocate a page because /dev/shm
// is full), touching the page raises SIGBUS (PLATFORM-NOTES). A SIGBUS handler with siglongjmp works
// but is process-global state shared with the application and every other library (it must chain,
// and it is fragile with sanitizers and threads). process_vm_readv(2) / process_vm_writev(2) on our
// own pid make the kernel copy through the page tables instead; a page that cannot be faulted in is
// reported as EFAULT ("The memory described by remote_iov is outside the caller's accessible address
// space", Linux man page process_vm_readv(2)). The man page says partial transfers happen at iovec
// granularity, but Linux actually stops at the first page it cannot fault in and returns the bytes
// copied so far (checked on this project's kernel); the loop below is correct for both readings.
// A write into a PROT_READ mapping is refused the same way. Where those calls are unavailable
// (ENOSYS; EPERM under some seccomp profiles), pread/pwrite on /proc/self/mem is the fallback with
// the same behaviour (EIO instead of EFAULT); callers check read-only views before writing, since
// /proc/self/mem may write through PROT_READ.

namespace shmscope::detail {

namespace {

enum class Method { ProcessVm, ProcSelfMem };

// Decided once per process; a probe on a local variable tells whether process_vm_readv works here.
// SHMSCOPE_COPY_METHOD=proc-self-mem forces the fallback so that the tests can cover it too.
Method method()
{
    static const Method chosen = [] {
        const char* forced = std::getenv("SHMSCOPE_COPY_METHOD");
        if (forced && std::strcmp(forced, "proc-self-mem") == 0)
            return Method::ProcSelfMem;
        char source = 1;
        char target = 0;
        iovec local { &target, 1 };
        iovec remote { &source, 1 };
        if (::process_vm_readv(::getpid(), &local, 1, &remote, 1, 0) == 1)
            return Method::ProcessVm;
        return Method::ProcSelfMem;
    }();
    return chosen;
}

// One kernel transfer; returns bytes moved or -1 with errno set. `mem` is /proc/self/mem for the
// fallback, unused otherwise.
ssize_t transferOnce(bool toView, int mem, void* view, void* buffer, std::size_t length)
{
    if (mem < 0) {
        iovec local { buffer, length };
        iovec remote { view, length };
        return toView ? ::process_vm_writev(::getpid(), &local, 1, &remote, 1, 0)
                      : ::process_vm_readv(::getpid(), &local, 1, &remote, 1, 0);
    }
    const auto address = static_cast<off_t>(reinterpret_cast<std::uintptr_t>(view));
    return toView ? ::pwrite(mem, buffer, length, address) : ::pread(mem, buffer, length, address);
}

CopyOutcome copy(bool toView, char* view, char* buffer, std::size_t length)
{
    CopyOutcome outcome;
    // Opened per copy, not cached: a descriptor of /proc/self/mem keeps pointing at the memory of
    // the process that opened it, which after a fork() is the parent.
    UniqueFd mem;
    if (method() == Method::ProcSelfMem) {
        mem.reset(::open("/proc/self/mem", O_RDWR | O_CLOEXEC));
        if (!mem.valid()) {
            outcome.error = errno;
            return outcome;
        }
    }
    while (outcome.copied < length) {
        errno = 0;
        const ssize_t moved
            = transferOnce(toView, mem.get(), view + outcome.copied, buffer + outcome.copied, length - outcome.copied);
        if (moved < 0) {
            if (errno == EINTR)
                continue;
            // /proc/self/mem reports an unbacked page as EIO; callers see one error for one cause.
            outcome.error = (errno == EIO) ? EFAULT : errno;
            return outcome;
        }
        if (moved == 0) {
            // No progress without an error: the next page is not accessible.
            outcome.error = EFAULT;
            return outcome;
        }
        // A partial transfer stops at the first page that faulted; the loop retries from there and
        // then gets the error itself (or succeeds, if the object grew back meanwhile).
        outcome.copied += static_cast<std::size_t>(moved);
    }
    return outcome;
}

} // namespace

CopyOutcome copyFromView(const void* view, void* out, std::size_t length)
{
    return copy(false, const_cast<char*>(static_cast<const char*>(view)), static_cast<char*>(out), length);
}

CopyOutcome copyToView(void* view, const void* in, std::size_t length)
{
    return copy(true, static_cast<char*>(view), const_cast<char*>(static_cast<const char*>(in)), length);
}

} // namespace shmscope::detail
