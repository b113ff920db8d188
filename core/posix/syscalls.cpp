#include "core/posix/syscalls.h"

#include "core/journal.h"
#include "core/journalformat.h"
#include "core/journalrecord.h"
#include "core/posix/callflags.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <system_error>
#include <unistd.h>
#include <utility>

namespace shmscope::detail::sys {

namespace {

namespace fmt = journal::format;
using journal::Arg;
using journal::argsInto;
using journal::Call;
using journal::CallKind;
using journal::RawArg;
using journal::ValueType;

#ifdef __NR_newfstatat
constexpr const char* kFstatatName = "newfstatat";
#else
constexpr const char* kFstatatName = "fstatat64";
#endif

// Restores errno after the recording (which may call functions that set it).
struct KeepErrno {
    int saved = errno;
    ~KeepErrno() { errno = saved; }
};

// Every wrapper: the plain call when nobody listens, else the call and its raw row (journalrecord.h).
template<typename NativeCall, typename Describe>
auto recorded(NativeCall&& call, Describe&& describe)
{
    return journal::recorded<KeepErrno>(std::forward<NativeCall>(call), std::forward<Describe>(describe));
}

// A row's result and error as strace prints them (at decode time).
void renderResult(Call& call)
{
    if (call.failed) {
        const char* errName = ::strerrorname_np(call.error);
        call.errorName = errName ? errName : std::to_string(call.error);
        call.errorText = std::generic_category().message(call.error);
        call.result = "-1 " + call.errorName + " (" + call.errorText + ")";
    } else if (call.resultType == ValueType::Address) {
        call.result = fmt::address(call.resultValue);
    } else if (call.resultType != ValueType::String) { // a String result was given as text
        call.result = std::to_string(static_cast<std::int64_t>(call.resultValue));
    }
}

// Fills in a row: `failed` with `err`, else `value` of `type`.
void describe(Call& row, CallKind kind, const char* name, journal::ArgsPacked, bool failed, int err, ValueType type,
              std::uint64_t value, const char* via = nullptr)
{
    row.kind = kind;
    row.name = name;
    if (via)
        row.via = via;
    row.resultType = type;
    row.failed = failed;
    row.error = failed ? err : 0;
    row.resultValue = failed ? static_cast<std::uint64_t>(-1) : value;
    row.renderResult = &renderResult;
}

// A system call returning an integer that is -1 on error.
void describeInt(Call& row, const char* name, journal::ArgsPacked args, long long result, int err,
                 ValueType type = ValueType::Number, const char* via = nullptr)
{
    describe(row, CallKind::SystemCall, name, args, result == -1, err, type, static_cast<std::uint64_t>(result), via);
}

// The renders of the POSIX arguments (decode time).
void renderOpenFlags(Arg& arg)
{
    arg.text = flags::openFlagsText(static_cast<int>(arg.value));
}

void renderMode(Arg& arg)
{
    arg.text = fmt::octal(arg.value, "000");
}

void renderAtFlags(Arg& arg)
{
    arg.text = fmt::flags(arg.value, flags::atFlags);
}

void renderProtection(Arg& arg)
{
    arg.text = fmt::flags(arg.value, flags::mmapProtection, "PROT_NONE");
}

void renderMmapFlags(Arg& arg)
{
    const auto flags = static_cast<unsigned>(arg.value);
    arg.text = fmt::valueName(flags & MAP_TYPE, flags::mmapTypes);
    if (const unsigned rest = flags & ~static_cast<unsigned>(MAP_TYPE); rest != 0)
        arg.text += '|' + fmt::flags(rest, flags::mmapFlags);
}

void renderMsyncFlags(Arg& arg)
{
    arg.text = fmt::flags(arg.value, flags::msyncFlags);
}

void renderFcntlCommand(Arg& arg)
{
    arg.text = fmt::valueName(arg.value, flags::fcntlCommands);
}

void renderWhence(Arg& arg)
{
    arg.text = fmt::valueName(arg.value, flags::whence);
}

void renderShmgetFlags(Arg& arg)
{
    const auto flags = static_cast<unsigned>(arg.value);
    const std::string named = fmt::flags(flags & ~0777u, flags::shmgetFlags, "");
    const std::string mode = fmt::octal(flags & 0777u, "000");
    arg.text = named.empty() ? mode : named + '|' + mode;
}

void renderShmatFlags(Arg& arg)
{
    arg.text = fmt::flags(arg.value, flags::shmatFlags);
}

void renderShmctlCommand(Arg& arg)
{
    arg.text = fmt::valueName(arg.value, flags::shmctlCommands);
}

void renderKey(Arg& arg)
{
    arg.text = static_cast<key_t>(arg.value) == IPC_PRIVATE ? "IPC_PRIVATE" : fmt::hex(arg.value);
}

void renderAtFdcwd(Arg& arg)
{
    arg.text = "AT_FDCWD";
}

RawArg dirfdArg(int dirfd)
{
    if (dirfd == AT_FDCWD)
        return fmt::symbol(static_cast<std::uint64_t>(static_cast<std::int64_t>(AT_FDCWD)), &renderAtFdcwd);
    return fmt::fd(dirfd);
}

RawArg openFlagsArg(int flags)
{
    return fmt::symbol(static_cast<unsigned>(flags), &renderOpenFlags);
}

RawArg modeArg(mode_t mode)
{
    return fmt::symbol(mode, &renderMode);
}

RawArg atFlagsArg(int flags)
{
    return fmt::symbol(static_cast<unsigned>(flags), &renderAtFlags);
}

// What strace shows of a struct stat (abbreviated): type and mode, and the size (st_rdev for
// devices). Raw: extra[0] the mode, extra[1] the size or the device.
void renderStat(Arg& arg)
{
    const auto mode = static_cast<unsigned>(arg.extra[0]);
    arg.text = "{st_mode=" + flags::fileModeText(mode) + ", ";
    if (S_ISCHR(mode) || S_ISBLK(mode)) {
        const auto device = static_cast<dev_t>(arg.extra[1]);
        arg.text += "st_rdev=makedev(" + fmt::hex(major(device)) + ", " + fmt::hex(minor(device)) + ")";
    } else {
        arg.text += "st_size=" + std::to_string(arg.extra[1]);
    }
    arg.text += ", ...}";
}

Arg statArg(bool ok, const struct stat* st)
{
    Arg arg = fmt::out(ok ? std::string() : fmt::address(reinterpret_cast<std::uintptr_t>(st)), "struct stat", st);
    if (ok) {
        arg.render = &renderStat;
        arg.extra[0] = st->st_mode;
        arg.extra[1] = S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode) ? static_cast<std::int64_t>(st->st_rdev)
                                                                    : static_cast<std::int64_t>(st->st_size);
    }
    return arg;
}

std::string flockText(short type, short whence, long long start, long long length, bool c)
{
    const std::string typeName = fmt::valueName(static_cast<std::uint16_t>(type), flags::lockTypes);
    const std::string whenceName = fmt::valueName(static_cast<std::uint16_t>(whence), flags::whence);
    const char* field = c ? "." : "";
    char buffer[160];
    std::snprintf(buffer, sizeof buffer, "{%sl_type=%s, %sl_whence=%s, %sl_start=%lld, %sl_len=%lld}", field,
                  typeName.c_str(), field, whenceName.c_str(), field, start, field, length);
    return buffer;
}

// A struct flock passed in. Raw: value holds l_type and l_whence (16 bits each), extra l_start and l_len.
void renderFlock(Arg& arg)
{
    const auto type = static_cast<short>(arg.value & 0xffff);
    const auto whence = static_cast<short>((arg.value >> 16) & 0xffff);
    arg.text = flockText(type, whence, arg.extra[0], arg.extra[1], false);
    arg.c = "&(struct flock)" + flockText(type, whence, arg.extra[0], arg.extra[1], true);
    arg.cType = "struct flock"; // here, not when recorded: no string in the row of a lock
}

RawArg flockArg(const struct flock& lock)
{
    RawArg arg;
    arg.type = ValueType::Struct;
    arg.render = &renderFlock;
    arg.value
        = static_cast<std::uint16_t>(lock.l_type) | std::uint64_t(static_cast<std::uint16_t>(lock.l_whence)) << 16;
    arg.extra[0] = lock.l_start;
    arg.extra[1] = lock.l_len;
    return arg;
}

std::string shmidText(const struct shmid_ds& info)
{
    const struct ipc_perm& perm = info.shm_perm;
    return "{shm_perm={uid=" + std::to_string(perm.uid) + ", gid=" + std::to_string(perm.gid)
        + ", mode=" + fmt::octal(perm.mode, "0") + ", key=" + std::to_string(static_cast<int>(perm.__key))
        + ", cuid=" + std::to_string(perm.cuid) + ", cgid=" + std::to_string(perm.cgid)
        + "}, shm_segsz=" + std::to_string(info.shm_segsz) + ", shm_cpid=" + std::to_string(info.shm_cpid)
        + ", shm_lpid=" + std::to_string(info.shm_lpid) + ", shm_nattch=" + std::to_string(info.shm_nattch)
        + ", shm_atime=" + std::to_string(static_cast<long long>(info.shm_atime))
        + ", shm_dtime=" + std::to_string(static_cast<long long>(info.shm_dtime))
        + ", shm_ctime=" + std::to_string(static_cast<long long>(info.shm_ctime)) + "}";
}

// glibc 2.34+ (posix/shm_open.c, shm_unlink.c): "/dev/shm/" NAME.
std::string shmPath(const char* name)
{
    std::string path = "/dev/shm/";
    path += name[0] == '/' ? name + 1 : name;
    return path;
}

} // namespace

