#pragma once

#include "app/gui/openrequest.h"

#include <QList>
#include <QMainWindow>
#include <memory>

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QSplitter;
class QToolButton;

namespace shmscope {

class BookmarksPanel;
class CursorStatusLabel;
class DataInspector;
class StructurePanel;
class ElidedLabel;
class FindBar;
class HexView;
class MappingSession;
class ObjectBrowserDock;
class PeersModel;
class ScanPanel;
class SnapshotPanel;
class TransferActions;
class PageDocks;
class TextView;

/// The inspector's main window: the hex view and the text view of one mapping side by side, live;
/// File menu to open/create mappings (with recent addresses), a status bar with the address, size,
/// access and the number of other instances on the same object, and a Peers dock listing those
/// instances (PeersModel; View ▸ Peers). Window layout and recent addresses
/// persist in QSettings.
///
/// Layout: the hex view (with the find bar under it) and the text view share a splitter; neither can
/// be dragged to nothing, and View ▸ Hex View / Text View show and hide them (remembered). The
/// inspector and bookmarks docks sit beside them on a screen wide enough for every column of the hex
/// view, below them (tabbed with Peers) on a narrower one. The window's minimum size fits a
/// 1280×800 screen, and a 1366×768 one at scale 1.25, with every pane and dock shown.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Opens (or creates) the mapping of `request`, replacing the one shown. Returns false with a
    /// one-line `error` and keeps the current mapping on failure.
    bool openMapping(const OpenRequest& request, QString* error);

    /// The session shown, or nullptr when none is open.
    MappingSession* session() const { return m_session.get(); }
    HexView* hexView() const { return m_hexView; }
    TextView* textView() const { return m_textView; }
    /// The find bar under the hex view (Edit ▸ Find, Ctrl+F; hidden until then).
    FindBar* findBar() const { return m_findBar; }
    /// The data inspector panel (in a dock; View ▸ Data Inspector).
    DataInspector* dataInspector() const { return m_dataInspector; }
    /// The bookmarks panel of the address shown (in a dock; View ▸ Bookmarks).
    BookmarksPanel* bookmarksPanel() const { return m_bookmarksPanel; }
    /// The model of the Peers dock: the other instances on the object shown.
    PeersModel* peersModel() const { return m_peersModel; }
    /// The Peers dock (View ▸ Peers shows and hides it).
    QDockWidget* peersDock() const { return m_peersDock; }
    /// The Snapshots panel (snapshots, diff, F7/Shift+F7; in a dock, View ▸ Snapshots).
    SnapshotPanel* snapshotPanel() const { return m_snapshotPanel; }
    /// The Value Scan panel (in a dock, View ▸ Value Scan).
    ScanPanel* scanPanel() const { return m_scanPanel; }
    /// File ▸ Export Selection… and File ▸ Import….
    TransferActions* transferActions() const { return m_transferActions; }
    /// The Object Browser dock (View ▸ Object Browser), tabbed with Peers at first start.
    ObjectBrowserDock* objectBrowserDock() const { return m_objectBrowserDock; }
    /// The "Pages" and "Mappings" docks.
    PageDocks* pageDocks() const { return m_pageDocks; }
    /// The "Native calls" dock (NativeCallsPanel): the journal of this instance's OS calls; hidden at first.
    QDockWidget* nativeCallsDock() const { return m_nativeCallsDock; }
    /// The Structure panel (issue 11) and its dock, tabbed with the Data Inspector at first start.
    StructurePanel* structurePanel() const { return m_structurePanel; }
    QDockWidget* structureDock() const { return m_structureDock; }

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void createActions();
    /// View menu: pane and dock toggles, the hex view's layout, the change scan.
    void createViewMenu();
    /// One checkable View menu action that shows and hides splitter pane `pane`, remembered under
    /// QSettings key `key` (shown by default).
    QAction* createPaneToggle(QWidget* pane, const QString& text, const QString& key);
    /// Keeps one splitter pane shown at least: the toggle of the last pane shown is disabled.
    void updatePaneActions();
    /// The splitter's initial sizes: the hex view gets the width of all its columns, the text view the rest.
    void applyInitialSplit();
    /// True when every pane shown has at least its minimum width (a saved layout from before panes
    /// could not be collapsed may hold one at 0).
    bool splitIsUsable() const;
    /// First start (no saved window state): the side docks (m_sideDocks) beside the panes, tabbed, when a
    /// window `windowWidth` px wide (logical) has room for them and every column of the hex view, else
    /// below the panes, tabbed with Peers; the other docks below the panes too. Called again with the
    /// width the window really got when it is first shown (-qwindowgeometry, a window manager): moves
    /// the side docks when that width calls for the other arrangement. True when it moved docks.
    bool arrangeDocksForFirstStart(int windowWidth);
    /// Whenever `dock` is brought to the front below the panes with less than a third of the window's
    /// height (the Peers dock keeps the area low), grows it to 2/5: for the docks that are tables or
    /// trees (Object Browser, Structure, Native Calls).
    void growWhenBroughtToFront(QDockWidget* dock);
    /// Whether a window `windowWidth` px wide has room for the side docks beside the panes.
    bool sideDocksFitBeside(int windowWidth) const;
    /// Sets the window title: the address shown, then its states in parentheses when it is not a plain
    /// read-write view ("read-only", "copy-on-write"), then the app name. Every state goes here.
    void updateWindowTitle();
    void showOpenDialog();
    void closeMapping();
    /// File ▸ Reopen: attaches the address shown again (as it was opened, never creating), e.g. to show
    /// the new object of that name after the one shown was removed (MappingSession::isReplaced()).
    void reopenMapping();
    /// Asks before `action` (a translated phrase, "Closing the window") drops edits that wait for the
    /// object's lock: true when nothing waits or the user chose to drop them (they are cancelled, nothing
    /// of them written), false when the user keeps waiting (the action must not happen).
    bool mayDropWaitingEdits(const QString& action);
    void goToOffset();
    void showAbout();
    void updateStatus();
    void updateRecentMenu();
    void rememberRecent(const QString& address);
    void showTransientMessage(const QString& message);
    /// The Object Browser's Reveal: opens `address` if it is not the one shown (after asking), then
    /// shows the Pages and Mappings docks with process `pid` selected in the Mappings table.
    void revealObject(Address address,
                      int pid); // by value: the browser may refresh (and free its row) while the question is shown
    /// Shows the WriteQueue's status ("3 edits waiting for the lock (held by pid N)") and the Cancel
    /// button in the status bar; an empty `status` hides both.
    void showLockWait(const QString& status);
    /// Whether the keyboard focus is in the text view (Edit ▸ Undo/Redo then act on its history).
    bool textViewHasFocus() const;
    /// Enables and names Edit ▸ Undo/Redo after the view with the focus.
    void updateUndoActions();

