// StructureOverlay: the decoded fields of a StructureModel as coloured byte spans (see structureoverlay.h).
#include "structureoverlay.h"

#include "structuremodel.h"
#include "structures/decoder.h"

#include <algorithm>
#include <cmath>

namespace shmscope {

namespace {

using structures::Node;

// A field found: its bytes and its colour index.
struct Span {
    quint64 offset;
    quint64 length;
    quint64 colour;
};

struct Walk {
    quint64 begin;
    quint64 end;
    std::vector<Span>& out;

    bool intersects(quint64 s, quint64 l) const { return l > 0 && s < end && s + l > begin; }

    // The number of colour steps an element of `array` takes (its fields, or 1 for a leaf).
    static quint64 elementWidth(Node& array)
    {
        const Node* first = array.childCount() > 0 ? array.child(0) : nullptr;
        return first && first->childCount() > 0 ? first->childCount() : 1;
    }

    void node(Node& n, quint64 colour)
    {
        const auto [s, l] = StructureModel::byteRange(n);
        switch (n.kind()) {
        case Node::Kind::Struct: {
            const bool hasInstances = n.structType() && !n.structType()->instances.empty();
            if (!hasInstances && !intersects(s, l))
                return;
            const std::size_t count = n.childCount();
            const std::size_t seq = n.seqCount();
            for (std::size_t i = 0; i < count; ++i) {
                if (i < seq && hasInstances && !intersects(s, l))
                    continue; // the seq lies in the struct's range; instances may lie anywhere
                if (Node* c = n.child(i))
                    node(*c, colour + 1 + i);
            }
            return;
        }
        case Node::Kind::Array:
            if (intersects(s, l))
                array(n, colour);
            return;
        case Node::Kind::None:
            return;
        default:
            if (intersects(s, l))
                out.push_back({ s, l, colour });
            return;
        }
    }

    void array(Node& n, quint64 colour)
    {
        const std::size_t count = n.childCount();
        if (count == 0)
            return;
        const quint64 width = elementWidth(n);
        if (n.isLazy()) {
            // Fixed stride: element i is element 0 shifted by i strides.
            Node* first = n.child(0);
            if (!first || first->size() == 0)
                return;
            const quint64 stride = first->size();
            const quint64 base = first->offset();
            std::vector<Span> shape; // element 0's fields, with colour indices relative to it
            Walk inner { base, base + stride, shape };
            inner.node(*first, 0);
            const quint64 from = begin > base ? (begin - base) / stride : 0;
            const quint64 to = std::min<quint64>(count, end > base ? (end - base + stride - 1) / stride : 0);
            for (quint64 i = from; i < to; ++i) {
                if (i + 1 == count && i > 0) {
                    // The last element may have failed (it crossed the end): use its own node.
                    if (Node* last = n.child(std::size_t(i)))
                        node(*last, colour + 1 + i * width);
                    continue;
                }
                const quint64 shift = i * stride;
                const quint64 step = colour + 1 + i * width;
                for (const Span& f : shape)
                    out.push_back({ f.offset + shift, f.length, step + f.colour });
            }
            return;
        }
        // Elements lie in increasing offsets: find the first that ends after `begin`.
        std::size_t lo = 0, hi = count;
        while (lo < hi) {
            const std::size_t mid = lo + (hi - lo) / 2;
            const Node* m = n.child(mid);
            const auto [ms, ml] = m ? StructureModel::byteRange(*m) : std::pair<quint64, quint64> { 0, 0 };
            if (ms + ml <= begin)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (std::size_t i = lo; i < count; ++i) {
            Node* c = n.child(i);
            if (!c)
                break;
            if (StructureModel::byteRange(*c).first >= end)
                break;
            node(*c, colour + 1 + i * width);
        }
    }
};

} // namespace

StructureOverlay::StructureOverlay(StructureModel* model, QObject* parent)
    : FieldOverlay(parent)
    , m_model(model)
{
    if (model)
        connect(model, &StructureModel::decoded, this, [this](bool reset, quint64 begin, quint64 end) {
            if (reset)
                Q_EMIT spansChanged(0, 0);
            else if (end > begin)
                Q_EMIT spansChanged(begin, end - begin);
        });
}

QColor StructureOverlay::paletteColour(quint64 index)
{
    const int step = int(index % kPaletteSize);
    // Hues a golden angle (137.5°) apart: consecutive indices far apart on the colour wheel.
    const int hue = int(std::lround(step * 137.508)) % 360;
    return QColor::fromHsv(hue, 170, 235, kAlpha);
}

void StructureOverlay::spansIn(quint64 begin, quint64 end, std::vector<FieldSpan>& out) const
{
    if (!m_model || !m_model->tree() || begin >= end)
        return;
    std::vector<Span> found;
    Walk walk { begin, end, found };
    walk.node(m_model->tree()->root(), 0);
    std::stable_sort(found.begin(), found.end(), [](const Span& a, const Span& b) { return a.offset < b.offset; });
    quint64 covered = 0; // the end of the last span appended
    bool any = false;
    for (Span span : found) {
        if (any && span.offset < covered) {
            if (span.offset + span.length <= covered)
                continue;
            span.length -= covered - span.offset;
            span.offset = covered;
        }
        out.push_back({ span.offset, span.length, paletteColour(span.colour) });
        covered = span.offset + span.length;
        any = true;
    }
}

} // namespace shmscope
