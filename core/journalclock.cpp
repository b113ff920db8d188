#include "core/journalclock.h"

#include <atomic>
#include <chrono>
#include <mutex>

#if defined(__x86_64__) && !defined(_WIN32)
#include <cpuid.h>
#include <x86intrin.h>
#define SHMSCOPE_JOURNAL_TSC 1
#endif

namespace shmscope::journal::clock {

namespace {

std::uint64_t steadyNs() noexcept
{
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
            .count());
}

#ifdef SHMSCOPE_JOURNAL_TSC
// CPUID.80000007H:EDX[8], "Invariant TSC".
bool invariantTsc()
{
    unsigned eax = 0;
    unsigned ebx = 0;
    unsigned ecx = 0;
    unsigned edx = 0;
    if (!__get_cpuid(0x80000000u, &eax, &ebx, &ecx, &edx) || eax < 0x80000007u)
        return false;
    if (!__get_cpuid(0x80000007u, &eax, &ebx, &ecx, &edx))
        return false;
    return (edx & (1u << 8)) != 0;
}

// Nanoseconds per TSC cycle; 0: the steady clock is used. Written once by calibrate(), before any
// listener exists, read by every recording thread afterwards.
std::atomic<double> g_nsPerTick { 0.0 };
#endif

std::once_flag g_calibrated;

} // namespace

namespace detail {

namespace {

// One reading of the reference clock and the tick count at that moment (the middle of the bracket).
struct Bracket {
    std::uint64_t ticks = 0;
    std::uint64_t ns = 0;
    std::uint64_t widthTicks = ~std::uint64_t(0);
};

Bracket narrowestBracket(Reader ticks, Reader ns)
{
    Bracket best;
    for (int attempt = 0; attempt < 8; ++attempt) {
        const std::uint64_t before = ticks();
        const std::uint64_t reference = ns();
        const std::uint64_t after = ticks();
        if (after < before)
            continue;
        if (after - before < best.widthTicks)
            best = { before + (after - before) / 2, reference, after - before };
    }
    return best;
}

} // namespace

double measureNsPerTick(Reader ticks, Reader ns, std::uint64_t spanNs)
{
    const Bracket first = narrowestBracket(ticks, ns);
    std::uint64_t now = ns();
    while (now - first.ns < spanNs)
        now = ns();
    const Bracket last = narrowestBracket(ticks, ns);
    if (first.widthTicks == ~std::uint64_t(0) || last.widthTicks == ~std::uint64_t(0) || last.ticks <= first.ticks
        || last.ns <= first.ns)
        return 0.0;
    const double nsPerTick = double(last.ns - first.ns) / double(last.ticks - first.ticks);
    // Each end is uncertain by half its bracket: the rate by their sum over the span.
    const double uncertainNs = double(first.widthTicks + last.widthTicks) / 2.0 * nsPerTick;
    if (uncertainNs * 1000.0 > double(last.ns - first.ns))
        return 0.0;
    return nsPerTick;
}

} // namespace detail

void calibrate()
{
    std::call_once(g_calibrated, [] {
#ifdef SHMSCOPE_JOURNAL_TSC
        if (!invariantTsc())
            return;
        constexpr auto readTicks = []() -> std::uint64_t { return __rdtsc(); };
        // 2 ms: with brackets of ~30-60 ns the rate is good to ~3e-5. A machine too busy to give one
        // narrow bracket in 8 gets two more tries, then the steady clock.
        for (int attempt = 0; attempt < 3; ++attempt) {
            if (const double rate = detail::measureNsPerTick(readTicks, steadyNs, 2000000); rate != 0.0) {
                g_nsPerTick.store(rate, std::memory_order_relaxed);
                return;
            }
        }
#endif
    });
}

std::uint64_t nowNs() noexcept
{
#ifdef SHMSCOPE_JOURNAL_TSC
    if (const double scale = g_nsPerTick.load(std::memory_order_relaxed); scale != 0.0)
        return static_cast<std::uint64_t>(double(__rdtsc()) * scale);
#endif
    return steadyNs();
}

} // namespace shmscope::journal::clock