    std::unique_ptr<MappingSession> m_session;
    OpenRequest m_lastRequest;
    QAction* m_reopenAction = nullptr; ///< File ▸ Reopen, enabled while a mapping is shown
    HexView* m_hexView = nullptr;
    TextView* m_textView = nullptr;
    QSplitter* m_splitter = nullptr;
    QWidget* m_hexPane = nullptr; ///< the hex view and the find bar under it
    QAction* m_hexPaneAction = nullptr;
    QAction* m_textPaneAction = nullptr;
    bool m_initialSplitPending = false; ///< no saved splitter layout: size it once the window is shown
    bool m_shownOnce = false; ///< the first show checks the splitter layout once
    bool m_firstStartLayout = false; ///< no saved window state: the docks are arranged for the window's width
    bool m_sideDocksBeside = false; ///< arrangeDocksForFirstStart() put the side docks beside the panes
    /// Docks that stand beside the panes, tabbed, on a wide window and below them on a narrow one (the
    /// Data Inspector first, Bookmarks); a dock added here takes part in the first start's arrangement.
    QList<QDockWidget*> m_sideDocks;
    QMenu* m_recentMenu = nullptr;
    QAction* m_undoAction = nullptr;
    QAction* m_redoAction = nullptr;
    ElidedLabel* m_addressLabel = nullptr;
    QLabel* m_sizeLabel = nullptr;
    QLabel* m_accessLabel = nullptr;
    QLabel* m_peersLabel = nullptr;
    ElidedLabel* m_stateLabel = nullptr; ///< removed / notifications off (sessionstatus.h); hidden when all is well
    QLabel* m_lockWaitLabel = nullptr; ///< edits waiting for the object's lock (WriteQueue::statusText())
    QToolButton* m_lockWaitCancel = nullptr; ///< drops them (WriteQueue::cancel())
    CursorStatusLabel* m_cursorStatus = nullptr;
    FindBar* m_findBar = nullptr;
    DataInspector* m_dataInspector = nullptr;
    QDockWidget* m_inspectorDock = nullptr;
    StructurePanel* m_structurePanel = nullptr;
    QDockWidget* m_structureDock = nullptr;
    BookmarksPanel* m_bookmarksPanel = nullptr;
    QDockWidget* m_bookmarksDock = nullptr;
    PeersModel* m_peersModel = nullptr;
    PageDocks* m_pageDocks = nullptr; ///< "Pages" and "Mappings" (issue 10)
    QDockWidget* m_peersDock = nullptr;
    SnapshotPanel* m_snapshotPanel = nullptr;
    QDockWidget* m_snapshotDock = nullptr;
    ScanPanel* m_scanPanel = nullptr;
    QDockWidget* m_scanDock = nullptr;
    TransferActions* m_transferActions = nullptr;
    ObjectBrowserDock* m_objectBrowserDock = nullptr;
    QDockWidget* m_nativeCallsDock = nullptr;
};

} // namespace shmscope
