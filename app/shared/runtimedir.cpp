#include "runtimedir.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QSaveFile>
#include <QStandardPaths>
#include <cerrno>
#include <cstdlib>
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
// user and environment falls back the same way, so they still meet: fallbackRuntimeDirectory().
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

// The predictable fallback, `<temp>/shmscope-<euid>` (<temp> is QDir::tempPath(): $TMPDIR, else
// /tmp), or plain /tmp when $TMPDIR is too long for the socket paths below it.
QString temporaryBase()
{
    const QString temp = QDir::cleanPath(QDir::tempPath());
    // The longest name made below: the private fallback's "/shmscope-<euid>-XXXXXX".
    const QString longest = temp + QStringLiteral("/shmscope-%1-XXXXXX").arg(::geteuid());
    if (!temp.startsWith(QLatin1Char('/')) || !fitsSocketPaths(longest))
        return QStringLiteral("/tmp");
    return temp;
}

// The directory the per-user record names, when it is one this process may use: the record is a
// regular file owned by the effective user in a private directory, and the directory it names is
// private too. Anything else (missing, planted, stale after a reboot) yields an empty string.
QString recordedDirectory(const QString& recordPath)
{
    if (recordPath.isEmpty() || !isPrivateDirectory(QFileInfo(recordPath).path()))
        return {};
    struct stat info = {};
    if (::lstat(QFile::encodeName(recordPath).constData(), &info) != 0 || !S_ISREG(info.st_mode)
        || info.st_uid != ::geteuid() || (info.st_mode & (S_IWGRP | S_IWOTH)))
        return {};
    QFile record(recordPath);
    if (!record.open(QIODevice::ReadOnly))
        return {};
    const QString path = QFile::decodeName(record.read(4096).trimmed());
    if (!path.startsWith(QLatin1Char('/')) || !fitsSocketPaths(path) || !isPrivateDirectory(path))
        return {};
    return path;
}

// The fallback when XDG_RUNTIME_DIR is unusable. `<temp>/shmscope-<euid>` is predictable, so another
// user can create it first (squat it) and lock every instance out. Then a private directory made by
// mkdtemp (a name no one can pre-create) is used instead, and its path is kept in a record in the
// user's cache directory (runtimeRecordPath()), which other users cannot write, so that every
// instance of the user finds the same one. The record is read first: once it names a usable
// directory, every instance meets there even after the squatter left.
QString fallbackRuntimeDirectory(QString* error)
{
    const QString recordPath = runtimeRecordPath();
    if (QString recorded = recordedDirectory(recordPath); !recorded.isEmpty())
        return recorded;

    const QString base = temporaryBase();
    const QString predictable = QStringLiteral("%1/shmscope-%2").arg(base).arg(::geteuid());
    QString squatted;
    if (ensurePrivateDirectory(predictable, &squatted))
        return predictable;

    auto fail = [&](const QString& why) {
        if (error)
            *error = QCoreApplication::translate("shmscope::RuntimeDir", "%1; no private fallback either: %2")
                         .arg(squatted, why);
        return QString();
    };
    if (recordPath.isEmpty())
        return fail(QCoreApplication::translate("shmscope::RuntimeDir",
                                                "there is no cache directory for the record of the fallback"));
    const QString recordDir = QFileInfo(recordPath).path();
    QString why;
    if (!QDir().mkpath(QFileInfo(recordDir).path()) || !ensurePrivateDirectory(recordDir, &why))
        return fail(why.isEmpty() ? QCoreApplication::translate("shmscope::RuntimeDir", "cannot create directory %1")
                                        .arg(QFileInfo(recordDir).path())
                                  : why);

    // Two instances starting at once must not make two directories: the record is written under a lock.
    QLockFile lock(recordPath + QLatin1String(".lock"));
    if (!lock.tryLock(5000))
        return fail(QCoreApplication::translate("shmscope::RuntimeDir", "cannot lock %1").arg(lock.fileName()));
    if (QString recorded = recordedDirectory(recordPath); !recorded.isEmpty())
        return recorded; // another instance made it while we waited for the lock

    QByteArray pattern = QFile::encodeName(predictable + QLatin1String("-XXXXXX"));
    if (::mkdtemp(pattern.data()) == nullptr) // mode 0700, a new name: no one else can own it
        return fail(QCoreApplication::translate("shmscope::RuntimeDir", "cannot create a directory in %1: %2")
                        .arg(base, errnoText(errno)));
    const QString made = QFile::decodeName(pattern);
    QSaveFile record(recordPath);
    record.setDirectWriteFallback(false);
    if (!record.open(QIODevice::WriteOnly) || record.write(pattern + '\n') < 0
        || !record.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) || !record.commit()) {
        const QString cause = record.errorString();
        ::rmdir(pattern.constData());
        return fail(QCoreApplication::translate("shmscope::RuntimeDir", "cannot write %1: %2").arg(recordPath, cause));
    }
    return made;
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
    const QString xdg = usableXdgRuntimeDir();
    if (!xdg.isEmpty())
        return ensurePrivateDirectory(xdg, error) ? xdg : QString();
    return fallbackRuntimeDirectory(error);
}

QString runtimeRecordPath()
{
    const QString cache = QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation);
    if (cache.isEmpty() || !cache.startsWith(QLatin1Char('/')))
        return {};
    return cache + QLatin1String("/shmscope/runtime-dir");
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
