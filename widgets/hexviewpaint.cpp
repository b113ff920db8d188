// HexView's painting: the visible rows of each rectangle asked for, drawn from the glyph cache
// (hexglyphs.*), with the selection, waiting edits, change highlights and the cursor on top.

#include "widgets/bytesource.h"
#include "widgets/hexglyphs.h"
#include "widgets/hexview.h"
#include "widgets/hexviewdetail.h"
#include "widgets/writequeue.h"

#include <QPaintEngine>
#include <QPaintEvent>
#include <QPainter>
#include <QScrollBar>
#include <algorithm>
#include <vector>

namespace shmscope {

using namespace hexviewdetail;

void HexView::paintEvent(QPaintEvent* event)
{
    QPainter painter(viewport());
    // The device actually painted on (a backing store, or an image for QWidget::render()), whose pixel
    // ratio can differ from the widget's.
    const QPaintDevice* device = painter.paintEngine() ? painter.paintEngine()->paintDevice() : nullptr;
    const qreal dpr = device ? device->devicePixelRatio() : devicePixelRatio();
    ensureGlyphs(dpr);
    const Colors c = viewColors(palette());
    const int width = viewport()->width();
    const int height = viewport()->height();
    const int scrollX = horizontalScrollBar()->value();
    const QRegion& region = event->region();

    // Data changes arrive as the rectangles of the changed bytes; paint each on its own (clipped to it,
    // so that a cell crossing two rectangles is not blended twice) rather than their bounding box.
    for (const QRect& area : region) {
        painter.setClipRect(area);
        // Base, and the field colours (hexviewoverlay.cpp): selection, waiting edits, highlights and the cursor
        // go over them.
        paintBackground(painter, area, c.base);
        paintArea(painter, area, c);
    }
    painter.setClipping(false);

    // Column rules between offsets, hex and ASCII.
    painter.setPen(c.rule);
    const qreal cw = m_charWidth;
    const qreal rule1 = qRound(m_hexX - cw) + 0.5 - scrollX;
    const qreal rule2 = qRound(m_asciiX - cw) + 0.5 - scrollX;
    painter.drawLine(QPointF(rule1, 0), QPointF(rule1, height));
    painter.drawLine(QPointF(rule2, 0), QPointF(rule2, height));

    // Header with the column numbers, drawn last so rows never cover it.
    if (region.boundingRect().top() < m_headerHeight) {
        painter.fillRect(QRect(0, 0, width, m_headerHeight), c.headerBase);
        painter.drawLine(QPointF(0, m_headerHeight - 0.5), QPointF(width, m_headerHeight - 0.5));
        painter.drawLine(QPointF(rule1, 0), QPointF(rule1, m_headerHeight));
        painter.drawLine(QPointF(rule2, 0), QPointF(rule2, m_headerHeight));
        painter.drawPixmap(QPointF(-scrollX, 0), m_glyphs->header);
    }
}

void HexView::paintArea(QPainter& painter, const QRect& area, const Colors& c)
{
    const Glyphs& g = *m_glyphs;
    const qreal cw = m_charWidth;
    const int scrollX = horizontalScrollBar()->value();
    const quint64 size = sourceSize();
    const quint64 rows = rowCount();
    const int slotCount = visibleRowCount();
    if (area.bottom() < m_headerHeight || rows == 0)
        return;
    const int firstSlot = std::max(0, (area.top() - m_headerHeight) / m_lineHeight);
    const int lastSlot = std::min(slotCount - 1, (area.bottom() - m_headerHeight) / m_lineHeight);

    // Which columns of each pane the area touches, in content coordinates; a hex cell owns the band
    // from half a space before it to half a space after it (where its highlight is drawn).
    const qreal left = area.left() + scrollX;
    const qreal right = area.right() + 1 + scrollX;
    quint32 hexColumns = 0;
    quint32 asciiColumns = 0;
    for (int col = 0; col < m_bytesPerRow; ++col) {
        if (hexBandLeft(col) < right && hexBandRight(col) > left)
            hexColumns |= 1u << col;
        const qreal ax = asciiCellX(col);
        if (ax < right && ax + cw > left)
            asciiColumns |= 1u << col;
    }
    const bool offsetColumn = m_offsetX < right && m_offsetX + m_offsetDigits * cw > left;
    if (!hexColumns && !asciiColumns && !offsetColumn)
        return;

    const bool focused = hasFocus();
    const qint64 now = m_clock.elapsed();
    const bool anyHighlight = !m_highlights.isEmpty();
    const char* snap = m_snapData.constData();
    const quint64 selFirst = selectionStart();
    const quint64 selLast = m_selectionActive ? std::max(m_anchor, m_cursor) : 0;

    // Bytes waiting for the lock (the WriteQueue's previews, later ones win) are shown in place of the
    // object's, on their own tint: only the rows painted are looked up.
    const quint64 paintStart = (m_topRow + quint64(firstSlot)) * quint64(m_bytesPerRow);
    const quint64 paintEnd
        = std::min(size, (m_topRow + quint64(std::max(lastSlot, firstSlot)) + 1) * quint64(m_bytesPerRow));
    std::vector<int> pending;
    if (m_source && paintEnd > paintStart) {
        const QList<WriteQueue::Preview> previews = m_source->writeQueue()->previews();
        if (!previews.isEmpty())
            pending.assign(size_t(paintEnd - paintStart), -1);
        for (const WriteQueue::Preview& preview : previews) {
            const quint64 from = std::max(preview.offset, paintStart);
            const quint64 to = std::min(preview.offset + quint64(preview.bytes.size()), paintEnd);
            for (quint64 at = from; at < to; ++at)
                pending[size_t(at - paintStart)] = uchar(preview.bytes.at(qsizetype(at - preview.offset)));
        }
    }

    for (int slot = firstSlot; slot <= lastSlot; ++slot) {
        const quint64 row = m_topRow + quint64(slot);
        if (row >= rows)
            break;
        const quint64 rowStart = row * m_bytesPerRow;
        const int count = int(std::min<quint64>(m_bytesPerRow, size - rowStart));
        const int y = m_headerHeight + slot * m_lineHeight;

        if (offsetColumn) {
            const int x = qRound(m_offsetX) - scrollX;
            for (int d = 0; d < m_offsetDigits; d += 2) {
                const int shift = 4 * (m_offsetDigits - 2 - d);
                painter.drawPixmap(QPointF(x + d * cw, y), g.offsetPair[(rowStart >> shift) & 0xff]);
            }
            if (m_pageBoundary != 0 && rowStart % m_pageBoundary == 0)
                painter.fillRect(QRectF(x, y, m_offsetDigits * cw, 1), palette().color(QPalette::Highlight));
        }

        const quint32 columns = (hexColumns | asciiColumns) & (count >= 32 ? ~0u : (1u << count) - 1);
        for (int col = 0; col < m_bytesPerRow; ++col) {
            if (!(columns & (1u << col)))
                continue;
            const quint64 offset = rowStart + quint64(col);
            const int pendingValue = offset >= paintStart && offset - paintStart < quint64(pending.size())
                ? pending[size_t(offset - paintStart)]
                : -1;
            const bool readable = pendingValue >= 0
                || (m_snapValid && offset >= m_snapStart && offset - m_snapStart < quint64(m_snapReadable));
            const uchar value = pendingValue >= 0 ? uchar(pendingValue)
                : readable                        ? uchar(snap[offset - m_snapStart])
                                                  : 0;
            const qreal hx = hexCellX(col) - scrollX;
            const qreal ax = asciiCellX(col) - scrollX;
            const bool inHex = hexColumns & (1u << col);
            const bool inAscii = asciiColumns & (1u << col);

            const bool selected = m_selectionActive && offset >= selFirst && offset <= selLast;
            const QRectF band(hexBandLeft(col) - scrollX, y, hexBandRight(col) - hexBandLeft(col), m_lineHeight);
            if (selected) {
                // The band includes the half spaces on both sides, so a selection reads as one block.
                if (inHex)
                    painter.fillRect(band, c.selection);
                if (inAscii)
                    painter.fillRect(QRectF(ax, y, cw, m_lineHeight), c.selection);
            }
            if (pendingValue >= 0) {
                if (inHex)
                    painter.fillRect(band, c.pending);
                if (inAscii)
                    painter.fillRect(QRectF(ax, y, cw, m_lineHeight), c.pending);
            }
            if (anyHighlight && pendingValue < 0) {
                const auto it = m_highlights.constFind(offset);
                if (it != m_highlights.constEnd() && now - it->since < m_highlightDuration) {
                    const qreal fade = 1.0 - qreal(now - it->since) / m_highlightDuration;
                    const QColor accent = it->kind == HighlightKind::Own ? ownAccent() : externalAccent();
                    const QColor fill = mix(selected ? c.selection : c.base, accent, kHighlightStrength * fade);
                    // Half a space on each side, so adjacent changed bytes form one band.
                    if (inHex)
                        painter.fillRect(band, fill);
                    if (inAscii)
                        painter.fillRect(QRectF(ax, y, cw, m_lineHeight), fill);
                }
            }

            if (offset == m_cursor) {
                const QRectF hexCell(hx, y, 2 * cw, m_lineHeight);
                const QRectF asciiCell(ax, y, cw, m_lineHeight);
                const QRectF active = m_pane == Pane::Hex ? hexCell : asciiCell;
                const QRectF other = m_pane == Pane::Hex ? asciiCell : hexCell;
                // The pane that takes typing gets a solid block (paler without focus), the other an outline.
                painter.fillRect(active, focused ? c.highlight : mix(c.base, c.highlight, 0.35));
                painter.setPen(c.highlight);
                painter.drawRect(other.adjusted(0.5, 0.5, -0.5, -0.5));
                if (m_pane == Pane::Hex && focused)
                    painter.fillRect(QRectF(hexCell.x() + m_nibble * cw, y + m_lineHeight - 2, cw, 2),
                                     c.highlightedText);
                // The cursor's own colours: drawn as text, one cell, not worth a cache.
                QString hexCellText(2, QLatin1Char('?'));
                QString asciiCellText(1, QLatin1Char(' '));
                if (readable) {
                    hexCellText[0] = QLatin1Char(kHexDigits[value >> 4]);
                    hexCellText[1] = QLatin1Char(kHexDigits[value & 0xf]);
                    asciiCellText[0] = isPrintableAscii(value) ? QLatin1Char(char(value)) : QLatin1Char('.');
                }
                const QColor activeText = focused ? c.highlightedText : c.text;
                painter.setFont(font());
                painter.setPen(m_pane == Pane::Hex ? activeText : c.text);
                painter.drawText(QPointF(hexCell.x(), y + m_ascent), hexCellText);
                painter.setPen(m_pane == Pane::Ascii ? activeText : c.text);
                painter.drawText(QPointF(asciiCell.x(), y + m_ascent), asciiCellText);
                continue;
            }
            if (!readable) {
                if (inHex)
                    painter.drawPixmap(QPointF(hx, y), g.unreadable);
                continue; // the ASCII pane stays blank: '?' would read as the byte 0x3f
            }
            if (inHex)
                painter.drawPixmap(QPointF(hx, y), g.hexPair[value]);
            if (inAscii)
                painter.drawPixmap(QPointF(ax, y), g.ascii[value]);
        }
    }
}

void HexView::setPageBoundaries(quint64 pageSize)
{
    if (m_pageBoundary == pageSize)
        return;
    m_pageBoundary = pageSize;
    viewport()->update();
}

} // namespace shmscope
