#include "core/viewpasses.h"

#include "core/hash.h"

#include <atomic>
#include <cstring>

namespace shmscope::detail {

void exchangeBody(void* context)
{
    auto* a = static_cast<ExchangeArgs*>(context);
    std::memcpy(a->old, a->view, a->length);
    // Ordered against the copies for the fault handler's sake (the guard may leave this function midway).
    std::atomic_signal_fence(std::memory_order_seq_cst);
    a->writing = true;
    std::atomic_signal_fence(std::memory_order_seq_cst);
    std::memcpy(a->view, a->in, a->length);
}

void compareExchangeBody(void* context)
{
    auto* a = static_cast<CompareExchangeArgs*>(context);
    // Copied first, compared after: the answer and `current` then describe the same bytes even while
    // a writer that ignores the lock changes the view.
    std::memcpy(a->current, a->view, a->length);
    if (std::memcmp(a->current, a->expected, a->length) == 0) {
        std::memcpy(a->view, a->replacement, a->length);
        a->written = true;
    }
}

void hashBody(void* context)
{
    auto* a = static_cast<HashArgs*>(context);
    a->hash = hashBytes(a->view, a->length, a->seed);
}

void compareBody(void* context)
{
    auto* a = static_cast<CompareArgs*>(context);
    a->equal = std::memcmp(a->view, a->data, a->length) == 0;
}

} // namespace shmscope::detail
