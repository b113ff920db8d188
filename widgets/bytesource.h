#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

namespace shmscope {

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

    /// Re-checks the size of the underlying object and emits sizeChanged() when it differs. Views call
    /// this from their poll timer; cheap (one fstat/IPC_STAT).
    virtual void refresh() { }

    /// The one-line message of the last failed read() or write().
    QString errorString() const { return m_errorString; }

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

protected:
    void setErrorString(const QString& message) const { m_errorString = message; }

private:
    mutable QString m_errorString;
};

} // namespace shmscope
