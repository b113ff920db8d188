#include "core/stale.h"

#include "core/mapping.h"
#include "core/posix/fdmapping.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <dirent.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/stat.h>

namespace shmscope {

namespace {

constexpr const char* kQtKeyFilePrefix = "qipc_sharedmemory_";

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

} // namespace

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
    return report;
}

} // namespace shmscope
