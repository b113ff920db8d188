#include "mainwindow.h"

#include "app/gui/mappingsession.h"
#include "app/gui/opendialog.h"
#include "app/gui/peersmodel.h"
#include "widgets/bookmarks.h"
#include "widgets/bytesource.h"
#include "widgets/datainspector.h"
#include "widgets/findbar.h"
#include "widgets/gotooffset.h"
#include "widgets/hexview.h"
#include "widgets/textview.h"

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
#include <QScreen>
#include <QSettings>
#include <QShowEvent>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QUndoStack>
#include <QUrl>
#include <QVBoxLayout>

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
    auto* hexPane = new QWidget;
    auto* hexLayout = new QVBoxLayout(hexPane);
    hexLayout->setContentsMargins(0, 0, 0, 0);
    hexLayout->setSpacing(0);
    hexLayout->addWidget(m_hexView);
    hexLayout->addWidget(m_findBar);
    m_splitter->addWidget(hexPane);
    m_splitter->addWidget(m_textView);
    // The hex view keeps the width its columns need; the text view takes what the window adds.
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    setCentralWidget(m_splitter);

    m_addressLabel = new QLabel;
    m_sizeLabel = new QLabel;
    m_accessLabel = new QLabel;
    m_peersLabel = new QLabel;
    for (QLabel* label : { m_addressLabel, m_sizeLabel, m_accessLabel, m_peersLabel })
        statusBar()->addPermanentWidget(label);

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

    createActions();

    QSettings settings;
    restoreGeometry(settings.value(kGeometryKey).toByteArray());
    restoreState(settings.value(kStateKey).toByteArray());
    if (!settings.contains(kStateKey)) {
        // First start: the inspector and the bookmarks share one tabbed column so that the hex view
        // keeps the width of all its columns.
        tabifyDockWidget(m_inspectorDock, m_bookmarksDock);
        m_inspectorDock->raise();
    }
    if (!settings.contains(kGeometryKey)) {
        const QRect available = screen() ? screen()->availableGeometry() : QRect(0, 0, 1440, 900);
        resize(qMin(1440, available.width()), qMin(900, available.height()));
    }
    m_initialSplitPending = !m_splitter->restoreState(settings.value(kSplitterKey).toByteArray());
    updateStatus();
}

MainWindow::~MainWindow()
{
    // First: ~QWidget hides the window and deletes the children after this class is gone, and focus
    // leaving them emits QApplication::focusChanged, which must not reach updateUndoActions() on the
    // half-destroyed window (Qt disconnects `this` only in ~QObject, after ~QWidget).
    disconnect(qApp, &QApplication::focusChanged, this, &MainWindow::updateUndoActions);
    // The views (and a running search) must let go of the source before the session that owns it goes away.
    m_findBar->cancel();
    m_hexView->setSource(nullptr);
    m_textView->setSource(nullptr);
}

void MainWindow::createActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open or Create…"), this, &MainWindow::showOpenDialog);
    open->setShortcut(QKeySequence::Open);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    QAction* close = file->addAction(tr("&Close Mapping"), this, &MainWindow::closeMapping);
    close->setShortcut(QKeySequence::Close);
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
    QAction* find = edit->addAction(tr("&Find…"), m_findBar, &FindBar::activate);
    find->setShortcut(QKeySequence::Find);
    // F3 / Shift+F3 explicitly: QKeySequence::FindNext also means Ctrl+G on some desktops (Go to Offset).
    QAction* findNext = edit->addAction(tr("Find &Next"), this, [this] {
        m_findBar->show();
        m_findBar->findNext();
    });
    findNext->setShortcut(QKeySequence(Qt::Key_F3));
    QAction* findPrevious = edit->addAction(tr("Find Pre&vious"), this, [this] {
        m_findBar->show();
        m_findBar->findPrevious();
    });
    findPrevious->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F3));

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* peers = m_peersDock->toggleViewAction();
    peers->setText(tr("&Peers"));
    peers->setStatusTip(tr("Show or hide the other instances attached to this object"));
    view->addAction(peers);
    view->addSeparator();
    QAction* inspector = m_inspectorDock->toggleViewAction();
    inspector->setText(tr("&Data Inspector"));
    view->addAction(inspector);
    QAction* bookmarks = m_bookmarksDock->toggleViewAction();
    bookmarks->setText(tr("Boo&kmarks"));
    view->addAction(bookmarks);
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
    overview->setChecked(true);
    overview->setStatusTip(tr("Show where in the whole mapping bytes changed recently, beside the scrollbar"));
    connect(overview, &QAction::toggled, m_hexView, &HexView::setChangesOverviewVisible);
    QAction* pauseScan = view->addAction(tr("&Pause Change Scan"));
    pauseScan->setCheckable(true);
    pauseScan->setStatusTip(tr("Stop the background scan of the whole mapping that feeds the changes overview"));
    connect(pauseScan, &QAction::toggled, m_hexView, &HexView::setScanPaused);
    connect(view, &QMenu::aboutToShow, pauseScan,
            [this, pauseScan] { pauseScan->setChecked(m_hexView->isScanPaused()); });

    QMenu* go = menuBar()->addMenu(tr("&Go"));
    QAction* goTo = go->addAction(tr("&Go to Offset…"), this, &MainWindow::goToOffset);
    goTo->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_G));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About ShmScope"), this, &MainWindow::showAbout);

    updateRecentMenu();
}

