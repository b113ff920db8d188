#include "core/win/guardedcopy.h"

#include <cstring>
#include <mutex>
#include <windows.h>

namespace shmscope::detail {

namespace {

// What the handler needs to know about this thread's copy, and what it tells the copy back.
struct GuardState {
    volatile bool active = false; ///< a guarded copy is running on this thread
    std::uintptr_t begin = 0; ///< the view bytes being copied: [begin, end)
    std::uintptr_t end = 0;
    void* jump[5] = {}; ///< __builtin_setjmp buffer (5 words, as GCC documents)
    std::uint32_t exceptionCode = 0;
    std::int32_t ntStatus = 0;
    std::uintptr_t faultAddress = 0;
};

thread_local GuardState t_guard;

// Runs on the faulting thread after the handler returned EXCEPTION_CONTINUE_EXECUTION: the
// exception dispatch is over, so jumping back to the copy's frame is an ordinary non-local exit.
[[noreturn]] __attribute__((noinline)) void landAfterFault()
{
    __builtin_longjmp(t_guard.jump, 1);
}

LONG CALLBACK faultHandler(EXCEPTION_POINTERS* info)
{
    GuardState& guard = t_guard;
    if (!guard.active)
        return EXCEPTION_CONTINUE_SEARCH;
    const EXCEPTION_RECORD* record = info->ExceptionRecord;
    if (record->ExceptionCode != EXCEPTION_IN_PAGE_ERROR && record->ExceptionCode != EXCEPTION_ACCESS_VIOLATION)
        return EXCEPTION_CONTINUE_SEARCH;
    if (record->NumberParameters < 2)
        return EXCEPTION_CONTINUE_SEARCH;
    // ExceptionInformation[1] is the inaccessible address; [2] the NTSTATUS of an in-page error.
    const std::uintptr_t address = record->ExceptionInformation[1];
    if (address < guard.begin || address >= guard.end)
        return EXCEPTION_CONTINUE_SEARCH; // not the view: the caller's buffer, or another bug
    guard.active = false;
    guard.exceptionCode = record->ExceptionCode;
    guard.faultAddress = address;
    guard.ntStatus = record->ExceptionCode == EXCEPTION_IN_PAGE_ERROR && record->NumberParameters >= 3
        ? static_cast<std::int32_t>(record->ExceptionInformation[2])
        : 0;

    // Resume in landAfterFault() as if it had been called: below the faulting frame's stack, with the
    // ABI's alignment at a call (rsp ≡ 8 mod 16 at entry).
    CONTEXT* context = info->ContextRecord;
#if defined(__x86_64__)
    context->Rsp = ((context->Rsp - 512) & ~static_cast<DWORD64>(15)) - 8;
    context->Rip = reinterpret_cast<DWORD64>(&landAfterFault);
#elif defined(__i386__)
    context->Esp = ((context->Esp - 512) & ~static_cast<DWORD>(15)) - 4;
    context->Eip = reinterpret_cast<DWORD>(&landAfterFault);
#else
#error "guardedcopy.cpp: only x86 and x86-64 are supported"
#endif
    return EXCEPTION_CONTINUE_EXECUTION;
}

void installHandlerOnce()
{
    static std::once_flag once;
    // First in the chain: a fault inside a guarded copy is ours before any other handler sees it.
    // Never removed: the handler is a no-op for threads that are not copying.
    std::call_once(once, [] { ::AddVectoredExceptionHandler(1, &faultHandler); });
}

std::size_t pageSize()
{
    static const std::size_t size = [] {
        SYSTEM_INFO info;
        ::GetSystemInfo(&info);
        return static_cast<std::size_t>(info.dwPageSize);
    }();
    return size;
}

} // namespace

GuardedOutcome guardedCopy(void* destination, const void* source, std::size_t length, bool viewIsSource)
{
    installHandlerOnce();
    const std::size_t page = pageSize();
    GuardState& guard = t_guard;
    const std::uintptr_t view = reinterpret_cast<std::uintptr_t>(viewIsSource ? source : destination);
    guard.begin = view;
    guard.end = view + length;
    guard.exceptionCode = 0;
    guard.ntStatus = 0;
    // Read again after the jump back: it must live in memory, not in a register.
    volatile std::size_t copied = 0;

    if (__builtin_setjmp(guard.jump) == 0) {
        guard.active = true;
        // Page by page, so that `copied` tells which page failed.
        while (copied < length) {
            const std::size_t done = copied;
            const std::size_t toBoundary = page - ((view + done) % page);
            const std::size_t chunk = length - done < toBoundary ? length - done : toBoundary;
            std::memcpy(static_cast<char*>(destination) + done, static_cast<const char*>(source) + done, chunk);
            copied = done + chunk;
        }
        guard.active = false;
        GuardedOutcome outcome;
        outcome.copied = length;
        return outcome;
    }
    // Landed here from the handler.
    guard.active = false;
    GuardedOutcome outcome;
    outcome.copied = copied;
    outcome.exceptionCode = guard.exceptionCode;
    outcome.ntStatus = guard.ntStatus;
    outcome.faultOffset = guard.faultAddress - view;
    return outcome;
}

GuardedOutcome guardedRun(const void* view, std::size_t length, void (*body)(void* context), void* context)
{
    installHandlerOnce();
    GuardState& guard = t_guard;
    const std::uintptr_t begin = reinterpret_cast<std::uintptr_t>(view);
    guard.begin = begin;
    guard.end = begin + length;
    guard.exceptionCode = 0;
    guard.ntStatus = 0;
    if (__builtin_setjmp(guard.jump) == 0) {
        guard.active = true;
        body(context);
        guard.active = false;
        GuardedOutcome outcome;
        outcome.copied = length;
        return outcome;
    }
    // Landed here from the handler. Locals may not have survived the jump in registers: the range
    // is read back from the thread's guard state, which lives in memory.
    guard.active = false;
    const std::uintptr_t viewBegin = guard.begin;
    const std::size_t viewLength = static_cast<std::size_t>(guard.end - guard.begin);
    GuardedOutcome outcome;
    outcome.exceptionCode = guard.exceptionCode;
    outcome.ntStatus = guard.ntStatus;
    outcome.faultOffset = guard.faultAddress - viewBegin;
    // Pages fail whole: the first byte lost is the start of the faulting page (or the view's first).
    const std::size_t page = pageSize();
    const std::uintptr_t pageStart = guard.faultAddress - guard.faultAddress % page;
    outcome.copied = pageStart <= viewBegin ? 0 : static_cast<std::size_t>(pageStart - viewBegin);
    if (outcome.copied > viewLength)
        outcome.copied = viewLength;
    return outcome;
}

} // namespace shmscope::detail
