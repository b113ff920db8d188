// What the main window says about the object it shows, with real objects and real other processes
// (issue 9): it opens without notifications when the runtime directory is unusable (item 4), says
// that a create-or-attach found the object and at what size (item 15), opens an empty object and
// follows it as another process grows it (item 16), and says plainly that the object was removed by
// someone else (item 17) — until a new object of that name exists, which it says too, and which
// File ▸ Reopen then shows (POSIX and System V).
#include "app/gui/mainwindow.h"
#include "app/gui/mappingsession.h"
#include "app/gui/openrequest.h"
#include "app/shared/notificationbus.h"
#include "core/mapping.h"
#include "widgets/bytesource.h"
#include "widgets/hexview.h"
#include "widgets/textview.h"

#include <QAction>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QProcess>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace shmscope;

namespace {

// Runs a helper process to the end; returns its stdout, or a null QByteArray (with a QWARN) on failure.
QByteArray runProcess(const QString& program, const QStringList& arguments, qint64* pid = nullptr)
{
    QProcess process;
    process.start(program, arguments);
    if (!process.waitForStarted(30000))
        return {};
    if (pid)
        *pid = process.processId();
    if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        qWarning("%s %s failed: %s", qPrintable(program), qPrintable(arguments.join(QLatin1Char(' '))),
                 process.readAllStandardError().constData());
        return {};
    }
    QByteArray out = process.readAllStandardOutput();
    return out.isNull() ? QByteArray("") : out;
}

// The File menu's action whose text is `text` (with its '&'), or nullptr.
QAction* fileMenuAction(const MainWindow& window, const QString& text)
{
    for (QAction* menu : window.menuBar()->actions()) {
        if (!menu->menu() || menu->text() != QStringLiteral("&File"))
            continue;
        for (QAction* action : menu->menu()->actions()) {
            if (action->text() == text)
                return action;
        }
    }
    return nullptr;
}

QString stateText(const MainWindow& window)
{
    const auto* label = window.findChild<QLabel*>(QStringLiteral("stateLabel"));
    return label && label->isVisible() ? label->toolTip() : QString(); // the whole text (it may be elided)
}

} // namespace

class TestSessionState : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void opensWithNotificationsOffWhenTheRuntimeDirIsUnusable();
    void createOnAnExistingObjectSaysItExistedAndItsSize();
    void emptyObjectOpensAndFollowsItsGrowth();
    void removalByAnotherProcessIsShown_data();
    void removalByAnotherProcessIsShown();
    void objectMadeAgainUnderTheNameIsSaidAndReopened_data();
    void objectMadeAgainUnderTheNameIsSaidAndReopened();

private:
    Address newAddress(const char* tag);
    std::vector<Address> m_made;
    std::vector<int> m_segments; ///< System V shmids this test made (IPC_RMID in cleanup())
};

Address TestSessionState::newAddress(const char* tag)
{
    Address address;
    address.kind = Kind::Posix;
    address.name = "/shmscope-test-" + std::to_string(QCoreApplication::applicationPid()) + "-" + tag;
    m_made.push_back(address);
    return address;
}

void TestSessionState::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("shmscope-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_sessionstate_%1").arg(QCoreApplication::applicationPid()));
}

void TestSessionState::cleanup()
{
    for (const Address& address : m_made)
        (void)removeObject(address);
    m_made.clear();
    // Through the core, which also sweeps the lock files of segments that are gone (the one the test
    // removed behind its back included); NotFound for a segment that is gone already.
    for (const int shmid : m_segments)
        (void)removeObject(Address { Kind::SysVId, std::string(), std::uint32_t(shmid) });
    m_segments.clear();
}

