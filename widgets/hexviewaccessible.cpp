#include "widgets/hexviewaccessible.h"

#include "widgets/bytesource.h"
#include "widgets/hexview.h"

#include <QAccessible>
#include <QCoreApplication>
#include <QPointer>
#include <QSet>
#include <algorithm>
#include <utility>

namespace shmscope {

namespace {

QString hex(quint64 value)
{
    return QStringLiteral("0x%1").arg(value, 0, 16);
}

QAccessibleInterface* hexViewFactory(const QString&, QObject* object)
{
    // Matched by type, not by the key (the class name QAccessible passes walks up the meta-object
    // chain, and a subclass of HexView should get this interface too).
    if (auto* view = qobject_cast<HexView*>(object))
        return new HexViewAccessible(view);
    return nullptr;
}

// Characters a byte takes in the row text: two hex digits and a space.
constexpr int kCharsPerByte = 3;

HexViewAccessibilityEventSink g_eventSink = nullptr; // GUI thread only, like the views

// Every HexViewAccessible alive, so that all can rememberState() when someone starts listening (while no
// one listens, nothing is announced and what they remember goes stale).
QSet<HexViewAccessible*>& liveInterfaces()
{
    // Never destroyed: QAccessible's cache may delete the last interfaces during static destruction,
    // after a function-local static set would be gone.
    static auto* interfaces = new QSet<HexViewAccessible*>;
    return *interfaces;
}

void rememberAllStates()
{
    for (HexViewAccessible* iface : std::as_const(liveInterfaces()))
        iface->rememberState();
}

// Told by QAccessible when a screen reader starts (or stops) listening.
class ActivationObserver : public QAccessible::ActivationObserver
{
public:
    void accessibilityActiveChanged(bool active) override
    {
        if (active)
            rememberAllStates();
    }
};

// Owns the activation observer for the application's lifetime: a child of the application object,
// deleted in its ~QObject, after ~QGuiApplication has taken down the platform's accessibility bridge
// (the last that tells observers anything); it uninstalls the observer then.
class ActivationObserverOwner : public QObject
{
public:
    explicit ActivationObserverOwner(QObject* application)
        : QObject(application)
    {
        QAccessible::installActivationObserver(&m_observer);
    }
    ~ActivationObserverOwner() override { QAccessible::removeActivationObserver(&m_observer); }

private:
    ActivationObserver m_observer;
};

// Whether anyone would receive an event: without that, QAccessible::updateAccessibility() drops it.
bool listening()
{
    return g_eventSink != nullptr || QAccessible::isActive();
}

void send(QAccessibleEvent* event)
{
    if (g_eventSink)
        g_eventSink(event);
    else
        QAccessible::updateAccessibility(event);
}

} // namespace

// Why EditableText and not Table: a Table's cells are child interfaces that screen readers walk and
// count with int indexes; a 64 GiB source has 2^36 bytes, so cells would have to be virtual and the
// counts would still overflow. Screen readers (Orca over AT-SPI, NVDA over IAccessible2/UIA) handle
// an editable text field best: they announce its value and the text at the caret on every caret move,
// and a hex editor is an overwrite-mode edit field. So the view is one EditableText whose text
// interface covers the cursor's row and whose value names the 64-bit offset and the byte.
HexViewAccessible::HexViewAccessible(HexView* view)
    : QAccessibleWidget(view, QAccessible::EditableText)
{
    // The state a screen reader finds when it first looks: later events are about changes from it.
    rememberState();
    liveInterfaces().insert(this);
}

HexViewAccessible::~HexViewAccessible()
{
    liveInterfaces().remove(this);
}

void HexViewAccessible::rememberState()
{
    m_announcedRowStart = rowStart();
    m_announcedRowText = text(0, characterCount());
    m_announcedValue = cursorValueText(hexView());
    m_announcedCaret = cursorPosition();
}

HexView* HexViewAccessible::hexView() const
{
    return static_cast<HexView*>(widget());
}

QString HexViewAccessible::cursorValueText(const HexView* view)
{
    ByteSource* source = view->source();
    if (!source || source->size() == 0)
        return QAccessibleWidget::tr("empty");
    const quint64 offset = view->cursorOffset();
    char byte = 0;
    if (!source->read(offset, &byte, 1))
        return QAccessibleWidget::tr("offset %1: unreadable").arg(hex(offset));
    const auto value = uchar(byte);
    const QString number = QStringLiteral("0x%1").arg(uint(value), 2, 16, QLatin1Char('0'));
    if (value >= 0x20 && value < 0x7f)
        return QAccessibleWidget::tr("offset %1: %2 '%3'").arg(hex(offset), number, QString(QLatin1Char(char(value))));
    return QAccessibleWidget::tr("offset %1: %2").arg(hex(offset), number);
}

QAccessible::Role HexViewAccessible::role() const
{
    return QAccessible::EditableText;
}

QAccessible::State HexViewAccessible::state() const
{
    QAccessible::State s = QAccessibleWidget::state();
    const ByteSource* source = hexView()->source();
    s.editable = source && source->isWritable();
    s.readOnly = !s.editable;
    s.selectableText = true;
    s.multiLine = true;
    return s;
}

QString HexViewAccessible::text(QAccessible::Text t) const
{
    const HexView* view = hexView();
    switch (t) {
    case QAccessible::Name: {
        const QString name = view->accessibleName();
        return name.isEmpty() ? QAccessibleWidget::tr("Hex view") : name;
    }
    case QAccessible::Description: {
        const QString given = view->accessibleDescription();
        if (!given.isEmpty())
            return given;
        const quint64 size = view->source() ? view->source()->size() : 0;
        QString text = QAccessibleWidget::tr("%1 bytes, %2 a row").arg(size).arg(view->bytesPerRow());
        if (view->hasSelection()) {
            const quint64 first = view->selectionStart();
            const quint64 length = view->selectionLength();
            text += QStringLiteral("; ")
                + QAccessibleWidget::tr("selected %1 to %2, %3 bytes")
                      .arg(hex(first), hex(first + length - 1))
                      .arg(length);
        }
        return text;
    }
    case QAccessible::Value:
        return cursorValueText(view);
    default:
        return QAccessibleWidget::text(t);
    }
}

void* HexViewAccessible::interface_cast(QAccessible::InterfaceType t)
{
    if (t == QAccessible::TextInterface)
        return static_cast<QAccessibleTextInterface*>(this);
    return QAccessibleWidget::interface_cast(t);
}

quint64 HexViewAccessible::rowStart() const
{
    const HexView* view = hexView();
    return view->cursorOffset() / quint64(view->bytesPerRow()) * quint64(view->bytesPerRow());
}

int HexViewAccessible::rowBytes() const
{
    const HexView* view = hexView();
    const quint64 size = view->source() ? view->source()->size() : 0;
    const quint64 start = rowStart();
    return start >= size ? 0 : int(std::min<quint64>(quint64(view->bytesPerRow()), size - start));
}

int HexViewAccessible::characterCount() const
{
    const int n = rowBytes();
    return n == 0 ? 0 : n * kCharsPerByte - 1;
}

QString HexViewAccessible::text(int startOffset, int endOffset) const
{
    const int n = rowBytes();
    if (n == 0)
        return {};
    QByteArray bytes(n, '\0');
    if (!hexView()->source()->read(rowStart(), bytes.data(), n))
        return {};
    const QString row = QString::fromLatin1(bytes.toHex(' '));
    startOffset = std::clamp(startOffset, 0, int(row.size()));
    endOffset = std::clamp(endOffset, startOffset, int(row.size()));
    return row.mid(startOffset, endOffset - startOffset);
}

QString HexViewAccessible::textAtOffset(int offset, QAccessible::TextBoundaryType boundaryType, int* startOffset,
                                        int* endOffset) const
{
    const int count = characterCount();
    if (count == 0 || offset < 0 || offset >= count) {
        *startOffset = *endOffset = -1;
        return {};
    }
    if (boundaryType == QAccessible::CharBoundary) {
        *startOffset = offset;
        *endOffset = offset + 1;
    } else if (boundaryType == QAccessible::WordBoundary) {
        // A word is one byte's two digits.
        *startOffset = offset / kCharsPerByte * kCharsPerByte;
        *endOffset = std::min(count, *startOffset + 2);
    } else { // sentence, paragraph, line, no boundary: the row
        *startOffset = 0;
        *endOffset = count;
    }
    return text(*startOffset, *endOffset);
}

void HexViewAccessible::selection(int selectionIndex, int* startOffset, int* endOffset) const
{
    *startOffset = *endOffset = 0;
    const HexView* view = hexView();
    if (selectionIndex != 0 || !view->hasSelection())
        return;
    const quint64 start = rowStart();
    const quint64 end = start + quint64(rowBytes());
    const quint64 first = std::max(view->selectionStart(), start);
    const quint64 last = std::min(view->selectionStart() + view->selectionLength(), end);
    if (first >= last)
        return;
    *startOffset = int(first - start) * kCharsPerByte;
    *endOffset = int(last - start) * kCharsPerByte - 1;
}

int HexViewAccessible::selectionCount() const
{
    int start = 0;
    int end = 0;
    selection(0, &start, &end);
    return end > start ? 1 : 0;
}

void HexViewAccessible::addSelection(int startOffset, int endOffset)
{
    setSelection(0, startOffset, endOffset);
}

void HexViewAccessible::removeSelection(int selectionIndex)
{
    if (selectionIndex == 0)
        hexView()->clearSelection();
}

void HexViewAccessible::setSelection(int selectionIndex, int startOffset, int endOffset)
{
    const int n = rowBytes();
    if (selectionIndex != 0 || n == 0)
        return;
    const int first = std::clamp(startOffset / kCharsPerByte, 0, n - 1);
    const int last = std::clamp((std::max(startOffset, endOffset) - 1) / kCharsPerByte, first, n - 1);
    hexView()->setSelection(rowStart() + quint64(first), quint64(last - first + 1));
}

int HexViewAccessible::cursorPosition() const
{
    const HexView* view = hexView();
    if (rowBytes() == 0)
        return 0;
    const int column = int(view->cursorOffset() - rowStart());
    return column * kCharsPerByte + (view->cursorPane() == HexView::Pane::Hex ? view->cursorNibble() : 0);
}

void HexViewAccessible::setCursorPosition(int position)
{
    const int n = rowBytes();
    if (n == 0)
        return;
    hexView()->setCursorOffset(rowStart() + quint64(std::clamp(position / kCharsPerByte, 0, n - 1)));
}

QRect HexViewAccessible::characterRect(int offset) const
{
    const int n = rowBytes();
    if (n == 0 || offset < 0)
        return {};
    const HexView* view = hexView();
    const QRect cell
        = view->cellRect(rowStart() + quint64(std::min(offset / kCharsPerByte, n - 1)), HexView::Pane::Hex);
    if (cell.isNull())
        return {};
    // One of the two digits (or the space after them): a third of the byte's cell each is close enough.
    const int third = std::max(1, cell.width() / 2);
    QRect digit(cell.left() + (offset % kCharsPerByte) * third, cell.top(), third, cell.height());
    return QRect(view->viewport()->mapToGlobal(digit.topLeft()), digit.size());
}

int HexViewAccessible::offsetAtPoint(const QPoint& point) const
{
    const HexView* view = hexView();
    const QPoint local = view->viewport()->mapFromGlobal(point);
    const int n = rowBytes();
    for (int i = 0; i < n; ++i) {
        const QRect cell = view->cellRect(rowStart() + quint64(i), HexView::Pane::Hex);
        if (cell.contains(local))
            return i * kCharsPerByte + (local.x() >= cell.center().x() ? 1 : 0);
    }
    return -1;
}

void HexViewAccessible::scrollToSubstring(int startIndex, int)
{
    // The row is the cursor's, which the view keeps visible; moving the cursor there scrolls to it.
    setCursorPosition(startIndex);
}

QString HexViewAccessible::attributes(int offset, int* startOffset, int* endOffset) const
{
    *startOffset = offset;
    *endOffset = offset;
    return {};
}

void installHexViewAccessibility()
{
    static const bool installed = [] {
        QAccessible::installFactory(hexViewFactory);
        return true;
    }();
    Q_UNUSED(installed);
    // One observer per application object (a program may make another after the first is gone).
    static QPointer<QObject> observerOwner;
    if (!observerOwner && QCoreApplication::instance())
        observerOwner = new ActivationObserverOwner(QCoreApplication::instance());
}

void installHexViewAccessibility(HexView* view)
{
    installHexViewAccessibility();
    QAccessible::queryAccessibleInterface(view);
}

namespace {

// The view's interface (made by the factory above, cached by QAccessible until the view goes).
HexViewAccessible* accessibleOf(HexView* view)
{
    return dynamic_cast<HexViewAccessible*>(QAccessible::queryAccessibleInterface(view));
}

} // namespace

void HexViewAccessible::announceChanges(bool cursorMoved)
{
    HexView* view = hexView();
    const quint64 start = rowStart();
    const QString row = text(0, characterCount());
    if (start != m_announcedRowStart || row != m_announcedRowText) {
        // Only the characters that differ, so that a screen reader that speaks text changes says
        // "41" for a rewritten byte rather than the whole row. Another row is a new text altogether.
        qsizetype prefix = 0;
        qsizetype suffix = 0;
        if (start == m_announcedRowStart) {
            const qsizetype common = std::min(row.size(), m_announcedRowText.size());
            while (prefix < common && row.at(prefix) == m_announcedRowText.at(prefix))
                ++prefix;
            while (suffix < common - prefix
                   && row.at(row.size() - 1 - suffix) == m_announcedRowText.at(m_announcedRowText.size() - 1 - suffix))
                ++suffix;
        }
        QAccessibleTextUpdateEvent update(view, int(prefix),
                                          m_announcedRowText.mid(prefix, m_announcedRowText.size() - prefix - suffix),
                                          row.mid(prefix, row.size() - prefix - suffix));
        m_announcedRowStart = start;
        m_announcedRowText = row;
        send(&update);
    }
    const QString value = cursorValueText(view);
    if (value != m_announcedValue) {
        m_announcedValue = value;
        QAccessibleValueChangeEvent event(view, value);
        send(&event);
    }
    const int caret = cursorPosition();
    if (cursorMoved || caret != m_announcedCaret) {
        m_announcedCaret = caret;
        QAccessibleTextCursorEvent event(view, caret);
        send(&event);
    }
}

HexViewAccessibilityEventSink setHexViewAccessibilityEventSink(HexViewAccessibilityEventSink sink)
{
    const HexViewAccessibilityEventSink previous = std::exchange(g_eventSink, sink);
    if (sink)
        rememberAllStates();
    return previous;
}

// While no one listens these return at once: a cursor move or a poll then costs nothing extra. What
// the interfaces remember goes stale meanwhile, so they all rememberState() when listening starts.
void notifyHexViewCursorMoved(HexView* view)
{
    if (!listening())
        return;
    if (HexViewAccessible* iface = accessibleOf(view))
        iface->announceChanges(true);
}

void notifyHexViewSelectionChanged(HexView* view)
{
    if (!listening())
        return;
    HexViewAccessible* iface = accessibleOf(view);
    if (!iface)
        return;
    int start = -1;
    int end = -1;
    if (iface->selectionCount() > 0)
        iface->selection(0, &start, &end);
    QAccessibleTextSelectionEvent event(view, start, end);
    send(&event);
    QAccessibleEvent description(view, QAccessible::DescriptionChanged);
    send(&description);
}

void notifyHexViewBytesChanged(HexView* view, quint64 first, quint64 last)
{
    // Only the cursor's row is in the text interface, and only the byte under the cursor in the value:
    // a change elsewhere (most polls of a busy object) announces nothing.
    if (!listening())
        return;
    const quint64 perRow = quint64(view->bytesPerRow());
    const quint64 rowFirst = view->cursorOffset() / perRow * perRow;
    const quint64 rowLast = rowFirst + perRow - 1;
    const bool touchesRow = first <= rowLast && last >= rowFirst;
    if (!touchesRow && view->source() && view->source()->size() > rowFirst)
        return;
    if (HexViewAccessible* iface = accessibleOf(view))
        iface->announceChanges(false);
}

} // namespace shmscope
