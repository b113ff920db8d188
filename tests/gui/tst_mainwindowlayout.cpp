// The main window's layout, menus and status as a new user meets them (issue 9, items 18, 19, 20), on
// the screen the platform reports: ctest runs this test on an offscreen 1280×800 screen at scale 1, a
// 1366×768 one at QT_SCALE_FACTOR=1.25 and a 2560×1600 one at scale 2 (tests/gui/screens/*.json).
//
// - At the screen's size every pane, every dock and every column of the hex view shows; Find never
//   makes the window wider than the screen: after a long find message its minimum size still fits
//   (item 18).
// - Neither splitter pane can be dragged to nothing; View ▸ Hex View / Text View show and hide them,
//   remembered across windows, and a layout saved with a collapsed pane comes back usable (item 19).
// - The docks that are tables or trees (Object Browser, Structure, Native Calls), brought to the front
//   below the panes, take 2/5 of the window: at 1280×800 the Object Browser showed two rows.
// - Every menu's mnemonics are unique; the title says read-only / copy-on-write; the status bar shows
//   the cursor offset and the selection length (item 20).
#include "app/gui/mainwindow.h"
#include "app/gui/objectbrowser.h"
#include "app/gui/openrequest.h"
#include "core/mapping.h"
#include "mnemonics.h"
#include "widgets/bytesource.h"
#include "widgets/findbar.h"
#include "widgets/hexview.h"
#include "widgets/textview.h"

#include <QAction>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTest>
#include <string>

using namespace shmscope;

namespace {

// Room a window manager's frame takes around a window (borders, title bar): the window's minimum size
// plus this must fit the screen's available area.
constexpr QSize kFrame(16, 48);

QString plain(QString text)
{
    return text.remove(QLatin1Char('&'));
}

QMenu* topMenu(QMainWindow* window, const QString& title)
{
    const auto actions = window->menuBar()->actions();
    for (QAction* action : actions) {
        if (action->menu() && plain(action->text()) == title)
            return action->menu();
    }
    return nullptr;
}

// The checkable entry of `menu` reading `text` (mnemonic aside).
QAction* toggleIn(QMenu* menu, const QString& text)
{
    if (!menu)
        return nullptr;
    const auto actions = menu->actions();
    for (QAction* action : actions) {
        if (plain(action->text()) == text && action->isCheckable())
            return action;
    }
    return nullptr;
}

QAction* actionWithShortcut(QWidget* window, const QKeySequence& shortcut)
{
    const auto actions = window->findChildren<QAction*>();
    for (QAction* action : actions) {
        if (action->shortcut() == shortcut)
            return action;
    }
    return nullptr;
}

// Every column of the top row of `view` lies inside its viewport, hex and ASCII (the view is scrolled
// to the left and to the top, and its source holds a row at least).
bool wholeRowVisible(HexView* view)
{
    const QRect viewport = view->viewport()->rect();
    const int last = view->bytesPerRow() - 1;
    const QRect hex = view->cellRect(quint64(last), HexView::Pane::Hex);
    const QRect ascii = view->cellRect(quint64(last), HexView::Pane::Ascii);
    return !hex.isEmpty() && !ascii.isEmpty() && viewport.contains(hex) && viewport.contains(ascii);
}

// Lets every pending layout request and zero-time timer run: sizes and size hints are final then
// (a layout change is applied from the event loop, so a minimum size read right after it is stale).
void settle()
{
    for (int round = 0; round < 10; ++round) {
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        QCoreApplication::processEvents();
    }
}

// The status bar texts, joined.
QString statusTexts(QMainWindow* window)
{
    QStringList texts;
    const auto labels = window->statusBar()->findChildren<QLabel*>();
    for (const QLabel* label : labels)
        texts << label->text();
    return texts.join(QStringLiteral(" | "));
}

} // namespace

class TestMainWindowLayout : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void everyColumnShows_data();
    void everyColumnShows();
    void findFitsTheScreen();
    void panesCannotBeLost();
    void menuMnemonicsAreUnique();
    void titleSaysTheAccess();
    void statusBarShowsTheCursor();
    void tableDocksGrowWhenBroughtToFront();

private:
    /// Opens (creating) the test object in `window`; size in bytes.
    bool open(MainWindow& window, quint64 size = 64 * 1024, Access access = Access::ReadWrite);

    Address m_address;
    int m_settingsRound = 0;
};

