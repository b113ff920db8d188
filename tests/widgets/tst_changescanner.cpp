// Tests of the changes overview: the ChangeScanner worker (finds changes in a big sparse source in the
// right blocks, skips its holes, sizes blocks to the source, pauses, keeps memory bounded) and the ChangesOverview
// strip beside HexView's scrollbar (marks and fades, a click scrolls the view there, the context-menu pause).
#include "core/mapping.h"
#include "widgets/changescanner.h"
#include "widgets/changesoverview.h"
#include "widgets/hexview.h"
#include "widgets/mappingbytesource.h"
#include "widgets/memorybytesource.h"

#include <QAction>
#include <QMenu>
#include <QScopeGuard>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <algorithm>
#include <fcntl.h>
#include <memory>
#include <set>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace shmscope;

namespace {
constexpr quint64 kMiB = quint64(1) << 20;
constexpr quint64 k64GiB = quint64(64) << 30;
constexpr quint64 kKiB = quint64(1) << 10;

// A source that cannot tell where its holes are (like a System V segment or a Windows section):
// ByteSource's default dataExtents(), the whole range is data, so the scanner reads all of it.
class AllDataSource : public MemoryByteSource
{
public:
    using MemoryByteSource::MemoryByteSource;
    bool dataExtents(quint64 offset, quint64 length, int maxExtents, QList<Extent>* extents) const override
    {
        return ByteSource::dataExtents(offset, length, maxExtents, extents);
    }
};

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
    void skipsTheHolesOfASparseSource();
    void smallSourceGetsFineBlocks();
    void bigScansStartPausedOnlyWhenTheyReadMuchData();
    void scanOfASparseMappingAllocatesNothing();
    void sizeChangeTakesANewBaseline();
    void overviewMarksChangesAndFades();
    void overviewClickScrollsTheView();
    void contextMenuPausesTheScan();
};

void TestChangeScanner::blockSizes()
{
    // About kTargetBlocks blocks, a power of two between 64 bytes and 64 KiB...
    QCOMPARE(ChangeScanner::blockSizeFor(0), 64u);
    QCOMPARE(ChangeScanner::blockSizeFor(64 * kKiB), 64u); // the demo object: 1024 blocks
    QCOMPARE(ChangeScanner::blockSizeFor(kMiB), 256u);
    QCOMPARE(ChangeScanner::blockSizeFor(3 * kMiB), kKiB); // 768 bytes rounded up
    QCOMPARE(ChangeScanner::blockSizeFor(256 * kMiB), 64 * kKiB);
    QCOMPARE(ChangeScanner::blockSizeFor(k64GiB), 64 * kKiB); // 2^20 blocks exactly
    // ... and beyond 64 GiB multiples of 64 KiB so that there are at most kMaxBlocks.
    QCOMPARE(ChangeScanner::blockSizeFor(k64GiB + 1), 128 * kKiB);
    const quint64 oneTiB = quint64(1) << 40;
    QCOMPARE(ChangeScanner::blockSizeFor(oneTiB), kMiB);
    for (quint64 size : { quint64(1), quint64(1000), 64 * kKiB + 1, 77 * kMiB + 3, 5 * k64GiB + 7, oneTiB * 3 }) {
        const quint64 block = ChangeScanner::blockSizeFor(size);
        QVERIFY(block >= ChangeScanner::kMinBlockSize);
        QVERIFY((size + block - 1) / block <= ChangeScanner::kMaxBlocks);
        if (block > ChangeScanner::kMinBlockSize && block <= ChangeScanner::kMaxBlockSize)
            QVERIFY2((size + block - 1) / block >= ChangeScanner::kTargetBlocks / 2, qPrintable(QString::number(size)));
    }
}

