// The Snapshots and Value Scan panels of the main window (issue 12) on a real POSIX object, changed by
// a separate Python process (tests/helpers/shmpeer.py): a snapshot, a change, Compare → the differing
// ranges in the table and as marks in the changes overview strip, F7/Shift+F7 select them, side by side
// shows the snapshot at the live cursor's offset; a value scan in the worker thread finds the Python
// process's counter (first scan unknown, then increased / unchanged / increased), its live value
// follows, and it can be bookmarked and opened in the hex view; Cancel keeps the candidates.
//
// `tst_inspectpanels --demo` sets the same state up on posix:/shmscope-demo-panels and keeps the window
// open (for screenshots, e.g. /work/shared/tools/screenshot -g 1280x800 out.png -- env QT_SCALE_FACTOR=2
// tst_inspectpanels --demo scan).
#include "app/gui/mainwindow.h"
#include "app/gui/mappingsession.h"
#include "app/gui/scanpanel.h"
#include "app/gui/snapshotpanel.h"
#include "app/gui/transferactions.h"
#include "core/mapping.h"
#include "core/snapshot.h"
#include "pythonpeer.h"
#include "tests/widgets/slowreadsource.h"
#include "widgets/bookmarks.h"
#include "widgets/bytesource.h"
#include "widgets/changesoverview.h"
#include "widgets/hexview.h"
#include "widgets/memorybytesource.h"

#include <QAction>
#include <QApplication>
#include <QBuffer>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QScopeGuard>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <QUndoStack>
#include <atomic>

using namespace shmscope;

namespace {

constexpr int kTimeoutMs = 60000;

using Peer = test::PythonPeer;

QListWidget* findChildList(QWidget* parent)
{
    return parent->findChild<QListWidget*>(QStringLiteral("snapshotList"));
}

QTableWidget* findTable(QWidget* parent, const char* name)
{
    return parent->findChild<QTableWidget*>(QLatin1String(name));
}

} // namespace

class TestInspectPanels : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();
    void snapshotCompareMarksAndNavigates();
    void snapshotVersusSnapshotAndObjectVersusObject();
    void snapshotRunsInAWorkerAndCancelKeepsNothing();
    void scanFindsThePythonCounter();
    void exportAndImportThroughTheEditPath();
    void compareLetsGoOfADestroyedSource();
    void snapshotLetsGoOfADestroyedSource();
    void scanLetsGoOfADestroyedSource();

private:
    bool open(MainWindow& window, quint64 size);
    bool runScan(ScanPanel* panel, bool first);

    QTemporaryDir m_runtime;
    QTemporaryDir m_snapshots;
    Address m_address;
};

void TestInspectPanels::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_runtime.isValid());
    QVERIFY(m_snapshots.isValid());
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(m_runtime.path()));
    QCoreApplication::setOrganizationName(QStringLiteral("shmscope-tests"));
    QCoreApplication::setApplicationName(
        QStringLiteral("tst_inspectpanels_%1").arg(QCoreApplication::applicationPid()));
    m_address = Address { Kind::Posix,
                          "/shmscope-test-" + std::to_string(QCoreApplication::applicationPid()) + "-panels", 0 };
}

void TestInspectPanels::cleanup()
{
    (void)removeObject(m_address);
}

void TestInspectPanels::cleanupTestCase()
{
    QFile::remove(QSettings().fileName());
}

bool TestInspectPanels::open(MainWindow& window, quint64 size)
{
    OpenRequest request;
    request.address = m_address;
    request.create = true;
    request.options.size = size;
    QString error;
    if (!window.openMapping(request, &error)) {
        qWarning() << error;
        return false;
    }
    window.snapshotPanel()->setFolder(m_snapshots.path());
    return true;
}

