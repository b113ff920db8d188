// The value scan (Cheat Engine / scanmem workflow): candidate bitmap in memory, previous values packed
// in the state file. POSIX file I/O.
#include "core/valuescan.h"

#include "core/posix/uniquefd.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <memory>
#include <sys/stat.h>
#include <type_traits>
#include <unistd.h>

namespace shmscope {

namespace {

constexpr char kMagic[] = "SHMSCOPE-SCAN 1\n";
constexpr std::uint64_t kHeaderSize = 4096;
// Bytes of the object read per step (rounded down to whole slots, at least 64 slots).
constexpr std::uint64_t kChunkBytes = 1024 * 1024;
// Packed values buffered before they are written to / after they are read from the state file.
constexpr std::size_t kIoBuffer = 4 * 1024 * 1024;

Error ownError(ErrorCode code, std::string operation, std::string object, std::string detail)
{
    Error error;
    error.code = code;
    error.operation = std::move(operation);
    error.object = std::move(object);
    error.detail = std::move(detail);
    return error;
}

std::uint64_t roundUp(std::uint64_t value, std::uint64_t to)
{
    return (value + to - 1) / to * to;
}

std::uint64_t bitmapBytes(std::uint64_t slots)
{
    return roundUp(slots, 64) / 8;
}

std::uint64_t valuesStart(std::uint64_t slots)
{
    return kHeaderSize + roundUp(bitmapBytes(slots), 4096);
}

Status writeAll(int fd, const void* data, std::size_t length, std::uint64_t at, const std::string& path)
{
    const auto* bytes = static_cast<const char*>(data);
    while (length > 0) {
        const ssize_t done = ::pwrite(fd, bytes, length, off_t(at));
        if (done < 0) {
            if (errno == EINTR)
                continue;
            return errorFromErrno("scan", path, errno, "while writing the scan state");
        }
        bytes += done;
        length -= std::size_t(done);
        at += std::uint64_t(done);
    }
    return {};
}

Status readAll(int fd, void* data, std::size_t length, std::uint64_t at, const std::string& path)
{
    auto* bytes = static_cast<char*>(data);
    while (length > 0) {
        const ssize_t got = ::pread(fd, bytes, length, off_t(at));
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return errorFromErrno("scan", path, errno, "while reading the scan state");
        }
        if (got == 0)
            return ownError(ErrorCode::InvalidArgument, "scan", path, "the scan state file is truncated");
        bytes += got;
        length -= std::size_t(got);
        at += std::uint64_t(got);
    }
    return {};
}

// Packed values appended to a file from `at` on, written in kIoBuffer pieces.
class ValueWriter
{
public:
    ValueWriter(int fd, std::uint64_t at, const std::string& path)
        : m_fd(fd)
        , m_at(at)
        , m_path(path)
    {
        m_buffer.reserve(kIoBuffer);
    }
    Status append(const std::uint8_t* bytes, std::size_t length)
    {
        if (m_buffer.size() + length > kIoBuffer) {
            if (Status status = flush(); !status)
                return status;
        }
        if (length >= 64 * 1024) // a whole chunk of an "any value" scan: straight to the file
            return write(bytes, length);
        m_buffer.insert(m_buffer.end(), bytes, bytes + length);
        return {};
    }
    Status flush()
    {
        Status status = write(m_buffer.data(), m_buffer.size());
        m_buffer.clear();
        return status;
    }

private:
    Status write(const std::uint8_t* bytes, std::size_t length)
    {
        Status status = writeAll(m_fd, bytes, length, m_at, m_path);
        m_at += length;
        return status;
    }
    int m_fd;
    std::uint64_t m_at;
    const std::string& m_path;
    std::vector<std::uint8_t> m_buffer;
};

// Packed values read in order from `at` on.
class ValueReader
{
public:
    ValueReader(int fd, std::uint64_t at, std::uint64_t total, std::size_t width, const std::string& path)
        : m_fd(fd)
        , m_at(at)
        , m_left(total)
        , m_width(width)
        , m_path(path)
    { }
    // The next value's bytes (valid until the next call), or an error.
    Result<const std::uint8_t*> next()
    {
        if (m_pos + m_width > m_buffer.size()) {
            const std::size_t keep = m_buffer.size() - m_pos;
            if (keep > 0) // (an empty vector's data() may be null, which memmove must not get)
                std::memmove(m_buffer.data(), m_buffer.data() + m_pos, keep);
            const std::size_t want = std::size_t(std::min<std::uint64_t>(kIoBuffer, m_left));
            m_buffer.resize(keep + want);
            if (Status status = readAll(m_fd, m_buffer.data() + keep, want, m_at, m_path); !status)
                return status.error();
            m_at += want;
            m_left -= want;
            m_pos = 0;
            if (m_buffer.size() < m_width)
                return ownError(ErrorCode::InvalidArgument, "scan", m_path, "the scan state file is truncated");
        }
        const std::uint8_t* value = m_buffer.data() + m_pos;
        m_pos += m_width;
        return value;
    }

private:
    int m_fd;
    std::uint64_t m_at;
    std::uint64_t m_left;
    std::size_t m_width;
    const std::string& m_path;
    std::vector<std::uint8_t> m_buffer;
    std::size_t m_pos = 0;
};

template<typename T>
T decode(const std::uint8_t* bytes, bool big)
{
    using U = std::conditional_t<sizeof(T) == 1, std::uint8_t,
                                 std::conditional_t<sizeof(T) == 2, std::uint16_t,
                                                    std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>>>;
    U raw;
    std::memcpy(&raw, bytes, sizeof raw);
    if (big) {
        if constexpr (sizeof(U) == 2)
            raw = __builtin_bswap16(raw);
        else if constexpr (sizeof(U) == 4)
            raw = __builtin_bswap32(raw);
        else if constexpr (sizeof(U) == 8)
            raw = __builtin_bswap64(raw);
    }
    T value;
    std::memcpy(&value, &raw, sizeof value);
    return value;
}

template<typename T>
std::optional<T> parseOperand(const std::string& text)
{
    T value {};
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    if constexpr (std::is_floating_point_v<T>) {
        auto [ptr, ec] = std::from_chars(begin, end, value);
        if (ec != std::errc() || ptr != end || text.empty())
            return std::nullopt;
        return value;
    } else {
        bool negative = false;
        if (begin != end && *begin == '-' && std::is_signed_v<T>) {
            negative = true;
            ++begin;
        }
        int base = 10;
        if (end - begin > 2 && begin[0] == '0' && (begin[1] == 'x' || begin[1] == 'X')) {
            base = 16;
            begin += 2;
        }
        // Parsed as a wider integer so that the sign and the range are checked once.
        using Wide = std::conditional_t<std::is_signed_v<T>, std::int64_t, std::uint64_t>;
        std::uint64_t magnitude = 0;
        auto [ptr, ec] = std::from_chars(begin, end, magnitude, base);
        if (ec != std::errc() || ptr != end || begin == end)
            return std::nullopt;
        if constexpr (std::is_signed_v<T>) {
            const std::uint64_t limit = negative ? std::uint64_t(std::numeric_limits<T>::max()) + 1
                                                 : std::uint64_t(std::numeric_limits<T>::max());
            if (magnitude > limit)
                return std::nullopt;
            const Wide wide = negative ? Wide(0 - magnitude) : Wide(magnitude);
            return T(wide);
        } else {
            if (magnitude > std::numeric_limits<T>::max())
                return std::nullopt;
            return T(magnitude);
        }
    }
}

// The test of one condition on typed values.
template<typename T>
struct Tester {
    ScanTest test;
    T a {};
    T b {};
    bool operator()(T now, T old) const
    {
        switch (test) {
        case ScanTest::Any:
            return true;
        case ScanTest::Equal:
            return now == a;
        case ScanTest::Between:
            return a <= now && now <= b;
        case ScanTest::Changed:
            if constexpr (std::is_floating_point_v<T>)
                return std::memcmp(&now, &old, sizeof(T)) != 0;
            else
                return now != old;
        case ScanTest::Unchanged:
            if constexpr (std::is_floating_point_v<T>)
                return std::memcmp(&now, &old, sizeof(T)) == 0;
            else
                return now == old;
        case ScanTest::Increased:
            return now > old;
        case ScanTest::Decreased:
            return now < old;
        case ScanTest::IncreasedBy:
            if constexpr (std::is_floating_point_v<T>)
                return now - old == a;
            else
                return std::make_unsigned_t<T>(std::make_unsigned_t<T>(old) + std::make_unsigned_t<T>(a))
                    == std::make_unsigned_t<T>(now);
        case ScanTest::DecreasedBy:
            if constexpr (std::is_floating_point_v<T>)
                return old - now == a;
            else
                return std::make_unsigned_t<T>(std::make_unsigned_t<T>(old) - std::make_unsigned_t<T>(a))
                    == std::make_unsigned_t<T>(now);
        }
        return false;
    }
};

template<typename F>
auto withType(ValueType type, F&& f)
{
    switch (type) {
    case ValueType::I8:
        return f(std::int8_t {});
    case ValueType::U8:
        return f(std::uint8_t {});
    case ValueType::I16:
        return f(std::int16_t {});
    case ValueType::U16:
        return f(std::uint16_t {});
    case ValueType::I32:
        return f(std::int32_t {});
    case ValueType::U32:
        return f(std::uint32_t {});
    case ValueType::I64:
        return f(std::int64_t {});
    case ValueType::U64:
        return f(std::uint64_t {});
    case ValueType::F32:
        return f(float {});
    case ValueType::F64:
        break;
    }
    return f(double {});
}

bool needsA(ScanTest test)
{
    return test == ScanTest::Equal || test == ScanTest::Between || test == ScanTest::IncreasedBy
        || test == ScanTest::DecreasedBy;
}

template<typename T>
Result<Tester<T>> makeTester(const ScanSpec& spec, const ScanCondition& condition)
{
    Tester<T> tester { condition.test };
    auto bad = [&](const std::string& text) {
        return ownError(ErrorCode::InvalidArgument, "scan", spec.address,
                        "'" + text + "' is not a " + std::string(valueTypeName(spec.type)));
    };
    if (needsA(condition.test)) {
        std::optional<T> a = parseOperand<T>(condition.a);
        if (!a)
            return bad(condition.a);
        tester.a = *a;
    }
    if (condition.test == ScanTest::Between) {
        std::optional<T> b = parseOperand<T>(condition.b);
        if (!b)
            return bad(condition.b);
        tester.b = *b;
    }
    return tester;
}

void setBits(std::vector<std::uint64_t>& bitmap, std::uint64_t from, std::uint64_t count)
{
    while (count > 0 && from % 64 != 0) {
        bitmap[from / 64] |= std::uint64_t(1) << (from % 64);
        ++from;
        --count;
    }
    std::fill_n(bitmap.begin() + std::ptrdiff_t(from / 64), count / 64, ~std::uint64_t(0));
    from += count / 64 * 64;
    count %= 64;
    for (; count > 0; ++from, --count)
        bitmap[from / 64] |= std::uint64_t(1) << (from % 64);
}

std::string headerText(const ScanSpec& spec, std::uint64_t step, std::uint64_t slots, std::uint64_t count,
                       std::uint64_t scans)
{
    std::string text = kMagic;
    text += "address=" + spec.address + "\n";
    text += "size=" + std::to_string(spec.size) + "\n";
    text += "type=" + std::string(valueTypeName(spec.type)) + "\n";
    text += std::string("endian=") + (spec.endian == Endian::Big ? "big" : "little") + "\n";
    text += "step=" + std::to_string(step) + "\n";
    text += "slots=" + std::to_string(slots) + "\n";
    text += "count=" + std::to_string(count) + "\n";
    text += "scans=" + std::to_string(scans) + "\n";
    return text;
}

// Removes a file unless disarmed.
struct FileRemover {
    std::string path;
    bool armed = true;
    ~FileRemover()
    {
        if (armed)
            ::unlink(path.c_str());
    }
};

} // namespace

