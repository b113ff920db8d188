#pragma once

#include <QObject>

class QAction;
class QDockWidget;
class QMainWindow;

namespace shmscope {

class ByteSource;
class HexView;
class MappingCard;
class PageStrip;

/// The two docks that show what happens underneath (issue 10): "Pages", the page strip beside the hex
/// view (left dock area), and "Mappings", the mapping card of every view of the object (bottom dock
/// area). Made once per main window; they follow the source the hex view shows.
class PageDocks : public QObject
{
    Q_OBJECT
public:
    /// Creates the docks in `window` (added to its dock areas; object names "pagesDock" and
    /// "mappingsDock" for saveState()) and ties the strip to `hexView`.
    PageDocks(QMainWindow* window, HexView* hexView);

    /// The source to show (a MappingByteSource; anything else, or nullptr, shows nothing).
    void setSource(ByteSource* source);
    QDockWidget* pagesDock() const { return m_pagesDock; }
    QDockWidget* mappingsDock() const { return m_mappingsDock; }
    PageStrip* pageStrip() const { return m_strip; }
    MappingCard* mappingCard() const { return m_card; }

private:
    QDockWidget* m_pagesDock;
    QDockWidget* m_mappingsDock;
    PageStrip* m_strip;
    MappingCard* m_card;
};

} // namespace shmscope
