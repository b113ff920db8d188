// The main window's find bar, data inspector and bookmarks docks, on a real POSIX mapping: Ctrl+F
// shows the find bar under the hex view, F3 finds, the docks are saved with the window state, the
// bookmarks follow the address opened, the inspector edits the mapping and Ctrl+Z undoes it.
#include "app/gui/mainwindow.h"
#include "app/gui/openrequest.h"
#include "core/mapping.h"
#include "widgets/bookmarks.h"
#include "widgets/bytesource.h"
#include "widgets/datainspector.h"
#include "widgets/findbar.h"
#include "widgets/hexview.h"
#include "widgets/textview.h"

#include <QAction>
#include <QDockWidget>
#include <QFile>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <string>

using namespace shmscope;

class TestMainWindowTools : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();
    void findInspectBookmark();
    void undoFollowsTheFocus();

private:
    QTemporaryDir m_runtime;
    Address m_address;
};

namespace {
QAction* actionWithShortcut(QWidget* window, const QKeySequence& shortcut)
{
    const auto actions = window->findChildren<QAction*>();
    for (QAction* action : actions) {
        if (action->shortcut() == shortcut)
            return action;
    }
    return nullptr;
}
} // namespace

void TestMainWindowTools::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    // The window's notification bus lives below XDG_RUNTIME_DIR: a private one, not the user's.
    QVERIFY(m_runtime.isValid());
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(m_runtime.path()));
    QCoreApplication::setOrganizationName(QStringLiteral("shmscope-tests"));
    QCoreApplication::setApplicationName(
        QStringLiteral("tst_mainwindowtools_%1").arg(QCoreApplication::applicationPid()));
    m_address.kind = Kind::Posix;
    m_address.name = "/shmscope-test-" + std::to_string(QCoreApplication::applicationPid()) + "-tools";
}

void TestMainWindowTools::cleanup()
{
    (void)removeObject(m_address);
}

void TestMainWindowTools::cleanupTestCase()
{
    // The settings file of this run (test mode, named with the pid in initTestCase()).
    QFile::remove(QSettings().fileName());
}

void TestMainWindowTools::findInspectBookmark()
{
    MainWindow window;
    OpenRequest request;
    request.address = m_address;
    request.create = true;
    request.options.size = 2 << 20;
    QString error;
    QVERIFY2(window.openMapping(request, &error), qPrintable(error));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    ByteSource* source = window.hexView()->source();
    QVERIFY(source->write((1 << 20) - 2, QByteArray("needle")));

    // Edit ▸ Find (Ctrl+F) shows the bar; F3 finds and selects the match.
    QVERIFY(window.findBar()->isHidden());
    QAction* find = actionWithShortcut(&window, QKeySequence::Find);
    QVERIFY(find);
    find->trigger();
    QVERIFY(window.findBar()->isVisible());
    window.findBar()->setPattern(QStringLiteral("needle"), ByteSearch::Encoding::Utf8);
    QAction* next = actionWithShortcut(&window, QKeySequence(Qt::Key_F3));
    QVERIFY(next);
    QVERIFY(actionWithShortcut(&window, QKeySequence(Qt::SHIFT | Qt::Key_F3)));
    next->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(window.hexView()->selectionLength(), quint64(6), 10000);
    QCOMPARE(window.hexView()->selectionStart(), quint64((1 << 20) - 2));

    // The docks exist with object names (saveState() needs them) and View menu toggles.
    auto* inspectorDock = window.findChild<QDockWidget*>(QStringLiteral("dataInspectorDock"));
    auto* bookmarksDock = window.findChild<QDockWidget*>(QStringLiteral("bookmarksDock"));
    QVERIFY(inspectorDock);
    QVERIFY(bookmarksDock);
    QCOMPARE(inspectorDock->widget(), window.dataInspector());
    // The View menu toggles the dock and saveState()/restoreState() keep its visibility.
    QAction* toggle = inspectorDock->toggleViewAction();
    QVERIFY(window.menuBar()->findChildren<QAction*>().contains(toggle) || !toggle->associatedObjects().isEmpty());
    QVERIFY(inspectorDock->isVisible());
    toggle->trigger();
    QVERIFY(!inspectorDock->isVisible());
    const QByteArray state = window.saveState();
    toggle->trigger();
    QVERIFY(inspectorDock->isVisible());
    QVERIFY(window.restoreState(state));
    QVERIFY(!inspectorDock->isVisible());
    toggle->trigger();

    // The inspector shows the bytes at the cursor and writes through the hex view (undoable).
    window.hexView()->setCursorOffset(0x10);
    DataInspectorModel* model = window.dataInspector()->model();
    QCOMPARE(model->offset(), quint64(0x10));
    QVERIFY(model->setData(model->index(DataInspectorModel::UInt16, DataInspectorModel::BigEndianColumn),
                           QStringLiteral("0xbeef")));
    QByteArray bytes(2, '\0');
    QVERIFY(source->read(0x10, bytes.data(), 2));
    QCOMPARE(bytes, QByteArray("\xbe\xef"));
    QAction* undo = actionWithShortcut(&window, QKeySequence::Undo);
    QVERIFY(undo);
    undo->trigger();
    QVERIFY(source->read(0x10, bytes.data(), 2));
    QCOMPARE(bytes, QByteArray(2, '\0'));

    // Bookmarks belong to the address opened, and go away with it on close.
    BookmarkModel* bookmarks = window.bookmarksPanel()->model();
    QCOMPARE(bookmarks->address(), QString::fromStdString(toString(m_address)));
    QCOMPARE(window.bookmarksPanel()->addAtCursor(), 0);
    QCOMPARE(bookmarks->bookmarkAt(0).offset, quint64(0x10));
    window.hexView()->setCursorOffset(0);
    QVERIFY(window.bookmarksPanel()->jumpTo(0));
    QCOMPARE(window.hexView()->cursorOffset(), quint64(0x10));
    QAction* close = actionWithShortcut(&window, QKeySequence::Close);
    QVERIFY(close);
    close->trigger();
    QCOMPARE(bookmarks->rowCount(), 0);
    QVERIFY(window.openMapping(request, &error));
    QCOMPARE(bookmarks->rowCount(), 1); // kept in QSettings
}

