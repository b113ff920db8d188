#include "widgets/pagestrip.h"

#include "core/mapping.h"
#include "widgets/hexview.h"
#include "widgets/mappingbytesource.h"
#include "widgets/pagemapmodel.h"

#include <QAction>
#include <QContextMenuEvent>
#include <QCoreApplication>
#include <QHelpEvent>
#include <QLocale>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <algorithm>
#include <array>
#include <climits>

namespace shmscope {

namespace {

constexpr int kMargin = 4;
constexpr int kColumns = 8; // cells a row, so that a row is 32 KiB of 4 KiB pages
constexpr std::array<PageState, 5> kStates { PageState::NotPresent, PageState::Shared, PageState::Exclusive,
                                             PageState::PrivateCopy, PageState::Swapped };

QString hex(quint64 value)
{
    return QStringLiteral("0x") + QString::number(value, 16);
}

} // namespace

PageStrip::PageStrip(QWidget* parent)
    : QWidget(parent)
    , m_model(new PageMapModel(this))
    , m_resetWritten(new QAction(tr("&Reset Written Marks"), this))
{
    // Soft-dirty: the kernel's "written since" bits, whole process (soft-dirty.rst).
    m_resetWritten->setEnabled(pageMapFeatures().softDirty);
    m_resetWritten->setToolTip(pageMapFeatures().softDirty
                                   ? tr("Forget which pages this process wrote; pages written from now on are marked")
                                   : tr("This kernel does not track written pages (soft-dirty)"));
    connect(m_resetWritten, &QAction::triggered, this, [this] {
        if (resetSoftDirty(int(QCoreApplication::applicationPid())))
            refreshNow();
    });
    setObjectName(QStringLiteral("pageStrip"));
    setAccessibleName(tr("Page map"));
    setMouseTracking(true);
    connect(m_model, &PageMapModel::changed, this, qOverload<>(&QWidget::update));
    connect(&m_pollTimer, &QTimer::timeout, this, [this] {
        if (isVisible())
            refreshNow();
    });
}

PageStrip::~PageStrip() = default;

void PageStrip::setHexView(HexView* view)
{
    if (m_hexView)
        disconnect(m_hexView->verticalScrollBar(), nullptr, this, nullptr);
    m_hexView = view;
    if (!view)
        return;
    connect(view->verticalScrollBar(), &QScrollBar::valueChanged, this, [this] {
        updateWindow();
        update();
        scheduleRefresh();
    });
}

void PageStrip::setSource(MappingByteSource* source)
{
    if (m_source)
        disconnect(m_source, nullptr, this, nullptr);
    m_source = source;
    m_model->setSource(source);
    if (source) {
        // After each action (this window's writes, others' announced changes, resizes) and at the
        // hex view's poll rate.
        connect(source, &ByteSource::bytesWritten, this, &PageStrip::scheduleRefresh);
        connect(source, &ByteSource::contentsChanged, this, &PageStrip::scheduleRefresh);
        connect(source, &ByteSource::sizeChanged, this, &PageStrip::scheduleRefresh);
        m_pollTimer.start(m_hexView ? std::max(50, m_hexView->pollInterval()) : 100);
    } else {
        m_pollTimer.stop();
    }
    if (m_hexView)
        m_hexView->setPageBoundaries(source ? quint64(4096) : 0);
    refreshNow();
}

void PageStrip::scheduleRefresh()
{
    if (m_refreshQueued)
        return;
    m_refreshQueued = true;
    QTimer::singleShot(0, this, [this] {
        m_refreshQueued = false;
        refreshNow();
    });
}

void PageStrip::refreshNow()
{
    if (m_hexView && m_pollTimer.isActive() && m_pollTimer.interval() != std::max(50, m_hexView->pollInterval()))
        m_pollTimer.setInterval(std::max(50, m_hexView->pollInterval()));
    updateWindow();
    m_model->refresh();
    if (m_hexView && m_model->pageSize() != 0)
        m_hexView->setPageBoundaries(m_source ? m_model->pageSize() : 0);
}

int PageStrip::cellSize() const
{
    return std::max(8, fontMetrics().height() * 4 / 5);
}

int PageStrip::columns() const
{
    return kColumns;
}

QStringList PageStrip::summaryLines() const
{
    QStringList lines;
    if (!m_source)
        return lines;
    if (!m_model->errorText().isEmpty()) {
        lines << m_model->errorText();
        return lines;
    }
    // The whole view, summarised (the cells below show a window of it exactly).
    const PageSummary& s = m_model->summary();
    const QLocale locale;
    lines << tr("%Ln page(s) × %1", nullptr, int(std::min<quint64>(s.pages, INT_MAX)))
                 .arg(locale.formattedDataSize(qint64(s.pageSize), 0, QLocale::DataSizeTraditionalFormat));
    lines << tr("%1 present").arg(locale.toString(s.present));
    lines << tr("%1 private").arg(locale.toString(s.privateCopies));
    if (s.swapped)
        lines << tr("%1 swapped").arg(locale.toString(s.swapped));
    if (s.softDirtyKnown)
        lines << tr("%1 written since reset").arg(locale.toString(s.softDirty));
    if (m_model->uninspected() > 0)
        lines << tr("%n not inspected", nullptr, int(m_model->uninspected()));
    return lines;
}

int PageStrip::gridTop() const
{
    const int line = fontMetrics().height();
    // Header lines, then one legend line per state.
    return kMargin + line * int(summaryLines().size() + kStates.size()) + kMargin;
}

quint64 PageStrip::capacity() const
{
    const int rows = std::max(1, (height() - gridTop() - kMargin) / (cellSize() + 1));
    return quint64(rows) * quint64(columns());
}

void PageStrip::updateWindow()
{
    const quint64 pageSize = m_model->pageSize() ? m_model->pageSize() : 4096;
    const quint64 size = m_source ? m_source->mapping().size() : 0;
    const quint64 pages = (size + pageSize - 1) / pageSize;
    const quint64 cap = capacity();
    quint64 first = 0;
    if (pages > cap && m_hexView) {
        // Keep the hex view's first page in the upper quarter of the grid, on a row boundary.
        const quint64 topPage = m_hexView->firstVisibleRow() * quint64(m_hexView->bytesPerRow()) / pageSize;
        const quint64 lead = cap / 4 / quint64(columns()) * quint64(columns());
        first = topPage > lead ? (topPage - lead) / quint64(columns()) * quint64(columns()) : 0;
        first = std::min(first, (pages - cap + quint64(columns()) - 1) / quint64(columns()) * quint64(columns()));
    }
    m_model->setWindow(first, cap);
}

QSize PageStrip::sizeHint() const
{
    return QSize(minimumSizeHint().width(), 400);
}

QSize PageStrip::minimumSizeHint() const
{
    // Wide enough for the legend and the grid (the summary lines elide).
    int legend = 0;
    for (PageState state : kStates)
        legend = std::max(legend, fontMetrics().horizontalAdvance(stateText(state)));
    const int slack = fontMetrics().averageCharWidth();
    const int width = std::max(legend + cellSize() + 3 * kMargin + slack, 2 * kMargin + columns() * (cellSize() + 1));
    return QSize(width, gridTop() + 4 * (cellSize() + 1));
}

void PageStrip::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    updateWindow();
    scheduleRefresh();
}

