// Tests of HexView driven like a user: QTest key and mouse events on a shown (offscreen) view over a
// MemoryByteSource, which records what the view reads and can change bytes behind its back.
#include "widgets/hexview.h"
#include "widgets/memorybytesource.h"

#include <QElapsedTimer>
#include <QImage>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>

#include <memory>

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

} // namespace

class TestHexView : public QObject
{
    Q_OBJECT

private:
    // A shown, focused view over `source`, about 30 rows high.
    std::unique_ptr<HexView> makeView(ByteSource* source)
    {
        auto view = std::make_unique<HexView>();
        view->resize(760, 520);
        view->setSource(source);
        view->show();
        view->activateWindow();
        view->setFocus();
        if (!QTest::qWaitForWindowExposed(view.get()))
            qWarning("window not exposed");
        return view;
    }

private Q_SLOTS:
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
    void ownWritesAreMarkedDifferently();
    void shrinkingSourceDoesNotCrash();
    void offsetColumnWidensPast4GiB();
};

void TestHexView::typingHexDigitsWritesNibbles_data()
{
    QTest::addColumn<int>("before");
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QByteArray>("after"); // bytes at the cursor's start offset and the next one
    QTest::addColumn<quint64>("cursorAdvance");
    QTest::addColumn<int>("nibble");

    QTest::newRow("two digits make one byte") << 0x00 << QStringLiteral("a5") << bytes({0xa5, 0x00}) << quint64(1) << 0;
    QTest::newRow("high nibble keeps the low one") << 0x0f << QStringLiteral("c") << bytes({0xcf, 0x00}) << quint64(0) << 1;
    QTest::newRow("upper-case digits") << 0x00 << QStringLiteral("BEEF") << bytes({0xbe, 0xef}) << quint64(2) << 0;
    QTest::newRow("three digits start the next byte") << 0x11 << QStringLiteral("7e9") << bytes({0x7e, 0x90}) << quint64(1)
                                                      << 1;
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
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, QPoint(hexCell.left() + hexCell.width() / 4, hexCell.center().y()));
    QCOMPARE(view->cursorOffset(), 0x25u);
    QCOMPARE(view->cursorPane(), HexView::Pane::Hex);
    QCOMPARE(view->cursorNibble(), 0);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, QPoint(hexCell.right() - hexCell.width() / 4, hexCell.center().y()));
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
    auto view = makeView(&source);
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
    auto view = makeView(&source);
    view->setPollInterval(10);

    for (const quint64 row : {quint64(0), quint64(1000), quint64(65536 - 5)}) {
        view->scrollToRow(row);
        source.clearReadLog();
        view->viewport()->repaint();
        QTRY_VERIFY(source.readLog().size() >= 3); // a few polls happened
        const quint64 first = view->firstVisibleRow();
        const quint64 lowest = (first > HexView::kPollMarginRows ? first - HexView::kPollMarginRows : 0) * 16;
        const quint64 highest = (first + quint64(view->visibleRowCount()) + HexView::kPollMarginRows) * 16;
        for (const MemoryByteSource::ReadRange& r : source.readLog()) {
            QVERIFY2(r.offset >= lowest && r.offset + r.length <= highest,
                     qPrintable(QStringLiteral("read %1+%2 outside rows %3..%4").arg(r.offset).arg(r.length).arg(lowest).arg(highest)));
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

    source.modifyExternally(0x40, bytes({0x11, 0x22})); // no signal: only polling can see it
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

void TestHexView::notificationRereadsAtOnce()
{
    MemoryByteSource source(quint64(4096));
    auto view = makeView(&source);
    view->setPollInterval(0); // no polling: only the notification can reveal the change

    source.modifyExternally(0x80, bytes({0x42}));
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

    source.modifyExternally(0x30, bytes({0x99}));
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

QTEST_MAIN(TestHexView)
#include "tst_hexview.moc"
