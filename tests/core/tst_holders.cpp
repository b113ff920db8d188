// Holders of objects (core/holders.h, the scan of core/posix/procholders.h), the stale rule
// (core/stale.h) and /dev/shm usage (core/shmusage.h), against real objects held by real separate
// processes: Python's multiprocessing.shared_memory, forked children that map or only open an
// object, System V attachers, and a second user who cannot inspect root's processes.
#include "core/catalog.h"
#include "core/mapping.h"
#include "core/posix/procholders.h"
#include "core/shmusage.h"
#include "core/stale.h"
#include "tests/core/testsupport.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <ctime>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <mutex>
#include <semaphore.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace shmscope;
using namespace shmscope::test;

namespace {

// A forked child that runs `body` and then waits to be killed; killed and reaped when destroyed.
// `body` returns false when its setup failed (the child then exits 1 at once).
class Child
{
public:
    explicit Child(const std::function<bool()>& body)
    {
        int ready[2];
        if (::pipe(ready) != 0)
            return;
        m_pid = ::fork();
        if (m_pid == 0) {
            ::close(ready[0]);
            const char ok = body() ? 'y' : 'n';
            (void)!::write(ready[1], &ok, 1);
            if (ok != 'y')
                ::_exit(1);
            for (;;)
                ::pause();
        }
        ::close(ready[1]);
        char answer = 0;
        m_ready = m_pid > 0 && ::read(ready[0], &answer, 1) == 1 && answer == 'y';
        ::close(ready[0]);
    }
    ~Child() { kill(); }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    bool ready() const { return m_ready; }
    pid_t pid() const { return m_pid; }
    void kill()
    {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
            m_pid = -1;
        }
    }

private:
    pid_t m_pid = -1;
    bool m_ready = false;
};

Address makeObject(std::uint64_t size = 4096)
{
    const Address address { Kind::Posix, "/" + uniqueName(), 0 };
    Result<Created> created = createMapping(address, CreateOptions { size, 0644, true });
    EXPECT_TRUE(created.ok()) << created.error().message();
    return address;
}

std::string shmPath(const Address& address)
{
    return "/dev/shm" + address.name;
}

const Holder* holderOf(const ObjectInfo& info, int pid)
{
    auto found
        = std::find_if(info.holders.begin(), info.holders.end(), [pid](const Holder& h) { return h.pid == pid; });
    return found == info.holders.end() ? nullptr : &*found;
}

const ObjectInfo* findIn(const std::vector<ObjectInfo>& objects, const Address& address)
{
    auto found
        = std::find_if(objects.begin(), objects.end(), [&](const ObjectInfo& info) { return info.address == address; });
    return found == objects.end() ? nullptr : &*found;
}

TEST(Holders, PythonSharedMemoryShowsItsPythonHolderWithMapAndDescriptor)
{
    const std::string name = uniqueName();
    const Address address { Kind::Posix, "/" + name, 0 };
    ObjectCleanup cleanup(address);
    // multiprocessing.shared_memory keeps the descriptor of shm_open() open and maps it read-write.
    PeerProcess python(SHMSCOPE_PYTHON,
                       { "-c",
                         "import sys, time\n"
                         "from multiprocessing import shared_memory\n"
                         "m = shared_memory.SharedMemory(name=sys.argv[1], create=True, size=8192)\n"
                         "m.buf[0] = 42\n"
                         "print('ready', flush=True)\n"
                         "time.sleep(60)\n",
                         name });
    ASSERT_TRUE(python.started());
    ASSERT_EQ(python.readLine(20s).value_or(""), "ready");

    Result<Inventory> inventory = takeInventory();
    ASSERT_TRUE(inventory.ok()) << inventory.error().message();
    const ObjectInfo* listed = findIn(inventory->objects, address);
    ASSERT_NE(listed, nullptr);
    const Holder* holder = holderOf(*listed, python.pid());
    ASSERT_NE(holder, nullptr) << "the Python process is not among the holders";
    EXPECT_TRUE(holder->name.starts_with("python")) << holder->name;
    EXPECT_EQ(holder->uses, MapsReadWrite | HoldsDescriptor) << holderUseText(holder->uses);
    EXPECT_GE(holder->descriptors, 1u);
    EXPECT_GE(holder->mappings, 1u);
    EXPECT_TRUE(std::count(listed->pids.begin(), listed->pids.end(), python.pid()));
    EXPECT_EQ(listed->allocated, 4096u) << "one page written of 8192 bytes";
    EXPECT_EQ(holderText(*holder), std::to_string(python.pid()) + " (" + holder->name + ": map rw, fd)");

    // describeObject() finds the same, and the verdict is "in use" naming the holder.
    Result<ObjectInfo> described = describeObject(address);
    ASSERT_TRUE(described.ok());
    ASSERT_NE(holderOf(*described, python.pid()), nullptr);
    const StaleVerdict verdict = judgeStale(*described, {}, 0s, std::time(nullptr));
    EXPECT_EQ(verdict.state, StaleState::InUse);
    EXPECT_NE(verdict.reason.find(std::to_string(python.pid())), std::string::npos) << verdict.reason;
    python.kill();
    // Python's resource tracker may unlink it when its parent dies; ObjectCleanup covers the rest.
}

