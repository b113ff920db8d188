#pragma once

#include <QByteArray>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace shmscope {

class ElidedLabel;

class ByteSource;

/// The text view: the NUL-terminated string at an offset of a ByteSource, shown in an editable
/// QPlainTextEdit — the multi-instance text sync of seed 004 (typing in one instance shows in all).
///
/// Reading: the string runs from offset() to the first NUL (a zero byte for UTF-8, a zero 16-bit code
/// unit for UTF-16LE), at most kMaxStringBytes and never past the end of the source. It is read in small
/// chunks up to the NUL, so a short string costs a short read. All chunks of one read go through
/// ByteSource::readConsistent(): under the object's lock for a read-write shared-memory view, else
/// read again until two reads agree — so a string another process is writing is never shown torn.
///
/// Writing: every edit writes the whole encoded string plus its terminating NUL in ONE
/// ByteSource::writeIf(), as seed 004's lstrcpy does: under the object's lock, and only if the string is
/// still the one the edit was based on. Bytes after the new NUL are left as they were.
///
/// Concurrent typing (merging): when another writer changed the string since the text the edit was
/// based on (writeIf()'s check failed), the edit is NOT dropped. It is expressed as one Edit on its base
/// text (editBetween(), with the cursor telling where the user typed), the other writer's change as one
/// Edit on the same base (common prefix and suffix of the base and the string found under the lock), and
/// the local edit is rebased onto the other's (rebaseEdit(), an operational-transformation step) and
/// written again, compare-and-write under the lock, at most kMaxMergeAttempts times. Both writers' text
/// survives; the editor then shows the merged string with the cursor right after the user's own inserted
/// text, and editMerged() is emitted. A merged string that does not fit (see below) is refused: the other
/// writer's text, already in the object, stays; the local edit is undone in the editor and the message
/// quotes the text that was not written, so the user can type or paste it again. Running out of attempts
/// (another writer winning every time) is refused likewise.
///
/// Capacity: the string and its NUL must end at or before the end of the source (seed 004's buffer is the
/// whole mapping: 4096 TCHARs including the NUL); an edit that would not fit, or whose write fails, is
/// refused: the text reverts, a message is shown under the editor and editRefused() is emitted.
///
/// Live: when the bytes change from outside — ByteSource::contentsChanged() or bytesWritten() by
/// another view intersecting the string, or the view's own poll (default every 50 ms) reading a
/// different string — the text is reloaded without being written back (no feedback loop); only the
/// part that differs is replaced, so the user's cursor, selection and scroll position stay where they
/// were (a change at the cursor itself goes after it, like a merge); a change above the first visible line
/// keeps that line at the top instead of pushing the text under the user's eyes.
///
/// Undo: the view keeps its own undo and redo history of the user's edits (QTextDocument's steps hold
/// absolute positions and cannot follow someone else's change). Ctrl+Z / Ctrl+Shift+Z (the platform's
/// QKeySequence::Undo / Redo) and the editor's context menu use it. Typed characters, backspaces and
/// deletes in a row form one step, like QTextDocument's. When another writer changes the text, every
/// step is moved by their change; a step whose text they changed is dropped with all older ones (undoing
/// it would overwrite their change), and the redo history is cleared. An undo or redo is an edit like
/// any other: written under the lock and merged when it loses the race. A new offset, encoding or source
/// starts an empty history.
///
/// Waiting for the lock (issue 9 item 6): edits go through the source's WriteQueue and never wait for the
/// object's lock on the GUI thread. While another process holds it, each edit stays in the editor and
/// waits, in order, behind the edits made before it (in this view or the hex view); reloads wait too.
/// When the lock is free they are written one by one as above (merged if someone changed the text).
/// Undo takes back the newest waiting edit (never written). WriteQueue::cancel() (Esc) drops them
/// all: the editor shows the object's text again and the typing stays in the history as redo steps
/// marked not written (redoIsNotWritten()); redo() queues them again. A new offset, encoding or source
/// drops the waiting edits (with a message saying so).
///
/// A read-only source gives a read-only editor.
class TextView : public QWidget
{
    Q_OBJECT
public:
    /// How the string's bytes are decoded and encoded.
    enum class Encoding {
        Utf8, ///< UTF-8, NUL is one zero byte (the default)
        Utf16LE, ///< UTF-16 little-endian, NUL is a zero 16-bit unit (Windows' TCHAR text, seed 004)
    };
    Q_ENUM(Encoding)

    /// The longest string read, in bytes (without the NUL): 1 MiB.
    static constexpr qsizetype kMaxStringBytes = 1024 * 1024;
    /// How many times one edit is rebased and written again when other writers keep winning the race.
    static constexpr int kMaxMergeAttempts = 32;

    /// One change of a text: `removed` UTF-16 code units at `position` replaced by `inserted`.
    /// Positions and lengths count QChars (UTF-16 code units), never splitting a surrogate pair.
    struct Edit {
        qsizetype position = 0; ///< where the change starts, in the text it applies to
        qsizetype removed = 0; ///< how many QChars from `position` are replaced
        QString inserted; ///< what replaces them
        bool operator==(const Edit& other) const = default;
    };

