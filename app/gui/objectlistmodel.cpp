#include "objectlistmodel.h"

#include <QDateTime>
#include <QLocale>

namespace shmscope {

ObjectListModel::ObjectListModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

bool ObjectListModel::refresh()
{
    auto objects = listObjects();
    if (!objects) {
        m_errorString = QString::fromStdString(objects.error().message());
        return false;
    }
    beginResetModel();
    m_objects = std::move(*objects);
    endResetModel();
    m_errorString.clear();
    return true;
}

int ObjectListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_objects.size());
}

int ObjectListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ObjectListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ObjectInfo& info = object(index.row());
    if (role == AddressRole)
        return QString::fromStdString(toString(info.address));
    if (role == Qt::TextAlignmentRole && index.column() == SizeColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == SizeColumn)
        return tr("%1 bytes").arg(QLocale().toString(info.size));
    if (role != Qt::DisplayRole)
        return {};

    switch (index.column()) {
    case AddressColumn:
        return QString::fromStdString(toString(info.address));
    case SizeColumn:
        return QLocale().formattedDataSize(static_cast<qint64>(info.size), 1, QLocale::DataSizeIecFormat);
    case ModeColumn:
        return QStringLiteral("%1").arg(info.mode, 4, 8, QLatin1Char('0'));
    case OwnerColumn:
        return QString::fromStdString(info.owner);
    case ModifiedColumn:
        return QLocale().toString(QDateTime::fromSecsSinceEpoch(info.modifiedTime), QLocale::ShortFormat);
    case ProcessesColumn: {
        QStringList pids;
        for (int pid : info.pids)
            pids.append(QString::number(pid));
        if (pids.isEmpty() && info.attachCount > 0)
            return tr("%n attached", nullptr, static_cast<int>(info.attachCount));
        // POSIX objects and files: processes the catalog could not inspect (other users', when not
        // root) may map the object too, so an empty list is not "nobody".
        if (info.address.kind != Kind::SysV && info.address.kind != Kind::SysVId && !info.pidsComplete()) {
            pids.append(tr("unknown (%n process(es) could not be inspected)", nullptr,
                           static_cast<int>(info.uninspectedProcesses)));
            return pids.join(QStringLiteral(", "));
        }
        return pids.join(QStringLiteral(", "));
    }
    default:
        return {};
    }
}

QVariant ObjectListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case AddressColumn:
        return tr("Address");
    case SizeColumn:
        return tr("Size");
    case ModeColumn:
        return tr("Mode");
    case OwnerColumn:
        return tr("Owner");
    case ModifiedColumn:
        return tr("Modified");
    case ProcessesColumn:
        return tr("Mapped by (pids)");
    default:
        return {};
    }
}

} // namespace shmscope
