// The peers panel's model over a real notification bus: other members are busprobe processes
// (tests/helpers/busprobe), one announcing itself as a GUI and one as a CLI. Checked throughout by
// QAbstractItemModelTester; rows follow the peers as they come and go, with process names from /proc.
#include "app/gui/peersmodel.h"
#include "app/shared/notificationbus.h"

#include <QAbstractItemModelTester>
#include <QCoreApplication>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <memory>
#include <unistd.h>

using namespace shmscope;

class TestPeersModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        // Instances find each other below XDG_RUNTIME_DIR: a private one keeps this test apart from
        // real instances and from parallel tests. The probes inherit it.
        QVERIFY(m_runtime.isValid());
        qputenv("XDG_RUNTIME_DIR", m_runtime.path().toUtf8());
    }

    void init()
    {
        // The bus never touches the object itself: a unique address is all it needs.
        m_address = QStringLiteral("posix:/shmscope-test-%1-%2-peers").arg(::getpid()).arg(++m_counter);
    }

    void cleanup()
    {
        for (auto& probe : m_probes) {
            if (probe->state() != QProcess::NotRunning) {
                probe->write("quit\n");
                if (!probe->waitForFinished(5000))
                    probe->kill();
                probe->waitForFinished(5000);
            }
        }
        m_probes.clear();
    }

    void processNameOfThisProcess()
    {
        QCOMPARE(PeersModel::processName(::getpid()), QStringLiteral("tst_peersmodel"));
        QVERIFY(PeersModel::processName(0).isEmpty());
        QVERIFY(PeersModel::processName(-1).isEmpty());
    }

    void emptyWithoutBus()
    {
        PeersModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), int(PeersModel::ColumnCount));
        QCOMPARE(model.headerData(PeersModel::PidColumn, Qt::Horizontal).toString(), QStringLiteral("PID"));
        model.setBus(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }

    void followsPeersComingAndGoing()
    {
        NotificationBus bus(m_address, NotificationBus::Role::Gui);
        PeersModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setBus(&bus);
        QVERIFY2(bus.start(), qPrintable(bus.errorString()));
        QCOMPARE(model.rowCount(), 0);

        const QDateTime before = QDateTime::currentDateTime().addSecs(-1);
        QProcess* gui = startProbe(QStringLiteral("gui"));
        QVERIFY(gui);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1, 10000);
        QProcess* cli = startProbe(QStringLiteral("cli"));
        QVERIFY(cli);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 2, 10000);
        QCOMPARE(model.rowCount(), bus.peerCount());

        // Both hellos arrive within the deadline; then every cell says who is who.
        const auto rowOf = [&model](qint64 pid) {
            for (int row = 0; row < model.rowCount(); ++row) {
                if (model.data(model.index(row, PeersModel::PidColumn)).toLongLong() == pid)
                    return row;
            }
            return -1;
        };
        const auto kindOf = [&](qint64 pid) {
            const int row = rowOf(pid);
            return row < 0 ? QString() : model.data(model.index(row, PeersModel::RoleColumn)).toString();
        };
        QTRY_COMPARE_WITH_TIMEOUT(kindOf(gui->processId()), QStringLiteral("GUI"), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(kindOf(cli->processId()), QStringLiteral("CLI"), 10000);
        for (QProcess* probe : { gui, cli }) {
            const int row = rowOf(probe->processId());
            QCOMPARE(model.data(model.index(row, PeersModel::NameColumn)).toString(), QStringLiteral("busprobe"));
            const QDateTime since = model.data(model.index(row, PeersModel::SinceColumn)).toDateTime();
            QVERIFY(since >= before);
            QVERIFY(since <= QDateTime::currentDateTime());
            QCOMPARE(model.peerAt(row).pid, probe->processId());
        }

        // A peer that leaves (here: killed, no bye) loses its row; the other keeps its own.
        const qint64 cliPid = cli->processId();
        const int guiRowBefore = rowOf(gui->processId());
        QPersistentModelIndex guiIndex(model.index(guiRowBefore, PeersModel::PidColumn));
        cli->kill();
        cli->waitForFinished(5000);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1, 10000);
        QCOMPARE(rowOf(cliPid), -1);
        QVERIFY(guiIndex.isValid());
        QCOMPARE(guiIndex.data().toLongLong(), gui->processId());

        // A graceful exit (bye) too.
        gui->write("quit\n");
        QVERIFY(gui->waitForFinished(5000));
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 0, 10000);
        QCOMPARE(bus.peerCount(), 0);
    }

    void emptiesWhenTheBusGoes()
    {
        auto bus = std::make_unique<NotificationBus>(m_address, NotificationBus::Role::Gui);
        PeersModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setBus(bus.get());
        QVERIFY2(bus->start(), qPrintable(bus->errorString()));
        QVERIFY(startProbe(QStringLiteral("cli")));
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1, 10000);
        bus.reset();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.bus(), nullptr);
    }

private:
    QProcess* startProbe(const QString& role)
    {
        auto probe = std::make_unique<QProcess>();
        probe->setProgram(QStringLiteral(SHMSCOPE_BUSPROBE));
        probe->setArguments({ m_address, QStringLiteral("--role"), role });
        probe->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        probe->start();
        if (!probe->waitForStarted(10000))
            return nullptr;
        QDeadlineTimer deadline(15000);
        bool ready = false;
        while (!ready && !deadline.hasExpired() && probe->state() == QProcess::Running) {
            if (!probe->canReadLine())
                probe->waitForReadyRead(100);
            while (probe->canReadLine()) {
                if (probe->readLine().trimmed() == "ready") // always read the line, or canReadLine() stays true
                    ready = true;
            }
            QCoreApplication::processEvents();
        }
        if (!ready)
            return nullptr;
        m_probes.push_back(std::move(probe));
        return m_probes.back().get();
    }

    QTemporaryDir m_runtime;
    QString m_address;
    int m_counter = 0;
    std::vector<std::unique_ptr<QProcess>> m_probes;
};

QTEST_GUILESS_MAIN(TestPeersModel)

#include "tst_peersmodel.moc"
