#include "widgets/changesoverview.h"

#include "widgets/bytesource.h"

#include <QAction>
#include <QContextMenuEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>

namespace shmscope {

namespace {
// Fade animation step (ms): smooth enough for a thin strip, cheap (the strip is a few hundred pixels).
constexpr int kFadeTickMs = 50;
} // namespace

ChangesOverview::ChangesOverview(QWidget* parent)
    : QWidget(parent)
    , m_scanner(new ChangeScanner(this))
{
    m_clock.start();
    m_fadeTimer.setInterval(kFadeTickMs);
    connect(&m_fadeTimer, &QTimer::timeout, this, &ChangesOverview::onFadeTick);
    connect(m_scanner, &ChangeScanner::changesFound, this, &ChangesOverview::onChangesFound);
    connect(m_scanner, &ChangeScanner::pausedChanged, this, qOverload<>(&QWidget::update));
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Expanding);
    setToolTip(tr("Recent changes in the whole object; click to go there"));
    resetBuckets();
}

ChangesOverview::~ChangesOverview()
{
    m_scanner->setSource(nullptr); // join the worker before anything it could call back into is gone
}

void ChangesOverview::setSource(ByteSource* source)
{
    if (ByteSource* old = m_scanner->source())
        disconnect(old, nullptr, this, nullptr);
    m_scanner->setSource(source);
    m_size = source ? source->size() : 0;
    if (source)
        connect(source, &ByteSource::sizeChanged, this, &ChangesOverview::onSourceSizeChanged);
    resetBuckets();
    update();
}

void ChangesOverview::setFadeDuration(int ms)
{
    m_fadeDuration = std::max(1, ms);
}

void ChangesOverview::setViewRange(quint64 offset, quint64 length)
{
    if (offset == m_viewOffset && length == m_viewLength)
        return;
    m_viewOffset = offset;
    m_viewLength = length;
    update();
}

quint64 ChangesOverview::sourceSize() const
{
    return m_size;
}

quint64 ChangesOverview::bucketBytes() const
{
    // ceil(size / kBuckets), at least 1: then ceil(size / bucketBytes) <= kBuckets, without any
    // multiplication that could overflow for huge sizes.
    return std::max<quint64>(1, (m_size + kBuckets - 1) / kBuckets);
}

void ChangesOverview::setDiffRanges(const QList<QPair<quint64, quint64>>& ranges)
{
    m_diffBucket.assign(m_changedAt.size(), false);
    m_diffMarked = 0;
    const quint64 per = bucketBytes();
    for (const auto& [offset, length] : ranges) {
        if (length == 0 || offset >= m_size)
            continue;
        const quint64 last = std::min(m_size - 1, offset + length - 1);
        for (quint64 b = offset / per; b <= last / per && b < m_diffBucket.size(); ++b) {
            if (!m_diffBucket[size_t(b)]) {
                m_diffBucket[size_t(b)] = true;
                ++m_diffMarked;
            }
        }
    }
    update();
}

bool ChangesOverview::isDiffMarked(quint64 offset) const
{
    if (m_size == 0 || offset >= m_size)
        return false;
    const quint64 b = offset / bucketBytes();
    return b < m_diffBucket.size() && m_diffBucket[size_t(b)];
}

void ChangesOverview::resetBuckets()
{
    m_diffBucket.clear();
    m_diffMarked = 0;
    m_changedAt.assign(size_t(kBuckets), -1);
    m_marked = 0;
    m_fadeTimer.stop();
}

void ChangesOverview::onSourceSizeChanged(quint64 newSize)
{
    m_size = newSize;
    resetBuckets(); // the parts mean other bytes now
    update();
}

void ChangesOverview::onChangesFound(const QList<ChangeScanner::Range>& ranges)
{
    if (m_size == 0)
        return;
    const qint64 now = m_clock.elapsed();
    const quint64 per = bucketBytes();
    for (const ChangeScanner::Range& range : ranges) {
        if (range.length == 0 || range.offset >= m_size)
            continue;
        const quint64 last = std::min(range.offset + range.length, m_size) - 1;
        for (quint64 b = range.offset / per; b <= last / per && b < quint64(kBuckets); ++b) {
            if (m_changedAt[size_t(b)] < 0)
                ++m_marked;
            m_changedAt[size_t(b)] = now;
        }
    }
    if (m_marked > 0 && !m_fadeTimer.isActive())
        m_fadeTimer.start();
    update();
}

void ChangesOverview::onFadeTick()
{
    const qint64 now = m_clock.elapsed();
    for (qint64& at : m_changedAt) {
        if (at >= 0 && now - at >= m_fadeDuration) {
            at = -1;
            --m_marked;
        }
    }
    if (m_marked == 0)
        m_fadeTimer.stop();
    update();
}

bool ChangesOverview::isMarked(quint64 offset) const
{
    if (offset >= m_size)
        return false;
    const qint64 at = m_changedAt[size_t(offset / bucketBytes())];
    return at >= 0 && m_clock.elapsed() - at < m_fadeDuration;
}

int ChangesOverview::markCount() const
{
    return m_marked;
}

