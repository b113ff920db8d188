#include "core/posix/callflags.h"

#include <fcntl.h>
#include <linux/falloc.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

namespace shmscope::detail::flags {

// Each list: X(NAME, VALUE) in strace's order. SHMSCOPE_CHECK asserts the header agrees with the
// table; SHMSCOPE_ENTRY makes the table entry from the table's own value.
#define SHMSCOPE_CHECK(NAME, VALUE)                                                                                    \
    static_assert(static_cast<unsigned long long>(NAME) == static_cast<unsigned long long>(VALUE),                     \
                  "journal table: " #NAME " is not " #VALUE " in the system headers");
#define SHMSCOPE_ENTRY(NAME, VALUE) Named { static_cast<std::uint64_t>(VALUE), #NAME },
#define SHMSCOPE_TABLE(LIST, VARIABLE)                                                                                 \
    LIST(SHMSCOPE_CHECK)                                                                                               \
    namespace {                                                                                                        \
    constexpr Named VARIABLE##Table[] = { LIST(SHMSCOPE_ENTRY) };                                                      \
    }                                                                                                                  \
    const std::span<const Named> VARIABLE(VARIABLE##Table);

// The flag tables, one entry per line (clang-format would reflow the macro bodies differently each run).
// clang-format off
#define ACCESS_MODES(X) \
    X(O_RDONLY, 0) \
    X(O_WRONLY, 1) \
    X(O_RDWR, 2)
SHMSCOPE_TABLE(ACCESS_MODES, openAccessModes)

// Values that differ between architectures follow strace's #if blocks (x86 and the generic ones;
// ARM has its own).
#if defined(__aarch64__) || defined(__arm__)
#define ARCH_OPEN_FLAGS(X) \
    X(O_DIRECT, 0200000) \
    X(O_NOFOLLOW, 0100000) \
    X(O_NOATIME, 01000000) \
    X(O_CLOEXEC, 02000000) \
    X(O_PATH, 010000000) \
    X(O_TMPFILE, 020040000) \
    X(O_DIRECTORY, 040000)
#else
#define ARCH_OPEN_FLAGS(X) \
    X(O_DIRECT, 040000) \
    X(O_NOFOLLOW, 0400000) \
    X(O_NOATIME, 01000000) \
    X(O_CLOEXEC, 02000000) \
    X(O_PATH, 010000000) \
    X(O_TMPFILE, 020200000) \
    X(O_DIRECTORY, 0200000)
#endif
#define OPEN_FLAGS(X) \
    X(O_CREAT, 0100) \
    X(O_EXCL, 0200) \
    X(O_NOCTTY, 0400) \
    X(O_TRUNC, 01000) \
    X(O_APPEND, 02000) \
    X(O_NONBLOCK, 04000) \
    X(O_SYNC, 04010000) \
    X(O_DSYNC, 010000) \
    ARCH_OPEN_FLAGS(X) \
    X(FASYNC, 020000)
// O_LARGEFILE is left out: glibc defines it as 0 on 64-bit systems (the kernel bit is never passed), so
// there is no header value to check a table entry against; an unexpected bit prints in hex.
SHMSCOPE_TABLE(OPEN_FLAGS, openFlags)

#define AT_FLAGS(X) \
    X(AT_SYMLINK_NOFOLLOW, 0x100) \
    X(AT_REMOVEDIR, 0x200) \
    X(AT_SYMLINK_FOLLOW, 0x400) \
    X(AT_NO_AUTOMOUNT, 0x800) \
    X(AT_EMPTY_PATH, 0x1000)
SHMSCOPE_TABLE(AT_FLAGS, atFlags)

#define MMAP_PROT(X) \
    X(PROT_READ, 0x1) \
    X(PROT_WRITE, 0x2) \
    X(PROT_EXEC, 0x4) \
    X(PROT_GROWSDOWN, 0x01000000) \
    X(PROT_GROWSUP, 0x02000000)
SHMSCOPE_TABLE(MMAP_PROT, mmapProtection)

#define MMAP_TYPES(X) \
    X(MAP_SHARED, 0x1) \
    X(MAP_PRIVATE, 0x2) \
    X(MAP_SHARED_VALIDATE, 0x3)
SHMSCOPE_TABLE(MMAP_TYPES, mmapTypes)

#define MMAP_FLAGS(X) \
    X(MAP_FIXED, 0x10) \
    X(MAP_ANONYMOUS, 0x20) \
    X(MAP_GROWSDOWN, 0x100) \
    X(MAP_DENYWRITE, 0x800) \
    X(MAP_EXECUTABLE, 0x1000) \
    X(MAP_LOCKED, 0x2000) \
    X(MAP_NORESERVE, 0x4000) \
    X(MAP_POPULATE, 0x8000) \
    X(MAP_NONBLOCK, 0x10000) \
    X(MAP_STACK, 0x20000) \
    X(MAP_HUGETLB, 0x40000) \
    X(MAP_SYNC, 0x80000) \
    X(MAP_FIXED_NOREPLACE, 0x100000)
SHMSCOPE_TABLE(MMAP_FLAGS, mmapFlags)

#define MSYNC_FLAGS(X) \
    X(MS_SYNC, 4) \
    X(MS_ASYNC, 1) \
    X(MS_INVALIDATE, 2)
SHMSCOPE_TABLE(MSYNC_FLAGS, msyncFlags)

#define FCNTL_COMMANDS(X) \
    X(F_DUPFD, 0) \
    X(F_GETFD, 1) \
    X(F_SETFD, 2) \
    X(F_GETFL, 3) \
    X(F_SETFL, 4) \
    X(F_GETLK, 5) \
    X(F_SETLK, 6) \
    X(F_SETLKW, 7) \
    X(F_OFD_GETLK, 36) \
    X(F_OFD_SETLK, 37) \
    X(F_OFD_SETLKW, 38)
SHMSCOPE_TABLE(FCNTL_COMMANDS, fcntlCommands)

#define LOCK_TYPES(X) \
    X(F_RDLCK, 0) \
    X(F_WRLCK, 1) \
    X(F_UNLCK, 2)
SHMSCOPE_TABLE(LOCK_TYPES, lockTypes)

#define WHENCE(X) \
    X(SEEK_SET, 0) \
    X(SEEK_CUR, 1) \
    X(SEEK_END, 2) \
    X(SEEK_DATA, 3) \
    X(SEEK_HOLE, 4)
SHMSCOPE_TABLE(WHENCE, whence)

#define SHMGET_FLAGS(X) \
    X(IPC_CREAT, 01000) \
    X(IPC_EXCL, 02000) \
    X(SHM_HUGETLB, 04000) \
    X(SHM_NORESERVE, 010000)
SHMSCOPE_TABLE(SHMGET_FLAGS, shmgetFlags)

#define SHMAT_FLAGS(X) \
    X(SHM_RDONLY, 010000) \
    X(SHM_RND, 020000) \
    X(SHM_REMAP, 040000) \
    X(SHM_EXEC, 0100000)
SHMSCOPE_TABLE(SHMAT_FLAGS, shmatFlags)

#define SHMCTL_COMMANDS(X) \
    X(IPC_RMID, 0) \
    X(IPC_SET, 1) \
    X(IPC_STAT, 2) \
    X(IPC_INFO, 3) \
    X(SHM_LOCK, 11) \
    X(SHM_UNLOCK, 12) \
    X(SHM_STAT, 13) \
    X(SHM_INFO, 14) \
    X(SHM_STAT_ANY, 15)
SHMSCOPE_TABLE(SHMCTL_COMMANDS, shmctlCommands)

#define FALLOCATE_MODES(X) \
    X(FALLOC_FL_KEEP_SIZE, 0x01) \
    X(FALLOC_FL_PUNCH_HOLE, 0x02) \
    X(FALLOC_FL_NO_HIDE_STALE, 0x04) \
    X(FALLOC_FL_COLLAPSE_RANGE, 0x08) \
    X(FALLOC_FL_ZERO_RANGE, 0x10) \
    X(FALLOC_FL_INSERT_RANGE, 0x20) \
    X(FALLOC_FL_UNSHARE_RANGE, 0x40)
SHMSCOPE_TABLE(FALLOCATE_MODES, fallocateModes)

#define FILE_TYPES(X) \
    X(S_IFREG, 0100000) \
    X(S_IFSOCK, 0140000) \
    X(S_IFIFO, 0010000) \
    X(S_IFLNK, 0120000) \
    X(S_IFDIR, 0040000) \
    X(S_IFBLK, 0060000) \
    X(S_IFCHR, 0020000)
SHMSCOPE_TABLE(FILE_TYPES, fileTypes)
// clang-format on

std::string openFlagsText(int value)
{
    const auto bits = static_cast<std::uint64_t>(static_cast<unsigned>(value));
    // O_TMPFILE contains O_DIRECTORY: the table lists it first, so it prints as O_TMPFILE alone.
    std::string text = journal::format::valueName(bits & O_ACCMODE, openAccessModes);
    const std::uint64_t rest = bits & ~static_cast<std::uint64_t>(O_ACCMODE);
    if (rest != 0)
        text += '|' + journal::format::flags(rest, openFlags);
    return text;
}

std::string fileModeText(unsigned mode)
{
    const std::string type = journal::format::valueName(mode & S_IFMT, fileTypes);
    return type + '|' + journal::format::octal(mode & 07777, "000");
}

} // namespace shmscope::detail::flags
