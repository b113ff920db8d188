#pragma once

#include "core/catalog.h"
#include "core/error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace shmscope {

/// How full the file system behind POSIX shared memory (/dev/shm, a tmpfs) is, and who fills it.
struct ShmUsage {
    std::string path; ///< the folder measured ("/dev/shm")
    std::uint64_t size = 0; ///< bytes the file system may hold (statvfs f_blocks × f_frsize)
    std::uint64_t used = 0; ///< bytes in use (size minus f_bfree × f_frsize)
    std::uint64_t free = 0; ///< bytes an unprivileged process may still allocate (f_bavail × f_frsize)
    std::uint64_t objectsAllocated = 0; ///< the sum of ObjectInfo::allocated over the POSIX objects and semaphores
    /// The POSIX objects and semaphores of /dev/shm, largest ObjectInfo::allocated first (ties by
    /// address), with their owners and holders; at most the `largest` asked for.
    std::vector<ObjectInfo> largest;
    std::uint32_t uninspectedProcesses = 0; ///< as in Inventory: holders may be missing when not 0
};

/// Measures /dev/shm (statvfs) and ranks its entries of `inventory` (from takeInventory()) by the
/// memory they take, keeping the `largest` first ones. Errors: the errno of statvfs ("usage
/// /dev/shm: …"); Unsupported on platforms without /dev/shm.
Result<ShmUsage> measureShmUsage(const Inventory& inventory, std::size_t largest);

} // namespace shmscope
