#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <map>

class QTimer;

namespace shmscope {

/// A set of byte ranges kept merged: the ranges a receiver has been told about since it last
/// re-read. Overlapping and adjacent ranges become one; the list stays sorted by offset and holds
/// at most kMaxRanges ranges — past that, the two ranges with the smallest gap between them are
/// merged (which adds the gap's bytes: the union may grow, it never loses a byte). Pure, no Qt
/// objects, so it is unit-tested alone (tst_notificationbus).
class ChangedRanges
{
public:
    /// A range of bytes [offset, offset + length); bytes.
    struct Range {
        quint64 offset = 0;
        quint64 length = 0;
        friend bool operator==(const Range&, const Range&) = default;
    };
    /// Most ranges kept apart; chosen so that a flush emits a bounded number of signals while
    /// scattered small writes (e.g. a counter per page) are still re-read separately.
    static constexpr qsizetype kMaxRanges = 64;

    /// Adds [offset, offset + length); bytes. An empty range adds nothing; a range whose end
    /// would overflow 2^64 is clipped at 2^64 - 1 (the decoder never lets one through).
    void add(quint64 offset, quint64 length);
    /// The merged ranges, sorted by offset, pairwise disjoint and non-adjacent.
    const QList<Range>& ranges() const { return m_ranges; }
    /// Whether nothing was added since the last take().
    bool isEmpty() const { return m_ranges.isEmpty(); }
    /// Returns the merged ranges and empties the set.
    QList<Range> take();

private:
    QList<Range> m_ranges;
};

/// The receiving side's coalescing, shared by every NotificationBus backend (the QLocalSocket mesh,
/// the Windows broadcast): received changes are merged per sender into ChangedRanges and delivered
/// by changed() at most once per kIntervalMs — the first change after a quiet period as soon as the
/// receiver has handled what arrived with it (it calls deliverIfDue() at the end of each read, so
/// an isolated notice waits for no timer and everything of one read is merged), then at most once
/// per interval, by a timer, while changes keep coming. A writer making 10,000 small writes per
/// second thus makes a receiver re-read and repaint at display rate. Lives in the thread that owns
/// it; not thread-safe.
class ChangeCoalescer : public QObject
{
    Q_OBJECT
public:
    /// Shortest time between two deliveries (one display frame at 60 Hz); ms.
    static constexpr int kIntervalMs = 16;

    /// An idle coalescer (nothing pending).
    explicit ChangeCoalescer(QObject* parent = nullptr);

    /// Adds bytes [offset, offset + length) written by the process `senderPid` and schedules a
    /// delivery: due at once after a quiet period (see deliverIfDue()), else by a timer at the end of
    /// the interval. An empty range adds nothing.
    void add(quint64 offset, quint64 length, qint64 senderPid);

    /// Delivers the pending ranges if a delivery is due now (the first change after a quiet period).
    /// Call it when everything that arrived in one read has been add()ed. Returns false when a slot
    /// destroyed this coalescer meanwhile, as deliverNow().
    bool deliverIfDue() { return !m_due || deliverNow(); }

    /// Emits every pending range now (call it before an event that must follow them, such as a
    /// resize or a removal). Returns false when a slot connected to changed() destroyed this
    /// coalescer (or its parent) meanwhile: the caller must then return without touching it.
    bool deliverNow();

    /// Whether ranges wait for delivery.
    bool hasPending() const { return !m_pending.empty(); }

Q_SIGNALS:
    /// The process `senderPid` wrote bytes [offset, offset + length) (possibly more than it
    /// announced: merged neighbours, closed gaps); re-read them. Pending ranges of one sender are
    /// emitted in offset order, senders in pid order.
    void changed(quint64 offset, quint64 length, qint64 senderPid);

private:
    std::map<qint64, ChangedRanges> m_pending; ///< sender pid → ranges not yet delivered
    QTimer* m_timer = nullptr; ///< single shot: runs deliverNow() at the end of an interval
    bool m_due = false; ///< a delivery is due at the next deliverIfDue()
    QElapsedTimer m_sinceDelivery; ///< monotonic time since the last delivery (invalid before the first)
};

} // namespace shmscope
