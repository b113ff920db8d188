#include "core/textsync.h"

#include "core/viewchecks.h"

#include <chrono>
#include <vector>

namespace shmscope {

Address TextSync::address()
{
    return Address { Kind::Win, "d9287e19-6f9e-45fa-897c-d392f73a0f2f", 0 };
}

Result<std::unique_ptr<TextSync>> TextSync::open(Handler textChanged)
{
    std::unique_ptr<TextSync> sync(new TextSync);
    CreateOptions options;
    options.size = capacity * sizeof(char16_t);
    options.exclusive = false;
    Result<Created> created = createMapping(address(), options, Access::ReadWrite);
    if (!created)
        return created.error();
    if (created->mapping->size() < sizeof(char16_t))
        return detail::invalidArgument("attach", address(), "the existing section is smaller than one character");
    sync->m_existed = created->existed;
    sync->m_mapping = std::move(created->mapping);

    // The handler re-reads the whole text, as the editor does for every message (lParam is 0).
    TextSync* self = sync.get();
    Result<std::unique_ptr<BroadcastChannel>> channel
        = BroadcastChannel::open(seed004MessageName(), [self, textChanged](const ChangeNotice&) {
              Result<std::u16string> text = self->text();
              if (text && textChanged)
                  textChanged(*text);
          });
    if (!channel)
        return channel.error();
    sync->m_channel = std::move(*channel);
    return sync;
}

Result<std::u16string> TextSync::text() const
{
    const std::size_t units = static_cast<std::size_t>(m_mapping->size() / sizeof(char16_t));
    std::vector<unsigned char> bytes(units * sizeof(char16_t));
    if (Status read = m_mapping->read(0, bytes.data(), bytes.size()); !read)
        return read.error();
    std::u16string text;
    for (std::size_t i = 0; i < units; ++i) {
        // UTF-16LE whatever the host's byte order.
        const auto unit = static_cast<char16_t>(bytes[2 * i] | (bytes[2 * i + 1] << 8));
        if (unit == 0)
            break;
        text += unit;
    }
    return text;
}

Status TextSync::setText(std::u16string_view text)
{
    const std::size_t units = static_cast<std::size_t>(m_mapping->size() / sizeof(char16_t));
    const std::size_t kept = text.size() < units - 1 ? text.size() : units - 1;
    std::vector<unsigned char> bytes((kept + 1) * sizeof(char16_t), 0);
    for (std::size_t i = 0; i < kept; ++i) {
        bytes[2 * i] = static_cast<unsigned char>(text[i] & 0xff);
        bytes[2 * i + 1] = static_cast<unsigned char>(text[i] >> 8);
    }
    if (Status written = m_mapping->writeLocked(0, bytes.data(), bytes.size(), std::chrono::seconds(1)); !written)
        return written;
    return m_channel->announceAll();
}

} // namespace shmscope
