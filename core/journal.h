#pragma once

// The native-call journal (issue 10, section 1): every OS call the core makes on behalf of a user
// action, recorded with its arguments decoded symbolically the way strace prints them. Qt-free.
//
// Who records: the core's own call wrappers (core/posix/syscalls.h, core/win/wincalls.h) — one small
// layer every OS call of the mapping code goes through. Who listens: the CLI's --trace (stderr, in
// strace's line format), the GUI's "Native calls" dock, tests. Who labels: the caller of the core,
// with a scoped journal::Action ("attach posix:/demo read-write", "edit 1 byte at 0x10", "undo").
//
// Cost when nobody listens: one relaxed atomic load per call (listening()); nothing is formatted,
// timed or allocated. Cost while somebody listens: two clock reads (RDTSC where the TSC is invariant,
// core/journalclock.h), the raw values of the call packed into the row (its integer arguments, result
// and error number; strings only where the call takes one; no allocation for an edit's rows) and the
// listeners' callbacks — per call, or per action for listeners that take an action's rows at its end
// (Listener::takesCallsAtActionEnd()). Nothing is formatted while recording: a row is decoded into
// strace's text when it is shown or printed (Call::decode(), or callText()/text()/straceLine() on a
// copy), and a frequent action's label when it is shown (Action(RenderLabel, …)). Page faults per
// action (a getrusage pair, two system calls) are counted only while a listener asks for them
// (Listener::countsPageFaults()). Measured in tests/benchmarks/journal_bench.cpp; core/README.md.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace shmscope::journal {

/// What a journal row records.
enum class CallKind : std::uint8_t {
    SystemCall, ///< one Linux system call, named and printed as strace shows it (`openat`, `newfstatat`)
    LibraryCall, ///< a C library call that is not one system call (`realpath`, a posix_fallocate fallback)
    ApiCall, ///< a Windows API call (`CreateFileMappingW`, `MapViewOfFile`)
    MemoryStore, ///< bytes stored into a view by the CPU (no OS call; shown so that an edit's effect is visible)
};

/// How an argument or a result is to be read (the C program generator substitutes variables for
/// descriptors, handles and addresses made by earlier rows).
enum class ValueType : std::uint8_t {
    Number, ///< an integer (text: decimal)
    Fd, ///< a file descriptor (value)
    Handle, ///< a Windows HANDLE (value)
    Address, ///< a memory address (value; text `0x7f…` or `NULL`)
    Symbol, ///< a constant expression of the OS headers: `O_RDWR|O_CREAT`, `0600`, `AT_FDCWD`, `FILE_MAP_COPY`
    String, ///< a string (bytes holds it raw; text is strace's quoted form)
    Struct, ///< a structure passed in (`{l_type=F_WRLCK, …}`; c is a C compound literal)
    Out, ///< a structure the call fills in (text: what it holds after the call; c_type names its C type)
    Bytes, ///< a buffer of bytes (bytes holds them; text is the quoted form, cut after 32 bytes as strace does)
    None, ///< no value (a call returning void)
};

struct Arg;
/// Fills in an argument's text (and c) from its raw fields (value, extra, bytes); set by the recorder.
using RenderArg = void (*)(Arg& arg);

/// An argument recorded raw without any string: a number, descriptor, handle, address, flags, or a
/// structure's fields (most arguments). The format helpers (core/journalformat.h) return it for those,
/// so that recording one constructs no string (ArgPack::add(const RawArg&)); it converts to an Arg.
struct RawArg {
    ValueType type = ValueType::Number;
    RenderArg render = nullptr; ///< how to print the raw fields (Arg::render)
    std::uint64_t value = 0; ///< Arg::value
    std::int64_t extra[2] = {}; ///< Arg::extra
};

/// A RawArg with bytes it does not own (a stored buffer, Arg::bytes): ArgPack::add() copies them.
/// Valid only while the bytes are: pack it within the recording call.
struct RawBytesArg {
    RawArg raw;
    std::string_view bytes;
};

