#include "core/pagemap.h"

#include "core/mapping.h"
#include "core/pagemapdetail.h"

namespace shmscope {

std::string_view pageStateName(PageState state)
{
    switch (state) {
    case PageState::NotPresent:
        return "not present";
    case PageState::Shared:
        return "shared";
    case PageState::Exclusive:
        return "exclusive";
    case PageState::PrivateCopy:
        return "private copy";
    case PageState::Swapped:
        return "swapped";
    }
    return "unknown";
}

// The Mapping overloads read this process's view while remap() waits (Mapping::inspectView), so the
// address they pass to the OS is the view's for the whole read.

Result<PageMap> readPages(const Mapping& mapping, std::uint64_t offset, std::uint64_t length)
{
    Result<PageMap> result = Error {};
    const Status status = mapping.inspectView([&](const NativeView& native) -> Status {
        if (offset > native.length || length > native.length - offset)
            return detail::pagesOutOfRange(mapping, offset, length, native.length);
        result = readPages(detail::selfView(native), offset, length);
        return {};
    });
    if (!status)
        return status.error();
    return result;
}

Result<PageSummary> summarisePages(const Mapping& mapping, std::uint64_t offset, std::uint64_t length,
                                   ScanMethod method, unsigned threads)
{
    Result<PageSummary> result = Error {};
    const Status status = mapping.inspectView([&](const NativeView& native) -> Status {
        if (offset > native.length || length > native.length - offset)
            return detail::pagesOutOfRange(mapping, offset, length, native.length);
        result = summarisePages(detail::selfView(native), offset, length, method, threads);
        return {};
    });
    if (!status)
        return status.error();
    return result;
}

namespace detail {

Error pagesOutOfRange(const Mapping& mapping, std::uint64_t offset, std::uint64_t length, std::uint64_t size)
{
    Error error;
    error.code = ErrorCode::OutOfRange;
    error.operation = "pages";
    error.object = toString(mapping.address());
    error.detail = "offset " + std::to_string(offset) + " + length " + std::to_string(length) + " > size "
        + std::to_string(size);
    error.currentSize = size;
    return error;
}

} // namespace detail

} // namespace shmscope