int openat(int dirfd, const char* path, int flags, mode_t mode)
{
    return recorded([&] { return ::openat(dirfd, path, flags, mode); },
                    [&](Call& row, int result, int err) {
                        const journal::ArgsPacked args
                            = argsInto(row, dirfdArg(dirfd), fmt::string(path), openFlagsArg(flags));
                        if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
                            row.rawArgs.add(modeArg(mode));
                        describeInt(row, "openat", args, result, err, ValueType::Fd);
                    });
}

int shmOpen(const char* name, int flags, mode_t mode)
{
    return recorded([&] { return ::shm_open(name, flags, mode); },
                    [&](Call& row, int result, int err) {
                        // glibc 2.34+: open("/dev/shm/" NAME, oflag | O_NOFOLLOW | O_CLOEXEC, mode).
                        const int real = flags | O_NOFOLLOW | O_CLOEXEC;
                        const journal::ArgsPacked args
                            = argsInto(row, dirfdArg(AT_FDCWD), fmt::string(shmPath(name)), openFlagsArg(real));
                        if (real & O_CREAT)
                            row.rawArgs.add(modeArg(mode));
                        describeInt(row, "openat", args, result, err, ValueType::Fd, "shm_open");
                    });
}

int shmUnlink(const char* name)
{
    return recorded([&] { return ::shm_unlink(name); },
                    [&](Call& row, int result, int err) {
                        describeInt(row, "unlink", argsInto(row, fmt::string(shmPath(name))), result, err,
                                    ValueType::Number, "shm_unlink");
                    });
}

