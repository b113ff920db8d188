#pragma once

#include "widgets/changescanner.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>
#include <vector>

class QMenu;

namespace shmscope {

class ByteSource;

/// The changes overview: a narrow vertical strip (HexView puts it between its viewport and its
/// scrollbar) that shows where in the WHOLE source bytes changed recently. Top is offset 0, bottom the
/// end; a change lights its part of the strip, which fades out over fadeDuration(). The bytes the
/// view shows are outlined. A click (or drag) emits offsetClicked() with the offset under the mouse.
///
/// The changes come from an owned ChangeScanner (a worker thread hashing the source block by block).
/// Memory is constant: the strip keeps the time of the last change for kBuckets equal parts of the
/// source (each at least one byte), whatever its size.
class ChangesOverview : public QWidget
{
    Q_OBJECT
public:
    /// How many parts the source is cut into for the marks (each part is one 8-byte time stamp).
    static constexpr int kBuckets = 4096;
    /// The strip's width in device-independent pixels.
    static constexpr int kStripWidth = 12;

    /// An empty strip (no source: nothing is scanned).
    explicit ChangesOverview(QWidget* parent = nullptr);
    ~ChangesOverview() override;

    /// Scans and shows `source` (not owned; the ChangeScanner's lifetime rule applies: it must outlive
    /// the strip or be detached first with setSource(nullptr)). Forgets all marks.
    void setSource(ByteSource* source);
    /// The owned scanner (never null): pause it, tune its pass interval, listen to its signals.
    ChangeScanner* scanner() const { return m_scanner; }

    /// Sets how long, in ms, a change stays marked while its mark fades (minimum 1; default 2000 — twice
    /// the hex view's highlight, since a pass over a large source takes a while to come round again).
    void setFadeDuration(int ms);
    /// The fade duration in ms.
    int fadeDuration() const { return m_fadeDuration; }

    /// Tells the strip which bytes the view shows: `length` bytes from `offset` (outlined).
    void setViewRange(quint64 offset, quint64 length);

    /// True while the part of the source holding `offset` is marked as changed (not faded yet).
    bool isMarked(quint64 offset) const;
    /// How many parts of the source are marked now.
    int markCount() const;
    /// Marks the byte ranges (offset, length) that differ from a snapshot or another object (issue 12):
    /// unlike the change marks they do not fade, and are drawn in their own colour (the palette's Link
    /// colour) until replaced or cleared with an empty list. Memory: one flag per part (kBuckets).
    void setDiffRanges(const QList<QPair<quint64, quint64>>& ranges);
    /// True when the part of the source holding `offset` holds a difference set by setDiffRanges().
    bool isDiffMarked(quint64 offset) const;
    /// How many parts hold differences.
    int diffMarkCount() const { return m_diffMarked; }

    /// The offset shown at strip coordinate `y` (pixels from the top, clamped to the strip), 0 without a
    /// source.
    quint64 offsetAt(int y) const;
    /// The strip coordinate (pixels from the top) where `offset` is drawn.
    int yForOffset(quint64 offset) const;

    /// A new menu (caller owns it; parent `parent`) with the checkable action "Pause Change Scan" (object
    /// name pauseScan) bound to scanner()->setPaused().
    QMenu* createContextMenu(QWidget* parent = nullptr);

    /// kStripWidth wide, any height.
    QSize sizeHint() const override;

Q_SIGNALS:
    /// The user clicked (or dragged over) the strip at the part showing `offset`.
    void offsetClicked(quint64 offset);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    void onChangesFound(const QList<ChangeScanner::Range>& ranges);
    void onSourceSizeChanged(quint64 newSize);
    void onFadeTick();
    quint64 sourceSize() const;
    quint64 bucketBytes() const;
    void resetBuckets();

    ChangeScanner* m_scanner = nullptr;
    quint64 m_size = 0; // the source's size as the strip last saw it
    std::vector<qint64> m_changedAt; // per bucket: m_clock time of the last change, ms; -1 none
    int m_marked = 0; // buckets with m_changedAt >= 0
    std::vector<bool> m_diffBucket; // per bucket: holds a difference (setDiffRanges())
    int m_diffMarked = 0;
    QElapsedTimer m_clock;
    QTimer m_fadeTimer;
    int m_fadeDuration = 2000;
    quint64 m_viewOffset = 0;
    quint64 m_viewLength = 0;
};

} // namespace shmscope