/// One argument of a recorded call. Recorded raw: `render` says how to print it and `text`/`c` are
/// empty until Call::decode() (arguments recorded already printed, rare ones, have no `render`).
struct Arg {
    Arg() = default;
    /// The raw fields of `raw`, no strings.
    Arg(const RawArg& raw) // NOLINT(google-explicit-constructor): a RawArg is an Arg without strings
        : type(raw.type)
        , render(raw.render)
        , value(raw.value)
        , extra { raw.extra[0], raw.extra[1] }
    { }

    ValueType type = ValueType::Number;
    RenderArg render = nullptr; ///< how to print the raw fields; nullptr once decoded (or when text was given)
    std::uint64_t value = 0; ///< the raw value (descriptor, handle, address, number, flags)
    std::int64_t extra[2] = {}; ///< more raw fields a render needs (a struct flock's l_start and l_len …)
    std::string text; ///< as strace (Windows: API Monitor) prints it; empty until decoded
    std::string c; ///< the same as a C expression when it differs from text (structures, wide strings); else empty
    std::string cType; ///< Out/Struct: the C type ("struct stat"); Symbol: the type to cast to, if any
    std::string bytes; ///< String/Bytes: the raw bytes (Windows wide strings: UTF-8)
};

/// The arguments of a row as recorded, packed: each Arg's raw fields inline (up to four without an
/// allocation; a fifth and more go to a vector) and all their strings in one buffer (a short one, such
/// as an edit's stored byte, without an allocation: std::string's small-string buffer). A recorded row
/// keeps its arguments here until Call::decode() unpacks them into Call::args; recording a call with
/// four arguments or fewer and no long strings allocates nothing.
class ArgPack
{
public:
    /// Appends `arg` (its raw fields, render, and any text, C expression, C type and bytes it holds).
    void add(const Arg& arg);
    /// Appends `arg`: its raw fields and render, and a copy of its bytes (cut at 4 GiB).
    void add(const RawBytesArg& arg);
    /// Appends `arg`: its raw fields and render only (no string to copy).
    void add(const RawArg& arg)
    {
        push(Packed { arg.render, arg.value, { arg.extra[0], arg.extra[1] }, 0, 0, 0, 0, arg.type });
    }
    /// How many arguments it holds.
    std::size_t size() const { return m_count; }
    bool empty() const { return m_count == 0; }
    /// The arguments as they were added, in order (each with its render, not yet called).
    std::vector<Arg> unpack() const;
    /// Removes every argument.
    void clear();

private:
    struct Packed {
        RenderArg render;
        std::uint64_t value;
        std::int64_t extra[2];
        // Its strings follow the previous arguments' in m_strings: text, c, cType, bytes. A printed
        // text, C expression or C type is cut at 64 KiB (none comes near); bytes at 4 GiB.
        std::uint32_t bytesLength;
        std::uint16_t textLength;
        std::uint16_t cLength;
        std::uint16_t cTypeLength;
        ValueType type;
    };
    void push(const Packed& packed)
    {
        if (m_count < kInline)
            m_inline[m_count] = packed;
        else
            m_more.push_back(packed);
        ++m_count;
    }

    static constexpr std::size_t kInline = 4;
    Packed m_inline[kInline];
    std::vector<Packed> m_more; // the fifth argument on
    std::string m_strings;
    std::uint8_t m_count = 0;
};

struct Call;
/// Fills in a row's result, errorName and errorText from its raw fields; set by the recorder.
using RenderResult = void (*)(Call& call);

