#include "core/journalrecord.h"

#include "core/journalformat.h"

namespace shmscope::journal {

namespace {

// Bytes of a stored buffer kept in a MemoryStore row (what "Copy as C program" can replay).
constexpr std::size_t kStoreKept = 64 * 1024;

void renderStoreResult(Call& call)
{
    call.result = format::address(call.resultValue);
}

} // namespace

void recordStore(const void* base, std::uint64_t offset, const void* data, std::size_t length)
{
    if (!listening())
        return;
    Call& call = newRow();
    call.timeUs = wallClockUsAt(monotonicNs());
    call.kind = CallKind::MemoryStore;
    call.name = "memcpy";
    argsInto(call, format::storeTarget(base, offset), format::bytes(data, length, kStoreKept),
             format::unsignedNumber(length));
    call.storeOffset = offset;
    call.resultType = ValueType::Address;
    call.resultValue = reinterpret_cast<std::uintptr_t>(base) + offset;
    call.renderResult = &renderStoreResult;
    record(call);
}

} // namespace shmscope::journal
