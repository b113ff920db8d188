#pragma once

#include "core/pagemap.h"
#include "core/viewcard.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <optional>
#include <vector>

namespace shmscope {

class MappingByteSource;

/// The mapping card as a table: one row per view of the object in each process this one may inspect
/// (this window's view first), with its VMA, perms, backing and /proc/PID/smaps counters
/// (core/viewcard.h); a last row counts the processes that could not be inspected, if any. refresh()
/// reads everything again (on the calling thread).
class ViewCardModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Pid,
        Process,
        Range,
        Perms,
        Backing,
        Rss,
        Pss,
        SharedClean,
        SharedDirty,
        PrivateClean,
        PrivateDirty,
        Anonymous,
        Swap,
        ColumnCount
    };

    explicit ViewCardModel(QObject* parent = nullptr);

    /// The source whose object is shown (not owned; nullptr: empty). Call refresh() to read.
    void setSource(MappingByteSource* source);
    /// Reads the views, their smaps and the page cache again.
    void refresh();

    /// The page cache state of a file-backed object (cachestat); nullopt with cacheNote() saying why.
    const std::optional<CacheState>& cache() const { return m_cache; }
    /// Why there is no page cache state: "not a file" or the core's "not observable: …" message.
    QString cacheNote() const { return m_cacheNote; }
    /// Processes that could not be inspected.
    quint32 uninspected() const { return m_uninspected; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        ProcessView view;
        QString backing;
        std::optional<SmapsCounters> smaps;
        QString error;
    };
    QPointer<MappingByteSource> m_source;
    std::vector<Row> m_rows;
    quint32 m_uninspected = 0;
    std::optional<CacheState> m_cache;
    QString m_cacheNote;
};

} // namespace shmscope
