#pragma once

#include "widgets/bytesource.h"

#include <QByteArray>
#include <QList>
#include <QMutex>
#include <map>

namespace shmscope {

/// A ByteSource held in this process's memory, for tests and demos. Storage is sparse: the source
/// can report a huge size (e.g. 64 GiB) while only the 4 KiB pages that were ever written take memory;
/// bytes never written read as zero. Besides the ByteSource interface it can
///  - change bytes "from outside" without any signal (modifyExternally()), like another process that
///    writes into shared memory without notifying, so that views must find the change by polling;
///  - simulate the object being resized by someone else (resizeExternally(), seen at the next
///    refresh(), the way MappingByteSource sees a `truncate` by another process) or resize it at once
///    (resize());
///  - simulate another process holding the lock (holdLockExternally()): writes then fail with
///    lockWasBusy(), and lockHolderSearch() names the pid given;
///  - record every read() call (readLog()), so tests can prove that a view reads only what it shows.
/// Thread safety: read(), size() and errorString() may be called from a worker thread (ByteSearch
/// does) while the owning thread uses the rest; the storage, size and read log are guarded by a mutex.
/// Signals are emitted in the calling thread, outside the lock.
class MemoryByteSource : public ByteSource
{
    Q_OBJECT
public:
    /// How many read() calls readLog() keeps at most.
    static constexpr qsizetype kReadLogLimit = 65536;

    /// One recorded read() call: `length` bytes at `offset`.
    struct ReadRange {
        quint64 offset = 0;
        quint64 length = 0;
        friend bool operator==(const ReadRange&, const ReadRange&) = default;
    };

    /// An empty (size 0), writable source.
    explicit MemoryByteSource(QObject* parent = nullptr);
    /// A writable source holding a copy of `data`; size() is data.size().
    explicit MemoryByteSource(const QByteArray& data, QObject* parent = nullptr);
    /// A writable source of `size` bytes, all zero, that takes no memory until written (sparse).
    explicit MemoryByteSource(quint64 size, QObject* parent = nullptr);
    /// Emits aboutToBeDestroyed() while still whole.
    ~MemoryByteSource() override;

    /// Size in bytes of what can be read now. After resizeExternally() this keeps the old size until
    /// refresh(), but reads past the new size already fail (as with a real mapping that shrank).
    quint64 size() const override;
    /// True unless setWritable(false) was called.
    bool isWritable() const override;
    /// Copies `length` bytes at `offset` into `out` and records the call in readLog(). Fails (false,
    /// errorString() set, `out` unspecified) when the range lies past size() or past the backed size
    /// set by resizeExternally(), or when length is negative.
    bool read(quint64 offset, char* out, qsizetype length) const override;
    /// Writes `bytes` at `offset` and emits bytesWritten(offset, bytes.size()). Fails (false, nothing
    /// changed) when the source is read-only, the range lies past the end, or the next write was made to
    /// fail with failNextWrite().
    bool write(quint64 offset, const QByteArray& bytes) override;
    /// Reads the old bytes and writes the new ones under the source's mutex (nothing can come between),
    /// then emits bytesWritten(). Fails as write() does (read-only, failNextWrite(), past the end); the
    /// read of the old bytes is not recorded in readLog().
    bool exchange(quint64 offset, const QByteArray& bytes, QByteArray* before) override;
    /// Compares and writes under the source's mutex; fails as write() does (and when the sizes of
    /// `expected` and `replacement` differ). Not recorded in readLog().
    CompareResult compareExchange(quint64 offset, const QByteArray& expected, const QByteArray& replacement,
                                  QByteArray* current) override;
    /// The 4 KiB pages ever written (that still lie below the backed size), merged and clipped to the
    /// range: the rest are holes. Fails past size() or the backed size (as read()).
    bool dataExtents(quint64 offset, quint64 length, int maxExtents, QList<Extent>* extents) const override;
    /// Applies a pending resizeExternally(): size() becomes the backed size and sizeChanged() is
    /// emitted. Counts calls in refreshCount().
    void refresh() override;

    /// Simulates process `pid` holding the lock (0: nobody, the default): write(), exchange(),
    /// compareExchange() and writeIf() then fail at once, with lockWasBusy() true and nothing written.
    void holdLockExternally(qint64 pid);
    /// A search that reports the pid given to holdLockExternally() when it was made (none for 0).
    LockHolderSearch lockHolderSearch() override;

    /// Makes write() succeed (true) or fail as on a read-only view (false). Does not emit anything.
    void setWritable(bool writable);
    /// Makes the next write() fail with `message` (a lock timeout, a vanished object...) and change
    /// nothing; later writes succeed again.
    void failNextWrite(const QString& message);

    /// Overwrites bytes at `offset` without emitting any signal, like another process writing into
    /// shared memory. Bytes past the backed size are dropped. Not recorded in readLog().
    void modifyExternally(quint64 offset, const QByteArray& bytes);
    /// Resizes at once to `newSize` bytes (new bytes read as zero) and emits sizeChanged(newSize).
    void resize(quint64 newSize);
    /// Simulates another process resizing the object: reads past `newSize` fail from now on, but size()
    /// and sizeChanged() follow only at the next refresh().
    void resizeExternally(quint64 newSize);

    /// Returns a copy of `length` bytes at `offset` without recording the read (for test assertions);
    /// bytes past the backed size are left out, so the result may be shorter than `length`.
    QByteArray peek(quint64 offset, qsizetype length) const;

    /// The read() calls since construction or the last clearReadLog(), in call order; the most recent
    /// kReadLogLimit are kept, so a long-running demo does not grow without bound.
    QList<ReadRange> readLog() const;
    /// The sum of the lengths in readLog(), in bytes.
    quint64 bytesReadTotal() const;
    /// Empties readLog().
    void clearReadLog();
    /// How many times refresh() was called.
    int refreshCount() const;
    /// Bytes of storage actually allocated (a multiple of the 4 KiB page size), for tests of sparseness.
    quint64 allocatedBytes() const;

private:
    static constexpr quint64 kPageSize = 4096;
    void storeBytes(quint64 offset, const char* data, quint64 length);
    void loadBytes(quint64 offset, char* out, quint64 length) const;
    /// The checks of write() (writable, failNextWrite(), range within the backed size); the caller holds
    /// m_mutex. False with errorString() set.
    bool checkWrite(quint64 offset, quint64 length);
    void dropBeyond(quint64 newSize);

    mutable QMutex m_mutex; // guards everything below (see the class comment)
    std::map<quint64, QByteArray> m_pages; // page index -> kPageSize bytes
    quint64 m_size = 0; // what size() reports
    quint64 m_backedSize = 0; // what can really be read (differs from m_size after resizeExternally)
    bool m_writable = true;
    QString m_failNextWrite;
    qint64 m_lockHolder = 0; // holdLockExternally()
    int m_refreshCount = 0;
    mutable QList<ReadRange> m_readLog;
};

} // namespace shmscope
