#include "core/posix/procholders.h"

#include "core/posix/procfs.h"
#include "core/posix/uniquefd.h"

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <dirent.h>
#include <fcntl.h>
#include <memory>
#include <mutex>
#include <set>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

// How the scan avoids stalling on one process: reader threads take pids from a shared list, and the
// caller's thread only watches the clock. A reader checks its process's budget between reads, so a
// large maps file is given up in time; a read that blocks (the kernel takes the target's mmap_lock to
// print its maps) cannot be interrupted, so the watcher gives that process up, counts it, and starts a
// new reader in place of the stuck one, which is detached and finishes on its own later. Everything a
// detached reader touches is owned by a shared_ptr.

namespace shmscope::detail {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::uint64_t kKernelThreadFlag = 0x00200000; // PF_KTHREAD in /proc/PID/stat field 9

std::mutex hookMutex;
std::function<void(int)> scanHook;

// What one process holds, keyed as HolderScan is.
struct ProcessResult {
    enum class Outcome { Inspected, Gone, Refused, TimedOut } outcome = Outcome::Inspected;
    std::map<FileId, Holder> files;
    std::map<int, Holder> sysv;
    std::map<FileId, std::pair<std::string, Holder>> discovered; ///< files mapped shared, not targets
    /// Descriptors whose link may name a discovered file: (entry of /proc/PID/fd, link text). Matched
    /// after the scan, when every process's maps have said which files are mapped shared.
    std::vector<std::pair<std::string, std::string>> links;
};

struct ScanState {
    enum class Slot { Pending, Running, Done, Abandoned };
    std::shared_ptr<const HolderTargets> targets;
    std::function<void(int)> hook;
    std::chrono::milliseconds budget;
    std::vector<int> pids;
    std::vector<ProcessResult> results;
    std::vector<Slot> slots;
    std::vector<Clock::time_point> started;
    std::mutex mutex;
    std::condition_variable changed;
    std::size_t next = 0;
    std::size_t settled = 0; // Done + Abandoned
};

void addUse(Holder& holder, int pid, std::uint8_t use)
{
    holder.pid = pid;
    holder.uses |= use;
}

// True for a kernel thread (nothing to hold): PF_KTHREAD in the flags field of /proc/PID/stat, which
// anyone may read.
bool isKernelThread(int pid)
{
    UniqueFd fd(::open(("/proc/" + std::to_string(pid) + "/stat").c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid())
        return false;
    char buffer[512];
    const ssize_t length = ::read(fd.get(), buffer, sizeof buffer - 1);
    if (length <= 0)
        return false;
    std::string_view text(buffer, static_cast<std::size_t>(length));
    const std::size_t close = text.rfind(')'); // comm may hold spaces and parentheses
    if (close == std::string_view::npos)
        return false;
    std::string_view rest = text.substr(close + 1);
    for (int field = 3; field < 9; ++field) // state, ppid, pgrp, session, tty_nr, tpgid
        nextField(rest);
    std::uint64_t flags = 0;
    return parseNumber(nextField(rest), flags, 10) && (flags & kKernelThreadFlag) != 0;
}

// True for a path that may be a file-backed object of its own: an absolute path of a file that still
// has it (not " (deleted)", not memfd), outside the device, proc and sys trees (device memory, /dev/shm
// objects, which are listed apart, and kernel files).
bool mayBeFileObject(std::string_view path)
{
    return path.starts_with('/') && !path.ends_with(" (deleted)") && !path.starts_with("/dev/")
        && !path.starts_with("/proc/") && !path.starts_with("/sys/") && !path.starts_with("/SYSV")
        && !path.starts_with("/memfd:");
}

bool refused(int err)
{
    return err != ENOENT && err != ESRCH;
}

// Reads /proc/PID/maps in large chunks. Returns false when the process must be counted (refused,
// read error, out of time); `gone` is set when it exited.
bool readMaps(int pid, const HolderTargets& targets, Clock::time_point deadline, ProcessResult& result,
              std::string& buffer, bool& gone, bool& late)
{
    UniqueFd fd(::open(("/proc/" + std::to_string(pid) + "/maps").c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) {
        gone = !refused(errno);
        return false;
    }
    constexpr std::size_t kChunk = 64 * 1024;
    buffer.clear();
    std::size_t used = 0;
    for (;;) {
        if (Clock::now() > deadline) {
            late = true;
            return false;
        }
        buffer.resize(used + kChunk);
        const ssize_t length = ::read(fd.get(), buffer.data() + used, kChunk);
        if (length < 0) {
            if (errno == EINTR)
                continue;
            gone = !refused(errno);
            return false;
        }
        if (length == 0)
            break;
        used += static_cast<std::size_t>(length);
        // Parse the complete lines now; keep a partial last line for the next read.
        std::string_view text(buffer.data(), used);
        std::size_t start = 0;
        for (std::size_t end; (end = text.find('\n', start)) != std::string_view::npos; start = end + 1) {
            MapsLine line;
            if (!parseMapsLine(text.substr(start, end - start), line))
                continue;
            const std::uint8_t use = !line.shared ? MapsPrivate : line.writable ? MapsReadWrite : MapsReadOnly;
            if (line.path.starts_with("/SYSV")) {
                const int shmid = static_cast<int>(line.inode); // shmid 0 is valid
                if (targets.shmids.count(shmid)) {
                    Holder& holder = result.sysv[shmid];
                    addUse(holder, pid, use);
                    ++holder.mappings;
                }
                continue;
            }
            if (line.inode == 0)
                continue; // anonymous memory
            const FileId id { line.device, line.inode };
            if (targets.files.count(id)) {
                Holder& holder = result.files[id];
                addUse(holder, pid, use);
                ++holder.mappings;
            } else if (targets.discoverSharedFiles && line.shared && mayBeFileObject(line.path)) {
                auto& [path, holder] = result.discovered[id];
                if (path.empty())
                    path = line.path;
                addUse(holder, pid, use);
                ++holder.mappings;
            }
        }
        buffer.erase(0, start);
        used -= start;
    }
    return true;
}

// Reads the links of /proc/PID/fd; stat()s only those that may be one of the objects.
bool readDescriptors(int pid, const HolderTargets& targets, Clock::time_point deadline, ProcessResult& result,
                     bool& gone, bool& late)
{
    if (targets.files.empty() && !targets.discoverSharedFiles)
        return true;
    const std::string folder = "/proc/" + std::to_string(pid) + "/fd";
    DIR* fds = ::opendir(folder.c_str());
    if (!fds) {
        gone = !refused(errno);
        return false;
    }
    const int folderFd = ::dirfd(fds);
    char link[4096];
    bool complete = true;
    while (const dirent* entry = ::readdir(fds)) {
        if (entry->d_name[0] == '.')
            continue;
        if (Clock::now() > deadline) {
            late = true;
            complete = false;
            break;
        }
        const ssize_t length = ::readlinkat(folderFd, entry->d_name, link, sizeof link);
        if (length <= 0)
            continue; // closed meanwhile
        std::string_view target(link, static_cast<std::size_t>(length));
        constexpr std::string_view deleted = " (deleted)";
        if (target.ends_with(deleted))
            continue; // an unlinked name is no catalog object any more
        if (!target.starts_with("/dev/shm/") && !targets.paths.count(std::string(target))) {
            if (targets.discoverSharedFiles && mayBeFileObject(target))
                result.links.emplace_back(entry->d_name, target);
            continue;
        }
        struct stat info = {};
        if (::fstatat(folderFd, entry->d_name, &info, 0) != 0)
            continue;
        const FileId id { static_cast<std::uint64_t>(info.st_dev), static_cast<std::uint64_t>(info.st_ino) };
        if (targets.files.count(id)) {
            Holder& holder = result.files[id];
            addUse(holder, pid, HoldsDescriptor);
            ++holder.descriptors;
        }
    }
    ::closedir(fds);
    return complete;
}

std::string commandName(int pid)
{
    UniqueFd fd(::open(("/proc/" + std::to_string(pid) + "/comm").c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid())
        return {};
    char buffer[64];
    const ssize_t length = ::read(fd.get(), buffer, sizeof buffer);
    if (length <= 0)
        return {};
    std::string name(buffer, static_cast<std::size_t>(length));
    if (!name.empty() && name.back() == '\n')
        name.pop_back();
    return name;
}

ProcessResult inspect(int pid, const HolderTargets& targets, Clock::time_point deadline, std::string& buffer)
{
    ProcessResult result;
    bool gone = false;
    bool late = false;
    const bool complete = readMaps(pid, targets, deadline, result, buffer, gone, late)
        && readDescriptors(pid, targets, deadline, result, gone, late);
    if (!complete) {
        using Outcome = ProcessResult::Outcome;
        result.outcome = late ? Outcome::TimedOut : gone ? Outcome::Gone : Outcome::Refused;
        if (result.outcome == Outcome::Refused && isKernelThread(pid))
            result.outcome = Outcome::Gone; // a kernel thread maps and holds nothing
        if (result.outcome != Outcome::TimedOut) {
            result.files.clear();
            result.sysv.clear();
            result.discovered.clear();
            result.links.clear();
            return result;
        }
        // Out of time: what was found is true, but the process stays uninspected.
    }
    if (!result.files.empty() || !result.sysv.empty() || !result.discovered.empty()) {
        const std::string name = commandName(pid);
        for (auto& [id, holder] : result.files)
            holder.name = name;
        for (auto& [id, holder] : result.sysv)
            holder.name = name;
        for (auto& [id, found] : result.discovered)
            found.second.name = name;
    }
    return result;
}

void readerLoop(const std::shared_ptr<ScanState>& state)
{
    std::string buffer;
    std::unique_lock lock(state->mutex);
    while (state->next < state->pids.size()) {
        const std::size_t index = state->next++;
        state->slots[index] = ScanState::Slot::Running;
        state->started[index] = Clock::now();
        const Clock::time_point deadline = state->started[index] + state->budget;
        lock.unlock();
        if (state->hook)
            state->hook(state->pids[index]);
        ProcessResult result = inspect(state->pids[index], *state->targets, deadline, buffer);
        lock.lock();
        if (state->slots[index] == ScanState::Slot::Abandoned)
            return; // given up while blocked: another reader took this one's place
        state->results[index] = std::move(result);
        state->slots[index] = ScanState::Slot::Done;
        if (++state->settled == state->pids.size())
            state->changed.notify_all();
    }
}

} // namespace

void setHolderScanHookForTesting(std::function<void(int pid)> hook)
{
    std::lock_guard lock(hookMutex);
    scanHook = std::move(hook);
}

HolderScan scanHolders(const HolderTargets& targets, const HolderScanOptions& options)
{
    HolderScan scan;
    if (targets.files.empty() && targets.shmids.empty() && !targets.discoverSharedFiles)
        return scan;

    auto state = std::make_shared<ScanState>();
    state->targets = std::make_shared<const HolderTargets>(targets);
    {
        std::lock_guard lock(hookMutex);
        state->hook = scanHook;
    }
    state->budget = std::max(options.perProcessBudget, std::chrono::milliseconds(1));
    state->pids = listPids(); // ascending: the holder lists come out sorted
    const std::size_t count = state->pids.size();
    state->results.resize(count);
    state->slots.assign(count, ScanState::Slot::Pending);
    state->started.resize(count);

    unsigned threads = options.threads;
    if (threads == 0)
        threads = std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
    threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(count, 1)));

    std::vector<std::thread> readers;
    for (unsigned i = 0; i < threads; ++i)
        readers.emplace_back(readerLoop, state);

    // A reader that is still in one process this long after its deadline is blocked in the kernel.
    const auto grace = state->budget + std::chrono::milliseconds(50);
    bool abandoned = false;
    {
        std::unique_lock lock(state->mutex);
        while (state->settled < count) {
            state->changed.wait_for(lock, std::chrono::milliseconds(20));
            const Clock::time_point now = Clock::now();
            for (std::size_t i = 0; i < count; ++i) {
                if (state->slots[i] != ScanState::Slot::Running || now - state->started[i] < grace)
                    continue;
                state->slots[i] = ScanState::Slot::Abandoned;
                state->results[i].outcome = ProcessResult::Outcome::TimedOut;
                ++state->settled;
                abandoned = true;
                // The blocked reader leaves when it returns; this one takes its place. Which of the
                // threads is the blocked one does not matter: all are detached below once done.
                readers.emplace_back(readerLoop, state);
            }
        }
    }
    // Readers that are not blocked have run out of pids and are leaving. When one was given up, which
    // thread is blocked is not known, so none is waited for.
    for (std::thread& reader : readers) {
        if (abandoned)
            reader.detach();
        else
            reader.join();
    }

    // The files found mapped shared: a descriptor whose link reads one of their paths is stat()ed
    // (through /proc/PID/fd, so the open file itself) and counted when it is the same file.
    std::set<std::string> discoveredPaths;
    std::set<FileId> discoveredIds;
    for (std::size_t i = 0; i < count; ++i) {
        if (state->slots[i] == ScanState::Slot::Abandoned)
            continue;
        for (const auto& [id, found] : state->results[i].discovered) {
            discoveredPaths.insert(found.first);
            discoveredIds.insert(id);
        }
    }
    for (std::size_t i = 0; i < count && !discoveredIds.empty(); ++i) {
        if (state->slots[i] == ScanState::Slot::Abandoned)
            continue;
        ProcessResult& result = state->results[i];
        const int pid = state->pids[i];
        for (const auto& [entry, path] : result.links) {
            if (!discoveredPaths.count(path))
                continue;
            struct stat info = {};
            const std::string link = "/proc/" + std::to_string(pid) + "/fd/" + entry;
            if (::stat(link.c_str(), &info) != 0 || !S_ISREG(info.st_mode))
                continue;
            const FileId id { static_cast<std::uint64_t>(info.st_dev), static_cast<std::uint64_t>(info.st_ino) };
            if (!discoveredIds.count(id))
                continue;
            auto& [knownPath, holder] = result.discovered[id];
            if (knownPath.empty())
                knownPath = path;
            if (holder.uses == 0 && holder.name.empty())
                holder.name = commandName(pid);
            addUse(holder, pid, HoldsDescriptor);
            ++holder.descriptors;
        }
    }

    for (std::size_t i = 0; i < count; ++i) {
        ProcessResult& result = state->results[i];
        using Outcome = ProcessResult::Outcome;
        if (result.outcome == Outcome::Gone)
            continue;
        if (result.outcome == Outcome::Inspected) {
            ++scan.processes;
        } else {
            ++scan.uninspected;
            scan.uninspectedPids.push_back(state->pids[i]);
            if (result.outcome == Outcome::TimedOut)
                ++scan.timedOut;
        }
        if (state->slots[i] == ScanState::Slot::Abandoned)
            continue; // its reader may still write into its own result: never read it
        for (auto& [id, holder] : result.files)
            scan.files[id].push_back(std::move(holder));
        for (auto& [shmid, holder] : result.sysv)
            scan.sysv[shmid].push_back(std::move(holder));
        for (auto& [id, found] : result.discovered) {
            DiscoveredFile& file = scan.discovered[id];
            if (file.path.empty())
                file.path = std::move(found.first);
            file.holders.push_back(std::move(found.second));
        }
    }
    return scan;
}

} // namespace shmscope::detail