bool TestInspectPanels::runScan(ScanPanel* panel, bool first)
{
    QSignalSpy finished(panel, &ScanPanel::finished);
    QString error;
    if (!(first ? panel->startFirstScan(&error) : panel->startNextScan(&error))) {
        qWarning() << error;
        return false;
    }
    return finished.wait(kTimeoutMs) && finished.at(0).at(1).toString().isEmpty();
}

void TestInspectPanels::snapshotCompareMarksAndNavigates()
{
    MainWindow window;
    QVERIFY(open(window, 1 << 20));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    SnapshotPanel* panel = window.snapshotPanel();
    Peer peer(QString::fromStdString(m_address.name.substr(1)));
    QCOMPARE(peer.ask("write 100 0102030405"), QByteArray("ok"));

    QString error;
    const QString path = panel->takeSnapshot(&error);
    QVERIFY2(!path.isEmpty(), qPrintable(error));
    QVERIFY(path.startsWith(m_snapshots.path()));
    // The other process changes two runs, one of them far away.
    QCOMPARE(peer.ask("write 101 ffff"), QByteArray("ok"));
    QCOMPARE(peer.ask("write 900000 aa"), QByteArray("ok"));
    QSignalSpy finished(panel, &SnapshotPanel::finished);
    QVERIFY2(panel->compareWithSelected(&error), qPrintable(error));
    QVERIFY(finished.wait(kTimeoutMs));
    QCOMPARE(finished.at(0).at(0).toULongLong(), 2ull);
    QCOMPARE(panel->differences().size(), std::size_t(2));
    QCOMPARE(panel->differences()[0].offset, 101ull);
    QCOMPARE(panel->differences()[0].length, 2ull);
    QTableWidget* table = findTable(panel, "differenceTable");
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(table->item(0, 2)->text(), QStringLiteral("02 03"));
    QCOMPARE(table->item(0, 3)->text(), QStringLiteral("ff ff"));
    ChangesOverview* overview = window.hexView()->changesOverview();
    QVERIFY(overview->isDiffMarked(101));
    QVERIFY(overview->isDiffMarked(900000));
    QVERIFY(!overview->isDiffMarked(500000));

    // F7 and Shift+F7 (the Go menu's actions) select the differences in the hex view.
    QCOMPARE(panel->nextAction()->shortcut(), QKeySequence(Qt::Key_F7));
    QCOMPARE(panel->previousAction()->shortcut(), QKeySequence(Qt::SHIFT | Qt::Key_F7));
    window.hexView()->setCursorOffset(0);
    panel->nextAction()->trigger();
    QCOMPARE(window.hexView()->selectionStart(), 101ull);
    QCOMPARE(window.hexView()->selectionLength(), 2ull);
    panel->nextAction()->trigger();
    QCOMPARE(window.hexView()->selectionStart(), 900000ull);
    QVERIFY(!panel->nextDifference()); // no more
    panel->previousAction()->trigger();
    QCOMPARE(window.hexView()->selectionStart(), 101ull);
    QVERIFY(!panel->previousDifference());

    // Side by side: the snapshot's view at the live cursor's offset, with the old bytes.
    panel->setSideBySide(true);
    QVERIFY(panel->snapshotView()->isVisible());
    QCOMPARE(panel->snapshotView()->selectionStart(), 101ull);
    QCOMPARE(panel->snapshotView()->selectionLength(), 2ull);
    char old = 0;
    QVERIFY(panel->snapshotView()->source()->read(101, &old, 1));
    QCOMPARE(old, char(0x02));
    window.hexView()->setCursorOffset(4096);
    QCOMPARE(panel->snapshotView()->cursorOffset(), 4096ull);

    // After the change is undone by the other process, the comparison says equal.
    QCOMPARE(peer.ask("write 101 0203"), QByteArray("ok"));
    QCOMPARE(peer.ask("write 900000 00"), QByteArray("ok"));
    finished.clear();
    QVERIFY(panel->compareWithSelected(&error));
    QVERIFY(finished.wait(kTimeoutMs));
    QCOMPARE(finished.at(0).at(0).toULongLong(), 0ull);
    QCOMPARE(overview->diffMarkCount(), 0);
}

