// The lock file of System V segments (core/posix/sysvlockfile.h, core/README.md): nobody who may
// not write a segment can take or block its lock, a file planted under the lock's name is refused
// (never used), and lock files of segments that are gone are swept.
#include "core/catalog.h"
#include "core/mapping.h"
#include "tests/core/testsupport.h"

#include <cerrno>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

using namespace shmscope;
using namespace shmscope::test;

namespace {

std::string lockPath(int shmid)
{
    return "/dev/shm/.shmscope-sysv-" + std::to_string(shmid) + ".lock";
}

// A segment made for one test (mode `mode`, owned by the caller), removed with its lock file.
struct Segment {
    explicit Segment(std::uint32_t mode)
        : address { Kind::SysV, {}, unusedSysVKey() }
    {
        Result<Created> created = createMapping(address, CreateOptions { 4096, mode, true });
        if (created) {
            mapping = std::move(created->mapping);
            shmid = ::shmget(static_cast<key_t>(address.key), 0, 0);
        } else {
            error = created.error().message();
        }
    }
    ~Segment()
    {
        mapping.reset();
        if (shmid >= 0) {
            ::shmctl(shmid, IPC_RMID, nullptr);
            ::unlink(lockPath(shmid).c_str());
        }
    }
    Segment(const Segment&) = delete;
    Segment& operator=(const Segment&) = delete;

