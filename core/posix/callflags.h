#pragma once

// Internal to shmscope_core: the flag and value tables the journal prints POSIX arguments with, in
// strace's order (src/xlat/*.in). Each table is an X-macro list of NAME and the value strace's table
// gives it; every entry is checked against the system headers with a static_assert
// (core/posix/callflags.cpp), so a wrong table cannot build — strace's gen.sh does the same.

#include "core/journalformat.h"

#include <span>

namespace shmscope::detail::flags {

using journal::format::Named;

/// O_RDONLY, O_WRONLY, O_RDWR (indexed by value, as strace's open_access_modes).
extern const std::span<const Named> openAccessModes;
/// O_CREAT … (strace's open_mode_flags order).
extern const std::span<const Named> openFlags;
/// AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH …
extern const std::span<const Named> atFlags;
/// PROT_READ, PROT_WRITE, PROT_EXEC …
extern const std::span<const Named> mmapProtection;
/// MAP_SHARED, MAP_PRIVATE, MAP_SHARED_VALIDATE (the mapping type, printed first).
extern const std::span<const Named> mmapTypes;
/// MAP_FIXED, MAP_ANONYMOUS …
extern const std::span<const Named> mmapFlags;
/// MS_SYNC, MS_ASYNC, MS_INVALIDATE.
extern const std::span<const Named> msyncFlags;
/// F_GETLK … F_OFD_SETLKW.
extern const std::span<const Named> fcntlCommands;
/// F_RDLCK, F_WRLCK, F_UNLCK.
extern const std::span<const Named> lockTypes;
/// SEEK_SET … SEEK_HOLE.
extern const std::span<const Named> whence;
/// IPC_CREAT, IPC_EXCL, SHM_HUGETLB, SHM_NORESERVE (shmget's flags; the mode follows in octal).
extern const std::span<const Named> shmgetFlags;
/// SHM_RDONLY, SHM_RND, SHM_REMAP, SHM_EXEC.
extern const std::span<const Named> shmatFlags;
/// IPC_RMID, IPC_SET, IPC_STAT, IPC_INFO, SHM_LOCK …
extern const std::span<const Named> shmctlCommands;
/// FALLOC_FL_KEEP_SIZE …
extern const std::span<const Named> fallocateModes;
/// S_IFREG … (the file type of st_mode).
extern const std::span<const Named> fileTypes;

/// `O_RDWR|O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC`: the access mode, then the other flags (strace's
/// tprint_open_modes).
std::string openFlagsText(int value);
/// `S_IFREG|0600`.
std::string fileModeText(unsigned mode);

} // namespace shmscope::detail::flags
