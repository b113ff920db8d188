// Splitting a page-table walk over threads (core/posix/walkparts.h).

#include "core/posix/walkparts.h"

#include <algorithm>
#include <system_error>
#include <thread>

namespace shmscope::detail {

std::vector<PageSpan> splitPages(std::uint64_t first, std::uint64_t last, unsigned parts, std::uint64_t align)
{
    if (align == 0)
        align = 1;
    std::vector<PageSpan> spans;
    if (parts <= 1 || last <= first) {
        spans.push_back(PageSpan { first, last });
        return spans;
    }
    // The aligned blocks the range touches: [firstBlock, lastBlock). The boundaries are the starts of
    // blocks, shared out as evenly as whole blocks allow (the remainder spread one block each over
    // the first spans).
    const std::uint64_t firstBlock = first / align;
    const std::uint64_t lastBlock = (last - 1) / align + 1;
    const std::uint64_t blocks = lastBlock - firstBlock;
    const std::uint64_t count = std::min<std::uint64_t>(parts, blocks);
    std::uint64_t start = first;
    std::uint64_t block = firstBlock;
    for (std::uint64_t i = 0; i < count; ++i) {
        block += blocks / count + (i < blocks % count ? 1 : 0);
        const std::uint64_t end = i + 1 == count ? last : block * align;
        spans.push_back(PageSpan { start, end });
        start = end;
    }
    return spans;
}

void runParts(std::size_t count, const std::function<void(std::size_t)>& work)
{
    std::vector<std::thread> threads;
    std::vector<std::size_t> notStarted;
    threads.reserve(count > 0 ? count - 1 : 0);
    for (std::size_t i = 1; i < count; ++i) {
        try {
            threads.emplace_back(work, i);
        } catch (const std::system_error&) {
            notStarted.push_back(i);
        }
    }
    if (count > 0)
        work(0);
    for (std::size_t i : notStarted)
        work(i);
    for (std::thread& thread : threads)
        thread.join();
}

} // namespace shmscope::detail
