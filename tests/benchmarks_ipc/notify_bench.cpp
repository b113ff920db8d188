// bench_notify — figures of the notification layer between ShmScope instances (docs/notifications.md).
// A benchmark program, not a test: it prints one line per figure, `name value unit`, and asserts
// nothing about speed.
//
//   bench_notify [--quick]
//
//   unix_socket_rtt_us     median round trip of one byte over a raw AF_UNIX stream socket pair between
//                          two processes (fork), back to back (a ping-pong): the limit of this machine
//                          for any socket-based bus. Measured between the notices below (20 round trips
//                          after each), so that both figures see the same load
//   notify_p50_us          median and 99th percentile of the time from NotificationBus::announceChanged()
//   notify_p99_us          in one process to the changed() signal in another (one receiver); the
//                          notices are 20 ms apart, so each is an isolated write (coalescing delays
//                          only notices that follow a delivery within 16 ms)
//   notify_p50_over_rtt    notify_p50_us / unix_socket_rtt_us (the goal: at most 3)
//   unix_socket_rtt_idle_us  median raw round trip taken once after each notice, after 10 ms of idling
//                          like the notices: the cost of waking sleeping processes (on a VM, idle
//                          virtual CPUs), which a ping-pong never pays and every isolated notice does
//   announce_call_us       median time the announceChanged() call itself takes in the sender
//   qlocalsocket_oneway_us median time from writing one byte on a bare QLocalSocket to its readyRead
//                          handler in the receiver process (a bare QLocalServer there), after the same
//                          idle pause: the floor for any receiver that lives in a Qt event loop
//   fanout32_p99_us        the same with 32 receivers: 99th percentile over every (notice, receiver)
//   writes_per_s_coalesced announceChanged() calls per second, sustained for about 2 s, with 4
//                          receivers keeping up: the writer stays at most 4,000 writes ahead of the
//                          slowest receiver, and every receiver has been told of the last write
//                          before the time is taken (0 when one fell behind and missed notices)
//   coalesced_signals      changed() signals one receiver emitted for those writes, all together
//
// Times are CLOCK_MONOTONIC, which all processes share, so a one-way latency is t(receiver) − t(sender).
// Receivers are this program re-executed as `bench_notify --receiver ADDRESS REPORT_FD STOP_FD INDEX`:
// each joins the bus, writes a record to the report pipe per changed() signal, and leaves when the
// stop pipe closes. Everything runs in a private XDG_RUNTIME_DIR, so real instances are not disturbed.
// --quick: a few samples of each (for ctest's smoke run); the figures are then rough.

#include "app/shared/notificationbus.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QLocalServer>
#include <QLocalSocket>
#include <QSocketNotifier>
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace shmscope;

namespace {

// What a receiver writes per changed() signal; smaller than PIPE_BUF, so writes of several
// receivers into one pipe never interleave.
struct Report {
    quint32 receiver;
    quint32 kind; // 0: ready, 1: changed, 2: notices missed
    quint64 offset;
    quint64 length;
    qint64 timeNs;
};

qint64 nowNs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

[[noreturn]] void fail(const char* what)
{
    std::fprintf(stderr, "bench_notify: %s: %s\n", what, std::strerror(errno));
    std::exit(1);
}

bool writeAll(int fd, const void* data, size_t size)
{
    const char* bytes = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t written = ::write(fd, bytes, size);
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            return false;
        bytes += written;
        size -= static_cast<size_t>(written);
    }
    return true;
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(values.size())));
    return values[std::min(values.size() - 1, rank > 0 ? rank - 1 : 0)];
}

void print(const char* name, double value, const char* unit)
{
    std::printf("%s %.1f %s\n", name, value, unit);
    std::fflush(stdout);
}

// ---- raw socket round trip ---------------------------------------------------------------------