quint64 ChangesOverview::offsetAt(int y) const
{
    const int h = std::max(1, height());
    if (m_size == 0)
        return 0;
    y = std::clamp(y, 0, h - 1);
    // In long double: size * y overflows 64 bits for huge sizes; a pixel covers size/h bytes anyway.
    const auto offset = quint64((static_cast<long double>(y) + 0.5L) * static_cast<long double>(m_size) / h);
    return std::min(offset, m_size - 1);
}

int ChangesOverview::yForOffset(quint64 offset) const
{
    const int h = std::max(1, height());
    if (m_size == 0)
        return 0;
    return std::clamp(int(static_cast<long double>(offset) * h / static_cast<long double>(m_size)), 0, h - 1);
}

QSize ChangesOverview::sizeHint() const
{
    return { kStripWidth, 100 };
}

void ChangesOverview::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    const QPalette& pal = palette();
    painter.fillRect(rect(), pal.color(QPalette::AlternateBase));
    painter.setPen(pal.color(QPalette::Mid)); // separates the strip from the ASCII pane
    painter.drawLine(0, 0, 0, height());
    if (m_size == 0)
        return;
    const int h = height();
    const qint64 now = m_clock.elapsed();
    const quint64 per = bucketBytes();
    const quint64 buckets = (m_size + per - 1) / per;
    // The mark colour: the palette's highlight (so dark themes work), strongest when fresh.
    QColor mark = pal.color(QPalette::Highlight);
    if (m_diffMarked > 0) {
        // Differences (setDiffRanges()): steady marks in the link colour, on the left half so that
        // a live change over them still shows on the right.
        const QColor diff = pal.color(QPalette::Link);
        for (int y = 0; y < h; ++y) {
            const quint64 first = quint64(y) * buckets / quint64(h);
            const quint64 end = std::max(first + 1, quint64(y + 1) * buckets / quint64(h));
            bool any = false;
            for (quint64 b = first; b < end && b < m_diffBucket.size() && !any; ++b)
                any = m_diffBucket[size_t(b)];
            if (any)
                painter.fillRect(QRect(1, y - 1, (width() - 1) / 2, 3), diff);
        }
    }
    if (m_marked > 0) {
        // One pass per pixel row: the freshest change among the buckets that row covers.
        for (int y = 0; y < h; ++y) {
            const quint64 first = quint64(y) * buckets / quint64(h);
            const quint64 end = std::max(first + 1, quint64(y + 1) * buckets / quint64(h));
            qint64 freshest = -1;
            for (quint64 b = first; b < end && b < buckets; ++b)
                freshest = std::max(freshest, m_changedAt[size_t(b)]);
            if (freshest < 0)
                continue;
            const qreal age = qreal(now - freshest) / m_fadeDuration;
            if (age >= 1)
                continue;
            mark.setAlphaF(float(1.0 - 0.85 * age));
            // Three pixels tall: one changed 64 KiB block of a big object is a single pixel row, which
            // the eye misses.
            painter.fillRect(QRect(2, y - 1, width() - 3, 3), mark);
        }
    }
    // The viewport's bytes: an outline at least 2 pixels tall so it stays visible on 64 GiB.
    if (m_viewLength > 0) {
        const int top = yForOffset(m_viewOffset);
        const int bottom = std::max(top + 2, yForOffset(std::min(m_size - 1, m_viewOffset + m_viewLength - 1)));
        QPen pen(pal.color(QPalette::Text));
        pen.setWidth(1);
        painter.setPen(pen);
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(QRect(0, top, width() - 1, bottom - top));
    }
    if (m_scanner->isPaused()) {
        // Paused: a dashed edge says the marks are not being updated.
        painter.setPen(QPen(pal.color(QPalette::Mid), 1, Qt::DashLine));
        painter.drawLine(0, 0, 0, h);
    }
}

void ChangesOverview::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || m_size == 0)
        return QWidget::mousePressEvent(event);
    event->accept();
    Q_EMIT offsetClicked(offsetAt(qRound(event->position().y())));
}

void ChangesOverview::mouseMoveEvent(QMouseEvent* event)
{
    if (!(event->buttons() & Qt::LeftButton) || m_size == 0)
        return QWidget::mouseMoveEvent(event);
    event->accept();
    Q_EMIT offsetClicked(offsetAt(qRound(event->position().y())));
}

void ChangesOverview::mouseReleaseEvent(QMouseEvent* event)
{
    // The press did the work; the release must not reach the view under the strip.
    event->accept();
}

void ChangesOverview::contextMenuEvent(QContextMenuEvent* event)
{
    event->accept();
    QMenu* menu = createContextMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(event->globalPos());
}

QMenu* ChangesOverview::createContextMenu(QWidget* parent)
{
    auto* menu = new QMenu(parent);
    QAction* pause = menu->addAction(tr("&Pause Change Scan"));
    pause->setObjectName(QStringLiteral("pauseScan"));
    pause->setCheckable(true);
    pause->setChecked(m_scanner->isPaused());
    connect(pause, &QAction::toggled, m_scanner, &ChangeScanner::setPaused);
    return menu;
}

} // namespace shmscope
