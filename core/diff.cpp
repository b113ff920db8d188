#include "core/diff.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>

namespace shmscope {

namespace {

// Bytes compared per step: both buffers stay in the L2 cache between reading and comparing.
constexpr std::size_t kStep = 256 * 1024;
// A step that differs is searched in blocks of this many bytes.
constexpr std::size_t kBlock = 4096;
// progress() is called every this many steps (16 MiB).
constexpr std::uint64_t kStepsPerProgress = 64;

std::uint64_t load64(const unsigned char* p)
{
    std::uint64_t value;
    std::memcpy(&value, p, sizeof value);
    return value;
}

} // namespace

Result<DiffSummary> diffSides(const DiffSide& a, const DiffSide& b, const DiffOptions& options,
                              const std::function<bool(const DiffRange&)>& onRange)
{
    DiffSummary summary;
    const std::uint64_t common = std::min(a.size, b.size);
    const std::uint64_t total = std::max(a.size, b.size);
    std::unique_ptr<unsigned char[]> bufferA(new unsigned char[kStep]);
    std::unique_ptr<unsigned char[]> bufferB(new unsigned char[kStep]);
    DataCursor cursorA(*a.source);
    DataCursor cursorB(*b.source);

    DiffRange open; // the run being collected (length 0: none)
    bool stopped = false;
    auto emitOpen = [&] {
        if (open.length == 0 || stopped)
            return;
        ++summary.ranges;
        summary.bytes += open.length;
        if (!onRange(open))
            stopped = true;
        open = DiffRange {};
    };
    // Adds the differing run of `length` bytes at `offset`, whose bytes are at `pa` / `pb`.
    auto addRun = [&](std::uint64_t offset, std::size_t length, const unsigned char* pa, const unsigned char* pb) {
        if (open.length != 0 && open.offset + open.length != offset)
            emitOpen();
        if (open.length == 0) {
            open.offset = offset;
            open.kind = DiffRange::Kind::Changed;
        }
        const std::size_t keep = std::min<std::size_t>(
            length, options.maxBytes > open.oldBytes.size() ? options.maxBytes - open.oldBytes.size() : 0);
        open.oldBytes.insert(open.oldBytes.end(), pa, pa + keep);
        open.newBytes.insert(open.newBytes.end(), pb, pb + keep);
        open.length += length;
    };

    std::uint64_t pos = 0;
    std::uint64_t steps = 0;
    while (pos < common && !stopped) {
        Result<std::uint64_t> nextA = cursorA.nextData(pos, common);
        if (!nextA)
            return nextA.error();
        Result<std::uint64_t> nextB = cursorB.nextData(pos, common);
        if (!nextB)
            return nextB.error();
        const std::uint64_t next = std::min(*nextA, *nextB);
        if (next > pos) { // holes on both sides: equal without reading
            emitOpen();
            pos = next;
            continue;
        }
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(kStep, common - pos));
        if (Status status = cursorA.read(pos, n, bufferA.get()); !status)
            return status.error();
        // B is compared where it lies (one copy instead of two: the copy costs more than the compare);
        // only a step that differs is copied to be searched.
        bool equal = false;
        std::optional<Result<bool>> inPlace = cursorB.equalsInPlace(pos, n, bufferA.get());
        if (inPlace) {
            if (!*inPlace)
                return inPlace->error();
            equal = **inPlace;
            // A step that differs is rebuilt in bufferB block by block: a block equal in place is
            // taken from bufferA (in the cache), only a differing one is copied from B.
            for (std::size_t k = 0; !equal && k < n; k += kBlock) {
                const std::size_t length = std::min(kBlock, n - k);
                Result<bool> same = cursorB.equalsInPlace(pos + k, length, bufferA.get() + k).value();
                if (!same)
                    return same.error();
                if (*same) {
                    std::memcpy(bufferB.get() + k, bufferA.get() + k, length);
                } else if (Status status = cursorB.read(pos + k, length, bufferB.get() + k); !status) {
                    return status.error();
                }
            }
        } else if (Status status = cursorB.read(pos, n, bufferB.get()); !status) {
            return status.error();
        }
        const unsigned char* pa = bufferA.get();
        const unsigned char* pb = bufferB.get();
        if (equal || std::memcmp(pa, pb, n) == 0) {
            emitOpen();
        } else {
            std::size_t i = 0;
            while (i < n && !stopped) {
                // Equal 4 KiB blocks by memcmp (vectorised), then 8-byte words, then bytes.
                while (i + kBlock <= n && std::memcmp(pa + i, pb + i, kBlock) == 0)
                    i += kBlock;
                while (i + 8 <= n && load64(pa + i) == load64(pb + i))
                    i += 8;
                while (i < n && pa[i] == pb[i])
                    ++i;
                if (i >= n)
                    break;
                const std::size_t start = i;
                while (i < n && pa[i] != pb[i])
                    ++i;
                addRun(pos + start, i - start, pa + start, pb + start);
            }
            if (i < n || pa[n - 1] == pb[n - 1])
                emitOpen(); // the run ended inside this step
        }
        pos += n;
        if (options.progress && ++steps % kStepsPerProgress == 0 && !options.progress(pos, total))
            stopped = true;
    }
    emitOpen();
    if (!stopped && total > common) {
        // The tail of the longer side: one range, with its first bytes.
        const bool aLonger = a.size > b.size;
        DiffRange tail;
        tail.offset = common;
        tail.length = total - common;
        tail.kind = aLonger ? DiffRange::Kind::OnlyInA : DiffRange::Kind::OnlyInB;
        const std::size_t keep = static_cast<std::size_t>(std::min<std::uint64_t>(tail.length, options.maxBytes));
        std::vector<std::uint8_t>& bytes = aLonger ? tail.oldBytes : tail.newBytes;
        bytes.resize(keep);
        if (keep > 0) {
            if (Status status = readSparse(aLonger ? *a.source : *b.source, common, bytes.data(), keep); !status)
                return status.error();
        }
        ++summary.ranges;
        summary.bytes += tail.length;
        if (!onRange(tail))
            stopped = true;
    }
    if (options.progress && !stopped)
        options.progress(total, total);
    summary.complete = !stopped;
    return summary;
}

} // namespace shmscope
