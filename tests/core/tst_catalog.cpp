// The catalog: what listObjects()/describeObject() report for POSIX objects, System V segments and
// files, what they hide (glibc semaphores, ShmScope's lock files, non-regular entries), and the
// /proc/PID/maps parser behind the pids. Other programs' objects may exist meanwhile: every check
// looks for this test's own objects only.

#include "core/catalog.h"
#include "core/mapping.h"
#include "core/posix/procholders.h"
#include "tests/core/testsupport.h"

#include <algorithm>
#include <ctime>
#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <semaphore.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <tuple>
#include <unistd.h>

using namespace shmscope;
using namespace shmscope::test;

namespace {

const ObjectInfo* findIn(const std::vector<ObjectInfo>& list, const Address& address)
{
    auto found = std::find_if(list.begin(), list.end(), [&](const ObjectInfo& o) { return o.address == address; });
    return found == list.end() ? nullptr : &*found;
}

bool contains(const std::vector<int>& pids, int pid)
{
    return std::find(pids.begin(), pids.end(), pid) != pids.end();
}

std::vector<ObjectInfo> listOrFail()
{
    Result<std::vector<ObjectInfo>> list = listObjects();
    EXPECT_TRUE(list.ok()) << (list ? "" : list.error().message());
    return list ? std::move(*list) : std::vector<ObjectInfo> {};
}

std::string userName(uid_t uid)
{
    const passwd* entry = ::getpwuid(uid);
    return entry ? entry->pw_name : std::to_string(uid);
}

TEST(Catalog, ListsAPosixObjectWithItsProperties)
{
    const Address address { Kind::Posix, "/" + uniqueName(), 0 };
    ObjectCleanup addressCleanup(address);
    Result<Created> created = createMapping(address, CreateOptions { 12288, 0640, true });
    ASSERT_TRUE(created.ok()) << created.error().message();
    const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));

    const std::vector<ObjectInfo> list = listOrFail();
    const ObjectInfo* info = findIn(list, address);
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->size, 12288u);
    EXPECT_EQ(info->mode, 0640u);
    EXPECT_EQ(info->uid, ::getuid());
    EXPECT_EQ(info->owner, userName(::getuid()));
    EXPECT_LE(std::abs(info->modifiedTime - now), 600); // a clock sanity check, not a speed check
    EXPECT_TRUE(contains(info->pids, ::getpid()));
    EXPECT_EQ(info->attachCount, info->pids.size());
    EXPECT_EQ(info->systemVId, 0u);

    created->mapping.reset();
    const std::vector<ObjectInfo> unmapped = listOrFail();
    const ObjectInfo* again = findIn(unmapped, address);
    ASSERT_NE(again, nullptr);
    EXPECT_FALSE(contains(again->pids, ::getpid()));

    ASSERT_TRUE(removeObject(address).ok());
    EXPECT_EQ(findIn(listOrFail(), address), nullptr);
}

TEST(Catalog, HidesSemaphoresLockFilesAndNonRegularEntries)
{
    const std::string semName = "/" + uniqueName();
    sem_t* semaphore = ::sem_open(semName.c_str(), O_CREAT | O_EXCL, 0600, 1);
    ASSERT_NE(semaphore, SEM_FAILED);
    const AtScopeExit semaphoreCleanup([&] {
        ::sem_close(semaphore);
        ::sem_unlink(semName.c_str());
    });
    ASSERT_EQ(::access(("/dev/shm/sem." + semName.substr(1)).c_str(), F_OK), 0);

    const Address segment { Kind::SysV, {}, unusedSysVKey() };
    ObjectCleanup segmentCleanup(segment);
    Result<Created> created = createMapping(segment, CreateOptions { 4096, 0600, true });
    ASSERT_TRUE(created.ok()) << created.error().message();
    ASSERT_TRUE(created->mapping->lock(1s).ok()); // creates the lock file (guard released at once)

    const std::string directory = "/dev/shm/" + uniqueName();
    ASSERT_EQ(::mkdir(directory.c_str(), 0700), 0);
    const AtScopeExit directoryCleanup([&] { ::rmdir(directory.c_str()); });
    const std::string link = "/dev/shm/" + uniqueName();
    ASSERT_EQ(::symlink("/etc/hostname", link.c_str()), 0);
    const AtScopeExit linkCleanup([&] { ::unlink(link.c_str()); });

    const std::vector<ObjectInfo> list = listOrFail();
    for (const ObjectInfo& info : list) {
        EXPECT_EQ(info.address.name.rfind("/sem.", 0), std::string::npos) << toString(info.address);
        EXPECT_EQ(info.address.name.find(".shmscope-"), std::string::npos) << toString(info.address);
    }
    EXPECT_EQ(findIn(list, Address { Kind::Posix, directory.substr(8), 0 }), nullptr);
    EXPECT_EQ(findIn(list, Address { Kind::Posix, link.substr(8), 0 }), nullptr);
    EXPECT_NE(findIn(list, segment), nullptr);

    created->mapping.reset();
    EXPECT_TRUE(removeObject(segment).ok());
}