// Compare With: two snapshots of the object (the older one is "old", whichever was selected), and the
// object shown against another object; the same table, marks and F7 as the live comparison; an address
// that names nothing is a one-line error and starts nothing.
void TestInspectPanels::snapshotVersusSnapshotAndObjectVersusObject()
{
    MainWindow window;
    QVERIFY(open(window, 1 << 20));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    SnapshotPanel* panel = window.snapshotPanel();
    Peer peer(QString::fromStdString(m_address.name.substr(1)));
    QCOMPARE(peer.ask("write 100 0102030405"), QByteArray("ok"));
    QString error;
    const QString older = panel->takeSnapshot(&error);
    QVERIFY2(!older.isEmpty(), qPrintable(error));
    QCOMPARE(peer.ask("write 101 ffff"), QByteArray("ok"));
    QCOMPARE(peer.ask("write 700000 77"), QByteArray("ok"));
    QTest::qWait(2); // a later time in the newer snapshot's name and metadata
    const QString newer = panel->takeSnapshot(&error);
    QVERIFY2(!newer.isEmpty(), qPrintable(error));
    QCOMPARE(peer.ask("write 400000 99"), QByteArray("ok")); // live only: in neither snapshot

    // The menu offers the other snapshot (the newer one is selected) and another object.
    emit panel->compareWithMenu()->aboutToShow();
    QStringList labels;
    for (QAction* action : panel->compareWithMenu()->actions())
        labels << action->text();
    QCOMPARE(labels.size(), 3); // the older snapshot, a separator, Another Object…
    QVERIFY2(labels[0].contains(QFileInfo(older).fileName()), qPrintable(labels.join(QLatin1Char('|'))));

    QSignalSpy finished(panel, &SnapshotPanel::finished);
    auto checkSnapshotDifferences = [&] {
        QVERIFY(finished.wait(kTimeoutMs));
        QCOMPARE(finished.at(0).at(1).toString(), QString());
        QCOMPARE(panel->differences().size(), std::size_t(2));
        QCOMPARE(panel->differences()[0].offset, 101ull);
        QCOMPARE(panel->differences()[0].length, 2ull);
        QCOMPARE(panel->differences()[1].offset, 700000ull);
        QTableWidget* table = findTable(panel, "differenceTable");
        QCOMPARE(table->item(0, 2)->text(), QStringLiteral("02 03"));
        QCOMPARE(table->item(0, 3)->text(), QStringLiteral("ff ff"));
        QVERIFY(panel->sideTitles().at(0).startsWith(QLatin1String("Snapshot ")));
        QVERIFY(window.hexView()->changesOverview()->isDiffMarked(700000));
        QVERIFY(!window.hexView()->changesOverview()->isDiffMarked(400000)); // live only
        window.hexView()->setCursorOffset(0);
        panel->nextAction()->trigger();
        QCOMPARE(window.hexView()->selectionStart(), 101ull);
        panel->nextAction()->trigger();
        QCOMPARE(window.hexView()->selectionStart(), 700000ull);
    };
    // From the menu: the selected (newer) with the older; the older is "old" all the same.
    panel->compareWithMenu()->actions().at(0)->trigger();
    checkSnapshotDifferences();
    if (QTest::currentTestFailed())
        return;
    finished.clear();
    QVERIFY2(panel->compareSnapshots(older, newer, &error), qPrintable(error));
    checkSnapshotDifferences();
    if (QTest::currentTestFailed())
        return;

    // Object versus object: the object shown ("old") and another one.
    const Address other { Kind::Posix, m_address.name + "-other", 0 };
    auto removeOther = qScopeGuard([&] { (void)removeObject(other); });
    {
        Result<Created> created = createMapping(other, CreateOptions { 1 << 20, 0600, true });
        QVERIFY2(created.ok(), created ? "" : created.error().message().c_str());
        const char bytes[] = { 0x01, char(0xff), char(0xff), 0x04, 0x05 };
        QVERIFY(created->mapping->write(100, bytes, sizeof bytes));
        QVERIFY(created->mapping->write(300000, "\x33", 1));
    }
    const QString otherText = QString::fromStdString(toString(other));
    finished.clear();
    QVERIFY2(panel->compareWithObject(otherText, &error), qPrintable(error));
    QVERIFY(finished.wait(kTimeoutMs));
    QCOMPARE(finished.at(0).at(1).toString(), QString());
    // Live: 01 ff ff 04 05 at 100, 99 at 400000, 77 at 700000; the other: the same at 100, 33 at 300000.
    QCOMPARE(panel->differences().size(), std::size_t(3));
    QCOMPARE(panel->differences()[0].offset, 300000ull);
    QCOMPARE(panel->differences()[1].offset, 400000ull);
    QCOMPARE(panel->differences()[2].offset, 700000ull);
    QCOMPARE(panel->sideTitles(), QStringList({ window.session()->addressText(), otherText }));
    QVERIFY(window.hexView()->changesOverview()->isDiffMarked(300000));
    window.hexView()->setCursorOffset(250000);
    panel->nextAction()->trigger();
    QCOMPARE(window.hexView()->selectionStart(), 300000ull);

    // A name that names nothing: one line naming it, nothing started, the last differences kept.
    const QString missing = otherText + QStringLiteral("-missing");
    QVERIFY(!panel->compareWithObject(missing, &error));
    QVERIFY2(error.contains(missing) && !error.contains(QLatin1Char('\n')), qPrintable(error));
    QVERIFY(!panel->isComparing());
    QCOMPARE(panel->differences().size(), std::size_t(3));
}