TEST(Holders, TellsReadWriteReadOnlyPrivateAndDescriptorOnlyApart)
{
    const Address address = makeObject();
    ObjectCleanup cleanup(address);
    const std::string path = shmPath(address);
    auto mapper = [&path](int openFlags, int protection, int sharing, bool keepFd) {
        return [=] {
            const int fd = ::open(path.c_str(), openFlags | O_CLOEXEC);
            if (fd < 0)
                return false;
            if (protection != 0 && ::mmap(nullptr, 4096, protection, sharing, fd, 0) == MAP_FAILED)
                return false;
            if (!keepFd)
                ::close(fd);
            return true;
        };
    };
    Child readWrite(mapper(O_RDWR, PROT_READ | PROT_WRITE, MAP_SHARED, false));
    Child readOnly(mapper(O_RDONLY, PROT_READ, MAP_SHARED, false));
    Child copyOnWrite(mapper(O_RDONLY, PROT_READ | PROT_WRITE, MAP_PRIVATE, false));
    Child descriptorOnly(mapper(O_RDONLY, 0, 0, true));
    ASSERT_TRUE(readWrite.ready() && readOnly.ready() && copyOnWrite.ready() && descriptorOnly.ready());

    Result<ObjectInfo> info = describeObject(address);
    ASSERT_TRUE(info.ok()) << info.error().message();
    const struct {
        const Child& child;
        std::uint8_t uses;
    } expected[] = { { readWrite, MapsReadWrite },
                     { readOnly, MapsReadOnly },
                     { copyOnWrite, MapsPrivate },
                     { descriptorOnly, HoldsDescriptor } };
    for (const auto& [child, uses] : expected) {
        const Holder* holder = holderOf(*info, child.pid());
        ASSERT_NE(holder, nullptr) << "pid " << child.pid() << " missing";
        EXPECT_EQ(holder->uses, uses) << "pid " << child.pid() << ": " << holderUseText(holder->uses);
    }
    // The process that only holds a descriptor maps nothing: a holder, but not in `pids`.
    EXPECT_FALSE(std::count(info->pids.begin(), info->pids.end(), descriptorOnly.pid()));
    EXPECT_TRUE(std::count(info->pids.begin(), info->pids.end(), readOnly.pid()));
    EXPECT_TRUE(std::is_sorted(info->holders.begin(), info->holders.end(),
                               [](const Holder& a, const Holder& b) { return a.pid < b.pid; }));

    // Held only by a descriptor, the object is still in use.
    readWrite.kill();
    readOnly.kill();
    copyOnWrite.kill();
    info = describeObject(address);
    ASSERT_TRUE(info.ok());
    ASSERT_EQ(info->holders.size(), 1u);
    EXPECT_EQ(judgeStale(*info, {}, 0s, std::time(nullptr)).state, StaleState::InUse);
}

