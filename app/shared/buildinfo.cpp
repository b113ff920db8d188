#include "buildinfo.h"

#include "shmscope_commit.h" // generated into the build folder at every build

namespace shmscope {

QString buildCommit()
{
    return QStringLiteral(SHMSCOPE_COMMIT);
}

QString versionLine(const QString& program)
{
    const QString commit = buildCommit();
    return program + QLatin1Char(' ') + QStringLiteral(SHMSCOPE_VERSION) + QLatin1String(" (")
        + (commit.isEmpty() ? QStringLiteral("unknown commit") : QLatin1String("commit ") + commit) + QLatin1Char(')');
}

} // namespace shmscope
