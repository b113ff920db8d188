// The platform-independent half of the broadcast protocol (core/broadcast.h): message names and how
// a change range travels in lParam. The broadcasts themselves are in tst_winbroadcast (Windows).

#include "core/broadcast.h"
#include "core/textsync.h"

#include <gtest/gtest.h>

using namespace shmscope;

namespace {

TEST(Broadcast, MessageNames)
{
    EXPECT_EQ(broadcastMessageName(Address { Kind::Win, "Local\\demo", 0 }), "ShmScope.Changed:win:Local\\demo");
    EXPECT_EQ(seed004MessageName(), "CC667211-7CE9-40C5-809A-1DA48E4014C4");
    EXPECT_EQ(TextSync::address(), (Address { Kind::Win, "d9287e19-6f9e-45fa-897c-d392f73a0f2f", 0 }));
}

TEST(Broadcast, RangesRoundTripThroughLParam)
{
    for (auto [offset, length] : { std::pair<std::uint64_t, std::uint64_t> { 0, 1 },
                                   { 100, 20 },
                                   { (std::uint64_t(1) << 40) - 1, (1u << 24) - 1 },
                                   { 4096, 4096 } }) {
        const std::uint64_t lParam = encodeChange(offset, length);
        EXPECT_NE(lParam, 0u);
        const ChangeNotice notice = decodeChange(lParam);
        EXPECT_FALSE(notice.whole);
        EXPECT_EQ(notice.offset, offset);
        EXPECT_EQ(notice.length, length);
    }
}

TEST(Broadcast, WhatDoesNotFitMeansEverything)
{
    EXPECT_EQ(encodeChange(0, 0), 0u);
    EXPECT_EQ(encodeChange(0, 1u << 24), 0u); // 16 MiB: too long
    EXPECT_EQ(encodeChange(std::uint64_t(1) << 40, 1), 0u); // 1 TiB: too far
    const ChangeNotice seed004 = decodeChange(0); // what seed 004 sends
    EXPECT_TRUE(seed004.whole);
    EXPECT_EQ(seed004.offset, 0u);
    EXPECT_EQ(seed004.length, 0u);
}

#ifndef _WIN32
TEST(Broadcast, UnsupportedOffWindows)
{
    Result<std::unique_ptr<BroadcastChannel>> channel = BroadcastChannel::open("x", nullptr);
    ASSERT_FALSE(channel.ok());
    EXPECT_EQ(channel.error().code, ErrorCode::Unsupported);
    Result<std::unique_ptr<TextSync>> sync = TextSync::open(nullptr);
    ASSERT_FALSE(sync.ok());
    EXPECT_EQ(sync.error().code, ErrorCode::Unsupported);
}
#endif

} // namespace