void TestMainWindowLayout::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("shmscope-tests"));
    m_address.kind = Kind::Posix;
    m_address.name = "/shmscope-test-" + std::to_string(QCoreApplication::applicationPid()) + "-layout";
    const QScreen* screen = QGuiApplication::primaryScreen();
    qInfo("screen %dx%d (available %dx%d logical pixels), device pixel ratio %.2f", screen->geometry().width(),
          screen->geometry().height(), screen->availableGeometry().width(), screen->availableGeometry().height(),
          screen->devicePixelRatio());
}

void TestMainWindowLayout::init()
{
    // Fresh settings per test function (a first start), removed in cleanup().
    QCoreApplication::setApplicationName(
        QStringLiteral("tst_mainwindowlayout_%1_%2").arg(QCoreApplication::applicationPid()).arg(++m_settingsRound));
}

void TestMainWindowLayout::cleanup()
{
    (void)removeObject(m_address);
    QSettings().clear();
}

bool TestMainWindowLayout::open(MainWindow& window, quint64 size, Access access)
{
    OpenRequest request;
    request.address = m_address;
    request.create = true;
    request.options.size = size;
    request.access = access;
    QString error;
    if (!window.openMapping(request, &error)) {
        qWarning("%s", qPrintable(error));
        return false;
    }
    return true;
}

// How a first start can size the window, each as a user or tools/screenshots gets it.
enum class Placement {
    Own, ///< the size the window picks itself for this screen (a user's first start)
    Given, ///< a size given before it is shown: -qwindowgeometry (tools/screenshots) or a window manager
    ResizedAfterShown, ///< resized to the screen's room once shown
};
Q_DECLARE_METATYPE(Placement)

void TestMainWindowLayout::everyColumnShows_data()
{
    QTest::addColumn<Placement>("placement");
    QTest::addColumn<QSize>("size"); // with Given: the size asked for (bounded to the screen's room)
    QTest::newRow("first start, own size") << Placement::Own << QSize();
    // tools/screenshots: two windows side by side on a 2560x900 screen, 1276x870 each.
    QTest::newRow("given 1276x870 before shown") << Placement::Given << QSize(1276, 870);
    QTest::newRow("given 1280x800 before shown") << Placement::Given << QSize(1280, 800);
    QTest::newRow("resized to the room after shown") << Placement::ResizedAfterShown << QSize();
}

// Item 18: at 1280 px the hex view's ASCII column was cut (the docks and the text view took its width).
// A first start at the screen's size, or at about 1280 px on a wider screen (tools/screenshots: the
// docks were arranged for the screen's width, not the window's), shows every pane and dock, and every
// column of the hex view.
void TestMainWindowLayout::everyColumnShows()
{
    QFETCH(Placement, placement);
    QFETCH(QSize, size);
    const QRect available = QGuiApplication::primaryScreen()->availableGeometry();
    const QSize room = available.size() - kFrame;
    MainWindow window;
    QVERIFY(open(window));
    if (placement == Placement::Given)
        window.setGeometry(QRect(available.topLeft(), size.boundedTo(room)));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    if (placement == Placement::ResizedAfterShown)
        window.resize(room);
    settle();
    if (placement == Placement::Given)
        QCOMPARE(window.size(), size.boundedTo(room));
    else if (placement == Placement::ResizedAfterShown)
        QCOMPARE(window.size(), room);
    QVERIFY(available.contains(window.geometry()));
    QVERIFY(window.textView()->isVisible());
    auto docks = window.findChildren<QDockWidget*>();
    // The Native Calls dock (issue 10) stays hidden until the View menu shows it.
    QVERIFY(window.nativeCallsDock() && window.nativeCallsDock()->isHidden());
    docks.removeOne(window.nativeCallsDock());
    QCOMPARE(docks.size(),
             9); // Data Inspector, Bookmarks, Structure, Peers, Object Browser, Snapshots, Value Scan, Pages, Mappings
    QStringList widths; // for the message: who took the width
    for (const QDockWidget* dock : docks) {
        QVERIFY2(!dock->isHidden(), qPrintable(dock->objectName()));
        if (dock->isVisible())
            widths << QStringLiteral("%1 %2 (min %3)")
                          .arg(dock->objectName())
                          .arg(dock->width())
                          .arg(dock->minimumSizeHint().width());
    }
    widths << QStringLiteral("text view %1 (min %2)")
                  .arg(window.textView()->width())
                  .arg(window.textView()->minimumSizeHint().width());
    QVERIFY2(wholeRowVisible(window.hexView()),
             qPrintable(QStringLiteral("window %1 px wide: hex view %2 px, needs %3; %4")
                            .arg(window.width())
                            .arg(window.hexView()->width())
                            .arg(window.hexView()->sizeHint().width())
                            .arg(widths.join(QStringLiteral(", ")))));
    QVERIFY(window.textView()->width() >= window.textView()->minimumSizeHint().width());
}

