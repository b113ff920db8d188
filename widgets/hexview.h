#pragma once

#include "widgets/fieldoverlay.h"

#include <QAbstractScrollArea>
#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QPointer>
#include <QTimer>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QMenu;
class QMimeData;
class QUndoStack;

namespace shmscope {

class ByteEditCommand;
class ByteSource;
class ChangesOverview;
struct HexEditPiece;
struct HexEditStep;

/// The hex view: a live, editable view of a ByteSource with an offset column, a hex pane (16 bytes a
/// row by default, a gap after 8; setBytesPerRow(), setGroupSize()) and an ASCII pane ('.' for bytes
/// that are not printable ASCII).
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
/// Selection: an inclusive byte range between an anchor and the cursor. Shift with any of the cursor
/// keys above (except Tab) extends it, a mouse drag or Shift+click selects, Ctrl+A selects everything,
/// Escape or a cursor move without Shift clears it. Ctrl+C copies the selection as hex, the context
/// menu also as raw bytes, a C array or base64; Ctrl+V pastes hex (hex pane) or text (ASCII pane),
/// overwriting from the start of the selection or the cursor, in one ByteSource::write().
///
/// Undo: every edit made through the view (typing, paste, editBytes()) is a command on undoStack(),
/// with no limit on their number; a run of typing without moving the cursor is one command. Undo and
/// redo (QKeySequence::Undo/Redo, e.g. Ctrl+Z and Ctrl+Shift+Z, or the stack's own actions) first
/// check that the bytes still hold what this view wrote (or, for redo, what undo restored); when
/// someone else changed them since, the UndoConflictHandler decides, and without a handler the step
/// is skipped and nothing is written.
///
/// Field colours: setFieldOverlay() lays the translucent colours of a structure's fields (a FieldOverlay)
/// under the cells of their bytes, ImHex-style.
///
/// Painting: glyphs are pre-rendered once per font, palette and device pixel ratio (QPixmaps at the
/// ratio of the surface painted on, so HiDPI stays crisp); data changes repaint only the rectangles of
/// the changed bytes. tests/benchmarks/hexview_bench measures it.
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

    /// What copySelection() puts on the clipboard.
    enum class CopyFormat {
        Hex, ///< text: two lowercase hex digits a byte, separated by spaces ("de ad be ef")
        Raw, ///< the bytes themselves, as application/octet-stream (and as text/plain for plain-text targets)
        CArray, ///< text: a C array definition, 12 bytes a line ("const unsigned char data[4] = { 0xde, ... };")
        Base64, ///< text: RFC 4648 base64 of the bytes, no line breaks
    };
    Q_ENUM(CopyFormat)

    /// What an undo or redo step found when the bytes no longer hold what it expects.
    struct UndoConflict {
        quint64 offset = 0; ///< first byte of the step's range
        QByteArray expected; ///< what the range should hold: what this view wrote (undo) or restored (redo)
        QByteArray found; ///< what the range holds now (someone else wrote it since)
        QByteArray replacement; ///< what the step would write
        bool redo = false; ///< true for redo, false for undo
    };
    /// Answers an UndoConflict: true overwrites the other writer's bytes with `replacement`, false skips
    /// the step (nothing is written and the step is dropped from the stack, as it no longer applies).
    /// Called synchronously from QUndoStack::undo()/redo(); an app typically shows a question box.
    using UndoConflictHandler = std::function<bool(const UndoConflict& conflict)>;

    /// Bytes shown per row by default (setBytesPerRow() changes it).
    static constexpr int kBytesPerRow = 16;
    /// The largest selection copySelection() copies, in bytes (16 MiB; the hex text is 3 times that).
    static constexpr quint64 kMaxCopyBytes = quint64(16) << 20;
    /// Rows read above and below the visible ones on each poll, so that changes just outside the
    /// viewport are known (and highlighted) when they scroll in.
    static constexpr int kPollMarginRows = 4;

    /// An empty view; call setSource().
    explicit HexView(QWidget* parent = nullptr);
    ~HexView() override;

