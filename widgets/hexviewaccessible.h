#pragma once

#include <QAccessibleWidget>

namespace shmscope {

class HexView;

/// What a screen reader sees of a HexView (through QAccessible; created by the factory that
/// installHexViewAccessibility() installs, so QAccessible::queryAccessibleInterface(view) returns one).
///
/// - role(): QAccessible::EditableText (why: see the .cpp);
/// - text(Name): the widget's accessibleName, else "Hex view"; text(Description): the size, the bytes
///   per row and the selection ("selected 0x10 to 0x1f, 16 bytes");
/// - text(Value): the offset and byte under the cursor, "offset 0x10: 0x41 'A'" ("offset 0x10: 0x07"
///   for a byte that is not printable ASCII, "empty" without bytes);
/// - state(): focusable, focused, editable unless the source is read-only, selectableText, multiLine;
/// - the text interface covers the cursor's row in the hex pane's notation ("41 42 43 …", three
///   characters a byte, the last without a trailing space): the caret is at 3 × column (+1 on the low
///   nibble), the selection is its intersection with the row, and setting the caret or selection
///   moves the view's. Offsets of a 64 GiB source do not fit the interface's int offsets, which is
///   why it covers one row, and why the value and the description carry the 64-bit offsets.
///
/// Events (sent by the notify functions below, which HexView calls): the interface remembers what it
/// last told (the cursor's row text, the value, the caret) and announces only differences —
/// QAccessibleTextUpdateEvent when the row's text changed (a byte on it was written, by this view or
/// anyone else, or the cursor moved to another row), QAccessibleValueChangeEvent when the value under
/// the cursor changed (another offset, or the byte there was rewritten), QAccessibleTextCursorEvent
/// when the cursor moved (also between nibbles and panes), and QAccessibleTextSelectionEvent plus a
/// DescriptionChanged event when the selection changed. They go to QAccessible::updateAccessibility(),
/// or to the sink set with setHexViewAccessibilityEventSink(); while neither listens
/// (QAccessible::isActive() false and no sink) nothing is computed or sent.
class HexViewAccessible : public QAccessibleWidget, public QAccessibleTextInterface
{
public:
    /// The interface for `view` (not owned; QAccessible's cache owns the interface).
    explicit HexViewAccessible(HexView* view);
    ~HexViewAccessible() override;

    /// The HexView described.
    HexView* hexView() const;

    /// The value text for the cursor of `view`, e.g. "offset 0x10: 0x41 'A'" (translated).
    static QString cursorValueText(const HexView* view);

    // QAccessibleInterface
    QAccessible::Role role() const override;
    QAccessible::State state() const override;
    QString text(QAccessible::Text t) const override;
    void* interface_cast(QAccessible::InterfaceType t) override;

    // QAccessibleTextInterface: see the class comment (offsets are characters of the cursor's row)
    void selection(int selectionIndex, int* startOffset, int* endOffset) const override;
    int selectionCount() const override;
    void addSelection(int startOffset, int endOffset) override;
    void removeSelection(int selectionIndex) override;
    void setSelection(int selectionIndex, int startOffset, int endOffset) override;
    int cursorPosition() const override;
    void setCursorPosition(int position) override;
    QString text(int startOffset, int endOffset) const override;
    QString textAtOffset(int offset, QAccessible::TextBoundaryType boundaryType, int* startOffset,
                         int* endOffset) const override;
    int characterCount() const override;
    QRect characterRect(int offset) const override;
    int offsetAtPoint(const QPoint& point) const override;
    void scrollToSubstring(int startIndex, int endIndex) override;
    QString attributes(int offset, int* startOffset, int* endOffset) const override;

    /// Compares the view's state with what was last announced and sends the events for what differs
    /// (see the class comment); with `cursorMoved` the caret event is sent even when the caret's
    /// position in the row text is the same (the cursor moved to the same column of another row).
    void announceChanges(bool cursorMoved);
    /// Takes the view's state as announced without sending anything: done when the interface is made
    /// and when someone starts listening (QAccessible activated, or a sink set), so that the first
    /// events are about what changed from then on.
    void rememberState();

private:
    quint64 rowStart() const; // offset of the first byte of the cursor's row
    int rowBytes() const; // bytes on the cursor's row (fewer on the last row)

    // What screen readers were last told (rememberState(), announceChanges()).
    quint64 m_announcedRowStart = 0;
    QString m_announcedRowText;
    QString m_announcedValue;
    int m_announcedCaret = 0;
};

/// Installs the QAccessible factory that makes HexViewAccessible interfaces for HexView widgets, and an
/// activation observer owned by the application object (removed when it is destroyed). Safe to call
/// more than once (installs once per application object). Call with a QApplication alive.
void installHexViewAccessibility();
/// installHexViewAccessibility(), then makes `view`'s interface now, so that it knows the state before
/// the first change it must announce (interfaces are otherwise made on first query). HexView's
/// constructor calls it.
void installHexViewAccessibility(HexView* view);

/// Where hex views send their accessibility events instead of QAccessible::updateAccessibility().
using HexViewAccessibilityEventSink = void (*)(QAccessibleEvent* event);
/// Sends every accessibility event of hex views to `sink` (called synchronously, in the GUI thread;
/// the event lives only during the call) instead of QAccessible::updateAccessibility(); nullptr
/// restores QAccessible. Returns the previous sink. Setting one makes every hex view's interface
/// rememberState() first. For tests: Qt 6.4.2's updateAccessibility() drops events while
/// QAccessible::isActive() is false, before an update handler installed with
/// QAccessible::installUpdateHandler() sees them, and on the offscreen platform isActive() stays false
/// even after QAccessible::setActive(true), which only tells activation observers (observed on Debian
/// 12's Qt 6.4.2 with a QLineEdit: its events never reach an installed handler). Only the platform's
/// private QPlatformAccessibility::setActive() would change that.
HexViewAccessibilityEventSink setHexViewAccessibilityEventSink(HexViewAccessibilityEventSink sink);

/// Sends the accessibility events of a cursor move of `view` — to another byte, or to the other nibble
/// or pane of the same byte, or a new row layout (bytes per row): text cursor, and value and row text
/// when they changed (HexViewAccessible::announceChanges(true)).
void notifyHexViewCursorMoved(HexView* view);
/// Sends the accessibility events of a selection change of `view`: QAccessibleTextSelectionEvent in
/// the row offsets of the text interface (-1, -1 when nothing is selected on the cursor's row) and
/// DescriptionChanged (the description names the selection).
void notifyHexViewSelectionChanged(HexView* view);
/// Tells `view`'s interface that bytes [first, last] (inclusive offsets) may have changed — written
/// by this view, another view or another process, a new source, a resize: when they touch the
/// cursor's row, sends the row's text update and, when the byte under the cursor changed, the value
/// change (HexViewAccessible::announceChanges(false)). Cheap when the range is elsewhere.
void notifyHexViewBytesChanged(HexView* view, quint64 first, quint64 last);

} // namespace shmscope