/// One recorded call: a row of the journal. (A new field must also be reset in journal.cpp's
/// resetRow(), which readies a recording thread's rows for reuse.)
struct Call {
    std::uint64_t seq = 0; ///< 1, 2, 3 … in the order the calls returned, over the whole process
    std::int64_t timeUs = 0; ///< when the call started: wall clock, µs since the Unix epoch
    std::uint64_t thread = 0; ///< the OS thread id (gettid / GetCurrentThreadId)
    /// The user action it belongs to (Action::id()); 0: none. Its label comes with the action
    /// (Listener::actionBegan()), not with each row.
    std::uint64_t actionId = 0;
    CallKind kind = CallKind::SystemCall;
    /// `openat`, `mmap`, `CreateFileMappingW`, `memcpy`: a string of static storage (a literal), so
    /// that recording a row copies no name.
    std::string_view name;
    /// The library function the core called when it differs from name (`shm_open`), else empty; static
    /// storage like name.
    std::string_view via;
    /// The arguments as recorded (raw, packed); decode() moves them into args.
    ArgPack rawArgs;
    /// The arguments, decoded (empty until decode() when the row was recorded raw into rawArgs).
    std::vector<Arg> args;
    ValueType resultType = ValueType::Number; ///< Fd, Address, Handle, Number, Symbol (a WAIT_* name) or None
    std::uint64_t resultValue = 0; ///< the raw returned value (as unsigned bits)
    bool failed = false; ///< the call reported an error
    int error
        = 0; ///< errno (POSIX) or GetLastError() (Windows) when failed (Windows: also ERROR_ALREADY_EXISTS on success)
    std::uint64_t durationNs = 0; ///< time spent in the call, nanoseconds
    /// MemoryStore rows: the offset into the view whose start is args[0].value (args[1] holds the bytes).
    std::uint64_t storeOffset = 0;
    /// How to print the result and the error; nullptr once decoded (or when result was given).
    RenderResult renderResult = nullptr;
    // Filled in by decode():
    std::string result; ///< as strace prints it: `3`, `0x7f5a2c000000`, `-1 ENOENT (No such file or directory)`
    std::string errorName; ///< `ENOENT`, `ERROR_ALREADY_EXISTS`; empty when there is none
    std::string errorText; ///< `No such file or directory`

    /// Whether the text fields (args, result, errorName, errorText, each argument's text and c) are filled in.
    bool isDecoded() const;
    /// Fills in the text fields from the raw values, as strace prints them (the flag tables, error
    /// names, quoting): unpacks rawArgs into args and prints them. Does nothing the second time.
    /// Listeners get rows undecoded: they decode when (and only if) they show a row.
    void decode();
    /// A decoded copy.
    Call decoded() const;

    /// `name(arg, arg, …)` (decodes a copy when the row is not decoded).
    std::string callText() const;
    /// `name(arg, arg, …) = result`, strace's line without prefix and timing.
    std::string text() const;
    /// The full line of `shmscope-cli --trace`, as `strace -f -tt -T` prints it:
    /// `[pid TID] HH:MM:SS.uuuuuu name(args) = result <0.000012>`, followed by ` /* shm_open */` when
    /// the call was made through another library function and ` /* not a system call */` for library
    /// and memory rows (local time of day).
    std::string straceLine() const;
};

/// Prints an action's label from raw values, for an Action made with one (a frequent action, such
/// as an edit, keeps its numbers and is printed only when shown): `what`, `a`, `b` are the Action's.
using RenderLabel = std::string (*)(const char* what, std::uint64_t a, std::uint64_t b);

/// A user action: its label and what it cost.
struct ActionInfo {
    std::uint64_t id = 0; ///< 1, 2, 3 … over the process
    std::uint64_t thread = 0; ///< the thread that ran it
    std::int64_t startUs = 0; ///< wall clock at its start, µs since the Unix epoch
    std::uint64_t durationNs = 0; ///< 0 until it ended
    /// Page faults taken by that thread during the action (Linux: getrusage(RUSAGE_THREAD) before and
    /// after; Windows: the process's PageFaultCount, all counted as minor). Set when it ended, and only
    /// counted while a listener that wants them listens (Listener::countsPageFaults()).
    std::int64_t minorFaults = 0;
    std::int64_t majorFaults = 0;
    bool faultsKnown = false; ///< false where the OS could not say, or when nobody asked for them
    bool ended = false;

