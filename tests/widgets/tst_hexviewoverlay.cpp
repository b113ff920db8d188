// Tests of HexView's field colours (HexView::setFieldOverlay, issue 11): a shown (offscreen) view over a
// MemoryByteSource with a TestFieldOverlay (testfieldoverlay.h: sorted fields, binary search, every
// spansIn() call recorded). The pixels of the grabbed viewport are checked: inside a field's hex and ASCII
// cells (and the spaces between them) the field's colour blended over Base, outside plain Base; selection,
// cursor and change highlights stay drawn over the fields; repaints and spansIn() calls stay within the
// visible rows and the changed cells.
#include "tests/widgets/testfieldoverlay.h"
#include "widgets/hexview.h"
#include "widgets/memorybytesource.h"

#include <QImage>
#include <QPaintEvent>
#include <QPainter>
#include <QTest>
#include <memory>

using namespace shmscope;

namespace {

const QColor kRed(230, 40, 40, 90);
const QColor kBlue(40, 80, 230, 90);
const QColor kGreen(30, 170, 60, 90);
const QColor kYellow(240, 200, 0, 120);

// Records the regions of the paint events a widget receives.
class PaintRecorder : public QObject
{
public:
    explicit PaintRecorder(QWidget* widget) { widget->installEventFilter(this); }
    QRegion painted;
    int events = 0;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == QEvent::Paint) {
            painted += static_cast<QPaintEvent*>(event)->region();
            ++events;
        }
        return QObject::eventFilter(watched, event);
    }
};

// `fill` painted over `base` the way the view paints it (QPainter, source-over), in `format`.
QColor blended(const QColor& base, const QColor& fill, QImage::Format format)
{
    QImage image(1, 1, format);
    image.fill(base);
    QPainter painter(&image);
    painter.fillRect(0, 0, 1, 1, fill);
    painter.end();
    return image.pixelColor(0, 0);
}

bool near(const QColor& a, const QColor& b, int tolerance = 1)
{
    return std::abs(a.red() - b.red()) <= tolerance && std::abs(a.green() - b.green()) <= tolerance
        && std::abs(a.blue() - b.blue()) <= tolerance;
}

QString describe(const QColor& found, const QColor& expected)
{
    return QStringLiteral("found %1, expected %2").arg(found.name(), expected.name());
}

} // namespace

class TestHexViewOverlay : public QObject
{
    Q_OBJECT

    std::unique_ptr<HexView> makeView(ByteSource* source)
    {
        auto view = std::make_unique<HexView>();
        view->resize(760, 520);
        view->setChangesOverviewVisible(false);
        view->setPollInterval(0); // nothing changes behind the view unless a test says so
        view->setSource(source);
        view->show();
        view->activateWindow();
        view->setFocus();
        if (!QTest::qWaitForWindowExposed(view.get()))
            qWarning("window not exposed");
        return view;
    }

    // Pixels sampled where no glyph is drawn: the top pixel row of a cell (glyphs start below it) and
    // the middle of the space after a hex cell.
    QPoint hexCellPoint(const HexView& view, quint64 offset) const
    {
        const QRect cell = view.cellRect(offset, HexView::Pane::Hex);
        return { cell.left() + 2, cell.top() };
    }
    QPoint hexSpaceAfter(const HexView& view, quint64 offset) const
    {
        const QRect cell = view.cellRect(offset, HexView::Pane::Hex);
        const int charWidth = view.cellRect(offset, HexView::Pane::Ascii).width();
        return { cell.right() + 1 + charWidth / 2, cell.center().y() };
    }
    QPoint asciiCellPoint(const HexView& view, quint64 offset) const
    {
        const QRect cell = view.cellRect(offset, HexView::Pane::Ascii);
        return { cell.center().x(), cell.top() };
    }
    static QColor at(const QImage& image, const QPoint& logical)
    {
        return image.pixelColor(logical * image.devicePixelRatio());
    }

private Q_SLOTS:
    void fieldsAreBlendedUnderTheirCells_data();
    void fieldsAreBlendedUnderTheirCells();
    void spansChangedRepaintsOnlyTheField();
    void spansInIsAskedOnlyForVisibleRows();
    void overlayDeletedWhileSetIsSafe();
    void replacedOverlayIsDisconnected();
    void selectionCursorAndHighlightsStayVisible();
};

