#pragma once

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace shmscope {

class MappingByteSource;
class ViewCardModel;

/// The mapping card panel: the ViewCardModel table (every view of the object, its smaps counters) and,
/// for a file, the page cache line ("12 pages cached, 3 dirty, 0 under writeback", cachestat) with a
/// Flush button (msync) after which the dirty count falls to 0; where the kernel cannot tell, it says
/// "not observable". Re-reads every kRefreshMs while shown, and after a flush.
class MappingCard : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kRefreshMs = 1000;

    explicit MappingCard(QWidget* parent = nullptr);

    /// The source whose object is shown (not owned; nullptr: empty).
    void setSource(MappingByteSource* source);
    /// The table's model (owned by the card).
    ViewCardModel* model() const { return m_model; }
    /// Re-reads now.
    void refresh();
    /// Selects the first view of process `pid` in the table and keeps it selected across refreshes
    /// (0: none). Returns true when that process has a view of the object now.
    bool selectProcess(int pid);
    /// The process selectProcess() keeps selected (0: none).
    int selectedProcess() const { return m_pid; }
    /// The table of views.
    QTableView* table() const { return m_table; }
    /// Flush (msync) as the button does; false with the message shown when it failed.
    bool flush();

Q_SIGNALS:
    /// A flush failed (one line).
    void flushFailed(const QString& message);

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void updateCacheLine();
    bool selectPidRow();

    ViewCardModel* m_model;
    QTableView* m_table;
    QLabel* m_cacheLabel;
    QPushButton* m_flushButton;
    QPointer<MappingByteSource> m_source;
    QTimer m_timer;
    int m_pid = 0; ///< selectProcess()
};

} // namespace shmscope
