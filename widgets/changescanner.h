#pragma once

#include "core/blockhasher.h"

#include <QList>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QWaitCondition>
#include <atomic>
#include <memory>
#include <vector>

class QThread;

namespace shmscope {

class ByteSource;

/// Finds where in a whole ByteSource bytes changed, in a worker thread (a QThread), without blocking
/// the UI and with memory that does not grow with the source's size (the data behind the changes
/// overview strip beside HexView's scrollbar).
///
/// How (the core's BlockHasher, core/blockhasher.h, which `shmscope-cli watch` uses too): the source is cut
/// into blocks (blockSizeFor(): about kTargetBlocks blocks, at least
/// kMinBlockSize and at most kMaxBlockSize bytes each — more only so that there are at most
/// kMaxBlocks). A pass asks the source where its data is (ByteSource::dataExtents(), up to
/// kExtentsPerQuery extents at a time) and hashes the data of every block in place
/// (ByteSource::hash(): XXH3-64; MappingByteSource hashes over the mapped view without copying, other
/// sources copy kHashChunk bytes at a time), one 64-bit hash per block. Holes are not read at all — a
/// 64 GiB sparse object costs a few lseek calls a pass and the kernel allocates nothing for its holes;
/// a block that is all hole gets a fixed hash. A block whose hash differs from the previous pass is
/// reported as changed. The first pass after start, a source change or a size change only records
/// hashes. Memory: 8 bytes a block, at most kMaxBlocks * 8 bytes = 8 MiB, plus one extents list.
/// A change that leaves a block's hash equal (a 64-bit collision, about 2^-64 per changed block) or
/// that is undone before the next pass reads the block is not seen. A hole that becomes data (a page
/// was written, or merely allocated by a reader) counts as a change even if it still reads as zeros.
///
/// Why these block sizes: the strip is a few hundred pixels tall, and a change lights its whole block.
/// With the old fixed 64 KiB blocks a one-byte change in the 64 KiB demo object lit the whole strip;
/// with about 4096 blocks every source gets a resolution finer than the strip's pixels (64 KiB object:
/// 64-byte blocks, 1 MiB: 256 bytes, 256 MiB and more: 64 KiB), while a block stays large enough for
/// the per-call cost of hash() (about 50 ns) not to matter. Blocks are powers of two up to 64 KiB,
/// and multiples of 64 KiB beyond 64 GiB (at most kMaxBlocks blocks).
///
/// Thread safety: the worker calls only ByteSource::hash() and dataExtents() (MappingByteSource: the
/// core Mapping's are thread-safe; MemoryByteSource guards its storage with a mutex). size() is read in
/// the owning thread only (at setSource() and on ByteSource::sizeChanged) and handed to the worker. The
/// source must outlive the scanner or be detached first with setSource(nullptr), which waits for the
/// block in progress (a QObject::destroyed connection comes too late: the derived source is gone by then).
///
/// Results arrive as changesFound() in the thread that owns the scanner.
class ChangeScanner : public QObject
{
    Q_OBJECT
public:
    // The block geometry and the hashing are the core's (core/blockhasher.h), shared with `watch`.
    /// The smallest block size, in bytes (64).
    static constexpr quint64 kMinBlockSize = blockhash::kMinBlockSize;
    /// The largest block size while the source has at most kMaxBlocks of them (64 KiB: sources of 256 MiB
    /// up to 64 GiB use it).
    static constexpr quint64 kMaxBlockSize = blockhash::kMaxBlockSize;
    /// How many blocks blockSizeFor() aims at (the block size is the source's size / this, rounded up to a
    /// power of two, then clamped to [kMinBlockSize, kMaxBlockSize]).
    static constexpr quint64 kTargetBlocks = blockhash::kTargetBlocks;
    /// The most blocks a source is cut into (so hashes take at most 8 MiB); sources over 64 GiB get blocks
    /// larger than kMaxBlockSize (multiples of it).
    static constexpr quint64 kMaxBlocks = blockhash::kMaxBlocks;
    /// How many extents one ByteSource::dataExtents() call of the worker asks for at most.
    static constexpr int kExtentsPerQuery = int(blockhash::kExtentsPerQuery);

