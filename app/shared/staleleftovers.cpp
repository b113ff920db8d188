#include "staleleftovers.h"

#include "app/shared/notificationbus.h"
#include "app/shared/runtimedir.h"

#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <limits>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace shmscope {

namespace {

// QTemporaryDir's name for QLocalServer's bind directory: "." and the 6 characters that replace
// "XXXXXX" (QTemporaryFileName: letters and digits).
bool isBindDirectoryName(const QString& name)
{
    if (name.size() != 7 || name.front() != QLatin1Char('.'))
        return false;
    for (qsizetype i = 1; i < name.size(); ++i) {
        const char16_t c = name.at(i).unicode();
        if (!((c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')))
            return false;
    }
    return true;
}

// Milliseconds since `info`'s last modification (for a directory: an entry made, renamed or
// removed), or -1 when the clock cannot be read.
qint64 msSinceChange(const struct stat& info)
{
    timespec now = {};
    if (::clock_gettime(CLOCK_REALTIME, &now) != 0)
        return -1;
    const timespec& changed = info.st_mtim;
    return (qint64(now.tv_sec) - qint64(changed.tv_sec)) * 1000 + (now.tv_nsec - changed.tv_nsec) / 1000000;
}

// Removes one bind directory when it is abandoned (see removeAbandonedBindDirectories()).
bool removeIfAbandoned(const QByteArray& path, qint64 graceMs)
{
    struct stat info = {};
    if (::lstat(path.constData(), &info) != 0 || !S_ISDIR(info.st_mode) || info.st_uid != ::geteuid())
        return false;
    const qint64 age = msSinceChange(info);
    if (age < graceMs)
        return false; // a live instance may be binding in it right now
    const QStringList entries = QDir(QFile::decodeName(path))
                                    .entryList(QDir::AllEntries | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot);
    if (entries.size() > 1 || (entries.size() == 1 && entries.front() != QLatin1String("s")))
        return false;
    if (entries.size() == 1) {
        const QByteArray socket = path + "/s";
        struct stat socketInfo = {};
        if (::lstat(socket.constData(), &socketInfo) != 0 || !S_ISSOCK(socketInfo.st_mode) || !connectionRefused(socket)
            || ::unlink(socket.constData()) != 0)
            return false;
    }
    return ::rmdir(path.constData()) == 0;
}

} // namespace

bool processIsAlive(qint64 pid)
{
    if (pid <= 0 || pid > std::numeric_limits<pid_t>::max())
        return false;
    if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM)
        return false;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (stat.open(QIODevice::ReadOnly)) {
        const QByteArray content = stat.read(1024);
        const qsizetype paren = content.lastIndexOf(')');
        if (paren >= 0 && paren + 2 < content.size() && content.at(paren + 2) == 'Z')
            return false;
    }
    return true;
}

bool connectionRefused(const QByteArray& path)
{
    sockaddr_un address = {};
    address.sun_family = AF_UNIX;
    if (path.size() >= static_cast<qsizetype>(sizeof(address.sun_path)))
        return false;
    std::memcpy(address.sun_path, path.constData(), static_cast<size_t>(path.size()) + 1);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    const bool refused
        = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0 && errno == ECONNREFUSED;
    ::close(fd);
    return refused;
}

QStringList removeAbandonedBindDirectories(const QString& objectDirectory, qint64 graceMs)
{
    QStringList removed;
    const QStringList names = QDir(objectDirectory).entryList(QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot);
    for (const QString& name : names) {
        if (!isBindDirectoryName(name))
            continue;
        const QString path = objectDirectory + QLatin1Char('/') + name;
        if (removeIfAbandoned(QFile::encodeName(path), graceMs)) {
            qCInfo(lcNotify).noquote() << "removed the bind directory" << path
                                       << "of an instance killed while it started listening";
            removed.append(path);
        }
    }
    return removed;
}

void sweepRuntimeDirectory(const QString& runtime, const QString& keep)
{
    const QStringList objects = QDir(runtime).entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden);
    for (const QString& object : objects) {
        const QString directory = runtime + QLatin1Char('/') + object;
        if (object.size() != 16 || !isPrivateDirectory(directory))
            continue; // not one of ours
        const QStringList names
            = QDir(directory).entryList(QDir::AllEntries | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot);
        for (const QString& name : names) {
            qint64 pid = 0;
            if (!parseSocketFileName(name, &pid, nullptr) || processIsAlive(pid))
                continue;
            const QByteArray path = QFile::encodeName(directory + QLatin1Char('/') + name);
            if (connectionRefused(path) && ::unlink(path.constData()) == 0)
                qCInfo(lcNotify).noquote()
                    << "removed stale socket" << QFile::decodeName(path) << QStringLiteral("(pid %1 is gone)").arg(pid);
        }
        removeAbandonedBindDirectories(directory);
        if (directory != keep)
            ::rmdir(QFile::encodeName(directory).constData()); // only succeeds when empty
    }
}

} // namespace shmscope