    /// "+1 minor fault", "+3 minor faults, +1 major fault", "no page faults"; empty when not known.
    std::string faultText() const;

    /// What the user did, in their words: "attach posix:/demo read-write", "edit 1 byte at 0x10"
    /// (printed here when the action was made with a RenderLabel).
    std::string label() const;
    /// Sets the label to `text` (a header a listener makes up for rows whose action it did not see).
    void setLabel(std::string text);

private:
    friend class Action;
    std::string m_label;
    RenderLabel m_renderLabel = nullptr;
    const char* m_what = nullptr;
    std::uint64_t m_a = 0;
    std::uint64_t m_b = 0;
};

/// Receives the journal. Callbacks run on the thread that made the call, while the journal's
/// listener list is locked for reading: they must be quick and thread-safe, must not call
/// addListener()/removeListener() and must not make calls that are recorded.
///
/// When rows arrive: at once by default (callRecorded() as each call returns). A listener that can
/// wait says so (takesCallsAtActionEnd()); while every listener can, the rows of a thread's action
/// are kept in that thread and handed over together (callsRecorded()) when the action ends or an
/// inner one begins — one lock and one callback per action instead of per call. Either way a
/// listener sees actionBegan, the action's rows in order, then actionEnded.
class Listener
{
public:
    virtual ~Listener() = default;
    /// An action began (before any of its calls).
    virtual void actionBegan(const ActionInfo& action) { (void)action; }
    /// A call returned. The row is the listener's own (move it into storage: the cheapest way to keep
    /// it; the journal does not use it afterwards); it is not decoded (call decode() when it is shown).
    virtual void callRecorded(Call&& call) = 0;
    /// Several calls returned, in seq order (rows kept until their action's end, see the class). The
    /// rows are the listener's own, like callRecorded()'s. By default each goes to callRecorded().
    virtual void callsRecorded(std::span<Call> calls)
    {
        for (Call& call : calls)
            callRecorded(std::move(call));
    }
    /// Offers the rows kept for an action's end whole, so that none is moved or copied: made only to a
    /// listener that takes calls at action end, and only while it is the only listener. `rows[0, count)`
    /// are the rows, in seq order; rows after them are spares the journal keeps to reuse. A listener that
    /// keeps the rows swaps `rows` with a vector of its own and returns true: the journal reuses whatever
    /// it gives back (its rows may be moved from; each is reset before reuse; an empty vector will do).
    /// Returning false (the default) has them delivered by callsRecorded() instead. Runs like the other
    /// callbacks (any thread, under the listener list's read lock).
    virtual bool adoptCalls(std::vector<Call>& rows, std::size_t count)
    {
        (void)rows;
        (void)count;
        return false;
    }
    /// Whether this listener can take an action's rows when the action ends (true) rather than as each
    /// call returns (false, the default: a --trace line must appear before a lock wait, not after the
    /// command). Asked once, by addListener().
    virtual bool takesCallsAtActionEnd() const { return false; }
    /// An action ended: durationNs and, when counted, the fault counts are set.
    virtual void actionEnded(const ActionInfo& action) { (void)action; }
    /// Whether this listener wants the page faults of each action (ActionInfo::minorFaults …). They
    /// cost a getrusage(RUSAGE_THREAD) pair per action (two system calls, about as much as the lock
    /// and unlock of an edit), so they are counted only while a listener that wants them is added.
    /// Asked once, by addListener().
    virtual bool countsPageFaults() const { return false; }
};

/// Starts delivering the journal to `listener` (not owned; must stay alive until removeListener()).
/// Adding the same listener twice delivers twice.
void addListener(Listener* listener);
/// Stops delivering to `listener`. When it returns, no callback of `listener` is running.
void removeListener(Listener* listener);

