#include "watcher.h"

#include "app/shared/notificationbus.h"
#include "cli.h"
#include "core/blockhasher.h"
#include "exitcode.h"
#include "hexformat.h"
#include "output.h"

#include <algorithm>
#include <csignal>
#include <cstring>

namespace shmscope {

namespace {

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
    , m_scan(*m_mapping)
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
    rehash(size);
    if (m_hashedSize != size) {
        m_exitCode = reportError(m_hashError);
        return false;
    }
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

// Hashes the blocks from `firstBlock` to the end of m_hashes as the baseline (nothing is reported) and
// keeps copies of those with data while the budget lasts. Returns false when the object could not be
// read (it shrank again: the next size check sees it); m_hashedSize then ends before the block that
// failed, and m_hashError says why.
bool Watcher::hashFrom(std::uint64_t firstBlock)
{
    BlockHasher hasher(m_scan, m_hashedSize);
    hasher.restartAt(firstBlock * m_blockSize);
    QByteArray bytes;
    for (std::uint64_t b = firstBlock; b < m_hashes.size(); ++b) {
        const std::uint64_t offset = b * m_blockSize;
        const std::uint64_t length = std::min(m_blockSize, m_hashedSize - offset);
        Result<std::uint64_t> hash = hasher.hashBlock(offset, length);
        Status read;
        if (hash && *hash != blockhash::kHoleHash && m_copyBytes + length <= kCopyBudget) {
            bytes.resize(qsizetype(length));
            read = readSparse(m_scan, offset, bytes.data(), std::size_t(length));
        }
        if (!hash || !read) {
            m_hashError = hash ? read.error() : hash.error();
            m_hashes.resize(std::size_t(b));
            m_hashedSize = offset;
            return false;
        }
        m_hashes[std::size_t(b)] = *hash;
        if (!bytes.isEmpty())
            keepCopy(b, *hash, bytes);
        bytes.clear();
    }
    return true;
}

// Makes the hashes describe the first `size` bytes of the (remapped) view: blocks that lie wholly
// inside both the old and the new size keep their hashes and copies, so changes there are still
// reported; the rest are hashed as they are now (their appearance is reported by the resize line).
// A size that needs another block size starts over.
void Watcher::rehash(std::uint64_t size)
{
    const std::uint64_t blockSize = blockhash::blockSizeFor(size);
    std::uint64_t kept = 0;
    if (blockSize == m_blockSize)
        kept = std::min(m_hashedSize, size) / blockSize;
    m_blockSize = blockSize;
    m_hashedSize = size;
    m_hashes.resize(std::size_t(blockhash::blockCount(size, blockSize)));
    m_hashes.shrink_to_fit(); // a shrunk object gives its memory back
    for (auto it = m_copies.begin(); it != m_copies.end();) {
        if (it->first >= kept) {
            m_copyBytes -= std::uint64_t(it->second.size());
            it = m_copies.erase(it);
        } else {
            ++it;
        }
    }
    hashFrom(kept);
}

// Remembers the bytes of `block` as last seen (hash `hash`) within the copy budget, dropping other
// blocks' copies when it is full. A block that is all hole needs no copy: its bytes are zeros.
void Watcher::keepCopy(std::uint64_t block, std::uint64_t hash, const QByteArray& bytes)
{
    auto it = m_copies.find(block);
    if (hash == blockhash::kHoleHash) {
        if (it != m_copies.end()) {
            m_copyBytes -= std::uint64_t(it->second.size());
            m_copies.erase(it);
        }
        return;
    }
    if (it != m_copies.end()) {
        it->second = bytes; // same block, same size
        return;
    }
    if (bytes.isEmpty() || std::uint64_t(bytes.size()) > kCopyBudget)
        return;
    // A block that changed is likely to change again: it takes the place of another block's copy.
    while (m_copyBytes + std::uint64_t(bytes.size()) > kCopyBudget && !m_copies.empty()) {
        m_copyBytes -= std::uint64_t(m_copies.begin()->second.size());
        m_copies.erase(m_copies.begin());
    }
    m_copies.emplace(block, bytes);
    m_copyBytes += std::uint64_t(bytes.size());
}

void Watcher::poll()
{
    if (m_finished || !checkSize())
        return;
    compare(0, m_hashedSize);
}

// Follows the object's size: prints a resize, remaps and adjusts the hashes. Returns false when the
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
    if (m_viewValid && size == m_mapping->size() && m_hashedSize == size)
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
        rehash(0);
        return true;
    }
    if (size != m_mapping->size() || !m_viewValid) {
        if (Status status = m_mapping->remap(); !status) {
            if (!m_remapErrorShown)
                printError(fromStd(status.error().message()) + Cli::tr(" (retrying)"));
            m_remapErrorShown = true;
            m_viewValid = false;
            rehash(0);
            return true;
        }
    }
    m_remapErrorShown = false;
    m_viewValid = true;
    rehash(m_mapping->size());
    return true;
}

