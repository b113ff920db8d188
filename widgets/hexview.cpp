// HexView: construction, the source, the cursor, keys, the mouse and the widget's events. The other
// concerns live in their own files: hexviewlayout.cpp (layout, geometry, scrolling), hexviewpaint.cpp
// and hexglyphs.cpp (rendering), hexviewedit.cpp and hexeditcommands.cpp (editing, undo),
// hexviewselection.cpp (selection, clipboard), hexviewlive.cpp (polling, change highlights) and
// hexviewoverlay.cpp (field colours).

#include "widgets/hexview.h"

#include "widgets/bytesource.h"
#include "widgets/changescanner.h"
#include "widgets/changesoverview.h"
#include "widgets/hexeditcommands.h"
#include "widgets/hexglyphs.h"
#include "widgets/hexviewaccessible.h"
#include "widgets/hexviewdetail.h"
#include "widgets/writequeue.h"

#include <QFocusEvent>
#include <QFontDatabase>
#include <QFontInfo>
#include <QKeyEvent>
#include <QKeySequence>
#include <QMouseEvent>
#include <QScrollBar>
#include <QStyle>
#include <QStyleOptionSlider>
#include <QUndoStack>
#include <QtMath>
#include <algorithm>
#include <limits>

namespace shmscope {

using namespace hexviewdetail;

namespace {

// 25 frames a second is smooth enough for a fade and cheap: each tick repaints only the rows that
// still hold a highlight.
constexpr int kFadeTickMs = 40;

// The vertical scrollbar: a QScrollBar that repaints on a value change only when its slider moved by
// at least a pixel. Over 65,536 rows a page move shifts the slider by less than a pixel, and
// repainting a styled scrollbar (Fusion: about 0.5 ms) would cost more than painting the page.
class RowScrollBar : public QScrollBar
{
public:
    explicit RowScrollBar(QWidget* parent)
        : QScrollBar(Qt::Vertical, parent)
    { }

protected:
    void sliderChange(SliderChange change) override
    {
        if (change == SliderValueChange) {
            const QRect slider = sliderRect();
            if (slider == m_paintedSlider && !isSliderDown())
                return;
        }
        QScrollBar::sliderChange(change);
    }

    void paintEvent(QPaintEvent* event) override
    {
        m_paintedSlider = sliderRect();
        QScrollBar::paintEvent(event);
    }

private:
    QRect sliderRect() const
    {
        QStyleOptionSlider option;
        initStyleOption(&option);
        return style()->subControlRect(QStyle::CC_ScrollBar, &option, QStyle::SC_ScrollBarSlider, this);
    }

    QRect m_paintedSlider;
};

// Whether the changes overview's scan of `source` would read more than `limit` bytes: the scan skips
// holes (ByteSource::dataExtents()), so a 64 GiB sparse posix: object with a few MiB of data is cheap
// and touches none of its holes, whereas a System V segment or a Windows section (all "data" as far as
// anyone can tell: reading their untouched pages makes the kernel back them) of the same size is not.
// Asks for at most 4 × 1024 extents (a few ms of lseek); a source more fragmented than that counts
// as big.
bool scanReadsMoreThan(const ByteSource& source, quint64 limit)
{
    const quint64 size = source.size();
    if (size <= limit)
        return false;
    constexpr int kPerQuery = 1024;
    quint64 data = 0;
    quint64 offset = 0;
    for (int query = 0; query < 4 && offset < size; ++query) {
        QList<ByteSource::Extent> extents;
        if (!source.dataExtents(offset, size - offset, kPerQuery, &extents))
            return true;
        for (const ByteSource::Extent& extent : extents) {
            data += extent.length;
            if (data > limit)
                return true;
        }
        if (extents.size() < kPerQuery)
            return false;
        offset = extents.last().offset + extents.last().length;
    }
    return offset < size;
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
    // paintEvent() fills every rectangle it is asked for: no background fill by Qt first.
    viewport()->setAutoFillBackground(false);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    setAttribute(Qt::WA_InputMethodEnabled, false);

    // No undo limit: the number of steps is bounded by memory only (issue 3).
    m_undoStack = new QUndoStack(this);
    m_clock.start();
    m_pollTimer.setInterval(m_pollInterval);
    connect(&m_pollTimer, &QTimer::timeout, this, &HexView::poll);
    m_fadeTimer.setInterval(kFadeTickMs);
    connect(&m_fadeTimer, &QTimer::timeout, this, &HexView::onFadeTick);

    setVerticalScrollBar(new RowScrollBar(this));
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, &HexView::onScrollBarValueChanged);
    connect(verticalScrollBar(), &QScrollBar::actionTriggered, this, &HexView::onScrollBarActionTriggered);

