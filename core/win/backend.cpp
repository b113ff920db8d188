#include "core/backend.h"

#include "core/win/sectionmapping.h"

// The Windows platform: win: is a named pagefile-backed section, file: a file mapped through an
// unnamed section. posix:, sysv: and sysvid: have no backend here (ErrorCode::Unsupported).

namespace shmscope::detail {

const Backend* backendFor(Kind kind)
{
    static const Backend section { &SectionMapping::create, &SectionMapping::attach, &SectionMapping::remove };
    switch (kind) {
    case Kind::Win:
    case Kind::File:
        return &section;
    case Kind::Posix:
    case Kind::SysV:
    case Kind::SysVId:
        return nullptr;
    }
    return nullptr;
}

} // namespace shmscope::detail
