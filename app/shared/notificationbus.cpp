#include "notificationbus.h"

#include "app/shared/runtimedir.h"
#include "app/shared/staleleftovers.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QLocalServer>
#include <QLocalSocket>
#include <QPointer>
#include <QRandomGenerator>
#include <QSet>
#include <QTimer>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <utility>

namespace shmscope {

// Info and above by default: refusals, dropped frames and removed stale sockets are worth a line;
// the per-connection chatter is debug.
Q_LOGGING_CATEGORY(lcNotify, "shmscope.notify", QtInfoMsg)

namespace {

quint64 randomInstanceId()
{
    quint64 id = 0;
    while (id == 0)
        id = QRandomGenerator::system()->generate64();
    return id;
}

} // namespace

// One connection, either direction.
//  outgoing: we connected to a peer's socket; our notices go here; the peer answers with a hello.
//  incoming: a peer (or a one-shot writer) connected to our server; its notices arrive here.
struct NotificationBus::Connection {
    QLocalSocket* socket = nullptr;
    bool outgoing = false;
    bool connected = false;
    QString fileName; ///< outgoing: the peer's socket file name
    qint64 pid = 0; ///< outgoing: from the file name; incoming: SO_PEERCRED, then the hello
    quint64 instanceId = 0; ///< outgoing: from the file name; incoming: from the hello (0 before)
    PeerRole role = PeerRole::Gui;
    bool roleKnown = false;
    QDateTime since;
    FrameReader reader;
    QList<QByteArray> pending; ///< frames written before the connection was established
    qint64 pendingBytes = 0;
    bool overflowed = false; ///< outgoing: the peer stopped reading; notices are dropped until it drains
    quint64 droppedNotices = 0; ///< outgoing: notices dropped since it overflowed
    bool warnedMalformed = false; ///< a malformed frame was logged as a warning already
    bool warnedAddress = false; ///< a frame for another object was logged as a warning already
    bool byeReceived = false;
    bool helloAnswerDue = false; ///< incoming: the peer's hello arrived, ours is not sent yet
    bool helloAnswered = false;
};

NotificationBus::NotificationBus(QString canonicalAddress, Role role, QObject* parent)
    : QObject(parent)
    , m_address(std::move(canonicalAddress))
    , m_role(role)
    , m_instanceId(randomInstanceId())
    , m_pid(QCoreApplication::applicationPid())
    , m_coalescer(new ChangeCoalescer(this))
{
    connect(m_coalescer, &ChangeCoalescer::changed, this, &NotificationBus::changed);
}

NotificationBus::~NotificationBus()
{
    // Close the server first: it removes our socket file, so nobody connects to a leaving instance.
    if (m_server)
        m_server->close();

    const QByteArray bye = m_started ? encodeFrame(makeNotice(NoticeKind::Bye)) : QByteArray();
    for (auto& [socket, connection] : m_connections) {
        socket->disconnect(this);
        if (connection->connected) {
            // Unread data in our receive queue would make the kernel reset the peer's end instead
            // of closing it cleanly (unix_release_sock), so drain it first.
            socket->readAll();
            socket->write(bye);
            socket->flush(); // non-blocking: a hung peer simply misses the bye
        }
        socket->abort();
    }
    m_connections.clear(); // the sockets themselves are children and go with ~QObject

    // The last instance out removes the object's directory; rmdir fails harmlessly while any other
    // instance's socket is still in it. A starting instance that loses this race retries (listenNow).
    // What an instance killed while it started listening left goes first, or the directory would
    // stay forever.
    if (!m_directory.isEmpty()) {
        removeAbandonedBindDirectories(m_directory);
        ::rmdir(QFile::encodeName(m_directory).constData());
    }
}

bool NotificationBus::start(bool listen)
{
    if (m_started)
        return true;
    m_errorString.clear();

    QString error;
    const QString directory = objectDirectory(m_address, listen, &error);
    if (directory.isEmpty()) {
        m_errorString = tr("join notifications for %1: %2").arg(m_address, error);
        return false;
    }
    m_directory = directory;
    sweepRuntimeDirectory(QFileInfo(directory).path(), directory);

    if (listen) {
        if (!listenNow()) {
            ::rmdir(QFile::encodeName(m_directory).constData()); // only if we left it empty
            m_directory.clear();
            return false;
        }
        // inotify tells at once when a peer arrives or leaves; the timer below is the fallback for
        // file systems without it and for retrying stale sockets whose owner looked alive.
        m_watcher = new QFileSystemWatcher(this);
        m_watcher->addPath(m_directory);
        connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &NotificationBus::scheduleRescan);
    }

