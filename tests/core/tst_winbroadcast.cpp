// Window-message broadcasts between real processes under Wine: a broadcast from A reaches B and not
// A itself, both ways, and the seed-004 text-sync profile against seed004peer, a plain Win32
// copy of seed 004's editor. Every wait is bounded (5–10 s).

#include "core/broadcast.h"
#include "core/textsync.h"
#include "tests/core/testsupport.h"

#include <condition_variable>
#include <gtest/gtest.h>
#include <mutex>
#include <thread>
#include <vector>

using namespace shmscope;
using namespace shmscope::test;

namespace {

// Collects what a channel's handler receives, for waiting on it from the test thread.
template<typename T>
class Inbox
{
public:
    void push(T value)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_items.push_back(std::move(value));
        m_changed.notify_all();
    }
    /// Waits at most `timeout` for at least `count` items; returns what arrived.
    std::vector<T> waitFor(std::size_t count, std::chrono::milliseconds timeout)
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        m_changed.wait_for(lock, timeout, [&] { return m_items.size() >= count; });
        return m_items;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::vector<T> m_items;
};

std::string groupName()
{
    return broadcastMessageName(Address { Kind::Win, "Local\\" + uniqueName(), 0 });
}

TEST(WinBroadcast, FromAReachesBButNotAItself)
{
    const std::string group = groupName();
    Inbox<ChangeNotice> own;
    Result<std::unique_ptr<BroadcastChannel>> channel
        = BroadcastChannel::open(group, [&](const ChangeNotice& notice) { own.push(notice); });
    ASSERT_TRUE(channel.ok()) << channel.error().message();
    EXPECT_GE((*channel)->messageId(), 0xC000u);

    PeerProcess listener({ "listen", group, "2" });
    ASSERT_TRUE(listener.started());
    ASSERT_EQ(listener.readLine(), "listening");
    ASSERT_TRUE((*channel)->announce(100, 20).ok());
    EXPECT_EQ(listener.readLine(), "notice 100 20");
    ASSERT_TRUE((*channel)->announceAll().ok());
    EXPECT_EQ(listener.readLine(), "notice whole");
    EXPECT_EQ(listener.wait().exitCode, 0);
    // Our own two broadcasts never reached our own handler.
    std::this_thread::sleep_for(200ms);
    EXPECT_TRUE(own.waitFor(1, 0ms).empty());

    // And the other way: B announces, A receives (with B's window as the sender).
    PeerResult announced = runPeer({ "announce", group, "5", "6" });
    ASSERT_EQ(announced.exitCode, 0) << announced.err;
    std::vector<ChangeNotice> received = own.waitFor(1, 10s);
    ASSERT_EQ(received.size(), 1u);
    EXPECT_FALSE(received[0].whole);
    EXPECT_EQ(received[0].offset, 5u);
    EXPECT_EQ(received[0].length, 6u);
    EXPECT_NE(received[0].sender, 0u);
    EXPECT_NE(received[0].sender, (*channel)->window());
}

TEST(WinBroadcast, OtherGroupsAreNotHeard)
{
    Inbox<ChangeNotice> inbox;
    Result<std::unique_ptr<BroadcastChannel>> channel
        = BroadcastChannel::open(groupName(), [&](const ChangeNotice& notice) { inbox.push(notice); });
    ASSERT_TRUE(channel.ok()) << channel.error().message();
    PeerResult announced = runPeer({ "announce", groupName(), "1", "1" });
    ASSERT_EQ(announced.exitCode, 0) << announced.err;
    EXPECT_TRUE(inbox.waitFor(1, 500ms).empty());
}

TEST(WinTextSync, EditsTheSameTextAsTheSeed004EditorBothWays)
{
    Inbox<std::u16string> texts;
    Result<std::unique_ptr<TextSync>> sync = TextSync::open([&](const std::u16string& text) { texts.push(text); });
    ASSERT_TRUE(sync.ok()) << sync.error().message();
    ASSERT_TRUE((*sync)->setText(u"first").ok());

    // The editor joins: it finds the section (ERROR_ALREADY_EXISTS) and our text in it.
    PeerProcess editor(SHMSCOPE_SEED004PEER, { "echo" });
    ASSERT_TRUE(editor.started());
    ASSERT_EQ(editor.readLine(), "ready");
    EXPECT_EQ(editor.readLine(), "existing: first");

    // ShmScope → editor: UTF-16 text with non-ASCII characters.
    ASSERT_TRUE((*sync)->setText(u"h\u00e9llo \u4e16\u754c").ok());
    EXPECT_EQ(editor.readLine(), "received: h\xc3\xa9llo \xe4\xb8\x96\xe7\x95\x8c"); // printed as UTF-8
    EXPECT_EQ(editor.readLine(), "sent");

    // Editor → ShmScope: it wrote "echo: …" and broadcast with lParam 0.
    std::vector<std::u16string> received = texts.waitFor(1, 10s);
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0], u"echo: h\u00e9llo \u4e16\u754c");
    Result<std::u16string> now = (*sync)->text();
    ASSERT_TRUE(now.ok());
    EXPECT_EQ(*now, u"echo: h\u00e9llo \u4e16\u754c");
    EXPECT_EQ(editor.wait().exitCode, 0);
}

TEST(WinTextSync, LongTextIsCutToTheEditorsLimit)
{
    Result<std::unique_ptr<TextSync>> sync = TextSync::open(nullptr);
    ASSERT_TRUE(sync.ok()) << sync.error().message();
    ASSERT_TRUE((*sync)->setText(std::u16string(5000, u'x')).ok());
    Result<std::u16string> text = (*sync)->text();
    ASSERT_TRUE(text.ok());
    EXPECT_EQ(text->size(), TextSync::capacity - 1);
}

} // namespace
