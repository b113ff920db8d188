#pragma once

#include "app/gui/openrequest.h"

#include <QObject>
#include <QString>
#include <memory>

namespace shmscope {

class ByteSource;
class MappingByteSource;
class NotificationBus;

/// One open mapping in the GUI: the attached view (as a ByteSource for the hex and text views) and
/// this instance's place on the notification bus of the same object. It wires the two together:
/// bytes this window writes are announced to the other instances, and their announcements make the
/// views re-read exactly the announced range.
class MappingSession : public QObject
{
    Q_OBJECT
public:
    ~MappingSession() override;

    /// Creates (when request.create) or attaches the object and joins its notification bus.
    /// Returns nullptr and sets `error` to a one-line message (operation, object, cause) on failure;
    /// nothing is left open then. `existed` (optional) tells whether create-or-attach found the object.
    static std::unique_ptr<MappingSession> open(const OpenRequest& request, QString* error, bool* existed = nullptr);

    /// The bytes of the view; owned by the session.
    ByteSource* source() const;
    /// The canonical address, e.g. "posix:/shmscope-demo".
    QString addressText() const { return m_addressText; }
    /// How the view is mapped.
    Access access() const { return m_access; }
    /// Other ShmScope instances (GUI or CLI watch) with the same object open right now.
    int peerCount() const;
    /// The notification bus of this object (owned by the session).
    NotificationBus* bus() const { return m_bus; }

Q_SIGNALS:
    /// peerCount() changed.
    void peersChanged();
    /// The mapped size changed (another process resized the object); bytes.
    void sizeChanged(quint64 newSize);
    /// Another instance removed the object's name (the view stays attached).
    void objectRemoved(qint64 senderPid);

private:
    MappingSession(std::unique_ptr<MappingByteSource> source, QString addressText, Access access);

    std::unique_ptr<MappingByteSource> m_source;
    NotificationBus* m_bus = nullptr;
    QString m_addressText;
    Access m_access;
};

} // namespace shmscope
