// shmscope-cli: inspect and change named shared memory from the command line. See Cli.
#include "app/shared/translations.h"
#include "cli.h"

#include <QCoreApplication>

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("shmscope-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SHMSCOPE_VERSION));
    shmscope::installTranslations(app);
    return shmscope::Cli::run(QCoreApplication::arguments());
}
