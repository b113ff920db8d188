#include "core/journal.h"

#include "core/journalclock.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iterator>
#include <mutex>
#include <shared_mutex>
#include <utility>

#ifdef _WIN32
// psapi.h needs windows.h first.
// clang-format off
#include <windows.h>
#include <psapi.h>
// clang-format on
#else
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace shmscope::journal {

namespace detail {
std::atomic<int> g_listenerCount { 0 };
std::atomic<int> g_faultListenerCount { 0 };
std::atomic<int> g_eachCallListenerCount { 0 };
} // namespace detail

namespace {

std::shared_mutex& listenerMutex()
{
    static std::shared_mutex mutex;
    return mutex;
}

struct Listening {
    Listener* listener;
    bool countsFaults; // what countsPageFaults() said when it was added
    bool eachCall; // what takesCallsAtActionEnd() said, negated
};

std::vector<Listening>& listeners()
{
    static std::vector<Listening> list;
    return list;
}

// Updates the counts from the list (under the unique lock).
void recount(const std::vector<Listening>& list)
{
    const auto faults = std::count_if(list.begin(), list.end(), [](const Listening& l) { return l.countsFaults; });
    const auto eachCall = std::count_if(list.begin(), list.end(), [](const Listening& l) { return l.eachCall; });
    detail::g_faultListenerCount.store(static_cast<int>(faults), std::memory_order_relaxed);
    detail::g_eachCallListenerCount.store(static_cast<int>(eachCall), std::memory_order_relaxed);
    detail::g_listenerCount.store(static_cast<int>(list.size()), std::memory_order_relaxed);
}

std::atomic<std::uint64_t> g_nextSeq { 1 };
std::atomic<std::uint64_t> g_nextAction { 1 };

// The innermost live Action of this thread (nullptr: none), and its info (owned by that Action).
thread_local const Action* t_current = nullptr;
thread_local const ActionInfo* t_currentInfo = nullptr;

// Rows of this thread's current action kept for its end (Listener::takesCallsAtActionEnd()); their
// memory stays with the thread from one action to the next. At most kBatchRows before they go.
constexpr std::size_t kBatchRows = 256;
// Rows [0, t_batchUsed) are the current ones; the rest are kept for reuse (rows delivered before:
// moved from, or left as they were by a listener that only looked), so that a row is reset, not
// constructed and destroyed (zeroing a ~530-byte Call for each call was perf's hottest instruction in
// recording).
thread_local std::vector<Call> t_batch;
thread_local std::size_t t_batchUsed = 0;
// The row newRow() gave when it is not in the batch, and whether the last newRow() was in the batch.
thread_local Call t_row;
thread_local bool t_rowInBatch = false;

// Makes a row delivered before as newly made (its strings and vectors keep their memory). Every field
// of Call (core/journal.h) is set here.
Call& resetRow(Call& row)
{
    row.seq = 0;
    row.timeUs = 0;
    row.thread = 0;
    row.actionId = 0;
    row.kind = CallKind::SystemCall;
    row.name = {};
    row.via = {};
    row.rawArgs.clear();
    row.args.clear();
    row.resultType = ValueType::Number;
    row.resultValue = 0;
    row.failed = false;
    row.error = 0;
    row.durationNs = 0;
    row.storeOffset = 0;
    row.renderResult = nullptr;
    row.result.clear();
    row.errorName.clear();
    row.errorText.clear();
    return row;
}

// Hands `rows` to every listener (under the shared lock): a copy to each but the last, which may move
// from them.
void deliver(std::span<Call> rows)
{
    const std::vector<Listening>& list = listeners();
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (i + 1 < list.size()) {
            std::vector<Call> copy(rows.begin(), rows.end());
            list[i].listener->callsRecorded(copy);
        } else {
            list[i].listener->callsRecorded(rows);
        }
    }
}

// Delivers this thread's batch, if any (under the shared lock): adopted whole by a sole listener that
// wants it (the batch becomes the vector it gives back), else moved or copied row by row.
void deliverBatch()
{
    if (t_batchUsed == 0)
        return;
    const std::size_t used = std::exchange(t_batchUsed, 0);
    const std::vector<Listening>& list = listeners();
    if (list.size() == 1 && list.front().listener->adoptCalls(t_batch, used))
        return;
    deliver(std::span<Call>(t_batch.data(), used));
}

// The same, taking the lock.
void flushBatch()
{
    if (t_batchUsed == 0)
        return;
    std::shared_lock lock(listenerMutex());
    deliverBatch();
}

std::uint64_t threadId()
{
#ifdef _WIN32
    return GetCurrentThreadId();
#else
    // gettid() is a system call every time: asked once per thread.
    thread_local const auto id = static_cast<std::uint64_t>(::gettid());
    return id;
#endif
}

// Page faults of this thread so far (Windows: of the process). False when the OS cannot say.
bool faultCounts(std::int64_t& minor, std::int64_t& major)
{
#ifdef _WIN32
    PROCESS_MEMORY_COUNTERS counters = {};
    counters.cb = sizeof counters;
    if (!GetProcessMemoryInfo(GetCurrentProcess(), &counters, sizeof counters))
        return false;
    minor = counters.PageFaultCount;
    major = 0;
    return true;
#else
    struct rusage usage = {};
    if (::getrusage(RUSAGE_THREAD, &usage) != 0)
        return false;
    minor = usage.ru_minflt;
    major = usage.ru_majflt;
    return true;
#endif
}

std::string plural(std::int64_t count, const char* word)
{
    return "+" + std::to_string(count) + " " + word + (count == 1 ? " fault" : " faults");
}

} // namespace

