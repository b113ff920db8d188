#pragma once

// Internal to the Windows backend: win: (pagefile-backed named sections) and file: (a file mapped
// through an unnamed section) — one class, since both are a section handle plus a view.

#include "core/mapping.h"
#include "core/win/mutexlock.h"
#include "core/win/winutil.h"

#include <shared_mutex>

namespace shmscope::detail {

/// A view of a section. For file: it also holds the file handle (the section is unnamed: other
/// processes reach the same bytes through the file). read()/write() go through guardedCopy(); the
/// lock is a MutexLock on lockMutexName().
class SectionMapping final : public Mapping
{
public:
    /// createMapping() for win: and file: (see mapping.h for the contract).
    static Result<Created> create(const Address& address, const CreateOptions& options, Access access);
    /// attachMapping() for win: and file:.
    static Result<std::unique_ptr<Mapping>> attach(const Address& address, Access access);
    /// removeObject(): DeleteFile for file:; Unsupported for an existing win: section (NotFound when
    /// there is none).
    static Status remove(const Address& address);

    ~SectionMapping() override;

    bool sizeIsExact() const override { return m_exact; }
    Result<std::uint64_t> objectSize() const override;
    Status read(std::uint64_t offset, void* out, std::size_t length) const override;
    Status write(std::uint64_t offset, const void* in, std::size_t length) override;
    /// One guardedRun() pass over the view under the lock.
    Status exchange(std::uint64_t offset, const void* in, void* old, std::size_t length,
                    std::chrono::milliseconds timeout) override;
    /// One guardedRun() pass (copy, compare, write) under the lock.
    Result<bool> compareExchange(std::uint64_t offset, const void* expected, const void* replacement, void* current,
                                 std::size_t length, std::chrono::milliseconds timeout) override;
    /// XXH3 in place over the view under guardedRun().
    Result<std::uint64_t> hash(std::uint64_t offset, std::uint64_t length, std::uint64_t seed) const override;
    Status flush() override;
    Status remap() override;
    /// m_view and m_size under m_viewMutex (shared), with the section handle.
    Status inspectView(const std::function<Status(const NativeView&)>& inspect) const override;

protected:
    Status acquireLock(std::chrono::milliseconds timeout, bool& previousHolderDied) override;
    void releaseLock() override;

public:
    /// Takes ownership of `file` (file: only, else empty), `section` and `view` (m_size bytes).
    /// Used by create()/attach() only.
    SectionMapping(Address address, Access access, std::uint64_t size, bool exact, UniqueHandle file,
                   UniqueHandle section, void* view);

private:
    Error faultError(const char* operation, std::uint64_t faultOffset, std::uint32_t exceptionCode,
                     std::int32_t ntStatus) const;

    bool m_exact;
    UniqueHandle m_file; ///< file: only
    UniqueHandle m_section;
    void* m_view; ///< MapViewOfFile of m_section, m_size bytes (nullptr when m_size is 0 after remap)
    /// read()/write() hold it shared while they use m_view and m_size; remap() exclusively.
    mutable std::shared_mutex m_viewMutex;
    MutexLock m_lock;
};

} // namespace shmscope::detail
