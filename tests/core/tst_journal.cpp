// The native-call journal (core/journal.h, issue 10 section 1) on real objects: rows and their
// strace-style text, the user action they belong to, page faults per action, unknown flag bits in hex,
// nothing recorded when nobody listens, and "Copy as C program" (core/journalc.h): the generated
// program is compiled with cc and run against a real object, and its effect is checked.
#include "core/journal.h"
#include "core/journalc.h"
#include "core/journalformat.h"
#include "core/mapping.h"
#include "testsupport.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <mutex>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace shmscope;
using namespace shmscope::test;

namespace {

// Collects every row and action while it lives.
class Collector : public journal::Listener
{
public:
    explicit Collector(bool countFaults = true)
        : m_countFaults(countFaults)
    {
        journal::addListener(this);
    }
    ~Collector() override { journal::removeListener(this); }
    void callRecorded(journal::Call call) override
    {
        std::lock_guard lock(m_mutex);
        calls.push_back(std::move(call));
    }
    void actionEnded(const journal::ActionInfo& action) override
    {
        std::lock_guard lock(m_mutex);
        actions.push_back(action);
    }
    bool countsPageFaults() const override { return m_countFaults; }
    std::vector<journal::Call> calls;
    std::vector<journal::ActionInfo> actions;

    std::vector<std::string> texts(std::uint64_t actionId) const
    {
        std::vector<std::string> lines;
        for (const journal::Call& call : calls) {
            if (call.actionId == actionId)
                lines.push_back(call.text());
        }
        return lines;
    }

private:
    std::mutex m_mutex;
    bool m_countFaults;
};

bool anyStartsWith(const std::vector<std::string>& lines, const std::string& prefix)
{
    for (const std::string& line : lines) {
        if (line.rfind(prefix, 0) == 0)
            return true;
    }
    return false;
}

// Removes a posix: object at the end of a test, whatever happens.
struct RemoveAtExit {
    Address address;
    ~RemoveAtExit() { (void)removeObject(address); }
};

// Compiles `source` with cc and runs it; the exit code, or -1 when it could not be built or run.
int compileAndRun(const std::string& source, const std::string& stem, std::string& output)
{
    const std::string c = tempDirectory() + "/" + stem + ".c";
    const std::string exe = tempDirectory() + "/" + stem;
    const std::string log = tempDirectory() + "/" + stem + ".log";
    std::ofstream(c) << source;
    const std::string build = "cc -std=c11 -Wall -Werror -o '" + exe + "' '" + c + "' > '" + log + "' 2>&1";
    if (std::system(build.c_str()) != 0) {
        std::ifstream in(log);
        output.assign(std::istreambuf_iterator<char>(in), {});
        return -1;
    }
    const int status = std::system(("'" + exe + "' > '" + log + "' 2>&1").c_str());
    std::ifstream in(log);
    output.assign(std::istreambuf_iterator<char>(in), {});
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace

TEST(Journal, RowsOfAnActionReadAsStrace)
{
    const Address address { Kind::Posix, "/" + uniqueName() };
    RemoveAtExit cleanup { address };
    Collector collector;
    std::uint64_t createId = 0;
    std::unique_ptr<Mapping> mapping;
    {
        journal::Action action("create " + toString(address));
        createId = action.id();
        CreateOptions options;
        options.size = 65536;
        Result<Created> created = createMapping(address, options);
        ASSERT_TRUE(created) << created.error().message();
        mapping = std::move(created->mapping);
    }
    ASSERT_NE(createId, 0u);
    const std::vector<std::string> rows = collector.texts(createId);
    ASSERT_FALSE(rows.empty());
    // glibc's shm_open, then the size, the reservation and the view, exactly as strace prints them.
    EXPECT_TRUE(anyStartsWith(rows,
                              "openat(AT_FDCWD, \"/dev/shm" + address.name
                                  + "\", O_RDWR|O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC, 0600) = "));
    EXPECT_TRUE(anyStartsWith(rows, "ftruncate("));
    EXPECT_TRUE(anyStartsWith(rows, "mmap(NULL, 65536, PROT_READ|PROT_WRITE, MAP_SHARED, "));
    for (const journal::Call& call : collector.calls) {
        if (call.actionId == createId) {
            EXPECT_EQ(call.action(), "create " + toString(address));
            EXPECT_FALSE(call.failed) << call.text();
            EXPECT_NE(call.thread, 0u);
            EXPECT_GT(call.timeUs, 0);
        }
    }
    // Sequence numbers rise.
    for (std::size_t i = 1; i < collector.calls.size(); ++i)
        EXPECT_GT(collector.calls[i].seq, collector.calls[i - 1].seq);
}

TEST(Journal, ErrorsByNameAndText)
{
    Collector collector;
    const Address address { Kind::Posix, "/" + uniqueName() + "-missing" };
    {
        journal::Action action("attach " + toString(address) + " read-write");
        EXPECT_FALSE(attachMapping(address, Access::ReadWrite));
    }
    bool found = false;
    for (journal::Call& call : collector.calls) {
        call.decode(); // rows arrive raw: the error's name and text are looked up when shown
        if (call.failed && call.errorName == "ENOENT") {
            found = true;
            EXPECT_EQ(call.errorText, "No such file or directory");
            EXPECT_TRUE(call.text().ends_with(" = -1 ENOENT (No such file or directory)")) << call.text();
        }
    }
    EXPECT_TRUE(found);
}

TEST(Journal, NothingIsRecordedWhenNobodyListens)
{
    EXPECT_FALSE(journal::listening());
    const Address address { Kind::Posix, "/" + uniqueName() };
    RemoveAtExit cleanup { address };
    CreateOptions options;
    options.size = 4096;
    ASSERT_TRUE(createMapping(address, options));
    journal::Action action("unheard");
    EXPECT_EQ(action.id(), 0u); // no listener at its start: the action does nothing
    Collector collector;
    EXPECT_TRUE(journal::listening());
    EXPECT_TRUE(collector.calls.empty());
}

TEST(Journal, ActionsNestAndCountPageFaults)
{
    const Address address { Kind::Posix, "/" + uniqueName() };
    RemoveAtExit cleanup { address };
    CreateOptions options;
    options.size = 1 << 20;
    Result<Created> created = createMapping(address, options);
    ASSERT_TRUE(created);
    Collector collector;
    std::uint64_t outerId = 0;
    std::uint64_t innerId = 0;
    {
        journal::Action outer("outer");
        outerId = outer.id();
        {
            // Demand paging: the first touch of page 5 of the view is a minor fault.
            journal::Action inner([] { return std::string("touch page 5"); });
            innerId = inner.id();
            EXPECT_EQ(journal::currentAction().label, "touch page 5");
            ASSERT_TRUE(created->mapping->write(5 * 4096, "x", 1));
        }
        EXPECT_EQ(journal::currentAction().id, outerId);
    }
    EXPECT_EQ(journal::currentAction().id, 0u);
    ASSERT_EQ(collector.actions.size(), 2u);
    const journal::ActionInfo& inner = collector.actions[0];
    EXPECT_EQ(inner.id, innerId);
    EXPECT_TRUE(inner.ended);
    ASSERT_TRUE(inner.faultsKnown);
    EXPECT_GE(inner.minorFaults, 1);
    EXPECT_EQ(inner.faultText().rfind("+", 0), 0u) << inner.faultText();
    // The store belongs to the inner action.
    ASSERT_FALSE(collector.calls.empty());
    EXPECT_EQ(collector.calls.back().kind, journal::CallKind::MemoryStore);
    EXPECT_EQ(collector.calls.back().actionId, innerId);
    EXPECT_EQ(collector.calls.back().storeOffset, 5u * 4096u);
    EXPECT_EQ(collector.actions[1].id, outerId);
}

TEST(Journal, RowsArriveRawAndDecodeWhenShown)
{
    const Address address { Kind::Posix, "/" + uniqueName() };
    RemoveAtExit cleanup { address };
    CreateOptions options;
    options.size = 1 << 16;
    Result<Created> created = createMapping(address, options);
    ASSERT_TRUE(created);
    Collector collector(false); // does not ask for page faults
    {
        journal::Action edit("edit 2 bytes at 0x10");
        ASSERT_TRUE(created->mapping->write(0x10, "hi", 2));
    }
    ASSERT_EQ(collector.actions.size(), 1u);
    EXPECT_FALSE(collector.actions[0].faultsKnown); // nobody asked: no getrusage pair
    EXPECT_EQ(collector.actions[0].faultText(), "");
    ASSERT_FALSE(collector.calls.empty());
    for (journal::Call& call : collector.calls) {
        // Delivered raw: nothing formatted while recording.
        EXPECT_FALSE(call.isDecoded()) << call.name;
        EXPECT_TRUE(call.result.empty()) << call.name;
        const std::string shown = call.text(); // decodes a copy
        call.decode();
        EXPECT_TRUE(call.isDecoded());
        EXPECT_EQ(call.text(), shown);
        call.decode(); // nothing the second time
        EXPECT_EQ(call.text(), shown);
    }
    const journal::Call& store = collector.calls.back();
    ASSERT_EQ(store.kind, journal::CallKind::MemoryStore);
    EXPECT_TRUE(store.text().starts_with("memcpy(")) << store.text();
    EXPECT_TRUE(store.text().ends_with(" + 0x10, \"hi\", 2) = " + journal::format::address(store.resultValue)))
        << store.text();
}

TEST(Journal, FaultTextSaysHowMany)
{
    journal::ActionInfo info;
    info.faultsKnown = true;
    info.minorFaults = 1;
    EXPECT_EQ(info.faultText(), "+1 minor fault");
    info.minorFaults = 3;
    info.majorFaults = 1;
    EXPECT_EQ(info.faultText(), "+3 minor faults, +1 major fault");
    info.minorFaults = info.majorFaults = 0;
    EXPECT_EQ(info.faultText(), "no page faults");
}

TEST(Journal, UnknownBitsPrintInHexAsStraceDoes)
{
    using journal::format::Named;
    static constexpr Named table[] = { { 0x1, "A_ONE" }, { 0x4, "A_FOUR" } };
    EXPECT_EQ(journal::format::flags(0x5, table), "A_ONE|A_FOUR");
    EXPECT_EQ(journal::format::flags(0x40000001, table), "A_ONE|0x40000000");
    EXPECT_EQ(journal::format::flags(0x8, table), "0x8");
    EXPECT_EQ(journal::format::flags(0, table, "A_NONE"), "A_NONE");
    EXPECT_EQ(journal::format::valueName(9, table), "0x9");
    EXPECT_EQ(journal::format::quoted(std::string_view("a\"\\\n\x01z\x02"
                                                       "7",
                                                       8)),
              "\"a\\\"\\\\\\n\\1z\\0027\"");
    EXPECT_EQ(journal::format::quoted("abcdef", 3), "\"abc\"...");
}

TEST(Journal, CopyAsCProgramRepeatsAnEdit)
{
    const Address address { Kind::Posix, "/" + uniqueName() };
    RemoveAtExit cleanup { address };
    Collector collector;
    std::unique_ptr<Mapping> mapping;
    {
        journal::Action action("attach " + toString(address) + " read-write");
        CreateOptions options;
        options.size = 65536;
        Result<Created> created = createMapping(address, options);
        ASSERT_TRUE(created) << created.error().message();
        mapping = std::move(created->mapping);
    }
    std::uint64_t editId = 0;
    {
        journal::Action action("edit 1 byte at 0x10");
        editId = action.id();
        unsigned char old = 0;
        ASSERT_TRUE(mapping->exchange(0x10, "\x5a", &old, 1, std::chrono::seconds(5)));
    }
    const journal::CProgram program = journal::cProgram(collector.calls, editId);
    // The rows of the attach that made the descriptor and the view come first; its O_EXCL is dropped.
    ASSERT_EQ(program.notes.size(), 1u);
    EXPECT_NE(program.notes[0].find("O_EXCL"), std::string::npos);
    EXPECT_NE(program.source.find("F_OFD_SETLK"), std::string::npos);
    EXPECT_NE(program.source.find("memcpy("), std::string::npos);
    // The object holds 0x5a at 0x10 now: put 0 back, so that only the program can write it again.
    ASSERT_TRUE(mapping->write(0x10, "\0", 1));
    std::string output;
    const int status = compileAndRun(program.source, uniqueName() + "-edit", output);
    ASSERT_EQ(status, 0) << output << "\n" << program.source;
    char now = 0;
    ASSERT_TRUE(mapping->read(0x10, &now, 1));
    EXPECT_EQ(now, '\x5a') << output;
    EXPECT_NE(output.find("fcntl("), std::string::npos) << output;
}

TEST(Journal, CopyAsCProgramRepeatsACreate)
{
    const Address address { Kind::Posix, "/" + uniqueName() };
    RemoveAtExit cleanup { address };
    Collector collector;
    std::uint64_t createId = 0;
    {
        journal::Action action("create " + toString(address));
        createId = action.id();
        CreateOptions options;
        options.size = 8192;
        options.mode = 0640;
        Result<Created> created = createMapping(address, options);
        ASSERT_TRUE(created) << created.error().message();
    } // detached at the end of the action: the program closes nothing it needs
    ASSERT_TRUE(removeObject(address));
    const journal::CProgram program = journal::cProgram(collector.calls, createId);
    std::string output;
    ASSERT_EQ(compileAndRun(program.source, uniqueName() + "-create", output), 0) << output << "\n" << program.source;
    struct stat info = {};
    ASSERT_EQ(::stat(("/dev/shm" + address.name).c_str(), &info), 0) << output;
    EXPECT_EQ(info.st_size, 8192);
    EXPECT_EQ(info.st_mode & 0777, 0640u);
    // Run again: the object exists now, so O_EXCL fails as it did not in the journal (exit 1).
    EXPECT_EQ(compileAndRun(program.source, uniqueName() + "-again", output), 1) << output;
    EXPECT_NE(output.find("EEXIST"), std::string::npos) << output;
}

TEST(Journal, TimesAreWallClockAndDurationsFitTheCall)
{
    const Address address { Kind::Posix, "/" + uniqueName() };
    RemoveAtExit cleanup { address };
    Collector collector(false);
    const auto wallUs = [] {
        return std::chrono::duration_cast<std::chrono::microseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    };
    const std::int64_t before = wallUs();
    const auto steadyBefore = std::chrono::steady_clock::now();
    CreateOptions options;
    options.size = 4096;
    ASSERT_TRUE(createMapping(address, options));
    const auto elapsedNs
        = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - steadyBefore).count();
    const std::int64_t after = wallUs();
    ASSERT_FALSE(collector.calls.empty());
    std::uint64_t totalNs = 0;
    for (const journal::Call& call : collector.calls) {
        // The durations come from the TSC where it is invariant (core/journalclock.h): they must still
        // be wall-clock time and fit inside the time measured around the calls.
        EXPECT_GE(call.timeUs, before - 1000) << call.name;
        EXPECT_LE(call.timeUs, after + 1000) << call.name;
        totalNs += call.durationNs;
    }
    EXPECT_GT(totalNs, 0u);
    EXPECT_LE(totalNs, std::uint64_t(elapsedNs));
}

TEST(Journal, EveryListenerGetsTheWholeRow)
{
    const Address address { Kind::Posix, "/" + uniqueName() };
    RemoveAtExit cleanup { address };
    Collector first(false);
    Collector second(false); // the last one gets the row moved in, the first a copy
    CreateOptions options;
    options.size = 4096;
    ASSERT_TRUE(createMapping(address, options));
    ASSERT_FALSE(first.calls.empty());
    ASSERT_EQ(first.calls.size(), second.calls.size());
    for (std::size_t i = 0; i < first.calls.size(); ++i) {
        EXPECT_EQ(first.calls[i].seq, second.calls[i].seq);
        EXPECT_EQ(first.calls[i].text(), second.calls[i].text());
        EXPECT_FALSE(second.calls[i].args.empty() && !first.calls[i].args.empty());
    }
}
