// Tests of the changes overview: the ChangeScanner worker (finds changes in a big sparse source in the
// right blocks, pauses, keeps memory bounded) and the ChangesOverview strip beside HexView's scrollbar
// (marks and fades, a click scrolls the view there, the context-menu pause).
#include "widgets/changescanner.h"
#include "widgets/changesoverview.h"
#include "widgets/hexview.h"
#include "widgets/memorybytesource.h"

#include <QAction>
#include <QMenu>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <memory>
#include <set>

using namespace shmscope;

namespace {
constexpr quint64 kMiB = quint64(1) << 20;
constexpr quint64 k64GiB = quint64(64) << 30;
constexpr quint64 kBlock = ChangeScanner::kMinBlockSize;

// The block indexes the ranges of all changesFound() emissions in `spy` cover.
std::set<quint64> changedBlocks(const QSignalSpy& spy, quint64 blockSize)
{
    std::set<quint64> blocks;
    for (const QList<QVariant>& args : spy) {
        const auto ranges = args.at(0).value<QList<ChangeScanner::Range>>();
        for (const ChangeScanner::Range& r : ranges) {
            for (quint64 b = r.offset / blockSize; b * blockSize < r.offset + r.length; ++b)
                blocks.insert(b);
        }
    }
    return blocks;
}
} // namespace

class TestChangeScanner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<QList<ChangeScanner::Range>>(); }
    void blockSizes();
    void findsChangesInTheRightBlocks();
    void pauseStopsReading();
    void memoryStaysBounded();
    void sizeChangeTakesANewBaseline();
    void overviewMarksChangesAndFades();
    void overviewClickScrollsTheView();
    void contextMenuPausesTheScan();
};

void TestChangeScanner::blockSizes()
{
    QCOMPARE(ChangeScanner::blockSizeFor(0), kBlock);
    QCOMPARE(ChangeScanner::blockSizeFor(kMiB), kBlock);
    QCOMPARE(ChangeScanner::blockSizeFor(k64GiB), kBlock); // 2^20 blocks exactly
    QCOMPARE(ChangeScanner::blockSizeFor(k64GiB + 1), 2 * kBlock);
    const quint64 oneTiB = quint64(1) << 40;
    QCOMPARE(ChangeScanner::blockSizeFor(oneTiB), kMiB);
    QVERIFY((oneTiB + kMiB - 1) / kMiB <= ChangeScanner::kMaxBlocks);
}

void TestChangeScanner::findsChangesInTheRightBlocks()
{
    const quint64 size = 256 * kMiB; // sparse: nothing allocated until written
    MemoryByteSource source(size);
    ChangeScanner scanner;
    scanner.setPassInterval(0);
    QSignalSpy found(&scanner, &ChangeScanner::changesFound);
    // passFinished arrives after the changesFound of the same pass (both queued, in order), so counting
    // it (not the atomic passCount()) means every change of those passes has been delivered.
    QSignalSpy passes(&scanner, &ChangeScanner::passFinished);
    scanner.setSource(&source);
    QTRY_VERIFY_WITH_TIMEOUT(passes.count() >= 2, 20000); // baseline + one quiet pass
    QCOMPARE(found.count(), 0); // nothing changed: nothing reported

    // Three changes behind the scanner's back: block 0, a block in the middle, the very last byte.
    source.modifyExternally(0x1234, QByteArray("x"));
    source.modifyExternally(100 * kMiB + 5, QByteArray("yz"));
    source.modifyExternally(size - 1, QByteArray("!"));
    // Two more full passes: the one that may have been half-way when the bytes changed, and a whole one.
    // passCount() (atomic) may be ahead of the delivered passFinished signals; wait for the delivery of
    // the second pass that started after the change.
    quint64 after = scanner.passCount();
    QTRY_VERIFY_WITH_TIMEOUT(!passes.isEmpty() && passes.last().at(0).toULongLong() >= after + 2, 20000);
    const std::set<quint64> expected { 0, (100 * kMiB + 5) / kBlock, (size - 1) / kBlock };
    QCOMPARE(changedBlocks(found, kBlock), expected);
    // Each reported range is whole blocks inside the source.
    for (const QList<QVariant>& args : found) {
        for (const ChangeScanner::Range& r : args.at(0).value<QList<ChangeScanner::Range>>()) {
            QCOMPARE(r.offset % kBlock, 0u);
            QVERIFY(r.length > 0 && r.offset + r.length <= size);
        }
    }

    // A change back to the old bytes is a change too; the other blocks stay quiet.
    found.clear();
    source.modifyExternally(0x1234, QByteArray(1, '\0'));
    after = scanner.passCount();
    QTRY_VERIFY_WITH_TIMEOUT(passes.last().at(0).toULongLong() >= after + 2, 20000);
    QCOMPARE(changedBlocks(found, kBlock), std::set<quint64> { 0 });
}