void TestChangeScanner::findsChangesInTheRightBlocks()
{
    const quint64 size = 256 * kMiB; // sparse: nothing allocated until written
    const quint64 kBlock = ChangeScanner::blockSizeFor(size);
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
    MemoryByteSource source(QByteArray(qsizetype(16 * kMiB), '\x01')); // all data: a pass reads it all
    const quint64 kBlock = ChangeScanner::blockSizeFor(source.size());
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
    AllDataSource source(k64GiB); // 64 GiB that the scanner must read all of (no holes known)
    const quint64 allocated = source.allocatedBytes();
    ChangeScanner scanner;
    scanner.setSource(&source);
    QCOMPARE(scanner.blockSize(), ChangeScanner::kMaxBlockSize);
    // Let it read a good part (at least 512 MiB) of the 64 GiB.
    QTRY_VERIFY_WITH_TIMEOUT(source.bytesReadTotal() >= 512 * kMiB, 30000);
    // 8 bytes a block for 2^20 blocks plus a short extents list: about 8 MiB, never the mapping.
    QVERIFY(scanner.memoryBytes() > 0);
    QVERIFY2(scanner.memoryBytes() <= ChangeScanner::kMaxBlocks * 8 + 64 * kKiB,
             qPrintable(QString::number(scanner.memoryBytes())));
    // Reading never allocated source pages, and every read was one bounded chunk (ByteSource::hash()'s
    // default copies kHashChunk bytes at a time).
    QCOMPARE(source.allocatedBytes(), allocated);
    for (const MemoryByteSource::ReadRange& r : source.readLog())
        QVERIFY(r.length <= ByteSource::kHashChunk);
    scanner.setSource(nullptr); // stops and joins the worker mid-pass
    QCOMPARE(scanner.memoryBytes(), 0u);
}

void TestChangeScanner::skipsTheHolesOfASparseSource()
{
    MemoryByteSource source(k64GiB); // 64 GiB sparse with three pages of data
    const quint64 kBlock = ChangeScanner::blockSizeFor(k64GiB);
    const QList<quint64> pages { 0, 20 * k64GiB / 64 + 4096, k64GiB - 4096 };
    for (quint64 page : pages)
        source.modifyExternally(page, QByteArray(4096, 'd'));
    ChangeScanner scanner;
    scanner.setPassInterval(0);
    QSignalSpy found(&scanner, &ChangeScanner::changesFound);
    QSignalSpy passes(&scanner, &ChangeScanner::passFinished);
    scanner.setSource(&source);
    // Whole passes over 64 GiB, quickly: only the data is hashed.
    QTRY_VERIFY_WITH_TIMEOUT(passes.count() >= 3, 20000);
    QCOMPARE(found.count(), 0);
    // It read the pages of data and nothing else.
    QVERIFY(source.bytesReadTotal() > 0);
    for (const MemoryByteSource::ReadRange& r : source.readLog()) {
        const bool inData = std::any_of(pages.begin(), pages.end(), [&](quint64 page) {
            return r.offset >= page && r.offset + r.length <= page + 4096;
        });
        QVERIFY2(inData, qPrintable(QStringLiteral("read %1+%2").arg(r.offset).arg(r.length)));
    }

    // A change in a page of data and a write into a hole are both found, in their blocks.
    source.modifyExternally(pages[1] + 100, QByteArray("changed"));
    source.modifyExternally(k64GiB / 2 + 12345, QByteArray("new data"));
    const quint64 after = scanner.passCount();
    QTRY_VERIFY_WITH_TIMEOUT(passes.last().at(0).toULongLong() >= after + 2, 20000);
    const std::set<quint64> expected { (pages[1] + 100) / kBlock, (k64GiB / 2 + 12345) / kBlock };
    QCOMPARE(changedBlocks(found, kBlock), expected);
    QCOMPARE(source.allocatedBytes(), 4 * 4096u); // the four pages written; the scan allocated nothing
}

void TestChangeScanner::smallSourceGetsFineBlocks()
{
    // The 64 KiB demo object: a one-byte change marks 64 bytes, not the whole object.
    MemoryByteSource source(QByteArray(qsizetype(64 * kKiB), 'a'));
    ChangeScanner scanner;
    scanner.setPassInterval(0);
    QSignalSpy found(&scanner, &ChangeScanner::changesFound);
    QSignalSpy passes(&scanner, &ChangeScanner::passFinished);
    scanner.setSource(&source);
    QCOMPARE(scanner.blockSize(), 64u);
    QTRY_VERIFY_WITH_TIMEOUT(passes.count() >= 2, 10000);
    source.modifyExternally(1000, QByteArray("b"));
    QTRY_VERIFY_WITH_TIMEOUT(!found.isEmpty(), 10000);
    const auto ranges = found.first().at(0).value<QList<ChangeScanner::Range>>();
    QCOMPARE(ranges, (QList<ChangeScanner::Range> { { 960, 64 } }));
}

