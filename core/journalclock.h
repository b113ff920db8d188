#pragma once

// Internal to shmscope_core: the journal's clock for durations (core/journal.h). A journal row takes
// two readings (the call's start and end), so a reading must be cheap: on x86-64 with an invariant
// time-stamp counter it is the TSC itself (RDTSC, ~10 ns on the machines measured, against ~25 ns for
// clock_gettime(CLOCK_MONOTONIC) through the vDSO) scaled to nanoseconds by a rate measured once
// against the steady clock; elsewhere it is std::chrono::steady_clock.
//
// Sources: Intel SDM vol. 3, 18.17.1 "Invariant TSC" (CPUID.80000007H:EDX[8]: the TSC runs at a
// constant rate in every P-, C- and T-state, so it can serve as a clock; AMD's TscInvariant is the same
// bit); the Linux kernel's arch/x86/kernel/tsc.c uses it the same way when it trusts it, and keeps the
// TSCs of a machine's cores synchronised (or marks them unstable, and the flag above is then absent).
// Bracketing the reference clock between two TSC readings and keeping the narrowest bracket is how the
// kernel's own calibration (tsc.c, tsc_read_refs()) keeps an interrupt or a preemption out of the rate.

#include <cstdint>

namespace shmscope::journal::clock {

/// Decides TSC or steady clock and measures the TSC's rate against the steady clock over ~2 ms (the
/// first call only; later calls return at once). Thread-safe. Called before the first listener is
/// added, so that nowNs() is ready before anything is recorded.
void calibrate();

/// Monotonic nanoseconds (an arbitrary origin), comparable across threads: the TSC scaled by the
/// measured rate (accurate to ~1e-4, so 100 µs per second against the steady clock; the journal
/// re-anchors its wall-clock times every second), or the steady clock before calibrate() and where the
/// TSC is not invariant or could not be measured.
std::uint64_t nowNs() noexcept;

namespace detail {

/// A source of readings: ticks (the TSC) or nanoseconds (the steady clock). Plain function pointers,
/// so that a test can drive measureNsPerTick() with a simulated machine.
using Reader = std::uint64_t (*)();

/// Measures nanoseconds per tick of `ticks` against `ns` over at least `spanNs` nanoseconds of `ns`.
/// Each end of the span is one `ns` reading bracketed by two `ticks` readings; of up to 8 brackets the
/// narrowest is kept, so that a preemption or an interrupt between the two clocks (which a plain pair
/// of readings would take into the rate: 100 µs in a 2 ms span is a 5 % error) is left out. Returns 0
/// when no bracket was narrower than 1/1000 of the span (the rate would not be good to 1e-3): the
/// caller then keeps the steady clock.
double measureNsPerTick(Reader ticks, Reader ns, std::uint64_t spanNs);

} // namespace detail

} // namespace shmscope::journal::clock