    m_rescanSoon = new QTimer(this);
    m_rescanSoon->setSingleShot(true);
    m_rescanSoon->setInterval(0);
    connect(m_rescanSoon, &QTimer::timeout, this, &NotificationBus::rescan);
    m_rescanTimer = new QTimer(this);
    m_rescanTimer->setInterval(kRescanIntervalMs);
    connect(m_rescanTimer, &QTimer::timeout, this, &NotificationBus::rescan);
    m_rescanTimer->start();

    m_started = true;
    rescan();
    return true;
}

bool NotificationBus::listenNow()
{
    const QString fileName = socketFileName(m_pid, m_instanceId);
    const QString path = m_directory + QLatin1Char('/') + fileName;
    if (QFile::encodeName(path).size() > kMaxSocketPathBytes) {
        m_errorString
            = tr("listen for notifications on %1: the path is longer than %2 bytes").arg(path).arg(kMaxSocketPathBytes);
        return false;
    }

    QString lastError;
    for (int attempt = 0; attempt < 3; ++attempt) {
        auto* server = new QLocalServer(this);
        // Owner-only socket file; the directory is 0700 too, and SO_PEERCRED is checked on accept.
        server->setSocketOptions(QLocalServer::UserAccessOption);
        if (server->listen(path)) {
            m_server = server;
            m_socketFileName = fileName;
            connect(m_server, &QLocalServer::newConnection, this, &NotificationBus::acceptConnections);
            return true;
        }
        lastError = server->errorString();
        delete server;
        // The last instance leaving removes the empty directory; if that happened between our
        // mkdir and listen, create it again and retry.
        QString error;
        if (objectDirectory(m_address, true, &error).isEmpty()) {
            lastError = error;
            break;
        }
    }
    m_errorString = tr("listen for notifications on %1: %2").arg(path, lastError);
    return false;
}

bool NotificationBus::isListening() const
{
    return m_server && m_server->isListening();
}

QString NotificationBus::socketPath() const
{
    return m_socketFileName.isEmpty() ? QString() : m_directory + QLatin1Char('/') + m_socketFileName;
}

void NotificationBus::scheduleRescan()
{
    if (m_rescanSoon && !m_rescanSoon->isActive())
        m_rescanSoon->start();
}

void NotificationBus::rescan()
{
    if (!m_started)
        return;

    const QDir directory(m_directory);
    const QStringList names = directory.exists()
        ? directory.entryList(QDir::AllEntries | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot)
        : QStringList();

    QPointer<NotificationBus> guard(this);
    QSet<QString> present;
    QSet<quint64> liveIds;
    bool ownPresent = false;
    bool hiddenPresent = false;
    for (const QString& name : names) {
        if (name == m_socketFileName) {
            ownPresent = true;
            continue;
        }
        hiddenPresent = hiddenPresent || name.startsWith(QLatin1Char('.'));
        qint64 pid = 0;
        quint64 instanceId = 0;
        if (!parseSocketFileName(name, &pid, &instanceId) || instanceId == m_instanceId)
            continue;
        present.insert(name);
        liveIds.insert(instanceId);
        if (!m_outgoing.contains(name)) {
            connectToPeer(name, pid, instanceId); // may connect or fail synchronously, emitting signals
            if (!guard)
                return;
        }
    }

    // QLocalServer's bind directory of an instance killed while it started listening: removed once
    // it is old enough (a live instance passes through one in microseconds).
    if (hiddenPresent)
        removeAbandonedBindDirectories(m_directory);

    for (auto it = m_refusedSince.begin(); it != m_refusedSince.end();) {
        if (present.contains(it.key()))
            ++it;
        else
            it = m_refusedSince.erase(it);
    }

    // Forget the sequence numbers of senders that are gone for good: no connection, no socket.
    for (const auto& [socket, connection] : m_connections)
        liveIds.insert(connection->instanceId);
    for (auto it = m_lastSequence.begin(); it != m_lastSequence.end();) {
        if (liveIds.contains(it.key()))
            ++it;
        else
            it = m_lastSequence.erase(it);
    }

    // Someone removed our socket (or the whole directory), or QLocalServer closed itself after a
    // failed accept: without a socket file nobody can find us, so listen again.
    if (m_server && !ownPresent) {
        qCWarning(lcNotify).noquote() << "socket" << socketPath() << "vanished; listening again";
        m_server->close();
        delete m_server;
        m_server = nullptr;
        QString error;
        if (objectDirectory(m_address, true, &error).isEmpty() || !listenNow())
            qCWarning(lcNotify).noquote() << "cannot listen again:" << (error.isEmpty() ? m_errorString : error);
    }
    // inotify forgets a directory that was removed; watch the new one.
    if (m_watcher && m_watcher->directories().isEmpty() && QFileInfo::exists(m_directory))
        m_watcher->addPath(m_directory);
}

