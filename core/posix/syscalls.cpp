#include "core/posix/syscalls.h"

#include "core/journal.h"
#include "core/journalformat.h"
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
#include <vector>

namespace shmscope::detail::sys {

namespace {

namespace fmt = journal::format;
using journal::Arg;
using journal::CallKind;
using journal::ValueType;

// Bytes of a stored buffer kept in a MemoryStore row (what "Copy as C program" can replay).
constexpr std::size_t kStoreKept = 64 * 1024;

#ifdef __NR_newfstatat
constexpr const char* kFstatatName = "newfstatat";
#else
constexpr const char* kFstatatName = "fstatat64";
#endif

// One call being recorded: the clocks start before the call; finish() builds and delivers the row.
// The arguments moved into a vector (a braced list would copy each one).
template<typename... Args>
std::vector<Arg> argList(Args&&... args)
{
    std::vector<Arg> list;
    list.reserve(sizeof...(Args));
    (list.push_back(std::forward<Args>(args)), ...);
    return list;
}

struct Recording {
    std::int64_t wallUs = journal::wallClockUs();
    std::uint64_t startNs = journal::monotonicNs();
    std::uint64_t endNs = 0;

    void stop() { endNs = journal::monotonicNs(); }

    // `failed` with `err`; `type`/`value`/`text` describe a successful result.
    void finish(CallKind kind, const char* name, std::vector<Arg> args, bool failed, int err, ValueType type,
                std::uint64_t value, std::string text, const char* via = nullptr)
    {
        if (endNs == 0)
            stop();
        journal::Call call;
        call.timeUs = wallUs;
        call.durationNs = endNs - startNs;
        call.kind = kind;
        call.name = name;
        if (via)
            call.via = via;
        call.args = std::move(args);
        call.resultType = type;
        call.failed = failed;
        if (failed) {
            call.error = err;
            const char* errName = ::strerrorname_np(err);
            call.errorName = errName ? errName : std::to_string(err);
            call.errorText = std::generic_category().message(err);
            call.resultValue = static_cast<std::uint64_t>(-1);
            call.result = "-1 " + call.errorName + " (" + call.errorText + ")";
        } else {
            call.resultValue = value;
            call.result = std::move(text);
        }
        journal::record(call);
    }

    // A call returning an integer that is -1 on error.
    void finishInt(CallKind kind, const char* name, std::vector<Arg> args, long long result, int err,
                   ValueType type = ValueType::Number, const char* via = nullptr)
    {
        finish(kind, name, std::move(args), result == -1, err, type, static_cast<std::uint64_t>(result),
               std::to_string(result), via);
    }
};

Arg dirfdArg(int dirfd)
{
    if (dirfd == AT_FDCWD)
        return fmt::symbol("AT_FDCWD", static_cast<std::uint64_t>(static_cast<std::int64_t>(AT_FDCWD)));
    return fmt::fd(dirfd);
}

Arg openFlagsArg(int flags)
{
    return fmt::symbol(flags::openFlagsText(flags), static_cast<unsigned>(flags));
}

Arg modeArg(mode_t mode)
{
    return fmt::symbol(fmt::octal(mode, "000"), mode);
}

Arg atFlagsArg(int flags)
{
    return fmt::symbol(fmt::flags(static_cast<unsigned>(flags), flags::atFlags), static_cast<unsigned>(flags));
}

// What strace shows of a struct stat (abbreviated): type and mode, and the size (st_rdev for devices).
Arg statArg(bool ok, const struct stat* st)
{
    if (!ok)
        return fmt::out(fmt::address(reinterpret_cast<std::uintptr_t>(st)), "struct stat", st);
    std::string text = "{st_mode=" + flags::fileModeText(st->st_mode) + ", ";
    if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode)) {
        text += "st_rdev=makedev(" + fmt::hex(major(st->st_rdev)) + ", " + fmt::hex(minor(st->st_rdev)) + ")";
    } else {
        text += "st_size=" + std::to_string(static_cast<long long>(st->st_size));
    }
    text += ", ...}";
    return fmt::out(std::move(text), "struct stat", st);
}

std::string flockText(const struct flock& lock, bool c)
{
    // One snprintf: this row is made twice per edit (the lock and the unlock).
    const std::string type = fmt::valueName(static_cast<std::uint16_t>(lock.l_type), flags::lockTypes);
    const std::string whence = fmt::valueName(static_cast<std::uint16_t>(lock.l_whence), flags::whence);
    const char* field = c ? "." : "";
    char buffer[160];
    std::snprintf(buffer, sizeof buffer, "{%sl_type=%s, %sl_whence=%s, %sl_start=%lld, %sl_len=%lld}", field,
                  type.c_str(), field, whence.c_str(), field, static_cast<long long>(lock.l_start), field,
                  static_cast<long long>(lock.l_len));
    return buffer;
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

// Restores errno after the recording (which may call functions that set it).
struct KeepErrno {
    int saved;
    ~KeepErrno() { errno = saved; }
};

} // namespace

