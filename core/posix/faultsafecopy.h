#pragma once

#include <cstddef>
#include <cstdint>

namespace shmscope::detail {

/// How the POSIX backend keeps a truncated object from killing the process with SIGBUS. Chosen once
/// per process: SignalGuard unless the environment variable SHMSCOPE_COPY_METHOD says
/// "process-vm" or "proc-self-mem" (the tests use it to cover every method), or the SIGBUS handler
/// cannot be installed (sigbusGuardAvailable()); ProcessVm unless process_vm_readv is refused here
/// (seccomp); ProcSelfMem last.
enum class CopyMethod {
    SignalGuard, ///< touch the view directly under runGuarded() (sigbusguard.h): no system call per access
    ProcessVm, ///< process_vm_readv/process_vm_writev on our own pid: the kernel copies, EFAULT on a missing page
    ProcSelfMem, ///< pread/pwrite on /proc/self/mem: the same, EIO on a missing page
};

/// The method this process uses (see CopyMethod).
CopyMethod copyMethod();

/// How far a fault-safe copy got.
struct CopyOutcome {
    std::size_t copied = 0; ///< bytes copied before the copy stopped (all of them on success)
    int error = 0; ///< 0 on success; EFAULT when a page of the view is no longer backed (or not writable)
};

/// Copies `length` bytes from the mapped view at `view` into `out` without ever raising SIGBUS for
/// the view's pages (copyMethod()): a page past the end of a truncated object stops the copy with
/// EFAULT; `copied` then counts the bytes before the first missing page (the offset to report), but
/// under SignalGuard those bytes need not all have been copied (memcpy does not go in order), so `out`
/// is unspecified after an error. `out` must be ordinary memory of this process (at least `length` bytes).
CopyOutcome copyFromView(const void* view, void* out, std::size_t length);

/// Copies `length` bytes from `in` into the mapped view at `view`, as copyFromView(): a page that is
/// gone, read-only, or cannot be allocated because the backing store is full stops the copy with
/// EFAULT. Every method writes in ascending order (the SignalGuard one page at a time), so after an
/// error exactly the first `copied` bytes were written and nothing after them (Error::bytesWritten).
CopyOutcome copyToView(void* view, const void* in, std::size_t length);

/// For a guarded run over [view, view + length) that faulted at `faultAddress`: the bytes before the
/// first page of the range that is missing now (probed from the start; 0 when it is the first page),
/// at most `length`.
std::size_t faultOffsetIn(const void* view, std::size_t length, std::uintptr_t faultAddress);

} // namespace shmscope::detail
