#pragma once

#include "widgets/fieldoverlay.h"

#include <QPointer>

namespace shmscope {

class StructureModel;

/// The FieldOverlay of a StructureModel: every innermost decoded field (a leaf, or an array element
/// that is a leaf) is one FieldSpan, coloured from a palette of kPaletteSize translucent colours the way
/// ImHex colours its patterns. A field's colour index is its parent's plus 1 plus its row (an array's
/// element i of k fields: plus 1 plus i·k), so that neighbours in a struct or array never share a
/// colour, and the same field keeps its colour when the values change.
///
/// spansIn() walks only the parts of the tree that intersect the range asked for: structs by their byte
/// ranges (instances, which may lie anywhere, always looked at), arrays by binary search, and lazy arrays
/// by arithmetic: element i of stride s starts at first + i·s, and the fields of an element are those of
/// element 0 shifted, so painting a page of a 100,000-element lazy array decodes one element.
/// Bit fields cover the bytes that hold their bits; where fields overlap (instances over seq fields,
/// bit fields sharing a byte), the first in offset order keeps the bytes.
///
/// spansChanged() follows StructureModel::decoded(): the whole range after a new layout, source, offset
/// or shape, else the bytes of the fields whose values changed.
class StructureOverlay : public FieldOverlay
{
    Q_OBJECT
public:
    /// Colours in the palette.
    static constexpr int kPaletteSize = 12;
    /// The alpha of every colour of the palette (out of 255).
    static constexpr int kAlpha = 80;

    /// An overlay of `model`'s tree (not owned; nullptr shows nothing).
    explicit StructureOverlay(StructureModel* model, QObject* parent = nullptr);

    void spansIn(quint64 begin, quint64 end, std::vector<FieldSpan>& out) const override;

    /// The colour of colour index `index` (taken modulo kPaletteSize): hues a golden angle apart, translucent.
    static QColor paletteColour(quint64 index);

private:
    QPointer<StructureModel> m_model;
};

} // namespace shmscope
