#pragma once

// The page map: what state each page of a view of an object is in, in this process or in another
// process that maps the object. Qt-free; both backends (Linux /proc, Windows VirtualQuery +
// QueryWorkingSetEx: core/win/pagemap.cpp, see docs/windows.md for what Wine lacks).
//
// Linux sources: the kernel's Documentation/admin-guide/mm/pagemap.rst (the 64-bit entry per page of
// /proc/PID/pagemap: bit 63 present, 62 swapped, 61 "page is file-page or shared-anon", 56 "page
// exclusively mapped", 55 soft-dirty, 0-54 the PFN, zero without CAP_SYS_ADMIN and not used here; and
// the PAGEMAP_SCAN ioctl, Linux 6.7+), Documentation/admin-guide/mm/soft-dirty.rst, and the commit that
// added bit 56 (77bb499bb60f, Linux 4.2), whose truth table this file follows: "CoWed pages in
// MAP_FILE|MAP_PRIVATE areas are anon in this context", so a copy-on-write copy is a present page with
// bit 61 clear. Shared memory (tmpfs, System V) pages are not anonymous: bit 61 is set for them.

#include "core/error.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace shmscope {

class Mapping;

/// The state of one page of a view.
enum class PageState : std::uint8_t {
    NotPresent, ///< not in this process's page table (never touched here, or dropped): pagemap bit 63 and 62 clear
    Shared, ///< present, the object's own page, mapped by another view or process too (bit 61 set, bit 56 clear)
    Exclusive, ///< present, the object's own page, mapped only by this view (bit 61 set, bit 56 set)
    /// present, an anonymous page: in a copy-on-write (MAP_PRIVATE) view the private copy this view made
    /// when it wrote the page, no longer the object's page (bit 61 clear)
    PrivateCopy,
    Swapped, ///< a private copy written out to swap (bit 62 set); the object's own pages go to swap with the object
};

/// "not present", "shared", "exclusive", "private copy", "swapped": the words the CLI and JSON use.
std::string_view pageStateName(PageState state);

/// One page: its state and whether this process wrote it since the last soft-dirty reset.
struct PageInfo {
    PageState state = PageState::NotPresent;
    bool softDirty = false; ///< pagemap bit 55; always false where PageMap::softDirtyKnown is false
    friend bool operator==(const PageInfo&, const PageInfo&) = default;
};

/// One mapping of an object in one process: a VMA of /proc/PID/maps whose device and inode are the
/// object's (Windows: this process's own view only).
struct ProcessView {
    int pid = 0; ///< the process
    bool self = false; ///< pid is this process
    bool thisView = false; ///< the view of the Mapping asked about (self, and at its address)
    std::string command; ///< the process's name (/proc/PID/comm), empty when unknown
    std::uint64_t start = 0; ///< first virtual address of the view in that process
    std::uint64_t end = 0; ///< one past its last address
    std::string perms; ///< "rw-s" (shared) or "rw-p" (private, copy-on-write), as /proc/PID/maps says
    std::uint64_t objectOffset = 0; ///< the object's byte at `start` (the maps offset field)
    std::uint64_t device = 0; ///< st_dev of the object (System V: the shm file system's)
    std::uint64_t inode = 0; ///< st_ino of the object (System V: the shmid)
    std::string path; ///< the maps path ("/dev/shm/x", "/SYSV0000002a (deleted)", a file path)

    /// The view's length in bytes (end - start).
    std::uint64_t length() const { return end - start; }
};

/// The page states of a range of a view, one PageInfo per page.
struct PageMap {
    std::uint64_t pageSize = 0; ///< bytes per page (the system's base page size)
    std::uint64_t firstPage = 0; ///< the object's page index of pages[0] (object offset / pageSize)
    std::vector<PageInfo> pages; ///< ascending
    bool softDirtyKnown = false; ///< the kernel tracks soft-dirty (CONFIG_MEM_SOFT_DIRTY); else softDirty is false
};

/// How many pages of a range are in which state: the whole-object overview. Counts pages; shared and
/// exclusive pages are counted together as `present` (PAGEMAP_SCAN cannot tell them apart, and the
/// summary must say the same on both paths); PageMap tells them apart page by page.
struct PageSummary {
    std::uint64_t pageSize = 0; ///< bytes per page
    std::uint64_t pages = 0; ///< pages in the range
    std::uint64_t present = 0; ///< the object's own pages present in this view (PageState Shared + Exclusive)
    std::uint64_t privateCopies = 0; ///< PageState::PrivateCopy
    std::uint64_t swapped = 0; ///< PageState::Swapped
    std::uint64_t softDirty = 0; ///< pages with the soft-dirty bit (0 where softDirtyKnown is false)
    bool softDirtyKnown = false; ///< as PageMap::softDirtyKnown
    bool usedScan = false; ///< true when the PAGEMAP_SCAN ioctl produced it, false for pagemap reads
    std::uint32_t threads = 1; ///< how many threads walked disjoint parts of the range at once (Windows: 1)
    /// Pages neither present nor swapped.
    std::uint64_t notPresent() const { return pages - present - privateCopies - swapped; }
    friend bool operator==(const PageSummary&, const PageSummary&) = default;
};

/// Which kernel interface summarisePages() uses.
enum class ScanMethod {
    /// PAGEMAP_SCAN where the kernel has it (Linux 6.7+; detected at run time), else pagemap reads. The
    /// environment variable SHMSCOPE_PAGEMAP_METHOD=read forces the reads (how the tests run the
    /// fallback path through the CLI and the GUI).
    Auto,
    Scan, ///< PAGEMAP_SCAN only: Unsupported where the kernel lacks it
    Read, ///< 8-byte pagemap entries read in chunks of 64 Ki pages (512 KiB of buffer), as on Linux 6.1
};

