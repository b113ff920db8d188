#include "core/stale.h"

#include "core/mapping.h"
#include "core/posix/fdmapping.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fstream>
#include <signal.h>
#include <sstream>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/stat.h>

namespace shmscope {

namespace {

constexpr const char* kQtKeyFilePrefix = "qipc_sharedmemory_";
constexpr const char* kQtSemaphorePrefix = "qipc_systemsem_";

std::string temporaryFolder()
{
    // Where QDir::tempPath() puts QSharedMemory's key files on Unix: $TMPDIR, else /tmp.
    const char* folder = std::getenv("TMPDIR");
    std::string path = folder && *folder ? folder : "/tmp";
    while (path.size() > 1 && path.back() == '/')
        path.pop_back();
    return path;
}

bool processExists(int pid)
{
    return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM);
}

bool isSystemV(const ObjectInfo& object)
{
    return object.address.kind == Kind::SysV || object.address.kind == Kind::SysVId;
}

std::string durationText(std::int64_t seconds)
{
    if (seconds < 120)
        return std::to_string(seconds) + " s";
    if (seconds < 2 * 3600)
        return std::to_string(seconds / 60) + " min";
    if (seconds < 2 * 86400)
        return std::to_string(seconds / 3600) + " h";
    return std::to_string(seconds / 86400) + " days";
}

std::string holdersText(const ObjectInfo& object)
{
    std::string text;
    for (const Holder& holder : object.holders)
        text += (text.empty() ? "" : ", ") + holderText(holder);
    return text;
}

// Who left it, from the name alone (POSIX) or the key file (System V).
std::string leftoverOf(const ObjectInfo& object, const std::string& qtKeyFile)
{
    if (!qtKeyFile.empty())
        return "QSharedMemory (key file " + qtKeyFile + ")";
    if (object.address.kind != Kind::Posix)
        return {};
    const std::string_view name = std::string_view(object.address.name).substr(1);
    if (name.starts_with("psm_"))
        return "Python multiprocessing.shared_memory (psm_*)";
    if (name.starts_with(kQtKeyFilePrefix))
        return "QSharedMemory (Qt built with POSIX IPC)";
    if (name.starts_with("PostgreSQL."))
        return "PostgreSQL dynamic shared memory";
    if (name.starts_with(".org.chromium.") || name.starts_with(".com.google.Chrome."))
        return "Chromium";
    return {};
}

} // namespace

const char* staleStateName(StaleState state)
{
    switch (state) {
    case StaleState::InUse:
        return "in use";
    case StaleState::Recent:
        return "recent";
    case StaleState::Unattached:
        return "unattached";
    case StaleState::Unknown:
        return "unknown";
    case StaleState::Stale:
        return "stale";
    case StaleState::Removing:
        return "removing";
    }
    return "unknown";
}

LeftoverEvidence findLeftoverEvidence()
{
    LeftoverEvidence evidence;
    const std::string folder = temporaryFolder();
    DIR* directory = ::opendir(folder.c_str());
    if (!directory)
        return evidence;
    while (const dirent* entry = ::readdir(directory)) {
        if (!std::string_view(entry->d_name).starts_with(kQtKeyFilePrefix))
            continue;
        const std::string path = folder + "/" + entry->d_name;
        struct stat info = {};
        if (::lstat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode))
            continue;
        const key_t key = ::ftok(path.c_str(), 'Q'); // QSharedMemory's project id
        if (key != -1)
            evidence.qtKeyFiles[static_cast<std::uint32_t>(key)] = path;
    }
    ::closedir(directory);
    return evidence;
}

