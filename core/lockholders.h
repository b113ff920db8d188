#pragma once

#include <cstddef>
#include <functional>
#include <vector>

namespace shmscope {

/// The processes that hold an object's lock, as far as this process can see (Mapping::lockHolderSearch()).
struct LockHolders {
    bool searched = false; ///< false: the backend cannot tell who holds its lock (Windows, copy-on-write views)
    std::vector<int> pids; ///< ascending, unique; may include this process (another view of the object in it)
    /// Processes whose open files this process may not inspect (other users' without root): the holder
    /// may be one of them when `pids` is empty.
    std::size_t uninspected = 0;
};

/// A search for an object's lock holders that needs nothing of its Mapping (Mapping::lockHolderSearch()):
/// it may run in any thread, also after the Mapping is gone. It can take tens of milliseconds (it reads
/// /proc); it never waits for the lock.
using LockHolderSearch = std::function<LockHolders()>;

} // namespace shmscope