/// What the running kernel offers, detected once at the first call (thread-safe).
struct PageMapFeatures {
    bool pagemap = false; ///< /proc/self/pagemap readable (Linux); on Windows: QueryWorkingSetEx works
    bool pagemapScan = false; ///< the PAGEMAP_SCAN ioctl answers (Linux 6.7+)
    /// The kernel sets soft-dirty bits (CONFIG_MEM_SOFT_DIRTY): probed by writing a fresh anonymous
    /// page, which a soft-dirty kernel marks (soft-dirty.rst: new pages are soft-dirty)
    bool softDirty = false;
    bool cachestat = false; ///< the cachestat(2) system call exists (Linux 6.5+)
};

/// The features of this kernel (see PageMapFeatures).
const PageMapFeatures& pageMapFeatures();

/// The view of `mapping` in this process as a ProcessView (its VMA in /proc/self/maps, found at the
/// view's address; Windows: VirtualQuery). Errors: InvalidArgument for an empty view (nothing mapped);
/// Unsupported where the backend cannot say where its view is; the OS error reading /proc/self/maps.
Result<ProcessView> ownView(const Mapping& mapping);

/// Every view of the object of `mapping` in every process this one may inspect.
struct ObjectViews {
    std::vector<ProcessView> views; ///< by pid, then address; this process's views included
    /// Processes whose /proc/PID/maps could not be read (another user's, or not dumpable, without
    /// root): they may map the object too. Never taken to mean "none".
    std::uint32_t uninspected = 0;
    std::vector<int> uninspectedPids; ///< their pids, ascending
    /// False where other processes cannot be searched at all (Windows: only this process's view is
    /// listed; whether others map the object is unknown, never "none").
    bool othersSearched = true;
};

/// Finds the views of the object `mapping` shows: the VMAs with the object's device and inode in every
/// /proc/PID/maps this process may read (Linux; Windows: this process's view only, peers uninspected).
/// Errors: as ownView().
Result<ObjectViews> findObjectViews(const Mapping& mapping);

/// The views of the object in process `pid` (same matching as findObjectViews). Errors:
/// PermissionDenied when its maps may not be read ("pages pid N: Permission denied (EACCES)"),
/// NotFound when there is no such process or it maps no part of the object.
Result<std::vector<ProcessView>> processViews(const Mapping& mapping, int pid);

/// The page states of the object's bytes [offset, offset + length) in `view` (rounded out to whole
/// pages), from /proc/PID/pagemap (8 bytes read per page). For the visible part of a view: exact per
/// page. Errors: OutOfRange when the range is not inside the part of the object `view` maps (object
/// offsets view.objectOffset to + view.length()); PermissionDenied when the process may not be
/// inspected; NotFound when it exited; Unsupported off Linux for other processes.
Result<PageMap> readPages(const ProcessView& view, std::uint64_t offset, std::uint64_t length);

/// readPages() for this process's view of `mapping`, while remap() cannot move the view (offsets are
/// the object's, which are the view's). Errors: as readPages(); OutOfRange past size().
Result<PageMap> readPages(const Mapping& mapping, std::uint64_t offset, std::uint64_t length);

/// Counts the page states of [offset, offset + length) in `view` without keeping a state per page, so
/// that a 64 GiB sparse object is summarised in bounded memory: PAGEMAP_SCAN returns only the runs of
/// present or swapped pages; the fallback reads the entries in 64 Ki-page chunks (512 KiB per thread).
/// `threads`: how many threads walk disjoint parts of the range at once, each part a run of whole
/// page tables (the kernel walks them under mmap_lock taken for reading, which readers share); 0
/// chooses min(hardware threads, 4) for ranges of 1 GiB of pages or more, else 1; at most 16, and at
/// most one per page table the range touches (PageSummary::threads says how many were used). The
/// counts do not depend on it. Errors: as readPages(); Unsupported for ScanMethod::Scan on a kernel
/// without PAGEMAP_SCAN; the first part's error where several fail.
/// Cost: the kernel's look at every entry of every page table the range has, in both methods — for
/// 64 GiB with 1 % of the pages spread evenly, all 16.7 million entries (128 MiB of page tables); the
/// scan of a shared view skips the per-page struct page lookup (PAGE_IS_FILE) that only a private view
/// needs. pagemap_bench `pagemap_64g_ms` on the project's 2-core virtual machine: 14-17 ms with the
/// second core free, 23-28 ms with one (39-43 ms before the split and the skipped lookup), clustered
/// 3-6 ms; the reads 33-39 ms on two cores, 54-63 ms on one (every entry is read; clustered 21-57 ms).
/// Every alternative side by side, and why none is faster: core/README.md ("The page map's
/// whole-object summary").
Result<PageSummary> summarisePages(const ProcessView& view, std::uint64_t offset, std::uint64_t length,
                                   ScanMethod method = ScanMethod::Auto, unsigned threads = 0);

/// summarisePages() for this process's view of `mapping` (the whole view with offset 0, length size()).
Result<PageSummary> summarisePages(const Mapping& mapping, std::uint64_t offset, std::uint64_t length,
                                   ScanMethod method = ScanMethod::Auto, unsigned threads = 0);

/// Clears the soft-dirty bits of every page of process `pid` (writes "4" to /proc/PID/clear_refs,
/// soft-dirty.rst), so that bit 55 then marks the pages it writes from now on. It affects the whole
/// process, not one view. Errors: Unsupported where the kernel has no soft-dirty tracking
/// (pageMapFeatures().softDirty false); PermissionDenied; NotFound.
Status resetSoftDirty(int pid);

} // namespace shmscope
