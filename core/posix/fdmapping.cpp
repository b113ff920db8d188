#include "core/posix/fdmapping.h"

#include "core/posix/objectpath.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace shmscope::detail {

namespace {

bool isFile(const Address& address)
{
    return address.kind == Kind::File;
}

// A new object made with O_CREAT|O_EXCL (so that we know we made it), and where its name is, to
// take it away again when the create fails later on.
struct NewObject {
    UniqueFd fd;
    UniqueFd directory; ///< file: the folder holding the name (O_PATH); invalid for posix:
    std::string name; ///< file: the name inside `directory`
};

// shm_open for posix:; for file: the folder is found with the symlink rule of locateObject() and the
// name is created there (O_EXCL never follows a symlink: one in its place is EEXIST). Errors carry the
// errno, EEXIST included.
Result<NewObject> createExclusive(const Address& address, mode_t mode)
{
    NewObject made;
    if (!isFile(address)) {
        made.fd.reset(::shm_open(address.name.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode));
        if (!made.fd.valid())
            return errorFromErrno("create", toString(address), errno);
        return made;
    }
    Result<Located> located = locateObject("create", address, false);
    if (!located)
        return located.error();
    made.fd.reset(::openat(located->directory.get(), located->name.c_str(),
                           O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, mode));
    if (!made.fd.valid())
        return errorFromErrno("create", toString(address), errno);
    made.directory = std::move(located->directory);
    made.name = std::move(located->name);
    return made;
}

void unlinkNew(const Address& address, const NewObject& made)
{
    if (isFile(address))
        ::unlinkat(made.directory.get(), made.name.c_str(), 0);
    else
        ::shm_unlink(address.name.c_str());
}

bool sameFile(int a, int b)
{
    struct stat first = {};
    struct stat second = {};
    return ::fstat(a, &first) == 0 && ::fstat(b, &second) == 0 && first.st_dev == second.st_dev
        && first.st_ino == second.st_ino;
}

int openFlags(Access access)
{
    // Copy-on-write needs read access only: MAP_PRIVATE pages are copied on the first write.
    return access == Access::ReadWrite ? O_RDWR : O_RDONLY;
}

Result<void*> mapView(const char* operation, const Address& address, int fd, std::uint64_t size, Access access)
{
    const int protection = access == Access::ReadOnly ? PROT_READ : PROT_READ | PROT_WRITE;
    const int flags = access == Access::CopyOnWrite ? MAP_PRIVATE : MAP_SHARED;
    void* view = ::mmap(nullptr, static_cast<std::size_t>(size), protection, flags, fd, 0);
    if (view == MAP_FAILED) {
        const int err = errno;
        if (err == ENOMEM) {
            // mmap's ENOMEM is about the address space, not the backing store.
            return invalidArgument(operation, address,
                                   "mapping " + formatBytes(size)
                                       + " does not fit in this process's free address space");
        }
        return errorFromErrno(operation, toString(address), err, "while mapping " + formatBytes(size));
    }
    return view;
}

// file: addresses are shown and compared by absolute path, so two spellings of a path (relative,
// through symlinks) are one object.
Address canonicalAddress(const Address& address)
{
    if (!isFile(address))
        return address;
    Address canonical = address;
    if (char* resolved = ::realpath(address.name.c_str(), nullptr)) {
        canonical.name = resolved;
        std::free(resolved);
    }
    return canonical;
}

// fstat plus the check every view needs: a regular file (a directory, FIFO or device is refused).
Result<std::uint64_t> statSize(const char* operation, const Address& address, int fd)
{
    struct stat info = {};
    if (::fstat(fd, &info) != 0)
        return errorFromErrno(operation, toString(address), errno, "while reading its size (fstat)");
    if (!S_ISREG(info.st_mode))
        return notRegularFile(operation, address, info.st_mode);
    return static_cast<std::uint64_t>(info.st_size);
}

// ftruncate alone does not reserve tmpfs pages: when /dev/shm is full the first write raises SIGBUS.
// posix_fallocate commits them now, so a full store is ENOSPC here (PLATFORM-NOTES; PostgreSQL
// fixed the same crash this way). For files it reserves the disk blocks the same way.
Status growAndReserve(const Address& address, int fd, std::uint64_t from, std::uint64_t to)
{
    if (to <= from)
        return {};
    if (::ftruncate(fd, static_cast<off_t>(to)) != 0)
        return errorFromErrno("create", toString(address), errno, "while setting the size to " + formatBytes(to));
    int err;
    do {
        err = ::posix_fallocate(fd, static_cast<off_t>(from), static_cast<off_t>(to - from));
    } while (err == EINTR);
    if (err != 0) {
        // Give back what ftruncate added: a failed create changes nothing.
        [[maybe_unused]] const int ignored = ::ftruncate(fd, static_cast<off_t>(from));
        return errorFromErrno("create", toString(address), err, "while reserving " + formatBytes(to - from));
    }
    return {};
}

} // namespace