TEST(Holders, SystemVAttachersReadOnlyAndReadWrite)
{
    const std::uint32_t key = unusedSysVKey();
    const int shmid = ::shmget(static_cast<key_t>(key), 4096, IPC_CREAT | IPC_EXCL | 0600);
    ASSERT_GE(shmid, 0);
    AtScopeExit removeSegment([shmid] { ::shmctl(shmid, IPC_RMID, nullptr); });
    Child reader([shmid] { return ::shmat(shmid, nullptr, SHM_RDONLY) != reinterpret_cast<void*>(-1); });
    Child writer([shmid] { return ::shmat(shmid, nullptr, 0) != reinterpret_cast<void*>(-1); });
    ASSERT_TRUE(reader.ready() && writer.ready());

    Result<ObjectInfo> info = describeObject(Address { Kind::SysV, {}, key });
    ASSERT_TRUE(info.ok()) << info.error().message();
    EXPECT_EQ(info->attachCount, 2u);
    ASSERT_NE(holderOf(*info, reader.pid()), nullptr);
    ASSERT_NE(holderOf(*info, writer.pid()), nullptr);
    EXPECT_EQ(holderOf(*info, reader.pid())->uses, MapsReadOnly);
    EXPECT_EQ(holderOf(*info, writer.pid())->uses, MapsReadWrite);
    EXPECT_EQ(judgeStale(*info, {}, 0s, std::time(nullptr)).state, StaleState::InUse);

    // Unattached while its creator (this process) runs: "unattached", not stale.
    reader.kill();
    writer.kill();
    info = describeObject(Address { Kind::SysV, {}, key });
    ASSERT_TRUE(info.ok());
    EXPECT_EQ(info->attachCount, 0u);
    EXPECT_EQ(info->creatorPid, ::getpid());
    const StaleVerdict verdict = judgeStale(*info, {}, 0s, std::time(nullptr) + 1);
    EXPECT_EQ(verdict.state, StaleState::Unattached) << verdict.reason;
    EXPECT_NE(verdict.reason.find("not necessarily stale"), std::string::npos) << verdict.reason;

    // After IPC_RMID with an attacher left: "removing".
    Child last([shmid] { return ::shmat(shmid, nullptr, 0) != reinterpret_cast<void*>(-1); });
    ASSERT_TRUE(last.ready());
    ASSERT_EQ(::shmctl(shmid, IPC_RMID, nullptr), 0);
    info = describeObject(Address { Kind::SysVId, {}, static_cast<std::uint32_t>(shmid) });
    ASSERT_TRUE(info.ok()) << info.error().message();
    EXPECT_TRUE(info->markedForRemoval);
    EXPECT_EQ(judgeStale(*info, {}, 0s, std::time(nullptr)).state, StaleState::Removing);
}

TEST(Holders, AProcessThatCannotBeInspectedMakesTheStateUnknown)
{
    std::string whyNot;
    const std::optional<TestUser> other = secondUser(whyNot);
    if (!other)
        GTEST_SKIP() << whyNot;
    const Address address = makeObject();
    ObjectCleanup cleanup(address);
    // Held only by a root process, whose mapping the other user cannot see. (Not this process: the
    // child of runAs() would inherit the mapping and see itself holding it.)
    const std::string path = shmPath(address);
    Child holder([&path] {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        return fd >= 0 && ::mmap(nullptr, 4096, PROT_READ, MAP_SHARED, fd, 0) != MAP_FAILED;
    });
    ASSERT_TRUE(holder.ready());

    const int status = runAs(*other, [&] {
        Result<Inventory> inventory = takeInventory();
        if (!inventory)
            return 10;
        const ObjectInfo* info = findIn(inventory->objects, address);
        if (!info)
            return 11;
        if (inventory->uninspectedProcesses == 0 || info->uninspectedProcesses == 0)
            return 12; // root's processes must count as uninspected for this user
        if (!std::count(inventory->uninspectedPids.begin(), inventory->uninspectedPids.end(), int(::getppid())))
            return 13; // the test process (root, its parent) among them
        if (!info->holders.empty())
            return 14;
        const StaleVerdict verdict = judgeStale(*info, findLeftoverEvidence(), 0s, std::time(nullptr) + 60);
        if (verdict.state != StaleState::Unknown)
            return 15;
        return verdict.reason.find("could not be inspected") != std::string::npos ? 0 : 16;
    });
    EXPECT_EQ(status, 0) << "10 list failed, 11 not listed, 12 nothing uninspected, 13 parent not counted, "
                            "14 holder seen, 15 not unknown, 16 reason";
    // Root sees the holder, so the object is in use.
    Result<ObjectInfo> asRoot = describeObject(address);
    ASSERT_TRUE(asRoot.ok());
    EXPECT_NE(holderOf(*asRoot, holder.pid()), nullptr);
}

