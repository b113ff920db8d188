#include "core/hash.h"

// xxHash used header-only: every function is static inline in this file, so the core needs no
// libxxhash at link time and the mingw-w64 build (which cannot link Debian's libxxhash) works the same.
// The header is copied into the build tree by core/CMakeLists.txt from the libxxhash-dev package.
#define XXH_INLINE_ALL
#if defined(__x86_64__) && defined(__GNUC__) && defined(__linux__) && !defined(__AVX2__)
// See hashAvx2() below: also compile xxHash's AVX2 functions, each with a target("avx2") attribute.
#define SHMSCOPE_HASH_AVX2 1
#define XXH_DISPATCH_AVX2 1
// The AVX2 loop loads and stores the accumulator and the seeded secret (both on the stack of
// XXH3_hashLong_64b_withSeed_internal) with aligned 32-byte accesses, but an SSE2 build aligns them to
// 16 only: align them to 64, as xxHash's own dispatcher does (XXH_X86DISPATCH sets the same).
#define XXH_ACC_ALIGN 64
#define XXH_TARGET_AVX2 __attribute__((__target__("avx2")))
#include <immintrin.h> // GCC and Clang declare the AVX2 intrinsics whatever the -m flags
#endif
#include <new>
#include <xxhash.h>

namespace shmscope {

namespace {

static_assert(sizeof(XXH3_state_t) <= 640, "StreamingHash::m_state is too small for this xxHash version");
static_assert(alignof(XXH3_state_t) <= 64, "StreamingHash::m_state is not aligned enough for this xxHash version");

#ifdef SHMSCOPE_HASH_AVX2
// AVX2 doubles XXH3's throughput on long inputs (the changes overview scans whole mappings), but the
// baseline x86-64 target has only SSE2. xxHash's own answer is a dispatcher (xxh_x86dispatch.c, which
// Debian does not ship): the same idea here, one copy of the long-input loop compiled for AVX2 with
// a target attribute, chosen at run time when the CPU has it (Linux x86-64 with GCC/Clang; other
// builds use the baseline SSE2 loop). XXH3_hashLong_64b_withSeed_internal
// with XXH_AVX2 accumulate/scramble functions is what that dispatcher builds too.
__attribute__((target("avx2"))) XXH64_hash_t hashAvx2(const void* data, std::size_t length, XXH64_hash_t seed)
{
    if (length <= XXH3_MIDSIZE_MAX)
        return XXH3_64bits_withSeed(data, length, seed);
    return XXH3_hashLong_64b_withSeed_internal(data, length, seed, XXH3_accumulate_512_avx2, XXH3_scrambleAcc_avx2,
                                               XXH3_initCustomSecret_avx2);
}

bool cpuHasAvx2()
{
    static const bool has = __builtin_cpu_supports("avx2");
    return has;
}
#endif

} // namespace

std::uint64_t hashBytes(const void* data, std::size_t length, std::uint64_t seed)
{
#ifdef SHMSCOPE_HASH_AVX2
    if (length > XXH3_MIDSIZE_MAX && cpuHasAvx2())
        return hashAvx2(data, length, seed);
#endif
    return XXH3_64bits_withSeed(data, length, seed);
}

StreamingHash::StreamingHash(std::uint64_t seed)
{
    auto* state = new (m_state) XXH3_state_t;
    XXH3_INITSTATE(state);
    XXH3_64bits_reset_withSeed(state, seed);
}

void StreamingHash::update(const void* data, std::size_t length)
{
    XXH3_64bits_update(reinterpret_cast<XXH3_state_t*>(m_state), data, length);
}

std::uint64_t StreamingHash::digest() const
{
    return XXH3_64bits_digest(reinterpret_cast<const XXH3_state_t*>(m_state));
}

} // namespace shmscope