int openat(int dirfd, const char* path, int flags, mode_t mode)
{
    if (!journal::listening())
        return ::openat(dirfd, path, flags, mode);
    Recording rec;
    const int result = ::openat(dirfd, path, flags, mode);
    rec.stop();
    KeepErrno keep { errno };
    std::vector<Arg> args = argList(dirfdArg(dirfd), fmt::string(path), openFlagsArg(flags));
    if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
        args.push_back(modeArg(mode));
    rec.finishInt(CallKind::SystemCall, "openat", std::move(args), result, keep.saved, ValueType::Fd);
    return result;
}

int shmOpen(const char* name, int flags, mode_t mode)
{
    if (!journal::listening())
        return ::shm_open(name, flags, mode);
    Recording rec;
    const int result = ::shm_open(name, flags, mode);
    rec.stop();
    KeepErrno keep { errno };
    // glibc 2.34+ (posix/shm_open.c): open("/dev/shm/" NAME, oflag | O_NOFOLLOW | O_CLOEXEC, mode).
    std::string path = "/dev/shm/";
    path += name[0] == '/' ? name + 1 : name;
    const int real = flags | O_NOFOLLOW | O_CLOEXEC;
    std::vector<Arg> args = argList(dirfdArg(AT_FDCWD), fmt::string(path), openFlagsArg(real));
    if (real & O_CREAT)
        args.push_back(modeArg(mode));
    rec.finishInt(CallKind::SystemCall, "openat", std::move(args), result, keep.saved, ValueType::Fd, "shm_open");
    return result;
}

int shmUnlink(const char* name)
{
    if (!journal::listening())
        return ::shm_unlink(name);
    Recording rec;
    const int result = ::shm_unlink(name);
    rec.stop();
    KeepErrno keep { errno };
    std::string path = "/dev/shm/";
    path += name[0] == '/' ? name + 1 : name;
    rec.finishInt(CallKind::SystemCall, "unlink", argList(fmt::string(path)), result, keep.saved, ValueType::Number,
                  "shm_unlink");
    return result;
}

int close(int fd)
{
    if (!journal::listening())
        return ::close(fd);
    Recording rec;
    const int result = ::close(fd);
    rec.stop();
    KeepErrno keep { errno };
    rec.finishInt(CallKind::SystemCall, "close", argList(fmt::fd(fd)), result, keep.saved);
    return result;
}

int fstat(int fd, struct stat* st)
{
    if (!journal::listening())
        return ::fstatat(fd, "", st, AT_EMPTY_PATH);
    Recording rec;
    const int result = ::fstatat(fd, "", st, AT_EMPTY_PATH);
    rec.stop();
    KeepErrno keep { errno };
    rec.finishInt(CallKind::SystemCall, kFstatatName,
                  argList(fmt::fd(fd), fmt::string(""), statArg(result == 0, st), atFlagsArg(AT_EMPTY_PATH)), result,
                  keep.saved, ValueType::Number, "fstat");
    return result;
}

int fstatat(int dirfd, const char* path, struct stat* st, int flags)
{
    if (!journal::listening())
        return ::fstatat(dirfd, path, st, flags);
    Recording rec;
    const int result = ::fstatat(dirfd, path, st, flags);
    rec.stop();
    KeepErrno keep { errno };
    rec.finishInt(CallKind::SystemCall, kFstatatName,
                  argList(dirfdArg(dirfd), fmt::string(path), statArg(result == 0, st), atFlagsArg(flags)), result,
                  keep.saved);
    return result;
}

int ftruncate(int fd, off_t length)
{
    if (!journal::listening())
        return ::ftruncate(fd, length);
    Recording rec;
    const int result = ::ftruncate(fd, length);
    rec.stop();
    KeepErrno keep { errno };
    rec.finishInt(CallKind::SystemCall, "ftruncate", argList(fmt::fd(fd), fmt::number(length)), result, keep.saved);
    return result;
}

int fchmod(int fd, mode_t mode)
{
    if (!journal::listening())
        return ::fchmod(fd, mode);
    Recording rec;
    const int result = ::fchmod(fd, mode);
    rec.stop();
    KeepErrno keep { errno };
    rec.finishInt(CallKind::SystemCall, "fchmod", argList(fmt::fd(fd), modeArg(mode)), result, keep.saved);
    return result;
}