    // The changes overview lives in a right viewport margin, so it sits between the bytes and the
    // scrollbar and the viewport's own geometry (and everything computed from it) stays unchanged.
    m_overview = new ChangesOverview(this);
    m_overview->setObjectName(QStringLiteral("changesOverview"));
    connect(m_overview, &ChangesOverview::offsetClicked, this, [this](quint64 offset) {
        // Put the offset clicked in the middle of the viewport; the cursor stays where it is.
        const quint64 row = offset / quint64(m_bytesPerRow);
        const quint64 half = quint64(std::max(0, visibleRowCount() / 2));
        scrollToRow(row > half ? row - half : 0);
    });
    setViewportMargins(0, 0, ChangesOverview::kStripWidth, 0);

    // Screen readers: the view describes itself through HexViewAccessible and says when the cursor or
    // the selection moves, and when bytes on the cursor's row change (notifyHexViewBytesChanged below).
    installHexViewAccessibility(this);
    connect(this, &HexView::cursorMoved, this, [this] { notifyHexViewCursorMoved(this); });
    connect(this, &HexView::selectionChanged, this, [this] { notifyHexViewSelectionChanged(this); });
    relayout();
}

void HexView::placeOverview()
{
    const QRect area = viewport()->geometry();
    m_overview->setGeometry(area.right() + 1, area.top(), ChangesOverview::kStripWidth, area.height());
}

void HexView::setChangesOverviewVisible(bool visible)
{
    if (visible == m_overviewVisible)
        return;
    m_overviewVisible = visible;
    m_overview->setVisible(visible);
    // Hidden, the strip's scan would spend a core for nothing: pause it (showing resumes it).
    m_overview->scanner()->setPaused(!visible);
    setViewportMargins(0, 0, visible ? ChangesOverview::kStripWidth : 0, 0);
    placeOverview();
}

void HexView::setScanPaused(bool paused)
{
    m_scanAutoPaused = false;
    m_overview->scanner()->setPaused(paused);
}

bool HexView::isScanPaused() const
{
    return m_overview->scanner()->isPaused();
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
    if (m_source) {
        disconnect(m_source, nullptr, this, nullptr);
        disconnect(m_source->writeQueue(), nullptr, this, nullptr);
        disconnect(m_source->writeQueue(), nullptr, viewport(), nullptr);
    }
    m_source = source;
    m_undoStack->clear(); // its commands are about the old source (their waiting writes still get written)
    m_runOpen = false;
    m_highlights.clear();
    m_fadeTimer.stop();
    const bool cursorWasElsewhere = m_cursor != 0;
    const bool hadSelection = m_selectionActive;
    m_selectionActive = false;
    m_shownSelectionStart = 0;
    m_shownSelectionLength = 0;
    m_anchor = 0;
    m_dragging = false;
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
        // While the source is still whole: join the changes overview's scanner, which may be reading it.
        connect(source, &ByteSource::aboutToBeDestroyed, this, [this] { m_overview->setSource(nullptr); });
        // Bytes waiting for the lock are shown (and repainted) as soon as they are queued, done or dropped.
        WriteQueue* queue = source->writeQueue();
        connect(queue, &WriteQueue::queueChanged, viewport(), qOverload<>(&QWidget::update));
        connect(queue, &WriteQueue::cancelled, this, &HexView::onWritesCancelled);
    }
    // Sources whose scan would read more than kScanAutoStartLimit bytes of data start with the scan
    // paused; a later small one undoes only that automatic pause, never one the user chose.
    const bool bigScan = source && scanReadsMoreThan(*source, kScanAutoStartLimit);
    if (bigScan && !isScanPaused()) {
        setScanPaused(true);
        m_scanAutoPaused = true;
    } else if (m_scanAutoPaused && !bigScan) {
        setScanPaused(false);
        m_scanAutoPaused = false;
    }
    m_overview->setSource(source);
    relayout();
    refreshSnapshot();
    updatePollTimer(isVisible());
    viewport()->update();
    if (cursorWasElsewhere)
        Q_EMIT cursorMoved(0);
    if (hadSelection)
        Q_EMIT selectionChanged(0, 0);
    notifyHexViewBytesChanged(this, 0, std::numeric_limits<quint64>::max()); // other bytes under the cursor
}