std::string ActionInfo::faultText() const
{
    if (!faultsKnown)
        return {};
    if (minorFaults == 0 && majorFaults == 0)
        return "no page faults";
    std::string text;
    if (minorFaults != 0)
        text = plural(minorFaults, "minor");
    if (majorFaults != 0)
        text += (text.empty() ? "" : ", ") + plural(majorFaults, "major");
    return text;
}

std::string ActionInfo::label() const
{
    return m_renderLabel ? m_renderLabel(m_what, m_a, m_b) : m_label;
}

void ActionInfo::setLabel(std::string text)
{
    m_label = std::move(text);
    m_renderLabel = nullptr;
}

void ArgPack::add(const Arg& arg)
{
    const auto length16 = [](const std::string& text) {
        return static_cast<std::uint16_t>(std::min<std::size_t>(text.size(), UINT16_MAX));
    };
    Packed packed;
    packed.render = arg.render;
    packed.value = arg.value;
    packed.extra[0] = arg.extra[0];
    packed.extra[1] = arg.extra[1];
    packed.textLength = length16(arg.text);
    packed.cLength = length16(arg.c);
    packed.cTypeLength = length16(arg.cType);
    packed.bytesLength = static_cast<std::uint32_t>(std::min<std::size_t>(arg.bytes.size(), UINT32_MAX));
    packed.type = arg.type;
    // Most arguments of a row recorded raw have no string: nothing to append.
    if (packed.textLength != 0)
        m_strings.append(arg.text, 0, packed.textLength);
    if (packed.cLength != 0)
        m_strings.append(arg.c, 0, packed.cLength);
    if (packed.cTypeLength != 0)
        m_strings.append(arg.cType, 0, packed.cTypeLength);
    if (packed.bytesLength != 0)
        m_strings.append(arg.bytes, 0, packed.bytesLength);
    push(packed);
}

void ArgPack::add(const RawBytesArg& arg)
{
    const auto length = static_cast<std::uint32_t>(std::min<std::size_t>(arg.bytes.size(), UINT32_MAX));
    const RawArg& raw = arg.raw;
    push(Packed { raw.render, raw.value, { raw.extra[0], raw.extra[1] }, length, 0, 0, 0, raw.type });
    m_strings.append(arg.bytes.data(), length);
}