    /// The single Edit that turns `before` into `after`: everything but their common prefix and suffix.
    /// Where that is ambiguous (typing "a" into "aaa"), `endHint` — the position in `after` where the
    /// edit is known to end, e.g. the cursor after a key — decides: the common suffix is taken no
    /// longer than what lies behind `endHint`. -1 (the default) takes the longest common prefix.
    static Edit editBetween(const QString& before, const QString& after, qsizetype endHint = -1);
    /// `text` with `edit` applied (positions clamped to the text).
    static QString applyEdit(const QString& text, const Edit& edit);
    /// Rebases `local` onto `remote` (operational transformation of two single replacements): both
    /// were made on the same base text; the result applies to applyEdit(base, remote) and gives a text
    /// that contains both changes. Disjoint edits keep their text and shift by what `remote` inserted
    /// before them. Two insertions at one position put `local`'s first (as a reload keeps the cursor
    /// in front of text inserted at it). Overlapping edits remove what either removed and insert both
    /// texts, the one starting first first — nobody's inserted text is lost. `*insertedEnd` (optional)
    /// receives where `local`'s inserted text ends in the merged text: the user's cursor.
    static Edit rebaseEdit(const Edit& local, const Edit& remote, qsizetype* insertedEnd = nullptr);

    /// An empty view; call setSource().
    explicit TextView(QWidget* parent = nullptr);
    ~TextView() override;

    /// Shows the string at offset() of `source` (not owned; the view notices its destruction through
    /// QPointer). nullptr shows nothing and makes the editor read-only.
    void setSource(ByteSource* source);
    /// The source shown, or nullptr.
    ByteSource* source() const;

    /// Shows the string starting at byte `offset` and updates the offset field. An offset at or past
    /// the end shows an empty, uneditable text and says so.
    void setOffset(quint64 offset);
    /// The byte offset of the string.
    quint64 offset() const { return m_offset; }

    /// Decodes (and encodes edits) with `encoding` and reloads the text.
    void setEncoding(Encoding encoding);
    /// The encoding in use (default Utf8).
    Encoding encoding() const { return m_encoding; }

    /// Where the encoding is remembered: with a non-empty `key`, the view switches now to the encoding
    /// stored in QSettings under `key` (Utf8 when none is), and stores every later change of encoding
    /// (the user's choice or setEncoding()) there. The application chooses the key, e.g. one per
    /// object address so that each object keeps its own encoding; the view knows nothing of addresses.
    /// An empty key (the default) remembers nothing.
    void setEncodingSettingsKey(const QString& key);
    /// The key given to setEncodingSettingsKey(), or empty.
    QString encodingSettingsKey() const { return m_encodingKey; }
    /// The QSettings value stored for `encoding`: "utf-8" or "utf-16le".
    static QString encodingSettingsValue(Encoding encoding);

    /// Sets how often, in ms, the view re-reads the string while visible; 0 or less stops polling.
    void setPollInterval(int ms);
    /// The poll interval in ms (default 50).
    int pollInterval() const { return m_pollInterval; }

    /// Re-reads the string now and reloads the text if the bytes differ from what is shown.
    void reload();

    /// Undoes the user's latest edit step still in the history (see the class comment) by writing the
    /// text back as it was around that step; does nothing when canUndo() is false or the editor is
    /// read-only. The write may be merged or refused like typing (editMerged(), editRefused()).
    void undo();
    /// Redoes the latest undone step, the same way; does nothing when canRedo() is false.
    void redo();
    /// True when undo() has a step to undo (or an edit waiting for the lock to take back).
    bool canUndo() const { return !m_undoSteps.isEmpty() || !m_pending.isEmpty(); }
    /// True when redo() has a step to redo (never while edits wait for the lock).
    bool canRedo() const { return m_pending.isEmpty() && !m_redoSteps.isEmpty(); }
    /// True when the step redo() would redo is typing that was cancelled while it waited for the lock
    /// (WriteQueue::cancel()): it was never written, and redo() queues it again.
    bool redoIsNotWritten() const { return canRedo() && m_redoSteps.constLast().notWritten; }
    /// How many of this view's edits wait for the object's lock (shown in the editor already).
    int waitingEditCount() const { return int(m_pending.size()); }

    /// The text shown (the decoded string without its NUL).
    QString text() const;
    /// The message shown under the editor (the last refusal or read problem), empty when none.
    QString message() const;
    /// The editor widget (owned by this view), e.g. to type into it in tests or to set its font.
    QPlainTextEdit* editor() const { return m_editor; }
    /// The offset field (owned by this view): takes decimal or 0x-hex; Enter applies it.
    QLineEdit* offsetEdit() const { return m_offsetEdit; }

