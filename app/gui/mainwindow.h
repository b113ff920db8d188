#pragma once

#include "app/gui/openrequest.h"

#include <QMainWindow>

#include <memory>

class QLabel;
class QMenu;
class QSplitter;

namespace shmscope {

class HexView;
class MappingSession;
class TextView;

/// The inspector's main window: the hex view and the text view of one mapping side by side, live;
/// File menu to open/create mappings (with recent addresses), a status bar with the address, size,
/// access and the number of other instances on the same object. Window layout and recent addresses
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

protected:
    void closeEvent(QCloseEvent* event) override;

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

    std::unique_ptr<MappingSession> m_session;
    OpenRequest m_lastRequest;
    HexView* m_hexView = nullptr;
    TextView* m_textView = nullptr;
    QSplitter* m_splitter = nullptr;
    QMenu* m_recentMenu = nullptr;
    QLabel* m_addressLabel = nullptr;
    QLabel* m_sizeLabel = nullptr;
    QLabel* m_accessLabel = nullptr;
    QLabel* m_peersLabel = nullptr;
};

} // namespace shmscope
