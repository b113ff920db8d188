#pragma once

// Internal to shmscope_core: the one recording skeleton both backends' call wrappers share
// (core/posix/syscalls.cpp, core/win/wincalls.cpp). A wrapper names the native call and says how to
// describe it; journal::recorded() does the rest the same way for every call of either OS: when
// nobody listens, one relaxed atomic load and the plain call; when somebody listens, the clocks around
// the call, the OS's error kept across the recording, one raw row delivered to the listeners.

#include "core/journal.h"

#include <cstddef>
#include <cstdint>
#include <utility>

namespace shmscope::journal {

/// Makes the native call `call()` and, when somebody listens, records it: `describe(row, result,
/// error)` fills in a journal::Call's kind, name, arguments and raw result (raw values only: nothing
/// is formatted while recording, see Call::decode()) of the row newRow() gives; recorded() adds the
/// start time and duration (two clock reads: the wall time is derived, wallClockUsAt()) and records
/// the row (record()). `KeepError` saves the OS's error number after the call in a member
/// `saved` (passed to describe as `error`) and puts it back when it is destroyed, after the row was
/// delivered — errno (POSIX), GetLastError() (Windows). Returns what call() returned.
template<typename KeepError, typename NativeCall, typename Describe>
auto recorded(NativeCall&& call, Describe&& describe) -> decltype(call())
{
    if (!listening())
        return call();
    const std::uint64_t startNs = monotonicNs();
    auto result = call();
    const std::uint64_t endNs = monotonicNs();
    const KeepError keep;
    Call& row = newRow();
    row.timeUs = wallClockUsAt(startNs);
    row.durationNs = endNs - startNs;
    describe(row, std::as_const(result), keep.saved);
    record(row);
    return result;
}

/// What argsInto() returns: a describe function that takes it knows the row's arguments are in place.
struct ArgsPacked {
};

/// Packs `args` into `row.rawArgs` (empty in a row newRow() gave), where the row keeps them: no
/// ArgPack is built and then moved for each call, and nothing is allocated for four or fewer without
/// long strings.
template<typename... Args>
ArgsPacked argsInto(Call& row, const Args&... args)
{
    (row.rawArgs.add(args), ...);
    return {};
}

/// Records `length` bytes stored at `base + offset` of a view by the CPU, after they were stored: a
/// MemoryStore row `memcpy(base + offset, "bytes", length)` keeping the first 64 KiB of the bytes
/// (what "Copy as C program" replays). Nothing when nobody listens.
void recordStore(const void* base, std::uint64_t offset, const void* data, std::size_t length);

} // namespace shmscope::journal
