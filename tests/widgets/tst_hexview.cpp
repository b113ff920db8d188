// Tests of HexView driven like a user: QTest key and mouse events on a shown (offscreen) view over a
// MemoryByteSource, which records what the view reads and can change bytes behind its back, and over
// real POSIX shared memory (MappingByteSource) that separate processes (shmscope-cli,
// shmscope-testpeer) write and read: undo across another process's write, and a 64 GiB sparse
// object navigated end to end.
#include "core/mapping.h"
#include "tests/widgets/slowreadsource.h"
#include "widgets/gotooffset.h"
#include "widgets/hexview.h"
#include "widgets/mappingbytesource.h"
#include "widgets/memorybytesource.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QMenu>
#include <QMimeData>
#include <QPaintEvent>
#include <QProcess>
#include <QScopeGuard>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QUndoStack>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <string>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

#ifndef SHMSCOPE_TESTPEER
#error "SHMSCOPE_TESTPEER must name the shmscope-testpeer executable"
#endif
#ifndef SHMSCOPE_CLI_PATH
#error "SHMSCOPE_CLI_PATH must name the shmscope-cli executable"
#endif

using namespace shmscope;

namespace {

constexpr quint64 k64GiB = quint64(64) << 30;

QByteArray bytes(std::initializer_list<int> values)
{
    QByteArray out;
    for (int v : values)
        out.append(char(v));
    return out;
}

// QTest::keyClicks() takes Latin-1 only; this sends any characters as key events with that text.
void typeUnicode(QWidget* widget, const QString& text)
{
    for (const QChar ch : text)
        QTest::sendKeyEvent(QTest::Click, widget, Qt::Key_unknown, QString(ch), Qt::NoModifier);
}

// Records the regions of the paint events a widget receives.
class PaintRecorder : public QObject
{
public:
    explicit PaintRecorder(QWidget* widget) { widget->installEventFilter(this); }
    QList<QRegion> regions;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == QEvent::Paint)
            regions.append(static_cast<QPaintEvent*>(event)->region());
        return QObject::eventFilter(watched, event);
    }
};

// Pixels of `image` (a render of the viewport) inside `rect` (logical coordinates).
QImage cellImage(const QImage& image, const QRect& rect)
{
    const qreal dpr = image.devicePixelRatio();
    return image.copy(QRect((rect.topLeft() * dpr), rect.size() * dpr));
}

// The resident set of this process in KiB (VmRSS of /proc/self/status), -1 when unknown.
qint64 residentKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

// Runs `program` with `args` to the end (10 s at most); its standard output, or an empty array and a
// warning when it failed.
QByteArray runProcess(const QString& program, const QStringList& args)
{
    QProcess process;
    process.start(program, args);
    if (!process.waitForFinished(10000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        qWarning("%s %s: %s", qPrintable(program), qPrintable(args.join(QLatin1Char(' '))),
                 process.readAllStandardError().constData());
        return {};
    }
    return process.readAllStandardOutput();
}

qint64 area(const QRegion& region)
{
    qint64 sum = 0;
    for (const QRect& r : region)
        sum += qint64(r.width()) * r.height();
    return sum;
}

} // namespace

class TestHexView : public QObject
{
    Q_OBJECT

private:
    int m_counter = 0;
    std::vector<Address> m_created; // shared-memory objects to remove in cleanup()

    // posix:/shmscope-test-<pid>-<n>, removed in cleanup().
    Address newPosixAddress()
    {
        Address address;
        address.kind = Kind::Posix;
        address.name = "/shmscope-test-" + std::to_string(QCoreApplication::applicationPid()) + "-"
            + std::to_string(m_counter++);
        m_created.push_back(address);
        return address;
    }

    // A shown, focused view over `source`, about 30 rows high.
    // scanPaused: the changes overview's scanner reads the whole source by design (in a worker thread);
    // tests that prove the view itself reads only visible rows start it paused so it reads nothing.
    std::unique_ptr<HexView> makeView(ByteSource* source, bool scanPaused = false)
    {
        auto view = std::make_unique<HexView>();
        view->resize(760, 520);
        view->setScanPaused(scanPaused);
        view->setSource(source);
        view->show();
        view->activateWindow();
        view->setFocus();
        if (!QTest::qWaitForWindowExposed(view.get()))
            qWarning("window not exposed");
        return view;
    }

private Q_SLOTS:
    void cleanup();
    void typingHexDigitsWritesNibbles_data();
    void typingHexDigitsWritesNibbles();
    void typingAsciiWritesBytes();
    void invalidCharactersAreRefused();
    void cursorKeys_data();
    void cursorKeys();
    void pageKeysScrollWithTheCursor();
    void tabSwitchesPane();
    void mouseClickPlacesCursor();
    void hugeSourceNavigation();
    void scaledScrollBarStepsByRows();
    void onlyVisibleRowsAreRead();
    void readOnlyRefusesTyping();
    void externalChangeIsHighlightedAndFades();
    void notificationRereadsAtOnce();
    void pollRateInHertz();
    void ownWritesAreMarkedDifferently();
    void shrinkingSourceDoesNotCrash();
    void offsetColumnWidensPast4GiB();
    void changedBytesRepaintOnlyTheirCells();
    void cellsShowTheirBytes();
    void paintsAtDevicePixelRatio2();
    void shiftKeysSelect_data();
    void shiftKeysSelect();
    void plainKeysAndEscapeClearTheSelection();
    void mouseDragSelects();
    void copyFormats_data();
    void copyFormats();
    void ctrlCAndContextMenuCopy();
    void copyRefusesHugeAndEmptySelections();
    void parseHex_data();
    void parseHex();
    void pasteHexAndText();
    void pasteIsRefusedWithoutChange();
    void typedRunIsOneUndoStep();
    void pasteAndEditBytesAreUndoSteps();
    void noArtificialUndoLimit();
    void undoAsksBeforeOverwritingOthersBytes_data();
    void undoAsksBeforeOverwritingOthersBytes();
    void redoChecksToo();
    void undoAcrossAnotherProcessesWrite_data();
    void undoAcrossAnotherProcessesWrite();
    void sparse64GiBMappingEndToEnd();
    void undoStackClearedWithNewSource();
    void sourceDestroyedWhileTheScannerReadsIt();
    void bytesPerRowAndGrouping_data();
    void bytesPerRowAndGrouping();
    void changingBytesPerRowKeepsThePlace();
};

void TestHexView::cleanup()
{
    for (const Address& address : m_created)
        (void)removeObject(address); // NotFound when the test never created it
    m_created.clear();
}

void TestHexView::typingHexDigitsWritesNibbles_data()
{
    QTest::addColumn<int>("before");
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QByteArray>("after"); // bytes at the cursor's start offset and the next one
    QTest::addColumn<quint64>("cursorAdvance");
    QTest::addColumn<int>("nibble");

    QTest::newRow("two digits make one byte")
        << 0x00 << QStringLiteral("a5") << bytes({ 0xa5, 0x00 }) << quint64(1) << 0;
    QTest::newRow("high nibble keeps the low one")
        << 0x0f << QStringLiteral("c") << bytes({ 0xcf, 0x00 }) << quint64(0) << 1;
    QTest::newRow("upper-case digits") << 0x00 << QStringLiteral("BEEF") << bytes({ 0xbe, 0xef }) << quint64(2) << 0;
    QTest::newRow("three digits start the next byte")
        << 0x11 << QStringLiteral("7e9") << bytes({ 0x7e, 0x90 }) << quint64(1) << 1;
}

void TestHexView::typingHexDigitsWritesNibbles()
{
    QFETCH(int, before);
    QFETCH(QString, typed);
    QFETCH(QByteArray, after);
    QFETCH(quint64, cursorAdvance);
    QFETCH(int, nibble);

    MemoryByteSource source(quint64(256));
    source.modifyExternally(0x10, QByteArray(1, char(before)));
    auto view = makeView(&source);
    QSignalSpy written(&source, &ByteSource::bytesWritten);
    view->setCursorOffset(0x10);

    QTest::keyClicks(view.get(), typed);

    QCOMPARE(source.peek(0x10, 2), after);
    QCOMPARE(view->cursorOffset(), 0x10 + cursorAdvance);
    QCOMPARE(view->cursorNibble(), nibble);
    // Each nibble is written at once, one byte per write.
    QCOMPARE(written.count(), typed.size());
    for (const QList<QVariant>& call : written)
        QCOMPARE(call.at(1).toULongLong(), 1u);
    QCOMPARE(source.peek(0x0f, 1), QByteArray(1, '\0')); // nothing else touched
}

void TestHexView::typingAsciiWritesBytes()
{
    MemoryByteSource source(quint64(64));
    auto view = makeView(&source);
    view->setCursorOffset(5);
    view->setCursorPane(HexView::Pane::Ascii);

    QTest::keyClicks(view.get(), QStringLiteral("Hi!"));

    QCOMPARE(source.peek(4, 5), QByteArray("\0Hi!\0", 5));
    QCOMPARE(view->cursorOffset(), 8u);
}

void TestHexView::invalidCharactersAreRefused()
{
    MemoryByteSource source(quint64(64));
    auto view = makeView(&source);
    QSignalSpy refused(view.get(), &HexView::editRefused);
    QSignalSpy written(&source, &ByteSource::bytesWritten);
    view->setCursorOffset(3);

    QTest::keyClicks(view.get(), QStringLiteral("g"));
    QCOMPARE(refused.count(), 1);
    QVERIFY(!refused.at(0).at(0).toString().isEmpty());

    view->setCursorPane(HexView::Pane::Ascii);
    QTest::keyClick(view.get(), Qt::Key_F5); // no text: ignored, no message
    typeUnicode(view.get(), QStringLiteral("é"));
    QCOMPARE(refused.count(), 2);

    QCOMPARE(written.count(), 0);
    QCOMPARE(source.peek(0, 64), QByteArray(64, '\0'));
    QCOMPARE(view->cursorOffset(), 3u);
}

