#include "core/mapping.h"

#include "core/backend.h"
#include "core/hash.h"
#include "core/scansource.h"
#include "core/viewchecks.h"

#include <algorithm>
#include <cstring>

namespace shmscope {

std::string_view accessName(Access access)
{
    switch (access) {
    case Access::ReadWrite:
        return "read-write";
    case Access::ReadOnly:
        return "read-only";
    case Access::CopyOnWrite:
        return "copy-on-write";
    }
    return "unknown";
}

LockGuard::LockGuard(LockGuard&& other) noexcept
    : m_mapping(other.m_mapping)
    , m_previousHolderDied(other.m_previousHolderDied)
{
    other.m_mapping = nullptr;
}

LockGuard& LockGuard::operator=(LockGuard&& other) noexcept
{
    if (this != &other) {
        unlock();
        m_mapping = other.m_mapping;
        m_previousHolderDied = other.m_previousHolderDied;
        other.m_mapping = nullptr;
    }
    return *this;
}

LockGuard::~LockGuard()
{
    unlock();
}

void LockGuard::unlock()
{
    if (m_mapping) {
        m_mapping->releaseLock();
        m_mapping = nullptr;
    }
}

Result<LockGuard> Mapping::lock(std::chrono::milliseconds timeout)
{
    bool previousHolderDied = false;
    Status status = acquireLock(
        timeout < std::chrono::milliseconds::zero() ? std::chrono::milliseconds::zero() : timeout, previousHolderDied);
    if (!status)
        return status.error();
    return LockGuard(this, previousHolderDied);
}

Result<LockGuard> Mapping::readLock(std::chrono::milliseconds timeout)
{
    bool previousHolderDied = false;
    Status status = acquireReadLock(
        timeout < std::chrono::milliseconds::zero() ? std::chrono::milliseconds::zero() : timeout, previousHolderDied);
    if (!status)
        return status.error();
    return LockGuard(this, previousHolderDied);
}

Status Mapping::writeLocked(std::uint64_t offset, const void* in, std::size_t length, std::chrono::milliseconds timeout)
{
    Result<LockGuard> guard = lock(timeout);
    if (!guard)
        return guard.error();
    return write(offset, in, length);
}

LockHolderSearch Mapping::lockHolderSearch()
{
    return [] { return LockHolders {}; };
}

Status Mapping::inspectView(const std::function<Status(const NativeView&)>&) const
{
    return detail::ownError(ErrorCode::Unsupported, "pages", m_address, "this view's pages cannot be inspected here");
}

// The defaults below are built on lock()/read()/write() and copy through a buffer; the POSIX and
// Windows backends override them to touch the view in one guarded pass.

Status Mapping::exchange(std::uint64_t offset, const void* in, void* old, std::size_t length,
                         std::chrono::milliseconds timeout)
{
    if (m_access == Access::ReadOnly)
        return detail::ownError(ErrorCode::ReadOnly, "exchange", m_address, "the view is read-only");
    Result<LockGuard> guard = lock(timeout);
    if (!guard)
        return guard.error();
    if (Status status = read(offset, old, length); !status)
        return status;
    return write(offset, in, length);
}

Result<bool> Mapping::compareExchange(std::uint64_t offset, const void* expected, const void* replacement,
                                      void* current, std::size_t length, std::chrono::milliseconds timeout)
{
    if (m_access == Access::ReadOnly)
        return detail::ownError(ErrorCode::ReadOnly, "compare-exchange", m_address, "the view is read-only");
    Result<LockGuard> guard = lock(timeout);
    if (!guard)
        return guard.error();
    if (Status status = read(offset, current, length); !status)
        return status.error();
    if (length != 0 && std::memcmp(current, expected, length) != 0)
        return false;
    if (Status status = write(offset, replacement, length); !status)
        return status.error();
    return true;
}

Result<std::uint64_t> Mapping::hash(std::uint64_t offset, std::uint64_t length, std::uint64_t seed) const
{
    if (Status range = detail::checkRange("hash", m_address, offset, length, m_size); !range)
        return range.error();
    StreamingHash hasher(seed);
    std::vector<char> buffer(static_cast<std::size_t>(std::min<std::uint64_t>(length, 64 * 1024)));
    while (length > 0) {
        const auto chunk = static_cast<std::size_t>(std::min<std::uint64_t>(length, buffer.size()));
        if (Status status = read(offset, buffer.data(), chunk); !status)
            return status.error();
        hasher.update(buffer.data(), chunk);
        offset += chunk;
        length -= chunk;
    }
    return hasher.digest();
}

Result<bool> Mapping::compare(std::uint64_t offset, const void* data, std::size_t length) const
{
    if (Status range = detail::checkRange("read", m_address, offset, length, m_size); !range)
        return range.error();
    return equalsByReading([this](std::uint64_t at, void* out, std::size_t n) { return read(at, out, n); }, offset,
                           data, length);
}

Result<std::vector<Extent>> Mapping::dataExtents(std::uint64_t offset, std::uint64_t length, std::size_t) const
{
    if (Status range = detail::checkRange("data extents", m_address, offset, length, m_size); !range)
        return range.error();
    std::vector<Extent> extents;
    if (length > 0)
        extents.push_back({ offset, length });
    return extents;
}

namespace {

Error unsupported(const char* operation, const Address& address)
{
    Error error;
    error.code = ErrorCode::Unsupported;
    error.operation = operation;
    error.object = toString(address);
    error.detail = std::string(kindName(address.kind)) + ": objects are not supported on this platform";
    return error;
}

} // namespace

Status detail::validateAddress(const char* operation, const Address& address)
{
    Result<Address> parsed = parseAddress(toString(address));
    if (parsed && *parsed == address)
        return {};
    Error error;
    error.code = ErrorCode::InvalidArgument;
    error.operation = operation;
    error.object = toString(address);
    error.detail
        = parsed ? "the address is not in canonical form (expected " + toString(*parsed) + ")" : parsed.error().detail;
    return error;
}

Result<Created> createMapping(const Address& address, const CreateOptions& options, Access access)
{
    if (Status valid = detail::validateAddress("create", address); !valid)
        return valid.error();
    const detail::Backend* backend = detail::backendFor(address.kind);
    if (!backend || !backend->create)
        return unsupported("create", address);
    return backend->create(address, options, access);
}

Result<std::unique_ptr<Mapping>> attachMapping(const Address& address, Access access)
{
    if (Status valid = detail::validateAddress("attach", address); !valid)
        return valid.error();
    const detail::Backend* backend = detail::backendFor(address.kind);
    if (!backend || !backend->attach)
        return unsupported("attach", address);
    return backend->attach(address, access);
}

Status removeObject(const Address& address)
{
    if (Status valid = detail::validateAddress("remove", address); !valid)
        return valid.error();
    const detail::Backend* backend = detail::backendFor(address.kind);
    if (!backend || !backend->remove)
        return unsupported("remove", address);
    return backend->remove(address);
}

} // namespace shmscope