    /// Parses an offset as typed into the offset field: decimal ("4096") or 0x-hex ("0x1000"),
    /// surrounding spaces ignored. Returns false for anything else, signs and values above 2^64 - 1.
    static bool parseOffsetText(const QString& text, quint64* offset);

Q_SIGNALS:
    /// An edit was refused and reverted (it did not fit — alone or merged with another writer's change —,
    /// the source is read-only, the write failed, or other writers won kMaxMergeAttempts races). `message` is the
    /// translated line also shown under the editor.
    void editRefused(const QString& message);
    /// The text was reloaded because the bytes changed outside this view.
    void textReloaded();
    /// An edit lost the race against another writer and was rebased onto that writer's text and written
    /// (`attempts`: how many compare-and-writes it took, at least 2). The text shown is the merged one.
    void editMerged(int attempts);
    /// The string's offset changed (setOffset() or the offset field), in bytes.
    void offsetChanged(quint64 offset);
    /// canUndo() changed.
    void undoAvailable(bool available);
    /// canRedo() changed.
    void redoAvailable(bool available);

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    // One step of the undo history: the forward edit "`removed` at `position` replaced by `inserted`".
    // Undo steps are applied (undo puts `removed` back), redo steps are not (redo applies them again).
    // The top undo step is in the coordinates of m_text, each older one in those of the text right
    // after it was made; the top redo step applies to m_text, each older one after the newer ones.
    struct UndoStep {
        qsizetype position = 0;
        QString removed;
        QString inserted;
        quint64 id = 0; // to find the step again after the history was transformed
        bool notWritten = false; // a redo step made of typing cancelled while it waited for the lock
    };
    enum class EditOrigin { Typing, Undo, Redo };
    enum class WriteOutcome { Written, Refused, Busy };
    // An edit waiting for the object's lock on the source's WriteQueue: the first applies to m_text,
    // each later one to the text after the ones before it; the editor shows them all applied.
    struct PendingEdit {
        Edit edit;
        bool cursorAtEdit = false;
        EditOrigin origin = EditOrigin::Typing;
        quint64 stepId = 0;
        quint64 queueId = 0;
    };

    struct StringBytes {
        QByteArray bytes; // without the terminator
        bool terminated = false; // a NUL was found within the limit
        bool readable = true; // false: the offset is past the end or the bytes could not be read
        QString error; // why not readable
        bool unsettled = false; // no consistent snapshot this time (lock busy, or the bytes kept changing)
    };

    /// `mustShow`: the caller has no earlier string to keep (load(true)), so a held lock falls back to
    /// detect-and-retry rather than giving nothing (ByteSource::WhenLocked).
    StringBytes readString(bool mustShow) const;
    StringBytes readStringOnce() const;
    QString decode(const QByteArray& bytes) const;
    QByteArray encode(const QString& text) const;
    int terminatorLength() const;
    void load(bool force);
    void applyText(const QString& text, qsizetype cursorPosition = -1);
    WriteOutcome writeEdit(Edit* userEdit, bool cursorAtEdit, EditOrigin origin, quint64 stepId = 0);
    void submitEdit(const Edit& edit, bool cursorAtEdit, EditOrigin origin, quint64 stepId = 0);
    bool attemptFirstPending();
    void rebasePending(const QString& from, const QString& to);
    QString pendingText() const;
    void dropPending(const QString& why);
    void onWritesCancelled();
    void recordStep(EditOrigin origin, const UndoStep& step, quint64 stepId);
    void transformHistory(const Edit& remote);
    void clearHistory();
    void emitHistoryAvailability();
    void showContextMenu(const QPoint& position);
    static QString describeLostEdit(const Edit& edit);
    void onEditorTextChanged();
    void onOffsetEdited();
    void onEncodingActivated(int index);
    void onSourceRangeChanged(quint64 offset, quint64 length);
    void onSourceSizeChanged();
    void refuse(const QString& message);
    void showMessage(const QString& message);
    void updateInfo();
    void updateEditable();
    void updatePollTimer(bool visible);
    void poll();

    QPointer<ByteSource> m_source;
    quint64 m_offset = 0;
    Encoding m_encoding = Encoding::Utf8;
    QString m_encodingKey; // QSettings key of the remembered encoding, or empty

    QLineEdit* m_offsetEdit = nullptr;
    QComboBox* m_encodingBox = nullptr;
    ElidedLabel* m_infoLabel = nullptr; ///< shortened when the view is narrow
    QPlainTextEdit* m_editor = nullptr;
    QLabel* m_messageLabel = nullptr;

    StringBytes m_shown; // the bytes the editor's text was decoded from (or last written)
    QString m_text; // the text as last loaded or written: the editor holds it between edits
    bool m_applying = false; // the editor is being changed by the view itself: not a user edit
    bool m_writing = false; // inside our own write(): its bytesWritten() is no external change
    QList<PendingEdit> m_pending; // oldest first; see PendingEdit

    QList<UndoStep> m_undoSteps; // oldest first
    QList<UndoStep> m_redoSteps; // oldest first: the last one is redone first
    quint64 m_nextStepId = 1;
    bool m_coalesceTyping = false; // the top undo step is typing that the next typed key may extend
    bool m_undoWasAvailable = false; // as last signalled
    bool m_redoWasAvailable = false;

    QTimer m_pollTimer;
    int m_pollInterval = 50;
};

} // namespace shmscope
