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
/// still the one shown (else the edit is dropped, the other writer's text shown, and editRefused()
/// emitted) — so concurrent typists never overwrite each other's keys. Bytes after the new NUL are
/// left as they were. An edit that would not fit before the end of the source, or whose write
/// fails, is refused: the text reverts, a message is shown under the editor and editRefused() is emitted.
///
/// Live: when the bytes change from outside — ByteSource::contentsChanged() or bytesWritten() by
/// another view intersecting the string, or the view's own poll (default every 50 ms) reading a
/// different string — the text is reloaded without being written back (no feedback loop); only the
/// part that differs is replaced, so the user's cursor, selection and scroll position stay where they
/// were. An external change clears the editor's undo history (undoing across someone else's change
/// would silently overwrite it).
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
    /// An edit was refused and reverted (it did not fit, the source is read-only, the write failed or
    /// the bytes changed meanwhile). `message` is the translated line also shown under the editor.
    void editRefused(const QString& message);
    /// The text was reloaded because the bytes changed outside this view.
    void textReloaded();
    /// The string's offset changed (setOffset() or the offset field), in bytes.
    void offsetChanged(quint64 offset);

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    struct StringBytes {
        QByteArray bytes; // without the terminator
        bool terminated = false; // a NUL was found within the limit
        bool readable = true; // false: the offset is past the end or the bytes could not be read
        QString error; // why not readable
        bool unsettled = false; // the bytes kept changing while read: no consistent snapshot this time
    };

    StringBytes readString() const;
    StringBytes readStringOnce() const;
    QString decode(const QByteArray& bytes) const;
    QByteArray encode(const QString& text) const;
    int terminatorLength() const;
    void load(bool force);
    void applyText(const QString& text);
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
    QLabel* m_infoLabel = nullptr;
    QPlainTextEdit* m_editor = nullptr;
    QLabel* m_messageLabel = nullptr;

    StringBytes m_shown; // the bytes the editor's text was decoded from (or last written)
    QString m_text; // the text as last loaded or written: the editor holds it between edits
    bool m_applying = false; // the editor is being changed by the view itself: not a user edit
    bool m_writing = false; // inside our own write(): its bytesWritten() is no external change

    QTimer m_pollTimer;
    int m_pollInterval = 50;
};

} // namespace shmscope
