// Issue 13's help in the GUI: Help ▸ Contents (F1) shows the manual with a shortcut table made from
// the window's real actions (a shortcut changed at run time shows changed), Help ▸ About names the
// version, the git commit, the Qt version and the licence, and the Open dialog's kind and access
// choices say what each is underneath.
#include "app/gui/aboutbox.h"
#include "app/gui/helpdialog.h"
#include "app/gui/mainwindow.h"
#include "app/gui/opendialog.h"
#include "app/shared/buildinfo.h"
#include "core/address.h"
#include "core/mapping.h"
#include "modalanswer.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QButtonGroup>
#include <QComboBox>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QRadioButton>
#include <QStandardPaths>
#include <QTest>
#include <QTextBrowser>
#include <QTimer>

using namespace shmscope;

namespace {

QString plain(QString text)
{
    return text.remove(QLatin1Char('&'));
}

// The action of the menu bar's menu `menu` whose text is `text` (mnemonics ignored).
QAction* menuAction(const QMainWindow& window, const QString& menu, const QString& text)
{
    const QList<QAction*> menus = window.menuBar()->actions();
    for (const QAction* top : menus) {
        if (!top->menu() || plain(top->text()) != menu)
            continue;
        const QList<QAction*> actions = top->menu()->actions();
        for (QAction* action : actions) {
            if (plain(action->text()) == text)
                return action;
        }
    }
    return nullptr;
}

// Whether `menu` is a menu of `bar` or a submenu of one, seen from the menu's side.
bool inMenuBar(const QMenu* menu, const QMenuBar* bar)
{
    const QList<QObject*> owners = menu->menuAction()->associatedObjects();
    for (const QObject* owner : owners) {
        if (owner == bar)
            return true;
        if (const auto* parent = qobject_cast<const QMenu*>(owner); parent && inMenuBar(parent, bar))
            return true;
    }
    return false;
}

// Every action in a menu of the window's menu bar (or a submenu) that has a shortcut, found from the
// actions' side (the menus they are in), not by walking the menus as HelpDialog does.
QList<QAction*> actionsWithShortcuts(const QMainWindow& window)
{
    QList<QAction*> result;
    const QList<QAction*> actions = window.findChildren<QAction*>();
    for (QAction* action : actions) {
        if (action->shortcuts().isEmpty())
            continue;
        const QList<QObject*> owners = action->associatedObjects();
        for (const QObject* owner : owners) {
            const auto* menu = qobject_cast<const QMenu*>(owner);
            if (menu && inMenuBar(menu, window.menuBar())) {
                result.append(action);
                break;
            }
        }
    }
    return result;
}

HelpDialog* openHelp(MainWindow& window)
{
    QAction* contents = menuAction(window, QStringLiteral("Help"), QStringLiteral("Contents"));
    if (!contents)
        return nullptr;
    contents->trigger();
    const QList<HelpDialog*> dialogs = window.findChildren<HelpDialog*>();
    return dialogs.isEmpty() ? nullptr : dialogs.last();
}

} // namespace

class TestHelpDialog : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void contentsHasTheManualAndTheRealShortcuts();
    void aboutNamesVersionCommitQtAndLicence();
    void openDialogExplainsKindsAndAccess();
};

void TestHelpDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestHelpDialog::contentsHasTheManualAndTheRealShortcuts()
{
    MainWindow window;
    window.show();
    QAction* contents = menuAction(window, QStringLiteral("Help"), QStringLiteral("Contents"));
    QVERIFY(contents);
    QCOMPARE(contents->shortcut(), QKeySequence(QKeySequence::HelpContents));

    HelpDialog* help = openHelp(window);
    QVERIFY(help);
    QVERIFY(help->isVisible());
    const QString text = help->browser()->toPlainText();
    for (const char* needle :
         { "Addresses", "posix:/demo", "sysv:0x2a", "sysvid:", "file:", "Views", "Data Inspector", "Editing", "lock",
           "Undo", "Notifications", "Peers", "notifications off", "Keyboard shortcuts", "shmscope-cli" })
        QVERIFY2(text.contains(QLatin1String(needle)), needle);

    // Every action with a shortcut is in the table, with its keys as the platform writes them.
    const QList<QAction*> actions = actionsWithShortcuts(window);
    QVERIFY2(actions.size() >= 10, qPrintable(QString::number(actions.size())));
    const QList<HelpDialog::Shortcut> rows = HelpDialog::shortcuts(window.menuBar());
    QCOMPARE(rows.size(), actions.size());
    for (const QAction* action : actions) {
        const QString keys = action->shortcut().toString(QKeySequence::NativeText);
        const QString name = plain(action->text());
        QVERIFY2(text.contains(name), qPrintable(name));
        QVERIFY2(text.contains(keys), qPrintable(name + QLatin1String(": ") + keys));
    }
    QVERIFY(text.contains(QStringLiteral("Go ▸ Go to Offset…")));
    QVERIFY(text.contains(QKeySequence(Qt::CTRL | Qt::Key_G).toString(QKeySequence::NativeText)));
    help->close();

    // A shortcut changed at run time is what the manual shows next time.
    QAction* goTo = menuAction(window, QStringLiteral("Go"), QStringLiteral("Go to Offset…"));
    QVERIFY(goTo);
    goTo->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_J));
    help = openHelp(window);
    QVERIFY(help);
    const QString changed = help->browser()->toPlainText();
    QVERIFY(changed.contains(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_J).toString(QKeySequence::NativeText)));
    help->close();
}

