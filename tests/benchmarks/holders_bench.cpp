// holders_bench: how long listing every object with its holders takes on a busy machine, beside
// lsof and ipcs on the same state in the same run. Prints `name value unit` lines (medians) and
// asserts nothing about speed. ctest runs it with --quick only to check that it still runs.
//
//   holders_bench [--quick] [--objects N] [--processes P] [--runs R]
//
// State: N POSIX objects (default 5,000; one page each) and 50 System V segments, all named
// shmscope-test-<pid>-… / keys 0x53……; P processes (default 500; forked, sleeping) that each map 10
// of the objects, keep a descriptor to one more, and (the first 50) attach a segment. Then, R times
// each (medians): ShmScope's takeInventory() (every object with every holder: maps and descriptors of
// every process), `lsof +D /dev/shm` (the open and mapped files under /dev/shm), and `ipcs -m -p`
// (System V creator/last pids only). Everything made is removed at the end, also after a failure.
//
// Figures: list_ms, lsof_ms, ipcs_ms, list_over_lsof (goal <= 0.5), and holders_found (mappings and
// descriptors of the bench processes that the listing found: P × 11 + segments when all is well);
// list_with_files_ms, the Object Browser's listing (also the files mapped shared,
// InventoryOptions::includeMappedFiles) in the same run, and files_over_list, its ratio to list_ms.
#include "benchsupport.h"
#include "core/catalog.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <string>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using shmscope::bench::median;
using shmscope::bench::print;

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kMapsPerProcess = 10;
constexpr int kSegments = 50;

struct State {
    std::vector<std::string> names; // /dev/shm names
    std::vector<int> shmids;
    std::vector<pid_t> children;

    ~State()
    {
        for (pid_t child : children)
            ::kill(child, SIGKILL);
        for (pid_t child : children)
            ::waitpid(child, nullptr, 0);
        for (const std::string& name : names)
            ::unlink(("/dev/shm/" + name).c_str());
        for (int shmid : shmids)
            ::shmctl(shmid, IPC_RMID, nullptr);
    }
};

double millisecondsSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Runs `argv` with stdout and stderr to /dev/null; returns its wall time in ms, or -1 when it could
// not be started or did not exit normally.
double timeCommand(const std::vector<std::string>& arguments)
{
    std::vector<char*> argv;
    for (const std::string& argument : arguments)
        argv.push_back(const_cast<char*>(argument.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    ::posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    const Clock::time_point start = Clock::now();
    pid_t pid = -1;
    const int spawned = ::posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    ::posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0)
        return -1;
    int status = 0;
    ::waitpid(pid, &status, 0);
    const double elapsed = millisecondsSince(start);
    // lsof exits 1 when some file it was asked about is not open: that is still a full run.
    return WIFEXITED(status) && WEXITSTATUS(status) <= 1 ? elapsed : -1;
}

} // namespace

