#pragma once

// For the child processes of the multi-process GUI tests (a test executable started again with
// --child): reads commands from stdin, one per line, without blocking the event loop.
#include <QCoreApplication>
#include <QSocketNotifier>
#include <QString>
#include <functional>
#include <unistd.h>

namespace shmscope {

/// Calls `handle` with each line (without its newline) that arrives on stdin, from the event loop.
/// Quits the application when stdin closes (the parent test ended or died).
class StdinCommands
{
public:
    explicit StdinCommands(std::function<void(const QString& command)> handle)
        : m_handle(std::move(handle))
    {
        QObject::connect(&m_notifier, &QSocketNotifier::activated, &m_notifier, [this] { readAvailable(); });
    }

private:
    void readAvailable()
    {
        char buffer[4096];
        const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (n <= 0) {
            m_notifier.setEnabled(false);
            QCoreApplication::quit();
            return;
        }
        m_pending.append(buffer, n);
        qsizetype newline;
        while ((newline = m_pending.indexOf('\n')) >= 0) {
            const QString command = QString::fromUtf8(m_pending.left(newline));
            m_pending.remove(0, newline + 1);
            m_handle(command);
        }
    }

    std::function<void(const QString&)> m_handle;
    QSocketNotifier m_notifier { STDIN_FILENO, QSocketNotifier::Read };
    QByteArray m_pending;
};

} // namespace shmscope