void TestHexView::cursorKeys_data()
{
    QTest::addColumn<quint64>("start");
    QTest::addColumn<int>("key");
    QTest::addColumn<int>("modifiers");
    QTest::addColumn<quint64>("expected");

    // 1000 bytes: rows 0..62, the last row (offset 992) holds 8 bytes, the last byte is 999.
    const int none = Qt::NoModifier;
    const int ctrl = Qt::ControlModifier;
    QTest::newRow("right") << quint64(0) << int(Qt::Key_Right) << none << quint64(1);
    QTest::newRow("right stops at the last byte") << quint64(999) << int(Qt::Key_Right) << none << quint64(999);
    QTest::newRow("left") << quint64(17) << int(Qt::Key_Left) << none << quint64(16);
    QTest::newRow("left stops at 0") << quint64(0) << int(Qt::Key_Left) << none << quint64(0);
    QTest::newRow("down") << quint64(5) << int(Qt::Key_Down) << none << quint64(21);
    QTest::newRow("down into the short last row") << quint64(991) << int(Qt::Key_Down) << none << quint64(999);
    QTest::newRow("down on the last row stays") << quint64(995) << int(Qt::Key_Down) << none << quint64(995);
    QTest::newRow("up") << quint64(21) << int(Qt::Key_Up) << none << quint64(5);
    QTest::newRow("up on the first row stays") << quint64(5) << int(Qt::Key_Up) << none << quint64(5);
    QTest::newRow("home") << quint64(37) << int(Qt::Key_Home) << none << quint64(32);
    QTest::newRow("end") << quint64(37) << int(Qt::Key_End) << none << quint64(47);
    QTest::newRow("end of the short last row") << quint64(993) << int(Qt::Key_End) << none << quint64(999);
    QTest::newRow("ctrl+home") << quint64(500) << int(Qt::Key_Home) << ctrl << quint64(0);
    QTest::newRow("ctrl+end") << quint64(5) << int(Qt::Key_End) << ctrl << quint64(999);
}

void TestHexView::cursorKeys()
{
    QFETCH(quint64, start);
    QFETCH(int, key);
    QFETCH(int, modifiers);
    QFETCH(quint64, expected);

    MemoryByteSource source(quint64(1000));
    auto view = makeView(&source);
    view->setCursorOffset(start);
    QCOMPARE(view->cursorOffset(), start);
    QSignalSpy moved(view.get(), &HexView::cursorMoved);

    QTest::keyClick(view.get(), Qt::Key(key), Qt::KeyboardModifiers(modifiers));

    QCOMPARE(view->cursorOffset(), expected);
    QCOMPARE(moved.count(), expected == start ? 0 : 1);
    if (expected != start)
        QCOMPARE(moved.at(0).at(0).toULongLong(), expected);
    // The cursor's row is always on screen.
    const quint64 row = expected / HexView::kBytesPerRow;
    QVERIFY(row >= view->firstVisibleRow());
    QVERIFY(row < view->firstVisibleRow() + quint64(view->visibleRowCount()));
}

void TestHexView::pageKeysScrollWithTheCursor()
{
    MemoryByteSource source(quint64(64 * 1024));
    auto view = makeView(&source);
    QVERIFY(view->visibleRowCount() > 3);

    QTest::keyClick(view.get(), Qt::Key_PageDown);
    // The page and the cursor moved by the same number of rows, so the cursor keeps its screen row.
    QVERIFY(view->firstVisibleRow() > 0);
    QCOMPARE(view->cursorOffset(), view->firstVisibleRow() * HexView::kBytesPerRow);
    QVERIFY(view->firstVisibleRow() < quint64(view->visibleRowCount())); // at most one page

    QTest::keyClick(view.get(), Qt::Key_PageUp);
    QCOMPARE(view->firstVisibleRow(), 0u);
    QCOMPARE(view->cursorOffset(), 0u);

    // PgDn at the end lands on the last row, same column or the last byte.
    view->setCursorOffset(source.size() - 20); // column 12 of the second-to-last row
    QTest::keyClick(view.get(), Qt::Key_PageDown);
    QCOMPARE(view->cursorOffset(), source.size() - 4);
    QTest::keyClick(view.get(), Qt::Key_PageDown);
    QCOMPARE(view->cursorOffset(), source.size() - 4);
}

void TestHexView::tabSwitchesPane()
{
    MemoryByteSource source(quint64(64));
    auto view = makeView(&source);
    QCOMPARE(view->cursorPane(), HexView::Pane::Hex);
    QTest::keyClick(view.get(), Qt::Key_Tab);
    QCOMPARE(view->cursorPane(), HexView::Pane::Ascii);
    QVERIFY(view->hasFocus()); // Tab did not move the focus away
    QTest::keyClick(view.get(), Qt::Key_Backtab, Qt::ShiftModifier);
    QCOMPARE(view->cursorPane(), HexView::Pane::Hex);
}

void TestHexView::mouseClickPlacesCursor()
{
    MemoryByteSource source(quint64(4096));
    auto view = makeView(&source);

    const QRect hexCell = view->cellRect(0x25, HexView::Pane::Hex);
    QVERIFY(!hexCell.isNull());
    // The left digit is the high nibble, the right digit the low one.
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                      QPoint(hexCell.left() + hexCell.width() / 4, hexCell.center().y()));
    QCOMPARE(view->cursorOffset(), 0x25u);
    QCOMPARE(view->cursorPane(), HexView::Pane::Hex);
    QCOMPARE(view->cursorNibble(), 0);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                      QPoint(hexCell.right() - hexCell.width() / 4, hexCell.center().y()));
    QCOMPARE(view->cursorNibble(), 1);
    QTest::keyClicks(view.get(), QStringLiteral("7"));
    QCOMPARE(source.peek(0x25, 1), QByteArray(1, char(0x07)));

    // A byte right after the gap between bytes 8 and 9 of a row.
    const QRect afterGap = view->cellRect(0x48, HexView::Pane::Hex);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, afterGap.center() - QPoint(afterGap.width() / 4, 0));
    QCOMPARE(view->cursorOffset(), 0x48u);

    const QRect asciiCell = view->cellRect(0x3a, HexView::Pane::Ascii);
    QVERIFY(!asciiCell.isNull());
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, asciiCell.center());
    QCOMPARE(view->cursorOffset(), 0x3au);
    QCOMPARE(view->cursorPane(), HexView::Pane::Ascii);
    QTest::keyClicks(view.get(), QStringLiteral("Z"));
    QCOMPARE(source.peek(0x3a, 1), QByteArray("Z"));
}

void TestHexView::hugeSourceNavigation()
{
    // 64 GiB reported, a few pages stored: rows exceed an int (2^32 rows), so the scrollbar is scaled.
    MemoryByteSource source(k64GiB);
    source.modifyExternally(k64GiB - 1, QByteArray(1, char(0xab)));
    auto view = makeView(&source, /*scanPaused=*/true);
    QScrollBar* bar = view->verticalScrollBar();
    QCOMPARE(view->rowCount(), k64GiB / 16);

    QTest::keyClick(view.get(), Qt::Key_End, Qt::ControlModifier);
    QCOMPARE(view->cursorOffset(), k64GiB - 1);
    QCOMPARE(bar->value(), bar->maximum());
    const quint64 lastRow = view->rowCount() - 1;
    QVERIFY(lastRow >= view->firstVisibleRow());
    QVERIFY(lastRow < view->firstVisibleRow() + quint64(view->visibleRowCount()));

    // Typing at the last byte writes the last byte.
    QTest::keyClicks(view.get(), QStringLiteral("5"));
    QCOMPARE(source.peek(k64GiB - 1, 1), QByteArray(1, char(0x5b)));

    QTest::keyClick(view.get(), Qt::Key_Home, Qt::ControlModifier);
    QCOMPARE(view->cursorOffset(), 0u);
    QCOMPARE(view->firstVisibleRow(), 0u);
    QCOMPARE(bar->value(), 0);

    // Dragging the scrollbar to the end shows the last row; to the middle, the middle.
    bar->setValue(bar->maximum());
    QVERIFY(lastRow < view->firstVisibleRow() + quint64(view->visibleRowCount()));
    bar->setValue(bar->maximum() / 2);
    const qint64 middle = qint64(view->rowCount() / 2);
    QVERIFY(qAbs(qint64(view->firstVisibleRow()) - middle) < middle / 100);

    // Going to an offset past 32 GiB (beyond an int row) lands exactly.
    const quint64 target = (quint64(48) << 30) + 0x1234567;
    view->setCursorOffset(target);
    QCOMPARE(view->cursorOffset(), target);
    QVERIFY(target / 16 >= view->firstVisibleRow());
    QVERIFY(target / 16 < view->firstVisibleRow() + quint64(view->visibleRowCount()));
    QCOMPARE(view->cellRect(target, HexView::Pane::Hex).isNull(), false);

    // The view never copies the source: only visible rows were read, a few KiB in all.
    QVERIFY2(source.bytesReadTotal() < 1024 * 1024, qPrintable(QString::number(source.bytesReadTotal())));
    QVERIFY(source.allocatedBytes() <= 2 * 4096);
    QVERIFY(view->grab().isNull() == false);
}