// Take Snapshot writes in a worker thread: the panel shows a progress bar and Cancel meanwhile and the
// event loop runs; Cancel ends it with no file at all in the folder; a snapshot left to finish is
// listed and its file verifies.
void TestInspectPanels::snapshotRunsInAWorkerAndCancelKeepsNothing()
{
    MainWindow window;
    QVERIFY(open(window, 64 << 20));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    SnapshotPanel* panel = window.snapshotPanel();
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    panel->setFolder(folder.path());
    QSignalSpy finished(panel, &SnapshotPanel::snapshotFinished);

    QString error;
    QVERIFY2(panel->startSnapshot(&error), qPrintable(error));
    QVERIFY(panel->isTakingSnapshot());
    QVERIFY(panel->snapshotProgress()->isVisible());
    auto* cancel = panel->findChild<QPushButton*>(QStringLiteral("cancelSnapshotButton"));
    QVERIFY(cancel && cancel->isVisible());
    QVERIFY(!panel->startSnapshot(&error)); // one at a time
    QVERIFY2(error.contains(QLatin1String("being written")), qPrintable(error));
    cancel->click();
    QVERIFY(finished.wait(kTimeoutMs));
    QCOMPARE(finished.at(0).at(0).toString(), QString());
    QVERIFY2(finished.at(0).at(1).toString().contains(QLatin1String("cancelled")),
             qPrintable(finished.at(0).at(1).toString()));
    QVERIFY(!panel->isTakingSnapshot());
    QVERIFY(!panel->snapshotProgress()->isVisible());
    QCOMPARE(QDir(folder.path()).entryList(QDir::Files | QDir::Hidden | QDir::System), QStringList());
    QCOMPARE(findChildList(panel)->count(), 0);

    // Left to finish, with the event loop running (a timer ticks) while it writes.
    finished.clear();
    int ticks = 0;
    QTimer ticker;
    connect(&ticker, &QTimer::timeout, [&ticks] { ++ticks; });
    ticker.start(1);
    QVERIFY2(panel->startSnapshot(&error), qPrintable(error));
    QVERIFY(finished.wait(kTimeoutMs));
    const QString path = finished.at(0).at(0).toString();
    QVERIFY2(!path.isEmpty(), qPrintable(finished.at(0).at(1).toString()));
    QVERIFY(ticks > 0);
    QCOMPARE(findChildList(panel)->count(), 1);
    Result<std::unique_ptr<SnapshotFile>> file = SnapshotFile::open(QFile::encodeName(path).toStdString());
    QVERIFY(file.ok());
    QCOMPARE((*file)->info().size, quint64(64 << 20));
    QVERIFY((*file)->verify().ok());
}

