#include "core/posix/sysvmapping.h"

#include "core/posix/syscalls.h"
#include "core/posix/sysvlockfile.h"

#include <cerrno>
#include <climits>
#include <fcntl.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

namespace shmscope::detail {

namespace {

// shmctl/shmat report a shmid that does not exist (any more) as EINVAL or EIDRM.
Error idError(const char* operation, const Address& address, int err)
{
    if (err == EINVAL || err == EIDRM) {
        Error error = errorFromErrno(operation, toString(address), err, "(no such segment)");
        error.code = ErrorCode::NotFound;
        return error;
    }
    return errorFromErrno(operation, toString(address), err);
}

// The shmid of an address: looked up by key for sysv:, taken as is for sysvid:.
Result<int> resolveId(const char* operation, const Address& address)
{
    if (address.kind == Kind::SysVId) {
        if (address.key > static_cast<std::uint32_t>(INT_MAX)) {
            Error error = invalidArgument(operation, address, "no such segment (a shmid is at most 2147483647)");
            error.code = ErrorCode::NotFound;
            return error;
        }
        return static_cast<int>(address.key);
    }
    if (address.key == IPC_PRIVATE)
        return invalidArgument(operation, address, "key 0 is IPC_PRIVATE, which names no segment (use sysvid:SHMID)");
    const int id = sys::shmget(static_cast<key_t>(address.key), 0, 0);
    if (id < 0)
        return errorFromErrno(operation, toString(address), errno);
    return id;
}

Error copyOnWriteUnsupported(const char* operation, const Address& address)
{
    Error error;
    error.code = ErrorCode::Unsupported;
    error.operation = operation;
    error.object = toString(address);
    error.detail = "System V segments cannot be attached copy-on-write (shmat has no private mode); attach read-only";
    return error;
}

} // namespace

Result<std::unique_ptr<Mapping>> SysVMapping::attachId(const char* operation, const Address& address, int shmid,
                                                       Access access)
{
    if (access == Access::CopyOnWrite)
        return copyOnWriteUnsupported(operation, address);
    struct shmid_ds info = {};
    if (sys::shmctl(shmid, IPC_STAT, &info) != 0)
        return idError(operation, address, errno);
    const auto size = static_cast<std::uint64_t>(info.shm_segsz);
    if (size == 0)
        return invalidArgument(operation, address, "the segment is empty (0 bytes)");
    if (Status fits = checkViewSize(operation, address, size); !fits)
        return fits.error();
    void* view = sys::shmat(shmid, nullptr, access == Access::ReadOnly ? SHM_RDONLY : 0);
    if (view == reinterpret_cast<void*>(-1))
        return idError(operation, address, errno);
    return std::unique_ptr<Mapping>(new SysVMapping(address, access, size, view, shmid));
}

Result<std::unique_ptr<Mapping>> SysVMapping::attach(const Address& address, Access access)
{
    if (access == Access::CopyOnWrite)
        return copyOnWriteUnsupported("attach", address);
    Result<int> id = resolveId("attach", address);
    if (!id)
        return id.error();
    return attachId("attach", address, *id, access);
}

Result<Created> SysVMapping::create(const Address& address, const CreateOptions& options, Access access)
{
    if (address.kind != Kind::SysV)
        return invalidArgument("create", address,
                               "a segment is created by key (sysv:KEY); the kernel chooses the shmid");
    if (address.key == IPC_PRIVATE)
        return invalidArgument("create", address, "key 0 is IPC_PRIVATE; choose a non-zero key");
    if (access == Access::CopyOnWrite)
        return copyOnWriteUnsupported("create", address);
    if (Status mode = checkMode(address, options.mode); !mode)
        return mode.error();
    if (options.size == 0)
        return invalidArgument("create", address, "the size is 0 (a new segment needs a size in bytes)");
    if (Status fits = checkViewSize("create", address, options.size); !fits)
        return fits.error();

    for (int attempt = 0;; ++attempt) {
        // shmget applies the mode bits as given (no umask for System V IPC); IPC_EXCL tells us
        // whether we made the segment.
        const int id = sys::shmget(static_cast<key_t>(address.key), static_cast<std::size_t>(options.size),
                                   IPC_CREAT | IPC_EXCL | static_cast<int>(options.mode));
        if (id < 0) {
            const int err = errno;
            if (err == EINVAL) {
                return invalidArgument("create", address,
                                       "the size " + formatBytes(options.size)
                                           + " is outside the system's limits (SHMMIN..SHMMAX)");
            }
            if (err != EEXIST || options.exclusive)
                return errorFromErrno("create", toString(address), err);
            Result<std::unique_ptr<Mapping>> existing = attach(address, access);
            if (existing)
                return Created { std::move(*existing), true };
            if (existing.error().code != ErrorCode::NotFound || attempt >= 3)
                return existing.error();
            continue;
        }
        auto fail = [&](Error error) -> Result<Created> {
            sys::shmctl(id, IPC_RMID, nullptr);
            return error;
        };
        // Make sure the mode is exactly what was asked for (shmget does not filter it, but say so
        // with a check rather than an assumption).
        struct shmid_ds info = {};
        if (sys::shmctl(id, IPC_STAT, &info) != 0)
            return fail(errorFromErrno("create", toString(address), errno, "while reading the new segment"));
        if ((info.shm_perm.mode & 0777) != options.mode) {
            info.shm_perm.mode = static_cast<decltype(info.shm_perm.mode)>(options.mode);
            if (sys::shmctl(id, IPC_SET, &info) != 0)
                return fail(errorFromErrno("create", toString(address), errno, "while setting the mode"));
        }
        // Segments have no posix_fallocate: their pages are allocated on first touch (bounded by
        // shmall/shmmax, not by the size of /dev/shm).
        Result<std::unique_ptr<Mapping>> mapping = attachId("create", address, id, access);
        if (!mapping)
            return fail(mapping.error());
        return Created { std::move(*mapping), false };
    }
}

Status SysVMapping::remove(const Address& address)
{
    Result<int> id = resolveId("remove", address);
    if (!id)
        return id.error();
    // The permissions tell which lock file is this segment's; IPC_STAT needs read permission, which
    // a remover (owner, creator or root) has unless the owner took it away from itself.
    struct shmid_ds before = {};
    const bool known = sys::shmctl(*id, IPC_STAT, &before) == 0;
    if (sys::shmctl(*id, IPC_RMID, nullptr) != 0)
        return idError("remove", address, errno);
    // Views still attached keep locking the lock file until the segment is really gone; then it goes
    // (now, or in a later sweep).
    if (known)
        removeSysVLockFile(*id, before.shm_perm);
    sweepOrphanSysVLockFiles();
    return {};
}

SysVMapping::~SysVMapping()
{
    if (m_view)
        sys::shmdt(m_view);
}

Result<std::uint64_t> SysVMapping::objectSize() const
{
    struct shmid_ds info = {};
    if (sys::shmctl(m_shmid, IPC_STAT, &info) != 0) {
        Error error = idError("size", m_address, errno);
        if (error.code == ErrorCode::NotFound)
            error.code = ErrorCode::Vanished;
        return error;
    }
    const auto size = static_cast<std::uint64_t>(info.shm_segsz);
    if (info.shm_perm.mode & SHM_DEST) {
        // IPC_RMID was called: the key is gone, the segment lives until the last detach.
        Error error = ownError(ErrorCode::Vanished, "size", "the segment was removed");
        error.currentSize = size;
        return error;
    }
    return size;
}

Status SysVMapping::flush()
{
    return {};
}

Status SysVMapping::remap()
{
    Result<std::uint64_t> size = objectSize();
    if (!size && size.error().code != ErrorCode::Vanished)
        return size.error();
    return {};
}

Result<int> SysVMapping::lockDescriptor()
{
    std::lock_guard<std::mutex> guard(m_lockFileMutex);
    if (m_lockFile.valid())
        return m_lockFile.get();
    Result<UniqueFd> fd = openSysVLockFile(m_address, m_shmid, m_access == Access::ReadWrite);
    if (!fd)
        return fd.error();
    m_lockFile = std::move(*fd);
    return m_lockFile.get();
}

} // namespace shmscope::detail
