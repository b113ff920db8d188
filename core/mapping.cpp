#include "core/mapping.h"

#include "core/backend.h"

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

Status Mapping::writeLocked(std::uint64_t offset, const void* in, std::size_t length, std::chrono::milliseconds timeout)
{
    Result<LockGuard> guard = lock(timeout);
    if (!guard)
        return guard.error();
    return write(offset, in, length);
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
