#pragma once

#include <QObject>
#include <csignal>
#include <initializer_list>
#include <utility>
#include <vector>

class QSocketNotifier;

namespace shmscope {

/// Turns POSIX signals (SIGINT, SIGTERM…) into a Qt signal delivered by the event loop, with the
/// self-pipe technique: the handler only write()s the signal number into a socketpair (async-signal
/// safe), and a QSocketNotifier on the other end emits signalReceived(). Owns the socketpair and
/// restores the previous handlers when destroyed. At most one instance may exist at a time.
class SignalNotifier : public QObject
{
    Q_OBJECT

public:
    explicit SignalNotifier(QObject* parent = nullptr);
    ~SignalNotifier() override;
    SignalNotifier(const SignalNotifier&) = delete;
    SignalNotifier& operator=(const SignalNotifier&) = delete;

    /// Creates the socketpair and installs handlers for `signalNumbers`. Returns false (errorString()
    /// says why) when the socketpair or a handler cannot be set up; the handlers installed so far stay.
    bool install(std::initializer_list<int> signalNumbers);

    /// Why install() failed.
    QString errorString() const { return m_errorString; }

Q_SIGNALS:
    /// A signal in the installed set arrived; emitted from the event loop, not from the handler.
    void signalReceived(int signalNumber);

private:
    void readSignals();
    static void handleSignal(int signalNumber);

    int m_fds[2] = { -1, -1 }; ///< [0]: read end (notifier), [1]: write end (handler)
    QSocketNotifier* m_notifier = nullptr;
    std::vector<std::pair<int, struct ::sigaction>> m_previous; ///< handlers to restore on destruction
    QString m_errorString;
};

} // namespace shmscope
