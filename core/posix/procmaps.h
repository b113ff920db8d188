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

/// One line of /proc/PID/maps (proc.rst, "/proc/PID/maps").
struct MapsLine {
    std::uint64_t start = 0; ///< first virtual address of the VMA
    std::uint64_t end = 0; ///< one past its last address
    std::string_view perms; ///< "rw-s": read, write, execute, s(hared) or p(rivate)
    std::uint64_t offset = 0; ///< the offset in bytes in the file (object) where the VMA starts
    std::uint64_t device = 0; ///< makedev(major, minor) of the "MAJ:MIN" field (hex)
    std::uint64_t inode = 0; ///< the inode field (for System V segments: the shmid)
    std::string_view path; ///< the path, possibly with " (deleted)"; empty for anonymous memory
};

/// Parses "start-end perms offset MAJ:MIN inode   path" (numbers in hex but the inode). False for a
/// malformed line.
bool parseMapsLine(std::string_view line, MapsLine& out);

/// Who maps what, from one pass over /proc/[0-9]*/maps. Lists of pids are ascending and unique.
struct MapUsers {
    std::map<FileId, std::vector<int>> files; ///< POSIX objects and files, by device and inode
    std::map<int, std::vector<int>> sysv; ///< System V segments by shmid (maps path "/SYSV…", inode = shmid)
    /// Processes whose maps could not be read (EACCES/EPERM: another user's process, or one that is
    /// not dumpable, without CAP_SYS_PTRACE; or a read error): they may map anything.
    std::uint32_t uninspected = 0;
};

/// Scans every /proc/PID/maps this process may read and records the pids that map one of `files` or
/// one of the System V segments `shmids`. Processes that exit during the scan (ENOENT, ESRCH) are
/// skipped; those that exist but cannot be read are counted in MapUsers::uninspected. With
/// `files` and `shmids` both empty nothing is scanned (and nothing counted).
MapUsers scanMapUsers(const std::set<FileId>& files, const std::set<int>& shmids);

} // namespace shmscope::detail
