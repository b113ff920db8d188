#pragma once

// The memory passes the fault-safe view operations run over a mapped view, shared by the POSIX
// backend (under the SIGBUS guard, core/posix/sigbusguard.h) and the Windows one (under the vectored
// exception handler, core/win/guardedcopy.h). Each is a plain function of one `void*` context, the
// shape both guards call; each only copies, compares or hashes memory — no locks, no allocation — so
// a fault may abandon it midway. Internal to the core.

#include <cstddef>
#include <cstdint>

namespace shmscope::detail {

/// exchangeBody(): copies `length` bytes of `view` to `old`, then `in` over them. `writing` turns true
/// between the two copies: after a fault it tells whether any byte of `in` can have reached the view
/// (false: the fault came while reading, so nothing was written).
struct ExchangeArgs {
    char* view;
    const void* in;
    void* old; ///< caller-owned, `length` bytes
    std::size_t length;
    volatile bool writing = false;
};
void exchangeBody(void* context);

/// compareExchangeBody(): copies `length` bytes of `view` to `current`; if they equal `expected`,
/// copies `replacement` over them and sets `written`.
struct CompareExchangeArgs {
    char* view;
    const void* expected;
    const void* replacement;
    void* current; ///< caller-owned, `length` bytes
    std::size_t length;
    bool written;
};
void compareExchangeBody(void* context);

/// hashBody(): `hash` = hashBytes(view, length, seed) (core/hash.h: XXH3-64).
struct HashArgs {
    const char* view;
    std::size_t length;
    std::uint64_t seed;
    std::uint64_t hash;
};
void hashBody(void* context);

/// compareBody(): `equal` = the `length` bytes of `view` equal those of `data` (memcmp).
struct CompareArgs {
    const char* view;
    const void* data;
    std::size_t length;
    bool equal;
};
void compareBody(void* context);

} // namespace shmscope::detail
