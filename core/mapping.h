#pragma once

#include "core/address.h"
#include "core/error.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace shmscope {

/// How a view maps the object.
enum class Access {
    ReadWrite, ///< shared view: writes reach the object and every other view (MAP_SHARED, FILE_MAP_ALL_ACCESS)
    ReadOnly, ///< writes are refused with ErrorCode::ReadOnly (PROT_READ, FILE_MAP_READ)
    CopyOnWrite, ///< private view: writes stay in this view (MAP_PRIVATE, FILE_MAP_COPY); needs read access only
};

/// "read-write", "read-only", "copy-on-write".
std::string_view accessName(Access access);

/// Options for createMapping().
struct CreateOptions {
    std::uint64_t size = 0; ///< bytes; must be > 0 except for Kind::File, where 0 means "the file's own size"
    std::uint32_t mode = 0600; ///< permission bits, applied exactly (the umask does not filter them)
    bool exclusive = true; ///< true: fail with AlreadyExists if the object exists; false: create-or-attach
};

class Mapping;

/// Holds a Mapping's cross-process lock; releases it when destroyed or on unlock(). Move-only.
/// The Mapping must outlive the guard.
class LockGuard
{
public:
    LockGuard() = default;
    LockGuard(LockGuard&& other) noexcept;
    LockGuard& operator=(LockGuard&& other) noexcept;
    LockGuard(const LockGuard&) = delete;
    LockGuard& operator=(const LockGuard&) = delete;
    ~LockGuard();

    /// True while this guard holds the lock.
    bool ownsLock() const { return m_mapping != nullptr; }
    /// True when the previous holder died holding the lock (Windows WAIT_ABANDONED). POSIX OFD locks
    /// are released silently by the kernel, so this is always false there.
    bool previousHolderDied() const { return m_previousHolderDied; }
    /// Releases the lock now (idempotent).
    void unlock();

private:
    friend class Mapping;
    LockGuard(Mapping* mapping, bool previousHolderDied)
        : m_mapping(mapping)
        , m_previousHolderDied(previousHolderDied)
    { }
    Mapping* m_mapping = nullptr;
    bool m_previousHolderDied = false;
};

/// A view of a named shared-memory object, attached in this process. Created by createMapping() or
/// attachMapping(); detached (unmapped, handles closed) when destroyed. Not copyable.
///
/// Every access to the mapped bytes goes through read()/write(), which are fault-safe: when another
/// process truncates or removes the object, or the backing store is full, they return an error
/// (ErrorCode::Vanished with Error::currentSize) instead of raising SIGBUS / EXCEPTION_IN_PAGE_ERROR.
/// There is deliberately no raw pointer to the view.
///
/// Thread safety: read() and write() may be called from several threads; lock() serialises threads
/// of this process as well as other processes.
class Mapping
{
public:
    virtual ~Mapping() = default;
    Mapping(const Mapping&) = delete;
    Mapping& operator=(const Mapping&) = delete;

    /// The object's canonical address (file paths made absolute).
    const Address& address() const { return m_address; }
    /// The access this view was attached with.
    Access access() const { return m_access; }
    /// The size of this view in bytes (the object's size when it was attached or last remapped).
    std::uint64_t size() const { return m_size; }
    /// Whether size() and objectSize() are the object's exact size in bytes. True for every POSIX
    /// kind and for file:. A win: section attached by name reports its exact size where the system
    /// tells it (NtQuerySection); where it does not, the size is the view's, rounded up to the page
    /// (VirtualQuery), and this is false — the UI and CLI then say "at least N bytes".
    virtual bool sizeIsExact() const { return true; }

    /// The object's current size in bytes as the OS reports it now (fstat, IPC_STAT), which differs
    /// from size() after another process resized it. Errors: Vanished when the object was removed.
    virtual Result<std::uint64_t> objectSize() const = 0;

    /// Copies `length` bytes at `offset` of the view into `out` (caller-owned, at least `length` bytes).
    /// Errors: OutOfRange when offset + length > size() (nothing copied); Vanished when the bytes are no
    /// longer backed (the object shrank: currentSize is set); `out` is then unspecified.
    virtual Status read(std::uint64_t offset, void* out, std::size_t length) const = 0;

    /// Copies `length` bytes from `in` into the view at `offset`. Does not take the lock: see
    /// writeLocked(). Errors: ReadOnly for a read-only view (nothing written); OutOfRange as read();
    /// Vanished as read() (a prefix may have been written); NoSpace when the backing store is full.
    virtual Status write(std::uint64_t offset, const void* in, std::size_t length) = 0;

