#include "widgets/cursorstatuslabel.h"

#include "widgets/bytesource.h"
#include "widgets/hexview.h"

#include <QLocale>

namespace shmscope {

CursorStatusLabel::CursorStatusLabel(QWidget* parent)
    : QLabel(parent)
{
    setTextFormat(Qt::PlainText);
    setToolTip(tr("Offset of the cursor in the hex view (hex and decimal) and the number of bytes selected"));
}

void CursorStatusLabel::setHexView(HexView* view)
{
    if (m_view)
        disconnect(m_view, nullptr, this, nullptr);
    m_view = view;
    if (m_view) {
        connect(m_view, &HexView::cursorMoved, this, &CursorStatusLabel::refresh);
        connect(m_view, &HexView::selectionChanged, this, &CursorStatusLabel::refresh);
    }
    refresh();
}

QString CursorStatusLabel::textFor(quint64 offset, quint64 selectionLength)
{
    const QString position = tr("Offset 0x%1 (%2)").arg(offset, 0, 16).arg(QLocale().toString(offset));
    if (selectionLength == 0)
        return position;
    return tr("%1, %2 byte(s) selected", nullptr, selectionLength > quint64(INT_MAX) ? INT_MAX : int(selectionLength))
        .arg(position, QLocale().toString(selectionLength));
}

void CursorStatusLabel::refresh()
{
    ByteSource* source = m_view ? m_view->source() : nullptr;
    if (!source) {
        clear();
        return;
    }
    const quint64 size = source->size();
    if (size != m_widthForSize) {
        // Wide enough for the last offset of the source: the field keeps its width while the cursor moves.
        m_widthForSize = size;
        setMinimumWidth(fontMetrics().horizontalAdvance(textFor(size == 0 ? 0 : size - 1, 0)) + 2 * margin()
                        + contentsMargins().left() + contentsMargins().right());
    }
    setText(textFor(m_view->cursorOffset(), m_view->hasSelection() ? m_view->selectionLength() : 0));
}

} // namespace shmscope
