#pragma once

// The text-sync profile of seed 004: ShmScope and a running copy of that Windows text editor edit
// the same text, both ways.

#include "core/broadcast.h"
#include "core/mapping.h"

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace shmscope {

/// Speaks exactly the protocol of the editor in seed 004: a pagefile-backed section named
/// `d9287e19-6f9e-45fa-897c-d392f73a0f2f` (session namespace) of 4096 TCHARs (8192 bytes) holding
/// NUL-terminated UTF-16LE text; after every edit the writer broadcasts the registered message
/// `CC667211-7CE9-40C5-809A-1DA48E4014C4` with wParam = its window and lParam = 0, and every other
/// instance re-reads the whole text. Source: seed 004 (Initialize, GetTextFromMemoryMappedFile,
/// OnChangeEdtText). Windows only: open() fails with Unsupported elsewhere. Not copyable.
class TextSync
{
public:
    /// Characters (UTF-16 code units) in the buffer, the terminating NUL included.
    static constexpr std::size_t capacity = 4096;
    /// Called on the broadcast channel's thread with the whole text after another instance changed it.
    using Handler = std::function<void(const std::u16string& text)>;

    /// win:d9287e19-6f9e-45fa-897c-d392f73a0f2f
    static Address address();

    /// Creates or attaches the section (8192 bytes; an existing one keeps its size, as in seed 004)
    /// and joins the broadcast group. Errors: those of createMapping() and BroadcastChannel::open();
    /// InvalidArgument when an existing section is smaller than 2 bytes.
    static Result<std::unique_ptr<TextSync>> open(Handler textChanged);

    /// True when the section existed already (another instance runs): its text is then the shared one.
    bool joinedExisting() const { return m_existed; }

    /// The current text: the UTF-16 units up to the first NUL (or the end of the section).
    Result<std::u16string> text() const;

    /// Stores `text` (cut to capacity - 1 units, as the editor's SetLimitText does) with its NUL
    /// under ShmScope's lock (1 s), then announces it (lParam 0). Errors: those of writeLocked() and
    /// announceAll().
    Status setText(std::u16string_view text);

    /// The channel (its window is the wParam of our broadcasts).
    BroadcastChannel& channel() { return *m_channel; }

private:
    TextSync() = default;
    std::unique_ptr<Mapping> m_mapping;
    std::unique_ptr<BroadcastChannel> m_channel;
    bool m_existed = false;
};

} // namespace shmscope
