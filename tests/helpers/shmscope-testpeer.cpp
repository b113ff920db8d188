// shmscope-testpeer — a second process for multi-process tests. Core only (no Qt), plain C++.
//
// Usage: shmscope-testpeer COMMAND ARGS...     (ADDR is any ShmScope address, e.g. posix:/x, file:/tmp/y)
//   create ADDR SIZE [MODE]        create exclusively (SIZE in bytes, MODE octal, default 600);
//                                  prints "created", exits (the object stays)
//   write ADDR OFFSET TEXT [ACCESS] attach with ACCESS (read-write, read-only or copy-on-write;
//                                  default read-write) and write TEXT at OFFSET — under the lock
//                                  (5 s timeout) for read-write; prints "written", exits
//   read ADDR OFFSET LENGTH        attach read-only and write the LENGTH bytes at OFFSET to stdout, raw
//   cow-write ADDR OFFSET TEXT     attach copy-on-write, write TEXT at OFFSET, print "view: " and the
//                                  bytes read back from its own view, then "written"; sleeps until killed
//   hold-lock ADDR                 attach read-write, take the lock (5 s timeout), print "locked",
//                                  sleep until killed
//   map ADDR [ACCESS]              attach (default read-write), print "mapped", sleep until killed
//   create-hold ADDR SIZE [or-attach] create (exclusively, or create-or-attach), print "created SIZE"
//                                  or "existed SIZE" (SIZE = the view's size in bytes), sleep until
//                                  killed — on Windows a section lives only while a process holds it
//   lock-once ADDR                 attach read-write, take the lock (5 s timeout), print "locked" and
//                                  "previous holder died" when it was abandoned, unlock, exit
//   listen MESSAGE COUNT           (Windows) join the broadcast group MESSAGE (a registered window
//                                  message name, in place of ADDR), print "listening", then one line per
//                                  message received — "notice OFFSET LENGTH" or "notice whole" — and
//                                  exit after COUNT of them (or after 120 s)
//   announce MESSAGE OFFSET LENGTH (Windows) join MESSAGE, announce the range (LENGTH 0: whole), exit
//   truncate ADDR SIZE             resize the object behind every view's back (ftruncate on the
//                                  shm_open or file descriptor; posix: and file: only, not on Windows);
//                                  prints "truncated"
//   remove ADDR                    removeObject(); prints "removed"
// Every status line ends with '\n' and is flushed at once. "Sleep until killed" is bounded: the
// process exits by itself after 120 s so that nothing outlives a crashed test.
// Exit codes: 0 success; 1 the core reported an error (its message() on stderr, "error: ..."); 2 usage.

#include "core/broadcast.h"
#include "core/mapping.h"

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#ifndef _WIN32
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

using namespace shmscope;

namespace {

constexpr auto lockTimeout = std::chrono::seconds(5);

int usage()
{
    std::fputs(
        "usage: shmscope-testpeer "
        "create|write|read|cow-write|hold-lock|map|create-hold|lock-once|listen|announce|truncate|remove ADDR ... "
        "(see the top of shmscope-testpeer.cpp)\n",
        stderr);
    return 2;
}

int fail(const Error& error)
{
    std::fprintf(stderr, "error: %s\n", error.message().c_str());
    return 1;
}

void say(const std::string& line)
{
    std::fputs((line + "\n").c_str(), stdout);
    std::fflush(stdout);
}

[[noreturn]] void sleepUntilKilled()
{
    std::this_thread::sleep_for(std::chrono::seconds(120));
    std::_Exit(3);
}

bool parseNumber(const char* text, std::uint64_t& out, int base = 0)
{
    char* end = nullptr;
    errno = 0;
    out = std::strtoull(text, &end, base);
    return errno == 0 && end && *end == '\0' && end != text;
}

bool parseAccess(const char* text, Access& access)
{
    for (Access candidate : { Access::ReadWrite, Access::ReadOnly, Access::CopyOnWrite }) {
        if (accessName(candidate) == text) {
            access = candidate;
            return true;
        }
    }
    return false;
}

// Resizes the object with the plain OS calls, as an unrelated program would.
int truncateObject(const Address& address, std::uint64_t size)
{
#ifdef _WIN32
    (void)address;
    (void)size;
    std::fputs("error: truncate is not available on Windows (a mapped file cannot be shrunk there)\n", stderr);
    return 2;
#else
    int fd = -1;
    if (address.kind == Kind::Posix)
        fd = ::shm_open(address.name.c_str(), O_RDWR, 0);
    else if (address.kind == Kind::File)
        fd = ::open(address.name.c_str(), O_RDWR);
    else {
        std::fputs("error: truncate works on posix: and file: only\n", stderr);
        return 2;
    }
    if (fd < 0 || ::ftruncate(fd, static_cast<off_t>(size)) != 0) {
        std::fprintf(stderr, "error: truncate %s: %s\n", toString(address).c_str(), std::strerror(errno));
        return 1;
    }
    ::close(fd);
    say("truncated");
    return 0;
#endif
}

} // namespace