StaleVerdict judgeStale(const ObjectInfo& object, const LeftoverEvidence& evidence, std::chrono::seconds grace,
                        std::int64_t now)
{
    StaleVerdict verdict;
    verdict.ageSeconds = std::max<std::int64_t>(0, now - object.changedTime);
    const bool systemV = isSystemV(object);
    if (object.address.kind == Kind::SysV) {
        if (auto found = evidence.qtKeyFiles.find(object.address.key); found != evidence.qtKeyFiles.end())
            verdict.qtKeyFile = found->second;
    }
    verdict.leftoverOf = leftoverOf(object, verdict.qtKeyFile);
    const std::string age = "unchanged for " + durationText(verdict.ageSeconds);

    if (systemV && object.markedForRemoval) {
        verdict.state = StaleState::Removing;
        verdict.reason = "already removed (IPC_RMID): it goes when its last process detaches";
        return verdict;
    }
    if (!object.holders.empty() || (systemV && object.attachCount > 0)) {
        verdict.state = StaleState::InUse;
        verdict.reason = object.holders.empty()
            ? std::to_string(object.attachCount) + " attached (nattch) in processes that could not be inspected"
            : "held by " + holdersText(object);
        return verdict;
    }
    if (!systemV && object.uninspectedProcesses > 0) {
        verdict.state = StaleState::Unknown;
        verdict.reason = "no holder found, but " + std::to_string(object.uninspectedProcesses)
            + (object.uninspectedProcesses == 1 ? " process" : " processes")
            + " could not be inspected (any may hold it)";
        return verdict;
    }
    if (verdict.ageSeconds < grace.count()) {
        verdict.state = StaleState::Recent;
        verdict.reason = "not held, but changed " + durationText(verdict.ageSeconds)
            + " ago (within the grace period of " + durationText(grace.count()) + ")";
        return verdict;
    }
    if (systemV) {
        const bool creatorRuns = processExists(object.creatorPid);
        const bool lastRuns = processExists(object.lastPid);
        if (creatorRuns || lastRuns) {
            verdict.state = StaleState::Unattached;
            verdict.reason = "unattached (nattch 0), not necessarily stale: "
                + std::string(creatorRuns ? "its creator (pid " + std::to_string(object.creatorPid) + ")"
                                          : "its last user (pid " + std::to_string(object.lastPid) + ")")
                + " still runs, and segments are kept on purpose by some programs";
            return verdict;
        }
        verdict.state = StaleState::Stale;
        verdict.reason = "unattached (nattch 0), its creator (pid " + std::to_string(object.creatorPid)
            + ") and last user (pid " + std::to_string(object.lastPid) + ") are gone, " + age;
        return verdict;
    }
    verdict.state = StaleState::Stale;
    verdict.reason = "no process maps it or holds a descriptor (all processes inspected), " + age;
    return verdict;
}

namespace {

bool sameObject(const ObjectInfo& a, const ObjectInfo& b)
{
    if (isSystemV(a))
        return isSystemV(b) && a.systemVId == b.systemVId;
    return a.device == b.device && a.inode == b.inode;
}

// Removes QSharedMemory's key file of a segment just removed: only an empty regular file that still
// names that key.
std::string removeQtKeyFile(const std::string& path, std::uint32_t key)
{
    struct stat info = {};
    if (path.empty() || ::lstat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode) || info.st_size != 0)
        return {};
    if (static_cast<std::uint32_t>(::ftok(path.c_str(), 'Q')) != key)
        return {};
    const Address file { Kind::File, path, 0 };
    if (!detail::FdMapping::removeIfSame(file, static_cast<std::uint64_t>(info.st_dev),
                                         static_cast<std::uint64_t>(info.st_ino)))
        return {};
    return path;
}

// Lists and judges `listed` once more, then removes it if it is still stale and the same object.
void recheckAndRemove(CleanAction& action, const CleanOptions& options)
{
    const ObjectInfo& listed = action.object;
    // System V by shmid: the key may have been reused by a new segment meanwhile.
    const Address address = isSystemV(listed) ? Address { Kind::SysVId, {}, listed.systemVId } : listed.address;
    Result<ObjectInfo> now = describeObject(address);
    if (!now) {
        action.error = now.error();
        return;
    }
    if (!sameObject(listed, *now)) {
        action.verdict.state = StaleState::InUse;
        action.verdict.reason = "replaced by another object of the same name since it was listed";
        return;
    }
    ObjectInfo current = std::move(*now);
    current.address = listed.address; // judged under the name it was listed by (key file evidence)
    action.verdict = judgeStale(current, findLeftoverEvidence(), options.grace, std::time(nullptr));
    if (action.verdict.state != StaleState::Stale)
        return;
    const Status removed = isSystemV(listed) ? removeObject(address)
                                             : detail::FdMapping::removeIfSame(address, listed.device, listed.inode);
    if (!removed) {
        action.error = removed.error();
        return;
    }
    action.removed = true;
    if (isSystemV(listed) && listed.address.kind == Kind::SysV)
        action.removedKeyFile = removeQtKeyFile(action.verdict.qtKeyFile, listed.address.key);
}

// One row of /proc/sysvipc/sem (by column name, as the segment table is read).
struct SemaphoreSetRow {
    int semid = -1;
    std::uint32_t nsems = 0;
    std::int64_t otime = 0;
    std::int64_t ctime = 0;
};

