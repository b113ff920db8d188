#include "widgets/changescanner.h"

#include "core/blockhasher.h"
#include "widgets/bytesource.h"
#include "widgets/bytesourcescan.h"

#include <QElapsedTimer>
#include <QMutexLocker>
#include <QThread>
#include <algorithm>

namespace shmscope {

namespace {

// The hash recorded for a block that could not be read (the object shrank under the worker). Any
// value works: a later readable block hashes differently with overwhelming probability, and that
// change is real (the block came back).
constexpr quint64 kUnreadableHash = 0x9e3779b97f4a7c15ULL;
// Changes found during a long pass are handed over at most this often (ms), so the strip lights up
// while a 64 GiB pass is still running, without flooding the owning thread's event queue.
constexpr qint64 kDeliverEveryMs = 100;

// Appends [offset, offset+length) to `ranges`, merging it with the last range when they touch (blocks
// are visited in ascending order, so this keeps the list ascending and merged).
void appendRange(QList<ChangeScanner::Range>& ranges, quint64 offset, quint64 length)
{
    if (!ranges.isEmpty() && ranges.last().offset + ranges.last().length == offset)
        ranges.last().length += length;
    else
        ranges.append({ offset, length });
}

} // namespace

ChangeScanner::ChangeScanner(QObject* parent)
    : QObject(parent)
{ }

ChangeScanner::~ChangeScanner()
{
    stopWorker();
}

quint64 ChangeScanner::blockSizeFor(quint64 size)
{
    return blockhash::blockSizeFor(size);
}

std::vector<quint64> ChangeScanner::hashBlocks(const ByteSource& source, quint64 size, quint64 blockSize)
{
    std::vector<quint64> hashes;
    if (blockSize == 0)
        return hashes;
    hashes.resize(size_t(blockhash::blockCount(size, blockSize)));
    const ByteSourceScan scan(source);
    BlockHasher hasher(scan, size);
    for (size_t b = 0; b < hashes.size(); ++b) {
        const quint64 offset = quint64(b) * blockSize;
        Result<std::uint64_t> hash = hasher.hashBlock(offset, std::min(blockSize, size - offset));
        if (!hash)
            return {};
        hashes[b] = *hash;
    }
    return hashes;
}

void ChangeScanner::setSource(ByteSource* source)
{
    stopWorker();
    if (m_source)
        disconnect(m_source, nullptr, this, nullptr);
    m_source = source;
    m_workerSource = source;
    m_passCount = 0;
    m_size = source ? source->size() : 0;
    m_blockSize = blockSizeFor(m_size.load());
    ++m_sizeGeneration;
    if (source) {
        connect(source, &ByteSource::sizeChanged, this, &ChangeScanner::onSourceSizeChanged);
        startWorker();
    }
}

void ChangeScanner::setPaused(bool paused)
{
    {
        QMutexLocker lock(&m_mutex);
        if (m_paused.load() == paused)
            return;
        m_paused = paused;
        m_wake.wakeAll();
    }
    Q_EMIT pausedChanged(paused);
}

void ChangeScanner::setPassInterval(int ms)
{
    QMutexLocker lock(&m_mutex);
    m_passInterval = std::max(0, ms);
    m_wake.wakeAll();
}

void ChangeScanner::onSourceSizeChanged(quint64 newSize)
{
    QMutexLocker lock(&m_mutex);
    m_size = newSize;
    ++m_sizeGeneration; // the worker drops its hashes and takes a new baseline
    m_wake.wakeAll();
}

void ChangeScanner::stopWorker()
{
    if (!m_thread)
        return;
    {
        QMutexLocker lock(&m_mutex);
        m_stop = true;
        m_wake.wakeAll();
    }
    m_thread->wait();
    m_thread.reset();
    m_memoryBytes = 0;
    // Results already queued by the stopped worker are dropped: deliver() checks the thread it came from.
}

void ChangeScanner::startWorker()
{
    m_stop = false;
    m_thread.reset(QThread::create([this] { run(); }));
    m_thread->setObjectName(QStringLiteral("ChangeScanner"));
    // Below the UI thread: the scan is background work and must never make the UI stutter.
    m_thread->start(QThread::LowPriority);
}

void ChangeScanner::deliver(QList<Range> ranges)
{
    QThread* from = QThread::currentThread();
    QMetaObject::invokeMethod(
        this,
        [this, from, ranges = std::move(ranges)] {
            if (m_thread && m_thread.get() == from) // not from a worker stopped since
                Q_EMIT changesFound(ranges);
        },
        Qt::QueuedConnection);
}

void ChangeScanner::run()
{
    const ByteSource* source = m_workerSource;
    std::vector<quint64> hashes;
    quint64 generation = ~quint64(0);
    quint64 size = 0;
    quint64 blockSize = kMinBlockSize;
    bool baseline = true;
    QList<Range> pending;
    QElapsedTimer sinceDelivery;
    sinceDelivery.start();

    // Waits while paused; false when the worker must stop.
    const auto waitWhilePaused = [this] {
        QMutexLocker lock(&m_mutex);
        while (!m_stop && m_paused.load())
            m_wake.wait(&m_mutex);
        return !m_stop;
    };

    for (;;) {
        if (!waitWhilePaused())
            return;
        if (m_sizeGeneration.load() != generation) {
            QMutexLocker lock(&m_mutex);
            generation = m_sizeGeneration.load();
            size = m_size.load();
            blockSize = blockSizeFor(size);
            m_blockSize = blockSize;
            hashes.assign(size_t((size + blockSize - 1) / blockSize), 0);
            hashes.shrink_to_fit(); // a shrunk source gives its memory back
            m_memoryBytes = quint64(hashes.capacity() * sizeof(quint64));
            baseline = true;
            pending.clear();
        }

        bool restart = false;
        const ByteSourceScan scan(*source);
        BlockHasher hasher(scan, size); // a pass asks the source afresh where its data is
        for (size_t b = 0; b < hashes.size(); ++b) {
            if (m_paused.load() && !waitWhilePaused())
                return;
            if (m_stop.load())
                return;
            if (m_sizeGeneration.load() != generation) {
                restart = true;
                break;
            }
            const quint64 offset = quint64(b) * blockSize;
            quint64 hash = kUnreadableHash;
            if (Result<std::uint64_t> hashed = hasher.hashBlock(offset, std::min(blockSize, size - offset)); hashed)
                hash = *hashed;
            else
                hasher.restartAt(offset + std::min(blockSize, size - offset));
            m_memoryBytes = quint64(hashes.capacity() * sizeof(quint64)) + hasher.memoryBytes();
            if (!baseline && hash != hashes[b])
                appendRange(pending, offset, std::min(blockSize, size - offset));
            hashes[b] = hash;
            if (!pending.isEmpty() && sinceDelivery.elapsed() >= kDeliverEveryMs) {
                deliver(std::exchange(pending, {}));
                sinceDelivery.restart();
            }
        }
        if (restart)
            continue;
        if (!pending.isEmpty())
            deliver(std::exchange(pending, {}));
        sinceDelivery.restart();
        baseline = false;
        const quint64 passes = ++m_passCount;
        QThread* from = QThread::currentThread();
        QMetaObject::invokeMethod(
            this,
            [this, from, passes] {
                if (m_thread && m_thread.get() == from)
                    Q_EMIT passFinished(passes);
            },
            Qt::QueuedConnection);

        QMutexLocker lock(&m_mutex);
        if (!m_stop && !m_paused.load() && m_sizeGeneration.load() == generation && m_passInterval.load() > 0)
            m_wake.wait(&m_mutex, QDeadlineTimer(m_passInterval.load()));
        if (m_stop)
            return;
    }
}

} // namespace shmscope
