#include "core/catalog.h"

#include "core/backend.h"
#include "core/posix/objectpath.h"
#include "core/posix/procholders.h"
#include "core/posix/sysvlockfile.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <sys/shm.h>
#include <sys/stat.h>
#include <tuple>
#include <unistd.h>

// The catalog reads what the kernel publishes: the directory glibc's shm_open uses (/dev/shm), the
// table /proc/sysvipc/shm (every segment, whatever its permissions, unlike IPC_STAT), and each
// process's /proc/PID/maps for the pids. Debian 12's ipcs does not list POSIX objects, hence the
// directory scan (PLATFORM-NOTES).

namespace shmscope {

namespace {

constexpr const char* shmDirectory = "/dev/shm";
constexpr const char* sysvTable = "/proc/sysvipc/shm";

// Names that are in /dev/shm but are not shared-memory objects of their own: glibc's named
// semaphores ("sem.NAME", listed apart) and ShmScope's lock files for System V segments
// (".shmscope-*.lock").
bool isSemaphore(std::string_view name)
{
    return name.starts_with("sem.");
}

bool isLockFile(std::string_view name)
{
    return name.starts_with(".shmscope-") && name.ends_with(".lock");
}

class OwnerNames
{
public:
    std::string nameOf(std::uint32_t uid)
    {
        auto found = m_names.find(uid);
        if (found != m_names.end())
            return found->second;
        std::string name = lookup(uid);
        m_names.emplace(uid, name);
        return name;
    }

private:
    static std::string lookup(std::uint32_t uid) { return detail::userName(static_cast<uid_t>(uid)); }
    std::map<std::uint32_t, std::string> m_names;
};

// An ObjectInfo plus how to find its users in /proc/*/maps.
struct Entry {
    ObjectInfo info;
    detail::FileId file; ///< POSIX objects and files
    bool systemV = false;
};

Entry entryFromStat(Address address, const struct stat& st, OwnerNames& owners)
{
    Entry entry;
    entry.info.address = std::move(address);
    entry.info.size = static_cast<std::uint64_t>(st.st_size);
    entry.info.mode = static_cast<std::uint32_t>(st.st_mode & 0777);
    entry.info.uid = static_cast<std::uint32_t>(st.st_uid);
    entry.info.owner = owners.nameOf(entry.info.uid);
    entry.info.modifiedTime = static_cast<std::int64_t>(st.st_mtime);
    entry.info.changedTime = static_cast<std::int64_t>(st.st_ctime);
    entry.info.allocated = static_cast<std::uint64_t>(st.st_blocks) * 512;
    entry.info.device = static_cast<std::uint64_t>(st.st_dev);
    entry.info.inode = static_cast<std::uint64_t>(st.st_ino);
    entry.file = { static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino) };
    return entry;
}

// Lists /dev/shm (semaphores into `semaphores`). Returns errno when the directory cannot be read, 0 otherwise.
int listPosix(std::vector<Entry>& entries, std::vector<Entry>& semaphores, OwnerNames& owners)
{
    DIR* directory = ::opendir(shmDirectory);
    if (!directory)
        return errno;
    const int directoryFd = ::dirfd(directory);
    while (const dirent* item = ::readdir(directory)) {
        const std::string_view name(item->d_name);
        if (name == "." || name == ".." || isLockFile(name))
            continue;
        struct stat st = {};
        // fstatat without following links: only regular files are objects (no directories, links).
        if (::fstatat(directoryFd, item->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
            continue;
        Address address { Kind::Posix, "/" + std::string(name), 0 };
        if (!detail::validateAddress("list", address))
            continue; // a name no address can spell (cannot happen on Linux, where NAME_MAX binds both)
        (isSemaphore(name) ? semaphores : entries).push_back(entryFromStat(std::move(address), st, owners));
    }
    ::closedir(directory);
    return 0;
}

// One row of /proc/sysvipc/shm, by column name (the header line names the columns; their order has
// changed between kernels, and rss/swap were added later).
struct SysVRow {
    std::int64_t key = 0;
    std::int64_t shmid = 0;
    std::uint64_t perms = 0;
    std::uint64_t size = 0;
    std::uint64_t nattch = 0;
    std::uint64_t uid = 0;
    std::int64_t atime = 0;
    std::int64_t dtime = 0;
    std::int64_t ctime = 0;
    std::int64_t cpid = 0;
    std::int64_t lpid = 0;
    std::uint64_t rss = 0;
    std::uint64_t swap = 0;
};

// Reads the table. Returns errno when it cannot be read, 0 otherwise.
int readSysVTable(std::vector<SysVRow>& rows)
{
    std::ifstream table(sysvTable);
    if (!table)
        return errno ? errno : ENOENT;
    std::string line;
    if (!std::getline(table, line))
        return 0;
    std::vector<std::string> columns;
    {
        std::istringstream header(line);
        std::string column;
        while (header >> column)
            columns.push_back(column);
    }
    while (std::getline(table, line)) {
        std::istringstream fields(line);
        SysVRow row;
        std::string field;
        for (std::size_t i = 0; i < columns.size() && fields >> field; ++i) {
            const std::string& column = columns[i];
            const char* begin = field.data();
            const char* end = field.data() + field.size();
            if (column == "key")
                std::from_chars(begin, end, row.key);
            else if (column == "shmid")
                std::from_chars(begin, end, row.shmid);
            else if (column == "perms")
                std::from_chars(begin, end, row.perms, 8);
            else if (column == "size")
                std::from_chars(begin, end, row.size);
            else if (column == "nattch")
                std::from_chars(begin, end, row.nattch);
            else if (column == "uid")
                std::from_chars(begin, end, row.uid);
            else if (column == "atime")
                std::from_chars(begin, end, row.atime);
            else if (column == "dtime")
                std::from_chars(begin, end, row.dtime);
            else if (column == "ctime")
                std::from_chars(begin, end, row.ctime);
            else if (column == "cpid")
                std::from_chars(begin, end, row.cpid);
            else if (column == "lpid")
                std::from_chars(begin, end, row.lpid);
            else if (column == "rss")
                std::from_chars(begin, end, row.rss);
            else if (column == "swap")
                std::from_chars(begin, end, row.swap);
        }
        rows.push_back(row);
    }
    return 0;
}

Entry entryFromSysVRow(const SysVRow& row, OwnerNames& owners)
{
    Entry entry;
    entry.systemV = true;
    // The key column is printed as a signed int; its 32 bits are the key. IPC_PRIVATE segments have
    // no key to name them by, so they are addressed by shmid.
    const auto key = static_cast<std::uint32_t>(row.key);
    entry.info.address = key == 0 ? Address { Kind::SysVId, {}, static_cast<std::uint32_t>(row.shmid) }
                                  : Address { Kind::SysV, {}, key };
    entry.info.size = row.size;
    entry.info.mode = static_cast<std::uint32_t>(row.perms & 0777);
    entry.info.uid = static_cast<std::uint32_t>(row.uid);
    entry.info.owner = owners.nameOf(entry.info.uid);
    // Segments have no modification time; the last attach or detach is the closest thing, and the
    // creation (ctime, also the last IPC_SET) when nobody ever attached.
    entry.info.modifiedTime = std::max(row.atime, row.dtime);
    if (entry.info.modifiedTime == 0)
        entry.info.modifiedTime = row.ctime;
    entry.info.changedTime = std::max(entry.info.modifiedTime, row.ctime);
    entry.info.allocated = row.rss + row.swap;
    entry.info.creatorPid = static_cast<int>(row.cpid);
    entry.info.lastPid = static_cast<int>(row.lpid);
    entry.info.markedForRemoval = (row.perms & SHM_DEST) != 0;
    entry.info.systemVId = static_cast<std::uint32_t>(row.shmid);
    entry.info.attachCount = row.nattch;
    return entry;
}

// What one scan of /proc found out about all entries.
struct ScanTotals {
    std::uint32_t processes = 0;
    std::uint32_t uninspected = 0;
    std::uint32_t timedOut = 0;
    std::vector<int> uninspectedPids;
};

// Fills in the holders and pids of every entry of every list from one scan of /proc; with
// `discovered`, also finds the files mapped shared that are in none of the lists.
ScanTotals addHolders(const std::vector<std::vector<Entry>*>& lists, std::chrono::milliseconds budget,
                      std::map<detail::FileId, detail::DiscoveredFile>* discovered = nullptr)
{
    detail::HolderTargets targets;
    targets.discoverSharedFiles = discovered != nullptr;
    for (const std::vector<Entry>* entries : lists) {
        for (const Entry& entry : *entries) {
            if (entry.systemV) {
                targets.shmids.insert(static_cast<int>(entry.info.systemVId));
            } else {
                targets.files.insert(entry.file);
                if (entry.info.address.kind == Kind::File)
                    targets.paths.insert(entry.info.address.name);
            }
        }
    }
    detail::HolderScanOptions options;
    options.perProcessBudget = budget;
    detail::HolderScan scan = detail::scanHolders(targets, options);
    for (std::vector<Entry>* entries : lists) {
        for (Entry& entry : *entries) {
            ObjectInfo& info = entry.info;
            info.uninspectedProcesses = scan.uninspected;
            info.timedOutProcesses = scan.timedOut;
            auto take = [&info](std::vector<Holder>& holders) {
                info.holders = holders; // copied: a System V segment may be listed under two addresses
                for (const Holder& holder : info.holders) {
                    if (holder.maps())
                        info.pids.push_back(holder.pid);
                }
            };
            if (entry.systemV) {
                if (auto found = scan.sysv.find(static_cast<int>(info.systemVId)); found != scan.sysv.end())
                    take(found->second);
            } else {
                if (auto found = scan.files.find(entry.file); found != scan.files.end())
                    take(found->second);
                info.attachCount = info.pids.size();
            }
        }
    }
    if (discovered)
        *discovered = std::move(scan.discovered);
    return { scan.processes, scan.uninspected, scan.timedOut, std::move(scan.uninspectedPids) };
}

Error notFound(const char* operation, const Address& address, std::string detail)
{
    Error error;
    error.code = ErrorCode::NotFound;
    error.operation = operation;
    error.object = toString(address);
    error.detail = std::move(detail);
    return error;
}

Result<Entry> describeSysV(const Address& address, OwnerNames& owners)
{
    std::vector<SysVRow> rows;
    if (const int err = readSysVTable(rows); err != 0)
        return errorFromErrno("describe", toString(address), err, std::string("while reading ") + sysvTable);
    for (const SysVRow& row : rows) {
        const bool match = address.kind == Kind::SysV
            ? (address.key != 0 && static_cast<std::uint32_t>(row.key) == address.key)
            : static_cast<std::uint32_t>(row.shmid) == address.key;
        if (match) {
            Entry entry = entryFromSysVRow(row, owners);
            // Keep the spelling the caller used (a keyed segment asked for by shmid stays sysvid:).
            entry.info.address = address;
            return entry;
        }
    }
    return notFound("describe", address, "no such segment");
}

Result<Entry> describeByPath(const Address& address, OwnerNames& owners)
{
    Address canonical = address;
    std::string path;
    if (address.kind == Kind::Posix) {
        path = std::string(shmDirectory) + address.name;
    } else {
        path = address.name;
        if (char* resolved = ::realpath(address.name.c_str(), nullptr)) {
            canonical.name = resolved;
            std::free(resolved);
        }
    }
    struct stat st = {};
    // A posix: name that is a symlink is no object (shm_open does not follow it); a file: path is
    // followed as attach follows it.
    const int statted = address.kind == Kind::Posix ? ::lstat(path.c_str(), &st) : ::stat(path.c_str(), &st);
    if (statted != 0)
        return errorFromErrno("describe", toString(address), errno);
    if (!S_ISREG(st.st_mode))
        return detail::notRegularFile("describe", address, st.st_mode, path);
    return entryFromStat(canonical, st, owners);
}

} // namespace

Result<Inventory> takeInventory(const InventoryOptions& options)
{
    OwnerNames owners;
    std::vector<Entry> entries;
    std::vector<Entry> semaphores;
    const int posixError = listPosix(entries, semaphores, owners);
    std::vector<SysVRow> rows;
    const int sysvError = readSysVTable(rows);
    if (posixError != 0 && sysvError != 0)
        return errorFromErrno("list", shmDirectory, posixError, std::string("(and ") + sysvTable + " cannot be read)");
    for (const SysVRow& row : rows)
        entries.push_back(entryFromSysVRow(row, owners));
    // Lock files of segments removed by ipcrm or another program go here (only the caller's own).
    if (sysvError == 0)
        detail::sweepOrphanSysVLockFiles();
    std::vector<Entry> files;
    std::set<detail::FileId> knownIds;
    for (const std::string& path : options.knownFiles) {
        Result<Entry> entry = describeByPath(Address { Kind::File, path, 0 }, owners);
        if (entry && knownIds.insert(entry->file).second)
            files.push_back(std::move(*entry));
    }
    std::map<detail::FileId, detail::DiscoveredFile> discovered;
    ScanTotals totals = addHolders({ &entries, &semaphores, &files }, options.perProcessBudget,
                                   options.includeMappedFiles ? &discovered : nullptr);
    // A file found in a maps line is listed when its path still names that very file here (a file
    // renamed, replaced, or seen in another mount namespace is not).
    for (auto& [id, found] : discovered) {
        struct stat st = {};
        if (::stat(found.path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)
            || detail::FileId { static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino) } != id)
            continue;
        Entry entry = entryFromStat(Address { Kind::File, found.path, 0 }, st, owners);
        entry.info.uninspectedProcesses = totals.uninspected;
        entry.info.timedOutProcesses = totals.timedOut;
        entry.info.holders = std::move(found.holders);
        for (const Holder& holder : entry.info.holders) {
            if (holder.maps())
                entry.info.pids.push_back(holder.pid);
        }
        entry.info.attachCount = entry.info.pids.size();
        files.push_back(std::move(entry));
    }

    auto sorted = [](std::vector<Entry>& from) {
        std::vector<ObjectInfo> objects;
        objects.reserve(from.size());
        for (Entry& entry : from)
            objects.push_back(std::move(entry.info));
        std::sort(objects.begin(), objects.end(), [](const ObjectInfo& a, const ObjectInfo& b) {
            return std::tie(a.address.kind, a.address.name, a.address.key)
                < std::tie(b.address.kind, b.address.name, b.address.key);
        });
        return objects;
    };
    Inventory inventory;
    inventory.objects = sorted(entries);
    inventory.semaphores = sorted(semaphores);
    inventory.files = sorted(files);
    inventory.processes = totals.processes;
    inventory.uninspectedProcesses = totals.uninspected;
    inventory.timedOutProcesses = totals.timedOut;
    inventory.uninspectedPids = std::move(totals.uninspectedPids);
    return inventory;
}

Result<std::vector<ObjectInfo>> listObjects()
{
    Result<Inventory> inventory = takeInventory();
    if (!inventory)
        return inventory.error();
    return std::move(inventory->objects);
}

namespace {

Result<Entry> describeEntry(const Address& address)
{
    if (Status valid = detail::validateAddress("describe", address); !valid)
        return valid.error();
    if (address.kind == Kind::Win) {
        Error error;
        error.code = ErrorCode::Unsupported;
        error.operation = "describe";
        error.object = toString(address);
        error.detail = "win: objects are not supported on this platform";
        return error;
    }
    if (address.kind == Kind::SysV && address.key == 0) {
        Error error = notFound("describe", address, "key 0 is IPC_PRIVATE, which names no segment (use sysvid:SHMID)");
        error.code = ErrorCode::InvalidArgument;
        return error;
    }
    OwnerNames owners;
    return (address.kind == Kind::SysV || address.kind == Kind::SysVId) ? describeSysV(address, owners)
                                                                        : describeByPath(address, owners);
}

} // namespace

Result<ObjectInfo> describeObject(const Address& address)
{
    Result<Entry> entry = describeEntry(address);
    if (!entry)
        return entry.error();
    std::vector<Entry> entries { std::move(*entry) };
    addHolders({ &entries }, InventoryOptions {}.perProcessBudget);
    return std::move(entries.front().info);
}

Result<ObjectInfo> lookUpObject(const Address& address)
{
    Result<Entry> entry = describeEntry(address);
    if (!entry)
        return entry.error();
    return std::move(entry->info);
}

} // namespace shmscope
