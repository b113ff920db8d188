#pragma once

#include "app/shared/changecoalescer.h"
#include "app/shared/noticecodec.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QLoggingCategory>
#include <QObject>
#include <QString>
#include <map>
#include <memory>

class QFileSystemWatcher;
class QLocalServer;
class QLocalSocket;
class QTimer;

namespace shmscope {

#ifdef Q_OS_WIN
class BroadcastChannel;
#endif

/// Logging category of the notification layer ("shmscope.notify"): refused connections, dropped
/// frames, removed stale sockets, slow peers. Warnings are on by default; enable debug output with
/// QT_LOGGING_RULES="shmscope.notify.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcNotify)

/// Another ShmScope instance on the same object, as this instance sees it.
struct PeerInfo {
    qint64 pid = 0; ///< its process id
    quint64 instanceId = 0; ///< its random instance id (several buses may live in one process)
    PeerRole role = PeerRole::Gui; ///< what it said it is in its hello; valid when roleKnown
    bool roleKnown = false; ///< false until its hello arrived (a few ms after connecting)
    QDateTime since; ///< when this instance connected to it (local time)
};

/// The notification bus of one shared-memory object: tells the other ShmScope instances attached to
/// the same object (GUIs and `shmscope-cli watch`, of the same user, on this machine) which bytes
/// this instance wrote, and tells this instance what they wrote.
///
/// It is peer-to-peer, with no coordinator whose death could break the others: every listening
/// instance has its own QLocalServer socket in the object's private directory (runtimedir.h),
/// finds the others by watching that directory, and keeps one outgoing connection to each; it sends
/// its notices on those and receives theirs on the connections they made to it. A dead instance's
/// connections close at once (the kernel closes its sockets, even after kill -9) and the survivors
/// delete the socket file it left behind (or the next instance to start anywhere does). Only processes of the same uid
/// are accepted (SO_PEERCRED). The protocol, the frame format and the cleanup rules are in docs/notifications.md; the
/// codec is noticecodec.h.
///
/// Everything is asynchronous and runs in the thread that owns the bus; nothing but flush() waits.
/// A peer that stops reading (SIGSTOP, a hung event loop) never blocks the sender: while more than
/// kMaxPendingBytes wait for it, the notices for it (and only for it) are dropped; once it has read
/// the backlog the sender sends it a hello with its current sequence number, from which it learns
/// through noticesMissed() that it lost some. A sender that vanishes without a bye after announcing
/// anything is reported through noticesMissed() too (it may have died between a write and its
/// announcement). Details in docs/notifications.md, "Slow and hung peers".
///
/// Received `changed` notices are coalesced (a writer making 10,000 small writes per second must not
/// make a receiver re-read 10,000 times): they are merged per sender into ChangedRanges and
/// delivered by changed() at most once per kCoalesceIntervalMs — the first notice after a quiet
/// period at once, at the end of the read that brought it (so an isolated notice costs no extra
/// latency, and all frames that arrived in one read are merged), then at most once per interval
/// while notices keep coming. Every announced byte is in some delivered range; a range may cover more than was
/// announced (adjacent writes merged, or gaps filled past ChangedRanges::kMaxRanges). Pending
/// ranges are delivered before any resized(), removed() or noticesMissed() that follows them, so
/// the order of events per sender is kept.
///
/// A new instance only receives the notices sent after a peer connected to it (within a few ms of
/// its start, up to a second when inotify is unavailable): read the object after start(). A peer that
/// had announced writes before its connection to this instance existed is reported through
/// noticesMissed() when its first hello arrives (from then on every notice of it arrives), so
/// re-reading on noticesMissed() keeps a view exact.
///
/// On Windows the same interface runs over a registered window message broadcast to the session
/// (core/broadcast.h; notificationbus_win.cpp): the changed() ranges travel in the message, a "re-read
/// everything" message (what seed 004's editor sends, and what resize and removal become) arrives as
/// noticesMissed(), the seed-004 text section uses that editor's own message, and there is no peer
/// list (peers() is empty, peerCount() 0, socketPath() and directory() empty). docs/windows.md.
class NotificationBus : public QObject
{
    Q_OBJECT
public:
    /// What kind of program this instance is; sent to the peers in the hello.
    using Role = PeerRole;

