// shmscope: the desktop inspector for named shared memory.
#include "app/gui/mainwindow.h"
#include "app/gui/openrequest.h"
#include "app/shared/rawarguments.h"
#include "app/shared/signalnotifier.h"
#include "app/shared/translations.h"

#include <QApplication>
#include <QMessageBox>
#include <csignal>
#include <cstdio>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("ShmScope"));
    QApplication::setApplicationName(QStringLiteral("shmscope"));
    QApplication::setApplicationVersion(QStringLiteral(SHMSCOPE_VERSION));
    shmscope::installTranslations(app);

    QString error;
    bool help = false;
    // argv after QApplication took its own options out; its bytes kept (QApplication::arguments()
    // would turn those that are not UTF-8 into U+FFFD, and open another object).
    const auto request = shmscope::parseGuiArguments(shmscope::argumentsFromArgv(argc, argv), &error, &help);
    if (help) {
        const QString text = QApplication::arguments().contains(QStringLiteral("--version"))
            ? QStringLiteral("shmscope %1\n").arg(QApplication::applicationVersion())
            : shmscope::guiHelpText();
        std::fputs(qPrintable(text), stdout);
        return 0;
    }
    if (!request) {
        std::fprintf(stderr, "shmscope: %s\n", qPrintable(error));
        return 2;
    }

    // SIGINT/SIGTERM close the window normally, so that settings are saved and this instance leaves
    // the notification bus (its socket file removed) instead of dying in the signal handler.
    shmscope::SignalNotifier signalNotifier;
    if (signalNotifier.install({ SIGINT, SIGTERM, SIGHUP }))
        QObject::connect(&signalNotifier, &shmscope::SignalNotifier::signalReceived, &app,
                         &QApplication::closeAllWindows);

    shmscope::MainWindow window;
    if (!window.openMapping(*request, &error)) {
        // Reported on stderr for the terminal and in a dialog for a desktop launch; the window still
        // opens so that the user can pick another mapping from File ▸ Open.
        std::fprintf(stderr, "shmscope: %s\n", qPrintable(error));
        window.show();
        QMessageBox::warning(&window, QApplication::translate("shmscope", "Open Mapping"), error);
    } else {
        window.show();
    }
    return QApplication::exec();
}