int fchmodat(int dirfd, const char* path, mode_t mode)
{
    if (!journal::listening())
        return ::fchmodat(dirfd, path, mode, 0);
    Recording rec;
    const int result = ::fchmodat(dirfd, path, mode, 0);
    rec.stop();
    KeepErrno keep { errno };
    rec.finishInt(CallKind::SystemCall, "fchmodat", argList(dirfdArg(dirfd), fmt::string(path), modeArg(mode)), result,
                  keep.saved);
    return result;
}

int fchown(int fd, uid_t owner, gid_t group)
{
    if (!journal::listening())
        return ::fchown(fd, owner, group);
    Recording rec;
    const int result = ::fchown(fd, owner, group);
    rec.stop();
    KeepErrno keep { errno };
    // strace prints -1 for "leave unchanged".
    rec.finishInt(CallKind::SystemCall, "fchown",
                  argList(fmt::fd(fd), fmt::number(static_cast<int>(owner)), fmt::number(static_cast<int>(group))),
                  result, keep.saved);
    return result;
}

int reserve(int fd, off_t offset, off_t length)
{
    const bool listening = journal::listening();
    Recording rec;
    int err = 0;
    if (::fallocate(fd, 0, offset, length) != 0)
        err = errno;
    if (listening) {
        rec.stop();
        KeepErrno keep { errno };
        rec.finish(CallKind::SystemCall, "fallocate",
                   argList(fmt::fd(fd), fmt::symbol("0"), fmt::number(offset), fmt::number(length)), err != 0, err,
                   ValueType::Number, 0, "0", "posix_fallocate");
    }
    if (err != EOPNOTSUPP)
        return err;
    // The file system cannot reserve blocks by itself: posix_fallocate writes a byte into each block.
    Recording fallback;
    const int result = ::posix_fallocate(fd, offset, length);
    if (listening) {
        fallback.stop();
        KeepErrno keep { errno };
        fallback.finish(CallKind::LibraryCall, "posix_fallocate",
                        argList(fmt::fd(fd), fmt::number(offset), fmt::number(length)), result != 0, result,
                        ValueType::Number, 0, "0");
    }
    return result;
}

void* mmap(void* address, std::size_t length, int protection, int flags, int fd, off_t offset)
{
    if (!journal::listening())
        return ::mmap(address, length, protection, flags, fd, offset);
    Recording rec;
    void* result = ::mmap(address, length, protection, flags, fd, offset);
    rec.stop();
    KeepErrno keep { errno };
    const auto type = static_cast<std::uint64_t>(flags & MAP_TYPE);
    std::string flagText = fmt::valueName(type, flags::mmapTypes);
    if (const auto rest = static_cast<std::uint64_t>(static_cast<unsigned>(flags & ~MAP_TYPE)); rest != 0)
        flagText += '|' + fmt::flags(rest, flags::mmapFlags);
    rec.finish(CallKind::SystemCall, "mmap",
               argList(fmt::pointer(address), fmt::unsignedNumber(length),
                       fmt::symbol(fmt::flags(static_cast<unsigned>(protection), flags::mmapProtection, "PROT_NONE"),
                                   static_cast<unsigned>(protection)),
                       fmt::symbol(flagText, static_cast<unsigned>(flags)), fmt::fd(fd), fmt::number(offset)),
               result == MAP_FAILED, keep.saved, ValueType::Address, reinterpret_cast<std::uintptr_t>(result),
               fmt::address(reinterpret_cast<std::uintptr_t>(result)));
    return result;
}

int munmap(void* address, std::size_t length)
{
    if (!journal::listening())
        return ::munmap(address, length);
    Recording rec;
    const int result = ::munmap(address, length);
    rec.stop();
    KeepErrno keep { errno };
    rec.finishInt(CallKind::SystemCall, "munmap", argList(fmt::pointer(address), fmt::unsignedNumber(length)), result,
                  keep.saved);
    return result;
}

int msync(void* address, std::size_t length, int flags)
{
    if (!journal::listening())
        return ::msync(address, length, flags);
    Recording rec;
    const int result = ::msync(address, length, flags);
    rec.stop();
    KeepErrno keep { errno };
    rec.finishInt(
        CallKind::SystemCall, "msync",
        argList(fmt::pointer(address), fmt::unsignedNumber(length),
                fmt::symbol(fmt::flags(static_cast<unsigned>(flags), flags::msyncFlags), static_cast<unsigned>(flags))),
        result, keep.saved);
    return result;
}