    /// Bytes that may wait unsent in our buffer for one peer; past it, notices for that peer are
    /// dropped until it has read everything queued (then it is told, see noticesMissed()).
    static constexpr qint64 kMaxPendingBytes = 1024 * 1024;
    /// Interval of the fallback scan of the object directory (QFileSystemWatcher does the fast
    /// path); ms.
    static constexpr int kRescanIntervalMs = 1000;
    /// Shortest time between two deliveries of coalesced changed() signals (one display frame at
    /// 60 Hz); ms.
    static constexpr int kCoalesceIntervalMs = ChangeCoalescer::kIntervalMs;

    /// Creates an idle bus for the object with the canonical address `canonicalAddress`
    /// (toString() of core/address.h; every instance must use the same spelling, it names the
    /// directory and is checked in every frame). Nothing happens before start().
    NotificationBus(QString canonicalAddress, Role role, QObject* parent = nullptr);
    /// Leaves the bus: sends "bye" to the connected peers without waiting, closes every connection,
    /// removes this instance's socket file and, when it was the last one, the object's directory.
    ~NotificationBus() override;

    /// Joins the bus. With `listen` (GUIs, `shmscope-cli watch`), creates the object's directory
    /// (mode 0700), listens on this instance's socket there, and connects to every peer found.
    /// Without (a one-shot writer such as `shmscope-cli write`), only connects to the peers, so that
    /// announcements reach them; such an instance receives nothing and is not counted as a peer by
    /// the others. Either way it first sweeps the runtime directory: sockets of dead instances on
    /// any object are removed, and object directories left empty (docs/notifications.md, "Cleanup
    /// rules"). Connections to local sockets usually complete at once, so peersChanged() may be
    /// emitted before start() returns. Returns false and sets errorString() when the runtime
    /// directory is unusable or insecure, or listening fails; the bus then stays idle (call start()
    /// again to retry). Calling it on a started bus does nothing and returns true.
    bool start(bool listen = true);
    /// Whether start() succeeded.
    bool isStarted() const { return m_started; }
    /// Whether this instance listens (start(true) succeeded).
    bool isListening() const;
    /// A translated one-line description of the last start() failure (operation, path, cause).
    QString errorString() const { return m_errorString; }

    /// The canonical address given to the constructor.
    QString address() const { return m_address; }
    /// This bus's random non-zero 64-bit instance id (part of its socket name and of every frame).
    quint64 instanceId() const { return m_instanceId; }
    /// The object's directory (empty before start()).
    QString directory() const { return m_directory; }
    /// The full path of this instance's socket (empty unless listening).
    QString socketPath() const;

    /// Tells every peer that bytes [offset, offset + length) of the object were written; bytes.
    /// Does not wait: the frames are queued on each connection (or until it is connected).
    /// An empty range, or a call before start(), sends nothing.
    void announceChanged(quint64 offset, quint64 length);
    /// Tells every peer that the object now has `newSize` bytes.
    void announceResized(quint64 newSize);
    /// Tells every peer that the object's name was removed.
    void announceRemoved();

    /// For one-shot writers (not for the GUI thread: it blocks): connects to every peer currently in
    /// the directory and waits until every queued frame has been handed to the kernel, at most
    /// `timeoutMs` ms in all. Returns true when every live peer got everything; a peer found dead
    /// meanwhile does not count as a failure.
    bool flush(int timeoutMs);

