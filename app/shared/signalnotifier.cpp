#include "signalnotifier.h"

#include <QSocketNotifier>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace shmscope {

namespace {

// The write end for the handler. A plain int: the handler may only touch lock-free atomics or
// volatile sig_atomic_t; it is set before the handlers are installed and cleared after removal.
volatile std::sig_atomic_t g_writeFd = -1;

} // namespace

SignalNotifier::SignalNotifier(QObject* parent)
    : QObject(parent)
{ }

SignalNotifier::~SignalNotifier()
{
    for (const auto& [signalNumber, previous] : m_previous)
        ::sigaction(signalNumber, &previous, nullptr);
    g_writeFd = -1;
    delete m_notifier;
    for (int fd : m_fds) {
        if (fd >= 0)
            ::close(fd);
    }
}

bool SignalNotifier::install(std::initializer_list<int> signalNumbers)
{
    if (m_fds[0] < 0) {
        // SOCK_NONBLOCK: a flood of signals must not block the handler once the buffer is full.
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, m_fds) != 0) {
            m_errorString = QString::fromLocal8Bit(std::strerror(errno));
            return false;
        }
        g_writeFd = m_fds[1];
        m_notifier = new QSocketNotifier(m_fds[0], QSocketNotifier::Read);
        connect(m_notifier, &QSocketNotifier::activated, this, &SignalNotifier::readSignals);
    }
    for (int signalNumber : signalNumbers) {
        struct sigaction action {
        };
        action.sa_handler = &SignalNotifier::handleSignal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        struct sigaction previous {
        };
        if (::sigaction(signalNumber, &action, &previous) != 0) {
            m_errorString = QString::fromLocal8Bit(std::strerror(errno));
            return false;
        }
        m_previous.emplace_back(signalNumber, previous);
    }
    return true;
}

void SignalNotifier::handleSignal(int signalNumber)
{
    const int savedErrno = errno;
    const unsigned char byte = static_cast<unsigned char>(signalNumber);
    if (g_writeFd >= 0) {
        // Nothing can be done about a failed write here; a full buffer already holds a wake-up.
        const ssize_t written = ::write(g_writeFd, &byte, 1);
        static_cast<void>(written);
    }
    errno = savedErrno;
}

void SignalNotifier::readSignals()
{
    unsigned char bytes[16];
    for (;;) {
        const ssize_t count = ::read(m_fds[0], bytes, sizeof bytes);
        if (count <= 0)
            break;
        for (ssize_t i = 0; i < count; ++i)
            Q_EMIT signalReceived(bytes[i]);
    }
}

} // namespace shmscope
