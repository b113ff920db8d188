#pragma once

#include "core/lockholders.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <functional>

class QThread;

namespace shmscope {

class ByteSource;

/// The edits of every view of one ByteSource, written in the order they were made and never waiting
/// for the object's lock on the calling (GUI) thread (issue 9 item 6). One per source
/// (ByteSource::writeQueue()), so the hex view's and the text view's edits keep their order.
///
/// An Operation is one write (an exchange, a compare-and-write, a string): submit() runs it at once
/// when nothing waits before it, with the source in ByteSource::LockWait::Try — so a free lock gives
/// the old, synchronous behaviour. When its attempt finds the lock held (ByteSource::lockWasBusy()),
/// the operation stays queued, every later one queues behind it, and a timer tries again every
/// kRetryIntervalMs until the holder lets go; then they are done in order. Views show queued bytes at
/// once (previews(), Operation::preview) and find out through Operation::finished what was written.
///
/// While operations wait, statusText() says so and names the holder: a search
/// (ByteSource::lockHolderSearch()) runs in a worker thread when the wait starts and every
/// kHolderSearchIntervalMs after. cancel() drops every queued operation (Operation::dropped): nothing
/// of them is written. Notifications to other instances follow the writes themselves
/// (ByteSource::bytesWritten), so a queued edit is announced when it is written, not when typed.
class WriteQueue : public QObject
{
    Q_OBJECT
public:
    /// How often a waiting queue tries the lock again, in ms (each try is one F_OFD_SETLK: cheap).
    static constexpr int kRetryIntervalMs = 20;
    /// How often, in ms, the holder is looked up again while the queue waits.
    static constexpr int kHolderSearchIntervalMs = 2000;

    /// One write and what to do with its outcome.
    struct Operation {
        /// Does the write, with the source in LockWait::Try. Returns false only when the lock was busy
        /// (nothing happened; it is tried again later), true when it is done — written or failed for
        /// good (it keeps what it needs for `finished`).
        std::function<bool()> attempt;
        /// Called once after `attempt` returned true, with the operation already off the queue and the
        /// source back in its own lock mode; may submit() more operations (they queue behind).
        std::function<void()> finished;
        /// Called when the operation is dropped without being done (cancel(), remove()).
        std::function<void()> dropped;
        /// While it waits, views show `preview` at `offset` in place of the object's bytes (empty: nothing).
        quint64 offset = 0;
        QByteArray preview;
        /// When set and destroyed before the operation runs, the operation is dropped silently (its
        /// callbacks belong to that object).
        QPointer<QObject> context;
    };

    /// Bytes a queued operation will write (see Operation::preview).
    struct Preview {
        quint64 offset = 0;
        QByteArray bytes;
    };

    /// A queue for `source`, its parent. Use ByteSource::writeQueue() rather than making one.
    explicit WriteQueue(ByteSource* source);
    /// Drops the queued operations without calling anything; waits for a running holder search.
    ~WriteQueue() override;

    /// Runs `operation` now if nothing waits, else queues it behind the others. Returns its id (> 0);
    /// isQueued(id) tells whether it still waits once submit() returned.
    quint64 submit(Operation operation);
    /// True while the operation `id` waits (not done, dropped or running).
    bool isQueued(quint64 id) const;
    /// Drops the waiting operation `id` (its `dropped` is called): nothing of it is written. False when
    /// it is not waiting (done, running, unknown).
    bool remove(quint64 id);
    /// Drops every waiting operation, in order (each `dropped`), then emits cancelled(). Nothing of
    /// them is written; the views keep them as not written (see HexView, TextView).
    void cancel();
    /// Tries the waiting operations now (the timer does so every kRetryIntervalMs).
    void retry();

    /// True while operations wait for the lock.
    bool isWaiting() const { return m_waiting; }
    /// How many operations wait.
    int waitingCount() const { return int(m_queue.size()); }
    /// The queued operations' previews, in the order they will be written (later ones win).
    QList<Preview> previews() const;
    /// The processes last found holding the lock (empty: not found yet, or cannot tell).
    QList<qint64> holderPids() const { return m_holderPids; }
    /// One translated line for the status bar while operations wait, e.g. "3 edits waiting for the lock
    /// (held by pid 4242)"; empty when nothing waits.
    QString statusText() const;

Q_SIGNALS:
    /// isWaiting() changed.
    void waitingChanged(bool waiting);
    /// statusText() changed.
    void statusChanged(const QString& text);
    /// Operations were queued, done or dropped: previews() may differ.
    void queueChanged();
    /// cancel() dropped `count` operations.
    void cancelled(int count);

private:
    struct Entry {
        quint64 id = 0;
        Operation operation;
        bool hasContext = false;
    };
    void run();
    /// submit()'s fast path: runs `entry` at once when nothing is queued or running; queues it only
    /// when its attempt finds the lock busy.
    void runAlone(Entry entry);
    /// Calls `attempt` (none counts as done) with the source in LockWait::Try; returns its result.
    bool attemptInTryMode(const std::function<bool()>& attempt);
    void updateState();
    void searchHolder();
    void onHolderFound(const LockHolders& holders);

    ByteSource* m_source;
    QList<Entry> m_queue;
    quint64 m_nextId = 1;
    quint64 m_running = 0; // id of the operation being attempted or finished, 0 when none
    bool m_waiting = false;
    QString m_lastStatus;
    QTimer m_retryTimer;
    QTimer m_searchTimer;
    QThread* m_search = nullptr;
    QList<qint64> m_holderPids;
    bool m_holderSearched = false; // a search ran (and could tell) since the wait started
    int m_holderUninspected = 0;
};

} // namespace shmscope
