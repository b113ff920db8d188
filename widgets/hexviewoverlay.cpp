// HexView's field colours: the translucent fills a FieldOverlay (the Structure panel's decoded fields)
// asks for under the hex and ASCII cells of each field's bytes, ImHex-style.

#include "widgets/hexview.h"
#include "widgets/hexviewdetail.h"

#include <QPainter>
#include <QScrollBar>
#include <algorithm>

namespace shmscope {

using namespace hexviewdetail;

void HexView::setFieldOverlay(FieldOverlay* overlay)
{
    if (m_fieldOverlay == overlay)
        return;
    if (m_fieldOverlay)
        disconnect(m_fieldOverlay, nullptr, this, nullptr);
    m_fieldOverlay = overlay;
    if (overlay) {
        connect(overlay, &FieldOverlay::spansChanged, this, &HexView::onFieldSpansChanged);
        // The QPointer forgets it by itself; the fields it coloured must go from the screen too.
        connect(overlay, &QObject::destroyed, viewport(), qOverload<>(&QWidget::update));
    }
    viewport()->update();
}

FieldOverlay* HexView::fieldOverlay() const
{
    return m_fieldOverlay.data();
}

void HexView::onFieldSpansChanged(quint64 offset, quint64 length)
{
    if (length == 0) {
        viewport()->update();
        return;
    }
    updateBytes(offset, saturatingAdd(offset, length - 1)); // only the visible rows' cells
}

void HexView::paintFieldSpans(QPainter& painter, quint64 begin, quint64 end, int scrollX)
{
    if (!m_fieldOverlay || begin >= end)
        return;
    m_fieldSpans.clear();
    m_fieldOverlay->spansIn(begin, end, m_fieldSpans);
    const quint64 perRow = quint64(m_bytesPerRow);
    for (const FieldSpan& span : m_fieldSpans) {
        // Clamped to what is painted: a provider may report a field that starts above or ends below.
        const quint64 first = std::max(span.offset, begin);
        const quint64 stop = std::min(saturatingAdd(span.offset, span.length), end);
        if (stop <= first || span.colour.alpha() == 0)
            continue;
        const quint64 last = stop - 1;
        const quint64 firstRow = first / perRow;
        const quint64 lastRow = last / perRow;
        const int firstCol = int(first % perRow);
        const int lastCol = int(last % perRow);
        if (firstRow == lastRow) {
            fillFieldCells(painter, firstRow, 1, firstCol, lastCol, span.colour, scrollX);
            continue;
        }
        // A field over several rows: its part of the first row, the whole rows between as one rectangle
        // a pane (a large array costs two fills, not two a row), its part of the last row.
        quint64 middle = firstRow + 1;
        if (firstCol == 0)
            middle = firstRow;
        else
            fillFieldCells(painter, firstRow, 1, firstCol, m_bytesPerRow - 1, span.colour, scrollX);
        const quint64 middleEnd = lastCol == m_bytesPerRow - 1 ? lastRow + 1 : lastRow;
        if (middleEnd > middle)
            fillFieldCells(painter, middle, int(middleEnd - middle), 0, m_bytesPerRow - 1, span.colour, scrollX);
        if (middleEnd == lastRow)
            fillFieldCells(painter, lastRow, 1, 0, lastCol, span.colour, scrollX);
    }
}

void HexView::fillFieldCells(QPainter& painter, quint64 row, int rows, int firstColumn, int lastColumn,
                             const QColor& colour, int scrollX)
{
    // Whole pixels (the layout's positions are whole already): the raster engine's fast rectangle fill,
    // and two fields that meet in the ASCII pane share no pixel column.
    const int top = rowTop(row);
    const int height = rows * m_lineHeight;
    // Hex: from the first cell's first digit to the last cell's second one, spaces between them included
    // (the field reads as one block); the spaces at its edges stay unfilled, so neighbours stay apart.
    const int hexLeft = qRound(hexCellX(firstColumn)) - scrollX;
    const int hexRight = qRound(hexCellX(lastColumn) + 2 * m_charWidth) - scrollX;
    painter.fillRect(QRect(hexLeft, top, hexRight - hexLeft, height), colour);
    const int asciiLeft = qRound(asciiCellX(firstColumn)) - scrollX;
    const int asciiRight = qRound(asciiCellX(lastColumn) + m_charWidth) - scrollX;
    painter.fillRect(QRect(asciiLeft, top, asciiRight - asciiLeft, height), colour);
}

} // namespace shmscope