void NotificationBus::connectToPeer(const QString& fileName, qint64 pid, quint64 instanceId)
{
    auto* socket = new QLocalSocket(this);
    auto connection = std::make_unique<Connection>();
    connection->socket = socket;
    connection->outgoing = true;
    connection->fileName = fileName;
    connection->pid = pid;
    connection->instanceId = instanceId;
    // The hello goes first and carries the sequence number of the last notice sent before this
    // connection existed; notices queued while connecting follow it in order.
    const QByteArray hello = encodeFrame(makeNotice(NoticeKind::Hello));
    connection->pending.append(hello);
    connection->pendingBytes = hello.size();
    m_outgoing.insert(fileName, socket);
    m_connections.emplace(socket, std::move(connection));

    connect(socket, &QLocalSocket::connected, this, [this, socket] { onConnected(socket); });
    connect(socket, &QLocalSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
    connect(socket, &QLocalSocket::bytesWritten, this, [this, socket] { resynchronise(socket); });
    connect(socket, &QLocalSocket::errorOccurred, this, [this, socket] { onSocketError(socket); });
    connect(socket, &QLocalSocket::disconnected, this, [this, socket] { onDisconnected(socket); });
    // Usually connects (or fails) synchronously, emitting the signals above before returning.
    socket->connectToServer(m_directory + QLatin1Char('/') + fileName);
}

void NotificationBus::onConnected(QLocalSocket* socket)
{
    Connection* connection = connectionFor(socket);
    if (!connection)
        return;
    qint64 peerPid = 0;
    QString why;
    if (!peerIsSameUser(socket, &peerPid, &why)) {
        qCWarning(lcNotify).noquote() << "refused peer socket" << connection->fileName << ":" << why;
        dropConnection(socket, true);
        return;
    }
    connection->connected = true;
    connection->since = QDateTime::currentDateTime();
    m_refusedSince.remove(connection->fileName);
    const QList<QByteArray> pending = std::exchange(connection->pending, {});
    connection->pendingBytes = 0;
    QPointer<NotificationBus> guard(this);
    for (const QByteArray& frame : pending) {
        sendFrame(*connection, frame);
        if (!guard || !connectionFor(socket))
            return; // dropped as too slow
    }
    qCDebug(lcNotify) << "connected to peer pid" << connection->pid;
    Q_EMIT peersChanged();
}

void NotificationBus::acceptConnections()
{
    while (m_server && m_server->hasPendingConnections()) {
        QLocalSocket* socket = m_server->nextPendingConnection();
        qint64 peerPid = 0;
        QString why;
        if (!peerIsSameUser(socket, &peerPid, &why)) {
            qCWarning(lcNotify).noquote() << "refused a connection to" << socketPath() << ":" << why;
            socket->abort();
            socket->deleteLater();
            continue;
        }
        socket->setParent(this);
        auto connection = std::make_unique<Connection>();
        connection->socket = socket;
        connection->outgoing = false;
        connection->connected = true;
        connection->pid = peerPid;
        connection->since = QDateTime::currentDateTime();
        m_connections.emplace(socket, std::move(connection));
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QLocalSocket::errorOccurred, this, [this, socket] { onSocketError(socket); });
        connect(socket, &QLocalSocket::disconnected, this, [this, socket] { onDisconnected(socket); });
        qCDebug(lcNotify) << "accepted a connection from pid" << peerPid;
        // Nothing is written here: see onReadyRead() for when the answering hello goes out.
    }
}