void TestChangeScanner::pauseStopsReading()
{
    MemoryByteSource source(16 * kMiB);
    ChangeScanner scanner;
    scanner.setPassInterval(0);
    QSignalSpy found(&scanner, &ChangeScanner::changesFound);
    QSignalSpy paused(&scanner, &ChangeScanner::pausedChanged);
    scanner.setSource(&source);
    QTRY_VERIFY_WITH_TIMEOUT(scanner.passCount() >= 1, 10000);

    scanner.setPaused(true);
    QVERIFY(scanner.isPaused());
    QCOMPARE(paused.count(), 1);
    QCOMPARE(paused.at(0).at(0).toBool(), true);
    QTest::qWait(200); // the worker finishes at most the chunk it was reading
    source.clearReadLog();
    const quint64 passes = scanner.passCount();
    source.modifyExternally(5 * kMiB, QByteArray("changed"));
    QTest::qWait(500);
    QCOMPARE(source.bytesReadTotal(), 0u); // paused: not one read
    QCOMPARE(scanner.passCount(), passes);
    QCOMPARE(found.count(), 0);

    // Resumed, the change made during the pause is found (the hashes were kept).
    scanner.setPaused(false);
    QCOMPARE(paused.count(), 2);
    QTRY_VERIFY_WITH_TIMEOUT(changedBlocks(found, kBlock).count(5 * kMiB / kBlock) == 1, 10000);
    QVERIFY(source.bytesReadTotal() > 0);
}

void TestChangeScanner::memoryStaysBounded()
{
    MemoryByteSource source(k64GiB); // 64 GiB sparse
    const quint64 allocated = source.allocatedBytes();
    ChangeScanner scanner;
    scanner.setSource(&source);
    QCOMPARE(scanner.blockSize(), kBlock);
    // Let it read a good part (at least 512 MiB) of the 64 GiB.
    QTRY_VERIFY_WITH_TIMEOUT(source.bytesReadTotal() >= 512 * kMiB, 30000);
    // 8 bytes a block for 2^20 blocks, plus one chunk buffer: 8 MiB + 64 KiB, never the mapping.
    QVERIFY(scanner.memoryBytes() > 0);
    QVERIFY2(scanner.memoryBytes() <= ChangeScanner::kMaxBlocks * 8 + quint64(ChangeScanner::kChunkBytes),
             qPrintable(QString::number(scanner.memoryBytes())));
    // Reading never allocated source pages, and every read was one bounded chunk.
    QCOMPARE(source.allocatedBytes(), allocated);
    for (const MemoryByteSource::ReadRange& r : source.readLog())
        QVERIFY(r.length <= quint64(ChangeScanner::kChunkBytes));
    scanner.setSource(nullptr); // stops and joins the worker mid-pass
    QCOMPARE(scanner.memoryBytes(), 0u);
}

void TestChangeScanner::sizeChangeTakesANewBaseline()
{
    MemoryByteSource source(4 * kMiB);
    ChangeScanner scanner;
    scanner.setPassInterval(0);
    QSignalSpy found(&scanner, &ChangeScanner::changesFound);
    scanner.setSource(&source);
    QTRY_VERIFY_WITH_TIMEOUT(scanner.passCount() >= 1, 10000);
    // Growing adds zero bytes; the new blocks are not "changes", only a new baseline is taken.
    QSignalSpy passes(&scanner, &ChangeScanner::passFinished);
    source.resize(8 * kMiB);
    const quint64 after = scanner.passCount();
    QTRY_VERIFY_WITH_TIMEOUT(!passes.isEmpty() && passes.last().at(0).toULongLong() >= after + 3, 10000);
    QCOMPARE(found.count(), 0);
    source.modifyExternally(7 * kMiB, QByteArray("new"));
    QTRY_VERIFY_WITH_TIMEOUT(changedBlocks(found, kBlock).count(7 * kMiB / kBlock) == 1, 10000);
}

namespace {
std::unique_ptr<HexView> makeView(ByteSource* source)
{
    auto view = std::make_unique<HexView>();
    view->resize(760, 520);
    view->changesOverview()->scanner()->setPassInterval(20);
    view->setSource(source);
    view->show();
    if (!QTest::qWaitForWindowExposed(view.get()))
        qWarning("window not exposed");
    return view;
}
} // namespace