void TestSessionState::opensWithNotificationsOffWhenTheRuntimeDirIsUnusable()
{
    // XDG_RUNTIME_DIR names a directory whose shmscope/ is not private: the bus refuses it.
    QTemporaryDir xdg;
    QVERIFY(xdg.isValid());
    const QString insecure = xdg.path() + QStringLiteral("/shmscope");
    QVERIFY(::mkdir(QFile::encodeName(insecure).constData(), 0700) == 0);
    QVERIFY(::chmod(QFile::encodeName(insecure).constData(), 0755) == 0);
    const QByteArray oldXdg = qgetenv("XDG_RUNTIME_DIR");
    const bool hadXdg = qEnvironmentVariableIsSet("XDG_RUNTIME_DIR");
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(xdg.path()));
    auto restore = qScopeGuard([&] {
        if (hadXdg)
            qputenv("XDG_RUNTIME_DIR", oldXdg);
        else
            qunsetenv("XDG_RUNTIME_DIR");
    });

    MainWindow window;
    OpenRequest request;
    request.address = newAddress("nobus");
    request.create = true;
    request.options.size = 4096;
    QString error;
    QVERIFY2(window.openMapping(request, &error), qPrintable(error));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.session());
    QVERIFY(!window.session()->bus());
    const QString state = stateText(window);
    QVERIFY2(state.startsWith(QStringLiteral("notifications off: ")), qPrintable(state));
    QVERIFY2(state.contains(insecure), qPrintable(state));
    // The bytes are there all the same, and writable.
    QVERIFY(window.hexView()->source()->write(0, QByteArray("ok")));
    QByteArray back(2, '\0');
    QVERIFY(window.hexView()->source()->read(0, back.data(), 2));
    QCOMPARE(back, QByteArray("ok"));
}

void TestSessionState::createOnAnExistingObjectSaysItExistedAndItsSize()
{
    const Address address = newAddress("existing");
    QVERIFY(createMapping(address, CreateOptions { 8192, 0600, true }).ok());

    MainWindow window;
    OpenRequest request; // as `shmscope posix:/x --create --size 1M`
    request.address = address;
    request.create = true;
    request.options.size = 1 << 20;
    QString error;
    QVERIFY2(window.openMapping(request, &error), qPrintable(error));
    QCOMPARE(window.hexView()->source()->size(), quint64(8192)); // it keeps its size...
    const QString message = window.statusBar()->currentMessage(); // ...and says so
    QVERIFY2(message.contains(QString::fromStdString(toString(address)) + QStringLiteral(" already existed")),
             qPrintable(message));
    const auto sizeText
        = [](qint64 bytes) { return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeIecFormat); };
    QVERIFY2(message.contains(sizeText(8192)), qPrintable(message)); // "8.0 KiB": the size it has
    QVERIFY2(message.contains(sizeText(1 << 20)), qPrintable(message)); // "1.0 MiB": not the one asked for
}

void TestSessionState::emptyObjectOpensAndFollowsItsGrowth()
{
    const Address address = newAddress("empty");
    const int fd = ::shm_open(address.name.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600); // 0 bytes
    QVERIFY(fd >= 0);
    ::close(fd);

    MainWindow window;
    OpenRequest request;
    request.address = address;
    QString error;
    QVERIFY2(window.openMapping(request, &error), qPrintable(error));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.hexView()->source()->size(), quint64(0));
    QCOMPARE(window.textView()->text(), QString());

    // Another process (core only, no notification bus) grows it and writes.
    const QString address_ = QString::fromStdString(toString(address));
    QVERIFY(
        !runProcess(QStringLiteral(SHMSCOPE_TESTPEER), { QStringLiteral("truncate"), address_, QStringLiteral("4096") })
             .isNull());
    QVERIFY(!runProcess(QStringLiteral(SHMSCOPE_TESTPEER),
                        { QStringLiteral("write"), address_, QStringLiteral("0"), QStringLiteral("grown") })
                 .isNull());
    QTRY_COMPARE_WITH_TIMEOUT(window.hexView()->source()->size(), quint64(4096), 30000);
    QTRY_COMPARE_WITH_TIMEOUT(window.textView()->text(), QStringLiteral("grown"), 30000);
    QByteArray bytes(5, '\0');
    QVERIFY(window.hexView()->source()->read(0, bytes.data(), 5));
    QCOMPARE(bytes, QByteArray("grown"));
}

void TestSessionState::removalByAnotherProcessIsShown_data()
{
    QTest::addColumn<QString>("how");
    QTest::newRow("shmscope-cli remove (announced on the bus)") << QStringLiteral("cli");
    QTest::newRow("rm /dev/shm/NAME (no notice)") << QStringLiteral("rm");
}

