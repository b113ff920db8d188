// Issue 9 item 10: ~MainWindow ran updateUndoActions() through QApplication::focusChanged on the
// half-destroyed window (UBSan: a downcast to a MainWindow that is no longer one; a Qt assert in Debug
// builds). Here a real window is destroyed while one of its children has the focus, so that
// focusChanged is emitted during the destruction, and nothing of the window may run in it:
// updateUndoActions() would rename the Edit ▸ Undo action after the focus ("&Undo Text Edit" →
// "&Undo"), which a plain build can see, not only a sanitizer.
#include "app/gui/mainwindow.h"
#include "widgets/textview.h"

#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QMenuBar>
#include <QStandardPaths>
#include <QTest>

using namespace shmscope;

namespace {

// The Edit menu's Undo action of `window`, or nullptr.
QAction* undoAction(const MainWindow& window)
{
    for (QAction* menu : window.menuBar()->actions()) {
        if (menu->menu() && menu->text() == QStringLiteral("&Edit") && !menu->menu()->actions().isEmpty())
            return menu->menu()->actions().first();
    }
    return nullptr;
}

} // namespace

class TestMainWindowLifetime : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void destroyedWithAFocusedChildRunsNothingOfTheWindow();
};

void TestMainWindowLifetime::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("shmscope-tests"));
    QCoreApplication::setApplicationName(
        QStringLiteral("tst_mainwindowlifetime_%1").arg(QCoreApplication::applicationPid()));
}

void TestMainWindowLifetime::destroyedWithAFocusedChildRunsNothingOfTheWindow()
{
    bool destroying = false;
    int focusChangesWhileDestroying = 0;
    int undoChanges = 0;
    int undoChangesBefore = 0;
    int undoChangesInFocusChanges = 0;
    // Slots run in the order they were connected: this one before the window's own (connected in its
    // constructor), the one below after it, so that the two enclose whatever the window's slot does.
    const QMetaObject::Connection before = connect(qApp, &QApplication::focusChanged, this, [&] {
        if (!destroying)
            return;
        ++focusChangesWhileDestroying;
        undoChangesBefore = undoChanges;
    });
    auto* window = new MainWindow;
    const QMetaObject::Connection after = connect(qApp, &QApplication::focusChanged, this, [&] {
        if (destroying && undoChanges != undoChangesBefore)
            ++undoChangesInFocusChanges;
    });
    window->show();
    window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(window));
    window->textView()->setFocus();
    QTRY_VERIFY(QApplication::focusWidget()
                && (QApplication::focusWidget() == window->textView()
                    || window->textView()->isAncestorOf(QApplication::focusWidget())));
    QAction* undo = undoAction(*window);
    QVERIFY(undo);
    QCOMPARE(undo->text(), QStringLiteral("&Undo Text Edit")); // named after the view with the focus
    connect(undo, &QAction::changed, this, [&] { ++undoChanges; });

    destroying = true;
    delete window;
    destroying = false;
    disconnect(before);
    disconnect(after);

    // The focus left the dying window's child while it was destroyed (else this test showed nothing) ...
    QVERIFY(focusChangesWhileDestroying > 0);
    // ... and the window's own slot did not run then.
    QCOMPARE(undoChangesInFocusChanges, 0);
}

QTEST_MAIN(TestMainWindowLifetime)
#include "tst_mainwindowlifetime.moc"
