#include "widgets/hexview.h"

#include "core/journal.h"
#include "core/scansource.h"
#include "widgets/bytesource.h"
#include "widgets/bytesourcescan.h"
#include "widgets/changesoverview.h"
#include "widgets/hexviewaccessible.h"
#include "widgets/writequeue.h"

#include <QAction>
#include <QActionGroup>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QFocusEvent>
#include <QFontDatabase>
#include <QFontInfo>
#include <QFontMetrics>
#include <QFontMetricsF>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QKeySequence>
#include <QMenu>
#include <QMimeData>
#include <QMouseEvent>
#include <QPaintEngine>
#include <QPaintEvent>
#include <QPainter>
#include <QPixmap>
#include <QRegularExpression>
#include <QScrollBar>
#include <QStyle>
#include <QStyleHints>
#include <QStyleOptionSlider>
#include <QUndoCommand>
#include <QUndoStack>
#include <QWheelEvent>
#include <QtMath>
#include <algorithm>
#include <climits>
#include <cstring>
#include <limits>
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
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
                            float(a.greenF() + (b.greenF() - a.greenF()) * t),
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

// Teal for bytes typed but still waiting for the object's lock: neither change colour nor the selection.
QColor pendingAccent()
{
    return QColor(0, 170, 170);
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

// The user action the native-call journal files a write under: "edit 1 byte at 0x10", "undo 4 bytes at 0x20".
std::string editActionLabel(const char* what, quint64 offset, qsizetype length)
{
    return std::string(what) + ' ' + std::to_string(length) + (length == 1 ? " byte" : " bytes") + " at 0x"
        + QByteArray::number(offset, 16).toStdString();
}

} // namespace

// The bytes one queued exchange writes for an edit of the view (a typed key, a paste, editBytes()).
// Shared by the undo step (ByteEditCommand) and the operation on the source's WriteQueue, which
// fills in what the write replaced once it is done.
struct HexEditPiece {
    enum class State { Waiting, Written, NotWritten };
    quint64 offset = 0;
    QByteArray after; // what it writes
    QByteArray before; // what the write replaced (once Written)
    State state = State::Waiting;
    quint64 queueId = 0; // its operation on the WriteQueue while Waiting
    ByteEditCommand* owner = nullptr; // the undo step it belongs to; null once that is gone
};

// What the object holds of an undo step, shared with a queued undo or redo write of it.
struct HexEditStep {
    bool objectHoldsAfter = true; // the step's written bytes are in the object (not the ones they replaced)
    quint64 queueId = 0; // a waiting undo/redo write of the step, 0 when none
    ByteEditCommand* command = nullptr; // null once the step is gone
};

// One edit of the view: the pieces written (or waiting to be) in order. Typed characters of one run
// (same run number, each at or right after the previous one) merge into one command, so that one undo
// takes back a typed word. Undo and redo are writes like edits: queued on the source's WriteQueue, a
// compare-and-write (HexView::queueStepWrite()) that checks the bytes are still what this step left
// there; a step that does not apply any more marks itself obsolete, and QUndoStack (Qt >= 5.9) then
// drops it. Pieces still waiting for the lock are simply taken back by an undo (never written); pieces
// that were cancelled (WriteQueue::cancel()) are "not written" and a redo queues them again.
class ByteEditCommand : public QUndoCommand
{
public:
    using Piece = HexEditPiece;
    using State = HexEditPiece::State;

    ByteEditCommand(HexView* view, std::shared_ptr<Piece> piece, int typingRun)
        : m_view(view)
        , m_run(typingRun)
        , m_step(std::make_shared<HexEditStep>())
    {
        m_step->command = this;
        piece->owner = this;
        m_pieces.append(std::move(piece));
        updateText();
    }

    ~ByteEditCommand() override
    {
        for (const std::shared_ptr<Piece>& piece : std::as_const(m_pieces)) {
            if (piece->owner == this)
                piece->owner = nullptr;
        }
        m_step->command = nullptr;
    }

    // Typed commands share one id (so QUndoStack offers them to mergeWith()); the others never merge.
    int id() const override { return m_run >= 0 ? 1 : -1; }

    void redo() override
    {
        if (m_pushed) {
            m_pushed = false; // QUndoStack::push() calls redo(); the view has written (or queued) already
            return;
        }
        m_wantsAfter = true;
        if (isObsolete())
            return;
        // An undo still waiting is simply taken back: the object never lost the step's bytes.
        if (!m_view->dropStepWrite(*m_step) && hasWritten() && !m_step->objectHoldsAfter)
            m_view->queueStepWrite(this, true);
        for (const std::shared_ptr<Piece>& piece : std::as_const(m_pieces)) {
            if (piece->state == State::NotWritten)
                m_view->queuePiece(piece);
        }
        updateText();
    }