bool MainWindow::openMapping(const OpenRequest& request, QString* error)
{
    bool existed = false;
    auto session = MappingSession::open(request, error, &existed);
    if (!session)
        return false;

    m_findBar->cancel(); // the search reads the old source, which goes away now
    m_hexView->setSource(nullptr);
    m_textView->setSource(nullptr);
    m_session = std::move(session);
    m_lastRequest = request;
    m_hexView->setSource(m_session->source());
    m_hexView->setAccessibleName(tr("Hex view of %1").arg(m_session->addressText()));
    m_bookmarksPanel->model()->setAddress(m_session->addressText());
    m_dataInspector->model()->refresh();
    // The text encoding is remembered per object: "textView/encoding/<percent-encoded address>" ('/'
    // would make QSettings groups of the address's parts).
    m_textView->setEncodingSettingsKey(QStringLiteral("textView/encoding/")
                                       + QString::fromLatin1(QUrl::toPercentEncoding(m_session->addressText())));
    m_textView->setSource(m_session->source());
    m_peersModel->setBus(m_session->bus());
    m_hexView->setFocus();

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

    rememberRecent(m_session->addressText());
    if (request.create && !existed)
        showTransientMessage(tr("Created %1").arg(m_session->addressText()));
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
        m_redoAction->setText(tr("&Redo Text Edit"));
        return;
    }
    const QUndoStack* stack = m_hexView->undoStack();
    m_undoAction->setEnabled(stack->canUndo());
    m_undoAction->setText(stack->canUndo() ? tr("&Undo %1").arg(stack->undoText()) : tr("&Undo"));
    m_redoAction->setEnabled(stack->canRedo());
    m_redoAction->setText(stack->canRedo() ? tr("&Redo %1").arg(stack->redoText()) : tr("&Redo"));
}

void MainWindow::showOpenDialog()
{
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
    m_findBar->cancel();
    m_hexView->setSource(nullptr);
    m_bookmarksPanel->model()->setAddress(QString());
    m_dataInspector->model()->refresh();
    m_textView->setSource(nullptr);
    m_peersModel->setBus(nullptr);
    m_session.reset();
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
    QMessageBox::about(
        this, tr("About ShmScope"),
        tr("<p><b>ShmScope %1</b></p><p>An inspector for named shared memory: attach to POSIX, System V and "
           "file-backed mappings, watch their bytes change live, edit them, and see what other instances do.</p>")
            .arg(QApplication::applicationVersion()));
}

void MainWindow::updateStatus()
{
    if (!m_session) {
        setWindowTitle(tr("ShmScope"));
        m_addressLabel->setText(tr("No mapping open"));
        m_sizeLabel->clear();
        m_accessLabel->clear();
        m_peersLabel->clear();
        return;
    }
    const QString address = m_session->addressText();
    const quint64 size = m_session->source()->size();
    setWindowTitle(tr("%1 — ShmScope").arg(address));
    m_addressLabel->setText(address);
    m_sizeLabel->setText(
        tr("%1 bytes (%2)")
            .arg(QLocale().toString(size),
                 QLocale().formattedDataSize(static_cast<qint64>(size), 1, QLocale::DataSizeIecFormat)));
    m_accessLabel->setText(accessText(m_session->access()));
    m_peersLabel->setText(tr("%n other instance(s)", nullptr, m_session->peerCount()));
}

void MainWindow::updateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(kRecentKey).toStringList();
    for (const QString& address : recent) {
        m_recentMenu->addAction(address, this, [this, address] {
            const auto parsed = parseAddress(address.toStdString());
            if (!parsed)
                return;
            OpenRequest request;
            request.address = *parsed;
            QString error;
            if (!openMapping(request, &error))
                QMessageBox::warning(this, tr("Open Mapping"), error);
        });
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::rememberRecent(const QString& address)
{
    QSettings settings;
    QStringList recent = settings.value(kRecentKey).toStringList();
    recent.removeAll(address);
    recent.prepend(address);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    settings.setValue(kRecentKey, recent);
    updateRecentMenu();
}

void MainWindow::showTransientMessage(const QString& message)
{
    statusBar()->showMessage(message, kTransientMessageMs);
}

void MainWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    if (!m_initialSplitPending)
        return;
    m_initialSplitPending = false;
    // Without a saved layout the hex view gets the width it needs to show every column, measured
    // once the docks have taken their place; the text view takes the rest.
    QTimer::singleShot(0, this, [this] {
        const int hex = m_hexView->sizeHint().width();
        m_splitter->setSizes({ hex, qMax(1, m_splitter->width() - hex - m_splitter->handleWidth()) });
    });
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState());
    settings.setValue(kSplitterKey, m_splitter->saveState());
    event->accept();
}

} // namespace shmscope
