#include "widgets/hexview.h"

#include "widgets/bytesource.h"

#include <QFocusEvent>
#include <QFontDatabase>
#include <QFontInfo>
#include <QFontMetrics>
#include <QFontMetricsF>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QScrollBar>
#include <QStyleHints>
#include <QWheelEvent>
#include <QtMath>

#include <algorithm>
#include <climits>
#include <cstring>
#include <vector>

namespace shmscope {

namespace {

// 25 frames a second is smooth enough for a fade and cheap: each tick repaints only the rows that
// still hold a highlight.
constexpr int kFadeTickMs = 40;
// Strength of a fresh highlight: the share of the accent colour mixed into the Base colour. Below 1
// so that Text stays readable on it in light and dark palettes alike.
constexpr qreal kHighlightStrength = 0.7;
constexpr char kHexDigits[] = "0123456789abcdef";
// Characters of the hex pane: 16 bytes of two digits, a space after each but the last, one more
// space after byte 8.
constexpr int kHexPaneChars = HexView::kBytesPerRow * 3;

// The vertical scrollbar's range when rows do not fit in an int. Rows map linearly onto it.
constexpr int kScaledRange = INT_MAX;

// GCC/Clang 128-bit integers: the exact way to compute a*b/c for 64-bit a, b, c (row <-> scrollbar
// value) without overflow or the rounding of doubles. __extension__ keeps -pedantic quiet.
__extension__ typedef unsigned __int128 Uint128;

quint64 mulDiv(quint64 a, quint64 b, quint64 c)
{
    return c == 0 ? 0 : quint64(Uint128(a) * b / c);
}

quint64 saturatingAdd(quint64 a, quint64 b)
{
    return a > ~quint64(0) - b ? ~quint64(0) : a + b;
}

// Linear mix of two colours: t = 0 gives a, t = 1 gives b. Mixing with the palette's Base rather than
// using fixed colours keeps highlights readable on dark themes.
QColor mix(const QColor& a, const QColor& b, qreal t)
{
    t = std::clamp(t, 0.0, 1.0);
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t), float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

// Amber for bytes others changed, violet for bytes this process wrote: distinct from each other and
// from the (usually blue) selection colour of the cursor, also for the common forms of colour blindness.
QColor externalAccent()
{
    return QColor(255, 150, 20);
}

QColor ownAccent()
{
    return QColor(160, 90, 255);
}

bool isPrintableAscii(uchar c)
{
    return c >= 0x20 && c < 0x7f;
}

int hexDigitValue(QChar ch)
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

QString hexOffset(quint64 offset)
{
    return QStringLiteral("0x") + QString::number(offset, 16);
}

} // namespace

HexView::HexView(QWidget* parent)
    : QAbstractScrollArea(parent)
{
    QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    if (!QFontInfo(fixed).fixedPitch()) {
        // Some platforms (offscreen, minimal X sessions) answer FixedFont with a proportional font.
        fixed.setFamily(QStringLiteral("monospace"));
        fixed.setStyleHint(QFont::TypeWriter);
        fixed.setFixedPitch(true);
    }
    setFont(fixed);
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setCursor(Qt::IBeamCursor);
    setAttribute(Qt::WA_InputMethodEnabled, false);

    m_clock.start();
    m_pollTimer.setInterval(m_pollInterval);
    connect(&m_pollTimer, &QTimer::timeout, this, &HexView::poll);
    m_fadeTimer.setInterval(kFadeTickMs);
    connect(&m_fadeTimer, &QTimer::timeout, this, &HexView::onFadeTick);

    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, &HexView::onScrollBarValueChanged);
    connect(verticalScrollBar(), &QScrollBar::actionTriggered, this, &HexView::onScrollBarActionTriggered);
    relayout();
}

HexView::~HexView()
{
    if (m_source)
        disconnect(m_source, nullptr, this, nullptr);
}

void HexView::setSource(ByteSource* source)
{
    if (m_source == source)
        return;
    if (m_source)
        disconnect(m_source, nullptr, this, nullptr);
    m_source = source;
    m_highlights.clear();
    m_fadeTimer.stop();
    const bool cursorWasElsewhere = m_cursor != 0;
    m_cursor = 0;
    m_nibble = 0;
    m_topRow = 0;
    m_snapValid = false;
    m_snapData.clear();
    m_snapReadable = 0;
    if (source) {
        connect(source, &ByteSource::contentsChanged, this, &HexView::onSourceContentsChanged);
        connect(source, &ByteSource::bytesWritten, this, &HexView::onSourceBytesWritten);
        connect(source, &ByteSource::sizeChanged, this, &HexView::onSourceSizeChanged);
        connect(source, &QObject::destroyed, this, &HexView::onSourceDestroyed);
    }
    relayout();
    refreshSnapshot();
    updatePollTimer(isVisible());
    viewport()->update();
    if (cursorWasElsewhere)
        Q_EMIT cursorMoved(0);
}

