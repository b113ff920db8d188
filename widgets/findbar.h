#pragma once

#include "widgets/bytesearch.h"

#include <QPointer>
#include <QWidget>

class QComboBox;
class QLineEdit;
class QProgressBar;
class QToolButton;

namespace shmscope {

class ElidedLabel;
class HexView;

/// The find bar shown under a HexView: a pattern field, its encoding (hex bytes, UTF-8 text, UTF-16LE
/// text), Previous / Next, and while a search runs a progress bar and a Cancel button. The search runs
/// in a ByteSearch worker over the view's source and wraps around the ends; a match is selected in the
/// view (HexView::setSelection(), which also scrolls to it).
///
/// The bar never asks for more width than its controls need: a long status (an error quoting the
/// pattern) is shortened with "…" and shown whole in its tooltip, so opening Find or a long message
/// never widens the window.
///
/// Keys in the bar: Enter finds the next match, Shift+Enter the previous one, Escape cancels a running
/// search or, when none runs, hides the bar and gives the focus back to the view. The app binds F3 /
/// Shift+F3 (QKeySequence::FindNext/FindPrevious) to findNext() / findPrevious().
class FindBar : public QWidget
{
    Q_OBJECT
public:
    /// A hidden-state-agnostic bar without a view; call setHexView().
    explicit FindBar(QWidget* parent = nullptr);
    /// Cancels a running search (waiting for its worker).
    ~FindBar() override;

    /// Searches in `view`'s source and selects matches there (not owned; watched through QPointer).
    /// Cancels a running search.
    void setHexView(HexView* view);
    /// Shows the bar, focuses the pattern field and selects its text.
    void activate();
    /// Sets the pattern text and its encoding (as if typed and chosen).
    void setPattern(const QString& text, ByteSearch::Encoding encoding);
    /// The pattern text as typed.
    QString patternText() const;
    /// The encoding chosen.
    ByteSearch::Encoding encoding() const;

    /// Starts a search for the next match: forward from just after the start of the selection, or from
    /// the cursor without one, wrapping at the end. False (with the reason shown in the bar) when the
    /// pattern does not parse or there is no source.
    bool findNext();
    /// Starts a search for the previous match: backward from the start of the selection (or the
    /// cursor), wrapping at the start. False as for findNext().
    bool findPrevious();
    /// Cancels a running search (waits at most one chunk's read for the worker). Call it before the
    /// view's source is destroyed.
    void cancel();
    /// True while a search runs.
    bool isSearching() const { return m_search->isRunning(); }
    /// The one-line status shown in the bar ("Found at 0x10", "Not found", an error...), whole (the bar
    /// may show it shortened).
    QString statusText() const;
    /// The search worker (owned by the bar), e.g. to watch its signals.
    ByteSearch* search() const { return m_search; }

Q_SIGNALS:
    /// A match was found and selected in the view.
    void matchSelected(quint64 offset, quint64 length);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    bool startSearch(ByteSearch::Direction direction);
    void setRunning(bool running);
    void showStatus(const QString& text, bool error = false);

    QPointer<HexView> m_view;
    ByteSearch* m_search = nullptr;
    QLineEdit* m_edit = nullptr;
    QComboBox* m_encoding = nullptr;
    QToolButton* m_previous = nullptr;
    QToolButton* m_next = nullptr;
    QProgressBar* m_progress = nullptr;
    QToolButton* m_cancel = nullptr;
    ElidedLabel* m_status = nullptr; ///< shortened to the room there is: a long message never widens the bar
    QToolButton* m_close = nullptr;
};

} // namespace shmscope