TEST(Catalog, ListsSystemVSegmentsByKeyAndPrivateOnesById)
{
    const Address keyed { Kind::SysV, {}, unusedSysVKey() };
    ObjectCleanup keyedCleanup(keyed);
    Result<Created> created = createMapping(keyed, CreateOptions { 8192, 0604, true });
    ASSERT_TRUE(created.ok()) << created.error().message();
    const int keyedId = ::shmget(static_cast<key_t>(keyed.key), 0, 0);
    ASSERT_GE(keyedId, 0);

    const int privateId = ::shmget(IPC_PRIVATE, 20000, IPC_CREAT | 0600);
    ASSERT_GE(privateId, 0);
    const AtScopeExit privateCleanup([&] { ::shmctl(privateId, IPC_RMID, nullptr); }); // gone when detached
    void* view = ::shmat(privateId, nullptr, SHM_RDONLY);
    ASSERT_NE(view, reinterpret_cast<void*>(-1));
    const AtScopeExit detach([&] { ::shmdt(view); });

    const std::vector<ObjectInfo> list = listOrFail();
    const ObjectInfo* byKey = findIn(list, keyed);
    ASSERT_NE(byKey, nullptr);
    EXPECT_EQ(byKey->systemVId, static_cast<std::uint32_t>(keyedId));
    EXPECT_EQ(byKey->size, 8192u);
    EXPECT_EQ(byKey->mode, 0604u);
    EXPECT_EQ(byKey->uid, ::getuid());
    EXPECT_EQ(byKey->attachCount, 1u);
    EXPECT_EQ(byKey->pids, std::vector<int> { ::getpid() });
    EXPECT_GT(byKey->modifiedTime, 0);

    const Address byIdAddress { Kind::SysVId, {}, static_cast<std::uint32_t>(privateId) };
    const ObjectInfo* byId = findIn(list, byIdAddress);
    ASSERT_NE(byId, nullptr);
    EXPECT_EQ(byId->size, 20000u);
    EXPECT_EQ(byId->systemVId, static_cast<std::uint32_t>(privateId));
    EXPECT_TRUE(contains(byId->pids, ::getpid()));

    Result<ObjectInfo> described = describeObject(byIdAddress);
    ASSERT_TRUE(described.ok()) << described.error().message();
    EXPECT_EQ(described->size, 20000u);

    created->mapping.reset();
    EXPECT_TRUE(removeObject(keyed).ok());
}

TEST(Catalog, IsSortedByAddress)
{
    const Address a { Kind::Posix, "/" + uniqueName() + "-b", 0 };
    ObjectCleanup aCleanup(a);
    const Address b { Kind::Posix, "/" + uniqueName() + "-a", 0 };
    ObjectCleanup bCleanup(b);
    ASSERT_TRUE(createMapping(a, CreateOptions { 4096, 0600, true }).ok());
    ASSERT_TRUE(createMapping(b, CreateOptions { 4096, 0600, true }).ok());
    const std::vector<ObjectInfo> list = listOrFail();
    EXPECT_TRUE(std::is_sorted(list.begin(), list.end(), [](const ObjectInfo& x, const ObjectInfo& y) {
        return std::tie(x.address.kind, x.address.name, x.address.key)
            < std::tie(y.address.kind, y.address.name, y.address.key);
    }));
    EXPECT_TRUE(removeObject(a).ok());
    EXPECT_TRUE(removeObject(b).ok());
}

