#pragma once

#include "core/hash.h"
#include "core/lockholders.h"

#include <QByteArray>
#include <QList>
#include <QMutex>
#include <QMutexLocker>
#include <QObject>
#include <QString>
#include <algorithm>
#include <functional>
#include <vector>

namespace shmscope {

class WriteQueue;

/// The bytes a view shows: an abstract, 64-bit addressed byte array with change signals (the
/// model side of Okteta's model/view split). Views never copy the whole source; they read the rows
/// they paint. Implementations: MappingByteSource (a shared-memory view), MemoryByteSource (tests).
class ByteSource : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    /// Size in bytes of what can be read now.
    virtual quint64 size() const = 0;
    /// False for read-only views; write() then fails.
    virtual bool isWritable() const = 0;

    /// Copies `length` bytes at `offset` into `out` (caller-owned). Returns false when the range is past
    /// size() or the bytes are no longer backed (the object shrank); errorString() then says why.
    virtual bool read(quint64 offset, char* out, qsizetype length) const = 0;

    /// Writes `bytes` at `offset` (under the object's lock for shared memory) and emits bytesWritten().
    /// Returns false and changes nothing (for bad input) on failure; errorString() says why.
    virtual bool write(quint64 offset, const QByteArray& bytes) = 0;

    /// A run of `length` bytes from `offset` (see dataExtents()).
    struct Extent {
        quint64 offset = 0;
        quint64 length = 0;
        friend bool operator==(const Extent&, const Extent&) = default;
    };

    /// What compareExchange() did.
    enum class CompareResult {
        Written, ///< the bytes equalled `expected`; `replacement` is written (bytesWritten() was emitted)
        Differs, ///< the bytes differ from `expected`; nothing written, `*current` holds them
        Failed, ///< a read or write failed (errorString() says why); nothing reliable in `*current`
    };

    /// Writes `bytes` at `offset` and puts the bytes they replaced into `*before` (resized to
    /// bytes.size()), then emits bytesWritten(). For an undoable edit: `*before` is what the write
    /// replaced. Returns false on failure (as write(); errorString() says why).
    ///
    /// This default reads, then writes: another writer can come in between (undo's conflict check in
    /// HexView then notices). Sources with a lock override it to do both under it (MappingByteSource:
    /// Mapping::exchange(), one pass over the view under the object's lock).
    virtual bool exchange(quint64 offset, const QByteArray& bytes, QByteArray* before)
    {
        setLockBusy(false);
        before->resize(bytes.size());
        return read(offset, before->data(), before->size()) && write(offset, bytes);
    }

    /// Writes `replacement` at `offset` only if the bytes there still equal `expected` (same size),
    /// with no write of another ShmScope writer in between; otherwise leaves them and puts them into
    /// `*current` (resized to expected.size()). For undo/redo, which must not destroy bytes someone else
    /// wrote since. Emits bytesWritten() when it wrote.
    ///
    /// This default is writeIf() with a check that reads and compares (so a source's writeIf() lock,
    /// if any, covers it); MappingByteSource overrides it with Mapping::compareExchange().
    virtual CompareResult compareExchange(quint64 offset, const QByteArray& expected, const QByteArray& replacement,
                                          QByteArray* current)
    {
        current->resize(expected.size());
        bool readFailed = false;
        bool differs = false;
        const bool written = writeIf(
            offset, replacement,
            [&] {
                if (!read(offset, current->data(), current->size())) {
                    readFailed = true;
                    return false;
                }
                return *current == expected;
            },
            &differs);
        if (written)
            return CompareResult::Written;
        return differs && !readFailed ? CompareResult::Differs : CompareResult::Failed;
    }

