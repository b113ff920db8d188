#include "nativecallsmodel.h"

#include "core/journalc.h"

#include <QDateTime>
#include <QFont>
#include <QGuiApplication>
#include <QMutexLocker>
#include <QPalette>
#include <variant>

namespace shmscope {

namespace {

struct Began {
    journal::ActionInfo info;
};
struct Ended {
    journal::ActionInfo info;
};
// Rows [first, first + count) of the batch's calls.
struct Calls {
    std::size_t first;
    std::size_t count;
};
// Rows [0, count) of the batch's adopted vector `chunk` (journal::Listener::adoptCalls).
struct Adopted {
    std::size_t chunk;
    std::size_t count;
};
using Event = std::variant<Began, Calls, Adopted, Ended>;

// The most vectors of rows kept to give back to the journal: enough for the actions of a few flush
// intervals; the vectors of a longer burst are freed.
constexpr std::size_t kMaxSpareChunks = 64;

QString timeText(qint64 us)
{
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(us / 1000);
    return time.toString(QStringLiteral("HH:mm:ss.zzz")) + QStringLiteral("%1").arg(us % 1000, 3, 10, QLatin1Char('0'));
}

QString microsText(quint64 ns)
{
    return QString::number(double(ns) / 1000.0, 'f', 1);
}

} // namespace

// What the listener collected for the model's thread: events in order, the rows apart (an event is
// small; a row is not). Two of them take turns, so that their memory is reused: no allocation per
// action once they have grown.
struct NativeCallsModel::Batch {
    std::vector<Event> events;
    std::vector<journal::Call> calls;
    // Vectors of rows adopted whole from the journal, one per action (usually the only way rows come).
    std::vector<std::vector<journal::Call>> chunks;
};

// Receives the journal on any thread and hands it to the model's thread.
class NativeCallsModel::Listener : public journal::Listener
{
public:
    void actionBegan(const journal::ActionInfo& action) override
    {
        QMutexLocker lock(&m_mutex);
        m_pending.events.emplace_back(Began { action });
    }
    // Kept raw: decoded when the table shows the row (callData).
    void callRecorded(journal::Call&& call) override { callsRecorded(std::span<journal::Call>(&call, 1)); }
    // An action's rows together at its end (the dock shows them then): one lock per action.
    void callsRecorded(std::span<journal::Call> calls) override
    {
        QMutexLocker lock(&m_mutex);
        m_pending.events.emplace_back(Calls { m_pending.calls.size(), calls.size() });
        for (journal::Call& call : calls)
            m_pending.calls.push_back(std::move(call));
    }
    // The usual way when the dock is the only listener: the thread's vector of rows is kept as it is
    // and a vector the model is done with goes back, so that no row is moved on the recording thread.
    bool adoptCalls(std::vector<journal::Call>& rows, std::size_t count) override
    {
        QMutexLocker lock(&m_mutex);
        m_pending.events.emplace_back(Adopted { m_pending.chunks.size(), count });
        m_pending.chunks.emplace_back().swap(rows);
        if (!m_spareChunks.empty()) {
            rows.swap(m_spareChunks.back());
            m_spareChunks.pop_back();
        }
        return true;
    }
    bool takesCallsAtActionEnd() const override { return true; }
    void actionEnded(const journal::ActionInfo& action) override
    {
        QMutexLocker lock(&m_mutex);
        m_pending.events.emplace_back(Ended { action });
    }
    bool countsPageFaults() const override { return m_countFaults; }

    std::atomic<bool> m_countFaults { false };