ByteSource* HexView::source() const
{
    return m_source.data();
}

void HexView::setCursorOffset(quint64 offset)
{
    moveCursorTo(offset, 0);
}

void HexView::setCursorPane(Pane pane)
{
    if (m_pane == pane)
        return;
    m_pane = pane;
    m_nibble = 0;
    ensureCursorVisible();
    updateRows(m_cursor / kBytesPerRow, m_cursor / kBytesPerRow);
}

void HexView::setPollInterval(int ms)
{
    m_pollInterval = ms;
    if (ms > 0)
        m_pollTimer.setInterval(ms);
    updatePollTimer(isVisible());
}

void HexView::setHighlightDuration(int ms)
{
    m_highlightDuration = std::max(1, ms);
}

HexView::HighlightKind HexView::highlightKind(quint64 offset) const
{
    const auto it = m_highlights.constFind(offset);
    if (it == m_highlights.constEnd() || m_clock.elapsed() - it->since >= m_highlightDuration)
        return HighlightKind::None;
    return it->kind;
}

quint64 HexView::rowCount() const
{
    const quint64 size = sourceSize();
    // (size + 15) / 16 would overflow for sizes near 2^64.
    return size == 0 ? 0 : (size - 1) / kBytesPerRow + 1;
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
    const quint64 row = offset / kBytesPerRow;
    if (offset >= sourceSize() || row < m_topRow || row - m_topRow >= quint64(visibleRowCount()))
        return {};
    const int col = int(offset % kBytesPerRow);
    const qreal x = (pane == Pane::Hex ? hexCellX(col) : asciiCellX(col)) - horizontalScrollBar()->value();
    const qreal w = pane == Pane::Hex ? 2 * m_charWidth : m_charWidth;
    return QRectF(x, rowTop(row), w, m_lineHeight).toAlignedRect();
}