std::size_t valueWidth(ValueType type)
{
    return withType(type, [](auto value) { return sizeof(value); });
}

std::string_view valueTypeName(ValueType type)
{
    static constexpr std::string_view names[] = { "i8", "u8", "i16", "u16", "i32", "u32", "i64", "u64", "f32", "f64" };
    return names[int(type)];
}

std::optional<ValueType> parseValueType(std::string_view name)
{
    for (int i = 0; i <= int(ValueType::F64); ++i) {
        if (valueTypeName(ValueType(i)) == name)
            return ValueType(i);
    }
    if (name.size() >= 2 && name[0] == 's') {
        const std::string signedName = "i" + std::string(name.substr(1));
        for (int i = 0; i <= int(ValueType::I64); i += 2) {
            if (valueTypeName(ValueType(i)) == signedName)
                return ValueType(i);
        }
    }
    if (name == "float")
        return ValueType::F32;
    if (name == "double")
        return ValueType::F64;
    return std::nullopt;
}

std::string ValueScan::formatValue(ValueType type, Endian endian, const std::uint8_t* bytes)
{
    return withType(type, [&](auto zero) -> std::string {
        using T = decltype(zero);
        const T value = decode<T>(bytes, endian == Endian::Big);
        if constexpr (std::is_floating_point_v<T>) {
            char text[64];
            std::snprintf(text, sizeof text, "%.*g", std::is_same_v<T, float> ? 9 : 17, double(value));
            return text;
        } else if constexpr (std::is_signed_v<T>) {
            return std::to_string(std::int64_t(value));
        } else {
            return std::to_string(std::uint64_t(value));
        }
    });
}

