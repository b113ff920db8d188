// The "Native calls" dock (issue 10, section 1) in a real main window on a real POSIX object: the View
// menu shows it; attaching and editing in the hex view appear as actions ("attach … read-write",
// "edit 1 byte at 0x10", "undo 1 byte at 0x10") with their calls (the OFD lock, the store) and the
// page faults of each action; the filter, Pause, Clear, Copy and Copy as C Program work.
#include "app/gui/mainwindow.h"
#include "app/gui/nativecallsmodel.h"
#include "app/gui/nativecallspanel.h"
#include "app/gui/openrequest.h"
#include "core/journal.h"
#include "core/mapping.h"
#include "widgets/hexview.h"

#include <QAction>
#include <QCheckBox>
#include <QDockWidget>
#include <QFile>
#include <QMenuBar>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QUndoStack>

using namespace shmscope;

class TestNativeCalls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();
    void dockShowsActionsAndCalls();
    void everyRowSurvivesManyActionsBetweenFlushes();

private:
    QTemporaryDir m_runtime;
    Address m_address;
};

namespace {

// The rows of `model` as strace-style lines.
QStringList lines(const QAbstractItemModel* model)
{
    QStringList all;
    for (int row = 0; row < model->rowCount(); ++row)
        all << model->index(row, 0).data(NativeCallsModel::LineRole).toString();
    return all;
}

// The row of the header of the first action whose label is `label`, or -1.
int actionRow(const QAbstractItemModel* model, const QString& label)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, 0).data(NativeCallsModel::IsActionRole).toBool()
            && model->index(row, NativeCallsModel::Action).data().toString() == label)
            return row;
    }
    return -1;
}

} // namespace

void TestNativeCalls::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_runtime.isValid());
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(m_runtime.path()));
    QCoreApplication::setOrganizationName(QStringLiteral("shmscope-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_nativecalls_%1").arg(QCoreApplication::applicationPid()));
    m_address.kind = Kind::Posix;
    m_address.name = "/shmscope-test-" + std::to_string(QCoreApplication::applicationPid()) + "-calls";
}

void TestNativeCalls::cleanup()
{
    (void)removeObject(m_address);
}

void TestNativeCalls::cleanupTestCase()
{
    QFile::remove(QSettings().fileName());
}

void TestNativeCalls::dockShowsActionsAndCalls()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QDockWidget* dock = window.nativeCallsDock();
    QVERIFY(dock);
    QVERIFY(dock->isHidden()); // hidden until asked for
    auto* panel = qobject_cast<NativeCallsPanel*>(dock->widget());
    QVERIFY(panel);
    QVERIFY(!panel->model()->isListening());

    // View ▸ Native Calls shows it, and it starts listening.
    QAction* toggle = dock->toggleViewAction();
    QCOMPARE(toggle->text(), QStringLiteral("&Native Calls"));
    bool inViewMenu = false;
    for (QAction* menu : window.menuBar()->actions()) {
        if (menu->menu() && menu->menu()->actions().contains(toggle))
            inViewMenu = true;
    }
    QVERIFY(inViewMenu);
    toggle->trigger();
    QTRY_VERIFY(dock->isVisible());
    QVERIFY(panel->model()->isListening());
    // Page faults are counted only when asked for (they cost a getrusage pair per action).
    QVERIFY(!panel->faultsBox()->isChecked());
    QVERIFY(!panel->model()->countsPageFaults());
    panel->faultsBox()->setChecked(true);
    QVERIFY(panel->model()->countsPageFaults());

    OpenRequest request;
    request.address = m_address;
    request.create = true;
    request.options.size = 65536;
    QString error;
    QVERIFY2(window.openMapping(request, &error), qPrintable(error));
    const QString address = QString::fromStdString(toString(m_address));

    // A one-byte edit at 0x10 through the hex view, then its undo.
    QVERIFY(window.hexView()->editBytes(0x10, QByteArray("\x42")));
    QTRY_VERIFY(window.hexView()->undoStack()->canUndo());
    window.hexView()->undoStack()->undo();

    const QAbstractItemModel* model = panel->table()->model();
    QTRY_VERIFY(actionRow(model, QStringLiteral("undo 1 byte at 0x10")) >= 0);
    const int create = actionRow(model, QStringLiteral("create %1 read-write").arg(address));
    const int edit = actionRow(model, QStringLiteral("edit 1 byte at 0x10"));
    const int undo = actionRow(model, QStringLiteral("undo 1 byte at 0x10"));
    QVERIFY2(create >= 0 && edit > create && undo > edit, qPrintable(lines(model).join(QLatin1Char('\n'))));

    // The calls under each action, as strace prints them.
    const QStringList all = lines(model);
    const QString createCalls = all.mid(create, edit - create).join(QLatin1Char('\n'));
    QVERIFY2(createCalls.contains(QStringLiteral("openat(AT_FDCWD, \"/dev/shm%1\", O_RDWR|O_CREAT|O_EXCL|O_NOFOLLOW|"
                                                 "O_CLOEXEC, 0600)")
                                      .arg(QString::fromStdString(m_address.name))),
             qPrintable(createCalls));
    QVERIFY(createCalls.contains(QStringLiteral("mmap(NULL, 65536, PROT_READ|PROT_WRITE, MAP_SHARED, ")));
    const QString editCalls = all.mid(edit, undo - edit).join(QLatin1Char('\n'));
    QVERIFY2(editCalls.contains(QStringLiteral("F_OFD_SETLK, {l_type=F_WRLCK")), qPrintable(editCalls));
    QVERIFY(editCalls.contains(QStringLiteral("\"B\", 1)")));
    QVERIFY(editCalls.contains(QStringLiteral("l_type=F_UNLCK")));
    // Each ended action shows its page faults in the Faults column (asked for above).
    QTRY_VERIFY(!model->index(edit, NativeCallsModel::Faults).data().toString().isEmpty());
    const QString faults = model->index(edit, NativeCallsModel::Faults).data().toString();
    QVERIFY2(faults.contains(QStringLiteral("fault")), qPrintable(faults));

    // Copy: the selected rows as text; Copy as C Program: the selected action as a program.
    panel->table()->selectRow(edit + 1);
    QVERIFY(panel->selectedText().contains(QStringLiteral("fcntl(")));
    const QString program = panel->selectedProgram();
    QVERIFY2(program.contains(QStringLiteral("int main(void)")) && program.contains(QStringLiteral("memcpy(")),
             qPrintable(program));

    // Filter: only matching rows stay.
    auto* proxy = qobject_cast<QSortFilterProxyModel*>(panel->table()->model());
    QVERIFY(proxy);
    proxy->setFilterFixedString(QStringLiteral("F_UNLCK"));
    QVERIFY(proxy->rowCount() >= 2);
    for (int row = 0; row < proxy->rowCount(); ++row)
        QVERIFY(proxy->index(row, NativeCallsModel::Call).data().toString().contains(QStringLiteral("F_UNLCK")));
    proxy->setFilterFixedString(QString());

    // Pause: nothing is recorded while paused (the journal has no listener); Clear empties the table.
    auto* pause = panel->findChild<QToolButton*>();
    QVERIFY(pause);
    QCOMPARE(pause->text(), QStringLiteral("&Pause"));
    pause->setChecked(true);
    QVERIFY(!panel->model()->isListening());
    const int before = model->rowCount();
    QVERIFY(window.hexView()->editBytes(0x20, QByteArray("\x43")));
    QTest::qWait(100);
    QCOMPARE(model->rowCount(), before);
    pause->setChecked(false);
    QVERIFY(panel->model()->isListening());
    panel->model()->clear();
    QCOMPARE(model->rowCount(), 0);

    // Hidden again: not listening (the core pays its one atomic load only).
    toggle->trigger();
    QTRY_VERIFY(dock->isHidden());
    QVERIFY(!panel->model()->isListening());
}

