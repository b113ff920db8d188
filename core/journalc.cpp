#include "core/journalc.h"

#include "core/journalformat.h"

#include <algorithm>
#include <map>
#include <set>

namespace shmscope::journal {

namespace {

using format::quoted;

bool producesValue(const Call& call)
{
    return !call.failed
        && (call.resultType == ValueType::Fd || call.resultType == ValueType::Handle
            || call.resultType == ValueType::Address)
        && call.kind != CallKind::MemoryStore && call.kind != CallKind::LibraryCall;
}

bool consumesValue(const Arg& arg)
{
    if (arg.type == ValueType::Fd)
        return static_cast<std::int64_t>(arg.value) >= 0;
    return (arg.type == ValueType::Handle || arg.type == ValueType::Address) && arg.value != 0;
}

// The row that made `arg`'s value before row `before` (index into calls), or -1.
long producerOf(std::span<const Call> calls, std::size_t before, const Arg& arg)
{
    const ValueType wanted = arg.type;
    for (std::size_t i = before; i-- > 0;) {
        const Call& call = calls[i];
        if (producesValue(call) && call.resultType == wanted && call.resultValue == arg.value)
            return static_cast<long>(i);
    }
    return -1;
}

// Rows of the action plus, recursively, the rows that made what they use.
std::vector<std::size_t> programRows(std::span<const Call> calls, std::uint64_t actionId,
                                     std::vector<std::string>& notes)
{
    std::set<std::size_t> chosen;
    std::vector<std::size_t> pending;
    for (std::size_t i = 0; i < calls.size(); ++i) {
        if (calls[i].actionId == actionId && actionId != 0 && calls[i].kind != CallKind::LibraryCall)
            pending.push_back(i);
    }
    chosen.insert(pending.begin(), pending.end());
    while (!pending.empty()) {
        const std::size_t row = pending.back();
        pending.pop_back();
        for (const Arg& arg : calls[row].args) {
            if (!consumesValue(arg))
                continue;
            const long producer = producerOf(calls, row, arg);
            if (producer < 0) {
                notes.push_back("row " + std::to_string(calls[row].seq) + " uses " + arg.text
                                + ", which was made before the journal started: it is used as a literal value");
                continue;
            }
            if (chosen.insert(static_cast<std::size_t>(producer)).second)
                pending.push_back(static_cast<std::size_t>(producer));
        }
    }
    return { chosen.begin(), chosen.end() };
}

std::string cFunction(const Call& call)
{
    if (call.name == "newfstatat" || call.name == "fstatat64")
        return "fstatat";
    return std::string(call.name);
}

class Writer
{
public:
    Writer(bool windows, const ActionLabels& labels)
        : m_windows(windows)
        , m_labels(labels)
    { }

    std::string source;

