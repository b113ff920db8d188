#include "changecoalescer.h"

#include <QPointer>
#include <QTimer>
#include <algorithm>
#include <limits>
#include <utility>

namespace shmscope {

void ChangedRanges::add(quint64 offset, quint64 length)
{
    if (length == 0)
        return;
    const quint64 maxLength = std::numeric_limits<quint64>::max() - offset;
    quint64 end = offset + qMin(length, maxLength);

    // The list is sorted and its ranges neither overlap nor touch. The new range absorbs every range
    // it overlaps or touches: those form one run [first, last) in the list.
    auto first = std::lower_bound(m_ranges.begin(), m_ranges.end(), offset, [](const Range& range, quint64 value) {
        return range.offset + range.length < value;
    });
    auto last = first;
    while (last != m_ranges.end() && last->offset <= end) {
        offset = qMin(offset, last->offset);
        end = qMax(end, last->offset + last->length);
        ++last;
    }
    first = m_ranges.erase(first, last);
    m_ranges.insert(first, Range { offset, end - offset });

    // Too many scattered ranges: close the smallest gap. Re-reading the gap's bytes costs less than
    // one more signal (each is a re-read and a repaint), and the list stays bounded however hostile
    // the pattern of writes.
    while (m_ranges.size() > kMaxRanges) {
        qsizetype best = 0;
        quint64 bestGap = std::numeric_limits<quint64>::max();
        for (qsizetype i = 0; i + 1 < m_ranges.size(); ++i) {
            const quint64 gap = m_ranges.at(i + 1).offset - (m_ranges.at(i).offset + m_ranges.at(i).length);
            if (gap < bestGap) {
                bestGap = gap;
                best = i;
            }
        }
        const Range next = m_ranges.at(best + 1);
        m_ranges[best].length = next.offset + next.length - m_ranges.at(best).offset;
        m_ranges.removeAt(best + 1);
    }
}

QList<ChangedRanges::Range> ChangedRanges::take()
{
    return std::exchange(m_ranges, {});
}

ChangeCoalescer::ChangeCoalescer(QObject* parent)
    : QObject(parent)
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &ChangeCoalescer::deliverNow);
}

void ChangeCoalescer::add(quint64 offset, quint64 length, qint64 senderPid)
{
    if (length == 0)
        return;
    m_pending[senderPid].add(offset, length);
    if (m_due || m_timer->isActive())
        return;
    // After a quiet period the delivery is due at once, when the receiver has handled the read that
    // brought this change: every change of that read is merged into it, and an isolated notice waits
    // for nothing (no timer, no further turn of the event loop). While changes keep coming, at most
    // one delivery per interval: a receiver then re-reads and repaints at display rate whatever the
    // writer's rate.
    qint64 wait = 0;
    if (m_sinceDelivery.isValid())
        wait = qMax<qint64>(0, kIntervalMs - m_sinceDelivery.elapsed());
    if (wait == 0)
        m_due = true;
    else
        m_timer->start(static_cast<int>(wait));
}

bool ChangeCoalescer::deliverNow()
{
    m_timer->stop();
    m_due = false;
    if (m_pending.empty())
        return true;
    m_sinceDelivery.start();
    // Taken out first: a slot may add (a nested event loop) or delete the coalescer.
    const std::map<qint64, ChangedRanges> pending = std::exchange(m_pending, {});
    QPointer<ChangeCoalescer> guard(this);
    for (const auto& [pid, ranges] : pending) {
        for (const ChangedRanges::Range& range : ranges.ranges()) {
            Q_EMIT changed(range.offset, range.length, pid);
            if (!guard)
                return false;
        }
    }
    return true;
}

} // namespace shmscope
