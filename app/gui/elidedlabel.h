#pragma once

#include <QLabel>

namespace shmscope {

/// A one-line QLabel for the status bar that never asks for more room than it gets: its text is
/// elided at the right ("…") to the width it has, and the full text is its tool tip. The minimum
/// width is a few characters, the size hint the whole text.
class ElidedLabel : public QLabel
{
    Q_OBJECT
public:
    explicit ElidedLabel(QWidget* parent = nullptr);

    /// Sets the text shown (elided when needed) and the tool tip (always the whole text).
    void setFullText(const QString& text);
    /// The whole text, as set by setFullText().
    QString fullText() const { return m_fullText; }

    /// The size of the whole text (what the label would like).
    QSize sizeHint() const override;
    /// A few characters wide: less than that and nothing useful is left.
    QSize minimumSizeHint() const override;

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void elide();

    QString m_fullText;
};

} // namespace shmscope
