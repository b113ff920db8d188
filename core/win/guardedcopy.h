#pragma once

// Internal to the Windows backend: memcpy to or from a mapped view that survives the view's pages
// going bad (EXCEPTION_IN_PAGE_ERROR on a file-backed view whose file cannot be read, an access
// violation on a page that is not accessible) and reports it instead of crashing.

#include <cstddef>
#include <cstdint>

namespace shmscope::detail {

/// How far a guarded copy got.
struct GuardedOutcome {
    std::size_t copied
        = 0; ///< bytes copied before the fault (all of them on success); a page multiple from the view's start
    std::uint32_t exceptionCode = 0; ///< 0 on success; EXCEPTION_IN_PAGE_ERROR or EXCEPTION_ACCESS_VIOLATION
    std::int32_t ntStatus = 0; ///< for EXCEPTION_IN_PAGE_ERROR: the NTSTATUS of the failed page-in
    std::uint64_t faultOffset = 0; ///< offset from the view side's start of the address that faulted
};

/// Copies `length` bytes from `source` to `destination`. Exactly one of them is the mapped view
/// (`viewIsSource` says which); only faults on the view's bytes are caught — a fault on the other
/// buffer is the caller's bug and crashes as usual. Mechanism: a vectored exception handler
/// (AddVectoredExceptionHandler; mingw's GCC has no __try/__except) that, for a fault inside the
/// range this thread is copying, resumes the thread at a landing point that __builtin_longjmp()s
/// back here. Thread-safe; not reentrant from within the handler.
GuardedOutcome guardedCopy(void* destination, const void* source, std::size_t length, bool viewIsSource);

/// Runs `body(context)` with the faults on the view bytes [view, view + length) caught by the same
/// handler as guardedCopy(): a fault there abandons the body at once (no destructor of its frames
/// runs, so it must own nothing and take no lock: memcpy, memcmp, hashing) and is reported with
/// `copied` = the bytes before the faulting page and `faultOffset` = the faulting address - view.
/// For the operations that touch the view in one pass (exchange, compare-exchange, hash in place).
GuardedOutcome guardedRun(const void* view, std::size_t length, void (*body)(void* context), void* context);

} // namespace shmscope::detail
