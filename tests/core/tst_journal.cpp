// The native-call journal (core/journal.h, issue 10 section 1) on real objects: rows and their
// strace-style text, the user action they belong to, page faults per action, unknown flag bits in hex,
// nothing recorded when nobody listens, and "Copy as C program" (core/journalc.h): the generated
// program is compiled with cc and run against a real object, and its effect is checked.
#include "core/journal.h"
#include "core/journalc.h"
#include "core/journalclock.h"
#include "core/journalformat.h"
#include "core/journalrecord.h"
#include "core/mapping.h"
#include "testsupport.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <memory>
#include <mutex>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
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
    void callRecorded(journal::Call&& call) override
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

// A posix: object of `size` bytes made for one test and its view, removed at the end whatever
// happens (mapping is null when it could not be made).
struct TempObject {
    explicit TempObject(std::uint64_t size)
        : address { Kind::Posix, "/" + uniqueName() }
    {
        CreateOptions options;
        options.size = size;
        if (Result<Created> created = createMapping(address, options))
            mapping = std::move(created->mapping);
    }
    ~TempObject()
    {
        mapping.reset();
        (void)removeObject(address);
    }
    TempObject(const TempObject&) = delete;
    TempObject& operator=(const TempObject&) = delete;
    Address address;
    std::unique_ptr<Mapping> mapping;
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
    // The label comes with the action, once; its rows carry its id.
    ASSERT_EQ(collector.actions.size(), 1u);
    EXPECT_EQ(collector.actions[0].id, createId);
    EXPECT_EQ(collector.actions[0].label(), "create " + toString(address));
    for (const journal::Call& call : collector.calls) {
        if (call.actionId == createId) {
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
    const TempObject object(1 << 20);
    ASSERT_TRUE(object.mapping);
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
            EXPECT_EQ(journal::currentAction().label(), "touch page 5");
            ASSERT_TRUE(object.mapping->write(5 * 4096, "x", 1));
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
        // Delivered raw: nothing formatted while recording, the arguments packed.
        EXPECT_FALSE(call.isDecoded()) << call.name;
        EXPECT_TRUE(call.result.empty()) << call.name;
        EXPECT_TRUE(call.args.empty()) << call.name;
        const std::size_t argCount = call.rawArgs.size();
        const std::string shown = call.text(); // decodes a copy
        call.decode();
        EXPECT_TRUE(call.isDecoded());
        EXPECT_EQ(call.args.size(), argCount);
        EXPECT_TRUE(call.rawArgs.empty());
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
    const journal::CProgram program = journal::cProgram(collector.calls, editId, { { editId, "edit 1 byte at 0x10" } });
    EXPECT_NE(program.source.find("action " + std::to_string(editId) + " (edit 1 byte at 0x10)"), std::string::npos)
        << program.source;
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

// A simulated machine for the TSC's calibration: a 3 GHz counter and a steady clock that both run on
// one timeline, each reading taking 20 ns, and one preemption of 100 µs after the reading numbered
// g_sim.preemptAt (a CI machine with two busy cores did this: session 7's rate was off by ~10 %).
struct SimulatedMachine {
    std::uint64_t ns = 1000000000;
    std::uint64_t reads = 0;
    std::uint64_t preemptAt = ~std::uint64_t(0);
    std::uint64_t preemptEvery = 0; // > 0: a preemption after every such reading
    std::uint64_t advance()
    {
        const std::uint64_t now = ns;
        ++reads;
        ns += 20;
        if (reads - 1 == preemptAt || (preemptEvery != 0 && reads % preemptEvery == 0))
            ns += 100000;
        return now;
    }
};
SimulatedMachine g_sim;
std::uint64_t simulatedTicks()
{
    return g_sim.advance() * 3;
}
std::uint64_t simulatedNs()
{
    return g_sim.advance();
}

TEST(Journal, TheTscRateLeavesAPreemptionBetweenTheClocksOut)
{
    constexpr double exact = 1.0 / 3.0;
    g_sim = {};
    EXPECT_NEAR(journal::clock::detail::measureNsPerTick(simulatedTicks, simulatedNs, 2000000), exact, exact * 1e-4);
    const std::uint64_t reads = g_sim.reads;
    ASSERT_GT(reads, 100u);
    // A preemption anywhere in the first or the last brackets, or in between.
    std::vector<std::uint64_t> positions;
    for (std::uint64_t i = 0; i < 40; ++i) {
        positions.push_back(i);
        positions.push_back(reads - 1 - i);
    }
    positions.push_back(reads / 2);
    for (const std::uint64_t at : positions) {
        g_sim = {};
        g_sim.preemptAt = at;
        EXPECT_NEAR(journal::clock::detail::measureNsPerTick(simulatedTicks, simulatedNs, 2000000), exact, exact * 1e-4)
            << "preempted after reading " << at << " of " << reads;
    }
    // Preempted inside every bracket: no rate, so the caller keeps the steady clock.
    g_sim = {};
    g_sim.preemptEvery = 2;
    EXPECT_EQ(journal::clock::detail::measureNsPerTick(simulatedTicks, simulatedNs, 2000000), 0.0);
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
        EXPECT_EQ(first.calls[i].rawArgs.size(), second.calls[i].rawArgs.size());
        EXPECT_FALSE(second.calls[i].rawArgs.empty());
    }
}

constexpr journal::format::Named kNoFlags[] = { { 0x1, "ONE" } };

// Checks that `pack` unpacks to `given`, field by field.
void expectUnpacksTo(const journal::ArgPack& pack, const std::vector<journal::Arg>& given)
{
    const std::vector<journal::Arg> unpacked = pack.unpack();
    ASSERT_EQ(unpacked.size(), given.size());
    for (std::size_t i = 0; i < given.size(); ++i) {
        EXPECT_EQ(unpacked[i].type, given[i].type) << i;
        EXPECT_EQ(unpacked[i].render, given[i].render) << i;
        EXPECT_EQ(unpacked[i].value, given[i].value) << i;
        EXPECT_EQ(unpacked[i].extra[0], given[i].extra[0]) << i;
        EXPECT_EQ(unpacked[i].extra[1], given[i].extra[1]) << i;
        EXPECT_EQ(unpacked[i].text, given[i].text) << i;
        EXPECT_EQ(unpacked[i].c, given[i].c) << i;
        EXPECT_EQ(unpacked[i].cType, given[i].cType) << i;
        EXPECT_EQ(unpacked[i].bytes, given[i].bytes) << i;
    }
}

TEST(Journal, ArgumentsPackedAsRecordedUnpackAsGiven)
{
    // Four inline, the rest in the pack's vector; every string of every argument in its place.
    journal::ArgPack pack;
    std::vector<journal::Arg> given;
    for (int i = 0; i < 7; ++i) {
        journal::Arg arg;
        arg.type = i % 2 ? journal::ValueType::Struct : journal::ValueType::String;
        arg.render = i == 3 ? &journal::format::tableFlags<kNoFlags> : nullptr;
        arg.value = 1000u + unsigned(i);
        arg.extra[0] = -i;
        arg.extra[1] = i * 7;
        arg.text = i == 2 ? std::string() : "text " + std::to_string(i);
        arg.c = i % 3 ? "(struct x){ " + std::to_string(i) + " }" : std::string();
        arg.cType = i == 5 ? "struct stat" : "";
        arg.bytes = i == 6 ? std::string(300, '\x7f') : std::string(std::size_t(i), char('a' + i));
        pack.add(arg);
        given.push_back(arg);
    }
    ASSERT_EQ(pack.size(), 7u);
    expectUnpacksTo(pack, given);
    pack.clear();
    EXPECT_TRUE(pack.empty());
    EXPECT_TRUE(pack.unpack().empty());
}

TEST(Journal, RawArgumentsPackWithoutStringsBesideOthersAndUnpackAsGiven)
{
    // The three kinds mixed, inline and past the fourth: a RawArg (no strings), a RawBytesArg (bytes
    // copied from a buffer that is gone afterwards) and an Arg with every string.
    journal::ArgPack pack;
    std::vector<journal::Arg> given;
    for (int i = 0; i < 9; ++i) {
        journal::RawArg raw;
        raw.type = journal::ValueType(i % 4);
        raw.render = i % 2 ? &journal::format::tableFlags<kNoFlags> : nullptr;
        raw.value = 500u + unsigned(i);
        raw.extra[0] = i * 3;
        raw.extra[1] = -i;
        journal::Arg arg = raw;
        if (i % 3 == 0) {
            pack.add(raw);
        } else if (i % 3 == 1) {
            auto buffer = std::make_unique<std::string>(std::size_t(i * 10), char('A' + i));
            pack.add(journal::RawBytesArg { raw, *buffer });
            arg.bytes = *buffer;
        } else {
            arg.text = "text " + std::to_string(i);
            arg.c = "c " + std::to_string(i);
            arg.cType = "struct s" + std::to_string(i);
            arg.bytes = std::string(std::size_t(i), 'b');
            pack.add(arg);
        }
        given.push_back(arg);
    }
    expectUnpacksTo(pack, given);
}

TEST(Journal, ALongStoreKeepsItsBytesAndPrintsTheFirst32)
{
    Collector collector(false);
    std::string stored(100, 'x');
    stored[0] = 'a';
    std::string view(200, '\0');
    journal::recordStore(view.data(), 4, stored.data(), stored.size());
    stored.assign(100, 'y'); // the row holds a copy
    ASSERT_EQ(collector.calls.size(), 1u);
    journal::Call store = collector.calls.front();
    store.decode();
    ASSERT_EQ(store.args.size(), 3u);
    EXPECT_EQ(store.args[1].bytes, "a" + std::string(99, 'x'));
    EXPECT_EQ(store.args[1].text, "\"a" + std::string(31, 'x') + "\"...");
    EXPECT_EQ(store.args[2].text, "100");
}

int g_labelsPrinted = 0;

std::string countedLabel(const char* what, std::uint64_t a, std::uint64_t b)
{
    ++g_labelsPrinted;
    return std::string(what) + " " + std::to_string(a) + " at " + std::to_string(b);
}

TEST(Journal, AFrequentActionsLabelIsPrintedOnlyWhenShown)
{
    const TempObject object(4096);
    ASSERT_TRUE(object.mapping);
    Collector collector(false);
    g_labelsPrinted = 0;
    std::uint64_t id = 0;
    {
        journal::Action action(&countedLabel, "poke", 2, 16);
        id = action.id();
        ASSERT_TRUE(object.mapping->write(16, "ab", 2));
    }
    EXPECT_EQ(g_labelsPrinted, 0); // recording printed nothing
    ASSERT_EQ(collector.actions.size(), 1u);
    EXPECT_EQ(collector.actions[0].id, id);
    EXPECT_EQ(collector.actions[0].label(), "poke 2 at 16");
    EXPECT_EQ(g_labelsPrinted, 1);
    journal::ActionInfo header = collector.actions[0];
    header.setLabel("made up");
    EXPECT_EQ(header.label(), "made up");
}

// Logs what arrives, in order: "began N", "call SEQ (action N)", "ended N"; takes an action's rows at
// its end.
class BatchLog : public journal::Listener
{
public:
    BatchLog() { journal::addListener(this); }
    ~BatchLog() override { journal::removeListener(this); }
    void actionBegan(const journal::ActionInfo& action) override { add("began " + std::to_string(action.id)); }
    void callRecorded(journal::Call&& call) override
    {
        add("call " + std::to_string(call.seq) + " (action " + std::to_string(call.actionId) + ")");
    }
    void callsRecorded(std::span<journal::Call> calls) override
    {
        ++batches;
        for (journal::Call& call : calls)
            callRecorded(std::move(call));
    }
    void actionEnded(const journal::ActionInfo& action) override { add("ended " + std::to_string(action.id)); }
    bool takesCallsAtActionEnd() const override { return true; }

    std::size_t size()
    {
        std::lock_guard lock(m_mutex);
        return log.size();
    }
    std::vector<std::string> log;
    int batches = 0;

private:
    void add(std::string line)
    {
        std::lock_guard lock(m_mutex);
        log.push_back(std::move(line));
    }
    std::mutex m_mutex;
};

TEST(Journal, AnActionsRowsArriveTogetherAtItsEndWhenEveryListenerCanWait)
{
    const TempObject object(8192);
    ASSERT_TRUE(object.mapping);
    BatchLog log;
    std::uint64_t outerId = 0;
    std::uint64_t innerId = 0;
    // Mapping::write is one row: the store (no lock).
    {
        journal::Action outer("outer");
        outerId = outer.id();
        ASSERT_TRUE(object.mapping->write(0, "ab", 2));
        ASSERT_TRUE(object.mapping->write(2, "c", 1));
        EXPECT_EQ(log.size(), 1u); // only "began": the rows wait for the action's end
        {
            journal::Action inner("inner");
            innerId = inner.id();
            // The outer action's rows went before the inner one began.
            ASSERT_EQ(log.size(), 4u);
            EXPECT_EQ(log.log.back(), "began " + std::to_string(innerId));
            ASSERT_TRUE(object.mapping->write(1, "b", 1));
            EXPECT_EQ(log.size(), 4u);
        }
        EXPECT_EQ(log.size(), 6u); // the inner row, then "ended inner"
        ASSERT_TRUE(object.mapping->write(2, "c", 1));
    }
    ASSERT_EQ(log.size(), 8u);
    EXPECT_EQ(log.log[0], "began " + std::to_string(outerId));
    EXPECT_EQ(log.log[5], "ended " + std::to_string(innerId));
    EXPECT_EQ(log.log[7], "ended " + std::to_string(outerId));
    // Rows in seq order, each under its action.
    std::uint64_t lastSeq = 0;
    int rows = 0;
    for (std::size_t i = 0; i < log.log.size(); ++i) {
        unsigned long long seq = 0;
        unsigned long long action = 0;
        if (std::sscanf(log.log[i].c_str(), "call %llu (action %llu)", &seq, &action) != 2)
            continue;
        ++rows;
        EXPECT_GT(seq, lastSeq) << log.log[i];
        lastSeq = seq;
        EXPECT_EQ(action, i == 4 ? innerId : outerId) << i << ": " << log.log[i];
    }
    EXPECT_EQ(rows, 4);
    EXPECT_EQ(log.batches, 3);
    // Outside any action a row goes at once.
    ASSERT_TRUE(object.mapping->write(3, "d", 1));
    EXPECT_EQ(log.size(), 9u);
}

TEST(Journal, RowsGoAtOnceWhileAListenerTakesEachCall)
{
    const TempObject object(4096);
    ASSERT_TRUE(object.mapping);
    BatchLog log;
    {
        journal::Action action("write");
        ASSERT_TRUE(object.mapping->write(0, "a", 1));
        EXPECT_EQ(log.size(), 1u);
        {
            // A listener that takes each call (--trace): the next row first sends the rows kept so
            // far, to both, then goes at once.
            Collector eachCall(false);
            ASSERT_TRUE(object.mapping->write(1, "b", 1));
            EXPECT_EQ(log.size(), 3u);
            EXPECT_EQ(eachCall.calls.size(), 2u);
            ASSERT_TRUE(object.mapping->write(2, "c", 1));
            EXPECT_EQ(log.size(), 4u);
            EXPECT_EQ(eachCall.calls.size(), 3u);
        }
    }
    EXPECT_EQ(log.size(), 5u);
}

// Decodes each row in place (the rows are the listener's own) and keeps a copy: the recording
// thread then reuses rows that hold text, an error and arguments from the action before.
class DecodingInPlace : public journal::Listener
{
public:
    DecodingInPlace() { journal::addListener(this); }
    ~DecodingInPlace() override { journal::removeListener(this); }
    void callRecorded(journal::Call&& call) override { callsRecorded(std::span<journal::Call>(&call, 1)); }
    void callsRecorded(std::span<journal::Call> calls) override
    {
        std::lock_guard lock(m_mutex);
        for (journal::Call& call : calls) {
            call.decode();
            kept.push_back(call);
        }
    }
    bool takesCallsAtActionEnd() const override { return true; }
    std::vector<journal::Call> kept;

private:
    std::mutex m_mutex;
};

TEST(Journal, AReusedRowKeepsNothingOfTheRowBefore)
{
    const TempObject object(4096);
    ASSERT_TRUE(object.mapping);
    DecodingInPlace listener;
    std::uint64_t failedId = 0;
    std::uint64_t storeId = 0;
    {
        journal::Action action("attach a missing object");
        failedId = action.id();
        EXPECT_FALSE(attachMapping(Address { Kind::Posix, "/" + uniqueName() + "-missing" }, Access::ReadWrite));
    }
    {
        journal::Action action("store");
        storeId = action.id();
        ASSERT_TRUE(object.mapping->write(4, "y", 1));
        // The second row of the thread's batch: it held the failed openat (the first held openat of
        // /dev/shm).
        ASSERT_TRUE(object.mapping->write(5, "z", 1));
    }
    const auto failed = std::find_if(listener.kept.begin(), listener.kept.end(), [&](const journal::Call& call) {
        return call.actionId == failedId && call.failed;
    });
    ASSERT_NE(failed, listener.kept.end());
    EXPECT_EQ(failed->errorName, "ENOENT");
    EXPECT_EQ(failed - listener.kept.begin(), 1);
    std::vector<journal::Call> stores;
    std::copy_if(listener.kept.begin(), listener.kept.end(), std::back_inserter(stores),
                 [&](const journal::Call& call) { return call.actionId == storeId; });
    ASSERT_EQ(stores.size(), 2u);
    const journal::Call& store = stores[1];
    // What a newly made row of this store holds, and nothing of the failed openat before it.
    EXPECT_EQ(store.kind, journal::CallKind::MemoryStore);
    EXPECT_EQ(store.name, "memcpy");
    EXPECT_TRUE(store.via.empty());
    EXPECT_FALSE(store.failed);
    EXPECT_EQ(store.error, 0);
    EXPECT_TRUE(store.errorName.empty());
    EXPECT_TRUE(store.errorText.empty());
    EXPECT_EQ(store.storeOffset, 5u);
    ASSERT_EQ(store.args.size(), 3u);
    EXPECT_EQ(store.args[1].text, "\"z\"");
    EXPECT_TRUE(store.args[1].cType.empty());
    EXPECT_EQ(store.text().substr(0, 7), "memcpy(");
}

// Adopts each action's vector of rows whole (when it is offered) and gives back a vector of rows that
// hold a decoded failed call, so that the journal must reset every row it reuses.
class Adopter : public journal::Listener
{
public:
    explicit Adopter(bool adopt)
        : m_adopt(adopt)
    {
        journal::addListener(this);
    }
    ~Adopter() override { journal::removeListener(this); }
    void callRecorded(journal::Call&& call) override { callsRecorded(std::span<journal::Call>(&call, 1)); }
    void callsRecorded(std::span<journal::Call> calls) override
    {
        std::lock_guard lock(m_mutex);
        for (journal::Call& call : calls)
            rowsMoved.push_back(std::move(call));
    }
    bool adoptCalls(std::vector<journal::Call>& rows, std::size_t count) override
    {
        std::lock_guard lock(m_mutex);
        ++offers;
        if (!m_adopt)
            return false;
        EXPECT_LE(count, rows.size());
        std::vector<journal::Call> giveBack(4);
        for (journal::Call& row : giveBack) {
            row.name = "poisoned";
            row.failed = true;
            row.error = 2;
            row.errorName = "ENOENT";
            row.result = "-1";
            row.storeOffset = 99;
            row.rawArgs.add(journal::Arg { journal::RawArg { journal::ValueType::String, nullptr, 1, {} } });
            row.args.resize(2);
        }
        rows.swap(giveBack);
        adopted.emplace_back(std::move(giveBack), count); // what the journal had: its rows, untouched
        return true;
    }
    bool takesCallsAtActionEnd() const override { return true; }

    // The rows of every adopted vector, in order.
    std::vector<journal::Call> adoptedRows() const
    {
        std::vector<journal::Call> rows;
        for (const auto& [vector, count] : adopted)
            rows.insert(rows.end(), vector.begin(), vector.begin() + std::ptrdiff_t(count));
        return rows;
    }
    std::vector<std::pair<std::vector<journal::Call>, std::size_t>> adopted;
    std::vector<journal::Call> rowsMoved;
    int offers = 0;

private:
    std::mutex m_mutex;
    bool m_adopt;
};

TEST(Journal, ASoleListenerAdoptsAnActionsRowsWholeAndTheRowsItGivesBackAreReset)
{
    const TempObject object(4096);
    ASSERT_TRUE(object.mapping);
    Adopter adopter(true);
    std::uint64_t firstId = 0;
    std::uint64_t secondId = 0;
    {
        journal::Action action("two stores");
        firstId = action.id();
        ASSERT_TRUE(object.mapping->write(0, "ab", 2));
        ASSERT_TRUE(object.mapping->write(2, "c", 1));
    }
    {
        // Recorded into the rows the listener gave back.
        journal::Action action("one store");
        secondId = action.id();
        ASSERT_TRUE(object.mapping->write(5, "z", 1));
    }
    EXPECT_EQ(adopter.offers, 2);
    EXPECT_TRUE(adopter.rowsMoved.empty());
    ASSERT_EQ(adopter.adopted.size(), 2u);
    EXPECT_EQ(adopter.adopted[0].second, 2u);
    EXPECT_EQ(adopter.adopted[1].second, 1u);
    std::vector<journal::Call> rows = adopter.adoptedRows();
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].actionId, firstId);
    EXPECT_EQ(rows[1].actionId, firstId);
    EXPECT_LT(rows[0].seq, rows[1].seq);
    EXPECT_EQ(rows[1].storeOffset, 2u);
    // The reused row holds its own store and nothing of the poisoned row before it.
    journal::Call& store = rows[2];
    EXPECT_EQ(store.actionId, secondId);
    EXPECT_GT(store.seq, rows[1].seq);
    EXPECT_FALSE(store.isDecoded());
    EXPECT_TRUE(store.args.empty());
    EXPECT_EQ(store.rawArgs.size(), 3u);
    store.decode();
    EXPECT_EQ(store.name, "memcpy");
    EXPECT_FALSE(store.failed);
    EXPECT_EQ(store.error, 0);
    EXPECT_TRUE(store.errorName.empty());
    EXPECT_EQ(store.storeOffset, 5u);
    ASSERT_EQ(store.args.size(), 3u);
    EXPECT_EQ(store.args[1].text, "\"z\"");
}

