#pragma once

#include "core/diff.h"

#include <QPointer>
#include <QWidget>
#include <atomic>
#include <functional>
#include <memory>
#include <vector>

class QAction;
class QLabel;
class QListWidget;
class QMenu;
class QProgressBar;
class QPushButton;
class QTableWidget;
class QThread;
class QTimer;

namespace shmscope {

class ByteSource;
class HexView;
class SnapshotByteSource;

/// The Snapshots panel (issue 12, "Snapshots and diff"): takes snapshots of the object shown (the whole
/// object, or the hex view's selection), lists them, compares in a worker thread the live object with
/// the selected one (Compare), or — Compare With… — the selected snapshot with another one, or the
/// object shown with another object, and shows the differing ranges: in a table (offset, length, old and new bytes), as
/// steady marks in the hex view's changes overview strip, by next/previous difference (F7/Shift+F7:
/// nextAction()/previousAction(), which select the range in the hex view), and side by side — a second,
/// read-only hex view of the snapshot that follows the live view's cursor at the same offset.
class SnapshotPanel : public QWidget
{
    Q_OBJECT
public:
    /// How many differing ranges the table and the marks keep (the count goes on).
    static constexpr int kMaxRanges = 100000;

    explicit SnapshotPanel(QWidget* parent = nullptr);
    /// Cancels a running comparison or snapshot and waits for it.
    ~SnapshotPanel() override;

    /// The live view (not owned): its source is snapshotted and compared, its cursor moved, its strip marked.
    /// A comparison running when the source it reads is destroyed is cancelled and joined then
    /// (ByteSource::aboutToBeDestroyed()).
    void setHexView(HexView* view);
    /// The object shown (canonical address, written into the snapshots); empty: none. Clears the
    /// differences and the marks (they were of another object).
    void setAddress(const QString& address);
    /// Where new snapshots are written (created when needed). Default: the app's local data folder's
    /// "snapshots" (QStandardPaths::AppLocalDataLocation).
    void setFolder(const QString& folder);
    QString folder() const { return m_folder; }

    /// Starts writing a snapshot of the hex view's selection (or, without one, the whole object) to a
    /// new file in folder(), in a worker thread, with a progress bar and a Cancel button in the panel;
    /// snapshotFinished() follows (then the file is in the list and selected). A snapshot cancelled or
    /// failed leaves no file (writeSnapshot() removes what it wrote). False with `error` when nothing
    /// is open, the folder cannot be made, or a snapshot or comparison runs.
    bool startSnapshot(QString* error);
    /// Cancels a running snapshot (at its next read); snapshotFinished() follows. Returns at once.
    void cancelSnapshot();
    /// True while a snapshot is written.
    bool isTakingSnapshot() const { return m_snapshotThread != nullptr; }
    /// The progress bar shown while a snapshot is written (0-1000 ‰ of the bytes).
    QProgressBar* snapshotProgress() const { return m_progress; }
    /// startSnapshot() and waits for it, the event loop running meanwhile (the window stays live).
    /// Returns the path, or an empty string with `error` set.
    QString takeSnapshot(QString* error);
    /// Adds an existing snapshot file to the list (and selects it). False with `error` when it is not one.
    bool addSnapshot(const QString& path, QString* error);
    /// Starts comparing the live object with the selected snapshot (over the snapshot's range). False
    /// with `error` when there is nothing to compare or a comparison runs. finished() follows.
    bool compareWithSelected(QString* error);
    /// Starts comparing two snapshot files: the older one (by the time it was taken) is "old". The
    /// offsets shown are those of the object (the older snapshot's offset added); the marks and F7 apply
    /// to the object shown. False with `error` when either is not a snapshot or a comparison runs.
    bool compareSnapshots(const QString& pathA, const QString& pathB, QString* error);
    /// Starts comparing the object shown ("old") with the whole of another object `address` ("new",
    /// attached read-only for the comparison). False with `error` when nothing is open, the address is
    /// not valid or cannot be attached, or a comparison runs.
    bool compareWithObject(const QString& address, QString* error);
    /// The Compare With… button's menu: the other snapshots, then Another Object….
    QMenu* compareWithMenu() const { return m_compareWithMenu; }
    /// The headers of the old and new bytes' columns of the last comparison ("Snapshot"/"Live", …).
    QStringList sideTitles() const { return { m_oldTitle, m_newTitle }; }
    /// True while a comparison runs.
    bool isComparing() const { return m_thread != nullptr; }

