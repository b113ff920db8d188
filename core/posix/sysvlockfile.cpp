#include "core/posix/sysvlockfile.h"

#include "core/posix/objectpath.h"
#include "core/posix/syscalls.h"
#include "core/viewchecks.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstdio>
#include <dirent.h>
#include <fcntl.h>
#include <string_view>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace shmscope::detail {

namespace {

constexpr const char* shmDirectory = "/dev/shm";
constexpr std::string_view lockPrefix = ".shmscope-sysv-";
constexpr std::string_view lockSuffix = ".lock";

std::string octal(unsigned mode)
{
    char text[16];
    std::snprintf(text, sizeof text, "0%03o", mode);
    return text;
}

// rw (6) when the class whose bits are at `shift` may read and write the segment, else 0.
mode_t classBits(const struct ipc_perm& perm, int shift)
{
    return ((perm.mode >> shift) & 06) == 06 ? static_cast<mode_t>(06 << shift) : 0;
}

// The mode a lock file with group `gid` may have at most: its owner is a writer (rw); its group's
// members are the segment's group when gid is the segment's group, and otherwise just "others".
mode_t allowedMode(const struct ipc_perm& perm, gid_t gid)
{
    const mode_t others = classBits(perm, 0);
    const mode_t group = gid == perm.gid ? classBits(perm, 3) : static_cast<mode_t>(others << 3);
    return 0600 | group | others;
}

bool inGroup(gid_t gid)
{
    if (::getegid() == gid)
        return true;
    const int count = ::getgroups(0, nullptr);
    if (count <= 0)
        return false;
    std::vector<gid_t> groups(static_cast<std::size_t>(count));
    const int got = ::getgroups(count, groups.data());
    return got > 0 && std::find(groups.begin(), groups.begin() + got, gid) != groups.begin() + got;
}

// Whether the kernel would let this process attach the segment read-write (ipcperms(): the owner or
// creator gets the owner bits, a member of its group the group bits, everyone else the others').
bool callerMayWrite(const struct ipc_perm& perm)
{
    const uid_t me = ::geteuid();
    if (me == 0)
        return true; // CAP_IPC_OWNER
    int shift = 0;
    if (me == perm.uid || me == perm.cuid)
        shift = 6;
    else if (inGroup(perm.gid))
        shift = 3;
    return ((perm.mode >> shift) & 06) == 06;
}

Error lockError(const Address& address, ErrorCode code, std::string detail)
{
    return ownError(code, "lock", address, std::move(detail));
}

Error refusedFile(const Address& address, const std::string& path, const struct stat& file, const std::string& why)
{
    return lockError(address, ErrorCode::PermissionDenied,
                     "refusing the lock file " + path + ": " + why + "; ShmScope never uses it (its owner "
                         + userName(file.st_uid) + " or root must remove it before this segment can be written)");
}

// Creates the lock file with its final owner and mode in one step: an unnamed file (O_TMPFILE) is
// given them, then linked under the name (linkat fails with EEXIST rather than replace anything).
// Without O_TMPFILE support the file is created under its name with mode 0 first (nobody but root can
// open it until it has its mode). Errors carry the errno (EEXIST: someone else made it first).
Result<UniqueFd> createLockFile(const Address& address, const std::string& path, const struct ipc_perm& perm)
{
    bool named = false;
    UniqueFd fd(sys::openat(AT_FDCWD, shmDirectory, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600));
    if (!fd.valid()) {
        fd.reset(sys::openat(AT_FDCWD, path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0));
        if (!fd.valid())
            return errorFromErrno("lock", toString(address), errno, "while creating the lock file " + path);
        named = true;
    }
    auto fail = [&](int err, const char* what) -> Error {
        if (named)
            sys::unlink(path.c_str());
        return errorFromErrno("lock", toString(address), err, std::string(what) + " the lock file " + path);
    };
    // Root makes it the segment owner's; anyone else gives it the segment's group where allowed (a
    // member of it). What stays the caller's is still a writer's, which sysvLockFileProblem() accepts.
    if (::geteuid() == 0) {
        if (sys::fchown(fd.get(), perm.uid, perm.gid) != 0)
            return fail(errno, "while giving the segment's owner");
    } else {
        [[maybe_unused]] const int ignored = sys::fchown(fd.get(), static_cast<uid_t>(-1), perm.gid);
    }
    struct stat file = {};
    if (sys::fstat(fd.get(), &file) != 0)
        return fail(errno, "while reading");
    if (sys::fchmod(fd.get(), allowedMode(perm, file.st_gid)) != 0)
        return fail(errno, "while setting the mode of");
    if (!named) {
        const std::string self = "/proc/self/fd/" + std::to_string(fd.get());
        if (sys::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, path.c_str(), AT_SYMLINK_FOLLOW) != 0)
            return errorFromErrno("lock", toString(address), errno, "while creating the lock file " + path);
    }
    return fd;
}

