// The notification bus with real separate processes (tests/helpers/busprobe): delivery to every
// other instance and never to the sender, peer counts, kill -9 of any instance (the first one
// included), stale socket cleanup, malformed and foreign frames, other users, slow and stopped
// peers, one-shot writers. The probes and this process use a private XDG_RUNTIME_DIR, so real
// ShmScope instances on the machine are neither seen nor disturbed.

#include "app/shared/noticecodec.h"
#include "app/shared/notificationbus.h"
#include "app/shared/runtimedir.h"
#include "app/shared/staleleftovers.h"

#include <QDir>
#include <QFile>
#include <QLocalServer>
#include <QLocalSocket>
#include <QProcess>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <memory>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace shmscope;

namespace {

constexpr int kTimeoutMs = 10000;

// One busprobe process and everything it printed.
class Probe
{
public:
    Probe(const QString& address, const QStringList& options)
        : m_address(address)
    {
        m_process.setProgram(QStringLiteral(SHMSCOPE_BUSPROBE));
        m_process.setArguments(QStringList { address } + options);
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, [this] {
            m_partial += m_process.readAllStandardOutput();
            qsizetype newline = 0;
            while ((newline = m_partial.indexOf('\n')) >= 0) {
                m_lines.append(QString::fromUtf8(m_partial.left(newline)));
                m_partial.remove(0, newline + 1);
            }
        });
        QObject::connect(&m_process, &QProcess::readyReadStandardError,
                         [this] { m_stderr += QString::fromUtf8(m_process.readAllStandardError()); });
        m_process.start();
    }

    ~Probe()
    {
        if (m_process.state() != QProcess::NotRunning) {
            ::kill(static_cast<pid_t>(m_process.processId()), SIGCONT); // in case a test stopped it
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    qint64 pid() const { return m_pid; }
    void rememberPid() { m_pid = m_process.processId(); }
    QProcess& process() { return m_process; }
    const QStringList& lines() const { return m_lines; }
    const QString& errors() const { return m_stderr; }

    bool saw(const QString& line) const { return m_lines.contains(line); }
    bool sawPrefix(const QString& prefix) const
    {
        for (const QString& line : m_lines) {
            if (line.startsWith(prefix))
                return true;
        }
        return false;
    }
    int lastPeers() const
    {
        for (qsizetype i = m_lines.size() - 1; i >= 0; --i) {
            if (m_lines.at(i).startsWith(QLatin1String("peers ")))
                return m_lines.at(i).mid(6).toInt();
        }
        return -1;
    }
    void send(const QString& command) { m_process.write(command.toUtf8() + '\n'); }

    // The "changed" lines from `senderPid` among lines [from, to) (to < 0: all), as ranges.
    QList<ChangedRanges::Range> changedFrom(qint64 senderPid, qsizetype from = 0, qsizetype to = -1) const
    {
        QList<ChangedRanges::Range> ranges;
        const qsizetype end = to < 0 ? m_lines.size() : qMin(to, m_lines.size());
        for (qsizetype i = qMax<qsizetype>(0, from); i < end; ++i) {
            const QStringList words = m_lines.at(i).split(QLatin1Char(' '));
            if (words.size() == 4 && words.at(0) == QLatin1String("changed") && words.at(3).toLongLong() == senderPid)
                ranges.append({ words.at(1).toULongLong(), words.at(2).toULongLong() });
        }
        return ranges;
    }
    // Whether the "changed" lines from `senderPid` (among lines [from, to)) cover every byte of
    // [offset, offset + length): coalescing may deliver one notice as part of a larger range.
    bool covered(qint64 senderPid, quint64 offset, quint64 length, qsizetype from = 0, qsizetype to = -1) const
    {
        ChangedRanges merged;
        const QList<ChangedRanges::Range> ranges = changedFrom(senderPid, from, to);
        for (const ChangedRanges::Range& range : ranges)
            merged.add(range.offset, range.length);
        for (const ChangedRanges::Range& range : merged.ranges()) {
            if (range.offset <= offset && offset + length <= range.offset + range.length)
                return true;
        }
        return false;
    }

    // The probe's socket file in the object directory, or an empty string.
    QString socketPath() const
    {
        const QString directory = objectDirectory(m_address, false);
        const QStringList names = QDir(directory).entryList(QDir::System | QDir::Files | QDir::NoDotAndDotDot);
        for (const QString& name : names) {
            if (name.startsWith(QString::number(m_pid) + QLatin1Char('-')))
                return directory + QLatin1Char('/') + name;
        }
        return {};
    }

private:
    QString m_address;
    QProcess m_process;
    QStringList m_lines;
    QByteArray m_partial;
    QString m_stderr;
    qint64 m_pid = 0;
};

mode_t modeOf(const QString& path)
{
    struct stat info = {};
    if (::lstat(QFile::encodeName(path).constData(), &info) != 0)
        return 0;
    return info.st_mode;
}

// A socket file nobody listens on, as kill -9 leaves behind.
bool makeDeadSocket(const QString& path)
{
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0)
        return false;
    sockaddr_un address = {};
    address.sun_family = AF_UNIX;
    const QByteArray encoded = QFile::encodeName(path);
    if (encoded.size() >= static_cast<qsizetype>(sizeof(address.sun_path)))
        return false;
    std::memcpy(address.sun_path, encoded.constData(), static_cast<size_t>(encoded.size()) + 1);
    const bool bound = ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0;
    ::close(fd);
    return bound;
}

// Sets `path`'s modification time `seconds` s into the past (no symbolic link followed).
bool backdate(const QString& path, int seconds)
{
    timespec times[2] = {};
    ::clock_gettime(CLOCK_REALTIME, &times[0]);
    times[0].tv_sec -= seconds;
    times[1] = times[0];
    return ::utimensat(AT_FDCWD, QFile::encodeName(path).constData(), times, AT_SYMLINK_NOFOLLOW) == 0;
}

// What a process killed inside QLocalServer::listen() leaves (seen with strace): the hidden bind
// directory `<directory>/<name>` holding the socket "s", bound but no longer listened on, its
// modification time `ageSeconds` s in the past.
bool makeAbandonedBindDirectory(const QString& directory, const QString& name, int ageSeconds)
{
    const QString path = directory + QLatin1Char('/') + name;
    return QDir().mkdir(path) && makeDeadSocket(path + QStringLiteral("/s")) && backdate(path, ageSeconds);
}

Notice rawNotice(NoticeKind kind, const QString& address, quint64 instanceId, quint64 sequence)
{
    Notice notice;
    notice.kind = kind;
    notice.address = address;
    notice.pid = QCoreApplication::applicationPid();
    notice.instanceId = instanceId;
    notice.sequence = sequence;
    notice.role = PeerRole::Cli;
    return notice;
}

} // namespace

class TestNotificationBus : public QObject
{
    Q_OBJECT

private:
    QString newAddress()
    {
        return QStringLiteral("posix:/shmscope-test-%1-%2").arg(QCoreApplication::applicationPid()).arg(++m_counter);
    }

