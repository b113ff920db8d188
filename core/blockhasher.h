#pragma once

#include "core/error.h"
#include "core/mapping.h"
#include "core/scansource.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace shmscope {

/// Finding changes by block hashes, without a copy of the bytes: what the GUI's ChangeScanner
/// (widgets/changescanner.h) and the CLI's `watch` (app/cli/watcher.h) share. A source is cut into
/// blocks of blockSizeFor(size) bytes; a pass hashes every block in place (ScanSource::hash(), XXH3-64),
/// skipping holes (ScanSource::dataExtents()), and a block whose hash differs from the previous pass
/// changed. Memory: 8 bytes a block, at most kMaxBlocks blocks (8 MiB), whatever the source's size.
namespace blockhash {

/// The smallest block size, in bytes (64).
inline constexpr std::uint64_t kMinBlockSize = 64;
/// The largest block size while a source has at most kMaxBlocks of them (64 KiB: sources of 256 MiB
/// up to 64 GiB use it).
inline constexpr std::uint64_t kMaxBlockSize = std::uint64_t(64) << 10;
/// How many blocks blockSizeFor() aims at.
inline constexpr std::uint64_t kTargetBlocks = 4096;
/// The most blocks a source is cut into; sources over 64 GiB get blocks larger than kMaxBlockSize.
inline constexpr std::uint64_t kMaxBlocks = std::uint64_t(1) << 20;
/// How many extents one dataExtents() call of a BlockHasher asks for at most.
inline constexpr std::size_t kExtentsPerQuery = 1024;
/// The hash of a block that is all hole (never written: reads as zeros and has no pages).
inline constexpr std::uint64_t kHoleHash = 0x6a09e667f3bcc908ULL;

/// The block size for a source of `size` bytes: about kTargetBlocks blocks, a power of two within
/// [kMinBlockSize, kMaxBlockSize], and beyond 64 GiB a multiple of kMaxBlockSize so that there are at
/// most kMaxBlocks. (Why: the GUI's changes strip is a few hundred pixels tall, so 4096 blocks are
/// finer than its pixels, while a block stays large enough for hash()'s per-call cost not to matter.)
std::uint64_t blockSizeFor(std::uint64_t size);

/// The number of blocks of `blockSize` bytes (> 0) that cover `size` bytes (the last may be partial).
inline std::uint64_t blockCount(std::uint64_t size, std::uint64_t blockSize)
{
    return (size + blockSize - 1) / blockSize;
}

} // namespace blockhash

/// Hashes the blocks of a source in ascending order, skipping holes: keeps the data extents of the
/// part of the source ahead of the current block (asked blockhash::kExtentsPerQuery at a time, at
/// least 1 GiB of the source per query), so that a pass costs one dataExtents() call per window, not
/// one per block, and reads no hole (the kernel allocates nothing for them). Not thread-safe; the
/// source (not owned) must outlive it.
class BlockHasher
{
public:
    /// A hasher over the first `size` bytes of `source`, starting at offset 0.
    BlockHasher(const ScanSource& source, std::uint64_t size)
        : m_source(source)
        , m_size(size)
    { }

    /// The hash of the block [offset, offset + length): the data extents inside it, each hashed in
    /// place with the previous hash and its position within the block as the seed (the same bytes at
    /// another place hash differently); blockhash::kHoleHash when it is all hole. Blocks must be asked
    /// in ascending order (or after restartAt()). Errors: those of the source's dataExtents() and
    /// hash() (Vanished when the object shrank); call restartAt() before going on.
    Result<std::uint64_t> hashBlock(std::uint64_t offset, std::uint64_t length);

    /// Forgets the extents known (after a failure they may be stale) and goes on from `offset`.
    void restartAt(std::uint64_t offset);

    /// Bytes held for the extents list now (for tests of boundedness).
    std::uint64_t memoryBytes() const { return std::uint64_t(m_extents.capacity()) * sizeof(Extent); }

private:
    Status extentsUpTo(std::uint64_t end);

    const ScanSource& m_source;
    std::uint64_t m_size;
    std::vector<Extent> m_extents; // ascending, covering [.., m_known)
    std::size_t m_next = 0; // first extent that may reach the current block
    std::uint64_t m_known = 0; // the extents of [0, m_known) are known
};

} // namespace shmscope
