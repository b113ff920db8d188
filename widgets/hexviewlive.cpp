// HexView's live tracking: the poll timer and its rate, the snapshot of the visible rows, re-reads on
// the source's signals, and the change highlights that fade out.

#include "widgets/bytesource.h"
#include "widgets/changesoverview.h"
#include "widgets/hexview.h"
#include "widgets/hexviewaccessible.h"
#include "widgets/hexviewdetail.h"

#include <QAction>
#include <QActionGroup>
#include <QMenu>
#include <QUndoStack>
#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

namespace shmscope {

using namespace hexviewdetail;

void HexView::setPollRate(int hz)
{
    if (hz <= 0) {
        m_pollRate = 0;
        setPollInterval(0);
        m_pollRate = 0;
        return;
    }
    hz = std::min(hz, kMaxPollRate);
    setPollInterval(std::max(1, qRound(1000.0 / hz)));
    m_pollRate = hz; // exactly what was asked (60 Hz is 17 ms, which maps back to 59 Hz)
}

int HexView::pollRate() const
{
    return m_pollRate;
}

QMenu* HexView::createPollRateMenu(QWidget* parent)
{
    auto* menu = new QMenu(tr("&Poll Rate"), parent);
    auto* group = new QActionGroup(menu);
    group->setExclusive(true);
    for (const int hz : { 0, 1, 2, 5, 10, 20, 30, 60 }) {
        QAction* action = menu->addAction(hz == 0 ? tr("&Off") : tr("%1 Hz").arg(hz));
        action->setObjectName(QStringLiteral("pollRate%1").arg(hz));
        action->setCheckable(true);
        action->setChecked(hz == m_pollRate);
        group->addAction(action);
        connect(action, &QAction::triggered, this, [this, hz] { setPollRate(hz); });
    }
    return menu;
}

void HexView::setPollInterval(int ms)
{
    const bool changed = ms != m_pollInterval;
    m_pollInterval = ms;
    m_pollRate = ms > 0 ? std::max(1, qRound(1000.0 / ms)) : 0;
    if (ms > 0)
        m_pollTimer.setInterval(ms);
    updatePollTimer(isVisible());
    if (changed)
        Q_EMIT pollIntervalChanged(ms);
}

void HexView::setHighlightDuration(int ms)
{
    m_highlightDuration = std::max(1, ms);
}

HexView::HighlightKind HexView::highlightKind(quint64 offset) const
{
    const auto it = m_highlights.constFind(offset);
    if (it == m_highlights.constEnd() || m_clock.elapsed() - it->since >= m_highlightDuration)
        return HighlightKind::None;
    return it->kind;
}

// ---- reading, polling, highlights ----------------------------------------------------------------

qint64 HexView::readPrefix(quint64 offset, char* out, qint64 length) const
{
    if (length <= 0 || !m_source)
        return 0;
    if (m_source->read(offset, out, length))
        return length;
    // The range is not wholly readable (the object shrank under us). What is readable is a prefix, so
    // find its length by bisection: a dozen small reads for a page, instead of one per byte.
    qint64 good = 0;
    qint64 bad = length;
    while (bad - good > 1) {
        const qint64 mid = good + (bad - good) / 2;
        if (m_source->read(offset, out, mid))
            good = mid;
        else
            bad = mid;
    }
    if (good > 0 && !m_source->read(offset, out, good))
        return 0;
    return good;
}

void HexView::refreshSnapshot()
{
    // Called whenever the visible rows change (and on every poll): keep the strip's outline in step.
    m_overview->setViewRange(m_topRow * quint64(m_bytesPerRow),
                             quint64(std::max(0, visibleRowCount())) * quint64(m_bytesPerRow));
    const quint64 rows = rowCount();
    if (!m_source || rows == 0) {
        m_snapStart = 0;
        m_snapData.clear();
        m_snapReadable = 0;
        m_snapValid = m_source != nullptr;
        return;
    }
    const quint64 size = sourceSize();
    const quint64 firstRow = m_topRow > quint64(kPollMarginRows) ? m_topRow - kPollMarginRows : 0;
    const quint64 endRow = std::min(rows, m_topRow + quint64(visibleRowCount()) + kPollMarginRows);
    const quint64 start = firstRow * m_bytesPerRow;
    const quint64 end = endRow >= rows ? size : endRow * m_bytesPerRow; // no overflow for sizes near 2^64
    const qint64 length = end > start ? qint64(end - start) : 0;

    QByteArray data(length, '\0');
    const qint64 readable = readPrefix(start, data.data(), length);

    if (m_snapValid) {
        // Compare only the bytes both reads saw: rows that just scrolled in have no earlier value.
        const quint64 overlapStart = std::max(start, m_snapStart);
        const quint64 overlapEnd = std::min(start + quint64(readable), m_snapStart + quint64(m_snapReadable));
        if (overlapStart < overlapEnd) {
            const char* now = data.constData() + (overlapStart - start);
            const char* before = m_snapData.constData() + (overlapStart - m_snapStart);
            const quint64 n = overlapEnd - overlapStart;
            if (std::memcmp(now, before, n) != 0) {
                // Repaint runs of changed bytes, not whole rows: a poll that finds 10% of a page changed
                // then repaints about 10% of it.
                quint64 i = 0;
                while (i < n) {
                    if (now[i] == before[i]) {
                        ++i;
                        continue;
                    }
                    const quint64 runStart = i;
                    while (i < n && now[i] != before[i]) {
                        addHighlight(overlapStart + i, HighlightKind::External);
                        ++i;
                    }
                    updateBytes(overlapStart + runStart, overlapStart + i - 1);
                }
                notifyHexViewBytesChanged(this, overlapStart, overlapEnd - 1); // e.g. another process wrote
            }
        }
        // Bytes that became unreadable (or readable again) change how whole rows look.
        const quint64 oldEnd = m_snapStart + quint64(m_snapReadable);
        const quint64 newEnd = start + quint64(readable);
        if (oldEnd != newEnd && oldEnd >= start && newEnd >= m_snapStart)
            viewport()->update();
    }
    m_snapStart = start;
    m_snapData = data;
    m_snapReadable = readable;
    m_snapValid = true;
}

void HexView::rereadRange(quint64 offset, quint64 length, HighlightKind kind)
{
    if (!m_source || !m_snapValid || length == 0)
        return;
    const quint64 snapEnd = m_snapStart + quint64(m_snapData.size());
    const quint64 start = std::max(offset, m_snapStart);
    const quint64 end = std::min(saturatingAdd(offset, length), snapEnd);
    if (start >= end)
        return; // not on screen: read it when it scrolls in
    const qint64 n = qint64(end - start);
    QByteArray buf(n, '\0');
    const qint64 got = readPrefix(start, buf.data(), n);
    if (got < n || start > m_snapStart + quint64(m_snapReadable)) {
        // Part of the range cannot be read (the object shrank) or lies past what was readable before:
        // start over with the whole window.
        refreshSnapshot();
        viewport()->update();
        return;
    }
    char* snap = m_snapData.data() + (start - m_snapStart);
    for (qint64 i = 0; i < n; ++i) {
        // Our own writes are marked even when the value did not change: the user sees the write land.
        if (kind == HighlightKind::Own || snap[i] != buf[i])
            addHighlight(start + quint64(i), kind);
    }
    std::memcpy(snap, buf.constData(), size_t(n));
    m_snapReadable = std::max(m_snapReadable, qint64(end - m_snapStart));
    updateBytes(start, end - 1);
    notifyHexViewBytesChanged(this, start, end - 1);
}

void HexView::onSourceContentsChanged(quint64 offset, quint64 length)
{
    rereadRange(offset, length, HighlightKind::External);
}

void HexView::onSourceBytesWritten(quint64 offset, quint64 length)
{
    rereadRange(offset, length, HighlightKind::Own);
}

void HexView::onSourceSizeChanged(quint64 newSize)
{
    Q_UNUSED(newSize)
    relayout(); // offset digits, scroll range, clamps the top row
    if (m_cursor >= sourceSize() && m_cursor != 0)
        moveCursorTo(m_cursor, 0); // clamps to the new last byte and emits cursorMoved()
    if (m_selectionActive)
        setSelectionState(true, m_anchor); // clamps the anchor; clears the selection when nothing is left
    refreshSnapshot();
    viewport()->update();
    notifyHexViewBytesChanged(this, 0, std::numeric_limits<quint64>::max()); // the cursor's row may be shorter
}

void HexView::onSourceDestroyed()
{
    // m_source (a QPointer) is already null here. The scanner was joined at aboutToBeDestroyed(), while
    // the source was whole (a source that does not emit it: too late; the header asks to detach first).
    m_overview->setSource(nullptr);
    m_undoStack->clear();
    m_runOpen = false;
    m_selectionActive = false;
    m_shownSelectionStart = 0;
    m_shownSelectionLength = 0;
    m_highlights.clear();
    m_fadeTimer.stop();
    m_pollTimer.stop();
    m_snapValid = false;
    m_snapData.clear();
    m_snapReadable = 0;
    m_cursor = 0;
    m_topRow = 0;
    relayout();
    notifyHexViewBytesChanged(this, 0, std::numeric_limits<quint64>::max()); // nothing under the cursor now
}

void HexView::pollNow()
{
    poll();
}

void HexView::poll()
{
    if (!m_source)
        return;
    m_source->refresh(); // may emit sizeChanged() → onSourceSizeChanged()
    refreshSnapshot();
}

void HexView::addHighlight(quint64 offset, HighlightKind kind)
{
    m_highlights.insert(offset, Highlight { m_clock.elapsed(), kind });
    if (!m_fadeTimer.isActive())
        m_fadeTimer.start();
}

void HexView::onFadeTick()
{
    // Each tick repaints only the cells that still fade (and once more those whose fade just ended),
    // collected per visible row as a mask of columns.
    const qint64 now = m_clock.elapsed();
    const int slotCount = visibleRowCount();
    std::vector<quint64> dirty(size_t(std::max(0, slotCount)), 0);
    for (auto it = m_highlights.begin(); it != m_highlights.end();) {
        const quint64 row = it.key() / m_bytesPerRow;
        if (row >= m_topRow && row - m_topRow < quint64(slotCount))
            dirty[size_t(row - m_topRow)] |= quint64(1) << (it.key() % m_bytesPerRow);
        if (now - it->since >= m_highlightDuration)
            it = m_highlights.erase(it);
        else
            ++it;
    }
    for (int i = 0; i < slotCount; ++i) {
        if (dirty[size_t(i)])
            updateByteRuns(m_topRow + quint64(i), dirty[size_t(i)]);
    }
    if (m_highlights.isEmpty())
        m_fadeTimer.stop(); // the animation runs only while something fades
}

void HexView::updatePollTimer(bool visible)
{
    if (m_source && visible && m_pollInterval > 0)
        m_pollTimer.start(m_pollInterval);
    else
        m_pollTimer.stop();
}

} // namespace shmscope