// Edit ▸ Undo/Redo act on the view with the focus: the text view's own history or the hex view's
// QUndoStack, each leaving the other's edits alone; the actions' state follows the focus.
void TestMainWindowTools::undoFollowsTheFocus()
{
    MainWindow window;
    OpenRequest request;
    request.address = m_address;
    request.create = true;
    request.options.size = 4096;
    QString error;
    QVERIFY2(window.openMapping(request, &error), qPrintable(error));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    ByteSource* source = window.hexView()->source();
    QAction* undo = actionWithShortcut(&window, QKeySequence::Undo);
    QAction* redo = actionWithShortcut(&window, QKeySequence::Redo);
    QVERIFY(undo && redo);

    // A hex edit at 0x100, then typing in the text view (its string starts at offset 0).
    window.hexView()->setFocus();
    QVERIFY(window.hexView()->editBytes(0x100, QByteArray("\x42")));
    QTRY_VERIFY(undo->isEnabled());
    QVERIFY2(undo->text().contains(QStringLiteral("0x")), qPrintable(undo->text())); // names the hex edit
    QPlainTextEdit* editor = window.textView()->editor();
    editor->setFocus();
    QTRY_VERIFY(editor->hasFocus());
    QTest::keyClicks(editor, QStringLiteral("hi"));
    QByteArray text(3, '\0');
    QTRY_VERIFY(source->read(0, text.data(), 3) && text == QByteArray("hi\0", 3));

    // With the focus in the text view, Undo takes back the typing and leaves the hex edit.
    QVERIFY(undo->isEnabled());
    undo->trigger();
    QVERIFY(source->read(0, text.data(), 3));
    QCOMPARE(text.at(0), '\0'); // the string is empty again (the bytes after its NUL do not count)
    QByteArray hexByte(1, '\0');
    QVERIFY(source->read(0x100, hexByte.data(), 1));
    QCOMPARE(hexByte, QByteArray("\x42"));
    QVERIFY(!undo->isEnabled()); // the text view's history is empty now
    QVERIFY(redo->isEnabled());
    redo->trigger();
    QVERIFY(source->read(0, text.data(), 3));
    QCOMPARE(text, QByteArray("hi\0", 3));

    // Back in the hex view, Undo takes back the hex edit and leaves the text.
    window.hexView()->setFocus();
    QTRY_VERIFY(window.hexView()->hasFocus());
    QVERIFY(undo->isEnabled());
    undo->trigger();
    QVERIFY(source->read(0x100, hexByte.data(), 1));
    QCOMPARE(hexByte, QByteArray(1, '\0'));
    QVERIFY(source->read(0, text.data(), 3));
    QCOMPARE(text, QByteArray("hi\0", 3));
}

QTEST_MAIN(TestMainWindowTools)
#include "tst_mainwindowtools.moc"
