#include "core/broadcast.h"

// The platform-independent half of the broadcast protocol (names, lParam layout); the window and
// its thread are in win/broadcastchannel.cpp.

namespace shmscope {

namespace {

constexpr int lengthBits = 24;
constexpr std::uint64_t maxLength = (std::uint64_t(1) << lengthBits) - 1;
constexpr std::uint64_t maxOffset = (std::uint64_t(1) << (64 - lengthBits)) - 1;

} // namespace

std::string broadcastMessageName(const Address& address)
{
    return "ShmScope.Changed:" + toString(address);
}

std::string seed004MessageName()
{
    return "CC667211-7CE9-40C5-809A-1DA48E4014C4";
}

std::uint64_t encodeChange(std::uint64_t offset, std::uint64_t length)
{
    if (length == 0 || length > maxLength || offset > maxOffset)
        return 0;
    return (offset << lengthBits) | length;
}

ChangeNotice decodeChange(std::uint64_t lParam)
{
    ChangeNotice notice;
    if (lParam == 0)
        return notice;
    notice.whole = false;
    notice.offset = lParam >> lengthBits;
    notice.length = lParam & maxLength;
    return notice;
}

#ifndef _WIN32
Result<std::unique_ptr<BroadcastChannel>> BroadcastChannel::open(const std::string& messageName, Handler)
{
    Error error;
    error.code = ErrorCode::Unsupported;
    error.operation = "listen";
    error.object = messageName;
    error.detail = "window-message broadcasts exist on Windows only";
    return error;
}
#endif

} // namespace shmscope