void TestHelpDialog::aboutNamesVersionCommitQtAndLicence()
{
    const QString text = aboutText();
    QVERIFY(text.contains(QStringLiteral(SHMSCOPE_VERSION)));
    QVERIFY(text.contains(buildCommit().isEmpty() ? QStringLiteral("unknown commit") : buildCommit()));
    QVERIFY(text.contains(QString::fromLatin1(qVersion())));
    QVERIFY(text.contains(QStringLiteral("Licence")));
    QVERIFY(text.contains(QStringLiteral(SHMSCOPE_APP_ID)));

    // Help ▸ About shows that text.
    MainWindow window;
    window.show();
    QAction* about = menuAction(window, QStringLiteral("Help"), QStringLiteral("About ShmScope"));
    QVERIFY(about);
    QString shown;
    test::answerWhenShown(&window, [&shown](QMessageBox* box) {
        shown = box->text();
        box->accept();
    });
    about->trigger();
    QCOMPARE(shown, text);
}

void TestHelpDialog::openDialogExplainsKindsAndAccess()
{
    OpenDialog dialog;
    auto* kinds = dialog.findChild<QComboBox*>();
    QVERIFY(kinds);
    const struct {
        Kind kind;
        QStringList terms;
    } expected[] = {
        { Kind::Posix, { QStringLiteral("shm_open"), QStringLiteral("MAP_SHARED"), QStringLiteral("/dev/shm") } },
        { Kind::File, { QStringLiteral("mmap"), QStringLiteral("MAP_SHARED"), QStringLiteral("msync") } },
        { Kind::SysV, { QStringLiteral("shmget"), QStringLiteral("shmat"), QStringLiteral("key") } },
        { Kind::SysVId, { QStringLiteral("shmid"), QStringLiteral("shmat") } },
    };
    for (const auto& entry : expected) {
        const int index = kinds->findData(static_cast<int>(entry.kind));
        QVERIFY(index >= 0);
        const QString tip = kinds->itemData(index, Qt::ToolTipRole).toString();
        for (const QString& term : entry.terms)
            QVERIFY2(tip.contains(term), qPrintable(tip + QLatin1String(" lacks ") + term));
        kinds->setCurrentIndex(index);
        QCOMPARE(kinds->toolTip(), tip); // the closed combo box explains the kind chosen
    }

    const QList<QRadioButton*> buttons = dialog.findChildren<QRadioButton*>();
    QCOMPARE(buttons.size(), 3);
    const struct {
        QString label;
        QStringList terms;
    } accesses[] = {
        { QStringLiteral("Read-write"), { QStringLiteral("MAP_SHARED"), QStringLiteral("PROT_WRITE") } },
        { QStringLiteral("Read-only"), { QStringLiteral("PROT_READ"), QStringLiteral("refused") } },
        { QStringLiteral("Copy-on-write (private edits)"),
          { QStringLiteral("MAP_PRIVATE"), QStringLiteral("copy-on-write"), QStringLiteral("never see") } },
    };
    for (const auto& access : accesses) {
        const QRadioButton* button = nullptr;
        for (const QRadioButton* candidate : buttons) {
            if (plain(candidate->text()) == access.label)
                button = candidate;
        }
        QVERIFY2(button, qPrintable(access.label));
        for (const QString& term : access.terms)
            QVERIFY2(button->toolTip().contains(term), qPrintable(button->toolTip() + QLatin1String(" lacks ") + term));
    }
}

QTEST_MAIN(TestHelpDialog)
#include "tst_helpdialog.moc"