// A raw AF_UNIX stream socket pair to a forked child that echoes every byte back: the limit of this
// machine for any socket-based bus. Forked before Qt exists in this process, and kept for the whole
// run, so that its round trips can be measured side by side with the notices (same load, same time).
class RawEcho
{
public:
    RawEcho()
    {
        int pair[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
            fail("socketpair");
        m_child = ::fork();
        if (m_child < 0)
            fail("fork");
        if (m_child == 0) { // echo every byte back until the other end closes
            ::close(pair[0]);
            char byte = 0;
            while (::read(pair[1], &byte, 1) == 1) {
                if (::write(pair[1], &byte, 1) != 1)
                    break;
            }
            ::_exit(0);
        }
        ::close(pair[1]);
        m_fd = pair[0];
    }
    ~RawEcho()
    {
        ::close(m_fd);
        ::waitpid(m_child, nullptr, 0);
    }
    // One round trip of one byte; µs.
    double roundTripUs()
    {
        char byte = 'x';
        const qint64 start = nowNs();
        if (::write(m_fd, &byte, 1) != 1 || ::read(m_fd, &byte, 1) != 1)
            fail("ping-pong");
        return double(nowNs() - start) / 1000.0;
    }
    // `rounds` back-to-back round trips appended to `samples`; µs.
    void pingPong(int rounds, std::vector<double>* samples)
    {
        for (int i = 0; i < rounds; ++i)
            samples->push_back(roundTripUs());
    }

private:
    pid_t m_child = -1;
    int m_fd = -1;
};

// ---- receivers -----------------------------------------------------------------------------------

// Where receiver `index` listens with a bare QLocalServer (the Qt floor, see runReceiver()).
QString bareSocketPath(quint32 index)
{
    return QString::fromLocal8Bit(qgetenv("XDG_RUNTIME_DIR")) + QStringLiteral("/bare-%1.sock").arg(index);
}

int runReceiver(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QString address = QString::fromLocal8Bit(argv[2]);
    const int reportFd = std::atoi(argv[3]);
    const int stopFd = std::atoi(argv[4]);
    const quint32 index = static_cast<quint32>(std::atoi(argv[5]));

    NotificationBus bus(address, NotificationBus::Role::Cli);
    QObject::connect(&bus, &NotificationBus::changed, [reportFd, index](quint64 offset, quint64 length, qint64) {
        const Report report { index, 1, offset, length, nowNs() };
        if (!writeAll(reportFd, &report, sizeof report))
            QCoreApplication::exit(1);
    });
    QObject::connect(&bus, &NotificationBus::noticesMissed, [reportFd, index](qint64) {
        const Report report { index, 2, 0, 0, nowNs() };
        if (!writeAll(reportFd, &report, sizeof report))
            QCoreApplication::exit(1);
    });
    if (!bus.start()) {
        std::fprintf(stderr, "bench_notify: receiver: %s\n", qPrintable(bus.errorString()));
        return 1;
    }
    // The floor for any receiver living in a Qt event loop: a bare QLocalServer in this same process,
    // whose readyRead handler reports the time (kind 3). No codec, no coalescing, no bus.
    QLocalServer bare;
    bare.listen(bareSocketPath(index));
    QObject::connect(&bare, &QLocalServer::newConnection, &bare, [&bare, reportFd, index] {
        while (QLocalSocket* socket = bare.nextPendingConnection()) {
            QObject::connect(socket, &QLocalSocket::readyRead, socket, [socket, reportFd, index] {
                const qint64 now = nowNs();
                socket->readAll();
                const Report report { index, 3, 0, 0, now };
                if (!writeAll(reportFd, &report, sizeof report))
                    QCoreApplication::exit(1);
            });
        }
    });
    QSocketNotifier stop(stopFd, QSocketNotifier::Read);
    QObject::connect(&stop, &QSocketNotifier::activated, &app, [] { QCoreApplication::quit(); });
    const Report ready { index, 0, 0, 0, nowNs() };
    writeAll(reportFd, &ready, sizeof ready);
    return app.exec();
}

// A group of receiver processes on one address, and the pipes to hear them and to stop them.
class Receivers
{
public:
    Receivers(const QString& address, int count)
        : m_count(count)
    {
        int report[2];
        int stop[2];
        if (::pipe2(report, O_CLOEXEC) != 0 || ::pipe2(stop, O_CLOEXEC) != 0)
            fail("pipe");
        m_reportFd = report[0];
        m_stopFd = stop[1];
        const std::string self = QCoreApplication::applicationFilePath().toStdString();
        const std::string addressArg = address.toStdString();
        for (int i = 0; i < count; ++i) {
            const pid_t pid = ::fork();
            if (pid < 0)
                fail("fork");
            if (pid == 0) {
                // Only the two ends the receiver uses survive exec.
                const int reportWrite = ::dup(report[1]);
                const int stopRead = ::dup(stop[0]);
                const std::string reportArg = std::to_string(reportWrite);
                const std::string stopArg = std::to_string(stopRead);
                const std::string indexArg = std::to_string(i);
                ::execl(self.c_str(), self.c_str(), "--receiver", addressArg.c_str(), reportArg.c_str(),
                        stopArg.c_str(), indexArg.c_str(), static_cast<char*>(nullptr));
                ::_exit(127);
            }
            m_pids.push_back(pid);
        }
        ::close(report[1]);
        ::close(stop[0]);
        for (int i = 0; i < count; ++i) {
            Report report {};
            if (!read(&report, 30000) || report.kind != 0) {
                std::fprintf(stderr, "bench_notify: receiver %d did not start\n", i);
                std::exit(1);
            }
        }
    }

