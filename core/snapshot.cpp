// Snapshot files (POSIX): a page-sized text header, then the bytes, written only where the source has
// data so that holes stay holes.
#include "core/snapshot.h"

#include "core/hash.h"
#include "core/posix/uniquefd.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace shmscope {

namespace {

// Bytes read from the source and written to the file per step.
constexpr std::size_t kStep = 1024 * 1024;
constexpr std::size_t kExtentsPerQuery = 256;

Status writeAll(int fd, const void* data, std::size_t length, std::uint64_t fileOffset, const std::string& path)
{
    const auto* bytes = static_cast<const char*>(data);
    while (length > 0) {
        const ssize_t done = ::pwrite(fd, bytes, length, off_t(fileOffset));
        if (done < 0) {
            if (errno == EINTR)
                continue;
            return errorFromErrno("snapshot", path, errno, "while writing the file");
        }
        bytes += done;
        length -= std::size_t(done);
        fileOffset += std::uint64_t(done);
    }
    return {};
}

Error ownError(ErrorCode code, std::string operation, std::string object, int sysError, std::string detail)
{
    Error error;
    error.code = code;
    error.operation = std::move(operation);
    error.object = std::move(object);
    error.sysError = sysError;
    error.detail = std::move(detail);
    return error;
}

std::string hex64(std::uint64_t value)
{
    char text[17];
    auto [end, ec] = std::to_chars(text, text + 16, value, 16);
    (void)ec;
    std::string result(text, end);
    return std::string(16 - result.size(), '0') + result;
}

std::string headerText(const SnapshotInfo& info)
{
    std::string text = kSnapshotMagic;
    text += "address=" + info.address + "\n";
    text += "offset=" + std::to_string(info.offset) + "\n";
    text += "size=" + std::to_string(info.size) + "\n";
    text += std::string("whole=") + (info.wholeObject ? "1" : "0") + "\n";
    text += "time=" + std::to_string(info.timeMs) + "\n";
    text += "pid=" + std::to_string(info.pid) + "\n";
    text += "hash=xxh3:" + hex64(info.hash) + "\n";
    return text;
}

template<typename T>
bool parseNumber(std::string_view text, T& value, int base = 10)
{
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    return ec == std::errc() && end == text.data() + text.size();
}

bool parseHeader(std::string_view text, SnapshotInfo& info)
{
    const std::string_view magic = kSnapshotMagic;
    if (text.substr(0, magic.size()) != magic)
        return false;
    text.remove_prefix(magic.size());
    int seen = 0;
    while (!text.empty() && text.front() != '\0') {
        const std::size_t newline = text.find('\n');
        if (newline == std::string_view::npos)
            return false;
        const std::string_view line = text.substr(0, newline);
        text.remove_prefix(newline + 1);
        const std::size_t equals = line.find('=');
        if (equals == std::string_view::npos)
            return false;
        const std::string_view key = line.substr(0, equals);
        const std::string_view value = line.substr(equals + 1);
        bool ok = true;
        if (key == "address")
            info.address = std::string(value);
        else if (key == "offset")
            ok = parseNumber(value, info.offset);
        else if (key == "size")
            ok = parseNumber(value, info.size);
        else if (key == "whole")
            info.wholeObject = value == "1";
        else if (key == "time")
            ok = parseNumber(value, info.timeMs);
        else if (key == "pid")
            ok = parseNumber(value, info.pid);
        else if (key == "hash")
            ok = value.substr(0, 5) == "xxh3:" && parseNumber(value.substr(5), info.hash, 16);
        else
            continue; // a key of a later version: ignored
        if (!ok)
            return false;
        ++seen;
    }
    return seen >= 7;
}

} // namespace