void TestHexView::scaledScrollBarStepsByRows()
{
    MemoryByteSource source(k64GiB);
    auto view = makeView(&source);
    QScrollBar* bar = view->verticalScrollBar();
    bar->setValue(bar->maximum() / 3);
    const quint64 top = view->firstVisibleRow();

    // One click on the scrollbar's arrow is one row, also when one scrollbar unit is several rows.
    bar->triggerAction(QAbstractSlider::SliderSingleStepAdd);
    QCOMPARE(view->firstVisibleRow(), top + 1);
    bar->triggerAction(QAbstractSlider::SliderSingleStepSub);
    QCOMPARE(view->firstVisibleRow(), top);
    bar->triggerAction(QAbstractSlider::SliderPageStepAdd);
    QVERIFY(view->firstVisibleRow() > top + 1);
    QVERIFY(view->firstVisibleRow() <= top + quint64(view->visibleRowCount()));

    // The mouse wheel scrolls rows, not scrollbar units.
    const quint64 before = view->firstVisibleRow();
    QWheelEvent wheel(QPointF(50, 50), view->mapToGlobal(QPointF(50, 50)), QPoint(), QPoint(0, -120), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(view->viewport(), &wheel);
    QVERIFY(view->firstVisibleRow() > before);
    QVERIFY(view->firstVisibleRow() <= before + 10);
}

void TestHexView::onlyVisibleRowsAreRead()
{
    MemoryByteSource source(quint64(1024 * 1024));
    auto view = makeView(&source, /*scanPaused=*/true);
    view->setPollInterval(10);

    for (const quint64 row : { quint64(0), quint64(1000), quint64(65536 - 5) }) {
        view->scrollToRow(row);
        source.clearReadLog();
        view->viewport()->repaint();
        QTRY_VERIFY(source.readLog().size() >= 3); // a few polls happened
        const quint64 first = view->firstVisibleRow();
        const quint64 lowest = (first > HexView::kPollMarginRows ? first - HexView::kPollMarginRows : 0) * 16;
        const quint64 highest = (first + quint64(view->visibleRowCount()) + HexView::kPollMarginRows) * 16;
        for (const MemoryByteSource::ReadRange& r : source.readLog()) {
            QVERIFY2(r.offset >= lowest && r.offset + r.length <= highest,
                     qPrintable(QStringLiteral("read %1+%2 outside rows %3..%4")
                                    .arg(r.offset)
                                    .arg(r.length)
                                    .arg(lowest)
                                    .arg(highest)));
        }
    }
}

void TestHexView::readOnlyRefusesTyping()
{
    MemoryByteSource source(QByteArray(32, char(0x11)));
    source.setWritable(false);
    auto view = makeView(&source);
    QSignalSpy refused(view.get(), &HexView::editRefused);
    view->setCursorOffset(4);

    QTest::keyClicks(view.get(), QStringLiteral("ff"));
    QCOMPARE(refused.count(), 2);
    QVERIFY(!refused.at(0).at(0).toString().isEmpty());
    view->setCursorPane(HexView::Pane::Ascii);
    QTest::keyClicks(view.get(), QStringLiteral("x"));
    QCOMPARE(refused.count(), 3);

    QCOMPARE(source.peek(0, 32), QByteArray(32, char(0x11)));
    QCOMPARE(view->cursorOffset(), 4u);
    QVERIFY(!view->isHighlighted(4));
}

void TestHexView::externalChangeIsHighlightedAndFades()
{
    MemoryByteSource source(quint64(4096));
    auto view = makeView(&source);
    view->setPollInterval(20);
    QTest::qWait(50);
    QCOMPARE(view->highlightCount(), 0);

    source.modifyExternally(0x40, bytes({ 0x11, 0x22 })); // no signal: only polling can see it
    QTRY_VERIFY_WITH_TIMEOUT(view->isHighlighted(0x40), 5000);
    QElapsedTimer sinceSeen;
    sinceSeen.start();
    QCOMPARE(view->highlightKind(0x40), HexView::HighlightKind::External);
    QCOMPARE(view->highlightKind(0x41), HexView::HighlightKind::External);
    QCOMPARE(view->highlightKind(0x42), HexView::HighlightKind::None);
    QCOMPARE(view->highlightKind(0x3f), HexView::HighlightKind::None);
    QVERIFY(!view->grab().isNull()); // paints the fading highlight

    QTRY_VERIFY_WITH_TIMEOUT(!view->isHighlighted(0x40), 5000);
    // It faded, and not before most of highlightDuration() had passed (a lower bound: a slow machine
    // only makes it later).
    QVERIFY2(sinceSeen.elapsed() >= view->highlightDuration() / 2, qPrintable(QString::number(sinceSeen.elapsed())));
    QTRY_COMPARE_WITH_TIMEOUT(view->highlightCount(), 0, 5000);
}

void TestHexView::pollRateInHertz()
{
    MemoryByteSource source(quint64(4096));
    auto view = makeView(&source);
    QCOMPARE(view->pollRate(), HexView::kDefaultPollRate);
    QCOMPARE(view->pollRate(), 10);
    QCOMPARE(view->pollInterval(), 100);
    view->setPollRate(60);
    QCOMPARE(view->pollRate(), 60);
    QCOMPARE(view->pollInterval(), 17);
    view->setPollRate(1000); // clamped to the maximum
    QCOMPARE(view->pollRate(), HexView::kMaxPollRate);
    view->setPollRate(0);
    QCOMPARE(view->pollRate(), 0);
    QCOMPARE(view->pollInterval(), 0);
    view->setPollInterval(50);
    QCOMPARE(view->pollRate(), 20);

    // The menu shows the rate and sets it.
    std::unique_ptr<QMenu> menu(view->createPollRateMenu());
    auto* twenty = menu->findChild<QAction*>(QStringLiteral("pollRate20"));
    auto* thirty = menu->findChild<QAction*>(QStringLiteral("pollRate30"));
    QVERIFY(twenty && thirty);
    QVERIFY(twenty->isChecked());
    QVERIFY(!thirty->isChecked());
    thirty->trigger();
    QCOMPARE(view->pollRate(), 30);
    QCOMPARE(view->pollInterval(), 33);
    QVERIFY(thirty->isChecked());
    QVERIFY(!twenty->isChecked());

    // At 30 Hz a writer that does not notify is seen by polling.
    source.modifyExternally(0x20, bytes({ 0x99 }));
    QTRY_VERIFY_WITH_TIMEOUT(view->isHighlighted(0x20), 5000);
}

void TestHexView::notificationRereadsAtOnce()
{
    MemoryByteSource source(quint64(4096));
    auto view = makeView(&source);
    view->setPollInterval(0); // no polling: only the notification can reveal the change

    source.modifyExternally(0x80, bytes({ 0x42 }));
    QTest::qWait(150);
    QVERIFY(!view->isHighlighted(0x80));

    source.announceExternalChange(0x80, 1);
    QCOMPARE(view->highlightKind(0x80), HexView::HighlightKind::External); // at once, no event loop needed

    // A range far past the end is harmless.
    source.announceExternalChange(~quint64(0) - 4, 100);
}

void TestHexView::ownWritesAreMarkedDifferently()
{
    MemoryByteSource source(quint64(4096));
    auto view = makeView(&source);
    view->setPollInterval(20);
    view->setHighlightDuration(60000); // no fading during the test, however slow the machine
    view->setCursorOffset(0x20);
    QTest::keyClicks(view.get(), QStringLiteral("0"));
    // Typing "0" over 0x00 does not change the value; the write is still shown as ours.
    QCOMPARE(view->highlightKind(0x20), HexView::HighlightKind::Own);

    source.modifyExternally(0x30, bytes({ 0x99 }));
    QTRY_VERIFY_WITH_TIMEOUT(view->isHighlighted(0x30), 5000);
    QCOMPARE(view->highlightKind(0x30), HexView::HighlightKind::External);
    QCOMPARE(view->highlightKind(0x20), HexView::HighlightKind::Own);

    // Another view of this process writing through the same source (a TextView) counts as ours too,
    // and the next poll does not report it again as someone else's.
    QVERIFY(source.write(0x50, QByteArray("abc")));
    QCOMPARE(view->highlightKind(0x51), HexView::HighlightKind::Own);
    QTest::qWait(100);
    QCOMPARE(view->highlightKind(0x51), HexView::HighlightKind::Own);

    // The two kinds are painted in different colours, both different from an unchanged byte. Sample the
    // band left of each cell (half a space wide, no glyph there).
    view->setCursorOffset(0x100); // keep the cursor's colours out of the way
    const QImage image = view->viewport()->grab().toImage();
    const auto background = [&](quint64 offset) {
        const QRect cell = view->cellRect(offset, HexView::Pane::Hex);
        return image.pixelColor(QPoint(cell.left() - 2, cell.center().y()) * image.devicePixelRatio());
    };
    const QColor own = background(0x51);
    const QColor external = background(0x30);
    const QColor plain = background(0x38);
    QVERIFY2(own != external, qPrintable(own.name() + QLatin1Char(' ') + external.name()));
    QVERIFY2(own != plain, qPrintable(own.name()));
    QVERIFY2(external != plain, qPrintable(external.name()));
    QCOMPARE(plain, view->palette().color(QPalette::Base));
}

void TestHexView::shrinkingSourceDoesNotCrash()
{
    MemoryByteSource source(QByteArray(4096, 'A'));
    auto view = makeView(&source);
    view->setPollInterval(0);
    view->setCursorOffset(4000);
    QSignalSpy moved(view.get(), &HexView::cursorMoved);

    // Another process truncates: reads past 1000 fail before anyone notices the new size.
    view->scrollToRow(60);
    source.resizeExternally(1000);
    source.announceExternalChange(0, 4096); // forces a re-read of the visible rows
    QVERIFY(!view->grab().isNull()); // "??" for what cannot be read, no crash
    QCOMPARE(view->cursorOffset(), 4000u);

    view->setPollInterval(10); // the poll calls refresh(): the size change is seen
    QTRY_COMPARE_WITH_TIMEOUT(view->rowCount(), quint64((1000 + 15) / 16), 5000);
    QCOMPARE(view->cursorOffset(), 999u);
    QVERIFY(moved.count() >= 1);
    QCOMPARE(moved.last().at(0).toULongLong(), 999u);
    QVERIFY(view->firstVisibleRow() + quint64(view->visibleRowCount()) >= view->rowCount());
    QVERIFY(!view->grab().isNull());

    source.resize(0);
    QCOMPARE(view->rowCount(), 0u);
    QCOMPARE(view->cursorOffset(), 0u);
    QVERIFY(!view->grab().isNull());
    QSignalSpy refused(view.get(), &HexView::editRefused);
    QTest::keyClicks(view.get(), QStringLiteral("1"));
    QCOMPARE(refused.count(), 1);
    QTest::keyClick(view.get(), Qt::Key_End, Qt::ControlModifier);
    QCOMPARE(view->cursorOffset(), 0u);

    source.resize(64); // grows again
    QCOMPARE(view->rowCount(), 4u);
    QTest::keyClick(view.get(), Qt::Key_End, Qt::ControlModifier);
    QCOMPARE(view->cursorOffset(), 63u);
}

void TestHexView::offsetColumnWidensPast4GiB()
{
    // The hex pane moves right when offsets need 16 digits instead of 8.
    MemoryByteSource small(quint64(4) << 30); // exactly 4 GiB: offsets fit in 8 digits
    MemoryByteSource large((quint64(4) << 30) + 1);
    auto view = makeView(&small);
    const int narrow = view->cellRect(0, HexView::Pane::Hex).left();
    view->setSource(&large);
    const int wide = view->cellRect(0, HexView::Pane::Hex).left();
    QVERIFY2(wide > narrow, qPrintable(QStringLiteral("%1 vs %2").arg(wide).arg(narrow)));
    view->setSource(nullptr);
}

void TestHexView::changedBytesRepaintOnlyTheirCells()
{
    MemoryByteSource source(quint64(4096));
    auto view = makeView(&source);
    view->setPollInterval(0);
    view->setHighlightDuration(60000); // no fade ticks during the test
    QTest::qWait(20);
    PaintRecorder recorder(view->viewport());

    // Two bytes changed behind the view's back on one row: the next poll repaints their cells, not the row.
    source.modifyExternally(0x45, bytes({ 0x11 }));
    source.modifyExternally(0x4a, bytes({ 0x22 }));
    view->pollNow();
    QTRY_VERIFY_WITH_TIMEOUT(!recorder.regions.isEmpty(), 5000);
    QRegion painted;
    for (const QRegion& r : std::as_const(recorder.regions))
        painted += r;
    for (quint64 offset : { quint64(0x45), quint64(0x4a) }) {
        QVERIFY(painted.contains(view->cellRect(offset, HexView::Pane::Hex)));
        QVERIFY(painted.contains(view->cellRect(offset, HexView::Pane::Ascii)));
    }
    QVERIFY(!painted.intersects(view->cellRect(0x48, HexView::Pane::Hex))); // between the two
    QVERIFY(!painted.intersects(view->cellRect(0x44 - 16, HexView::Pane::Hex))); // the row above
    const qint64 rowArea = qint64(view->viewport()->width()) * view->cellRect(0, HexView::Pane::Hex).height();
    QVERIFY2(area(painted) < rowArea / 3, qPrintable(QStringLiteral("%1 of %2").arg(area(painted)).arg(rowArea)));
}

void TestHexView::cellsShowTheirBytes()
{
    // The pre-rendered glyphs must put each byte's text in its own cell: equal bytes look the same
    // wherever they are, different bytes differently, and a cell repainted after a change shows the new byte.
    QByteArray data(256, '\0');
    for (int i = 0; i < 256; ++i)
        data[i] = char(i);
    MemoryByteSource source(data);
    auto view = makeView(&source);
    view->setPollInterval(0);
    view->setCursorOffset(255);
    const auto render = [&] {
        QImage image(view->viewport()->size(), QImage::Format_ARGB32_Premultiplied);
        view->viewport()->render(&image);
        return image;
    };
    QImage image = render();
    const auto hex = [&](quint64 offset) { return cellImage(image, view->cellRect(offset, HexView::Pane::Hex)); };
    const auto ascii = [&](quint64 offset) { return cellImage(image, view->cellRect(offset, HexView::Pane::Ascii)); };
    QVERIFY(hex(0x41) != hex(0x42));
    QVERIFY(hex(0x41) != hex(0x14)); // digits in the other order
    QVERIFY(ascii(0x41) != ascii(0x42));
    QVERIFY(ascii(0x01) == ascii(0x02)); // both non-printable: the same dim '.'
    QVERIFY(ascii(0x2e) != ascii(0x01)); // a real '.' is not dim

    source.modifyExternally(0x42, bytes({ 0x41 }));
    view->setHighlightDuration(1);
    view->pollNow();
    QTest::qWait(20);
    image = render();
    QCOMPARE(hex(0x42), hex(0x41));
    QCOMPARE(ascii(0x42), ascii(0x41));
}

void TestHexView::paintsAtDevicePixelRatio2()
{
    // Rendered at device pixel ratio 2, the text is drawn at that resolution, not scaled up from 1x:
    // the 2x image of a cell then differs from the 1x image blown up pixel by pixel.
    MemoryByteSource source(QByteArray("ShmScope ShmScope"));
    auto view = makeView(&source);
    view->setPollInterval(0);
    view->setCursorOffset(16);
    const QRect cell = view->cellRect(1, HexView::Pane::Hex);
    QImage one(view->viewport()->size(), QImage::Format_ARGB32_Premultiplied);
    view->viewport()->render(&one);
    QImage two(view->viewport()->size() * 2, QImage::Format_ARGB32_Premultiplied);
    two.setDevicePixelRatio(2);
    view->viewport()->render(&two);
    const QImage cell1 = cellImage(one, cell);
    const QImage cell2 = cellImage(two, cell);
    QCOMPARE(cell2.size(), cell1.size() * 2);
    const QImage blownUp = cell1.scaled(cell1.size() * 2, Qt::IgnoreAspectRatio, Qt::FastTransformation);
    int different = 0;
    for (int y = 0; y < cell2.height(); ++y)
        for (int x = 0; x < cell2.width(); ++x)
            different += cell2.pixel(x, y) != blownUp.pixel(x, y) ? 1 : 0;
    QVERIFY2(different > cell2.width() * cell2.height() / 50, qPrintable(QString::number(different)));
    // ...and equal bytes in different columns look the same at 2x too (cells on whole pixels).
    QVERIFY(cellImage(two, view->cellRect(1, HexView::Pane::Hex))
            == cellImage(two, view->cellRect(10, HexView::Pane::Hex)));
}

void TestHexView::shiftKeysSelect_data()
{
    QTest::addColumn<int>("key");
    QTest::addColumn<int>("modifiers");
    QTest::addColumn<int>("presses");
    QTest::addColumn<quint64>("start");
    QTest::addColumn<quint64>("length");
    const int shift = int(Qt::ShiftModifier);
    const int ctrlShift = int(Qt::ShiftModifier | Qt::ControlModifier);
    // The cursor starts at 0x125 of 0x1000 bytes; the selection includes the anchor and the cursor.
    QTest::newRow("Shift+Right x3") << int(Qt::Key_Right) << shift << 3 << quint64(0x125) << quint64(4);
    QTest::newRow("Shift+Left x2") << int(Qt::Key_Left) << shift << 2 << quint64(0x123) << quint64(3);
    QTest::newRow("Shift+Down") << int(Qt::Key_Down) << shift << 1 << quint64(0x125) << quint64(17);
    QTest::newRow("Shift+Up x2") << int(Qt::Key_Up) << shift << 2 << quint64(0x105) << quint64(33);
    QTest::newRow("Shift+Home") << int(Qt::Key_Home) << shift << 1 << quint64(0x120) << quint64(6);
    QTest::newRow("Shift+End") << int(Qt::Key_End) << shift << 1 << quint64(0x125) << quint64(11);
    QTest::newRow("Ctrl+Shift+Home") << int(Qt::Key_Home) << ctrlShift << 1 << quint64(0) << quint64(0x126);
    QTest::newRow("Ctrl+Shift+End") << int(Qt::Key_End) << ctrlShift << 1 << quint64(0x125) << quint64(0x1000 - 0x125);
}

void TestHexView::shiftKeysSelect()
{
    QFETCH(int, key);
    QFETCH(int, modifiers);
    QFETCH(int, presses);
    QFETCH(quint64, start);
    QFETCH(quint64, length);
    MemoryByteSource source(quint64(0x1000));
    auto view = makeView(&source);
    view->setCursorOffset(0x125);
    QVERIFY(!view->hasSelection());
    QSignalSpy changed(view.get(), &HexView::selectionChanged);
    for (int i = 0; i < presses; ++i)
        QTest::keyClick(view.get(), Qt::Key(key), Qt::KeyboardModifiers(modifiers));
    QVERIFY(view->hasSelection());
    QCOMPARE(view->selectionStart(), start);
    QCOMPARE(view->selectionLength(), length);
    QVERIFY(view->isSelected(start));
    QVERIFY(view->isSelected(start + length - 1));
    QVERIFY(start == 0 || !view->isSelected(start - 1));
    QVERIFY(!view->isSelected(start + length));
    QVERIFY(changed.count() >= 1);
    QCOMPARE(changed.last().at(0).toULongLong(), start);
    QCOMPARE(changed.last().at(1).toULongLong(), length);
    QVERIFY(!view->grab().isNull()); // paints the selection
}

void TestHexView::plainKeysAndEscapeClearTheSelection()
{
    MemoryByteSource source(quint64(0x1000));
    auto view = makeView(&source);
    view->setCursorOffset(0x40);
    QTest::keyClick(view.get(), Qt::Key_PageDown, Qt::ShiftModifier);
    QVERIFY(view->hasSelection());
    QCOMPARE(view->selectionStart(), 0x40u);
    QCOMPARE(view->selectionLength(), view->cursorOffset() - 0x40 + 1);
    QVERIFY(view->selectionLength() > 16);
    QTest::keyClick(view.get(), Qt::Key_PageUp, Qt::ShiftModifier); // back over the anchor
    QCOMPARE(view->cursorOffset(), 0x40u);
    QCOMPARE(view->selectionLength(), 1u);

    QTest::keyClick(view.get(), Qt::Key_Right);
    QVERIFY(!view->hasSelection());
    QCOMPARE(view->selectionLength(), 0u);

    QTest::keyClick(view.get(), Qt::Key_A, Qt::ControlModifier);
    QCOMPARE(view->selectionStart(), 0u);
    QCOMPARE(view->selectionLength(), 0x1000u);
    QSignalSpy changed(view.get(), &HexView::selectionChanged);
    QTest::keyClick(view.get(), Qt::Key_Escape);
    QVERIFY(!view->hasSelection());
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(1).toULongLong(), 0u);

    // Typing with a selection overwrites at the cursor only and drops the selection.
    view->setSelection(0x10, 4);
    QCOMPARE(view->cursorOffset(), 0x13u);
    QTest::keyClicks(view.get(), QStringLiteral("ff"));
    QVERIFY(!view->hasSelection());
    QCOMPARE(source.peek(0x10, 5), QByteArray("\0\0\0\xff\0", 5));
}