    ~Receivers()
    {
        ::close(m_stopFd); // each receiver sees end of file and leaves the bus cleanly
        for (pid_t pid : m_pids)
            ::waitpid(pid, nullptr, 0);
        ::close(m_reportFd);
    }

    int count() const { return m_count; }

    // Reads one report, waiting at most timeoutMs; false on timeout or error.
    bool read(Report* report, int timeoutMs)
    {
        pollfd fd { m_reportFd, POLLIN, 0 };
        if (::poll(&fd, 1, timeoutMs) <= 0)
            return false;
        size_t got = 0;
        while (got < sizeof *report) {
            const ssize_t n = ::read(m_reportFd, reinterpret_cast<char*>(report) + got, sizeof *report - got);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return false;
            got += static_cast<size_t>(n);
        }
        return true;
    }

private:
    int m_count;
    int m_reportFd = -1;
    int m_stopFd = -1;
    std::vector<pid_t> m_pids;
};

void runEvents(int ms)
{
    const QDeadlineTimer deadline(ms);
    while (!deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, static_cast<int>(deadline.remainingTime()));
}

bool waitForPeers(NotificationBus& bus, int count)
{
    const QDeadlineTimer deadline(30000);
    while (bus.peerCount() < count && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 100);
    return bus.peerCount() >= count;
}

// Figures of one series of isolated notices, and of the raw socket measured between them.
struct LatencySeries {
    std::vector<double> notify; ///< announceChanged() → changed() in a receiver, per (notice, receiver); µs
    std::vector<double> announceCall; ///< how long the announceChanged() call itself took; µs
    std::vector<double> rawTight; ///< raw round trips, back to back (a ping-pong); µs
    std::vector<double> rawIdle; ///< raw round trips after an idle pause like the notices'; µs
    std::vector<double>
        bareQt; ///< one byte over a bare QLocalSocket → readyRead in a receiver, after the same pause; µs
};

// Latencies of `samples` isolated notices to each of the receivers, after a few warm-up ones. Between
// two notices the raw socket's round trip is measured too, back to back (the "ping-pong") and
// once after 10 ms of idling, as each notice comes after an idle pause: both sides of the comparison
// then see the same load.
LatencySeries notifyLatencies(const QString& address, int receiverCount, int samples, RawEcho* raw)
{
    Receivers receivers(address, receiverCount);
    NotificationBus sender(address, NotificationBus::Role::Gui);
    if (!sender.start() || !waitForPeers(sender, receiverCount)) {
        std::fprintf(stderr, "bench_notify: the receivers did not join: %s\n", qPrintable(sender.errorString()));
        std::exit(1);
    }
    runEvents(100); // the hellos are exchanged
    QLocalSocket bare;
    if (raw) {
        bare.connectToServer(bareSocketPath(0));
        if (!bare.waitForConnected(10000)) {
            std::fprintf(stderr, "bench_notify: cannot reach the bare receiver\n");
            std::exit(1);
        }
    }

    const int warmUp = 5;
    LatencySeries series;
    for (int i = 0; i < warmUp + samples; ++i) {
        const quint64 offset = quint64(i) * 4096;
        const qint64 sent = nowNs();
        sender.announceChanged(offset, 8);
        const qint64 returned = nowNs();
        for (int heard = 0; heard < receiverCount;) {
            Report report {};
            if (!receivers.read(&report, 10000)) {
                std::fprintf(stderr, "bench_notify: notice %d was not delivered\n", i);
                std::exit(1);
            }
            if (report.kind != 1 || offset < report.offset || offset >= report.offset + report.length)
                continue;
            ++heard;
            if (i >= warmUp)
                series.notify.push_back(double(report.timeNs - sent) / 1000.0);
        }
        if (i >= warmUp) {
            series.announceCall.push_back(double(returned - sent) / 1000.0);
            if (raw) {
                raw->pingPong(20, &series.rawTight);
                runEvents(10);
                series.rawIdle.push_back(raw->roundTripUs());
                runEvents(10);
                const qint64 bareSent = nowNs();
                bare.write("x", 1);
                bare.flush();
                Report report {};
                do {
                    if (!receivers.read(&report, 10000)) {
                        std::fprintf(stderr, "bench_notify: the bare receiver did not answer\n");
                        std::exit(1);
                    }
                } while (report.kind != 3);
                series.bareQt.push_back(double(report.timeNs - bareSent) / 1000.0);
            }
        }
        // Longer than the coalescing interval: the next notice is an isolated one.
        runEvents(raw && i >= warmUp ? 10 : 20);
    }
    return series;
}

// Sustained writes per second with `receiverCount` receivers keeping up, and the signals one of
// them emitted for all those writes. Returns a rate of 0 when a receiver fell behind so far that
// notices were lost (it reported noticesMissed): the figure would then be meaningless.
std::pair<double, int> coalescedWrites(const QString& address, int receiverCount, int ms)
{
    Receivers receivers(address, receiverCount);
    NotificationBus sender(address, NotificationBus::Role::Gui);
    if (!sender.start() || !waitForPeers(sender, receiverCount)) {
        std::fprintf(stderr, "bench_notify: the receivers did not join\n");
        std::exit(1);
    }
    runEvents(100);

    // Write i announces byte i, so a receiver's delivered ranges tell how far it got. The writer
    // stays at most kWindow writes ahead of the slowest receiver (a few hundred KB of frames, far
    // below NotificationBus::kMaxPendingBytes), so that "keeping up" holds by construction and no
    // receiver is dropped as slow; the event loop runs between batches, as a GUI's would.
    constexpr quint64 kWindow = 4000;
    std::vector<quint64> reached(static_cast<size_t>(receiverCount), 0);
    int signalsOfFirst = 0;
    bool missed = false;
    auto drainReports = [&](int timeoutMs) {
        Report report {};
        while (receivers.read(&report, timeoutMs)) {
            timeoutMs = 0;
            if (report.kind == 2)
                missed = true;
            if (report.kind != 1 || report.receiver >= reached.size())
                continue;
            if (report.receiver == 0)
                ++signalsOfFirst;
            reached[report.receiver] = std::max(reached[report.receiver], report.offset + report.length);
        }
    };
    auto slowest = [&reached] { return *std::min_element(reached.begin(), reached.end()); };

    const qint64 start = nowNs();
    const qint64 end = start + qint64(ms) * 1000000;
    quint64 writes = 0;
    while (nowNs() < end && !missed) {
        if (writes - slowest() + 50 > kWindow) {
            QCoreApplication::processEvents(QEventLoop::AllEvents);
            drainReports(1);
            continue;
        }
        for (int i = 0; i < 50; ++i, ++writes)
            sender.announceChanged(writes, 1);
        QCoreApplication::processEvents(QEventLoop::AllEvents);
        drainReports(0);
    }
    // Every receiver has been told of every write when the time is taken.
    const QDeadlineTimer deadline(10000);
    while (slowest() < writes && !missed && !deadline.hasExpired()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents);
        drainReports(1);
    }
    const double seconds = double(nowNs() - start) / 1e9;
    if (missed || slowest() < writes) {
        std::fprintf(stderr, "bench_notify: the receivers did not keep up\n");
        return { 0.0, signalsOfFirst };
    }
    return { double(writes) / seconds, signalsOfFirst };
}

} // namespace