int main(int argc, char** argv)
{
    int objects = 5000;
    int processes = 500;
    int runs = 5;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--quick") {
            objects = 200;
            processes = 20;
            runs = 1;
        } else if ((arg == "--objects" || arg == "--processes" || arg == "--runs") && i + 1 < argc) {
            (arg == "--objects" ? objects : arg == "--processes" ? processes : runs) = std::atoi(argv[++i]);
        } else {
            std::fprintf(stderr, "usage: holders_bench [--quick] [--objects N] [--processes P] [--runs R]\n");
            return 2;
        }
    }
    if (objects < kMapsPerProcess + 1 || processes < 1 || runs < 1) {
        std::fprintf(stderr, "holders_bench: need at least %d objects, 1 process, 1 run\n", kMapsPerProcess + 1);
        return 2;
    }

    State state;
    const std::string prefix = "shmscope-test-" + std::to_string(::getpid()) + "-bench-";
    for (int i = 0; i < objects; ++i) {
        const std::string name = prefix + std::to_string(i);
        const int fd = ::open(("/dev/shm/" + name).c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) {
            std::fprintf(stderr, "holders_bench: create /dev/shm/%s: %s\n", name.c_str(), std::strerror(errno));
            return 1;
        }
        state.names.push_back(name);
        const bool ok = ::ftruncate(fd, 4096) == 0 && ::pwrite(fd, "b", 1, 0) == 1;
        ::close(fd);
        if (!ok) {
            std::fprintf(stderr, "holders_bench: fill /dev/shm/%s: %s\n", name.c_str(), std::strerror(errno));
            return 1;
        }
    }
    const int segments = std::min(kSegments, processes);
    for (int i = 0; i < segments; ++i) {
        const key_t key
            = static_cast<key_t>(0x53000000u | ((static_cast<unsigned>(::getpid()) & 0xfffu) << 12) | unsigned(i));
        const int shmid = ::shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0600);
        if (shmid < 0) {
            std::fprintf(stderr, "holders_bench: shmget 0x%08x: %s\n", unsigned(key), std::strerror(errno));
            return 1;
        }
        state.shmids.push_back(shmid);
    }

    // The processes: each maps 10 objects, holds a descriptor to an 11th, and (the first ones)
    // attaches a segment; then says so through the pipe and sleeps.
    int ready[2];
    if (::pipe(ready) != 0)
        return 1;
    for (int p = 0; p < processes; ++p) {
        const pid_t child = ::fork();
        if (child < 0) {
            std::fprintf(stderr, "holders_bench: fork: %s\n", std::strerror(errno));
            return 1;
        }
        if (child == 0) {
            ::close(ready[0]);
            bool ok = true;
            for (int j = 0; j <= kMapsPerProcess; ++j) {
                const std::string& name = state.names[std::size_t((p * (kMapsPerProcess + 1) + j) % objects)];
                const int fd = ::open(("/dev/shm/" + name).c_str(), O_RDWR);
                if (fd < 0) {
                    ok = false;
                    continue;
                }
                if (j < kMapsPerProcess) {
                    ok = ok && ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) != MAP_FAILED;
                    ::close(fd);
                }
            }
            if (p < segments)
                ok = ok && ::shmat(state.shmids[std::size_t(p)], nullptr, 0) != reinterpret_cast<void*>(-1);
            const char answer = ok ? 'y' : 'n';
            (void)!::write(ready[1], &answer, 1);
            for (;;)
                ::pause();
        }
        state.children.push_back(child);
    }
    ::close(ready[1]);
    for (int p = 0; p < processes; ++p) {
        char answer = 0;
        if (::read(ready[0], &answer, 1) != 1 || answer != 'y') {
            std::fprintf(stderr, "holders_bench: a bench process could not map its objects\n");
            return 1;
        }
    }
    ::close(ready[0]);

    std::vector<double> list;
    std::vector<double> lsof;
    std::vector<double> ipcs;
    std::vector<double> withFiles;
    std::size_t found = 0;
    std::uint32_t uninspected = 0;
    for (int run = 0; run < runs; ++run) {
        const Clock::time_point start = Clock::now();
        shmscope::Result<shmscope::Inventory> inventory = shmscope::takeInventory();
        list.push_back(millisecondsSince(start));
        if (!inventory) {
            std::fprintf(stderr, "holders_bench: %s\n", inventory.error().message().c_str());
            return 1;
        }
        found = 0;
        for (const shmscope::ObjectInfo& info : inventory->objects) {
            for (const shmscope::Holder& holder : info.holders) {
                if (std::find(state.children.begin(), state.children.end(), holder.pid) != state.children.end())
                    found += (holder.maps() ? 1 : 0) + ((holder.uses & shmscope::HoldsDescriptor) ? 1 : 0);
            }
        }
        uninspected = inventory->uninspectedProcesses;
        shmscope::InventoryOptions browser;
        browser.includeMappedFiles = true;
        const Clock::time_point filesStart = Clock::now();
        const bool filesListed = shmscope::takeInventory(browser).ok();
        withFiles.push_back(filesListed ? millisecondsSince(filesStart) : -1);
        lsof.push_back(timeCommand({ "lsof", "+D", "/dev/shm" }));
        ipcs.push_back(timeCommand({ "ipcs", "-m", "-p" }));
    }
    std::fprintf(stderr,
                 "# %d objects, %d segments, %d processes mapping %d each (+1 descriptor), %d runs; "
                 "%u processes could not be inspected\n",
                 objects, segments, processes, kMapsPerProcess, runs, uninspected);
    print("list_ms", median(list), "ms");
    print("list_with_files_ms", median(withFiles), "ms");
    print("files_over_list", median(withFiles) / median(list), "x");
    const bool haveLsof = std::none_of(lsof.begin(), lsof.end(), [](double v) { return v < 0; });
    if (haveLsof)
        print("lsof_ms", median(lsof), "ms");
    else
        std::fprintf(stderr, "# lsof did not run (not installed?): no lsof_ms\n");
    if (std::none_of(ipcs.begin(), ipcs.end(), [](double v) { return v < 0; }))
        print("ipcs_ms", median(ipcs), "ms");
    if (haveLsof)
        print("list_over_lsof", median(list) / median(lsof), "x");
    print("holders_found", double(found), "holders");
    const std::size_t expected = std::size_t(processes) * (kMapsPerProcess + 1) + std::size_t(segments);
    if (found != expected) {
        std::fprintf(stderr, "holders_bench: found %zu holders of the bench processes, expected %zu\n", found,
                     expected);
        return 1;
    }
    return 0;
}
