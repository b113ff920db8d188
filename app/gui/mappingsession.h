#pragma once

#include "app/gui/openrequest.h"

#include <QObject>
#include <QString>
#include <QTimer>
#include <cstdint>
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
    /// Returns nullptr and sets `error` to a one-line message (operation, object, cause) when the
    /// object cannot be opened; nothing is left open then. When only the bus cannot be joined (an
    /// unusable runtime directory, see app/shared/runtimedir.h), the session opens without
    /// notifications: bus() is nullptr and notificationsError() says why. `existed` (optional) tells
    /// whether create-or-attach found the object. An empty (0-byte) object opens as an empty view
    /// that follows the object when it grows.
    static std::unique_ptr<MappingSession> open(const OpenRequest& request, QString* error, bool* existed = nullptr);

    /// The bytes of the view; owned by the session.
    ByteSource* source() const;
    /// The canonical address, e.g. "posix:/shmscope-demo".
    QString addressText() const { return m_addressText; }
    /// How the view is mapped.
    Access access() const { return m_access; }
    /// Other ShmScope instances (GUI or CLI watch) with the same object open right now.
    int peerCount() const;
    /// The notification bus of this object (owned by the session); nullptr when it could not be
    /// joined (notificationsError()).
    NotificationBus* bus() const { return m_bus; }
    /// Why this session is not on the notification bus (translated, one line); empty when it is.
    /// Other instances' writes are then found by polling only, and this one's are not announced.
    QString notificationsError() const { return m_notificationsError; }
    /// Whether the object of this view was removed (its name is gone: shm_unlink, rm, IPC_RMID, by
    /// anyone). The view stays attached and readable. Checked every kPresenceCheckMs and at once when
    /// another instance announces a removal; it ends if the object is found there again.
    bool isRemoved() const { return m_removed; }
    /// The pid of the instance that announced the removal on the bus; 0 when it is not known (e.g.
    /// `rm /dev/shm/x`, or no bus).
    qint64 removedBy() const { return m_removedBy; }
    /// Whether, while isRemoved(), the view's address names an object again — a different one (another
    /// device and inode, another shmid: e.g. the program that owns the name made it anew). The view
    /// still shows the removed object's bytes; reopening the address (File ▸ Reopen) shows the new one.
    /// Looked up (lookUpObject(): one stat, or one read of /proc/sysvipc/shm) at each presence check
    /// while removed. False when not removed.
    bool isReplaced() const { return m_replaced; }
    /// How often isRemoved() is checked (one fstat / IPC_STAT), in milliseconds.
    static constexpr int kPresenceCheckMs = 1000;

Q_SIGNALS:
    /// peerCount() changed.
    void peersChanged();
    /// The mapped size changed (another process resized the object); bytes.
    void sizeChanged(quint64 newSize);
    /// Another instance removed the object's name (the view stays attached).
    void objectRemoved(qint64 senderPid);
    /// isRemoved() changed.
    void removedChanged(bool removed);
    /// isReplaced() changed.
    void replacedChanged(bool replaced);

private:
    MappingSession(std::unique_ptr<MappingByteSource> source, QString addressText, Access access);
    /// Asks the core whether the object is still there (Mapping::objectSize(): Vanished when removed)
    /// and updates isRemoved(); `announcedBy` is the pid of a bus notice that triggered it, else 0.
    void checkPresence(qint64 announcedBy = 0);
    /// Whether the address names an object other than the one of this view now (see isReplaced()).
    bool addressNamesAnotherObject() const;

    std::unique_ptr<MappingByteSource> m_source;
    NotificationBus* m_bus = nullptr;
    QString m_notificationsError;
    QTimer m_presenceTimer;
    bool m_removed = false;
    qint64 m_removedBy = 0;
    bool m_replaced = false;
    /// The viewed object's identity, to tell a new object under its address from it: POSIX objects and
    /// files st_dev and st_ino (looked up when opened), System V the shmid.
    std::uint64_t m_device = 0;
    std::uint64_t m_inode = 0;
    std::uint32_t m_shmid = 0;
    QString m_addressText;
    Access m_access;
};

} // namespace shmscope
