#include "mainwindow.h"

#include "app/gui/aboutbox.h"
#include "app/gui/helpdialog.h"
#include "app/gui/mappingsession.h"
#include "app/gui/nativecallspanel.h"
#include "app/gui/objectbrowser.h"
#include "app/gui/opendialog.h"
#include "app/gui/pagedocks.h"
#include "app/gui/peersmodel.h"
#include "app/gui/recentlist.h"
#include "app/gui/scanpanel.h"
#include "app/gui/sessionstatus.h"
#include "app/gui/snapshotpanel.h"
#include "app/gui/structurepanel.h"
#include "app/gui/transferactions.h"
#include "widgets/bookmarks.h"
#include "widgets/bytesource.h"
#include "widgets/cursorstatuslabel.h"
#include "widgets/datainspector.h"
#include "widgets/elidedlabel.h"
#include "widgets/findbar.h"
#include "widgets/gotooffset.h"
#include "widgets/hexview.h"
#include "widgets/mappingcard.h"
#include "widgets/structuremodel.h"
#include "widgets/textview.h"
#include "widgets/writequeue.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QHeaderView>
#include <QInputDialog>
#include <QKeySequence>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QShowEvent>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QUndoStack>
#include <QUrl>
#include <QVBoxLayout>
#include <QWindow>

