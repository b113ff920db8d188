#pragma once

#include "core/catalog.h"
#include "core/error.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

// Which objects are left over and may be removed, and removing them safely (POSIX only: on other
// platforms judgeStale() says Unknown and cleanStaleObjects() fails with Unsupported).
//
// The rule (docs: the background note on stale shared memory): an object is stale only when
//  1. no process maps it or holds a descriptor to it (matched by device and inode, not by name),
//  2. every process could be inspected (otherwise any of them may hold it: "unknown"), and
//  3. nothing happened to it for a grace period (10 minutes by default), which covers the moment
//     between a program's shm_open() and its mmap().
// A System V segment has no descriptors, and its attach count (nattch) counts every attached process
// of this IPC namespace, so 1 and 2 are "nattch is 0". But an unattached segment is often kept on
// purpose, so it is stale only when, in addition, the process that made it and the one that last
// attached or detached it are both gone; otherwise it is "unattached".
// Names that frameworks are known to leave behind (QSharedMemory's key files, Python's psm_*) are
// shown as evidence; they never decide.

namespace shmscope {

/// The verdict on one object.
enum class StaleState {
    InUse, ///< a process maps it or holds a descriptor (System V: nattch > 0)
    Recent, ///< nobody holds it, but it changed within the grace period
    Unattached, ///< System V, nattch 0, but its creator or last user is still running: not necessarily stale
    Unknown, ///< nobody found holding it, but some processes could not be inspected
    Stale, ///< left over: safe to remove by the rule above
    Removing, ///< System V segment already removed (IPC_RMID): it goes when its last process detaches
};

/// "in use", "recent", "unattached", "unknown", "stale", "removing": the words of the CLI and JSON.
const char* staleStateName(StaleState state);

/// Known-leftover evidence that is not in the catalog entry itself.
struct LeftoverEvidence {
    /// QSharedMemory's key files (Qt built with System V IPC, the default on Linux):
    /// `qipc_sharedmemory_*` in the temporary folder ($TMPDIR, else /tmp), by the System V key that
    /// ftok(FILE, 'Q') gives, which is the key of their segment.
    std::map<std::uint32_t, std::string> qtKeyFiles;
};

/// Reads the evidence (the temporary folder). Never fails: what it cannot read it leaves out.
LeftoverEvidence findLeftoverEvidence();

/// The verdict with its reasons.
struct StaleVerdict {
    StaleState state = StaleState::Unknown;
    std::string
        reason; ///< one sentence saying why, naming holders or counts (e.g. "mapped by 4242 (python3: map rw, fd)")
    /// Who probably left it, when the name or the evidence says so ("QSharedMemory (key file
    /// /tmp/qipc_sharedmemory_…)", "Python multiprocessing.shared_memory (psm_*)"); empty otherwise.
    std::string leftoverOf;
    std::string qtKeyFile; ///< the QSharedMemory key file of a System V segment, when there is one
    std::int64_t ageSeconds = 0; ///< now minus ObjectInfo::changedTime (not below 0)
};

/// Judges `object` (an entry of takeInventory() or describeObject(), holders filled in) at Unix time
/// `now` (seconds) with the grace period `grace`, by the rule at the top of this file. Pure apart from
/// checking whether the System V creator and last pids still exist (/proc/PID).
StaleVerdict judgeStale(const ObjectInfo& object, const LeftoverEvidence& evidence, std::chrono::seconds grace,
                        std::int64_t now);

/// A QSystemSemaphore (Qt built with System V IPC, the default on Linux; QSharedMemory makes one for
/// its lock too): its key file `qipc_systemsem_*` in the temporary folder and the System V semaphore
/// set of the key ftok(FILE, 'Q') gives. A program killed with SIGKILL leaves both behind.
///
/// The rule (a semaphore set has no attach count, so "unused" is pieced together): it is stale only when
///  1. no process waits on any of its semaphores (semncnt and semzcnt 0),
///  2. the process that last operated on each semaphore (sempid, also set by the SETVAL that made it)
///     is gone,
///  3. the QSharedMemory segment of the same key name (`qipc_sharedmemory_*` with the same suffix), if
///     there is one, is not attached and its creator and last user are gone, and
///  4. neither the set (otime, ctime) nor the key file changed within the grace period.
/// A set this process may not read (semctl refused) is "unknown". What cannot be seen: a process that
/// opened the set and has not operated on it yet; the grace period is there for that. A key file whose
/// set is gone is stale by 4 alone.
struct QtSemaphoreLeftover {
    std::string keyFile; ///< the key file's path
    std::uint32_t key = 0; ///< ftok(keyFile, 'Q')
    int semid = -1; ///< the semaphore set of that key; -1 when there is none (only the key file is left)
    StaleVerdict verdict; ///< InUse, Unattached (its QSharedMemory segment's process runs), Recent, Unknown or Stale
    bool removed = false; ///< cleanStaleObjects(): the set (IPC_RMID) and the key file are gone
    std::optional<Error> error; ///< cleanStaleObjects(): why removing failed
};

/// Every `qipc_systemsem_*` key file of the temporary folder ($TMPDIR, else /tmp), each judged at Unix
/// time `now` (seconds) with `grace` by the rule of QtSemaphoreLeftover, in path order. Never fails:
/// what it cannot read it leaves out (an unreadable set is judged "unknown").
std::vector<QtSemaphoreLeftover> findQtSemaphoreLeftovers(std::chrono::seconds grace, std::int64_t now);

/// How cleanStaleObjects() works.
struct CleanOptions {
    std::chrono::seconds grace { std::chrono::minutes(10) }; ///< the grace period of the rule
    bool dryRun = false; ///< only say what would be removed
    /// Which objects to consider at all (e.g. a name filter); all when empty. Objects it refuses are
    /// neither judged again nor touched.
    std::function<bool(const ObjectInfo& object, const StaleVerdict& verdict)> select;
    InventoryOptions inventory; ///< how /proc is read
    /// Also judge and clean QSystemSemaphore leftovers (findQtSemaphoreLeftovers()); off by default, so
    /// that a caller that shows only objects never removes what it did not show.
    bool qtSemaphores = false;
    /// Which QSystemSemaphore leftovers to consider (e.g. a name filter on the key file); all when empty.
    std::function<bool(const QtSemaphoreLeftover& leftover)> selectSemaphore;
};

/// What happened to one stale object.
struct CleanAction {
    ObjectInfo object; ///< as listed
    StaleVerdict verdict; ///< the verdict at the moment of removal (after the re-check)
    bool removed = false; ///< its name is gone (false in a dry run, and when the re-check kept it)
    std::string removedKeyFile; ///< the QSharedMemory key file removed with its segment, if any
    std::optional<Error> error; ///< why removing it failed (it is then still there)
};

/// The result of cleanStaleObjects().
struct CleanReport {
    /// The objects found stale in the listing, in address order, each re-checked and removed (or,
    /// when the re-check no longer found it stale, kept with the new verdict).
    std::vector<CleanAction> actions;
    std::size_t considered = 0; ///< objects that `select` let through
    std::map<StaleState, std::size_t> kept; ///< of those, how many were left alone, by verdict
    std::uint32_t uninspectedProcesses = 0; ///< of the listing (Inventory::uninspectedProcesses)
    /// The QSystemSemaphore leftovers found stale, each re-checked just before removal (then removed,
    /// or kept with the new verdict; removed is false in a dry run).
    std::vector<QtSemaphoreLeftover> semaphoreSets;
    std::size_t semaphoreSetsConsidered = 0; ///< QSystemSemaphore key files that selectSemaphore let through
    std::map<StaleState, std::size_t> semaphoreSetsKept; ///< of those, how many were left alone, by verdict
};

/// Lists every object, judges each one `options.select` lets through, and removes those that are
/// stale. Just before each removal the object is listed and judged again (a fresh pass over /proc)
/// and removed only if it is still stale and still the same object (same device and inode, same
/// shmid); the removal itself takes only a regular file by that identity (the checks of
/// removeObject(), core/mapping.h). A System V segment's QSharedMemory key file is removed with it
/// when it is an empty regular file that still names that key. QSystemSemaphore leftovers
/// (findQtSemaphoreLeftovers()) that are stale are removed the same way: re-judged just before, the
/// set by its semid (only if it still has the key), then the key file if it is an empty regular file
/// that still gives that key. glibc semaphores and file: objects are never touched. Errors: as takeInventory();
/// failures to remove one object are in its action.
Result<CleanReport> cleanStaleObjects(const CleanOptions& options);

} // namespace shmscope