// listen / announce: the broadcast group is named by its message, not by an address.
int broadcastCommand(const std::string& command, const char* message, const std::vector<const char*>& args)
{
    if (command == "listen" && args.size() == 1) {
        std::uint64_t count = 0;
        if (!parseNumber(args[0], count, 10))
            return usage();
        std::mutex mutex;
        std::condition_variable received;
        std::uint64_t seen = 0;
        Result<std::unique_ptr<BroadcastChannel>> channel
            = BroadcastChannel::open(message, [&](const ChangeNotice& notice) {
                  say(notice.whole ? std::string("notice whole")
                                   : "notice " + std::to_string(notice.offset) + " " + std::to_string(notice.length));
                  std::lock_guard<std::mutex> lock(mutex);
                  ++seen;
                  received.notify_all();
              });
        if (!channel)
            return fail(channel.error());
        say("listening");
        std::unique_lock<std::mutex> lock(mutex);
        received.wait_for(lock, std::chrono::seconds(120), [&] { return seen >= count; });
        return seen >= count ? 0 : 3;
    }
    if (command == "announce" && args.size() == 2) {
        std::uint64_t offset = 0;
        std::uint64_t length = 0;
        if (!parseNumber(args[0], offset) || !parseNumber(args[1], length))
            return usage();
        Result<std::unique_ptr<BroadcastChannel>> channel = BroadcastChannel::open(message, nullptr);
        if (!channel)
            return fail(channel.error());
        Status sent = length == 0 ? (*channel)->announceAll() : (*channel)->announce(offset, length);
        if (!sent)
            return fail(sent.error());
        say("announced");
        return 0;
    }
    return usage();
}

