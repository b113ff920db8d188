#pragma once

#include <cstdint>
#include <string_view>

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
    bool writable = false; ///< 'w' in the permissions field
    bool shared = false; ///< 's' in the permissions field (else 'p': private, copy-on-write)
};

/// Parses "start-end perms offset MAJ:MIN inode   path" (numbers in hex but the inode). False for a
/// malformed line.
bool parseMapsLine(std::string_view line, MapsLine& out);

} // namespace shmscope::detail
