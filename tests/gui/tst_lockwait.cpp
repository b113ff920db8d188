// Issue 9 item 6 in the main window: while another process (shmscope-testpeer hold-lock) holds the
// object's lock, typing abcde into the hex view and the text view does not freeze the window, the
// status bar says "waiting for the lock (held by pid N)" with a Cancel button, all keys land in order
// when the holder lets go, and Cancel writes nothing and leaves not-written undo steps.
#include "app/gui/mainwindow.h"
#include "app/gui/mappingsession.h"
#include "app/gui/openrequest.h"
#include "core/mapping.h"
#include "modalanswer.h"
#include "widgets/bytesource.h"
#include "widgets/hexview.h"
#include "widgets/textview.h"
#include "widgets/writequeue.h"

#include <QApplication>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProcess>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <QUndoStack>
#include <string>

#ifndef SHMSCOPE_TESTPEER
#error "SHMSCOPE_TESTPEER must name the shmscope-testpeer executable"
#endif

using namespace shmscope;

namespace {
constexpr int kPeerTimeoutMs = 10000;
}

class TestLockWait : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void typingWaitsForTheLockInTheStatusBar();
    void cancelInTheStatusBarWritesNothing();
    void closingAsksBeforeDroppingWaitingEdits();

private:
    bool open(MainWindow& window);
    bool holdLock();
    void releaseLock();
    QByteArray readByOther(quint64 offset, int length);

    Address m_address;
    QProcess m_holder;
};

void TestLockWait::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("shmscope-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_lockwait_%1").arg(QCoreApplication::applicationPid()));
    m_address.kind = Kind::Posix;
    m_address.name = "/shmscope-test-" + std::to_string(QCoreApplication::applicationPid()) + "-lockwait";
}

void TestLockWait::cleanup()
{
    m_holder.kill();
    m_holder.waitForFinished(kPeerTimeoutMs);
    (void)removeObject(m_address);
}

bool TestLockWait::open(MainWindow& window)
{
    OpenRequest request;
    request.address = m_address;
    request.create = true;
    request.options.size = 4096;
    QString error;
    if (!window.openMapping(request, &error)) {
        qWarning("%s", qPrintable(error));
        return false;
    }
    window.show();
    return QTest::qWaitForWindowExposed(&window);
}

bool TestLockWait::holdLock()
{
    m_holder.start(QStringLiteral(SHMSCOPE_TESTPEER),
                   { QStringLiteral("hold-lock"), QString::fromStdString(toString(m_address)) });
    return m_holder.waitForStarted(kPeerTimeoutMs) && m_holder.waitForReadyRead(kPeerTimeoutMs)
        && m_holder.readLine() == "locked\n";
}

void TestLockWait::releaseLock()
{
    m_holder.kill(); // the kernel drops the OFD lock with the holder's descriptors
    m_holder.waitForFinished(kPeerTimeoutMs);
}

QByteArray TestLockWait::readByOther(quint64 offset, int length)
{
    QProcess reader;
    reader.start(QStringLiteral(SHMSCOPE_TESTPEER),
                 { QStringLiteral("read"), QString::fromStdString(toString(m_address)), QString::number(offset),
                   QString::number(length) });
    return reader.waitForFinished(kPeerTimeoutMs) ? reader.readAllStandardOutput() : QByteArray("(no answer)");
}

void TestLockWait::typingWaitsForTheLockInTheStatusBar()
{
    MainWindow window;
    QVERIFY(open(window));
    QVERIFY(holdLock());

    HexView* hex = window.hexView();
    hex->setCursorOffset(0x10);
    hex->setCursorPane(HexView::Pane::Ascii);
    QTest::keyClicks(hex, QStringLiteral("abcde"));
    window.textView()->setOffset(0x40);
    QTest::keyClicks(window.textView()->editor(), QStringLiteral("abcde"));
    // Every key was taken at once: the cursor moved over all five, the text view shows them.
    QCOMPARE(hex->cursorOffset(), quint64(0x15));
    QCOMPARE(window.textView()->text(), QStringLiteral("abcde"));
    QCOMPARE(readByOther(0x10, 5), QByteArray(5, '\0'));

    auto* label = window.statusBar()->findChild<QLabel*>(QStringLiteral("lockWaitLabel"));
    auto* cancel = window.statusBar()->findChild<QToolButton*>(QStringLiteral("cancelWaitingEdits"));
    QVERIFY(label && cancel);
    const QString expected = QStringLiteral("waiting for the lock (held by pid %1)").arg(m_holder.processId());
    QTRY_VERIFY2(label->text().contains(expected), qPrintable(label->text()));
    QVERIFY(label->isVisible());
    QVERIFY(cancel->isVisible());
    QCOMPARE(readByOther(0x10, 5), QByteArray(5, '\0'));
    QCOMPARE(readByOther(0x40, 5), QByteArray(5, '\0'));

    releaseLock();
    QTRY_VERIFY(label->isHidden());
    QCOMPARE(readByOther(0x10, 5), QByteArray("abcde"));
    QCOMPARE(readByOther(0x40, 6), QByteArray("abcde\0", 6));
}