QSize HexView::sizeHint() const
{
    const int frame = 2 * frameWidth();
    return {qCeil(m_contentWidth) + verticalScrollBar()->sizeHint().width() + frame,
            m_headerHeight + 24 * m_lineHeight + frame};
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
    m_charWidth = std::max<qreal>(1, fm.horizontalAdvance(QLatin1Char('0')));
    m_lineHeight = std::max(1, fmi.height() + 2);
    m_ascent = fmi.ascent() + 1;
    m_headerHeight = m_lineHeight + 4;
    // 8 digits address 4 GiB; larger sources need all 16.
    m_offsetDigits = sourceSize() > (quint64(1) << 32) ? 16 : 8;
    m_offsetX = m_charWidth;
    m_hexX = m_offsetX + (m_offsetDigits + 2) * m_charWidth;
    m_asciiX = m_hexX + (kHexPaneChars + 2) * m_charWidth;
    m_contentWidth = m_asciiX + (kBytesPerRow + 1) * m_charWidth;
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

// ---- cursor and keys -----------------------------------------------------------------------------

void HexView::moveCursorTo(quint64 offset, int nibble)
{
    const quint64 size = sourceSize();
    offset = size == 0 ? 0 : std::min(offset, size - 1);
    const quint64 oldRow = m_cursor / kBytesPerRow;
    const bool moved = offset != m_cursor;
    m_cursor = offset;
    m_nibble = nibble;
    ensureCursorVisible();
    updateRows(oldRow, oldRow);
    updateRows(m_cursor / kBytesPerRow, m_cursor / kBytesPerRow);
    if (moved)
        Q_EMIT cursorMoved(m_cursor);
}

void HexView::ensureCursorVisible()
{
    const quint64 row = m_cursor / kBytesPerRow;
    const quint64 page = fullyVisibleRows();
    if (row < m_topRow)
        setTopRow(row);
    else if (row >= m_topRow + page)
        setTopRow(row - page + 1);

    const int col = int(m_cursor % kBytesPerRow);
    const qreal left = m_pane == Pane::Hex ? hexCellX(col) : asciiCellX(col);
    const qreal right = left + (m_pane == Pane::Hex ? 2 : 1) * m_charWidth;
    QScrollBar* hbar = horizontalScrollBar();
    const int width = viewport()->width();
    if (left - m_charWidth < hbar->value())
        hbar->setValue(qFloor(left - m_charWidth));
    else if (right + m_charWidth > hbar->value() + width)
        hbar->setValue(qCeil(right + m_charWidth) - width);
}

bool HexView::isNavigationKey(const QKeyEvent* event) const
{
    if (event->modifiers() & (Qt::AltModifier | Qt::MetaModifier))
        return false;
    switch (event->key()) {
    case Qt::Key_Left:
    case Qt::Key_Right:
    case Qt::Key_Up:
    case Qt::Key_Down:
    case Qt::Key_PageUp:
    case Qt::Key_PageDown:
    case Qt::Key_Home:
    case Qt::Key_End:
        return true;
    case Qt::Key_Tab:
    case Qt::Key_Backtab:
        return !(event->modifiers() & Qt::ControlModifier);
    default:
        return false;
    }
}

bool HexView::handleNavigationKey(QKeyEvent* event)
{
    if (!isNavigationKey(event))
        return false;
    if (event->key() == Qt::Key_Tab || event->key() == Qt::Key_Backtab) {
        setCursorPane(m_pane == Pane::Hex ? Pane::Ascii : Pane::Hex);
        return true;
    }
    const quint64 size = sourceSize();
    if (size == 0)
        return true;
    const quint64 last = size - 1;
    const quint64 lastRow = last / kBytesPerRow;
    const quint64 row = m_cursor / kBytesPerRow;
    const quint64 rowStart = row * kBytesPerRow;
    const bool ctrl = event->modifiers() & Qt::ControlModifier;
    const quint64 pageRows = fullyVisibleRows();
    const quint64 pageBytes = pageRows * kBytesPerRow;
    quint64 target = m_cursor;
    int nibble = 0;

    switch (event->key()) {
    case Qt::Key_Left:
        if (m_pane == Pane::Hex && m_nibble == 1)
            target = m_cursor; // from the low nibble back to the high one of the same byte
        else
            target = m_cursor > 0 ? m_cursor - 1 : 0;
        break;
    case Qt::Key_Right:
        target = std::min(m_cursor + 1, last);
        break;
    case Qt::Key_Up:
        target = row > 0 ? m_cursor - kBytesPerRow : m_cursor;
        break;
    case Qt::Key_Down:
        // On the second-to-last row the column may not exist in the (short) last row: go to the last byte.
        target = row < lastRow ? std::min(m_cursor + kBytesPerRow, last) : m_cursor;
        break;
    case Qt::Key_PageUp:
        // The page scrolls with the cursor, so the cursor keeps its place on the screen.
        setTopRow(m_topRow > pageRows ? m_topRow - pageRows : 0);
        target = m_cursor >= pageBytes ? m_cursor - pageBytes : m_cursor % kBytesPerRow;
        break;
    case Qt::Key_PageDown:
        setTopRow(m_topRow + pageRows);
        if (last - m_cursor >= pageBytes)
            target = m_cursor + pageBytes;
        else
            target = std::min(lastRow * kBytesPerRow + m_cursor % kBytesPerRow, last);
        break;
    case Qt::Key_Home:
        target = ctrl ? 0 : rowStart;
        break;
    case Qt::Key_End:
        target = ctrl ? last : std::min(rowStart + kBytesPerRow - 1, last);
        break;
    default:
        return false;
    }
    moveCursorTo(target, nibble);
    return true;
}

bool HexView::event(QEvent* event)
{
    if (event->type() == QEvent::KeyPress) {
        // QWidget::event() would turn Tab into a focus change before keyPressEvent() sees it.
        auto* key = static_cast<QKeyEvent*>(event);
        if ((key->key() == Qt::Key_Tab || key->key() == Qt::Key_Backtab) && isNavigationKey(key)) {
            keyPressEvent(key);
            return true;
        }
    } else if (event->type() == QEvent::ShortcutOverride) {
        // Keys the view uses must reach it even when an application shortcut uses the same key.
        auto* key = static_cast<QKeyEvent*>(event);
        const bool typing = !key->text().isEmpty() && key->text().at(0).isPrint()
            && !(key->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier));
        if (typing || isNavigationKey(key)) {
            event->accept();
            return true;
        }
    }
    return QAbstractScrollArea::event(event);
}

void HexView::keyPressEvent(QKeyEvent* event)
{
    if (handleNavigationKey(event)) {
        event->accept();
        return;
    }
    const QString text = event->text();
    const bool typing = !text.isEmpty() && text.at(0).isPrint()
        && !(event->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier));
    if (!typing) {
        // Enter, Escape, shortcuts...: let the parent (a dialog, the main window) have them.
        QAbstractScrollArea::keyPressEvent(event);
        return;
    }
    event->accept();
    typeText(text);
}