    /// Shows `source` (not owned; it must outlive the view, or be detached with setSource(nullptr) before it
    /// is destroyed: the changes overview's ChangeScanner reads it in a worker thread, and a source
    /// destroyed first is only noticed through QPointer after its derived part is gone). nullptr shows nothing. Resets
    /// the cursor to offset 0 and the scroll position to the top, and forgets all highlights.
    void setSource(ByteSource* source);
    /// The source shown, or nullptr.
    ByteSource* source() const;

    /// The byte offset of the cursor (0 when the source is empty).
    quint64 cursorOffset() const { return m_cursor; }
    /// Moves the cursor to `offset` (clamped to the last byte), to the high nibble, and scrolls so the
    /// cursor's row is visible; clears the selection. Emits cursorMoved() when the offset changed.
    void setCursorOffset(quint64 offset);
    /// The pane the cursor is in (where typing goes).
    Pane cursorPane() const { return m_pane; }
    /// Puts the cursor in `pane` (Tab does the same).
    void setCursorPane(Pane pane);
    /// In the hex pane, which nibble of the cursor's byte typing replaces next: 0 high, 1 low.
    int cursorNibble() const { return m_nibble; }

    /// The default poll rate in Hz (10: every 100 ms).
    static constexpr int kDefaultPollRate = 10;
    /// The highest poll rate setPollRate() accepts, in Hz.
    static constexpr int kMaxPollRate = 60;
    /// Sets how often the view polls, in Hz: 1 to kMaxPollRate (clamped), or 0 to stop polling. Same as
    /// setPollInterval(round(1000 / hz)) ms. A notification (ByteSource::contentsChanged) still re-reads
    /// its range at once, whatever the rate.
    void setPollRate(int hz);
    /// The poll rate in Hz as set by setPollRate() (for an interval set with setPollInterval(), the rate
    /// nearest to it; 0 when polling is off). Default kDefaultPollRate.
    int pollRate() const;
    /// A new "Poll Rate" menu (caller owns it; parent `parent`) with exclusive checkable actions for
    /// Off, 1, 2, 5, 10, 20, 30 and 60 Hz (object names pollRate0, pollRate1, ..., pollRate60) that call
    /// setPollRate(); the current rate is checked (none when it is not in the list). For a View menu.
    QMenu* createPollRateMenu(QWidget* parent = nullptr);

    /// Sets how often, in ms, the view polls the source (ByteSource::refresh() and a re-read of the
    /// visible rows) while it is visible. 0 or less stops polling (contentsChanged() still works).
    void setPollInterval(int ms);
    /// The poll interval in ms (default 100: kDefaultPollRate).
    int pollInterval() const { return m_pollInterval; }
    /// Polls now, as the poll timer does: ByteSource::refresh(), a re-read of the visible rows (plus the
    /// margin) and a highlight plus repaint request for every byte that differs from the last read.
    void pollNow();
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

    /// Bytes shown per row: 8, 16 (the default) or 32.
    int bytesPerRow() const { return m_bytesPerRow; }
    /// Marks page boundaries in the offset column: a line above each row that starts a page of
    /// `pageSize` bytes (the page strip's pages; 0: no marks, the default).
    void setPageBoundaries(quint64 pageSize);
    /// Shows `bytes` bytes per row (8, 16 or 32; anything else changes nothing and returns false). The
    /// cursor, selection and the first visible byte stay where they are in the data.
    bool setBytesPerRow(int bytes);
    /// How many bytes the hex pane shows together without a space: 1 (the default: "de ad be ef"), 2
    /// ("dead beef"), 4 or 8. Groups of fewer than 8 bytes get one more space every 8 bytes.
    int groupSize() const { return m_groupSize; }
    /// Sets groupSize() (1, 2, 4 or 8; anything else changes nothing and returns false).
    bool setGroupSize(int bytes);

    /// Number of rows of the source: ceil(size / bytesPerRow()).
    quint64 rowCount() const;
    /// The row shown at the top of the viewport (row r holds bytes [r*bytesPerRow(), (r+1)*bytesPerRow())).
    quint64 firstVisibleRow() const { return m_topRow; }
    /// How many row slots the viewport shows, the partly visible last one included; rows past the end
    /// of the source are counted but empty.
    int visibleRowCount() const;
    /// Scrolls so that `row` is at the top, clamped so that the last row stays at the bottom.
    void scrollToRow(quint64 row);

