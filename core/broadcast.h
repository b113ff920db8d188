#pragma once

// Change notifications between instances on Windows: a registered window message broadcast to every
// top-level window of the session (RegisterWindowMessage + PostMessage(HWND_BROADCAST)), the
// mechanism of seed 004. Qt-free; the Qt layer picks this on Windows and QLocalSocket elsewhere.
// Protocol: docs/windows.md, "Notifications".

#include "core/address.h"
#include "core/error.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace shmscope {

/// One change another instance announced: the bytes to re-read.
struct ChangeNotice {
    bool whole = true; ///< true: re-read everything (lParam 0, as seed 004 sends); offset/length are 0
    std::uint64_t offset = 0; ///< first changed byte
    std::uint64_t length = 0; ///< changed bytes (> 0 unless whole)
    std::uintptr_t sender = 0; ///< the sender's window (wParam), for diagnostics
};

/// The registered message name ShmScope uses for an object: "ShmScope.Changed:" + toString(address)
/// (e.g. "ShmScope.Changed:win:Local\demo"). Every instance derives the same name, so
/// RegisterWindowMessage gives every process of the session the same id.
std::string broadcastMessageName(const Address& address);

/// The registered message of seed 004's text editor: "CC667211-7CE9-40C5-809A-1DA48E4014C4".
std::string seed004MessageName();

/// How a change range travels in the 64-bit lParam: bits 63..24 the offset (below 1 TiB), bits
/// 23..0 the length (1 to 16 MiB - 1). 0 means "re-read everything" — what seed 004 sends — and is
/// also sent for a range that does not fit. Returns that lParam for [offset, offset + length).
std::uint64_t encodeChange(std::uint64_t offset, std::uint64_t length);

/// The ChangeNotice an lParam of encodeChange() stands for (sender left 0).
ChangeNotice decodeChange(std::uint64_t lParam);

/// A member of one broadcast group (one registered message): a hidden top-level window on its own
/// thread with its own message loop (message-only windows never receive broadcasts), allowed to
/// receive the message from lower-integrity senders (ChangeWindowMessageFilterEx). Announcing is
/// PostMessage(HWND_BROADCAST, message, wParam = this window, lParam = encodeChange()): it never
/// blocks on a hung receiver. A channel ignores its own messages. Destroying it closes the window and
/// joins its thread. Not copyable. Windows only: open() is Unsupported elsewhere.
class BroadcastChannel
{
public:
    /// Called on the channel's own thread for every message of the group from another window. Must
    /// not block for long (it holds up the channel's message loop) and must not destroy the channel.
    using Handler = std::function<void(const ChangeNotice&)>;

    /// Registers `messageName`, creates the window and starts its thread; returns once the window
    /// exists (at most 10 s). Errors (operation "listen", object `messageName`): the Win32 error of
    /// RegisterWindowMessage or CreateWindowEx (no window station or display driver); Timeout;
    /// Unsupported off Windows.
    static Result<std::unique_ptr<BroadcastChannel>> open(const std::string& messageName, Handler handler);

    virtual ~BroadcastChannel() = default;
    BroadcastChannel(const BroadcastChannel&) = delete;
    BroadcastChannel& operator=(const BroadcastChannel&) = delete;

    /// Announces a change of [offset, offset + length) to every other member (see encodeChange();
    /// length 0 or a range that does not fit announces the whole object). Non-blocking.
    /// Errors (operation "announce"): the Win32 error of PostMessage (e.g. a full queue).
    virtual Status announce(std::uint64_t offset, std::uint64_t length) = 0;

    /// Announces "re-read everything" (lParam 0), as seed 004 does after every edit.
    virtual Status announceAll() = 0;

    /// The registered message id (0xC000–0xFFFF).
    virtual unsigned messageId() const = 0;
    /// This channel's window (an HWND), the wParam of its announcements.
    virtual std::uintptr_t window() const = 0;

protected:
    BroadcastChannel() = default;
};

} // namespace shmscope