Result<SnapshotInfo> writeSnapshot(const ScanSource& source, SnapshotInfo info, const std::string& path)
{
    detail::UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd.valid())
        return errorFromErrno("snapshot", path, errno, "while creating the file");
    bool done = false;
    struct Remover {
        const std::string& path;
        bool& done;
        ~Remover()
        {
            if (!done)
                ::unlink(path.c_str());
        }
    } remover { path, done };

    if (::ftruncate(fd.get(), off_t(kSnapshotHeaderSize + info.size)) != 0)
        return errorFromErrno("snapshot", path, errno, "while sizing the file");

    std::unique_ptr<char[]> buffer(new char[kStep]);
    const std::unique_ptr<char[]> zeros(new char[kStep]());
    StreamingHash hash(0);
    auto hashZeros = [&](std::uint64_t count) {
        while (count > 0) {
            const std::size_t n = std::size_t(std::min<std::uint64_t>(count, kStep));
            hash.update(zeros.get(), n);
            count -= n;
        }
    };
    const std::uint64_t end = info.offset + info.size;
    std::uint64_t pos = info.offset; // everything before pos is written and hashed
    while (pos < end) {
        Result<std::vector<Extent>> extents = source.dataExtents(pos, end - pos, kExtentsPerQuery);
        if (!extents)
            return extents.error();
        for (const Extent& extent : *extents) {
            hashZeros(extent.offset - pos);
            for (std::uint64_t at = extent.offset; at < extent.offset + extent.length;) {
                const std::size_t n = std::size_t(std::min<std::uint64_t>(kStep, extent.offset + extent.length - at));
                if (Status status = source.read(at, buffer.get(), n); !status)
                    return status.error();
                if (Status status = writeAll(fd.get(), buffer.get(), n, kSnapshotHeaderSize + (at - info.offset), path);
                    !status)
                    return status.error();
                hash.update(buffer.get(), n);
                at += n;
            }
            pos = extent.offset + extent.length;
        }
        if (extents->size() < kExtentsPerQuery) {
            hashZeros(end - pos);
            pos = end;
        }
    }
    info.hash = hash.digest();
    std::string header = headerText(info);
    if (header.size() > kSnapshotHeaderSize)
        return ownError(ErrorCode::InvalidArgument, "snapshot", path, 0, "the address is too long for the header");
    header.resize(kSnapshotHeaderSize, '\0');
    if (Status status = writeAll(fd.get(), header.data(), header.size(), 0, path); !status)
        return status.error();
    if (::fsync(fd.get()) != 0 && errno != EINVAL)
        return errorFromErrno("snapshot", path, errno, "while flushing the file");
    done = true;
    return info;
}

SnapshotFile::SnapshotFile(int fd, std::string path, SnapshotInfo info)
    : m_fd(fd)
    , m_path(std::move(path))
    , m_info(std::move(info))
{ }

SnapshotFile::~SnapshotFile()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Result<std::unique_ptr<SnapshotFile>> SnapshotFile::open(const std::string& path)
{
    detail::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid())
        return errorFromErrno("open snapshot", path, errno);
    struct stat st {
    };
    if (::fstat(fd.get(), &st) != 0)
        return errorFromErrno("open snapshot", path, errno);
    if (!S_ISREG(st.st_mode))
        return ownError(ErrorCode::InvalidArgument, "open snapshot", path, 0, "not a regular file");
    std::string header(kSnapshotHeaderSize, '\0');
    const ssize_t got = ::pread(fd.get(), header.data(), header.size(), 0);
    if (got < 0)
        return errorFromErrno("open snapshot", path, errno);
    header.resize(std::size_t(got));
    SnapshotInfo info;
    if (!parseHeader(header, info))
        return ownError(ErrorCode::InvalidArgument, "open snapshot", path, 0, "not a ShmScope snapshot (bad header)");
    if (std::uint64_t(st.st_size) < kSnapshotHeaderSize + info.size)
        return ownError(ErrorCode::InvalidArgument, "open snapshot", path, 0,
                        "the file is shorter than its header says (truncated?)");
    // The bytes are read through a read-only view of the file (Mapping, file:): a fault-safe memcpy
    // from the page cache, several times faster than pread's copy on small VMs. An empty snapshot
    // has nothing to map.
    std::unique_ptr<Mapping> view;
    if (info.size > 0) {
        Result<std::unique_ptr<Mapping>> attached = attachMapping(Address { Kind::File, path, 0 }, Access::ReadOnly);
        if (!attached)
            return attached.error();
        view = std::move(attached).value();
    }
    std::unique_ptr<SnapshotFile> file(new SnapshotFile(fd.get(), path, std::move(info)));
    fd.release(); // the SnapshotFile owns the descriptor now
    file->m_view = std::move(view);
    return file;
}

