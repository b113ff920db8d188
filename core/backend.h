#pragma once

// Internal to shmscope_core: how mapping.cpp reaches the platform's backends. Each platform's
// sources (posix/backend.cpp on Unix; a Windows backend later) define backendFor().

#include "core/mapping.h"

namespace shmscope::detail {

/// The operations of one backend. Addresses passed in are already validated (parseAddress rules).
struct Backend {
    Result<Created> (*create)(const Address& address, const CreateOptions& options, Access access);
    Result<std::unique_ptr<Mapping>> (*attach)(const Address& address, Access access);
    Status (*remove)(const Address& address);
};

/// InvalidArgument (operation `operation`) unless `address` is one parseAddress() would produce:
/// callers may fill an Address in by hand, and backends must only see valid names (a posix: name
/// with "/../" would otherwise reach outside /dev/shm).
Status validateAddress(const char* operation, const Address& address);

/// The backend that serves `kind` on this platform, or nullptr when the platform has none
/// (createMapping() & co. then fail with ErrorCode::Unsupported).
const Backend* backendFor(Kind kind);

} // namespace shmscope::detail
