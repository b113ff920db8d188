#pragma once

#include "core/posix/uniquefd.h"
#include "core/posix/viewmapping.h"

#include <mutex>
#include <string>

namespace shmscope::detail {

/// The backend for System V segments (sysv: by key, sysvid: by shmid): shmget/shmat/shmctl.
/// Segments cannot shrink, so a view never loses pages while attached (IPC_RMID only removes the
/// key; the segment lives until the last detach). Copy-on-write views are not possible: shmat has
/// no private mode. A segment has no descriptor to take an OFD lock on, so the lock lives on the
/// file sysvLockFilePath(shmid) (core/posix/sysvlockfile.h), opened on the first lock().
class SysVMapping final : public ViewMapping
{
public:
    /// createMapping() for sysv: (sysvid: cannot be created: the kernel chooses the shmid).
    static Result<Created> create(const Address& address, const CreateOptions& options, Access access);
    /// attachMapping() for sysv: and sysvid:.
    static Result<std::unique_ptr<Mapping>> attach(const Address& address, Access access);
    /// removeObject() for sysv: and sysvid: (IPC_RMID; the lock file goes once the segment is gone,
    /// and the caller's orphaned lock files are swept: sweepOrphanSysVLockFiles()).
    static Status remove(const Address& address);

    ~SysVMapping() override;

    Result<std::uint64_t> objectSize() const override;
    /// `sysvid:<shmid>`, whichever address attached it (see Mapping::identity()).
    Address identity() const override { return Address { Kind::SysVId, {}, static_cast<std::uint32_t>(m_shmid) }; }
    /// A no-op success: segments are memory only.
    Status flush() override;
    /// Checks that the segment is still there; its size cannot change.
    Status remap() override;

protected:
    /// The lock file, opened (or created) and checked by openSysVLockFile() on first use.
    Result<int> lockDescriptor() override;

private:
    SysVMapping(Address address, Access access, std::uint64_t size, void* view, int shmid)
        : ViewMapping(std::move(address), access, size, view)
        , m_shmid(shmid)
    { }
    static Result<std::unique_ptr<Mapping>> attachId(const char* operation, const Address& address, int shmid,
                                                     Access access);

    int m_shmid;
    std::mutex m_lockFileMutex; ///< guards opening m_lockFile
    UniqueFd m_lockFile;
};

} // namespace shmscope::detail
