#pragma once

#include "core/address.h"
#include "core/error.h"
#include "core/holders.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace shmscope {

/// One named shared-memory object as the catalog sees it.
struct ObjectInfo {
    Address address; ///< canonical address (sysv: by key, or sysvid: for IPC_PRIVATE segments)
    std::uint64_t size = 0; ///< bytes
    /// False when `size` may be rounded up to the page: a win: section whose exact size the system
    /// does not tell (Wine's NtQuerySection, or no SECTION_QUERY right: then size is 0). Always true
    /// on POSIX and for file:.
    bool sizeIsExact = true;
    std::uint32_t mode = 0; ///< permission bits (0777 mask)
    std::uint32_t uid = 0; ///< owner's user id
    std::string owner; ///< owner's user name, or the uid in decimal when it has no name
    std::int64_t modifiedTime
        = 0; ///< last modification (POSIX, file) or last attach/detach (System V), seconds since the Unix epoch
    /// Bytes of memory the object takes now: POSIX objects and files st_blocks × 512 (a sparse
    /// object takes less than its size, and pages never written take nothing); System V the segment's
    /// resident and swapped bytes (rss + swap of /proc/sysvipc/shm). 0 on Windows.
    std::uint64_t allocated = 0;
    /// The last time anything happened to the object, seconds since the Unix epoch: POSIX objects and
    /// files st_ctime (creation, truncation, chmod, write()); System V the latest of the last attach,
    /// detach and creation/IPC_SET. Its age is now minus this. 0 on Windows.
    std::int64_t changedTime = 0;
    /// POSIX objects and files: st_dev and st_ino, which identify the object whatever its name (a
    /// name removed and made again is another object). 0 otherwise.
    std::uint64_t device = 0;
    std::uint64_t inode = 0; ///< see `device`
    /// System V: the creator's pid and the pid of the last attach or detach (cpid, lpid); 0 otherwise.
    int creatorPid = 0;
    int lastPid = 0; ///< see creatorPid
    /// System V: IPC_RMID was called (SHM_DEST): the segment is gone once its last process detaches.
    bool markedForRemoval = false;
    /// Every process that maps the object or (POSIX objects and files) holds a descriptor to it,
    /// ascending by pid, with its name and how it holds it. Like `pids`, complete only when
    /// pidsComplete() says so. Empty on Windows.
    std::vector<Holder> holders;
    /// Processes that map it now, ascending: those of the scan of /proc/*/maps that could be read.
    /// Complete only when pidsComplete() says so; an empty list is "none" only then.
    std::vector<int> pids;
    std::uint32_t systemVId = 0; ///< System V: the shmid; 0 otherwise
    std::uint64_t attachCount = 0; ///< System V: shm_nattch (counts processes we may not read); others: pids.size()
    /// How many processes the catalog could not inspect when it looked (their /proc/PID/maps was
    /// refused: another user's process, or one that is not dumpable, seen by a caller without
    /// CAP_SYS_PTRACE). Any of them may map this object, so for POSIX objects and files `pids` is then
    /// a lower bound; for System V, attachCount still tells how many processes are attached. The same
    /// number for every entry of one listObjects() call. 0 when all processes were inspected, and on
    /// Windows (where pids are not listed at all).
    std::uint32_t uninspectedProcesses = 0;
    /// Of uninspectedProcesses: those given up because inspecting them took longer than the budget
    /// (InventoryOptions::perProcessBudget), rather than being refused.
    std::uint32_t timedOutProcesses = 0;

    /// True when `pids` lists every process that maps the object: nobody was left uninspected, or
    /// (System V) the kernel's attach count equals the pids found. Not meaningful on Windows, whose
    /// catalog lists no pids at all.
    bool pidsComplete() const
    {
        if (address.kind == Kind::SysV || address.kind == Kind::SysVId)
            return attachCount <= pids.size();
        return uninspectedProcesses == 0;
    }
};

