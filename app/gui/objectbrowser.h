#pragma once

#include "core/address.h"
#include "core/catalog.h"

#include <QDockWidget>
#include <QStringList>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QThread;
class QTimer;

namespace shmscope {

struct BrowserSnapshot;
class ElidedLabel;
class ObjectBrowserModel;
class ObjectBrowserWorker;

/// The Object Browser dock (View ▸ Object Browser): every shared-memory object of the machine, the
/// files processes map shared and those opened in ShmScope (setKnownFiles()), and glibc's named
/// semaphores, with their size, allocated bytes, mode, owner, age, holders (every process that maps
/// it or holds a descriptor, with pid, name and how) and stale state, and /dev/shm's size, used and
/// free bytes. A kind filter shows one group only; files and semaphores are never offered for Clean.
/// Refreshes in a worker thread (ObjectBrowserWorker) every few seconds while shown, and on demand;
/// the UI never waits for /proc. Sortable by any column, filtered by the text typed (any column).
/// Open (or double-click) asks the main window to open the object; Remove asks for a confirmation
/// that names its holders, then removes its name; Clean… lists the stale objects for review and
/// removes those checked that are still stale at the moment of removal (core/stale.h). The context
/// menu of a row also reveals it in the Pages and Mappings docks (revealRequested()).
class ObjectBrowserDock : public QDockWidget
{
    Q_OBJECT
public:
    explicit ObjectBrowserDock(QWidget* parent = nullptr);
    ~ObjectBrowserDock() override;

    ObjectBrowserModel* model() const { return m_model; }
    /// The sorting and filtering proxy between the model and the table.
    QSortFilterProxyModel* proxy() const { return m_proxy; }
    QTableView* table() const { return m_table; }
    QLineEdit* filterEdit() const { return m_filter; }
    /// The kind filter: all, shared memory, files, semaphores (item data: -1 or a Category).
    QComboBox* kindFilter() const { return m_kind; }
    /// The file: objects ShmScope has opened, to list whether or not anybody maps them: any addresses
    /// (those that are not file: are ignored); takes effect with the next refresh.
    void setKnownFiles(const QStringList& addresses);
    /// The context menu's actions for the current row: Open, Reveal in Pages and Mappings, Remove….
    QAction* openAction() const { return m_openAction; }
    QAction* revealAction() const { return m_revealAction; }
    /// Remove… (disabled for files: they are somebody's data, not shared-memory names).
    QAction* removeAction() const { return m_removeAction; }
    /// The holder process a reveal selects for `row` of the model: the first holder that maps the
    /// object other than this process, else this process when it maps it, else 0.
    int revealPid(int row) const;
    /// The status line: /dev/shm usage, object count, uninspected processes, time of the refresh.
    ElidedLabel* statusLabel() const { return m_status; }

    /// Starts a refresh in the worker thread (or marks one to follow the one running) and returns at
    /// once; refreshed() follows.
    void refresh();
    /// The grace period of the stale rule (default 10 min); takes effect with the next refresh.
    void setGracePeriod(std::chrono::seconds grace) { m_grace = grace; }
    /// The most time a refresh spends on one process (InventoryOptions::perProcessBudget; default 250 ms).
    void setPerProcessBudget(std::chrono::milliseconds budget) { m_budget = budget; }
    /// How often the dock refreshes itself while shown (default 5 s; 0 turns it off).
    void setRefreshInterval(std::chrono::milliseconds interval);
    /// The address texts of the rows shown as stale.
    QStringList staleAddresses() const;
    /// The text Remove asks to confirm for the object of `address` (naming its holders); empty when
    /// it is not listed.
    QString removeConfirmationText(const Address& address) const;
    /// The key files of the QSystemSemaphore leftovers judged stale (findQtSemaphoreLeftovers()),
    /// which Clean… offers beside the stale objects.
    QStringList staleSemaphoreKeyFiles() const;
    /// Removes the stale objects of `addresses` and the stale QSystemSemaphore leftovers of
    /// `semaphoreKeyFiles` in the worker (each re-checked there); cleaned() follows.
    void cleanAddresses(const QStringList& addresses, const QStringList& semaphoreKeyFiles = {});
    /// One line per object of the last clean ("posix:/x: why", "kept posix:/y: why", errors).
    QStringList lastCleanDetails() const { return m_lastClean; }
    /// Tests: replaces the question boxes of Remove with `confirm(text)`.
    void setConfirmationForTesting(std::function<bool(const QString& text)> confirm) { m_confirm = std::move(confirm); }
    /// Remove for the current row (with the confirmation). Returns true when it was removed.
    bool removeCurrent();
    /// The address of the current row, if any.
    std::optional<Address> currentAddress() const;
    /// Reveal for the current row: emits revealRequested() (nothing without a current row).
    void revealCurrent();

Q_SIGNALS:
    /// Open was chosen for `address`.
    void openRequested(const shmscope::Address& address);
    /// Reveal was chosen: show `address` (opened if it is not the one shown) in the Pages and Mappings
    /// docks, with process `pid` selected there (0: none).
    void revealRequested(const shmscope::Address& address, int pid);
    /// A snapshot (or the failure to take one) is shown.
    void refreshed();
    /// A clean finished: `summary` is what the dock shows about it (lastCleanDetails() has each object).
    void cleaned(const QString& summary);
    /// The worker's requests (queued into its thread).
    void refreshRequested(qint64 graceSeconds, qint64 budgetMs, const QStringList& knownFiles);
    void cleanRequested(const QStringList& addresses, const QStringList& semaphoreKeyFiles, qint64 graceSeconds);

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void onRefreshed(std::shared_ptr<const BrowserSnapshot> snapshot);
    void onCleaned(const QStringList& removed, const QStringList& kept, const QStringList& failed,
                   const QString& error);
    void updateStatus();
    void updateButtons();
    void openCurrent();
    void showCleanReview();
    void showContextMenu(const QPoint& position);
    int currentSourceRow() const;

    ObjectBrowserModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QTableView* m_table = nullptr;
    QLineEdit* m_filter = nullptr;
    QComboBox* m_kind = nullptr;
    QAction* m_openAction = nullptr;
    QAction* m_revealAction = nullptr;
    QAction* m_removeAction = nullptr;
    QStringList m_knownFiles; ///< paths (setKnownFiles())
    ElidedLabel* m_status = nullptr;
    bool m_columnsSized = false; ///< the columns were fitted to the first rows
    QPushButton* m_openButton = nullptr;
    QPushButton* m_removeButton = nullptr;
    QPushButton* m_cleanButton = nullptr;
    QTimer* m_timer = nullptr;
    QThread* m_thread = nullptr;
    ObjectBrowserWorker* m_worker = nullptr;
    std::chrono::seconds m_grace { std::chrono::minutes(10) };
    std::chrono::milliseconds m_budget { InventoryOptions {}.perProcessBudget };
    QStringList m_lastClean; ///< what the last clean did, one line per object
    bool m_keepCleanSummary = false; ///< the next refresh leaves the clean's summary in the status line
    bool m_busy = false; ///< a refresh or clean is running in the worker
    bool m_refreshPending = false; ///< another refresh was asked for meanwhile
    std::function<bool(const QString&)> m_confirm;
};

} // namespace shmscope
