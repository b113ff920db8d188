#pragma once

// Internal to shmscope_core (POSIX): who holds which object, from one pass over /proc. For each
// process (thread group leaders only: /proc lists no threads, and threads share their leader's maps
// and, almost always, its descriptors) it reads /proc/PID/maps and the links of /proc/PID/fd, and
// keeps what refers to one of the objects asked about, matched by device and inode (never by name:
// names are unlinked and made again).

#include "core/holders.h"
#include "core/posix/procmaps.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace shmscope::detail {

/// What to look for.
struct HolderTargets {
    std::set<FileId> files; ///< POSIX objects, semaphores and files, by st_dev and st_ino
    std::set<int> shmids; ///< System V segments (their maps lines read "/SYSV<key> (deleted)", inode = shmid)
    /// Paths of file: objects (canonical, absolute): a descriptor whose link reads one of them is
    /// stat()ed. Links into /dev/shm are always stat()ed; no other link is (stat() of a link to a dead
    /// network file system could hang).
    std::set<std::string> paths;
    /// Also find the files that processes map shared ("rw-s", "r--s") which are not among `files`:
    /// regular files outside /dev, /proc and /sys, whose maps path is not " (deleted)". Their holders
    /// (those mapping them, and those with a descriptor whose link reads the same path) go to
    /// HolderScan::discovered. Private mappings (shared libraries, executables) are never taken.
    bool discoverSharedFiles = false;
};

/// How the scan may spend its time.
struct HolderScanOptions {
    /// The most time spent on one process: a process whose maps and descriptors are not read by then
    /// (a huge maps file, or a read that blocks on the process's memory map lock) is given up and
    /// counted in HolderScan::timedOut. A read that blocks is left to finish in the background.
    std::chrono::milliseconds perProcessBudget { 250 };
    /// Reader threads; 0 picks min(4, hardware threads). The caller's thread only waits.
    unsigned threads = 0;
};

/// A file found mapped shared (HolderTargets::discoverSharedFiles).
struct DiscoveredFile {
    std::string path; ///< the path as the first maps line that named it reads it (the mapper's mount namespace)
    std::vector<Holder> holders; ///< ascending by pid
};

/// The result of scanHolders().
struct HolderScan {
    /// Files mapped shared that were not targets, by st_dev and st_ino (HolderTargets::discoverSharedFiles).
    std::map<FileId, DiscoveredFile> discovered;
    std::map<FileId, std::vector<Holder>> files; ///< holders by object, ascending by pid
    std::map<int, std::vector<Holder>> sysv; ///< holders of System V segments by shmid, ascending by pid
    std::uint32_t processes = 0; ///< processes read completely
    /// Processes that could not be inspected: their maps or fd folder was refused (another user's
    /// process, or one that is not dumpable, without CAP_SYS_PTRACE), a read failed, or they took
    /// longer than the budget (also counted in timedOut). Kernel threads, which hold nothing, are
    /// not counted. Any of them may hold any of the objects.
    std::uint32_t uninspected = 0;
    std::uint32_t timedOut = 0; ///< of `uninspected`: given up after HolderScanOptions::perProcessBudget
    std::vector<int> uninspectedPids; ///< the pids counted in `uninspected`, ascending
};

/// Scans every process once, as described at the top of this file. Processes that exit during the
/// scan hold nothing and are not counted. With no targets at all (and no discovery) nothing is scanned. Never fails;
/// never waits longer than about the per-process budget for any one process. Thread-safe.
HolderScan scanHolders(const HolderTargets& targets, const HolderScanOptions& options = {});

/// Tests only: a function called in the reader thread just before each process is inspected (with its
/// pid), so that a test can hold one process's inspection up and check the scan moves on. Pass an empty
/// function to remove it. Not for use while a scan runs.
void setHolderScanHookForTesting(std::function<void(int pid)> hook);

} // namespace shmscope::detail
