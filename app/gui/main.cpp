// shmscope: the desktop inspector for named shared memory.
#include "app/gui/mainwindow.h"
#include "app/gui/openrequest.h"
#include "app/shared/buildinfo.h"
#include "app/shared/rawarguments.h"
#include "app/shared/signalnotifier.h"
#include "app/shared/translations.h"

#include <QApplication>
#include <QIcon>
#include <QMessageBox>
#include <csignal>
#include <cstdio>
#include <optional>

namespace {

void setApplicationNames()
{
    QCoreApplication::setOrganizationName(QStringLiteral("ShmScope"));
    QCoreApplication::setApplicationName(QStringLiteral("shmscope"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SHMSCOPE_VERSION));
}

// --help and --version must work anywhere, also without a display (over ssh, in a container), where
// creating the QApplication would abort for want of a GUI platform. They are answered here, by a
// QCoreApplication that lives only for this, before the QApplication exists. Returns the exit code
// when they were asked for; otherwise nothing is printed (a usage error is reported later, once the
// QApplication has taken out its own options such as -platform).
void printHelpOrVersion()
{
    const QString text = QCoreApplication::arguments().contains(QStringLiteral("--version"))
        ? shmscope::versionLine(QStringLiteral("shmscope")) + QLatin1Char('\n')
        : shmscope::guiHelpText();
    std::fputs(qPrintable(text), stdout);
}

std::optional<int> answerHelpOrVersion(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    setApplicationNames();
    shmscope::installTranslations(app);
    QString error;
    bool help = false;
    (void)shmscope::parseGuiArguments(QCoreApplication::arguments(), &error, &help);
    if (!help)
        return std::nullopt;
    printHelpOrVersion();
    return 0;
}

} // namespace

int main(int argc, char* argv[])
{
    if (const std::optional<int> answered = answerHelpOrVersion(argc, argv))
        return *answered;

    QApplication app(argc, argv);
    setApplicationNames();
    // The desktop file and the icon installed under the application id (packaging/).
    QGuiApplication::setDesktopFileName(QStringLiteral(SHMSCOPE_APP_ID));
    QIcon builtIn;
    for (const char* size : { "32x32", "48x48", "256x256" })
        builtIn.addFile(QStringLiteral(":/icons/%1/" SHMSCOPE_APP_ID ".png").arg(QLatin1String(size)));
    QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral(SHMSCOPE_APP_ID), builtIn));
    shmscope::installTranslations(app);

    QString error;
    bool help = false; // e.g. `shmscope -platform xcb --help`: only the QApplication knows -platform
    // argv after QApplication took its own options out; its bytes kept (QApplication::arguments()
    // would turn those that are not UTF-8 into U+FFFD, and open another object).
    const auto request = shmscope::parseGuiArguments(shmscope::argumentsFromArgv(argc, argv), &error, &help);
    if (help) {
        printHelpOrVersion();
        return 0;
    }
    if (!request) {
        std::fprintf(stderr, "shmscope: %s\n", qPrintable(error));
        return 2;
    }

    // SIGINT/SIGTERM close the window normally, so that settings are saved and this instance leaves
    // the notification bus (its socket file removed) instead of dying in the signal handler. Then the
    // event loop ends even if no window was left to close (quitOnLastWindowClosed needs one).
    shmscope::SignalNotifier signalNotifier;
    if (signalNotifier.install({ SIGINT, SIGTERM, SIGHUP })) {
        QObject::connect(&signalNotifier, &shmscope::SignalNotifier::signalReceived, &app, [] {
            QApplication::closeAllWindows();
            QCoreApplication::quit();
        });
    }

    shmscope::MainWindow window;
    const bool opened = window.openMapping(*request, &error);
    window.show();
    if (!opened) {
        // Reported on stderr for the terminal and in a dialog for a desktop launch; the window still
        // opens so that the user can pick another mapping from File ▸ Open. The dialog is window-modal
        // and runs in the main event loop (open(), not exec()): a nested loop before exec() would
        // leave a windowless process behind when a signal closes everything while it runs.
        std::fprintf(stderr, "shmscope: %s\n", qPrintable(error));
        auto* box = new QMessageBox(QMessageBox::Warning, QApplication::translate("shmscope", "Open Mapping"), error,
                                    QMessageBox::Ok, &window);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }
    return QApplication::exec();
}
