#include "widgets/mappingbytesource.h"

#include "core/mapping.h"

#include <algorithm>

namespace shmscope {

MappingByteSource::MappingByteSource(std::unique_ptr<Mapping> mapping, QObject* parent)
    : ByteSource(parent)
    , m_mapping(std::move(mapping))
{
    Q_ASSERT(m_mapping);
    m_size = m_mapping->size();
}

MappingByteSource::~MappingByteSource()
{
    Q_EMIT aboutToBeDestroyed();
}

quint64 MappingByteSource::size() const
{
    return m_size;
}

bool MappingByteSource::isWritable() const
{
    return m_mapping->access() != Access::ReadOnly;
}

bool MappingByteSource::read(quint64 offset, char* out, qsizetype length) const
{
    if (length < 0) {
        setErrorString(
            tr("read %1: negative length %2").arg(QString::fromStdString(toString(m_mapping->address()))).arg(length));
        return false;
    }
    // m_size can be smaller than the view after a failed remap: the core would still read the stale
    // part of the view, which is no longer the object's.
    const quint64 known = m_size;
    if (offset > known || quint64(length) > known - offset) {
        setErrorString(tr("read %1: offset %2 + length %3 > size %4")
                           .arg(QString::fromStdString(toString(m_mapping->address())))
                           .arg(offset)
                           .arg(length)
                           .arg(known));
        return false;
    }
    const Status status = m_mapping->read(offset, out, std::size_t(length));
    if (!status) {
        setErrorString(QString::fromStdString(status.error().message()));
        return false;
    }
    return true;
}

std::chrono::milliseconds MappingByteSource::lockTimeout() const
{
    return lockWait() == LockWait::Try ? std::chrono::milliseconds(0) : kLockTimeout;
}

void MappingByteSource::fail(const Error& error)
{
    setLockBusy(error.code == ErrorCode::Timeout);
    setErrorString(QString::fromStdString(error.message()));
}

void MappingByteSource::failWrite(quint64 offset, quint64 length, const Error& error)
{
    fail(error); // the core's message counts the bytes that landed ("… after 8192 of 65536 bytes")
    // A write cut short (the store filled up, the object shrank) changed the object all the same: the
    // bytes that landed are announced like any others, so other instances re-read them and the views
    // mark them. Where the core cannot tell which of them landed, the whole range is (a superset is
    // harmless: readers only re-read it).
    if (error.code != ErrorCode::NoSpace && error.code != ErrorCode::Vanished)
        return;
    const quint64 landed = error.bytesWritten ? std::min<quint64>(*error.bytesWritten, length) : length;
    if (landed > 0)
        Q_EMIT bytesWritten(offset, landed);
}

LockHolderSearch MappingByteSource::lockHolderSearch()
{
    return m_mapping->lockHolderSearch();
}

bool MappingByteSource::checkWritable() const
{
    if (isWritable())
        return true;
    // The core would refuse too (ReadOnly); say it without asking for a lock first.
    setErrorString(
        tr("write %1: the object is attached read-only").arg(QString::fromStdString(toString(m_mapping->address()))));
    return false;
}

bool MappingByteSource::write(quint64 offset, const QByteArray& bytes)
{
    setLockBusy(false);
    if (!checkWritable())
        return false;
    const quint64 length = quint64(bytes.size());
    if (!checkWriteRange(offset, length))
        return false;
    // A copy-on-write view's writes are private to this process: no one else can see them, so there
    // is nothing to serialise, and its descriptor may be read-only (an OFD write lock would fail).
    const Status status = m_mapping->access() == Access::CopyOnWrite
        ? m_mapping->write(offset, bytes.constData(), std::size_t(length))
        : m_mapping->writeLocked(offset, bytes.constData(), std::size_t(length), lockTimeout());
    if (!status) {
        failWrite(offset, length, status.error());
        return false;
    }
    Q_EMIT bytesWritten(offset, length);
    return true;
}

bool MappingByteSource::readConsistent(const std::function<bool(QByteArray* snapshot)>& reader,
                                       WhenLocked whenLocked) const
{
    if (m_mapping->access() != Access::CopyOnWrite) {
        // The lock every ShmScope writer holds for its whole write (writeLocked(), exchange()), taken
        // shared (an OFD read lock: read-only views can take it too), so a string read under it is never
        // half old, half new. Held only for the reads: a few µs for a short string.
        // A holder that made us wait the whole kReadLockTimeout once is only tried (0 ms) until the lock is
        // seen free again: the GUI thread polls every 50 ms and must not wait on a hung holder each time.
        Result<LockGuard> guard = m_mapping->readLock(m_readLockHeld ? std::chrono::milliseconds(0) : kReadLockTimeout);
        m_readLockHeld = !guard && guard.error().code == ErrorCode::Timeout;
        if (guard) {
            QByteArray snapshot;
            return reader(&snapshot);
        }
        if (m_readLockHeld && whenLocked == WhenLocked::Wait) {
            // A writer holds the lock: it may be midway through its copy. Detect-and-retry cannot rule
            // that out (reads touch the view directly: two whole reads fit into the time a writer is
            // preempted midway, and both see the same half-written bytes), so there is no snapshot
            // this time; the caller keeps what it showed and the next poll or notification tries again.
            setErrorString(QString::fromStdString(guard.error().message()));
            return false;
        }
        // No lock to take for this view (a System V segment the caller may only read: see core/README.md;
        // Windows read-only views), a lock error, or a caller with nothing to keep showing
        // (WhenLocked::BestEffort): detect-and-retry is the best there is.
    }
    return ByteSource::readConsistent(reader);
}

bool MappingByteSource::checkWriteRange(quint64 offset, quint64 length) const
{
    return checkRange("write", offset, length);
}

bool MappingByteSource::checkRange(const char* operation, quint64 offset, quint64 length) const
{
    // m_size can be smaller than the view after a failed remap: the core would still reach the stale
    // part of the view, which is no longer the object's.
    const quint64 known = m_size;
    if (offset <= known && length <= known - offset)
        return true;
    setErrorString(tr("%1 %2: offset %3 + length %4 > size %5")
                       .arg(QLatin1String(operation), QString::fromStdString(toString(m_mapping->address())))
                       .arg(offset)
                       .arg(length)
                       .arg(known));
    return false;
}

bool MappingByteSource::exchange(quint64 offset, const QByteArray& bytes, QByteArray* before)
{
    setLockBusy(false);
    if (!checkWritable())
        return false;
    const quint64 length = quint64(bytes.size());
    if (!checkRange("write", offset, length))
        return false;
    before->resize(bytes.size());
    const Status status
        = m_mapping->exchange(offset, bytes.constData(), before->data(), std::size_t(length), lockTimeout());
    if (!status) {
        failWrite(offset, length, status.error());
        return false;
    }
    Q_EMIT bytesWritten(offset, length);
    return true;
}

ByteSource::CompareResult MappingByteSource::compareExchange(quint64 offset, const QByteArray& expected,
                                                             const QByteArray& replacement, QByteArray* current)
{
    setLockBusy(false);
    if (!checkWritable())
        return CompareResult::Failed;
    if (expected.size() != replacement.size()) {
        setErrorString(tr("write %1: %2 bytes expected but %3 to write")
                           .arg(QString::fromStdString(toString(m_mapping->address())))
                           .arg(expected.size())
                           .arg(replacement.size()));
        return CompareResult::Failed;
    }
    const quint64 length = quint64(replacement.size());
    if (!checkRange("write", offset, length))
        return CompareResult::Failed;
    current->resize(expected.size());
    const Result<bool> written = m_mapping->compareExchange(offset, expected.constData(), replacement.constData(),
                                                            current->data(), std::size_t(length), lockTimeout());
    if (!written) {
        fail(written.error());
        return CompareResult::Failed;
    }
    if (!*written)
        return CompareResult::Differs;
    Q_EMIT bytesWritten(offset, length);
    return CompareResult::Written;
}

bool MappingByteSource::hash(quint64 offset, quint64 length, quint64 seed, quint64* hash) const
{
    if (!checkRange("read", offset, length))
        return false;
    const Result<std::uint64_t> hashed = m_mapping->hash(offset, length, seed);
    if (!hashed) {
        setErrorString(QString::fromStdString(hashed.error().message()));
        return false;
    }
    *hash = *hashed;
    return true;
}

bool MappingByteSource::dataExtents(quint64 offset, quint64 length, int maxExtents, QList<Extent>* extents) const
{
    extents->clear();
    if (!checkRange("read", offset, length))
        return false;
    const Result<std::vector<shmscope::Extent>> found
        = m_mapping->dataExtents(offset, length, std::size_t(std::max(1, maxExtents)));
    if (!found) {
        setErrorString(QString::fromStdString(found.error().message()));
        return false;
    }
    extents->reserve(qsizetype(found->size()));
    for (const shmscope::Extent& extent : *found)
        extents->append({ extent.offset, extent.length });
    return true;
}

bool MappingByteSource::writeIf(quint64 offset, const QByteArray& bytes, const std::function<bool()>& check,
                                bool* checkFailed)
{
    setLockBusy(false);
    if (checkFailed)
        *checkFailed = false;
    if (m_mapping->access() != Access::ReadWrite)
        return ByteSource::writeIf(offset, bytes, check, checkFailed); // read-only fails; copy-on-write is private
    const quint64 length = quint64(bytes.size());
    if (!checkWriteRange(offset, length))
        return false;
    Result<LockGuard> guard = m_mapping->lock(lockTimeout());
    if (!guard) {
        fail(guard.error());
        return false;
    }
    // The lock is not recursive across the check: `check` must use read() only (never write()).
    if (!check()) {
        if (checkFailed)
            *checkFailed = true;
        return false;
    }
    const Status status = m_mapping->write(offset, bytes.constData(), std::size_t(length));
    guard->unlock(); // before telling anyone: slots may read, or write through this source again
    if (!status) {
        failWrite(offset, length, status.error());
        return false;
    }
    Q_EMIT bytesWritten(offset, length);
    return true;
}

void MappingByteSource::refresh()
{
    const Result<std::uint64_t> objectSize = m_mapping->objectSize();
    if (!objectSize) {
        // Removed (System V after IPC_RMID and the last detach, a deleted file...): keep what we have;
        // reads report Vanished by themselves if the bytes go away.
        setErrorString(QString::fromStdString(objectSize.error().message()));
        return;
    }
    const quint64 now = *objectSize;
    if (now == m_mapping->size()) {
        setSize(now); // e.g. back to the view's size after a failed remap
        return;
    }
    const Status remapped = m_mapping->remap();
    if (remapped) {
        setSize(m_mapping->size());
        return;
    }
    // Could not map again (size 0 cannot be mapped, or out of address space): read only what is
    // still the object's.
    setErrorString(QString::fromStdString(remapped.error().message()));
    setSize(std::min<quint64>(now, m_mapping->size()));
}

void MappingByteSource::setSize(quint64 size)
{
    if (size == m_size)
        return;
    m_size = size;
    Q_EMIT sizeChanged(size);
}

bool MappingByteSource::flush()
{
    const Status status = m_mapping->flush();
    if (!status)
        setErrorString(QString::fromStdString(status.error().message()));
    return status.ok();
}

} // namespace shmscope