void TestInspectPanels::scanFindsThePythonCounter()
{
    MainWindow window;
    QVERIFY(open(window, 1 << 20));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    ScanPanel* panel = window.scanPanel();
    Peer peer(QString::fromStdString(m_address.name.substr(1)));
    QCOMPARE(peer.ask("tick"), QByteArray("ok"));

    panel->typeBox()->setCurrentText(QStringLiteral("u32"));
    panel->firstModeBox()->setCurrentIndex(2); // unknown initial value
    QVERIFY(runScan(panel, true));
    QCOMPARE(panel->candidateCount(), quint64(1 << 18));
    QCOMPARE(peer.ask("tick"), QByteArray("ok"));
    QCOMPARE(peer.ask("churn"), QByteArray("ok"));
    panel->nextModeBox()->setCurrentIndex(2); // increased
    QVERIFY(runScan(panel, false));
    QCOMPARE(peer.ask("churn"), QByteArray("ok"));
    panel->nextModeBox()->setCurrentIndex(1); // unchanged
    QVERIFY(runScan(panel, false));
    QCOMPARE(peer.ask("tick"), QByteArray("ok"));
    QCOMPARE(peer.ask("churn"), QByteArray("ok"));
    panel->nextModeBox()->setCurrentIndex(2); // increased
    QVERIFY(runScan(panel, false));
    QCOMPARE(panel->candidateCount(), quint64(1));
    const QByteArray revealed = peer.ask("reveal");
    const quint64 counter = revealed.mid(3).toULongLong();
    QCOMPARE(panel->shownOffsets(), QList<quint64> { counter });
    QTableWidget* table = panel->resultsTable();
    QCOMPARE(table->item(0, 1)->text(), QStringLiteral("3"));
    // The live value follows the other process.
    QCOMPARE(peer.ask("tick"), QByteArray("ok"));
    QTRY_COMPARE_WITH_TIMEOUT(table->item(0, 1)->text(), QStringLiteral("4"), 5000);
    QCOMPARE(table->item(0, 2)->text(), QStringLiteral("3")); // the value of the last scan

    // A bookmark, and the hex view at the counter.
    QVERIFY(panel->addBookmark(0));
    const QList<Bookmark> bookmarks = window.bookmarksPanel()->model()->bookmarks();
    QCOMPARE(bookmarks.size(), 1);
    QCOMPARE(bookmarks.at(0).offset, counter);
    QVERIFY(panel->openInHexView(0));
    QCOMPARE(window.hexView()->selectionStart(), counter);
    QCOMPARE(window.hexView()->selectionLength(), 4ull);

    // Bad input starts nothing; a cancelled scan keeps the candidates.
    panel->nextModeBox()->setCurrentIndex(4); // increased by
    panel->valueEdit()->setText(QStringLiteral("x1"));
    QString error;
    QVERIFY(!panel->startNextScan(&error));
    QVERIFY(error.contains(QLatin1String("not a u32")));
    panel->firstModeBox()->setCurrentIndex(2);
    QSignalSpy finished(panel, &ScanPanel::finished);
    QVERIFY(panel->startFirstScan(&error));
    panel->cancel();
    QVERIFY(finished.wait(kTimeoutMs));
    // Either the scan was quick enough to end first, or it was cancelled: never a broken state.
    QVERIFY(panel->candidateCount() == 1 || panel->candidateCount() == quint64(1 << 18));
}