bool NotificationBus::peerIsSameUser(QLocalSocket* socket, qint64* peerPid, QString* why) const
{
    const qintptr fd = socket->socketDescriptor();
    if (fd < 0) {
        *why = QStringLiteral("no socket descriptor");
        return false;
    }
    ucred credentials = {};
    socklen_t size = sizeof(credentials);
    if (::getsockopt(static_cast<int>(fd), SOL_SOCKET, SO_PEERCRED, &credentials, &size) != 0) {
        *why = QStringLiteral("getsockopt(SO_PEERCRED): %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    *peerPid = credentials.pid;
    if (credentials.uid != ::geteuid()) {
        *why = QStringLiteral("peer pid %1 runs as uid %2, not uid %3")
                   .arg(credentials.pid)
                   .arg(credentials.uid)
                   .arg(::geteuid());
        return false;
    }
    return true;
}

void NotificationBus::onReadyRead(QLocalSocket* socket)
{
    QPointer<NotificationBus> guard(this);
    processFrames(socket);
    if (!guard)
        return;
    // After a quiet period the ranges of this read are delivered now, not on a later turn of the
    // event loop: that turn was one more hop in an isolated notice's latency (ChangeCoalescer).
    if (!m_coalescer->deliverIfDue())
        return;
    // Answer a peer's hello with ours (its peers() then know our role) only once everything it
    // sent so far has been read and handled. A one-shot writer may be gone already: writing to it
    // then fails with EPIPE and Qt aborts the socket at once, discarding what was still unread —
    // its notice among it, had we answered as soon as we accepted the connection.
    Connection* connection = connectionFor(socket);
    if (connection && connection->helloAnswerDue) {
        connection->helloAnswerDue = false;
        connection->helloAnswered = true;
        // Its sequence number means nothing to the receiver: our notices travel on our own
        // outgoing connection to it.
        sendFrame(*connection, encodeFrame(makeNotice(NoticeKind::Hello)));
    }
}

void NotificationBus::processFrames(QLocalSocket* socket)
{
    QPointer<NotificationBus> guard(this);
    Connection* connection = connectionFor(socket);
    if (!connection)
        return;
    connection->reader.append(socket->readAll());
    for (;;) {
        connection = connectionFor(socket); // handling a notice may have dropped the connection
        if (!connection)
            return;
        QByteArray payload;
        QString why;
        const FrameReader::Status status = connection->reader.next(&payload, &why);
        if (status == FrameReader::Status::NeedMore)
            return;
        if (status == FrameReader::Status::Oversized) {
            // The length prefix is the only framing: past a bad one the stream cannot be resynchronised.
            qCWarning(lcNotify).noquote() << "closing the connection with pid" << connection->pid << ":" << why;
            dropConnection(socket, true);
            return;
        }
        const std::optional<Notice> notice = decodeNotice(payload, &why);
        if (!notice) {
            if (!connection->warnedMalformed) {
                connection->warnedMalformed = true;
                qCWarning(lcNotify).noquote() << "dropped a malformed frame from pid" << connection->pid << ":" << why
                                              << "(further ones from this connection are logged at debug level)";
            } else {
                qCDebug(lcNotify).noquote() << "dropped a malformed frame from pid" << connection->pid << ":" << why;
            }
            continue;
        }
        if (notice->address != m_address) {
            if (!connection->warnedAddress) {
                connection->warnedAddress = true;
                qCWarning(lcNotify).noquote() << "dropped a frame for" << notice->address << "from pid" << notice->pid
                                              << "on the bus of" << m_address;
            }
            continue;
        }
        if (notice->instanceId == m_instanceId)
            continue; // our own: we never connect to ourselves, but never echo either
        handleNotice(*connection, *notice);
        if (!guard)
            return; // a slot deleted the bus
    }
}

void NotificationBus::handleNotice(Connection& connection, const Notice& notice)
{
    QPointer<NotificationBus> guard(this);
    QLocalSocket* const socket = connection.socket;

    // Sequence numbers are only compared on incoming connections: those carry the sender's notices
    // in order. The hello a peer answers on our outgoing connection is not ordered with them.
    if (!connection.outgoing) {
        const auto found = m_lastSequence.constFind(notice.instanceId);
        const bool known = found != m_lastSequence.cend();
        const quint64 last = known ? *found : 0;
        // changed/resized/removed each take the next number; hello and bye repeat the last one sent.
        const quint64 expected = last + (notice.kind == NoticeKind::Hello || notice.kind == NoticeKind::Bye ? 0 : 1);
        // A sender not known yet counts from 0: its first hello carrying s > 0 means it announced
        // writes before its connection to us existed, which never reached us. Those bytes may have
        // changed after we read them (we read the object when we started, maybe before those writes),
        // so a late join is a gap like any other — and the exact moment to re-read: every notice
        // of this sender from now on comes on this connection, after this hello.
        const bool gap = notice.sequence > expected;
        if (!known || notice.sequence > last)
            m_lastSequence.insert(notice.instanceId, notice.sequence);
        if (gap) {
            qCInfo(lcNotify) << (known ? "missed" : "joined after") << (notice.sequence - expected)
                             << "notices from pid" << notice.pid;
            if (!m_coalescer->deliverNow() || !connectionFor(socket)) // what came before the gap, first
                return;
            Q_EMIT noticesMissed(notice.pid);
            if (!guard || !connectionFor(socket))
                return;
        }
    }

    switch (notice.kind) {
    case NoticeKind::Hello: {
        const bool news
            = connection.outgoing && connection.connected && (!connection.roleKnown || connection.role != notice.role);
        connection.role = notice.role;
        connection.roleKnown = true;
        if (!connection.outgoing) {
            connection.pid = notice.pid;
            connection.instanceId = notice.instanceId;
            connection.helloAnswerDue = !connection.helloAnswered;
        } else if (notice.instanceId != connection.instanceId) {
            qCWarning(lcNotify).noquote() << "peer socket" << connection.fileName << "answered as instance"
                                          << QString::number(notice.instanceId, 16);
        }
        if (news)
            Q_EMIT peersChanged();
        return;
    }
    case NoticeKind::Bye:
        connection.byeReceived = true;
        if (connection.outgoing)
            dropConnection(socket, true); // it is leaving; its socket file goes with it
        return;
    case NoticeKind::Changed:
        m_coalescer->add(notice.offset, notice.length, notice.pid);
        return;
    case NoticeKind::Resized:
        if (m_coalescer->deliverNow()) // the writes before the resize come first
            Q_EMIT resized(notice.length, notice.pid);
        return;
    case NoticeKind::Removed:
        if (m_coalescer->deliverNow())
            Q_EMIT removed(notice.pid);
        return;
    }
}

void NotificationBus::onSocketError(QLocalSocket* socket)
{
    Connection* connection = connectionFor(socket);
    if (!connection)
        return;
    const QLocalSocket::LocalSocketError error = socket->error();
    if (connection->outgoing && !connection->connected) {
        const QString fileName = connection->fileName;
        const qint64 pid = connection->pid;
        dropConnection(socket, false);
        if (error == QLocalSocket::ServerNotFoundError || error == QLocalSocket::ConnectionRefusedError)
            removeStaleSocket(fileName, pid);
        else
            qCDebug(lcNotify).noquote() << "cannot connect to" << fileName << ":" << socket->errorString();
        return;
    }
    if (error != QLocalSocket::PeerClosedError)
        qCDebug(lcNotify).noquote() << "connection with pid" << connection->pid << "failed:" << socket->errorString();
    onDisconnected(socket);
}

void NotificationBus::onDisconnected(QLocalSocket* socket)
{
    Connection* connection = connectionFor(socket);
    if (!connection)
        return;
    // A writer that closed right after writing: what it sent is still readable, so handle it first.
    if (connection->connected && socket->bytesAvailable() > 0) {
        QPointer<NotificationBus> guard(this);
        processFrames(socket);
        if (!guard || !m_coalescer->deliverIfDue())
            return;
        connection = connectionFor(socket);
        if (!connection)
            return;
    }
    const bool lostPeer = connection->outgoing && connection->connected;
    // A sender that vanished without a bye (killed, crashed) may have written bytes it never
    // announced — between its write and its announcement, or while its notices to us were queued
    // in its buffer (it was dropping them because we were not reading). Only a sender that ever
    // announced something counts: a pure watcher's death costs its peers nothing.
    const bool uncleanWriter = !connection->outgoing && !connection->byeReceived && connection->instanceId != 0
        && m_lastSequence.value(connection->instanceId, 0) > 0;
    const qint64 senderPid = connection->pid;
    dropConnection(socket, false);
    if (uncleanWriter) {
        qCInfo(lcNotify) << "pid" << senderPid << "left without a bye; its last writes may be unannounced";
        QPointer<NotificationBus> guard(this);
        if (!m_coalescer->deliverNow()) // what it announced comes first
            return;
        Q_EMIT noticesMissed(senderPid);
        if (!guard)
            return;
    }
    // A peer that vanished without a bye was probably killed: look at once whether its socket file
    // is left behind (the scan removes it when its owner is gone).
    if (lostPeer)
        scheduleRescan();
}

// A write found the peer gone (EPIPE). What it sent before it closed — typically a one-shot writer's
// notice and bye, arriving after the hello that our write answered — is still in the kernel's receive
// queue, not yet in Qt's buffer: read it straight from the descriptor and handle it, then the
// disconnection, exactly as if the closing had been noticed by reading.
void NotificationBus::onPeerClosedBeforeWrite(QLocalSocket* socket)
{
    Connection* connection = connectionFor(socket);
    if (!connection)
        return;
    connection->reader.append(socket->readAll()); // Qt's buffer first: it holds the older bytes
    const int fd = static_cast<int>(socket->socketDescriptor());
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::recv(fd, buffer, sizeof(buffer), MSG_DONTWAIT);
        if (n > 0)
            connection->reader.append(QByteArrayView(buffer, n));
        else if (n < 0 && errno == EINTR)
            continue;
        else
            break; // end of stream, or nothing more queued
    }
    QPointer<NotificationBus> guard(this);
    processFrames(socket);
    if (!guard || !m_coalescer->deliverIfDue() || !connectionFor(socket))
        return;
    onDisconnected(socket);
}

void NotificationBus::removeStaleSocket(const QString& fileName, qint64 pid)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 firstRefusal = m_refusedSince.value(fileName, now);
    m_refusedSince.insert(fileName, firstRefusal);
    const bool ownerGone = !processIsAlive(pid);
    if (!ownerGone && now - firstRefusal < kStaleGraceMs)
        return; // retried on the next scan
    const QString path = m_directory + QLatin1Char('/') + fileName;
    if (::unlink(QFile::encodeName(path).constData()) == 0) {
        qCInfo(lcNotify).noquote()
            << "removed stale socket" << path
            << (ownerGone ? QStringLiteral("(pid %1 is gone)").arg(pid)
                          : QStringLiteral("(refusing connections for %1 ms)").arg(now - firstRefusal));
    } else if (errno != ENOENT) {
        qCWarning(lcNotify).noquote() << "cannot remove stale socket" << path << ":"
                                      << QString::fromLocal8Bit(std::strerror(errno));
    }
    m_refusedSince.remove(fileName);
}

