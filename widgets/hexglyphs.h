#pragma once

// Internal to shmscope_widgets: HexView's colours and its cache of pre-rendered glyphs (hexglyphs.cpp
// builds them, hexviewpaint.cpp draws with them).

#include "widgets/hexview.h"

#include <QColor>
#include <QFont>
#include <QPixmap>

namespace shmscope {

// Pre-rendered text of the view: every hex pair, every ASCII cell and the header, each a transparent
// QPixmap at the device pixel ratio of the surface painted on (so crisp at ratio 2), in the colour it
// is shown in. Drawing a page is then about 1,400 untransformed pixmap blits, which QPainter's raster
// engine does without shaping or glyph lookup; drawText() per row costs several times more (issue 3
// quotes 0.27 ms a page for pre-rendered glyphs against 2.3–10 ms for widgets that lay out text).
struct HexView::Glyphs {
    qreal dpr = 0;
    QFont font;
    QRgb text = 0;
    QRgb dim = 0;
    QRgb offset = 0;
    qreal charWidth = 0;
    int lineHeight = 0;
    int offsetDigits = 0;
    int bytesPerRow = 0;
    int groupSize = 0;
    QPixmap hexPair[256]; // "00" dim, the rest in Text
    QPixmap offsetPair[256]; // two offset digits in the offset colour
    QPixmap ascii[256]; // printable ASCII in Text, everything else as a dim '.'
    QPixmap unreadable; // "??", dim
    QPixmap header; // "Offset", the column numbers of both panes
};

// The colours the view derives from its palette: mixing with Base keeps them readable in dark themes.
struct HexView::Colors {
    QColor base, text, dim, offset, rule, highlight, highlightedText, headerBase, selection, pending;
};

} // namespace shmscope
