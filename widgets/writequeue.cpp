#include "widgets/writequeue.h"

#include "widgets/bytesource.h"

#include <QCoreApplication>
#include <QStringList>
#include <QThread>
#include <memory>

namespace shmscope {

WriteQueue* ByteSource::writeQueue()
{
    if (!m_writeQueue)
        m_writeQueue = new WriteQueue(this);
    return m_writeQueue;
}

WriteQueue::WriteQueue(ByteSource* source)
    : QObject(source)
    , m_source(source)
{
    m_retryTimer.setInterval(kRetryIntervalMs);
    connect(&m_retryTimer, &QTimer::timeout, this, &WriteQueue::retry);
    m_searchTimer.setInterval(kHolderSearchIntervalMs);
    connect(&m_searchTimer, &QTimer::timeout, this, &WriteQueue::searchHolder);
}

WriteQueue::~WriteQueue()
{
    if (m_search) {
        // The search owns copies of what it needs (LockHolderSearch): only its thread must end.
        m_search->wait();
        delete m_search;
    }
}

quint64 WriteQueue::submit(Operation operation)
{
    Entry entry;
    entry.id = m_nextId++;
    entry.hasContext = !operation.context.isNull();
    entry.operation = std::move(operation);
    const quint64 id = entry.id;
    if (!m_running && m_queue.isEmpty()) {
        runAlone(std::move(entry)); // the common case: nothing waits, so nothing needs queueing
        return id;
    }
    m_queue.append(std::move(entry));
    if (!m_running)
        run(); // nothing waits before it (else the queue would be waiting and the timer on)
    else
        Q_EMIT queueChanged(); // a callback of the running operation queued more: run() gets to it
    return id;
}

bool WriteQueue::attemptInTryMode(const std::function<bool()>& attempt)
{
    const ByteSource::LockWait previous = m_source->lockWait();
    m_source->setLockWait(ByteSource::LockWait::Try);
    const bool done = !attempt || attempt();
    m_source->setLockWait(previous);
    return done;
}

void WriteQueue::runAlone(Entry entry)
{
    // What run() does for a queue of one, without putting it in the queue (no previews change, so
    // no queueChanged) unless its attempt finds the lock busy.
    m_running = entry.id;
    if (!attemptInTryMode(entry.operation.attempt)) {
        m_running = 0;
        m_queue.prepend(std::move(entry)); // first in line; anything attempt() queued waits behind it
        Q_EMIT queueChanged();
        updateState();
        return;
    }
    if (entry.operation.finished)
        entry.operation.finished(); // may submit(): those queue behind, as m_running is set
    m_running = 0;
    if (!m_queue.isEmpty())
        run();
    else
        updateState();
}

bool WriteQueue::isQueued(quint64 id) const
{
    for (const Entry& entry : m_queue) {
        if (entry.id == id)
            return entry.id != m_running;
    }
    return false;
}

bool WriteQueue::remove(quint64 id)
{
    for (qsizetype i = 0; i < m_queue.size(); ++i) {
        if (m_queue.at(i).id != id)
            continue;
        if (id == m_running)
            return false;
        const Operation operation = m_queue.takeAt(i).operation;
        if (operation.dropped)
            operation.dropped();
        Q_EMIT queueChanged();
        updateState();
        return true;
    }
    return false;
}

void WriteQueue::cancel()
{
    int count = 0;
    // The operation being attempted (a callback of it may have opened a dialog) stays.
    QList<Entry> kept;
    const QList<Entry> queued = std::exchange(m_queue, {});
    for (const Entry& entry : queued) {
        if (entry.id == m_running) {
            kept.append(entry);
            continue;
        }
        ++count;
        if (entry.operation.dropped && !(entry.hasContext && entry.operation.context.isNull()))
            entry.operation.dropped();
    }
    m_queue = kept + m_queue; // dropped() may have queued new operations
    Q_EMIT queueChanged();
    updateState();
    Q_EMIT cancelled(count);
}

void WriteQueue::retry()
{
    if (!m_running)
        run();
}

void WriteQueue::run()
{
    while (!m_queue.isEmpty()) {
        Entry& front = m_queue.first();
        if (front.hasContext && front.operation.context.isNull()) {
            m_queue.removeFirst(); // its owner is gone, and its callbacks with it
            Q_EMIT queueChanged();
            continue;
        }
        m_running = front.id;
        const std::function<bool()> attempt = front.operation.attempt; // front may move while it runs
        if (!attemptInTryMode(attempt)) {
            m_running = 0;
            break; // the lock is busy: this one and all behind it wait for the timer
        }
        // attempt() may have queued more (appended): find this one again by its id.
        Operation finishedOperation;
        for (qsizetype i = 0; i < m_queue.size(); ++i) {
            if (m_queue.at(i).id == m_running) {
                finishedOperation = m_queue.takeAt(i).operation;
                break;
            }
        }
        Q_EMIT queueChanged();
        if (finishedOperation.finished)
            finishedOperation.finished(); // may submit() (appends, run here) or open a dialog
        m_running = 0;
    }
    updateState();
}

void WriteQueue::updateState()
{
    const bool waiting = !m_queue.isEmpty() && !m_running;
    if (waiting != m_waiting) {
        m_waiting = waiting;
        if (waiting) {
            m_retryTimer.start();
            m_holderPids.clear();
            m_holderSearched = false;
            m_holderUninspected = 0;
            searchHolder();
            m_searchTimer.start();
        } else {
            m_retryTimer.stop();
            m_searchTimer.stop();
        }
        Q_EMIT waitingChanged(waiting);
    }
    const QString status = statusText();
    if (status != m_lastStatus) {
        m_lastStatus = status;
        Q_EMIT statusChanged(status);
    }
}

void WriteQueue::searchHolder()
{
    if (m_search)
        return; // one at a time; the timer asks again
    LockHolderSearch search = m_source->lockHolderSearch();
    if (!search)
        return;
    auto result = std::make_shared<LockHolders>();
    m_search = QThread::create([search = std::move(search), result] { *result = search(); });
    // finished() comes from the worker thread: queued to this (GUI) thread.
    connect(m_search, &QThread::finished, this, [this, result] {
        m_search->deleteLater();
        m_search = nullptr;
        onHolderFound(*result);
    });
    m_search->start(QThread::LowPriority);
}

void WriteQueue::onHolderFound(const LockHolders& holders)
{
    if (!m_waiting)
        return;
    m_holderSearched = holders.searched;
    m_holderUninspected = int(holders.uninspected);
    m_holderPids.clear();
    for (const int pid : holders.pids)
        m_holderPids.append(pid);
    updateState();
}

QList<WriteQueue::Preview> WriteQueue::previews() const
{
    QList<Preview> result;
    for (const Entry& entry : m_queue) {
        if (!entry.operation.preview.isEmpty())
            result.append({ entry.operation.offset, entry.operation.preview });
    }
    return result;
}

QString WriteQueue::statusText() const
{
    if (!m_waiting)
        return {};
    const int count = waitingCount();
    if (!m_holderPids.isEmpty()) {
        QStringList pids;
        for (const qint64 pid : m_holderPids)
            pids.append(pid == QCoreApplication::applicationPid() ? tr("%1 (this process)").arg(pid)
                                                                  : QString::number(pid));
        return tr("%n edit(s) waiting for the lock (held by pid %1)", nullptr, count)
            .arg(pids.join(QLatin1String(", ")));
    }
    if (m_holderSearched && m_holderUninspected > 0)
        return tr("%n edit(s) waiting for the lock (held by a process of another user: its pid cannot be read)",
                  nullptr, count);
    return tr("%n edit(s) waiting for the lock (held by another process)", nullptr, count);
}

} // namespace shmscope