QColor PageStrip::stateColor(PageState state)
{
    switch (state) {
    case PageState::NotPresent:
        return QColor(0xdd, 0xdd, 0xdd);
    case PageState::Shared:
        return QColor(0x3a, 0x7b, 0xd5);
    case PageState::Exclusive:
        return QColor(0x2e, 0xa0, 0x4f);
    case PageState::PrivateCopy:
        return QColor(0xe8, 0x7d, 0x0d);
    case PageState::Swapped:
        return QColor(0x8e, 0x44, 0xad);
    }
    return Qt::black;
}

QString PageStrip::stateText(PageState state)
{
    switch (state) {
    case PageState::NotPresent:
        return tr("not present");
    case PageState::Shared:
        return tr("shared");
    case PageState::Exclusive:
        return tr("only this view");
    case PageState::PrivateCopy:
        return tr("private copy");
    case PageState::Swapped:
        return tr("swapped");
    }
    return {};
}

QString PageStrip::stateDescription(PageState state)
{
    switch (state) {
    case PageState::NotPresent:
        return tr("not present (never touched by this view, or dropped)");
    case PageState::Shared:
        return tr("the object's page, mapped by other views too");
    case PageState::Exclusive:
        return tr("the object's page, mapped by this view only");
    case PageState::PrivateCopy:
        return tr("a private copy: this copy-on-write view wrote it, the object's page is not seen here any more");
    case PageState::Swapped:
        return tr("a private copy, swapped out");
    }
    return {};
}