void HexView::typeText(const QString& text)
{
    const quint64 size = sourceSize();
    if (!m_source || size == 0) {
        Q_EMIT editRefused(tr("Nothing to edit: the view is empty."));
        return;
    }
    if (!m_source->isWritable()) {
        Q_EMIT editRefused(tr("The view is read-only: the byte at offset %1 was not changed.").arg(hexOffset(m_cursor)));
        return;
    }
    for (const QChar ch : text) {
        if (m_pane == Pane::Hex) {
            const int digit = hexDigitValue(ch);
            if (digit < 0) {
                Q_EMIT editRefused(tr("“%1” is not a hexadecimal digit: type 0–9 or a–f in the hex pane.").arg(ch));
                return;
            }
            // Read the byte now rather than trusting the last poll: another process may have changed
            // the nibble that is kept.
            char old = 0;
            if (!m_source->read(m_cursor, &old, 1)) {
                Q_EMIT editRefused(tr("Cannot edit offset %1: %2").arg(hexOffset(m_cursor), m_source->errorString()));
                return;
            }
            const uchar oldValue = uchar(old);
            const uchar value = m_nibble == 0 ? uchar((digit << 4) | (oldValue & 0x0f)) : uchar((oldValue & 0xf0) | digit);
            if (!writeByte(m_cursor, char(value)))
                return;
            if (m_nibble == 0)
                moveCursorTo(m_cursor, 1);
            else
                moveCursorTo(m_cursor + 1 < size ? m_cursor + 1 : m_cursor, 0);
        } else {
            const char16_t u = ch.unicode();
            if (u > 0xff || !isPrintableAscii(uchar(u))) {
                Q_EMIT editRefused(
                    tr("“%1” is not a printable ASCII character: only characters 0x20–0x7e fit in one byte of the ASCII pane.")
                        .arg(ch));
                return;
            }
            if (!writeByte(m_cursor, char(u)))
                return;
            moveCursorTo(m_cursor + 1 < size ? m_cursor + 1 : m_cursor, 0);
        }
    }
}

bool HexView::writeByte(quint64 offset, char value)
{
    // The source takes the object's lock and emits bytesWritten(), which marks the byte as our own
    // change (onSourceBytesWritten) and updates the snapshot so the next poll does not see it as foreign.
    if (!m_source->write(offset, QByteArray(1, value))) {
        Q_EMIT editRefused(tr("Could not write offset %1: %2").arg(hexOffset(offset), m_source->errorString()));
        return false;
    }
    return true;
}

void HexView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    setFocus(Qt::MouseFocusReason);
    event->accept();
    const quint64 rows = rowCount();
    const qreal y = event->position().y();
    if (rows == 0 || y < m_headerHeight)
        return;
    quint64 row = m_topRow + quint64((y - m_headerHeight) / m_lineHeight);
    row = std::min(row, rows - 1);

    const qreal x = event->position().x() + horizontalScrollBar()->value();
    Pane pane = m_pane;
    int col = 0;
    int nibble = 0;
    if (x >= m_asciiX - 1.5 * m_charWidth) {
        pane = Pane::Ascii;
        col = std::clamp(qFloor((x - m_asciiX) / m_charWidth), 0, kBytesPerRow - 1);
    } else if (x >= m_hexX - m_charWidth) {
        pane = Pane::Hex;
        qreal rel = (x - m_hexX) / m_charWidth;
        // Byte c occupies characters [3c, 3c + 2), plus one after byte 8 for the gap.
        if (rel >= 3 * (kBytesPerRow / 2))
            rel -= 1;
        col = std::clamp(qFloor(rel / 3), 0, kBytesPerRow - 1);
        nibble = rel - col * 3 >= 1 ? 1 : 0;
    }
    if (pane != m_pane) {
        m_pane = pane;
        viewport()->update();
    }
    moveCursorTo(row * kBytesPerRow + quint64(col), nibble);
}

void HexView::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton)
        event->accept(); // the press placed the cursor
    else
        QAbstractScrollArea::mouseReleaseEvent(event);
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
    const quint64 rows = quint64(std::abs(notches)) * quint64(std::max(1, QGuiApplication::styleHints()->wheelScrollLines()));
    if (notches > 0)
        setTopRow(m_topRow > rows ? m_topRow - rows : 0);
    else
        setTopRow(m_topRow + rows);
}