// The shmid in a lock file's name, or -1 when the name is not exactly ".shmscope-sysv-<digits>.lock".
int shmidOfName(std::string_view name)
{
    if (!name.starts_with(lockPrefix) || !name.ends_with(lockSuffix))
        return -1;
    const std::string_view digits = name.substr(lockPrefix.size(), name.size() - lockPrefix.size() - lockSuffix.size());
    if (digits.empty() || digits.size() > 10
        || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return -1;
    long long value = 0;
    std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (value > INT_MAX || std::to_string(value) != digits)
        return -1; // beyond any shmid, or with leading zeros (not a name we make)
    return static_cast<int>(value);
}

bool segmentGone(int shmid)
{
    struct shmid_ds info = {};
    return sys::shmctl(shmid, IPC_STAT, &info) != 0 && (errno == EINVAL || errno == EIDRM);
}

} // namespace

std::string sysvLockFilePath(int shmid)
{
    return std::string(shmDirectory) + "/" + std::string(lockPrefix) + std::to_string(shmid) + std::string(lockSuffix);
}

mode_t sysvLockFileMode(const struct ipc_perm& perm)
{
    return classBits(perm, 6) | classBits(perm, 3) | classBits(perm, 0);
}

std::string sysvLockFileProblem(const struct stat& file, const struct ipc_perm& perm)
{
    if (!S_ISREG(file.st_mode))
        return "it is " + fileTypeName(file.st_mode) + ", not a regular file";
    if (file.st_nlink != 1)
        return "it has " + std::to_string(file.st_nlink) + " hard links";
    const bool othersWrite = (perm.mode & 06) == 06;
    const bool groupWrites = (perm.mode & 060) == 060 && file.st_gid == perm.gid;
    if (file.st_uid != perm.uid && file.st_uid != perm.cuid && file.st_uid != 0 && !othersWrite && !groupWrites) {
        return "it is owned by " + userName(file.st_uid) + ", who may not write the segment (owner "
            + userName(perm.uid) + ", mode " + octal(perm.mode & 0777) + ")";
    }
    const mode_t allowed = allowedMode(perm, file.st_gid);
    if ((file.st_mode & 07777 & ~allowed) != 0) {
        return "its mode " + octal(file.st_mode & 07777) + " lets more users take it than may write the segment (mode "
            + octal(perm.mode & 0777) + ")";
    }
    return {};
}