void TestChangeScanner::sizeChangeTakesANewBaseline()
{
    MemoryByteSource source(4 * kMiB);
    const quint64 kBlock = ChangeScanner::blockSizeFor(8 * kMiB);
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

void TestChangeScanner::bigScansStartPausedOnlyWhenTheyReadMuchData()
{
    // 64 GiB sparse with little data: the scan skips the holes, so it starts at once.
    MemoryByteSource sparse(k64GiB);
    sparse.modifyExternally(k64GiB / 3, QByteArray(4096, 'x'));
    auto view = makeView(&sparse);
    QVERIFY(!view->isScanPaused());
    QTRY_VERIFY_WITH_TIMEOUT(view->changesOverview()->scanner()->passCount() >= 1, 20000);

    // Over kScanAutoStartLimit of data (a source that cannot tell its holes counts as all data):
    // reading it would back every page, so the scan starts paused...
    AllDataSource dense(2 * HexView::kScanAutoStartLimit);
    view->setSource(&dense);
    QVERIFY(view->isScanPaused());
    // ... and a small source after it undoes that automatic pause.
    MemoryByteSource small(QByteArray(4096, 's'));
    view->setSource(&small);
    QVERIFY(!view->isScanPaused());
    // A pause the user chose stays.
    view->setScanPaused(true);
    view->setSource(&sparse);
    QVERIFY(view->isScanPaused());
    view->setSource(nullptr);
}

void TestChangeScanner::scanOfASparseMappingAllocatesNothing()
{
    // A 4 GiB posix: object made the way other programs make them (ftruncate only: all holes) with
    // two pages of data, shown in a HexView: the scan starts by itself, finds a change made by another
    // view, and never makes the kernel back a hole (the object's allocated size stays two pages, then
    // three after the change into a hole).
    const quint64 size = quint64(4) << 30;
    const std::string name = "/shmscope-test-" + std::to_string(QCoreApplication::applicationPid()) + "-sparse";
    const int fd = ::shm_open(name.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600);
    QVERIFY(fd >= 0);
    const auto cleanup = qScopeGuard([&] {
        ::close(fd);
        ::shm_unlink(name.c_str());
    });
    QCOMPARE(::ftruncate(fd, off_t(size)), 0);
    const auto allocated = [fd] {
        struct stat info = {};
        return ::fstat(fd, &info) == 0 ? quint64(info.st_blocks) * 512 : ~quint64(0);
    };
    Address address;
    address.kind = Kind::Posix;
    address.name = name;
    Result<std::unique_ptr<Mapping>> writer = attachMapping(address, Access::ReadWrite);
    QVERIFY(writer.ok());
    QVERIFY((*writer)->write(0, "head", 4).ok());
    QVERIFY((*writer)->write(size / 2, "middle", 6).ok());
    const quint64 page = quint64(::sysconf(_SC_PAGESIZE));
    QCOMPARE(allocated(), 2 * page);

    Result<std::unique_ptr<Mapping>> viewed = attachMapping(address, Access::ReadWrite);
    QVERIFY(viewed.ok());
    MappingByteSource source(std::move(*viewed));
    auto view = makeView(&source);
    QVERIFY(!view->isScanPaused());
    ChangeScanner* scanner = view->changesOverview()->scanner();
    scanner->setPassInterval(0);
    QSignalSpy found(scanner, &ChangeScanner::changesFound);
    QSignalSpy passes(scanner, &ChangeScanner::passFinished);
    QTRY_VERIFY_WITH_TIMEOUT(passes.count() >= 2, 20000);
    QCOMPARE(allocated(), 2 * page);

    QVERIFY((*writer)->write(size / 4 + 100, "new", 3).ok()); // into a hole
    QVERIFY((*writer)->write(size / 2 + 1, "M", 1).ok()); // into data
    const quint64 block = scanner->blockSize();
    QTRY_VERIFY_WITH_TIMEOUT(
        changedBlocks(found, block) == (std::set<quint64> { (size / 4 + 100) / block, size / 2 / block }), 20000);
    QVERIFY(view->changesOverview()->isMarked(size / 4 + 100));
    QCOMPARE(allocated(), 3 * page);
    view->setSource(nullptr);
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