void NotificationBus::dropConnection(QLocalSocket* socket, bool abortNow)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    const std::unique_ptr<Connection> connection = std::move(it->second);
    m_connections.erase(it);
    if (connection->outgoing) {
        const auto outgoing = m_outgoing.constFind(connection->fileName);
        if (outgoing != m_outgoing.cend() && *outgoing == socket)
            m_outgoing.erase(outgoing);
    } else if (connection->byeReceived) {
        m_lastSequence.remove(connection->instanceId); // it left cleanly: nothing more to track
    }
    socket->disconnect(this);
    if (abortNow)
        socket->abort();
    socket->deleteLater(); // we may be inside one of its signals
    if (connection->outgoing && connection->connected)
        Q_EMIT peersChanged();
}

Notice NotificationBus::makeNotice(NoticeKind kind) const
{
    Notice notice;
    notice.kind = kind;
    notice.address = m_address;
    notice.pid = m_pid;
    notice.instanceId = m_instanceId;
    notice.sequence = m_sequence;
    notice.role = m_role;
    return notice;
}

void NotificationBus::announceChanged(quint64 offset, quint64 length)
{
    if (!m_started || length == 0)
        return;
    ++m_sequence;
    Notice notice = makeNotice(NoticeKind::Changed);
    notice.offset = offset;
    notice.length = qMin(length, std::numeric_limits<quint64>::max() - offset);
    announce(notice);
}

