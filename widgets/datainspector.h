#pragma once

#include <QAbstractTableModel>
#include <QByteArray>
#include <QPointer>
#include <QTimer>
#include <QWidget>
#include <optional>

class QTableView;

namespace shmscope {

class ByteSource;
class HexView;

/// The data inspector's table: the bytes at a HexView's cursor read as each type of Row, one row a
/// type, with a little-endian and a big-endian column (for one-byte types both columns show the same
/// value). Every value cell is editable: setData() parses the text (see parseValue()) and writes the
/// value's bytes at the cursor through HexView::editBytes(), so the edit is one undoable step of the view.
///
/// Live: the model re-reads the (at most kMaxBytes) bytes at the cursor when the cursor moves, when the
/// source announces a change or a write, and on refresh(), and emits dataChanged() only for the cells
/// whose bytes changed. Values that need more bytes than remain before the end of the source are shown
/// empty and are not editable.
class DataInspectorModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    /// The types shown, in row order.
    enum Row {
        Int8,
        UInt8,
        Int16,
        UInt16,
        Int32,
        UInt32,
        Int64,
        UInt64,
        Float32,
        Float64,
        Utf8Char, ///< the UTF-8 encoded character starting at the cursor (1-4 bytes)
        Utf16Char, ///< the UTF-16 character at the cursor (one code unit, or a surrogate pair: 4 bytes)
        Binary, ///< the byte at the cursor as 8 binary digits, most significant first
        RowCount
    };
    Q_ENUM(Row)
    /// The columns: the type's name, then the value read little-endian and big-endian.
    enum Column { TypeColumn, LittleEndianColumn, BigEndianColumn, ColumnCount };
    Q_ENUM(Column)

    /// The most bytes any row reads (a float64 or an int64).
    static constexpr int kMaxBytes = 8;

    /// An empty model (no view: every value cell is empty); `parent` owns it.
    explicit DataInspectorModel(QObject* parent = nullptr);

    /// Shows the bytes at `view`'s cursor (not owned; watched through QPointer). nullptr shows nothing.
    void setHexView(HexView* view);
    /// The view whose cursor is inspected, or nullptr.
    HexView* hexView() const { return m_view; }
    /// Re-reads the bytes at the cursor (and notices a new source or cursor); emits dataChanged() for
    /// the value cells that changed. Cheap: one read of at most kMaxBytes bytes.
    void refresh();
    /// The offset the values are read from (the view's cursor at the last refresh()).
    quint64 offset() const { return m_offset; }
    /// The bytes last read at offset() (fewer than kMaxBytes near the end of the source; empty without a
    /// source or when the read failed).
    QByteArray bytes() const { return m_bytes; }

    /// The text shown for `row` read from `bytes` (the first bytes are used), little-endian when
    /// `littleEndian`; nullopt when `bytes` is too short for the row or (characters) is not a valid
    /// encoding. Floats use the shortest text that reads back exactly (up to 9 and 17 significant digits).
    static std::optional<QString> formatValue(Row row, const QByteArray& bytes, bool littleEndian);
    /// The bytes to write for `text` typed into `row` (little-endian when `littleEndian`), or nullopt and
    /// a one-line translated `error` (when not null). Integers: decimal, or 0x-hex (also negative,
    /// "-0x10"), in the type's range; floats: C-locale decimal or scientific notation, "inf", "nan";
    /// characters: exactly one character (code point); binary: 1 to 8 binary digits (spaces ignored).
    static std::optional<QByteArray> parseValue(Row row, const QString& text, bool littleEndian,
                                                QString* error = nullptr);
    /// How many bytes `row` reads or writes at most (Utf8Char: 4, Utf16Char: 4, Binary: 1).
    static int byteCount(Row row);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    /// Parses `value` (Qt::EditRole) and writes it at offset() through HexView::editBytes(). Returns false
    /// and emits editFailed() when it does not parse or the write is refused; nothing changes then.
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

Q_SIGNALS:
    /// An edit was not written; `message` is one translated line saying why.
    void editFailed(const QString& message);

private:
    void connectSource();
    ByteSource* source() const;

    QPointer<HexView> m_view;
    QPointer<ByteSource> m_source;
    quint64 m_offset = 0;
    QByteArray m_bytes;
};

/// The data inspector panel: a table over a DataInspectorModel that follows a HexView. Double-click or
/// F2 on a value edits it; a value too wide for its column is elided and its tooltip shows it whole.
/// While the panel is visible it also polls the bytes every kPollIntervalMs, so that writers that do
/// not announce their changes are seen.
class DataInspector : public QWidget
{
    Q_OBJECT
public:
    /// How often, in ms, the visible panel re-reads the bytes at the cursor.
    static constexpr int kPollIntervalMs = 100;

    /// An empty panel; call setHexView().
    explicit DataInspector(QWidget* parent = nullptr);
    /// Follows `view`'s cursor (not owned); nullptr shows nothing.
    void setHexView(HexView* view);
    /// The model shown (owned by the panel).
    DataInspectorModel* model() const { return m_model; }
    /// The table (owned by the panel).
    QTableView* tableView() const { return m_table; }

Q_SIGNALS:
    /// An edit was not written; `message` is one translated line saying why.
    void editFailed(const QString& message);

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    DataInspectorModel* m_model = nullptr;
    QTableView* m_table = nullptr;
    QTimer m_pollTimer;
};

} // namespace shmscope