void TestHexViewOverlay::fieldsAreBlendedUnderTheirCells_data()
{
    QTest::addColumn<qreal>("ratio");
    QTest::newRow("grab") << 0.0;
    QTest::newRow("render at ratio 2") << 2.0;
}

void TestHexViewOverlay::fieldsAreBlendedUnderTheirCells()
{
    QFETCH(qreal, ratio);
    MemoryByteSource source(QByteArray(256, 'A'));
    auto view = makeView(&source);
    view->setCursorOffset(0xf0); // the cursor's colours far from the fields
    TestFieldOverlay overlay;
    // A and B meet at 0x14; nothing in 0x18..0x1f; C spans rows 2, 3 and part of 4 (16 bytes a row).
    overlay.setSpans({ FieldSpan { 0x10, 4, kRed }, FieldSpan { 0x14, 4, kBlue }, FieldSpan { 0x20, 40, kGreen } });
    view->setFieldOverlay(&overlay);
    QCOMPARE(view->fieldOverlay(), &overlay);

    QImage image;
    if (ratio == 0) {
        image = view->viewport()->grab().toImage();
    } else {
        image = QImage(view->viewport()->size() * ratio, QImage::Format_ARGB32_Premultiplied);
        image.setDevicePixelRatio(ratio);
        view->viewport()->render(&image);
    }
    const QColor base = view->palette().color(QPalette::Base);
    const auto expect = [&](const QPoint& point, const QColor& fill, const char* where) {
        const QColor found = at(image, point);
        const QColor expected
            = fill.isValid() ? blended(base, fill, image.format()) : blended(base, base, image.format());
        QVERIFY2(near(found, expected),
                 qPrintable(QLatin1String(where) + QLatin1String(": ") + describe(found, expected)));
    };
    const HexView& v = *view;
    expect(hexCellPoint(v, 0x11), kRed, "hex cell of A");
    expect(asciiCellPoint(v, 0x11), kRed, "ASCII cell of A");
    expect(hexSpaceAfter(v, 0x11), kRed, "space between two bytes of A");
    expect(hexSpaceAfter(v, 0x13), QColor(), "space between A and B");
    expect(hexCellPoint(v, 0x14), kBlue, "hex cell of B");
    expect(asciiCellPoint(v, 0x17), kBlue, "ASCII cell of B");
    expect(hexSpaceAfter(v, 0x17), QColor(), "space after B");
    expect(hexCellPoint(v, 0x18), QColor(), "hex cell of a byte in no field");
    expect(asciiCellPoint(v, 0x18), QColor(), "ASCII cell of a byte in no field");
    expect(hexCellPoint(v, 0x20), kGreen, "first byte of C");
    expect(hexSpaceAfter(v, 0x2f), QColor(), "right of C's first row");
    expect(hexCellPoint(v, 0x30), kGreen, "C's middle row");
    expect(hexSpaceAfter(v, 0x37), kGreen, "the gap after 8 bytes inside C");
    expect(asciiCellPoint(v, 0x3f), kGreen, "ASCII of C's middle row");
    expect(hexCellPoint(v, 0x47), kGreen, "last byte of C");
    expect(hexSpaceAfter(v, 0x47), QColor(), "space after C");
    expect(asciiCellPoint(v, 0x48), QColor(), "ASCII after C");
}