int main(int argc, char** argv)
{
    // Wine's C runtime block-buffers a redirected stdout: status lines must arrive at once.
    std::setvbuf(stdout, nullptr, _IONBF, 0);
    if (argc < 3)
        return usage();
    const std::string command = argv[1];
    if (command == "listen" || command == "announce")
        return broadcastCommand(command, argv[2], std::vector<const char*>(argv + 3, argv + argc));
    Result<Address> address = parseAddress(argv[2]);
    if (!address)
        return fail(address.error());
    const std::vector<const char*> args(argv + 3, argv + argc);

    if (command == "create" && (args.size() == 1 || args.size() == 2)) {
        CreateOptions options;
        std::uint64_t mode = 0600;
        if (!parseNumber(args[0], options.size, 10) || (args.size() == 2 && !parseNumber(args[1], mode, 8)))
            return usage();
        options.mode = static_cast<std::uint32_t>(mode);
        Result<Created> created = createMapping(*address, options);
        if (!created)
            return fail(created.error());
        say("created");
        return 0;
    }
    if (command == "write" && (args.size() == 2 || args.size() == 3)) {
        std::uint64_t offset = 0;
        Access access = Access::ReadWrite;
        if (!parseNumber(args[0], offset) || (args.size() == 3 && !parseAccess(args[2], access)))
            return usage();
        Result<std::unique_ptr<Mapping>> mapping = attachMapping(*address, access);
        if (!mapping)
            return fail(mapping.error());
        const std::string text = args[1];
        Status written = access == Access::ReadWrite
            ? (*mapping)->writeLocked(offset, text.data(), text.size(), lockTimeout)
            : (*mapping)->write(offset, text.data(), text.size());
        if (!written)
            return fail(written.error());
        say("written");
        return 0;
    }
    if (command == "read" && args.size() == 2) {
        std::uint64_t offset = 0;
        std::uint64_t length = 0;
        if (!parseNumber(args[0], offset) || !parseNumber(args[1], length) || length > (1u << 30))
            return usage();
        Result<std::unique_ptr<Mapping>> mapping = attachMapping(*address, Access::ReadOnly);
        if (!mapping)
            return fail(mapping.error());
        std::vector<char> bytes(static_cast<std::size_t>(length));
        if (Status read = (*mapping)->read(offset, bytes.data(), bytes.size()); !read)
            return fail(read.error());
        std::fwrite(bytes.data(), 1, bytes.size(), stdout);
        std::fflush(stdout);
        return 0;
    }
    if (command == "cow-write" && args.size() == 2) {
        std::uint64_t offset = 0;
        if (!parseNumber(args[0], offset))
            return usage();
        Result<std::unique_ptr<Mapping>> mapping = attachMapping(*address, Access::CopyOnWrite);
        if (!mapping)
            return fail(mapping.error());
        const std::string text = args[1];
        if (Status written = (*mapping)->write(offset, text.data(), text.size()); !written)
            return fail(written.error());
        std::string back(text.size(), '\0');
        if (Status read = (*mapping)->read(offset, back.data(), back.size()); !read)
            return fail(read.error());
        say("view: " + back);
        say("written");
        sleepUntilKilled();
    }
    if (command == "hold-lock" && args.empty()) {
        Result<std::unique_ptr<Mapping>> mapping = attachMapping(*address, Access::ReadWrite);
        if (!mapping)
            return fail(mapping.error());
        Result<LockGuard> guard = (*mapping)->lock(lockTimeout);
        if (!guard)
            return fail(guard.error());
        say("locked");
        sleepUntilKilled();
    }
    if (command == "map" && args.size() <= 1) {
        Access access = Access::ReadWrite;
        if (args.size() == 1 && !parseAccess(args[0], access))
            return usage();
        Result<std::unique_ptr<Mapping>> mapping = attachMapping(*address, access);
        if (!mapping)
            return fail(mapping.error());
        say("mapped");
        sleepUntilKilled();
    }
    if (command == "create-hold" && (args.size() == 1 || args.size() == 2)) {
        CreateOptions options;
        if (!parseNumber(args[0], options.size, 10) || (args.size() == 2 && std::strcmp(args[1], "or-attach") != 0))
            return usage();
        options.exclusive = args.size() == 1;
        Result<Created> created = createMapping(*address, options);
        if (!created)
            return fail(created.error());
        say(std::string(created->existed ? "existed " : "created ") + std::to_string(created->mapping->size()));
        sleepUntilKilled();
    }
    if (command == "lock-once" && args.empty()) {
        Result<std::unique_ptr<Mapping>> mapping = attachMapping(*address, Access::ReadWrite);
        if (!mapping)
            return fail(mapping.error());
        Result<LockGuard> guard = (*mapping)->lock(lockTimeout);
        if (!guard)
            return fail(guard.error());
        say("locked");
        if (guard->previousHolderDied())
            say("previous holder died");
        return 0;
    }
    if (command == "truncate" && args.size() == 1) {
        std::uint64_t size = 0;
        if (!parseNumber(args[0], size))
            return usage();
        return truncateObject(*address, size);
    }
    if (command == "remove" && args.empty()) {
        if (Status removed = removeObject(*address); !removed)
            return fail(removed.error());
        say("removed");
        return 0;
    }
    return usage();
}
