#include "widgets/viewcardmodel.h"

#include "core/mapping.h"
#include "widgets/mappingbytesource.h"

#include <QLocale>
#include <algorithm>

namespace shmscope {

ViewCardModel::ViewCardModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

void ViewCardModel::setSource(MappingByteSource* source)
{
    beginResetModel();
    m_source = source;
    m_rows.clear();
    m_uninspected = 0;
    m_cache.reset();
    m_cacheNote.clear();
    endResetModel();
}

void ViewCardModel::refresh()
{
    std::vector<Row> rows;
    quint32 uninspected = 0;
    std::optional<CacheState> cache;
    QString note;
    if (m_source) {
        const Mapping& mapping = m_source->mapping();
        if (Result<ObjectViews> views = findObjectViews(mapping); views) {
            uninspected = views->uninspected;
            // This window's view first, then by pid and address (as found).
            std::stable_partition(views->views.begin(), views->views.end(),
                                  [](const ProcessView& view) { return view.thisView; });
            for (ProcessView& view : views->views) {
                Row row { std::move(view), {}, {}, {} };
                row.backing = QString::fromStdString(backingOf(row.view));
                if (Result<SmapsCounters> smaps = readSmaps(row.view); smaps)
                    row.smaps = *smaps;
                else
                    row.error = QString::fromStdString(smaps.error().message());
                rows.push_back(std::move(row));
            }
        } else {
            note = QString::fromStdString(views.error().message());
        }
        if (mapping.address().kind == Kind::File) {
            if (Result<CacheState> state = cacheState(mapping); state)
                cache = *state;
            else
                note = QString::fromStdString(state.error().message());
        } else if (note.isEmpty()) {
            note = tr("memory-backed (not a file): nothing to write back");
        }
    }
    beginResetModel();
    m_rows = std::move(rows);
    m_uninspected = uninspected;
    m_cache = cache;
    m_cacheNote = note;
    endResetModel();
}

int ViewCardModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid())
        return 0;
    return int(m_rows.size()) + (m_uninspected > 0 ? 1 : 0);
}

int ViewCardModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ViewCardModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount)
        return {};
    if (std::size_t(index.row()) == m_rows.size()) { // the uninspected processes
        if (role == Qt::DisplayRole && index.column() == Process)
            return tr("%n process(es) not inspected (may map it too)", nullptr, int(m_uninspected));
        return {};
    }
    const Row& row = m_rows[std::size_t(index.row())];
    if (role == Qt::ToolTipRole && !row.error.isEmpty())
        return row.error;
    if (role == Qt::TextAlignmentRole && index.column() >= Rss)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    const auto bytes = [&](std::uint64_t SmapsCounters::*field) -> QVariant {
        if (!row.smaps)
            return tr("?");
        return QLocale().formattedDataSize(qint64((*row.smaps).*field), 0, QLocale::DataSizeTraditionalFormat);
    };
    switch (Column(index.column())) {
    case Pid:
        return row.view.pid;
    case Process:
        return row.view.thisView ? tr("%1 (this window)").arg(QString::fromStdString(row.view.command))
                                 : QString::fromStdString(row.view.command);
    case Range:
        return QStringLiteral("%1-%2").arg(row.view.start, 0, 16).arg(row.view.end, 0, 16);
    case Perms:
        return QString::fromStdString(row.view.perms);
    case Backing:
        return row.backing;
    case Rss:
        return bytes(&SmapsCounters::rss);
    case Pss:
        return bytes(&SmapsCounters::pss);
    case SharedClean:
        return bytes(&SmapsCounters::sharedClean);
    case SharedDirty:
        return bytes(&SmapsCounters::sharedDirty);
    case PrivateClean:
        return bytes(&SmapsCounters::privateClean);
    case PrivateDirty:
        return bytes(&SmapsCounters::privateDirty);
    case Anonymous:
        return bytes(&SmapsCounters::anonymous);
    case Swap:
        return bytes(&SmapsCounters::swap);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant ViewCardModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::ToolTipRole) {
        switch (Column(section)) {
        case Rss:
            return tr("Resident: this view's pages in memory");
        case Pss:
            return tr("Proportional: each page divided by the number of processes that map it");
        case SharedClean:
        case SharedDirty:
            return tr("Pages mapped by more than one process (clean: not written; dirty: written)");
        case PrivateClean:
        case PrivateDirty:
            return tr("Pages mapped by this process only (independent of MAP_SHARED)");
        case Anonymous:
            return tr("Private copies: pages a copy-on-write view wrote");
        case Perms:
            return tr("rw-s: shared view; rw-p: private (copy-on-write) view");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Pid:
        return tr("PID");
    case Process:
        return tr("Process");
    case Range:
        return tr("View");
    case Perms:
        return tr("Perms");
    case Backing:
        return tr("Backing");
    case Rss:
        return tr("Rss");
    case Pss:
        return tr("Pss");
    case SharedClean:
        return tr("Shared clean");
    case SharedDirty:
        return tr("Shared dirty");
    case PrivateClean:
        return tr("Private clean");
    case PrivateDirty:
        return tr("Private dirty");
    case Anonymous:
        return tr("Anonymous");
    case Swap:
        return tr("Swap");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace shmscope
