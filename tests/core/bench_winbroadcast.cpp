// Benchmark (a program, not a test): the latency of a window-message broadcast from post to receipt,
// 1,000 messages, one at a time (the next is posted after the previous arrived). Two channels of one
// process, each with its own thread, window and message loop; the message goes through the window
// system (wineserver under Wine) as between processes. Prints win_broadcast_p50_us and
// win_broadcast_p99_us. Run by tools/wine-test after the tests.

#include "core/broadcast.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <vector>
#include <windows.h>

using namespace shmscope;

int main()
{
    std::setvbuf(stdout, nullptr, _IONBF, 0);
    constexpr int messages = 1000;
    LARGE_INTEGER frequency;
    ::QueryPerformanceFrequency(&frequency);

    std::mutex mutex;
    std::condition_variable arrived;
    LONGLONG receivedAt = 0;
    bool received = false;
    const std::string group = "ShmScope.Benchmark:" + std::to_string(::GetCurrentProcessId());
    Result<std::unique_ptr<BroadcastChannel>> receiver = BroadcastChannel::open(group, [&](const ChangeNotice&) {
        LARGE_INTEGER now;
        ::QueryPerformanceCounter(&now);
        std::lock_guard<std::mutex> lock(mutex);
        receivedAt = now.QuadPart;
        received = true;
        arrived.notify_all();
    });
    Result<std::unique_ptr<BroadcastChannel>> sender = BroadcastChannel::open(group, nullptr);
    if (!receiver || !sender) {
        std::fprintf(stderr, "error: %s\n", (!receiver ? receiver.error() : sender.error()).message().c_str());
        return 1;
    }

    std::vector<double> latencies;
    for (int i = 0; i < messages; ++i) {
        LARGE_INTEGER postedAt;
        {
            std::lock_guard<std::mutex> lock(mutex);
            received = false;
        }
        ::QueryPerformanceCounter(&postedAt);
        if (!(*sender)->announce(static_cast<std::uint64_t>(i), 1)) {
            std::fputs("error: announce failed\n", stderr);
            return 1;
        }
        std::unique_lock<std::mutex> lock(mutex);
        if (!arrived.wait_for(lock, std::chrono::seconds(5), [&] { return received; })) {
            std::fprintf(stderr, "error: message %d not received within 5 s\n", i);
            return 1;
        }
        latencies.push_back(static_cast<double>(receivedAt - postedAt.QuadPart) * 1e6
                            / static_cast<double>(frequency.QuadPart));
    }
    std::sort(latencies.begin(), latencies.end());
    auto percentile = [&](double p) {
        return latencies[std::min(latencies.size() - 1, static_cast<std::size_t>(p * latencies.size()))];
    };
    std::printf("win_broadcast_messages=%d\n", messages);
    std::printf("win_broadcast_p50_us=%.1f\n", percentile(0.50));
    std::printf("win_broadcast_p99_us=%.1f\n", percentile(0.99));
    return 0;
}