std::vector<Arg> ArgPack::unpack() const
{
    std::vector<Arg> args(m_count);
    std::size_t at = 0;
    const auto take = [&](std::string& into, std::size_t length) {
        into.assign(m_strings, at, length);
        at += length;
    };
    for (std::size_t i = 0; i < m_count; ++i) {
        const Packed& packed = i < kInline ? m_inline[i] : m_more[i - kInline];
        Arg& arg = args[i];
        arg.type = packed.type;
        arg.render = packed.render;
        arg.value = packed.value;
        arg.extra[0] = packed.extra[0];
        arg.extra[1] = packed.extra[1];
        take(arg.text, packed.textLength);
        take(arg.c, packed.cLength);
        take(arg.cType, packed.cTypeLength);
        take(arg.bytes, packed.bytesLength);
    }
    return args;
}

void ArgPack::clear()
{
    m_more.clear();
    m_strings.clear();
    m_count = 0;
}

bool Call::isDecoded() const
{
    return renderResult == nullptr && rawArgs.empty()
        && std::none_of(args.begin(), args.end(), [](const Arg& arg) { return arg.render != nullptr; });
}

void Call::decode()
{
    if (!rawArgs.empty()) {
        std::vector<Arg> unpacked = rawArgs.unpack();
        args.insert(args.end(), std::make_move_iterator(unpacked.begin()), std::make_move_iterator(unpacked.end()));
        rawArgs.clear();
    }
    for (Arg& arg : args) {
        if (arg.render) {
            const RenderArg render = std::exchange(arg.render, nullptr);
            render(arg);
        }
    }
    if (renderResult) {
        const RenderResult render = std::exchange(renderResult, nullptr);
        render(*this);
    }
}

Call Call::decoded() const
{
    Call copy = *this;
    copy.decode();
    return copy;
}

std::string Call::callText() const
{
    if (!isDecoded())
        return decoded().callText();
    std::string text(name);
    text += '(';
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (i > 0)
            text += ", ";
        text += args[i].text;
    }
    text += ')';
    return text;
}

std::string Call::text() const
{
    if (!isDecoded())
        return decoded().text();
    return callText() + " = " + result;
}

std::string Call::straceLine() const
{
    if (!isDecoded())
        return decoded().straceLine();
    char stamp[64] = "";
    const std::time_t seconds = static_cast<std::time_t>(timeUs / 1000000);
    std::tm local = {};
#ifdef _WIN32
    localtime_s(&local, &seconds);
#else
    localtime_r(&seconds, &local);
#endif
    std::snprintf(stamp, sizeof stamp, "%02d:%02d:%02d.%06lld", local.tm_hour, local.tm_min, local.tm_sec,
                  static_cast<long long>(timeUs % 1000000));
    char duration[48] = "";
    std::snprintf(duration, sizeof duration, " <%llu.%06llu>", static_cast<unsigned long long>(durationNs / 1000000000),
                  static_cast<unsigned long long>((durationNs / 1000) % 1000000));
    std::string line = "[pid " + std::to_string(thread) + "] " + stamp + ' ' + text() + duration;
    if (!via.empty())
        line.append(" /* ").append(via).append(" */");
    if (kind == CallKind::LibraryCall)
        line += " /* library call, not a system call */";
    else if (kind == CallKind::MemoryStore)
        line += " /* a store into the view, not a system call */";
    return line;
}

void addListener(Listener* listener)
{
    clock::calibrate(); // the first time: the TSC's rate (2 ms), before anything is recorded
    const bool faults = listener->countsPageFaults();
    const bool eachCall = !listener->takesCallsAtActionEnd();
    std::unique_lock lock(listenerMutex());
    listeners().push_back({ listener, faults, eachCall });
    recount(listeners());
}

void removeListener(Listener* listener)
{
    std::unique_lock lock(listenerMutex());
    auto& list = listeners();
    if (auto found
        = std::find_if(list.begin(), list.end(), [listener](const Listening& l) { return l.listener == listener; });
        found != list.end())
        list.erase(found);
    recount(list);
}

std::int64_t wallClockUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::uint64_t monotonicNs()
{
    return clock::nowNs();
}