void TestSessionState::removalByAnotherProcessIsShown()
{
    QFETCH(QString, how);
    const Address address = newAddress(how == QLatin1String("cli") ? "gone-cli" : "gone-rm");
    const QString addressText = QString::fromStdString(toString(address));

    MainWindow window;
    OpenRequest request;
    request.address = address;
    request.create = true;
    request.options.size = 4096;
    QString error;
    QVERIFY2(window.openMapping(request, &error), qPrintable(error));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(!window.windowTitle().contains(QStringLiteral("(removed)")));
    QVERIFY(!stateText(window).contains(QStringLiteral("REMOVED")));
    if (how == QLatin1String("cli"))
        QTRY_VERIFY_WITH_TIMEOUT(window.session()->bus() && window.session()->bus()->isStarted(), 30000);

    qint64 remover = 0;
    if (how == QLatin1String("cli")) {
        QVERIFY(
            !runProcess(QStringLiteral(SHMSCOPE_CLI), { QStringLiteral("remove"), addressText }, &remover).isNull());
    } else {
        QVERIFY(!runProcess(QStringLiteral("rm"), { QStringLiteral("/dev/shm") + QString::fromStdString(address.name) })
                     .isNull());
    }
    QTRY_VERIFY_WITH_TIMEOUT(window.windowTitle().contains(QStringLiteral("(removed)")), 30000);
    QVERIFY2(window.windowTitle().contains(addressText), qPrintable(window.windowTitle()));
    QTRY_VERIFY_WITH_TIMEOUT(stateText(window).contains(QStringLiteral("REMOVED")), 30000);
    if (how == QLatin1String("cli")) // the bus said who did it
        QTRY_VERIFY_WITH_TIMEOUT(stateText(window).contains(QString::number(remover)), 30000);
    // The view stays attached and readable.
    QByteArray byte(1, '\x7f');
    QVERIFY(window.hexView()->source()->read(0, byte.data(), 1));
    QCOMPARE(byte, QByteArray(1, '\0'));

    // It stays said (the state is checked again and again) until the window goes to another object.
    QTest::qWait(2000); // two presence checks (MappingSession::kPresenceCheckMs)
    QVERIFY(window.windowTitle().contains(QStringLiteral("(removed)")));
    OpenRequest other;
    other.address = newAddress("other");
    other.create = true;
    other.options.size = 4096;
    QVERIFY2(window.openMapping(other, &error), qPrintable(error));
    QVERIFY(!window.windowTitle().contains(QStringLiteral("(removed)")));
    QVERIFY(stateText(window).isEmpty());
}

void TestSessionState::objectMadeAgainUnderTheNameIsSaidAndReopened_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("posix (rm, then a new object of that name)") << QStringLiteral("posix");
    QTest::newRow("sysv (IPC_RMID: SHM_DEST, then a new segment with that key)") << QStringLiteral("sysv");
}