int main(int argc, char** argv)
{
    if (argc == 6 && std::strcmp(argv[1], "--receiver") == 0)
        return runReceiver(argc, argv);
    const bool quick = argc == 2 && std::strcmp(argv[1], "--quick") == 0;
    if (argc > 1 && !quick) {
        std::fputs("usage: bench_notify [--quick]\n", stderr);
        return 2;
    }
    std::signal(SIGPIPE, SIG_IGN);

    // The raw socket's echo process is forked before Qt exists in this process.
    RawEcho raw;
    {
        std::vector<double> warm;
        raw.pingPong(1000, &warm);
    }

    // A private runtime directory: neither seen by nor disturbing real ShmScope instances.
    char runtime[] = "/tmp/shmscope-bench-XXXXXX";
    if (!::mkdtemp(runtime))
        fail("mkdtemp");
    ::setenv("XDG_RUNTIME_DIR", runtime, 1);
    int status = 0;
    {
        QCoreApplication app(argc, argv);
        const QString base = QStringLiteral("posix:/shmscope-test-%1-bench-").arg(QCoreApplication::applicationPid());

        const LatencySeries one = notifyLatencies(base + QStringLiteral("one"), 1, quick ? 20 : 500, &raw);
        const double rtt = percentile(one.rawTight, 0.5);
        const double p50 = percentile(one.notify, 0.5);
        print("unix_socket_rtt_us", rtt, "us");
        print("notify_p50_us", p50, "us");
        print("notify_p99_us", percentile(one.notify, 0.99), "us");
        print("notify_p50_over_rtt", rtt > 0 ? p50 / rtt : 0.0, "x");
        // The raw round trip after the same idle pause as each notice (both ends asleep, as the
        // receiver is when a notice comes), and the sender's own cost of one announcement.
        print("unix_socket_rtt_idle_us", percentile(one.rawIdle, 0.5), "us");
        print("announce_call_us", percentile(one.announceCall, 0.5), "us");
        print("qlocalsocket_oneway_us", percentile(one.bareQt, 0.5), "us");

        const LatencySeries fanout = notifyLatencies(base + QStringLiteral("fanout"), 32, quick ? 3 : 100, nullptr);
        print("fanout32_p99_us", percentile(fanout.notify, 0.99), "us");

        const auto [rate, signalCount] = coalescedWrites(base + QStringLiteral("rate"), 4, quick ? 300 : 2000);
        print("writes_per_s_coalesced", rate, "writes/s");
        std::printf("coalesced_signals %d signals\n", signalCount);
    }
    if (!QDir(QString::fromLocal8Bit(runtime)).removeRecursively())
        status = 1;
    return status;
}
