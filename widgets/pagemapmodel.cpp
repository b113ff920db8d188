#include "widgets/pagemapmodel.h"

#include "core/mapping.h"
#include "widgets/mappingbytesource.h"

#include <algorithm>

namespace shmscope {

PageMapModel::PageMapModel(QObject* parent)
    : QObject(parent)
{ }

void PageMapModel::setSource(MappingByteSource* source)
{
    m_source = source;
    m_windowFirst = 0;
    m_views.clear();
    m_peers.clear();
    m_own = PageMap {};
    m_summary = PageSummary {};
    m_sinceRescan.invalidate();
    m_sinceSummary.invalidate();
}

void PageMapModel::setWindow(quint64 firstPage, quint64 count)
{
    m_windowFirst = firstPage;
    m_windowCount = count;
}

quint64 PageMapModel::pageCount() const
{
    if (!m_source || m_own.pageSize == 0)
        return 0;
    return (m_source->mapping().size() + m_own.pageSize - 1) / m_own.pageSize;
}

void PageMapModel::refresh(bool rescanViews)
{
    m_error.clear();
    if (!m_source) {
        m_own = PageMap {};
        m_peers.clear();
        Q_EMIT changed();
        return;
    }
    const Mapping& mapping = m_source->mapping();
    // The page size, from an empty read (also when the view is empty).
    Result<PageMap> probe = readPages(mapping, 0, 0);
    if (!probe) {
        m_error = QString::fromStdString(probe.error().message());
        m_own = PageMap {};
        m_peers.clear();
        Q_EMIT changed();
        return;
    }
    const quint64 pageSize = probe->pageSize;
    const quint64 pages = (mapping.size() + pageSize - 1) / pageSize;
    const quint64 first = std::min<quint64>(m_windowFirst, pages);
    const quint64 last = std::min<quint64>(pages, first + m_windowCount);
    const quint64 offset = first * pageSize;
    const quint64 length
        = std::min<quint64>(mapping.size(), last * pageSize) - std::min<quint64>(mapping.size(), offset);

    Result<PageMap> own = readPages(mapping, offset, length);
    if (!own) {
        m_error = QString::fromStdString(own.error().message());
        m_own = *probe;
    } else {
        m_own = std::move(*own);
    }
    m_own.firstPage = first;
    // The summary walks the whole view's page tables: for a 64 GiB object with its pages spread out that
    // is 17-28 ms with PAGEMAP_SCAN and 33-63 ms with pagemap reads (Linux < 6.7), split over the cores
    // (pagemap_bench), so it is read again only after ten times as long as it took last time (at most
    // 10% of the GUI thread), and always after a rescan.
    if (rescanViews || !m_sinceSummary.isValid() || m_sinceSummary.elapsed() >= 10 * m_summaryMs) {
        QElapsedTimer timer;
        timer.start();
        Result<PageSummary> summary = summarisePages(mapping, 0, mapping.size());
        m_summaryMs = timer.elapsed();
        m_sinceSummary.start();
        if (summary)
            m_summary = *summary;
        else if (m_error.isEmpty())
            m_error = QString::fromStdString(summary.error().message());
    }

    if (rescanViews || !m_sinceRescan.isValid() || m_sinceRescan.elapsed() >= kViewsRescanMs) {
        m_sinceRescan.start();
        m_views.clear();
        if (Result<ObjectViews> views = findObjectViews(mapping); views) {
            m_uninspected = views->uninspected;
            for (ProcessView& view : views->views) {
                if (!view.thisView)
                    m_views.push_back(std::move(view));
            }
        }
    }
    m_peers.clear();
    for (const ProcessView& view : m_views) {
        PeerPages peer { view, {}, {} };
        // The window in object offsets, clipped to the part this view maps.
        const quint64 from = std::max<quint64>(offset, view.objectOffset);
        const quint64 to = std::min<quint64>(offset + length, view.objectOffset + view.length());
        if (to > from) {
            Result<PageMap> map = readPages(view, from, to - from);
            if (map)
                peer.pages = std::move(*map);
            else
                peer.error = QString::fromStdString(map.error().message());
        }
        m_peers.push_back(std::move(peer));
    }
    Q_EMIT changed();
}

} // namespace shmscope
