#include "helpdialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QKeySequence>
#include <QMenu>
#include <QMenuBar>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace shmscope {

namespace {

// A menu text as it reads: "&Undo" → "Undo", "Save && Quit" → "Save & Quit", "Find…" stays.
QString plainText(QString text)
{
    static const QString marker = QStringLiteral("\x01");
    text.replace(QLatin1String("&&"), marker);
    text.remove(QLatin1Char('&'));
    text.replace(marker, QStringLiteral("&"));
    return text;
}

void collectShortcuts(const QMenu* menu, const QString& path, QList<HelpDialog::Shortcut>& rows)
{
    const QString here = path + plainText(menu->title());
    const QList<QAction*> actions = menu->actions();
    for (const QAction* action : actions) {
        if (action->isSeparator())
            continue;
        if (const QMenu* submenu = action->menu()) {
            collectShortcuts(submenu, here + QStringLiteral(" ▸ "), rows);
            continue;
        }
        const QList<QKeySequence> keys = action->shortcuts();
        if (keys.isEmpty())
            continue;
        QStringList texts;
        for (const QKeySequence& key : keys)
            texts << key.toString(QKeySequence::NativeText);
        rows.append({ here + QStringLiteral(" ▸ ") + plainText(action->text()), texts.join(QLatin1String(", ")) });
    }
}

QString section(const QString& anchor, const QString& title, const QString& body)
{
    return QStringLiteral("<h2><a name=\"%1\"></a>%2</h2>%3").arg(anchor, title.toHtmlEscaped(), body);
}

} // namespace

HelpDialog::HelpDialog(const QMenuBar* menuBar, QWidget* parent)
    : QDialog(parent)
    , m_browser(new QTextBrowser)
{
    setWindowTitle(tr("ShmScope Help"));
    m_browser->setOpenLinks(true);
    m_browser->setHtml(manualHtml(menuBar));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_browser);
    layout->addWidget(buttons);
    resize(720, 560);
}

QList<HelpDialog::Shortcut> HelpDialog::shortcuts(const QMenuBar* menuBar)
{
    QList<Shortcut> rows;
    const QList<QAction*> menus = menuBar->actions();
    for (const QAction* action : menus) {
        if (const QMenu* menu = action->menu())
            collectShortcuts(menu, QString(), rows);
    }
    return rows;
}

