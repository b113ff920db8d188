// Splitting a page-table walk over threads (core/posix/walkparts.h): the spans cover the range exactly,
// in order, with inner boundaries on whole page tables, as evenly as whole tables allow; runParts runs
// every part once, the others on threads of their own. tst_pagemap checks that summaries walked in
// parts count the same as one walk, on real objects.

#include "core/posix/walkparts.h"

#include <algorithm>
#include <atomic>
#include <gtest/gtest.h>
#include <mutex>
#include <set>
#include <thread>

using namespace shmscope::detail;

namespace {

// The spans are contiguous, cover [first, last), and each inner boundary is a multiple of `align`.
void expectTiling(const std::vector<PageSpan>& spans, std::uint64_t first, std::uint64_t last, std::uint64_t align)
{
    ASSERT_FALSE(spans.empty());
    EXPECT_EQ(spans.front().first, first);
    EXPECT_EQ(spans.back().last, last);
    for (std::size_t i = 0; i < spans.size(); ++i) {
        EXPECT_LT(spans[i].first, spans[i].last) << "span " << i << " is empty";
        if (i + 1 < spans.size()) {
            EXPECT_EQ(spans[i].last, spans[i + 1].first) << "a gap or an overlap after span " << i;
            EXPECT_EQ(spans[i].last % align, 0u) << "boundary " << spans[i].last << " splits a page table";
        }
    }
}

TEST(WalkParts, OnePartIsTheWholeRange)
{
    EXPECT_EQ(splitPages(7, 9000, 1, 512), (std::vector<PageSpan> { { 7, 9000 } }));
    EXPECT_EQ(splitPages(7, 9000, 0, 512), (std::vector<PageSpan> { { 7, 9000 } }));
    EXPECT_EQ(splitPages(40, 40, 4, 512), (std::vector<PageSpan> { { 40, 40 } })) << "an empty range";
}

TEST(WalkParts, AlignedRangeSplitsEvenly)
{
    EXPECT_EQ(splitPages(1024, 1024 + 4 * 512, 4, 512),
              (std::vector<PageSpan> { { 1024, 1536 }, { 1536, 2048 }, { 2048, 2560 }, { 2560, 3072 } }));
    EXPECT_EQ(splitPages(0, 8 * 512, 2, 512), (std::vector<PageSpan> { { 0, 4 * 512 }, { 4 * 512, 8 * 512 } }));
}

// A range that starts and ends inside page tables and does not divide evenly: 1 + 9 + 1 tables touched
// (11) over 3 parts gives 4, 4 and 3 tables.
TEST(WalkParts, UnevenRangeKeepsWholeTables)
{
    const std::uint64_t first = 512 * 10 + 300;
    const std::uint64_t last = 512 * 20 + 17;
    const std::vector<PageSpan> spans = splitPages(first, last, 3, 512);
    expectTiling(spans, first, last, 512);
    EXPECT_EQ(spans, (std::vector<PageSpan> { { first, 512 * 14 }, { 512 * 14, 512 * 18 }, { 512 * 18, last } }));
    for (unsigned parts : { 2u, 3u, 4u, 5u, 7u, 16u }) {
        SCOPED_TRACE(parts);
        const std::vector<PageSpan> split = splitPages(first, last, parts, 512);
        expectTiling(split, first, last, 512);
        EXPECT_EQ(split.size(), std::min<std::size_t>(parts, 11));
    }
}

TEST(WalkParts, FewerTablesThanPartsGiveFewerSpans)
{
    // Inside one table: one span, however many parts are asked for.
    EXPECT_EQ(splitPages(520, 1000, 4, 512), (std::vector<PageSpan> { { 520, 1000 } }));
    // Across one boundary: two spans.
    EXPECT_EQ(splitPages(1000, 1100, 4, 512), (std::vector<PageSpan> { { 1000, 1024 }, { 1024, 1100 } }));
    // align 0 is 1: every page its own block.
    EXPECT_EQ(splitPages(3, 6, 8, 0), (std::vector<PageSpan> { { 3, 4 }, { 4, 5 }, { 5, 6 } }));
}

// Every part runs exactly once, part 0 on the calling thread and the others elsewhere.
TEST(WalkParts, RunPartsRunsEachPartOnceOnItsOwnThread)
{
    constexpr std::size_t kParts = 4;
    std::vector<std::atomic<int>> runs(kParts);
    std::mutex mutex;
    std::vector<std::thread::id> ids(kParts);
    runParts(kParts, [&](std::size_t i) {
        ++runs[i];
        std::lock_guard lock(mutex);
        ids[i] = std::this_thread::get_id();
    });
    for (std::size_t i = 0; i < kParts; ++i)
        EXPECT_EQ(runs[i].load(), 1) << "part " << i;
    EXPECT_EQ(ids[0], std::this_thread::get_id());
    EXPECT_EQ(std::set<std::thread::id>(ids.begin(), ids.end()).size(), kParts);

    int calls = 0;
    runParts(0, [&](std::size_t) { ++calls; });
    EXPECT_EQ(calls, 0);
}

} // namespace
