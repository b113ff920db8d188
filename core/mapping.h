#pragma once

#include "core/address.h"
#include "core/error.h"
#include "core/lockholders.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

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

/// Where a view lies, for the readers of page and cache state (core/pagemap.h, core/viewcard.h) only:
/// they pass these numbers to the OS (/proc/self/pagemap, VirtualQuery, cachestat) and never access
/// the bytes through them (read()/write() are the only way to the bytes).
struct NativeView {
    std::uint64_t address = 0; ///< the virtual address of the view's first byte in this process; 0 for an empty view
    std::uint64_t length = 0; ///< the view's length in bytes (size()); 0 for an empty view
    /// The object's open descriptor (POSIX posix: and file:) or section HANDLE (Windows), borrowed for
    /// the call; -1 where there is none (System V).
    std::intptr_t handle = -1;
};

/// A run of `length` bytes from `offset` (in bytes, from the start of the view).
struct Extent {
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
    friend bool operator==(const Extent&, const Extent&) = default;
};

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
/// Every access to the mapped bytes goes through read()/write() (and exchange(), compareExchange(),
/// hash()), which are fault-safe: when another
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

    /// The address under which ShmScope instances name this object to each other (the key of the
    /// notification bus): address() for every kind but System V, where `sysv:KEY` and `sysvid:ID` reach
    /// the same segment, and the identity is always `sysvid:<shmid>` — the shmid names the segment itself,
    /// while a key can name a new segment after IPC_RMID. Instances attached by either spelling thus
    /// meet on one bus.
    virtual Address identity() const { return m_address; }

    /// The object's current size in bytes as the OS reports it now (fstat, IPC_STAT), which differs
    /// from size() after another process resized it. Errors: Vanished when the object was removed.
    virtual Result<std::uint64_t> objectSize() const = 0;

    /// Copies `length` bytes at `offset` of the view into `out` (caller-owned, at least `length` bytes).
    /// Errors: OutOfRange when offset + length > size() (nothing copied); Vanished when the bytes are no
    /// longer backed (the object shrank: currentSize is set); `out` is then unspecified.
    virtual Status read(std::uint64_t offset, void* out, std::size_t length) const = 0;

    /// Copies `length` bytes from `in` into the view at `offset`, in ascending order. Does not take the
    /// lock: see writeLocked(). Errors: ReadOnly for a read-only view (nothing written); OutOfRange as
    /// read() (nothing written); Vanished as read(); NoSpace when the backing store is full (tmpfs had no
    /// page to give: "No space left on device (ENOSPC) after 8192 of 65536 bytes …"). After Vanished or
    /// NoSpace, Error::bytesWritten is the number of bytes from `offset` that were written — exactly
    /// those, and none after them (every backend writes in order and stops at the first page it cannot
    /// write) — so that a caller can announce the part that changed.
    virtual Status write(std::uint64_t offset, const void* in, std::size_t length) = 0;

    /// Takes the object's cross-process lock (the named mutex of seed 001), waiting at most `timeout`.
    /// A timeout of 0 is a try-lock: one attempt that never waits (POSIX: F_OFD_SETLK, not the waiting
    /// F_OFD_SETLKW; Windows: WaitForSingleObject with 0 ms), failing with Timeout when the lock is
    /// held. The OS releases it if the holder dies; on Windows the next holder is told so through
    /// LockGuard::previousHolderDied() (WAIT_ABANDONED). Errors: Timeout; ReadOnly for a read-only view
    /// (on POSIX a write lock needs a writable descriptor; Windows refuses it the same way). A
    /// copy-on-write view's writes are private, so its lock only serialises the threads of this
    /// process. System V (POSIX): PermissionDenied when the segment's lock file is refused (a file,
    /// FIFO or symlink someone else planted under its name: the message names it and says why).
    /// Protocols (OFD lock on POSIX, named mutex on Windows): core/README.md.
    Result<LockGuard> lock(std::chrono::milliseconds timeout);

    /// Takes the object's lock shared, waiting at most `timeout`: no writer that takes the lock (every
    /// ShmScope writer does: writeLocked(), exchange(), compareExchange()) can be midway while it is held,
    /// so bytes read under it are never half old, half new. Unlike lock() it works on read-only views.
    /// POSIX: an OFD *read* lock (F_RDLCK) on the same byte as lock()'s write lock — readers exclude
    /// writers but not each other (this process's threads are still serialised); it needs only read
    /// access. Windows: lock() itself (the named mutex; readers serialise each other there, and a
    /// read-only view is refused with ReadOnly as by lock()). Copy-on-write views: this process's threads
    /// only (as lock()). Errors: Timeout; ReadOnly (Windows, see above); PermissionDenied on POSIX for a
    /// System V segment the caller may only read (its lock file is for those who may write it, so that
    /// a reader cannot hold the writers off) or whose lock file is refused (as lock()); the OS error.
    Result<LockGuard> readLock(std::chrono::milliseconds timeout);

    /// A search for the processes that hold this object's lock now (see LockHolderSearch). Cheap to make;
    /// call it on the thread that uses the Mapping, run the search where waiting a little does not hurt.
    /// POSIX: the OFD lock has no owner pid (F_OFD_GETLK and /proc/locks report -1), so the search
    /// reads /proc/PID/fdinfo of the open descriptors of the object's lock file (the kernel lists an
    /// open file description's locks there): every process sharing the holding file description is
    /// reported. Processes of other users can only be inspected by root (LockHolders::uninspected).
    /// The default (Windows: a named mutex has no queryable owner) reports LockHolders::searched false.
    virtual LockHolderSearch lockHolderSearch();

    /// lock(timeout), write(), unlock: the way every ShmScope writer changes shared bytes. Errors as
    /// lock() (nothing written) and write() (Error::bytesWritten after a partial write).
    Status writeLocked(std::uint64_t offset, const void* in, std::size_t length, std::chrono::milliseconds timeout);

    /// Replaces `length` bytes at `offset` with those at `in` and copies the bytes that were there
    /// into `old` (caller-owned, at least `length` bytes; must not overlap `in`), all under the
    /// object's lock (lock(timeout)), so that no other ShmScope writer comes between the read and the
    /// write. For an undoable edit: `old` is exactly what the write replaced. On POSIX and Windows the
    /// view is touched directly in one guarded pass (no system call beyond the lock's own).
    /// Errors: ReadOnly; Timeout (the lock); OutOfRange as read(); Vanished as read() (then neither
    /// `old` nor the view's bytes are reliable: a prefix may have been written); NoSpace as write().
    /// After Vanished or NoSpace, Error::bytesWritten is 0 when the fault came while the old bytes were
    /// read (nothing was written: a full tmpfs fails there, as a hole gets its page on the first touch),
    /// or the count of write() when the bytes were written in order; it is unset when an unknown part
    /// of `in` may have reached the view (treat the whole range as changed).
    virtual Status exchange(std::uint64_t offset, const void* in, void* old, std::size_t length,
                            std::chrono::milliseconds timeout);

    /// Under the object's lock (lock(timeout)): copies the `length` bytes at `offset` into `current`
    /// (caller-owned), and if they equal `expected` writes `replacement` there. Returns true when it
    /// wrote; false when the bytes differed — nothing was written and `current` holds the bytes that
    /// are there now (for an undo that must not destroy someone else's newer bytes). `expected`,
    /// `replacement` and `current` each hold `length` bytes; `current` must not overlap the others.
    /// Errors as exchange().
    virtual Result<bool> compareExchange(std::uint64_t offset, const void* expected, const void* replacement,
                                         void* current, std::size_t length, std::chrono::milliseconds timeout);

    /// The hash of the `length` bytes at `offset`: hashBytes(bytes, length, seed) of core/hash.h
    /// (XXH3-64), computed in place over the view — nothing is copied out — where the backend can
    /// touch the view fault-safely (POSIX with the SIGBUS guard, Windows); otherwise through read().
    /// Does not take the lock: a concurrent write gives the hash of a mix of old and new bytes, which
    /// differs from the old hash just the same. Errors: OutOfRange as read(); Vanished as read().
    virtual Result<std::uint64_t> hash(std::uint64_t offset, std::uint64_t length, std::uint64_t seed) const;

    /// Whether the `length` bytes at `offset` equal the `length` bytes at `data` (caller-owned), compared
    /// in place over the view (memcmp under the SIGBUS guard; nothing copied out) where the backend can
    /// touch it fault-safely, otherwise through read() 64 KiB at a time. For diffs: one side is copied,
    /// the other compared where it lies. Does not take the lock. Errors: OutOfRange as read(); Vanished
    /// as read().
    virtual Result<bool> compare(std::uint64_t offset, const void* data, std::size_t length) const;

    /// The parts of [offset, offset + length) that hold data, ascending, merged and clipped to the range;
    /// the rest are holes (never written, read as zeros, and take no memory until touched). At most
    /// `maxExtents` (>= 1) extents are returned: when the result has exactly maxExtents entries, the range
    /// after the last one was not examined (ask again from its end). posix: and file: on Linux ask the
    /// file system (lseek SEEK_DATA/SEEK_HOLE on the descriptor: page granularity on tmpfs, block
    /// granularity on disks; a file system without hole support reports all data); every other kind
    /// (System V, Windows) reports the whole range as data. Finding the holes touches no page, so a
    /// scan that skips them does not make the kernel allocate memory for them (reading a tmpfs hole
    /// does). The extents are the object's: a copy-on-write view's private pages inside a hole of a
    /// file on disk are not reported (on tmpfs, the private write allocates the object's page too).
    /// Errors: OutOfRange as read(); a failed lseek as its errno (Vanished when the object is now
    /// smaller than `offset`).
    virtual Result<std::vector<Extent>> dataExtents(std::uint64_t offset, std::uint64_t length,
                                                    std::size_t maxExtents) const;

    /// Writes dirty pages of a file-backed view to the file and waits (msync MS_SYNC; on Windows
    /// FlushViewOfFile + FlushFileBuffers). A no-op success for memory-backed objects.
    virtual Status flush() = 0;

    /// Calls `inspect` with where the view lies (NativeView) while remap() cannot replace it (it
    /// waits), and returns what `inspect` returns. For the page-state readers (core/pagemap.h); the
    /// address must not be dereferenced. The default (a backend without a view in this process)
    /// returns Unsupported without calling `inspect`.
    virtual Status inspectView(const std::function<Status(const NativeView&)>& inspect) const;

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
    /// Backend hook for readLock(): acquire shared within timeout. The default is acquireLock() (an
    /// exclusive lock is a valid, if stricter, shared one), which refuses read-only views.
    virtual Status acquireReadLock(std::chrono::milliseconds timeout, bool& previousHolderDied)
    {
        return acquireLock(timeout, previousHolderDied);
    }
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
/// An object of 0 bytes (POSIX: created but not yet sized, or truncated to nothing; an empty file)
/// gets an empty view (size() 0, nothing mapped) that remap() maps once the object has grown; a
/// Windows file of 0 bytes cannot be mapped and is refused with InvalidArgument.
/// Errors: NotFound, PermissionDenied, InvalidArgument (an empty Windows file), Unsupported.
Result<std::unique_ptr<Mapping>> attachMapping(const Address& address, Access access);

/// Removes the object's name: shm_unlink, IPC_RMID (the segment lives until the last detach), or
/// unlink for a file. Views already attached stay valid. Errors: NotFound, PermissionDenied;
/// Unsupported for win: (a Windows section has no name to remove: it goes away with its last handle).
/// A Windows file is deleted with POSIX semantics where the system has them (the name goes at once);
/// elsewhere, and always under Wine, a file that is still mapped keeps its name until its last view
/// closes ("delete pending").
Status removeObject(const Address& address);

} // namespace shmscope