/// How takeInventory() reads /proc.
struct InventoryOptions {
    /// The most time spent on any one process (its maps and descriptors): one that takes longer, or
    /// whose /proc files block, is counted as uninspected ("timed out") and the listing moves on.
    std::chrono::milliseconds perProcessBudget { 250 };
    /// Also list file-backed objects (Inventory::files): every regular file a process maps shared
    /// ("rw-s", "r--s" in /proc/PID/maps; outside /dev, /proc and /sys; private mappings such as shared
    /// libraries are not objects), found in the same pass over /proc. Off by default. Each file found is
    /// stat()ed once after the pass (and each descriptor whose link reads its path): unlike the reads of
    /// /proc, that is not bounded by perProcessBudget, so a network file system that stops answering
    /// can hold the listing up.
    bool includeMappedFiles = false;
    /// Paths of files to list in Inventory::files whether or not anybody maps them (e.g. those ShmScope
    /// opened); those that are not regular files, or cannot be stat()ed, are left out.
    std::vector<std::string> knownFiles;
};

/// Everything in the shared-memory namespaces of this machine that the catalog can see, from one
/// pass over /proc.
struct Inventory {
    std::vector<ObjectInfo> objects; ///< as listObjects() returns them, sorted by address
    /// glibc's named semaphores (/dev/shm/sem.NAME, as posix:/sem.NAME with their holders): listed
    /// apart because they are not shared memory of their own. Empty on Windows.
    std::vector<ObjectInfo> semaphores;
    /// file: objects (InventoryOptions::includeMappedFiles and knownFiles) with their holders, sorted by
    /// address; each one's path resolved and stat()ed, and, when found in a maps line, the same file
    /// (device and inode) as the one mapped. Empty unless asked for, and on Windows.
    std::vector<ObjectInfo> files;
    std::uint32_t processes = 0; ///< processes inspected completely
    std::uint32_t uninspectedProcesses
        = 0; ///< processes that could not be inspected (ObjectInfo::uninspectedProcesses)
    std::uint32_t timedOutProcesses = 0; ///< of those, the ones given up after the per-process budget
    std::vector<int> uninspectedPids; ///< the pids counted in uninspectedProcesses, ascending
};

/// The objects, the semaphores and who holds them, reading /proc once: each process's maps and its
/// descriptors (thread group leaders only), at most `options.perProcessBudget` per process, never
/// waiting on a process that blocks (see Inventory). Errors: as listObjects(). On Windows the objects
/// of listObjects() and nothing else.
Result<Inventory> takeInventory(const InventoryOptions& options = {});

/// Lists the POSIX objects in /dev/shm (glibc's `sem.*` semaphores and ShmScope's own lock files
/// excluded) and the System V segments (/proc/sysvipc/shm), sorted by address.
/// Errors: only when neither source can be read at all.
/// On Windows: the named sections of this session (`win:Local\NAME`, from
/// \Sessions\<n>\BaseNamedObjects) and of the global namespace (`win:Global\NAME`, from
/// \BaseNamedObjects), listed as WinObj does (NtOpenDirectoryObject, NtQueryDirectoryObject one
/// entry per call) with their sizes from NtOpenSection + NtQuerySection; mode, owner, times and pids
/// are not known there and stay empty/0.
Result<std::vector<ObjectInfo>> listObjects();

/// The catalog entry of one object (posix:, file:, sysv:, sysvid:; on Windows win: and file:).
/// Errors: NotFound, PermissionDenied; Unsupported for a kind this platform has no backend for.
Result<ObjectInfo> describeObject(const Address& address);

/// describeObject() without the pass over /proc: the object's own facts only (one stat of its path, or
/// one read of /proc/sysvipc/shm), with `holders` and `pids` empty and the process counts 0 — cheap
/// enough to poll, e.g. to see whether a name that was removed names an object again (compare
/// `device`/`inode`, or `systemVId`). Errors as describeObject(). On Windows describeObject() itself.
Result<ObjectInfo> lookUpObject(const Address& address);

namespace detail {

/// takeInventory() where no process can be inspected for holders (Windows, a platform without a
/// backend): the objects of listObjects() alone, no semaphores, no processes. Errors: listObjects()'s.
inline Result<Inventory> objectsOnlyInventory()
{
    Result<std::vector<ObjectInfo>> objects = listObjects();
    if (!objects)
        return objects.error();
    Inventory inventory;
    inventory.objects = std::move(*objects);
    return inventory;
}

} // namespace detail

} // namespace shmscope