std::int64_t wallClockUsAt(std::uint64_t monotonic)
{
    struct Anchor {
        std::uint64_t monotonicNs = 0;
        std::int64_t wallUs = 0;
        bool set = false;
    };
    thread_local Anchor anchor;
    if (!anchor.set || monotonic < anchor.monotonicNs || monotonic - anchor.monotonicNs > 1000000000) {
        anchor.monotonicNs = monotonicNs();
        anchor.wallUs = wallClockUs();
        anchor.set = true;
    }
    return anchor.wallUs
        + (static_cast<std::int64_t>(monotonic) - static_cast<std::int64_t>(anchor.monotonicNs)) / 1000;
}

const ActionInfo& currentAction()
{
    static const ActionInfo none;
    return t_currentInfo ? *t_currentInfo : none;
}

ActingFor::ActingFor(ActionInfo action)
    : m_action(std::move(action))
{
    if (m_action.id == 0)
        return;
    m_active = true;
    m_saved = t_currentInfo;
    t_currentInfo = &m_action;
}

ActingFor::~ActingFor()
{
    if (m_active) {
        flushBatch(); // the rows made on behalf of the action go before this thread leaves it
        t_currentInfo = m_saved;
    }
}

Call& newRow()
{
    t_rowInBatch = t_currentInfo != nullptr && detail::g_eachCallListenerCount.load(std::memory_order_relaxed) == 0;
    if (t_rowInBatch) {
        if (t_batchUsed < t_batch.size())
            return resetRow(t_batch[t_batchUsed++]);
        ++t_batchUsed;
        return t_batch.emplace_back();
    }
    flushBatch(); // a listener that takes each call was added meanwhile: the older rows go first
    t_row = Call();
    return t_row;
}

void record(Call& row)
{
    row.seq = g_nextSeq.fetch_add(1, std::memory_order_relaxed);
    row.thread = threadId();
    if (t_currentInfo)
        row.actionId = t_currentInfo->id;
    if (t_rowInBatch) {
        if (t_batchUsed >= kBatchRows)
            flushBatch();
        return;
    }
    std::shared_lock lock(listenerMutex());
    deliver(std::span<Call>(&row, 1));
}

Action::Action(std::string_view label)
{
    if (listening()) {
        m_info.m_label = label;
        begin();
    }
}

Action::Action(RenderLabel render, const char* what, std::uint64_t a, std::uint64_t b)
{
    if (listening()) {
        m_info.m_renderLabel = render;
        m_info.m_what = what;
        m_info.m_a = a;
        m_info.m_b = b;
        begin();
    }
}

void Action::begin()
{
    m_active = true;
    m_info.id = g_nextAction.fetch_add(1, std::memory_order_relaxed);
    m_info.thread = threadId();
    const std::uint64_t start = monotonicNs();
    m_info.startUs = wallClockUsAt(start);
    // Two system calls per action: only when a listener asked for the faults.
    if (detail::g_faultListenerCount.load(std::memory_order_relaxed) != 0)
        m_info.faultsKnown = faultCounts(m_minorStart, m_majorStart);
    m_info.durationNs = start; // the start, until the end replaces it with the duration
    m_outer = t_current;
    t_current = this;
    t_currentInfo = &m_info;
    std::shared_lock lock(listenerMutex());
    deliverBatch(); // the outer action's rows so far come before this one's start
    for (const Listening& l : listeners())
        l.listener->actionBegan(m_info);
}

Action::~Action()
{
    if (!m_active)
        return;
    std::int64_t minor = 0;
    std::int64_t major = 0;
    if (m_info.faultsKnown && faultCounts(minor, major)) {
        m_info.minorFaults = minor - m_minorStart;
        m_info.majorFaults = major - m_majorStart;
    } else {
        m_info.faultsKnown = false;
    }
    m_info.durationNs = monotonicNs() - m_info.durationNs;
    m_info.ended = true;
    t_current = m_outer;
    t_currentInfo = m_outer ? &m_outer->m_info : nullptr;
    std::shared_lock lock(listenerMutex());
    deliverBatch();
    for (const Listening& l : listeners())
        l.listener->actionEnded(m_info);
}

} // namespace shmscope::journal