// Item 18: a long find message made the window wider than the screen, for good; at 1366×768 × 1.25
// or at scale 2 the hex view was squeezed to nothing.
void TestMainWindowLayout::findFitsTheScreen()
{
    const QRect available = QGuiApplication::primaryScreen()->availableGeometry();
    const QSize room = available.size() - kFrame;
    MainWindow window;
    QVERIFY(open(window));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    // Edit ▸ Find, and a pattern whose error message quotes it whole.
    QAction* find = actionWithShortcut(&window, QKeySequence::Find);
    QVERIFY(find);
    find->trigger();
    QVERIFY(window.findBar()->isVisible());
    window.findBar()->setPattern(QString(200, QLatin1Char('z')), ByteSearch::Encoding::Hex);
    QVERIFY(!window.findBar()->findNext());
    QVERIFY(window.findBar()->statusText().size() > 200);
    settle();

    const QSize minimum = window.minimumSizeHint().expandedTo(window.minimumSize());
    QVERIFY2(minimum.width() <= room.width() && minimum.height() <= room.height(),
             qPrintable(QStringLiteral("minimum %1x%2 does not fit %3x%4")
                            .arg(minimum.width())
                            .arg(minimum.height())
                            .arg(room.width())
                            .arg(room.height())));

    // At the size of the screen: the panes and the docks are shown, and the hex view shows a whole row.
    window.resize(room);
    settle();
    QCOMPARE(window.size(), room);
    QVERIFY(window.hexView()->isVisible());
    QVERIFY(window.textView()->isVisible());
    auto docks = window.findChildren<QDockWidget*>();
    // The Native Calls dock (issue 10) stays hidden until the View menu shows it.
    QVERIFY(window.nativeCallsDock() && window.nativeCallsDock()->isHidden());
    docks.removeOne(window.nativeCallsDock());
    QCOMPARE(docks.size(),
             9); // Data Inspector, Bookmarks, Structure, Peers, Object Browser, Snapshots, Value Scan, Pages, Mappings
    for (const QDockWidget* dock : docks)
        QVERIFY2(!dock->isHidden(), qPrintable(dock->objectName()));
    QVERIFY(window.findBar()->isVisible());
    QVERIFY2(wholeRowVisible(window.hexView()),
             qPrintable(QStringLiteral("hex view %1 px wide, needs %2")
                            .arg(window.hexView()->width())
                            .arg(window.hexView()->sizeHint().width())));
    QVERIFY(window.hexView()->width() >= window.hexView()->minimumSizeHint().width());
    QVERIFY(window.textView()->width() >= window.textView()->minimumSizeHint().width());
}

