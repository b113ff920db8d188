// The Windows half of "Copy as C program" checked for real (issue 10): run under Wine by
// tst_winjournalprogram.sh. This program creates a pagefile-backed section, edits one byte of it
// through the core (journal::Action "edit 1 byte at 0x10": the mutex, the store), writes the edit's
// rows as a C program (journal::cProgram), puts the byte back to 0, and prints "ready". The script
// then compiles that program with the mingw-w64 compiler of the Wine build and runs it under Wine, in
// the same prefix (so it sees the section), and creates the "go on" file; this program then checks
// that the byte is 0x5a again — the effect of the generated program alone — and exits 0 (1: it is
// not; 2: a step failed).
//
//   winjournalprogram PROGRAM.c GO-ON-FILE
#include "core/journal.h"
#include "core/journalc.h"
#include "core/mapping.h"
#include "testsupport.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>
#include <windows.h>

using namespace shmscope;

namespace {

// Keeps every row while it lives.
class Collector : public journal::Listener
{
public:
    Collector() { journal::addListener(this); }
    ~Collector() override { journal::removeListener(this); }
    void callRecorded(journal::Call&& call) override
    {
        std::lock_guard lock(mutex);
        calls.push_back(std::move(call));
    }
    std::mutex mutex;
    std::vector<journal::Call> calls;
};

int fail(const std::string& what)
{
    std::printf("winjournalprogram: %s\n", what.c_str());
    return 2;
}

} // namespace

int main(int argc, char** argv)
{
    std::setvbuf(stdout, nullptr, _IONBF, 0); // Wine's C runtime buffers redirected output
    if (argc != 3)
        return fail("usage: winjournalprogram PROGRAM.c GO-ON-FILE");
    const Address address { Kind::Win, "Local\\" + test::uniqueName() + "-program" };
    Collector collector;
    std::unique_ptr<Mapping> mapping;
    {
        journal::Action action("create " + toString(address));
        Result<Created> created = createMapping(address, CreateOptions { 65536, 0600, true });
        if (!created)
            return fail(created.error().message());
        mapping = std::move(created->mapping);
    }
    std::uint64_t editId = 0;
    {
        journal::Action action("edit 1 byte at 0x10");
        editId = action.id();
        unsigned char old = 0;
        if (Status done = mapping->exchange(0x10, "\x5a", &old, 1, std::chrono::seconds(5)); !done)
            return fail(done.error().message());
    }
    std::vector<journal::Call> calls;
    {
        std::lock_guard lock(collector.mutex);
        calls = collector.calls;
    }
    const journal::CProgram program = journal::cProgram(calls, editId);
    for (const std::string& note : program.notes)
        std::printf("note: %s\n", note.c_str());
    if (program.source.find("MapViewOfFile(") == std::string::npos
        || program.source.find("memcpy(") == std::string::npos)
        return fail("the program makes no view or no store:\n" + program.source);
    // Only the generated program may write 0x5a there again.
    if (Status undone = mapping->write(0x10, "\0", 1); !undone)
        return fail(undone.error().message());
    std::ofstream(argv[1]) << program.source;
    std::printf("ready %s\n", toString(address).c_str());

    // The script compiles and runs the program meanwhile, then creates the go-on file.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(240);
    while (GetFileAttributesA(argv[2]) == INVALID_FILE_ATTRIBUTES) {
        if (std::chrono::steady_clock::now() > deadline)
            return fail("no go-on file after 240 s");
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    char now = 0;
    if (Status read = mapping->read(0x10, &now, 1); !read)
        return fail(read.error().message());
    std::printf("byte at 0x10: 0x%02x (the program's memcpy wrote 0x5a)\n", static_cast<unsigned char>(now));
    return now == '\x5a' ? 0 : 1;
}
