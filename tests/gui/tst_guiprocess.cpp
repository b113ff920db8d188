// The real `shmscope` executable as a user starts it (issue 9): --help and --version work without any
// display (item 9), and SIGTERM while the start-up error dialog is shown ends the process instead of
// leaving it windowless forever (item 8).
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <sys/types.h>

namespace {

// How long a process that should end at once may take on a loaded 2-core CI machine before the
// test calls it hung. Not a timing assertion: only a bound on waiting for something that must happen.
constexpr int kEndsWithinMs = 60000;

// The environment of a user's session without any display: no QT_QPA_PLATFORM, DISPLAY or
// WAYLAND_DISPLAY; settings and caches in `home` so that the user's own are not touched.
QProcessEnvironment environmentWithoutDisplay(const QString& home)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char* name : { "QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORMTHEME" })
        environment.remove(QString::fromLatin1(name));
    environment.insert(QStringLiteral("HOME"), home);
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
    environment.insert(QStringLiteral("XDG_CACHE_HOME"), home + QStringLiteral("/cache"));
    return environment;
}

} // namespace

class TestGuiProcess : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup();
    void helpAndVersionWorkWithoutADisplay_data();
    void helpAndVersionWorkWithoutADisplay();
    void sigtermDuringTheStartupErrorDialogEndsTheProcess_data();
    void sigtermDuringTheStartupErrorDialogEndsTheProcess();

private:
    QProcess m_process;
};

void TestGuiProcess::cleanup()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(kEndsWithinMs);
    }
}

void TestGuiProcess::helpAndVersionWorkWithoutADisplay_data()
{
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("expected");
    QTest::newRow("--help") << QStringLiteral("--help") << QStringLiteral("--create");
    QTest::newRow("-h") << QStringLiteral("-h") << QStringLiteral("--read-only");
    QTest::newRow("--version") << QStringLiteral("--version") << QStringLiteral("shmscope " SHMSCOPE_VERSION);
}

void TestGuiProcess::helpAndVersionWorkWithoutADisplay()
{
    QFETCH(QString, option);
    QFETCH(QString, expected);
    QTemporaryDir home;
    QVERIFY(home.isValid());
    m_process.setProcessEnvironment(environmentWithoutDisplay(home.path()));
    m_process.start(QStringLiteral(SHMSCOPE_GUI), { option });
    QVERIFY2(m_process.waitForFinished(kEndsWithinMs), "shmscope did not end");
    const QByteArray out = m_process.readAllStandardOutput();
    const QByteArray err = m_process.readAllStandardError();
    QVERIFY2(m_process.exitStatus() == QProcess::NormalExit, err.constData()); // not abort()ed (134)
    QVERIFY2(m_process.exitCode() == 0, err.constData());
    QVERIFY2(out.contains(expected.toUtf8()), out.constData());
}

void TestGuiProcess::sigtermDuringTheStartupErrorDialogEndsTheProcess_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::newRow("SIGTERM") << SIGTERM;
    QTest::newRow("SIGINT") << SIGINT;
}

void TestGuiProcess::sigtermDuringTheStartupErrorDialogEndsTheProcess()
{
    QFETCH(int, signalNumber);
    QTemporaryDir home;
    QVERIFY(home.isValid());
    QProcessEnvironment environment = environmentWithoutDisplay(home.path());
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    m_process.setProcessEnvironment(environment);
    // An object that does not exist: the window opens with the "Open Mapping" error dialog over it.
    const QString missing = QStringLiteral("posix:/shmscope-test-%1-missing").arg(QCoreApplication::applicationPid());
    m_process.start(QStringLiteral(SHMSCOPE_GUI), { missing });
    QVERIFY(m_process.waitForStarted(kEndsWithinMs));
    // The error is printed on stderr just before the dialog is shown (the signal handlers are
    // installed before the object is opened, so the signal below is always the program's to handle).
    QByteArray err;
    const QByteArray errorLine = "shmscope: attach " + missing.toUtf8();
    QTRY_VERIFY_WITH_TIMEOUT((err += m_process.readAllStandardError()).contains(errorLine), kEndsWithinMs);
    QVERIFY(::kill(static_cast<pid_t>(m_process.processId()), signalNumber) == 0);
    QVERIFY2(m_process.waitForFinished(kEndsWithinMs), "shmscope went on running without a window after the signal");
    QCOMPARE(m_process.exitStatus(), QProcess::NormalExit); // it closed, not killed by the signal
}

QTEST_GUILESS_MAIN(TestGuiProcess)
#include "tst_guiprocess.moc"