    /// Puts into `*hash` the hash of the `length` bytes at `offset`: shmscope::hashBytes(bytes, length,
    /// seed) of core/hash.h (XXH3-64), so that every source gives the same value for the same bytes.
    /// Returns false (errorString() set) when the range is past size() or the bytes cannot be read.
    /// Callable from a worker thread (as read()).
    ///
    /// This default reads kHashChunk bytes at a time into a buffer and streams them into the hash;
    /// MappingByteSource hashes in place over the view (Mapping::hash(): no copy).
    virtual bool hash(quint64 offset, quint64 length, quint64 seed, quint64* hash) const
    {
        if (offset > size() || length > size() - offset) {
            setErrorString(tr("read: offset %1 + length %2 > size %3").arg(offset).arg(length).arg(size()));
            return false;
        }
        StreamingHash hasher(seed);
        std::vector<char> buffer(size_t(std::min<quint64>(length, kHashChunk)));
        while (length > 0) {
            const qsizetype chunk = qsizetype(std::min<quint64>(length, kHashChunk));
            if (!read(offset, buffer.data(), chunk))
                return false;
            hasher.update(buffer.data(), size_t(chunk));
            offset += quint64(chunk);
            length -= quint64(chunk);
        }
        *hash = hasher.digest();
        return true;
    }
    /// The largest read() of hash()'s default implementation, in bytes (64 KiB).
    static constexpr quint64 kHashChunk = quint64(64) << 10;

    /// Puts into `*extents` the parts of [offset, offset + length) that hold data (ascending, merged,
    /// clipped to the range); the rest are holes that read as zeros and are better not touched (reading
    /// a hole of a tmpfs object makes the kernel allocate a page for it). At most `maxExtents` (>= 1)
    /// extents: when there are exactly that many, the range after the last one was not examined.
    /// Returns false (errorString() set) when the range is past size() or the source cannot tell.
    /// Callable from a worker thread (as read()).
    ///
    /// This default reports the whole range as data. MappingByteSource asks the core
    /// (Mapping::dataExtents(): lseek SEEK_DATA/SEEK_HOLE for posix: and file:); MemoryByteSource
    /// reports the pages it holds.
    virtual bool dataExtents(quint64 offset, quint64 length, int maxExtents, QList<Extent>* extents) const
    {
        Q_UNUSED(maxExtents);
        extents->clear();
        if (offset > size() || length > size() - offset) {
            setErrorString(tr("read: offset %1 + length %2 > size %3").arg(offset).arg(length).arg(size()));
            return false;
        }
        if (length > 0)
            extents->append({ offset, length });
        return true;
    }

    /// Re-checks the size of the underlying object and emits sizeChanged() when it differs. Views call
    /// this from their poll timer; cheap (one fstat/IPC_STAT).
    virtual void refresh() { }

    /// How often readConsistent() reads before it gives up on getting two identical snapshots.
    static constexpr int kMaxConsistentAttempts = 16;

    /// What readConsistent() may do when the source's lock stays held by a writer.
    enum class WhenLocked {
        /// Give no snapshot (false): the caller keeps what it showed and asks again later. Never torn.
        Wait,
        /// Fall back to detect-and-retry: for a caller that has nothing to keep (a first read, a new
        /// offset). Torn only if the writer stalls midway through its copy for the whole of two reads.
        BestEffort,
    };

    /// Reads a value that takes several read() calls (a string read in chunks up to its NUL) so that
    /// no write of another process or view is seen half done: `reader` does the reads, returns false
    /// on failure, and puts into `*snapshot` everything it read that must not be torn. It may be
    /// called more than once; only its last call's results count.
    ///
    /// This default is detect-and-retry: `reader` runs until two successive calls give identical
    /// snapshots (at most kMaxConsistentAttempts calls). That catches a write in progress unless the
    /// writer stalls mid-copy for the whole of two reads — which only a lock rules out; sources that
    /// have one (MappingByteSource on a read-write or read-only view) override this to read under it.
    /// Returns false when `reader` failed (errorString() is then whatever its read() set) or no two
    /// successive snapshots agreed (errorString() says so).
    /// `whenLocked` matters only to sources with a lock (see MappingByteSource).
    virtual bool readConsistent(const std::function<bool(QByteArray* snapshot)>& reader,
                                WhenLocked whenLocked = WhenLocked::Wait) const
    {
        Q_UNUSED(whenLocked)
        QByteArray previous;
        if (!reader(&previous))
            return false;
        for (int attempt = 1; attempt < kMaxConsistentAttempts; ++attempt) {
            QByteArray current;
            if (!reader(&current))
                return false;
            if (current == previous)
                return true;
            previous.swap(current);
        }
        setErrorString(tr("the bytes kept changing during %1 reads").arg(kMaxConsistentAttempts));
        return false;
    }

