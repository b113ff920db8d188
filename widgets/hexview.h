#pragma once

#include <QAbstractScrollArea>
#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QPointer>
#include <QTimer>

namespace shmscope {

class ByteSource;

/// The hex view: a live, editable view of a ByteSource with an offset column, a hex pane (16 bytes a
/// row, a gap after 8) and an ASCII pane ('.' for bytes that are not printable ASCII).
///
/// Scale: offsets are 64-bit everywhere. Only the visible rows (plus kPollMarginRows above and below)
/// are read, through ByteSource::read() into a small buffer, and only the visible rows are painted;
/// the source is never copied as a whole and no QTextDocument is involved. When the row count exceeds
/// what an int can hold, the vertical scrollbar's int range is mapped onto the 64-bit row range
/// (scaled), so the end of a 64 GiB source is reachable by scrollbar, keys and setCursorOffset().
///
/// Live: a poll timer (default 50 ms, setPollInterval()) calls ByteSource::refresh() and re-reads the
/// visible rows; bytes that differ from the last read are highlighted and the highlight fades out over
/// highlightDuration() (default 1000 ms). ByteSource::contentsChanged() re-reads the intersecting
/// visible range at once. Bytes written through the source by this process (ByteSource::bytesWritten:
/// this view's edits, a TextView on the same source) are highlighted as HighlightKind::Own, bytes
/// changed by anyone else as HighlightKind::External, in different colours. When the source shrinks,
/// bytes that can no longer be read show as "??".
///
/// Editing (overwrite only): in the hex pane hex digits replace the high, then the low nibble of the
/// byte under the cursor, each nibble written at once through ByteSource::write(); in the ASCII pane a
/// printable ASCII character replaces the byte. A read-only source refuses typing with editRefused().
///
/// Keys: arrows, PgUp/PgDn, Home/End (start/end of the row), Ctrl+Home/Ctrl+End (first/last byte),
/// Tab/Shift+Tab (switch between the hex and the ASCII pane). A mouse click places the cursor in
/// either pane (in the hex pane on the nibble clicked).
///
/// Colours come from the widget's QPalette (Base, Text, Highlight, ...) so dark themes work; the font
/// is the system's fixed-pitch font (QFontDatabase::FixedFont).
class HexView : public QAbstractScrollArea
{
    Q_OBJECT
public:
    /// Which pane the cursor is in.
    enum class Pane { Hex, Ascii };
    Q_ENUM(Pane)
    /// How a byte is highlighted: not at all, changed by someone else, or written by this process.
    enum class HighlightKind { None, External, Own };
    Q_ENUM(HighlightKind)

    /// Bytes shown per row.
    static constexpr int kBytesPerRow = 16;
    /// Rows read above and below the visible ones on each poll, so that changes just outside the
    /// viewport are known (and highlighted) when they scroll in.
    static constexpr int kPollMarginRows = 4;

    /// An empty view; call setSource().
    explicit HexView(QWidget* parent = nullptr);
    ~HexView() override;

    /// Shows `source` (not owned; it must outlive the view or be destroyed first, which the view notices
    /// through QPointer). nullptr shows nothing. Resets the cursor to offset 0 and the scroll position
    /// to the top, and forgets all highlights.
    void setSource(ByteSource* source);
    /// The source shown, or nullptr.
    ByteSource* source() const;

    /// The byte offset of the cursor (0 when the source is empty).
    quint64 cursorOffset() const { return m_cursor; }
    /// Moves the cursor to `offset` (clamped to the last byte), to the high nibble, and scrolls so the
    /// cursor's row is visible. Emits cursorMoved() when the offset changed.
    void setCursorOffset(quint64 offset);
    /// The pane the cursor is in (where typing goes).
    Pane cursorPane() const { return m_pane; }
    /// Puts the cursor in `pane` (Tab does the same).
    void setCursorPane(Pane pane);
    /// In the hex pane, which nibble of the cursor's byte typing replaces next: 0 high, 1 low.
    int cursorNibble() const { return m_nibble; }

    /// Sets how often, in ms, the view polls the source (ByteSource::refresh() and a re-read of the
    /// visible rows) while it is visible. 0 or less stops polling (contentsChanged() still works).
    void setPollInterval(int ms);
    /// The poll interval in ms (default 50).
    int pollInterval() const { return m_pollInterval; }
    /// Sets how long, in ms, a changed byte stays highlighted while its highlight fades (minimum 1).
    void setHighlightDuration(int ms);
    /// The highlight duration in ms (default 1000).
    int highlightDuration() const { return m_highlightDuration; }