    // `setup`: a row of an earlier action that made something the action uses.
    void emit(const Call& call, bool setup, std::vector<std::string>& notes)
    {
        std::vector<std::string> args;
        std::string declarations;
        for (std::size_t i = 0; i < call.args.size(); ++i)
            args.push_back(expression(call, i, declarations, notes));
        if (setup && call.name == "openat" && args.size() >= 3) {
            // The object that an earlier action created exists now: open it rather than fail on O_EXCL.
            const std::string exclusive = "|O_EXCL";
            if (const std::size_t at = args[2].find(exclusive); at != std::string::npos) {
                args[2].erase(at, exclusive.size());
                notes.push_back("row " + std::to_string(call.seq)
                                + " created the object (O_EXCL); the program opens the existing one");
            }
        }
        const auto label = m_labels.find(call.actionId);
        source += "\n    /* row " + std::to_string(call.seq)
            + (label == m_labels.end() || label->second.empty() ? "" : ", " + label->second)
            + ": journal said = " + comment(call.result) + " */\n";
        source += declarations;
        const std::string shown = quoted(call.callText());
        if (call.kind == CallKind::MemoryStore) {
            source += "    memcpy(" + args[0] + ", " + args[1] + ", " + args[2] + ");\n";
            source += "    printf(\"%s\\n\", " + shown + ");\n";
            return;
        }
        std::string invocation = cFunction(call) + "(";
        for (std::size_t i = 0; i < args.size(); ++i)
            invocation += (i ? ", " : "") + args[i];
        invocation += ")";
        const std::string expected = call.failed ? "1" : "0";
        // A Windows call that succeeds may leave an older error in place: cleared first, so that the
        // GetLastError() showw() reads after it is this call's (ERROR_ALREADY_EXISTS of a create).
        if (m_windows)
            source += "    SetLastError(0);\n";
        switch (call.resultType) {
        case ValueType::Fd: {
            const std::string name = "fd" + std::to_string(call.seq);
            source += "    int " + name + " = " + invocation + ";\n";
            source += "    differs |= show(" + shown + ", " + name + ") != " + expected + ";\n";
            if (!call.failed)
                m_names[{ ValueType::Fd, call.resultValue }] = name;
            return;
        }
        case ValueType::Address: {
            const std::string name = "view" + std::to_string(call.seq);
            source += "    void *" + name + " = " + invocation + ";\n";
            if (m_windows)
                source += "    differs |= showw(" + shown + ", " + name + " != NULL, (long long)(size_t)" + name
                    + ") != " + expected + ";\n";
            else
                source += "    differs |= showp(" + shown + ", " + name + ") != " + expected + ";\n";
            if (!call.failed)
                m_names[{ ValueType::Address, call.resultValue }] = name;
            return;
        }
        case ValueType::Handle: {
            const std::string name = "handle" + std::to_string(call.seq);
            source += "    HANDLE " + name + " = " + invocation + ";\n";
            source += "    differs |= showw(" + shown + ", " + name + " != NULL && " + name
                + " != INVALID_HANDLE_VALUE, (long long)(size_t)" + name + ") != " + expected + ";\n";
            if (!call.failed)
                m_names[{ ValueType::Handle, call.resultValue }] = name;
            return;
        }
        default:
            break;
        }
        if (m_windows) {
            const std::string name = "result" + std::to_string(call.seq);
            source += "    long long " + name + " = (long long)" + invocation + ";\n";
            const std::string ok = call.name == "WaitForSingleObject" ? name + " != WAIT_FAILED"
                : call.name == "PostMessageW" || call.name == "UnmapViewOfFile" || call.name == "FlushViewOfFile"
                    || call.name == "CloseHandle" || call.name == "ReleaseMutex"
                    || call.name == "RegisterWindowMessageW"
                ? name + " != 0"
                : "1";
            source += "    differs |= showw(" + shown + ", " + ok + ", " + name + ") != " + expected + ";\n";
        } else {
            source += "    differs |= show(" + shown + ", (long)" + invocation + ") != " + expected + ";\n";
        }
        if (call.name == "close" && !call.failed && !call.args.empty())
            m_names.erase({ ValueType::Fd, call.args[0].value });
    }

private:
    static std::string comment(std::string text)
    {
        for (std::size_t at = text.find("*/"); at != std::string::npos; at = text.find("*/"))
            text.replace(at, 2, "* /");
        return text;
    }

    std::string expression(const Call& call, std::size_t index, std::string& declarations,
                           std::vector<std::string>& notes)
    {
        const Arg& arg = call.args[index];
        switch (arg.type) {
        case ValueType::Fd:
        case ValueType::Handle:
        case ValueType::Address: {
            if (arg.value == 0 && arg.type != ValueType::Fd)
                return "NULL";
            const auto found = m_names.find({ arg.type, arg.value });
            std::string base;
            if (found != m_names.end())
                base = found->second;
            else if (arg.type == ValueType::Fd)
                base = std::to_string(static_cast<std::int64_t>(arg.value));
            else
                base = "(void *)" + format::hex(arg.value);
            if (call.kind == CallKind::MemoryStore && index == 0)
                return "(char *)" + base + " + " + format::hex(call.storeOffset);
            if (arg.type == ValueType::Handle && found == m_names.end())
                return "(HANDLE)" + format::hex(arg.value);
            return base;
        }
        case ValueType::String:
            return arg.c.empty() ? quoted(arg.bytes) : arg.c;
        case ValueType::Bytes:
            if (arg.bytes.size() < arg.value)
                notes.push_back("row " + std::to_string(call.seq) + " stored " + std::to_string(arg.value)
                                + " bytes; the journal kept the first " + std::to_string(arg.bytes.size()));
            return quoted(arg.bytes);
        case ValueType::Struct:
            return arg.c.empty() ? arg.text : arg.c;
        case ValueType::Out: {
            const std::string name = "out" + std::to_string(call.seq);
            if (arg.cType == "char[]") {
                declarations
                    += "    char " + name + "[" + std::to_string(std::max<std::uint64_t>(arg.value, 1)) + "];\n";
                return name;
            }
            declarations += "    " + arg.cType + " " + name + ";\n";
            return "&" + name;
        }
        case ValueType::Number:
        case ValueType::Symbol:
        case ValueType::None:
            break;
        }
        return arg.c.empty() ? arg.text : arg.c;
    }