void TestHexView::mouseDragSelects()
{
    MemoryByteSource source(quint64(0x1000));
    auto view = makeView(&source);
    QWidget* viewport = view->viewport();
    const QPoint from = view->cellRect(0x22, HexView::Pane::Hex).center();
    const QPoint to = view->cellRect(0x45, HexView::Pane::Hex).center();
    QTest::mousePress(viewport, Qt::LeftButton, Qt::NoModifier, from);
    QVERIFY(!view->hasSelection()); // a press alone selects nothing
    QMouseEvent move(QEvent::MouseMove, to, viewport->mapToGlobal(to), Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(viewport, &move);
    QTest::mouseRelease(viewport, Qt::LeftButton, Qt::NoModifier, to);
    QVERIFY(view->hasSelection());
    QCOMPARE(view->selectionStart(), 0x22u);
    QCOMPARE(view->selectionLength(), 0x45u - 0x22u + 1);
    QCOMPARE(view->cursorOffset(), 0x45u);

    // Shift+click in the ASCII pane moves the end; the anchor stays.
    QTest::mouseClick(viewport, Qt::LeftButton, Qt::ShiftModifier, view->cellRect(0x12, HexView::Pane::Ascii).center());
    QCOMPARE(view->selectionStart(), 0x12u);
    QCOMPARE(view->selectionLength(), 0x22u - 0x12u + 1);
    QCOMPARE(view->cursorPane(), HexView::Pane::Ascii);

    // A plain click clears it.
    QTest::mouseClick(viewport, Qt::LeftButton, Qt::NoModifier, view->cellRect(0x30, HexView::Pane::Hex).center());
    QVERIFY(!view->hasSelection());
    QCOMPARE(view->cursorOffset(), 0x30u);
}

void TestHexView::copyFormats_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<QString>("text");
    QTest::addRow("hex") << int(HexView::CopyFormat::Hex) << QStringLiteral("de ad be ef 00 41");
    QTest::addRow("C array") << int(HexView::CopyFormat::CArray)
                             << QStringLiteral(
                                    "const unsigned char data[6] = {\n    0xde, 0xad, 0xbe, 0xef, 0x00, 0x41\n};\n");
    QTest::addRow("base64") << int(HexView::CopyFormat::Base64) << QStringLiteral("3q2+7wBB");
}