void TestLockWait::cancelInTheStatusBarWritesNothing()
{
    MainWindow window;
    QVERIFY(open(window));
    auto* label = window.statusBar()->findChild<QLabel*>(QStringLiteral("lockWaitLabel"));
    auto* cancel = window.statusBar()->findChild<QToolButton*>(QStringLiteral("cancelWaitingEdits"));
    QVERIFY(label && cancel);
    QVERIFY(holdLock());
    HexView* hex = window.hexView();
    hex->setCursorOffset(0x20);
    hex->setCursorPane(HexView::Pane::Ascii);
    QTest::keyClicks(hex, QStringLiteral("abcde"));
    QTRY_VERIFY(cancel->isVisible());

    QTest::mouseClick(cancel, Qt::LeftButton);
    QVERIFY(label->isHidden());
    QUndoStack* stack = hex->undoStack();
    QCOMPARE(stack->count(), 1);
    QVERIFY2(stack->redoText().contains(QStringLiteral("not written")), qPrintable(stack->redoText()));

    // With the lock free, a later edit lands; the cancelled ones (queued before it) never do.
    releaseLock();
    hex->setCursorOffset(0x30);
    QTest::keyClicks(hex, QStringLiteral("z"));
    QTRY_COMPARE(readByOther(0x30, 1), QByteArray("z"));
    QCOMPARE(readByOther(0x20, 5), QByteArray(5, '\0'));
}

// Closing the window while edits wait asks first: Keep Waiting leaves the window open and the edits
// queued (they land when the lock is free); Drop the Edits closes it and writes nothing.
void TestLockWait::closingAsksBeforeDroppingWaitingEdits()
{
    const auto answer = [](const QString& button) {
        test::answerWhenShown(qApp, [button](QMessageBox* box) {
            QCOMPARE(box->objectName(), QStringLiteral("waitingEditsBox"));
            QVERIFY2(box->text().contains(QStringLiteral("waiting for the lock")), qPrintable(box->text()));
            for (QAbstractButton* candidate : box->buttons()) {
                if (candidate->text() == button) {
                    candidate->click();
                    return;
                }
            }
            QFAIL(qPrintable(QStringLiteral("no button %1").arg(button)));
        });
    };
    MainWindow window;
    QVERIFY(open(window));
    QVERIFY(holdLock());
    HexView* hex = window.hexView();
    hex->setCursorOffset(0x50);
    hex->setCursorPane(HexView::Pane::Ascii);
    QTest::keyClicks(hex, QStringLiteral("kept"));
    QTRY_VERIFY(window.session()->source()->writeQueue()->isWaiting());

    answer(QStringLiteral("Keep Waiting"));
    QVERIFY(!window.close());
    QVERIFY(window.isVisible());
    QVERIFY(window.session()->source()->writeQueue()->isWaiting());
    releaseLock();
    QTRY_VERIFY(!window.session()->source()->writeQueue()->isWaiting());
    QCOMPARE(readByOther(0x50, 4), QByteArray("kept"));

    QVERIFY(holdLock());
    hex->setCursorOffset(0x60);
    QTest::keyClicks(hex, QStringLiteral("lost"));
    QTRY_VERIFY(window.session()->source()->writeQueue()->isWaiting());
    answer(QStringLiteral("Drop the Edits"));
    QVERIFY(window.close());
    releaseLock();
    QCOMPARE(readByOther(0x60, 4), QByteArray(4, '\0'));
    // Nothing waits: closing asks nothing (no box: the close goes through at once).
    MainWindow second;
    QVERIFY(open(second));
    QVERIFY(second.close());
}

QTEST_MAIN(TestLockWait)
#include "tst_lockwait.moc"
