#pragma once

#include <QLabel>

namespace shmscope {

/// A one-line label that never makes its layout wider than the space it gets: a text that does not
/// fit is shortened with "…" (at the end, or where elideMode() says), and its tooltip then shows it
/// whole. Its minimum width is that of a few characters, its preferred width that of the whole text.
/// For status lines whose text can be long (an error message, a path): a plain QLabel's minimum
/// width is its text's, so one long message widens the window beyond the screen.
///
/// The text is shortened only while the label is shown (laid out): a hidden one holds it whole.
///
/// Set the text with setFullText() (not QLabel::setText(), which would be overwritten at the next
/// resize); fullText() returns it as set.
class ElidedLabel : public QLabel
{
    Q_OBJECT
public:
    explicit ElidedLabel(QWidget* parent = nullptr);
    /// A label showing `text` (see setFullText()).
    explicit ElidedLabel(const QString& text, QWidget* parent = nullptr);

    /// Shows `text`, shortened to the label's width when needed (plain text, one line).
    void setFullText(const QString& text);
    /// The text as set, never shortened.
    QString fullText() const { return m_fullText; }
    /// Where the "…" goes (Qt::ElideRight by default; Qt::ElideMiddle suits paths).
    void setElideMode(Qt::TextElideMode mode);
    Qt::TextElideMode elideMode() const { return m_elideMode; }
    /// True when the text shown is shortened.
    bool isElided() const { return text() != m_fullText; }

    /// The whole text's width (as QLabel::sizeHint()).
    QSize sizeHint() const override;
    /// A few characters wide: the layout may shrink the label that far, shortening the text.
    QSize minimumSizeHint() const override;

protected:
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void updateShownText();

    QString m_fullText;
    Qt::TextElideMode m_elideMode = Qt::ElideRight;
};

} // namespace shmscope