void NotificationBus::announceResized(quint64 newSize)
{
    if (!m_started)
        return;
    ++m_sequence;
    Notice notice = makeNotice(NoticeKind::Resized);
    notice.length = newSize;
    announce(notice);
}

void NotificationBus::announceRemoved()
{
    if (!m_started)
        return;
    ++m_sequence;
    announce(makeNotice(NoticeKind::Removed));
}

void NotificationBus::announce(Notice notice)
{
    const QByteArray frame = encodeFrame(notice);
    QPointer<NotificationBus> guard(this);
    // A copy: sending may drop a slow peer, which edits m_outgoing and emits peersChanged.
    const QList<QLocalSocket*> sockets = m_outgoing.values();
    for (QLocalSocket* socket : sockets) {
        Connection* connection = connectionFor(socket);
        if (connection)
            sendFrame(*connection, frame, notice.kind == NoticeKind::Changed);
        if (!guard)
            return;
    }
}

void NotificationBus::sendFrame(Connection& connection, const QByteArray& frame, bool mayDrop)
{
    if (!connection.connected) {
        connection.pending.append(frame);
        connection.pendingBytes += frame.size();
        if (connection.pendingBytes > kMaxPendingBytes) {
            qCWarning(lcNotify) << "peer pid" << connection.pid << "does not accept its connection;"
                                << connection.pendingBytes << "bytes pending, dropping it";
            dropConnection(connection.socket, true);
        }
        return;
    }
    if (connection.overflowed && mayDrop) {
        // The peer is not reading (stopped, hung). Queuing more would only grow our memory; the
        // notice is dropped for it, and resynchronise() tells it so once it has read the backlog.
        // Only `changed` notices are dropped: a resize or a removal (rare) is queued still, so the
        // peer learns of it — after a gap in the sequence numbers, reported as noticesMissed.
        ++connection.droppedNotices;
        return;
    }
    QLocalSocket* const socket = connection.socket;
    // The common case — nothing queued in Qt's buffer — goes straight to the kernel with one
    // non-blocking send(): QLocalSocket's write() + flush() copies the frame into its ring buffer,
    // writes it out of there and emits bytesWritten, and on an idle, cache-cold process that path
    // was a measurable part of an isolated notice's latency (bench_notify's announce_call_us).
    // Only with an empty buffer, so the order of bytes on the stream is kept; whatever the kernel
    // does not take (a full socket buffer: a slow peer) and every error go through Qt's buffer, whose
    // writer reports errors and disconnections the usual way.
    qsizetype sent = 0;
    if (socket->bytesToWrite() == 0 && socket->socketDescriptor() >= 0) {
        const ssize_t n = ::send(static_cast<int>(socket->socketDescriptor()), frame.constData(),
                                 static_cast<size_t>(frame.size()), MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n > 0) {
            sent = n;
        } else if (n < 0 && (errno == EPIPE || errno == ECONNRESET)) {
            // The peer closed its end: Qt's writer would abort the socket on this error and discard
            // what the peer sent before closing, still unread in our receive queue.
            onPeerClosedBeforeWrite(socket);
            return;
        }
    }
    if (sent == frame.size())
        return;
    socket->write(frame.constData() + sent, frame.size() - sent);
    // QLocalSocket only buffers; flush() hands the bytes to the kernel now, without blocking.
    QPointer<NotificationBus> guard(this);
    socket->flush();
    // A write error is reported synchronously (errorOccurred), which drops the connection: `connection`
    // may be gone now.
    if (!guard || connectionFor(socket) != &connection)
        return;
    if (socket->bytesToWrite() > kMaxPendingBytes) {
        // Not dropping the connection: the peer would then have to wait for a reconnection to learn
        // of its loss (and would never learn it if we left or died before reconnecting), and every
        // reconnection to a stopped peer would pile up another connection and another buffer in its
        // accept queue. Keeping it costs at most this buffer plus the kernel's.
        connection.overflowed = true;
        connection.droppedNotices = 0;
        qCWarning(lcNotify) << "peer pid" << connection.pid << "is not reading;" << socket->bytesToWrite()
                            << "bytes pending: dropping notices for it until it catches up";
    }
}

