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
    std::uint32_t mode = 0; ///< permission bits (0777 mask)
    std::uint32_t uid = 0; ///< owner's user id
    std::string owner; ///< owner's user name, or the uid in decimal when it has no name
    std::int64_t modifiedTime = 0; ///< last modification (POSIX, file) or last attach/detach (System V), seconds since the Unix epoch
    std::vector<int> pids; ///< processes that map it now (from /proc/*/maps; processes we may not read are skipped), ascending
    std::uint32_t systemVId = 0; ///< System V: the shmid; 0 otherwise
    std::uint64_t attachCount = 0; ///< System V: shm_nattch (counts processes we may not read); others: pids.size()
};

/// Lists the POSIX objects in /dev/shm (glibc's `sem.*` semaphores and ShmScope's own lock files
/// excluded) and the System V segments (/proc/sysvipc/shm), sorted by address.
/// Errors: only when neither source can be read at all.
Result<std::vector<ObjectInfo>> listObjects();

/// The catalog entry of one object (posix:, file:, sysv:, sysvid:). Errors: NotFound, PermissionDenied.
Result<ObjectInfo> describeObject(const Address& address);

} // namespace shmscope