// File ▸ Export Selection / Import: the selection as Intel HEX, S-record, base64 and hexdump, changed by
// the Python process, imported back through the hex view's edit path: the bytes return, one Undo undoes
// the import; bad input writes nothing.
void TestInspectPanels::exportAndImportThroughTheEditPath()
{
    MainWindow window;
    QVERIFY(open(window, 256 * 1024));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    Peer peer(QString::fromStdString(m_address.name.substr(1)));
    QCOMPARE(peer.ask("noise 65500 100"), QByteArray("ok"));
    TransferActions* actions = window.transferActions();
    QVERIFY(actions->exportAction()->text().contains(QLatin1String("Export")));
    ByteSource* source = window.hexView()->source();
    QByteArray original(100, 0);
    QVERIFY(source->read(65500, original.data(), 100));
    for (TransferFormat format :
         { TransferFormat::IntelHex, TransferFormat::SRecord, TransferFormat::Base64, TransferFormat::Hexdump }) {
        window.hexView()->setSelection(65500, 100);
        QBuffer buffer;
        QVERIFY(buffer.open(QIODevice::WriteOnly));
        QString error;
        QVERIFY2(TransferActions::exportBytes(*source, window.hexView()->selectionStart(),
                                              window.hexView()->selectionLength(), format, QStringLiteral("test"),
                                              buffer, &error),
                 qPrintable(error));
        QCOMPARE(peer.ask("noise 65500 100"), QByteArray("ok")); // another process overwrites them
        window.hexView()->setCursorOffset(65500);
        const int undoSteps = window.hexView()->undoStack()->count();
        QVERIFY2(actions->importBytes(buffer.data(), format, std::nullopt, &error), qPrintable(error));
        QByteArray now(100, 0);
        QVERIFY(source->read(65500, now.data(), 100));
        QCOMPARE(now, original);
        QCOMPARE(window.hexView()->undoStack()->count(), undoSteps + 1); // one step
    }
    // Undo of the last import puts back what the other process wrote.
    QByteArray before(100, 0);
    window.hexView()->undoStack()->undo();
    QVERIFY(source->read(65500, before.data(), 100));
    QVERIFY(before != original);
    // Relocated with an offset; bad input or a block past the end writes nothing.
    QString error;
    QVERIFY(actions->importBytes(QByteArray(":0500100068656C6C6FD7\n:00000001FF\n"), TransferFormat::IntelHex,
                                 quint64(8), &error));
    QByteArray hello(5, 0);
    QVERIFY(source->read(8, hello.data(), 5));
    QCOMPARE(hello, QByteArray("hello"));
    QVERIFY(
        !actions->importBytes(QByteArray(":0500100068656C6C6FD8\n"), TransferFormat::IntelHex, std::nullopt, &error));
    QVERIFY(error.contains(QLatin1String("checksum")));
    QVERIFY(!actions->importBytes(QByteArray(10, 'x'), TransferFormat::Raw, quint64(256 * 1024 - 5), &error));
    QVERIFY(source->read(8, hello.data(), 5));
    QCOMPARE(hello, QByteArray("hello"));
    QCOMPARE(TransferActions::formatForPath(QStringLiteral("a.S19")), TransferFormat::SRecord);
    QCOMPARE(TransferActions::formatForPath(QStringLiteral("a.hex")), TransferFormat::IntelHex);
}

