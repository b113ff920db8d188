#pragma once

#include "app/shared/signalnotifier.h"
#include "core/mapping.h"
#include "core/scansource.h"

#include <QByteArray>
#include <QObject>
#include <QTimer>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

namespace shmscope {

class NotificationBus;

/// The engine of `shmscope-cli watch`: compares the object with what it last saw every interval and
/// prints each run of changed bytes, each notification from other instances (after which it compares
/// the announced range at once), size changes and the removal of the object, one line each on stdout.
/// Joins the object's NotificationBus as a listening CLI peer, so GUI instances count it. Stops on
/// SIGINT/SIGTERM/SIGHUP (exit code 0), after Options::count events (0), when the object is removed
/// (0), or on an error it cannot continue after (1, message on stderr). Never touches mapped bytes
/// except through the core's fault-safe calls, so a truncation by another process is reported, not a
/// crash.
///
/// Memory does not grow with the object's size: like the GUI's ChangeScanner it keeps one hash per
/// block (the core's BlockHasher, core/blockhasher.h: at most 8 MiB of hashes, holes skipped and never
/// read), and a copy of the blocks' bytes only up to kCopyBudget bytes in all (the first blocks with
/// data, then blocks as they change). A changed block whose old bytes are known — a copy, or a block
/// that was all hole and so all zeros — is compared byte by byte and its runs printed exactly with old
/// and new bytes; a changed block without a copy (only in objects with more than kCopyBudget bytes of
/// data) is printed whole, with "old=?". Holes are read as zeros without touching them (readSparse()).
class Watcher : public QObject
{
    Q_OBJECT

public:
    /// The most bytes of block copies kept (8 MiB): objects with at most this much data are compared
    /// byte by byte everywhere.
    static constexpr std::uint64_t kCopyBudget = std::uint64_t(8) << 20;

    struct Options {
        std::chrono::milliseconds interval { 100 }; ///< time between two comparisons
        std::optional<std::uint64_t> count; ///< stop after this many events (changes, resizes, notifications)
    };

    /// Takes ownership of `mapping` (a read-only view is enough).
    Watcher(std::unique_ptr<Mapping> mapping, Options options, QObject* parent = nullptr);
    ~Watcher() override;

    /// Hashes the object (copying up to kCopyBudget bytes of it), installs the signal handlers, joins the bus (a
    /// failure there is a warning: polling still finds every change), prints "watching ADDRESS (N bytes)" and starts
    /// polling. Returns false when watching cannot start (the error was printed; exitCode() is the exit code).
    bool start();

    /// The exit code once finished() was emitted (or start() failed).
    int exitCode() const { return m_exitCode; }

Q_SIGNALS:
    /// Watching ended; `exitCode` is what the process should return. Emitted once.
    void finished(int exitCode);

private:
    void poll();
    bool checkSize();
    void compare(std::uint64_t offset, std::uint64_t length);
    bool hashFrom(std::uint64_t firstBlock);
    void rehash(std::uint64_t size);
    void keepCopy(std::uint64_t block, std::uint64_t hash, const QByteArray& bytes);
    void onChanged(quint64 offset, quint64 length, qint64 senderPid);
    void onResized(quint64 newSize, qint64 senderPid);
    void onRemoved(qint64 senderPid);
    void onNoticesMissed(qint64 senderPid);
    void objectRemoved();
    bool print(const QString& line);
    void countEvent();
    void finish(int exitCode);

    std::unique_ptr<Mapping> m_mapping;
    Options m_options;
    QString m_address; ///< canonical address, for messages
    MappingScanSource m_scan; ///< m_mapping as the core's scans see it
    std::uint64_t m_blockSize = 0; ///< blockhash::blockSizeFor() of the size hashed
    std::uint64_t m_hashedSize = 0; ///< the bytes m_hashes cover (0 while the view is unusable)
    std::vector<std::uint64_t> m_hashes; ///< one BlockHasher hash per block, as last seen
    std::unordered_map<std::uint64_t, QByteArray> m_copies; ///< block index → its bytes as last seen
    std::uint64_t m_copyBytes = 0; ///< the bytes held in m_copies (at most kCopyBudget)
    Error m_hashError; ///< why hashFrom() stopped early
    std::uint64_t m_knownSize = 0; ///< the object size last printed
    bool m_viewValid = true; ///< false after a remap failed (e.g. the object is now empty)
    bool m_remapErrorShown = false;
    std::uint64_t m_events = 0;
    bool m_finished = false;
    int m_exitCode = 0;
    QTimer m_timer;
    SignalNotifier m_signals;
    std::unique_ptr<NotificationBus> m_bus;
};

} // namespace shmscope