    void undo() override
    {
        m_wantsAfter = false;
        m_everUndone = true;
        if (isObsolete())
            return;
        // Keys still waiting for the lock are taken back (never written); what was written is restored.
        for (const std::shared_ptr<Piece>& piece : std::as_const(m_pieces)) {
            if (piece->state == State::Waiting)
                m_view->dropPiece(*piece);
        }
        if (!m_view->dropStepWrite(*m_step) && hasWritten() && m_step->objectHoldsAfter)
            m_view->queueStepWrite(this, false);
        updateText();
    }

    bool mergeWith(const QUndoCommand* other) override
    {
        auto* o = const_cast<ByteEditCommand*>(static_cast<const ByteEditCommand*>(other));
        if (m_run < 0 || o->m_run != m_run || m_everUndone || o->m_everUndone || hasNotWritten() || o->hasNotWritten())
            return false;
        quint64 start = 0;
        quint64 end = 0;
        range(&start, &end);
        const Piece& next = *o->m_pieces.constFirst();
        if (next.offset < start || next.offset > end)
            return false;
        for (const std::shared_ptr<Piece>& piece : std::as_const(o->m_pieces)) {
            piece->owner = this;
            m_pieces.append(piece);
        }
        o->m_pieces.clear();
        updateText();
        return true;
    }

    // The bytes written so far, as one range: `before` what they replaced (the oldest piece's value of
    // each byte), `after` their latest value. Pieces are written in order and each starts within or
    // right after the ones before it, so the written ones form one range. False when none is written.
    bool writtenPart(quint64* offset, QByteArray* before, QByteArray* after) const
    {
        quint64 start = std::numeric_limits<quint64>::max();
        quint64 end = 0;
        for (const std::shared_ptr<Piece>& piece : m_pieces) {
            if (piece->state != State::Written)
                continue;
            start = std::min(start, piece->offset);
            end = std::max(end, piece->offset + quint64(piece->after.size()));
        }
        if (end <= start)
            return false;
        *offset = start;
        before->fill('\0', qsizetype(end - start));
        *after = *before;
        std::vector<bool> seen(size_t(end - start), false);
        for (const std::shared_ptr<Piece>& piece : m_pieces) {
            if (piece->state != State::Written)
                continue;
            const qsizetype at = qsizetype(piece->offset - start);
            for (qsizetype i = 0; i < piece->after.size(); ++i) {
                if (!seen[size_t(at + i)]) {
                    (*before)[at + i] = piece->before.at(i);
                    seen[size_t(at + i)] = true;
                }
                (*after)[at + i] = piece->after.at(i);
            }
        }
        return true;
    }

    HexEditStep& step() { return *m_step; }
    std::shared_ptr<HexEditStep> sharedStep() const { return m_step; }
    // True when nothing of the step was written and all of it is "not written" (cancelled).
    bool isEntirelyNotWritten() const
    {
        return std::all_of(m_pieces.cbegin(), m_pieces.cend(),
                           [](const std::shared_ptr<Piece>& piece) { return piece->state == State::NotWritten; });
    }

    void updateText()
    {
        quint64 start = 0;
        quint64 end = 0;
        range(&start, &end);
        QString text = HexView::tr("Edit %n byte(s) at %1", nullptr, int(std::min<quint64>(end - start, INT_MAX)))
                           .arg(hexOffset(start));
        const bool waiting = m_step->queueId != 0
            || std::any_of(m_pieces.cbegin(), m_pieces.cend(),
                           [](const std::shared_ptr<Piece>& piece) { return piece->state == State::Waiting; });
        if (waiting)
            text = HexView::tr("%1 (waiting for the lock)").arg(text);
        else if (hasNotWritten() || (hasWritten() && m_step->objectHoldsAfter != m_wantsAfter))
            text = HexView::tr("%1 (not written)").arg(text);
        setText(text);
    }

private:
    bool hasWritten() const
    {
        return std::any_of(m_pieces.cbegin(), m_pieces.cend(),
                           [](const std::shared_ptr<Piece>& piece) { return piece->state == State::Written; });
    }
    bool hasNotWritten() const
    {
        return std::any_of(m_pieces.cbegin(), m_pieces.cend(),
                           [](const std::shared_ptr<Piece>& piece) { return piece->state == State::NotWritten; });
    }
    void range(quint64* start, quint64* end) const
    {
        *start = std::numeric_limits<quint64>::max();
        *end = 0;
        for (const std::shared_ptr<Piece>& piece : m_pieces) {
            *start = std::min(*start, piece->offset);
            *end = std::max(*end, piece->offset + quint64(piece->after.size()));
        }
        if (*end < *start)
            *start = *end = 0;
    }

    HexView* m_view;
    QList<std::shared_ptr<Piece>> m_pieces;
    int m_run;
    std::shared_ptr<HexEditStep> m_step;
    bool m_pushed = true;
    bool m_wantsAfter = true; // where the stack has the step: done (true) or undone
    bool m_everUndone = false;
};

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

