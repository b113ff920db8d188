#include "widgets/bookmarks.h"

#include "widgets/bytesource.h"
#include "widgets/hexview.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QPushButton>
#include <QSettings>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

namespace shmscope {

namespace {
const auto kNameKey = QStringLiteral("name");
const auto kOffsetKey = QStringLiteral("offset");

bool lessThan(const Bookmark& a, const Bookmark& b)
{
    return a.offset != b.offset ? a.offset < b.offset : a.name < b.name;
}
} // namespace

BookmarkModel::BookmarkModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

QString BookmarkModel::settingsKey() const
{
    // Addresses hold '/' (a QSettings group separator) and ':'; hex keeps each one a single plain key.
    return settingsGroup() + QLatin1Char('/') + QString::fromLatin1(m_address.toUtf8().toHex());
}

void BookmarkModel::setAddress(const QString& address)
{
    beginResetModel();
    m_address = address;
    m_bookmarks.clear();
    if (!m_address.isEmpty()) {
        QSettings settings;
        const int count = settings.beginReadArray(settingsKey());
        for (int i = 0; i < count; ++i) {
            settings.setArrayIndex(i);
            bool ok = false;
            const quint64 offset = settings.value(kOffsetKey).toULongLong(&ok);
            const QString name = settings.value(kNameKey).toString();
            if (ok && !name.isEmpty()) // a hand-edited, broken entry is skipped rather than shown wrong
                m_bookmarks.append({ name, offset });
        }
        settings.endArray();
        std::stable_sort(m_bookmarks.begin(), m_bookmarks.end(), lessThan);
    }
    endResetModel();
}

void BookmarkModel::save() const
{
    if (m_address.isEmpty())
        return;
    QSettings settings;
    settings.remove(settingsKey());
    if (m_bookmarks.isEmpty())
        return;
    settings.beginWriteArray(settingsKey(), int(m_bookmarks.size()));
    for (int i = 0; i < m_bookmarks.size(); ++i) {
        settings.setArrayIndex(i);
        settings.setValue(kNameKey, m_bookmarks.at(i).name);
        // As a string: QSettings' INI format cannot hold every quint64 as a number on every platform.
        settings.setValue(kOffsetKey, QString::number(m_bookmarks.at(i).offset));
    }
    settings.endArray();
}

int BookmarkModel::sortedRow(const Bookmark& bookmark) const
{
    return int(std::upper_bound(m_bookmarks.cbegin(), m_bookmarks.cend(), bookmark, lessThan) - m_bookmarks.cbegin());
}

int BookmarkModel::addBookmark(const QString& name, quint64 offset)
{
    if (m_address.isEmpty())
        return -1;
    Bookmark bookmark { name.trimmed(), offset };
    if (bookmark.name.isEmpty())
        bookmark.name = tr("Bookmark at 0x%1").arg(offset, 0, 16);
    const int row = sortedRow(bookmark);
    beginInsertRows(QModelIndex(), row, row);
    m_bookmarks.insert(row, bookmark);
    endInsertRows();
    save();
    return row;
}

bool BookmarkModel::renameBookmark(int row, const QString& name)
{
    const QString trimmed = name.trimmed();
    if (row < 0 || row >= m_bookmarks.size() || trimmed.isEmpty())
        return false;
    if (m_bookmarks.at(row).name == trimmed)
        return true;
    m_bookmarks[row].name = trimmed;
    // The name is the second sort key: move the row when it no longer sorts where it is.
    Bookmark bookmark = m_bookmarks.at(row);
    m_bookmarks.removeAt(row);
    const int target = sortedRow(bookmark);
    m_bookmarks.insert(row, bookmark);
    if (target != row && beginMoveRows(QModelIndex(), row, row, QModelIndex(), target > row ? target + 1 : target)) {
        m_bookmarks.move(row, target);
        endMoveRows();
        const QModelIndex moved = index(target, NameColumn);
        Q_EMIT dataChanged(moved, moved);
    } else {
        const QModelIndex changed = index(row, NameColumn);
        Q_EMIT dataChanged(changed, changed);
    }
    save();
    return true;
}

bool BookmarkModel::removeBookmark(int row)
{
    if (row < 0 || row >= m_bookmarks.size())
        return false;
    beginRemoveRows(QModelIndex(), row, row);
    m_bookmarks.removeAt(row);
    endRemoveRows();
    save();
    return true;
}

int BookmarkModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_bookmarks.size());
}

int BookmarkModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BookmarkModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Bookmark& bookmark = m_bookmarks.at(index.row());
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        if (index.column() == NameColumn)
            return bookmark.name;
        return QStringLiteral("0x%1").arg(bookmark.offset, 0, 16);
    }
    if (role == Qt::ToolTipRole)
        return tr("%1 at offset %2 (0x%3)").arg(bookmark.name).arg(bookmark.offset).arg(bookmark.offset, 0, 16);
    return {};
}

QVariant BookmarkModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (section == NameColumn)
        return tr("Name");
    if (section == OffsetColumn)
        return tr("Offset");
    return {};
}

Qt::ItemFlags BookmarkModel::flags(const QModelIndex& index) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    if (index.column() == NameColumn)
        flags |= Qt::ItemIsEditable;
    return flags;
}

bool BookmarkModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole || index.column() != NameColumn
        || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    return renameBookmark(index.row(), value.toString());
}

BookmarksPanel::BookmarksPanel(QWidget* parent)
    : QWidget(parent)
    , m_model(new BookmarkModel(this))
    , m_table(new QTableView(this))
    , m_add(new QPushButton(tr("&Add"), this))
    , m_rename(new QPushButton(tr("Re&name"), this))
    , m_remove(new QPushButton(tr("Re&move"), this))
    , m_goTo(new QPushButton(tr("&Go To"), this))
{
    m_table->setModel(m_model);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::EditKeyPressed | QAbstractItemView::SelectedClicked);
    m_add->setToolTip(tr("Bookmark the offset of the cursor"));
    auto* buttons = new QHBoxLayout;
    for (QPushButton* button : { m_add, m_rename, m_remove, m_goTo })
        buttons->addWidget(button);
    buttons->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table);
    layout->addLayout(buttons);

    connect(m_add, &QPushButton::clicked, this, &BookmarksPanel::addAtCursor);
    connect(m_rename, &QPushButton::clicked, this, [this] {
        if (currentRow() >= 0)
            m_table->edit(m_model->index(currentRow(), BookmarkModel::NameColumn));
    });
    connect(m_remove, &QPushButton::clicked, this, [this] { m_model->removeBookmark(currentRow()); });
    connect(m_goTo, &QPushButton::clicked, this, [this] { jumpTo(currentRow()); });
    connect(m_table, &QAbstractItemView::activated, this, [this](const QModelIndex& index) { jumpTo(index.row()); });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &BookmarksPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &BookmarksPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &BookmarksPanel::updateButtons);
    updateButtons();
}

void BookmarksPanel::setHexView(HexView* view)
{
    m_view = view;
    updateButtons();
}

int BookmarksPanel::currentRow() const
{
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void BookmarksPanel::updateButtons()
{
    const bool hasRow = currentRow() >= 0;
    m_add->setEnabled(m_view && !m_model->address().isEmpty());
    m_rename->setEnabled(hasRow);
    m_remove->setEnabled(hasRow);
    m_goTo->setEnabled(hasRow && m_view);
}

int BookmarksPanel::addAtCursor()
{
    if (!m_view || !m_view->source() || m_view->source()->size() == 0)
        return -1;
    const int row = m_model->addBookmark(QString(), m_view->cursorOffset());
    if (row < 0)
        return -1;
    const QModelIndex name = m_model->index(row, BookmarkModel::NameColumn);
    m_table->setCurrentIndex(name);
    // Editing in place needs a visible table; hidden (e.g. in tests) the default name stays.
    if (m_table->isVisible())
        m_table->edit(name);
    updateButtons();
    return row;
}

bool BookmarksPanel::jumpTo(int row)
{
    if (!m_view || row < 0 || row >= m_model->rowCount())
        return false;
    const Bookmark bookmark = m_model->bookmarkAt(row);
    const quint64 size = m_view->source() ? m_view->source()->size() : 0;
    if (bookmark.offset >= size) {
        Q_EMIT jumpFailed(tr("bookmark '%1': offset 0x%2 is past the end of the mapping (%3 bytes)")
                              .arg(bookmark.name)
                              .arg(bookmark.offset, 0, 16)
                              .arg(size));
        return false;
    }
    m_view->setCursorOffset(bookmark.offset);
    m_view->setFocus();
    Q_EMIT jumped(bookmark.offset);
    return true;
}

} // namespace shmscope