    bool m_windows;
    const ActionLabels& m_labels;
    std::map<std::pair<ValueType, std::uint64_t>, std::string> m_names;
};

const char* posixPrologue = R"(#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

/* Prints a call and its result as strace does; returns 1 when it failed. */
static int show(const char *call, long result)
{
    if (result == -1) {
        printf("%s = -1 %s (%s)\n", call, strerrorname_np(errno), strerror(errno));
        return 1;
    }
    printf("%s = %ld\n", call, result);
    return 0;
}

static int showp(const char *call, void *result)
{
    if (result == MAP_FAILED) {
        printf("%s = -1 %s (%s)\n", call, strerrorname_np(errno), strerror(errno));
        return 1;
    }
    printf("%s = %p\n", call, result);
    return 0;
}

int main(void)
{
    int differs = 0;
)";

const char* windowsPrologue = R"(#define UNICODE
#define _UNICODE
#include <windows.h>
#include <stdio.h>
#include <string.h>

/* Prints a call and its result; returns 1 when it failed. */
static int showw(const char *call, int ok, long long result)
{
    DWORD error = GetLastError();
    if (!ok) {
        printf("%s = %lld (error %lu)\n", call, result, (unsigned long)error);
        return 1;
    }
    printf("%s = %lld%s\n", call, result, error == ERROR_ALREADY_EXISTS ? " ERROR_ALREADY_EXISTS" : "");
    return 0;
}

int main(void)
{
    int differs = 0;
)";

} // namespace

CProgram cProgram(std::span<const Call> recorded, std::uint64_t actionId, const ActionLabels& labels)
{
    // The rows as strace prints them (listeners keep them raw).
    std::vector<Call> decoded(recorded.begin(), recorded.end());
    for (Call& call : decoded)
        call.decode();
    const std::span<const Call> calls = decoded;
    CProgram program;
    const std::vector<std::size_t> rows = programRows(calls, actionId, program.notes);
    bool windows = false;
    for (std::size_t row : rows)
        windows = windows || calls[row].kind == CallKind::ApiCall;
    const auto found = labels.find(actionId);
    const std::string label = found == labels.end() ? std::string() : found->second;
    Writer writer(windows, labels);
    for (std::size_t row : rows) {
        program.rows.push_back(calls[row].seq);
        writer.emit(calls[row], calls[row].actionId != actionId, program.notes);
    }
    std::string header = "/* Made by ShmScope from its native-call journal: action " + std::to_string(actionId)
        + (label.empty() ? std::string() : " (" + label + ")")
        + ".\n * The action's calls and, before them, the calls that made the descriptors, handles and\n"
          " * views they use. Build: "
        + (windows ? "x86_64-w64-mingw32-gcc -o action.exe action.c -luser32" : "cc -o action action.c (glibc 2.32+)")
        + ".\n * Exit status 0: every call succeeded or failed as it did in the journal.\n";
    for (const std::string& note : program.notes)
        header += " * Note: " + note + ".\n";
    header += " */\n";
    program.source
        = header + (windows ? windowsPrologue : posixPrologue) + writer.source + "\n    return differs;\n}\n";
    return program;
}

} // namespace shmscope::journal