namespace shmscope {

namespace {
constexpr int kMaxRecent = 10;
constexpr int kTransientMessageMs = 5000;
const auto kRecentKey = QStringLiteral("recentAddresses");
const auto kGeometryKey = QStringLiteral("mainWindow/geometry");
const auto kStateKey = QStringLiteral("mainWindow/state");
const auto kSplitterKey = QStringLiteral("mainWindow/splitter");
const auto kBytesPerRowKey = QStringLiteral("hexView/bytesPerRow");
const auto kGroupSizeKey = QStringLiteral("hexView/groupSize");
const auto kOverviewKey = QStringLiteral("hexView/changesOverview");
const auto kHexPaneKey = QStringLiteral("mainWindow/hexPaneVisible");
const auto kTextPaneKey = QStringLiteral("mainWindow/textPaneVisible");
// Room the dock separators, splitter handles and frames take, beside the panes' and docks' widths.
constexpr int kLayoutSlack = 32;
// Room a window manager's frame (borders, title bar) may take around the window on a small screen.
constexpr QSize kFrameRoom(16, 48);

QString accessText(Access access)
{
    switch (access) {
    case Access::ReadWrite:
        return MainWindow::tr("read-write");
    case Access::ReadOnly:
        return MainWindow::tr("read-only");
    case Access::CopyOnWrite:
        return MainWindow::tr("copy-on-write (private)");
    }
    return {};
}
} // namespace

namespace {

// A scroll area that asks for little room: the docks beside the panes take the width the other docks
// ask for, not the panel's.
class DockScrollArea : public QScrollArea
{
public:
    QSize sizeHint() const override { return QSize(160, 160); }
};

// `panel` in a scroll area, so that a dock's minimum and preferred widths stay small: the panes keep the
// room for every column of the hex view (tst_mainwindowlayout), and a narrow dock scrolls.
QScrollArea* scrollable(QWidget* panel)
{
    auto* area = new DockScrollArea;
    area->setWidget(panel);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    return area;
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_hexView(new HexView)
    , m_textView(new TextView)
    , m_splitter(new QSplitter(Qt::Horizontal))
{
    setWindowTitle(tr("ShmScope"));
    // The find bar sits under the hex view, hidden until Edit ▸ Find.
    m_findBar = new FindBar;
    m_findBar->setHexView(m_hexView);
    m_findBar->hide();
    m_hexPane = new QWidget;
    m_hexPane->setObjectName(QStringLiteral("hexPane"));
    auto* hexLayout = new QVBoxLayout(m_hexPane);
    hexLayout->setContentsMargins(0, 0, 0, 0);
    hexLayout->setSpacing(0);
    hexLayout->addWidget(m_hexView);
    hexLayout->addWidget(m_findBar);
    m_splitter->addWidget(m_hexPane);
    m_splitter->addWidget(m_textView);
    // The hex view keeps the width its columns need; the text view takes what the window adds.
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    // Dragging the handle stops at a pane's minimum width: a pane is hidden only by its View menu toggle,
    // which says so and brings it back.
    for (int i = 0; i < m_splitter->count(); ++i)
        m_splitter->setCollapsible(i, false);
    setCentralWidget(m_splitter);

    // A long path is shortened in the middle rather than widening the window (its tooltip shows it whole).
    m_addressLabel = new ElidedLabel;
    m_addressLabel->setElideMode(Qt::ElideMiddle);
    m_sizeLabel = new QLabel;
    m_accessLabel = new QLabel;
    m_peersLabel = new QLabel;
    m_stateLabel = new ElidedLabel; // what is wrong with the view shown (sessionStateText())
    m_stateLabel->setObjectName(QStringLiteral("stateLabel"));
    m_stateLabel->setStyleSheet(QStringLiteral("QLabel { font-weight: bold; }"));
    m_stateLabel->hide();
    statusBar()->addPermanentWidget(m_stateLabel);
    for (QLabel* label : std::initializer_list<QLabel*> { m_addressLabel, m_sizeLabel, m_accessLabel, m_peersLabel })
        statusBar()->addPermanentWidget(label);
    m_cursorStatus = new CursorStatusLabel;
    m_cursorStatus->setHexView(m_hexView);
    statusBar()->addPermanentWidget(m_cursorStatus);
    // Edits waiting for the object's lock (another process holds it): what and who, and a way out.
    m_lockWaitLabel = new QLabel;
    m_lockWaitLabel->setObjectName(QStringLiteral("lockWaitLabel"));
    m_lockWaitCancel = new QToolButton;
    m_lockWaitCancel->setObjectName(QStringLiteral("cancelWaitingEdits"));
    m_lockWaitCancel->setText(tr("Cancel"));
    m_lockWaitCancel->setToolTip(tr("Drop the edits waiting for the lock (Esc in a view): nothing of them is "
                                    "written; they stay in the undo history as not written"));
    connect(m_lockWaitCancel, &QToolButton::clicked, this, [this] {
        if (m_session)
            m_session->source()->writeQueue()->cancel();
    });
    statusBar()->addWidget(m_lockWaitLabel, 1);
    statusBar()->addWidget(m_lockWaitCancel);
    showLockWait({});

    connect(m_hexView, &HexView::editRefused, this, &MainWindow::showTransientMessage);
    connect(m_hexView, &HexView::copyFailed, this, &MainWindow::showTransientMessage);
    m_hexView->setUndoConflictHandler([this](const HexView::UndoConflict& conflict) {
        const QString question = conflict.redo
            ? tr("The %n byte(s) at offset 0x%1 were changed by someone else since you undid your edit. "
                 "Redo it and overwrite their bytes?",
                 nullptr, int(conflict.expected.size()))
            : tr("The %n byte(s) at offset 0x%1 were changed by someone else since you wrote them. "
                 "Undo your edit and overwrite their bytes?",
                 nullptr, int(conflict.expected.size()));
        return QMessageBox::question(this, conflict.redo ? tr("Redo") : tr("Undo"),
                                     question.arg(conflict.offset, 0, 16), QMessageBox::Yes | QMessageBox::No,
                                     QMessageBox::No)
            == QMessageBox::Yes;
    });
    connect(m_textView, &TextView::editRefused, this, &MainWindow::showTransientMessage);

    // Peers dock: the other instances on the object shown, from the same bus as the status-bar count.
    m_peersModel = new PeersModel(this);
    auto* peersTable = new QTableView;
    peersTable->setModel(m_peersModel);
    peersTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    peersTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    peersTable->setWordWrap(false);
    peersTable->verticalHeader()->hide();
    peersTable->horizontalHeader()->setStretchLastSection(true);
    peersTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_peersDock = new QDockWidget(tr("Peers"), this);
    m_peersDock->setObjectName(QStringLiteral("peersDock")); // saveState()/restoreState() need it
    m_peersDock->setWidget(peersTable);
    addDockWidget(Qt::BottomDockWidgetArea, m_peersDock);
    // A few rows are enough; the bytes keep the height (a saved layout, restored below, wins).
    resizeDocks({ m_peersDock },
                { peersTable->verticalHeader()->defaultSectionSize() * 4
                  + peersTable->horizontalHeader()->sizeHint().height() },
                Qt::Vertical);

    // Data inspector and bookmarks docks (object names: saveState()/restoreState() need them).
    m_dataInspector = new DataInspector;
    m_dataInspector->setHexView(m_hexView);
    connect(m_dataInspector, &DataInspector::editFailed, this, &MainWindow::showTransientMessage);
    m_inspectorDock = new QDockWidget(tr("Data Inspector"), this);
    m_inspectorDock->setObjectName(QStringLiteral("dataInspectorDock"));
    m_inspectorDock->setWidget(m_dataInspector);
    addDockWidget(Qt::RightDockWidgetArea, m_inspectorDock);
    m_bookmarksPanel = new BookmarksPanel;
    m_bookmarksPanel->setHexView(m_hexView);
    connect(m_bookmarksPanel, &BookmarksPanel::jumpFailed, this, &MainWindow::showTransientMessage);
    m_bookmarksDock = new QDockWidget(tr("Bookmarks"), this);
    m_bookmarksDock->setObjectName(QStringLiteral("bookmarksDock"));
    m_bookmarksDock->setWidget(m_bookmarksPanel);
    addDockWidget(Qt::RightDockWidgetArea, m_bookmarksDock);
    // Structure dock (issue 11): the object's bytes as the fields of a .ksy layout; tabbed with the Data
    // Inspector so that it takes none of the panes' width (arrangeDocksForFirstStart() too).
    m_structurePanel = new StructurePanel;
    m_structurePanel->setHexView(m_hexView);
    connect(m_structurePanel->model(), &StructureModel::editRefused, this, &MainWindow::showTransientMessage);
    m_structureDock = new QDockWidget(tr("Structure"), this);
    m_structureDock->setObjectName(QStringLiteral("structureDock"));
    m_structureDock->setWidget(m_structurePanel);
    addDockWidget(Qt::RightDockWidgetArea, m_structureDock);
    tabifyDockWidget(m_inspectorDock, m_structureDock);
    m_inspectorDock->raise();
    // Below the panes (a narrow screen) the tree needs more than the other docks' height.
    growWhenBroughtToFront(m_structureDock);
    m_sideDocks = { m_inspectorDock, m_bookmarksDock, m_structureDock };
    // Native calls dock (issue 10): the OS calls of each action; hidden until asked for (View menu).
    auto* nativeCalls = new NativeCallsPanel;
    connect(nativeCalls, &NativeCallsPanel::message, this, &MainWindow::showTransientMessage);
    m_nativeCallsDock = new QDockWidget(tr("Native Calls"), this);
    m_nativeCallsDock->setObjectName(QStringLiteral("nativeCallsDock"));
    m_nativeCallsDock->setWidget(nativeCalls);
    addDockWidget(Qt::BottomDockWidgetArea, m_nativeCallsDock);
    tabifyDockWidget(m_peersDock, m_nativeCallsDock);
    m_nativeCallsDock->hide();
    // Shown from the View menu: in front of its tab group, tall enough for a few actions' calls.
    connect(m_nativeCallsDock->toggleViewAction(), &QAction::triggered, m_nativeCallsDock, [this](bool shown) {
        if (shown)
            m_nativeCallsDock->raise();
    });
    growWhenBroughtToFront(m_nativeCallsDock);
    // Snapshots/diff and the value scan (issue 12), below the panes (arrangeDocksForFirstStart()).
    m_snapshotPanel = new SnapshotPanel;
    m_snapshotPanel->setHexView(m_hexView);
    m_snapshotDock = new QDockWidget(tr("Snapshots"), this);
    m_snapshotDock->setObjectName(QStringLiteral("snapshotsDock"));
    m_snapshotDock->setWidget(scrollable(m_snapshotPanel));
    addDockWidget(Qt::BottomDockWidgetArea, m_snapshotDock);
    m_scanPanel = new ScanPanel;
    m_scanPanel->setHexView(m_hexView);
    m_scanPanel->setBookmarkModel(m_bookmarksPanel->model());
    m_scanDock = new QDockWidget(tr("Value Scan"), this);
    m_scanDock->setObjectName(QStringLiteral("valueScanDock"));
    m_scanDock->setWidget(scrollable(m_scanPanel));
    addDockWidget(Qt::BottomDockWidgetArea, m_scanDock);
    m_pageDocks = new PageDocks(this, m_hexView);

    // Object browser dock: every object of the machine with its holders (tabbed with Peers).
    m_objectBrowserDock = new ObjectBrowserDock(this);
    addDockWidget(Qt::BottomDockWidgetArea, m_objectBrowserDock);
    tabifyDockWidget(m_peersDock, m_objectBrowserDock);
    m_peersDock->raise();
    growWhenBroughtToFront(m_objectBrowserDock); // a table of the machine's objects: more than Peers' rows
    connect(m_objectBrowserDock, &ObjectBrowserDock::openRequested, this, [this](const Address& address) {
        OpenRequest request;
        request.address = address;
        QString error;
        if (!openMapping(request, &error))
            showTransientMessage(error);
    });
    connect(m_objectBrowserDock, &ObjectBrowserDock::revealRequested, this, &MainWindow::revealObject);

    createActions();

    QSettings settings;
    restoreGeometry(settings.value(kGeometryKey).toByteArray());
    restoreState(settings.value(kStateKey).toByteArray());
    const QRect available = screen() ? screen()->availableGeometry() : QRect(0, 0, 1440, 900);
    if (!settings.contains(kGeometryKey)) {
        // 1440x900 at most, and room for a window manager's frame on a smaller screen.
        resize(QSize(1440, 900).boundedTo(available.size() - kFrameRoom));
    } else if (!available.contains(geometry())) {
        // Saved on a larger screen or at a smaller scale factor: without a window manager to clamp
        // it, the window would extend past the screen (status bar out of sight).
        resize(geometry().size().boundedTo(available.size()));
        move(available.topLeft());
    }
    // Arranged for the size just set; showEvent() arranges again for the size the window really gets.
    if (!settings.contains(kStateKey))
        arrangeDocksForFirstStart(width());
    m_initialSplitPending = !m_splitter->restoreState(settings.value(kSplitterKey).toByteArray());
    updateStatus();
}

MainWindow::~MainWindow()
{
    // First: ~QWidget hides the window and deletes the children after this class is gone, and focus
    // leaving them emits QApplication::focusChanged, which must not reach updateUndoActions() on the
    // half-destroyed window (Qt disconnects `this` only in ~QObject, after ~QWidget).
    disconnect(qApp, &QApplication::focusChanged, this, &MainWindow::updateUndoActions);
    // A running comparison or scan reads the session's source: stopped before it goes.
    m_snapshotPanel->setAddress(QString());
    m_scanPanel->setAddress(QString());
    // The views (and a running search) must let go of the source before the session that owns it goes away.
    m_findBar->cancel();
    m_hexView->setSource(nullptr);
    m_textView->setSource(nullptr);
    m_structurePanel->setSource(nullptr);
}

void MainWindow::createActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open or Create…"), this, &MainWindow::showOpenDialog);
    open->setShortcut(QKeySequence::Open);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_reopenAction = file->addAction(tr("Reope&n"), this, &MainWindow::reopenMapping);
    m_reopenAction->setStatusTip(tr("Attach the address shown again (shows a new object of that name)"));
    m_reopenAction->setEnabled(false);
    QAction* close = file->addAction(tr("&Close Mapping"), this, &MainWindow::closeMapping);
    close->setShortcut(QKeySequence::Close);
    file->addSeparator();
    m_transferActions = new TransferActions(m_hexView, this);
    file->addAction(m_transferActions->exportAction());
    file->addAction(m_transferActions->importAction());
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    // Undo and Redo act on the view that has the focus: the text view keeps its own history (it
    // follows other writers' changes), the hex view a QUndoStack.
    m_undoAction = edit->addAction(tr("&Undo"), this, [this] {
        if (textViewHasFocus())
            m_textView->undo();
        else
            m_hexView->undoStack()->undo();
    });
    m_undoAction->setShortcut(QKeySequence::Undo);
    m_redoAction = edit->addAction(tr("&Redo"), this, [this] {
        if (textViewHasFocus())
            m_textView->redo();
        else
            m_hexView->undoStack()->redo();
    });
    m_redoAction->setShortcut(QKeySequence::Redo);
    connect(qApp, &QApplication::focusChanged, this, &MainWindow::updateUndoActions);
    for (auto signal : { &QUndoStack::canUndoChanged, &QUndoStack::canRedoChanged })
        connect(m_hexView->undoStack(), signal, this, &MainWindow::updateUndoActions);
    for (auto signal : { &QUndoStack::undoTextChanged, &QUndoStack::redoTextChanged })
        connect(m_hexView->undoStack(), signal, this, &MainWindow::updateUndoActions);
    connect(m_textView, &TextView::undoAvailable, this, &MainWindow::updateUndoActions);
    connect(m_textView, &TextView::redoAvailable, this, &MainWindow::updateUndoActions);
    updateUndoActions();
    edit->addSeparator();
    QAction* copy
        = edit->addAction(tr("&Copy as Hex"), this, [this] { m_hexView->copySelection(HexView::CopyFormat::Hex); });
    copy->setShortcut(QKeySequence::Copy);
    QAction* paste = edit->addAction(tr("&Paste"), m_hexView, &HexView::paste);
    paste->setShortcut(QKeySequence::Paste);
    QAction* selectAll = edit->addAction(tr("Select &All"), m_hexView, &HexView::selectAll);
    selectAll->setShortcut(QKeySequence::SelectAll);
    edit->addSeparator();
    // The find bar lives under the hex view: finding shows the hex pane if it was hidden.
    QAction* find = edit->addAction(tr("&Find…"), this, [this] {
        m_hexPaneAction->setChecked(true);
        m_findBar->activate();
    });
    find->setShortcut(QKeySequence::Find);
    // F3 / Shift+F3 explicitly: QKeySequence::FindNext also means Ctrl+G on some desktops (Go to Offset).
    QAction* findNext = edit->addAction(tr("Find &Next"), this, [this] {
        m_hexPaneAction->setChecked(true);
        m_findBar->show();
        m_findBar->findNext();
    });
    findNext->setShortcut(QKeySequence(Qt::Key_F3));
    QAction* findPrevious = edit->addAction(tr("Find Pre&vious"), this, [this] {
        m_hexPaneAction->setChecked(true);
        m_findBar->show();
        m_findBar->findPrevious();
    });
    findPrevious->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F3));

