#pragma once

#include <cstddef>

namespace shmscope::detail {

/// How far a fault-safe copy got.
struct CopyOutcome {
    std::size_t copied = 0; ///< bytes copied before the copy stopped (all of them on success)
    int error = 0; ///< 0 on success; EFAULT when a page of the view is no longer backed (or not writable)
};

/// Copies `length` bytes from the mapped view at `view` into `out` without ever raising SIGBUS or
/// SIGSEGV for the view's pages: a page past the end of a truncated object stops the copy with
/// EFAULT. `out` must be ordinary memory of this process (at least `length` bytes).
CopyOutcome copyFromView(const void* view, void* out, std::size_t length);

/// Copies `length` bytes from `in` into the mapped view at `view`, as copyFromView(): a page that is
/// gone, read-only, or cannot be allocated because the backing store is full stops the copy with
/// EFAULT; the bytes before it have been written.
CopyOutcome copyToView(void* view, const void* in, std::size_t length);

} // namespace shmscope::detail
