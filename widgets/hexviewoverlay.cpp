// HexView's field colours: the translucent colours a FieldOverlay (the Structure panel's decoded fields)
// gives its fields, under the hex and ASCII cells of each field's bytes, ImHex-style; and the view's
// background (Base) with them.

#include "widgets/hexview.h"
#include "widgets/hexviewdetail.h"

#include <QPainter>
#include <QScrollBar>
#include <algorithm>

namespace shmscope {

using namespace hexviewdetail;

namespace {

// `fill` (translucent) painted source-over on the opaque `base`, computed here once per field rather than
// blended by the paint engine for every pixel: a field's cells are filled with this opaque colour instead
// of Base, which gives the pixels a translucent fill over Base would (up to a rounding step) at a
// fraction of the cost (a plain rectangle fill, no blend, no second pass; hexview_bench overlay_paint_ratio).
// The arithmetic is the raster engine's: premultiply the source, scale the destination by 255 - alpha.
QRgb blendOverBase(QRgb base, QRgb fill)
{
    const uint alpha = uint(qAlpha(fill));
    const QRgb source = qPremultiply(fill);
    const auto scaled = [alpha](uint channel) {
        const uint t = channel * (255 - alpha);
        return (t + (t >> 8) + 0x80) >> 8;
    };
    return qRgb(int(uint(qRed(source)) + scaled(uint(qRed(base)))),
                int(uint(qGreen(source)) + scaled(uint(qGreen(base)))),
                int(uint(qBlue(source)) + scaled(uint(qBlue(base)))));
}

} // namespace

void HexView::setFieldOverlay(FieldOverlay* overlay)
{
    if (m_fieldOverlay == overlay)
        return;
    if (m_fieldOverlay) {
        disconnect(m_fieldOverlay, nullptr, this, nullptr);
        disconnect(m_fieldOverlay, nullptr, viewport(), nullptr);
    }
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

void HexView::paintBackground(QPainter& painter, const QRect& area, const QColor& base)
{
    // Base everywhere (one wide fill), then each field's cells in its colour blended over Base once
    // (blendOverBase): an opaque rectangle fill instead of a per-pixel blend. Measured against filling each
    // row left to right with Base and field parts (every pixel once), this is as fast or faster: the cost
    // is in the number of short scanline fills, not in writing a pixel twice (hexview_bench).
    painter.fillRect(area, base);
    const quint64 rows = rowCount();
    const int slotCount = visibleRowCount();
    if (!m_fieldOverlay || area.bottom() < m_headerHeight || rows == 0 || slotCount == 0)
        return;
    const int firstSlot = std::max(0, (area.top() - m_headerHeight) / m_lineHeight);
    const int lastSlot = std::min(slotCount - 1, (area.bottom() - m_headerHeight) / m_lineHeight);
    const quint64 firstRow = m_topRow + quint64(firstSlot);
    if (lastSlot < firstSlot || firstRow >= rows)
        return;
    const quint64 lastRow = std::min(m_topRow + quint64(lastSlot), rows - 1);
    const int scrollX = horizontalScrollBar()->value();
    if (area.right() < qRound(hexCellX(0)) - scrollX
        || area.left() >= qRound(asciiCellX(m_bytesPerRow - 1) + m_charWidth) - scrollX)
        return; // only the offset column, or the empty space right of the ASCII pane

    // Only the rows painted are asked for. Spans should come sorted and disjoint; unsorted ones are
    // sorted here (overlapping ones simply paint over each other).
    const quint64 perRow = quint64(m_bytesPerRow);
    const quint64 begin = firstRow * perRow;
    const quint64 end = std::min(sourceSize(), (lastRow + 1) * perRow);
    m_fieldSpans.clear();
    m_fieldOverlay->spansIn(begin, end, m_fieldSpans);
    if (m_fieldSpans.empty())
        return;
    const auto byOffset = [](const FieldSpan& a, const FieldSpan& b) { return a.offset < b.offset; };
    if (!std::is_sorted(m_fieldSpans.cbegin(), m_fieldSpans.cend(), byOffset))
        std::sort(m_fieldSpans.begin(), m_fieldSpans.end(), byOffset);

    const QRgb baseRgb = base.rgb();
    QRgb lastFill = 0;
    QRgb lastBlend = baseRgb;
    // The field parts of one row: x ranges in viewport pixels and their (opaque) colours.
    struct Part {
        int left;
        int right;
        QRgb colour;
        bool operator==(const Part& other) const = default;
    };
    std::vector<Part> parts;
    std::vector<Part> pending; // the parts of the rows not yet filled, which all look alike
    int pendingTop = 0;
    int pendingHeight = 0;
    const auto flush = [&] {
        for (const Part& part : pending)
            painter.fillRect(QRect(part.left, pendingTop, part.right - part.left, pendingHeight),
                             QColor::fromRgb(part.colour));
    };

    size_t next = 0; // the first span that may reach into the current row
    for (quint64 row = firstRow; row <= lastRow; ++row) {
        const quint64 rowStart = row * perRow;
        const quint64 rowEnd = std::min(end, rowStart + perRow);
        parts.clear();
        while (next < m_fieldSpans.size()
               && saturatingAdd(m_fieldSpans[next].offset, m_fieldSpans[next].length) <= rowStart)
            ++next;
        for (size_t i = next; i < m_fieldSpans.size() && m_fieldSpans[i].offset < rowEnd; ++i) {
            const FieldSpan& span = m_fieldSpans[i];
            const quint64 from = std::max(span.offset, rowStart);
            const quint64 to = std::min(saturatingAdd(span.offset, span.length), rowEnd);
            const QRgb fill = span.colour.rgba();
            if (to <= from || qAlpha(fill) == 0)
                continue;
            if (fill != lastFill) {
                lastFill = fill;
                lastBlend = blendOverBase(baseRgb, fill);
            }
            const int firstCol = int(from - rowStart);
            const int lastCol = int(to - 1 - rowStart);
            // Hex: from the first cell's first digit to the last cell's second one, the spaces between them
            // included (the field reads as one block); the spaces at its edges stay Base, so neighbours stay
            // apart. ASCII: the cells. Whole pixels (the layout's positions are whole already).
            parts.push_back(Part { qRound(hexCellX(firstCol)) - scrollX,
                                   qRound(hexCellX(lastCol) + 2 * m_charWidth) - scrollX, lastBlend });
            parts.push_back(Part { qRound(asciiCellX(firstCol)) - scrollX,
                                   qRound(asciiCellX(lastCol) + m_charWidth) - scrollX, lastBlend });
        }
        // Rows that look alike (inside one long field, or without fields) are filled together.
        if (pendingHeight > 0 && parts == pending) {
            pendingHeight += m_lineHeight;
            continue;
        }
        flush();
        pending.swap(parts);
        pendingTop = rowTop(row);
        pendingHeight = m_lineHeight;
    }
    flush();
}

} // namespace shmscope
