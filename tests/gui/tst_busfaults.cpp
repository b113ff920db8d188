// Faults and load, issue 4: 16 instances on one object, each a separate process (this executable
// started again with `--watch ADDRESS`: a MappingByteSource kept exact ONLY through the notification
// bus — no polling), a writer process (`--writer ADDRESS MS RATE`) at 1,000 locked writes per second,
// and watchers killed with SIGKILL at random moments and restarted. Checked: every survivor keeps
// answering and keeps receiving; after the writer stops every survivor's copy equals the object (read
// by the core under its lock); after everyone has exited no socket or directory is left.
//
// The issue asks for 30 s of writing; under ctest the default is shorter (SHMSCOPE_FAULT_SECONDS,
// default 8) to keep the suite quick on a loaded 2-core machine. Run the full length with
//   SHMSCOPE_FAULT_SECONDS=30 tests/gui/tst_busfaults
// No timing is asserted: the longest gap in each watcher's event loop and the slowest ping answer are
// printed as figures (the "no hang > 1 s"); the assertions use generous deadlines.
//
// Watcher commands on stdin, one per line; answers on stdout:
//   ping    "pong <changed notices received> <longest event-loop gap in ms>"
//   digest  "digest <sha-1 of its copy, hex> <changed notices received>"
//   quit    leaves the bus and exits
// It prints "ready" once it has joined the bus and read the object.
#include "app/shared/notificationbus.h"
#include "core/mapping.h"
#include "widgets/mappingbytesource.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QSocketNotifier>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <csignal>
#include <cstdio>
#include <functional>
#include <memory>
#include <unistd.h>
#include <vector>

using namespace shmscope;

