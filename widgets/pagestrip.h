#pragma once

#include "core/pagemap.h"

#include <QColor>
#include <QPointer>
#include <QTimer>
#include <QWidget>

class QAction;

namespace shmscope {

class HexView;
class MappingByteSource;
class PageMapModel;

/// The page strip: one cell per page of this process's view, coloured by its state (core/pagemap.h),
/// beside the hex view. On top a summary of the whole view and the legend; the cells show exactly the
/// pages around the hex view's rows (all of them when they fit), with the pages the hex view shows
/// framed. The tooltip of a cell names the page, its state and which processes have it present (and
/// in which state). Clicking a cell moves the hex view there. Live: it re-reads after each write of
/// the source and at the hex view's poll interval; the hex view's offset column marks page boundaries.
class PageStrip : public QWidget
{
    Q_OBJECT
public:
    explicit PageStrip(QWidget* parent = nullptr);
    ~PageStrip() override;

    /// The hex view to follow (not owned): its source, scroll position and poll interval.
    void setHexView(HexView* view);
    /// The source to show (not owned; nullptr: nothing); usually the hex view's.
    void setSource(MappingByteSource* source);
    /// The model that reads the states (owned by the strip).
    PageMapModel* model() const { return m_model; }

    /// The colour of a page state in the cells and the legend.
    static QColor stateColor(PageState state);
    /// The short name of a state for the legend: "not present", "shared", "only this view", …
    static QString stateText(PageState state);
    /// A sentence on what a state means, for tooltips.
    static QString stateDescription(PageState state);
    /// The tooltip of page `page` (the object's page index), or an empty string outside the window.
    QString pageToolTip(quint64 page) const;
    /// The object's page index of the cell at `pos` (widget coordinates), or -1.
    qint64 pageAt(QPoint pos) const;
    /// The summary lines above the legend ("16 pages × 4 kB", "1 present", …), or the error that kept
    /// the pages from being read; empty without a source.
    QStringList summaryLines() const;
    /// Reads the states now (what the timer and the source's signals do).
    void refreshNow();
    /// The context menu's action that clears this process's soft-dirty marks (resetSoftDirty()), so
    /// that "written since the last reset" starts afresh; disabled, saying why, where the kernel does
    /// not track soft-dirty pages.
    QAction* resetWrittenAction() const { return m_resetWritten; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    int cellSize() const;
    int columns() const;
    int gridTop() const;
    quint64 capacity() const;
    void updateWindow();
    void scheduleRefresh();

    PageMapModel* m_model;
    QPointer<HexView> m_hexView;
    QPointer<MappingByteSource> m_source;
    QTimer m_pollTimer;
    QAction* m_resetWritten;
    bool m_refreshQueued = false;
};

} // namespace shmscope
