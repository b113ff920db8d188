#pragma once

// Internal to the POSIX backend: running code that touches a mapped view directly (memcpy, memcmp,
// hashing in place) while turning a SIGBUS on the view's pages into a return value.

#include <cstddef>
#include <cstdint>

namespace shmscope::detail {

/// Where a guarded run stopped.
struct GuardFault {
    bool faulted = false; ///< the body was cut short by a SIGBUS inside the guarded range
    std::uintptr_t address = 0; ///< the faulting address (siginfo_t::si_addr) when faulted
};

/// Installs the process's SIGBUS handler if that has not happened yet (once, thread-safe) and says
/// whether it is in place: false when sigaction failed or someone else's handler replaced ours at
/// once (a sanitizer that refuses user handlers); callers then copy through the kernel instead
/// (faultsafecopy.h). Cheap after the first call (one atomic load).
bool sigbusGuardAvailable();

/// Runs `body(context)` with SIGBUS caught for the addresses [view, view + length): a fault there
/// (the object was truncated under us, or tmpfs had no page to give) abandons the body at once —
/// no destructor of the body's frames runs, so the body must not own resources or take locks — and
/// returns {true, address}. A SIGBUS elsewhere, and every other signal, go to whoever handled them
/// before (the previous handler is chained; with none, the default action kills the process as it
/// would have without ShmScope). Needs sigbusGuardAvailable(). No system call on the path without
/// a fault; one (pthread_sigmask) after a fault, to restore the signal mask.
///
/// Design (after Firefox's MmapFaultHandler, mozglue/misc/MmapFaultHandler.cpp): a thread-local
/// pointer to the innermost active guard; sigsetjmp(env, 0) before the body; the handler
/// siglongjmp()s back when the faulting address lies in that guard's range. Nested guards on one
/// thread (a signal handler that itself runs a guard) each restore the outer one on the way out.
GuardFault runGuarded(const void* view, std::size_t length, void (*body)(void* context), void* context);

} // namespace shmscope::detail
