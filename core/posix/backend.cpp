#include "core/backend.h"

#include "core/posix/fdmapping.h"
#include "core/posix/sysvmapping.h"

// The POSIX platform: posix: and file: are a descriptor plus mmap, sysv: and sysvid: are System V
// segments. win: has no backend here (ErrorCode::Unsupported).

namespace shmscope::detail {

const Backend* backendFor(Kind kind)
{
    static const Backend fd { &FdMapping::create, &FdMapping::attach, &FdMapping::remove };
    static const Backend sysv { &SysVMapping::create, &SysVMapping::attach, &SysVMapping::remove };
    switch (kind) {
    case Kind::Posix:
    case Kind::File:
        return &fd;
    case Kind::SysV:
    case Kind::SysVId:
        return &sysv;
    case Kind::Win:
        return nullptr;
    }
    return nullptr;
}

} // namespace shmscope::detail