namespace {

constexpr int kWatchers = 16;
constexpr int kRate = 1000; // writes per second
constexpr quint64 kObjectSize = 64 * 1024;
constexpr int kChunk = 8; // bytes per write

void say(const QByteArray& line)
{
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

std::unique_ptr<Mapping> attachOrNull(const QString& addressText, Access access)
{
    const auto address = parseAddress(addressText.toStdString());
    if (!address)
        return nullptr;
    auto attached = attachMapping(*address, access);
    if (!attached) {
        std::fprintf(stderr, "attach: %s\n", attached.error().message().c_str());
        return nullptr;
    }
    return std::move(*attached);
}

// Reads stdin lines and hands them to `handle`; end of input quits.
void onStdinLines(QObject* context, QSocketNotifier* input, QByteArray* pending,
                  std::function<void(const QByteArray&)> handle)
{
    QObject::connect(input, &QSocketNotifier::activated, context, [input, pending, handle] {
        char buffer[1024];
        const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (n <= 0) {
            input->setEnabled(false);
            QCoreApplication::quit();
            return;
        }
        pending->append(buffer, n);
        qsizetype newline;
        while ((newline = pending->indexOf('\n')) >= 0) {
            const QByteArray line = pending->left(newline);
            pending->remove(0, newline + 1);
            handle(line);
        }
    });
}

int runWatcher(const QString& addressText)
{
    auto mapping = attachOrNull(addressText, Access::ReadOnly);
    if (!mapping)
        return 1;
    MappingByteSource source(std::move(mapping));
    QByteArray copy(qsizetype(kObjectSize), '\0');
    const auto readRange = [&](quint64 offset, quint64 length) {
        if (offset >= kObjectSize)
            return;
        length = std::min(length, kObjectSize - offset);
        if (!source.read(offset, copy.data() + offset, qsizetype(length)))
            std::fprintf(stderr, "watcher: %s\n", qPrintable(source.errorString()));
    };
    const auto readAll = [&] { readRange(0, kObjectSize); };

    quint64 received = 0;
    NotificationBus bus(QString::fromStdString(toString(source.mapping().address())), NotificationBus::Role::Cli);
    // What the bus documents for exactness: re-read what a notice names; re-read everything after a
    // gap, and when a peer appears (notices sent before it connected to us were not for us).
    QObject::connect(&bus, &NotificationBus::changed, &bus, [&](quint64 offset, quint64 length, qint64) {
        ++received;
        readRange(offset, length);
    });
    QObject::connect(&bus, &NotificationBus::noticesMissed, &bus, [&](qint64) { readAll(); });
    // Only a peer that is new to us can have written unannounced-to-us bytes; one that left cannot (and
    // re-reading then would hide lost notices from this test).
    QSet<quint64> knownPeers;
    QObject::connect(&bus, &NotificationBus::peersChanged, &bus, [&] {
        bool newcomer = false;
        QSet<quint64> now;
        for (const PeerInfo& peer : bus.peers()) {
            now.insert(peer.instanceId);
            newcomer = newcomer || !knownPeers.contains(peer.instanceId);
        }
        knownPeers = now;
        if (newcomer)
            readAll();
    });
    if (!bus.start()) {
        std::fprintf(stderr, "watcher: %s\n", qPrintable(bus.errorString()));
        return 1;
    }
    readAll();

    // Event-loop liveness: the longest gap between two 50 ms ticks.
    QElapsedTimer sinceTick;
    sinceTick.start();
    qint64 longestGap = 0;
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, &bus, [&] { longestGap = std::max(longestGap, sinceTick.restart()); });
    tick.start(50);

    QSocketNotifier input(STDIN_FILENO, QSocketNotifier::Read);
    QByteArray pending;
    onStdinLines(&bus, &input, &pending, [&](const QByteArray& command) {
        if (command == "ping")
            say("pong " + QByteArray::number(received) + ' ' + QByteArray::number(longestGap));
        else if (command == "digest")
            say("digest " + QCryptographicHash::hash(copy, QCryptographicHash::Sha1).toHex() + ' '
                + QByteArray::number(received));
        else if (command == "quit")
            QCoreApplication::quit();
    });
    say("ready");
    return QCoreApplication::exec();
}

int runWriter(const QString& addressText, int ms, int rate)
{
    auto mapping = attachOrNull(addressText, Access::ReadWrite);
    if (!mapping)
        return 1;
    NotificationBus bus(QString::fromStdString(toString(mapping->address())), NotificationBus::Role::Cli);
    if (!bus.start()) {
        std::fprintf(stderr, "writer: %s\n", qPrintable(bus.errorString()));
        return 1;
    }
    QElapsedTimer clock;
    clock.start();
    qint64 writes = 0;
    QRandomGenerator random(quint32(::getpid()));
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    QObject::connect(&timer, &QTimer::timeout, &bus, [&] {
        const qint64 elapsed = clock.elapsed();
        // Catch up to `rate` per second, a bounded batch per tick so that the bus gets to send.
        const qint64 due = std::min<qint64>(elapsed * rate / 1000 - writes, 50);
        for (qint64 i = 0; i < due; ++i) {
            const quint64 offset = random.bounded(quint32(kObjectSize - kChunk));
            quint64 value = random.generate64();
            if (Status status = mapping->writeLocked(offset, &value, kChunk, std::chrono::seconds(5)); !status) {
                std::fprintf(stderr, "writer: %s\n", status.error().message().c_str());
                QCoreApplication::exit(1);
                return;
            }
            bus.announceChanged(offset, kChunk);
            ++writes;
        }
        if (elapsed >= ms) {
            timer.stop();
            // The last notices must reach the survivors before this process (and its sockets) goes.
            const bool flushed = bus.flush(5000);
            say("done " + QByteArray::number(writes) + ' ' + QByteArray::number(flushed ? 1 : 0));
            QCoreApplication::quit();
        }
    });
    timer.start(1);
    say("writing");
    return QCoreApplication::exec();
}

} // namespace

