#include "core/posix/sigbusguard.h"

#include <atomic>
#include <csetjmp>
#include <csignal>
#include <mutex>
#include <pthread.h>
#include <ucontext.h>

// Why a signal handler after all (core/README.md, "Fault safety"): copying every access through
// process_vm_readv/writev costs a system call per access — about half of a one-byte edit, and it
// forces the change scanner to copy every byte out before hashing it. Touching the view directly is
// free until a page is gone; the handler only matters then.
//
// Signal-safety: the handler reads one thread-local pointer (initial-exec TLS: a plain %fs-relative
// load, no __tls_get_addr, which could allocate), writes into the guard object it points to (on the
// guarded thread's stack), and either siglongjmp()s or chains. It calls only async-signal-safe
// functions (sigaction, siglongjmp; the chained handler is the previous owner's business). Jumping
// out of the handler is safe because the interrupted code is the guarded body, which by contract
// holds no lock and owns no resource (memcpy, memcmp, XXH3 over the view).
//
// The mask: sigsetjmp(env, 0) does not save the signal mask — saving it would cost a sigprocmask
// system call on every guarded access. The kernel blocks SIGBUS (and sa_mask) while the handler
// runs, and siglongjmp without a saved mask leaves them blocked; a later SIGBUS on this thread would
// then kill the process (the kernel forces a blocked synchronous fault signal to its default action).
// So the handler records the mask the faulting code ran with (ucontext_t::uc_sigmask) and
// runGuarded() restores exactly that after landing: one pthread_sigmask, only on the fault path.
//
// Threads: a fault signal is delivered to the thread that faulted, and each thread sees only its own
// guard (thread-local). A SIGBUS sent with kill()/sigqueue() (si_code <= 0) is never taken for a
// fault, whatever thread receives it.
//
// Chaining: the handler that was installed before ours (read before ours goes in) gets every SIGBUS
// that is not ours, with the same arguments; when there was none (SIG_DFL, or SIG_IGN, which the
// kernel overrides for a fault anyway), the default action is restored and the handler returns, so
// the faulting instruction runs again and the process dies of SIGBUS with a core dump as it would
// have without us. Installed once and never removed: a handler that stays costs nothing, whereas
// removing it could race with another thread's guard. A library that installs its own SIGBUS handler
// later and does not chain would break the guard; sigbusGuardAvailable() checks once that ours is in
// place, and SHMSCOPE_COPY_METHOD (faultsafecopy.cpp) selects the kernel-copy methods instead.

namespace shmscope::detail {

namespace {

struct Guard {
    std::uintptr_t begin = 0; ///< guarded addresses: [begin, end)
    std::uintptr_t end = 0;
    sigjmp_buf jump;
    volatile std::uintptr_t faultAddress = 0; ///< written by the handler before it jumps
    sigset_t maskAtFault; ///< the mask the faulting code ran with (restored after landing)
    Guard* outer = nullptr; ///< the guard that was active on this thread before this one
};

__attribute__((tls_model("initial-exec"))) thread_local Guard* t_guard = nullptr;

struct sigaction g_previous; // the handler before ours; written once, before ours is installed

void chain(int signal, siginfo_t* info, void* context)
{
    if (g_previous.sa_flags & SA_SIGINFO) {
        g_previous.sa_sigaction(signal, info, context);
        return;
    }
    if (g_previous.sa_handler == SIG_IGN && info->si_code <= 0)
        return; // a SIGBUS sent by kill() to a process that ignores it: ignored, and our handler stays
    if (g_previous.sa_handler == SIG_DFL || g_previous.sa_handler == SIG_IGN) {
        // Nobody else wants it: back to the default action. For a fault (ignored or not, the kernel
        // cannot resume it), returning re-runs the faulting instruction, which now kills the process;
        // a SIGBUS sent by kill() is blocked while we run and is delivered with the default action
        // when we return.
        struct sigaction defaults = {};
        defaults.sa_handler = SIG_DFL;
        sigemptyset(&defaults.sa_mask);
        ::sigaction(SIGBUS, &defaults, nullptr);
        if (g_previous.sa_handler == SIG_DFL && info->si_code <= 0)
            ::raise(SIGBUS);
        return;
    }
    g_previous.sa_handler(signal);
}

void onSigbus(int signal, siginfo_t* info, void* context)
{
    Guard* guard = t_guard;
    const auto address = reinterpret_cast<std::uintptr_t>(info->si_addr);
    if (guard && info->si_code > 0 && address >= guard->begin && address < guard->end) {
        guard->faultAddress = address;
        guard->maskAtFault = static_cast<ucontext_t*>(context)->uc_sigmask;
        siglongjmp(guard->jump, 1);
    }
    chain(signal, info, context);
}

bool install()
{
    if (::sigaction(SIGBUS, nullptr, &g_previous) != 0)
        return false;
    struct sigaction ours = {};
    ours.sa_sigaction = &onSigbus;
    // The previous handler's mask and SA_NODEFER, so that a chained handler runs as it asked to;
    // SA_ONSTACK so that a program with an alternate signal stack keeps using it.
    ours.sa_mask = g_previous.sa_mask;
    ours.sa_flags = SA_SIGINFO | SA_ONSTACK | (g_previous.sa_flags & SA_NODEFER);
    if (::sigaction(SIGBUS, &ours, nullptr) != 0)
        return false;
    struct sigaction now = {};
    return ::sigaction(SIGBUS, nullptr, &now) == 0 && (now.sa_flags & SA_SIGINFO) && now.sa_sigaction == &onSigbus;
}

} // namespace

bool sigbusGuardAvailable()
{
    static const bool available = install();
    return available;
}

GuardFault runGuarded(const void* view, std::size_t length, void (*body)(void* context), void* context)
{
    Guard guard;
    guard.begin = reinterpret_cast<std::uintptr_t>(view);
    guard.end = guard.begin + length;
    guard.outer = t_guard;
    GuardFault result;
    if (sigsetjmp(guard.jump, 0) == 0) {
        t_guard = &guard;
        // The handler must see t_guard before the body touches the view, and the body's accesses
        // must not move past the reset below: compiler barriers (the signal runs on this thread).
        std::atomic_signal_fence(std::memory_order_seq_cst);
        body(context);
        std::atomic_signal_fence(std::memory_order_seq_cst);
        t_guard = guard.outer;
        return result;
    }
    // Landed from the handler: this guard is over; restore the outer one and the signal mask.
    t_guard = guard.outer;
    ::pthread_sigmask(SIG_SETMASK, &guard.maskAtFault, nullptr);
    result.faulted = true;
    result.address = guard.faultAddress;
    return result;
}

} // namespace shmscope::detail
