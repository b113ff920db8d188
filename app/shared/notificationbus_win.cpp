// NotificationBus on Windows: the registered window message broadcast of core/broadcast.h (the
// mechanism of seed 004) instead of the QLocalSocket mesh of notificationbus.cpp, which is built
// everywhere else. Only this file is Windows-specific; the coalescing is shared (changecoalescer.h).
//
// Debian has no Qt for mingw-w64, so this file cannot be linked on our machines: tools/wine-test
// compiles it (moc output included) with the mingw-w64 compiler against Debian's Qt headers, which
// catches type and API errors but not link errors.
//
// What differs from the socket backend (docs/windows.md, "Notifications"):
//  - no peer list: a broadcast reaches every window of the group and nobody answers, so peers() is
//    empty and peerCount() 0;
//  - "resized" and "removed" travel as "re-read everything" (lParam 0): a Windows section cannot be
//    resized or unnamed while mapped, and a file: mapping's new size is found by re-reading;
//  - a received "re-read everything" is delivered as noticesMissed(), whose contract is exactly that;
//  - the seed-004 section uses seed 004's own message and always lParam 0, so that ShmScope and a
//    running copy of that editor see each other's edits.
#include "core/address.h"
#include "core/broadcast.h"
#include "core/textsync.h"
#include "notificationbus.h"

#include <QCoreApplication>
#include <QPointer>
#include <QRandomGenerator>
#include <windows.h>

namespace shmscope {

Q_LOGGING_CATEGORY(lcNotify, "shmscope.notify", QtInfoMsg)

namespace {

// The sender's process id from its window (wParam); 0 when the window is gone already.
qint64 senderProcessId(std::uintptr_t window)
{
    DWORD pid = 0;
    GetWindowThreadProcessId(reinterpret_cast<HWND>(window), &pid);
    return qint64(pid);
}

} // namespace

NotificationBus::NotificationBus(QString canonicalAddress, Role role, QObject* parent)
    : QObject(parent)
    , m_address(std::move(canonicalAddress))
    , m_role(role)
    , m_pid(QCoreApplication::applicationPid())
    , m_coalescer(new ChangeCoalescer(this))
{
    while (m_instanceId == 0)
        m_instanceId = QRandomGenerator::system()->generate64();
    connect(m_coalescer, &ChangeCoalescer::changed, this, &NotificationBus::changed);
}

// Destroying the channel closes its window and joins its thread: no handler runs after this, so the
// queued calls the handler posted to `this` are simply discarded with the object.
NotificationBus::~NotificationBus() = default;

bool NotificationBus::start(bool listen)
{
    if (m_started)
        return true;
    const Result<Address> address = parseAddress(m_address.toStdString());
    if (!address) {
        m_errorString = tr("Cannot join the notifications of %1: %2")
                            .arg(m_address, QString::fromStdString(address.error().message()));
        return false;
    }
    m_seed004 = *address == TextSync::address();
    const std::string messageName = m_seed004 ? seed004MessageName() : broadcastMessageName(*address);

    // The handler runs on the channel's thread: hand every notice to this object's thread.
    BroadcastChannel::Handler handler;
    if (listen) {
        handler = [this](const ChangeNotice& notice) {
            QMetaObject::invokeMethod(
                this,
                [this, notice] {
                    const qint64 pid = senderProcessId(notice.sender);
                    if (!notice.whole) {
                        // One message is one "read": deliver now after a quiet period, else by the
                        // coalescer's timer.
                        m_coalescer->add(notice.offset, notice.length, pid);
                        m_coalescer->deliverIfDue();
                        return;
                    }
                    if (m_coalescer->deliverNow()) // what came before, first
                        Q_EMIT noticesMissed(pid);
                },
                Qt::QueuedConnection);
        };
    } else {
        handler = [](const ChangeNotice&) {}; // a one-shot writer only announces
    }
    Result<std::unique_ptr<BroadcastChannel>> channel = BroadcastChannel::open(messageName, std::move(handler));
    if (!channel) {
        m_errorString = tr("Cannot join the notifications of %1: %2")
                            .arg(m_address, QString::fromStdString(channel.error().message()));
        return false;
    }
    m_channel = std::move(*channel);
    m_listening = listen;
    m_started = true;
    return true;
}

bool NotificationBus::isListening() const
{
    return m_started && m_listening;
}

QString NotificationBus::socketPath() const
{
    return {}; // no socket: window messages
}

void NotificationBus::announceChanged(quint64 offset, quint64 length)
{
    if (!m_channel || length == 0)
        return;
    const Status sent = m_seed004 ? m_channel->announceAll() : m_channel->announce(offset, length);
    if (!sent)
        qCWarning(lcNotify).noquote() << QString::fromStdString(sent.error().message());
}

void NotificationBus::announceResized(quint64)
{
    if (!m_channel)
        return;
    if (const Status sent = m_channel->announceAll(); !sent)
        qCWarning(lcNotify).noquote() << QString::fromStdString(sent.error().message());
}

void NotificationBus::announceRemoved()
{
    announceResized(0); // see the file comment: "re-read everything"
}

bool NotificationBus::flush(int)
{
    return true; // PostMessage has queued every broadcast in the receivers' queues already
}

int NotificationBus::peerCount() const
{
    return 0;
}

QList<PeerInfo> NotificationBus::peers() const
{
    return {};
}

} // namespace shmscope
