#include "app/gui/pagedocks.h"

#include "widgets/hexview.h"
#include "widgets/mappingbytesource.h"
#include "widgets/mappingcard.h"
#include "widgets/pagestrip.h"

#include <QDockWidget>
#include <QMainWindow>

namespace shmscope {

PageDocks::PageDocks(QMainWindow* window, HexView* hexView)
    : QObject(window)
    , m_pagesDock(new QDockWidget(tr("Pages"), window))
    , m_mappingsDock(new QDockWidget(tr("Mappings"), window))
    , m_strip(new PageStrip)
    , m_card(new MappingCard)
{
    m_strip->setHexView(hexView);
    m_pagesDock->setObjectName(QStringLiteral("pagesDock"));
    m_pagesDock->setWidget(m_strip);
    m_pagesDock->toggleViewAction()->setText(tr("P&ages"));
    m_pagesDock->toggleViewAction()->setStatusTip(
        tr("Show or hide the page strip: which pages of this view are present, shared or private copies"));
    window->addDockWidget(Qt::LeftDockWidgetArea, m_pagesDock);
    m_mappingsDock->setObjectName(QStringLiteral("mappingsDock"));
    m_mappingsDock->setWidget(m_card);
    m_mappingsDock->toggleViewAction()->setText(tr("&Mappings"));
    m_mappingsDock->toggleViewAction()->setStatusTip(
        tr("Show or hide the mapping card: every process's view of the object, its memory and the page cache"));
    window->addDockWidget(Qt::BottomDockWidgetArea, m_mappingsDock);
}

void PageDocks::setSource(ByteSource* source)
{
    auto* mapping = qobject_cast<MappingByteSource*>(source);
    m_strip->setSource(mapping);
    m_card->setSource(mapping);
}

} // namespace shmscope
