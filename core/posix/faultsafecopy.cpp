#include "core/posix/faultsafecopy.h"

#include "core/posix/sigbusguard.h"
#include "core/posix/syscalls.h"
#include "core/posix/uniquefd.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

// When another process truncates a mapped object (or tmpfs cannot allocate a page because /dev/shm
// is full), touching the page raises SIGBUS (PLATFORM-NOTES). The default answer is to touch the view
// directly under the SIGBUS guard (sigbusguard.cpp, which says why that is safe with threads, nesting
// and other handlers): no system call per access. A handler is process-global state shared with the
// application and every other library, though: where ours cannot be installed (or the user says so
// with SHMSCOPE_COPY_METHOD) the kernel copies for us instead, one system call per access.
//
// How the kernel can copy for us: process_vm_readv(2) / process_vm_writev(2) on our
// own pid make the kernel copy through the page tables; a page that cannot be faulted in is
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

CopyMethod chooseMethod()
{
    const char* forced = std::getenv("SHMSCOPE_COPY_METHOD");
    if (forced && std::strcmp(forced, "proc-self-mem") == 0)
        return CopyMethod::ProcSelfMem;
    const bool kernelCopyForced = forced && std::strcmp(forced, "process-vm") == 0;
    if (!kernelCopyForced && sigbusGuardAvailable())
        return CopyMethod::SignalGuard;
    // A probe on a local variable tells whether process_vm_readv works here.
    char source = 1;
    char target = 0;
    iovec local { &target, 1 };
    iovec remote { &source, 1 };
    if (::process_vm_readv(::getpid(), &local, 1, &remote, 1, 0) == 1)
        return CopyMethod::ProcessVm;
    return CopyMethod::ProcSelfMem;
}

struct GuardedCopy {
    void* destination;
    const void* source;
    std::size_t length;
};

void copyBody(void* context)
{
    const auto* copy = static_cast<const GuardedCopy*>(context);
    std::memcpy(copy->destination, copy->source, copy->length);
}

std::uintptr_t pageSize()
{
    static const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    return page;
}

// Into the view, one page at a time in ascending order (memcpy alone may store the tail first): when a
// page faults, every page before it was written completely and none after it was touched, so the
// bytes written are exactly those before the faulting page (what a partial write reports).
void copyToViewBody(void* context)
{
    const auto* copy = static_cast<const GuardedCopy*>(context);
    auto* destination = static_cast<char*>(copy->destination);
    const auto* source = static_cast<const char*>(copy->source);
    const std::uintptr_t page = pageSize();
    for (std::size_t done = 0; done < copy->length;) {
        const std::size_t toBoundary = page - (reinterpret_cast<std::uintptr_t>(destination + done) % page);
        const std::size_t chunk = std::min(copy->length - done, toBoundary);
        std::memcpy(destination + done, source + done, chunk);
        done += chunk;
    }
}

void touchBody(void* context)
{
    (void)*static_cast<const volatile char*>(context);
}

// The bytes before the first missing page of [view, view + length) when a guarded run faulted at
// `fault`. The faulting page is missing but need not be the first: glibc's memcpy loads the tail of a
// large copy first and interleaves pages, and XXH3 reads ahead. So the pages before it are probed from
// the start, one guarded read each (only on this rare path; at most one probe per page before the fault).
std::size_t bytesBeforeFault(std::uintptr_t view, std::size_t length, std::uintptr_t fault)
{
    const std::uintptr_t page = pageSize();
    const std::uintptr_t faultPage = fault - fault % page;
    for (std::uintptr_t probe = view; probe < faultPage; probe = probe - probe % page + page) {
        if (runGuarded(reinterpret_cast<const void*>(probe), 1, &touchBody, reinterpret_cast<void*>(probe)).faulted)
            return std::min<std::size_t>(length, probe - view);
    }
    if (faultPage <= view)
        return 0;
    return std::min<std::size_t>(length, faultPage - view);
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
    if (copyMethod() == CopyMethod::SignalGuard) {
        GuardedCopy body { toView ? static_cast<void*>(view) : buffer, toView ? buffer : view, length };
        const GuardFault fault = runGuarded(view, length, toView ? &copyToViewBody : &copyBody, &body);
        if (fault.faulted && toView) {
            const std::uintptr_t start = reinterpret_cast<std::uintptr_t>(view);
            const std::uintptr_t faultPage = fault.address - fault.address % pageSize();
            outcome.copied = faultPage <= start ? 0 : std::min<std::size_t>(length, faultPage - start);
            outcome.error = EFAULT;
        } else if (fault.faulted) {
            outcome.copied = bytesBeforeFault(reinterpret_cast<std::uintptr_t>(view), length, fault.address);
            outcome.error = EFAULT;
        } else {
            outcome.copied = length;
        }
        return outcome;
    }
    if (copyMethod() == CopyMethod::ProcSelfMem) {
        mem.reset(sys::openat(AT_FDCWD, "/proc/self/mem", O_RDWR | O_CLOEXEC));
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

CopyMethod copyMethod()
{
    static const CopyMethod chosen = chooseMethod();
    return chosen;
}

std::size_t faultOffsetIn(const void* view, std::size_t length, std::uintptr_t faultAddress)
{
    return bytesBeforeFault(reinterpret_cast<std::uintptr_t>(view), length, faultAddress);
}

CopyOutcome copyFromView(const void* view, void* out, std::size_t length)
{
    return copy(false, const_cast<char*>(static_cast<const char*>(view)), static_cast<char*>(out), length);
}

CopyOutcome copyToView(void* view, const void* in, std::size_t length)
{
    return copy(true, static_cast<char*>(view), const_cast<char*>(static_cast<const char*>(in)), length);
}

} // namespace shmscope::detail