Result<std::unique_ptr<Mapping>> FdMapping::fromDescriptor(const char* operation, const Address& address, UniqueFd fd,
                                                           std::uint64_t size, Access access)
{
    if (Status fits = checkViewSize(operation, address, size); !fits)
        return fits.error();
    // An empty object gets an empty view (no mmap: it cannot map 0 bytes), as remap() leaves one
    // after a truncation to 0; remap() maps it once the object has grown.
    void* view = nullptr;
    if (size > 0) {
        Result<void*> mapped = mapView(operation, address, fd.get(), size, access);
        if (!mapped)
            return mapped.error();
        view = *mapped;
    }
    return std::unique_ptr<Mapping>(new FdMapping(canonicalAddress(address), access, size, view, std::move(fd)));
}

Result<std::unique_ptr<Mapping>> FdMapping::attach(const Address& address, Access access)
{
    Result<UniqueFd> fd = openExistingObject("attach", address, openFlags(access));
    if (!fd)
        return fd.error();
    Result<std::uint64_t> size = statSize("attach", address, fd->get());
    if (!size)
        return size.error();
    return fromDescriptor("attach", address, std::move(*fd), *size, access);
}

Result<Created> FdMapping::openExisting(const Address& address, const CreateOptions& options, Access access)
{
    if (!isFile(address)) {
        // POSIX objects keep their existing size, as CreateFileMapping does on Windows (seed 004).
        Result<UniqueFd> opened = openExistingObject("create", address, openFlags(access));
        if (!opened)
            return opened.error();
        UniqueFd fd = std::move(*opened);
        // Another process may have created the object an instant ago and not yet given it its size
        // (shm_open and ftruncate are two steps): two instances started together on the same object
        // must both succeed, so wait (up to 2 s) for the size before calling the object empty.
        Result<std::uint64_t> size = statSize("create", address, fd.get());
        for (int wait = 0; wait < 200 && size && *size == 0; ++wait) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            size = statSize("create", address, fd.get());
        }
        if (!size)
            return size.error();
        if (*size == 0)
            return invalidArgument("create", address, "the existing object is empty (0 bytes)");
        Result<std::unique_ptr<Mapping>> mapping = fromDescriptor("create", address, std::move(fd), *size, access);
        if (!mapping)
            return mapping.error();
        return Created { std::move(*mapping), true };
    }

    // An existing file grows to the requested size (never shrinks); growing needs write access even
    // when the view will be read-only. A symlink is followed only where locateObject() allows it: one
    // planted in a sticky world-writable folder must not make us grow, or map, another user's file.
    Result<UniqueFd> opened = openExistingObject("create", address, openFlags(access));
    if (!opened)
        return opened.error();
    UniqueFd fd = std::move(*opened);
    Result<std::uint64_t> size = statSize("create", address, fd.get());
    if (!size)
        return size.error();
    std::uint64_t viewSize = *size;
    if (options.size > *size) {
        UniqueFd writable;
        int growFd = fd.get();
        if (access != Access::ReadWrite) {
            Result<UniqueFd> reopened = openExistingObject("create", address, O_RDWR);
            if (!reopened)
                return reopened.error();
            if (!sameFile(fd.get(), reopened->get()))
                return invalidArgument("create", address, "the file was replaced while it was being opened to grow it");
            writable = std::move(*reopened);
            growFd = writable.get();
        }
        if (Status grown = growAndReserve(address, growFd, *size, options.size); !grown)
            return grown.error();
        viewSize = options.size;
    }
    if (viewSize == 0)
        return invalidArgument("create", address, "the file is empty and no size was given");
    Result<std::unique_ptr<Mapping>> mapping = fromDescriptor("create", address, std::move(fd), viewSize, access);
    if (!mapping)
        return mapping.error();
    return Created { std::move(*mapping), true };
}

