#include "core/blockhasher.h"

#include <algorithm>

namespace shmscope {

namespace {

// At least this much of the source is examined per dataExtents() call (when it has few extents).
constexpr std::uint64_t kExtentWindow = std::uint64_t(1) << 30;

} // namespace

std::uint64_t blockhash::blockSizeFor(std::uint64_t size)
{
    // About kTargetBlocks blocks, a power of two within [kMinBlockSize, kMaxBlockSize] ...
    const std::uint64_t wanted = (size + kTargetBlocks - 1) / kTargetBlocks;
    std::uint64_t block = kMinBlockSize;
    while (block < wanted && block < kMaxBlockSize)
        block *= 2;
    // ... and beyond 64 GiB a multiple of kMaxBlockSize, so that there are at most kMaxBlocks.
    const std::uint64_t needed = (size + kMaxBlocks - 1) / kMaxBlocks;
    if (needed > block)
        block = (needed + kMaxBlockSize - 1) / kMaxBlockSize * kMaxBlockSize;
    return block;
}

Result<std::uint64_t> BlockHasher::hashBlock(std::uint64_t offset, std::uint64_t length)
{
    const std::uint64_t end = offset + length;
    if (Status known = extentsUpTo(end); !known)
        return known.error();
    while (m_next < m_extents.size() && m_extents[m_next].offset + m_extents[m_next].length <= offset)
        ++m_next;
    std::uint64_t h = blockhash::kHoleHash;
    for (std::size_t i = m_next; i < m_extents.size() && m_extents[i].offset < end; ++i) {
        const std::uint64_t from = std::max(m_extents[i].offset, offset);
        const std::uint64_t to = std::min(m_extents[i].offset + m_extents[i].length, end);
        Result<std::uint64_t> hashed = m_source.hash(from, to - from, h ^ ((from - offset) * 0x9e3779b97f4a7c15ULL));
        if (!hashed)
            return hashed.error();
        h = *hashed;
    }
    return h;
}

void BlockHasher::restartAt(std::uint64_t offset)
{
    m_extents.clear();
    m_next = 0;
    m_known = offset;
}

Status BlockHasher::extentsUpTo(std::uint64_t end)
{
    while (m_known < end) {
        // Drop what lies behind the current block, then ask for the next window.
        m_extents.erase(m_extents.begin(), m_extents.begin() + static_cast<std::ptrdiff_t>(m_next));
        m_next = 0;
        const std::uint64_t want = std::min(m_size - m_known, std::max(kExtentWindow, end - m_known));
        Result<std::vector<Extent>> more = m_source.dataExtents(m_known, want, blockhash::kExtentsPerQuery);
        if (!more)
            return more.error();
        m_extents.insert(m_extents.end(), more->begin(), more->end());
        // A full answer may stop early: what follows its last extent is not known yet.
        m_known
            = more->size() >= blockhash::kExtentsPerQuery ? more->back().offset + more->back().length : m_known + want;
    }
    return {};
}

} // namespace shmscope