// ---- reading, polling, highlights ----------------------------------------------------------------

qint64 HexView::readPrefix(quint64 offset, char* out, qint64 length) const
{
    if (length <= 0 || !m_source)
        return 0;
    if (m_source->read(offset, out, length))
        return length;
    // The range is not wholly readable (the object shrank under us). What is readable is a prefix, so
    // find its length by bisection: a dozen small reads for a page, instead of one per byte.
    qint64 good = 0;
    qint64 bad = length;
    while (bad - good > 1) {
        const qint64 mid = good + (bad - good) / 2;
        if (m_source->read(offset, out, mid))
            good = mid;
        else
            bad = mid;
    }
    if (good > 0 && !m_source->read(offset, out, good))
        return 0;
    return good;
}

void HexView::refreshSnapshot()
{
    const quint64 rows = rowCount();
    if (!m_source || rows == 0) {
        m_snapStart = 0;
        m_snapData.clear();
        m_snapReadable = 0;
        m_snapValid = m_source != nullptr;
        return;
    }
    const quint64 size = sourceSize();
    const quint64 firstRow = m_topRow > quint64(kPollMarginRows) ? m_topRow - kPollMarginRows : 0;
    const quint64 endRow = std::min(rows, m_topRow + quint64(visibleRowCount()) + kPollMarginRows);
    const quint64 start = firstRow * kBytesPerRow;
    const quint64 end = endRow >= rows ? size : endRow * kBytesPerRow; // no overflow for sizes near 2^64
    const qint64 length = end > start ? qint64(end - start) : 0;

    QByteArray data(length, '\0');
    const qint64 readable = readPrefix(start, data.data(), length);

    if (m_snapValid) {
        // Compare only the bytes both reads saw: rows that just scrolled in have no earlier value.
        const quint64 overlapStart = std::max(start, m_snapStart);
        const quint64 overlapEnd = std::min(start + quint64(readable), m_snapStart + quint64(m_snapReadable));
        if (overlapStart < overlapEnd) {
            const char* now = data.constData() + (overlapStart - start);
            const char* before = m_snapData.constData() + (overlapStart - m_snapStart);
            const quint64 n = overlapEnd - overlapStart;
            if (std::memcmp(now, before, n) != 0) {
                quint64 lastDirtyRow = ~quint64(0);
                for (quint64 i = 0; i < n; ++i) {
                    if (now[i] == before[i])
                        continue;
                    const quint64 offset = overlapStart + i;
                    addHighlight(offset, HighlightKind::External);
                    const quint64 row = offset / kBytesPerRow;
                    if (row != lastDirtyRow) {
                        updateRows(row, row);
                        lastDirtyRow = row;
                    }
                }
            }
        }
        // Bytes that became unreadable (or readable again) change how whole rows look.
        const quint64 oldEnd = m_snapStart + quint64(m_snapReadable);
        const quint64 newEnd = start + quint64(readable);
        if (oldEnd != newEnd && oldEnd >= start && newEnd >= m_snapStart)
            viewport()->update();
    }
    m_snapStart = start;
    m_snapData = data;
    m_snapReadable = readable;
    m_snapValid = true;
}

void HexView::rereadRange(quint64 offset, quint64 length, HighlightKind kind)
{
    if (!m_source || !m_snapValid || length == 0)
        return;
    const quint64 snapEnd = m_snapStart + quint64(m_snapData.size());
    const quint64 start = std::max(offset, m_snapStart);
    const quint64 end = std::min(saturatingAdd(offset, length), snapEnd);
    if (start >= end)
        return; // not on screen: read it when it scrolls in
    const qint64 n = qint64(end - start);
    QByteArray buf(n, '\0');
    const qint64 got = readPrefix(start, buf.data(), n);
    if (got < n || start > m_snapStart + quint64(m_snapReadable)) {
        // Part of the range cannot be read (the object shrank) or lies past what was readable before:
        // start over with the whole window.
        refreshSnapshot();
        viewport()->update();
        return;
    }
    char* snap = m_snapData.data() + (start - m_snapStart);
    for (qint64 i = 0; i < n; ++i) {
        // Our own writes are marked even when the value did not change: the user sees the write land.
        if (kind == HighlightKind::Own || snap[i] != buf[i])
            addHighlight(start + quint64(i), kind);
    }
    std::memcpy(snap, buf.constData(), size_t(n));
    m_snapReadable = std::max(m_snapReadable, qint64(end - m_snapStart));
    updateRows(start / kBytesPerRow, (end - 1) / kBytesPerRow);
}

