#pragma once

// The mapping card: per view of an object (core/pagemap.h ProcessView), what backs it and how much of
// it is resident, shared, private, dirty or swapped; and for a file, how much of it sits in the page
// cache, dirty or under writeback. Qt-free.
//
// Sources: the kernel's Documentation/filesystems/proc.rst ("/proc/PID/smaps": Rss, Pss,
// Shared_Clean/Dirty, Private_Clean/Dirty — "private" means mapped by exactly one process, "shared"
// more than once, independent of MAP_SHARED — Anonymous: "when MAP_PRIVATE and a page is modified,
// the file page is replaced by a private anonymous copy", Swap), and cachestat(2) (Linux 6.5+: cached,
// dirty, writeback, evicted and recently evicted pages of a file range). mincore(2) is never used: for
// a file the caller could not open for writing it reports every page resident (mm/mincore.c).

#include "core/error.h"
#include "core/pagemap.h"

#include <cstdint>
#include <string>

namespace shmscope {

class Mapping;

/// The smaps counters of one view, in bytes (smaps says kB: multiplied by 1024).
struct SmapsCounters {
    std::uint64_t size = 0; ///< the VMA's size
    std::uint64_t rss = 0; ///< resident: this view's present pages
    std::uint64_t pss = 0; ///< proportional: each page divided by the number of processes mapping it
    std::uint64_t sharedClean = 0; ///< resident pages mapped by other processes too, not written
    std::uint64_t sharedDirty = 0; ///< … written
    std::uint64_t privateClean = 0; ///< resident pages mapped only by this process, not written
    std::uint64_t privateDirty = 0; ///< … written
    std::uint64_t anonymous = 0; ///< private copies (copy-on-write pages this view wrote)
    std::uint64_t swap = 0; ///< private copies out in swap
    friend bool operator==(const SmapsCounters&, const SmapsCounters&) = default;
};

/// Reads the smaps block of `view` (/proc/PID/smaps, the block whose range is view.start-view.end).
/// Errors: PermissionDenied (another user's process without root: "pid N: Permission denied");
/// NotFound when the process exited or no longer has that VMA; Unsupported off Linux.
Result<SmapsCounters> readSmaps(const ProcessView& view);

/// What backs the object of `view`, in words: "tmpfs" (POSIX shared memory, /dev/shm), "System V",
/// or the file system type of a file ("ext4", "xfs", "overlay" — /proc/self/mountinfo's entry with
/// the file's device; "file system" when none matches). Windows: "pagefile" or "data file".
std::string backingOf(const ProcessView& view);

/// The page-cache state of a file's pages (cachestat(2)), in pages.
struct CacheState {
    std::uint64_t cached = 0; ///< in the page cache
    std::uint64_t dirty = 0; ///< written but not yet on disk
    std::uint64_t writeback = 0; ///< being written to disk now
    std::uint64_t evicted = 0; ///< were cached and were evicted
    std::uint64_t recentlyEvicted = 0; ///< evicted recently (would be in a larger cache)
};

/// cachestat(2) over the whole object of `mapping` (its descriptor; file: and posix: only). Errors:
/// Unsupported when the kernel has no cachestat ("not observable: cachestat needs Linux 6.5") or the
/// object has no descriptor (System V, Windows: "dirty pages are not observable without
/// administrator rights"); PermissionDenied when the kernel refuses it (cachestat needs write access
/// to the file or its ownership — it fails rather than guess).
Result<CacheState> cacheState(const Mapping& mapping);

/// Test switch: with `disabled` true, cacheState() behaves as on a kernel without cachestat (the
/// Unsupported "not observable" path), so that both paths are tested on a new kernel. Process-wide.
/// The environment variable SHMSCOPE_NO_CACHESTAT=1 sets it at start-up (for the CLI and GUI tests).
void setCachestatDisabledForTesting(bool disabled);

} // namespace shmscope