    /// Writes `bytes` at `offset` like write(), but only if `check` — which may read() — returns true,
    /// with no write of another ShmScope writer in between: a compare-and-write, e.g. "the string is
    /// still the one I edited". When `check` returns false nothing is written, `*checkFailed` (optional)
    /// is set to true and the result is false; on a write failure `*checkFailed` is false and
    /// errorString() says why. Emits bytesWritten() on success.
    ///
    /// This default calls check() then write() with nothing in between in this process; sources with a
    /// cross-process lock (MappingByteSource) override it to hold the lock around both.
    virtual bool writeIf(quint64 offset, const QByteArray& bytes, const std::function<bool()>& check,
                         bool* checkFailed = nullptr)
    {
        setLockBusy(false);
        const bool passed = check();
        if (checkFailed)
            *checkFailed = !passed;
        return passed && write(offset, bytes);
    }

    /// How write(), writeIf(), exchange() and compareExchange() treat a lock that another writer holds.
    enum class LockWait {
        Wait, ///< wait for it as each operation documents (MappingByteSource: up to kLockTimeout), then fail
        Try, ///< one attempt that never waits: fail at once with lockWasBusy() true (what WriteQueue uses)
    };
    /// Sets how the lock-taking operations wait (default LockWait::Wait). Owning thread only.
    void setLockWait(LockWait wait) { m_lockWait = wait; }
    /// The mode set with setLockWait().
    LockWait lockWait() const { return m_lockWait; }
    /// True when the last write(), writeIf(), exchange() or compareExchange() failed only because
    /// another writer held the lock (LockWait::Try, or the wait ran out): nothing was checked or
    /// written, and the same call may succeed later. Each of those calls resets it.
    bool lockWasBusy() const { return m_lockBusy; }
    /// A search for the processes that hold the source's lock (core/mapping.h: it may run in any
    /// thread and outlive the source), or an empty function when the source cannot tell (this default).
    virtual LockHolderSearch lockHolderSearch() { return {}; }
    /// The queue through which views write (widgets/writequeue.h): one per source, created on first use
    /// and owned by the source, so that the edits of every view of it are written in the order made.
    WriteQueue* writeQueue();

    /// The one-line message of the last failed read() or write(). Thread-safe (read() may run in a
    /// worker thread, e.g. ByteSearch).
    QString errorString() const
    {
        QMutexLocker lock(&m_errorMutex);
        return m_errorString;
    }

    /// Tells views that [offset, offset+length) changed outside their own writes (a notification from
    /// another instance): emits contentsChanged(). Safe to call with a range past the end.
    void announceExternalChange(quint64 offset, quint64 length) { Q_EMIT contentsChanged(offset, length); }

Q_SIGNALS:
    /// Bytes in [offset, offset+length) were changed by someone else; views re-read that range now.
    void contentsChanged(quint64 offset, quint64 length);
    /// This source wrote [offset, offset+length) through write() (the app announces it to other instances).
    void bytesWritten(quint64 offset, quint64 length);
    /// size() changed (another process resized or truncated the object).
    void sizeChanged(quint64 newSize);
    /// The source is being destroyed and is still whole: views stop the worker threads that read it
    /// (HexView's changes overview joins its scanner). Every concrete source emits it first thing in
    /// its destructor — QObject::destroyed comes too late for that, after the derived part is gone.
    void aboutToBeDestroyed();

protected:
    /// Sets what lockWasBusy() returns; the lock-taking operations call it.
    void setLockBusy(bool busy) { m_lockBusy = busy; }
    /// Records the message errorString() returns; thread-safe.
    void setErrorString(const QString& message) const
    {
        QMutexLocker lock(&m_errorMutex);
        m_errorString = message;
    }

private:
    mutable QMutex m_errorMutex; // read() may fail (and set the message) in a worker thread
    mutable QString m_errorString;
    LockWait m_lockWait = LockWait::Wait;
    bool m_lockBusy = false;
    WriteQueue* m_writeQueue = nullptr; // a child of this source
};

} // namespace shmscope
