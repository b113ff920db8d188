// Two GUI instances on one object, each a separate process: an edit typed in one appears, highlighted,
// in the other within the live-update deadline, both ways; and a window survives another process
// truncating the object it shows.
//
// The second instance is this executable started again with `--child ADDRESS`: it opens a real
// MainWindow (offscreen) and obeys commands on stdin, one per line:
//   type-text TEXT      types TEXT at the end of its text view (QTest key events)
//   text                prints "text: <the text view's text>"
//   quit                exits
// It prints "ready" once its window is exposed and its mapping open.
#include "app/gui/mainwindow.h"
#include "app/gui/mappingsession.h"
#include "core/mapping.h"
#include "stdincommands.h"
#include "widgets/bytesource.h"
#include "widgets/hexview.h"
#include "widgets/textview.h"

#include <QApplication>
#include <QPlainTextEdit>
#include <QProcess>
#include <QSocketNotifier>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <cstdio>
#include <unistd.h>

using namespace shmscope;

namespace {

int runChild(const QString& addressText)
{
    QStandardPaths::setTestModeEnabled(true);
    setvbuf(stdout, nullptr, _IOLBF, 0);
    MainWindow window;
    OpenRequest request;
    request.address = *parseAddress(addressText.toStdString());
    QString error;
    if (!window.openMapping(request, &error)) {
        std::fprintf(stderr, "child: %s\n", qPrintable(error));
        return 1;
    }
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return 1;
    std::printf("ready\n");

    auto handle = [&window](const QString& command) {
        if (command.startsWith(QStringLiteral("type-text "))) {
            QPlainTextEdit* editor = window.textView()->editor();
            editor->setFocus();
            editor->moveCursor(QTextCursor::End);
            QTest::keyClicks(editor, command.mid(10));
            std::printf("typed\n");
        } else if (command == QStringLiteral("text")) {
            std::printf("text: %s\n", qPrintable(window.textView()->editor()->toPlainText()));
        } else if (command == QStringLiteral("quit")) {
            QApplication::quit();
        }
        std::fflush(stdout);
    };
    StdinCommands commands(handle);
    return QApplication::exec();
}

} // namespace

class TestTwoInstances : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        // Instances find each other below XDG_RUNTIME_DIR: a private one keeps this test apart from
        // any real instance and from parallel tests. Children inherit it.
        QVERIFY(m_runtime.isValid());
        qputenv("XDG_RUNTIME_DIR", m_runtime.path().toUtf8());
    }

    void init()
    {
        m_name = QStringLiteral("/shmscope-test-%1-%2-gui").arg(::getpid()).arg(++m_counter);
        m_address = Address { Kind::Posix, m_name.toStdString(), 0 };
        CreateOptions options;
        options.size = 64 * 1024;
        auto created = createMapping(m_address, options);
        QVERIFY2(created, created ? "" : created.error().message().c_str());
    }

    void cleanup()
    {
        if (m_child.state() != QProcess::NotRunning) {
            m_child.write("quit\n");
            if (!m_child.waitForFinished(5000))
                m_child.kill();
            m_child.waitForFinished(5000);
        }
        (void)removeObject(m_address);
    }

    void editInOneAppearsInTheOther()
    {
        MainWindow window;
        OpenRequest request;
        request.address = m_address;
        QString error;
        QVERIFY2(window.openMapping(request, &error), qPrintable(error));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        startChild();
        QTRY_COMPARE_WITH_TIMEOUT(window.session()->peerCount(), 1, 10000);

        // Typed as hex digits into this instance's hex view…
        window.hexView()->setFocus();
        window.hexView()->setCursorOffset(0);
        QTest::keyClicks(window.hexView(), QStringLiteral("48656c6c6f")); // "Hello"
        char bytes[5] = {};
        QVERIFY(window.session()->source()->read(0, bytes, 5));
        QCOMPARE(QByteArray(bytes, 5), QByteArray("Hello"));

        // …shows in the other instance's text view.
        QTRY_COMPARE_WITH_TIMEOUT(childText(), QStringLiteral("Hello"), 10000);

        // Typed into the other instance's text view…
        m_child.write("type-text , world\n");
        QVERIFY(waitForChildLine("typed"));
        // …shows here, and the changed bytes are highlighted as changed by someone else.
        QTRY_COMPARE_WITH_TIMEOUT(window.textView()->editor()->toPlainText(), QStringLiteral("Hello, world"), 10000);
        QVERIFY(window.hexView()->isHighlighted(7));
    }

    void truncatedByAnotherProcess()
    {
        MainWindow window;
        OpenRequest request;
        request.address = m_address;
        QString error;
        QVERIFY2(window.openMapping(request, &error), qPrintable(error));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.hexView()->setCursorOffset(60000);

        // coreutils' truncate is a real other process shrinking the object under the window.
        QCOMPARE(
            QProcess::execute(QStringLiteral("truncate"),
                              { QStringLiteral("-s"), QStringLiteral("4096"), QStringLiteral("/dev/shm") + m_name }),
            0);
        QTRY_COMPARE_WITH_TIMEOUT(window.session()->source()->size(), quint64(4096), 5000);
        QVERIFY(window.hexView()->cursorOffset() < 4096);
        // Still alive and usable: typing writes within the new size.
        window.hexView()->setCursorOffset(0);
        QTest::keyClicks(window.hexView(), QStringLiteral("ab"));
        char byte = 0;
        QVERIFY(window.session()->source()->read(0, &byte, 1));
        QCOMPARE(quint8(byte), quint8(0xab));
    }

private:
    void startChild()
    {
        m_child.setProgram(QCoreApplication::applicationFilePath());
        m_child.setArguments({ QStringLiteral("--child"), QString::fromStdString(toString(m_address)) });
        m_child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_child.start();
        QVERIFY(m_child.waitForStarted(10000));
        QVERIFY(waitForChildLine("ready"));
    }

    bool waitForChildLine(const QByteArray& prefix)
    {
        QDeadlineTimer deadline(15000);
        while (!deadline.hasExpired()) {
            while (m_child.canReadLine()) {
                const QByteArray line = m_child.readLine().trimmed();
                if (line.startsWith(prefix)) {
                    m_lastLine = line;
                    return true;
                }
            }
            if (m_child.state() == QProcess::NotRunning)
                return false;
            m_child.waitForReadyRead(100);
            QCoreApplication::processEvents();
        }
        return false;
    }

    QString childText()
    {
        m_child.write("text\n");
        if (!waitForChildLine("text:"))
            return QStringLiteral("<no answer>");
        return QString::fromUtf8(m_lastLine.mid(5)).trimmed();
    }

    QTemporaryDir m_runtime;
    QProcess m_child;
    QByteArray m_lastLine;
    QString m_name;
    Address m_address;
    int m_counter = 0;
};

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    if (argc == 3 && qstrcmp(argv[1], "--child") == 0)
        return runChild(QString::fromLocal8Bit(argv[2]));
    TestTwoInstances test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_twoinstances.moc"
