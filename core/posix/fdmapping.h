#pragma once

#include "core/posix/uniquefd.h"
#include "core/posix/viewmapping.h"

#include <cstdint>
#include <utility>

namespace shmscope::detail {

/// The backend for objects that are a file descriptor plus mmap: POSIX shared memory (posix:,
/// shm_open) and regular files (file:). The descriptor stays open for the view's lifetime: it gives
/// the size (fstat), carries the OFD lock and lets remap() map the object again.
class FdMapping final : public ViewMapping
{
public:
    /// createMapping() for posix: and file: (see core/mapping.h for the contract).
    static Result<Created> create(const Address& address, const CreateOptions& options, Access access);
    /// attachMapping() for posix: and file: (the name found and opened by openExistingObject()).
    static Result<std::unique_ptr<Mapping>> attach(const Address& address, Access access);
    /// removeObject() for posix: and file: (unlink of the name in /dev/shm or of the file). Only a
    /// regular file is removed: a FIFO, socket, device, folder or symlink is refused with the message
    /// attach gives (InvalidArgument, "not a regular file (PATH is a FIFO)") and left as it is; the
    /// file: path is resolved as attach resolves it (locateObject(), core/posix/objectpath.h).
    static Status remove(const Address& address);
    /// remove() only when the name still refers to the object with st_dev/st_ino `device`/`inode`
    /// (checked just before the unlink): what was judged is what is removed. A name that now refers
    /// to another object is refused with InvalidArgument "... was replaced ...", and nothing changes.
    static Status removeIfSame(const Address& address, std::uint64_t device, std::uint64_t inode);

    ~FdMapping() override;

    Result<std::uint64_t> objectSize() const override;
    Status flush() override;
    Status remap() override;
    /// lseek(SEEK_DATA/SEEK_HOLE) on the descriptor (see Mapping::dataExtents()).
    Result<std::vector<Extent>> dataExtents(std::uint64_t offset, std::uint64_t length,
                                            std::size_t maxExtents) const override;

protected:
    Result<int> lockDescriptor() override { return m_fd.get(); }
    int objectDescriptor() const override { return m_fd.get(); }

private:
    /// remove(), and with `expected` (st_dev, st_ino) removeIfSame().
    static Status removeChecked(const Address& address, const std::pair<std::uint64_t, std::uint64_t>* expected);
    /// Maps `size` bytes of `fd` with `access` and wraps the view (the address made canonical).
    static Result<std::unique_ptr<Mapping>> fromDescriptor(const char* operation, const Address& address, UniqueFd fd,
                                                           std::uint64_t size, Access access);
    /// create() for an object that already exists (create-or-attach).
    static Result<Created> openExisting(const Address& address, const CreateOptions& options, Access access);

    FdMapping(Address address, Access access, std::uint64_t size, void* view, UniqueFd fd)
        : ViewMapping(std::move(address), access, size, view)
        , m_fd(std::move(fd))
    { }

    UniqueFd m_fd;
};

} // namespace shmscope::detail