// The live source is destroyed while the comparison's worker is inside one of its reads (the hex view's
// object closed without setAddress() first): the comparison is cancelled and joined at
// ByteSource::aboutToBeDestroyed(), while the source is whole.
void TestInspectPanels::compareLetsGoOfADestroyedSource()
{
    MemoryByteSource empty(quint64(16));
    HexView view;
    view.setSource(&empty);
    SnapshotPanel panel;
    panel.setHexView(&view);
    panel.setFolder(m_snapshots.path());
    panel.setAddress(QStringLiteral("posix:/shmscope-test-slow"));
    {
        std::atomic<bool> readAfterDestruction { false };
        {
            test::SlowReadSource slow(quint64(16) << 20, &readAfterDestruction, 0);
            view.setSource(&slow);
            QString error;
            const QString path = panel.takeSnapshot(&error); // quick reads
            QVERIFY2(!path.isEmpty(), qPrintable(error));
            slow.setReadMs(10); // 256 reads of 64 KiB at least: seconds
            QVERIFY2(panel.compareWithSelected(&error), qPrintable(error));
            QTest::qWait(30);
            QVERIFY(panel.isComparing());
        } // destroyed while compared
        QVERIFY2(!readAfterDestruction.load(), "the comparison was still reading a destroyed source");
        QVERIFY(!panel.isComparing());
    }
}

// The same for a snapshot being written in its worker: stopped at aboutToBeDestroyed(), no file left.
void TestInspectPanels::snapshotLetsGoOfADestroyedSource()
{
    MemoryByteSource empty(quint64(16));
    HexView view;
    view.setSource(&empty);
    SnapshotPanel panel;
    panel.setHexView(&view);
    panel.setFolder(m_snapshots.path());
    panel.setAddress(QStringLiteral("posix:/shmscope-test-slow"));
    const QStringList before = QDir(m_snapshots.path()).entryList(QDir::Files);
    std::atomic<bool> readAfterDestruction { false };
    {
        test::SlowReadSource slow(quint64(16) << 20, &readAfterDestruction, 10);
        view.setSource(&slow);
        QString error;
        QVERIFY2(panel.startSnapshot(&error), qPrintable(error));
        QThread::msleep(30); // the worker is inside a read
        QVERIFY(panel.isTakingSnapshot());
    } // destroyed while written
    QVERIFY2(!readAfterDestruction.load(), "the snapshot was still reading a destroyed source");
    QVERIFY(!panel.isTakingSnapshot());
    QCOMPARE(QDir(m_snapshots.path()).entryList(QDir::Files), before);
}

// The same for a value scan: stopped and joined at aboutToBeDestroyed(); the panel can scan again.
void TestInspectPanels::scanLetsGoOfADestroyedSource()
{
    MemoryByteSource empty(quint64(16));
    HexView view;
    view.setSource(&empty);
    ScanPanel panel;
    panel.setHexView(&view);
    panel.setAddress(QStringLiteral("posix:/shmscope-test-slow"));
    panel.typeBox()->setCurrentText(QStringLiteral("u32"));
    panel.firstModeBox()->setCurrentIndex(0); // exact value: every value is read
    panel.valueEdit()->setText(QStringLiteral("1"));
    for (int round = 0; round < 3; ++round) {
        std::atomic<bool> readAfterDestruction { false };
        {
            test::SlowReadSource slow(quint64(16) << 20, &readAfterDestruction, 0);
            view.setSource(&slow);
            slow.setReadMs(100); // 16 reads of 1 MiB: 1.6 s
            QString error;
            QVERIFY2(panel.startFirstScan(&error), qPrintable(error));
            QThread::msleep(50); // the worker is inside its first read (no events: the panel cannot end it)
            QVERIFY(panel.isRunning());
        } // destroyed while scanned
        QVERIFY2(!readAfterDestruction.load(), "the scan was still reading a destroyed source");
        QVERIFY(!panel.isRunning());
    }
    QByteArray bytes(64, '\0');
    bytes[8] = 1;
    MemoryByteSource other(bytes);
    view.setSource(&other);
    QVERIFY(runScan(&panel, true));
    QCOMPARE(panel.candidateCount(), quint64(1));
}

