#pragma once

#include "core/address.h"
#include "core/catalog.h"

#include <QDockWidget>
#include <QStringList>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

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

/// The Object Browser dock (View ▸ Object Browser): every shared-memory object of the machine with
/// its size, allocated bytes, mode, owner, age, holders (every process that maps it or holds a
/// descriptor, with pid, name and how) and stale state, and /dev/shm's size, used and free bytes.
/// Refreshes in a worker thread (ObjectBrowserWorker) every few seconds while shown, and on demand;
/// the UI never waits for /proc. Sortable by any column, filtered by the text typed (any column).
/// Open (or double-click) asks the main window to open the object; Remove asks for a confirmation
/// that names its holders, then removes its name; Clean… lists the stale objects for review and
/// removes those checked that are still stale at the moment of removal (core/stale.h).
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
    /// Removes the stale objects of `addresses` in the worker (re-checked there); cleaned() follows.
    void cleanAddresses(const QStringList& addresses);
    /// One line per object of the last clean ("posix:/x: why", "kept posix:/y: why", errors).
    QStringList lastCleanDetails() const { return m_lastClean; }
    /// Tests: replaces the question boxes of Remove with `confirm(text)`.
    void setConfirmationForTesting(std::function<bool(const QString& text)> confirm) { m_confirm = std::move(confirm); }
    /// Remove for the current row (with the confirmation). Returns true when it was removed.
    bool removeCurrent();
    /// The address of the current row, if any.
    std::optional<Address> currentAddress() const;

Q_SIGNALS:
    /// Open was chosen for `address`.
    void openRequested(const shmscope::Address& address);
    /// A snapshot (or the failure to take one) is shown.
    void refreshed();
    /// A clean finished: `summary` is what the dock shows about it (lastCleanDetails() has each object).
    void cleaned(const QString& summary);
    /// The worker's requests (queued into its thread).
    void refreshRequested(qint64 graceSeconds, qint64 budgetMs);
    void cleanRequested(const QStringList& addresses, qint64 graceSeconds);

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

    ObjectBrowserModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QTableView* m_table = nullptr;
    QLineEdit* m_filter = nullptr;
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
