#pragma once

// What every benchmark program shares: the median of its runs and the `name value unit` line it prints
// (the format tools/dev and the notes read). Header-only; tests/benchmarks only.

#include <algorithm>
#include <cstdio>
#include <string_view>
#include <vector>

namespace shmscope::bench {

/// The median of `values` (the mean of the two middle ones for an even count); 0 for none.
inline double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    if (n == 0)
        return 0;
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/// Prints one figure as `name value unit` (three decimals) and flushes, so that a run cut short
/// keeps what it measured.
inline void print(std::string_view name, double value, const char* unit)
{
    std::printf("%.*s %.3f %s\n", static_cast<int>(name.size()), name.data(), value, unit);
    std::fflush(stdout);
}

} // namespace shmscope::bench
