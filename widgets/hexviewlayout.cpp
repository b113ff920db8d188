// HexView: layout (character metrics, column positions), geometry of cells and rows, the row count,
// scrolling (a 64-bit row range on an int scrollbar) and which rectangles a change of bytes repaints.

#include "widgets/bytesource.h"
#include "widgets/hexview.h"
#include "widgets/hexviewaccessible.h"
#include "widgets/hexviewdetail.h"

#include <QFontMetrics>
#include <QFontMetricsF>
#include <QGuiApplication>
#include <QScrollBar>
#include <QStyleHints>
#include <QWheelEvent>
#include <QtMath>
#include <algorithm>
#include <climits>

namespace shmscope {

using namespace hexviewdetail;

namespace {

// The vertical scrollbar's range when rows do not fit in an int. Rows map linearly onto it.
constexpr int kScaledRange = INT_MAX;

// GCC/Clang 128-bit integers: the exact way to compute a*b/c for 64-bit a, b, c (row <-> scrollbar
// value) without overflow or the rounding of doubles. __extension__ keeps -pedantic quiet.
__extension__ typedef unsigned __int128 Uint128;

quint64 mulDiv(quint64 a, quint64 b, quint64 c)
{
    return c == 0 ? 0 : quint64(Uint128(a) * b / c);
}

} // namespace

bool HexView::setBytesPerRow(int bytes)
{
    if (bytes != 8 && bytes != 16 && bytes != 32)
        return false;
    if (bytes == m_bytesPerRow)
        return true;
    // Keep the first visible byte on the first row, then the cursor visible.
    const quint64 firstByte = m_topRow * quint64(m_bytesPerRow);
    m_bytesPerRow = bytes;
    m_topRow = firstByte / quint64(bytes);
    m_snapValid = false; // the poll window changes shape: read it afresh, without highlighting
    relayout();
    refreshSnapshot();
    ensureCursorVisible();
    viewport()->update();
    notifyHexViewCursorMoved(this); // the row text and the caret's place in it changed
    return true;
}

bool HexView::setGroupSize(int bytes)
{
    if (bytes != 1 && bytes != 2 && bytes != 4 && bytes != 8)
        return false;
    if (bytes != m_groupSize) {
        m_groupSize = bytes;
        relayout();
    }
    return true;
}

quint64 HexView::rowCount() const
{
    const quint64 size = sourceSize();
    // (size + 15) / 16 would overflow for sizes near 2^64.
    return size == 0 ? 0 : (size - 1) / m_bytesPerRow + 1;
}

int HexView::visibleRowCount() const
{
    const int h = viewport()->height() - m_headerHeight;
    return h <= 0 ? 0 : (h + m_lineHeight - 1) / m_lineHeight;
}

void HexView::scrollToRow(quint64 row)
{
    setTopRow(row);
}

QRect HexView::cellRect(quint64 offset, Pane pane) const
{
    const quint64 row = offset / m_bytesPerRow;
    if (offset >= sourceSize() || row < m_topRow || row - m_topRow >= quint64(visibleRowCount()))
        return {};
    const int col = int(offset % m_bytesPerRow);
    const qreal x = (pane == Pane::Hex ? hexCellX(col) : asciiCellX(col)) - horizontalScrollBar()->value();
    const qreal w = pane == Pane::Hex ? 2 * m_charWidth : m_charWidth;
    return QRectF(x, rowTop(row), w, m_lineHeight).toAlignedRect();
}

QSize HexView::sizeHint() const
{
    const int frame = 2 * frameWidth();
    const QMargins margins = viewportMargins(); // the changes overview strip, when shown
    return { qCeil(m_contentWidth) + margins.left() + margins.right() + verticalScrollBar()->sizeHint().width() + frame,
             m_headerHeight + 24 * m_lineHeight + frame };
}

QSize HexView::minimumSizeHint() const
{
    constexpr int kMinimumColumns = 8;
    constexpr int kMinimumRows = 4;
    const int frame = 2 * frameWidth();
    const QMargins margins = viewportMargins();
    const int columns = std::min(kMinimumColumns, m_bytesPerRow);
    // The last of those columns ends two digits after its start; one character of air after it.
    const qreal hexEnd = hexCellX(columns - 1) + 3 * m_charWidth;
    return { qCeil(hexEnd) + margins.left() + margins.right() + verticalScrollBar()->sizeHint().width() + frame,
             m_headerHeight + kMinimumRows * m_lineHeight + horizontalScrollBar()->sizeHint().height() + frame };
}

// ---- layout and scrolling ----------------------------------------------------------------------

quint64 HexView::sourceSize() const
{
    return m_source ? m_source->size() : 0;
}

void HexView::relayout()
{
    const QFontMetricsF fm(font());
    const QFontMetrics fmi(font());
    // Whole logical pixels per character: every cell then starts on a pixel boundary, so the pre-rendered
    // glyphs land on the same pixel phase in every column (crisp, and identical for equal bytes).
    m_charWidth = std::max<qreal>(1, qRound(fm.horizontalAdvance(QLatin1Char('0'))));
    m_lineHeight = std::max(1, fmi.height() + 2);
    m_ascent = fmi.ascent() + 1;
    m_headerHeight = m_lineHeight + 4;
    // 8 digits address 4 GiB; larger sources need all 16.
    m_offsetDigits = sourceSize() > (quint64(1) << 32) ? 16 : 8;
    m_offsetX = m_charWidth;
    m_hexX = m_offsetX + (m_offsetDigits + 2) * m_charWidth;
    m_asciiX = hexCellX(m_bytesPerRow - 1) + 4 * m_charWidth; // two digits, then two spaces
    m_contentWidth = m_asciiX + (m_bytesPerRow + 1) * m_charWidth;
    updateScrollBars();
    setTopRow(m_topRow);
    updateGeometry();
    viewport()->update();
}

void HexView::updateScrollBars()
{
    QScrollBar* vbar = verticalScrollBar();
    const quint64 maxTop = maxTopRow();
    const quint64 page = fullyVisibleRows();
    m_syncingScrollBar = true;
    if (scrollBarScaled()) {
        vbar->setRange(0, kScaledRange);
        vbar->setPageStep(int(std::max<quint64>(1, mulDiv(page, kScaledRange, maxTop))));
    } else {
        vbar->setRange(0, int(maxTop));
        vbar->setPageStep(int(page));
    }
    vbar->setSingleStep(1);
    vbar->setValue(scrollValueForRow(m_topRow));
    m_syncingScrollBar = false;

    QScrollBar* hbar = horizontalScrollBar();
    const int width = viewport()->width();
    hbar->setRange(0, std::max(0, qCeil(m_contentWidth) - width));
    hbar->setPageStep(width);
    hbar->setSingleStep(std::max(1, qRound(m_charWidth)));
}

quint64 HexView::fullyVisibleRows() const
{
    return quint64(std::max(1, (viewport()->height() - m_headerHeight) / m_lineHeight));
}

quint64 HexView::maxTopRow() const
{
    const quint64 rows = rowCount();
    const quint64 page = fullyVisibleRows();
    return rows > page ? rows - page : 0;
}

bool HexView::scrollBarScaled() const
{
    return maxTopRow() > quint64(INT_MAX);
}

int HexView::scrollValueForRow(quint64 row) const
{
    const quint64 maxTop = maxTopRow();
    row = std::min(row, maxTop);
    if (!scrollBarScaled())
        return int(row);
    return row >= maxTop ? kScaledRange : int(mulDiv(row, kScaledRange, maxTop));
}

quint64 HexView::rowForScrollValue(int value) const
{
    const quint64 maxTop = maxTopRow();
    if (value <= 0)
        return 0;
    if (!scrollBarScaled())
        return std::min(quint64(value), maxTop);
    // The end of the range must reach the last row exactly, whatever the rounding in between.
    return value >= kScaledRange ? maxTop : mulDiv(quint64(value), maxTop, kScaledRange);
}

void HexView::setTopRow(quint64 row)
{
    row = std::min(row, maxTopRow());
    if (row != m_topRow) {
        m_topRow = row;
        refreshSnapshot();
        viewport()->update();
    }
    m_syncingScrollBar = true;
    verticalScrollBar()->setValue(scrollValueForRow(m_topRow));
    m_syncingScrollBar = false;
}

void HexView::onScrollBarValueChanged(int value)
{
    // Values we set ourselves come from m_topRow already; mapping them back could move the view by a
    // row when the scrollbar is scaled.
    if (m_syncingScrollBar)
        return;
    const quint64 row = rowForScrollValue(value);
    if (row != m_topRow) {
        m_topRow = row;
        refreshSnapshot();
        viewport()->update();
    }
}

void HexView::onScrollBarActionTriggered(int action)
{
    // With a scaled scrollbar one step of the int range is many rows; the arrows and the page area of
    // the scrollbar must still move by one row and one page. The slider has not propagated its new
    // position yet (QAbstractSlider::actionTriggered), so setting the value here wins.
    const quint64 page = fullyVisibleRows();
    quint64 target = m_topRow;
    switch (action) {
    case QAbstractSlider::SliderSingleStepAdd:
        target = m_topRow + 1;
        break;
    case QAbstractSlider::SliderSingleStepSub:
        target = m_topRow > 0 ? m_topRow - 1 : 0;
        break;
    case QAbstractSlider::SliderPageStepAdd:
        target = m_topRow + page;
        break;
    case QAbstractSlider::SliderPageStepSub:
        target = m_topRow > page ? m_topRow - page : 0;
        break;
    default:
        return;
    }
    setTopRow(target);
    verticalScrollBar()->setSliderPosition(scrollValueForRow(m_topRow));
}

void HexView::scrollContentsBy(int dx, int dy)
{
    Q_UNUSED(dx)
    Q_UNUSED(dy)
    // Everything is painted from m_topRow and the horizontal scrollbar's value; the default would
    // scroll the viewport's pixels by the scrollbar delta, which is meaningless when it is scaled.
    viewport()->update();
}

void HexView::wheelEvent(QWheelEvent* event)
{
    const int dy = event->angleDelta().y();
    if (dy == 0) {
        QAbstractScrollArea::wheelEvent(event); // horizontal wheel: the horizontal scrollbar
        return;
    }
    event->accept();
    // One notch (120 eighths of a degree) scrolls wheelScrollLines rows; high-resolution wheels send
    // smaller deltas, which accumulate.
    m_wheelRemainder += dy;
    const int notches = m_wheelRemainder / 120;
    m_wheelRemainder -= notches * 120;
    if (notches == 0)
        return;
    const quint64 rows
        = quint64(std::abs(notches)) * quint64(std::max(1, QGuiApplication::styleHints()->wheelScrollLines()));
    if (notches > 0)
        setTopRow(m_topRow > rows ? m_topRow - rows : 0);
    else
        setTopRow(m_topRow + rows);
}

void HexView::updateBytes(quint64 first, quint64 last)
{
    if (last < first)
        return;
    const quint64 slotCount = quint64(visibleRowCount());
    const quint64 firstRow = std::max(first / m_bytesPerRow, m_topRow);
    const quint64 lastRow = std::min(last / m_bytesPerRow, m_topRow + slotCount - 1);
    if (slotCount == 0 || firstRow > lastRow)
        return;
    const qreal cw = m_charWidth;
    const int scrollX = horizontalScrollBar()->value();
    QWidget* vp = viewport();
    for (quint64 row = firstRow; row <= lastRow; ++row) {
        const int firstCol = row == first / m_bytesPerRow ? int(first % m_bytesPerRow) : 0;
        const int lastCol = row == last / m_bytesPerRow ? int(last % m_bytesPerRow) : m_bytesPerRow - 1;
        const int top = rowTop(row);
        // The hex cells with their highlight bands, and the ASCII cells: two rectangles a row.
        const qreal hexLeft = hexBandLeft(firstCol) - scrollX;
        const qreal hexRight = hexBandRight(lastCol) - scrollX;
        vp->update(QRectF(hexLeft, top, hexRight - hexLeft, m_lineHeight).toAlignedRect());
        const qreal asciiLeft = asciiCellX(firstCol) - scrollX;
        vp->update(QRectF(asciiLeft, top, (lastCol - firstCol + 1) * cw, m_lineHeight).toAlignedRect());
    }
}

void HexView::updateByteRuns(quint64 row, quint64 columnMask)
{
    const quint64 rowStart = row * m_bytesPerRow;
    int col = 0;
    while (col < m_bytesPerRow) {
        if (!(columnMask & (quint64(1) << col))) {
            ++col;
            continue;
        }
        const int runStart = col;
        while (col < m_bytesPerRow && (columnMask & (quint64(1) << col)))
            ++col;
        updateBytes(rowStart + quint64(runStart), rowStart + quint64(col - 1));
    }
}

qreal HexView::hexCellX(int column) const
{
    // Two digits a byte, a space after each group, and one more every 8 bytes when groups are smaller
    // (the classic gap after byte 8 of 16).
    const int spaces = column / m_groupSize + (m_groupSize < 8 ? column / 8 : 0);
    return m_hexX + (column * 2 + spaces) * m_charWidth;
}

qreal HexView::hexBandLeft(int column) const
{
    // Half of the space before the cell, so that the bands of neighbouring cells meet.
    const qreal previousEnd = column == 0 ? m_hexX - m_charWidth : hexCellX(column - 1) + 2 * m_charWidth;
    return hexCellX(column) - (hexCellX(column) - previousEnd) / 2;
}

qreal HexView::hexBandRight(int column) const
{
    const qreal end = hexCellX(column) + 2 * m_charWidth;
    const qreal nextStart = column + 1 >= m_bytesPerRow ? end + m_charWidth : hexCellX(column + 1);
    return end + (nextStart - end) / 2;
}

qreal HexView::asciiCellX(int column) const
{
    return m_asciiX + column * m_charWidth;
}

int HexView::rowTop(quint64 row) const
{
    return m_headerHeight + int(row - m_topRow) * m_lineHeight;
}

} // namespace shmscope