TEST(Catalog, DescribeMissingObjectsIsNotFound)
{
    const Address missing[] = {
        { Kind::Posix, "/" + uniqueName(), 0 },
        { Kind::File, tempDirectory() + "/" + uniqueName(), 0 },
        { Kind::SysV, {}, unusedSysVKey() },
        { Kind::SysVId, {}, 0x7ffffff0 },
    };
    for (const Address& address : missing) {
        Result<ObjectInfo> info = describeObject(address);
        ASSERT_FALSE(info.ok()) << toString(address);
        EXPECT_EQ(info.error().code, ErrorCode::NotFound) << info.error().message();
        EXPECT_EQ(info.error().operation, "describe");
    }
    EXPECT_EQ(describeObject(Address { Kind::Win, "Local\\x", 0 }).error().code, ErrorCode::Unsupported);
}

TEST(Catalog, OwnerWithoutANameIsTheUid)
{
    if (::geteuid() != 0)
        GTEST_SKIP() << "needs root to give an object to a uid without a name";
    const uid_t nobodyKnows = 54321;
    if (::getpwuid(nobodyKnows))
        GTEST_SKIP() << "uid 54321 has a name here";
    const Address address { Kind::Posix, "/" + uniqueName(), 0 };
    ObjectCleanup addressCleanup(address);
    ASSERT_TRUE(createMapping(address, CreateOptions { 4096, 0600, true }).ok());
    ASSERT_EQ(::chown(("/dev/shm" + address.name).c_str(), nobodyKnows, static_cast<gid_t>(-1)), 0);
    Result<ObjectInfo> info = describeObject(address);
    ASSERT_TRUE(info.ok()) << info.error().message();
    EXPECT_EQ(info->uid, static_cast<std::uint32_t>(nobodyKnows));
    EXPECT_EQ(info->owner, "54321");
    EXPECT_TRUE(removeObject(address).ok());
}

// Names are bytes: an object whose name is not UTF-8 and holds control characters is listed under
// exactly its bytes, printed on one printable line, and that text names it again.
TEST(Catalog, ListsNamesWithAnyByteExactly)
{
    const Address address { Kind::Posix, "/" + uniqueName() + "-\xff\n\x1b[31m\\x41", 0 };
    ObjectCleanup addressCleanup(address);
    ASSERT_TRUE(createMapping(address, CreateOptions { 4096, 0600, true }).ok());
    const std::vector<ObjectInfo> list = listOrFail();
    const ObjectInfo* info = findIn(list, address);
    ASSERT_NE(info, nullptr) << "not listed under its bytes: " << toString(address);
    const std::string text = toString(info->address);
    EXPECT_EQ(text.find_first_of(std::string("\n\x1b\xff", 3)), std::string::npos) << text;
    EXPECT_NE(text.find("-\\xff\\x0a\\x1b[31m\\\\x41"), std::string::npos) << text;
    Result<Address> back = parseAddress(text);
    ASSERT_TRUE(back.ok()) << back.error().message();
    EXPECT_EQ(*back, address);
    Result<ObjectInfo> described = describeObject(*back);
    ASSERT_TRUE(described.ok()) << described.error().message();
    EXPECT_EQ(described->address, address);
}