Result<UniqueFd> openSysVLockFile(const Address& address, int shmid, bool writable)
{
    const std::string path = sysvLockFilePath(shmid);
    // Someone may make the file, or (a sweep) remove it, between our steps: look again a few times.
    for (int attempt = 0;; ++attempt) {
        struct shmid_ds segment = {};
        if (sys::shmctl(shmid, IPC_STAT, &segment) != 0) {
            const int err = errno;
            Error error = errorFromErrno("lock", toString(address), err, "while reading the segment's permissions");
            if (err == EINVAL || err == EIDRM)
                error.code = ErrorCode::NotFound;
            return error;
        }
        const struct ipc_perm& perm = segment.shm_perm;

        // O_PATH|O_NOFOLLOW opens nothing: a symlink, FIFO or device under our name is looked at, not
        // followed or opened.
        UniqueFd entry(sys::openat(AT_FDCWD, path.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
        if (!entry.valid()) {
            const int err = errno;
            if (err != ENOENT)
                return errorFromErrno("lock", toString(address), err, "while looking at the lock file " + path);
            if (!writable && !callerMayWrite(perm)) {
                return lockError(address, ErrorCode::PermissionDenied,
                                 "only users who may write the segment take its lock (" + path + ")");
            }
            Result<UniqueFd> created = createLockFile(address, path, perm);
            if (created || created.error().sysError != EEXIST || attempt >= 3)
                return created;
            continue;
        }
        struct stat file = {};
        if (sys::fstat(entry.get(), &file) != 0)
            return errorFromErrno("lock", toString(address), errno, "while looking at the lock file " + path);
        // One of ours whose mode no longer matches (the segment's mode changed since, or an old file of
        // a segment that had this shmid before) is brought in line; anything else wrong is refused.
        const mode_t wanted = allowedMode(perm, file.st_gid);
        struct stat inLine = file;
        inLine.st_mode = (file.st_mode & ~static_cast<mode_t>(07777)) | wanted;
        const bool mine = file.st_uid == ::geteuid() && sysvLockFileProblem(inLine, perm).empty();
        if (const std::string problem = sysvLockFileProblem(file, perm); !problem.empty() && !mine)
            return refusedFile(address, path, file, problem);
        if (mine && (file.st_mode & 07777) != wanted) {
            // chmod through the O_PATH descriptor (/proc/self/fd): the inode we looked at, whatever the
            // name refers to now.
            const std::string self = "/proc/self/fd/" + std::to_string(entry.get());
            if (sys::fchmodat(AT_FDCWD, self.c_str(), wanted) != 0)
                return errorFromErrno("lock", toString(address), errno, "while setting the mode of " + path);
        }

        UniqueFd fd(
            sys::openat(AT_FDCWD, path.c_str(), (writable ? O_RDWR : O_RDONLY) | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
        if (!fd.valid()) {
            const int err = errno;
            if (err == ENOENT && attempt < 3)
                continue;
            Error error = errorFromErrno("lock", toString(address), err, "while opening the lock file " + path);
            if (err == EACCES)
                error.detail += " (only users who may write the segment take its lock)";
            return error;
        }
        struct stat opened = {};
        if (sys::fstat(fd.get(), &opened) != 0)
            return errorFromErrno("lock", toString(address), errno, "while looking at the lock file " + path);
        if (opened.st_dev != file.st_dev || opened.st_ino != file.st_ino) {
            if (attempt < 3)
                continue; // replaced between the two looks: look again
            return refusedFile(address, path, opened, "it keeps being replaced");
        }
        return fd;
    }
}

void removeSysVLockFile(int shmid, const struct ipc_perm& perm)
{
    if (!segmentGone(shmid))
        return; // still attached somewhere: its views keep locking the file; swept once it is gone
    const std::string path = sysvLockFilePath(shmid);
    struct stat file = {};
    if (sys::fstatat(AT_FDCWD, path.c_str(), &file, AT_SYMLINK_NOFOLLOW) == 0
        && sysvLockFileProblem(file, perm).empty())
        sys::unlink(path.c_str());
}

void sweepOrphanSysVLockFiles()
{
    DIR* directory = ::opendir(shmDirectory);
    if (!directory)
        return;
    const int directoryFd = ::dirfd(directory);
    const uid_t me = ::geteuid();
    while (const dirent* item = ::readdir(directory)) {
        const int shmid = shmidOfName(item->d_name);
        if (shmid < 0)
            continue;
        struct stat file = {};
        if (sys::fstatat(directoryFd, item->d_name, &file, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(file.st_mode)
            || file.st_uid != me)
            continue;
        if (segmentGone(shmid))
            sys::unlinkat(directoryFd, item->d_name, 0);
    }
    ::closedir(directory);
}

} // namespace shmscope::detail
