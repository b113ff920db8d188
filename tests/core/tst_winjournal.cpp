// The native-call journal of the Windows backend (issue 10, section 1), run under Wine by
// tools/wine-test: each operation's rows are checked against the API calls the test itself expects,
// with the arguments named as <windows.h> names them — CreateFileMappingW(INVALID_HANDLE_VALUE, NULL,
// PAGE_READWRITE, 0, 65536, L"Local\\…"), MapViewOfFile(…, FILE_MAP_COPY, …), ERROR_ALREADY_EXISTS,
// WaitForSingleObject(…) = WAIT_ABANDONED after the holder was killed, PostMessageW(HWND_BROADCAST, …),
// FlushViewOfFile — and errors by name and text.
#include "core/broadcast.h"
#include "core/journal.h"
#include "core/mapping.h"
#include "testsupport.h"

#include <cstdio>
#include <gtest/gtest.h>
#include <mutex>
#include <regex>

using namespace shmscope;
using namespace shmscope::test;

namespace {

class Collector : public journal::Listener
{
public:
    Collector() { journal::addListener(this); }
    ~Collector() override { journal::removeListener(this); }
    void callRecorded(journal::Call&& call) override
    {
        std::lock_guard lock(m_mutex);
        m_calls.push_back(std::move(call));
    }
    std::vector<journal::Call> calls()
    {
        std::lock_guard lock(m_mutex);
        return m_calls;
    }
    // The first row of action `actionId` whose text matches `pattern` (ECMAScript), decoded (rows
    // arrive raw), or nullopt.
    std::optional<journal::Call> find(std::uint64_t actionId, const std::string& pattern)
    {
        const std::regex expression(pattern);
        for (const journal::Call& call : calls()) {
            if (call.actionId == actionId && std::regex_search(call.text(), expression))
                return call.decoded();
        }
        return std::nullopt;
    }
    std::string dump()
    {
        std::string text;
        for (const journal::Call& call : calls())
            text += std::to_string(call.actionId) + ": " + call.text() + "\n";
        return text;
    }

private:
    std::mutex m_mutex;
    std::vector<journal::Call> m_calls;
};

Address winAddress()
{
    return Address { Kind::Win, "Local\\" + uniqueName() };
}

// The name as the rows show it: L"Local\\shmscope-test-…" (backslash escaped), as a regex.
std::string quotedName(const Address& address)
{
    std::string name = address.name;
    const std::size_t slash = name.find('\\');
    return "L\"" + name.substr(0, slash) + "\\\\\\\\" + name.substr(slash + 1) + "\"";
}

} // namespace

TEST(WinJournal, CreateAttachAndErrors)
{
    Collector collector;
    const Address address = winAddress();
    std::uint64_t createId = 0;
    std::unique_ptr<Mapping> mapping;
    {
        journal::Action action("create " + toString(address));
        createId = action.id();
        Result<Created> created = createMapping(address, CreateOptions { 65536, 0600, true });
        ASSERT_TRUE(created.ok()) << created.error().message();
        mapping = std::move(created->mapping);
    }
    EXPECT_TRUE(collector.find(createId,
                               "^CreateFileMappingW\\(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 65536, "
                                   + quotedName(address) + "\\) = 0x[0-9a-f]+$"))
        << collector.dump();
    EXPECT_TRUE(
        collector.find(createId, "^MapViewOfFile\\(0x[0-9a-f]+, FILE_MAP_WRITE\\|FILE_MAP_READ, 0, 0, 65536\\) = 0x"))
        << collector.dump();

    // Copy-on-write: FILE_MAP_COPY.
    std::uint64_t copyId = 0;
    {
        journal::Action action("attach " + toString(address) + " copy-on-write");
        copyId = action.id();
        ASSERT_TRUE(attachMapping(address, Access::CopyOnWrite).ok());
    }
    EXPECT_TRUE(
        collector.find(copyId, "^OpenFileMappingW\\(.*FILE_MAP_READ.*, FALSE, " + quotedName(address) + "\\) = 0x"))
        << collector.dump();
    EXPECT_TRUE(collector.find(copyId, "^MapViewOfFile\\(0x[0-9a-f]+, FILE_MAP_COPY, 0, 0, ")) << collector.dump();
    EXPECT_TRUE(collector.find(copyId, "^UnmapViewOfFile\\(0x[0-9a-f]+\\) = TRUE$")) << collector.dump();

    // Create-or-attach of an existing section: success, with ERROR_ALREADY_EXISTS (seed 004).
    std::uint64_t againId = 0;
    {
        journal::Action action("create again");
        againId = action.id();
        Result<Created> again = createMapping(address, CreateOptions { 65536, 0600, false });
        ASSERT_TRUE(again.ok());
        EXPECT_TRUE(again->existed);
    }
    const auto existing = collector.find(againId, "^CreateFileMappingW\\(");
    ASSERT_TRUE(existing) << collector.dump();
    EXPECT_FALSE(existing->failed);
    EXPECT_EQ(existing->errorName, "ERROR_ALREADY_EXISTS");
    EXPECT_NE(existing->result.find(" ERROR_ALREADY_EXISTS ("), std::string::npos) << existing->result;
    // The calls after it succeed without an error of their own (GetLastError() still says 183).
    const auto view = collector.find(againId, "^MapViewOfFile\\(");
    ASSERT_TRUE(view) << collector.dump();
    EXPECT_TRUE(view->errorName.empty()) << view->text();

    // A missing section: NULL and the error by name and text.
    std::uint64_t missingId = 0;
    {
        journal::Action action("attach missing");
        missingId = action.id();
        EXPECT_FALSE(attachMapping(winAddress(), Access::ReadWrite).ok());
    }
    const auto missing = collector.find(missingId, "^OpenFileMappingW\\(.*= NULL ERROR_FILE_NOT_FOUND \\(");
    ASSERT_TRUE(missing) << collector.dump();
    EXPECT_TRUE(missing->failed);
    EXPECT_FALSE(missing->errorText.empty());
    std::printf("%s", collector.dump().c_str()); // the rows, for the log
}