void HexView::onSourceContentsChanged(quint64 offset, quint64 length)
{
    rereadRange(offset, length, HighlightKind::External);
}

void HexView::onSourceBytesWritten(quint64 offset, quint64 length)
{
    rereadRange(offset, length, HighlightKind::Own);
}

void HexView::onSourceSizeChanged(quint64 newSize)
{
    Q_UNUSED(newSize)
    relayout(); // offset digits, scroll range, clamps the top row
    if (m_cursor >= sourceSize() && m_cursor != 0)
        moveCursorTo(m_cursor, 0); // clamps to the new last byte and emits cursorMoved()
    refreshSnapshot();
    viewport()->update();
}

void HexView::onSourceDestroyed()
{
    // m_source (a QPointer) is already null here.
    m_highlights.clear();
    m_fadeTimer.stop();
    m_pollTimer.stop();
    m_snapValid = false;
    m_snapData.clear();
    m_snapReadable = 0;
    m_cursor = 0;
    m_topRow = 0;
    relayout();
}

void HexView::poll()
{
    if (!m_source)
        return;
    m_source->refresh(); // may emit sizeChanged() → onSourceSizeChanged()
    refreshSnapshot();
}

void HexView::addHighlight(quint64 offset, HighlightKind kind)
{
    m_highlights.insert(offset, Highlight{m_clock.elapsed(), kind});
    if (!m_fadeTimer.isActive())
        m_fadeTimer.start();
}

void HexView::onFadeTick()
{
    const qint64 now = m_clock.elapsed();
    const int slotCount = visibleRowCount();
    std::vector<bool> dirty(size_t(std::max(0, slotCount)), false);
    for (auto it = m_highlights.begin(); it != m_highlights.end();) {
        const quint64 row = it.key() / kBytesPerRow;
        if (row >= m_topRow && row - m_topRow < quint64(slotCount))
            dirty[size_t(row - m_topRow)] = true;
        if (now - it->since >= m_highlightDuration)
            it = m_highlights.erase(it);
        else
            ++it;
    }
    for (int i = 0; i < slotCount; ++i) {
        if (dirty[size_t(i)])
            updateRows(m_topRow + quint64(i), m_topRow + quint64(i));
    }
    if (m_highlights.isEmpty())
        m_fadeTimer.stop(); // the animation runs only while something fades
}

void HexView::updatePollTimer(bool visible)
{
    if (m_source && visible && m_pollInterval > 0)
        m_pollTimer.start(m_pollInterval);
    else
        m_pollTimer.stop();
}

void HexView::updateRows(quint64 firstRow, quint64 lastRow)
{
    const quint64 slotCount = quint64(visibleRowCount());
    if (lastRow < m_topRow || firstRow >= m_topRow + slotCount)
        return;
    firstRow = std::max(firstRow, m_topRow);
    lastRow = std::min(lastRow, m_topRow + slotCount - 1);
    const int top = rowTop(firstRow);
    viewport()->update(0, top, viewport()->width(), int(lastRow - firstRow + 1) * m_lineHeight);
}

// ---- events ----------------------------------------------------------------------------------------

void HexView::resizeEvent(QResizeEvent* event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
    setTopRow(m_topRow);
    refreshSnapshot(); // more or fewer rows are visible now
}

void HexView::showEvent(QShowEvent* event)
{
    QAbstractScrollArea::showEvent(event);
    refreshSnapshot();
    updatePollTimer(true);
}

void HexView::hideEvent(QHideEvent* event)
{
    QAbstractScrollArea::hideEvent(event);
    updatePollTimer(false); // nobody looks: no reads
}

void HexView::changeEvent(QEvent* event)
{
    QAbstractScrollArea::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        relayout();
    else if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        viewport()->update();
}

void HexView::focusInEvent(QFocusEvent* event)
{
    QAbstractScrollArea::focusInEvent(event);
    updateRows(m_cursor / kBytesPerRow, m_cursor / kBytesPerRow);
}

void HexView::focusOutEvent(QFocusEvent* event)
{
    QAbstractScrollArea::focusOutEvent(event);
    updateRows(m_cursor / kBytesPerRow, m_cursor / kBytesPerRow);
}

// ---- painting --------------------------------------------------------------------------------------

qreal HexView::hexCellX(int column) const
{
    return m_hexX + (column * 3 + (column >= kBytesPerRow / 2 ? 1 : 0)) * m_charWidth;
}

qreal HexView::asciiCellX(int column) const
{
    return m_asciiX + column * m_charWidth;
}

