#pragma once

#include "app/shared/signalnotifier.h"
#include "core/mapping.h"

#include <QByteArray>
#include <QObject>
#include <QTimer>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

namespace shmscope {

class NotificationBus;

/// The engine of `shmscope-cli watch`: keeps one copy of the object, compares the object with it
/// every interval and prints each run of changed bytes, each notification from other instances
/// (after which it compares the announced range at once), size changes and the removal of the
/// object, one line each on stdout. Joins the object's NotificationBus as a listening CLI peer, so
/// GUI instances count it. Stops on SIGINT/SIGTERM/SIGHUP (exit code 0), after Options::count events
/// (0), when the object is removed (0), or on an error it cannot continue after (1, message on
/// stderr). Never touches mapped bytes except through Mapping::read(), so a truncation by another
/// process is reported, not a crash.
class Watcher : public QObject
{
    Q_OBJECT

public:
    struct Options {
        std::chrono::milliseconds interval { 100 }; ///< time between two comparisons
        std::optional<std::uint64_t> count; ///< stop after this many events (changes, resizes, notifications)
    };

    /// Takes ownership of `mapping` (a read-only view is enough).
    Watcher(std::unique_ptr<Mapping> mapping, Options options, QObject* parent = nullptr);
    ~Watcher() override;

    /// Reads the first copy, installs the signal handlers, joins the bus (a failure there is a warning:
    /// polling still finds every change), prints "watching ADDRESS (N bytes)" and starts polling.
    /// Returns false when watching cannot start (the error was printed; exitCode() is the exit code).
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
    bool readInto(std::uint64_t offset, std::uint64_t length, char* out);
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
    QByteArray m_copy; ///< the bytes as last seen; empty while the view is unusable
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