Status ValueScan::checkCondition(const ScanSpec& spec, const ScanCondition& condition, bool firstScan)
{
    const bool needsPrevious
        = condition.test != ScanTest::Any && condition.test != ScanTest::Equal && condition.test != ScanTest::Between;
    if (firstScan && needsPrevious)
        return ownError(ErrorCode::InvalidArgument, "scan", spec.address,
                        "a first scan compares with no previous value: use a value, a range or any value");
    if (!firstScan && condition.test == ScanTest::Any)
        return ownError(ErrorCode::InvalidArgument, "scan", spec.address, "a next scan needs a test");
    return withType(spec.type, [&](auto zero) -> Status {
        Result<Tester<decltype(zero)>> tester = makeTester<decltype(zero)>(spec, condition);
        if (!tester)
            return tester.error();
        return {};
    });
}

Result<std::optional<ValueScan>> ValueScan::first(const ScanSource& source, const ScanSpec& spec,
                                                  const ScanCondition& condition, const std::string& statePath,
                                                  const ScanProgress& progress)
{
    if (Status status = checkCondition(spec, condition, true); !status)
        return status.error();
    ValueScan scan;
    scan.m_spec = spec;
    scan.m_path = statePath;
    const std::uint64_t width = valueWidth(spec.type);
    scan.m_step = spec.step == 0 ? width : spec.step;
    scan.m_slots = spec.size >= width ? (spec.size - width) / scan.m_step + 1 : 0;
    scan.m_scans = 1;
    scan.m_bitmap.assign(std::size_t(bitmapBytes(scan.m_slots) / 8), 0);

    detail::UniqueFd fd(::open(statePath.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd.valid())
        return errorFromErrno("scan", statePath, errno, "while creating the scan state");
    FileRemover remover { statePath };

    const std::uint64_t step = scan.m_step;
    const std::uint64_t chunkSlots = std::max<std::uint64_t>(64, kChunkBytes / step / 64 * 64);
    std::vector<std::uint8_t> buffer(std::size_t((chunkSlots - 1) * step + width));
    ValueWriter writer(fd.get(), valuesStart(scan.m_slots), statePath);
    Result<bool> complete = withType(spec.type, [&](auto zero) -> Result<bool> {
        using T = decltype(zero);
        const Tester<T> tester = makeTester<T>(spec, condition).value();
        const bool big = spec.endian == Endian::Big;
        DataCursor cursor(source);
        for (std::uint64_t s0 = 0; s0 < scan.m_slots; s0 += chunkSlots) {
            const std::uint64_t n = std::min(chunkSlots, scan.m_slots - s0);
            const std::uint64_t begin = s0 * step;
            const std::size_t length = std::size_t((n - 1) * step + width);
            if (Result<std::uint64_t> next = cursor.nextData(begin, spec.size); !next)
                return next.error();
            if (Status status = cursor.read(begin, length, buffer.data()); !status)
                return status.error();
            if (condition.test == ScanTest::Any && step == width) {
                setBits(scan.m_bitmap, s0, n);
                scan.m_count += n;
                if (Status status = writer.append(buffer.data(), length); !status)
                    return status.error();
            } else {
                for (std::uint64_t k = 0; k < n; ++k) {
                    const std::uint8_t* p = buffer.data() + k * step;
                    if (!tester(decode<T>(p, big), T {}))
                        continue;
                    scan.m_bitmap[(s0 + k) / 64] |= std::uint64_t(1) << ((s0 + k) % 64);
                    ++scan.m_count;
                    if (Status status = writer.append(p, width); !status)
                        return status.error();
                }
            }
            if (progress && !progress(begin + length, spec.size))
                return false;
        }
        return true;
    });
    if (!complete)
        return complete.error();
    if (!*complete)
        return std::optional<ValueScan> {};
    if (Status status = writer.flush(); !status)
        return status.error();
    if (Status status = writeAll(fd.get(), scan.m_bitmap.data(), scan.m_bitmap.size() * 8, kHeaderSize, statePath);
        !status)
        return status.error();
    if (Status status = scan.writeHeader(fd.get()); !status)
        return status.error();
    remover.armed = false;
    return std::optional<ValueScan>(std::move(scan));
}

Status ValueScan::writeHeader(int fd) const
{
    std::string header = headerText(m_spec, m_step, m_slots, m_count, m_scans);
    if (header.size() > kHeaderSize)
        return ownError(ErrorCode::InvalidArgument, "scan", m_path, "the address is too long for the state header");
    header.resize(kHeaderSize, '\0');
    return writeAll(fd, header.data(), header.size(), 0, m_path);
}

Result<ValueScan> ValueScan::load(const std::string& statePath)
{
    detail::UniqueFd fd(::open(statePath.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid())
        return errorFromErrno("scan", statePath, errno, "while opening the scan state");
    std::string header(kHeaderSize, '\0');
    const ssize_t got = ::pread(fd.get(), header.data(), header.size(), 0);
    const auto bad = ownError(ErrorCode::InvalidArgument, "scan", statePath, "not a ShmScope scan state");
    if (got < ssize_t(sizeof kMagic - 1) || header.compare(0, sizeof kMagic - 1, kMagic) != 0)
        return bad;
    ValueScan scan;
    scan.m_path = statePath;
    std::string_view text(header.data() + sizeof kMagic - 1, std::size_t(got) - (sizeof kMagic - 1));
    int seen = 0;
    while (!text.empty() && text.front() != '\0') {
        const std::size_t newline = text.find('\n');
        if (newline == std::string_view::npos)
            return bad;
        const std::string_view line = text.substr(0, newline);
        text.remove_prefix(newline + 1);
        const std::size_t equals = line.find('=');
        if (equals == std::string_view::npos)
            return bad;
        const std::string_view key = line.substr(0, equals);
        const std::string value(line.substr(equals + 1));
        auto number = [&](std::uint64_t& out) {
            auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
            return ec == std::errc() && ptr == value.data() + value.size();
        };
        bool ok = true;
        if (key == "address") {
            scan.m_spec.address = value;
        } else if (key == "size") {
            ok = number(scan.m_spec.size);
        } else if (key == "type") {
            const std::optional<ValueType> type = parseValueType(value);
            ok = type.has_value();
            scan.m_spec.type = type.value_or(ValueType::U8);
        } else if (key == "endian") {
            scan.m_spec.endian = value == "big" ? Endian::Big : Endian::Little;
        } else if (key == "step") {
            ok = number(scan.m_step);
            scan.m_spec.step = scan.m_step;
        } else if (key == "slots") {
            ok = number(scan.m_slots);
        } else if (key == "count") {
            ok = number(scan.m_count);
        } else if (key == "scans") {
            ok = number(scan.m_scans);
        } else {
            continue;
        }
        if (!ok)
            return bad;
        ++seen;
    }
    const std::uint64_t width = valueWidth(scan.m_spec.type);
    if (seen < 8 || scan.m_step == 0
        || scan.m_slots != (scan.m_spec.size >= width ? (scan.m_spec.size - width) / scan.m_step + 1 : 0))
        return bad;
    struct stat st {
    };
    if (::fstat(fd.get(), &st) != 0)
        return errorFromErrno("scan", statePath, errno);
    if (std::uint64_t(st.st_size) < valuesStart(scan.m_slots) + scan.m_count * width)
        return ownError(ErrorCode::InvalidArgument, "scan", statePath, "the scan state file is truncated");
    scan.m_bitmap.assign(std::size_t(bitmapBytes(scan.m_slots) / 8), 0);
    if (Status status = readAll(fd.get(), scan.m_bitmap.data(), scan.m_bitmap.size() * 8, kHeaderSize, statePath);
        !status)
        return status.error();
    std::uint64_t count = 0;
    for (const std::uint64_t word : scan.m_bitmap)
        count += std::uint64_t(std::popcount(word));
    if (count != scan.m_count)
        return ownError(ErrorCode::InvalidArgument, "scan", statePath, "the candidate count does not match the bitmap");
    return scan;
}

Result<bool> ValueScan::next(const ScanSource& source, const ScanCondition& condition, const ScanProgress& progress)
{
    if (Status status = checkCondition(m_spec, condition, false); !status)
        return status.error();
    detail::UniqueFd oldFd(::open(m_path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!oldFd.valid())
        return errorFromErrno("scan", m_path, errno, "while opening the scan state");
    const std::string tempPath = m_path + ".tmp-" + std::to_string(::getpid());
    ::unlink(tempPath.c_str()); // a leftover of a scan of ours that was killed
    detail::UniqueFd fd(::open(tempPath.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd.valid())
        return errorFromErrno("scan", tempPath, errno, "while creating the scan state");
    FileRemover remover { tempPath };

    const std::uint64_t width = valueWidth(m_spec.type);
    const std::uint64_t step = m_step;
    const std::uint64_t chunkSlots = std::max<std::uint64_t>(64, kChunkBytes / step / 64 * 64);
    std::vector<std::uint8_t> buffer(std::size_t((chunkSlots - 1) * step + width));
    std::vector<std::uint64_t> bitmap(m_bitmap.size(), 0);
    std::uint64_t count = 0;
    ValueReader reader(oldFd.get(), valuesStart(m_slots), m_count * width, std::size_t(width), m_path);
    ValueWriter writer(fd.get(), valuesStart(m_slots), tempPath);
    Result<bool> complete = withType(m_spec.type, [&](auto zero) -> Result<bool> {
        using T = decltype(zero);
        const Tester<T> tester = makeTester<T>(m_spec, condition).value();
        const bool big = m_spec.endian == Endian::Big;
        DataCursor cursor(source);
        for (std::uint64_t s0 = 0; s0 < m_slots; s0 += chunkSlots) {
            const std::uint64_t n = std::min(chunkSlots, m_slots - s0);
            const std::uint64_t firstWord = s0 / 64;
            const std::uint64_t endWord = (s0 + n + 63) / 64;
            if (std::all_of(m_bitmap.begin() + std::ptrdiff_t(firstWord), m_bitmap.begin() + std::ptrdiff_t(endWord),
                            [](std::uint64_t word) { return word == 0; }))
                continue; // no candidate here: nothing is read
            // Only the span from the first to the last candidate of the chunk is read.
            std::uint64_t firstSlot = 0;
            std::uint64_t lastSlot = 0;
            for (std::uint64_t w = firstWord; w < endWord; ++w) {
                if (m_bitmap[w] != 0) {
                    firstSlot = w * 64 + std::uint64_t(std::countr_zero(m_bitmap[w]));
                    break;
                }
            }
            for (std::uint64_t w = endWord; w-- > firstWord;) {
                if (m_bitmap[w] != 0) {
                    lastSlot = w * 64 + 63 - std::uint64_t(std::countl_zero(m_bitmap[w]));
                    break;
                }
            }
            const std::uint64_t begin = firstSlot * step;
            const std::size_t length = std::size_t((lastSlot - firstSlot) * step + width);
            if (Result<std::uint64_t> next = cursor.nextData(begin, m_spec.size); !next)
                return next.error();
            if (Status status = cursor.read(begin, length, buffer.data()); !status)
                return status.error();
            for (std::uint64_t w = firstWord; w < endWord; ++w) {
                for (std::uint64_t bits = m_bitmap[w]; bits != 0; bits &= bits - 1) {
                    const std::uint64_t slot = w * 64 + std::uint64_t(std::countr_zero(bits));
                    Result<const std::uint8_t*> old = reader.next();
                    if (!old)
                        return old.error();
                    const std::uint8_t* now = buffer.data() + (slot - firstSlot) * step;
                    if (!tester(decode<T>(now, big), decode<T>(*old, big)))
                        continue;
                    bitmap[w] |= std::uint64_t(1) << (slot % 64);
                    ++count;
                    if (Status status = writer.append(now, std::size_t(width)); !status)
                        return status.error();
                }
            }
            if (progress && !progress(begin + length, m_spec.size))
                return false;
        }
        return true;
    });
    if (!complete)
        return complete.error();
    if (!*complete)
        return false;
    if (Status status = writer.flush(); !status)
        return status.error();
    if (Status status = writeAll(fd.get(), bitmap.data(), bitmap.size() * 8, kHeaderSize, tempPath); !status)
        return status.error();
    const std::uint64_t oldCount = m_count;
    const std::uint64_t oldScans = m_scans;
    m_count = count;
    m_scans = oldScans + 1;
    if (Status status = writeHeader(fd.get()); !status) {
        m_count = oldCount;
        m_scans = oldScans;
        return status.error();
    }
    if (::rename(tempPath.c_str(), m_path.c_str()) != 0) {
        m_count = oldCount;
        m_scans = oldScans;
        return errorFromErrno("scan", m_path, errno, "while replacing the scan state");
    }
    remover.armed = false;
    m_bitmap = std::move(bitmap);
    return true;
}

Result<std::vector<ScanCandidate>> ValueScan::candidates(std::uint64_t first, std::size_t max) const
{
    std::vector<ScanCandidate> result;
    if (first >= m_count || max == 0)
        return result;
    const std::size_t width = valueWidth(m_spec.type);
    std::uint64_t index = 0;
    for (std::size_t w = 0; w < m_bitmap.size() && result.size() < max; ++w) {
        const std::uint64_t ones = std::uint64_t(std::popcount(m_bitmap[w]));
        if (index + ones <= first) {
            index += ones;
            continue;
        }
        for (std::uint64_t bits = m_bitmap[w]; bits != 0 && result.size() < max; bits &= bits - 1, ++index) {
            if (index < first)
                continue;
            result.push_back({ (w * 64 + std::uint64_t(std::countr_zero(bits))) * m_step, {} });
        }
    }
    detail::UniqueFd fd(::open(m_path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid())
        return errorFromErrno("scan", m_path, errno, "while opening the scan state");
    std::vector<std::uint8_t> values(result.size() * width);
    if (Status status = readAll(fd.get(), values.data(), values.size(), valuesStart(m_slots) + first * width, m_path);
        !status)
        return status.error();
    for (std::size_t i = 0; i < result.size(); ++i)
        result[i].previous.assign(values.begin() + std::ptrdiff_t(i * width),
                                  values.begin() + std::ptrdiff_t((i + 1) * width));
    return result;
}

} // namespace shmscope
