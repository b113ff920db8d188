#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QtGlobal>

namespace shmscope {

// What instances killed with SIGKILL leave in the runtime directory of the notification bus
// (runtimedir.h), and how a running or starting instance removes it without touching anything a
// live instance still uses (docs/notifications.md, "Stale sockets"). Unix only.

/// A socket that refuses connections is stale once its owner is gone. The owner's pid can outlive
/// its sockets for a moment (a zombie not yet reaped, a pid reused by an unrelated process): a
/// socket refusing connections for this long (ms) is stale whatever its pid says. The same grace
/// protects QLocalServer's temporary bind directory (removeAbandonedBindDirectories()). A live
/// instance's socket never refuses, not even while it starts: QLocalServer renames it into place only
/// after listen().
inline constexpr qint64 kStaleGraceMs = 2000;

/// Whether process `pid` exists and is not a zombie (a zombie keeps its pid but has no sockets any
/// more). A process of another user counts as alive (kill() gives EPERM). Reads /proc/PID/stat.
bool processIsAlive(qint64 pid);

/// Whether connecting to the Unix-domain socket at `path` (encoded file name) is refused
/// (ECONNREFUSED): nothing listens there any more. False for anything else, including a path too
/// long for sockaddr_un, a missing file and a socket that accepts.
bool connectionRefused(const QByteArray& path);

/// Removes the temporary directories QLocalServer::listen() leaves in `objectDirectory` when its
/// process is killed between binding and renaming the socket into place. With a socket option set
/// (ShmScope sets UserAccessOption), Qt 6 binds "<dir>/.XXXXXX/s" in a QTemporaryDir made next to
/// the final name, chmods and renames the socket, then removes the directory (qtbase
/// src/network/socket/qlocalserver_unix.cpp; observed with strace on Qt 6.4.2). Such a directory is
/// removed only when all of these hold: its name is a dot and 6 letters or digits; it is a directory
/// (not a symbolic link) of the effective user; its modification time is at least `graceMs` ms old (a live
/// instance passes through it in microseconds); and it holds nothing, or only a socket "s" that
/// refuses connections. Anything else is left alone. Returns the paths of the directories removed
/// (each is also logged on shmscope.notify).
QStringList removeAbandonedBindDirectories(const QString& objectDirectory, qint64 graceMs = kStaleGraceMs);

/// Sweeps the whole runtime directory `runtime` once, as a starting instance does: in each object
/// directory (16 hex digits, private to the user) removes the sockets whose owner is gone and that
/// refuse connections (both, so that a socket of a live instance in another pid namespace survives)
/// and abandoned bind directories (removeAbandonedBindDirectories()), then removes object
/// directories left empty, except `keep`. A crashed or killed instance leaves its socket behind; on
/// an object nobody opens again, no peer's scan would ever remove it.
void sweepRuntimeDirectory(const QString& runtime, const QString& keep);

} // namespace shmscope
