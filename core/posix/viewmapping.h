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

protected:
    ViewMapping(Address address, Access access, std::uint64_t size, void* view)
        : Mapping(std::move(address), access, size)
        , m_view(view)
    { }

    /// The descriptor, open for writing, on which the cross-process OFD lock is taken.
    virtual Result<int> lockDescriptor() = 0;

    Status acquireLock(std::chrono::milliseconds timeout, bool& previousHolderDied) override;
    void releaseLock() override;

    /// An Error for `operation` on this object, without an errno ("write posix:/x: DETAIL").
    Error ownError(ErrorCode code, const char* operation, std::string detail) const;

    void* m_view = nullptr; ///< start of the view (m_size bytes); nullptr when m_size is 0
    /// read()/write() hold it shared while they use m_view and m_size; remap() holds it exclusively
    /// while it swaps them, so threads reading the view never see a half-replaced one.
    mutable std::shared_mutex m_viewMutex;

private:
    Error faultError(const char* operation, bool writing, std::uint64_t faultOffset, int err) const;

    OfdLock m_lock;
};

// maxViewSize(), checkViewSize(), checkMode(), invalidArgument(): core/viewchecks.h (shared with win/).

} // namespace shmscope::detail
