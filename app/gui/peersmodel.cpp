#include "app/gui/peersmodel.h"

#include <QFile>
#include <QHash>
#include <QLocale>
#include <QSet>
#include <algorithm>

namespace shmscope {

PeersModel::PeersModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

void PeersModel::setBus(NotificationBus* bus)
{
    if (m_bus == bus)
        return;
    if (m_bus)
        disconnect(m_bus, nullptr, this, nullptr);
    m_bus = bus;
    if (bus) {
        connect(bus, &NotificationBus::peersChanged, this, &PeersModel::refresh);
        // QPointer goes null on destruction but nobody would tell the view: drop the rows then.
        connect(bus, &QObject::destroyed, this, [this] {
            beginResetModel();
            m_rows.clear();
            endResetModel();
        });
    }
    refresh();
}

QString PeersModel::processName(qint64 pid)
{
    if (pid <= 0)
        return {};
    QFile file(QStringLiteral("/proc/%1/comm").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    // comm is at most 16 bytes with its newline (TASK_COMM_LEN); read a little more to be safe.
    return QString::fromUtf8(file.read(64)).trimmed();
}

void PeersModel::refresh()
{
    const QList<PeerInfo> now = m_bus ? m_bus->peers() : QList<PeerInfo>();
    QHash<quint64, PeerInfo> byId;
    for (const PeerInfo& info : now)
        byId.insert(info.instanceId, info);

    // Removals first, from the bottom so that the row numbers above stay valid.
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (byId.contains(m_rows.at(row).info.instanceId))
            continue;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }

    // Peers that stay: their role may have become known (hello), or the connection been remade.
    QSet<quint64> shown;
    for (int row = 0; row < m_rows.size(); ++row) {
        Row& current = m_rows[row];
        shown.insert(current.info.instanceId);
        const PeerInfo& info = byId.value(current.info.instanceId);
        const bool changed = info.pid != current.info.pid || info.role != current.info.role
            || info.roleKnown != current.info.roleKnown || info.since != current.info.since;
        if (!changed)
            continue;
        if (info.pid != current.info.pid)
            current.name = processName(info.pid);
        current.info = info;
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }

    // Newcomers, oldest first.
    QList<PeerInfo> added;
    for (const PeerInfo& info : now) {
        if (!shown.contains(info.instanceId))
            added.append(info);
    }
    if (added.isEmpty())
        return;
    std::sort(added.begin(), added.end(), [](const PeerInfo& a, const PeerInfo& b) { return a.since < b.since; });
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(added.size()) - 1);
    for (const PeerInfo& info : added)
        m_rows.append(Row { info, processName(info.pid) });
    endInsertRows();
}

int PeersModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PeersModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PeersModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows.at(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case PidColumn:
            return row.info.pid;
        case NameColumn:
            return row.name;
        case RoleColumn:
            if (!row.info.roleKnown)
                return tr("…");
            return row.info.role == PeerRole::Gui ? tr("GUI") : tr("CLI");
        case SinceColumn:
            return row.info.since;
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (index.column()) {
        case RoleColumn:
            if (!row.info.roleKnown)
                return tr("Connected; its hello has not arrived yet");
            return row.info.role == PeerRole::Gui ? tr("The shmscope desktop inspector") : tr("shmscope-cli watch");
        case SinceColumn:
            return QLocale().toString(row.info.since, QLocale::LongFormat);
        default:
            return {};
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() == PidColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant PeersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case PidColumn:
        return tr("PID");
    case NameColumn:
        return tr("Process");
    case RoleColumn:
        return tr("Kind");
    case SinceColumn:
        return tr("Since");
    default:
        return {};
    }
}

} // namespace shmscope