// A process whose inspection blocks is given up after the budget and counted; the scan finds the
// other holders and returns.
TEST(Holders, AProcessThatBlocksIsCountedAsTimedOutAndTheScanMovesOn)
{
    const Address address = makeObject();
    ObjectCleanup cleanup(address);
    const std::string path = shmPath(address);
    auto mapShared = [&path] {
        const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
        return fd >= 0 && ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) != MAP_FAILED;
    };
    Child stuck(mapShared);
    Child fine(mapShared);
    ASSERT_TRUE(stuck.ready() && fine.ready());

    struct Gate {
        std::mutex mutex;
        std::condition_variable opened;
        bool open = false;
    };
    auto gate = std::make_shared<Gate>();
    const int stuckPid = stuck.pid();
    detail::setHolderScanHookForTesting([gate, stuckPid](int pid) {
        if (pid != stuckPid)
            return;
        std::unique_lock lock(gate->mutex);
        gate->opened.wait_for(lock, 30s, [&] { return gate->open; });
    });
    AtScopeExit release([gate] {
        detail::setHolderScanHookForTesting({});
        std::lock_guard lock(gate->mutex);
        gate->open = true;
        gate->opened.notify_all();
    });

    struct stat st = {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    detail::HolderTargets targets;
    targets.files.insert({ static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino) });
    detail::HolderScanOptions options;
    options.perProcessBudget = 100ms;
    options.threads = 1; // the stuck process takes the only reader: a new one must replace it
    const detail::HolderScan scan = detail::scanHolders(targets, options);

    EXPECT_EQ(scan.timedOut, 1u);
    EXPECT_GE(scan.uninspected, 1u);
    EXPECT_TRUE(std::count(scan.uninspectedPids.begin(), scan.uninspectedPids.end(), stuckPid));
    ASSERT_EQ(scan.files.size(), 1u);
    const std::vector<Holder>& holders = scan.files.begin()->second;
    EXPECT_TRUE(std::any_of(holders.begin(), holders.end(), [&](const Holder& h) { return h.pid == fine.pid(); }));
    EXPECT_FALSE(std::any_of(holders.begin(), holders.end(), [&](const Holder& h) { return h.pid == stuckPid; }));
}

TEST(Stale, TheRuleStepByStep)
{
    const std::int64_t now = std::time(nullptr);
    ObjectInfo object;
    object.address = Address { Kind::Posix, "/" + uniqueName(), 0 }; // never made: the rule only
    object.changedTime = now - 3600;

    EXPECT_EQ(judgeStale(object, {}, 600s, now).state, StaleState::Stale);
    EXPECT_EQ(judgeStale(object, {}, 600s, now).ageSeconds, 3600);
    EXPECT_EQ(judgeStale(object, {}, 7200s, now).state, StaleState::Recent);
    object.uninspectedProcesses = 3;
    const StaleVerdict unknown = judgeStale(object, {}, 600s, now);
    EXPECT_EQ(unknown.state, StaleState::Unknown);
    EXPECT_NE(unknown.reason.find("3 processes could not be inspected"), std::string::npos) << unknown.reason;
    object.holders.push_back(Holder { 4242, "worker", HoldsDescriptor, 0, 1 });
    const StaleVerdict inUse = judgeStale(object, {}, 600s, now);
    EXPECT_EQ(inUse.state, StaleState::InUse);
    EXPECT_NE(inUse.reason.find("4242 (worker: fd)"), std::string::npos) << inUse.reason;

    // Names are evidence only: a psm_ name says who left it, but decides nothing.
    ObjectInfo python;
    python.address = Address { Kind::Posix, "/psm_0a1b2c3d", 0 };
    python.changedTime = now;
    const StaleVerdict recent = judgeStale(python, {}, 600s, now);
    EXPECT_EQ(recent.state, StaleState::Recent);
    EXPECT_EQ(recent.leftoverOf, "Python multiprocessing.shared_memory (psm_*)");

    // System V: unattached with a dead creator and last user is stale; a QSharedMemory key file for
    // its key is shown.
    Child gone([] { return true; });
    ASSERT_TRUE(gone.ready());
    const int deadPid = gone.pid();
    gone.kill();
    ObjectInfo segment;
    segment.address = Address { Kind::SysV, {}, 0x53fffffe };
    segment.changedTime = now - 3600;
    segment.creatorPid = deadPid;
    segment.lastPid = deadPid;
    LeftoverEvidence evidence;
    evidence.qtKeyFiles[0x53fffffe] = "/tmp/qipc_sharedmemory_example";
    const StaleVerdict stale = judgeStale(segment, evidence, 600s, now);
    EXPECT_EQ(stale.state, StaleState::Stale) << stale.reason;
    EXPECT_EQ(stale.qtKeyFile, "/tmp/qipc_sharedmemory_example");
    EXPECT_NE(stale.leftoverOf.find("QSharedMemory"), std::string::npos);
    segment.uninspectedProcesses = 5; // nattch is authoritative for System V
    EXPECT_EQ(judgeStale(segment, evidence, 600s, now).state, StaleState::Stale);
    segment.lastPid = ::getpid();
    EXPECT_EQ(judgeStale(segment, evidence, 600s, now).state, StaleState::Unattached);
    segment.attachCount = 1;
    EXPECT_EQ(judgeStale(segment, evidence, 600s, now).state, StaleState::InUse);
}

