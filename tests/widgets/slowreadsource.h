// A source whose reads take a while, for the tests of worker threads that read a source destroyed under
// them (ByteSource::aboutToBeDestroyed(): HexView's changes scanner, ByteSearch, the Snapshots compare
// and the Value Scan workers). It records, when destroyed, whether a read was still running after
// aboutToBeDestroyed() returned — i.e. whether a worker could use its members once they are gone.
#pragma once

#include "widgets/memorybytesource.h"

#include <QThread>
#include <atomic>

namespace shmscope::test {

class SlowReadSource : public MemoryByteSource
{
public:
    /// `size` bytes of data ('x', not a hole: scans read it); each read sleeps `readMs` ms first.
    /// `readAfterDestruction` (not owned) is set when destroyed.
    SlowReadSource(quint64 size, std::atomic<bool>* readAfterDestruction, int readMs = 2)
        : MemoryByteSource(QByteArray(qsizetype(size), 'x'))
        , m_readAfterDestruction(readAfterDestruction)
        , m_readMs(readMs)
    { }
    ~SlowReadSource() override
    {
        Q_EMIT aboutToBeDestroyed(); // first thing, as every concrete source does
        *m_readAfterDestruction = m_readers.load() > 0;
    }
    /// From now on each read sleeps `readMs` ms (0: reads are quick).
    void setReadMs(int readMs) { m_readMs = readMs; }
    bool read(quint64 offset, char* out, qsizetype length) const override
    {
        ++m_readers;
        QThread::msleep(m_readMs.load());
        const bool ok = MemoryByteSource::read(offset, out, length);
        --m_readers;
        return ok;
    }

private:
    std::atomic<bool>* m_readAfterDestruction;
    std::atomic<int> m_readMs;
    mutable std::atomic<int> m_readers { 0 }; // reads running now (several workers may read at once)
};

} // namespace shmscope::test
