#include "objectbrowsermodel.h"

#include "core/nameescape.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

namespace shmscope {

namespace {

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
    const Inventory& inventory = m_snapshot->inventory;
    auto index = static_cast<std::size_t>(row);
    if (index < inventory.objects.size())
        return inventory.objects[index];
    index -= inventory.objects.size();
    if (index < inventory.files.size())
        return inventory.files[index];
    return inventory.semaphores.at(index - inventory.files.size());
}

ObjectBrowserModel::Category ObjectBrowserModel::category(int row) const
{
    const Inventory& inventory = m_snapshot->inventory;
    const auto index = static_cast<std::size_t>(row);
    if (index < inventory.objects.size())
        return Category::Memory;
    return index < inventory.objects.size() + inventory.files.size() ? Category::File : Category::Semaphore;
}

const StaleVerdict& ObjectBrowserModel::verdict(int row) const
{
    return m_snapshot->verdicts.at(static_cast<std::size_t>(row));
}

int ObjectBrowserModel::rowOf(const Address& address) const
{
    for (int row = 0; row < rowCount(); ++row) {
        if (object(row).address == address)
            return row;
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
        holders << tr("unknown (%n process(es) could not be inspected)", nullptr,
                      static_cast<int>(info.uninspectedProcesses));
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

QString ObjectBrowserModel::stateText(StaleState state, Category category)
{
    if (category != Category::Memory && state == StaleState::Stale)
        return tr("not held");
    return stateText(state);
}

int ObjectBrowserModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() || !m_snapshot)
        return 0;
    const Inventory& inventory = m_snapshot->inventory;
    return static_cast<int>(inventory.objects.size() + inventory.files.size() + inventory.semaphores.size());
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
    const Category kind = category(index.row());
    if (role == AddressRole)
        return QString::fromStdString(toString(info.address));
    if (role == CategoryRole)
        return static_cast<int>(kind);
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
            if (kind == Category::Semaphore)
                tip = tr("A glibc named semaphore (sem_open), not shared memory: never cleaned.") + QLatin1Char('\n')
                    + tip;
            else if (kind == Category::File)
                tip = tr("A file mapped shared or opened in ShmScope: never cleaned.") + QLatin1Char('\n') + tip;
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
        if (judged.state == StaleState::Stale && kind == Category::Memory)
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
        return stateText(judged.state, kind);
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
