#pragma once

#include <cstddef>
#include <cstdint>

namespace shmscope {

/// The 64-bit hash every ShmScope layer uses to tell whether bytes changed: XXH3_64bits_withSeed of
/// xxHash 0.8 (https://github.com/Cyan4973/xxHash, BSD-2-Clause; Debian package libxxhash-dev, used
/// header-only). Not cryptographic: a change goes unnoticed with a probability of about 2^-64.
/// Fast because it reads 64-byte stripes with SIMD (SSE2 on every x86-64; AVX2 where the CPU has it).
/// `data` must hold `length` readable bytes (nullptr is allowed when length is 0).
std::uint64_t hashBytes(const void* data, std::size_t length, std::uint64_t seed);

/// The same hash computed over bytes that arrive in pieces: update() with each piece in order, then
/// digest() equals hashBytes() of all the pieces concatenated with the same seed. For sources that can
/// only copy their bytes out (ByteSource's default, the copying fallback of the POSIX core). Holds
/// xxHash's streaming state (about 600 bytes) inline; no allocation. Not copyable.
class StreamingHash
{
public:
    /// Starts a hash of nothing with `seed`.
    explicit StreamingHash(std::uint64_t seed);
    StreamingHash(const StreamingHash&) = delete;
    StreamingHash& operator=(const StreamingHash&) = delete;

    /// Appends `length` bytes at `data` to the hashed input.
    void update(const void* data, std::size_t length);
    /// The hash of everything appended so far (the state stays usable).
    std::uint64_t digest() const;

private:
    // Room for XXH3_state_t (576 bytes in xxHash 0.8.1; hash.cpp checks that it fits and its alignment).
    alignas(64) unsigned char m_state[640];
};

} // namespace shmscope
