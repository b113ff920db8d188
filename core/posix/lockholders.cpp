#include "core/posix/lockholders.h"

#include "core/posix/procfs.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <vector>

namespace shmscope::detail {

namespace {

// True when the descriptor behind the /proc/PID/fd link at `path` is the file `file`. stat() follows
// the magic link to the open file's inode without opening anything (a FIFO is not opened), and works
// whatever the link's text says: a lock file made with O_TMPFILE and linked later reads "/#N (deleted)"
// in its creator's fd folder and its name elsewhere.
bool isFile(const std::string& path, FileId file)
{
    struct stat status = {};
    return ::stat(path.c_str(), &status) == 0 && static_cast<std::uint64_t>(status.st_dev) == file.device
        && static_cast<std::uint64_t>(status.st_ino) == file.inode;
}

// True when the fdinfo file at `path` lists a held OFD lock on `file` starting at `start`.
bool holdsLock(const std::string& path, FileId file, std::int64_t start)
{
    std::FILE* info = std::fopen(path.c_str(), "re");
    if (!info)
        return false;
    char* buffer = nullptr;
    std::size_t capacity = 0;
    bool found = false;
    ssize_t length;
    while (!found && (length = ::getline(&buffer, &capacity, info)) > 0) {
        std::string_view line(buffer, static_cast<std::size_t>(length));
        if (line.back() == '\n')
            line.remove_suffix(1);
        FdinfoLock lock;
        found = parseFdinfoLock(line, lock) && lock.ofd && lock.file == file && lock.start == start;
    }
    std::free(buffer);
    std::fclose(info);
    return found;
}

} // namespace

bool parseFdinfoLock(std::string_view line, FdinfoLock& out)
{
    std::string_view rest = line;
    if (nextField(rest) != "lock:")
        return false;
    const std::string_view ordinal = nextField(rest); // "1:"
    if (ordinal.empty() || ordinal.back() != ':')
        return false;
    const std::string_view kind = nextField(rest);
    if (kind == "->")
        return false; // a waiter, blocked on the lock above it
    const std::string_view mode = nextField(rest); // ADVISORY / MANDATORY
    const std::string_view access = nextField(rest); // WRITE / READ
    nextField(rest); // pid: -1 for OFD locks
    const std::string_view id = nextField(rest); // MAJ:MIN:INODE
    const std::string_view first = nextField(rest);
    if (mode.empty() || (access != "WRITE" && access != "READ"))
        return false;
    const std::size_t colon1 = id.find(':');
    const std::size_t colon2 = colon1 == std::string_view::npos ? colon1 : id.find(':', colon1 + 1);
    unsigned major = 0;
    unsigned minor = 0;
    std::uint64_t inode = 0;
    if (colon2 == std::string_view::npos || !parseNumber(id.substr(0, colon1), major, 16)
        || !parseNumber(id.substr(colon1 + 1, colon2 - colon1 - 1), minor, 16)
        || !parseNumber(id.substr(colon2 + 1), inode, 10) || !parseNumber(first, out.start, 10)) {
        return false;
    }
    out.ofd = kind == "OFDLCK";
    out.write = access == "WRITE";
    out.file = FileId { static_cast<std::uint64_t>(makedev(major, minor)), inode };
    return true;
}

LockHolders findOfdLockHolders(FileId file, std::int64_t start)
{
    LockHolders holders;
    holders.searched = true;
    for (const int pid : listPids()) {
        const std::string base = "/proc/" + std::to_string(pid);
        DIR* fds = ::opendir((base + "/fd").c_str());
        if (!fds) {
            // Another user's process (EACCES without root); one that exited meanwhile is no holder.
            if (errno == EACCES || errno == EPERM)
                ++holders.uninspected;
            continue;
        }
        bool holds = false;
        while (!holds) {
            const dirent* entry = ::readdir(fds);
            if (!entry)
                break;
            int fd = -1;
            if (!parseNumber(std::string_view(entry->d_name), fd, 10))
                continue;
            const std::string name = std::to_string(fd);
            // fdinfo is read only for descriptors of the lock's file.
            if (!isFile(base + "/fd/" + name, file))
                continue;
            holds = holdsLock(base + "/fdinfo/" + name, file, start);
        }
        ::closedir(fds);
        if (holds)
            holders.pids.push_back(pid);
    }
    return holders;
}

} // namespace shmscope::detail