void TestHexViewOverlay::spansChangedRepaintsOnlyTheField()
{
    MemoryByteSource source(QByteArray(4096, 'A'));
    auto view = makeView(&source);
    view->setCursorOffset(0x150);
    TestFieldOverlay overlay;
    overlay.setSpans(TestFieldOverlay::tiles(0, 4, 1024, { kRed, kBlue, kGreen }));
    view->setFieldOverlay(&overlay);
    QTest::qWait(50);
    PaintRecorder recorder(view->viewport());

    overlay.setColour(0x45, kYellow); // bytes 0x114..0x117
    QTRY_VERIFY(recorder.events > 0);
    const QRect hexCells = view->cellRect(0x114, HexView::Pane::Hex).united(view->cellRect(0x117, HexView::Pane::Hex));
    const QRect asciiCells
        = view->cellRect(0x114, HexView::Pane::Ascii).united(view->cellRect(0x117, HexView::Pane::Ascii));
    const QRect painted = recorder.painted.boundingRect();
    QVERIFY2(painted.top() >= hexCells.top() && painted.bottom() <= hexCells.bottom(),
             "the repaint stays on the field's row");
    QVERIFY(recorder.painted.contains(hexCells.center()));
    QVERIFY(recorder.painted.contains(asciiCells.center()));
    QVERIFY(!recorder.painted.contains(hexCellPoint(*view, 0x110)));
    QVERIFY(!recorder.painted.contains(hexCellPoint(*view, 0x118)));
    const QImage image = view->viewport()->grab().toImage();
    const QColor base = view->palette().color(QPalette::Base);
    QVERIFY(near(at(image, hexCellPoint(*view, 0x115)), blended(base, kYellow, image.format())));
    QVERIFY(near(at(image, asciiCellPoint(*view, 0x115)), blended(base, kYellow, image.format())));

    // A change of everything (length 0) repaints the whole viewport.
    recorder.painted = {};
    recorder.events = 0;
    overlay.setSpans({});
    QTRY_VERIFY(recorder.events > 0);
    QVERIFY(recorder.painted.contains(view->viewport()->rect()));
    QVERIFY(near(at(view->viewport()->grab().toImage(), hexCellPoint(*view, 0x115)), base));

    // A change below the visible rows repaints nothing.
    overlay.setSpans(TestFieldOverlay::tiles(0, 4, 1024, { kRed }));
    QTest::qWait(50);
    recorder.painted = {};
    recorder.events = 0;
    overlay.setColour(1000, kYellow); // bytes 4000..4003, far below
    QTest::qWait(50);
    QCOMPARE(recorder.events, 0);
}

void TestHexViewOverlay::spansInIsAskedOnlyForVisibleRows()
{
    constexpr quint64 kSize = quint64(1) << 20;
    MemoryByteSource source(kSize);
    auto view = makeView(&source);
    TestFieldOverlay overlay;
    overlay.setSpans(TestFieldOverlay::tiles(0, 4, size_t(kSize / 4), { kRed, kBlue, kGreen, kYellow }));
    view->setFieldOverlay(&overlay);
    view->scrollToRow(1000);
    QTest::qWait(50);
    const quint64 perRow = quint64(view->bytesPerRow());
    const quint64 first = view->firstVisibleRow() * perRow;
    const quint64 end = (view->firstVisibleRow() + quint64(view->visibleRowCount())) * perRow;
    QCOMPARE(first, 1000 * perRow);

    overlay.calls.clear();
    view->viewport()->repaint();
    QVERIFY(!overlay.calls.empty());
    quint64 lowest = ~quint64(0);
    quint64 highest = 0;
    for (const auto& [begin, stop] : overlay.calls) {
        QVERIFY2(begin >= first && stop <= end && begin < stop,
                 qPrintable(
                     QStringLiteral("asked for [%1, %2), visible [%3, %4)").arg(begin).arg(stop).arg(first).arg(end)));
        lowest = std::min(lowest, begin);
        highest = std::max(highest, stop);
    }
    QCOMPARE(lowest, first);
    QCOMPARE(highest, end);

    // A changed field: only its row is asked for again.
    const quint64 row = view->firstVisibleRow() + 3;
    overlay.calls.clear();
    overlay.setColour(size_t(row * perRow / 4 + 1), kGreen);
    QTRY_VERIFY(!overlay.calls.empty());
    for (const auto& [begin, stop] : overlay.calls)
        QVERIFY(begin >= row * perRow && stop <= (row + 1) * perRow);
}

