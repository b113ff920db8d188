#pragma once

#include <QColor>
#include <QObject>
#include <vector>

namespace shmscope {

/// One run of bytes coloured under the hex view's cells: a field of a structure laid over the bytes.
struct FieldSpan {
    quint64 offset = 0; ///< first byte, in bytes from the start of the source
    quint64 length = 0; ///< number of bytes (> 0)
    QColor colour; ///< translucent fill (alpha < 255) painted under the field's hex and ASCII cells
};

/// What HexView asks while it paints: which bytes of the visible rows belong to which field, and in which
/// colour (the Structure panel's decoded fields, ImHex-style: one translucent colour per field).
///
/// The provider owns its fields; HexView keeps a QPointer (HexView::setFieldOverlay()) and asks only for
/// the rows it paints, so a provider with a lazily evaluated 100,000-element array computes the few
/// elements on screen and nothing else. Called on the GUI thread only.
class FieldOverlay : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    /// Appends to `out` the innermost fields that intersect [begin, end) (offsets in bytes, begin < end), in
    /// increasing offset order and not overlapping one another; bytes in no field get no span. `out` is not
    /// cleared (the caller reuses its capacity). Must be fast: it runs inside every paint of the hex view.
    virtual void spansIn(quint64 begin, quint64 end, std::vector<FieldSpan>& out) const = 0;

Q_SIGNALS:
    /// The fields or their colours changed in [offset, offset + length) (bytes): the view repaints those
    /// bytes' cells. A length of 0 means everything (a new layout, a new base offset).
    void spansChanged(quint64 offset, quint64 length);
};

} // namespace shmscope
