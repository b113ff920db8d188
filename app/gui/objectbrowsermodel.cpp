#include "objectbrowsermodel.h"

#include "core/nameescape.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

namespace shmscope {

namespace {

const std::vector<ObjectInfo>& emptyObjects()
{
    static const std::vector<ObjectInfo> none;
    return none;
}

QString sizeText(std::uint64_t bytes)
{
    return QLocale().formattedDataSize(static_cast<qint64>(bytes), 1, QLocale::DataSizeIecFormat);
}

} // namespace

ObjectBrowserModel::ObjectBrowserModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

void ObjectBrowserModel::setSnapshot(std::shared_ptr<const BrowserSnapshot> snapshot)
{
    if (!snapshot)
        return;
    if (!snapshot->error.isEmpty() && m_snapshot) {
        // Keep the rows; only the error is new.
        auto kept = std::make_shared<BrowserSnapshot>(*m_snapshot);
        kept->error = snapshot->error;
        snapshot = std::move(kept);
    }
    beginResetModel();
    m_snapshot = std::move(snapshot);
    endResetModel();
}

const ObjectInfo& ObjectBrowserModel::object(int row) const
{
    return m_snapshot->inventory.objects.at(static_cast<std::size_t>(row));
}

const StaleVerdict& ObjectBrowserModel::verdict(int row) const
{
    return m_snapshot->verdicts.at(static_cast<std::size_t>(row));
}

int ObjectBrowserModel::rowOf(const Address& address) const
{
    const std::vector<ObjectInfo>& objects = m_snapshot ? m_snapshot->inventory.objects : emptyObjects();
    for (std::size_t i = 0; i < objects.size(); ++i) {
        if (objects[i].address == address)
            return static_cast<int>(i);
    }
    return -1;
}

QString ObjectBrowserModel::holdersText(const ObjectInfo& info)
{
    QStringList holders;
    for (const Holder& holder : info.holders)
        holders << QString::fromStdString(printableText(holderText(holder)));
    const bool systemV = info.address.kind == Kind::SysV || info.address.kind == Kind::SysVId;
    if (systemV && info.attachCount > info.holders.size())
        holders << tr("%n more attached", nullptr, static_cast<int>(info.attachCount - info.holders.size()));
    if (!systemV && info.uninspectedProcesses > 0) {
        holders << (info.uninspectedProcesses == 1
                        ? tr("unknown (1 process could not be inspected)")
                        : tr("unknown (%1 processes could not be inspected)").arg(info.uninspectedProcesses));
    }
    return holders.isEmpty() ? QStringLiteral("-") : holders.join(QStringLiteral(", "));
}

QString ObjectBrowserModel::stateText(StaleState state)
{
    switch (state) {
    case StaleState::InUse:
        return tr("in use");
    case StaleState::Recent:
        return tr("recent");
    case StaleState::Unattached:
        return tr("unattached");
    case StaleState::Unknown:
        return tr("unknown");
    case StaleState::Stale:
        return tr("stale");
    case StaleState::Removing:
        return tr("removing");
    }
    return {};
}

QString ObjectBrowserModel::ageText(std::int64_t seconds)
{
    if (seconds < 120)
        return tr("%1 s").arg(seconds);
    if (seconds < 2 * 3600)
        return tr("%1 min").arg(seconds / 60);
    if (seconds < 2 * 86400)
        return tr("%1 h").arg(seconds / 3600);
    return tr("%1 days").arg(seconds / 86400);
}

int ObjectBrowserModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_snapshot ? 0 : static_cast<int>(m_snapshot->inventory.objects.size());
}

int ObjectBrowserModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ObjectBrowserModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ObjectInfo& info = object(index.row());
    const StaleVerdict& judged = verdict(index.row());
    const int column = index.column();
    if (role == AddressRole)
        return QString::fromStdString(toString(info.address));
    if (role == SortRole) {
        switch (column) {
        case SizeColumn:
            return QVariant::fromValue<qulonglong>(info.size);
        case AllocatedColumn:
            return QVariant::fromValue<qulonglong>(info.allocated);
        case ModeColumn:
            return info.mode;
        case AgeColumn:
            return QVariant::fromValue<qlonglong>(judged.ageSeconds);
        case HoldersColumn:
            return static_cast<int>(info.holders.size());
        case StateColumn:
            return static_cast<int>(judged.state);
        default:
            return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::TextAlignmentRole && (column == SizeColumn || column == AllocatedColumn || column == AgeColumn))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole) {
        switch (column) {
        case SizeColumn:
            return tr("%1 bytes").arg(QLocale().toString(info.size));
        case AllocatedColumn:
            return tr("%1 bytes of memory taken (a sparse object takes less than its size)")
                .arg(QLocale().toString(info.allocated));
        case StateColumn: {
            QString tip = QString::fromStdString(printableText(judged.reason));
            if (!judged.leftoverOf.empty())
                tip += QLatin1Char('\n')
                    + tr("Looks like a leftover of %1").arg(QString::fromStdString(printableText(judged.leftoverOf)));
            return tip;
        }
        case HoldersColumn:
            return holdersText(info);
        default:
            return {};
        }
    }
    if (role == Qt::ForegroundRole && column == StateColumn) {
        if (judged.state == StaleState::Stale)
            return QBrush(QColor(0xb0, 0x30, 0x20));
        if (judged.state == StaleState::Unknown || judged.state == StaleState::Unattached)
            return QBrush(QColor(0x90, 0x70, 0x10));
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case AddressColumn:
        return QString::fromStdString(toString(info.address));
    case SizeColumn:
        return sizeText(info.size);
    case AllocatedColumn:
        return sizeText(info.allocated);
    case ModeColumn:
        return QStringLiteral("%1").arg(info.mode, 4, 8, QLatin1Char('0'));
    case OwnerColumn:
        return QString::fromStdString(printableText(info.owner));
    case AgeColumn:
        return ageText(judged.ageSeconds);
    case HoldersColumn:
        return holdersText(info);
    case StateColumn:
        return stateText(judged.state);
    default:
        return {};
    }
}

QVariant ObjectBrowserModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case AddressColumn:
        return tr("Address");
    case SizeColumn:
        return tr("Size");
    case AllocatedColumn:
        return tr("Allocated");
    case ModeColumn:
        return tr("Mode");
    case OwnerColumn:
        return tr("Owner");
    case AgeColumn:
        return tr("Age");
    case HoldersColumn:
        return tr("Holders");
    case StateColumn:
        return tr("State");
    default:
        return {};
    }
}

} // namespace shmscope