ByteSource* HexView::source() const
{
    return m_source.data();
}

void HexView::setCursorOffset(quint64 offset)
{
    moveCursorTo(offset, 0);
    if (m_selectionActive)
        setSelectionState(false, 0);
}

void HexView::setCursorPane(Pane pane)
{
    if (m_pane == pane)
        return;
    m_pane = pane;
    m_nibble = 0;
    ensureCursorVisible();
    updateBytes(m_cursor, m_cursor);
    notifyHexViewCursorMoved(this); // the caret moved to the other pane's cell
}

// ---- cursor and keys -----------------------------------------------------------------------------

void HexView::moveCursorTo(quint64 offset, int nibble)
{
    const quint64 size = sourceSize();
    offset = size == 0 ? 0 : std::min(offset, size - 1);
    const quint64 oldCursor = m_cursor;
    const bool moved = offset != m_cursor;
    const bool nibbleMoved = nibble != m_nibble;
    m_cursor = offset;
    m_nibble = nibble;
    ensureCursorVisible();
    updateBytes(oldCursor, oldCursor);
    updateBytes(m_cursor, m_cursor);
    if (moved)
        Q_EMIT cursorMoved(m_cursor);
    else if (nibbleMoved)
        notifyHexViewCursorMoved(this); // the caret moved within the byte (typing the high nibble)
}

void HexView::ensureCursorVisible()
{
    const quint64 row = m_cursor / m_bytesPerRow;
    const quint64 page = fullyVisibleRows();
    if (row < m_topRow)
        setTopRow(row);
    else if (row >= m_topRow + page)
        setTopRow(row - page + 1);

    const int col = int(m_cursor % m_bytesPerRow);
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
    // Shift extends the selection from where the cursor was (the anchor stays put while Shift is held).
    const bool extend = event->modifiers() & Qt::ShiftModifier;
    const bool wasSelecting = m_selectionActive;
    const quint64 anchor = m_selectionActive ? m_anchor : m_cursor;
    const quint64 last = size - 1;
    const quint64 lastRow = last / m_bytesPerRow;
    const quint64 row = m_cursor / m_bytesPerRow;
    const quint64 rowStart = row * m_bytesPerRow;
    const bool ctrl = event->modifiers() & Qt::ControlModifier;
    const quint64 pageRows = fullyVisibleRows();
    const quint64 pageBytes = pageRows * m_bytesPerRow;
    quint64 target = m_cursor;
    int nibble = 0;

    switch (event->key()) {
    case Qt::Key_Left:
        if (m_pane == Pane::Hex && m_nibble == 1 && !extend)
            target = m_cursor; // from the low nibble back to the high one of the same byte
        else
            target = m_cursor > 0 ? m_cursor - 1 : 0;
        break;
    case Qt::Key_Right:
        target = std::min(m_cursor + 1, last);
        break;
    case Qt::Key_Up:
        target = row > 0 ? m_cursor - m_bytesPerRow : m_cursor;
        break;
    case Qt::Key_Down:
        // On the second-to-last row the column may not exist in the (short) last row: go to the last byte.
        target = row < lastRow ? std::min(m_cursor + m_bytesPerRow, last) : m_cursor;
        break;
    case Qt::Key_PageUp:
        // The page scrolls with the cursor, so the cursor keeps its place on the screen.
        setTopRow(m_topRow > pageRows ? m_topRow - pageRows : 0);
        target = m_cursor >= pageBytes ? m_cursor - pageBytes : m_cursor % m_bytesPerRow;
        break;
    case Qt::Key_PageDown:
        setTopRow(m_topRow + pageRows);
        if (last - m_cursor >= pageBytes)
            target = m_cursor + pageBytes;
        else
            target = std::min(lastRow * m_bytesPerRow + m_cursor % m_bytesPerRow, last);
        break;
    case Qt::Key_Home:
        target = ctrl ? 0 : rowStart;
        break;
    case Qt::Key_End:
        target = ctrl ? last : std::min(rowStart + m_bytesPerRow - 1, last);
        break;
    default:
        return false;
    }
    moveCursorTo(target, nibble);
    if (extend)
        setSelectionState(true, anchor);
    else if (wasSelecting)
        setSelectionState(false, 0);
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
        const bool clipboard = key->matches(QKeySequence::Copy) || key->matches(QKeySequence::Paste)
            || key->matches(QKeySequence::SelectAll) || key->matches(QKeySequence::Undo)
            || key->matches(QKeySequence::Redo) || (key->key() == Qt::Key_Escape && m_selectionActive);
        if (typing || clipboard || isNavigationKey(key)) {
            event->accept();
            return true;
        }
    }
    return QAbstractScrollArea::event(event);
}

