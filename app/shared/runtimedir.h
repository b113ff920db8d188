#pragma once

#include <QString>
#include <QStringView>
#include <QtGlobal>

namespace shmscope {

// Where ShmScope instances of one user put their notification sockets (docs/notifications.md):
//
//   <runtime>/<objecthash>/<pid>-<instanceid>.sock
//
// <runtime> is $XDG_RUNTIME_DIR/shmscope when XDG_RUNTIME_DIR is usable, else a directory in the
// temporary directory (runtimeDirectory() says which, and how it resists squatting);
// <objecthash> is the first 16 hex digits of the SHA-1 of the canonical address, which keeps every
// socket path far below the 108-byte limit of sockaddr_un (a file: address can be a long path).
// Both directories are private to the user (mode 0700); one that is not is refused, never "fixed".
// Every function reads the environment and the file system of the moment; nothing is cached.

/// Longest path a Unix-domain socket can be bound to on Linux: sizeof(sockaddr_un::sun_path) - 1;
/// bytes of the encoded (UTF-8) path.
inline constexpr int kMaxSocketPathBytes = 107;

/// Returns ShmScope's private runtime directory for the effective user, creating it with mode 0700
/// when missing (the mode is set exactly, whatever the umask). It is `$XDG_RUNTIME_DIR/shmscope`
/// when XDG_RUNTIME_DIR is set to an absolute path of an existing directory that this process can
/// write to and that is short enough for the socket paths below it. Otherwise, in this order:
///  1. the directory named by the per-user record (runtimeRecordPath()), when the record is a file
///     of the effective user in a private directory and names a private directory;
///  2. `<temp>/shmscope-<euid>` (<temp>: QDir::tempPath(), i.e. $TMPDIR or /tmp; /tmp when $TMPDIR is
///     too long), when it can be created or already is private;
///  3. when another user squatted that name (or it is otherwise unusable): a new directory
///     `<temp>/shmscope-<euid>-XXXXXX` made by mkdtemp (a name no one can create first), whose path
///     is then written to the record (under a QLockFile, so that instances starting together make
///     one), so that every instance of the user finds it in step 1.
/// On failure returns an empty string and sets `*error` (when not null) to a translated one-line
/// message naming the directory and the cause: it cannot be created, or it exists but is a symbolic
/// link or not a directory, is owned by another user, or is accessible to the group or others
/// (another user could then see or spoof the sockets); in the fallback also why no private
/// directory could be made or recorded.
QString runtimeDirectory(QString* error = nullptr);

/// The per-user record of the private fallback directory of runtimeDirectory():
/// `<QStandardPaths::GenericCacheLocation>/shmscope/runtime-dir` (usually ~/.cache/shmscope/runtime-dir;
/// the directory is made 0700 and must stay private to the user, the file holds one absolute path).
/// Empty when there is no cache location.
QString runtimeRecordPath();

/// The 16 lowercase hex digits naming the directory of one object: the first 8 bytes of the SHA-1
/// of the UTF-8 canonical address (toString() of core/address.h, e.g. "posix:/demo").
QString objectHash(QStringView canonicalAddress);

/// Returns `<runtimeDirectory()>/<objectHash(canonicalAddress)>`. With `create`, creates it (mode
/// 0700) when missing; without, a missing directory is not an error (there are no instances on the
/// object yet) and the path is returned all the same. An existing directory is checked as
/// runtimeDirectory() checks its own. On failure returns an empty string and sets `*error`.
QString objectDirectory(QStringView canonicalAddress, bool create, QString* error = nullptr);

/// Checks that `path` names a directory (not a symbolic link to one) owned by the effective user
/// with no permission bits for the group or others. Returns false and sets `*error` (when not null)
/// to a translated one-line message otherwise, including when it does not exist.
bool isPrivateDirectory(const QString& path, QString* error = nullptr);

/// The file name of an instance's socket: `<pid>-<instanceid>.sock`, the instance id as 16
/// lowercase hex digits, e.g. "4242-00c0ffee12345678.sock".
QString socketFileName(qint64 pid, quint64 instanceId);

/// Parses a name made by socketFileName(). Returns false for anything else (other files in the
/// directory, e.g. the temporary directory QLocalServer binds in before renaming the socket).
bool parseSocketFileName(QStringView fileName, qint64* pid, quint64* instanceId);

} // namespace shmscope
