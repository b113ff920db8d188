#pragma once

#include <QDialog>
#include <QList>
#include <QString>

class QMenuBar;
class QTextBrowser;

namespace shmscope {

/// Help ▸ Contents: a short manual of the GUI (addresses, opening, views, editing, notifications,
/// keyboard shortcuts, the command line) in a read-only browser with a table of contents. The
/// shortcut table is made from the actions of the menu bar given, so it lists what the window binds.
class HelpDialog : public QDialog
{
    Q_OBJECT
public:
    /// One row of the shortcut table: where the action is ("Edit ▸ Undo", mnemonics removed) and its
    /// shortcuts in the platform's notation ("Ctrl+Z"), several joined by ", ".
    struct Shortcut {
        QString command;
        QString keys;
    };

    /// Shows the manual for the window whose menus are `menuBar` (not owned; read now, not kept).
    explicit HelpDialog(const QMenuBar* menuBar, QWidget* parent = nullptr);

    /// Every action with a shortcut in `menuBar`'s menus and their submenus, in menu order.
    static QList<Shortcut> shortcuts(const QMenuBar* menuBar);

    /// The manual as HTML, with the shortcut table of `menuBar`.
    static QString manualHtml(const QMenuBar* menuBar);

    /// The browser showing the manual.
    QTextBrowser* browser() const { return m_browser; }

private:
    QTextBrowser* m_browser;
};

} // namespace shmscope
