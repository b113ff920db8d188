#include "widgets/memorybytesource.h"

#include <QMutexLocker>
#include <algorithm>
#include <cstring>

namespace shmscope {

MemoryByteSource::~MemoryByteSource()
{
    Q_EMIT aboutToBeDestroyed();
}

MemoryByteSource::MemoryByteSource(QObject* parent)
    : ByteSource(parent)
{ }

MemoryByteSource::MemoryByteSource(const QByteArray& data, QObject* parent)
    : ByteSource(parent)
    , m_size(quint64(data.size()))
    , m_backedSize(quint64(data.size()))
{
    storeBytes(0, data.constData(), quint64(data.size()));
}

MemoryByteSource::MemoryByteSource(quint64 size, QObject* parent)
    : ByteSource(parent)
    , m_size(size)
    , m_backedSize(size)
{ }

quint64 MemoryByteSource::size() const
{
    QMutexLocker lock(&m_mutex);
    return m_size;
}

bool MemoryByteSource::isWritable() const
{
    return m_writable;
}

bool MemoryByteSource::read(quint64 offset, char* out, qsizetype length) const
{
    QMutexLocker lock(&m_mutex);
    if (length < 0) {
        setErrorString(tr("read at offset %1: negative length %2").arg(offset).arg(length));
        return false;
    }
    m_readLog.append({ offset, quint64(length) });
    if (m_readLog.size() > kReadLogLimit)
        m_readLog.remove(0, m_readLog.size() - kReadLogLimit);

    const quint64 len = quint64(length);
    const quint64 limit = std::min(m_size, m_backedSize);
    if (offset > limit || len > limit - offset) {
        // Same wording as the core's OutOfRange/Vanished errors, so tests see realistic messages.
        setErrorString(tr("read memory: offset %1 + length %2 > size %3").arg(offset).arg(len).arg(limit));
        return false;
    }
    loadBytes(offset, out, len);
    return true;
}

void MemoryByteSource::loadBytes(quint64 offset, char* out, quint64 length) const
{
    quint64 done = 0;
    while (done < length) {
        const quint64 pos = offset + done;
        const quint64 page = pos / kPageSize;
        const quint64 inPage = pos % kPageSize;
        const quint64 chunk = std::min(kPageSize - inPage, length - done);
        const auto it = m_pages.find(page);
        if (it == m_pages.end())
            std::memset(out + done, 0, chunk);
        else
            std::memcpy(out + done, it->second.constData() + inPage, chunk);
        done += chunk;
    }
}

bool MemoryByteSource::checkWrite(quint64 offset, quint64 length)
{
    setLockBusy(false);
    if (!m_writable) {
        setErrorString(tr("write memory: the source is read-only"));
        return false;
    }
    if (m_lockHolder != 0) {
        // As MappingByteSource under a held lock: busy, whether the caller tries or waits.
        setLockBusy(true);
        setErrorString(tr("lock memory: held by pid %1").arg(m_lockHolder));
        return false;
    }
    if (!m_failNextWrite.isEmpty()) {
        setErrorString(m_failNextWrite);
        m_failNextWrite.clear();
        return false;
    }
    const quint64 limit = std::min(m_size, m_backedSize);
    if (offset > limit || length > limit - offset) {
        setErrorString(tr("write memory: offset %1 + length %2 > size %3").arg(offset).arg(length).arg(limit));
        return false;
    }
    return true;
}

bool MemoryByteSource::exchange(quint64 offset, const QByteArray& bytes, QByteArray* before)
{
    const quint64 len = quint64(bytes.size());
    {
        QMutexLocker lock(&m_mutex);
        if (!checkWrite(offset, len))
            return false;
        before->resize(bytes.size());
        loadBytes(offset, before->data(), len);
        storeBytes(offset, bytes.constData(), len);
    }
    Q_EMIT bytesWritten(offset, len);
    return true;
}

ByteSource::CompareResult MemoryByteSource::compareExchange(quint64 offset, const QByteArray& expected,
                                                            const QByteArray& replacement, QByteArray* current)
{
    const quint64 len = quint64(replacement.size());
    {
        QMutexLocker lock(&m_mutex);
        if (expected.size() != replacement.size()) {
            setErrorString(
                tr("write memory: %1 bytes expected but %2 to write").arg(expected.size()).arg(replacement.size()));
            return CompareResult::Failed;
        }
        if (!checkWrite(offset, len))
            return CompareResult::Failed;
        current->resize(expected.size());
        loadBytes(offset, current->data(), len);
        if (*current != expected)
            return CompareResult::Differs;
        storeBytes(offset, replacement.constData(), len);
    }
    Q_EMIT bytesWritten(offset, len);
    return CompareResult::Written;
}

bool MemoryByteSource::dataExtents(quint64 offset, quint64 length, int maxExtents, QList<Extent>* extents) const
{
    QMutexLocker lock(&m_mutex);
    extents->clear();
    const quint64 limit = std::min(m_size, m_backedSize);
    if (offset > limit || length > limit - offset) {
        setErrorString(tr("data extents memory: offset %1 + length %2 > size %3").arg(offset).arg(length).arg(limit));
        return false;
    }
    const quint64 end = offset + length;
    for (auto it = m_pages.lower_bound(offset / kPageSize); it != m_pages.end(); ++it) {
        const quint64 pageStart = it->first * kPageSize;
        if (pageStart >= end)
            break;
        const quint64 from = std::max(pageStart, offset);
        const quint64 to = std::min(pageStart + kPageSize, end);
        if (to <= from)
            break; // an empty range (at the very end)
        if (!extents->isEmpty() && extents->last().offset + extents->last().length == from) {
            extents->last().length += to - from;
            continue;
        }
        if (extents->size() >= std::max(1, maxExtents))
            break;
        extents->append({ from, to - from });
    }
    return true;
}

bool MemoryByteSource::write(quint64 offset, const QByteArray& bytes)
{
    const quint64 len = quint64(bytes.size());
    {
        QMutexLocker lock(&m_mutex);
        if (!checkWrite(offset, len))
            return false;
        storeBytes(offset, bytes.constData(), len);
    }
    Q_EMIT bytesWritten(offset, len);
    return true;
}

void MemoryByteSource::refresh()
{
    quint64 changedTo = 0;
    bool changed = false;
    {
        QMutexLocker lock(&m_mutex);
        ++m_refreshCount;
        if (m_size != m_backedSize) {
            m_size = m_backedSize;
            changed = true;
            changedTo = m_size;
        }
    }
    if (changed)
        Q_EMIT sizeChanged(changedTo);
}

void MemoryByteSource::holdLockExternally(qint64 pid)
{
    m_lockHolder = pid;
}

LockHolderSearch MemoryByteSource::lockHolderSearch()
{
    const qint64 pid = m_lockHolder;
    return [pid] {
        LockHolders holders;
        holders.searched = true;
        if (pid != 0)
            holders.pids.push_back(int(pid));
        return holders;
    };
}

void MemoryByteSource::setWritable(bool writable)
{
    m_writable = writable;
}

void MemoryByteSource::failNextWrite(const QString& message)
{
    m_failNextWrite = message.isEmpty() ? tr("write memory: simulated failure") : message;
}

void MemoryByteSource::modifyExternally(quint64 offset, const QByteArray& bytes)
{
    QMutexLocker lock(&m_mutex);
    if (offset >= m_backedSize)
        return;
    const quint64 len = std::min(quint64(bytes.size()), m_backedSize - offset);
    storeBytes(offset, bytes.constData(), len);
}

void MemoryByteSource::resize(quint64 newSize)
{
    bool changed = false;
    {
        QMutexLocker lock(&m_mutex);
        dropBeyond(newSize);
        m_backedSize = newSize;
        changed = m_size != newSize;
        m_size = newSize;
    }
    if (changed)
        Q_EMIT sizeChanged(newSize);
}

void MemoryByteSource::resizeExternally(quint64 newSize)
{
    QMutexLocker lock(&m_mutex);
    dropBeyond(newSize);
    m_backedSize = newSize;
}

QByteArray MemoryByteSource::peek(quint64 offset, qsizetype length) const
{
    QMutexLocker lock(&m_mutex);
    if (length <= 0 || offset >= m_backedSize)
        return {};
    const quint64 len = std::min(quint64(length), m_backedSize - offset);
    QByteArray out(qsizetype(len), '\0');
    quint64 done = 0;
    while (done < len) {
        const quint64 pos = offset + done;
        const quint64 inPage = pos % kPageSize;
        const quint64 chunk = std::min(kPageSize - inPage, len - done);
        const auto it = m_pages.find(pos / kPageSize);
        if (it != m_pages.end())
            std::memcpy(out.data() + done, it->second.constData() + inPage, chunk);
        done += chunk;
    }
    return out;
}

quint64 MemoryByteSource::bytesReadTotal() const
{
    QMutexLocker lock(&m_mutex);
    quint64 total = 0;
    for (const ReadRange& r : m_readLog)
        total += r.length;
    return total;
}

QList<MemoryByteSource::ReadRange> MemoryByteSource::readLog() const
{
    QMutexLocker lock(&m_mutex);
    return m_readLog;
}

void MemoryByteSource::clearReadLog()
{
    QMutexLocker lock(&m_mutex);
    m_readLog.clear();
}

int MemoryByteSource::refreshCount() const
{
    QMutexLocker lock(&m_mutex);
    return m_refreshCount;
}

quint64 MemoryByteSource::allocatedBytes() const
{
    QMutexLocker lock(&m_mutex);
    return quint64(m_pages.size()) * kPageSize;
}

void MemoryByteSource::storeBytes(quint64 offset, const char* data, quint64 length)
{
    quint64 done = 0;
    while (done < length) {
        const quint64 pos = offset + done;
        const quint64 inPage = pos % kPageSize;
        const quint64 chunk = std::min(kPageSize - inPage, length - done);
        QByteArray& page = m_pages[pos / kPageSize];
        if (page.isEmpty())
            page = QByteArray(qsizetype(kPageSize), '\0');
        std::memcpy(page.data() + inPage, data + done, chunk);
        done += chunk;
    }
}

void MemoryByteSource::dropBeyond(quint64 newSize)
{
    // Bytes past the new end are gone, as in a truncated object: growing again reads zeros there.
    const quint64 firstDropped = (newSize + kPageSize - 1) / kPageSize;
    m_pages.erase(m_pages.lower_bound(firstDropped), m_pages.end());
    if (newSize % kPageSize != 0) {
        const auto it = m_pages.find(newSize / kPageSize);
        if (it != m_pages.end()) {
            const quint64 keep = newSize % kPageSize;
            std::memset(it->second.data() + keep, 0, kPageSize - keep);
        }
    }
}

} // namespace shmscope
