#include "watcher.h"

#include "app/shared/notificationbus.h"
#include "cli.h"
#include "exitcode.h"
#include "hexformat.h"
#include "output.h"

#include <algorithm>
#include <csignal>
#include <cstring>

namespace shmscope {

namespace {

// Bytes compared per read: bounds the temporary buffer whatever the object's size.
constexpr std::uint64_t kChunkSize = 64 * 1024;
// Bytes shown of the old and new contents of a changed run before "…".
constexpr std::size_t kPreviewBytes = 16;

bool isGone(ErrorCode code)
{
    return code == ErrorCode::Vanished || code == ErrorCode::NotFound;
}

} // namespace

Watcher::Watcher(std::unique_ptr<Mapping> mapping, Options options, QObject* parent)
    : QObject(parent)
    , m_mapping(std::move(mapping))
    , m_options(options)
    , m_address(fromStd(toString(m_mapping->address())))
{
    m_timer.setInterval(m_options.interval);
    connect(&m_timer, &QTimer::timeout, this, &Watcher::poll);
}

// Out of line: NotificationBus is only forward-declared in the header. Destroying the bus leaves
// it (closes the socket, removes the socket file).
Watcher::~Watcher() = default;

bool Watcher::start()
{
    const std::uint64_t size = m_mapping->size();
    m_copy.resize(qsizetype(size));
    if (!readInto(0, size, m_copy.data()))
        return false;
    m_knownSize = size;

    // Ctrl+C, kill and a closed terminal end the watch through the event loop, so that the bus is
    // left properly (its socket file removed) — a signal handler may not do that itself.
    if (!m_signals.install({ SIGINT, SIGTERM, SIGHUP }))
        printError(Cli::tr("watch %1: cannot handle signals: %2").arg(m_address, m_signals.errorString()));
    connect(&m_signals, &SignalNotifier::signalReceived, this, [this] { finish(toInt(ExitCode::Ok)); });
    // A closed pipe (watch | head) becomes a write error that ends the watch cleanly, not a SIGPIPE death.
    std::signal(SIGPIPE, SIG_IGN);

    // The bus is keyed by the object's identity (sysv: and sysvid: of one segment meet there).
    m_bus = std::make_unique<NotificationBus>(fromStd(toString(m_mapping->identity())), NotificationBus::Role::Cli);
    if (m_bus->start(true)) {
        connect(m_bus.get(), &NotificationBus::changed, this, &Watcher::onChanged);
        connect(m_bus.get(), &NotificationBus::resized, this, &Watcher::onResized);
        connect(m_bus.get(), &NotificationBus::removed, this, &Watcher::onRemoved);
        connect(m_bus.get(), &NotificationBus::noticesMissed, this, &Watcher::onNoticesMissed);
    } else {
        printError(Cli::tr("watch %1: notifications unavailable (%2); changes are still found by polling")
                       .arg(m_address, m_bus->errorString()));
        m_bus.reset();
    }

    if (!print(Cli::tr("watching %1 (%2)").arg(m_address, byteCountText(size))))
        return false;
    m_timer.start();
    return true;
}

bool Watcher::readInto(std::uint64_t offset, std::uint64_t length, char* out)
{
    for (std::uint64_t done = 0; done < length;) {
        const std::size_t count = std::size_t(std::min(kChunkSize, length - done));
        if (Status status = m_mapping->read(offset + done, out + done, count); !status) {
            m_exitCode = reportError(status.error());
            return false;
        }
        done += count;
    }
    return true;
}

void Watcher::poll()
{
    if (m_finished || !checkSize())
        return;
    compare(0, std::uint64_t(m_copy.size()));
}

// Follows the object's size: prints a resize, remaps and adjusts the copy. Returns false when the
// watch ended (removed object, --count reached, fatal error).
bool Watcher::checkSize()
{
    Result<std::uint64_t> current = m_mapping->objectSize();
    if (!current) {
        if (isGone(current.error().code)) {
            objectRemoved();
        } else {
            reportError(current.error());
            finish(toInt(ExitCode::Failure));
        }
        return false;
    }
    const std::uint64_t size = *current;
    if (m_viewValid && size == m_mapping->size())
        return true;

    if (size != m_knownSize) {
        if (!print(Cli::tr("resized: %1 (was %2)").arg(byteCountText(size), byteCountText(m_knownSize))))
            return false;
        m_knownSize = size;
        countEvent();
        if (m_finished)
            return false;
    }
    if (size == 0) {
        // Nothing can be mapped; keep asking for the size until the object grows again.
        m_viewValid = false;
        m_copy.clear();
        return true;
    }
    if (Status status = m_mapping->remap(); !status) {
        if (!m_remapErrorShown)
            printError(fromStd(status.error().message()) + Cli::tr(" (retrying)"));
        m_remapErrorShown = true;
        m_viewValid = false;
        m_copy.clear();
        return true;
    }
    m_remapErrorShown = false;
    m_viewValid = true;
    // Keep the copy of what is still there, so changes in it are still reported; take the grown
    // part as it is now (its appearance is reported by the resize line).
    const std::uint64_t mapped = m_mapping->size();
    const std::uint64_t kept = std::min<std::uint64_t>(std::uint64_t(m_copy.size()), mapped);
    m_copy.resize(qsizetype(mapped));
    for (std::uint64_t pos = kept; pos < mapped;) {
        const std::size_t count = std::size_t(std::min(kChunkSize, mapped - pos));
        if (!m_mapping->read(pos, m_copy.data() + pos, count).ok()) {
            // It shrank again already; the next poll sees the new size.
            m_copy.resize(qsizetype(pos));
            break;
        }
        pos += count;
    }
    return true;
}

void Watcher::compare(std::uint64_t offset, std::uint64_t length)
{
    if (!m_viewValid || offset >= std::uint64_t(m_copy.size()))
        return;
    const std::uint64_t end = offset + std::min(length, std::uint64_t(m_copy.size()) - offset);

    // A run of changed bytes may cross chunk boundaries; it is printed when it ends.
    struct Run {
        std::uint64_t start = 0;
        std::uint64_t length = 0;
        QByteArray oldBytes; ///< the first kPreviewBytes old bytes
        QByteArray newBytes;
    };
    std::optional<Run> run;
    auto printRun = [&] {
        print(Cli::tr("change offset=%1 length=%2 old=%3 new=%4")
                  .arg(formatHexOffset(run->start, 8))
                  .arg(run->length)
                  .arg(formatByteList(run->oldBytes.constData(), std::size_t(run->length), kPreviewBytes),
                       formatByteList(run->newBytes.constData(), std::size_t(run->length), kPreviewBytes)));
        run.reset();
        countEvent();
    };

    QByteArray buffer;
    for (std::uint64_t pos = offset; pos < end && !m_finished;) {
        const std::size_t count = std::size_t(std::min(kChunkSize, end - pos));
        buffer.resize(qsizetype(count));
        if (Status status = m_mapping->read(pos, buffer.data(), count); !status) {
            // Shrunk under us (Vanished): the next size check reports it. Nothing else can fail here.
            if (!isGone(status.error().code) && status.error().code != ErrorCode::OutOfRange) {
                reportError(status.error());
                finish(toInt(ExitCode::Failure));
            }
            break;
        }
        char* copy = m_copy.data() + pos;
        if (!run && std::memcmp(copy, buffer.constData(), count) == 0) {
            pos += count;
            continue;
        }
        for (std::size_t i = 0; i < count && !m_finished; ++i) {
            if (copy[i] != buffer[qsizetype(i)]) {
                if (!run)
                    run = Run { pos + i, 0, {}, {} };
                if (run->length < kPreviewBytes) {
                    run->oldBytes += copy[i];
                    run->newBytes += buffer[qsizetype(i)];
                }
                ++run->length;
            } else if (run) {
                printRun();
            }
        }
        std::memcpy(copy, buffer.constData(), count);
        pos += count;
    }
    if (run && !m_finished)
        printRun();
}

void Watcher::onChanged(quint64 offset, quint64 length, qint64 senderPid)
{
    if (m_finished)
        return;
    print(Cli::tr("notification from pid %1: changed offset=%2 length=%3")
              .arg(senderPid)
              .arg(formatHexOffset(offset))
              .arg(length));
    countEvent();
    // Look at the announced bytes now instead of at the next poll.
    if (!m_finished && checkSize())
        compare(offset, length);
}

void Watcher::onResized(quint64 newSize, qint64 senderPid)
{
    if (m_finished)
        return;
    print(Cli::tr("notification from pid %1: resized to %2").arg(senderPid).arg(byteCountText(newSize)));
    countEvent();
    if (!m_finished)
        checkSize();
}

void Watcher::onRemoved(qint64 senderPid)
{
    if (m_finished)
        return;
    print(Cli::tr("notification from pid %1: removed").arg(senderPid));
    countEvent();
    if (!m_finished)
        objectRemoved();
}

void Watcher::onNoticesMissed(qint64 senderPid)
{
    if (m_finished)
        return;
    print(Cli::tr("notification from pid %1: notices may have been missed; comparing everything").arg(senderPid));
    countEvent();
    // Polling compares the whole object anyway; do it now rather than at the next tick.
    poll();
}

void Watcher::objectRemoved()
{
    // Decision: the watch ends with success. Our view would stay valid, but no new process can
    // attach to the name any more, so nothing that a user wants to watch for is left.
    print(Cli::tr("removed: %1").arg(m_address));
    finish(toInt(ExitCode::Ok));
}

bool Watcher::print(const QString& line)
{
    if (m_finished)
        return false;
    if (!printLine(line)) {
        finish(toInt(ExitCode::Failure));
        return false;
    }
    return true;
}

void Watcher::countEvent()
{
    ++m_events;
    if (m_options.count && m_events >= *m_options.count)
        finish(toInt(ExitCode::Ok));
}

void Watcher::finish(int exitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    m_exitCode = exitCode;
    m_timer.stop();
    // The bus itself is left in the destructor: finish() may run inside one of its signals, where
    // deleting it would pull the object out from under its own emission.
    if (m_bus)
        m_bus->disconnect(this);
    Q_EMIT finished(exitCode);
}

} // namespace shmscope
