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
/// The view sends QAccessibleValueChangeEvent and QAccessibleTextCursorEvent when the cursor moves and
/// QAccessibleTextSelectionEvent when the selection changes (notifyCursorMoved(), notifySelectionChanged()).
class HexViewAccessible : public QAccessibleWidget, public QAccessibleTextInterface
{
public:
    /// The interface for `view` (not owned; QAccessible's cache owns the interface).
    explicit HexViewAccessible(HexView* view);

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

private:
    quint64 rowStart() const; // offset of the first byte of the cursor's row
    int rowBytes() const; // bytes on the cursor's row (fewer on the last row)
};

/// Installs the QAccessible factory that makes HexViewAccessible interfaces for HexView widgets. Safe to
/// call more than once (installs once); HexView's constructor calls it.
void installHexViewAccessibility();

/// Sends the accessibility events of a cursor move of `view` (value change, text cursor). Does nothing
/// while no assistive technology listens (QAccessible::isActive() false).
void notifyHexViewCursorMoved(HexView* view);
/// Sends the accessibility event of a selection change of `view` (QAccessibleTextSelectionEvent, in
/// the row offsets of the text interface; -1, -1 when nothing is selected on the cursor's row).
void notifyHexViewSelectionChanged(HexView* view);

} // namespace shmscope