int HexView::rowTop(quint64 row) const
{
    return m_headerHeight + int(row - m_topRow) * m_lineHeight;
}

void HexView::paintEvent(QPaintEvent* event)
{
    QPainter painter(viewport());
    const QPalette& pal = palette();
    const QColor base = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::Text);
    const QColor dim = mix(base, text, 0.45); // zero bytes, non-printables, unreadable bytes
    const QColor offsetColor = mix(base, text, 0.6);
    const QColor rule = mix(base, text, 0.18);
    const QColor highlight = pal.color(QPalette::Highlight);
    const QColor highlightedText = pal.color(QPalette::HighlightedText);
    const qreal cw = m_charWidth;
    const int width = viewport()->width();
    const int height = viewport()->height();
    const QRect dirty = event->rect();

    painter.fillRect(dirty, base);
    painter.setFont(font());
    const int scrollX = horizontalScrollBar()->value();
    painter.translate(-scrollX, 0);

    const quint64 size = sourceSize();
    const quint64 rows = rowCount();
    const int slotCount = visibleRowCount();
    const int firstSlot = std::max(0, (dirty.top() - m_headerHeight) / m_lineHeight);
    const int lastSlot = std::min(slotCount - 1, (dirty.bottom() - m_headerHeight) / m_lineHeight);
    const bool focused = hasFocus();
    const qint64 now = m_clock.elapsed();

    QString offsetText(m_offsetDigits, QLatin1Char('0'));
    QString hexNormal;
    QString hexDim;
    QString asciiNormal;
    QString asciiDim;

    for (int slot = firstSlot; slot <= lastSlot; ++slot) {
        const quint64 row = m_topRow + quint64(slot);
        if (row >= rows)
            break;
        const quint64 rowStart = row * kBytesPerRow;
        const int count = int(std::min<quint64>(kBytesPerRow, size - rowStart));
        const int y = m_headerHeight + slot * m_lineHeight;
        const qreal baseline = y + m_ascent;

        for (int d = 0; d < m_offsetDigits; ++d)
            offsetText[m_offsetDigits - 1 - d] = QLatin1Char(kHexDigits[(rowStart >> (4 * d)) & 0xf]);
        painter.setPen(offsetColor);
        painter.drawText(QPointF(m_offsetX, baseline), offsetText);

        hexNormal.fill(QLatin1Char(' '), kHexPaneChars);
        hexDim.fill(QLatin1Char(' '), kHexPaneChars);
        asciiNormal.fill(QLatin1Char(' '), kBytesPerRow);
        asciiDim.fill(QLatin1Char(' '), kBytesPerRow);
        int cursorCol = -1;
        uchar cursorValue = 0;
        bool cursorReadable = false;

        for (int col = 0; col < count; ++col) {
            const quint64 offset = rowStart + quint64(col);
            const bool readable = m_snapValid && offset >= m_snapStart && offset - m_snapStart < quint64(m_snapReadable);
            const uchar value = readable ? uchar(m_snapData.at(qsizetype(offset - m_snapStart))) : 0;

            if (!m_highlights.isEmpty()) {
                const auto it = m_highlights.constFind(offset);
                if (it != m_highlights.constEnd() && now - it->since < m_highlightDuration) {
                    const qreal fade = 1.0 - qreal(now - it->since) / m_highlightDuration;
                    const QColor accent = it->kind == HighlightKind::Own ? ownAccent() : externalAccent();
                    const QColor fill = mix(base, accent, kHighlightStrength * fade);
                    // Half a space on each side, so adjacent changed bytes form one band.
                    painter.fillRect(QRectF(hexCellX(col) - cw / 2, y, 3 * cw, m_lineHeight), fill);
                    painter.fillRect(QRectF(asciiCellX(col), y, cw, m_lineHeight), fill);
                }
            }

            if (offset == m_cursor) {
                cursorCol = col;
                cursorValue = value;
                cursorReadable = readable;
                continue; // drawn below, over its own background
            }
            const int h = col * 3 + (col >= kBytesPerRow / 2 ? 1 : 0);
            if (!readable) {
                hexDim[h] = QLatin1Char('?');
                hexDim[h + 1] = QLatin1Char('?');
                continue; // the ASCII pane stays blank: '?' would read as the byte 0x3f
            }
            QString& hexTarget = value == 0 ? hexDim : hexNormal;
            hexTarget[h] = QLatin1Char(kHexDigits[value >> 4]);
            hexTarget[h + 1] = QLatin1Char(kHexDigits[value & 0xf]);
            // Non-printables show as a dim '.', so that a real '.' (0x2e) stays distinguishable.
            if (isPrintableAscii(value))
                asciiNormal[col] = QLatin1Char(char(value));
            else
                asciiDim[col] = QLatin1Char('.');
        }

        painter.setPen(text);
        painter.drawText(QPointF(m_hexX, baseline), hexNormal);
        painter.drawText(QPointF(m_asciiX, baseline), asciiNormal);
        painter.setPen(dim);
        painter.drawText(QPointF(m_hexX, baseline), hexDim);
        painter.drawText(QPointF(m_asciiX, baseline), asciiDim);

        if (cursorCol >= 0) {
            const QRectF hexCell(hexCellX(cursorCol), y, 2 * cw, m_lineHeight);
            const QRectF asciiCell(asciiCellX(cursorCol), y, cw, m_lineHeight);
            const QRectF active = m_pane == Pane::Hex ? hexCell : asciiCell;
            const QRectF other = m_pane == Pane::Hex ? asciiCell : hexCell;
            // The pane that takes typing gets a solid block (paler without focus), the other an outline.
            painter.fillRect(active, focused ? highlight : mix(base, highlight, 0.35));
            painter.setPen(highlight);
            painter.drawRect(other.adjusted(0.5, 0.5, -0.5, -0.5));
            if (m_pane == Pane::Hex && focused)
                painter.fillRect(QRectF(hexCell.x() + m_nibble * cw, y + m_lineHeight - 2, cw, 2), highlightedText);

            QString hexCellText(2, QLatin1Char('?'));
            QString asciiCellText(1, QLatin1Char(' '));
            if (cursorReadable) {
                hexCellText[0] = QLatin1Char(kHexDigits[cursorValue >> 4]);
                hexCellText[1] = QLatin1Char(kHexDigits[cursorValue & 0xf]);
                asciiCellText[0] = isPrintableAscii(cursorValue) ? QLatin1Char(char(cursorValue)) : QLatin1Char('.');
            }
            const QColor activeText = focused ? highlightedText : text;
            painter.setPen(m_pane == Pane::Hex ? activeText : text);
            painter.drawText(QPointF(hexCell.x(), baseline), hexCellText);
            painter.setPen(m_pane == Pane::Ascii ? activeText : text);
            painter.drawText(QPointF(asciiCell.x(), baseline), asciiCellText);
        }
    }

    // Column rules between offsets, hex and ASCII.
    painter.setPen(rule);
    const qreal rule1 = qRound(m_hexX - cw) + 0.5;
    const qreal rule2 = qRound(m_asciiX - cw) + 0.5;
    painter.drawLine(QPointF(rule1, 0), QPointF(rule1, height));
    painter.drawLine(QPointF(rule2, 0), QPointF(rule2, height));

    // Header with the column numbers, drawn last so rows never cover it.
    if (dirty.top() < m_headerHeight) {
        painter.fillRect(QRectF(scrollX, 0, width, m_headerHeight), pal.color(QPalette::AlternateBase));
        painter.setPen(rule);
        painter.drawLine(QPointF(scrollX, m_headerHeight - 0.5), QPointF(scrollX + width, m_headerHeight - 0.5));
        painter.drawLine(QPointF(rule1, 0), QPointF(rule1, m_headerHeight));
        painter.drawLine(QPointF(rule2, 0), QPointF(rule2, m_headerHeight));
        const qreal baseline = (m_headerHeight - m_lineHeight) / 2 + m_ascent;
        painter.setPen(offsetColor);
        const QString offsetTitle = QFontMetrics(font()).elidedText(tr("Offset"), Qt::ElideRight, qFloor(m_offsetDigits * cw));
        painter.drawText(QPointF(m_offsetX, baseline), offsetTitle);
        QString hexHeader(kHexPaneChars, QLatin1Char(' '));
        QString asciiHeader(kBytesPerRow, QLatin1Char(' '));
        for (int col = 0; col < kBytesPerRow; ++col) {
            const int h = col * 3 + (col >= kBytesPerRow / 2 ? 1 : 0);
            hexHeader[h] = QLatin1Char(kHexDigits[col >> 4]);
            hexHeader[h + 1] = QLatin1Char(kHexDigits[col & 0xf]);
            asciiHeader[col] = QLatin1Char(kHexDigits[col & 0xf]);
        }
        painter.drawText(QPointF(m_hexX, baseline), hexHeader);
        painter.drawText(QPointF(m_asciiX, baseline), asciiHeader);
    }
}

} // namespace shmscope
