#pragma once

// A page-table walk split over threads (summarisePages(), core/pagemap.h). The kernel walks a range of
// /proc/PID/pagemap (reads or PAGEMAP_SCAN) under mmap_lock taken for reading, which any number of
// readers hold at once, so disjoint parts of a range are walked in parallel; each part is a run of
// whole page tables, so that no page table is read by two threads.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace shmscope::detail {

/// A run [first, last) of page numbers.
struct PageSpan {
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    friend bool operator==(const PageSpan&, const PageSpan&) = default;
};

/// Splits the pages [first, last) into at most `parts` consecutive spans of about equal length that
/// cover it exactly, with every inner boundary a multiple of `align` pages (virtual page numbers: the
/// pages one page table covers). Fewer spans when the range touches fewer than `parts` aligned blocks;
/// one span (the whole range, empty or not) when parts <= 1. `align` 0 is taken as 1.
std::vector<PageSpan> splitPages(std::uint64_t first, std::uint64_t last, unsigned parts, std::uint64_t align);

/// Calls work(i) for each i in [0, count), part 0 on the calling thread and each other part on a thread
/// of its own, and returns when all have returned. A part whose thread cannot be started (the
/// system's thread limit) runs on the calling thread instead. No exception leaves it; `work` must not
/// throw.
void runParts(std::size_t count, const std::function<void(std::size_t)>& work);

} // namespace shmscope::detail
