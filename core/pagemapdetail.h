#pragma once

// Internal to shmscope_core: what core/pagemap.cpp needs from the platform's page-map reader
// (posix/pagemap.cpp, win/pagemap.cpp).

#include "core/pagemap.h"

namespace shmscope {
struct NativeView;
}

namespace shmscope::detail {

/// This process's view as a ProcessView for readPages()/summarisePages(): pid, start, end (the length
/// rounded up to whole pages), objectOffset 0. The rest (perms, device, inode) is left empty.
ProcessView selfView(const NativeView& native);

/// OutOfRange for "pages" of `mapping`: [offset, offset + length) is not inside its `size` bytes.
Error pagesOutOfRange(const Mapping& mapping, std::uint64_t offset, std::uint64_t length, std::uint64_t size);

} // namespace shmscope::detail