TEST(Usage, RanksDevShmEntriesByAllocatedBytes)
{
    // A sparse 64 MiB object with one page written (made with ftruncate: createMapping() reserves
    // every page), and a 1 MiB object written in full.
    const Address sparse { Kind::Posix, "/" + uniqueName(), 0 };
    ObjectCleanup sparseCleanup(sparse);
    {
        const int fd = ::open(shmPath(sparse).c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        ASSERT_GE(fd, 0);
        ASSERT_EQ(::ftruncate(fd, 64 << 20), 0);
        ::close(fd);
    }
    const Address dense = makeObject(1 << 20);
    ObjectCleanup denseCleanup(dense);
    {
        Result<std::unique_ptr<Mapping>> view = attachMapping(sparse, Access::ReadWrite);
        ASSERT_TRUE(view.ok());
        ASSERT_TRUE((*view)->write(1 << 20, "x", 1).ok());
        Result<std::unique_ptr<Mapping>> full = attachMapping(dense, Access::ReadWrite);
        ASSERT_TRUE(full.ok());
        const std::string ones(1 << 20, '\1');
        ASSERT_TRUE((*full)->write(0, ones.data(), ones.size()).ok());
    }
    Result<Inventory> inventory = takeInventory();
    ASSERT_TRUE(inventory.ok());
    Result<ShmUsage> usage = measureShmUsage(*inventory, inventory->objects.size() + inventory->semaphores.size());
    ASSERT_TRUE(usage.ok()) << usage.error().message();
    EXPECT_GT(usage->size, 0u);
    EXPECT_GE(usage->used, std::uint64_t(1 << 20) + 4096);
    EXPECT_LE(usage->used + usage->free, usage->size);
    EXPECT_GE(usage->objectsAllocated, std::uint64_t(1 << 20) + 4096);
    auto rank = [&](const Address& address) {
        auto found = std::find_if(usage->largest.begin(), usage->largest.end(),
                                  [&](const ObjectInfo& info) { return info.address == address; });
        return found == usage->largest.end() ? -1 : int(found - usage->largest.begin());
    };
    ASSERT_GE(rank(dense), 0);
    ASSERT_GE(rank(sparse), 0);
    EXPECT_LT(rank(dense), rank(sparse)) << "1 MiB written outranks 64 MiB mostly hole";
    EXPECT_EQ(usage->largest[std::size_t(rank(dense))].allocated, std::uint64_t(1 << 20));
    EXPECT_EQ(usage->largest[std::size_t(rank(sparse))].allocated, 4096u);
    EXPECT_EQ(usage->largest[std::size_t(rank(sparse))].size, std::uint64_t(64 << 20));
    EXPECT_TRUE(std::is_sorted(usage->largest.begin(), usage->largest.end(),
                               [](const ObjectInfo& a, const ObjectInfo& b) { return a.allocated > b.allocated; }));
}

TEST(Inventory, ListsGlibcSemaphoresApartWithTheirHolders)
{
    const std::string name = "/" + uniqueName();
    sem_t* semaphore = ::sem_open(name.c_str(), O_CREAT | O_EXCL, 0600, 1);
    ASSERT_NE(semaphore, SEM_FAILED);
    AtScopeExit unlink([&] {
        ::sem_close(semaphore);
        ::sem_unlink(name.c_str());
    });
    Result<Inventory> inventory = takeInventory();
    ASSERT_TRUE(inventory.ok());
    const Address address { Kind::Posix, "/sem." + name.substr(1), 0 };
    EXPECT_EQ(findIn(inventory->objects, address), nullptr) << "a semaphore is no memory object";
    const ObjectInfo* listed = findIn(inventory->semaphores, address);
    ASSERT_NE(listed, nullptr);
    EXPECT_NE(holderOf(*listed, ::getpid()), nullptr);
}

} // namespace