void HexView::setPollRate(int hz)
{
    if (hz <= 0) {
        m_pollRate = 0;
        setPollInterval(0);
        m_pollRate = 0;
        return;
    }
    hz = std::min(hz, kMaxPollRate);
    setPollInterval(std::max(1, qRound(1000.0 / hz)));
    m_pollRate = hz; // exactly what was asked (60 Hz is 17 ms, which maps back to 59 Hz)
}

int HexView::pollRate() const
{
    return m_pollRate;
}

QMenu* HexView::createPollRateMenu(QWidget* parent)
{
    auto* menu = new QMenu(tr("&Poll Rate"), parent);
    auto* group = new QActionGroup(menu);
    group->setExclusive(true);
    for (const int hz : { 0, 1, 2, 5, 10, 20, 30, 60 }) {
        QAction* action = menu->addAction(hz == 0 ? tr("&Off") : tr("%1 Hz").arg(hz));
        action->setObjectName(QStringLiteral("pollRate%1").arg(hz));
        action->setCheckable(true);
        action->setChecked(hz == m_pollRate);
        group->addAction(action);
        connect(action, &QAction::triggered, this, [this, hz] { setPollRate(hz); });
    }
    return menu;
}

namespace {

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

void HexView::setPollInterval(int ms)
{
    m_pollInterval = ms;
    m_pollRate = ms > 0 ? std::max(1, qRound(1000.0 / ms)) : 0;
    if (ms > 0)
        m_pollTimer.setInterval(ms);
    updatePollTimer(isVisible());
}

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

bool HexView::handleClipboardKey(QKeyEvent* event)
{
    if (event->matches(QKeySequence::Copy)) {
        copySelection(CopyFormat::Hex);
        return true;
    }
    if (event->matches(QKeySequence::Paste)) {
        paste();
        return true;
    }
    if (event->matches(QKeySequence::SelectAll)) {
        selectAll();
        return true;
    }
    if (event->matches(QKeySequence::Undo)) {
        m_undoStack->undo();
        return true;
    }
    if (event->matches(QKeySequence::Redo)) {
        m_undoStack->redo();
        return true;
    }
    if (event->key() == Qt::Key_Escape && m_selectionActive) {
        clearSelection();
        return true;
    }
    if (event->key() == Qt::Key_Escape && m_source && m_source->writeQueue()->isWaiting()) {
        m_source->writeQueue()->cancel(); // the edits waiting for the lock: not written
        return true;
    }
    return false;
}

bool HexView::isPending(quint64 offset) const
{
    if (!m_source)
        return false;
    const QList<WriteQueue::Preview> previews = m_source->writeQueue()->previews();
    return std::any_of(previews.cbegin(), previews.cend(), [offset](const WriteQueue::Preview& preview) {
        return offset >= preview.offset && offset - preview.offset < quint64(preview.bytes.size());
    });
}

bool HexView::readShown(quint64 offset, char* out) const
{
    if (!m_source)
        return false;
    bool shown = false;
    for (const WriteQueue::Preview& preview : m_source->writeQueue()->previews()) {
        if (offset >= preview.offset && offset - preview.offset < quint64(preview.bytes.size())) {
            *out = preview.bytes.at(qsizetype(offset - preview.offset));
            shown = true;
        }
    }
    return shown || m_source->read(offset, out, 1);
}

void HexView::onWritesCancelled()
{
    // The edits that waited were taken back without being written: the view shows the object's bytes
    // again, and the steps that are wholly "not written" move to the redo side of the stack (where the
    // view now is; their undo() writes nothing), marked so in their text: Redo queues them again.
    m_runOpen = false;
    int index = m_undoStack->index();
    while (index > 0) {
        const auto* command = dynamic_cast<const ByteEditCommand*>(m_undoStack->command(index - 1));
        if (!command || !command->isEntirelyNotWritten())
            break;
        --index;
    }
    m_undoStack->setIndex(index);
    viewport()->update();
}

void HexView::typeText(const QString& text)
{
    const quint64 size = sourceSize();
    if (!m_source || size == 0) {
        Q_EMIT editRefused(tr("Nothing to edit: the view is empty."));
        return;
    }
    if (!m_source->isWritable()) {
        Q_EMIT editRefused(
            tr("The view is read-only: the byte at offset %1 was not changed.").arg(hexOffset(m_cursor)));
        return;
    }
    // Typing overwrites at the cursor; a selection would suggest it replaces the selected bytes.
    if (m_selectionActive)
        setSelectionState(false, 0);
    for (const QChar ch : text) {
        // A character continues the typing run (one undo step) when nothing happened since the last
        // one: the cursor, nibble and pane are where typing left them and no undo, redo or other edit
        // changed the stack.
        const bool continues = m_runOpen && m_undoStack->index() == m_runStackIndex && m_cursor == m_runCursor
            && m_nibble == m_runNibble && m_pane == m_runPane;
        if (!continues)
            ++m_typingRun;
        if (m_pane == Pane::Hex) {
            const int digit = hexDigitValue(ch);
            if (digit < 0) {
                Q_EMIT editRefused(tr("“%1” is not a hexadecimal digit: type 0–9 or a–f in the hex pane.").arg(ch));
                return;
            }
            // Read the byte now rather than trusting the last poll: another process may have changed
            // the nibble that is kept. A byte still waiting for the lock keeps the nibble typed before.
            char old = 0;
            if (!readShown(m_cursor, &old)) {
                Q_EMIT editRefused(tr("Cannot edit offset %1: %2").arg(hexOffset(m_cursor), m_source->errorString()));
                return;
            }
            const uchar oldValue = uchar(old);
            const uchar value
                = m_nibble == 0 ? uchar((digit << 4) | (oldValue & 0x0f)) : uchar((oldValue & 0xf0) | digit);
            if (!writeUndoable(m_cursor, QByteArray(1, char(value)), m_typingRun))
                return;
            if (m_nibble == 0)
                moveCursorTo(m_cursor, 1);
            else
                moveCursorTo(m_cursor + 1 < size ? m_cursor + 1 : m_cursor, 0);
        } else {
            const char16_t u = ch.unicode();
            if (u > 0xff || !isPrintableAscii(uchar(u))) {
                Q_EMIT editRefused(tr("“%1” is not a printable ASCII character: only characters 0x20–0x7e fit in one "
                                      "byte of the ASCII pane.")
                                       .arg(ch));
                return;
            }
            if (!writeUndoable(m_cursor, QByteArray(1, char(u)), m_typingRun))
                return;
            moveCursorTo(m_cursor + 1 < size ? m_cursor + 1 : m_cursor, 0);
        }
        m_runOpen = true;
        m_runStackIndex = m_undoStack->index();
        m_runCursor = m_cursor;
        m_runNibble = m_nibble;
        m_runPane = m_pane;
    }
}

bool HexView::writeUndoable(quint64 offset, const QByteArray& bytes, int typingRun)
{
    // The write goes through the source's WriteQueue: at once when nothing waits for the lock (the old
    // bytes are read in the same step as the write, ByteSource::exchange(), so that undo restores exactly
    // what it replaced), else queued and shown as waiting; the GUI thread never waits for the lock. The
    // source emits bytesWritten() when the bytes are written, which marks them as our own change
    // (onSourceBytesWritten) and announces them to other instances.
    auto piece = std::make_shared<HexEditPiece>();
    piece->offset = offset;
    piece->after = bytes;
    if (!queuePiece(piece))
        return false; // failed at once (read-only, past the end, vanished): editRefused() said why
    m_undoStack->push(new ByteEditCommand(this, piece, typingRun));
    return true;
}

bool HexView::queuePiece(const std::shared_ptr<HexEditPiece>& piece)
{
    if (!m_source)
        return false;
    ByteSource* source = m_source;
    piece->state = HexEditPiece::State::Waiting;
    auto failure = std::make_shared<QString>();
    WriteQueue::Operation operation;
    operation.offset = piece->offset;
    operation.preview = piece->after;
    operation.context = this;
    operation.attempt = [source, piece, failure] {
        const journal::Action action([&] { return editActionLabel("edit", piece->offset, piece->after.size()); });
        QByteArray before;
        if (source->exchange(piece->offset, piece->after, &before)) {
            piece->before = before;
            piece->state = HexEditPiece::State::Written;
            return true;
        }
        if (source->lockWasBusy())
            return false;
        piece->state = HexEditPiece::State::NotWritten;
        *failure = source->errorString();
        return true;
    };
    operation.finished = [this, piece, failure] {
        piece->queueId = 0;
        if (piece->state == HexEditPiece::State::NotWritten)
            Q_EMIT editRefused(tr("Could not write offset %1: %2").arg(hexOffset(piece->offset), *failure));
        if (piece->owner)
            piece->owner->updateText();
        viewport()->update();
    };
    operation.dropped = [this, piece] {
        piece->queueId = 0;
        piece->state = HexEditPiece::State::NotWritten;
        if (piece->owner)
            piece->owner->updateText();
        viewport()->update();
    };
    const quint64 id = source->writeQueue()->submit(std::move(operation));
    if (piece->state == HexEditPiece::State::Waiting)
        piece->queueId = id;
    return piece->state != HexEditPiece::State::NotWritten;
}

void HexView::dropPiece(HexEditPiece& piece)
{
    if (m_source && piece.queueId != 0)
        m_source->writeQueue()->remove(piece.queueId); // its dropped() marks it not written
}

bool HexView::dropStepWrite(HexEditStep& step)
{
    return m_source && step.queueId != 0 && m_source->writeQueue()->remove(step.queueId);
}

void HexView::queueStepWrite(ByteEditCommand* command, bool redo)
{
    m_runOpen = false;
    if (!m_source) {
        Q_EMIT editRefused(redo ? tr("Cannot redo: the view shows nothing.")
                                : tr("Cannot undo: the view shows nothing."));
        command->setObsolete(true);
        return;
    }
    quint64 offset = 0;
    QByteArray before;
    QByteArray after;
    if (!command->writtenPart(&offset, &before, &after))
        return;
    const QByteArray expected = redo ? before : after;
    const QByteArray replacement = redo ? after : before;
    // Compare and write in one step (for shared memory one pass under the object's lock): the bytes
    // are restored only if they still hold what this step expects, with no writer in between.
    struct Outcome {
        ByteSource::CompareResult result = ByteSource::CompareResult::Failed;
        QByteArray current;
        QString error;
    };
    auto outcome = std::make_shared<Outcome>();
    ByteSource* source = m_source;
    const std::shared_ptr<HexEditStep> step = command->sharedStep();
    WriteQueue::Operation operation;
    operation.offset = offset;
    operation.preview = replacement;
    operation.context = this;
    operation.attempt = [source, offset, expected, replacement, outcome, redo] {
        const journal::Action action(
            [&] { return editActionLabel(redo ? "redo" : "undo", offset, replacement.size()); });
        outcome->result = source->compareExchange(offset, expected, replacement, &outcome->current);
        if (outcome->result == ByteSource::CompareResult::Failed && source->lockWasBusy())
            return false;
        outcome->error = source->errorString();
        return true;
    };
    operation.finished = [this, step, offset, expected, replacement, redo, outcome] {
        step->queueId = 0;
        finishStepWrite(step, offset, expected, replacement, redo, int(outcome->result), outcome->current,
                        outcome->error);
    };
    operation.dropped = [step] {
        step->queueId = 0; // the object keeps what it held
        if (step->command)
            step->command->updateText();
    };
    const quint64 id = source->writeQueue()->submit(std::move(operation));
    if (source->writeQueue()->isQueued(id))
        step->queueId = id;
}

void HexView::stepApplied(HexEditStep& step, bool redo)
{
    step.objectHoldsAfter = redo;
    if (step.command)
        step.command->updateText();
}

void HexView::stepFailed(HexEditStep& step, quint64 offset, bool redo, const QString& why)
{
    Q_EMIT editRefused(
        (redo ? tr("Could not redo the edit at offset %1: %2") : tr("Could not undo the edit at offset %1: %2"))
            .arg(hexOffset(offset), why));
    if (step.command)
        step.command->setObsolete(true); // QUndoStack drops it (now, or when it next gets to it)
}

void HexView::finishStepWrite(const std::shared_ptr<HexEditStep>& step, quint64 offset, const QByteArray& expected,
                              const QByteArray& replacement, bool redo, int resultCode, const QByteArray& now,
                              const QString& error)
{
    const auto result = ByteSource::CompareResult(resultCode);
    if (result == ByteSource::CompareResult::Written) {
        stepApplied(*step, redo);
        return;
    }
    if (result == ByteSource::CompareResult::Failed) {
        stepFailed(*step, offset, redo, error);
        return;
    }
    // Someone else wrote these bytes after us (`now` holds theirs): restoring blindly would destroy
    // their data, so the conflict handler decides — outside the lock, since it may ask the user.
    bool overwrite = false;
    if (m_undoConflictHandler)
        overwrite = m_undoConflictHandler(UndoConflict { offset, expected, now, replacement, redo });
    Q_EMIT undoConflicted(offset, quint64(expected.size()), overwrite);
    if (!overwrite) {
        Q_EMIT editRefused((redo ? tr("Redo skipped: the %n byte(s) at offset %1 were changed by someone else since.",
                                      nullptr, int(std::min<qsizetype>(expected.size(), INT_MAX)))
                                 : tr("Undo skipped: the %n byte(s) at offset %1 were changed by someone else since.",
                                      nullptr, int(std::min<qsizetype>(expected.size(), INT_MAX))))
                               .arg(hexOffset(offset)));
        if (step->command)
            step->command->setObsolete(true);
        return;
    }
    // Overwriting was the explicit choice: a plain write, queued like any other.
    if (!m_source) {
        stepFailed(*step, offset, redo, tr("the view shows nothing"));
        return;
    }
    ByteSource* source = m_source;
    auto written = std::make_shared<bool>(false);
    auto why = std::make_shared<QString>();
    WriteQueue::Operation operation;
    operation.offset = offset;
    operation.preview = replacement;
    operation.context = this;
    operation.attempt = [source, offset, replacement, written, why] {
        *written = source->write(offset, replacement);
        if (!*written && source->lockWasBusy())
            return false;
        *why = source->errorString();
        return true;
    };
    operation.finished = [this, step, offset, redo, written, why] {
        step->queueId = 0;
        if (*written)
            stepApplied(*step, redo);
        else
            stepFailed(*step, offset, redo, *why);
    };
    operation.dropped = [step] {
        step->queueId = 0;
        if (step->command)
            step->command->updateText();
    };
    const quint64 id = source->writeQueue()->submit(std::move(operation));
    if (source->writeQueue()->isQueued(id))
        step->queueId = id;
}

bool HexView::editBytes(quint64 offset, const QByteArray& bytes)
{
    const quint64 size = sourceSize();
    if (!m_source || size == 0) {
        Q_EMIT editRefused(tr("Nothing to edit: the view is empty."));
        return false;
    }
    if (!m_source->isWritable()) {
        Q_EMIT editRefused(tr("The view is read-only: nothing was written at offset %1.").arg(hexOffset(offset)));
        return false;
    }
    if (bytes.isEmpty() || offset >= size || quint64(bytes.size()) > size - offset) {
        Q_EMIT editRefused(tr("Cannot write %1 bytes at offset %2: the source holds %3 bytes; nothing was changed.")
                               .arg(bytes.size())
                               .arg(hexOffset(offset))
                               .arg(size));
        return false;
    }
    m_runOpen = false;
    return writeUndoable(offset, bytes, -1);
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

void HexView::contextMenuEvent(QContextMenuEvent* event)
{
    event->accept();
    QMenu* menu = createContextMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(event->globalPos());
}

QMenu* HexView::createContextMenu(QWidget* parent)
{
    auto* menu = new QMenu(parent);
    const bool selected = m_selectionActive;
    const auto addCopy = [&](const QString& text, const char* name, CopyFormat format) {
        QAction* action = menu->addAction(text, this, [this, format] { copySelection(format); });
        action->setObjectName(QLatin1String(name));
        action->setEnabled(selected);
        return action;
    };
    addCopy(tr("Copy as &Hex"), "copyHex", CopyFormat::Hex)->setShortcut(QKeySequence::Copy);
    addCopy(tr("Copy as &Raw Bytes"), "copyRaw", CopyFormat::Raw);
    addCopy(tr("Copy as &C Array"), "copyCArray", CopyFormat::CArray);
    addCopy(tr("Copy as &Base64"), "copyBase64", CopyFormat::Base64);
    menu->addSeparator();
    QAction* pasteAction = menu->addAction(tr("&Paste"), this, [this] { paste(); });
    pasteAction->setObjectName(QStringLiteral("paste"));
    pasteAction->setShortcut(QKeySequence::Paste);
    pasteAction->setEnabled(m_source && m_source->isWritable() && sourceSize() > 0);
    menu->addSeparator();
    QAction* all = menu->addAction(tr("Select &All"), this, [this] { selectAll(); });
    all->setObjectName(QStringLiteral("selectAll"));
    all->setShortcut(QKeySequence::SelectAll);
    all->setEnabled(sourceSize() > 0);
    menu->addSeparator();
    QAction* pause = menu->addAction(tr("Pause Change &Scan"));
    pause->setObjectName(QStringLiteral("pauseScan"));
    pause->setCheckable(true);
    pause->setChecked(isScanPaused());
    connect(pause, &QAction::toggled, this, &HexView::setScanPaused);
    return menu;
}

// ---- selection and clipboard ---------------------------------------------------------------------

quint64 HexView::selectionStart() const
{
    return m_selectionActive ? std::min(m_anchor, m_cursor) : m_cursor;
}

quint64 HexView::selectionLength() const
{
    return m_selectionActive ? std::max(m_anchor, m_cursor) - std::min(m_anchor, m_cursor) + 1 : 0;
}

bool HexView::isSelected(quint64 offset) const
{
    return m_selectionActive && offset >= std::min(m_anchor, m_cursor) && offset <= std::max(m_anchor, m_cursor);
}

void HexView::setSelection(quint64 start, quint64 length)
{
    const quint64 size = sourceSize();
    if (length == 0 || size == 0 || start >= size) {
        clearSelection();
        return;
    }
    const quint64 last = std::min(saturatingAdd(start, length - 1), size - 1);
    moveCursorTo(last, 0);
    setSelectionState(true, start);
}

void HexView::clearSelection()
{
    setSelectionState(false, 0);
}

void HexView::selectAll()
{
    setSelection(0, sourceSize());
}

void HexView::setSelectionState(bool active, quint64 anchor)
{
    // Compared with the range last shown, not with the state before this call: the cursor (one end of
    // the selection) has usually moved already.
    const quint64 oldFirst = m_shownSelectionStart;
    const quint64 oldLength = m_shownSelectionLength;
    m_selectionActive = active && sourceSize() > 0;
    m_anchor = m_selectionActive ? std::min(anchor, sourceSize() - 1) : m_cursor;
    const quint64 newFirst = selectionStart();
    const quint64 newLength = selectionLength();
    if (oldLength == newLength && (oldFirst == newFirst || newLength == 0))
        return;
    m_shownSelectionStart = newFirst;
    m_shownSelectionLength = newLength;
    // Repaint the old and the new range (updateBytes() touches only their visible rows).
    if (oldLength > 0)
        updateBytes(oldFirst, oldFirst + oldLength - 1);
    if (newLength > 0)
        updateBytes(newFirst, newFirst + newLength - 1);
    Q_EMIT selectionChanged(newFirst, newLength);
}

bool HexView::copySelection(CopyFormat format)
{
    if (!m_selectionActive || !m_source) {
        Q_EMIT copyFailed(tr("Nothing to copy: no bytes are selected."));
        return false;
    }
    const quint64 start = selectionStart();
    const quint64 length = selectionLength();
    if (length > kMaxCopyBytes) {
        Q_EMIT copyFailed(
            tr("Cannot copy %1 bytes: the clipboard takes at most %2 bytes at once.").arg(length).arg(kMaxCopyBytes));
        return false;
    }
    QByteArray bytes(qsizetype(length), Qt::Uninitialized);
    // Up to 16 MiB in one go: holes are copied as the zeros they read as, without touching them (reading
    // a hole of a tmpfs object would make the kernel allocate it for good).
    if (!readSparse(ByteSourceScan(*m_source), start, bytes.data(), std::size_t(bytes.size()))) {
        Q_EMIT copyFailed(tr("Cannot copy the bytes at offset %1: %2").arg(hexOffset(start), m_source->errorString()));
        return false;
    }
    QGuiApplication::clipboard()->setMimeData(mimeDataFor(bytes, format));
    return true;
}

QMimeData* HexView::mimeDataFor(const QByteArray& bytes, CopyFormat format)
{
    auto* mime = new QMimeData;
    switch (format) {
    case CopyFormat::Hex: {
        QByteArray text = bytes.toHex(' ');
        mime->setText(QString::fromLatin1(text));
        break;
    }
    case CopyFormat::Raw:
        mime->setData(QStringLiteral("application/octet-stream"), bytes);
        mime->setData(QStringLiteral("text/plain"), bytes);
        break;
    case CopyFormat::CArray: {
        QString text = QStringLiteral("const unsigned char data[%1] = {").arg(bytes.size());
        for (qsizetype i = 0; i < bytes.size(); ++i) {
            text += (i % 12 == 0 ? QStringLiteral("\n    ") : QStringLiteral(" "));
            const uchar b = uchar(bytes[i]);
            text += QLatin1String("0x") + QLatin1Char(kHexDigits[b >> 4]) + QLatin1Char(kHexDigits[b & 0xf]);
            if (i + 1 < bytes.size())
                text += QLatin1Char(',');
        }
        text += QStringLiteral("\n};\n");
        mime->setText(text);
        break;
    }
    case CopyFormat::Base64:
        mime->setText(QString::fromLatin1(bytes.toBase64()));
        break;
    }
    return mime;
}

std::optional<QByteArray> HexView::parseHex(const QString& text)
{
    static const QRegularExpression separators(QStringLiteral("[\\s,;]+"));
    QByteArray out;
    for (const QString& token : text.split(separators, Qt::SkipEmptyParts)) {
        // "\x41\x42" is one token of two bytes; "0x41" and "41" one byte each.
        const bool escaped = token.contains(QLatin1String("\\x"));
        if (escaped && !token.startsWith(QLatin1String("\\x")))
            return std::nullopt;
        const QStringList parts = escaped ? token.split(QLatin1String("\\x")) : QStringList { token };
        for (qsizetype p = escaped ? 1 : 0; p < parts.size(); ++p) {
            QStringView part(parts[p]);
            bool prefixed = escaped;
            if (part.startsWith(QLatin1String("0x"), Qt::CaseInsensitive)) {
                if (escaped)
                    return std::nullopt;
                part = part.mid(2);
                prefixed = true;
            }
            if (part.isEmpty())
                return std::nullopt;
            for (const QChar ch : part) {
                if (hexDigitValue(ch) < 0)
                    return std::nullopt;
            }
            if (part.size() % 2 == 1) {
                if (!(prefixed && part.size() == 1))
                    return std::nullopt; // "abc" could be a b c or ab c: refuse rather than guess
                out.append(char(hexDigitValue(part[0])));
                continue;
            }
            for (qsizetype d = 0; d < part.size(); d += 2)
                out.append(char(hexDigitValue(part[d]) << 4 | hexDigitValue(part[d + 1])));
        }
    }
    if (out.isEmpty())
        return std::nullopt;
    return out;
}

bool HexView::paste()
{
    const QMimeData* mime = QGuiApplication::clipboard()->mimeData();
    if (!mime) {
        Q_EMIT editRefused(tr("Nothing to paste: the clipboard is empty."));
        return false;
    }
    if (mime->hasFormat(QStringLiteral("application/octet-stream")))
        return pasteBytes(mime->data(QStringLiteral("application/octet-stream")));
    return pasteText(mime->text());
}

bool HexView::pasteText(const QString& text)
{
    if (m_pane == Pane::Ascii)
        return pasteBytes(text.toUtf8());
    const std::optional<QByteArray> bytes = parseHex(text);
    if (!bytes) {
        Q_EMIT editRefused(
            tr("Cannot paste into the hex pane: the text is not hexadecimal bytes (such as “de ad be ef”)."));
        return false;
    }
    return pasteBytes(*bytes);
}

bool HexView::pasteBytes(const QByteArray& bytes)
{
    const quint64 size = sourceSize();
    if (!m_source || size == 0) {
        Q_EMIT editRefused(tr("Nothing to edit: the view is empty."));
        return false;
    }
    const quint64 at = selectionStart();
    if (!m_source->isWritable()) {
        Q_EMIT editRefused(tr("The view is read-only: nothing was pasted at offset %1.").arg(hexOffset(at)));
        return false;
    }
    if (bytes.isEmpty()) {
        Q_EMIT editRefused(tr("Nothing to paste: the clipboard holds no bytes."));
        return false;
    }
    if (quint64(bytes.size()) > size - at) {
        Q_EMIT editRefused(
            tr("Cannot paste %1 bytes at offset %2: only %3 bytes are left before the end; nothing was changed.")
                .arg(bytes.size())
                .arg(hexOffset(at))
                .arg(size - at));
        return false;
    }
    m_runOpen = false;
    if (!writeUndoable(at, bytes, -1))
        return false;
    setSelectionState(false, 0);
    moveCursorTo(std::min(at + quint64(bytes.size()), size - 1), 0);
    return true;
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
    // Called whenever the visible rows change (and on every poll): keep the strip's outline in step.
    m_overview->setViewRange(m_topRow * quint64(m_bytesPerRow),
                             quint64(std::max(0, visibleRowCount())) * quint64(m_bytesPerRow));
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
    const quint64 start = firstRow * m_bytesPerRow;
    const quint64 end = endRow >= rows ? size : endRow * m_bytesPerRow; // no overflow for sizes near 2^64
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
                // Repaint runs of changed bytes, not whole rows: a poll that finds 10% of a page changed
                // then repaints about 10% of it.
                quint64 i = 0;
                while (i < n) {
                    if (now[i] == before[i]) {
                        ++i;
                        continue;
                    }
                    const quint64 runStart = i;
                    while (i < n && now[i] != before[i]) {
                        addHighlight(overlapStart + i, HighlightKind::External);
                        ++i;
                    }
                    updateBytes(overlapStart + runStart, overlapStart + i - 1);
                }
                notifyHexViewBytesChanged(this, overlapStart, overlapEnd - 1); // e.g. another process wrote
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
    updateBytes(start, end - 1);
    notifyHexViewBytesChanged(this, start, end - 1);
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
    if (m_selectionActive)
        setSelectionState(true, m_anchor); // clamps the anchor; clears the selection when nothing is left
    refreshSnapshot();
    viewport()->update();
    notifyHexViewBytesChanged(this, 0, std::numeric_limits<quint64>::max()); // the cursor's row may be shorter
}

void HexView::onSourceDestroyed()
{
    // m_source (a QPointer) is already null here. The scanner was joined at aboutToBeDestroyed(), while
    // the source was whole (a source that does not emit it: too late; the header asks to detach first).
    m_overview->setSource(nullptr);
    m_undoStack->clear();
    m_runOpen = false;
    m_selectionActive = false;
    m_shownSelectionStart = 0;
    m_shownSelectionLength = 0;
    m_highlights.clear();
    m_fadeTimer.stop();
    m_pollTimer.stop();
    m_snapValid = false;
    m_snapData.clear();
    m_snapReadable = 0;
    m_cursor = 0;
    m_topRow = 0;
    relayout();
    notifyHexViewBytesChanged(this, 0, std::numeric_limits<quint64>::max()); // nothing under the cursor now
}

void HexView::pollNow()
{
    poll();
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
    m_highlights.insert(offset, Highlight { m_clock.elapsed(), kind });
    if (!m_fadeTimer.isActive())
        m_fadeTimer.start();
}

void HexView::onFadeTick()
{
    // Each tick repaints only the cells that still fade (and once more those whose fade just ended),
    // collected per visible row as a mask of columns.
    const qint64 now = m_clock.elapsed();
    const int slotCount = visibleRowCount();
    std::vector<quint64> dirty(size_t(std::max(0, slotCount)), 0);
    for (auto it = m_highlights.begin(); it != m_highlights.end();) {
        const quint64 row = it.key() / m_bytesPerRow;
        if (row >= m_topRow && row - m_topRow < quint64(slotCount))
            dirty[size_t(row - m_topRow)] |= quint64(1) << (it.key() % m_bytesPerRow);
        if (now - it->since >= m_highlightDuration)
            it = m_highlights.erase(it);
        else
            ++it;
    }
    for (int i = 0; i < slotCount; ++i) {
        if (dirty[size_t(i)])
            updateByteRuns(m_topRow + quint64(i), dirty[size_t(i)]);
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

// ---- painting --------------------------------------------------------------------------------------

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

HexView::~HexView()
{
    if (m_source)
        disconnect(m_source, nullptr, this, nullptr);
}

namespace { } // namespace

// The colours the view derives from its palette: mixing with Base keeps them readable in dark themes.
struct HexView::Colors {
    QColor base, text, dim, offset, rule, highlight, highlightedText, headerBase, selection, pending;
};

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
        painter.fillRect(area, c.base);
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