    createViewMenu();

    QMenu* go = menuBar()->addMenu(tr("&Go"));
    QAction* goTo = go->addAction(tr("&Go to Offset…"), this, &MainWindow::goToOffset);
    goTo->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_G));
    go->addAction(m_snapshotPanel->nextAction()); // F7
    go->addAction(m_snapshotPanel->previousAction()); // Shift+F7

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* contents = help->addAction(tr("&Contents"), this, [this] {
        auto* dialog = new HelpDialog(menuBar(), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    contents->setShortcut(QKeySequence::HelpContents);
    help->addAction(tr("&About ShmScope"), this, &MainWindow::showAbout);

    updateRecentMenu();
}

void MainWindow::createViewMenu()
{
    // Mnemonics are unique in the menu (tst_mainwindowlayout walks every menu to check).
    QMenu* view = menuBar()->addMenu(tr("&View"));
    m_hexPaneAction = createPaneToggle(m_hexPane, tr("&Hex View"), kHexPaneKey);
    m_hexPaneAction->setStatusTip(tr("Show or hide the hex view and its find bar"));
    view->addAction(m_hexPaneAction);
    m_textPaneAction = createPaneToggle(m_textView, tr("&Text View"), kTextPaneKey);
    m_textPaneAction->setStatusTip(tr("Show or hide the text view"));
    view->addAction(m_textPaneAction);
    updatePaneActions();
    view->addSeparator();
    QAction* inspector = m_inspectorDock->toggleViewAction();
    inspector->setText(tr("&Data Inspector"));
    view->addAction(inspector);
    QAction* bookmarks = m_bookmarksDock->toggleViewAction();
    bookmarks->setText(tr("Boo&kmarks"));
    view->addAction(bookmarks);
    QAction* structure = m_structureDock->toggleViewAction();
    structure->setText(tr("St&ructure"));
    structure->setStatusTip(tr("Show or hide the object's bytes as the fields of a Kaitai Struct layout"));
    view->addAction(structure);
    QAction* peers = m_peersDock->toggleViewAction();
    peers->setText(tr("P&eers"));
    peers->setStatusTip(tr("Show or hide the other instances attached to this object"));
    view->addAction(peers);
    QAction* snapshots = m_snapshotDock->toggleViewAction();
    snapshots->setText(tr("&Snapshots"));
    view->addAction(snapshots);
    QAction* scan = m_scanDock->toggleViewAction();
    scan->setText(tr("&Value Scan"));
    view->addAction(scan);
    view->addAction(m_pageDocks->pagesDock()->toggleViewAction());
    view->addAction(m_pageDocks->mappingsDock()->toggleViewAction());
    QAction* browser = m_objectBrowserDock->toggleViewAction();
    browser->setText(tr("Object Bro&wser"));
    browser->setStatusTip(tr("Show or hide every shared-memory object of this machine with its holders"));
    view->addAction(browser);
    QAction* nativeCalls = m_nativeCallsDock->toggleViewAction();
    nativeCalls->setText(tr("&Native Calls"));
    nativeCalls->setStatusTip(tr("Show or hide the OS calls each action makes, as strace prints them"));
    view->addAction(nativeCalls);
    view->addSeparator();
    QMenu* rowMenu = view->addMenu(tr("&Bytes per Row"));
    auto* rowGroup = new QActionGroup(this);
    const int savedRow = QSettings().value(kBytesPerRowKey, HexView::kBytesPerRow).toInt();
    for (int bytes : { 8, 16, 32 }) {
        QAction* action = rowMenu->addAction(QString::number(bytes));
        action->setCheckable(true);
        action->setActionGroup(rowGroup);
        connect(action, &QAction::triggered, this, [this, bytes] {
            if (m_hexView->setBytesPerRow(bytes))
                QSettings().setValue(kBytesPerRowKey, bytes);
        });
        if (bytes == savedRow && m_hexView->setBytesPerRow(bytes))
            action->setChecked(true);
    }
    QMenu* groupMenu = view->addMenu(tr("&Group Bytes"));
    auto* groupGroup = new QActionGroup(this);
    const int savedGroup = QSettings().value(kGroupSizeKey, 1).toInt();
    for (int bytes : { 1, 2, 4, 8 }) {
        QAction* action = groupMenu->addAction(tr("%n byte(s)", nullptr, bytes));
        action->setCheckable(true);
        action->setActionGroup(groupGroup);
        connect(action, &QAction::triggered, this, [this, bytes] {
            if (m_hexView->setGroupSize(bytes))
                QSettings().setValue(kGroupSizeKey, bytes);
        });
        if (bytes == savedGroup && m_hexView->setGroupSize(bytes))
            action->setChecked(true);
    }
    view->addSeparator();
    view->addMenu(m_hexView->createPollRateMenu(view));
    QAction* overview = view->addAction(tr("Changes &Overview"));
    overview->setCheckable(true);
    overview->setStatusTip(tr("Show where in the whole mapping bytes changed recently, beside the scrollbar"));
    connect(overview, &QAction::toggled, this, [this](bool shown) {
        m_hexView->setChangesOverviewVisible(shown);
        QSettings().setValue(kOverviewKey, shown);
    });
    overview->setChecked(QSettings().value(kOverviewKey, true).toBool());
    m_hexView->setChangesOverviewVisible(overview->isChecked());
    QAction* pauseScan = view->addAction(tr("Pa&use Change Scan"));
    pauseScan->setCheckable(true);
    pauseScan->setStatusTip(tr("Stop the background scan of the whole mapping that feeds the changes overview"));
    connect(pauseScan, &QAction::toggled, m_hexView, &HexView::setScanPaused);
    connect(view, &QMenu::aboutToShow, pauseScan,
            [this, pauseScan] { pauseScan->setChecked(m_hexView->isScanPaused()); });
}

QAction* MainWindow::createPaneToggle(QWidget* pane, const QString& text, const QString& key)
{
    auto* action = new QAction(text, this);
    action->setCheckable(true);
    action->setChecked(QSettings().value(key, true).toBool());
    pane->setHidden(!action->isChecked());
    connect(action, &QAction::toggled, this, [this, pane, key](bool shown) {
        pane->setHidden(!shown);
        QSettings().setValue(key, shown);
        updatePaneActions();
    });
    return action;
}

void MainWindow::updatePaneActions()
{
    if (!m_hexPaneAction || !m_textPaneAction)
        return;
    if (!m_hexPaneAction->isChecked() && !m_textPaneAction->isChecked())
        m_hexPaneAction->setChecked(true); // (a saved state with both hidden) the bytes come back
    // The last pane shown stays: the window would otherwise have nothing in its middle.
    m_hexPaneAction->setEnabled(m_textPaneAction->isChecked());
    m_textPaneAction->setEnabled(m_hexPaneAction->isChecked());
}

bool MainWindow::openMapping(const OpenRequest& request, QString* error)
{
    bool existed = false;
    auto session = MappingSession::open(request, error, &existed);
    if (!session)
        return false;

    m_findBar->cancel(); // the search reads the old source, which goes away now
    m_snapshotPanel->setAddress(QString()); // so do a comparison and a scan
    m_scanPanel->setAddress(QString());
    m_hexView->setSource(nullptr);
    m_textView->setSource(nullptr);
    m_structurePanel->setSource(nullptr);
    m_session = std::move(session);
    m_lastRequest = request;
    m_hexView->setSource(m_session->source());
    m_hexView->setAccessibleName(tr("Hex view of %1").arg(m_session->addressText()));
    m_bookmarksPanel->model()->setAddress(m_session->addressText());
    m_snapshotPanel->setAddress(m_session->addressText());
    m_scanPanel->setAddress(m_session->addressText());
    m_dataInspector->model()->refresh();
    // The text encoding is remembered per object: "textView/encoding/<percent-encoded address>" ('/'
    // would make QSettings groups of the address's parts).
    m_textView->setEncodingSettingsKey(QStringLiteral("textView/encoding/")
                                       + QString::fromLatin1(QUrl::toPercentEncoding(m_session->addressText())));
    m_textView->setSource(m_session->source());
    m_pageDocks->setSource(m_session->source());
    m_structurePanel->setSource(m_session->source());
    m_peersModel->setBus(m_session->bus());
    m_hexView->setFocus();
    WriteQueue* queue = m_session->source()->writeQueue();
    connect(queue, &WriteQueue::statusChanged, this, &MainWindow::showLockWait);
    showLockWait(queue->statusText());

    connect(m_session.get(), &MappingSession::peersChanged, this, &MainWindow::updateStatus);
    connect(m_session.get(), &MappingSession::sizeChanged, this, [this](quint64 size) {
        updateStatus();
        showTransientMessage(tr("%1 was resized by another process: now %2 bytes")
                                 .arg(m_session->addressText(), QLocale().toString(size)));
    });
    connect(m_session.get(), &MappingSession::objectRemoved, this, [this](qint64 pid) {
        showTransientMessage(tr("%1 was removed by process %2; this view stays attached until you close it")
                                 .arg(m_session->addressText())
                                 .arg(pid));
    });
    connect(m_session.get(), &MappingSession::removedChanged, this, &MainWindow::updateStatus);
    connect(m_session.get(), &MappingSession::replacedChanged, this, &MainWindow::updateStatus);

    rememberRecent(m_session->addressText());
    if (request.create && !existed)
        showTransientMessage(tr("Created %1").arg(m_session->addressText()));
    else if (request.create) // create-or-attach found it: never pass off its size as the one asked for
        statusBar()->showMessage(
            existedNotice(m_session->addressText(), m_session->source()->size(), request.options.size));
    updateStatus();
    return true;
}

bool MainWindow::textViewHasFocus() const
{
    const QWidget* focus = QApplication::focusWidget();
    return focus && (focus == m_textView || m_textView->isAncestorOf(focus));
}

void MainWindow::updateUndoActions()
{
    if (textViewHasFocus()) {
        m_undoAction->setEnabled(m_textView->canUndo());
        m_undoAction->setText(tr("&Undo Text Edit"));
        m_redoAction->setEnabled(m_textView->canRedo());
        m_redoAction->setText(m_textView->redoIsNotWritten() ? tr("&Redo Text Edit (not written)")
                                                             : tr("&Redo Text Edit"));
        return;
    }
    const QUndoStack* stack = m_hexView->undoStack();
    m_undoAction->setEnabled(stack->canUndo());
    m_undoAction->setText(stack->canUndo() ? tr("&Undo %1").arg(stack->undoText()) : tr("&Undo"));
    m_redoAction->setEnabled(stack->canRedo());
    m_redoAction->setText(stack->canRedo() ? tr("&Redo %1").arg(stack->redoText()) : tr("&Redo"));
}

bool MainWindow::mayDropWaitingEdits(const QString& action)
{
    if (!m_session)
        return true;
    WriteQueue* queue = m_session->source()->writeQueue();
    if (!queue->isWaiting())
        return true;
    QMessageBox box(QMessageBox::Warning, tr("Edits Waiting for the Lock"), queue->statusText(), QMessageBox::NoButton,
                    this);
    box.setObjectName(QStringLiteral("waitingEditsBox"));
    box.setInformativeText(
        tr("%1 drops them: nothing of them is written. Keep waiting to let them land when the lock is free.")
            .arg(action));
    QPushButton* drop = box.addButton(tr("Drop the Edits"), QMessageBox::DestructiveRole);
    QPushButton* keep = box.addButton(tr("Keep Waiting"), QMessageBox::RejectRole);
    box.setDefaultButton(keep);
    box.exec();
    if (box.clickedButton() != drop)
        return false;
    queue->cancel(); // whatever still waits (some may have landed while the box was open)
    return true;
}

void MainWindow::showOpenDialog()
{
    if (!mayDropWaitingEdits(tr("Opening another mapping")))
        return;
    OpenDialog dialog(this);
    dialog.setRequest(m_lastRequest);
    while (dialog.exec() == QDialog::Accepted) {
        QString error;
        if (openMapping(dialog.request(), &error))
            return;
        QMessageBox::warning(this, tr("Open Mapping"), error);
        dialog.setRequest(dialog.request());
    }
}

void MainWindow::closeMapping()
{
    if (!mayDropWaitingEdits(tr("Closing the mapping")))
        return;
    m_findBar->cancel();
    m_snapshotPanel->setAddress(QString());
    m_scanPanel->setAddress(QString());
    m_hexView->setSource(nullptr);
    m_bookmarksPanel->model()->setAddress(QString());
    m_dataInspector->model()->refresh();
    m_textView->setSource(nullptr);
    m_pageDocks->setSource(nullptr);
    m_structurePanel->setSource(nullptr);
    m_peersModel->setBus(nullptr);
    m_session.reset();
    showLockWait({});
    updateStatus();
}

void MainWindow::goToOffset()
{
    if (!m_session)
        return;
    bool ok = false;
    const QString text = QInputDialog::getText(
        this, tr("Go to Offset"),
        tr("Offset (decimal or 0x-hex; +N or -N from the cursor), less than %1:").arg(m_session->source()->size()),
        QLineEdit::Normal, QString(), &ok);
    if (!ok)
        return;
    QString why;
    const auto offset = parseGoToOffset(text, m_hexView->cursorOffset(), m_session->source()->size(), &why);
    if (!offset) {
        showTransientMessage(why);
        return;
    }
    m_hexView->setCursorOffset(*offset);
}

void MainWindow::showAbout()
{
    showAboutBox(this);
}

void MainWindow::updateWindowTitle()
{
    setWindowTitle(sessionWindowTitle(m_session.get()));
    const QString state = sessionStateText(m_session.get());
    m_stateLabel->setFullText(state);
    m_stateLabel->setVisible(!state.isEmpty());
}

void MainWindow::reopenMapping()
{
    if (!m_session || !mayDropWaitingEdits(tr("Reopening the mapping")))
        return;
    OpenRequest request = m_lastRequest;
    request.create = false; // reopen what has the name now; never make one
    QString error;
    if (!openMapping(request, &error))
        QMessageBox::warning(this, tr("Reopen Mapping"), error);
}

void MainWindow::updateStatus()
{
    updateWindowTitle();
    m_reopenAction->setEnabled(m_session != nullptr);
    m_cursorStatus->refresh();
    if (!m_session) {
        m_addressLabel->setFullText(tr("No mapping open"));
        m_sizeLabel->clear();
        m_accessLabel->clear();
        m_peersLabel->clear();
        return;
    }
    const QString address = m_session->addressText();
    const quint64 size = m_session->source()->size();
    m_addressLabel->setFullText(address);
    m_sizeLabel->setText(
        tr("%1 bytes (%2)")
            .arg(QLocale().toString(size),
                 QLocale().formattedDataSize(static_cast<qint64>(size), 1, QLocale::DataSizeIecFormat)));
    m_accessLabel->setText(accessText(m_session->access()));
    m_peersLabel->setText(m_session->bus() ? tr("%n other instance(s)", nullptr, m_session->peerCount())
                                           : tr("other instances unknown"));
}

void MainWindow::updateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(kRecentKey).toStringList();
    for (const QString& address : recent) {
        // "&&": an '&' in a name is shown, not taken as a mnemonic.
        QString label = address;
        label.replace(QLatin1Char('&'), QStringLiteral("&&"));
        m_recentMenu->addAction(label, this, [this, address] {
            const auto parsed = parseAddress(address.toStdString());
            if (!parsed)
                return;
            if (!mayDropWaitingEdits(tr("Opening another mapping")))
                return;
            OpenRequest request;
            request.address = *parsed;
            QString error;
            if (!openMapping(request, &error))
                QMessageBox::warning(this, tr("Open Mapping"), error);
        });
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
    m_objectBrowserDock->setKnownFiles(recent); // the file: objects opened here are listed there
}

void MainWindow::revealObject(Address address, int pid)
{
    const QString text = QString::fromStdString(toString(address));
    if (!m_session || m_session->addressText() != text) {
        QMessageBox box(
            QMessageBox::Question, tr("Reveal Object"),
            m_session ? tr("Open %1 in place of %2 to show its pages and mappings?").arg(text, m_session->addressText())
                      : tr("Open %1 to show its pages and mappings?").arg(text),
            QMessageBox::Open | QMessageBox::Cancel, this);
        box.setObjectName(QStringLiteral("revealOpenBox"));
        box.setDefaultButton(QMessageBox::Open);
        if (box.exec() != QMessageBox::Open || !mayDropWaitingEdits(tr("Opening another mapping")))
            return;
        OpenRequest request;
        request.address = address;
        QString error;
        if (!openMapping(request, &error)) {
            QMessageBox::warning(this, tr("Reveal Object"), error);
            return;
        }
    }
    for (QDockWidget* dock : { m_pageDocks->pagesDock(), m_pageDocks->mappingsDock() }) {
        dock->show();
        dock->raise();
    }
    if (pid != 0 && !m_pageDocks->mappingCard()->selectProcess(pid))
        showTransientMessage(tr("Process %1 has no view of %2 now").arg(pid).arg(text));
}

void MainWindow::rememberRecent(const QString& address)
{
    shmscope::rememberRecent(kRecentKey, address, kMaxRecent);
    updateRecentMenu();
}

void MainWindow::showTransientMessage(const QString& message)
{
    statusBar()->showMessage(message, kTransientMessageMs);
}

void MainWindow::showLockWait(const QString& status)
{
    m_lockWaitLabel->setText(status);
    m_lockWaitLabel->setVisible(!status.isEmpty());
    m_lockWaitCancel->setVisible(!status.isEmpty());
}

void MainWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    if (m_shownOnce)
        return;
    m_shownOnce = true;
    // Without a saved layout, or with one that squeezes a pane below its minimum (saved when a drag could
    // still collapse a pane), the splitter is sized once the docks have taken their place.
    const auto split = [this] {
        if (m_initialSplitPending || !splitIsUsable())
            applyInitialSplit();
        m_initialSplitPending = false;
    };
    QTimer::singleShot(0, this, [this, split] {
        // The width the window got when shown: -qwindowgeometry (tools/screenshots) and a window manager
        // size the native window after the constructor; its geometry is known before the widget's.
        const bool moved
            = m_firstStartLayout && arrangeDocksForFirstStart(windowHandle() ? windowHandle()->width() : width());
        if (moved)
            QTimer::singleShot(0, this, split); // after the layout pass that gives the panes their new width
        else
            split();
    });
}

void MainWindow::applyInitialSplit()
{
    // The hex view gets the width it needs to show every column, the text view takes the rest; on a
    // narrow window the text view keeps its minimum and the hex view scrolls sideways.
    const int available = m_splitter->width() - m_splitter->handleWidth();
    const int text = m_textView->minimumSizeHint().width();
    const int hex = qMax(m_hexPane->minimumSizeHint().width(), qMin(m_hexView->sizeHint().width(), available - text));
    m_splitter->setSizes({ hex, qMax(text, available - hex) });
}

bool MainWindow::splitIsUsable() const
{
    const QList<int> sizes = m_splitter->sizes();
    for (int i = 0; i < m_splitter->count() && i < sizes.size(); ++i) {
        const QWidget* pane = m_splitter->widget(i);
        if (!pane->isHidden() && sizes.at(i) < pane->minimumSizeHint().width())
            return false;
    }
    return true;
}

bool MainWindow::sideDocksFitBeside(int windowWidth) const
{
    // Beside the panes, the side docks need their own width: every column of the hex view, the text
    // view's minimum, the widest side dock's minimum and the page strip must fit the window.
    int side = 0;
    for (const QDockWidget* dock : m_sideDocks)
        side = qMax(side, dock->minimumSizeHint().width());
    const int besideWidth = m_hexView->sizeHint().width() + m_textView->minimumSizeHint().width() + side + kLayoutSlack
        + m_pageDocks->pagesDock()->minimumSizeHint().width();
    return windowWidth >= besideWidth;
}

void MainWindow::growWhenBroughtToFront(QDockWidget* dock)
{
    connect(dock, &QDockWidget::visibilityChanged, this, [this, dock](bool visible) {
        if (!visible || !isVisible() || dockWidgetArea(dock) != Qt::BottomDockWidgetArea)
            return;
        // After the tab switch is laid out (a resize from inside it is undone by the layout).
        QTimer::singleShot(0, this, [this, dock] {
            if (dock->isVisible() && dockWidgetArea(dock) == Qt::BottomDockWidgetArea && dock->height() < height() / 3)
                resizeDocks({ dock }, { height() * 2 / 5 }, Qt::Vertical);
        });
    });
}

bool MainWindow::arrangeDocksForFirstStart(int windowWidth)
{
    const bool beside = sideDocksFitBeside(windowWidth);
    if (m_sideDocks.isEmpty() || (m_firstStartLayout && beside == m_sideDocksBeside))
        return false;
    QDockWidget* first = m_sideDocks.first();
    if (beside)
        addDockWidget(Qt::RightDockWidgetArea, first); // out of the tabs below, if it was there
    else
        tabifyDockWidget(m_peersDock, first);
    for (qsizetype i = 1; i < m_sideDocks.size(); ++i)
        tabifyDockWidget(first, m_sideDocks.at(i));
    if (!m_firstStartLayout) {
        // Snapshots, Value Scan and Mappings below the panes with Peers, where the tab bar has the
        // window's width (more tabs beside would widen the dock area past every column of the hex view).
        tabifyDockWidget(m_peersDock, m_pageDocks->mappingsDock());
        tabifyDockWidget(m_pageDocks->mappingsDock(), m_snapshotDock);
        tabifyDockWidget(m_snapshotDock, m_scanDock);
    }
    m_peersDock->raise();
    first->raise();
    if (!beside)
        m_peersDock->raise();
    m_firstStartLayout = true;
    m_sideDocksBeside = beside;
    return true;
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!mayDropWaitingEdits(tr("Closing the window"))) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState());
    settings.setValue(kSplitterKey, m_splitter->saveState());
    event->accept();
}

} // namespace shmscope