    /// True while the byte at `offset` is highlighted as changed (its highlight has not faded yet).
    bool isHighlighted(quint64 offset) const { return highlightKind(offset) != HighlightKind::None; }
    /// How the byte at `offset` is highlighted now.
    HighlightKind highlightKind(quint64 offset) const;
    /// How many bytes are highlighted now (visible or not).
    int highlightCount() const { return int(m_highlights.size()); }

    /// Number of rows of the source: ceil(size / kBytesPerRow).
    quint64 rowCount() const;
    /// The row shown at the top of the viewport (row r holds bytes [r*16, r*16+16)).
    quint64 firstVisibleRow() const { return m_topRow; }
    /// How many row slots the viewport shows, the partly visible last one included; rows past the end
    /// of the source are counted but empty.
    int visibleRowCount() const;
    /// Scrolls so that `row` is at the top, clamped so that the last row stays at the bottom.
    void scrollToRow(quint64 row);

    /// The rectangle, in viewport coordinates, of the byte at `offset` in `pane` (both hex digits in the
    /// hex pane), or a null QRect when that byte is not on a visible row.
    QRect cellRect(quint64 offset, Pane pane) const;

    /// Width and height for a view showing the three columns and about 24 rows.
    QSize sizeHint() const override;

Q_SIGNALS:
    /// The cursor moved to `offset` (by key, click, setCursorOffset() or a shrinking source).
    void cursorMoved(quint64 offset);
    /// Typing was refused and nothing changed: the source is read-only or empty, the character does not
    /// fit the pane, or the write failed. `message` is one translated line saying why.
    void editRefused(const QString& message);

protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;
    void changeEvent(QEvent* event) override;
    void focusInEvent(QFocusEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    struct Highlight {
        qint64 since = 0; // m_clock.elapsed() when the change was seen, ms
        HighlightKind kind = HighlightKind::None;
    };

    quint64 sourceSize() const;
    void relayout();
    void updateScrollBars();
    quint64 fullyVisibleRows() const;
    quint64 maxTopRow() const;
    bool scrollBarScaled() const;
    int scrollValueForRow(quint64 row) const;
    quint64 rowForScrollValue(int value) const;
    void setTopRow(quint64 row);
    void onScrollBarValueChanged(int value);
    void onScrollBarActionTriggered(int action);

    void moveCursorTo(quint64 offset, int nibble = 0);
    void ensureCursorVisible();
    bool handleNavigationKey(QKeyEvent* event);
    bool isNavigationKey(const QKeyEvent* event) const;
    void typeText(const QString& text);
    bool writeByte(quint64 offset, char value);

    qint64 readPrefix(quint64 offset, char* out, qint64 length) const;
    void refreshSnapshot();
    void rereadRange(quint64 offset, quint64 length, HighlightKind kind);
    void onSourceContentsChanged(quint64 offset, quint64 length);
    void onSourceBytesWritten(quint64 offset, quint64 length);
    void onSourceSizeChanged(quint64 newSize);
    void onSourceDestroyed();
    void poll();
    void addHighlight(quint64 offset, HighlightKind kind);
    void onFadeTick();
    void updatePollTimer(bool visible);
    void updateRows(quint64 firstRow, quint64 lastRow);

    qreal hexCellX(int column) const;
    qreal asciiCellX(int column) const;
    int rowTop(quint64 row) const;

    QPointer<ByteSource> m_source;

    // cursor
    quint64 m_cursor = 0;
    int m_nibble = 0;
    Pane m_pane = Pane::Hex;

    // scrolling
    quint64 m_topRow = 0;
    bool m_syncingScrollBar = false;
    int m_wheelRemainder = 0; // angle delta not yet turned into rows, 1/8 degree

    // layout, in pixels (qreal: fixed-pitch advances need not be integral)
    qreal m_charWidth = 8;
    int m_lineHeight = 16;
    int m_ascent = 12;
    int m_headerHeight = 18;
    int m_offsetDigits = 8;
    qreal m_offsetX = 0;
    qreal m_hexX = 0;
    qreal m_asciiX = 0;
    qreal m_contentWidth = 0;

    // the bytes last read: [m_snapStart, m_snapStart + m_snapData.size()), of which the first
    // m_snapReadable could be read (the rest lies past what the source can read now)
    quint64 m_snapStart = 0;
    QByteArray m_snapData;
    qint64 m_snapReadable = 0;
    bool m_snapValid = false;

    // live change tracking
    QTimer m_pollTimer;
    QTimer m_fadeTimer;
    QElapsedTimer m_clock;
    QHash<quint64, Highlight> m_highlights;
    int m_pollInterval = 50;
    int m_highlightDuration = 1000;
};

} // namespace shmscope
