#pragma once

#include "core/valuescan.h"

#include <QPointer>
#include <QTemporaryDir>
#include <QTimer>
#include <QWidget>
#include <atomic>
#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;
class QThread;

namespace shmscope {

class BookmarkModel;
class HexView;

/// The Value Scan panel (issue 12): the Cheat Engine / scanmem workflow on the object shown. A first
/// scan (exact value, range, or unknown initial value) and next scans (changed, unchanged, increased,
/// decreased, increased/decreased by N, equal to V) over int8…int64 signed and unsigned, float and
/// double, little or big endian, aligned by default — run by core/valuescan.h in a worker thread with a
/// progress bar and Cancel. The candidates are a bitmap in memory; their previous values live in a state
/// file in a temporary folder (removed with the panel). The results table shows the first kMaxRows
/// candidates with their live value (re-read every 500 ms) and the value of the last scan; a row can be
/// added as a bookmark or opened in the hex view (double-click).
class ScanPanel : public QWidget
{
    Q_OBJECT
public:
    /// Candidates shown in the table (the count covers all).
    static constexpr int kMaxRows = 1000;

    explicit ScanPanel(QWidget* parent = nullptr);
    /// Cancels a running scan and waits for it.
    ~ScanPanel() override;

    /// The view whose source is scanned and whose cursor "open in hex view" moves (not owned).
    /// A scan running when the source it reads is destroyed is stopped and joined then
    /// (ByteSource::aboutToBeDestroyed()); the candidates stay as they were.
    void setHexView(HexView* view);
    /// Where "Add Bookmark" adds (not owned; may be null).
    void setBookmarkModel(BookmarkModel* model);
    /// The object shown (canonical address); a new one ends the current scan.
    void setAddress(const QString& address);

    /// The controls, for tests and for the window's keyboard navigation.
    QComboBox* typeBox() const { return m_type; }
    QComboBox* firstModeBox() const { return m_firstMode; }
    QComboBox* nextModeBox() const { return m_nextMode; }
    QLineEdit* valueEdit() const { return m_value; }
    QCheckBox* bigEndianBox() const { return m_bigEndian; }
    QCheckBox* alignedBox() const { return m_aligned; }
    QTableWidget* resultsTable() const { return m_table; }

    /// Starts a first scan with the controls' settings (a new scan: the old candidates are dropped).
    /// False with `error` for bad input (nothing starts) or when a scan runs. finished() follows.
    bool startFirstScan(QString* error);
    /// Starts a next scan with the next-scan controls. False with `error` without a first scan, for bad
    /// input, or while a scan runs.
    bool startNextScan(QString* error);
    /// Asks a running scan to stop (finished() follows with the candidates as before it).
    void cancel();
    /// True while a scan runs.
    bool isRunning() const { return m_thread != nullptr; }
    /// Remaining candidates (0 before a first scan).
    quint64 candidateCount() const { return m_scan ? m_scan->count() : 0; }
    /// Offsets of the candidates shown in the table.
    QList<quint64> shownOffsets() const;
    /// Adds the candidate in table row `row` as a bookmark ("u32 at 0x…"); false without a model or row.
    bool addBookmark(int row);
    /// Moves the hex view's cursor to the candidate in `row` and selects its bytes.
    bool openInHexView(int row);

Q_SIGNALS:
    /// A scan ended: the candidates left, and a message (empty when it completed).
    void finished(quint64 candidates, const QString& message);

private:
    bool start(bool first, QString* error);
    void onFinished();
    /// Stops a running scan and waits for its worker (the candidates stay as they were).
    void stopWorker();
    void refreshValues();
    void updateControls();
    ScanCondition condition(bool first) const;

    QPointer<HexView> m_view;
    QPointer<BookmarkModel> m_bookmarks;
    QString m_address;
    QComboBox* m_type = nullptr;
    QCheckBox* m_bigEndian = nullptr;
    QCheckBox* m_aligned = nullptr;
    QComboBox* m_firstMode = nullptr;
    QComboBox* m_nextMode = nullptr;
    QLineEdit* m_value = nullptr;
    QLineEdit* m_value2 = nullptr;
    QPushButton* m_firstButton = nullptr;
    QPushButton* m_nextButton = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QPushButton* m_bookmarkButton = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QTableWidget* m_table = nullptr;
    QTimer m_refresh;
    QTimer m_progressTimer;
    QTemporaryDir m_dir;
    int m_stateNumber = 0;

    std::optional<ValueScan> m_scan;
    std::vector<ScanCandidate> m_shown; // the table's rows
    // The running scan: the worker writes these; the GUI reads them after QThread::finished.
    QThread* m_thread = nullptr;
    std::atomic<bool> m_cancel { false };
    QMetaObject::Connection m_sourceGoing; ///< the scanned source's aboutToBeDestroyed(): stopWorker()
    std::atomic<std::uint64_t> m_done { 0 };
    std::atomic<std::uint64_t> m_total { 0 };
    std::optional<ValueScan> m_pendingScan;
    QString m_pendingError;
    bool m_pendingCancelled = false;
};

} // namespace shmscope