    // Starts a probe and waits until it joined the bus.
    Probe* startProbe(const QString& address, const QStringList& options = {})
    {
        m_probes.push_back(std::make_unique<Probe>(address, options));
        Probe* probe = m_probes.back().get();
        if (!probe->process().waitForStarted(kTimeoutMs))
            return nullptr;
        probe->rememberPid();
        if (!QTest::qWaitFor([probe] { return probe->saw(QStringLiteral("ready")); }, kTimeoutMs)) {
            qWarning("busprobe did not get ready: %s", qPrintable(probe->errors()));
            return nullptr;
        }
        return probe;
    }

    QString changedLine(quint64 offset, quint64 length, const Probe* sender) const
    {
        return QStringLiteral("changed %1 %2 %3").arg(offset).arg(length).arg(sender->pid());
    }

    QTemporaryDir m_runtime;
    std::vector<std::unique_ptr<Probe>> m_probes;
    int m_counter = 0;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_runtime.isValid());
        // Inherited by every probe (QProcess passes the environment on).
        qputenv("XDG_RUNTIME_DIR", QFile::encodeName(m_runtime.path()));
        QVERIFY(QFileInfo(QStringLiteral(SHMSCOPE_BUSPROBE)).isExecutable());
    }

    void cleanup()
    {
        // A sanitizer build reports through the probes' stderr; make such a report fail the test.
        for (const auto& probe : m_probes) {
            QVERIFY2(!probe->errors().contains(QStringLiteral("Sanitizer"))
                         && !probe->errors().contains(QStringLiteral("runtime error")),
                     qPrintable(probe->errors()));
        }
        m_probes.clear(); // kills whatever still runs
    }

    void directoriesAndSocketsArePrivate()
    {
        const QString address = newAddress();
        Probe* probe = startProbe(address);
        QVERIFY(probe);
        const QString runtime = m_runtime.path() + QStringLiteral("/shmscope");
        const QString object = runtime + QLatin1Char('/') + objectHash(address);
        QCOMPARE(modeOf(runtime) & 07777, mode_t(0700));
        QCOMPARE(modeOf(object) & 07777, mode_t(0700));
        const QString socket = probe->socketPath();
        QVERIFY2(!socket.isEmpty(), "the probe's socket is not in the object directory");
        QVERIFY(S_ISSOCK(modeOf(socket)));
        QCOMPARE(modeOf(socket) & 077, mode_t(0));
        qint64 pid = 0;
        QVERIFY(parseSocketFileName(QFileInfo(socket).fileName(), &pid, nullptr));
        QCOMPARE(pid, probe->pid());
    }

    void refusesAnInsecureDirectory()
    {
        const QString address = newAddress();
        const QString object = m_runtime.path() + QStringLiteral("/shmscope/") + objectHash(address);
        QVERIFY(QDir().mkpath(object));
        QVERIFY(::chmod(QFile::encodeName(object).constData(), 0755) == 0);
        NotificationBus bus(address, NotificationBus::Role::Gui);
        QVERIFY(!bus.start());
        QVERIFY2(bus.errorString().contains(object) && bus.errorString().contains(QStringLiteral("0755")),
                 qPrintable(bus.errorString()));
        QVERIFY(!bus.isStarted());
        QCOMPARE(modeOf(object) & 07777, mode_t(0755)); // refused, not changed
        QVERIFY(QDir().rmdir(object));
    }

    void twoBusesInOneProcess()
    {
        // Two instances in one process are still two peers; neither hears itself.
        const QString address = newAddress();
        NotificationBus first(address, NotificationBus::Role::Gui);
        NotificationBus second(address, NotificationBus::Role::Cli);
        QSignalSpy firstChanged(&first, &NotificationBus::changed);
        QSignalSpy secondChanged(&second, &NotificationBus::changed);
        QSignalSpy secondResized(&second, &NotificationBus::resized);
        QSignalSpy firstRemoved(&first, &NotificationBus::removed);
        QVERIFY2(first.start(), qPrintable(first.errorString()));
        QVERIFY2(second.start(), qPrintable(second.errorString()));
        QTRY_COMPARE_WITH_TIMEOUT(first.peerCount(), 1, kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(second.peerCount(), 1, kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(first.peers().value(0).roleKnown, kTimeoutMs);
        QCOMPARE(first.peers().value(0).role, PeerRole::Cli);
        QCOMPARE(first.peers().value(0).instanceId, second.instanceId());
        QVERIFY(first.peers().value(0).since.isValid());

        first.announceChanged(128, 16);
        first.announceResized(4096);
        QTRY_COMPARE_WITH_TIMEOUT(secondResized.size(), 1, kTimeoutMs);
        QCOMPARE(secondChanged.size(), 1);
        QCOMPARE(secondChanged.at(0).at(0).toULongLong(), quint64(128));
        QCOMPARE(secondChanged.at(0).at(1).toULongLong(), quint64(16));
        QCOMPARE(secondChanged.at(0).at(2).toLongLong(), QCoreApplication::applicationPid());
        QCOMPARE(secondResized.at(0).at(0).toULongLong(), quint64(4096));

        second.announceRemoved();
        QTRY_COMPARE_WITH_TIMEOUT(firstRemoved.size(), 1, kTimeoutMs);
        QCOMPARE(firstChanged.size(), 0); // the sender never hears its own notices
        QCOMPARE(secondChanged.size(), 1);
    }

    void noticeReachesEveryOtherInstanceButNotTheSender()
    {
        const QString address = newAddress();
        Probe* a = startProbe(address);
        Probe* b = startProbe(address);
        Probe* c = startProbe(address);
        QVERIFY(a && b && c);
        for (Probe* probe : { a, b, c })
            QTRY_COMPARE_WITH_TIMEOUT(probe->lastPeers(), 2, kTimeoutMs);

        a->send(QStringLiteral("changed 16 4"));
        QTRY_VERIFY_WITH_TIMEOUT(b->saw(changedLine(16, 4, a)), kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(c->saw(changedLine(16, 4, a)), kTimeoutMs);

        c->send(QStringLiteral("resized 8192"));
        c->send(QStringLiteral("removed"));
        for (Probe* probe : { a, b }) {
            QTRY_VERIFY_WITH_TIMEOUT(probe->saw(QStringLiteral("resized 8192 %1").arg(c->pid())), kTimeoutMs);
            QTRY_VERIFY_WITH_TIMEOUT(probe->saw(QStringLiteral("removed %1").arg(c->pid())), kTimeoutMs);
        }

        // By now a has handled c's notices, which c sent after a's own reached the others.
        a->send(QStringLiteral("ping"));
        QTRY_VERIFY_WITH_TIMEOUT(a->saw(QStringLiteral("pong")), kTimeoutMs);
        QVERIFY2(!a->sawPrefix(QStringLiteral("changed")), qPrintable(a->lines().join(QLatin1Char('\n'))));
        QVERIFY(!c->sawPrefix(QStringLiteral("resized")));
        QVERIFY(!c->sawPrefix(QStringLiteral("removed")));
    }

    void peerCountsAndRolesFollowArrivalsAndDepartures()
    {
        const QString address = newAddress();
        Probe* gui = startProbe(address);
        Probe* cli = startProbe(address, { QStringLiteral("--role"), QStringLiteral("cli") });
        QVERIFY(gui && cli);
        QTRY_COMPARE_WITH_TIMEOUT(gui->lastPeers(), 1, kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(cli->lastPeers(), 1, kTimeoutMs);
        Probe* late = startProbe(address);
        QVERIFY(late);
        for (Probe* probe : { gui, cli, late })
            QTRY_COMPARE_WITH_TIMEOUT(probe->lastPeers(), 2, kTimeoutMs);

        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                gui->send(QStringLiteral("list"));
                return gui->saw(QStringLiteral("peer %1 cli").arg(cli->pid()))
                    && gui->saw(QStringLiteral("peer %1 gui").arg(late->pid()));
            }(),
            kTimeoutMs);

        // A clean exit: bye, socket file removed by its owner, counts drop at once.
        const QString cliSocket = cli->socketPath();
        QVERIFY(!cliSocket.isEmpty());
        cli->send(QStringLiteral("quit"));
        QVERIFY(cli->process().waitForFinished(kTimeoutMs));
        QCOMPARE(cli->process().exitStatus(), QProcess::NormalExit);
        QCOMPARE(cli->process().exitCode(), 0);
        QVERIFY(!QFileInfo::exists(cliSocket));
        QTRY_COMPARE_WITH_TIMEOUT(gui->lastPeers(), 1, kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(late->lastPeers(), 1, kTimeoutMs);

        // The last one out removes the object directory: nothing is left behind.
        gui->send(QStringLiteral("quit"));
        late->send(QStringLiteral("quit"));
        QVERIFY(gui->process().waitForFinished(kTimeoutMs));
        QVERIFY(late->process().waitForFinished(kTimeoutMs));
        QVERIFY(!QFileInfo::exists(objectDirectory(address, false)));
    }

    void killingTheFirstInstanceBreaksNothing()
    {
        const QString address = newAddress();
        Probe* first = startProbe(address);
        Probe* b = startProbe(address);
        Probe* c = startProbe(address);
        QVERIFY(first && b && c);
        for (Probe* probe : { first, b, c })
            QTRY_COMPARE_WITH_TIMEOUT(probe->lastPeers(), 2, kTimeoutMs);
        const QString firstSocket = first->socketPath();
        QVERIFY(!firstSocket.isEmpty());

        first->process().kill(); // SIGKILL: no bye, the socket file stays behind
        QVERIFY(first->process().waitForFinished(kTimeoutMs));
        QCOMPARE(first->process().exitStatus(), QProcess::CrashExit);

        QTRY_COMPARE_WITH_TIMEOUT(b->lastPeers(), 1, kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(c->lastPeers(), 1, kTimeoutMs);
        b->send(QStringLiteral("changed 1 2"));
        QTRY_VERIFY_WITH_TIMEOUT(c->saw(changedLine(1, 2, b)), kTimeoutMs);
        c->send(QStringLiteral("changed 3 4"));
        QTRY_VERIFY_WITH_TIMEOUT(b->saw(changedLine(3, 4, c)), kTimeoutMs);

        // The survivors removed the dead instance's socket.
        QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(firstSocket), kTimeoutMs);

        // And a newcomer joins the survivors as if the first had never been there.
        Probe* d = startProbe(address);
        QVERIFY(d);
        QTRY_COMPARE_WITH_TIMEOUT(d->lastPeers(), 2, kTimeoutMs);
        d->send(QStringLiteral("changed 5 6"));
        QTRY_VERIFY_WITH_TIMEOUT(b->saw(changedLine(5, 6, d)), kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(c->saw(changedLine(5, 6, d)), kTimeoutMs);
    }

    void staleSocketsAreRemoved()
    {
        const QString address = newAddress();
        QString error;
        const QString directory = objectDirectory(address, true, &error);
        QVERIFY2(!directory.isEmpty(), qPrintable(error));

        // Left behind by an instance whose process is gone.
        const pid_t child = ::fork();
        if (child == 0)
            ::_exit(0);
        QVERIFY(child > 0);
        QVERIFY(::waitpid(child, nullptr, 0) == child || errno == ECHILD); // QProcess may have reaped it
        const QString deadOwner = directory + QLatin1Char('/') + socketFileName(child, 0x1111);
        QVERIFY(makeDeadSocket(deadOwner));
        // Refusing connections although its pid is alive (a reused pid: ours).
        const QString livePid
            = directory + QLatin1Char('/') + socketFileName(QCoreApplication::applicationPid(), 0x2222);
        QVERIFY(makeDeadSocket(livePid));
        // Not ours to touch: not a socket name.
        const QString other = directory + QStringLiteral("/unrelated.txt");
        QFile file(other);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();

        Probe* probe = startProbe(address);
        QVERIFY(probe);
        QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(deadOwner), kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(livePid), kTimeoutMs);
        QVERIFY(QFileInfo::exists(other));
        probe->send(QStringLiteral("peers"));
        QTRY_VERIFY_WITH_TIMEOUT(probe->saw(QStringLiteral("peers 0")), kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(probe->errors().contains(QStringLiteral("removed stale socket")), kTimeoutMs);
        QVERIFY(QFile::remove(other));
    }

    void leftoversOnOtherObjectsAreSweptAtStart()
    {
        // An instance killed on an object nobody opens again: no peer will ever scan that directory.
        const QString abandoned = newAddress();
        const QString abandonedDirectory = objectDirectory(abandoned, true);
        QVERIFY(!abandonedDirectory.isEmpty());
        const pid_t child = ::fork();
        if (child == 0)
            ::_exit(0);
        QVERIFY(child > 0);
        QVERIFY(::waitpid(child, nullptr, 0) == child || errno == ECHILD);
        const QString leftover = abandonedDirectory + QLatin1Char('/') + socketFileName(child, 0x3333);
        QVERIFY(makeDeadSocket(leftover));
        const QString emptyDirectory = objectDirectory(newAddress(), true);
        QVERIFY(!emptyDirectory.isEmpty());
        // A live instance on a third object is left alone.
        const QString busy = newAddress();
        Probe* resident = startProbe(busy);
        QVERIFY(resident);
        const QString residentSocket = resident->socketPath();
        QVERIFY(!residentSocket.isEmpty());

        Probe* newcomer = startProbe(newAddress());
        QVERIFY(newcomer);
        QVERIFY(!QFileInfo::exists(leftover));
        QVERIFY(!QFileInfo::exists(abandonedDirectory));
        QVERIFY(!QFileInfo::exists(emptyDirectory));
        QVERIFY(QFileInfo::exists(residentSocket));
        Probe* partner = startProbe(busy);
        QVERIFY(partner);
        partner->send(QStringLiteral("changed 2 2"));
        QTRY_VERIFY_WITH_TIMEOUT(resident->saw(changedLine(2, 2, partner)), kTimeoutMs);
    }

    // A watcher killed between QLocalServer's bind and rename (tst_busfaults hit it in CI) leaves a
    // hidden bind directory; only such directories, once old enough, may go.
    void onlyAbandonedBindDirectoriesAreRemoved()
    {
        const QString directory = objectDirectory(newAddress(), true);
        QVERIFY(!directory.isEmpty());
        const auto path
            = [&](const char* name) -> QString { return directory + QLatin1Char('/') + QLatin1String(name); };
        QVERIFY(makeAbandonedBindDirectory(directory, QStringLiteral(".Ab3dE9"), 10));
        QVERIFY(QDir().mkdir(path(".Empty1")) && backdate(path(".Empty1"), 10));
        // Left alone: younger than the grace (an instance may be binding in it now) ...
        QVERIFY(makeAbandonedBindDirectory(directory, QStringLiteral(".Fresh1"), 0));
        // ... a socket that still accepts (an instance stopped between listen and rename) ...
        QLocalServer live;
        QVERIFY(QDir().mkdir(path(".Live12")));
        QVERIFY(live.listen(path(".Live12") + QStringLiteral("/s")));
        QVERIFY(backdate(path(".Live12"), 10));
        // ... anything but one socket "s" ...
        QVERIFY(QDir().mkdir(path(".Other1")));
        QFile file(path(".Other1") + QStringLiteral("/s"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        QVERIFY(backdate(path(".Other1"), 10));
        // ... names QTemporaryDir does not make, and a symbolic link to someone else's directory.
        QVERIFY(makeAbandonedBindDirectory(directory, QStringLiteral(".Long123"), 10));
        QVERIFY(makeAbandonedBindDirectory(directory, QStringLiteral("Ab3dE9x"), 10));
        QVERIFY(makeAbandonedBindDirectory(directory, QStringLiteral(".ab-de9"), 10));
        QTemporaryDir elsewhere;
        QVERIFY(elsewhere.isValid());
        QVERIFY(makeDeadSocket(elsewhere.path() + QStringLiteral("/s")));
        QVERIFY(QFile::link(elsewhere.path(), path(".Link12")));
        QVERIFY(backdate(path(".Link12"), 10));

        QStringList removed = removeAbandonedBindDirectories(directory);
        removed.sort();
        QCOMPARE(removed, QStringList({ path(".Ab3dE9"), path(".Empty1") }));
        for (const char* kept : { ".Fresh1", ".Live12", ".Other1", ".Long123", "Ab3dE9x", ".ab-de9", ".Link12" })
            QVERIFY2(QFileInfo(path(kept)).isSymLink() || QFileInfo::exists(path(kept)), kept);
        QVERIFY(QFileInfo::exists(elsewhere.path() + QStringLiteral("/s")));
        QVERIFY(QFileInfo::exists(path(".Live12") + QStringLiteral("/s")));
        live.close();
        QVERIFY(QDir(directory).removeRecursively());
    }

    // The same leftovers, found by a running instance's scan and by the start-up sweep of another
    // object's directory; the last instance out can then remove its object's directory.
    void killedWhileListeningLeavesNothingBehind()
    {
        const QString address = newAddress();
        Probe* probe = startProbe(address);
        QVERIFY(probe);
        const QString directory = objectDirectory(address, false);
        QVERIFY(makeAbandonedBindDirectory(directory, QStringLiteral(".Kill01"), 10));
        QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(directory + QStringLiteral("/.Kill01")), kTimeoutMs);
        QVERIFY2(probe->errors().contains(QStringLiteral("removed the bind directory")), qPrintable(probe->errors()));

        // One made 1 s before its grace ends goes too, by a later scan or at the exit.
        QVERIFY(makeAbandonedBindDirectory(directory, QStringLiteral(".Kill02"), 1));
        const QString abandoned = objectDirectory(newAddress(), true);
        QVERIFY(!abandoned.isEmpty());
        QVERIFY(makeAbandonedBindDirectory(abandoned, QStringLiteral(".Kill03"), 10));
        Probe* newcomer = startProbe(newAddress());
        QVERIFY(newcomer);
        QVERIFY(!QFileInfo::exists(abandoned));

        QTest::qWait(int(kStaleGraceMs));
        probe->send(QStringLiteral("quit"));
        QVERIFY(probe->process().waitForFinished(kTimeoutMs));
        QVERIFY(!QFileInfo::exists(directory));
    }

    void malformedFramesAreDroppedAndTheReceiverKeepsWorking()
    {
        const QString address = newAddress();
        Probe* probe = startProbe(address);
        QVERIFY(probe);
        const QString path = probe->socketPath();
        QVERIFY(!path.isEmpty());

        QLocalSocket raw;
        raw.connectToServer(path);
        QVERIFY(raw.waitForConnected(kTimeoutMs));
        const quint64 id = QRandomGenerator::global()->generate64() | 1;
        Notice wrongVersion = rawNotice(NoticeKind::Changed, address, id, 1);
        QByteArray badVersion = encodeNoticePayload(wrongVersion);
        badVersion.replace(QByteArray::fromHex("617601"), QByteArray::fromHex("617602")); // "v": 1 → 2
        QVERIFY(!decodeNotice(badVersion));
        raw.write(frameForPayload(QByteArray("\xde\xad\xbe\xef garbage", 12)));
        raw.write(frameForPayload(badVersion));
        raw.write(frameForPayload(QByteArray()));
        raw.write(frameForPayload(encodeNoticePayload(rawNotice(NoticeKind::Changed, address, id, 1)).chopped(2)));
        raw.write(encodeFrame(rawNotice(NoticeKind::Changed, QStringLiteral("posix:/somewhere-else"), id, 1)));
        Notice good = rawNotice(NoticeKind::Changed, address, id, 1);
        good.offset = 5;
        good.length = 6;
        raw.write(encodeFrame(good));
        raw.flush();
        // Everything before the good frame was dropped; the good one arrives on the same connection.
        QTRY_VERIFY_WITH_TIMEOUT(probe->saw(QStringLiteral("changed 5 6 %1").arg(QCoreApplication::applicationPid())),
                                 kTimeoutMs);
        QCOMPARE(probe->lines().filter(QStringLiteral("changed")).size(), 1);
        QTRY_VERIFY2_WITH_TIMEOUT(probe->errors().contains(QStringLiteral("malformed frame")),
                                  qPrintable(probe->errors()), kTimeoutMs);
        QTRY_VERIFY2_WITH_TIMEOUT(probe->errors().contains(QStringLiteral("posix:/somewhere-else")),
                                  qPrintable(probe->errors()), kTimeoutMs);
        QCOMPARE(probe->errors().count(QStringLiteral("dropped a malformed frame")), 1); // once per peer

        // An oversized length cannot be skipped: the receiver closes that connection, and only it.
        QByteArray oversized(kFrameHeaderSize, Qt::Uninitialized);
        qToBigEndian<quint32>(1u << 30, oversized.data());
        raw.write(oversized + QByteArray(64, 'x'));
        raw.flush();
        QTRY_COMPARE_WITH_TIMEOUT(raw.state(), QLocalSocket::UnconnectedState, kTimeoutMs);
        QTRY_VERIFY2_WITH_TIMEOUT(probe->errors().contains(QStringLiteral("oversized")), qPrintable(probe->errors()),
                                  kTimeoutMs);
        QCOMPARE(probe->process().state(), QProcess::Running);

        Probe* other = startProbe(address);
        QVERIFY(other);
        other->send(QStringLiteral("changed 7 8"));
        QTRY_VERIFY_WITH_TIMEOUT(probe->saw(changedLine(7, 8, other)), kTimeoutMs);
    }

    void aGapInSequenceNumbersIsReported()
    {
        const QString address = newAddress();
        Probe* probe = startProbe(address);
        QVERIFY(probe);
        QLocalSocket raw;
        raw.connectToServer(probe->socketPath());
        QVERIFY(raw.waitForConnected(kTimeoutMs));
        const quint64 id = QRandomGenerator::global()->generate64() | 1;
        Notice notice = rawNotice(NoticeKind::Hello, address, id, 0);
        raw.write(encodeFrame(notice));
        notice.kind = NoticeKind::Changed;
        notice.length = 1;
        for (quint64 sequence : { 1, 2, 6 }) { // 3, 4 and 5 never arrive
            notice.sequence = sequence;
            notice.offset = sequence;
            raw.write(encodeFrame(notice));
        }
        raw.flush();
        const qint64 me = QCoreApplication::applicationPid();
        QTRY_VERIFY_WITH_TIMEOUT(probe->saw(QStringLiteral("changed 6 1 %1").arg(me)), kTimeoutMs);
        QCOMPARE(probe->lines().filter(QStringLiteral("missed")).size(), 1);
        // Bytes 1 and 2 (coalesced or not) are delivered before the gap is reported, byte 6 after.
        const qsizetype missed = probe->lines().indexOf(QStringLiteral("missed %1").arg(me));
        QVERIFY(missed > 0);
        QVERIFY2(probe->covered(me, 1, 2, 0, missed), qPrintable(probe->lines().join(QLatin1Char('\n'))));
        QVERIFY(!probe->covered(me, 6, 1, 0, missed));
        QVERIFY(missed < probe->lines().indexOf(QStringLiteral("changed 6 1 %1").arg(me)));
    }

    void anotherObjectsBusHearsNothing()
    {
        const QString address = newAddress();
        const QString elsewhere = newAddress();
        Probe* a = startProbe(address);
        Probe* b = startProbe(address);
        Probe* stranger = startProbe(elsewhere);
        QVERIFY(a && b && stranger);
        QTRY_COMPARE_WITH_TIMEOUT(a->lastPeers(), 1, kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(b->lastPeers(), 1, kTimeoutMs);
        a->send(QStringLiteral("changed 9 9"));
        QTRY_VERIFY_WITH_TIMEOUT(b->saw(changedLine(9, 9, a)), kTimeoutMs);
        stranger->send(QStringLiteral("peers"));
        stranger->send(QStringLiteral("ping"));
        QTRY_VERIFY_WITH_TIMEOUT(stranger->saw(QStringLiteral("pong")), kTimeoutMs);
        QCOMPARE(stranger->lastPeers(), 0);
        QVERIFY(!stranger->sawPrefix(QStringLiteral("changed")));
        QVERIFY(objectDirectory(address, false) != objectDirectory(elsewhere, false));
    }

    void oneShotWriterReachesListenersAndIsNotCounted()
    {
        const QString address = newAddress();
        Probe* a = startProbe(address);
        Probe* b = startProbe(address);
        QVERIFY(a && b);
        QTRY_COMPARE_WITH_TIMEOUT(a->lastPeers(), 1, kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(b->lastPeers(), 1, kTimeoutMs);

        Probe* writer
            = startProbe(address, { QStringLiteral("--no-listen"), QStringLiteral("--role"), QStringLiteral("cli") });
        QVERIFY(writer);
        QVERIFY(writer->socketPath().isEmpty()); // it does not listen
        writer->send(QStringLiteral("changed 40 2"));
        writer->send(QStringLiteral("flush 5000"));
        QTRY_VERIFY_WITH_TIMEOUT(writer->saw(QStringLiteral("flushed 1")), kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(a->saw(changedLine(40, 2, writer)), kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(b->saw(changedLine(40, 2, writer)), kTimeoutMs);
        writer->send(QStringLiteral("quit"));
        QVERIFY(writer->process().waitForFinished(kTimeoutMs));
        QCOMPARE(writer->process().exitCode(), 0);

        for (Probe* probe : { a, b }) {
            probe->send(QStringLiteral("ping"));
            QTRY_VERIFY_WITH_TIMEOUT(probe->saw(QStringLiteral("pong")), kTimeoutMs);
            QCOMPARE(probe->lastPeers(), 1); // never counted the writer
        }
    }

    void aWriterThatLeftBeforeBeingAcceptedIsStillHeard()
    {
        // shmscope-cli write connects, writes and exits, often before the receiver's event loop
        // accepted the connection. Everything it wrote must still be read.
        const QString address = newAddress();
        Probe* probe = startProbe(address);
        QVERIFY(probe);
        const QByteArray path = QFile::encodeName(probe->socketPath());
        QVERIFY(!path.isEmpty());
        const quint64 id = QRandomGenerator::global()->generate64() | 1;
        QByteArray frames = encodeFrame(rawNotice(NoticeKind::Hello, address, id, 0));
        Notice changed = rawNotice(NoticeKind::Changed, address, id, 1);
        changed.offset = 21;
        changed.length = 22;
        frames += encodeFrame(changed);
        frames += encodeFrame(rawNotice(NoticeKind::Bye, address, id, 1));

        QCOMPARE(::kill(static_cast<pid_t>(probe->pid()), SIGSTOP), 0); // it cannot accept now
        const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        QVERIFY(fd >= 0);
        sockaddr_un peer = {};
        peer.sun_family = AF_UNIX;
        std::memcpy(peer.sun_path, path.constData(), static_cast<size_t>(path.size()) + 1);
        QCOMPARE(::connect(fd, reinterpret_cast<const sockaddr*>(&peer), sizeof(peer)), 0); // the kernel's backlog
        QCOMPARE(::write(fd, frames.constData(), static_cast<size_t>(frames.size())), ssize_t(frames.size()));
        ::close(fd);
        QCOMPARE(::kill(static_cast<pid_t>(probe->pid()), SIGCONT), 0);

        QTRY_VERIFY_WITH_TIMEOUT(probe->saw(QStringLiteral("changed 21 22 %1").arg(QCoreApplication::applicationPid())),
                                 kTimeoutMs);
        probe->send(QStringLiteral("ping"));
        QTRY_VERIFY_WITH_TIMEOUT(probe->saw(QStringLiteral("pong")), kTimeoutMs);
        QCOMPARE(probe->process().state(), QProcess::Running);
    }

    void aWriterThatClosedBeforeItsHelloWasAnsweredIsStillHeard()
    {
        // shmscope-cli write sends its hello and its notice, then its bye, and exits. The receiver
        // may read the hello with only part of the rest, and answer it after the writer closed: that
        // write fails (EPIPE). What the writer sent last is still unread then and must be handled —
        // it was discarded with the socket, which is how `watch` missed a notification under load.
        // The window is made certain here: the rest is sent, and the peer closed, from a slot of the
        // first delivery, which runs after the hello was read and before it is answered.
        const QString address = newAddress();
        NotificationBus bus(address, NotificationBus::Role::Cli);
        QVERIFY2(bus.start(true), qPrintable(bus.errorString()));
        const QByteArray path = QFile::encodeName(bus.socketPath());
        const quint64 id = QRandomGenerator::global()->generate64() | 1;
        Notice first = rawNotice(NoticeKind::Changed, address, id, 1);
        first.offset = 1;
        first.length = 2;
        const QByteArray opening = encodeFrame(rawNotice(NoticeKind::Hello, address, id, 0)) + encodeFrame(first);
        Notice second = rawNotice(NoticeKind::Changed, address, id, 2);
        second.offset = 40;
        second.length = 4;
        const QByteArray rest = encodeFrame(second) + encodeFrame(rawNotice(NoticeKind::Bye, address, id, 2));

        int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        QVERIFY(fd >= 0);
        auto closeFd = qScopeGuard([&fd] {
            if (fd >= 0)
                ::close(fd);
        });
        sockaddr_un peer = {};
        peer.sun_family = AF_UNIX;
        std::memcpy(peer.sun_path, path.constData(), static_cast<size_t>(path.size()) + 1);
        QCOMPARE(::connect(fd, reinterpret_cast<const sockaddr*>(&peer), sizeof(peer)), 0);

        QList<QPair<quint64, quint64>> changes;
        bool restSent = false;
        connect(&bus, &NotificationBus::changed, &bus, [&](quint64 offset, quint64 length, qint64) {
            changes.append({ offset, length });
            if (fd >= 0) {
                restSent = ::write(fd, rest.constData(), static_cast<size_t>(rest.size())) == ssize_t(rest.size());
                ::close(fd);
                fd = -1;
            }
        });
        QSignalSpy missed(&bus, &NotificationBus::noticesMissed);
        QCOMPARE(::write(fd, opening.constData(), static_cast<size_t>(opening.size())), ssize_t(opening.size()));

        QTRY_VERIFY_WITH_TIMEOUT(changes.contains(qMakePair(quint64(40), quint64(4))) || !missed.isEmpty(), kTimeoutMs);
        QVERIFY(restSent);
        QCOMPARE(changes, (QList<QPair<quint64, quint64>> { { 1, 2 }, { 40, 4 } }));
        QCOMPARE(missed.count(), 0); // it left with a bye: nothing was lost
    }

    void aStoppedPeerBlocksNobody()
    {
        const QString address = newAddress();
        Probe* a = startProbe(address);
        Probe* b = startProbe(address);
        Probe* stopped = startProbe(address);
        QVERIFY(a && b && stopped);
        for (Probe* probe : { a, b, stopped })
            QTRY_COMPARE_WITH_TIMEOUT(probe->lastPeers(), 2, kTimeoutMs);

        QCOMPARE(::kill(static_cast<pid_t>(stopped->pid()), SIGSTOP), 0);
        a->send(QStringLiteral("burst 50"));
        a->send(QStringLiteral("ping"));
        QTRY_VERIFY_WITH_TIMEOUT(a->saw(QStringLiteral("pong")), kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(b->covered(a->pid(), 0, 50), kTimeoutMs);
        b->send(QStringLiteral("changed 100 1"));
        QTRY_VERIFY_WITH_TIMEOUT(a->saw(changedLine(100, 1, b)), kTimeoutMs);

        QCOMPARE(::kill(static_cast<pid_t>(stopped->pid()), SIGCONT), 0);
        QTRY_VERIFY_WITH_TIMEOUT(stopped->covered(a->pid(), 0, 50), kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(stopped->saw(changedLine(100, 1, b)), kTimeoutMs);
        QVERIFY(!stopped->sawPrefix(QStringLiteral("missed")));
    }

    void aPeerThatStopsReadingLosesNoticesAndLearnsWhatItMissed()
    {
        const QString address = newAddress();
        Probe* writer = startProbe(address);
        Probe* stopped = startProbe(address);
        QVERIFY(writer && stopped);
        QTRY_COMPARE_WITH_TIMEOUT(writer->lastPeers(), 1, kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(stopped->lastPeers(), 1, kTimeoutMs);

        QCOMPARE(::kill(static_cast<pid_t>(stopped->pid()), SIGSTOP), 0);
        // About 2.5 MB of notices at once: more than the kernel buffer plus kMaxPendingBytes. The
        // writer stops queuing for the stopped peer but keeps its connection (no "peers 0").
        writer->send(QStringLiteral("burst 30000"));
        writer->send(QStringLiteral("resized 4096")); // never dropped, even for a peer not reading
        writer->send(QStringLiteral("ping"));
        QTRY_VERIFY_WITH_TIMEOUT(writer->saw(QStringLiteral("pong")), kTimeoutMs);
        QTRY_VERIFY2_WITH_TIMEOUT(writer->errors().contains(QStringLiteral("is not reading")),
                                  qPrintable(writer->errors()), kTimeoutMs);
        QVERIFY2(!writer->saw(QStringLiteral("peers 0")), qPrintable(writer->lines().join(QLatin1Char('\n'))));

        QCOMPARE(::kill(static_cast<pid_t>(stopped->pid()), SIGCONT), 0);
        // It reads the backlog the kernel and the writer's buffer held, then the writer's
        // resynchronising hello shows the gap: reported once, after the backlog's ranges.
        QTRY_VERIFY_WITH_TIMEOUT(stopped->saw(QStringLiteral("missed %1").arg(writer->pid())), kTimeoutMs);
        QTRY_VERIFY2_WITH_TIMEOUT(writer->errors().contains(QStringLiteral("is reading again")),
                                  qPrintable(writer->errors()), kTimeoutMs);
        const qsizetype missed = stopped->lines().indexOf(QStringLiteral("missed %1").arg(writer->pid()));
        QVERIFY2(stopped->covered(writer->pid(), 0, 100, 0, missed),
                 qPrintable(stopped->lines().mid(0, 20).join(QLatin1Char('\n'))));
        QCOMPARE(writer->lastPeers(), 1);
        const QString resized = QStringLiteral("resized 4096 %1").arg(writer->pid());
        QTRY_VERIFY_WITH_TIMEOUT(stopped->saw(resized), kTimeoutMs);
        QVERIFY(missed < stopped->lines().indexOf(resized)); // the gap is reported before the resize
        // Far from the burst's bytes, so that coalescing cannot have merged it with them.
        writer->send(QStringLiteral("changed 1000000 7"));
        QTRY_VERIFY_WITH_TIMEOUT(stopped->saw(changedLine(1000000, 7, writer)), kTimeoutMs);
        QCOMPARE(stopped->lines().filter(QStringLiteral("missed")).size(), 1);
    }

    void aLateJoinerLearnsItMayHaveMissedWrites()
    {
        // A writer that announced before its connection to a newcomer existed: the newcomer read
        // the object before that connection, so it is told to re-read (missed) when the writer's
        // first hello arrives. A peer that never announced anything costs it nothing.
        const QString address = newAddress();
        Probe* writer = startProbe(address);
        Probe* quiet = startProbe(address);
        QVERIFY(writer && quiet);
        QTRY_COMPARE_WITH_TIMEOUT(writer->lastPeers(), 1, kTimeoutMs);
        writer->send(QStringLiteral("changed 3 4"));
        QTRY_VERIFY_WITH_TIMEOUT(quiet->saw(changedLine(3, 4, writer)), kTimeoutMs);
        QVERIFY(!quiet->sawPrefix(QStringLiteral("missed")));

        Probe* newcomer = startProbe(address);
        QVERIFY(newcomer);
        QTRY_VERIFY_WITH_TIMEOUT(newcomer->saw(QStringLiteral("missed %1").arg(writer->pid())), kTimeoutMs);
        writer->send(QStringLiteral("changed 50 2"));
        QTRY_VERIFY_WITH_TIMEOUT(newcomer->saw(changedLine(50, 2, writer)), kTimeoutMs);
        QVERIFY(!newcomer->saw(QStringLiteral("missed %1").arg(quiet->pid())));
        QCOMPARE(newcomer->lines().filter(QStringLiteral("missed")).size(), 1);
    }

    void aWriterThatDiesWithoutByeIsReportedAsMissed()
    {
        // A killed writer may have written bytes it never announced (between its write and its
        // announcement): its receivers are told to re-read. A killed watcher that never announced
        // anything costs nothing.
        const QString address = newAddress();
        Probe* receiver = startProbe(address);
        Probe* writer = startProbe(address);
        Probe* watcher = startProbe(address);
        QVERIFY(receiver && writer && watcher);
        for (Probe* probe : { receiver, writer, watcher })
            QTRY_COMPARE_WITH_TIMEOUT(probe->lastPeers(), 2, kTimeoutMs);
        writer->send(QStringLiteral("changed 5 5"));
        QTRY_VERIFY_WITH_TIMEOUT(receiver->saw(changedLine(5, 5, writer)), kTimeoutMs);

        const qint64 watcherPid = watcher->pid();
        QCOMPARE(::kill(static_cast<pid_t>(watcherPid), SIGKILL), 0);
        QTRY_COMPARE_WITH_TIMEOUT(receiver->lastPeers(), 1, kTimeoutMs);
        const qint64 writerPid = writer->pid();
        QCOMPARE(::kill(static_cast<pid_t>(writerPid), SIGKILL), 0);
        QTRY_VERIFY_WITH_TIMEOUT(receiver->saw(QStringLiteral("missed %1").arg(writerPid)), kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(receiver->lastPeers(), 0, kTimeoutMs);
        QVERIFY(!receiver->saw(QStringLiteral("missed %1").arg(watcherPid)));
        QCOMPARE(receiver->lines().filter(QStringLiteral("missed")).size(), 1);
    }

    void aBurstIsCoalesced()
    {
        // 1,000 notices of one byte each, sent without a pause: the receiver must not emit 1,000
        // signals, and what it emits must cover every announced byte.
        const QString address = newAddress();
        Probe* writer = startProbe(address);
        Probe* receiver = startProbe(address);
        QVERIFY(writer && receiver);
        QTRY_COMPARE_WITH_TIMEOUT(writer->lastPeers(), 1, kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(receiver->lastPeers(), 1, kTimeoutMs);

        writer->send(QStringLiteral("burst 1000"));
        QTRY_VERIFY2_WITH_TIMEOUT(receiver->covered(writer->pid(), 0, 1000),
                                  qPrintable(receiver->lines().join(QLatin1Char('\n'))), kTimeoutMs);
        receiver->send(QStringLiteral("ping")); // anything still pending has been delivered too
        QTRY_VERIFY_WITH_TIMEOUT(receiver->saw(QStringLiteral("pong")), kTimeoutMs);
        const QList<ChangedRanges::Range> ranges = receiver->changedFrom(writer->pid());
        qInfo("1000 notices delivered as %lld signal(s)", static_cast<long long>(ranges.size()));
        QVERIFY2(ranges.size() <= 100, qPrintable(QStringLiteral("%1 signals for 1000 notices").arg(ranges.size())));
        for (const ChangedRanges::Range& range : ranges) // nothing outside what was announced
            QVERIFY(range.offset + range.length <= 1000);

        // Scattered notices (every other byte) are all covered, however they were grouped (how many
        // signals that takes depends on how the frames were split into reads: not asserted).
        writer->send(QStringLiteral("scatter 100000 500 2"));
        QTRY_VERIFY_WITH_TIMEOUT(receiver->covered(writer->pid(), 100000 + 998, 1), kTimeoutMs);
        receiver->send(QStringLiteral("ping"));
        QTRY_COMPARE_WITH_TIMEOUT(receiver->lines().filter(QStringLiteral("pong")).size(), 2, kTimeoutMs);
        for (quint64 i = 0; i < 500; ++i)
            QVERIFY(receiver->covered(writer->pid(), 100000 + 2 * i, 1));
    }

    void changedRangesMerge_data()
    {
        QTest::addColumn<QList<quint64>>("added"); // offset, length, offset, length, …
        QTest::addColumn<QList<quint64>>("expected");
        QTest::newRow("empty range") << QList<quint64> { 5, 0 } << QList<quint64> {};
        QTest::newRow("one") << QList<quint64> { 5, 3 } << QList<quint64> { 5, 3 };
        QTest::newRow("adjacent") << QList<quint64> { 5, 3, 8, 2 } << QList<quint64> { 5, 5 };
        QTest::newRow("adjacent before") << QList<quint64> { 8, 2, 5, 3 } << QList<quint64> { 5, 5 };
        QTest::newRow("overlapping") << QList<quint64> { 0, 10, 5, 10 } << QList<quint64> { 0, 15 };
        QTest::newRow("contained") << QList<quint64> { 0, 10, 2, 3 } << QList<quint64> { 0, 10 };
        QTest::newRow("disjoint, sorted")
            << QList<quint64> { 20, 1, 0, 1, 10, 1 } << QList<quint64> { 0, 1, 10, 1, 20, 1 };
        QTest::newRow("bridging three") << QList<quint64> { 0, 1, 10, 1, 20, 1, 1, 19 } << QList<quint64> { 0, 21 };
        QTest::newRow("end at 2^64 - 1") << QList<quint64> { ~quint64(0) - 1, 1, ~quint64(0) - 2, 1 }
                                         << QList<quint64> { ~quint64(0) - 2, 2 };
        QTest::newRow("overflowing end clipped")
            << QList<quint64> { ~quint64(0) - 1, 5 } << QList<quint64> { ~quint64(0) - 1, 1 };
    }

    void changedRangesMerge()
    {
        QFETCH(QList<quint64>, added);
        QFETCH(QList<quint64>, expected);
        ChangedRanges ranges;
        for (qsizetype i = 0; i + 1 < added.size(); i += 2)
            ranges.add(added.at(i), added.at(i + 1));
        QList<quint64> flat;
        for (const ChangedRanges::Range& range : ranges.ranges())
            flat << range.offset << range.length;
        QCOMPARE(flat, expected);
        QCOMPARE(ranges.take().size(), expected.size() / 2);
        QVERIFY(ranges.isEmpty());
    }

    void changedRangesStayBoundedAndCoverEverything()
    {
        // 1,000 one-byte ranges with growing gaps: at most kMaxRanges remain, every byte is covered,
        // and the smallest gaps (the first ranges) were the ones closed.
        ChangedRanges ranges;
        std::vector<quint64> offsets;
        quint64 offset = 0;
        for (quint64 i = 0; i < 1000; ++i) {
            offsets.push_back(offset);
            ranges.add(offset, 1);
            offset += 2 + i;
        }
        QCOMPARE(ranges.ranges().size(), ChangedRanges::kMaxRanges);
        for (quint64 announced : offsets) {
            bool found = false;
            for (const ChangedRanges::Range& range : ranges.ranges())
                found = found || (range.offset <= announced && announced < range.offset + range.length);
            QVERIFY2(found, qPrintable(QString::number(announced)));
        }
        for (qsizetype i = 1; i < ranges.ranges().size(); ++i) {
            const ChangedRanges::Range& before = ranges.ranges().at(i - 1);
            QVERIFY(before.offset + before.length < ranges.ranges().at(i).offset); // sorted, not touching
        }
        QCOMPARE(ranges.ranges().constLast().offset, offsets.back()); // widest gaps kept
        QCOMPARE(ranges.ranges().constLast().length, quint64(1));
    }

    // The coalescing both bus backends share: after a quiet period deliverIfDue() delivers at once
    // (the end of a read); within the interval nothing is due and the timer delivers the merged ranges
    // once; deliverNow() empties it whatever the state. Ranges stay per sender.
    void coalescerDeliversAtOnceThenOncePerInterval()
    {
        ChangeCoalescer coalescer;
        QSignalSpy spy(&coalescer, &ChangeCoalescer::changed);
        QVERIFY(coalescer.deliverIfDue()); // nothing pending: nothing emitted
        QCOMPARE(spy.size(), 0);

        coalescer.add(10, 5, 100);
        coalescer.add(15, 5, 100); // same read: merged
        coalescer.add(0, 1, 200);
        QVERIFY(coalescer.hasPending());
        QVERIFY(coalescer.deliverIfDue());
        QCOMPARE(spy.size(), 2);
        QCOMPARE(spy.at(0), (QList<QVariant> { quint64(10), quint64(10), qint64(100) }));
        QCOMPARE(spy.at(1), (QList<QVariant> { quint64(0), quint64(1), qint64(200) }));
        QVERIFY(!coalescer.hasPending());

        // Right after a delivery: not due; the timer delivers the burst once, merged.
        spy.clear();
        for (quint64 i = 0; i < 100; ++i)
            coalescer.add(1000 + i, 1, 100);
        QVERIFY(coalescer.deliverIfDue());
        QCOMPARE(spy.size(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 1, 5000);
        QCOMPARE(spy.at(0), (QList<QVariant> { quint64(1000), quint64(100), qint64(100) }));

        // deliverNow() delivers what is pending at once (before a resize or removal).
        spy.clear();
        coalescer.add(7, 1, 300);
        QVERIFY(coalescer.deliverNow());
        QCOMPARE(spy.size(), 1);
        QTest::qWait(2 * ChangeCoalescer::kIntervalMs);
        QCOMPARE(spy.size(), 1); // and no timer delivers it twice
    }

    // A slot that destroys the coalescer: deliverNow() says so and touches nothing after.
    void coalescerSurvivesItsDeletionInASlot()
    {
        auto* coalescer = new ChangeCoalescer;
        int emitted = 0;
        connect(coalescer, &ChangeCoalescer::changed, coalescer, [&emitted, coalescer] {
            ++emitted;
            delete coalescer;
        });
        coalescer->add(0, 1, 1);
        coalescer->add(10, 1, 1);
        QVERIFY(!coalescer->deliverNow());
        QCOMPARE(emitted, 1);
    }

    void anInstanceWhoseSocketWasDeletedListensAgain()
    {
        const QString address = newAddress();
        Probe* probe = startProbe(address);
        QVERIFY(probe);
        const QString socket = probe->socketPath();
        QVERIFY(QFile::remove(socket)); // e.g. a user cleaning up the runtime directory by hand
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(socket), kTimeoutMs);
        QTRY_VERIFY2_WITH_TIMEOUT(probe->errors().contains(QStringLiteral("vanished")), qPrintable(probe->errors()),
                                  kTimeoutMs);
        Probe* other = startProbe(address);
        QVERIFY(other);
        other->send(QStringLiteral("changed 3 3"));
        QTRY_VERIFY_WITH_TIMEOUT(probe->saw(changedLine(3, 3, other)), kTimeoutMs);
    }

    void otherUsersAreRefused()
    {
        if (::geteuid() != 0)
            QSKIP("connecting as another user needs root; the 0700 directory keeps others out anyway");
        const QString address = newAddress();
        Probe* probe = startProbe(address);
        QVERIFY(probe);
        const QString socket = probe->socketPath();
        QVERIFY(!socket.isEmpty());

        // Open the way for uid 65534 (nobody) so that only the SO_PEERCRED check stands in its way.
        const QString runtime = m_runtime.path() + QStringLiteral("/shmscope");
        const QString object = runtime + QLatin1Char('/') + objectHash(address);
        const QStringList directories = { m_runtime.path(), runtime, object };
        for (const QString& directory : directories)
            QVERIFY(::chmod(QFile::encodeName(directory).constData(), 0711) == 0);
        QVERIFY(::chmod(QFile::encodeName(socket).constData(), 0777) == 0);

        Notice notice = rawNotice(NoticeKind::Changed, address, 0x5eed, 1);
        notice.offset = 11;
        notice.length = 11;
        const QByteArray frame = encodeFrame(notice);
        const QByteArray path = QFile::encodeName(socket);
        // The child reports through a pipe: QProcess's SIGCHLD handling may reap it before waitpid.
        int report[2];
        QVERIFY(::pipe(report) == 0);
        const pid_t child = ::fork();
        if (child == 0) {
            // Only async-signal-safe calls from here on.
            ::close(report[0]);
            ::alarm(10);
            auto finish = [&report](char code) {
                (void)::write(report[1], &code, 1);
                ::_exit(0);
            };
            if (::setgid(65534) != 0 || ::setuid(65534) != 0)
                finish('s');
            const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
            sockaddr_un peer = {};
            peer.sun_family = AF_UNIX;
            std::memcpy(peer.sun_path, path.constData(), static_cast<size_t>(path.size()) + 1);
            if (fd < 0 || ::connect(fd, reinterpret_cast<const sockaddr*>(&peer), sizeof(peer)) != 0)
                finish('c');
            ::send(fd, frame.constData(), static_cast<size_t>(frame.size()), MSG_NOSIGNAL);
            char reply[256];
            const ssize_t got = ::read(fd, reply, sizeof(reply));
            finish(got > 0 ? 'a' : 'r'); // an accepted connection would have been greeted with a hello
        }
        ::close(report[1]);
        QVERIFY(child > 0);
        char code = 0;
        const ssize_t got = ::read(report[0], &code, 1); // at most 10 s: the child's alarm
        ::close(report[0]);
        ::waitpid(child, nullptr, WNOHANG);
        for (const QString& directory : directories)
            QVERIFY(::chmod(QFile::encodeName(directory).constData(), 0700) == 0);
        QVERIFY(::chmod(QFile::encodeName(socket).constData(), 0700) == 0);

        // 'r': refused (closed without a word); 'a': accepted; 'c': could not connect; 's': setuid failed.
        QVERIFY2(got == 1, "the other user's client got no answer within 10 s");
        QCOMPARE(code, 'r');
        QTRY_VERIFY_WITH_TIMEOUT(probe->errors().contains(QStringLiteral("uid 65534")), kTimeoutMs);
        QVERIFY(probe->errors().contains(QStringLiteral("refused")));
        QVERIFY(!probe->sawPrefix(QStringLiteral("changed")));

        Probe* friendly = startProbe(address);
        QVERIFY(friendly);
        friendly->send(QStringLiteral("changed 12 12"));
        QTRY_VERIFY_WITH_TIMEOUT(probe->saw(changedLine(12, 12, friendly)), kTimeoutMs);
    }
};

QTEST_GUILESS_MAIN(TestNotificationBus)
#include "tst_notificationbus.moc"
