#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string_view>
#include <vector>

namespace shmscope::detail {

/// A file as the kernel identifies it: st_dev and st_ino (maps lines show the same pair).
struct FileId {
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    friend auto operator<=>(const FileId&, const FileId&) = default;
};

/// One line of /proc/PID/maps, the fields the catalog needs.
struct MapsLine {
    std::uint64_t device = 0; ///< makedev(major, minor) of the "MAJ:MIN" field (hex)
    std::uint64_t inode = 0; ///< the inode field (for System V segments: the shmid)
    std::string_view path; ///< the path, possibly with " (deleted)"; empty for anonymous memory
};

/// Parses "start-end perms offset MAJ:MIN inode   path". False for a malformed line.
bool parseMapsLine(std::string_view line, MapsLine& out);

/// Who maps what, from one pass over /proc/[0-9]*/maps. Lists of pids are ascending and unique.
struct MapUsers {
    std::map<FileId, std::vector<int>> files; ///< POSIX objects and files, by device and inode
    std::map<int, std::vector<int>> sysv; ///< System V segments by shmid (maps path "/SYSV…", inode = shmid)
};

/// Scans every /proc/PID/maps this process may read (others are skipped silently) and records the
/// pids that map one of `files` or one of the System V segments `shmids`.
MapUsers scanMapUsers(const std::set<FileId>& files, const std::set<int>& shmids);

} // namespace shmscope::detail
