#pragma once

#include "app/shared/notificationbus.h"

#include <QAbstractTableModel>
#include <QList>
#include <QPointer>
#include <QString>

namespace shmscope {

/// A table of the other ShmScope instances attached to the same object as this one (the peers panel):
/// one row per peer, columns Process ID, Process name, Kind (GUI or CLI) and Since, kept up to date
/// from NotificationBus::peers() whenever the bus emits peersChanged().
///
/// Rows are identified by the peer's instance id: a peer that stays keeps its row (only its changed
/// cells are reported with dataChanged()), a peer that leaves has its row removed and a new peer is
/// appended, so selections and scroll positions in a view survive peers coming and going.
///
/// The process name is read once per peer from /proc/PID/comm (Linux, proc(5)): the kernel's
/// 15-character command name. It is empty where /proc is unavailable or the process is gone.
class PeersModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    /// The columns, in order.
    enum Column {
        PidColumn, ///< the peer's process id (Qt::DisplayRole: qint64)
        NameColumn, ///< its process name from /proc/PID/comm (QString, may be empty)
        RoleColumn, ///< "GUI", "CLI", or "…" until its hello arrived (translated QString)
        SinceColumn, ///< when this instance connected to it (Qt::DisplayRole: QDateTime, local time)
        ColumnCount
    };

    /// An empty model; call setBus().
    explicit PeersModel(QObject* parent = nullptr);

    /// Shows the peers of `bus` (not owned; may be nullptr, which shows no rows). The model follows
    /// its peersChanged() signal and empties itself when the bus is destroyed.
    void setBus(NotificationBus* bus);
    /// The bus shown, or nullptr.
    NotificationBus* bus() const { return m_bus.data(); }

    /// The peer shown in `row` (0 ≤ row < rowCount()).
    PeerInfo peerAt(int row) const { return m_rows.at(row).info; }
    /// The process name shown in `row` (0 ≤ row < rowCount()).
    QString processNameAt(int row) const { return m_rows.at(row).name; }

    /// Re-reads the bus's peers now and updates the rows (also done on every peersChanged()).
    void refresh();

    /// The kernel's command name of process `pid`: the first line of /proc/PID/comm, or an empty
    /// string when it cannot be read (no such process, no /proc).
    static QString processName(qint64 pid);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        PeerInfo info;
        QString name;
    };

    QPointer<NotificationBus> m_bus;
    QList<Row> m_rows;
};

} // namespace shmscope