int close(int fd)
{
    return recorded(
        [&] { return ::close(fd); },
        [&](Call& row, int result, int err) { describeInt(row, "close", argsInto(row, fmt::fd(fd)), result, err); });
}

int fstat(int fd, struct stat* st)
{
    return recorded([&] { return ::fstatat(fd, "", st, AT_EMPTY_PATH); },
                    [&](Call& row, int result, int err) {
                        describeInt(row, kFstatatName,
                                    argsInto(row, fmt::fd(fd), fmt::string(""), statArg(result == 0, st),
                                             atFlagsArg(AT_EMPTY_PATH)),
                                    result, err, ValueType::Number, "fstat");
                    });
}

int fstatat(int dirfd, const char* path, struct stat* st, int flags)
{
    return recorded(
        [&] { return ::fstatat(dirfd, path, st, flags); },
        [&](Call& row, int result, int err) {
            describeInt(row, kFstatatName,
                        argsInto(row, dirfdArg(dirfd), fmt::string(path), statArg(result == 0, st), atFlagsArg(flags)),
                        result, err);
        });
}

int ftruncate(int fd, off_t length)
{
    return recorded([&] { return ::ftruncate(fd, length); },
                    [&](Call& row, int result, int err) {
                        describeInt(row, "ftruncate", argsInto(row, fmt::fd(fd), fmt::number(length)), result, err);
                    });
}

int fchmod(int fd, mode_t mode)
{
    return recorded([&] { return ::fchmod(fd, mode); },
                    [&](Call& row, int result, int err) {
                        describeInt(row, "fchmod", argsInto(row, fmt::fd(fd), modeArg(mode)), result, err);
                    });
}

int fchmodat(int dirfd, const char* path, mode_t mode)
{
    return recorded([&] { return ::fchmodat(dirfd, path, mode, 0); },
                    [&](Call& row, int result, int err) {
                        describeInt(row, "fchmodat", argsInto(row, dirfdArg(dirfd), fmt::string(path), modeArg(mode)),
                                    result, err);
                    });
}

int fchown(int fd, uid_t owner, gid_t group)
{
    return recorded([&] { return ::fchown(fd, owner, group); },
                    [&](Call& row, int result, int err) {
                        // strace prints -1 for "leave unchanged".
                        describeInt(row, "fchown",
                                    argsInto(row, fmt::fd(fd), fmt::number(static_cast<int>(owner)),
                                             fmt::number(static_cast<int>(group))),
                                    result, err);
                    });
}