    /// The rectangle, in viewport coordinates, of the byte at `offset` in `pane` (both hex digits in the
    /// hex pane), or a null QRect when that byte is not on a visible row.
    QRect cellRect(quint64 offset, Pane pane) const;

    /// True when a range of bytes is selected.
    bool hasSelection() const { return m_selectionActive; }
    /// The first selected byte (the cursor's offset when nothing is selected).
    quint64 selectionStart() const;
    /// The number of selected bytes, 0 when nothing is selected.
    quint64 selectionLength() const;
    /// True when the byte at `offset` is selected.
    bool isSelected(quint64 offset) const;
    /// Selects `length` bytes from `start` (clamped to the source), with the anchor at `start` and the
    /// cursor on the last selected byte. A length of 0, or an empty source, clears the selection.
    /// Emits selectionChanged() when the range changed.
    void setSelection(quint64 start, quint64 length);
    /// Clears the selection (the cursor stays). Emits selectionChanged(cursor, 0) if there was one.
    void clearSelection();
    /// Selects every byte of the source (Ctrl+A).
    void selectAll();

    /// Puts the selected bytes on the clipboard in `format` (Ctrl+C: Hex). Returns false and emits
    /// copyFailed() when nothing is selected, the selection is larger than kMaxCopyBytes, or the bytes
    /// cannot be read (the object shrank).
    bool copySelection(CopyFormat format = CopyFormat::Hex);
    /// The clipboard contents copySelection() makes of `bytes` in `format` (caller owns the result).
    static QMimeData* mimeDataFor(const QByteArray& bytes, CopyFormat format);
    /// Parses hex text as pasted into the hex pane: pairs of hex digits, optionally prefixed with 0x or
    /// \x, separated by nothing, spaces, commas, semicolons or line breaks ("de ad", "dead", "0xde, 0xad",
    /// "\xde\xad"; the Hex format of copySelection() parses back). A lone digit with a 0x prefix is one
    /// byte. nullopt when anything else is in the text (other odd-length runs too) or it holds no byte.
    static std::optional<QByteArray> parseHex(const QString& text);
    /// Pastes the clipboard (Ctrl+V): see pasteText() and pasteBytes(); raw clipboard bytes
    /// (application/octet-stream) are pasted as they are in either pane.
    bool paste();
    /// Pastes `text` like Ctrl+V: in the hex pane parsed with parseHex(), in the ASCII pane as its UTF-8
    /// bytes. Returns false and emits editRefused() when the text does not parse.
    bool pasteText(const QString& text);
    /// Overwrites the bytes from the selection start (or the cursor) with `bytes` in one
    /// ByteSource::write(), then puts the cursor after them and clears the selection. Returns false,
    /// changes nothing and emits editRefused() when the source is read-only or empty, `bytes` is
    /// empty or would run past the end of the source, or the write fails.
    bool pasteBytes(const QByteArray& bytes);

    /// Overwrites `bytes` at `offset` as an edit of the view: one ByteSource::write() and one step on
    /// undoStack() (for tools such as a data inspector). Returns false, changes nothing and emits
    /// editRefused() when the source is read-only or empty, the range runs past the end, or the read
    /// of the old bytes or the write fails. Does not move the cursor.
    bool editBytes(quint64 offset, const QByteArray& bytes);
    /// The view's undo stack (owned by the view; never null). Cleared by setSource(). The main window
    /// can add undoStack()->createUndoAction()/createRedoAction() to its Edit menu and connect
    /// QUndoStack::cleanChanged etc.; commands must only be pushed by the view.
    QUndoStack* undoStack() const { return m_undoStack; }
    /// True while a write of `offset` waits for the object's lock (ByteSource::writeQueue()): the view
    /// shows the byte as it will be written, on a tinted background.
    bool isPending(quint64 offset) const;
    /// Sets who decides undo/redo conflicts (see UndoConflict). Without a handler (the default) a
    /// conflicting step is skipped and editRefused() says so.
    void setUndoConflictHandler(UndoConflictHandler handler) { m_undoConflictHandler = std::move(handler); }

    /// A new context menu for the view (caller owns it; parent `parent`): Copy as Hex, as Raw Bytes, as
    /// C Array, as Base64 (disabled without a selection), Paste, Select All, and the checkable Pause
    /// Change Scan (setScanPaused()). The actions' object names are copyHex, copyRaw, copyCArray,
    /// copyBase64, paste, selectAll, pauseScan; the app may add its own.
    QMenu* createContextMenu(QWidget* parent = nullptr);

