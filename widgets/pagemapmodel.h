#pragma once

#include "core/pagemap.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QString>
#include <vector>

namespace shmscope {

class MappingByteSource;

/// The page states the page strip shows, read from the core's page map (core/pagemap.h): this
/// view's pages in a window of pages (exact, one state per page), the same window in every other view
/// of the object this process may inspect (for "which processes have it present"), and a summary of
/// this view as a whole (PAGEMAP_SCAN or pagemap reads: bounded memory for a 64 GiB object). Reads
/// happen in refresh(), on the calling (GUI) thread; the list of views is searched again at most
/// every kViewsRescanMs (it reads every /proc/PID/maps), and the whole-view summary only after ten
/// times as long as it took last time (a 64 GiB object with spread-out pages costs ~100 ms a summary).
class PageMapModel : public QObject
{
    Q_OBJECT
public:
    /// Another view of the object and its pages in the window (or why they could not be read).
    struct PeerPages {
        ProcessView view;
        PageMap pages; ///< empty when `error` is set
        QString error; ///< one line: why this view's pages could not be read
    };

    /// How often the views of the object are searched again (ms).
    static constexpr int kViewsRescanMs = 2000;

    explicit PageMapModel(QObject* parent = nullptr);

    /// The source whose view is shown (not owned; nullptr: nothing). Resets the window to page 0.
    void setSource(MappingByteSource* source);
    /// The pages [firstPage, firstPage + count) to read exactly (clipped to the view). Does not read:
    /// call refresh().
    void setWindow(quint64 firstPage, quint64 count);
    /// Reads the window's pages (this view and the others), the summary and, when due or `rescanViews`,
    /// the list of views; emits changed().
    void refresh(bool rescanViews = false);

    /// Bytes per page (0 before the first refresh()).
    quint64 pageSize() const { return m_own.pageSize; }
    /// Pages of the view (its size rounded up to pages).
    quint64 pageCount() const;
    /// This view's pages in the window (PageMap::firstPage is the window's first page).
    const PageMap& pages() const { return m_own; }
    /// The other views (other processes, and other views in this one) with their pages in the window.
    const std::vector<PeerPages>& peers() const { return m_peers; }
    /// Processes that may map the object but could not be inspected.
    quint32 uninspected() const { return m_uninspected; }
    /// The summary of the whole view (valid when summaryError() is empty).
    const PageSummary& summary() const { return m_summary; }
    /// Why the pages could not be read (empty when they were).
    QString errorText() const { return m_error; }

Q_SIGNALS:
    /// refresh() read new states.
    void changed();

private:
    QPointer<MappingByteSource> m_source;
    quint64 m_windowFirst = 0;
    quint64 m_windowCount = 0;
    PageMap m_own;
    PageSummary m_summary;
    std::vector<ProcessView> m_views; ///< other views, from the last search
    std::vector<PeerPages> m_peers;
    quint32 m_uninspected = 0;
    QString m_error;
    QElapsedTimer m_sinceRescan;
    QElapsedTimer m_sinceSummary;
    qint64 m_summaryMs = 0; ///< how long the last summary took
};

} // namespace shmscope