// Called whenever Qt handed buffered bytes of an outgoing connection to the kernel.
void NotificationBus::resynchronise(QLocalSocket* socket)
{
    Connection* connection = connectionFor(socket);
    if (!connection || !connection->overflowed || socket->bytesToWrite() > 0)
        return;
    // Qt has handed everything we queued to the kernel (the peer reads on); the hello follows that
    // backlog on the same stream. It carries our current sequence number: when
    // notices were dropped it is past the last one the peer received, which the peer reports as
    // noticesMissed (re-read everything); when none were, it is equal and means nothing.
    connection->overflowed = false;
    qCInfo(lcNotify) << "peer pid" << connection->pid << "is reading again;" << connection->droppedNotices
                     << "notices were dropped for it, telling it so";
    sendFrame(*connection, encodeFrame(makeNotice(NoticeKind::Hello)));
}

NotificationBus::Connection* NotificationBus::connectionFor(QLocalSocket* socket) const
{
    const auto it = m_connections.find(socket);
    return it == m_connections.end() ? nullptr : it->second.get();
}

bool NotificationBus::flush(int timeoutMs)
{
    if (!m_started)
        return false;
    const QDeadlineTimer deadline(timeoutMs);
    rescan(); // peers that appeared since start()

    auto remaining = [&deadline] {
        const qint64 ms = deadline.remainingTime();
        return ms < 0 ? -1 : static_cast<int>(qMin<qint64>(ms, std::numeric_limits<int>::max()));
    };

    bool delivered = true;
    const QList<QLocalSocket*> sockets = m_outgoing.values();
    for (QLocalSocket* socket : sockets) {
        if (!connectionFor(socket))
            continue; // found stale meanwhile: not a live peer
        if (socket->state() == QLocalSocket::ConnectingState)
            socket->waitForConnected(remaining());
        Connection* connection = connectionFor(socket);
        if (!connection)
            continue;
        if (!connection->connected) {
            delivered = false;
            continue;
        }
        while (connectionFor(socket) && socket->bytesToWrite() > 0 && !deadline.hasExpired()) {
            if (!socket->waitForBytesWritten(remaining()))
                break;
        }
        if (connectionFor(socket) && socket->bytesToWrite() > 0)
            delivered = false;
    }
    return delivered;
}

int NotificationBus::peerCount() const
{
    int count = 0;
    for (const auto& [socket, connection] : m_connections)
        count += (connection->outgoing && connection->connected) ? 1 : 0;
    return count;
}

QList<PeerInfo> NotificationBus::peers() const
{
    QList<PeerInfo> result;
    for (const auto& [socket, connection] : m_connections) {
        if (!connection->outgoing || !connection->connected)
            continue;
        PeerInfo info;
        info.pid = connection->pid;
        info.instanceId = connection->instanceId;
        info.role = connection->role;
        info.roleKnown = connection->roleKnown;
        info.since = connection->since;
        if (!info.roleKnown) {
            // Its own hello on the connection it made to us may have come first.
            for (const auto& [otherSocket, other] : m_connections) {
                if (!other->outgoing && other->roleKnown && other->instanceId == info.instanceId) {
                    info.role = other->role;
                    info.roleKnown = true;
                }
            }
        }
        result.append(info);
    }
    return result;
}

} // namespace shmscope
