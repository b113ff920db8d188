#pragma once

#include "core/catalog.h"

#include <QAbstractTableModel>
#include <vector>

namespace shmscope {

/// The named shared-memory objects of this machine (core's catalog) as a table: address, size, mode,
/// owner, modified, the processes that map it. Used by the open dialog. refresh() re-reads the catalog.
/// Addresses are the escaped canonical text (toString() of core/address.h: a name's bytes that are
/// not UTF-8 and its control characters as `\xHH`), which parseAddress() takes back. The processes
/// column says "unknown (N processes could not be inspected)" when the catalog could not read some
/// processes' maps (ObjectInfo::uninspectedProcesses), instead of an empty cell.
class ObjectListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { AddressColumn, SizeColumn, ModeColumn, OwnerColumn, ModifiedColumn, ProcessesColumn, ColumnCount };
    /// Item role holding the canonical address text of a row (any column).
    static constexpr int AddressRole = Qt::UserRole + 1;

    explicit ObjectListModel(QObject* parent = nullptr);

    /// Re-reads the catalog (/dev/shm, System V, /proc/*/maps). Returns false and keeps the old rows
    /// when the catalog cannot be read; errorString() then says why.
    bool refresh();
    /// The one-line message of the last failed refresh().
    QString errorString() const { return m_errorString; }
    /// The catalog entry of a row; row must be valid.
    const ObjectInfo& object(int row) const { return m_objects.at(static_cast<std::size_t>(row)); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<ObjectInfo> m_objects;
    QString m_errorString;
};

} // namespace shmscope
