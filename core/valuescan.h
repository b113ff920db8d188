#pragma once

#include "core/error.h"
#include "core/scansource.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shmscope {

/// The value types a value scan looks for.
enum class ValueType { I8, U8, I16, U16, I32, U32, I64, U64, F32, F64 };

/// The width of a value of `type` in bytes (1, 2, 4 or 8).
std::size_t valueWidth(ValueType type);
/// "i8", "u8", "i16", "u16", "i32", "u32", "i64", "u64", "f32", "f64".
std::string_view valueTypeName(ValueType type);
/// The type for one of the names of valueTypeName() ("s8".."s64" are accepted for the signed types,
/// "float" and "double" for f32 and f64); nullopt for anything else.
std::optional<ValueType> parseValueType(std::string_view name);

/// Byte order of the values in the object.
enum class Endian { Little, Big };

/// What a scan step keeps: the candidates whose value passes it.
enum class ScanTest {
    Any, ///< first scan only: every slot (the "unknown initial value" scan)
    Equal, ///< value == a
    Between, ///< a <= value <= b
    Changed, ///< next scans: value != previous value
    Unchanged, ///< value == previous value
    Increased, ///< value > previous value
    Decreased, ///< value < previous value
    IncreasedBy, ///< value == previous value + a (integers wrap as the type does)
    DecreasedBy, ///< value == previous value - a
};

/// A scan step: the test and its operands as text, parsed for the scan's type (decimal, 0x-hex for
/// integers; decimal or scientific for f32/f64). Float comparisons are exact (IEEE ==, <); NaN never matches.
struct ScanCondition {
    ScanTest test = ScanTest::Any;
    std::string a; ///< Equal, Between (low), IncreasedBy, DecreasedBy
    std::string b; ///< Between (high)
};

/// Where and how a scan looks.
struct ScanSpec {
    std::string
        address; ///< the object's address as toString(Address) prints it, kept in the state to check later scans
    std::uint64_t size = 0; ///< bytes of the object scanned, from offset 0
    ValueType type = ValueType::U32;
    Endian endian = Endian::Little;
    /// Distance in bytes between candidate offsets; 0 means the value's width (aligned, the default).
    /// 1 finds unaligned values too (and keeps one bit per byte).
    std::uint64_t step = 0;
};

/// One remaining candidate: its offset and the value seen by the last scan (raw bytes in the object's
/// byte order, valueWidth() of them).
struct ScanCandidate {
    std::uint64_t offset = 0;
    std::vector<std::uint8_t> previous;
};

/// Progress of a scan step: called with bytes done and the total now and then; returning false cancels
/// the step (it then returns false and the state is as before it).
using ScanProgress = std::function<bool(std::uint64_t done, std::uint64_t total)>;

/// A value scan in the way of Cheat Engine and scanmem, over one object: a first scan (an exact value,
/// a range, or any value) makes the set of candidate offsets, and each next scan keeps those whose value
/// passes a test against the value the previous scan saw (changed, increased by N, ...).
///
/// Memory: the candidates are a bitmap, one bit per slot (size / step slots: 32 MiB for 1 GiB of u32),
/// held in memory; the previous values of the candidates are packed in the state file on disk (the
/// whole object after an "any value" first scan), never in memory. The state file (a 4 KiB text header,
/// the bitmap, the packed values) is what `shmscope-cli scan -o/--state` keeps between runs; a next
/// scan writes a new one beside it and renames it over the old (an interrupted scan leaves the old).
/// POSIX (pread/pwrite). Not thread-safe; one thread per ValueScan.
class ValueScan
{
public:
    /// Validates `condition` for `spec.type` without scanning: InvalidArgument naming the bad operand
    /// ("'12x' is not a u32"), or a test that needs a previous value in a first scan (and Any in a next one).
    static Status checkCondition(const ScanSpec& spec, const ScanCondition& condition, bool firstScan);

    /// The first scan over `source` (spec.size bytes from offset 0; holes read as zeros, not touched),
    /// writing the state to a new file `statePath` (O_EXCL, mode 0600; an existing file is refused with
    /// AlreadyExists). Returns the scan, or nullopt when `progress` cancelled it (no file is left).
    /// Errors: checkCondition()'s; the source's read errors; the state file's (NoSpace, PermissionDenied…).
    static Result<std::optional<ValueScan>> first(const ScanSource& source, const ScanSpec& spec,
                                                  const ScanCondition& condition, const std::string& statePath,
                                                  const ScanProgress& progress = {});
    /// Opens the state file of an earlier scan. Errors: NotFound; InvalidArgument when it is not one.
    static Result<ValueScan> load(const std::string& statePath);

    /// A next scan over `source` (the same object: its size must be at least spec().size): keeps the
    /// candidates whose value passes `condition` against the previous value, and records the values seen
    /// now. Only the candidates' bytes are read. Returns false when `progress` cancelled it (nothing
    /// changed). Errors: checkCondition()'s; read errors; the state file's.
    Result<bool> next(const ScanSource& source, const ScanCondition& condition, const ScanProgress& progress = {});

    /// What was scanned.
    const ScanSpec& spec() const { return m_spec; }
    /// The effective step (spec().step, or the width when that is 0).
    std::uint64_t step() const { return m_step; }
    /// How many candidates remain.
    std::uint64_t count() const { return m_count; }
    /// How many scans made this state (1 after the first).
    std::uint64_t scans() const { return m_scans; }
    /// The state file.
    const std::string& path() const { return m_path; }
    /// Up to `max` candidates in ascending offset order, starting with the `first`-th (0-based), with
    /// their previous values (read from the state file). Errors: the state file's read errors.
    Result<std::vector<ScanCandidate>> candidates(std::uint64_t first, std::size_t max) const;

    /// The value of `bytes` (valueWidth() bytes in `endian` order) as text: decimal integers, floats
    /// with up to 9 (f32) or 17 (f64) significant digits.
    static std::string formatValue(ValueType type, Endian endian, const std::uint8_t* bytes);

private:
    ValueScan() = default;
    Status writeHeader(int fd) const;

    ScanSpec m_spec;
    std::uint64_t m_step = 0;
    std::uint64_t m_slots = 0;
    std::uint64_t m_count = 0;
    std::uint64_t m_scans = 0;
    std::string m_path;
    std::vector<std::uint64_t> m_bitmap; // bit i of word i/64: slot i (offset i * step) is a candidate
};

} // namespace shmscope