    Address address;
    std::unique_ptr<Mapping> mapping;
    int shmid = -1;
    std::string error;
};

// What a process can do with a lock file: bit 0 set when it could open it for reading, bit 1 for
// writing, bit 2 when it took an OFD lock on it (any kind).
int probeLockFile(const std::string& path)
{
    int result = 0;
    for (const int flags : { O_RDONLY, O_RDWR }) {
        const int fd = ::open(path.c_str(), flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
            continue;
        result |= flags == O_RDONLY ? 1 : 2;
        struct flock range = {};
        range.l_type = flags == O_RDONLY ? F_RDLCK : F_WRLCK;
        range.l_whence = SEEK_SET;
        range.l_start = 0x7ffffffffffffffe;
        range.l_len = 1;
        if (::fcntl(fd, F_OFD_SETLK, &range) == 0)
            result |= 4;
        ::close(fd);
    }
    return result;
}

TEST(SysVLock, FileModeGrantsOnlyTheClassesThatMayWriteTheSegment)
{
    // rw for each class that may read and write the segment, nothing for one that may only read it
    // (a read lock of such a user would hold every writer off). Before: always 0666.
    const std::pair<std::uint32_t, mode_t> cases[]
        = { { 0600, 0600 }, { 0644, 0600 }, { 0640, 0600 }, { 0660, 0660 }, { 0664, 0660 }, { 0666, 0666 } };
    for (const auto& [segmentMode, lockMode] : cases) {
        Segment segment(segmentMode);
        ASSERT_TRUE(segment.mapping) << segment.error;
        const mode_t previous = ::umask(0);
        Result<LockGuard> guard = segment.mapping->lock(1s);
        ::umask(previous);
        ASSERT_TRUE(guard.ok()) << guard.error().message();
        struct stat st = {};
        ASSERT_EQ(::lstat(lockPath(segment.shmid).c_str(), &st), 0);
        EXPECT_TRUE(S_ISREG(st.st_mode));
        EXPECT_EQ(st.st_mode & 07777, lockMode) << "segment mode 0" << std::oct << segmentMode;
        EXPECT_EQ(st.st_uid, ::geteuid());
    }
}

TEST(SysVLock, AnotherUserCannotTakeOrBlockTheLock)
{
    std::string whyNot;
    const std::optional<TestUser> other = secondUser(whyNot);
    if (!other)
        GTEST_SKIP() << whyNot;

    // 0600: the other user may neither read nor write the segment; 0644: it may read but not write.
    for (const std::uint32_t mode : { 0600u, 0644u }) {
        Segment segment(mode);
        ASSERT_TRUE(segment.mapping) << segment.error;
        ASSERT_TRUE(segment.mapping->lock(1s).ok()); // creates the lock file
        const std::string path = lockPath(segment.shmid);

        EXPECT_EQ(runAs(*other, [&] { return probeLockFile(path); }), 0) << "segment mode 0" << std::oct << mode;
        // Through the core: a read-only view of the 0644 segment may not take the lock either.
        const int viaCore = runAs(*other, [&] {
            Result<std::unique_ptr<Mapping>> view = attachMapping(segment.address, Access::ReadOnly);
            if (!view)
                return view.error().code == ErrorCode::PermissionDenied ? 10 : 11;
            Result<LockGuard> shared = (*view)->readLock(0ms);
            if (shared)
                return 12;
            return shared.error().code == ErrorCode::PermissionDenied ? 13 : 14;
        });
        EXPECT_EQ(viaCore, mode == 0600 ? 10 : 13) << "segment mode 0" << std::oct << mode;
        // Nor remove it (sticky /dev/shm) to make way for a file of its own.
        EXPECT_NE(runAs(*other, [&] { return ::unlink(path.c_str()) == 0 ? 0 : 1; }), 0);

        // The owner still takes the lock at once.
        Result<LockGuard> guard = segment.mapping->lock(0ms);
        EXPECT_TRUE(guard.ok()) << guard.error().message();
    }
}

TEST(SysVLock, RootMakesTheLockFileTheSegmentOwners)
{
    std::string whyNot;
    const std::optional<TestUser> other = secondUser(whyNot);
    if (!other)
        GTEST_SKIP() << whyNot;
    Segment segment(0600);
    ASSERT_TRUE(segment.mapping) << segment.error;
    // Hand the segment to the other user (root created it, so it stays its creator).
    struct shmid_ds info = {};
    ASSERT_EQ(::shmctl(segment.shmid, IPC_STAT, &info), 0);
    info.shm_perm.uid = other->uid;
    info.shm_perm.gid = other->gid;
    ASSERT_EQ(::shmctl(segment.shmid, IPC_SET, &info), 0);

    ASSERT_TRUE(segment.mapping->lock(1s).ok());
    struct stat st = {};
    ASSERT_EQ(::lstat(lockPath(segment.shmid).c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, other->uid);
    EXPECT_EQ(st.st_gid, other->gid);
    EXPECT_EQ(st.st_mode & 07777, 0600u);

    // The owner's own ShmScope uses the same file.
    const int owner = runAs(*other, [&] {
        Result<std::unique_ptr<Mapping>> view = attachMapping(segment.address, Access::ReadWrite);
        if (!view)
            return 20;
        return (*view)->writeLocked(0, "ok", 2, 1s).ok() ? 0 : 21;
    });
    EXPECT_EQ(owner, 0);
}

// What was planted at the lock path is refused with a message naming it and why; it is neither used
// nor changed, and nothing is written.
void expectRefused(Segment& segment, const std::string& why)
{
    const std::string path = lockPath(segment.shmid);
    struct stat before = {};
    ASSERT_EQ(::lstat(path.c_str(), &before), 0);
    Status written = segment.mapping->writeLocked(0, "x", 1, 200ms);
    ASSERT_FALSE(written.ok()) << why << ": the planted lock file was used";
    EXPECT_EQ(written.error().code, ErrorCode::PermissionDenied) << written.error().message();
    const std::string message = written.error().message();
    EXPECT_NE(message.find("refusing the lock file " + path), std::string::npos) << message;
    EXPECT_NE(message.find(why), std::string::npos) << message;
    char byte = 1;
    ASSERT_TRUE(segment.mapping->read(0, &byte, 1).ok());
    EXPECT_EQ(byte, 0);
    struct stat after = {};
    ASSERT_EQ(::lstat(path.c_str(), &after), 0);
    EXPECT_EQ(after.st_ino, before.st_ino);
    EXPECT_EQ(after.st_mode, before.st_mode);
    EXPECT_EQ(after.st_uid, before.st_uid);
}

TEST(SysVLock, PlantedFifoSocketOrSymlinkIsRefused)
{
    for (const char* kind : { "FIFO", "socket", "symbolic link" }) {
        Segment segment(0600);
        ASSERT_TRUE(segment.mapping) << segment.error;
        const std::string path = lockPath(segment.shmid);
        const std::string target = tempDirectory() + "/" + uniqueName();
        int socketFd = -1;
        if (std::string(kind) == "FIFO") {
            ASSERT_EQ(::mkfifo(path.c_str(), 0666), 0);
        } else if (std::string(kind) == "socket") {
            socketFd = ::socket(AF_UNIX, SOCK_STREAM, 0);
            sockaddr_un name = {};
            name.sun_family = AF_UNIX;
            ASSERT_LT(path.size(), sizeof name.sun_path);
            path.copy(name.sun_path, path.size());
            ASSERT_EQ(::bind(socketFd, reinterpret_cast<sockaddr*>(&name), sizeof name), 0);
        } else {
            ASSERT_EQ(::symlink(target.c_str(), path.c_str()), 0);
        }
        expectRefused(segment, std::string("it is a ") + kind + ", not a regular file");
        if (socketFd >= 0)
            ::close(socketFd);
        EXPECT_NE(::access(target.c_str(), F_OK), 0) << "the symlink was followed";
        // Once the planted node is gone, the lock works.
        ASSERT_EQ(::unlink(path.c_str()), 0);
        Result<std::unique_ptr<Mapping>> fresh = attachMapping(segment.address, Access::ReadWrite);
        ASSERT_TRUE(fresh.ok()) << fresh.error().message();
        Status written = (*fresh)->writeLocked(0, "x", 1, 1s);
        EXPECT_TRUE(written.ok()) << written.error().message();
    }
}

TEST(SysVLock, PlantedFileOfAnotherUserIsRefused)
{
    std::string whyNot;
    const std::optional<TestUser> other = secondUser(whyNot);
    if (!other)
        GTEST_SKIP() << whyNot;
    // The other user plants a regular file (mode 0600 or 0666) under the name the next lock will use,
    // as it could before the segment existed: shmids are predictable.
    for (const mode_t plantedMode : { 0600, 0666 }) {
        Segment segment(0600);
        ASSERT_TRUE(segment.mapping) << segment.error;
        const std::string path = lockPath(segment.shmid);
        const int planted = runAs(*other, [&] {
            const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL, plantedMode);
            if (fd < 0)
                return 1;
            const bool moded = ::fchmod(fd, plantedMode) == 0;
            ::close(fd);
            return moded ? 0 : 2;
        });
        ASSERT_EQ(planted, 0);
        expectRefused(segment, "it is owned by " + other->name + ", who may not write the segment");
    }
}

TEST(SysVLock, OrphanedLockFilesAreSwept)
{
    int goneId = -1;
    {
        Segment segment(0600);
        ASSERT_TRUE(segment.mapping) << segment.error;
        ASSERT_TRUE(segment.mapping->lock(1s).ok());
        ASSERT_EQ(::access(lockPath(segment.shmid).c_str(), F_OK), 0);
        // Removed behind ShmScope's back (ipcrm), then detached: the segment is gone for good.
        goneId = segment.shmid;
        ASSERT_EQ(::shmctl(segment.shmid, IPC_RMID, nullptr), 0);
        segment.mapping.reset();
        segment.shmid = -1;
    }
    ASSERT_EQ(::access(lockPath(goneId).c_str(), F_OK), 0);

    // Files that only look like lock files (another name) are not ours to remove.
    const std::string lookalike = "/dev/shm/.shmscope-sysv-0" + std::to_string(goneId) + ".lock";
    const std::string other = lockPath(goneId) + ".keep";
    for (const std::string& path : { lookalike, other }) {
        const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600);
        ASSERT_GE(fd, 0) << path;
        ::close(fd);
    }
    // Nor is another user's orphan (where a second user is available): a shmid no segment has, one
    // that existed a moment ago.
    std::string whyNot;
    const std::optional<TestUser> otherUser = secondUser(whyNot);
    std::string othersOrphan;
    if (otherUser) {
        const int id = ::shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
        ASSERT_GE(id, 0);
        ASSERT_EQ(::shmctl(id, IPC_RMID, nullptr), 0);
        othersOrphan = lockPath(id);
        ASSERT_EQ(runAs(*otherUser,
                        [&] {
                            const int fd = ::open(othersOrphan.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600);
                            return fd < 0 ? 1 : (::close(fd), 0);
                        }),
                  0);
    }

    Result<std::vector<ObjectInfo>> listed = listObjects();
    ASSERT_TRUE(listed.ok()) << listed.error().message();
    EXPECT_NE(::access(lockPath(goneId).c_str(), F_OK), 0) << "the orphaned lock file was not swept";
    EXPECT_EQ(::access(lookalike.c_str(), F_OK), 0);
    EXPECT_EQ(::access(other.c_str(), F_OK), 0);
    ::unlink(lookalike.c_str());
    ::unlink(other.c_str());
    if (!othersOrphan.empty()) {
        EXPECT_EQ(::access(othersOrphan.c_str(), F_OK), 0) << "another user's file was removed";
        ::unlink(othersOrphan.c_str());
    }
}

TEST(SysVLock, RemoveTakesTheLockFileAndSweepsOrphans)
{
    Segment orphan(0600);
    ASSERT_TRUE(orphan.mapping) << orphan.error;
    ASSERT_TRUE(orphan.mapping->lock(1s).ok());
    const std::string orphanPath = lockPath(orphan.shmid);
    ASSERT_EQ(::shmctl(orphan.shmid, IPC_RMID, nullptr), 0);
    orphan.mapping.reset();
    orphan.shmid = -1;

    Segment segment(0600);
    ASSERT_TRUE(segment.mapping) << segment.error;
    ASSERT_TRUE(segment.mapping->lock(1s).ok());
    const std::string path = lockPath(segment.shmid);
    segment.mapping.reset();
    ASSERT_TRUE(removeObject(segment.address).ok());
    segment.shmid = -1;
    EXPECT_NE(::access(path.c_str(), F_OK), 0);
    EXPECT_NE(::access(orphanPath.c_str(), F_OK), 0) << "the orphan of a segment removed by ipcrm stayed";
}

TEST(SysVLock, LockFileStaysWhileARemovedSegmentIsStillAttached)
{
    Segment segment(0600);
    ASSERT_TRUE(segment.mapping) << segment.error;
    ASSERT_TRUE(segment.mapping->lock(1s).ok());
    const std::string path = lockPath(segment.shmid);
    ASSERT_TRUE(removeObject(segment.address).ok());
    // Still attached here: views of it keep locking the same file.
    EXPECT_EQ(::access(path.c_str(), F_OK), 0);
    Result<LockGuard> guard = segment.mapping->lock(0ms);
    ASSERT_TRUE(guard.ok()) << guard.error().message();
    guard->unlock();
    segment.mapping.reset();
    segment.shmid = -1;
    ASSERT_TRUE(listObjects().ok());
    EXPECT_NE(::access(path.c_str(), F_OK), 0);
}

} // namespace