    /// Takes the object's cross-process lock (the named mutex of seed 001), waiting at most `timeout`.
    /// The OS releases it if the holder dies; on Windows the next holder is told so through
    /// LockGuard::previousHolderDied() (WAIT_ABANDONED). Errors: Timeout; ReadOnly for a read-only view
    /// (on POSIX a write lock needs a writable descriptor; Windows refuses it the same way). A
    /// copy-on-write view's writes are private, so its lock only serialises the threads of this
    /// process. Protocols (OFD lock on POSIX, named mutex on Windows): core/README.md.
    Result<LockGuard> lock(std::chrono::milliseconds timeout);

    /// lock(timeout), write(), unlock: the way every ShmScope writer changes shared bytes.
    Status writeLocked(std::uint64_t offset, const void* in, std::size_t length, std::chrono::milliseconds timeout);

    /// Writes dirty pages of a file-backed view to the file and waits (msync MS_SYNC; on Windows
    /// FlushViewOfFile + FlushFileBuffers). A no-op success for memory-backed objects.
    virtual Status flush() = 0;

    /// Maps the view again at the object's current size (after another process grew or shrank it).
    /// On success size() is the new size (0 when the object was truncated to nothing; the view is then
    /// empty until the next remap()); on error the old view stays attached. read()/write() in other
    /// threads wait while the view is swapped. A copy-on-write view loses its private changes.
    virtual Status remap() = 0;

protected:
    Mapping(Address address, Access access, std::uint64_t size)
        : m_address(std::move(address))
        , m_access(access)
        , m_size(size)
    { }
    /// Backend hook for lock(): acquire within timeout; set previousHolderDied when the OS says so.
    virtual Status acquireLock(std::chrono::milliseconds timeout, bool& previousHolderDied) = 0;
    /// Backend hook for LockGuard: release the lock taken by acquireLock().
    virtual void releaseLock() = 0;

    Address m_address;
    Access m_access;
    std::uint64_t m_size;

private:
    friend class LockGuard;
};

/// What createMapping() returns.
struct Created {
    std::unique_ptr<Mapping> mapping; ///< the attached view (owned by the caller)
    bool existed = false; ///< true when create-or-attach found an existing object (ERROR_ALREADY_EXISTS, seed 004)
};

/// Creates the object at `address` and attaches a view with `access`.
///  - posix: shm_open(O_CREAT|O_EXCL), fchmod(mode), ftruncate, then posix_fallocate so that a full
///    /dev/shm is NoSpace here rather than SIGBUS later.
///  - file: creates the file or grows it to `size` (never shrinks it); size 0 maps the file's own size.
///  - sysv: shmget(key, size, IPC_CREAT|IPC_EXCL|mode).
///  - win (Windows): CreateFileMapping(INVALID_HANDLE_VALUE, …), a pagefile-backed section named
///    `Local\name` (the default) or `Global\name`; an existing one (ERROR_ALREADY_EXISTS) keeps its
///    size. `mode` is not applied (the default security descriptor is used) but must still be
///    within 0777. The section lives while any handle or view of it exists, in any process.
///  - file on Windows: CreateFile + CreateFileMapping of the file (seed 000), growing it as above.
/// With options.exclusive == false an existing object is attached at its existing size and
/// Created::existed is true. Errors: InvalidArgument (size 0 where needed, size beyond the address
/// space, a kind that cannot be created such as sysvid:), AlreadyExists, PermissionDenied, NoSpace,
/// Unsupported. A failed create leaves no object behind.
Result<Created> createMapping(const Address& address, const CreateOptions& options, Access access = Access::ReadWrite);

/// Attaches a view of an existing object with `access`, at the object's exact current size (for a
/// win: section: OpenFileMapping + MapViewOfFile with FILE_MAP_WRITE|FILE_MAP_READ, FILE_MAP_READ or
/// FILE_MAP_COPY, at the size NtQuerySection reports, else the page-rounded view: see sizeIsExact()).
/// Errors: NotFound, PermissionDenied, InvalidArgument (a zero-size object), Unsupported.
Result<std::unique_ptr<Mapping>> attachMapping(const Address& address, Access access);

/// Removes the object's name: shm_unlink, IPC_RMID (the segment lives until the last detach), or
/// unlink for a file. Views already attached stay valid. Errors: NotFound, PermissionDenied;
/// Unsupported for win: (a Windows section has no name to remove: it goes away with its last handle).
/// A Windows file is deleted with POSIX semantics where the system has them (the name goes at once);
/// elsewhere, and always under Wine, a file that is still mapped keeps its name until its last view
/// closes ("delete pending").
Status removeObject(const Address& address);

} // namespace shmscope