// Item 19: dragging the splitter hid the text view for good.
void TestMainWindowLayout::panesCannotBeLost()
{
    {
        MainWindow window;
        QVERIFY(open(window));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* splitter = window.findChild<QSplitter*>();
        QVERIFY(splitter);
        QCOMPARE(splitter->count(), 2);
        QCOMPARE(splitter->widget(1), static_cast<QWidget*>(window.textView()));
        settle();
        // Drag the handle to the right edge and beyond: the text view keeps its minimum width.
        QSplitterHandle* handle = splitter->handle(1);
        const QPoint grip = handle->rect().center();
        QTest::mousePress(handle, Qt::LeftButton, {}, grip);
        QTest::mouseMove(handle, grip + QPoint(splitter->width(), 0));
        QTest::mouseRelease(handle, Qt::LeftButton, {}, grip + QPoint(splitter->width(), 0));
        splitter->setSizes({ splitter->width(), 0 }); // the same, without the mouse
        settle();
        QVERIFY(window.textView()->isVisible());
        QVERIFY(window.textView()->width() >= window.textView()->minimumSizeHint().width());
        QVERIFY(window.textView()->width() > 0);
        for (int i = 0; i < splitter->count(); ++i)
            QVERIFY2(!splitter->isCollapsible(i), qPrintable(QStringLiteral("pane %1 is collapsible").arg(i)));

        // View menu: a checkable toggle for every pane and dock, checked while it is shown.
        QMenu* view = topMenu(&window, QStringLiteral("View"));
        QVERIFY(view);
        QAction* hexToggle = toggleIn(view, QStringLiteral("Hex View"));
        QAction* textToggle = toggleIn(view, QStringLiteral("Text View"));
        QVERIFY(hexToggle && textToggle);
        for (const QString& dock : { QStringLiteral("Data Inspector"), QStringLiteral("Bookmarks"),
                                     QStringLiteral("Structure"), QStringLiteral("Peers") }) {
            QAction* toggle = toggleIn(view, dock);
            QVERIFY2(toggle && toggle->isChecked(), qPrintable(dock));
        }
        QVERIFY(hexToggle->isChecked() && textToggle->isChecked());

        textToggle->trigger();
        QVERIFY(!window.textView()->isVisible());
        QVERIFY(!textToggle->isChecked());
        QVERIFY(!hexToggle->isEnabled()); // the last pane shown cannot be hidden
        window.close(); // saves the layout
    }
    {
        // Remembered: the next window starts without the text view, and its toggle brings it back.
        MainWindow window;
        QVERIFY(open(window));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QAction* textToggle = toggleIn(topMenu(&window, QStringLiteral("View")), QStringLiteral("Text View"));
        QVERIFY(textToggle);
        QVERIFY(!textToggle->isChecked());
        QVERIFY(window.textView()->isHidden());
        textToggle->trigger();
        QVERIFY(window.textView()->isVisible());
        settle();
        QVERIFY(window.textView()->width() >= window.textView()->minimumSizeHint().width());

        // A layout saved with the text view collapsed (as a drag could do before).
        auto* splitter = window.findChild<QSplitter*>();
        splitter->setCollapsible(1, true);
        splitter->setSizes({ splitter->width(), 0 });
        QCOMPARE(splitter->sizes().at(1), 0);
        window.close();
    }
    {
        MainWindow window;
        QVERIFY(open(window));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QAction* textToggle = toggleIn(topMenu(&window, QStringLiteral("View")), QStringLiteral("Text View"));
        QVERIFY(textToggle && textToggle->isChecked());
        settle();
        QVERIFY(window.textView()->width() >= window.textView()->minimumSizeHint().width());
        QVERIFY(window.textView()->isVisible());
        QVERIFY(window.hexView()->width() >= window.hexView()->minimumSizeHint().width());
    }
}

// Item 20: View had &Peers, &Poll Rate and &Pause Change Scan. Every menu and submenu of the window,
// and the menu bar itself, gives each key to one entry; names in Open Recent show their '&'.
void TestMainWindowLayout::menuMnemonicsAreUnique()
{
    // An object whose name holds '&' ends up in File ▸ Open Recent.
    const Address plainAddress = m_address;
    m_address.name += "-a&b";
    MainWindow window;
    const bool opened = open(window, 4096);
    (void)removeObject(m_address);
    m_address = plainAddress;
    QVERIFY(opened);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    QList<QMenu*> menus;
    QStringList barTexts;
    const auto barActions = window.menuBar()->actions();
    for (QAction* action : barActions) {
        barTexts << action->text();
        if (action->menu())
            menus << action->menu();
    }
    QCOMPARE(menus.size(), 5); // File, Edit, View, Go, Help
    QStringList clashes = test::mnemonicClashes(barTexts);
    QVERIFY2(clashes.isEmpty(), qPrintable(clashes.join(QStringLiteral("; "))));
    int walked = 0;
    while (!menus.isEmpty()) {
        QMenu* menu = menus.takeFirst();
        Q_EMIT menu->aboutToShow(); // menus that fill themselves when opened
        ++walked;
        const QStringList texts = test::menuEntryTexts(menu);
        clashes = test::mnemonicClashes(texts);
        QVERIFY2(clashes.isEmpty(),
                 qPrintable(plain(menu->title()) + QStringLiteral(": ") + clashes.join(QStringLiteral("; "))));
        const auto actions = menu->actions();
        for (QAction* action : actions) {
            if (action->menu())
                menus << action->menu();
        }
    }
    QVERIFY(walked >= 9); // and Open Recent, Bytes per Row, Group Bytes, Poll Rate

    QMenu* recent = nullptr;
    const auto fileActions = topMenu(&window, QStringLiteral("File"))->actions();
    for (QAction* action : fileActions) {
        if (action->menu() && plain(action->text()) == QStringLiteral("Open Recent"))
            recent = action->menu();
    }
    QVERIFY(recent);
    const QStringList recentTexts = test::menuEntryTexts(recent);
    QVERIFY(!recentTexts.isEmpty());
    QVERIFY2(recentTexts.first().endsWith(QStringLiteral("-a&&b")), qPrintable(recentTexts.first()));
    for (const QString& text : recentTexts)
        QVERIFY2(test::mnemonicOf(text).isNull(), qPrintable(text));
}

