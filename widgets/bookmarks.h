#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QPointer>
#include <QString>
#include <QWidget>

class QPushButton;
class QTableView;

namespace shmscope {

class HexView;

/// One named offset.
struct Bookmark {
    QString name;
    quint64 offset = 0;
    friend bool operator==(const Bookmark&, const Bookmark&) = default;
};

/// The bookmarks (named offsets) of one shared-memory address, kept in QSettings under
/// "bookmarks/<the address's UTF-8 bytes in hex>" (an array of name/offset pairs), so each address
/// has its own list and addresses with '/' or ':' cannot clash with other keys. Every change is saved
/// at once. Rows are sorted by offset (then by name); columns: the name (editable: renames) and the
/// offset (shown as 0x-hex).
class BookmarkModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    /// The columns.
    enum Column { NameColumn, OffsetColumn, ColumnCount };
    Q_ENUM(Column)
    /// The QSettings group the lists are kept under.
    static QString settingsGroup() { return QStringLiteral("bookmarks"); }

    /// An empty model without an address (changes are not saved until setAddress()); `parent` owns it.
    explicit BookmarkModel(QObject* parent = nullptr);

    /// Shows the bookmarks saved for `address` (e.g. "posix:/sensor"); an empty address shows none.
    void setAddress(const QString& address);
    /// The address whose bookmarks are shown.
    QString address() const { return m_address; }
    /// All bookmarks, in row order.
    QList<Bookmark> bookmarks() const { return m_bookmarks; }

    /// Adds a bookmark `name` at `offset` and saves the list; returns its row. An empty name becomes
    /// "Bookmark at 0x<offset>". Returns -1 (and adds nothing) without an address.
    int addBookmark(const QString& name, quint64 offset);
    /// Renames the bookmark in `row`; false (nothing changes) for a bad row or an empty name.
    bool renameBookmark(int row, const QString& name);
    /// Removes the bookmark in `row`; false for a bad row.
    bool removeBookmark(int row);
    /// The bookmark in `row` (a default Bookmark for a bad row).
    Bookmark bookmarkAt(int row) const
    {
        return row >= 0 && row < m_bookmarks.size() ? m_bookmarks.at(row) : Bookmark();
    }

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    /// Renames (NameColumn, Qt::EditRole) like renameBookmark().
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

private:
    QString settingsKey() const;
    void save() const;
    int sortedRow(const Bookmark& bookmark) const;

    QString m_address;
    QList<Bookmark> m_bookmarks;
};

/// The bookmarks panel: the list of a BookmarkModel with Add (at the hex view's cursor, then the name
/// is edited in place), Rename, Remove and Go To buttons; double-clicking or Enter on a bookmark moves
/// the hex view's cursor there (HexView::setCursorOffset()).
class BookmarksPanel : public QWidget
{
    Q_OBJECT
public:
    /// An empty panel; call setHexView() and model()->setAddress().
    explicit BookmarksPanel(QWidget* parent = nullptr);
    /// The view whose cursor Add uses and Go To moves (not owned; watched through QPointer).
    void setHexView(HexView* view);
    /// The model shown (owned by the panel).
    BookmarkModel* model() const { return m_model; }
    /// The table (owned by the panel).
    QTableView* tableView() const { return m_table; }

    /// Adds a bookmark at the hex view's cursor and starts editing its name; returns its row, or -1
    /// without a view, a source or an address.
    int addAtCursor();
    /// Moves the hex view's cursor to the bookmark in `row`; false for a bad row, no view, or an
    /// offset past the end of the source (then jumpFailed() says so).
    bool jumpTo(int row);

Q_SIGNALS:
    /// jumpTo() moved the cursor to `offset`.
    void jumped(quint64 offset);
    /// jumpTo() could not move there; `message` is one translated line saying why.
    void jumpFailed(const QString& message);

private:
    int currentRow() const;
    void updateButtons();

    BookmarkModel* m_model = nullptr;
    QTableView* m_table = nullptr;
    QPointer<HexView> m_view;
    QPushButton* m_add = nullptr;
    QPushButton* m_rename = nullptr;
    QPushButton* m_remove = nullptr;
    QPushButton* m_goTo = nullptr;
};

} // namespace shmscope