void Watcher::compare(std::uint64_t offset, std::uint64_t length)
{
    if (!m_viewValid || length == 0 || offset >= m_hashedSize)
        return;
    const std::uint64_t end = offset + std::min(length, m_hashedSize - offset);

    // A run of changed bytes may cross block boundaries; it is printed when it ends.
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
    // Shrunk under us (Vanished, OutOfRange): the next size check reports it. Anything else ends the watch.
    auto failed = [&](const Error& error) {
        if (!isGone(error.code) && error.code != ErrorCode::OutOfRange) {
            reportError(error);
            finish(toInt(ExitCode::Failure));
        }
    };

    const std::uint64_t firstBlock = offset / m_blockSize;
    const std::uint64_t lastBlock = (end - 1) / m_blockSize;
    BlockHasher hasher(m_scan, m_hashedSize);
    hasher.restartAt(firstBlock * m_blockSize);
    QByteArray now;
    for (std::uint64_t b = firstBlock; b <= lastBlock && !m_finished; ++b) {
        const std::uint64_t blockOffset = b * m_blockSize;
        const std::uint64_t blockLength = std::min(m_blockSize, m_hashedSize - blockOffset);
        Result<std::uint64_t> hash = hasher.hashBlock(blockOffset, blockLength);
        if (!hash) {
            failed(hash.error());
            break;
        }
        std::uint64_t& known = m_hashes[std::size_t(b)];
        if (*hash == known) {
            if (run)
                printRun();
            continue;
        }
        now.resize(qsizetype(blockLength));
        if (Status read = readSparse(m_scan, blockOffset, now.data(), std::size_t(blockLength)); !read) {
            failed(read.error());
            break;
        }
        // The old bytes: the block's copy, or zeros when it was all hole; unknown otherwise.
        const auto copy = m_copies.find(b);
        const bool wasHole = known == blockhash::kHoleHash;
        if (copy == m_copies.end() && !wasHole) {
            if (run)
                printRun();
            if (print(Cli::tr("change offset=%1 length=%2 old=? new=%3")
                          .arg(formatHexOffset(blockOffset, 8))
                          .arg(blockLength)
                          .arg(formatByteList(now.constData(), std::size_t(blockLength), kPreviewBytes))))
                countEvent();
        } else {
            const char* old = copy != m_copies.end() ? copy->second.constData() : nullptr;
            for (std::uint64_t i = 0; i < blockLength && !m_finished; ++i) {
                const char before = old ? old[i] : '\0';
                const char after = now[qsizetype(i)];
                if (before != after) {
                    if (!run)
                        run = Run { blockOffset + i, 0, {}, {} };
                    if (run->length < kPreviewBytes) {
                        run->oldBytes += before;
                        run->newBytes += after;
                    }
                    ++run->length;
                } else if (run) {
                    printRun();
                }
            }
        }
        known = *hash;
        keepCopy(b, *hash, now);
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
