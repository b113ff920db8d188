#pragma once

#include "core/mapping.h"
#include "core/posix/ofdlock.h"
#include "core/viewchecks.h"

#include <shared_mutex>

namespace shmscope::detail {

/// What the POSIX backends (fd-based and System V) share: a view mapped at m_view, bounds checks,
/// fault-safe copies in read()/write() with the error reporting for a shrunk or full object, and the
/// lock (OfdLock on the descriptor a backend provides).
class ViewMapping : public Mapping
{
public:
    Status read(std::uint64_t offset, void* out, std::size_t length) const override;
    Status write(std::uint64_t offset, const void* in, std::size_t length) override;
    /// One guarded pass over the view under the lock (SignalGuard); the kernel-copy methods read, then write.
    Status exchange(std::uint64_t offset, const void* in, void* old, std::size_t length,
                    std::chrono::milliseconds timeout) override;
    /// As exchange(): one guarded copy, compare and write under the lock.
    Result<bool> compareExchange(std::uint64_t offset, const void* expected, const void* replacement, void* current,
                                 std::size_t length, std::chrono::milliseconds timeout) override;
    /// The processes holding the OFD lock on lockDescriptor() (findOfdLockHolders(), /proc fdinfo);
    /// copy-on-write views (a lock of this process's threads only) and a lock file that cannot be
    /// opened report LockHolders::searched false.
    LockHolderSearch lockHolderSearch() override;
    /// XXH3 in place over the view (SignalGuard); the kernel-copy methods hash 64 KiB copies.
    Result<std::uint64_t> hash(std::uint64_t offset, std::uint64_t length, std::uint64_t seed) const override;
    /// memcmp in place over the view (SignalGuard); the kernel-copy methods compare 64 KiB copies.
    Result<bool> compare(std::uint64_t offset, const void* data, std::size_t length) const override;
    /// m_view and m_size under m_viewMutex (shared), with objectDescriptor() as the handle.
    Status inspectView(const std::function<Status(const NativeView&)>& inspect) const override;

protected:
    ViewMapping(Address address, Access access, std::uint64_t size, void* view)
        : Mapping(std::move(address), access, size)
        , m_view(view)
    { }

    /// The descriptor on which the cross-process OFD lock is taken: open for writing on read-write views
    /// (a write lock needs it), for reading at least on read-only ones (readLock()).
    virtual Result<int> lockDescriptor() = 0;
    /// The object's own descriptor (posix:, file:), or -1 where there is none (System V).
    virtual int objectDescriptor() const { return -1; }

    Status acquireLock(std::chrono::milliseconds timeout, bool& previousHolderDied) override;
    /// An OFD read lock (F_RDLCK) on lockDescriptor(), which read-only views may take too (the object's
    /// descriptor is open for reading; a System V segment's lock file only for users who may write the
    /// segment: see core/posix/sysvlockfile.h); copy-on-write views: this process's threads only.
    Status acquireReadLock(std::chrono::milliseconds timeout, bool& previousHolderDied) override;
    void releaseLock() override;

    /// An Error for `operation` on this object, without an errno ("write posix:/x: DETAIL").
    Error ownError(ErrorCode code, const char* operation, std::string detail) const;

    void* m_view = nullptr; ///< start of the view (m_size bytes); nullptr when m_size is 0
    /// read()/write() hold it shared while they use m_view and m_size; remap() holds it exclusively
    /// while it swaps them, so threads reading the view never see a half-replaced one.
    mutable std::shared_mutex m_viewMutex;

private:
    Error faultError(const char* operation, bool writing, std::uint64_t faultOffset, int err) const;
    /// Runs `body(context)` over the view bytes [offset, offset + length) under the SIGBUS guard; on a
    /// fault, the error for `operation` (faultError). The caller holds m_viewMutex and checked the range.
    Status guarded(const char* operation, bool writing, std::uint64_t offset, std::uint64_t length, void (*body)(void*),
                   void* context) const;

    OfdLock m_lock;
};

// maxViewSize(), checkViewSize(), checkMode(), invalidArgument(): core/viewchecks.h (shared with win/).

} // namespace shmscope::detail