    /// Colours the bytes of the fields `overlay` reports (FieldOverlay::spansIn()): each span's translucent
    /// colour is painted under the hex and ASCII cells of its bytes (continuous between the bytes of one
    /// span, the space at a span's edge left unfilled so that neighbouring fields stay apart), beneath the
    /// selection, the cursor, waiting edits and change highlights. The view asks only for the rows it
    /// paints, and FieldOverlay::spansChanged() repaints only the affected visible cells (length 0: all).
    /// Not owned: kept in a QPointer, so an overlay destroyed while set simply stops colouring (the view
    /// repaints without it). nullptr removes the overlay; one overlay at a time (a new one replaces the old).
    void setFieldOverlay(FieldOverlay* overlay);
    /// The overlay set with setFieldOverlay(), or nullptr (also once it was destroyed).
    FieldOverlay* fieldOverlay() const;

    /// The changes overview strip between the viewport and the vertical scrollbar (owned by the view,
    /// never null): where in the whole source bytes changed recently, found by a ChangeScanner worker
    /// thread over the view's source. A click on it scrolls the view so that the offset clicked is in
    /// the middle of the viewport (the cursor stays).
    ChangesOverview* changesOverview() const { return m_overview; }
    /// Sources whose scan would read more than this many bytes of data (1 GiB) start with the strip's
    /// scan paused. The scan skips holes (ByteSource::dataExtents(): posix: and file: objects tell where
    /// their data is), so a 64 GiB sparse POSIX object with little data is scanned from the start and
    /// none of its holes is touched. A source that cannot tell its holes (System V, Windows sections)
    /// counts as all data: reading it would make the kernel back every page (a 64 GiB segment would fill
    /// the memory), so scanning those is the user's explicit choice (the Pause Change Scan action).
    static constexpr quint64 kScanAutoStartLimit = quint64(1) << 30;
    /// Shows (the default) or hides the changes overview strip; hidden, its scanner is paused too.
    void setChangesOverviewVisible(bool visible);
    /// True when the strip is shown (see setChangesOverviewVisible()).
    bool isChangesOverviewVisible() const { return m_overviewVisible; }
    /// Pauses (true) or resumes the strip's scan of the whole source (ChangeScanner::setPaused()). The
    /// view's own poll of the visible rows goes on.
    void setScanPaused(bool paused);
    /// True while the strip's scan is paused.
    bool isScanPaused() const;

    /// Width and height for a view showing the three columns and about 24 rows.
    QSize sizeHint() const override;
    /// The smallest size that is still usable: the offset column and the hex of the first 8 bytes of a
    /// row (or the whole row, when it is shorter), and a few rows. Layouts never squeeze the view
    /// below it; the rest of a row is reached with the horizontal scrollbar.
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    /// The cursor moved to `offset` (by key, click, setCursorOffset() or a shrinking source).
    void cursorMoved(quint64 offset);
    /// Typing was refused and nothing changed: the source is read-only or empty, the character does not
    /// fit the pane, or the write failed. `message` is one translated line saying why.
    void editRefused(const QString& message);
    /// The selection changed: `length` bytes from `start` are selected (length 0: none, start is then
    /// the cursor).
    void selectionChanged(quint64 start, quint64 length);
    /// copySelection() copied nothing; `message` is one translated line saying why.
    void copyFailed(const QString& message);
    /// An undo or redo step found [offset, offset+length) changed by someone else since; `overwritten`
    /// tells whether it wrote anyway (the handler said so) or skipped the step.
    void undoConflicted(quint64 offset, quint64 length, bool overwritten);
    /// The poll interval changed to `ms` (setPollInterval(), setPollRate(), the Poll Rate menu; 0 or less:
    /// polling off), so that tools that follow the view's bytes (the Structure panel) poll as often.
    void pollIntervalChanged(int ms);

protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
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
    void setSelectionState(bool active, quint64 anchor);
    bool hitTest(const QPointF& position, quint64* offset, Pane* pane, int* nibble) const;
    bool handleClipboardKey(QKeyEvent* event);
    void ensureCursorVisible();
    bool handleNavigationKey(QKeyEvent* event);
    bool isNavigationKey(const QKeyEvent* event) const;
    void typeText(const QString& text);
    bool writeUndoable(quint64 offset, const QByteArray& bytes, int typingRun);
    // Edits and undo steps go through the source's WriteQueue (see writeUndoable()).
    bool queuePiece(const std::shared_ptr<HexEditPiece>& piece);
    void dropPiece(HexEditPiece& piece);
    bool dropStepWrite(HexEditStep& step);
    void queueStepWrite(ByteEditCommand* command, bool redo);
    void finishStepWrite(const std::shared_ptr<HexEditStep>& step, quint64 offset, const QByteArray& expected,
                         const QByteArray& replacement, bool redo, int result, const QByteArray& now,
                         const QString& error);
    void stepApplied(HexEditStep& step, bool redo);
    void stepFailed(HexEditStep& step, quint64 offset, bool redo, const QString& why);
    void onWritesCancelled();
    // The byte at `offset` as shown: a queued write's (WriteQueue::previews(), the latest wins) or the source's.
    bool readShown(quint64 offset, char* out) const;
    friend class ByteEditCommand;

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

