#pragma once

// Internal to shmscope_core (POSIX): the file that carries the cross-process OFD lock of a System V
// segment (a segment has no descriptor of its own to lock). The design and why: core/README.md,
// "The System V lock file".

#include "core/address.h"
#include "core/error.h"
#include "core/posix/uniquefd.h"

#include <string>
#include <sys/ipc.h>
#include <sys/stat.h>

namespace shmscope::detail {

/// The path of the lock file of System V segment `shmid`: /dev/shm/.shmscope-sysv-<shmid>.lock.
std::string sysvLockFilePath(int shmid);

/// The permission bits the lock file of a segment with permissions `perm` gets: read and write
/// (0600, 0060, 0006) for each class (owner, group, others) that may both read and write the segment,
/// nothing for the others: a class that may only read the segment could otherwise take a read lock and
/// hold every writer off. Never wider than the segment.
mode_t sysvLockFileMode(const struct ipc_perm& perm);

/// Why the existing lock file described by `file` (an lstat/fstat) may not serve as the lock of a
/// segment with permissions `perm`, or an empty string when it may: it must be a regular file with one
/// link, owned by a user who may write the segment (its owner or creator, root, anyone when others may
/// write it, a member of its group when the group may — the kernel only lets members chown a file to
/// a group), with no mode bits beyond those sysvLockFileMode() gives its classes.
std::string sysvLockFileProblem(const struct stat& file, const struct ipc_perm& perm);

/// Opens the lock file of segment `shmid` (which `address` names in errors) for the OFD lock: for
/// writing when `writable` (write locks need it), for reading otherwise. A missing file is created,
/// but only when the caller may write the segment (`writable`, or its permissions say so): atomically
/// with its final owner and mode (O_TMPFILE, then linkat), owned by the segment's owner and group when
/// the caller is root. An existing one is checked first (sysvLockFileProblem(); a symlink is never
/// followed, a FIFO or socket never opened); one the caller owns has its mode brought in line with the
/// segment's. The returned descriptor is owned by the caller. Errors: PermissionDenied when the file
/// is refused (the message names it, says why and who owns it), when the caller may not take the
/// lock at all (only users who may write the segment may), or for EACCES; NotFound when the segment
/// is gone; the errno otherwise.
Result<UniqueFd> openSysVLockFile(const Address& address, int shmid, bool writable);

/// After segment `shmid` (whose permissions were `perm`) was removed with IPC_RMID: if it is gone for
/// good (no process attached any more), removes its lock file, when that is a valid lock file for it.
/// Errors are ignored (what cannot be removed now is swept later).
void removeSysVLockFile(int shmid, const struct ipc_perm& perm);

/// Removes the orphaned lock files in /dev/shm: names of exactly the form sysvLockFilePath() uses,
/// regular files owned by the caller (effective uid; never another user's), whose segment no longer
/// exists (shmctl IPC_STAT: EINVAL or EIDRM). Called when listing objects and when removing a segment,
/// so that lock files of segments removed by ipcrm or another program go too. Errors are ignored.
void sweepOrphanSysVLockFiles();

} // namespace shmscope::detail
