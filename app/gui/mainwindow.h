#pragma once

#include "app/gui/openrequest.h"

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
class ElidedLabel;
class DataInspector;
class FindBar;
class HexView;
class MappingSession;
class PeersModel;
class TextView;

/// The inspector's main window: the hex view and the text view of one mapping side by side, live;
/// File menu to open/create mappings (with recent addresses), a status bar with the address, size,
/// access and the number of other instances on the same object, and a Peers dock listing those
/// instances (PeersModel; View ▸ Peers). Window layout and recent addresses
/// persist in QSettings.
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

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void createActions();
    void showOpenDialog();
    void closeMapping();
    void goToOffset();
    void showAbout();
    void updateStatus();
    void updateRecentMenu();
    void rememberRecent(const QString& address);
    void showTransientMessage(const QString& message);
    /// Shows the WriteQueue's status ("3 edits waiting for the lock (held by pid N)") and the Cancel
    /// button in the status bar; an empty `status` hides both.
    void showLockWait(const QString& status);
    /// Whether the keyboard focus is in the text view (Edit ▸ Undo/Redo then act on its history).
    bool textViewHasFocus() const;
    /// Enables and names Edit ▸ Undo/Redo after the view with the focus.
    void updateUndoActions();

    std::unique_ptr<MappingSession> m_session;
    OpenRequest m_lastRequest;
    HexView* m_hexView = nullptr;
    TextView* m_textView = nullptr;
    QSplitter* m_splitter = nullptr;
    bool m_initialSplitPending = false; ///< no saved splitter layout: size it once the window is shown
    QMenu* m_recentMenu = nullptr;
    QAction* m_undoAction = nullptr;
    QAction* m_redoAction = nullptr;
    QLabel* m_addressLabel = nullptr;
    QLabel* m_sizeLabel = nullptr;
    QLabel* m_accessLabel = nullptr;
    QLabel* m_peersLabel = nullptr;
    ElidedLabel* m_stateLabel = nullptr; ///< removed / notifications off (sessionstatus.h); hidden when all is well
    QLabel* m_lockWaitLabel = nullptr; ///< edits waiting for the object's lock (WriteQueue::statusText())
    QToolButton* m_lockWaitCancel = nullptr; ///< drops them (WriteQueue::cancel())
    FindBar* m_findBar = nullptr;
    DataInspector* m_dataInspector = nullptr;
    QDockWidget* m_inspectorDock = nullptr;
    BookmarksPanel* m_bookmarksPanel = nullptr;
    QDockWidget* m_bookmarksDock = nullptr;
    PeersModel* m_peersModel = nullptr;
    QDockWidget* m_peersDock = nullptr;
};

} // namespace shmscope
