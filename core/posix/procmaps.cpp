#include "core/posix/procmaps.h"

#include "core/posix/procfs.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/sysmacros.h>

namespace shmscope::detail {

namespace {

void addPid(std::vector<int>& pids, int pid)
{
    if (pids.empty() || pids.back() != pid)
        pids.push_back(pid);
}

} // namespace

bool parseMapsLine(std::string_view line, MapsLine& out)
{
    std::string_view rest = line;
    const std::string_view range = nextField(rest);
    out.perms = nextField(rest);
    const std::string_view offset = nextField(rest);
    const std::size_t dash = range.find('-');
    if (dash == std::string_view::npos || !parseNumber(range.substr(0, dash), out.start, 16)
        || !parseNumber(range.substr(dash + 1), out.end, 16) || !parseNumber(offset, out.offset, 16)) {
        return false;
    }
    const std::string_view device = nextField(rest);
    const std::string_view inode = nextField(rest);
    const std::size_t colon = device.find(':');
    std::uint64_t major = 0;
    std::uint64_t minor = 0;
    if (colon == std::string_view::npos || !parseNumber(device.substr(0, colon), major, 16)
        || !parseNumber(device.substr(colon + 1), minor, 16) || !parseNumber(inode, out.inode, 10)) {
        return false;
    }
    out.device = makedev(static_cast<unsigned>(major), static_cast<unsigned>(minor));
    const std::size_t pathStart = rest.find_first_not_of(' ');
    out.path = pathStart == std::string_view::npos ? std::string_view() : rest.substr(pathStart);
    return true;
}

MapUsers scanMapUsers(const std::set<FileId>& files, const std::set<int>& shmids)
{
    MapUsers users;
    if (files.empty() && shmids.empty())
        return users;
    // Ascending pids give ascending, duplicate-free lists with a simple back() check.
    const std::vector<int> pids = listPids();

    char* buffer = nullptr;
    std::size_t capacity = 0;
    for (int pid : pids) {
        const std::string path = "/proc/" + std::to_string(pid) + "/maps";
        // The kernel checks ptrace access when the file is opened (EACCES for another user's
        // process): such a process is counted, as it may map any of the objects. One that exited
        // since readdir (ENOENT, or ESRCH from a thread group going away) maps nothing any more.
        std::FILE* maps = std::fopen(path.c_str(), "re");
        if (!maps) {
            if (errno != ENOENT && errno != ESRCH)
                ++users.uninspected;
            continue;
        }
        ssize_t length;
        errno = 0;
        while ((length = ::getline(&buffer, &capacity, maps)) > 0) {
            std::string_view line(buffer, static_cast<std::size_t>(length));
            if (line.back() == '\n')
                line.remove_suffix(1);
            MapsLine parsed;
            if (!parseMapsLine(line, parsed))
                continue;
            if (parsed.path.starts_with("/SYSV")) {
                // shmid 0 is a valid id, so inode 0 counts here.
                const int shmid = static_cast<int>(parsed.inode);
                if (shmids.count(shmid))
                    addPid(users.sysv[shmid], pid);
                continue;
            }
            if (parsed.inode == 0)
                continue; // anonymous memory
            const FileId id { parsed.device, parsed.inode };
            if (files.count(id))
                addPid(users.files[id], pid);
        }
        // A read that failed part-way (not the end of the file, nor a process that exited meanwhile)
        // leaves this process uninspected too.
        if (std::ferror(maps) && errno != ESRCH && errno != ENOENT)
            ++users.uninspected;
        std::fclose(maps);
    }
    std::free(buffer);
    return users;
}

} // namespace shmscope::detail