void TestChangeScanner::overviewMarksChangesAndFades()
{
    MemoryByteSource source(4 * kMiB);
    auto view = makeView(&source);
    ChangesOverview* strip = view->changesOverview();
    QVERIFY(strip->isVisible());
    // Beside the scrollbar: right of the viewport, left of the scrollbar, as tall as the viewport.
    QVERIFY(strip->geometry().left() > view->viewport()->geometry().right());
    QVERIFY(strip->geometry().right() < view->verticalScrollBar()->mapTo(view.get(), QPoint(0, 0)).x());
    QCOMPARE(strip->height(), view->viewport()->height());
    QTRY_VERIFY_WITH_TIMEOUT(strip->scanner()->passCount() >= 1, 10000);
    QCOMPARE(strip->markCount(), 0);

    // A change far outside the visible rows (3 MiB in) lights the strip there, and only there.
    source.modifyExternally(3 * kMiB + 17, QByteArray("zz"));
    QTRY_VERIFY_WITH_TIMEOUT(strip->isMarked(3 * kMiB + 17), 10000);
    QVERIFY(!strip->isMarked(0));
    QVERIFY(!strip->isMarked(kMiB));
    QVERIFY(!view->isHighlighted(3 * kMiB + 17)); // not visible: the view's own highlight did not see it
    // The strip paints the mark in its part of the strip (the pixel row of that offset differs from an
    // unmarked one).
    const QImage image = strip->grab().toImage();
    const int y = strip->yForOffset(3 * kMiB + 17);
    const int quietY = strip->yForOffset(kMiB + kMiB / 2);
    QVERIFY(image.pixelColor(strip->width() / 2 * image.devicePixelRatio(), y * image.devicePixelRatio())
            != image.pixelColor(strip->width() / 2 * image.devicePixelRatio(), quietY * image.devicePixelRatio()));

    // It fades like the highlights.
    strip->setFadeDuration(300);
    QTRY_COMPARE_WITH_TIMEOUT(strip->markCount(), 0, 10000);
    QVERIFY(!strip->isMarked(3 * kMiB + 17));
}

void TestChangeScanner::overviewClickScrollsTheView()
{
    MemoryByteSource source(k64GiB); // the strip maps the whole 64 GiB onto its height
    auto view = makeView(&source);
    // Over kScanAutoStartLimit the scan starts paused (reading holes would back them with pages).
    QVERIFY(view->isScanPaused());
    view->setScanPaused(false);
    QVERIFY(!view->isScanPaused());
    view->setScanPaused(true); // only the click matters here
    ChangesOverview* strip = view->changesOverview();
    QCOMPARE(view->firstVisibleRow(), 0u);

    const int y = strip->height() * 3 / 4;
    const quint64 target = strip->offsetAt(y);
    QVERIFY(target > k64GiB / 2);
    QTest::mouseClick(strip, Qt::LeftButton, Qt::NoModifier, QPoint(strip->width() / 2, y));
    const quint64 row = target / quint64(view->bytesPerRow());
    QVERIFY(row >= view->firstVisibleRow());
    QVERIFY(row < view->firstVisibleRow() + quint64(view->visibleRowCount()));
    QCOMPARE(view->cursorOffset(), 0u); // scrolls, does not move the cursor
    // The strip outlines what the view shows now.
    QVERIFY(qAbs(strip->yForOffset(view->firstVisibleRow() * 16) - y) <= 1);

    // Clicking the top goes back to the start.
    QTest::mouseClick(strip, Qt::LeftButton, Qt::NoModifier, QPoint(strip->width() / 2, 0));
    QVERIFY(view->firstVisibleRow() * 16 <= k64GiB / quint64(strip->height()));
}

void TestChangeScanner::contextMenuPausesTheScan()
{
    MemoryByteSource source(kMiB);
    auto view = makeView(&source);
    QVERIFY(!view->isScanPaused());
    std::unique_ptr<QMenu> menu(view->createContextMenu());
    auto* pause = menu->findChild<QAction*>(QStringLiteral("pauseScan"));
    QVERIFY(pause);
    QVERIFY(pause->isCheckable());
    QVERIFY(!pause->isChecked());
    pause->trigger();
    QVERIFY(view->isScanPaused());
    QVERIFY(view->changesOverview()->scanner()->isPaused());

    std::unique_ptr<QMenu> stripMenu(view->changesOverview()->createContextMenu());
    auto* stripPause = stripMenu->findChild<QAction*>(QStringLiteral("pauseScan"));
    QVERIFY(stripPause);
    QVERIFY(stripPause->isChecked());
    stripPause->trigger();
    QVERIFY(!view->isScanPaused());

    // Hiding the strip pauses its scan; showing it resumes.
    view->setChangesOverviewVisible(false);
    QVERIFY(view->isScanPaused());
    QVERIFY(!view->changesOverview()->isVisible());
    view->setChangesOverviewVisible(true);
    QVERIFY(!view->isScanPaused());
}

QTEST_MAIN(TestChangeScanner)
#include "tst_changescanner.moc"