TEST(Journal, RowsAreMovedWhenTheListenerDeclinesOrIsNotAlone)
{
    const TempObject object(4096);
    ASSERT_TRUE(object.mapping);
    {
        Adopter declining(false);
        {
            journal::Action action("two stores");
            ASSERT_TRUE(object.mapping->write(0, "a", 1));
            ASSERT_TRUE(object.mapping->write(1, "b", 1));
        }
        EXPECT_EQ(declining.offers, 1);
        EXPECT_TRUE(declining.adopted.empty());
        ASSERT_EQ(declining.rowsMoved.size(), 2u);
        EXPECT_EQ(declining.rowsMoved[1].storeOffset, 1u);
    }
    {
        Adopter first(true);
        Adopter second(true);
        {
            journal::Action action("one store");
            ASSERT_TRUE(object.mapping->write(2, "c", 1));
        }
        // Two listeners: neither is offered the rows whole; each gets them (a copy, then the rows).
        EXPECT_EQ(first.offers, 0);
        EXPECT_EQ(second.offers, 0);
        ASSERT_EQ(first.rowsMoved.size(), 1u);
        ASSERT_EQ(second.rowsMoved.size(), 1u);
        EXPECT_EQ(first.rowsMoved[0].seq, second.rowsMoved[0].seq);
        EXPECT_EQ(second.rowsMoved[0].storeOffset, 2u);
    }
}

TEST(Journal, RowsMadeForAnotherThreadsActionArriveWhenTheHelperIsDone)
{
    const TempObject object(4096);
    ASSERT_TRUE(object.mapping);
    BatchLog log;
    journal::Action action("write on a helper thread");
    std::size_t whileActing = 0;
    std::size_t afterActing = 0;
    std::thread helper([&, info = journal::currentAction()] {
        {
            journal::ActingFor acting(info);
            EXPECT_TRUE(object.mapping->write(0, "a", 1));
            whileActing = log.size();
        }
        afterActing = log.size();
    });
    helper.join();
    EXPECT_EQ(whileActing, 1u); // "began" only
    EXPECT_EQ(afterActing, 2u); // the helper's row, before the action's end
}