// --demo [snapshot|compare|scan]: the state of the tests above on a demo object, kept on screen
// (compare: two snapshots compared with each other, the live object changed after both).
static int runDemo(int argc, char** argv)
{
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("shmscope-demo"));
    const bool scan = argc > 2 && QByteArray(argv[2]) == "scan";
    const bool twoSnapshots = argc > 2 && QByteArray(argv[2]) == "compare";
    const Address address { Kind::Posix, "/shmscope-demo-panels", 0 };
    (void)removeObject(address);
    MainWindow window;
    OpenRequest request;
    request.address = address;
    request.create = true;
    request.options.size = 1 << 20;
    QString error;
    if (!window.openMapping(request, &error))
        return 1;
    QTemporaryDir folder;
    window.snapshotPanel()->setFolder(folder.path());
    window.resize(QGuiApplication::primaryScreen()->availableGeometry().size());
    window.show();
    // The panel in view gets most of the height, as a user would drag it.
    QDockWidget* dock
        = window.findChild<QDockWidget*>(scan ? QStringLiteral("valueScanDock") : QStringLiteral("snapshotsDock"));
    window.resizeDocks({ dock }, { window.height() * 2 / 3 }, Qt::Vertical);
    auto peer = std::make_unique<Peer>(QStringLiteral("shmscope-demo-panels"));
    peer->ask("write 64 48656c6c6f2c2073686172656420776f726c6421");
    if (!scan) {
        window.findChild<QDockWidget*>(QStringLiteral("snapshotsDock"))->raise();
        (void)window.snapshotPanel()->takeSnapshot(&error);
        peer->ask("write 71 534841524544");
        peer->ask("write 300000 aabbccdd");
        peer->ask("noise 700000 40");
        QObject::connect(window.snapshotPanel(), &SnapshotPanel::finished, &window, [&window] {
            window.hexView()->setCursorOffset(0);
            window.snapshotPanel()->nextDifference();
            window.snapshotPanel()->setSideBySide(true);
        });
        if (twoSnapshots) {
            QTest::qWait(1100); // the second snapshot a second later
            const QString newer = window.snapshotPanel()->takeSnapshot(&error);
            peer->ask("write 500000 0102030405060708");
            const QString older = QDir(folder.path())
                                      .entryInfoList({ QStringLiteral("*.shmsnap") }, QDir::Files, QDir::Name)
                                      .constFirst()
                                      .filePath();
            (void)window.snapshotPanel()->compareSnapshots(older, newer, &error);
        } else {
            (void)window.snapshotPanel()->compareWithSelected(&error);
        }
    } else {
        window.findChild<QDockWidget*>(QStringLiteral("valueScanDock"))->raise();
        ScanPanel* panel = window.scanPanel();
        panel->firstModeBox()->setCurrentIndex(2);
        QSignalSpy finished(panel, &ScanPanel::finished);
        auto step = [&](int mode, const QList<QByteArray>& commands) {
            for (const QByteArray& command : commands)
                peer->ask(command);
            panel->nextModeBox()->setCurrentIndex(mode);
            finished.clear();
            (void)(mode < 0 ? panel->startFirstScan(&error) : panel->startNextScan(&error));
            finished.wait(kTimeoutMs);
        };
        step(-1, {});
        step(2, { "tick", "churn" });
        // Stop at two scans: several candidates remain, as a user sees them midway.
        QTimer* ticker = new QTimer(&window);
        QObject::connect(ticker, &QTimer::timeout, &window, [&peer] { peer->ask("tick"); });
        ticker->start(300);
    }
    const int result = app.exec();
    peer.reset();
    (void)removeObject(address);
    return result;
}

int main(int argc, char** argv)
{
    if (argc > 1 && QByteArray(argv[1]) == "--demo")
        return runDemo(argc, argv);
    QApplication app(argc, argv);
    TestInspectPanels test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_inspectpanels.moc"
