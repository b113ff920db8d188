#pragma once

#include "core/journal.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QMutex>
#include <QTimer>
#include <deque>
#include <memory>
#include <vector>

namespace shmscope {

/// The native-call journal (core/journal.h) as a table for the "Native calls" dock: one row per user
/// action (its label, duration and page faults, in bold) followed by one row per call it made, in the
/// order they happened. Columns: seq, time, thread, action, call, result, µs, faults.
///
/// It listens to the journal while setListening(true) (the dock turns it on while it is shown and
/// not paused; off, the core pays only its one atomic load per call). Rows made on any thread are
/// queued and added on the model's thread every kFlushIntervalMs (a timer: nothing wakes the GUI
/// thread per call); the rows of an action arrive together when it ends
/// (journal::Listener::takesCallsAtActionEnd(): one lock per action while recording). Keeps at most maxRows() rows: the
/// oldest go first.
class NativeCallsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Seq, Time, Thread, Action, Call, Result, Micros, Faults, ColumnCount };

    /// Role of every cell: the action id the row belongs to (quint64; 0: no action).
    static constexpr int ActionIdRole = Qt::UserRole + 1;
    /// Role of every cell: true for an action's header row.
    static constexpr int IsActionRole = Qt::UserRole + 2;
    /// Role of every cell: the row as one line of text (strace's line for a call, `--- action N: label ---`
    /// for an action), what "Copy" puts on the clipboard.
    static constexpr int LineRole = Qt::UserRole + 3;

    explicit NativeCallsModel(QObject* parent = nullptr);
    ~NativeCallsModel() override;

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Starts (true) or stops (false) listening to the journal. Calls made while not listening are not
    /// recorded anywhere. Off at construction.
    void setListening(bool listening);
    bool isListening() const { return m_listening; }

    /// Whether each action's page faults are counted (the Faults column). Off by default: counting
    /// costs a getrusage pair per action (two system calls, about what an edit's lock and unlock cost),
    /// which would more than double the journal's cost to an edit (journal_bench). Counted from the
    /// next action on.
    void setCountPageFaults(bool count);
    bool countsPageFaults() const { return m_countFaults; }

    /// Whether calls made outside any user action (the poll's fstat, for instance) are shown. Off by
    /// default; rows already dropped do not come back.
    void setShowBackground(bool show) { m_showBackground = show; }

    /// Removes every row (and the calls "Copy as C program" could use).
    void clear();

    /// Adds what the journal delivered since the last call (run every kFlushIntervalMs while listening;
    /// tests may call it to add pending rows at once).
    void flushPending();

    /// How often the rows the journal delivered are added to the table while listening, in ms.
    static constexpr int kFlushIntervalMs = 50;

    /// A C program making the calls of action `actionId` (journal::cProgram over the calls kept);
    /// empty when the action has no calls here.
    QString cProgram(quint64 actionId) const;

    /// The most rows kept (20000).
    static constexpr int maxRows() { return 20000; }

private:
    struct Row {
        bool isAction = false;
        quint64 actionId = 0;
        /// Calls only: the row as the journal delivered it (raw), decoded the first time it is shown.
        std::shared_ptr<journal::Call> call;
    };
    struct ActionEntry {
        journal::ActionInfo info;
        int calls = 0;
    };
    class Listener;
    struct Batch;

    void addAction(const journal::ActionInfo& info);
    void endAction(const journal::ActionInfo& info);
    void addCall(journal::Call&& call);
    QVariant actionData(const ActionEntry& entry, int column, int role) const;
    QVariant callData(journal::Call& call, int column, int role) const;
    void trim();

    std::unique_ptr<Listener> m_listener;
    std::unique_ptr<Batch> m_taken; // the batch the model works through; the listener fills the other
    QTimer m_flushTimer;
    bool m_listening = false;
    bool m_showBackground = false;
    bool m_countFaults = false;
    std::deque<Row> m_rows;
    std::deque<std::shared_ptr<journal::Call>> m_calls; // every call kept, in seq order
    QHash<quint64, ActionEntry> m_actions;
};

} // namespace shmscope