void TestHexView::copyFormats()
{
    QFETCH(int, format);
    QFETCH(QString, text);
    MemoryByteSource source(bytes({ 0x01, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x41, 0x02 }));
    auto view = makeView(&source);
    view->setSelection(1, 6);
    QVERIFY(view->copySelection(HexView::CopyFormat(format)));
    QCOMPARE(QGuiApplication::clipboard()->text(), text);
}

void TestHexView::ctrlCAndContextMenuCopy()
{
    QByteArray data(40, '\0');
    for (int i = 0; i < data.size(); ++i)
        data[i] = char(i * 7);
    MemoryByteSource source(data);
    auto view = makeView(&source);
    view->setCursorOffset(2);
    QTest::keyClick(view.get(), Qt::Key_Right, Qt::ShiftModifier);
    QTest::keyClick(view.get(), Qt::Key_Right, Qt::ShiftModifier);
    QTest::keyClick(view.get(), Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("0e 15 1c"));

    // Raw bytes through the context menu's action: the bytes themselves, 14 of them (a C array's worth
    // would be 14 too; the raw data holds a NUL-free binary run here).
    view->setSelection(0x10, 14);
    std::unique_ptr<QMenu> menu(view->createContextMenu());
    QAction* raw = menu->findChild<QAction*>(QStringLiteral("copyRaw"));
    QVERIFY(raw);
    QVERIFY(raw->isEnabled());
    raw->trigger();
    const QMimeData* mime = QGuiApplication::clipboard()->mimeData();
    QVERIFY(mime);
    QCOMPARE(mime->data(QStringLiteral("application/octet-stream")), data.mid(0x10, 14));

    view->clearSelection();
    menu.reset(view->createContextMenu());
    for (const char* name : { "copyHex", "copyRaw", "copyCArray", "copyBase64" }) {
        QAction* action = menu->findChild<QAction*>(QLatin1String(name));
        QVERIFY2(action, name);
        QVERIFY2(!action->isEnabled(), name); // nothing selected
    }
    QVERIFY(menu->findChild<QAction*>(QStringLiteral("paste"))->isEnabled());
    QVERIFY(menu->findChild<QAction*>(QStringLiteral("selectAll"))->isEnabled());
}

void TestHexView::copyRefusesHugeAndEmptySelections()
{
    MemoryByteSource source(k64GiB);
    auto view = makeView(&source, /*scanPaused=*/true);
    QSignalSpy failed(view.get(), &HexView::copyFailed);
    QGuiApplication::clipboard()->setText(QStringLiteral("unchanged"));
    QVERIFY(!view->copySelection());
    QCOMPARE(failed.count(), 1);

    // Ctrl+A on 64 GiB selects it all (64-bit length) without reading it; copying is refused.
    QTest::keyClick(view.get(), Qt::Key_A, Qt::ControlModifier);
    QCOMPARE(view->selectionLength(), k64GiB);
    QCOMPARE(view->cursorOffset(), k64GiB - 1);
    QVERIFY(!view->copySelection());
    QCOMPARE(failed.count(), 2);
    QVERIFY(!failed.at(1).at(0).toString().isEmpty());
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("unchanged"));
    QVERIFY(source.bytesReadTotal() < 1024 * 1024);

    // Ctrl+Shift+Home from the end: everything again, anchored at the end.
    QTest::keyClick(view.get(), Qt::Key_Escape);
    QTest::keyClick(view.get(), Qt::Key_Home, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(view->selectionStart(), 0u);
    QCOMPARE(view->selectionLength(), k64GiB);
}

void TestHexView::parseHex_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QByteArray>("expected");
    QTest::addRow("spaced") << QStringLiteral("de ad be ef") << true << bytes({ 0xde, 0xad, 0xbe, 0xef });
    QTest::addRow("packed, upper case") << QStringLiteral("DEADbeef") << true << bytes({ 0xde, 0xad, 0xbe, 0xef });
    QTest::addRow("0x list") << QStringLiteral("0xde, 0xAD,\n0x1") << true << bytes({ 0xde, 0xad, 0x01 });
    QTest::addRow("escapes") << QStringLiteral("\\x41\\x42") << true << QByteArray("AB");
    QTest::addRow("odd run") << QStringLiteral("abc") << false << QByteArray();
    QTest::addRow("not hex") << QStringLiteral("hello") << false << QByteArray();
    QTest::addRow("empty") << QStringLiteral("  \n") << false << QByteArray();
    QTest::addRow("bare prefix") << QStringLiteral("0x") << false << QByteArray();
}

void TestHexView::parseHex()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(QByteArray, expected);
    const std::optional<QByteArray> parsed = HexView::parseHex(text);
    QCOMPARE(parsed.has_value(), valid);
    if (valid)
        QCOMPARE(*parsed, expected);
}

