#include "core/backend.h"
#include "core/catalog.h"

// Platforms without a backend yet (the Windows backend arrives with the mingw-w64 issue): the core
// still builds and links, and every operation fails with ErrorCode::Unsupported, as win: does on
// Linux. Compiled only when no platform directory applies (see CMakeLists.txt).

namespace shmscope {

namespace detail {

const Backend* backendFor(Kind)
{
    return nullptr;
}

} // namespace detail

namespace {

Error unsupported(const char* operation, std::string object)
{
    Error error;
    error.code = ErrorCode::Unsupported;
    error.operation = operation;
    error.object = std::move(object);
    error.detail = "shared memory is not supported on this platform yet";
    return error;
}

} // namespace

Result<std::vector<ObjectInfo>> listObjects()
{
    return unsupported("list", {});
}

Result<Inventory> takeInventory(const InventoryOptions&)
{
    return detail::objectsOnlyInventory();
}

Result<ObjectInfo> describeObject(const Address& address)
{
    return unsupported("describe", toString(address));
}

Result<ObjectInfo> lookUpObject(const Address& address)
{
    return unsupported("describe", toString(address));
}

} // namespace shmscope