// A caller that may not read other users' /proc/PID/maps (anyone but root) must not be told that
// nobody maps an object: the catalog counts the processes it could not inspect.
TEST(Catalog, CountsProcessesItCouldNotInspect)
{
    if (::geteuid() != 0)
        GTEST_SKIP() << "needs root: the scan runs as user 65534 against a mapping held by root";
    const Address address { Kind::Posix, "/" + uniqueName(), 0 };
    ObjectCleanup addressCleanup(address);
    Result<Created> created = createMapping(address, CreateOptions { 4096, 0644, true });
    ASSERT_TRUE(created.ok()) << created.error().message();

    // Root finds this process among those that map the object. (Even root may be refused some
    // processes, e.g. the init of a sandbox: they are counted, not checked here.)
    Result<ObjectInfo> asRoot = describeObject(address);
    ASSERT_TRUE(asRoot.ok()) << asRoot.error().message();
    EXPECT_TRUE(contains(asRoot->pids, ::getpid()));

    // The same scans from a child that became an unprivileged user: this (root) process cannot be
    // inspected any more. The child reports through its exit status, one bit per failed check.
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        created->mapping.reset(); // the child's inherited copy: only the parent maps the object now
        if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0)
            ::_exit(100);
        int failed = 0;
        Result<std::vector<ObjectInfo>> list = listObjects();
        const ObjectInfo* listed = list ? findIn(*list, address) : nullptr;
        if (!listed)
            failed |= 1;
        else if (!listed->pids.empty() || listed->uninspectedProcesses < 1 || listed->pidsComplete())
            failed |= 2;
        Result<ObjectInfo> described = describeObject(address);
        if (!described)
            failed |= 4;
        else if (!described->pids.empty() || described->uninspectedProcesses < 1 || described->pidsComplete())
            failed |= 8;
        ::_exit(failed);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    if (WEXITSTATUS(status) == 100)
        GTEST_SKIP() << "cannot become user 65534 here";
    EXPECT_EQ(WEXITSTATUS(status), 0) << "1: not listed, 2: listed as complete, 4: describe failed, "
                                         "8: described as complete";
}

TEST(ProcMaps, ParsesTheLinesTheCatalogNeeds)
{
    detail::MapsLine line;
    ASSERT_TRUE(detail::parseMapsLine(
        "7f2c1a000000-7f2c1a010000 rw-s 00000000 00:1a 12345                      /dev/shm/demo", line));
    EXPECT_EQ(line.device, makedev(0, 0x1a));
    EXPECT_EQ(line.inode, 12345u);
    EXPECT_EQ(line.path, "/dev/shm/demo");

    ASSERT_TRUE(detail::parseMapsLine(
        "7f64a24c8000-7f64a24c9000 rw-s 00000000 00:01 32769                      /SYSV0000002a (deleted)", line));
    EXPECT_EQ(line.device, makedev(0, 1));
    EXPECT_EQ(line.inode, 32769u);
    EXPECT_EQ(line.path, "/SYSV0000002a (deleted)");

    ASSERT_TRUE(detail::parseMapsLine("7ffd1b5f3000-7ffd1b614000 rw-p 00000000 00:00 0 ", line));
    EXPECT_EQ(line.inode, 0u);
    EXPECT_TRUE(line.path.empty());

    ASSERT_TRUE(detail::parseMapsLine("55d0-55d1 r--p 00000000 fd:01 1835 /usr/bin/with space", line));
    EXPECT_EQ(line.device, makedev(0xfd, 1));
    EXPECT_EQ(line.path, "/usr/bin/with space");

    EXPECT_FALSE(detail::parseMapsLine("", line));
    EXPECT_FALSE(detail::parseMapsLine("garbage", line));
    EXPECT_FALSE(detail::parseMapsLine("55d0-55d1 r--p 00000000 fd01 1835 /x", line));
    EXPECT_FALSE(detail::parseMapsLine("55d0-55d1 r--p 00000000 fd:01 notanumber /x", line));
}

TEST(ProcMaps, FindsThisProcessByDeviceAndInode)
{
    const Address address { Kind::Posix, "/" + uniqueName(), 0 };
    ObjectCleanup addressCleanup(address);
    Result<Created> created = createMapping(address, CreateOptions { 4096, 0600, true });
    ASSERT_TRUE(created.ok()) << created.error().message();
    struct stat st = {};
    ASSERT_EQ(::stat(("/dev/shm" + address.name).c_str(), &st), 0);
    const detail::FileId id { static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino) };
    detail::HolderTargets targets;
    targets.files.insert(id);
    const detail::HolderScan scan = detail::scanHolders(targets);
    ASSERT_EQ(scan.files.count(id), 1u);
    std::vector<int> pids;
    for (const Holder& holder : scan.files.at(id))
        pids.push_back(holder.pid);
    EXPECT_TRUE(contains(pids, ::getpid()));
    created->mapping.reset();
    EXPECT_TRUE(removeObject(address).ok());
}

} // namespace