void TestHexView::pasteHexAndText()
{
    MemoryByteSource source(quint64(64));
    auto view = makeView(&source);
    QSignalSpy written(&source, &ByteSource::bytesWritten);

    // Hex pane: Ctrl+V writes the parsed bytes at the cursor, in one write, and moves past them.
    view->setCursorOffset(0x10);
    QGuiApplication::clipboard()->setText(QStringLiteral("01 02 0x3"));
    QTest::keyClick(view.get(), Qt::Key_V, Qt::ControlModifier);
    QCOMPARE(source.peek(0x0f, 5), bytes({ 0, 1, 2, 3, 0 }));
    QCOMPARE(written.count(), 1);
    QCOMPARE(view->cursorOffset(), 0x13u);

    // ASCII pane: the text's UTF-8 bytes, from the start of the selection.
    view->setCursorPane(HexView::Pane::Ascii);
    view->setSelection(0x20, 8);
    QGuiApplication::clipboard()->setText(QStringLiteral("Hé!"));
    QTest::keyClick(view.get(), Qt::Key_V, Qt::ControlModifier);
    QCOMPARE(source.peek(0x20, 5), QByteArray("H\xc3\xa9!\0", 5));
    QVERIFY(!view->hasSelection());
    QCOMPARE(view->cursorOffset(), 0x24u);

    // Raw bytes on the clipboard paste as they are, in either pane.
    auto* mime = new QMimeData;
    mime->setData(QStringLiteral("application/octet-stream"), bytes({ 0xaa, 0x00, 0xbb }));
    QGuiApplication::clipboard()->setMimeData(mime);
    view->setCursorPane(HexView::Pane::Hex);
    view->setCursorOffset(0x30);
    QVERIFY(view->paste());
    QCOMPARE(source.peek(0x30, 3), bytes({ 0xaa, 0x00, 0xbb }));

    // Exactly up to the last byte is allowed; the cursor stays on the last byte.
    view->setCursorOffset(62);
    QVERIFY(view->pasteText(QStringLiteral("7e7f")));
    QCOMPARE(source.peek(62, 2), bytes({ 0x7e, 0x7f }));
    QCOMPARE(view->cursorOffset(), 63u);
}

void TestHexView::pasteIsRefusedWithoutChange()
{
    MemoryByteSource source(quint64(64));
    auto view = makeView(&source);
    QSignalSpy refused(view.get(), &HexView::editRefused);
    QSignalSpy written(&source, &ByteSource::bytesWritten);

    view->setCursorOffset(60);
    QVERIFY(!view->pasteText(QStringLiteral("01 02 03 04 05"))); // one byte too many
    QVERIFY(!view->pasteText(QStringLiteral("not hex")));
    source.setWritable(false);
    QVERIFY(!view->pasteText(QStringLiteral("01")));
    source.setWritable(true);
    source.failNextWrite(QStringLiteral("lock timeout"));
    QVERIFY(!view->pasteText(QStringLiteral("01")));
    QCOMPARE(refused.count(), 4);
    for (const QList<QVariant>& call : std::as_const(refused))
        QVERIFY(!call.at(0).toString().isEmpty());
    QVERIFY(refused.at(3).at(0).toString().contains(QStringLiteral("lock timeout")));
    QCOMPARE(written.count(), 0);
    QCOMPARE(source.peek(0, 64), QByteArray(64, '\0'));
    QCOMPARE(view->cursorOffset(), 60u);
}

