#include "elidedlabel.h"

#include <QFontMetrics>
#include <QResizeEvent>

namespace shmscope {

ElidedLabel::ElidedLabel(QWidget* parent)
    : QLabel(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
}

void ElidedLabel::setFullText(const QString& text)
{
    m_fullText = text;
    setToolTip(text);
    elide();
    updateGeometry();
}

QSize ElidedLabel::sizeHint() const
{
    const QMargins margins = contentsMargins();
    return { fontMetrics().horizontalAdvance(m_fullText) + margins.left() + margins.right() + 2 * margin(),
             QLabel::sizeHint().height() };
}

QSize ElidedLabel::minimumSizeHint() const
{
    const QSize full = QLabel::minimumSizeHint();
    return { qMin(full.width(), fontMetrics().horizontalAdvance(QLatin1Char('x')) * 12), full.height() };
}

void ElidedLabel::resizeEvent(QResizeEvent* event)
{
    QLabel::resizeEvent(event);
    elide();
}

void ElidedLabel::elide()
{
    const int room = contentsRect().width();
    const QString shown = fontMetrics().horizontalAdvance(m_fullText) <= room
        ? m_fullText
        : fontMetrics().elidedText(m_fullText, Qt::ElideRight, room);
    if (shown != text())
        QLabel::setText(shown);
}

} // namespace shmscope
