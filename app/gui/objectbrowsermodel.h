#pragma once

#include "core/catalog.h"
#include "core/shmusage.h"
#include "core/stale.h"

#include <QAbstractTableModel>
#include <QMetaType>
#include <QString>
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

namespace shmscope {

/// One refresh of the object browser, made in a worker thread (ObjectBrowserWorker) and handed to
/// the model whole: every object with its holders and verdict, and /dev/shm usage.
struct BrowserSnapshot {
    /// takeInventory() with the mapped and known files (each list sorted by address). The model's
    /// rows are inventory.objects, then inventory.files, then inventory.semaphores.
    Inventory inventory;
    /// judgeStale() of each row, in the rows' order (objects, files, semaphores).
    std::vector<StaleVerdict> verdicts;
    /// The QSystemSemaphore leftovers of the temporary folder, judged with `grace`
    /// (findQtSemaphoreLeftovers()); not rows of the table: Clean… offers the stale ones.
    std::vector<QtSemaphoreLeftover> qtSemaphores;
    std::optional<ShmUsage> usage; ///< measureShmUsage(); empty when /dev/shm could not be measured
    std::chrono::seconds grace { std::chrono::minutes(10) }; ///< the grace period the verdicts used
    QString error; ///< one line when the listing failed (then everything else is empty)
    std::int64_t takenAt = 0; ///< Unix time of the refresh (seconds)
};

/// The objects of a BrowserSnapshot as a table: address, state, holders, allocated, size, owner, mode,
/// age. Display texts are for people; SortRole gives numbers for the numeric columns (so a proxy
/// sorts 2 KiB before 1 MiB) and the text elsewhere; AddressRole the canonical address text;
/// CategoryRole the row's Category. Files and semaphores are never stale: nobody holding them shows
/// as "not held", and only shared-memory rows are offered for cleaning.
class ObjectBrowserModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    /// The most telling first, so that a narrow dock still shows who holds what.
    enum Column {
        AddressColumn,
        StateColumn,
        HoldersColumn,
        AllocatedColumn,
        SizeColumn,
        OwnerColumn,
        ModeColumn,
        AgeColumn,
        ColumnCount
    };
    static constexpr int AddressRole = Qt::UserRole + 1; ///< canonical address text (any column)
    static constexpr int SortRole = Qt::UserRole + 2; ///< value to sort by
    static constexpr int CategoryRole = Qt::UserRole + 3; ///< the row's Category (int)

    /// What a row is.
    enum class Category {
        Memory, ///< POSIX shared memory or a System V segment (Inventory::objects)
        File, ///< a file: object, mapped shared by a process or opened by ShmScope (Inventory::files)
        Semaphore, ///< a glibc named semaphore, /dev/shm/sem.NAME (Inventory::semaphores)
    };

    explicit ObjectBrowserModel(QObject* parent = nullptr);

    /// Shows `snapshot` (a failed one keeps the rows shown and only updates errorString()).
    void setSnapshot(std::shared_ptr<const BrowserSnapshot> snapshot);
    /// The snapshot shown; nullptr before the first.
    const BrowserSnapshot* snapshot() const { return m_snapshot.get(); }
    /// The entry and verdict of `row`; row must be valid.
    const ObjectInfo& object(int row) const;
    const StaleVerdict& verdict(int row) const;
    Category category(int row) const;
    /// The row of `address`, or -1.
    int rowOf(const Address& address) const;

    /// The holders of `info` in one line: "4242 (python3: map rw, fd), 4243 (…)"; for System V
    /// attachers that could not be seen, "N attached"; "-" for none, plus "unknown (N processes could
    /// not be inspected)" when some could not be.
    static QString holdersText(const ObjectInfo& info);
    /// The state in words ("in use", "stale", …) as the table shows it.
    static QString stateText(StaleState state);
    /// The state of a row of `category`: stateText(), but "not held" for a file or semaphore that
    /// nobody holds (they are never stale: ShmScope does not clean them).
    static QString stateText(StaleState state, Category category);
    /// An age in seconds as "42 s", "12 min", "3 h", "5 days".
    static QString ageText(std::int64_t seconds);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const BrowserSnapshot> m_snapshot;
};

} // namespace shmscope

Q_DECLARE_METATYPE(std::shared_ptr<const shmscope::BrowserSnapshot>)