void TestHexView::typedRunIsOneUndoStep()
{
    MemoryByteSource source(quint64(64));
    auto view = makeView(&source);
    QUndoStack* stack = view->undoStack();
    QVERIFY(stack);
    QCOMPARE(stack->undoLimit(), 0); // no limit

    view->setCursorOffset(0x10);
    QTest::keyClicks(view.get(), QStringLiteral("41424344"));
    QCOMPARE(source.peek(0x10, 4), QByteArray("ABCD"));
    QCOMPARE(stack->count(), 1); // eight nibbles, one step
    QTest::keyClick(view.get(), Qt::Key_Tab);
    QTest::keyClicks(view.get(), QStringLiteral("xy")); // the ASCII pane: a new run
    QCOMPARE(stack->count(), 2);
    QCOMPARE(source.peek(0x14, 2), QByteArray("xy"));
    view->setCursorOffset(0x30); // moving away ends a run
    QTest::keyClicks(view.get(), QStringLiteral("z"));
    QCOMPARE(stack->count(), 3);

    QTest::keyClick(view.get(), Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(source.peek(0x30, 1), QByteArray(1, '\0'));
    QTest::keyClick(view.get(), Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(source.peek(0x14, 2), QByteArray(2, '\0'));
    stack->undo();
    QCOMPARE(source.peek(0, 64), QByteArray(64, '\0')); // every byte restored
    QVERIFY(!stack->canUndo());
    QCOMPARE(view->highlightKind(0x10), HexView::HighlightKind::Own); // the undo's write is ours

    QTest::keyClick(view.get(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier); // redo
    QCOMPARE(source.peek(0x10, 4), QByteArray("ABCD"));
    stack->redo();
    stack->redo();
    QCOMPARE(source.peek(0x10, 6), QByteArray("ABCDxy"));
    QCOMPARE(source.peek(0x30, 1), QByteArray("z"));
    QCOMPARE(stack->index(), 3);
}

void TestHexView::pasteAndEditBytesAreUndoSteps()
{
    MemoryByteSource source(QByteArray(32, 'a'));
    auto view = makeView(&source);
    QUndoStack* stack = view->undoStack();
    view->setCursorOffset(4);
    QVERIFY(view->pasteText(QStringLiteral("01 02 03")));
    QVERIFY(view->editBytes(20, QByteArray("XYZ")));
    QVERIFY(view->editBytes(21, QByteArray("Q"))); // overlapping, but not typed: its own step
    QCOMPARE(stack->count(), 3);
    QCOMPARE(view->cursorOffset(), 7u); // editBytes() leaves the cursor alone
    QSignalSpy refused(view.get(), &HexView::editRefused);
    QVERIFY(!view->editBytes(30, QByteArray("long")));
    QCOMPARE(refused.count(), 1);
    QCOMPARE(stack->count(), 3);

    stack->undo();
    QCOMPARE(source.peek(20, 3), QByteArray("XYZ"));
    stack->undo();
    QCOMPARE(source.peek(20, 3), QByteArray("aaa"));
    stack->undo();
    QCOMPARE(source.peek(0, 32), QByteArray(32, 'a'));
}

void TestHexView::noArtificialUndoLimit()
{
    // 5,000 scattered edits, all undone in reverse order: every byte back to its old value (qhexedit2
    // keeps only the last 1,000).
    QByteArray original(1 << 20, '\0');
    for (int i = 0; i < original.size(); ++i)
        original[i] = char(i * 13 + (i >> 9));
    MemoryByteSource source(original);
    auto view = makeView(&source);
    view->setPollInterval(0);
    quint64 state = 12345;
    for (int i = 0; i < 5000; ++i) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        const quint64 offset = (state >> 20) % quint64(original.size());
        QVERIFY(view->editBytes(offset, QByteArray(1, char(state >> 56))));
    }
    QCOMPARE(view->undoStack()->count(), 5000);
    QVERIFY(source.peek(0, original.size()) != original);
    while (view->undoStack()->canUndo())
        view->undoStack()->undo();
    QCOMPARE(view->undoStack()->index(), 0);
    QVERIFY(source.peek(0, original.size()) == original);
}

void TestHexView::undoAsksBeforeOverwritingOthersBytes_data()
{
    QTest::addColumn<int>("handler"); // 0 none, 1 answers no, 2 answers yes
    QTest::newRow("no handler: skipped") << 0;
    QTest::newRow("handler says no") << 1;
    QTest::newRow("handler says yes") << 2;
}

void TestHexView::undoAsksBeforeOverwritingOthersBytes()
{
    QFETCH(int, handler);
    MemoryByteSource source(QByteArray(32, '.'));
    auto view = makeView(&source);
    QUndoStack* stack = view->undoStack();
    QList<HexView::UndoConflict> asked;
    if (handler != 0) {
        view->setUndoConflictHandler([&asked, handler](const HexView::UndoConflict& conflict) {
            asked.append(conflict);
            return handler == 2;
        });
    }
    QSignalSpy conflicted(view.get(), &HexView::undoConflicted);

    QVERIFY(view->editBytes(2, QByteArray("one")));
    view->setCursorOffset(10);
    QTest::keyClicks(view.get(), QStringLiteral("6162")); // "ab" at 10
    QCOMPARE(stack->count(), 2);

    // Someone else overwrites one of the typed bytes; undoing the typing must not silently destroy it.
    source.modifyExternally(11, QByteArray("!"));
    stack->undo();
    QCOMPARE(conflicted.count(), 1);
    QCOMPARE(conflicted.at(0).at(0).toULongLong(), 10u);
    QCOMPARE(conflicted.at(0).at(1).toULongLong(), 2u);
    QCOMPARE(conflicted.at(0).at(2).toBool(), handler == 2);
    if (handler != 0) {
        QCOMPARE(asked.size(), 1);
        QCOMPARE(asked.at(0).offset, 10u);
        QCOMPARE(asked.at(0).expected, QByteArray("ab"));
        QCOMPARE(asked.at(0).found, QByteArray("a!"));
        QCOMPARE(asked.at(0).replacement, QByteArray(".."));
        QVERIFY(!asked.at(0).redo);
    }
    if (handler == 2) {
        QCOMPARE(source.peek(10, 2), QByteArray(".."));
        QCOMPARE(stack->count(), 2);
        QVERIFY(stack->canRedo());
    } else {
        QCOMPARE(source.peek(10, 2), QByteArray("a!")); // the other writer's byte survives
        QCOMPARE(stack->count(), 1); // the step no longer applies: dropped
        QVERIFY(!stack->canRedo());
    }
    // The earlier, untouched edit still undoes without a question.
    stack->undo();
    QCOMPARE(source.peek(2, 3), QByteArray("..."));
    QCOMPARE(conflicted.count(), 1);
}

void TestHexView::redoChecksToo()
{
    MemoryByteSource source(QByteArray(16, '-'));
    auto view = makeView(&source);
    int asked = 0;
    view->setUndoConflictHandler([&asked](const HexView::UndoConflict& conflict) {
        ++asked;
        return conflict.redo && conflict.found == QByteArray("#");
    });
    QVERIFY(view->editBytes(5, QByteArray("x")));
    view->undoStack()->undo();
    QCOMPARE(source.peek(5, 1), QByteArray("-"));
    source.modifyExternally(5, QByteArray("#"));
    view->undoStack()->redo();
    QCOMPARE(asked, 1);
    QCOMPARE(source.peek(5, 1), QByteArray("x"));
}

void TestHexView::undoAcrossAnotherProcessesWrite_data()
{
    QTest::addColumn<bool>("overwrite"); // what the conflict handler answers
    QTest::newRow("handler says no: the other process's bytes stay") << false;
    QTest::newRow("handler says yes: undo restores ours") << true;
}

void TestHexView::undoAcrossAnotherProcessesWrite()
{
    // Real shared memory, a view typing into it, and ANOTHER PROCESS (shmscope-cli write, which takes
    // the object's lock like every ShmScope writer) overwriting one of the typed bytes; then Ctrl+Z.
    QFETCH(bool, overwrite);
    const Address address = newPosixAddress();
    const QString addressText = QString::fromStdString(toString(address));
    CreateOptions options;
    options.size = 4096;
    Result<Created> created = createMapping(address, options, Access::ReadWrite);
    QVERIFY2(created, created ? "" : created.error().message().c_str());
    const QByteArray original = QByteArray("0123456789abcdef").repeated(4);
    QVERIFY(created->mapping->write(0x40, original.constData(), std::size_t(original.size())));
    Result<std::unique_ptr<Mapping>> attached = attachMapping(address, Access::ReadWrite);
    QVERIFY(attached);
    MappingByteSource source(std::move(*attached));
    auto view = makeView(&source, /*scanPaused=*/true);
    view->setPollInterval(0); // the test polls when it wants the view to look
    QList<HexView::UndoConflict> asked;
    view->setUndoConflictHandler([&](const HexView::UndoConflict& conflict) {
        asked.append(conflict);
        return overwrite;
    });
    QSignalSpy conflicted(view.get(), &HexView::undoConflicted);

    // Click on byte 0x50 in the hex pane and type "cafe" (two bytes, one typing run), then click on
    // 0x70 in the ASCII pane and type "ok" (a second step).
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                      view->cellRect(0x50, HexView::Pane::Hex).topLeft() + QPoint(1, 1));
    QCOMPARE(view->cursorOffset(), 0x50u);
    QTest::keyClicks(view.get(), QStringLiteral("cafe"));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->cellRect(0x70, HexView::Pane::Ascii).center());
    QCOMPARE(view->cursorPane(), HexView::Pane::Ascii);
    QTest::keyClicks(view.get(), QStringLiteral("ok"));
    QCOMPARE(view->undoStack()->count(), 2);
    const QString peer = QStringLiteral(SHMSCOPE_TESTPEER);
    QCOMPARE(runProcess(peer, { QStringLiteral("read"), addressText, QStringLiteral("80"), QStringLiteral("2") }),
             QByteArray("\xca\xfe", 2));
    QCOMPARE(runProcess(peer, { QStringLiteral("read"), addressText, QStringLiteral("112"), QStringLiteral("2") }),
             QByteArray("ok"));

    // The other process overwrites the second typed byte; the view sees it at its next poll.
    const QString cli = QStringLiteral(SHMSCOPE_CLI_PATH);
    runProcess(cli,
               { QStringLiteral("write"), addressText, QStringLiteral("--offset"), QStringLiteral("0x51"),
                 QStringLiteral("--hex"), QStringLiteral("21") });
    QCOMPARE(runProcess(peer, { QStringLiteral("read"), addressText, QStringLiteral("80"), QStringLiteral("2") }),
             QByteArray("\xca!", 2));
    view->pollNow();
    QCOMPARE(view->highlightKind(0x51), HexView::HighlightKind::External);

    // Ctrl+Z undoes "ok" (untouched by anyone): no question.
    QTest::keyClick(view.get(), Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(asked.size(), 0);
    QCOMPARE(runProcess(peer, { QStringLiteral("read"), addressText, QStringLiteral("112"), QStringLiteral("2") }),
             original.mid(0x30, 2));

    // Ctrl+Z again: the typed bytes are no longer what the view wrote, so the handler is asked.
    QTest::keyClick(view.get(), Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(asked.size(), 1);
    QCOMPARE(asked.at(0).offset, 0x50u);
    QCOMPARE(asked.at(0).expected, QByteArray("\xca\xfe", 2));
    QCOMPARE(asked.at(0).found, QByteArray("\xca!", 2));
    QCOMPARE(asked.at(0).replacement, original.mid(0x10, 2));
    QVERIFY(!asked.at(0).redo);
    QCOMPARE(conflicted.count(), 1);
    QCOMPARE(conflicted.at(0).at(2).toBool(), overwrite);
    const QByteArray after
        = runProcess(peer, { QStringLiteral("read"), addressText, QStringLiteral("80"), QStringLiteral("2") });
    if (overwrite) {
        QCOMPARE(after, original.mid(0x10, 2)); // restored, the other process's '!' overwritten
        QVERIFY(view->undoStack()->canRedo());
    } else {
        QCOMPARE(after, QByteArray("\xca!", 2)); // the other process's byte survives
        QCOMPARE(view->undoStack()->count(), 1); // the step no longer applies: dropped
        QCOMPARE(view->undoStack()->index(), 0);
    }
    view->setSource(nullptr);
}

void TestHexView::sparse64GiBMappingEndToEnd()
{
    // A real 64 GiB POSIX object, made sparse: shm_open + ftruncate without reserving pages (the
    // core's createMapping() reserves them with posix_fallocate, which /dev/shm could not hold).
    const Address address = newPosixAddress();
    const QString addressText = QString::fromStdString(toString(address));
    {
        const int fd = ::shm_open(address.name.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
        QVERIFY2(fd >= 0, strerror(errno));
        const int error = ::ftruncate(fd, off_t(k64GiB)) == 0 ? 0 : errno;
        ::close(fd);
        QVERIFY2(error == 0, strerror(error));
    }
    // The view and its glyphs exist before the baseline is taken: the growth measured is the mapping's.
    MemoryByteSource warmUp(QByteArray(4096, 'w'));
    auto view = makeView(&warmUp, /*scanPaused=*/true);
    view->setPollInterval(0);
    QTest::keyClick(view.get(), Qt::Key_End, Qt::ControlModifier);
    view->viewport()->repaint();
    const QString peer = QStringLiteral(SHMSCOPE_TESTPEER);
    QCOMPARE(runProcess(peer, { QStringLiteral("read"), addressText, QStringLiteral("0"), QStringLiteral("1") }),
             QByteArray(1, '\0')); // QProcess's own first-use allocations, also before the baseline
    const qint64 rssBefore = residentKiB();
    QVERIFY(rssBefore > 0);

    Result<std::unique_ptr<Mapping>> attached = attachMapping(address, Access::ReadWrite);
    QVERIFY2(attached, attached ? "" : attached.error().message().c_str());
    MappingByteSource source(std::move(*attached));
    QCOMPARE(source.size(), k64GiB);
    view->setSource(&source); // the changes overview's scan stays paused (makeView): this is about the view
    const auto detach = qScopeGuard([&view] { view->setSource(nullptr); }); // before `source` goes, also on failure
    QScrollBar* bar = view->verticalScrollBar();
    QCOMPARE(view->rowCount(), k64GiB / 16);

    // Ctrl+End: the last byte, the scrollbar at its end, the last row on screen.
    QTest::keyClick(view.get(), Qt::Key_End, Qt::ControlModifier);
    QCOMPARE(view->cursorOffset(), k64GiB - 1);
    QCOMPARE(bar->value(), bar->maximum());
    const quint64 lastRow = view->rowCount() - 1;
    QVERIFY(lastRow >= view->firstVisibleRow());
    QVERIFY(lastRow < view->firstVisibleRow() + quint64(view->visibleRowCount() - 1));
    QVERIFY(!view->cellRect(k64GiB - 1, HexView::Pane::Hex).isNull());
    view->viewport()->repaint();

    // Typing there writes the last byte of the object: another process reads it back.
    QTest::keyClicks(view.get(), QStringLiteral("5a"));
    QCOMPARE(
        runProcess(peer, { QStringLiteral("read"), addressText, QString::number(k64GiB - 1), QStringLiteral("1") }),
        QByteArray("Z"));
    QCOMPARE(view->cursorOffset(), k64GiB - 1); // the last byte: the cursor cannot advance

    // The mouse wheel at the end stays at the end; a click in the ASCII pane on the second-to-last
    // byte and a typed character write that byte.
    const quint64 topAtEnd = view->firstVisibleRow();
    QWheelEvent wheel(QPointF(50, 50), view->mapToGlobal(QPointF(50, 50)), QPoint(), QPoint(0, -360), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(view->viewport(), &wheel);
    QCOMPARE(view->firstVisibleRow(), topAtEnd);
    QCOMPARE(bar->value(), bar->maximum());
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->cellRect(k64GiB - 2, HexView::Pane::Ascii).center());
    QCOMPARE(view->cursorOffset(), k64GiB - 2);
    QCOMPARE(view->cursorPane(), HexView::Pane::Ascii);
    QTest::keyClicks(view.get(), QStringLiteral("Y"));
    QCOMPARE(
        runProcess(peer, { QStringLiteral("read"), addressText, QString::number(k64GiB - 2), QStringLiteral("2") }),
        QByteArray("YZ"));
    QTest::keyClick(view.get(), Qt::Key_Tab); // back to the hex pane

    // Page Up walks back one page at a time, 64-bit rows and all.
    QTest::keyClick(view.get(), Qt::Key_PageUp);
    QVERIFY(view->firstVisibleRow() < topAtEnd);
    QVERIFY(topAtEnd - view->firstVisibleRow() <= quint64(view->visibleRowCount()));
    QVERIFY(view->cursorOffset() < k64GiB - 1);

    // Ctrl+Home: back to the first byte.
    QTest::keyClick(view.get(), Qt::Key_Home, Qt::ControlModifier);
    QCOMPARE(view->cursorOffset(), 0u);
    QCOMPARE(view->firstVisibleRow(), 0u);
    QCOMPARE(bar->value(), 0);

    // Go to offset (the main window's parser) lands exactly, beyond what an int row can reach.
    for (const QString& text :
         { QStringLiteral("0xc01234567"), QStringLiteral("68719476735"), QStringLiteral("-0x10") }) {
        QString why;
        const std::optional<quint64> target = parseGoToOffset(text, view->cursorOffset(), source.size(), &why);
        QVERIFY2(target, qPrintable(why));
        view->setCursorOffset(*target);
        QCOMPARE(view->cursorOffset(), *target);
        QVERIFY(*target / 16 >= view->firstVisibleRow());
        QVERIFY(*target / 16 < view->firstVisibleRow() + quint64(view->visibleRowCount()));
    }
    QCOMPARE(view->cursorOffset(), k64GiB - 1 - 0x10);
    QTest::keyClicks(view.get(), QStringLiteral("41"));
    QCOMPARE(
        runProcess(peer, { QStringLiteral("read"), addressText, QString::number(k64GiB - 0x11), QStringLiteral("1") }),
        QByteArray("A"));

    // The scrollbar dragged to its end and its middle.
    bar->setValue(bar->maximum());
    QVERIFY(lastRow < view->firstVisibleRow() + quint64(view->visibleRowCount()));
    bar->setValue(bar->maximum() / 2);
    const qint64 middle = qint64(view->rowCount() / 2);
    QVERIFY(qAbs(qint64(view->firstVisibleRow()) - middle) < middle / 100);
    view->pollNow();
    view->viewport()->repaint();

    // Memory does not grow with the mapping's size: only the pages shown were touched.
    const qint64 rssAfter = residentKiB();
    qInfo("VmRSS before %lld KiB, after %lld KiB (+%lld KiB)", rssBefore, rssAfter, rssAfter - rssBefore);
    QVERIFY2(rssAfter - rssBefore < 8 * 1024,
             qPrintable(QStringLiteral("RSS grew by %1 KiB").arg(rssAfter - rssBefore)));
}

void TestHexView::undoStackClearedWithNewSource()
{
    MemoryByteSource first(quint64(16));
    MemoryByteSource second(quint64(16));
    auto view = makeView(&first);
    QVERIFY(view->editBytes(0, QByteArray("a")));
    QVERIFY(view->undoStack()->canUndo());
    view->setSource(&second);
    QVERIFY(!view->undoStack()->canUndo());
    view->undoStack()->undo(); // nothing happens to either source
    QCOMPARE(first.peek(0, 1), QByteArray("a"));
    QCOMPARE(second.peek(0, 1), QByteArray(1, '\0'));
    {
        MemoryByteSource third(quint64(16));
        view->setSource(&third);
        QVERIFY(view->editBytes(1, QByteArray("b")));
    } // destroyed while shown
    QVERIFY(!view->undoStack()->canUndo());
}

// A source destroyed while shown, with the scanner inside one of its reads: the view joins the scanner at
// aboutToBeDestroyed(), while the source is whole (QObject::destroyed would come after its members died).
void TestHexView::sourceDestroyedWhileTheScannerReadsIt()
{
    MemoryByteSource first(quint64(16));
    auto view = makeView(&first);
    for (int round = 0; round < 5; ++round) {
        std::atomic<bool> readAfterDestruction { false };
        {
            test::SlowReadSource slow(quint64(1) << 20, &readAfterDestruction); // 256 reads of 4 KiB a pass
            view->setSource(&slow);
            QTest::qWait(30); // the scanner is well into a pass
        } // destroyed while shown and scanned
        QVERIFY2(!readAfterDestruction.load(), "the scanner was still reading a destroyed source");
        QVERIFY(!view->source());
    }
}

void TestHexView::bytesPerRowAndGrouping_data()
{
    QTest::addColumn<int>("perRow");
    QTest::addColumn<int>("group");
    for (int perRow : { 8, 16, 32 }) {
        for (int group : { 1, 2, 4, 8 })
            QTest::addRow("%d a row, groups of %d", perRow, group) << perRow << group;
    }
}

void TestHexView::bytesPerRowAndGrouping()
{
    QFETCH(int, perRow);
    QFETCH(int, group);
    QByteArray data(1000, '\0');
    for (int i = 0; i < data.size(); ++i)
        data[i] = char(i);
    MemoryByteSource source(data);
    auto view = makeView(&source);
    view->resize(1400, 520); // 32 bytes a row fit without scrolling sideways
    QVERIFY(view->setBytesPerRow(perRow));
    QVERIFY(view->setGroupSize(group));
    QCOMPARE(view->bytesPerRow(), perRow);
    QCOMPARE(view->groupSize(), group);
    QCOMPARE(view->rowCount(), quint64((1000 + perRow - 1) / perRow));

    // Cells of a row lie left to right, one row per bytesPerRow() bytes; bytes of one group touch
    // (two digits wide apart), the next group starts after a space.
    const int cw = view->cellRect(0, HexView::Pane::Ascii).width();
    for (int col = 1; col < perRow; ++col) {
        const QRect previous = view->cellRect(quint64(perRow + col - 1), HexView::Pane::Hex);
        const QRect cell = view->cellRect(quint64(perRow + col), HexView::Pane::Hex);
        QCOMPARE(cell.top(), previous.top());
        const int step = cell.left() - previous.left();
        if (col % group != 0)
            QCOMPARE(step, 2 * cw);
        else
            QVERIFY2(step >= 3 * cw, qPrintable(QStringLiteral("col %1 step %2").arg(col).arg(step)));
    }
    QVERIFY(view->cellRect(quint64(perRow), HexView::Pane::Hex).top() > view->cellRect(0, HexView::Pane::Hex).top());

    // Keys and the mouse follow the layout.
    view->setCursorOffset(3);
    QTest::keyClick(view.get(), Qt::Key_Down);
    QCOMPARE(view->cursorOffset(), quint64(3 + perRow));
    QTest::keyClick(view.get(), Qt::Key_End);
    QCOMPARE(view->cursorOffset(), quint64(2 * perRow - 1));
    const quint64 target = quint64(2 * perRow + perRow / 2 + 1);
    const QRect targetCell = view->cellRect(target, HexView::Pane::Hex);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::NoModifier, targetCell.topLeft() + QPoint(cw + 1, 2));
    QCOMPARE(view->cursorOffset(), target);
    QCOMPARE(view->cursorNibble(), 1); // the second digit
    QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::NoModifier, targetCell.topLeft() + QPoint(1, 2));
    QCOMPARE(view->cursorOffset(), target);
    QCOMPARE(view->cursorNibble(), 0);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::NoModifier,
                      view->cellRect(target, HexView::Pane::Ascii).center());
    QCOMPARE(view->cursorOffset(), target);
    QCOMPARE(view->cursorPane(), HexView::Pane::Ascii);

    // Painting shows each byte in its cell.
    QImage image(view->viewport()->size(), QImage::Format_ARGB32_Premultiplied);
    view->viewport()->render(&image);
    QVERIFY(cellImage(image, view->cellRect(0x41, HexView::Pane::Hex))
            != cellImage(image, view->cellRect(0x42, HexView::Pane::Hex)));
    QVERIFY(cellImage(image, view->cellRect(0x41, HexView::Pane::Ascii))
            != cellImage(image, view->cellRect(0x42, HexView::Pane::Ascii)));
}