// Item 20: the title never said read-only or copy-on-write.
void TestMainWindowLayout::titleSaysTheAccess()
{
    MainWindow window;
    QVERIFY(open(window, 4096, Access::ReadWrite));
    const QString address = QString::fromStdString(toString(m_address));
    QVERIFY2(window.windowTitle().startsWith(address), qPrintable(window.windowTitle()));
    QVERIFY(!window.windowTitle().contains(QStringLiteral("read-only")));
    QVERIFY(!window.windowTitle().contains(QStringLiteral("copy-on-write")));
    QVERIFY(open(window, 4096, Access::ReadOnly));
    QVERIFY2(window.windowTitle().startsWith(address), qPrintable(window.windowTitle()));
    QVERIFY2(window.windowTitle().contains(QStringLiteral("read-only")), qPrintable(window.windowTitle()));
    QVERIFY(open(window, 4096, Access::CopyOnWrite));
    QVERIFY2(window.windowTitle().contains(QStringLiteral("copy-on-write")), qPrintable(window.windowTitle()));
    QVERIFY(!window.windowTitle().contains(QStringLiteral("read-only")));
}

// Item 20: the status bar had no cursor offset.
void TestMainWindowLayout::statusBarShowsTheCursor()
{
    MainWindow window;
    QVERIFY(open(window, 4096));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.hexView()->setCursorOffset(0x1a);
    QVERIFY2(statusTexts(&window).contains(QStringLiteral("0x1a (26)")), qPrintable(statusTexts(&window)));
    window.hexView()->setSelection(0x100, 6); // the cursor ends on the last byte selected
    QVERIFY2(statusTexts(&window).contains(QStringLiteral("0x105 (261)")), qPrintable(statusTexts(&window)));
    QVERIFY2(statusTexts(&window).contains(QStringLiteral("6 byte")), qPrintable(statusTexts(&window)));
    // A key moves it (one row down: 16 bytes).
    window.hexView()->setCursorOffset(0);
    window.hexView()->setFocus();
    QTest::keyClick(window.hexView(), Qt::Key_Down);
    QVERIFY2(statusTexts(&window).contains(QStringLiteral("0x10 (16)")), qPrintable(statusTexts(&window)));
    QVERIFY(!statusTexts(&window).contains(QStringLiteral("selected")));
}

// At 1280×800 the Object Browser, tabbed with Peers below the panes, showed two rows of objects (the
// area keeps Peers' few rows, and a row was nearly two lines high). Brought to the front, it grows to
// 2/5 of the window, and a row is one line.
void TestMainWindowLayout::tableDocksGrowWhenBroughtToFront()
{
    const QRect available = QGuiApplication::primaryScreen()->availableGeometry();
    MainWindow window;
    QVERIFY(open(window));
    window.setGeometry(QRect(available.topLeft(), QSize(1280, 800).boundedTo(available.size() - kFrame)));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    settle();
    ObjectBrowserDock* browser = window.objectBrowserDock();
    QCOMPARE(window.dockWidgetArea(browser), Qt::BottomDockWidgetArea);
    window.peersDock()->raise(); // Peers in front, as at a first start
    settle();
    // A dock behind another tab is moved out of the window (it stays isVisible()).
    QVERIFY(browser->visibleRegion().isEmpty());
    const int before = window.peersDock()->height();
    browser->raise();
    QTRY_VERIFY(!browser->visibleRegion().isEmpty());
    QTRY_VERIFY2(browser->height() >= window.height() / 3,
                 qPrintable(QStringLiteral("dock %1 px (was %2) in a window %3 px high")
                                .arg(browser->height())
                                .arg(before)
                                .arg(window.height())));
    const QTableView* table = browser->table();
    const int rowHeight = table->verticalHeader()->defaultSectionSize();
    QVERIFY(rowHeight <= table->fontMetrics().height() + 8);
    QVERIFY2(
        table->viewport()->height() / rowHeight >= 5, // 9 at 1280×800, 5 at 1366×768 × 1.25 (two before)
        qPrintable(QStringLiteral("%1 rows of %2 px").arg(table->viewport()->height() / rowHeight).arg(rowHeight)));
    // Back to Peers: the area keeps its height (no jump on each tab switch).
    const int grown = browser->height();
    window.peersDock()->raise();
    settle();
    QCOMPARE(window.peersDock()->height(), grown);
}

QTEST_MAIN(TestMainWindowLayout)
#include "tst_mainwindowlayout.moc"