    void updateBytes(quint64 first, quint64 last);
    void updateByteRuns(quint64 row, quint64 columnMask);
    void ensureGlyphs(qreal devicePixelRatio);
    struct Colors;
    static Colors viewColors(const QPalette& palette);
    void paintArea(QPainter& painter, const QRect& area, const Colors& colors);

    // field colours (hexviewoverlay.cpp)
    void onFieldSpansChanged(quint64 offset, quint64 length);
    // Base under the area, with the fields' colours under their cells when an overlay is set.
    void paintBackground(QPainter& painter, const QRect& area, const QColor& base);

    qreal hexCellX(int column) const;
    qreal hexBandLeft(int column) const;
    qreal hexBandRight(int column) const;
    qreal asciiCellX(int column) const;
    int rowTop(quint64 row) const;

    struct Glyphs;

    QPointer<ByteSource> m_source;
    // pre-rendered text (built on first paint, dropped on font, palette and pixel-ratio changes)
    std::unique_ptr<Glyphs> m_glyphs;

    // cursor
    quint64 m_cursor = 0;
    int m_nibble = 0;
    Pane m_pane = Pane::Hex;

    // selection: the bytes between m_anchor and m_cursor, both included, while m_selectionActive
    quint64 m_anchor = 0;
    bool m_selectionActive = false;
    quint64 m_shownSelectionStart = 0; // the range last announced with selectionChanged() and painted
    quint64 m_shownSelectionLength = 0;
    bool m_dragging = false;

    // undo: the stack, and the typing run the next typed character continues (see typeText())
    QUndoStack* m_undoStack = nullptr;
    UndoConflictHandler m_undoConflictHandler;
    int m_typingRun = 0;
    bool m_runOpen = false;
    int m_runStackIndex = 0;
    quint64 m_runCursor = 0;
    int m_runNibble = 0;
    Pane m_runPane = Pane::Hex;

    // scrolling
    quint64 m_topRow = 0;
    bool m_syncingScrollBar = false;
    int m_wheelRemainder = 0; // angle delta not yet turned into rows, 1/8 degree

    // layout; positions in pixels (qreal: they are whole pixels now, but derived from fractional metrics)
    int m_bytesPerRow = kBytesPerRow;
    int m_groupSize = 1;
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
    int m_pollInterval = 1000 / kDefaultPollRate;
    quint64 m_pageBoundary = 0; // setPageBoundaries()
    int m_pollRate = kDefaultPollRate; // as set by setPollRate(); recomputed by setPollInterval()

    // field colours: the overlay (not owned) and the spans of the area being painted (capacity reused)
    QPointer<FieldOverlay> m_fieldOverlay;
    std::vector<FieldSpan> m_fieldSpans;

    // the changes overview strip (a child of the view, placed in the right viewport margin)
    ChangesOverview* m_overview = nullptr;
    bool m_overviewVisible = true;
    bool m_scanAutoPaused = false; // setSource() paused the scan for a source over kScanAutoStartLimit
    void placeOverview();
    int m_highlightDuration = 1000;
};

} // namespace shmscope