TEST(WinJournal, LockWaitAbandonedAndStore)
{
    const Address address = winAddress();
    Result<Created> created = createMapping(address, CreateOptions { 4096, 0600, true });
    ASSERT_TRUE(created.ok()) << created.error().message();
    Mapping& mapping = *created->mapping;
    Collector collector;

    // An edit: the wait (on the lock's own thread, filed under the caller's action), the store, the release.
    std::uint64_t editId = 0;
    {
        journal::Action action("edit 1 byte at 0x10");
        editId = action.id();
        unsigned char old = 0;
        ASSERT_TRUE(mapping.exchange(0x10, "\x41", &old, 1, std::chrono::seconds(5)).ok());
    }
    EXPECT_TRUE(collector.find(editId, "^CreateMutexW\\(NULL, FALSE, L\"")) << collector.dump();
    EXPECT_TRUE(collector.find(editId, "^WaitForSingleObject\\(0x[0-9a-f]+, \\d+\\) = WAIT_OBJECT_0$"))
        << collector.dump();
    EXPECT_TRUE(collector.find(editId, "^memcpy\\(0x[0-9a-f]+ \\+ 0x10, \"A\", 1\\)")) << collector.dump();
    EXPECT_TRUE(collector.find(editId, "^ReleaseMutex\\(0x[0-9a-f]+\\) = TRUE$")) << collector.dump();

    // The holder is killed holding the lock: the next wait says WAIT_ABANDONED.
    PeerProcess holder({ "hold-lock", toString(address) });
    ASSERT_TRUE(holder.started());
    ASSERT_EQ(holder.readLine(), "locked");
    holder.kill();
    std::uint64_t lockId = 0;
    {
        journal::Action action("lock");
        lockId = action.id();
        Result<LockGuard> obtained = mapping.lock(std::chrono::seconds(5));
        ASSERT_TRUE(obtained.ok()) << obtained.error().message();
        EXPECT_TRUE(obtained->previousHolderDied());
    }
    EXPECT_TRUE(collector.find(lockId, "^WaitForSingleObject\\(0x[0-9a-f]+, \\d+\\) = WAIT_ABANDONED$"))
        << collector.dump();
    std::printf("%s", collector.dump().c_str()); // the rows, for the log
}

TEST(WinJournal, BroadcastAndFlush)
{
    Collector collector;
    const Address address = winAddress();
    std::uint64_t announceId = 0;
    {
        Result<std::unique_ptr<BroadcastChannel>> channel
            = BroadcastChannel::open(broadcastMessageName(address), [](const ChangeNotice&) {});
        ASSERT_TRUE(channel.ok()) << channel.error().message();
        journal::Action action("announce");
        announceId = action.id();
        ASSERT_TRUE((*channel)->announce(16, 1).ok());
    }
    EXPECT_TRUE(collector.find(announceId,
                               "^PostMessageW\\(HWND_BROADCAST, 0xc[0-9a-f]{3}, 0x[0-9a-f]+, 0x[0-9a-f]+\\) = TRUE$"))
        << collector.dump();

    // A file-backed view's flush: FlushViewOfFile, then FlushFileBuffers.
    const Address file { Kind::File, tempDirectory() + "\\" + uniqueName() + ".dat" };
    Result<Created> created = createMapping(file, CreateOptions { 4096, 0600, true });
    ASSERT_TRUE(created.ok()) << created.error().message();
    std::uint64_t flushId = 0;
    {
        journal::Action action("flush");
        flushId = action.id();
        ASSERT_TRUE(created->mapping->write(0, "x", 1).ok());
        ASSERT_TRUE(created->mapping->flush().ok());
    }
    EXPECT_TRUE(collector.find(flushId, "^FlushViewOfFile\\(0x[0-9a-f]+, 0\\) = TRUE$")) << collector.dump();
    EXPECT_TRUE(collector.find(flushId, "^FlushFileBuffers\\(0x[0-9a-f]+\\) = TRUE$")) << collector.dump();
    created->mapping.reset();
    (void)removeObject(file);
}
