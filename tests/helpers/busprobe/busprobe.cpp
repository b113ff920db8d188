// busprobe — one member of a ShmScope notification bus, as a separate process for the tests.
//
//   busprobe ADDRESS [--role gui|cli] [--no-listen]
//
// Joins the bus of ADDRESS (a canonical address string; no shared memory is touched) and prints
// one line per event on stdout, flushed at once:
//   ready                     joined (or "error <message>" on stderr and exit status 1)
//   changed <offset> <length> <senderpid>   (coalesced: one line may stand for many notices)
//   resized <size> <senderpid>
//   removed <senderpid>
//   missed <senderpid>        a gap in the sender's sequence numbers
//   peers <n>                 whenever the peer count changes, and in reply to "peers"
// Commands, one per line on stdin (end of input = quit):
//   changed <offset> <length> | resized <size> | removed   announce
//   burst <k>                 announce "changed i 1" for i = 0 … k-1 in one go (no event loop between)
//   scatter <o> <k> <step>    announce "changed o+i*step 1" for i = 0 … k-1 in one go
//   peers                     print "peers <n>"
//   list                      print "peer <pid> <gui|cli|?>" per peer, then "end"
//   flush [<ms>]              NotificationBus::flush (default 5000 ms), print "flushed 1" or "flushed 0"
//   ping                      print "pong" (everything before it has been handled)
//   quit                      leave the bus (sends bye) and exit 0
// Log lines of the "shmscope.notify" category go to stderr.

#include "app/shared/notificationbus.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSocketNotifier>
#include <cstdio>
#include <unistd.h>

using namespace shmscope;

namespace {

void say(const QString& line)
{
    const QByteArray bytes = line.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stdout);
    std::fflush(stdout);
}

class Probe : public QObject
{
public:
    explicit Probe(NotificationBus* bus)
        : m_bus(bus)
        , m_stdin(STDIN_FILENO, QSocketNotifier::Read)
    {
        connect(&m_stdin, &QSocketNotifier::activated, this, &Probe::readInput);
    }

private:
    void readInput()
    {
        char chunk[4096];
        const ssize_t count = ::read(STDIN_FILENO, chunk, sizeof(chunk));
        if (count <= 0) {
            m_stdin.setEnabled(false);
            QCoreApplication::quit();
            return;
        }
        m_input.append(chunk, count);
        qsizetype newline = 0;
        while ((newline = m_input.indexOf('\n')) >= 0) {
            const QString line = QString::fromUtf8(m_input.left(newline)).trimmed();
            m_input.remove(0, newline + 1);
            if (!line.isEmpty())
                run(line.split(QLatin1Char(' '), Qt::SkipEmptyParts));
        }
    }

    void run(const QStringList& words)
    {
        const QString& command = words.first();
        auto number = [&words](int index) { return words.value(index).toULongLong(); };
        if (command == QLatin1String("changed") && words.size() == 3) {
            m_bus->announceChanged(number(1), number(2));
        } else if (command == QLatin1String("resized") && words.size() == 2) {
            m_bus->announceResized(number(1));
        } else if (command == QLatin1String("removed")) {
            m_bus->announceRemoved();
        } else if (command == QLatin1String("burst") && words.size() == 2) {
            for (quint64 i = 0, n = number(1); i < n; ++i)
                m_bus->announceChanged(i, 1);
        } else if (command == QLatin1String("scatter") && words.size() == 4) {
            for (quint64 i = 0, n = number(2); i < n; ++i)
                m_bus->announceChanged(number(1) + i * number(3), 1);
        } else if (command == QLatin1String("peers")) {
            say(QStringLiteral("peers %1").arg(m_bus->peerCount()));
        } else if (command == QLatin1String("list")) {
            const QList<PeerInfo> peers = m_bus->peers();
            for (const PeerInfo& peer : peers) {
                say(QStringLiteral("peer %1 %2")
                        .arg(peer.pid)
                        .arg(peer.roleKnown ? QString(peerRoleName(peer.role)) : QStringLiteral("?")));
            }
            say(QStringLiteral("end"));
        } else if (command == QLatin1String("flush")) {
            const int timeout = words.size() > 1 ? words.at(1).toInt() : 5000;
            say(QStringLiteral("flushed %1").arg(m_bus->flush(timeout) ? 1 : 0));
        } else if (command == QLatin1String("ping")) {
            say(QStringLiteral("pong"));
        } else if (command == QLatin1String("quit")) {
            QCoreApplication::quit();
        } else {
            say(QStringLiteral("unknown %1").arg(words.join(QLatin1Char(' '))));
        }
    }

    NotificationBus* m_bus;
    QSocketNotifier m_stdin;
    QByteArray m_input;
};

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("A member of a ShmScope notification bus, for tests."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("address"), QStringLiteral("The canonical address of the object."));
    const QCommandLineOption roleOption(QStringLiteral("role"), QStringLiteral("gui or cli (default gui)."),
                                        QStringLiteral("role"), QStringLiteral("gui"));
    const QCommandLineOption noListenOption(QStringLiteral("no-listen"),
                                            QStringLiteral("Only send, like a one-shot writer (start(false))."));
    parser.addOption(roleOption);
    parser.addOption(noListenOption);
    parser.process(app);
    if (parser.positionalArguments().size() != 1) {
        std::fputs("busprobe: expected one ADDRESS\n", stderr);
        return 2;
    }

    const auto role
        = parser.value(roleOption) == QLatin1String("cli") ? NotificationBus::Role::Cli : NotificationBus::Role::Gui;
    NotificationBus bus(parser.positionalArguments().constFirst(), role);
    QObject::connect(&bus, &NotificationBus::changed, [](quint64 offset, quint64 length, qint64 pid) {
        say(QStringLiteral("changed %1 %2 %3").arg(offset).arg(length).arg(pid));
    });
    QObject::connect(&bus, &NotificationBus::resized,
                     [](quint64 size, qint64 pid) { say(QStringLiteral("resized %1 %2").arg(size).arg(pid)); });
    QObject::connect(&bus, &NotificationBus::removed, [](qint64 pid) { say(QStringLiteral("removed %1").arg(pid)); });
    QObject::connect(&bus, &NotificationBus::noticesMissed,
                     [](qint64 pid) { say(QStringLiteral("missed %1").arg(pid)); });
    QObject::connect(&bus, &NotificationBus::peersChanged,
                     [&bus] { say(QStringLiteral("peers %1").arg(bus.peerCount())); });

    if (!bus.start(!parser.isSet(noListenOption))) {
        std::fprintf(stderr, "error %s\n", qPrintable(bus.errorString()));
        return 1;
    }
    say(QStringLiteral("ready"));
    Probe probe(&bus);
    return app.exec();
}