// Issue 9 item 17, "until it returns": once the removed object's address names an object again (a
// different one), the window says so and how to see it, keeps showing the bytes it showed (never
// switches to other bytes by itself), and File ▸ Reopen shows the new object.
void TestSessionState::objectMadeAgainUnderTheNameIsSaidAndReopened()
{
    QFETCH(QString, kind);
    const bool sysv = kind == QLatin1String("sysv");
    const QByteArray oldBytes("old object");
    const QByteArray newBytes("NEW OBJECT");
    Address address;
    int oldSegment = -1;
    if (sysv) {
        // A key in the suite's range (0x53……), from the pid; the next one if another process has it.
        for (quint32 n = 0; n < 64 && oldSegment < 0; ++n) {
            address.kind = Kind::SysV;
            address.key
                = 0x53000000u | (((quint32(QCoreApplication::applicationPid()) << 8) ^ (0xa0u + n)) & 0xffffffu);
            oldSegment = ::shmget(key_t(address.key), 4096, IPC_CREAT | IPC_EXCL | 0600);
        }
        QVERIFY2(oldSegment >= 0, strerror(errno));
        m_segments.push_back(oldSegment);
    } else {
        address = newAddress("again");
        const int fd = ::shm_open(address.name.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
        QVERIFY(fd >= 0);
        const bool sized = ::ftruncate(fd, 4096) == 0;
        ::close(fd);
        QVERIFY(sized);
    }
    const QString addressText = QString::fromStdString(toString(address));

    MainWindow window;
    OpenRequest request;
    request.address = address;
    QString error;
    QVERIFY2(window.openMapping(request, &error), qPrintable(error));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY2(window.hexView()->source()->write(0, oldBytes), qPrintable(window.hexView()->source()->errorString()));
    QAction* reopen = fileMenuAction(window, QStringLiteral("Reope&n"));
    QVERIFY(reopen);
    QVERIFY(reopen->isEnabled());

    // Removed by someone else: said as before.
    if (sysv)
        QCOMPARE(::shmctl(oldSegment, IPC_RMID, nullptr), 0); // still attached by the window: SHM_DEST
    else
        QCOMPARE(::shm_unlink(address.name.c_str()), 0);
    QTRY_VERIFY_WITH_TIMEOUT(window.windowTitle().contains(QStringLiteral("(removed)")), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(stateText(window).contains(QStringLiteral("REMOVED")), 30000);
    QVERIFY(!window.session()->isReplaced());

    // A new object of that name, bigger and with other bytes, from another program.
    if (sysv) {
        const int newSegment = ::shmget(key_t(address.key), 8192, IPC_CREAT | IPC_EXCL | 0600);
        QVERIFY2(newSegment >= 0, strerror(errno));
        m_segments.push_back(newSegment);
        QVERIFY(newSegment != oldSegment);
        void* view = ::shmat(newSegment, nullptr, 0);
        QVERIFY(view != reinterpret_cast<void*>(-1));
        std::memcpy(view, newBytes.constData(), std::size_t(newBytes.size()));
        ::shmdt(view);
    } else {
        const int fd = ::shm_open(address.name.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
        QVERIFY(fd >= 0);
        const bool made
            = ::ftruncate(fd, 8192) == 0 && ::write(fd, newBytes.constData(), newBytes.size()) == newBytes.size();
        ::close(fd);
        QVERIFY(made);
    }

    // Said plainly, in the title and the status bar, with the way to see it ...
    QTRY_VERIFY_WITH_TIMEOUT(window.session()->isReplaced(), 30000);
    const QString state = stateText(window);
    QVERIFY2(state.contains(addressText + QStringLiteral(" was removed; a new object of that name exists")),
             qPrintable(state));
    QVERIFY2(state.contains(QStringLiteral("File ▸ Reopen")), qPrintable(state));
    QVERIFY2(!state.contains(QStringLiteral("REMOVED")), qPrintable(state)); // the newer news replaces it
    QVERIFY2(window.windowTitle().contains(addressText + QStringLiteral(" (removed; a new object has its name)")),
             qPrintable(window.windowTitle()));
    // ... while the view keeps the removed object's bytes: nothing switched behind the user's back.
    QTest::qWait(2 * MappingSession::kPresenceCheckMs);
    QVERIFY(window.session()->isReplaced());
    QCOMPARE(window.hexView()->source()->size(), quint64(4096));
    QByteArray shown(oldBytes.size(), '\0');
    QVERIFY(window.hexView()->source()->read(0, shown.data(), shown.size()));
    QCOMPARE(shown, oldBytes);

    // File ▸ Reopen shows the new object, and the state is gone.
    reopen->trigger();
    QVERIFY(window.session());
    QCOMPARE(window.hexView()->source()->size(), quint64(8192));
    QVERIFY(window.hexView()->source()->read(0, shown.data(), shown.size()));
    QCOMPARE(shown, newBytes);
    QVERIFY(!window.session()->isRemoved());
    QVERIFY(!window.session()->isReplaced());
    QVERIFY2(!window.windowTitle().contains(QStringLiteral("removed")), qPrintable(window.windowTitle()));
    QVERIFY2(stateText(window).isEmpty(), qPrintable(stateText(window)));
    QTest::qWait(2 * MappingSession::kPresenceCheckMs);
    QVERIFY(!window.session()->isRemoved());
}

QTEST_MAIN(TestSessionState)
#include "tst_sessionstate.moc"