int fcntlLock(int fd, int command, struct flock* lock)
{
    if (!journal::listening())
        return ::fcntl(fd, command, lock);
    // The struct as it goes in (a GETLK overwrites it).
    const struct flock before = *lock;
    Recording rec;
    const int result = ::fcntl(fd, command, lock);
    rec.stop();
    KeepErrno keep { errno };
    const bool getlk = command == F_GETLK || command == F_OFD_GETLK;
    Arg lockArg = getlk && result != 0
        ? fmt::out(fmt::address(reinterpret_cast<std::uintptr_t>(lock)), "struct flock", lock)
        : fmt::structIn(flockText(getlk ? *lock : before, false), "&(struct flock)" + flockText(before, true),
                        "struct flock");
    rec.finishInt(CallKind::SystemCall, "fcntl",
                  argList(fmt::fd(fd),
                          fmt::symbol(fmt::valueName(static_cast<unsigned>(command), flags::fcntlCommands)),
                          std::move(lockArg)),
                  result, keep.saved);
    return result;
}

off_t lseek(int fd, off_t offset, int whence)
{
    if (!journal::listening())
        return ::lseek(fd, offset, whence);
    Recording rec;
    const off_t result = ::lseek(fd, offset, whence);
    rec.stop();
    KeepErrno keep { errno };
    rec.finishInt(CallKind::SystemCall, "lseek",
                  argList(fmt::fd(fd), fmt::number(offset),
                          fmt::symbol(fmt::valueName(static_cast<unsigned>(whence), flags::whence))),
                  result, keep.saved);
    return result;
}

int unlinkat(int dirfd, const char* path, int flags)
{
    if (!journal::listening())
        return ::unlinkat(dirfd, path, flags);
    Recording rec;
    const int result = ::unlinkat(dirfd, path, flags);
    rec.stop();
    KeepErrno keep { errno };
    rec.finishInt(CallKind::SystemCall, "unlinkat", argList(dirfdArg(dirfd), fmt::string(path), atFlagsArg(flags)),
                  result, keep.saved);
    return result;
}

int unlink(const char* path)
{
    if (!journal::listening())
        return ::unlink(path);
    Recording rec;
    const int result = ::unlink(path);
    rec.stop();
    KeepErrno keep { errno };
    rec.finishInt(CallKind::SystemCall, "unlink", argList(fmt::string(path)), result, keep.saved);
    return result;
}

int linkat(int olddirfd, const char* oldpath, int newdirfd, const char* newpath, int flags)
{
    if (!journal::listening())
        return ::linkat(olddirfd, oldpath, newdirfd, newpath, flags);
    Recording rec;
    const int result = ::linkat(olddirfd, oldpath, newdirfd, newpath, flags);
    rec.stop();
    KeepErrno keep { errno };
    rec.finishInt(
        CallKind::SystemCall, "linkat",
        argList(dirfdArg(olddirfd), fmt::string(oldpath), dirfdArg(newdirfd), fmt::string(newpath), atFlagsArg(flags)),
        result, keep.saved);
    return result;
}

ssize_t readlinkat(int dirfd, const char* path, char* buffer, std::size_t size)
{
    if (!journal::listening())
        return ::readlinkat(dirfd, path, buffer, size);
    Recording rec;
    const ssize_t result = ::readlinkat(dirfd, path, buffer, size);
    rec.stop();
    KeepErrno keep { errno };
    Arg target = result >= 0
        ? fmt::out(fmt::quoted(std::string_view(buffer, static_cast<std::size_t>(result))), "char[]", buffer)
        : fmt::out(fmt::address(reinterpret_cast<std::uintptr_t>(buffer)), "char[]", buffer);
    target.value = size;
    rec.finishInt(CallKind::SystemCall, "readlinkat",
                  argList(dirfdArg(dirfd), fmt::string(path), std::move(target), fmt::unsignedNumber(size)), result,
                  keep.saved);
    return result;
}

int shmget(key_t key, std::size_t size, int flags)
{
    if (!journal::listening())
        return ::shmget(key, size, flags);
    Recording rec;
    const int result = ::shmget(key, size, flags);
    rec.stop();
    KeepErrno keep { errno };
    std::string flagText = fmt::flags(static_cast<unsigned>(flags & ~0777), flags::shmgetFlags, "");
    const std::string mode = fmt::octal(static_cast<unsigned>(flags & 0777), "000");
    flagText = flagText.empty() ? mode : flagText + '|' + mode;
    rec.finishInt(CallKind::SystemCall, "shmget",
                  argList(fmt::symbol(key == IPC_PRIVATE ? "IPC_PRIVATE" : fmt::hex(static_cast<std::uint32_t>(key)),
                                      static_cast<std::uint32_t>(key)),
                          fmt::unsignedNumber(size), fmt::symbol(flagText, static_cast<unsigned>(flags))),
                  result, keep.saved);
    return result;
}