std::map<std::uint32_t, SemaphoreSetRow> readSemaphoreSets()
{
    std::map<std::uint32_t, SemaphoreSetRow> sets;
    std::ifstream table("/proc/sysvipc/sem");
    std::string line;
    if (!table || !std::getline(table, line))
        return sets;
    std::vector<std::string> columns;
    {
        std::istringstream header(line);
        for (std::string column; header >> column;)
            columns.push_back(column);
    }
    while (std::getline(table, line)) {
        std::istringstream fields(line);
        std::int64_t key = 0;
        SemaphoreSetRow row;
        std::string field;
        for (std::size_t i = 0; i < columns.size() && fields >> field; ++i) {
            const std::int64_t value = std::strtoll(field.c_str(), nullptr, 10);
            if (columns[i] == "key")
                key = value;
            else if (columns[i] == "semid")
                row.semid = static_cast<int>(value);
            else if (columns[i] == "nsems")
                row.nsems = static_cast<std::uint32_t>(value);
            else if (columns[i] == "otime")
                row.otime = value;
            else if (columns[i] == "ctime")
                row.ctime = value;
        }
        if (key != 0 && row.semid >= 0)
            sets[static_cast<std::uint32_t>(key)] = row;
    }
    return sets;
}

// Judges one QSystemSemaphore key file by the rule of QtSemaphoreLeftover.
QtSemaphoreLeftover judgeQtSemaphore(const std::string& path, const std::map<std::uint32_t, SemaphoreSetRow>& sets,
                                     std::chrono::seconds grace, std::int64_t now)
{
    QtSemaphoreLeftover leftover;
    leftover.keyFile = path;
    StaleVerdict& verdict = leftover.verdict;
    verdict.leftoverOf = "QSystemSemaphore (key file " + path + ")";
    struct stat info = {};
    const key_t key = ::ftok(path.c_str(), 'Q'); // QSystemSemaphore's project id, as QSharedMemory's
    if (::lstat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode) || key == -1) {
        verdict.state = StaleState::Unknown;
        verdict.reason = "the key file cannot be read";
        return leftover;
    }
    leftover.key = static_cast<std::uint32_t>(key);
    std::int64_t changed = static_cast<std::int64_t>(info.st_ctime);
    const auto set = sets.find(leftover.key);
    if (set != sets.end()) {
        leftover.semid = set->second.semid;
        changed = std::max({ changed, set->second.otime, set->second.ctime });
    }
    verdict.ageSeconds = std::max<std::int64_t>(0, now - changed);
    if (set != sets.end()) {
        for (std::uint32_t i = 0; i < set->second.nsems; ++i) {
            const int pid = ::semctl(leftover.semid, static_cast<int>(i), GETPID);
            const int waiting = ::semctl(leftover.semid, static_cast<int>(i), GETNCNT);
            const int zero = ::semctl(leftover.semid, static_cast<int>(i), GETZCNT);
            if (pid < 0 || waiting < 0 || zero < 0) {
                verdict.state = StaleState::Unknown;
                verdict.reason = "semaphore set " + std::to_string(leftover.semid) + " cannot be read ("
                    + std::strerror(errno) + "): any process may use it";
                return leftover;
            }
            if (waiting > 0 || zero > 0) {
                verdict.state = StaleState::InUse;
                verdict.reason = std::to_string(waiting + zero) + " process(es) wait on semaphore set "
                    + std::to_string(leftover.semid);
                return leftover;
            }
            if (processExists(pid)) {
                verdict.state = StaleState::InUse;
                verdict.reason = "semaphore set " + std::to_string(leftover.semid) + " was last used by pid "
                    + std::to_string(pid) + ", which still runs";
                return leftover;
            }
        }
    }
    // The QSharedMemory whose lock it is, if any: the segment of the key file with the same suffix.
    const std::size_t slash = path.rfind('/');
    const std::string companion = path.substr(0, slash + 1) + kQtKeyFilePrefix
        + path.substr(slash + 1 + std::char_traits<char>::length(kQtSemaphorePrefix));
    const key_t segmentKey = ::ftok(companion.c_str(), 'Q');
    if (segmentKey != -1) {
        Result<ObjectInfo> segment = describeObject(Address { Kind::SysV, {}, static_cast<std::uint32_t>(segmentKey) });
        if (segment && !segment->markedForRemoval) {
            const std::string name = toString(segment->address);
            if (segment->attachCount > 0) {
                verdict.state = StaleState::InUse;
                verdict.reason = "the lock of QSharedMemory segment " + name + ", which is attached ("
                    + std::to_string(segment->attachCount) + ")";
                return leftover;
            }
            if (processExists(segment->creatorPid) || processExists(segment->lastPid)) {
                verdict.state = StaleState::Unattached;
                verdict.reason
                    = "the lock of QSharedMemory segment " + name + ", whose creator or last user still runs";
                return leftover;
            }
        }
    }
    if (verdict.ageSeconds < grace.count()) {
        verdict.state = StaleState::Recent;
        verdict.reason = "not in use, but changed " + durationText(verdict.ageSeconds)
            + " ago (within the grace period of " + durationText(grace.count()) + ")";
        return leftover;
    }
    verdict.state = StaleState::Stale;
    verdict.reason = set == sets.end() ? "its semaphore set is gone, unchanged for " + durationText(verdict.ageSeconds)
                                       : "semaphore set " + std::to_string(leftover.semid)
            + ": nobody waits on it, the processes that last used it are gone, unchanged for "
            + durationText(verdict.ageSeconds);
    return leftover;
}

