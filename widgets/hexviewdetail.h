#pragma once

// Internal to shmscope_widgets: the small helpers and constants that the files of HexView
// (hexview.cpp, hexviewlayout.cpp, hexviewpaint.cpp, hexglyphs.cpp, hexviewedit.cpp, hexeditcommands.cpp,
// hexviewselection.cpp, hexviewlive.cpp, hexviewoverlay.cpp) share.

#include <QColor>
#include <QString>
#include <algorithm>

namespace shmscope::hexviewdetail {

// Strength of a fresh highlight: the share of the accent colour mixed into the Base colour. Below 1
// so that Text stays readable on it in light and dark palettes alike.
constexpr qreal kHighlightStrength = 0.7;
constexpr char kHexDigits[] = "0123456789abcdef";

inline quint64 saturatingAdd(quint64 a, quint64 b)
{
    return a > ~quint64(0) - b ? ~quint64(0) : a + b;
}

// Linear mix of two colours: t = 0 gives a, t = 1 gives b. Mixing with the palette's Base rather than
// using fixed colours keeps highlights readable on dark themes.
inline QColor mix(const QColor& a, const QColor& b, qreal t)
{
    t = std::clamp(t, 0.0, 1.0);
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
                            float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

// Amber for bytes others changed, violet for bytes this process wrote: distinct from each other and
// from the (usually blue) selection colour of the cursor, also for the common forms of colour blindness.
inline QColor externalAccent()
{
    return QColor(255, 150, 20);
}

inline QColor ownAccent()
{
    return QColor(160, 90, 255);
}

// Teal for bytes typed but still waiting for the object's lock: neither change colour nor the selection.
inline QColor pendingAccent()
{
    return QColor(0, 170, 170);
}

inline bool isPrintableAscii(uchar c)
{
    return c >= 0x20 && c < 0x7f;
}

inline int hexDigitValue(QChar ch)
{
    const char16_t u = ch.unicode();
    if (u >= u'0' && u <= u'9')
        return u - u'0';
    if (u >= u'a' && u <= u'f')
        return u - u'a' + 10;
    if (u >= u'A' && u <= u'F')
        return u - u'A' + 10;
    return -1;
}

inline QString hexOffset(quint64 offset)
{
    return QStringLiteral("0x") + QString::number(offset, 16);
}

} // namespace shmscope::hexviewdetail