Result<Created> FdMapping::create(const Address& address, const CreateOptions& options, Access access)
{
    if (Status mode = checkMode(address, options.mode); !mode)
        return mode.error();
    if (Status fits = checkViewSize("create", address, options.size); !fits)
        return fits.error();
    if (options.size == 0 && !isFile(address))
        return invalidArgument("create", address, "the size is 0 (a new object needs a size in bytes)");
    if (options.size == 0 && options.exclusive)
        return invalidArgument("create", address,
                               "the size is 0, which means the file's own size, but a new file is empty");

    // O_EXCL tells us whether we made the object (and may set its mode, or must remove it again on
    // failure). Without it we could not say whether it existed. The loop covers an object removed
    // between our EEXIST and the attach.
    for (int attempt = 0;; ++attempt) {
        Result<NewObject> made = createExclusive(address, static_cast<mode_t>(options.mode));
        if (!made) {
            if (made.error().sysError != EEXIST || options.exclusive)
                return made.error();
            Result<Created> existing = openExisting(address, options, access);
            if (existing || existing.error().code != ErrorCode::NotFound || attempt >= 3)
                return existing;
            continue;
        }

        // From here on the object is ours: any failure removes it again.
        UniqueFd fd = std::move(made->fd);
        auto fail = [&](Error error) -> Result<Created> {
            unlinkNew(address, *made);
            return error;
        };
        // The mode passed to open() was filtered by the umask; fchmod applies it exactly.
        if (::fchmod(fd.get(), static_cast<mode_t>(options.mode)) != 0)
            return fail(errorFromErrno("create", toString(address), errno, "while setting the mode"));
        if (options.size == 0)
            return fail(invalidArgument(
                "create", address, "the size is 0, which means the file's own size, but the file is new and empty"));
        if (Status grown = growAndReserve(address, fd.get(), 0, options.size); !grown)
            return fail(grown.error());
        Result<std::unique_ptr<Mapping>> mapping
            = fromDescriptor("create", address, std::move(fd), options.size, access);
        if (!mapping)
            return fail(mapping.error());
        return Created { std::move(*mapping), false };
    }
}

Status FdMapping::remove(const Address& address)
{
    return removeChecked(address, nullptr);
}

Status FdMapping::removeIfSame(const Address& address, std::uint64_t device, std::uint64_t inode)
{
    const std::pair<std::uint64_t, std::uint64_t> expected { device, inode };
    return removeChecked(address, &expected);
}

Status FdMapping::removeChecked(const Address& address, const std::pair<std::uint64_t, std::uint64_t>* expected)
{
    // Only what attach would take is removed: never a device node, FIFO, socket or folder given by
    // mistake (unlink would take any of them), and never a symlink (unlinking it removes no object).
    Result<Located> located = locateObject("remove", address, false);
    if (!located)
        return located.error();
    if (!located->entry.valid())
        return errorFromErrno("remove", toString(address), ENOENT);
    if (S_ISLNK(located->info.st_mode) && isFile(address)) {
        // attach follows it to the object: say how to reach that one.
        return invalidArgument("remove", address,
                               "not a regular file (" + located->shownPath
                                   + " is a symbolic link; remove the object by its own path, or the link with rm)");
    }
    if (!S_ISREG(located->info.st_mode))
        return notRegularFile("remove", address, located->info.st_mode, located->shownPath);
    if (expected
        && (static_cast<std::uint64_t>(located->info.st_dev) != expected->first
            || static_cast<std::uint64_t>(located->info.st_ino) != expected->second)) {
        return invalidArgument("remove", address, located->shownPath + " was replaced by another object");
    }
    // unlinkat cannot be told "only if it is still this inode": check once more just before it, so
    // that only a swap within that instant (by someone who may write the folder) could slip through.
    struct stat now = {};
    if (::fstatat(located->directory.get(), located->name.c_str(), &now, AT_SYMLINK_NOFOLLOW) != 0)
        return errorFromErrno("remove", toString(address), errno);
    if (now.st_dev != located->info.st_dev || now.st_ino != located->info.st_ino)
        return invalidArgument("remove", address, located->shownPath + " was replaced while it was being removed");
    if (::unlinkat(located->directory.get(), located->name.c_str(), 0) != 0)
        return errorFromErrno("remove", toString(address), errno);
    return {};
}