// Judges `leftover` once more and removes it if it is still stale and still the same set and file.
void recheckAndRemoveSemaphore(QtSemaphoreLeftover& leftover, const CleanOptions& options)
{
    const int semid = leftover.semid;
    const std::uint32_t key = leftover.key;
    QtSemaphoreLeftover now
        = judgeQtSemaphore(leftover.keyFile, readSemaphoreSets(), options.grace, std::time(nullptr));
    if (now.key != key || now.semid != semid) {
        leftover.verdict.state = StaleState::InUse;
        leftover.verdict.reason = "replaced by another semaphore set or key file since it was listed";
        return;
    }
    leftover.verdict = now.verdict;
    if (leftover.verdict.state != StaleState::Stale)
        return;
    if (semid >= 0) {
        struct semid_ds info = {};
        const std::string name = "semaphore set " + std::to_string(semid);
        // By semid, only while it still has that key (a semid is reused after removal).
        if (::semctl(semid, 0, IPC_STAT, &info) != 0) {
            leftover.error = errorFromErrno("remove", name, errno);
            return;
        }
        if (static_cast<std::uint32_t>(info.sem_perm.__key) != key) {
            leftover.verdict.state = StaleState::InUse;
            leftover.verdict.reason = "its semid now names another set";
            return;
        }
        if (::semctl(semid, 0, IPC_RMID) != 0) {
            leftover.error = errorFromErrno("remove", name, errno);
            return;
        }
    }
    leftover.removed = true;
    (void)removeQtKeyFile(leftover.keyFile, key);
}

} // namespace

std::vector<QtSemaphoreLeftover> findQtSemaphoreLeftovers(std::chrono::seconds grace, std::int64_t now)
{
    std::vector<QtSemaphoreLeftover> leftovers;
    const std::string folder = temporaryFolder();
    DIR* directory = ::opendir(folder.c_str());
    if (!directory)
        return leftovers;
    std::vector<std::string> paths;
    while (const dirent* entry = ::readdir(directory)) {
        if (std::string_view(entry->d_name).starts_with(kQtSemaphorePrefix))
            paths.push_back(folder + "/" + entry->d_name);
    }
    ::closedir(directory);
    std::sort(paths.begin(), paths.end());
    const std::map<std::uint32_t, SemaphoreSetRow> sets = readSemaphoreSets();
    for (const std::string& path : paths)
        leftovers.push_back(judgeQtSemaphore(path, sets, grace, now));
    return leftovers;
}

Result<CleanReport> cleanStaleObjects(const CleanOptions& options)
{
    Result<Inventory> inventory = takeInventory(options.inventory);
    if (!inventory)
        return inventory.error();
    const LeftoverEvidence evidence = findLeftoverEvidence();
    const std::int64_t now = std::time(nullptr);
    CleanReport report;
    report.uninspectedProcesses = inventory->uninspectedProcesses;
    for (ObjectInfo& object : inventory->objects) {
        StaleVerdict verdict = judgeStale(object, evidence, options.grace, now);
        if (options.select && !options.select(object, verdict))
            continue;
        ++report.considered;
        if (verdict.state != StaleState::Stale) {
            ++report.kept[verdict.state];
            continue;
        }
        CleanAction action;
        action.object = std::move(object);
        action.verdict = std::move(verdict);
        if (!options.dryRun)
            recheckAndRemove(action, options);
        if (!action.removed && !(options.dryRun && action.verdict.state == StaleState::Stale))
            ++report.kept[action.verdict.state];
        report.actions.push_back(std::move(action));
    }
    if (!options.qtSemaphores)
        return report;
    for (QtSemaphoreLeftover& leftover : findQtSemaphoreLeftovers(options.grace, now)) {
        if (options.selectSemaphore && !options.selectSemaphore(leftover))
            continue;
        ++report.semaphoreSetsConsidered;
        if (leftover.verdict.state != StaleState::Stale) {
            ++report.semaphoreSetsKept[leftover.verdict.state];
            continue;
        }
        if (!options.dryRun)
            recheckAndRemoveSemaphore(leftover, options);
        if (!leftover.removed && !(options.dryRun && leftover.verdict.state == StaleState::Stale))
            ++report.semaphoreSetsKept[leftover.verdict.state];
        report.semaphoreSets.push_back(std::move(leftover));
    }
    return report;
}

} // namespace shmscope
