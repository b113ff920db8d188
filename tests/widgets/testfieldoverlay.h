#pragma once

// A FieldOverlay for tests and benchmarks (tst_hexviewoverlay, hexview_bench): fields kept in a vector
// sorted by offset and found by binary search, as a provider over a decoded layout would; it records
// every spansIn() call so that tests can check what the view asked for.

#include "widgets/fieldoverlay.h"

#include <QColor>
#include <algorithm>
#include <utility>
#include <vector>

namespace shmscope {

class TestFieldOverlay : public FieldOverlay
{
public:
    using FieldOverlay::FieldOverlay;

    /// Replaces the fields (sorted by offset, not overlapping) and emits spansChanged(0, 0).
    void setSpans(std::vector<FieldSpan> spans)
    {
        m_spans = std::move(spans);
        Q_EMIT spansChanged(0, 0);
    }

    /// Recolours the field at index `index` and emits spansChanged() for its bytes only.
    void setColour(size_t index, const QColor& colour)
    {
        m_spans.at(index).colour = colour;
        Q_EMIT spansChanged(m_spans[index].offset, m_spans[index].length);
    }

    /// `count` consecutive fields of `width` bytes from `offset`, cycling through `colours`.
    static std::vector<FieldSpan> tiles(quint64 offset, quint64 width, size_t count, const std::vector<QColor>& colours)
    {
        std::vector<FieldSpan> spans;
        spans.reserve(count);
        for (size_t i = 0; i < count; ++i)
            spans.push_back(FieldSpan { offset + i * width, width, colours[i % colours.size()] });
        return spans;
    }

    void spansIn(quint64 begin, quint64 end, std::vector<FieldSpan>& out) const override
    {
        calls.emplace_back(begin, end);
        // The first field that ends after `begin`, then every one that starts before `end`.
        auto it = std::upper_bound(m_spans.begin(), m_spans.end(), begin,
                                   [](quint64 at, const FieldSpan& span) { return at < span.offset + span.length; });
        for (; it != m_spans.end() && it->offset < end; ++it)
            out.push_back(*it);
    }

    /// The [begin, end) ranges spansIn() was asked for, oldest first (the caller may clear it).
    mutable std::vector<std::pair<quint64, quint64>> calls;

private:
    std::vector<FieldSpan> m_spans;
};

} // namespace shmscope
