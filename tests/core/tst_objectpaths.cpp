// How posix: and file: names are found (core/posix/objectpath.h): remove refuses what attach refuses
// (never unlinking a FIFO, socket, folder or symlink given by mistake), and a symlink planted in a
// sticky world-writable folder is not followed (the rule of fs.protected_symlinks, applied whatever
// that sysctl says). Every node is made in this test's own temporary folder (or under a unique name
// in /dev/shm), never a real device (the character device is a mknod of 1,3 in that folder, as root).
#include "core/catalog.h"
#include "core/mapping.h"
#include "tests/core/testsupport.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

using namespace shmscope;
using namespace shmscope::test;

namespace {

// A folder of this test's own under tempDirectory(), removed with everything in it.
struct Folder {
    explicit Folder(mode_t mode)
        : path(tempDirectory() + "/" + uniqueName())
    {
        ok = ::mkdir(path.c_str(), 0700) == 0 && ::chmod(path.c_str(), mode) == 0;
    }
    ~Folder() { std::filesystem::remove_all(path); }
    std::string operator/(const std::string& name) const { return path + "/" + name; }
    std::string path;
    bool ok = false;
};

// A bound AF_UNIX socket at `path` (closed when destroyed; the node stays until unlinked).
struct BoundSocket {
    explicit BoundSocket(const std::string& path)
    {
        fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un name = {};
        name.sun_family = AF_UNIX;
        if (fd < 0 || path.size() >= sizeof name.sun_path)
            return;
        path.copy(name.sun_path, path.size());
        bound = ::bind(fd, reinterpret_cast<sockaddr*>(&name), sizeof name) == 0;
    }
    ~BoundSocket()
    {
        if (fd >= 0)
            ::close(fd);
    }
    int fd = -1;
    bool bound = false;
};

struct stat lstatOf(const std::string& path)
{
    struct stat st = {};
    st.st_ino = 0;
    if (::lstat(path.c_str(), &st) != 0)
        st.st_ino = 0;
    return st;
}

std::string fileContents(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeFile(const std::string& path, const std::string& contents, mode_t mode)
{
    std::ofstream(path, std::ios::binary) << contents;
    ::chmod(path.c_str(), mode);
}

// `operation` failed with the error attach gives for the same node (same code and wording), and the
// node is still there, unchanged.
void expectRefusedLikeAttach(const Address& address, const std::string& path, const std::string& kind)
{
    const struct stat before = lstatOf(path);
    ASSERT_NE(before.st_ino, 0u) << path;
    Result<std::unique_ptr<Mapping>> attached = attachMapping(address, Access::ReadOnly);
    ASSERT_FALSE(attached.ok()) << path;
    Status removed = removeObject(address);
    ASSERT_FALSE(removed.ok()) << path << " (" << kind << ") was removed";
    EXPECT_EQ(removed.error().code, ErrorCode::InvalidArgument) << removed.error().message();
    EXPECT_EQ(removed.error().code, attached.error().code) << attached.error().message();
    EXPECT_EQ(removed.error().detail, attached.error().detail);
    EXPECT_EQ(removed.error().message(),
              "remove " + toString(address) + ": not a regular file (" + path + " is " + kind + ")");
    Result<ObjectInfo> described = describeObject(address);
    ASSERT_FALSE(described.ok());
    EXPECT_EQ(described.error().code, removed.error().code);
    const struct stat after = lstatOf(path);
    EXPECT_EQ(after.st_ino, before.st_ino) << path;
    EXPECT_EQ(after.st_mode, before.st_mode) << path;
}

TEST(RemoveObject, RefusesFifoSocketAndFolderLikeAttach)
{
    Folder folder(0700);
    ASSERT_TRUE(folder.ok);
    const std::string fifo = folder / "fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const std::string socketPath = folder / "socket";
    BoundSocket socket(socketPath);
    ASSERT_TRUE(socket.bound);
    const std::string subfolder = folder / "folder";
    ASSERT_EQ(::mkdir(subfolder.c_str(), 0700), 0);

    expectRefusedLikeAttach(Address { Kind::File, fifo, 0 }, fifo, "a FIFO");
    expectRefusedLikeAttach(Address { Kind::File, socketPath, 0 }, socketPath, "a socket");
    expectRefusedLikeAttach(Address { Kind::File, subfolder, 0 }, subfolder, "a directory");
}

// The incident of issue 9 item 1 was `remove file:/dev/zero` deleting the machine's /dev/zero. A
// character device like /dev/null (1,3), made by this test in its own folder — never a real device
// node — is refused like attach refuses it, and stays.
TEST(RemoveObject, RefusesACharacterDeviceLikeAttach)
{
    if (::geteuid() != 0)
        GTEST_SKIP() << "needs root to mknod a character device in the test's folder";
    Folder folder(0700);
    ASSERT_TRUE(folder.ok);
    const std::string device = folder / "null";
    if (::mknod(device.c_str(), S_IFCHR | 0600, makedev(1, 3)) != 0)
        GTEST_SKIP() << "mknod of a character device failed (no CAP_MKNOD here?): " << std::strerror(errno);
    expectRefusedLikeAttach(Address { Kind::File, device, 0 }, device, "a character device");
    const struct stat after = lstatOf(device);
    EXPECT_TRUE(S_ISCHR(after.st_mode));
    EXPECT_EQ(after.st_rdev, makedev(1, 3));
}

TEST(RemoveObject, RefusesSymlinksAndLeavesLinkAndTargetAlone)
{
    Folder folder(0700);
    ASSERT_TRUE(folder.ok);
    const std::string target = folder / "object.bin";
    writeFile(target, std::string(4096, 'o'), 0600);
    const std::string sub = folder / "sub";
    ASSERT_EQ(::mkdir(sub.c_str(), 0700), 0);
    ASSERT_EQ(::symlink(target.c_str(), (folder / "link").c_str()), 0);
    ASSERT_EQ(::symlink("../object.bin", (sub + "/up").c_str()), 0);
    ASSERT_EQ(::symlink("sub", (folder / "down").c_str()), 0);

    // Attach follows each link (absolute, relative, through a linked folder, with "..") to the object;
    // removing a link would remove no object, so remove refuses it and leaves it.
    for (const std::string& path : { folder / "link", sub + "/up", folder / "down/up" }) {
        const Address address { Kind::File, path, 0 };
        Result<std::unique_ptr<Mapping>> attached = attachMapping(address, Access::ReadOnly);
        ASSERT_TRUE(attached.ok()) << path << ": " << attached.error().message();
        EXPECT_EQ((*attached)->size(), 4096u) << path;
        EXPECT_EQ((*attached)->address().name, target) << path;
        Status removed = removeObject(address);
        ASSERT_FALSE(removed.ok()) << path << " was removed";
        EXPECT_EQ(removed.error().code, ErrorCode::InvalidArgument);
        EXPECT_NE(removed.error().message().find(" is a symbolic link; remove the object by its own path"),
                  std::string::npos)
            << removed.error().message();
        EXPECT_TRUE(S_ISLNK(lstatOf(path).st_mode)) << path;
    }
    for (const std::string& path : { folder / "down/../object.bin", folder / "./sub/../object.bin" }) {
        Result<std::unique_ptr<Mapping>> attached = attachMapping(Address { Kind::File, path, 0 }, Access::ReadOnly);
        ASSERT_TRUE(attached.ok()) << path << ": " << attached.error().message();
        EXPECT_EQ((*attached)->size(), 4096u) << path;
    }
    EXPECT_EQ(fileContents(target), std::string(4096, 'o'));

    // A link to a FIFO: attach refuses the FIFO, remove the link.
    const std::string fifo = folder / "fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const std::string fifoLink = folder / "fifo-link";
    ASSERT_EQ(::symlink(fifo.c_str(), fifoLink.c_str()), 0);
    const Address fifoLinkAddress { Kind::File, fifoLink, 0 };
    Result<std::unique_ptr<Mapping>> attached = attachMapping(fifoLinkAddress, Access::ReadOnly);
    ASSERT_FALSE(attached.ok());
    EXPECT_EQ(attached.error().code, ErrorCode::InvalidArgument);
    Status removedFifoLink = removeObject(fifoLinkAddress);
    ASSERT_FALSE(removedFifoLink.ok());
    EXPECT_EQ(removedFifoLink.error().code, ErrorCode::InvalidArgument);
    EXPECT_TRUE(S_ISLNK(lstatOf(fifoLink).st_mode));
    EXPECT_TRUE(S_ISFIFO(lstatOf(fifo).st_mode));

    // A loop of links: attach ends with ELOOP (no hang), remove leaves the link.
    ASSERT_EQ(::symlink("loop-b", (folder / "loop-a").c_str()), 0);
    ASSERT_EQ(::symlink("loop-a", (folder / "loop-b").c_str()), 0);
    const Address loop { Kind::File, folder / "loop-a", 0 };
    Result<std::unique_ptr<Mapping>> looped = attachMapping(loop, Access::ReadOnly);
    ASSERT_FALSE(looped.ok());
    EXPECT_EQ(looped.error().sysError, ELOOP) << looped.error().message();
    EXPECT_FALSE(removeObject(loop).ok());
    EXPECT_TRUE(S_ISLNK(lstatOf(folder / "loop-a").st_mode));

    // The object itself, by its own path, goes.
    EXPECT_TRUE(removeObject(Address { Kind::File, target, 0 }).ok());
    EXPECT_EQ(lstatOf(target).st_ino, 0u);
}

// Removes /dev/shm/NAME when the scope ends.
struct ShmNode {
    ShmNode()
        : name(uniqueName())
        , path("/dev/shm/" + name)
    { }
    ~ShmNode() { ::unlink(path.c_str()); }
    std::string name;
    std::string path;
};

TEST(RemoveObject, RefusesPosixNamesThatAreNoObjects)
{
    // A FIFO in /dev/shm: attach refuses it without waiting for a writer (shm_open would block in
    // open()), and remove leaves it.
    ShmNode fifo;
    ASSERT_EQ(::mkfifo(fifo.path.c_str(), 0600), 0);
    expectRefusedLikeAttach(Address { Kind::Posix, "/" + fifo.name, 0 }, fifo.path, "a FIFO");

    ShmNode socketNode;
    BoundSocket socket(socketNode.path);
    ASSERT_TRUE(socket.bound);
    expectRefusedLikeAttach(Address { Kind::Posix, "/" + socketNode.name, 0 }, socketNode.path, "a socket");

    // A symlink in /dev/shm is no object either (shm_open does not follow it).
    Folder folder(0700);
    ASSERT_TRUE(folder.ok);
    const std::string target = folder / "target";
    writeFile(target, "target", 0600);
    ShmNode link;
    ASSERT_EQ(::symlink(target.c_str(), link.path.c_str()), 0);
    expectRefusedLikeAttach(Address { Kind::Posix, "/" + link.name, 0 }, link.path, "a symbolic link");
    EXPECT_EQ(fileContents(target), "target");
}

// The situation of issue 9, item 5: root uses a path in a sticky world-writable folder (/tmp) where
// another user planted a symlink to a file of root's.
struct PlantedLink {
    PlantedLink(const TestUser& planter)
        : sticky(01777)
        , secrets(0700)
    {
        target = secrets / "secret.bin";
        writeFile(target, std::string(4096, 's'), 0600);
        link = sticky / "object.bin";
        ok = sticky.ok && secrets.ok && ::symlink(target.c_str(), link.c_str()) == 0
            && ::lchown(link.c_str(), planter.uid, planter.gid) == 0;
    }
    void expectTargetUnchanged() const
    {
        struct stat st = lstatOf(target);
        EXPECT_EQ(st.st_size, 4096);
        EXPECT_EQ(st.st_mode & 07777, 0600u);
        EXPECT_EQ(fileContents(target), std::string(4096, 's'));
    }
    Folder sticky;
    Folder secrets;
    std::string target;
    std::string link;
    bool ok = false;
};

void expectLinkRefused(const Error& error, const std::string& link)
{
    EXPECT_EQ(error.code, ErrorCode::PermissionDenied) << error.message();
    EXPECT_NE(error.message().find("refusing to follow the symbolic link " + link), std::string::npos)
        << error.message();
    EXPECT_NE(error.message().find("fs.protected_symlinks"), std::string::npos) << error.message();
}

TEST(FollowSymlinks, OnlyLinksTheProtectedSymlinksRuleForbidsAreRefused)
{
    std::string whyNot;
    const std::optional<TestUser> other = secondUser(whyNot);
    if (!other)
        GTEST_SKIP() << whyNot;
    PlantedLink planted(*other);
    ASSERT_TRUE(planted.ok);
    const Address address { Kind::File, planted.link, 0 };

    // create --exist-ok (grows the file), write and read (attach).
    Result<Created> created = createMapping(address, CreateOptions { 1 << 20, 0644, false });
    ASSERT_FALSE(created.ok()) << "followed the planted link";
    expectLinkRefused(created.error(), planted.link);
    for (const Access access : { Access::ReadWrite, Access::ReadOnly, Access::CopyOnWrite }) {
        Result<std::unique_ptr<Mapping>> attached = attachMapping(address, access);
        ASSERT_FALSE(attached.ok()) << "followed the planted link";
        expectLinkRefused(attached.error(), planted.link);
    }
    // An exclusive create does not follow it either (the name exists).
    Result<Created> exclusive = createMapping(address, CreateOptions { 4096, 0600, true });
    ASSERT_FALSE(exclusive.ok());
    EXPECT_EQ(exclusive.error().code, ErrorCode::AlreadyExists);
    planted.expectTargetUnchanged();

    // The same link on the way to the file (a planted folder link) is refused as well.
    const std::string folderLink = planted.sticky / "folder";
    ASSERT_EQ(::symlink(planted.secrets.path.c_str(), folderLink.c_str()), 0);
    ASSERT_EQ(::lchown(folderLink.c_str(), other->uid, other->gid), 0);
    const Address throughFolder { Kind::File, folderLink + "/secret.bin", 0 };
    Result<Created> grown = createMapping(throughFolder, CreateOptions { 1 << 20, 0644, false });
    ASSERT_FALSE(grown.ok());
    expectLinkRefused(grown.error(), folderLink);
    Result<Created> beside
        = createMapping(Address { Kind::File, folderLink + "/new.bin", 0 }, CreateOptions { 4096, 0600, true });
    ASSERT_FALSE(beside.ok());
    expectLinkRefused(beside.error(), folderLink);
    EXPECT_EQ(lstatOf(planted.secrets / "new.bin").st_ino, 0u);
    planted.expectTargetUnchanged();

    // Only those links are refused: the rule lets these through, as the kernel's does.

    // The caller's own link in the sticky folder.
    const std::string own = planted.sticky / "own";
    ASSERT_EQ(::symlink(planted.target.c_str(), own.c_str()), 0);
    Result<std::unique_ptr<Mapping>> viaOwn = attachMapping(Address { Kind::File, own, 0 }, Access::ReadOnly);
    EXPECT_TRUE(viaOwn.ok()) << viaOwn.error().message();

    // The other user's link in a folder that is world-writable but not sticky.
    Folder open(0777);
    ASSERT_TRUE(open.ok);
    const std::string notSticky = open / "link";
    ASSERT_EQ(::symlink(planted.target.c_str(), notSticky.c_str()), 0);
    ASSERT_EQ(::lchown(notSticky.c_str(), other->uid, other->gid), 0);
    Result<std::unique_ptr<Mapping>> viaOpen = attachMapping(Address { Kind::File, notSticky, 0 }, Access::ReadOnly);
    EXPECT_TRUE(viaOpen.ok()) << viaOpen.error().message();

    // The other user's link in a sticky folder the other user owns.
    Folder theirs(01777);
    ASSERT_TRUE(theirs.ok);
    ASSERT_EQ(::chown(theirs.path.c_str(), other->uid, other->gid), 0);
    const std::string ownersLink = theirs / "link";
    ASSERT_EQ(::symlink(planted.target.c_str(), ownersLink.c_str()), 0);
    ASSERT_EQ(::lchown(ownersLink.c_str(), other->uid, other->gid), 0);
    Result<std::unique_ptr<Mapping>> viaTheirs = attachMapping(Address { Kind::File, ownersLink, 0 }, Access::ReadOnly);
    EXPECT_TRUE(viaTheirs.ok()) << viaTheirs.error().message();
    if (viaTheirs.ok()) {
        EXPECT_EQ((*viaTheirs)->address().name, planted.target);
    }
}

} // namespace
