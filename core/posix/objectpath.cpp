#include "core/posix/objectpath.h"

#include "core/posix/syscalls.h"
#include "core/viewchecks.h"

#include <cerrno>
#include <deque>
#include <fcntl.h>
#include <pwd.h>
#include <unistd.h>
#include <vector>

namespace shmscope::detail {

namespace {

constexpr const char* shmDirectory = "/dev/shm";
constexpr int maxLinks = 40; // the kernel's MAXSYMLINKS

// The components of `path` in order, without the empty ones and "." (".." is kept: it is resolved
// against the folder actually reached, as the kernel does).
std::deque<std::string> components(const std::string& path)
{
    std::deque<std::string> parts;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string::npos)
            end = path.size();
        std::string part = path.substr(start, end - start);
        if (!part.empty() && part != ".")
            parts.push_back(std::move(part));
        start = end + 1;
    }
    return parts;
}

std::string joinPath(const std::string& folder, const std::string& name)
{
    return folder.empty() || folder.back() != '/' ? folder + "/" + name : folder + name;
}

Result<std::string> readLink(const char* operation, const Address& address, int linkFd, const std::string& linkPath)
{
    std::vector<char> buffer(256);
    for (;;) {
        // An empty path reads the link an O_PATH|O_NOFOLLOW descriptor refers to (Linux 2.6.39+).
        const ssize_t length = sys::readlinkat(linkFd, "", buffer.data(), buffer.size());
        if (length < 0)
            return errorFromErrno(operation, toString(address), errno, "while reading the symbolic link " + linkPath);
        if (static_cast<std::size_t>(length) < buffer.size())
            return std::string(buffer.data(), static_cast<std::size_t>(length));
        buffer.resize(buffer.size() * 2);
    }
}

// fs.protected_symlinks (fs/namei.c, may_follow_link): a link in a sticky world-writable folder is
// followed only when its owner is the follower or the folder's owner.
Status checkLinkRule(const char* operation, const Address& address, int folderFd, const struct stat& link,
                     const std::string& linkPath)
{
    struct stat folder = {};
    if (sys::fstat(folderFd, &folder) != 0)
        return errorFromErrno(operation, toString(address), errno, "while checking the folder of " + linkPath);
    if ((folder.st_mode & (S_ISVTX | S_IWOTH)) != (S_ISVTX | S_IWOTH))
        return {};
    if (link.st_uid == ::geteuid() || link.st_uid == folder.st_uid)
        return {};
    Error error = ownError(ErrorCode::PermissionDenied, operation, address,
                           "refusing to follow the symbolic link " + linkPath + " (owned by " + userName(link.st_uid)
                               + "): it is in a sticky world-writable folder, where only links owned by you or by "
                                 "the folder's owner ("
                               + userName(folder.st_uid) + ") are followed (the rule of fs.protected_symlinks)");
    return error;
}