void TestHexView::changingBytesPerRowKeepsThePlace()
{
    MemoryByteSource source(quint64(1) << 20);
    auto view = makeView(&source);
    QVERIFY(!view->setBytesPerRow(12));
    QVERIFY(!view->setBytesPerRow(0));
    QVERIFY(!view->setGroupSize(3));
    QCOMPARE(view->bytesPerRow(), 16);
    QCOMPARE(view->groupSize(), 1);

    view->scrollToRow(1000);
    view->setCursorOffset(16 * 1000 + 16 * 5 + 3);
    view->setSelection(16 * 1002, 40);
    const quint64 firstByte = view->firstVisibleRow() * 16;
    QVERIFY(view->setBytesPerRow(32));
    QCOMPARE(view->firstVisibleRow(), firstByte / 32);
    QCOMPARE(view->selectionStart(), quint64(16 * 1002));
    QCOMPARE(view->selectionLength(), 40u);
    QVERIFY(view->setBytesPerRow(8));
    QCOMPARE(view->firstVisibleRow(), firstByte / 32 * 32 / 8);
    const quint64 cursorRow = view->cursorOffset() / 8;
    QVERIFY(cursorRow >= view->firstVisibleRow());
    QVERIFY(cursorRow < view->firstVisibleRow() + quint64(view->visibleRowCount()));
    QCOMPARE(view->rowCount(), (quint64(1) << 20) / 8);
    QTest::keyClick(view.get(), Qt::Key_End, Qt::ControlModifier);
    QCOMPARE(view->cursorOffset(), (quint64(1) << 20) - 1);
}

QTEST_MAIN(TestHexView)
#include "tst_hexview.moc"
