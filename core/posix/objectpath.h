#pragma once

// Internal to shmscope_core (POSIX): how posix: and file: objects are found by name and opened
// without being fooled by what else a name can be (a FIFO, a socket, a device node, a symlink planted
// in a shared folder). Every step works on descriptors (openat with O_PATH|O_NOFOLLOW), so what was
// checked is what is opened.

#include "core/address.h"
#include "core/error.h"
#include "core/posix/uniquefd.h"

#include <string>
#include <sys/stat.h>

namespace shmscope::detail {

/// Where an object's name lives, found by locateObject().
struct Located {
    UniqueFd directory; ///< O_PATH descriptor of the folder that holds the name
    std::string name; ///< the last component: the name inside `directory`
    std::string shownPath; ///< the path as resolved (symlinks followed), for messages
    UniqueFd entry; ///< O_PATH|O_NOFOLLOW descriptor of the entry itself; invalid when it does not exist
    struct stat info = {}; ///< fstat of `entry` (only meaningful when entry is valid)
};

/// Finds the directory entry of a posix: or file: `address` for `operation`.
///  - posix: the name in /dev/shm (the folder glibc's shm_open uses); a symlink is never followed.
///  - file: the path is resolved one component at a time. A symlink is followed only where the kernel's
///    fs.protected_symlinks rule allows it, whatever that sysctl is set to: not when it sits in a sticky
///    world-writable folder (such as /tmp) and is owned neither by the caller (effective uid) nor by the
///    folder's owner. `followFinalLink` false leaves a symlink in the last component unfollowed (the
///    entry is then the link itself: remove, exclusive create).
/// A missing last component is not an error (entry is invalid); a missing folder on the way is.
/// Errors: PermissionDenied for a refused symlink (the message names it, its owner and the folder) and
/// for EACCES; NotFound for a missing folder; the errno of a failed lookup otherwise.
Result<Located> locateObject(const char* operation, const Address& address, bool followFinalLink);

/// Opens an existing posix: or file: object for `operation` with `accessFlags` (O_RDONLY or O_RDWR),
/// close-on-exec. The entry is checked before it is opened: it must be a regular file (a FIFO, socket,
/// device or directory is refused with notRegularFile() and never opened, so opening a FIFO cannot
/// block and opening a device has no side effect) and, for posix:, not a symlink. The descriptor
/// returned refers to the very inode that was checked. Errors: as locateObject(); NotFound when the
/// object does not exist; InvalidArgument for what is not a regular file; the errno of open().
Result<UniqueFd> openExistingObject(const char* operation, const Address& address, int accessFlags);

/// InvalidArgument "not a regular file (PATH is a FIFO)" for `operation` on `address`: the one wording
/// for attach, create, describe and remove of something that is not an object. `mode` is its st_mode,
/// `path` the path it was found at ("not a regular file (a FIFO)" when empty).
Error notRegularFile(const char* operation, const Address& address, mode_t mode, const std::string& path = {});

/// "a FIFO", "a socket", "a symbolic link", "a directory", "a character device", "a block device",
/// "a regular file" (or "an unknown kind of file") for st_mode `mode`.
std::string fileTypeName(mode_t mode);

/// The user name of `uid` ("root"), or the uid in decimal when it has none.
std::string userName(uid_t uid);

} // namespace shmscope::detail