    /// The number of other listening instances this one is connected to right now (one-shot
    /// writers are not counted).
    int peerCount() const;
    /// Those instances, in no particular order.
    QList<PeerInfo> peers() const;

Q_SIGNALS:
    /// Another instance wrote bytes [offset, offset + length) of the object; bytes. `senderPid` is
    /// the writer's process id. Re-read that range. Coalesced (see the class comment): one signal
    /// may stand for many notices of that sender, and covers every byte they announced.
    void changed(quint64 offset, quint64 length, qint64 senderPid);
    /// Another instance resized the object to `newSize` bytes.
    void resized(quint64 newSize, qint64 senderPid);
    /// Another instance removed the object's name (mappings stay valid until unmapped).
    void removed(qint64 senderPid);
    /// Some notices from the instance with process id `senderPid` were lost, or may have been: a gap
    /// in its sequence numbers (this instance stopped reading and the sender dropped notices for it),
    /// its first hello shows it announced writes before it connected to this instance (a late join),
    /// or it vanished without a bye after announcing something (killed between a write and its
    /// announcement). Re-read everything shown. Emitted after the ranges received before it.
    void noticesMissed(qint64 senderPid);
    /// peerCount() or peers() changed: a peer came or went, or its hello arrived.
    void peersChanged();

private:
    // Both backends.
    QString m_address;
    Role m_role;
    quint64 m_instanceId = 0;
    qint64 m_pid = 0;
    ChangeCoalescer* m_coalescer = nullptr; ///< received changes waiting for delivery
    bool m_started = false;
    QString m_errorString;
    QString m_directory; ///< empty on Windows

#ifndef Q_OS_WIN
    // notificationbus.cpp: the QLocalSocket mesh.
    struct Connection;

    void scheduleRescan();
    void rescan();
    bool listenNow();
    void connectToPeer(const QString& fileName, qint64 pid, quint64 instanceId);
    void acceptConnections();
    void onConnected(QLocalSocket* socket);
    void onReadyRead(QLocalSocket* socket);
    void processFrames(QLocalSocket* socket);
    void onSocketError(QLocalSocket* socket);
    void onDisconnected(QLocalSocket* socket);
    void onPeerClosedBeforeWrite(QLocalSocket* socket);
    void handleNotice(Connection& connection, const Notice& notice);
    void announce(Notice notice);
    void sendFrame(Connection& connection, const QByteArray& frame, bool mayDrop = false);
    void resynchronise(QLocalSocket* socket);
    void dropConnection(QLocalSocket* socket, bool abortNow);
    void removeStaleSocket(const QString& fileName, qint64 pid);
    Notice makeNotice(NoticeKind kind) const;
    Connection* connectionFor(QLocalSocket* socket) const;
    bool peerIsSameUser(QLocalSocket* socket, qint64* peerPid, QString* why) const;

    quint64 m_sequence = 0; ///< notices sent so far (changed, resized, removed)
    QString m_socketFileName; ///< own socket's file name (empty unless listening)

    QLocalServer* m_server = nullptr;
    QFileSystemWatcher* m_watcher = nullptr;
    QTimer* m_rescanTimer = nullptr; ///< periodic fallback scan
    QTimer* m_rescanSoon = nullptr; ///< coalesces bursts of directory changes into one scan

    std::map<QLocalSocket*, std::unique_ptr<Connection>> m_connections; ///< every live connection
    QHash<QString, QLocalSocket*> m_outgoing; ///< peer socket file name → our connection to it
    QHash<QString, qint64> m_refusedSince; ///< peer socket file name → first refusal (ms since epoch)
    QHash<quint64, quint64> m_lastSequence; ///< sender instance id → last sequence number received
#else
    // notificationbus_win.cpp: a window-message broadcast group (core/broadcast.h).
    std::unique_ptr<BroadcastChannel> m_channel;
    bool m_listening = false; ///< start(true) succeeded
    bool m_seed004 = false; ///< the seed-004 text section: its own message, always "re-read everything"
#endif
};

} // namespace shmscope
