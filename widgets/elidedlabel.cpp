#include "widgets/elidedlabel.h"

#include <QEvent>
#include <QFontMetrics>
#include <QStyle>
#include <QtMath>

namespace shmscope {

namespace {
// What the label keeps of a long text at its minimum width: a few characters and the ellipsis.
constexpr int kMinimumCharacters = 6;
} // namespace

ElidedLabel::ElidedLabel(QWidget* parent)
    : QLabel(parent)
{
    setTextFormat(Qt::PlainText);
    setWordWrap(false);
    // Grows to the whole text when there is room, shrinks (shortening it) when there is not.
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
}

ElidedLabel::ElidedLabel(const QString& text, QWidget* parent)
    : ElidedLabel(parent)
{
    setFullText(text);
}

void ElidedLabel::setFullText(const QString& text)
{
    if (text == m_fullText)
        return;
    m_fullText = text;
    updateShownText();
    updateGeometry();
}

void ElidedLabel::setElideMode(Qt::TextElideMode mode)
{
    m_elideMode = mode;
    updateShownText();
}

QSize ElidedLabel::sizeHint() const
{
    const QMargins margins = contentsMargins();
    // Rounded up, and a pixel more: elidedText() measures with fractional advances, and a label exactly
    // the rounded width would shorten its own whole text.
    const int text = qCeil(QFontMetricsF(font()).horizontalAdvance(m_fullText)) + 1;
    const int width = text + 2 * margin() + margins.left() + margins.right() + 2 * frameWidth();
    return { width, QLabel::sizeHint().height() };
}

QSize ElidedLabel::minimumSizeHint() const
{
    const QMargins margins = contentsMargins();
    const int shortest = fontMetrics().horizontalAdvance(QLatin1Char('x')) * kMinimumCharacters
        + fontMetrics().horizontalAdvance(QStringLiteral("…"));
    const int width
        = qMin(sizeHint().width(), shortest + 2 * margin() + margins.left() + margins.right() + 2 * frameWidth());
    return { width, QLabel::minimumSizeHint().height() };
}

void ElidedLabel::resizeEvent(QResizeEvent* event)
{
    QLabel::resizeEvent(event);
    updateShownText();
}

void ElidedLabel::changeEvent(QEvent* event)
{
    QLabel::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        updateShownText();
}

void ElidedLabel::showEvent(QShowEvent* event)
{
    QLabel::showEvent(event);
    updateShownText();
}

void ElidedLabel::updateShownText()
{
    // Shortened only on screen: a hidden label (not laid out yet) keeps the whole text.
    if (!isVisible()) {
        QLabel::setText(m_fullText);
        setToolTip(QString());
        return;
    }
    const int available = contentsRect().width() - 2 * margin();
    const QString shown = fontMetrics().elidedText(m_fullText, m_elideMode, qMax(0, available));
    QLabel::setText(shown);
    setToolTip(shown == m_fullText ? QString() : m_fullText);
}

} // namespace shmscope
