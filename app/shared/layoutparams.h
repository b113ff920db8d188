#pragma once

// A layout's root parameter read from another mapping (`-shm-param`, structures/README.md): seed 001's
// StarLeeSharedMemorySize holds the size of StarLeeSharedMemory. Shared by `shmscope-cli decode/write
// --layout` and the GUI's Structure panel. Qt-free (core + structures); compiled into both executables.

#include "core/address.h"
#include "core/error.h"
#include "structures/decoder.h"

namespace shmscope {

/// The address of the mapping `source` names: as written when it has a kind ("posix:/X"); a bare name
/// takes the kind of `object`, the mapping being decoded (posix: "/NAME", win: "Local\NAME", others
/// "NAME"). Errors: the core's parseAddress() error for a name that is no address.
Result<Address> paramSourceAddress(const structures::ParamSource& source, const Address& object);

/// Attaches `companion` read-only and reads the integer of type source.type (1–8 bytes, its endianness,
/// sign-extended when signed) at source.offset. Errors: the core's, from attaching or reading.
Result<structures::Value> readParamSource(const structures::ParamSource& source, const Address& companion);

} // namespace shmscope