int reserve(int fd, off_t offset, off_t length)
{
    // posix_fallocate semantics: 0 or the error number. Recorded as the fallocate system call glibc makes.
    const int err
        = recorded([&] { return ::fallocate(fd, 0, offset, length) == 0 ? 0 : errno; },
                   [&](Call& row, int result, int) {
                       describe(row, CallKind::SystemCall, "fallocate",
                                argsInto(row, fmt::fd(fd), fmt::symbol("0"), fmt::number(offset), fmt::number(length)),
                                result != 0, result, ValueType::Number, 0, "posix_fallocate");
                   });
    if (err != EOPNOTSUPP)
        return err;
    // The file system cannot reserve blocks by itself: posix_fallocate writes a byte into each block.
    return recorded([&] { return ::posix_fallocate(fd, offset, length); },
                    [&](Call& row, int result, int) {
                        describe(row, CallKind::LibraryCall, "posix_fallocate",
                                 argsInto(row, fmt::fd(fd), fmt::number(offset), fmt::number(length)), result != 0,
                                 result, ValueType::Number, 0);
                    });
}

void* mmap(void* address, std::size_t length, int protection, int flags, int fd, off_t offset)
{
    return recorded([&] { return ::mmap(address, length, protection, flags, fd, offset); },
                    [&](Call& row, void* result, int err) {
                        describe(row, CallKind::SystemCall, "mmap",
                                 argsInto(row, fmt::pointer(address), fmt::unsignedNumber(length),
                                          fmt::symbol(static_cast<unsigned>(protection), &renderProtection),
                                          fmt::symbol(static_cast<unsigned>(flags), &renderMmapFlags), fmt::fd(fd),
                                          fmt::number(offset)),
                                 result == MAP_FAILED, err, ValueType::Address,
                                 reinterpret_cast<std::uintptr_t>(result));
                    });
}

int munmap(void* address, std::size_t length)
{
    return recorded([&] { return ::munmap(address, length); },
                    [&](Call& row, int result, int err) {
                        describeInt(row, "munmap", argsInto(row, fmt::pointer(address), fmt::unsignedNumber(length)),
                                    result, err);
                    });
}

int msync(void* address, std::size_t length, int flags)
{
    return recorded([&] { return ::msync(address, length, flags); },
                    [&](Call& row, int result, int err) {
                        describeInt(row, "msync",
                                    argsInto(row, fmt::pointer(address), fmt::unsignedNumber(length),
                                             fmt::symbol(static_cast<unsigned>(flags), &renderMsyncFlags)),
                                    result, err);
                    });
}

int fcntlLock(int fd, int command, struct flock* lock)
{
    if (!journal::listening())
        return ::fcntl(fd, command, lock);
    const struct flock before = *lock; // as it goes in (a GETLK overwrites it)
    return recorded(
        [&] { return ::fcntl(fd, command, lock); },
        [&](Call& row, int result, int err) {
            const bool getlk = command == F_GETLK || command == F_OFD_GETLK;
            const RawArg commandArg = fmt::symbol(static_cast<unsigned>(command), &renderFcntlCommand);
            if (getlk && result != 0) {
                const std::string where = fmt::address(reinterpret_cast<std::uintptr_t>(lock));
                describeInt(row, "fcntl", argsInto(row, fmt::fd(fd), commandArg, fmt::out(where, "struct flock", lock)),
                            result, err);
            } else {
                describeInt(row, "fcntl", argsInto(row, fmt::fd(fd), commandArg, flockArg(getlk ? *lock : before)),
                            result, err);
            }
        });
}

off_t lseek(int fd, off_t offset, int whence)
{
    return recorded([&] { return ::lseek(fd, offset, whence); },
                    [&](Call& row, off_t result, int err) {
                        describeInt(row, "lseek",
                                    argsInto(row, fmt::fd(fd), fmt::number(offset),
                                             fmt::symbol(static_cast<unsigned>(whence), &renderWhence)),
                                    result, err);
                    });
}

int unlinkat(int dirfd, const char* path, int flags)
{
    return recorded([&] { return ::unlinkat(dirfd, path, flags); },
                    [&](Call& row, int result, int err) {
                        describeInt(row, "unlinkat",
                                    argsInto(row, dirfdArg(dirfd), fmt::string(path), atFlagsArg(flags)), result, err);
                    });
}

int unlink(const char* path)
{
    return recorded([&] { return ::unlink(path); },
                    [&](Call& row, int result, int err) {
                        describeInt(row, "unlink", argsInto(row, fmt::string(path)), result, err);
                    });
}