    /// One changed range: `length` bytes from `offset` (whole blocks, clipped to the source's size).
    struct Range {
        quint64 offset = 0;
        quint64 length = 0;
        friend bool operator==(const Range&, const Range&) = default;
    };

    /// A scanner without a source (the worker thread starts with the first setSource()).
    explicit ChangeScanner(QObject* parent = nullptr);
    /// Stops the worker and waits for it (at most one chunk read).
    ~ChangeScanner() override;

    /// Scans `source` (not owned; see the class comment) from now on; nullptr stops scanning. Waits for
    /// the worker to finish the read in progress, forgets all hashes and starts a baseline pass.
    void setSource(ByteSource* source);
    /// The source scanned, or nullptr.
    ByteSource* source() const { return m_source.data(); }

    /// Pauses (true) or resumes (false) scanning. A paused worker finishes at most the chunk it is
    /// reading, then reads nothing until resumed; the hashes are kept, so the first pass after resuming
    /// reports what changed during the pause. Emits pausedChanged() when the state changed.
    void setPaused(bool paused);
    /// True while paused.
    bool isPaused() const { return m_paused.load(); }

    /// Sets the pause between two passes in ms (default 200; minimum 0). A pass over a small source takes
    /// microseconds; over 64 GiB it takes seconds at memory speed, and the worker uses one core meanwhile.
    void setPassInterval(int ms);
    /// The pause between passes in ms.
    int passInterval() const { return m_passInterval.load(); }

    /// The block size in bytes for the current source (blockSizeFor(0) when there is none).
    quint64 blockSize() const { return m_blockSize.load(); }
    /// The number of completed passes since the last setSource() (the baseline pass included).
    quint64 passCount() const { return m_passCount.load(); }
    /// Bytes the scanner holds for hashes and its extents list now (for tests of boundedness).
    quint64 memoryBytes() const { return m_memoryBytes.load(); }

    /// Does what one pass of the worker does, in the calling thread: returns the block hashes of `size` bytes of
    /// `source` with `blockSize` blocks, holes skipped (empty when a hash or extents query fails). For the
    /// benchmark and tests (a pass without the thread's scheduling).
    static std::vector<quint64> hashBlocks(const ByteSource& source, quint64 size, quint64 blockSize);
    /// The block size used for a source of `size` bytes (see the class comment).
    static quint64 blockSizeFor(quint64 size);

Q_SIGNALS:
    /// Bytes in these ranges changed since the previous pass read them (ascending, merged). Emitted in
    /// the owning thread, at most about every 100 ms during a long pass and at the end of each pass.
    void changesFound(const QList<shmscope::ChangeScanner::Range>& ranges);
    /// A pass over the whole source finished (`passCount` as passCount()).
    void passFinished(quint64 passCount);
    /// setPaused() changed the state.
    void pausedChanged(bool paused);

private:
    void stopWorker();
    void startWorker();
    void run();
    void onSourceSizeChanged(quint64 newSize);
    void deliver(QList<Range> ranges);

    QPointer<ByteSource> m_source;
    ByteSource* m_workerSource = nullptr; // what the worker reads; only changed while it is stopped
    std::unique_ptr<QThread> m_thread;

    QMutex m_mutex; // with m_wake: pause, stop and the inter-pass sleep
    QWaitCondition m_wake;
    std::atomic<bool> m_stop { false };
    std::atomic<bool> m_paused { false };
    std::atomic<int> m_passInterval { 200 };
    std::atomic<quint64> m_size { 0 }; // the source's size as the owning thread last saw it
    std::atomic<quint64> m_sizeGeneration { 0 }; // bumped on every size change: the worker restarts its baseline
    std::atomic<quint64> m_blockSize { kMinBlockSize };
    std::atomic<quint64> m_passCount { 0 };
    std::atomic<quint64> m_memoryBytes { 0 };
};

} // namespace shmscope