namespace detail {
extern std::atomic<int> g_listenerCount;
extern std::atomic<int> g_faultListenerCount;
extern std::atomic<int> g_eachCallListenerCount; // listeners that take each call as it returns
} // namespace detail

/// Whether anybody listens: one relaxed atomic load. Every recording wrapper checks it first and
/// calls the OS directly when it is false.
inline bool listening() noexcept
{
    return detail::g_listenerCount.load(std::memory_order_relaxed) != 0;
}

/// A user action, for the time this object lives (a scope): the calls this thread makes meanwhile
/// belong to it. Actions nest: an inner one takes over until it ends. When nobody listens at
/// construction the object does nothing (one atomic load; the label is not even built when given
/// as a function). Not copyable or movable; use it on one thread.
class Action
{
public:
    /// `label` is what the user did, in their words: "attach posix:/demo read-write".
    explicit Action(std::string_view label);
    /// Builds the label only when somebody listens: Action([&] { return "attach " + … ; }).
    template<typename MakeLabel, typename = decltype(std::string(std::declval<MakeLabel&>()()))>
    explicit Action(MakeLabel&& makeLabel)
    {
        if (listening()) {
            m_info.m_label = makeLabel();
            begin();
        }
    }
    /// For a frequent action: the label is printed by `render(what, a, b)` only when it is shown
    /// (ActionInfo::label()), not while recording. `what` must stay valid for the program's life (a
    /// string literal).
    Action(RenderLabel render, const char* what, std::uint64_t a, std::uint64_t b);
    ~Action();
    Action(const Action&) = delete;
    Action& operator=(const Action&) = delete;

    /// This action's id (0 when nobody listened at its start).
    std::uint64_t id() const { return m_info.id; }

private:
    void begin();

    ActionInfo m_info;
    const Action* m_outer = nullptr;
    std::int64_t m_minorStart = 0;
    std::int64_t m_majorStart = 0;
    bool m_active = false;
};

/// The action the calling thread is in (id 0 and an empty label when none).
const ActionInfo& currentAction();

/// For a helper thread that makes calls on behalf of another thread (the Windows lock's waiting
/// thread): while this object lives, the calls of the constructing thread belong to `action` (a copy
/// of currentAction() taken on the other thread). Does nothing for an action of id 0.
class ActingFor
{
public:
    explicit ActingFor(ActionInfo action);
    ~ActingFor();
    ActingFor(const ActingFor&) = delete;
    ActingFor& operator=(const ActingFor&) = delete;

private:
    ActionInfo m_action;
    const ActionInfo* m_saved = nullptr;
    bool m_active = false;
};

/// A new, empty row for the call the calling thread is recording, to fill in and pass to record():
/// a row of the thread's batch when the rows go to the listeners at the action's end (see Listener),
/// else a row of the thread's own that record() delivers at once. Valid until record(). Used by the
/// recording wrappers (through core/journalrecord.h); call it only when listening().
Call& newRow();
/// Records the row newRow() gave: fills in seq, thread and the current action, and delivers it (at
/// once: moved into the last listener's callRecorded(), copied for the others; or with its batch).
void record(Call& row);

/// Wall clock now, µs since the Unix epoch.
std::int64_t wallClockUs();
/// The wall clock (µs since the Unix epoch) at monotonic time `monotonicNs` (a monotonicNs() reading
/// of this thread, recent): derived from a wall/monotonic pair this thread read at most a second
/// before, so that a row costs two clock reads (start and end), not three. Off from wallClockUs() by
/// what the wall clock was stepped or slewed within that second.
std::int64_t wallClockUsAt(std::uint64_t monotonicNs);
/// A monotonic clock for durations, in ns: the TSC where it is invariant (core/journalclock.h, one
/// RDTSC), else the steady clock.
std::uint64_t monotonicNs();

} // namespace shmscope::journal