class TestBusFaults : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_runtime.isValid());
        qputenv("XDG_RUNTIME_DIR", m_runtime.path().toUtf8());
        m_seconds = qEnvironmentVariableIntValue("SHMSCOPE_FAULT_SECONDS");
        if (m_seconds <= 0)
            m_seconds = 8;
    }

    void init()
    {
        m_name = QStringLiteral("/shmscope-tst-faults-%1-%2").arg(::getpid()).arg(++m_counter);
        m_address = Address { Kind::Posix, m_name.toStdString(), 0 };
        CreateOptions options;
        options.size = kObjectSize;
        auto created = createMapping(m_address, options);
        QVERIFY2(created, created ? "" : created.error().message().c_str());
        m_mapping = std::move(created->mapping);
    }

    void cleanup()
    {
        for (auto& slot : m_slots)
            endProcess(slot.process.get());
        m_slots.clear();
        endProcess(m_writer.get());
        m_writer.reset();
        m_mapping.reset();
        (void)removeObject(m_address);
    }

    void killsAndRestartsUnderLoad()
    {
        const QString addressText = QString::fromStdString(toString(m_address));
        m_slots.resize(kWatchers);
        for (int i = 0; i < kWatchers; ++i)
            startWatcher(i);
        QTRY_VERIFY_WITH_TIMEOUT(allReady(), 60000);

        m_writer = std::make_unique<QProcess>();
        m_writer->setProgram(QCoreApplication::applicationFilePath());
        m_writer->setArguments(
            { QStringLiteral("--writer"), addressText, QString::number(m_seconds * 1000), QString::number(kRate) });
        m_writer->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_writer->start();
        QVERIFY(m_writer->waitForStarted(10000));

        // While it writes: every 1 s ping every ready watcher; every ~0.5 s kill one at random with
        // SIGKILL and start a new one in its place — except in the last quarter (at most 2 s): a
        // watcher re-reads everything when its peers change, which would hide lost notices, so the
        // final writes must reach the survivors through notices alone.
        const qint64 killsEndMs = qint64(m_seconds) * 1000 - std::min<qint64>(2000, qint64(m_seconds) * 250);
        QRandomGenerator random(quint32(::getpid()));
        QElapsedTimer clock;
        clock.start();
        int kills = 0;
        qint64 nextKill = 500;
        qint64 nextPing = 1000;
        QByteArray writerDone;
        while (writerDone.isNull() && clock.elapsed() < qint64(m_seconds) * 1000 + 30000) {
            QTest::qWait(20);
            serveAll();
            while (m_writer->canReadLine()) {
                const QByteArray line = m_writer->readLine().trimmed();
                if (line.startsWith("done "))
                    writerDone = line.mid(5);
            }
            QVERIFY2(m_writer->state() == QProcess::Running || !writerDone.isNull(), "the writer died");
            if (clock.elapsed() >= nextKill && clock.elapsed() < killsEndMs) {
                nextKill += 300 + random.bounded(400);
                const int victim = int(random.bounded(quint32(kWatchers)));
                ::kill(pid_t(m_slots[victim].process->processId()), SIGKILL);
                m_slots[victim].process->waitForFinished(5000);
                ++kills;
                startWatcher(victim);
            }
            if (clock.elapsed() >= nextPing) {
                nextPing += 1000;
                pingAll();
            }
        }
        QVERIFY2(!writerDone.isNull(), "the writer did not finish");
        QVERIFY2(writerDone.endsWith(" 1"), "the writer could not flush its last notices");
        const qint64 writes = writerDone.split(' ').value(0).toLongLong();

        // Survivors: all ready in the end, every ping answered, and the ones that lived through at
        // least two pings received more between them.
        QTRY_VERIFY_WITH_TIMEOUT(allReady(), 60000);
        pingAll();
        QTRY_VERIFY_WITH_TIMEOUT((serveAll(), noPingOutstanding()), 10000);
        qint64 slowestPong = 0;
        qint64 longestGap = 0;
        int provenReceiving = 0;
        for (const Slot& slot : m_slots) {
            slowestPong = std::max(slowestPong, slot.slowestPongMs);
            longestGap = std::max(longestGap, slot.longestGapMs);
            if (slot.pongs >= 3) {
                QVERIFY2(slot.lastReceived > slot.firstReceived, "a surviving watcher stopped receiving");
                ++provenReceiving;
            }
        }
        QVERIFY2(provenReceiving > 0, "no watcher lived long enough to show it kept receiving");

        // Exactness: every survivor's copy is the object's content.
        QByteArray object(qsizetype(kObjectSize), '\0');
        {
            auto guard = m_mapping->lock(std::chrono::seconds(5));
            QVERIFY(guard);
            QVERIFY(m_mapping->read(0, object.data(), std::size_t(object.size())));
        }
        const QByteArray expected = QCryptographicHash::hash(object, QCryptographicHash::Sha1).toHex();
        for (int i = 0; i < kWatchers; ++i) {
            m_slots[i].process->write("digest\n");
            const QByteArray digest = waitForLine(i, "digest ", 10000);
            QVERIFY2(!digest.isNull(), qPrintable(QStringLiteral("watcher %1 did not answer").arg(i)));
            QVERIFY2(digest.startsWith(expected),
                     qPrintable(QStringLiteral("watcher %1's copy differs from the object").arg(i)));
        }

        // Everyone leaves: the killed ones' sockets were swept by the survivors, the last one out
        // removes the object's directory.
        for (auto& slot : m_slots) {
            slot.process->write("quit\n");
            slot.process->waitForBytesWritten(5000);
        }
        for (auto& slot : m_slots)
            QVERIFY(slot.process->waitForFinished(10000));
        if (m_writer->state() != QProcess::NotRunning)
            QVERIFY(m_writer->waitForFinished(10000));
        QStringList leftovers;
        QDirIterator it(m_runtime.path(), QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System | QDir::Hidden,
                        QDirIterator::Subdirectories);
        while (it.hasNext())
            leftovers.append(it.next());
        leftovers.removeAll(m_runtime.path() + QStringLiteral("/shmscope")); // the per-user root may stay
        QVERIFY2(leftovers.isEmpty(), qPrintable(leftovers.join(QLatin1Char(' '))));

        qInfo("%d s: %lld writes, %d kills -9 and restarts; slowest ping answer %lld ms, longest event-loop gap of "
              "a survivor %lld ms (issue: no hang > 1 s; not asserted on this VM)",
              m_seconds, writes, kills, slowestPong, longestGap);
    }