QString HelpDialog::manualHtml(const QMenuBar* menuBar)
{
    const struct {
        const char* anchor;
        QString title;
    } contents[] = {
        { "addresses", tr("Addresses") },
        { "opening", tr("Opening and creating") },
        { "views", tr("Views") },
        { "editing", tr("Editing") },
        { "notifications", tr("Notifications") },
        { "keys", tr("Keyboard shortcuts") },
        { "cli", tr("The command line") },
    };
    QString html = QStringLiteral("<h1>%1</h1><p>%2</p><ul>")
                       .arg(tr("ShmScope"),
                            tr("An inspector for named shared memory: it attaches to an object by "
                               "name and shows its bytes live, as they change."));
    for (const auto& entry : contents)
        html += QStringLiteral("<li><a href=\"#%1\">%2</a></li>")
                    .arg(QLatin1String(entry.anchor), entry.title.toHtmlEscaped());
    html += QLatin1String("</ul>");

    html += section(
        QStringLiteral("addresses"), tr("Addresses"),
        tr("<p>Every object has an address <tt>[kind:]name</tt>, the same in the window title, the Open "
           "dialog, on the command line (<tt>shmscope ADDRESS</tt>) and in <tt>shmscope-cli</tt>:</p>"
           "<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\">"
           "<tr><td><tt>posix:/demo</tt> or <tt>demo</tt></td><td>a POSIX shared memory object (<tt>shm_open</tt>, "
           "/dev/shm/demo); the default kind</td></tr>"
           "<tr><td><tt>file:/var/tmp/data.bin</tt></td><td>a file mapped with <tt>mmap</tt></td></tr>"
           "<tr><td><tt>sysv:0x2a</tt></td><td>a System V segment by key, decimal or 0x-hex</td></tr>"
           "<tr><td><tt>sysvid:32769</tt></td><td>a System V segment by its shmid</td></tr></table>"
           "<p>Names are bytes. A byte that is not UTF-8 and a control character are shown as <tt>\\xHH</tt>, and "
           "every address field takes that form back. Without an address ShmScope opens the demo object "
           "<tt>posix:/shmscope-demo</tt> (64 KiB), creating it if it is missing.</p>"));

    html += section(
        QStringLiteral("opening"), tr("Opening and creating"),
        tr("<p><b>File ▸ Open or Create</b> lists the objects on this machine with their size, mode, owner and the "
           "processes that map them; pick one or type a kind and a name. <b>Create if missing</b> makes the object "
           "with the size and mode given (the mode is applied exactly). The access decides what your edits do:</p>"
           "<ul><li><b>Read-write</b>: edits change the object for every process (MAP_SHARED).</li>"
           "<li><b>Read-only</b>: you see every change, edits are refused.</li>"
           "<li><b>Copy-on-write</b>: edits stay in this window (MAP_PRIVATE); nobody else sees them.</li></ul>"
           "<p>The window title says read-only, copy-on-write, or that the object was removed. <b>File ▸ Open "
           "Recent</b> keeps the last addresses.</p>"));

    html += section(
        QStringLiteral("views"), tr("Views"),
        tr("<p>The <b>hex view</b> shows offsets, bytes and their ASCII; bytes that changed are highlighted and "
           "fade. The <b>text view</b> shows the NUL-terminated string at an offset (UTF-8 or UTF-16LE). Both "
           "follow the object live: edits announced by other instances at once, other writers through a "
           "periodic scan (<b>View ▸ Poll Rate</b>; <b>Pause Change Scan</b> stops it).</p>"
           "<p>The <b>View</b> menu shows and hides each pane and dock: the <b>Data Inspector</b> (the bytes at "
           "the cursor as integers, floats, characters and bits, in both byte orders, editable), "
           "<b>Bookmarks</b> (named offsets per address), <b>Peers</b> (the other instances on this object), and "
           "the <b>Changes Overview</b> beside the scroll bar (where in the whole object bytes changed). "
           "<b>Bytes per Row</b> and <b>Group Bytes</b> set the hex layout. The status bar shows the cursor "
           "offset, the selection, the size, the access and the number of other instances.</p>"));

    html += section(
        QStringLiteral("editing"), tr("Editing"),
        tr("<p>Type hex digits in the hex view, or text in the text view. Every edit is written under the "
           "object's lock, shared with other ShmScope instances and <tt>shmscope-cli</tt>. While another process "
           "holds the lock, what you type shows at once on a tint and waits in order; the status bar says who "
           "holds it, and <b>Esc</b> or its <b>Cancel</b> button drops what waits (it stays in the undo history "
           "as not written). <b>Undo</b> and <b>Redo</b> write the old bytes back only if nobody changed them "
           "since; otherwise you are asked. <b>Paste</b> takes hex or text; <b>Copy as Hex</b> copies the "
           "selection. <b>Edit ▸ Find</b> searches for hex bytes or text, <b>Go ▸ Go to Offset</b> takes "
           "decimal, 0x-hex or +N/-N from the cursor.</p>"));

    html += section(
        QStringLiteral("notifications"), tr("Notifications"),
        tr("<p>Instances on the same object tell each other which bytes they wrote, over a local socket in your "
           "runtime folder, so that typing in one window shows in all of them at once. <tt>shmscope-cli write</tt> "
           "and <tt>remove</tt> announce their changes the same way, and <tt>shmscope-cli watch</tt> listens. "
           "The Peers dock lists the instances connected. When the notifications cannot start, the status bar "
           "says <i>notifications off</i> and why; the object still opens and changes still show through the "
           "periodic scan. When another process removes the object's name, the title says so and the view "
           "stays.</p>"));

    QString keys = tr("<p>The shortcuts of this window's menus:</p>")
        + QStringLiteral("<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\"><tr><th>%1</th><th>%2</th></tr>")
              .arg(tr("Command").toHtmlEscaped(), tr("Keys").toHtmlEscaped());
    const QList<Shortcut> rows = shortcuts(menuBar);
    for (const Shortcut& row : rows)
        keys += QStringLiteral("<tr><td>%1</td><td><tt>%2</tt></td></tr>")
                    .arg(row.command.toHtmlEscaped(), row.keys.toHtmlEscaped());
    keys += QLatin1String("</table>");
    keys += tr("<p>In the views: the arrow keys, Page Up/Down, Home and End move the cursor, Shift selects, "
               "Esc cancels edits that wait for the lock; in the find bar Enter and Shift+Enter find the next "
               "and the previous match.</p>");
    html += section(QStringLiteral("keys"), tr("Keyboard shortcuts"), keys);

    html += section(QStringLiteral("cli"), tr("The command line"),
                    tr("<p><tt>shmscope-cli</tt> lists, creates, reads, writes, watches and removes objects from a "
                       "terminal with the same addresses; <tt>shmscope-cli --help</tt> and <tt>man shmscope-cli</tt> "
                       "describe every command. <tt>shmscope --help</tt> lists this window's own options.</p>"));
    return html;
}

} // namespace shmscope
