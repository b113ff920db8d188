#include "runtimedir.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace shmscope {

namespace {

QString errnoText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

// The longest socket file name socketFileName() makes: a pid of at most 10 digits, '-', 16 hex
// digits, ".sock" — plus the object directory's 16 hex digits and two slashes.
constexpr int kLongestTailBytes = 1 + 16 + 1 + 10 + 1 + 16 + 5;

bool fitsSocketPaths(const QString& runtimeDir)
{
    return QFile::encodeName(runtimeDir).size() + kLongestTailBytes <= kMaxSocketPathBytes;
}

// XDG_RUNTIME_DIR is the right place (per-user, tmpfs, removed at logout), but it is only a hint:
// unset under su/sudo, cron and CI, sometimes stale. When it is unusable every instance of the same
// user and environment falls back the same way, so they still meet in /tmp/shmscope-<uid>.
QString usableXdgRuntimeDir()
{
    const QString xdg = QFile::decodeName(qgetenv("XDG_RUNTIME_DIR"));
    if (xdg.isEmpty() || !xdg.startsWith(QLatin1Char('/')))
        return {};
    const QByteArray encoded = QFile::encodeName(xdg);
    struct stat info = {};
    if (::stat(encoded.constData(), &info) != 0 || !S_ISDIR(info.st_mode))
        return {};
    if (::access(encoded.constData(), W_OK | X_OK) != 0)
        return {};
    QString candidate = xdg;
    while (candidate.size() > 1 && candidate.endsWith(QLatin1Char('/')))
        candidate.chop(1);
    candidate += QLatin1String("/shmscope");
    if (!fitsSocketPaths(candidate))
        return {};
    return candidate;
}

// Creates `path` with mode 0700 when missing, then checks it whether new or old.
bool ensurePrivateDirectory(const QString& path, QString* error)
{
    const QByteArray encoded = QFile::encodeName(path);
    if (::mkdir(encoded.constData(), 0700) == 0) {
        // mkdir filters the mode through the umask; a umask such as 0277 would leave a directory we
        // cannot write to. chmod sets exactly 0700 (never more than mkdir gave to others: nothing).
        if (::chmod(encoded.constData(), 0700) != 0) {
            const int savedErrno = errno;
            if (error)
                *error = QCoreApplication::translate("shmscope::RuntimeDir", "cannot set mode 0700 on %1: %2")
                             .arg(path, errnoText(savedErrno));
            return false;
        }
    } else if (errno != EEXIST) {
        const int savedErrno = errno;
        if (error)
            *error = QCoreApplication::translate("shmscope::RuntimeDir", "cannot create directory %1: %2")
                         .arg(path, errnoText(savedErrno));
        return false;
    }
    return isPrivateDirectory(path, error);
}

} // namespace

bool isPrivateDirectory(const QString& path, QString* error)
{
    // lstat, not stat: in /tmp another user could plant a symbolic link to a directory of theirs.
    struct stat info = {};
    if (::lstat(QFile::encodeName(path).constData(), &info) != 0) {
        const int savedErrno = errno;
        if (error)
            *error = QCoreApplication::translate("shmscope::RuntimeDir", "cannot use directory %1: %2")
                         .arg(path, errnoText(savedErrno));
        return false;
    }
    if (S_ISLNK(info.st_mode)) {
        if (error)
            *error = QCoreApplication::translate("shmscope::RuntimeDir", "refusing directory %1: it is a symbolic link")
                         .arg(path);
        return false;
    }
    if (!S_ISDIR(info.st_mode)) {
        if (error)
            *error = QCoreApplication::translate("shmscope::RuntimeDir", "refusing directory %1: it is not a directory")
                         .arg(path);
        return false;
    }
    if (info.st_uid != ::geteuid()) {
        if (error)
            *error = QCoreApplication::translate("shmscope::RuntimeDir",
                                                 "refusing directory %1: it is owned by uid %2, not by uid %3")
                         .arg(path)
                         .arg(info.st_uid)
                         .arg(::geteuid());
        return false;
    }
    if (info.st_mode & (S_IRWXG | S_IRWXO)) {
        if (error)
            *error = QCoreApplication::translate(
                         "shmscope::RuntimeDir",
                         "refusing directory %1: its mode %2 lets other users in (it must be 0700)")
                         .arg(path, QStringLiteral("0%1").arg(info.st_mode & 07777, 3, 8, QLatin1Char('0')));
        return false;
    }
    return true;
}

QString runtimeDirectory(QString* error)
{
    QString path = usableXdgRuntimeDir();
    if (path.isEmpty())
        path = QStringLiteral("/tmp/shmscope-%1").arg(::geteuid());
    if (!ensurePrivateDirectory(path, error))
        return {};
    return path;
}

QString objectHash(QStringView canonicalAddress)
{
    const QByteArray digest = QCryptographicHash::hash(canonicalAddress.toUtf8(), QCryptographicHash::Sha1);
    return QString::fromLatin1(digest.left(8).toHex());
}

QString objectDirectory(QStringView canonicalAddress, bool create, QString* error)
{
    const QString base = runtimeDirectory(error);
    if (base.isEmpty())
        return {};
    const QString path = base + QLatin1Char('/') + objectHash(canonicalAddress);
    if (create)
        return ensurePrivateDirectory(path, error) ? path : QString();
    struct stat info = {};
    if (::lstat(QFile::encodeName(path).constData(), &info) != 0 && errno == ENOENT)
        return path;
    return isPrivateDirectory(path, error) ? path : QString();
}

QString socketFileName(qint64 pid, quint64 instanceId)
{
    return QStringLiteral("%1-%2.sock").arg(pid).arg(instanceId, 16, 16, QLatin1Char('0'));
}

bool parseSocketFileName(QStringView fileName, qint64* pid, quint64* instanceId)
{
    const QLatin1String suffix(".sock");
    if (!fileName.endsWith(suffix))
        return false;
    const QStringView stem = fileName.chopped(suffix.size());
    const qsizetype dash = stem.indexOf(QLatin1Char('-'));
    if (dash <= 0 || dash > 10)
        return false;
    const QStringView pidText = stem.first(dash);
    const QStringView idText = stem.sliced(dash + 1);
    if (idText.size() != 16)
        return false;
    for (QChar c : pidText) {
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return false;
    }
    for (QChar c : idText) {
        const bool hex
            = (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || (c >= QLatin1Char('a') && c <= QLatin1Char('f'));
        if (!hex)
            return false;
    }
    bool pidOk = false;
    bool idOk = false;
    const qint64 parsedPid = pidText.toLongLong(&pidOk);
    const quint64 parsedId = idText.toULongLong(&idOk, 16);
    if (!pidOk || !idOk || parsedPid <= 0)
        return false;
    if (pid)
        *pid = parsedPid;
    if (instanceId)
        *instanceId = parsedId;
    return true;
}

} // namespace shmscope