void PageStrip::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Window));
    const QFontMetrics metrics = fontMetrics();
    const int line = metrics.height();
    int y = kMargin;
    painter.setPen(palette().color(QPalette::WindowText));
    if (!m_source) {
        painter.drawText(QRect(kMargin, y, width() - 2 * kMargin, line), Qt::AlignLeft, tr("No mapping"));
        return;
    }
    for (const QString& text : summaryLines()) {
        painter.drawText(QRect(kMargin, y, width() - 2 * kMargin, line), Qt::AlignLeft | Qt::AlignVCenter,
                         metrics.elidedText(text, Qt::ElideRight, width() - 2 * kMargin));
        y += line;
    }
    const int cell = cellSize();
    for (PageState state : kStates) {
        painter.fillRect(QRect(kMargin, y + (line - cell) / 2, cell, cell), stateColor(state));
        painter.drawText(QRect(kMargin + cell + kMargin, y, width() - cell - 3 * kMargin, line),
                         Qt::AlignLeft | Qt::AlignVCenter,
                         metrics.elidedText(stateText(state), Qt::ElideRight, width() - cell - 3 * kMargin));
        y += line;
    }
    const PageMap& pages = m_model->pages();
    const int top = gridTop();
    // The pages the hex view shows now.
    quint64 shownFirst = 1;
    quint64 shownLast = 0;
    if (m_hexView && pages.pageSize) {
        const quint64 start = m_hexView->firstVisibleRow() * quint64(m_hexView->bytesPerRow());
        const int rows = std::max(1, m_hexView->viewport()->height() / std::max(1, m_hexView->fontMetrics().height()));
        shownFirst = start / pages.pageSize;
        shownLast = (start + quint64(rows) * quint64(m_hexView->bytesPerRow()) - 1) / pages.pageSize;
    }
    for (std::size_t i = 0; i < pages.pages.size(); ++i) {
        const int column = int(i % std::size_t(columns()));
        const int row = int(i / std::size_t(columns()));
        const QRect box(kMargin + column * (cell + 1), top + row * (cell + 1), cell, cell);
        if (box.top() > height())
            break;
        painter.fillRect(box, stateColor(pages.pages[i].state));
        if (pages.pages[i].softDirty)
            painter.fillRect(QRect(box.left(), box.top(), cell / 2, cell / 2), palette().color(QPalette::WindowText));
        const quint64 page = pages.firstPage + i;
        if (page >= shownFirst && page <= shownLast) {
            painter.setPen(palette().color(QPalette::WindowText));
            painter.drawRect(box.adjusted(0, 0, -1, -1));
        }
    }
}

qint64 PageStrip::pageAt(QPoint pos) const
{
    const int cell = cellSize();
    const int x = pos.x() - kMargin;
    const int y = pos.y() - gridTop();
    if (x < 0 || y < 0 || x >= columns() * (cell + 1))
        return -1;
    const quint64 index = quint64(y / (cell + 1)) * quint64(columns()) + quint64(x / (cell + 1));
    const PageMap& pages = m_model->pages();
    if (index >= pages.pages.size())
        return -1;
    return qint64(pages.firstPage + index);
}

QString PageStrip::pageToolTip(quint64 page) const
{
    const PageMap& pages = m_model->pages();
    if (page < pages.firstPage || page - pages.firstPage >= pages.pages.size())
        return {};
    const PageInfo& info = pages.pages[std::size_t(page - pages.firstPage)];
    const quint64 start = page * pages.pageSize;
    QStringList lines;
    lines << tr("Page %1 (%2–%3)").arg(page).arg(hex(start), hex(start + pages.pageSize - 1));
    QString own = tr("This view: %1").arg(stateDescription(info.state));
    if (info.softDirty)
        own += tr(", written since the last reset");
    lines << own;
    QStringList present;
    for (const PageMapModel::PeerPages& peer : m_model->peers()) {
        const QString who
            = tr("pid %1 (%2, %3)")
                  .arg(peer.view.pid)
                  .arg(QString::fromStdString(peer.view.command), QString::fromStdString(peer.view.perms));
        if (!peer.error.isEmpty()) {
            present << tr("%1: not inspected (%2)").arg(who, peer.error);
            continue;
        }
        const PageMap& theirs = peer.pages;
        if (theirs.pageSize == 0 || page < theirs.firstPage || page - theirs.firstPage >= theirs.pages.size())
            continue;
        const PageState state = theirs.pages[std::size_t(page - theirs.firstPage)].state;
        if (state != PageState::NotPresent)
            present << tr("%1: %2").arg(who, stateText(state));
    }
    if (present.isEmpty())
        lines << tr("No other view has it present.");
    else
        lines << tr("Present in:") << present;
    if (m_model->uninspected() > 0)
        lines << tr("%n process(es) could not be inspected.", nullptr, int(m_model->uninspected()));
    return lines.join(QLatin1Char('\n'));
}

bool PageStrip::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const qint64 page = pageAt(help->pos());
        const QString text = page >= 0 ? pageToolTip(quint64(page)) : QString();
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

void PageStrip::contextMenuEvent(QContextMenuEvent* event)
{
    QMenu menu(this);
    menu.setToolTipsVisible(true);
    menu.addAction(m_resetWritten);
    menu.exec(event->globalPos());
}

void PageStrip::mousePressEvent(QMouseEvent* event)
{
    const qint64 page = pageAt(event->position().toPoint());
    if (page < 0 || !m_hexView || m_model->pageSize() == 0)
        return QWidget::mousePressEvent(event);
    const quint64 offset = quint64(page) * m_model->pageSize();
    m_hexView->setCursorOffset(offset);
    m_hexView->scrollToRow(offset / quint64(m_hexView->bytesPerRow()));
}

} // namespace shmscope