private:
    struct Slot {
        std::unique_ptr<QProcess> process;
        bool ready = false;
        int pongs = 0;
        int outstanding = 0; // pings sent, not answered
        QElapsedTimer pingSent;
        qint64 slowestPongMs = 0;
        qint64 longestGapMs = 0;
        quint64 firstReceived = 0;
        quint64 lastReceived = 0;
    };

    void startWatcher(int index)
    {
        Slot& slot = m_slots[index];
        slot = Slot();
        slot.process = std::make_unique<QProcess>();
        slot.process->setProgram(QCoreApplication::applicationFilePath());
        slot.process->setArguments({ QStringLiteral("--watch"), QString::fromStdString(toString(m_address)) });
        slot.process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        slot.process->start();
    }

    // Reads what every watcher said so far.
    void serveAll()
    {
        for (Slot& slot : m_slots) {
            QProcess* p = slot.process.get();
            if (p->state() == QProcess::Running)
                p->waitForReadyRead(0);
            while (p->canReadLine()) {
                const QByteArray line = p->readLine().trimmed();
                if (line == "ready") {
                    slot.ready = true;
                } else if (line.startsWith("pong ")) {
                    const QList<QByteArray> words = line.split(' ');
                    const quint64 received = words.value(1).toULongLong();
                    if (slot.pongs == 0)
                        slot.firstReceived = received;
                    slot.lastReceived = received;
                    slot.longestGapMs = std::max(slot.longestGapMs, words.value(2).toLongLong());
                    slot.slowestPongMs = std::max(slot.slowestPongMs, slot.pingSent.elapsed());
                    ++slot.pongs;
                    slot.outstanding = std::max(0, slot.outstanding - 1);
                }
            }
        }
    }

    bool allReady()
    {
        serveAll();
        for (const Slot& slot : m_slots) {
            if (!slot.ready)
                return false;
        }
        return true;
    }

    void pingAll()
    {
        for (Slot& slot : m_slots) {
            if (!slot.ready || slot.outstanding > 0)
                continue; // an unanswered ping is still timed from when it was sent
            slot.process->write("ping\n");
            slot.process->waitForBytesWritten(1000);
            slot.pingSent.start();
            ++slot.outstanding;
        }
    }

    bool noPingOutstanding() const
    {
        for (const Slot& slot : m_slots) {
            if (slot.outstanding > 0)
                return false;
        }
        return true;
    }

    QByteArray waitForLine(int index, const QByteArray& prefix, int ms)
    {
        QProcess* p = m_slots[index].process.get();
        QDeadlineTimer deadline(ms);
        while (!deadline.hasExpired()) {
            while (p->canReadLine()) {
                const QByteArray line = p->readLine().trimmed();
                if (line.startsWith(prefix))
                    return line.mid(prefix.size());
            }
            if (p->state() == QProcess::NotRunning)
                return {};
            p->waitForReadyRead(50);
        }
        return {};
    }

    static void endProcess(QProcess* p)
    {
        if (!p || p->state() == QProcess::NotRunning)
            return;
        p->kill();
        p->waitForFinished(5000);
    }

    QTemporaryDir m_runtime;
    std::vector<Slot> m_slots;
    std::unique_ptr<QProcess> m_writer;
    std::unique_ptr<Mapping> m_mapping;
    QString m_name;
    Address m_address;
    int m_counter = 0;
    int m_seconds = 8;
};

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    if (argc == 3 && qstrcmp(argv[1], "--watch") == 0)
        return runWatcher(QString::fromLocal8Bit(argv[2]));
    if (argc == 5 && qstrcmp(argv[1], "--writer") == 0)
        return runWriter(QString::fromLocal8Bit(argv[2]), QByteArray(argv[3]).toInt(), QByteArray(argv[4]).toInt());
    TestBusFaults test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_busfaults.moc"