void TestHexViewOverlay::overlayDeletedWhileSetIsSafe()
{
    MemoryByteSource source(QByteArray(256, 'A'));
    auto view = makeView(&source);
    view->setCursorOffset(0xf0);
    auto* overlay = new TestFieldOverlay;
    overlay->setSpans({ FieldSpan { 0x10, 8, kRed } });
    view->setFieldOverlay(overlay);
    const QColor base = view->palette().color(QPalette::Base);
    QImage image = view->viewport()->grab().toImage();
    QVERIFY(near(at(image, hexCellPoint(*view, 0x12)), blended(base, kRed, image.format())));

    PaintRecorder recorder(view->viewport());
    delete overlay;
    QCOMPARE(view->fieldOverlay(), nullptr);
    QTRY_VERIFY(recorder.events > 0); // the colours go from the screen
    image = view->viewport()->grab().toImage();
    QVERIFY(near(at(image, hexCellPoint(*view, 0x12)), base));
    view->setFieldOverlay(nullptr); // nothing to remove: no crash, nothing changes
    QCOMPARE(view->fieldOverlay(), nullptr);
}

void TestHexViewOverlay::replacedOverlayIsDisconnected()
{
    MemoryByteSource source(QByteArray(256, 'A'));
    auto view = makeView(&source);
    TestFieldOverlay first;
    first.setSpans({ FieldSpan { 0x10, 8, kRed } });
    TestFieldOverlay second;
    second.setSpans({ FieldSpan { 0x40, 8, kBlue } });
    view->setFieldOverlay(&first);
    view->setFieldOverlay(&second);
    QCOMPARE(view->fieldOverlay(), &second);
    const QColor base = view->palette().color(QPalette::Base);
    QImage image = view->viewport()->grab().toImage();
    QVERIFY(near(at(image, hexCellPoint(*view, 0x12)), base));
    QVERIFY(near(at(image, hexCellPoint(*view, 0x42)), blended(base, kBlue, image.format())));

    QTest::qWait(50);
    PaintRecorder recorder(view->viewport());
    first.setColour(0, kYellow); // the old overlay's changes no longer reach the view
    QTest::qWait(50);
    QCOMPARE(recorder.events, 0);
    // Nor does the destruction of a replaced overlay.
    auto* replaced = new TestFieldOverlay;
    view->setFieldOverlay(replaced);
    view->setFieldOverlay(&second);
    QTest::qWait(50);
    recorder.events = 0;
    delete replaced;
    QTest::qWait(50);
    QCOMPARE(recorder.events, 0);
    QCOMPARE(view->fieldOverlay(), &second);

    view->setFieldOverlay(nullptr);
    QCOMPARE(view->fieldOverlay(), nullptr);
    image = view->viewport()->grab().toImage();
    QVERIFY(near(at(image, hexCellPoint(*view, 0x42)), base));
}

void TestHexViewOverlay::selectionCursorAndHighlightsStayVisible()
{
    MemoryByteSource source(QByteArray(256, 'A'));
    auto view = makeView(&source);
    view->setHighlightDuration(60000); // no visible fading between the two grabs
    TestFieldOverlay overlay;
    overlay.setSpans({ FieldSpan { 0x10, 32, kRed } });
    view->setSelection(0x14, 7); // 0x14..0x1a selected, the cursor on 0x1a
    source.modifyExternally(0x1e, QByteArray("B"));
    view->pollNow();
    QVERIFY(view->isHighlighted(0x1e));

    const HexView& v = *view;
    const QList<QPoint> points { hexCellPoint(v, 0x15), asciiCellPoint(v, 0x15), hexSpaceAfter(v, 0x15), // selected
                                 hexCellPoint(v, 0x1a), asciiCellPoint(v, 0x1a), // the cursor
                                 hexCellPoint(v, 0x1e), asciiCellPoint(v, 0x1e) }; // changed by someone else
    const QImage without = view->viewport()->grab().toImage();
    view->setFieldOverlay(&overlay);
    const QImage with = view->viewport()->grab().toImage();
    const QColor base = view->palette().color(QPalette::Base);
    const QColor field = blended(base, kRed, with.format());
    QVERIFY(near(at(with, hexCellPoint(v, 0x11)), field)); // the field is there
    for (const QPoint& point : points) {
        // Drawn over the field exactly as without it, and not as the field's colour.
        QVERIFY2(near(at(with, point), at(without, point), 2),
                 qPrintable(describe(at(with, point), at(without, point))));
        QVERIFY2(!near(at(with, point), field, 2), qPrintable(describe(at(with, point), field)));
    }
}

QTEST_MAIN(TestHexViewOverlay)
#include "tst_hexviewoverlay.moc"