// File-backed objects: a file mapped shared is found by the one pass over /proc with every holder
// (read-write and read-only mappers, and a process that only holds a descriptor to it); a file
// mapped private only is no object; a known file is listed with nobody holding it; none of it
// unless asked for.
TEST(Inventory, ListsFilesMappedSharedAndKnownFilesWithTheirHolders)
{
    char* resolved = ::realpath(tempDirectory().c_str(), nullptr);
    ASSERT_NE(resolved, nullptr);
    const std::string folder = resolved;
    std::free(resolved);
    const std::string shared = folder + "/" + uniqueName() + "-shared.bin";
    const std::string privately = folder + "/" + uniqueName() + "-private.bin";
    const std::string known = folder + "/" + uniqueName() + "-known.bin";
    AtScopeExit removeFiles([&] {
        for (const std::string& path : { shared, privately, known })
            ::unlink(path.c_str());
    });
    for (const std::string& path : { shared, privately, known }) {
        const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        ASSERT_GE(fd, 0) << path;
        ASSERT_EQ(::ftruncate(fd, 8192), 0);
        ::close(fd);
    }
    auto mapper = [](const std::string& path, int openFlags, int protection, int sharing, bool keepFd) {
        return [=] {
            const int fd = ::open(path.c_str(), openFlags | O_CLOEXEC);
            if (fd < 0)
                return false;
            if (protection != 0 && ::mmap(nullptr, 8192, protection, sharing, fd, 0) == MAP_FAILED)
                return false;
            if (!keepFd)
                ::close(fd);
            return true;
        };
    };
    Child readWrite(mapper(shared, O_RDWR, PROT_READ | PROT_WRITE, MAP_SHARED, false));
    Child readOnly(mapper(shared, O_RDONLY, PROT_READ, MAP_SHARED, false));
    Child descriptorOnly(mapper(shared, O_RDONLY, 0, 0, true));
    Child copyOnWrite(mapper(privately, O_RDONLY, PROT_READ | PROT_WRITE, MAP_PRIVATE, true));
    ASSERT_TRUE(readWrite.ready() && readOnly.ready() && descriptorOnly.ready() && copyOnWrite.ready());

    InventoryOptions options;
    options.includeMappedFiles = true;
    options.knownFiles = { known, folder + "/" + uniqueName() + "-missing.bin" };
    Result<Inventory> inventory = takeInventory(options);
    ASSERT_TRUE(inventory.ok()) << inventory.error().message();

    const ObjectInfo* info = findIn(inventory->files, Address { Kind::File, shared, 0 });
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->size, 8192u);
    const struct {
        const Child& child;
        std::uint8_t uses;
    } expected[] = { { readWrite, MapsReadWrite }, { readOnly, MapsReadOnly }, { descriptorOnly, HoldsDescriptor } };
    for (const auto& [child, uses] : expected) {
        const Holder* holder = holderOf(*info, child.pid());
        ASSERT_NE(holder, nullptr) << "pid " << child.pid() << " missing";
        EXPECT_EQ(holder->uses, uses) << "pid " << child.pid() << ": " << holderUseText(holder->uses);
        EXPECT_FALSE(holder->name.empty());
    }
    EXPECT_TRUE(std::is_sorted(info->holders.begin(), info->holders.end(),
                               [](const Holder& a, const Holder& b) { return a.pid < b.pid; }));
    EXPECT_EQ(info->pids.size(), 2u);
    EXPECT_EQ(findIn(inventory->files, Address { Kind::File, privately, 0 }), nullptr);
    const ObjectInfo* knownInfo = findIn(inventory->files, Address { Kind::File, known, 0 });
    ASSERT_NE(knownInfo, nullptr);
    EXPECT_TRUE(knownInfo->holders.empty());
    // No shared library or /dev, /proc, /sys path is an object.
    for (const ObjectInfo& file : inventory->files) {
        EXPECT_EQ(file.address.kind, Kind::File);
        EXPECT_FALSE(file.address.name.starts_with("/dev/") || file.address.name.starts_with("/proc/")
                     || file.address.name.starts_with("/sys/") || file.address.name.ends_with(".so")
                     || file.address.name.find(".so.") != std::string::npos)
            << file.address.name;
    }

    Result<Inventory> plain = takeInventory();
    ASSERT_TRUE(plain.ok());
    EXPECT_TRUE(plain->files.empty());
}
