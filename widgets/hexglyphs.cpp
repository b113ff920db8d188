// HexView's glyph cache and colours: every cell's text pre-rendered once per font, palette, layout and
// device pixel ratio (see HexView::Glyphs in hexglyphs.h).

#include "widgets/hexglyphs.h"

#include "widgets/hexviewdetail.h"

#include <QFontMetrics>
#include <QPainter>
#include <QtMath>

namespace shmscope {

using namespace hexviewdetail;

HexView::Colors HexView::viewColors(const QPalette& pal)
{
    Colors c;
    c.base = pal.color(QPalette::Base);
    c.text = pal.color(QPalette::Text);
    c.dim = mix(c.base, c.text, 0.45); // zero bytes, non-printables, unreadable bytes
    c.offset = mix(c.base, c.text, 0.6);
    c.rule = mix(c.base, c.text, 0.18);
    c.highlight = pal.color(QPalette::Highlight);
    c.highlightedText = pal.color(QPalette::HighlightedText);
    c.headerBase = pal.color(QPalette::AlternateBase);
    // A tint of Highlight rather than Highlight itself: the cached glyphs are drawn in Text, which
    // stays readable on it in light and dark palettes, and the cursor's solid block stays distinct.
    c.selection = mix(c.base, c.highlight, 0.4);
    c.pending = mix(c.base, pendingAccent(), 0.45);
    return c;
}

namespace {

QPixmap renderText(const QString& text, const QFont& font, const QColor& color, qreal width, int height, int ascent,
                   qreal dpr)
{
    QPixmap pixmap(QSize(qCeil(width * dpr) + 1, qCeil(height * dpr)));
    pixmap.setDevicePixelRatio(dpr);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setFont(font);
    p.setPen(color);
    p.drawText(QPointF(0, ascent), text);
    return pixmap;
}

} // namespace

void HexView::ensureGlyphs(qreal dpr)
{
    const Colors c = viewColors(palette());
    if (m_glyphs && m_glyphs->dpr == dpr && m_glyphs->font == font() && m_glyphs->text == c.text.rgba()
        && m_glyphs->dim == c.dim.rgba() && m_glyphs->offset == c.offset.rgba() && m_glyphs->charWidth == m_charWidth
        && m_glyphs->lineHeight == m_lineHeight && m_glyphs->offsetDigits == m_offsetDigits
        && m_glyphs->bytesPerRow == m_bytesPerRow && m_glyphs->groupSize == m_groupSize)
        return;
    auto g = std::make_unique<Glyphs>();
    g->dpr = dpr;
    g->font = font();
    g->text = c.text.rgba();
    g->dim = c.dim.rgba();
    g->offset = c.offset.rgba();
    g->charWidth = m_charWidth;
    g->lineHeight = m_lineHeight;
    g->offsetDigits = m_offsetDigits;
    g->bytesPerRow = m_bytesPerRow;
    g->groupSize = m_groupSize;
    const qreal cw = m_charWidth;
    QString pair(2, QLatin1Char('0'));
    for (int v = 0; v < 256; ++v) {
        pair[0] = QLatin1Char(kHexDigits[v >> 4]);
        pair[1] = QLatin1Char(kHexDigits[v & 0xf]);
        g->hexPair[v] = renderText(pair, font(), v == 0 ? c.dim : c.text, 2 * cw, m_lineHeight, m_ascent, dpr);
        g->offsetPair[v] = renderText(pair, font(), c.offset, 2 * cw, m_lineHeight, m_ascent, dpr);
        // Non-printables show as a dim '.', so that a real '.' (0x2e) stays distinguishable.
        const bool printable = isPrintableAscii(uchar(v));
        g->ascii[v] = renderText(printable ? QString(QLatin1Char(char(v))) : QStringLiteral("."), font(),
                                 printable ? c.text : c.dim, cw, m_lineHeight, m_ascent, dpr);
    }
    g->unreadable = renderText(QStringLiteral("??"), font(), c.dim, 2 * cw, m_lineHeight, m_ascent, dpr);

    // Column numbers over the first byte of each group (all of them with groups of 1).
    QString hexHeader(qRound((hexCellX(m_bytesPerRow - 1) - m_hexX) / cw) + 2, QLatin1Char(' '));
    QString asciiHeader(m_bytesPerRow, QLatin1Char(' '));
    for (int col = 0; col < m_bytesPerRow; ++col) {
        asciiHeader[col] = QLatin1Char(kHexDigits[col & 0xf]);
        if (col % m_groupSize != 0)
            continue;
        const int h = qRound((hexCellX(col) - m_hexX) / cw);
        hexHeader[h] = QLatin1Char(kHexDigits[col >> 4]);
        hexHeader[h + 1] = QLatin1Char(kHexDigits[col & 0xf]);
    }
    QPixmap header(QSize(qCeil(m_contentWidth * dpr) + 1, qCeil(m_headerHeight * dpr)));
    header.setDevicePixelRatio(dpr);
    header.fill(Qt::transparent);
    {
        QPainter p(&header);
        p.setFont(font());
        p.setPen(c.offset);
        const qreal baseline = (m_headerHeight - m_lineHeight) / 2 + m_ascent;
        const QString title
            = QFontMetrics(font()).elidedText(tr("Offset"), Qt::ElideRight, qFloor(m_offsetDigits * cw));
        p.drawText(QPointF(m_offsetX, baseline), title);
        p.drawText(QPointF(m_hexX, baseline), hexHeader);
        p.drawText(QPointF(m_asciiX, baseline), asciiHeader);
    }
    g->header = header;
    m_glyphs = std::move(g);
}

} // namespace shmscope
