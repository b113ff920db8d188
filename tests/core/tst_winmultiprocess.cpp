// The Windows backend across real processes (shmscope-testpeer.exe under the same wineserver):
// create in A and attach in B, ERROR_ALREADY_EXISTS at a different size, FILE_MAP_COPY isolation, a
// file's data after every process exited, WAIT_ABANDONED after the holder was killed, the lock
// between processes, the catalog. A Windows section lives only while some process holds it, so the
// peer that creates one stays alive ("create-hold") until the test kills it. Every wait is bounded.

#include "core/catalog.h"
#include "core/mapping.h"
#include "tests/core/testsupport.h"

#include <algorithm>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <thread>

using namespace shmscope;
using namespace shmscope::test;

namespace {

Address winAddress()
{
    return Address { Kind::Win, "Local\\" + uniqueName(), 0 };
}

std::string readText(const Mapping& mapping, std::uint64_t offset, std::size_t length)
{
    std::string text(length, '\0');
    Status status = mapping.read(offset, text.data(), length);
    EXPECT_TRUE(status.ok()) << (status ? "" : status.error().message());
    return text;
}

TEST(WinMultiProcess, CreateInOneProcessAttachInAnother)
{
    const Address address = winAddress();
    const std::string text = toString(address);
    PeerProcess creator({ "create-hold", text, "65536" });
    ASSERT_TRUE(creator.started());
    ASSERT_EQ(creator.readLine(), "created 65536");
    PeerResult written = runPeer({ "write", text, "100", "from-the-peer" });
    ASSERT_EQ(written.exitCode, 0) << written.err;
    EXPECT_EQ(written.out, "written\n");

    Result<std::unique_ptr<Mapping>> mapping = attachMapping(address, Access::ReadWrite);
    ASSERT_TRUE(mapping.ok()) << mapping.error().message();
    EXPECT_EQ((*mapping)->size(), 65536u); // a page multiple: exact even under Wine
    EXPECT_EQ(readText(**mapping, 100, 13), "from-the-peer");

    ASSERT_TRUE((*mapping)->writeLocked(65000, "from-the-test", 13, 5s).ok());
    PeerResult read = runPeer({ "read", text, "65000", "13" });
    ASSERT_EQ(read.exitCode, 0) << read.err;
    EXPECT_EQ(read.out, "from-the-test");
}

TEST(WinMultiProcess, TheSectionIsGoneWhenItsLastProcessExits)
{
    const Address address = winAddress();
    PeerProcess creator({ "create-hold", toString(address), "4096" });
    ASSERT_TRUE(creator.started());
    ASSERT_EQ(creator.readLine(), "created 4096");
    creator.kill();
    Result<std::unique_ptr<Mapping>> mapping = attachMapping(address, Access::ReadOnly);
    ASSERT_FALSE(mapping.ok());
    EXPECT_EQ(mapping.error().code, ErrorCode::NotFound);
}

TEST(WinMultiProcess, AlreadyExistsAtADifferentSizeKeepsTheExistingSize)
{
    const Address address = winAddress();
    const std::string text = toString(address);
    PeerProcess creator({ "create-hold", text, "8192" });
    ASSERT_TRUE(creator.started());
    ASSERT_EQ(creator.readLine(), "created 8192");

    // Here: a bigger request attaches at the existing 8 KiB (ERROR_ALREADY_EXISTS, seed 004).
    Result<Created> bigger = createMapping(address, CreateOptions { 65536, 0600, false });
    ASSERT_TRUE(bigger.ok()) << bigger.error().message();
    EXPECT_TRUE(bigger->existed);
    EXPECT_EQ(bigger->mapping->size(), 8192u);
    Result<Created> exclusive = createMapping(address, CreateOptions { 65536, 0600, true });
    ASSERT_FALSE(exclusive.ok());
    EXPECT_EQ(exclusive.error().code, ErrorCode::AlreadyExists);

    // And the other way round: a second peer asking for more gets what exists.
    PeerProcess second({ "create-hold", text, "1048576", "or-attach" });
    ASSERT_TRUE(second.started());
    EXPECT_EQ(second.readLine(), "existed 8192");
    PeerProcess refused({ "create-hold", text, "4096" });
    PeerResult result = refused.wait();
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_NE(result.err.find("Win32 error 183"), std::string::npos) << result.err;
}

TEST(WinMultiProcess, CopyOnWriteViewsStayPrivate)
{
    const Address address = winAddress();
    Result<Created> created = createMapping(address, CreateOptions { 8192, 0600, true });
    ASSERT_TRUE(created.ok()) << created.error().message();
    Mapping& mapping = *created->mapping;
    ASSERT_TRUE(mapping.write(0, "original", 8).ok());

    PeerProcess peer({ "cow-write", toString(address), "0", "PRIVATE!" });
    ASSERT_TRUE(peer.started());
    EXPECT_EQ(peer.readLine(), "view: PRIVATE!");
    EXPECT_EQ(peer.readLine(), "written");
    EXPECT_EQ(readText(mapping, 0, 8), "original");
    PeerResult third = runPeer({ "read", toString(address), "0", "8" });
    ASSERT_EQ(third.exitCode, 0) << third.err;
    EXPECT_EQ(third.out, "original");
}

TEST(WinMultiProcess, ReadOnlyAttachRefusesWrites)
{
    const Address address = winAddress();
    Result<Created> created = createMapping(address, CreateOptions { 4096, 0600, true });
    ASSERT_TRUE(created.ok()) << created.error().message();
    ASSERT_TRUE(created->mapping->write(0, "original", 8).ok());
    PeerResult refused = runPeer({ "write", toString(address), "0", "HACKED!!", "read-only" });
    EXPECT_EQ(refused.exitCode, 1);
    EXPECT_NE(refused.err.find("read-only"), std::string::npos) << refused.err;
    EXPECT_EQ(readText(*created->mapping, 0, 8), "original");
}

TEST(WinMultiProcess, FileDataStaysInTheFileAfterEveryProcessExited)
{
    const Address address { Kind::File, tempDirectory() + "\\" + uniqueName() + ".dat", 0 };
    ObjectCleanup cleanup(address);
    const std::string text = toString(address);
    PeerResult created = runPeer({ "create", text, "4096" });
    ASSERT_EQ(created.exitCode, 0) << created.err;
    PeerResult written = runPeer({ "write", text, "10", "persisted" });
    ASSERT_EQ(written.exitCode, 0) << written.err;

    std::ifstream file(address.name, std::ios::binary);
    const std::string content((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    ASSERT_EQ(content.size(), 4096u);
    EXPECT_EQ(content.substr(10, 9), "persisted");
}

TEST(WinMultiProcess, KilledLockHolderGivesWaitAbandoned)
{
    const Address address = winAddress();
    Result<Created> created = createMapping(address, CreateOptions { 4096, 0600, true });
    ASSERT_TRUE(created.ok()) << created.error().message();
    Mapping& mapping = *created->mapping;

    PeerProcess holder({ "hold-lock", toString(address) });
    ASSERT_TRUE(holder.started());
    ASSERT_EQ(holder.readLine(), "locked");
    Result<LockGuard> blocked = mapping.lock(100ms);
    ASSERT_FALSE(blocked.ok());
    EXPECT_EQ(blocked.error().code, ErrorCode::Timeout);

    holder.kill(); // TerminateProcess: no chance to release
    Result<LockGuard> obtained = mapping.lock(5s);
    ASSERT_TRUE(obtained.ok()) << obtained.error().message();
    EXPECT_TRUE(obtained->previousHolderDied());
    obtained->unlock();

    // Released normally afterwards: the next holder (another process) is not told anything.
    PeerResult next = runPeer({ "lock-once", toString(address) });
    ASSERT_EQ(next.exitCode, 0) << next.err;
    EXPECT_EQ(next.out, "locked\n");
}

TEST(WinMultiProcess, LockExcludesAWriterInAnotherProcess)
{
    const Address address = winAddress();
    Result<Created> created = createMapping(address, CreateOptions { 4096, 0600, true });
    ASSERT_TRUE(created.ok()) << created.error().message();
    Mapping& mapping = *created->mapping;
    Result<LockGuard> held = mapping.lock(1s);
    ASSERT_TRUE(held.ok()) << held.error().message();

    PeerProcess writer({ "write", toString(address), "0", "PEER" });
    ASSERT_TRUE(writer.started());
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(readText(mapping, 0, 4), std::string(4, '\0'));
    held->unlock();
    PeerResult result = writer.wait(10s);
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_EQ(readText(mapping, 0, 4), "PEER");
}

TEST(WinMultiProcess, CatalogListsASectionOfAnotherProcess)
{
    const Address address = winAddress();
    PeerProcess creator({ "create-hold", toString(address), "20480" });
    ASSERT_TRUE(creator.started());
    ASSERT_EQ(creator.readLine(), "created 20480");
    Result<std::vector<ObjectInfo>> list = listObjects();
    ASSERT_TRUE(list.ok()) << list.error().message();
    auto listed = std::find_if(list->begin(), list->end(), [&](const ObjectInfo& o) { return o.address == address; });
    ASSERT_NE(listed, list->end());
    EXPECT_EQ(listed->size, 20480u); // five pages: the same on Windows and under Wine
}

} // namespace
