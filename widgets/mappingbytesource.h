#pragma once

#include "core/error.h"
#include "widgets/bytesource.h"

#include <atomic>
#include <chrono>
#include <memory>

namespace shmscope {

class Mapping;

/// A ByteSource over a shared-memory view (core/mapping.h), which it owns. Reads and writes go
/// through the core's fault-safe Mapping::read()/write(), so a truncation by another process is an
/// error here, never a SIGBUS. Writes take the object's cross-process lock (Mapping::writeLocked(),
/// kLockTimeout), except on copy-on-write views, whose writes are private.
class MappingByteSource : public ByteSource
{
    Q_OBJECT
public:
    /// How long write(), writeIf(), exchange() and compareExchange() wait for the object's lock before
    /// failing with the core's Timeout error (lockWasBusy() then true). Under LockWait::Try (the
    /// WriteQueue's mode) they do not wait at all: one try (Mapping::lock(0)).
    static constexpr std::chrono::milliseconds kLockTimeout { 1000 };
    /// How long readConsistent() waits for the shared lock before it gives up for this time (false):
    /// short, since it runs on the GUI thread at every reload and a stopped writer may hold the lock.
    /// After one such wait ran out, it only tries (0 ms) until it gets the lock again.
    static constexpr std::chrono::milliseconds kReadLockTimeout { 20 };

    /// Takes ownership of `mapping` (must not be null). size() starts at the mapping's size.
    explicit MappingByteSource(std::unique_ptr<Mapping> mapping, QObject* parent = nullptr);
    /// Emits aboutToBeDestroyed() while still whole.
    ~MappingByteSource() override;

    /// Size in bytes that can be read now: the view's size, or less when refresh() saw the object
    /// shrink and could not map it again (e.g. it was truncated to 0 bytes).
    quint64 size() const override;
    /// False for a read-only view; read-write and copy-on-write views are writable.
    bool isWritable() const override;
    /// Copies `length` bytes at `offset` into `out` through Mapping::read(). Fails (false, errorString()
    /// from the core's Error::message()) past size() or when the bytes are no longer backed (Vanished).
    bool read(quint64 offset, char* out, qsizetype length) const override;
    /// Writes `bytes` at `offset` with Mapping::writeLocked() (lock timeout kLockTimeout; on a
    /// copy-on-write view Mapping::write() without the lock) and emits bytesWritten(). Fails (false,
    /// errorString() set) for a read-only view, a range past size(), a lock timeout or a vanished object.
    /// A write cut short (the backing store full: ENOSPC; the object shrank) fails too, but the bytes
    /// that landed changed the object: bytesWritten() is emitted for them (Error::bytesWritten; the
    /// whole range when the core cannot tell) and errorString() says how many were written ("… after
    /// 8192 of 65536 bytes"). The same holds for writeIf() and exchange().
    bool write(quint64 offset, const QByteArray& bytes) override;
    /// On a read-write or read-only view, runs `reader` once while holding the object's lock shared
    /// (Mapping::readLock(), kReadLockTimeout): writers (which all take it, see write()) cannot be midway,
    /// so the snapshot is exact. When the lock stays held (a writer busy or hung) nothing is read: the
    /// result is false, errorString() says the lock was busy, and the caller tries again later — never a
    /// possibly torn read. A copy-on-write view's lock excludes only this process, and a view that may not
    /// take the lock (a System V segment the caller may only read, a Windows read-only view) has none:
    /// those use ByteSource's detect-and-retry.
    /// With WhenLocked::BestEffort a held lock falls back to detect-and-retry instead (for a caller that has
    /// no earlier snapshot to keep showing).
    bool readConsistent(const std::function<bool(QByteArray* snapshot)>& reader,
                        WhenLocked whenLocked = WhenLocked::Wait) const override;
    /// On a read-write view, takes the object's lock (kLockTimeout), runs `check`, and writes only if
    /// it passed — all under the one lock, so no other ShmScope writer can come between the check and
    /// the write. Fails (false, `*checkFailed` false, errorString() set) as write() does, including a
    /// lock timeout. Other views: ByteSource's default (check, then write()).
    bool writeIf(quint64 offset, const QByteArray& bytes, const std::function<bool()>& check,
                 bool* checkFailed = nullptr) override;
    /// Mapping::exchange() (lock timeout kLockTimeout): the old bytes are read and the new ones written in
    /// one pass under the object's lock (copy-on-write views: this process's threads only). Emits
    /// bytesWritten(). Fails as write() does (false, errorString() set; `*before` then unreliable).
    bool exchange(quint64 offset, const QByteArray& bytes, QByteArray* before) override;
    /// Mapping::compareExchange() (kLockTimeout): compare and write in one pass under the object's lock.
    /// Sizes of `expected` and `replacement` must match (else Failed). Errors as write().
    CompareResult compareExchange(quint64 offset, const QByteArray& expected, const QByteArray& replacement,
                                  QByteArray* current) override;
    /// Mapping::lockHolderSearch(): the processes holding the object's OFD lock (POSIX), from /proc.
    LockHolderSearch lockHolderSearch() override;
    /// Mapping::hash(): XXH3 in place over the view, nothing copied. Fails past size() or on a vanished
    /// object (the core's Error::message() in errorString()).
    bool hash(quint64 offset, quint64 length, quint64 seed, quint64* hash) const override;
    /// Mapping::dataExtents(): real holes for posix: and file: (lseek SEEK_DATA/SEEK_HOLE), the whole
    /// range for System V (and every kind on Windows).
    bool dataExtents(quint64 offset, quint64 length, int maxExtents, QList<Extent>* extents) const override;
    /// Asks the OS for the object's size now (Mapping::objectSize(): one fstat/IPC_STAT). When it
    /// differs from the view's size, maps the view again (Mapping::remap()) and emits sizeChanged()
    /// with the new size(). If remapping fails, size() drops to the object's size when that is smaller,
    /// so that nothing past the end is read, and errorString() says why.
    void refresh() override;

    /// The view (owned by this source): its address and access, for status bars and notifications.
    const Mapping& mapping() const { return *m_mapping; }
    /// Writes the dirty pages of a file-backed read-write view to the file and waits
    /// (Mapping::flush(), msync MS_SYNC); a no-op success for other views. False with errorString() set
    /// when the OS refused.
    bool flush();

private:
    /// False, with errorString() set, when [offset, offset + length) is not within size().
    bool checkWriteRange(quint64 offset, quint64 length) const;
    /// False, with errorString() set ("OPERATION ADDRESS: offset + length > size"), as checkWriteRange().
    bool checkRange(const char* operation, quint64 offset, quint64 length) const;
    /// False, with errorString() set, for a read-only view.
    bool checkWritable() const;
    void setSize(quint64 size);
    /// 0 under LockWait::Try, else kLockTimeout.
    std::chrono::milliseconds lockTimeout() const;
    /// Records a failed lock-taking operation: errorString() and lockWasBusy() (a Timeout of the lock).
    void fail(const Error& error);
    /// fail() for a write of `length` bytes at `offset`, and for one cut short (NoSpace, Vanished)
    /// bytesWritten() for the bytes that landed (see write()).
    void failWrite(quint64 offset, quint64 length, const Error& error);

    std::unique_ptr<Mapping> m_mapping;
    std::atomic<quint64> m_size { 0 }; ///< written in the owning thread, read by ChangeScanner's worker too
    mutable bool m_readLockHeld = false; ///< readConsistent()'s last wait ran out: only try until it gets the lock
};

} // namespace shmscope