    /// Swaps what was collected into `batch`, whose events and calls the caller emptied (keeping their
    /// memory) and whose adopted vectors (rows moved from) go back to the journal by adoptCalls().
    void take(Batch& batch)
    {
        std::vector<std::vector<journal::Call>> excess; // freed after the lock
        QMutexLocker lock(&m_mutex);
        for (std::vector<journal::Call>& chunk : batch.chunks)
            (m_spareChunks.size() < kMaxSpareChunks ? m_spareChunks : excess).push_back(std::move(chunk));
        batch.chunks.clear();
        std::swap(batch, m_pending);
    }

private:
    QMutex m_mutex;
    Batch m_pending;
    std::vector<std::vector<journal::Call>> m_spareChunks;
};

NativeCallsModel::NativeCallsModel(QObject* parent)
    : QAbstractTableModel(parent)
    , m_listener(std::make_unique<Listener>())
    , m_taken(std::make_unique<Batch>())
{
    // The rows are taken on a timer, not by a call queued from the listener: queuing one would wake
    // the GUI thread's event loop (a system call) for every edit.
    m_flushTimer.setInterval(kFlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &NativeCallsModel::flushPending);
}

NativeCallsModel::~NativeCallsModel()
{
    setListening(false);
}

void NativeCallsModel::setListening(bool listening)
{
    if (listening == m_listening)
        return;
    m_listening = listening;
    if (listening) {
        journal::addListener(m_listener.get());
        m_flushTimer.start();
    } else {
        journal::removeListener(m_listener.get());
        m_flushTimer.stop();
    }
}

void NativeCallsModel::setCountPageFaults(bool count)
{
    if (count == m_countFaults)
        return;
    m_countFaults = count;
    m_listener->m_countFaults = count;
    if (m_listening) {
        // The journal asks a listener once, when it is added.
        journal::removeListener(m_listener.get());
        journal::addListener(m_listener.get());
    }
}

int NativeCallsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int NativeCallsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant NativeCallsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Seq:
        return tr("Seq");
    case Time:
        return tr("Time");
    case Thread:
        return tr("Thread");
    case Action:
        return tr("Action");
    case Call:
        return tr("Call");
    case Result:
        return tr("Result");
    case Micros:
        return tr("µs");
    case Faults:
        return tr("Faults");
    default:
        return {};
    }
}

QVariant NativeCallsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()))
        return {};
    const Row& row = m_rows[std::size_t(index.row())];
    if (role == ActionIdRole)
        return row.actionId;
    if (role == IsActionRole)
        return row.isAction;
    if (row.isAction) {
        const auto found = m_actions.constFind(row.actionId);
        return found == m_actions.constEnd() ? QVariant() : actionData(*found, index.column(), role);
    }
    return callData(*row.call, index.column(), role);
}

QVariant NativeCallsModel::actionData(const ActionEntry& entry, int column, int role) const
{
    const journal::ActionInfo& info = entry.info;
    if (role == LineRole) {
        QString line = QStringLiteral("--- action %1: %2 ---").arg(info.id).arg(QString::fromStdString(info.label()));
        if (info.ended && info.faultsKnown)
            line += QStringLiteral(" (%1)").arg(QString::fromStdString(info.faultText()));
        return line;
    }
    if (role == Qt::FontRole) {
        QFont font;
        font.setBold(true);
        return font;
    }
    if (role == Qt::BackgroundRole)
        return QGuiApplication::palette().alternateBase();
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (column) {
    case Seq:
        return {};
    case Time:
        return timeText(info.startUs);
    case Thread:
        return QString::number(info.thread);
    case Action:
        return QString::fromStdString(info.label());
    case Call:
        return tr("%n call(s)", nullptr, entry.calls);
    case Micros:
        return info.ended ? microsText(info.durationNs) : QString();
    case Faults:
        return info.ended ? QString::fromStdString(info.faultText()) : QString();
    default:
        return {};
    }
}

QVariant NativeCallsModel::callData(journal::Call& call, int column, int role) const
{
    call.decode(); // formatted when first shown (nothing the second time)
    if (role == LineRole)
        return QString::fromStdString(call.straceLine());
    if (role == Qt::ToolTipRole)
        return QString::fromStdString(call.straceLine());
    if (role == Qt::ForegroundRole && call.failed && column == Result)
        return QGuiApplication::palette().link(); // stands out in light and dark themes
    if (role == Qt::TextAlignmentRole && (column == Seq || column == Micros))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case Seq:
        return QString::number(call.seq);
    case Time:
        return timeText(call.timeUs);
    case Thread:
        return QString::number(call.thread);
    case Action: {
        const auto found = m_actions.constFind(call.actionId);
        return found == m_actions.constEnd() ? QString() : QString::fromStdString(found->info.label());
    }
    case Call: {
        QString text = QString::fromStdString(call.callText());
        if (!call.via.empty())
            text += QStringLiteral("  /* %1 */").arg(QLatin1String(call.via.data(), qsizetype(call.via.size())));
        if (call.kind == journal::CallKind::MemoryStore)
            text += QStringLiteral("  /* %1 */").arg(tr("a store into the view, not a system call"));
        return text;
    }
    case Result:
        return QString::fromStdString(call.result);
    case Micros:
        return call.kind == journal::CallKind::MemoryStore ? QString() : microsText(call.durationNs);
    default:
        return {};
    }
}