bool SnapshotFile::isSnapshot(const std::string& path)
{
    detail::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    if (!fd.valid())
        return false;
    struct stat st {
    };
    if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    char magic[sizeof kSnapshotMagic - 1];
    return ::pread(fd.get(), magic, sizeof magic, 0) == ssize_t(sizeof magic)
        && std::memcmp(magic, kSnapshotMagic, sizeof magic) == 0;
}

Status SnapshotFile::read(std::uint64_t offset, void* out, std::size_t length) const
{
    if (offset > m_info.size || length > m_info.size - offset)
        return ownError(ErrorCode::OutOfRange, "read", m_path, 0,
                        "offset " + std::to_string(offset) + " + length " + std::to_string(length) + " > size "
                            + std::to_string(m_info.size));
    if (m_view && length > 0)
        return m_view->read(kSnapshotHeaderSize + offset, out, length);
    auto* bytes = static_cast<char*>(out);
    std::uint64_t at = kSnapshotHeaderSize + offset;
    while (length > 0) {
        const ssize_t got = ::pread(m_fd, bytes, length, off_t(at));
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return errorFromErrno("read", m_path, errno);
        }
        if (got == 0)
            return ownError(ErrorCode::Vanished, "read", m_path, 0, "the snapshot file was truncated");
        bytes += got;
        length -= std::size_t(got);
        at += std::uint64_t(got);
    }
    return {};
}

Result<std::uint64_t> SnapshotFile::hash(std::uint64_t offset, std::uint64_t length, std::uint64_t seed) const
{
    if (offset > m_info.size || length > m_info.size - offset)
        return ownError(ErrorCode::OutOfRange, "hash", m_path, 0, {});
    StreamingHash streaming(seed);
    std::unique_ptr<char[]> buffer(new char[kStep]);
    for (std::uint64_t pos = offset; pos < offset + length;) {
        const std::size_t n = std::size_t(std::min<std::uint64_t>(kStep, offset + length - pos));
        if (Status status = readSparse(*this, pos, buffer.get(), n); !status)
            return status.error();
        streaming.update(buffer.get(), n);
        pos += n;
    }
    return streaming.digest();
}

Result<std::vector<Extent>> SnapshotFile::dataExtents(std::uint64_t offset, std::uint64_t length,
                                                      std::size_t maxExtents) const
{
    if (offset > m_info.size || length > m_info.size - offset)
        return ownError(ErrorCode::OutOfRange, "data extents", m_path, 0, {});
    std::vector<Extent> extents;
    const std::uint64_t end = offset + length;
    std::uint64_t pos = offset;
    while (pos < end && extents.size() < std::max<std::size_t>(1, maxExtents)) {
        const off_t data = ::lseek(m_fd, off_t(kSnapshotHeaderSize + pos), SEEK_DATA);
        if (data < 0) {
            if (errno == ENXIO)
                break; // a hole up to the end of the file
            if (errno == EINVAL) { // no hole support: all data
                extents.push_back({ pos, end - pos });
                break;
            }
            return errorFromErrno("data extents", m_path, errno);
        }
        const std::uint64_t dataAt = std::uint64_t(data) - kSnapshotHeaderSize;
        if (dataAt >= end)
            break;
        const off_t hole = ::lseek(m_fd, data, SEEK_HOLE);
        if (hole < 0)
            return errorFromErrno("data extents", m_path, errno);
        const std::uint64_t holeAt = std::min(end, std::uint64_t(hole) - kSnapshotHeaderSize);
        extents.push_back({ dataAt, holeAt - dataAt });
        pos = holeAt;
    }
    return extents;
}

Result<bool> SnapshotFile::equals(std::uint64_t offset, const void* data, std::size_t length) const
{
    if (offset > m_info.size || length > m_info.size - offset)
        return ownError(ErrorCode::OutOfRange, "read", m_path, 0, {});
    if (!m_view || length == 0)
        return ScanSource::equals(offset, data, length);
    return m_view->compare(kSnapshotHeaderSize + offset, data, length);
}

Status SnapshotFile::verify() const
{
    Result<std::uint64_t> actual = hash(0, m_info.size, 0);
    if (!actual)
        return actual.error();
    if (*actual != m_info.hash)
        return ownError(ErrorCode::InvalidArgument, "verify", m_path, 0,
                        "the bytes do not match the hash in the header");
    return {};
}

} // namespace shmscope
