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

void calibrate()
{
    std::call_once(g_calibrated, [] {
#ifdef SHMSCOPE_JOURNAL_TSC
        if (!invariantTsc())
            return;
        const std::uint64_t firstTicks = __rdtsc();
        const std::uint64_t firstNs = steadyNs();
        std::uint64_t ticks = firstTicks;
        std::uint64_t ns = firstNs;
        // Over 2 ms: a pair of readings is off by ~25 ns, so the rate is good to ~1e-5.
        while (ns - firstNs < 2000000) {
            ticks = __rdtsc();
            ns = steadyNs();
        }
        if (ticks > firstTicks)
            g_nsPerTick.store(double(ns - firstNs) / double(ticks - firstTicks), std::memory_order_relaxed);
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
