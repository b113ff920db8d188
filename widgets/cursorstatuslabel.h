#pragma once

#include <QLabel>
#include <QPointer>

namespace shmscope {

class HexView;

/// A status bar field that follows a HexView: the cursor offset in hex and decimal and, when bytes are
/// selected, how many ("Offset 0x1a (26), 6 bytes selected"). Empty while the view shows no source.
/// Its minimum width fits the longest offset of the source shown, so that the status bar does not
/// jump as the cursor moves.
class CursorStatusLabel : public QLabel
{
    Q_OBJECT
public:
    explicit CursorStatusLabel(QWidget* parent = nullptr);

    /// Follows `view` (not owned; watched through QPointer; nullptr: shows nothing) and shows its
    /// position now.
    void setHexView(HexView* view);
    /// Shows the view's position again; call it after the view got another source.
    void refresh();

    /// The text for a cursor at `offset` with `selectionLength` bytes selected (0: none).
    static QString textFor(quint64 offset, quint64 selectionLength);

private:
    QPointer<HexView> m_view;
    quint64 m_widthForSize = 0; ///< the source size the minimum width was measured for
};

} // namespace shmscope