void* shmat(int shmid, const void* address, int flags)
{
    if (!journal::listening())
        return ::shmat(shmid, address, flags);
    Recording rec;
    void* result = ::shmat(shmid, address, flags);
    rec.stop();
    KeepErrno keep { errno };
    const bool failed = result == reinterpret_cast<void*>(-1);
    rec.finish(
        CallKind::SystemCall, "shmat",
        argList(fmt::number(shmid), fmt::pointer(address),
                fmt::symbol(fmt::flags(static_cast<unsigned>(flags), flags::shmatFlags), static_cast<unsigned>(flags))),
        failed, keep.saved, ValueType::Address, reinterpret_cast<std::uintptr_t>(result),
        fmt::address(reinterpret_cast<std::uintptr_t>(result)));
    return result;
}

int shmdt(const void* address)
{
    if (!journal::listening())
        return ::shmdt(address);
    Recording rec;
    const int result = ::shmdt(address);
    rec.stop();
    KeepErrno keep { errno };
    rec.finishInt(CallKind::SystemCall, "shmdt", argList(fmt::pointer(address)), result, keep.saved);
    return result;
}

int shmctl(int shmid, int command, struct shmid_ds* info)
{
    if (!journal::listening())
        return ::shmctl(shmid, command, info);
    const struct shmid_ds before = info ? *info : shmid_ds {};
    Recording rec;
    const int result = ::shmctl(shmid, command, info);
    rec.stop();
    KeepErrno keep { errno };
    Arg infoArg;
    if (!info) {
        infoArg = fmt::pointer(nullptr);
    } else if (command == IPC_STAT && result == 0) {
        infoArg = fmt::out(shmidText(*info), "struct shmid_ds", info);
    } else if (command == IPC_SET) {
        // What IPC_SET takes from the struct (strace prints these three).
        const struct ipc_perm& perm = before.shm_perm;
        const std::string text = "{shm_perm={uid=" + std::to_string(perm.uid) + ", gid=" + std::to_string(perm.gid)
            + ", mode=" + fmt::octal(perm.mode, "0") + "}}";
        const std::string c = "&(struct shmid_ds){.shm_perm={.uid=" + std::to_string(perm.uid)
            + ", .gid=" + std::to_string(perm.gid) + ", .mode=" + fmt::octal(perm.mode, "0") + "}}";
        infoArg = fmt::structIn(text, c, "struct shmid_ds");
    } else {
        infoArg = fmt::out(fmt::address(reinterpret_cast<std::uintptr_t>(info)), "struct shmid_ds", info);
    }
    rec.finishInt(CallKind::SystemCall, "shmctl",
                  argList(fmt::number(shmid),
                          fmt::symbol(fmt::valueName(static_cast<unsigned>(command), flags::shmctlCommands)),
                          std::move(infoArg)),
                  result, keep.saved);
    return result;
}

char* realpath(const char* path)
{
    if (!journal::listening())
        return ::realpath(path, nullptr);
    Recording rec;
    char* result = ::realpath(path, nullptr);
    rec.stop();
    KeepErrno keep { errno };
    Arg resolved;
    resolved.type = ValueType::String;
    resolved.text = result ? fmt::quoted(result) : std::string("NULL");
    rec.finish(CallKind::LibraryCall, "realpath", argList(fmt::string(path), fmt::pointer(nullptr)), result == nullptr,
               keep.saved, ValueType::String, 0, resolved.text);
    return result;
}

void recordStore(const void* base, std::uint64_t offset, const void* data, std::size_t length)
{
    if (!journal::listening())
        return;
    Recording rec;
    rec.endNs = rec.startNs;
    Arg where = fmt::pointer(base);
    where.text += " + " + fmt::hex(offset);
    const std::uint64_t destination = reinterpret_cast<std::uintptr_t>(base) + offset;
    journal::Call call;
    call.timeUs = rec.wallUs;
    call.kind = CallKind::MemoryStore;
    call.name = "memcpy";
    call.args = argList(std::move(where), fmt::bytes(data, length, kStoreKept), fmt::unsignedNumber(length));
    call.storeOffset = offset;
    call.resultType = ValueType::Address;
    call.resultValue = destination;
    call.result = fmt::address(destination);
    journal::record(call);
}

} // namespace shmscope::detail::sys