int linkat(int olddirfd, const char* oldpath, int newdirfd, const char* newpath, int flags)
{
    return recorded([&] { return ::linkat(olddirfd, oldpath, newdirfd, newpath, flags); },
                    [&](Call& row, int result, int err) {
                        describeInt(row, "linkat",
                                    argsInto(row, dirfdArg(olddirfd), fmt::string(oldpath), dirfdArg(newdirfd),
                                             fmt::string(newpath), atFlagsArg(flags)),
                                    result, err);
                    });
}

ssize_t readlinkat(int dirfd, const char* path, char* buffer, std::size_t size)
{
    return recorded(
        [&] { return ::readlinkat(dirfd, path, buffer, size); },
        [&](Call& row, ssize_t result, int err) {
            Arg target = result >= 0
                ? fmt::out(fmt::quoted(std::string_view(buffer, static_cast<std::size_t>(result))), "char[]", buffer)
                : fmt::out(fmt::address(reinterpret_cast<std::uintptr_t>(buffer)), "char[]", buffer);
            target.value = size;
            describeInt(row, "readlinkat",
                        argsInto(row, dirfdArg(dirfd), fmt::string(path), std::move(target), fmt::unsignedNumber(size)),
                        result, err);
        });
}

int shmget(key_t key, std::size_t size, int flags)
{
    return recorded([&] { return ::shmget(key, size, flags); },
                    [&](Call& row, int result, int err) {
                        describeInt(row, "shmget",
                                    argsInto(row, fmt::symbol(static_cast<std::uint32_t>(key), &renderKey),
                                             fmt::unsignedNumber(size),
                                             fmt::symbol(static_cast<unsigned>(flags), &renderShmgetFlags)),
                                    result, err);
                    });
}

void* shmat(int shmid, const void* address, int flags)
{
    return recorded([&] { return ::shmat(shmid, address, flags); },
                    [&](Call& row, void* result, int err) {
                        describe(row, CallKind::SystemCall, "shmat",
                                 argsInto(row, fmt::number(shmid), fmt::pointer(address),
                                          fmt::symbol(static_cast<unsigned>(flags), &renderShmatFlags)),
                                 result == reinterpret_cast<void*>(-1), err, ValueType::Address,
                                 reinterpret_cast<std::uintptr_t>(result));
                    });
}

int shmdt(const void* address)
{
    return recorded([&] { return ::shmdt(address); },
                    [&](Call& row, int result, int err) {
                        describeInt(row, "shmdt", argsInto(row, fmt::pointer(address)), result, err);
                    });
}

int shmctl(int shmid, int command, struct shmid_ds* info)
{
    if (!journal::listening())
        return ::shmctl(shmid, command, info);
    const struct shmid_ds before = info ? *info : shmid_ds {};
    return recorded(
        [&] { return ::shmctl(shmid, command, info); },
        [&](Call& row, int result, int err) {
            Arg infoArg;
            if (!info) {
                infoArg = fmt::pointer(nullptr);
            } else if (command == IPC_STAT && result == 0) {
                infoArg = fmt::out(shmidText(*info), "struct shmid_ds", info);
            } else if (command == IPC_SET) {
                // What IPC_SET takes from the struct (strace prints these three).
                const struct ipc_perm& perm = before.shm_perm;
                const std::string fields = "uid=" + std::to_string(perm.uid) + ", gid=" + std::to_string(perm.gid)
                    + ", mode=" + fmt::octal(perm.mode, "0");
                const std::string cFields = ".uid=" + std::to_string(perm.uid) + ", .gid=" + std::to_string(perm.gid)
                    + ", .mode=" + fmt::octal(perm.mode, "0");
                infoArg = fmt::structIn("{shm_perm={" + fields + "}}",
                                        "&(struct shmid_ds){.shm_perm={" + cFields + "}}", "struct shmid_ds");
            } else {
                infoArg = fmt::out(fmt::address(reinterpret_cast<std::uintptr_t>(info)), "struct shmid_ds", info);
            }
            describeInt(row, "shmctl",
                        argsInto(row, fmt::number(shmid),
                                 fmt::symbol(static_cast<unsigned>(command), &renderShmctlCommand), std::move(infoArg)),
                        result, err);
        });
}

char* realpath(const char* path)
{
    return recorded([&] { return ::realpath(path, nullptr); },
                    [&](Call& row, char* result, int err) {
                        describe(row, CallKind::LibraryCall, "realpath",
                                 argsInto(row, fmt::string(path), fmt::pointer(nullptr)), result == nullptr, err,
                                 ValueType::String, 0);
                        if (result)
                            row.result = fmt::quoted(result); // a String result is given as text
                    });
}

} // namespace shmscope::detail::sys