Result<Located> locatePosix(const char* operation, const Address& address)
{
    Located located;
    located.directory.reset(sys::openat(AT_FDCWD, shmDirectory, O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!located.directory.valid())
        return errorFromErrno(operation, toString(address), errno, std::string("while opening ") + shmDirectory);
    located.name = address.name.substr(1); // posix: names are "/NAME" with no other '/'
    located.shownPath = joinPath(shmDirectory, located.name);
    located.entry.reset(sys::openat(located.directory.get(), located.name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
    if (!located.entry.valid()) {
        if (errno != ENOENT)
            return errorFromErrno(operation, toString(address), errno);
    } else if (sys::fstat(located.entry.get(), &located.info) != 0) {
        return errorFromErrno(operation, toString(address), errno);
    }
    return located;
}

Result<Located> locateFile(const char* operation, const Address& address, bool followFinalLink)
{
    const std::string& path = address.name;
    const bool absolute = !path.empty() && path.front() == '/';
    UniqueFd folder(sys::openat(AT_FDCWD, absolute ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC));
    std::string shown = absolute ? "/" : ".";
    std::deque<std::string> rest = components(path);
    int links = 0;
    for (;;) {
        if (!folder.valid())
            return errorFromErrno(operation, toString(address), errno);
        if (rest.empty())
            return errorFromErrno(operation, toString(address), EISDIR); // the path names a folder
        std::string component = std::move(rest.front());
        rest.pop_front();
        if (component == "..") {
            folder.reset(sys::openat(folder.get(), "..", O_PATH | O_DIRECTORY | O_CLOEXEC));
            shown = joinPath(shown, "..");
            continue;
        }
        const bool last = rest.empty();
        const std::string entryPath = joinPath(shown, component);
        UniqueFd entry(sys::openat(folder.get(), component.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
        struct stat info = {};
        if (!entry.valid() || sys::fstat(entry.get(), &info) != 0) {
            const int err = errno;
            if (!(last && err == ENOENT))
                return errorFromErrno(operation, toString(address), err);
            entry.reset();
        }
        if (entry.valid() && S_ISLNK(info.st_mode) && (!last || followFinalLink)) {
            if (Status allowed = checkLinkRule(operation, address, folder.get(), info, entryPath); !allowed)
                return allowed.error();
            if (++links > maxLinks)
                return errorFromErrno(operation, toString(address), ELOOP);
            Result<std::string> target = readLink(operation, address, entry.get(), entryPath);
            if (!target)
                return target.error();
            if (!target->empty() && target->front() == '/') {
                folder.reset(sys::openat(AT_FDCWD, "/", O_PATH | O_DIRECTORY | O_CLOEXEC));
                shown = "/";
            }
            std::deque<std::string> targetParts = components(*target);
            rest.insert(rest.begin(), targetParts.begin(), targetParts.end());
            continue;
        }
        if (last) {
            Located located;
            located.directory = std::move(folder);
            located.name = std::move(component);
            located.shownPath = entryPath;
            located.entry = std::move(entry);
            located.info = info;
            return located;
        }
        if (!S_ISDIR(info.st_mode))
            return errorFromErrno(operation, toString(address), ENOTDIR);
        folder = std::move(entry);
        shown = entryPath;
    }
}

} // namespace

std::string fileTypeName(mode_t mode)
{
    switch (mode & S_IFMT) {
    case S_IFREG:
        return "a regular file";
    case S_IFDIR:
        return "a directory";
    case S_IFLNK:
        return "a symbolic link";
    case S_IFIFO:
        return "a FIFO";
    case S_IFSOCK:
        return "a socket";
    case S_IFCHR:
        return "a character device";
    case S_IFBLK:
        return "a block device";
    default:
        return "an unknown kind of file";
    }
}

Error notRegularFile(const char* operation, const Address& address, mode_t mode, const std::string& path)
{
    return invalidArgument(operation, address,
                           "not a regular file (" + (path.empty() ? "" : path + " is ") + fileTypeName(mode) + ")");
}

std::string userName(uid_t uid)
{
    // getpwuid_r: reentrant (getpwuid's static buffer is not thread-safe); ERANGE asks for more room.
    std::vector<char> buffer(1024);
    for (;;) {
        passwd entry = {};
        passwd* result = nullptr;
        const int err = ::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &result);
        if (err == ERANGE && buffer.size() < (1u << 20)) {
            buffer.resize(buffer.size() * 2);
            continue;
        }
        if (err == 0 && result && result->pw_name)
            return result->pw_name;
        return std::to_string(uid);
    }
}

Result<Located> locateObject(const char* operation, const Address& address, bool followFinalLink)
{
    if (address.kind == Kind::Posix)
        return locatePosix(operation, address);
    return locateFile(operation, address, followFinalLink);
}

Result<UniqueFd> openExistingObject(const char* operation, const Address& address, int accessFlags)
{
    Result<Located> located = locateObject(operation, address, true);
    if (!located)
        return located.error();
    if (!located->entry.valid())
        return errorFromErrno(operation, toString(address), ENOENT);
    if (S_ISLNK(located->info.st_mode)) {
        // Only posix: gets here (file: links were followed): shm_open never follows one either.
        return notRegularFile(operation, address, located->info.st_mode, located->shownPath);
    }
    if (!S_ISREG(located->info.st_mode))
        return notRegularFile(operation, address, located->info.st_mode, located->shownPath);
    // Open the name we checked, then make sure it is still the inode we checked (an entry swapped in
    // between is refused). O_NONBLOCK: if a FIFO were swapped in, open() must not wait for a writer;
    // it changes nothing for a regular file.
    UniqueFd fd(sys::openat(located->directory.get(), located->name.c_str(),
                            accessFlags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    if (!fd.valid())
        return errorFromErrno(operation, toString(address), errno);
    struct stat opened = {};
    if (sys::fstat(fd.get(), &opened) != 0)
        return errorFromErrno(operation, toString(address), errno);
    if (opened.st_dev != located->info.st_dev || opened.st_ino != located->info.st_ino)
        return invalidArgument(operation, address, located->shownPath + " was replaced while it was being opened");
    return fd;
}

} // namespace shmscope::detail
