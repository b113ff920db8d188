#include "core/journal.h"

#include "core/journalclock.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
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
};

std::vector<Listening>& listeners()
{
    static std::vector<Listening> list;
    return list;
}

// Updates the two counts from the list (under the unique lock).
void recount(const std::vector<Listening>& list)
{
    const auto faults = std::count_if(list.begin(), list.end(), [](const Listening& l) { return l.countsFaults; });
    detail::g_faultListenerCount.store(static_cast<int>(faults), std::memory_order_relaxed);
    detail::g_listenerCount.store(static_cast<int>(list.size()), std::memory_order_relaxed);
}

std::atomic<std::uint64_t> g_nextSeq { 1 };
std::atomic<std::uint64_t> g_nextAction { 1 };

// The innermost live Action of this thread (nullptr: none), and its info (owned by that Action).
thread_local const Action* t_current = nullptr;
thread_local const ActionInfo* t_currentInfo = nullptr;

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

const std::string& Call::action() const
{
    static const std::string none;
    return actionLabel ? *actionLabel : none;
}

bool Call::isDecoded() const
{
    return renderResult == nullptr
        && std::none_of(args.begin(), args.end(), [](const Arg& arg) { return arg.render != nullptr; });
}

void Call::decode()
{
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
    std::string text = name;
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
        line += " /* " + via + " */";
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
    std::unique_lock lock(listenerMutex());
    listeners().push_back({ listener, faults });
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
    if (m_active)
        t_currentInfo = m_saved;
}

void record(Call& call)
{
    call.seq = g_nextSeq.fetch_add(1, std::memory_order_relaxed);
    call.thread = threadId();
    if (t_currentInfo) {
        call.actionId = t_currentInfo->id;
        call.actionLabel = t_currentInfo->sharedLabel;
    }
    std::shared_lock lock(listenerMutex());
    const std::vector<Listening>& list = listeners();
    for (std::size_t i = 0; i < list.size(); ++i) {
        // Each listener its own copy; the last gets the row itself.
        if (i + 1 < list.size())
            list[i].listener->callRecorded(call);
        else
            list[i].listener->callRecorded(std::move(call));
    }
}

Action::Action(std::string_view label)
{
    if (listening())
        begin(std::string(label));
}

void Action::begin(std::string label)
{
    m_active = true;
    m_info.id = g_nextAction.fetch_add(1, std::memory_order_relaxed);
    m_info.sharedLabel = std::make_shared<const std::string>(label);
    m_info.label = std::move(label);
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
    for (const Listening& l : listeners())
        l.listener->actionEnded(m_info);
}

} // namespace shmscope::journal
