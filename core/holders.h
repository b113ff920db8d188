#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace shmscope {

/// How a process holds an object: bit flags, any combination (a process may map an object twice and
/// keep its descriptor open too).
enum HolderUse : std::uint8_t {
    MapsReadWrite = 1, ///< a shared mapping with write permission ("rw-s" in /proc/PID/maps)
    MapsReadOnly = 2, ///< a shared mapping without write permission ("r--s")
    MapsPrivate = 4, ///< a private (copy-on-write) mapping ("r--p", "rw-p"): the process sees the object's
                     ///< pages until it writes to them
    HoldsDescriptor = 8, ///< an open file descriptor (/proc/PID/fd); never set for System V segments,
                         ///< which have none
};

/// One process that holds an object: maps it or has a descriptor open to it.
struct Holder {
    int pid = 0; ///< the process (thread group) id
    std::string name; ///< its command name (/proc/PID/comm, at most 15 bytes; empty when it exited meanwhile)
    std::uint8_t uses = 0; ///< HolderUse flags, never 0
    std::uint32_t mappings = 0; ///< how many memory areas (VMAs) of the process map the object
    std::uint32_t descriptors = 0; ///< how many of its descriptors refer to the object

    /// True when the process maps the object (shared or private).
    bool maps() const { return (uses & (MapsReadWrite | MapsReadOnly | MapsPrivate)) != 0; }
};

/// The uses in words, most telling first, comma-separated: "map rw", "map ro", "map private", "fd"
/// (e.g. "map rw, fd"). Empty for 0.
std::string holderUseText(std::uint8_t uses);

/// "PID (NAME: USES)", e.g. "4242 (python3: map rw, fd)"; "PID (USES)" when the name is empty.
std::string holderText(const Holder& holder);

} // namespace shmscope