FdMapping::~FdMapping()
{
    if (m_view)
        ::munmap(m_view, static_cast<std::size_t>(m_size));
}

Result<std::uint64_t> FdMapping::objectSize() const
{
    struct stat info = {};
    if (::fstat(m_fd.get(), &info) != 0)
        return errorFromErrno("size", toString(m_address), errno);
    const auto size = static_cast<std::uint64_t>(info.st_size);
    if (info.st_nlink == 0) {
        // Removed (shm_unlink/unlink) while we hold it: the bytes stay readable through this view,
        // but the object is gone for everyone else.
        Error error = ownError(ErrorCode::Vanished, "size", "the object was removed");
        error.currentSize = size;
        return error;
    }
    return size;
}

Result<std::vector<Extent>> FdMapping::dataExtents(std::uint64_t offset, std::uint64_t length,
                                                   std::size_t maxExtents) const
{
    std::shared_lock<std::shared_mutex> view(m_viewMutex);
    if (Status range = checkRange("data extents", m_address, offset, length, m_size); !range)
        return range.error();
    std::vector<Extent> extents;
    const std::uint64_t end = offset + length;
    std::uint64_t position = offset;
    // lseek moves the descriptor's file offset, which nothing else uses (all I/O goes through the
    // view), and returns the answer itself, so concurrent calls from several threads do not disturb
    // each other. tmpfs answers at page granularity since Linux 3.5; a file system without
    // SEEK_DATA support answers "all data up to the end of file" (lseek(2)).
    while (position < end && extents.size() < std::max<std::size_t>(maxExtents, 1)) {
        const off_t data = ::lseek(m_fd.get(), static_cast<off_t>(position), SEEK_DATA);
        if (data < 0) {
            const int err = errno;
            if (err == ENXIO)
                break; // no data from `position` to the end of the file: the rest is a hole (or gone)
            if (err == EINVAL && extents.empty() && position == offset) {
                extents.push_back({ offset, length }); // SEEK_DATA not supported here: all of it is data
                break;
            }
            return errorFromErrno("data extents", toString(m_address), err,
                                  "while looking for data at offset " + std::to_string(position));
        }
        const auto dataStart = static_cast<std::uint64_t>(data);
        if (dataStart >= end)
            break;
        const off_t hole = ::lseek(m_fd.get(), static_cast<off_t>(dataStart), SEEK_HOLE);
        // ENXIO here means the file shrank between the two calls: the data run ends where it does.
        const std::uint64_t dataEnd
            = hole < 0 ? dataStart : std::min<std::uint64_t>(static_cast<std::uint64_t>(hole), end);
        if (dataEnd > dataStart)
            extents.push_back({ dataStart, dataEnd - dataStart });
        if (hole < 0)
            break;
        position = dataEnd;
    }
    return extents;
}

Status FdMapping::flush()
{
    if (!isFile(m_address) || !m_view || m_access != Access::ReadWrite)
        return {};
    if (::msync(m_view, static_cast<std::size_t>(m_size), MS_SYNC) != 0)
        return errorFromErrno("flush", toString(m_address), errno);
    return {};
}

Status FdMapping::remap()
{
    // Holding the view exclusively for the whole remap keeps size() and the view consistent for
    // read()/write() in other threads; a mapping call is quick.
    std::unique_lock<std::shared_mutex> exclusive(m_viewMutex);
    Result<std::uint64_t> size = statSize("remap", m_address, m_fd.get());
    if (!size)
        return size.error();
    if (Status fits = checkViewSize("remap", m_address, *size); !fits)
        return fits.error();
    void* view = nullptr;
    if (*size > 0) {
        // Map the new view first: on failure the old one stays. A copy-on-write view starts afresh
        // from the object: its private changes are dropped with the old view.
        Result<void*> mapped = mapView("remap", m_address, m_fd.get(), *size, m_access);
        if (!mapped)
            return mapped.error();
        view = *mapped;
    }
    // An object truncated to 0 bytes leaves an empty view (size() == 0) rather than an error: the
    // object still exists and may grow again.
    if (m_view)
        ::munmap(m_view, static_cast<std::size_t>(m_size));
    m_view = view;
    m_size = *size;
    return {};
}

} // namespace shmscope::detail