    /// The differences of the last comparison (object offsets), ascending; at most kMaxRanges.
    const std::vector<DiffRange>& differences() const { return m_ranges; }
    /// Selects the next (previous) difference after (before) the hex view's cursor; false when none.
    bool nextDifference();
    bool previousDifference();
    /// Go ▸ Next Difference (F7) and Go ▸ Previous Difference (Shift+F7), owned by the panel.
    QAction* nextAction() const { return m_nextAction; }
    QAction* previousAction() const { return m_previousAction; }

    /// Shows or hides the snapshot's hex view beside (in the panel) at the live cursor's offset.
    void setSideBySide(bool shown);
    /// The snapshot's hex view (read-only; hidden unless side by side).
    HexView* snapshotView() const { return m_snapshotView; }

Q_SIGNALS:
    /// A comparison ended: `ranges` differing ranges (all of them, also past kMaxRanges); `message`
    /// is empty, or says why it failed.
    void finished(quint64 ranges, const QString& message);
    /// A snapshot ended: `path` of the new file, or empty with `message` saying why (cancelled, an error).
    void snapshotFinished(const QString& path, const QString& message);

private:
    void onCompareFinished();
    /// Side by side: puts the snapshot view's cursor (and selection) where the live view's are.
    void followLiveView();
    void showDifferences();
    void selectDifference(std::size_t index);
    void updateButtons();
    QString selectedPath() const;
    void cancelComparison();
    using DiffRun
        = std::function<Result<DiffSummary>(const DiffOptions&, const std::function<bool(const DiffRange&)>&)>;
    /// Starts `run` in the worker thread; the ranges it finds are shifted by `base` (object offsets).
    /// `reads`: the live source the run reads (nullptr: snapshots only), let go of when it is destroyed.
    void startComparison(DiffRun run, ByteSource* reads, quint64 base, const QString& oldTitle,
                         const QString& newTitle);
    /// Stops the running worker (comparison or snapshot) when `reads` is about to be destroyed.
    void letGoOnDestruction(ByteSource* reads);
    void fillCompareWithMenu();
    void onSnapshotFinished();
    /// Cancels a running snapshot and waits for it (its file removed); no snapshotFinished().
    void stopSnapshot();

    QPointer<HexView> m_view;
    QString m_address;
    QString m_folder;
    QListWidget* m_list = nullptr;
    QTableWidget* m_table = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_takeButton = nullptr;
    QPushButton* m_compareButton = nullptr;
    QPushButton* m_compareWithButton = nullptr;
    QMenu* m_compareWithMenu = nullptr;
    QString m_oldTitle;
    QString m_newTitle;
    QPushButton* m_sideButton = nullptr;
    QAction* m_nextAction = nullptr;
    QAction* m_previousAction = nullptr;
    HexView* m_snapshotView = nullptr;
    std::unique_ptr<SnapshotByteSource> m_snapshotSource;

    // The comparison: the worker fills the pending fields; the GUI thread reads them after finished.
    QThread* m_thread = nullptr;
    std::atomic<bool> m_cancel { false };
    QMetaObject::Connection m_sourceGoing; ///< the compared source's aboutToBeDestroyed(): cancels
    std::vector<DiffRange> m_pendingRanges;
    quint64 m_pendingCount = 0;
    quint64 m_pendingBase = 0;
    QString m_pendingError;
    std::vector<DiffRange> m_ranges;

    // The snapshot being written: the worker counts bytes and reads the cancel flag.
    QThread* m_snapshotThread = nullptr;
    QProgressBar* m_progress = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QTimer* m_progressTimer = nullptr;
    std::atomic<bool> m_snapshotCancel { false };
    std::atomic<quint64> m_snapshotDone { 0 };
    quint64 m_snapshotTotal = 0;
    QString m_snapshotPath;
    QString m_snapshotError;
};

} // namespace shmscope
