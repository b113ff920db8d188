// shmscope-cli: inspect and change named shared memory from the command line. See Cli.
#include "app/shared/rawarguments.h"
#include "app/shared/translations.h"
#include "cli.h"

#include <QCoreApplication>

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("shmscope-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SHMSCOPE_VERSION));
    shmscope::installTranslations(app);
    // Not QCoreApplication::arguments(): it replaces bytes that are not UTF-8 with U+FFFD, and an
    // object name may hold any byte (app/shared/rawarguments.h).
    return shmscope::Cli::run(shmscope::argumentsFromArgv(argc, argv));
}
