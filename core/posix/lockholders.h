#pragma once

#include "core/mapping.h"
#include "core/posix/procmaps.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace shmscope::detail {

/// One "lock:" line of /proc/PID/fdinfo/FD (the locks the open file description holds), the fields
/// the holder search needs. Example: "lock:\t1: OFDLCK ADVISORY  WRITE -1 fe:00:10953437 9223372036854775806
/// 9223372036854775806".
struct FdinfoLock {
    bool ofd = false; ///< an OFD lock ("OFDLCK"), not a POSIX or flock lock
    bool write = false; ///< "WRITE" (else "READ")
    FileId file; ///< makedev(MAJ, MIN) (hex) and the inode (decimal) of "MAJ:MIN:INODE"
    std::int64_t start = 0; ///< the first locked byte
};

/// Parses a "lock:" line of fdinfo as described at FdinfoLock. False for anything else, and for the
/// lines of waiters ("1: -> OFDLCK ..."), which hold nothing.
bool parseFdinfoLock(std::string_view line, FdinfoLock& out);

/// The processes holding an OFD lock that starts at `start` on the file `file` (st_dev and st_ino of
/// the lock descriptor). Only descriptors whose /proc/PID/fd link stat()s to that file are looked at
/// (whatever the link's text: an O_TMPFILE lock file reads "(deleted)" in its creator), so a search
/// reads few fdinfo files. Processes whose fd folder cannot be opened are counted in LockHolders::uninspected.
/// Never fails: what it cannot read it leaves out. Thread-safe (reads /proc only).
LockHolders findOfdLockHolders(FileId file, std::int64_t start);

} // namespace shmscope::detail