namespace {

// Takes each call as it returns: while it listens beside the dock, the dock gets its rows moved one
// by one instead of adopting each action's vector of rows.
class EachCall : public journal::Listener
{
public:
    void callRecorded(journal::Call&&) override { }
};

} // namespace

// The model adopts each action's vector of rows from the journal and gives back vectors it is done
// with (a few dozen at most): over more actions than it keeps between two flushes, in two rounds (the
// second one recording into the vectors given back) and with rows moved one by one in between (a
// second listener), every action keeps exactly its own row, in order.
void TestNativeCalls::everyRowSurvivesManyActionsBetweenFlushes()
{
    CreateOptions options;
    options.size = 4096;
    Result<Created> created = createMapping(m_address, options, Access::ReadWrite);
    QVERIFY2(created, created ? "" : created.error().message().c_str());
    Mapping& mapping = *created->mapping;
    NativeCallsModel model;
    model.setListening(true);
    EachCall eachCall;
    constexpr int kActions = 200; // more than the model keeps to give back
    int expected = 0;
    for (int round = 0; round < 3; ++round) {
        // Round 1: beside a listener that takes each call, so the rows are moved one by one.
        if (round == 1)
            journal::addListener(&eachCall);
        for (int i = 0; i < kActions; ++i) {
            const int offset = round * kActions + i + 1;
            journal::Action action("poke " + std::to_string(offset));
            const char byte = char('a' + offset % 26);
            QVERIFY(mapping.write(quint64(offset), &byte, 1));
        }
        if (round == 1)
            journal::removeListener(&eachCall);
        model.flushPending();
        expected += kActions;
        QCOMPARE(model.rowCount(), 2 * expected);
    }
    for (int row = 0; row < model.rowCount(); row += 2) {
        const int offset = row / 2 + 1;
        const QModelIndex header = model.index(row, NativeCallsModel::Action);
        QVERIFY(header.data(NativeCallsModel::IsActionRole).toBool());
        QCOMPARE(header.data().toString(), QStringLiteral("poke %1").arg(offset));
        const QModelIndex call = model.index(row + 1, NativeCallsModel::Call);
        QVERIFY(!call.data(NativeCallsModel::IsActionRole).toBool());
        QCOMPARE(call.data(NativeCallsModel::ActionIdRole), header.data(NativeCallsModel::ActionIdRole));
        const QString text = call.data().toString();
        const QString stored = QStringLiteral(" + 0x%1, \"%2\", 1)").arg(offset, 0, 16).arg(QChar('a' + offset % 26));
        QVERIFY2(text.startsWith(QStringLiteral("memcpy(")) && text.contains(stored),
                 qPrintable(QStringLiteral("row %1: %2 (expected ...%3)").arg(row + 1).arg(text, stored)));
    }
    model.setListening(false);
}

QTEST_MAIN(TestNativeCalls)
#include "tst_nativecalls.moc"
