#pragma once

#include "core/address.h"
#include "core/error.h"

#include <cstdint>
#include <string>
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

} // namespace shmscope
