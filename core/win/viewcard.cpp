// The mapping card on Windows (core/viewcard.h): what Windows lets a user process see. smaps is Linux's;
// dirty pages of a file are known to the memory manager only (RAMMap, as administrator).

#include "core/viewcard.h"

#include "core/mapping.h"

namespace shmscope {

namespace {

Error notObservable(const std::string& operation, const std::string& object, const char* why)
{
    Error error;
    error.code = ErrorCode::Unsupported;
    error.operation = operation;
    error.object = object;
    error.detail = why;
    return error;
}

} // namespace

Result<SmapsCounters> readSmaps(const ProcessView& view)
{
    return notObservable("smaps", "pid " + std::to_string(view.pid), "(/proc/PID/smaps is Linux's)");
}

std::string backingOf(const ProcessView& view)
{
    return view.path.rfind("win:", 0) == 0 ? "pagefile" : "data file";
}

Result<CacheState> cacheState(const Mapping& mapping)
{
    return notObservable("cache state", toString(mapping.address()),
                         "(not observable: Windows shows a file's dirty pages to administrators only (RAMMap))");
}

void setCachestatDisabledForTesting(bool) { }

} // namespace shmscope