void HexView::keyPressEvent(QKeyEvent* event)
{
    if (handleNavigationKey(event) || handleClipboardKey(event)) {
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

bool HexView::hitTest(const QPointF& position, quint64* offset, Pane* pane, int* nibble) const
{
    const quint64 rows = rowCount();
    const qreal y = position.y();
    if (rows == 0)
        return false;
    // Above the rows (the header, or above the viewport while dragging) counts as the top row, below
    // them as the last visible one.
    const qreal rowsY = std::max<qreal>(0, y - m_headerHeight);
    quint64 row = m_topRow + quint64(rowsY / m_lineHeight);
    row = std::min({ row, rows - 1, m_topRow + quint64(std::max(1, visibleRowCount())) - 1 });

    const qreal x = position.x() + horizontalScrollBar()->value();
    Pane hitPane = m_pane;
    int col = 0;
    int hitNibble = 0;
    if (x >= m_asciiX - 1.5 * m_charWidth) {
        hitPane = Pane::Ascii;
        col = std::clamp(qFloor((x - m_asciiX) / m_charWidth), 0, m_bytesPerRow - 1);
    } else if (x >= m_hexX - m_charWidth) {
        hitPane = Pane::Hex;
        // The cell whose band (the cell and half the spaces around it) holds x.
        col = m_bytesPerRow - 1;
        for (int c = 0; c < m_bytesPerRow; ++c) {
            if (x < hexBandRight(c)) {
                col = c;
                break;
            }
        }
        hitNibble = x >= hexCellX(col) + m_charWidth ? 1 : 0;
    }
    *offset = std::min(row * m_bytesPerRow + quint64(col), sourceSize() - 1);
    *pane = hitPane;
    *nibble = hitNibble;
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
    quint64 offset = 0;
    Pane pane = m_pane;
    int nibble = 0;
    if (event->position().y() < m_headerHeight || !hitTest(event->position(), &offset, &pane, &nibble))
        return;
    if (pane != m_pane) {
        m_pane = pane;
        viewport()->update();
    }
    const bool extend = event->modifiers() & Qt::ShiftModifier;
    const quint64 anchor = m_selectionActive ? m_anchor : m_cursor;
    moveCursorTo(offset, extend ? 0 : nibble);
    if (extend) {
        setSelectionState(true, anchor);
    } else {
        // A drag from here selects; a click alone only places the cursor.
        setSelectionState(false, 0);
        m_anchor = offset;
    }
    m_dragging = true;
}

void HexView::mouseMoveEvent(QMouseEvent* event)
{
    if (!m_dragging || !(event->buttons() & Qt::LeftButton)) {
        QAbstractScrollArea::mouseMoveEvent(event);
        return;
    }
    event->accept();
    // Dragging above or below the rows scrolls by a row per move event.
    const qreal y = event->position().y();
    if (y < m_headerHeight && m_topRow > 0)
        setTopRow(m_topRow - 1);
    else if (y >= viewport()->height())
        setTopRow(m_topRow + 1);
    quint64 offset = 0;
    Pane pane = m_pane;
    int nibble = 0;
    if (!hitTest(event->position(), &offset, &pane, &nibble))
        return;
    const quint64 anchor = m_anchor;
    if (offset == m_cursor && m_selectionActive)
        return;
    moveCursorTo(offset, 0);
    if (m_selectionActive || offset != anchor)
        setSelectionState(true, anchor);
}

void HexView::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton) {
        m_dragging = false;
        event->accept(); // the press placed the cursor
    } else {
        QAbstractScrollArea::mouseReleaseEvent(event);
    }
}

// ---- events ----------------------------------------------------------------------------------------

void HexView::resizeEvent(QResizeEvent* event)
{
    QAbstractScrollArea::resizeEvent(event);
    placeOverview();
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
    updateBytes(m_cursor, m_cursor);
}

void HexView::focusOutEvent(QFocusEvent* event)
{
    QAbstractScrollArea::focusOutEvent(event);
    updateBytes(m_cursor, m_cursor);
}

} // namespace shmscope