void NativeCallsModel::addAction(const journal::ActionInfo& info)
{
    ActionEntry entry;
    entry.info = info;
    m_actions.insert(info.id, entry);
    const int at = int(m_rows.size());
    beginInsertRows(QModelIndex(), at, at);
    m_rows.push_back(Row { true, info.id, nullptr });
    endInsertRows();
}

void NativeCallsModel::flushPending()
{
    Batch& batch = *m_taken;
    batch.events.clear();
    batch.calls.clear();
    m_listener->take(batch);
    if (!m_listening)
        return;
    for (const Event& event : batch.events) {
        if (const auto* began = std::get_if<Began>(&event)) {
            addAction(began->info);
        } else if (const auto* ended = std::get_if<Ended>(&event)) {
            endAction(ended->info);
        } else if (const auto* adopted = std::get_if<Adopted>(&event)) {
            std::vector<journal::Call>& chunk = batch.chunks[adopted->chunk];
            for (std::size_t i = 0; i < adopted->count; ++i)
                addCall(std::move(chunk[i]));
        } else {
            const Calls& calls = std::get<Calls>(event);
            for (std::size_t i = calls.first; i < calls.first + calls.count; ++i)
                addCall(std::move(batch.calls[i]));
        }
    }
    trim();
}

void NativeCallsModel::endAction(const journal::ActionInfo& info)
{
    const auto found = m_actions.find(info.id);
    if (found == m_actions.end())
        return;
    found->info = info;
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (m_rows[std::size_t(row)].isAction && m_rows[std::size_t(row)].actionId == info.id) {
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
            break;
        }
    }
}

void NativeCallsModel::addCall(journal::Call&& recorded)
{
    if (recorded.actionId == 0 && !m_showBackground)
        return;
    const auto call = std::make_shared<journal::Call>(std::move(recorded));
    auto found = m_actions.find(call->actionId);
    if (found == m_actions.end()) {
        // Its action began before we listened (or there is none): a header all the same.
        journal::ActionInfo info;
        info.id = call->actionId;
        info.setLabel(call->actionId == 0 ? tr("(no user action)").toStdString()
                                          : tr("(begun before the journal was shown)").toStdString());
        info.thread = call->thread;
        info.startUs = call->timeUs;
        addAction(info);
        found = m_actions.find(call->actionId);
    }
    ++found->calls;
    m_calls.push_back(call);
    const int at = int(m_rows.size());
    beginInsertRows(QModelIndex(), at, at);
    m_rows.push_back(Row { false, call->actionId, call });
    endInsertRows();
}

void NativeCallsModel::trim()
{
    if (int(m_rows.size()) <= maxRows())
        return;
    const int drop = int(m_rows.size()) - maxRows() + maxRows() / 4;
    beginRemoveRows(QModelIndex(), 0, drop - 1);
    quint64 lastSeq = 0;
    for (int i = 0; i < drop; ++i) {
        if (m_rows.front().call)
            lastSeq = m_rows.front().call->seq;
        m_rows.pop_front();
    }
    while (!m_calls.empty() && m_calls.front()->seq <= lastSeq)
        m_calls.pop_front();
    endRemoveRows();
}

void NativeCallsModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_calls.clear();
    m_actions.clear();
    endResetModel();
}

QString NativeCallsModel::cProgram(quint64 actionId) const
{
    std::vector<journal::Call> calls;
    calls.reserve(m_calls.size());
    bool any = false;
    for (const auto& call : m_calls) {
        calls.push_back(*call);
        any = any || call->actionId == actionId;
    }
    if (!any)
        return {};
    journal::ActionLabels labels;
    for (auto entry = m_actions.cbegin(); entry != m_actions.cend(); ++entry)
        labels.emplace(entry.key(), entry->info.label());
    return QString::fromStdString(journal::cProgram(calls, actionId, labels).source);
}

} // namespace shmscope
