#include "core/win/sectionmapping.h"

#include "core/hash.h"
#include "core/journalrecord.h"
#include "core/viewchecks.h"
#include "core/viewpasses.h"
#include "core/win/guardedcopy.h"
#include "core/win/wincalls.h"

#include <cstring>
#include <mutex>

namespace shmscope::detail {

namespace {

bool isFile(const Address& address)
{
    return address.kind == Kind::File;
}

DWORD high(std::uint64_t value)
{
    return static_cast<DWORD>(value >> 32);
}

DWORD low(std::uint64_t value)
{
    return static_cast<DWORD>(value & 0xffffffffULL);
}

// MapViewOfFile's access for a view: FILE_MAP_COPY gives a private copy-on-write view (seed 002).
DWORD viewAccess(Access access)
{
    switch (access) {
    case Access::ReadWrite:
        return FILE_MAP_READ | FILE_MAP_WRITE;
    case Access::ReadOnly:
        return FILE_MAP_READ;
    case Access::CopyOnWrite:
        return FILE_MAP_COPY;
    }
    return FILE_MAP_READ;
}

// The page-rounded size of the view at `view` (VirtualQuery), summed over the regions of its
// allocation (a copy-on-write view splits into regions once some pages were written).
std::uint64_t viewRegionSize(void* view)
{
    std::uint64_t total = 0;
    auto* cursor = static_cast<char*>(view);
    MEMORY_BASIC_INFORMATION info;
    while (::VirtualQuery(cursor, &info, sizeof info) == sizeof info && info.AllocationBase == view
           && info.State != MEM_FREE) {
        total += info.RegionSize;
        cursor = static_cast<char*>(info.BaseAddress) + info.RegionSize;
    }
    return total;
}

Result<void*> mapView(const char* operation, const Address& address, HANDLE section, Access access, std::uint64_t size)
{
    if (Status fits = checkViewSize(operation, address, size); !fits)
        return fits.error();
    void* view = detail::win::mapViewOfFile(section, viewAccess(access), 0, 0, static_cast<SIZE_T>(size));
    if (!view)
        return lastWin32Error(operation, address, "while mapping a view of " + formatBytes(size));
    return view;
}

// file: addresses are shown and compared by absolute path.
Address absoluteAddress(const Address& address)
{
    if (!isFile(address))
        return address;
    const std::wstring path = toWide(address.name);
    const DWORD length = ::GetFullPathNameW(path.c_str(), 0, nullptr, nullptr);
    if (length == 0)
        return address;
    std::wstring full(length, L'\0');
    const DWORD written = ::GetFullPathNameW(path.c_str(), length, full.data(), nullptr);
    if (written == 0 || written >= length)
        return address;
    full.resize(written);
    Address absolute = address;
    absolute.name = fromWide(full);
    return absolute;
}

Result<std::uint64_t> fileSize(const char* operation, const Address& address, HANDLE file)
{
    LARGE_INTEGER size;
    if (!::GetFileSizeEx(file, &size))
        return lastWin32Error(operation, address, "while reading its size");
    return static_cast<std::uint64_t>(size.QuadPart);
}

// The section's size: from NtQuerySection where the system tells it (exact, or page-rounded under
// Wine), else the view's page-rounded size (VirtualQuery). Never more than the view itself.
std::uint64_t attachedSize(HANDLE section, void* view, bool& exact)
{
    const SectionSize size = querySectionSize(section);
    const std::uint64_t region = viewRegionSize(view);
    if (size.bytes == 0 || (region != 0 && size.bytes > region)) {
        exact = false;
        return region;
    }
    exact = size.exact;
    return size.bytes;
}

// --- win: -------------------------------------------------------------------------------------

Result<HANDLE> openSection(const char* operation, const Address& address, Access access)
{
    const std::wstring name = sectionName(address);
    // SECTION_QUERY lets NtQuerySection tell the exact size; a section whose security refuses it is
    // still opened, and measured with VirtualQuery instead.
    const DWORD wanted = access == Access::ReadWrite ? FILE_MAP_READ | FILE_MAP_WRITE : FILE_MAP_READ;
    HANDLE section = detail::win::openFileMappingW(wanted | SECTION_QUERY, FALSE, name.c_str());
    if (!section && ::GetLastError() == ERROR_ACCESS_DENIED)
        section = detail::win::openFileMappingW(wanted, FALSE, name.c_str());
    if (!section)
        return lastWin32Error(operation, address);
    return section;
}

Result<Created> createSection(const Address& address, const CreateOptions& options, Access access)
{
    if (options.size == 0)
        return invalidArgument("create", address, "the size is 0 (a new object needs a size in bytes)");
    const std::wstring name = sectionName(address);
    ::SetLastError(ERROR_SUCCESS);
    UniqueHandle section(detail::win::createFileMappingW(INVALID_HANDLE_VALUE, nullptr, PAGE_READWRITE,
                                                         high(options.size), low(options.size), name.c_str()));
    // Read at once: ERROR_ALREADY_EXISTS comes with a valid handle (seed 004's create-or-attach).
    const DWORD err = ::GetLastError();
    if (!section.valid()) {
        if (err == ERROR_INVALID_HANDLE) {
            // Sections share one namespace with mutexes, events, semaphores (PLATFORM-NOTES).
            Error error = errorFromWin32("create", toString(address), err,
                                         "(the name is taken by an object of another type, e.g. a mutex)");
            error.code = ErrorCode::AlreadyExists;
            return error;
        }
        return errorFromWin32("create", toString(address), err, "while creating " + formatBytes(options.size));
    }
    const bool existed = err == ERROR_ALREADY_EXISTS;
    if (existed && options.exclusive)
        return errorFromWin32("create", toString(address), err);

    bool exact = true;
    std::uint64_t size = options.size;
    Result<void*> view = mapView("create", address, section.get(), access, existed ? 0 : size);
    if (!view)
        return view.error();
    if (existed) // the existing object's size, not the requested one
        size = attachedSize(section.get(), *view, exact);
    return Created { std::unique_ptr<Mapping>(
                         new SectionMapping(address, access, size, exact, UniqueHandle(), std::move(section), *view)),
                     existed };
}

Result<std::unique_ptr<Mapping>> attachSection(const Address& address, Access access)
{
    Result<HANDLE> opened = openSection("attach", address, access);
    if (!opened)
        return opened.error();
    UniqueHandle section(*opened);
    Result<void*> view = mapView("attach", address, section.get(), access, 0);
    if (!view)
        return view.error();
    bool exact = true;
    const std::uint64_t size = attachedSize(section.get(), *view, exact);
    return std::unique_ptr<Mapping>(
        new SectionMapping(address, access, size, exact, UniqueHandle(), std::move(section), *view));
}

// --- file: ------------------------------------------------------------------------------------

// An unnamed section over `file` of exactly `size` bytes (CreateFileMapping grows the file to it).
Result<HANDLE> fileSection(const char* operation, const Address& address, HANDLE file, std::uint64_t size,
                           bool writable)
{
    HANDLE section = detail::win::createFileMappingW(file, nullptr, writable ? PAGE_READWRITE : PAGE_READONLY,
                                                     high(size), low(size), nullptr);
    if (!section)
        return lastWin32Error(operation, address, "while mapping " + formatBytes(size) + " of the file");
    return section;
}

Result<Created> createFile(const Address& given, const CreateOptions& options, Access access)
{
    const Address address = absoluteAddress(given);
    if (options.size == 0 && options.exclusive)
        return invalidArgument("create", address,
                               "the size is 0, which means the file's own size, but a new file is empty");
    const std::wstring path = toWide(address.name);
    // Shared for reading, writing and deleting: other processes (and removeObject) may open it too.
    // CREATE_NEW, then OPEN_EXISTING, rather than OPEN_ALWAYS: CREATE_NEW is atomic (O_EXCL under
    // Wine), so exactly one of several concurrent creators is told it made the file — Wine's
    // OPEN_ALWAYS reported "created" to two of them. The loop covers a file deleted in between.
    UniqueHandle file;
    bool existed = false;
    for (int attempt = 0; !file.valid(); ++attempt) {
        file.reset(detail::win::createFileW(path.c_str(), GENERIC_READ | GENERIC_WRITE,
                                            FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr, CREATE_NEW,
                                            FILE_ATTRIBUTE_NORMAL, nullptr));
        if (file.valid())
            break;
        DWORD err = ::GetLastError();
        if ((err != ERROR_FILE_EXISTS && err != ERROR_ALREADY_EXISTS) || options.exclusive)
            return errorFromWin32("create", toString(address), err);
        file.reset(detail::win::createFileW(path.c_str(), GENERIC_READ | GENERIC_WRITE,
                                            FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                                            OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr));
        existed = file.valid();
        err = ::GetLastError();
        if (!file.valid() && (err != ERROR_FILE_NOT_FOUND || attempt >= 3))
            return errorFromWin32("create", toString(address), err);
    }

    auto fail = [&](Error error) -> Result<Created> {
        if (!existed) {
            file.reset();
            ::DeleteFileW(path.c_str());
        }
        return error;
    };
    Result<std::uint64_t> current = fileSize("create", address, file.get());
    if (!current)
        return fail(current.error());
    // Files grow to the requested size, never shrink (as on POSIX).
    const std::uint64_t size = options.size > *current ? options.size : *current;
    if (size == 0)
        return fail(invalidArgument("create", address,
                                    existed ? "the file is empty and no size was given"
                                            : "the size is 0, which means the file's own size, but the file is "
                                              "new and empty"));
    if (Status fits = checkViewSize("create", address, size); !fits)
        return fail(fits.error());
    Result<HANDLE> section = fileSection("create", address, file.get(), size, true);
    if (!section)
        return fail(section.error());
    UniqueHandle sectionHandle(*section);
    Result<void*> view = mapView("create", address, sectionHandle.get(), access, size);
    if (!view)
        return fail(view.error());
    return Created { std::unique_ptr<Mapping>(new SectionMapping(address, access, size, true, std::move(file),
                                                                 std::move(sectionHandle), *view)),
                     existed };
}

Result<std::unique_ptr<Mapping>> attachFile(const Address& given, Access access)
{
    const Address address = absoluteAddress(given);
    const std::wstring path = toWide(address.name);
    const bool writable = access == Access::ReadWrite;
    UniqueHandle file(detail::win::createFileW(path.c_str(), writable ? GENERIC_READ | GENERIC_WRITE : GENERIC_READ,
                                               FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                                               OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr));
    if (!file.valid())
        return lastWin32Error("attach", address);
    Result<std::uint64_t> size = fileSize("attach", address, file.get());
    if (!size)
        return size.error();
    if (*size == 0)
        return invalidArgument("attach", address, "the object is empty (0 bytes)");
    if (Status fits = checkViewSize("attach", address, *size); !fits)
        return fits.error();
    Result<HANDLE> section = fileSection("attach", address, file.get(), *size, writable);
    if (!section)
        return section.error();
    UniqueHandle sectionHandle(*section);
    Result<void*> view = mapView("attach", address, sectionHandle.get(), access, *size);
    if (!view)
        return view.error();
    return std::unique_ptr<Mapping>(
        new SectionMapping(address, access, *size, true, std::move(file), std::move(sectionHandle), *view));
}

} // namespace

SectionMapping::SectionMapping(Address address, Access access, std::uint64_t size, bool exact, UniqueHandle file,
                               UniqueHandle section, void* view)
    : Mapping(std::move(address), access, size)
    , m_exact(exact)
    , m_file(std::move(file))
    , m_section(std::move(section))
    , m_view(view)
    , m_lock(lockMutexName(m_address), toString(m_address))
{ }

SectionMapping::~SectionMapping()
{
    if (m_view)
        detail::win::unmapViewOfFile(m_view);
}

Result<Created> SectionMapping::create(const Address& address, const CreateOptions& options, Access access)
{
    if (Status mode = checkMode(address, options.mode); !mode)
        return mode.error();
    if (Status fits = checkViewSize("create", address, options.size); !fits)
        return fits.error();
    return isFile(address) ? createFile(address, options, access) : createSection(address, options, access);
}

Result<std::unique_ptr<Mapping>> SectionMapping::attach(const Address& address, Access access)
{
    return isFile(address) ? attachFile(address, access) : attachSection(address, access);
}

Status SectionMapping::remove(const Address& given)
{
    if (isFile(given)) {
        const Address address = absoluteAddress(given);
        const std::wstring path = toWide(address.name);
        // POSIX semantics (Windows 10 1709+, Wine): the name goes at once even while views exist, as
        // unlink does. DeleteFile alone only marks a file that is still open "delete pending", and
        // the name stays until the last handle closes.
        UniqueHandle file(detail::win::createFileW(path.c_str(), DELETE,
                                                   FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                                                   OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr));
        if (!file.valid())
            return lastWin32Error("remove", address);
        FILE_DISPOSITION_INFO_EX disposition = {};
        disposition.Flags = FILE_DISPOSITION_FLAG_DELETE | FILE_DISPOSITION_FLAG_POSIX_SEMANTICS;
        // FileDispositionInfoEx (21); mingw declares it only for _WIN32_WINNT >= 0x0A000002.
        const auto dispositionEx = static_cast<FILE_INFO_BY_HANDLE_CLASS>(21);
        if (::SetFileInformationByHandle(file.get(), dispositionEx, &disposition, sizeof disposition))
            return {};
        file.reset();
        if (!::DeleteFileW(path.c_str()))
            return lastWin32Error("remove", address);
        return {};
    }
    Result<HANDLE> section = openSection("remove", given, Access::ReadOnly);
    if (!section)
        return section.error();
    detail::win::closeHandle(*section);
    return ownError(ErrorCode::Unsupported, "remove", given,
                    "a Windows section has no name to remove: it is destroyed when the last process closes it");
}

Result<std::uint64_t> SectionMapping::objectSize() const
{
    if (!isFile(m_address)) {
        // A section never changes size and lives as long as our handle: the view's size is its size
        // (as exact as sizeIsExact() says).
        return m_size;
    }
    Result<std::uint64_t> size = fileSize("size", m_address, m_file.get());
    if (!size)
        return size;
    FILE_STANDARD_INFO info = {};
    if (::GetFileInformationByHandleEx(m_file.get(), FileStandardInfo, &info, sizeof info)
        && (info.DeletePending || info.NumberOfLinks == 0)) {
        // Deleted while we hold it: the bytes stay readable through this view.
        Error error = ownError(ErrorCode::Vanished, "size", m_address, "the object was removed");
        error.currentSize = *size;
        return error;
    }
    return size;
}

// A guarded copy stopped at faultOffset. As on POSIX: the object now smaller than the fault → it
// shrank; otherwise the OS error of the page-in (an in-page error carries an NTSTATUS), with a full
// disk reported as NoSpace.
Error SectionMapping::faultError(const char* operation, std::uint64_t faultOffset, std::uint32_t exceptionCode,
                                 std::int32_t ntStatus) const
{
    Result<std::uint64_t> now = objectSize();
    std::optional<std::uint64_t> currentSize = now ? std::optional<std::uint64_t>(*now) : now.error().currentSize;
    if (currentSize && *currentSize <= faultOffset)
        return vanishedError(operation, m_address, faultOffset, currentSize);
    const DWORD err = exceptionCode == EXCEPTION_IN_PAGE_ERROR ? win32FromNtStatus(ntStatus) : ERROR_NOACCESS;
    Error error
        = errorFromWin32(operation, toString(m_address), err,
                         std::string(exceptionCode == EXCEPTION_IN_PAGE_ERROR ? "(in-page error" : "(access violation")
                             + " at offset " + std::to_string(faultOffset) + ")");
    error.currentSize = currentSize;
    return error;
}

Status SectionMapping::read(std::uint64_t offset, void* out, std::size_t length) const
{
    std::shared_lock<std::shared_mutex> view(m_viewMutex);
    if (Status range = checkRange("read", m_address, offset, length, m_size); !range)
        return range;
    if (length == 0)
        return {};
    const GuardedOutcome outcome = guardedCopy(out, static_cast<const char*>(m_view) + offset, length, true);
    if (outcome.exceptionCode != 0)
        return faultError("read", offset + outcome.copied, outcome.exceptionCode, outcome.ntStatus);
    return {};
}

Status SectionMapping::write(std::uint64_t offset, const void* in, std::size_t length)
{
    if (m_access == Access::ReadOnly)
        return ownError(ErrorCode::ReadOnly, "write", m_address, "the view is read-only");
    std::shared_lock<std::shared_mutex> view(m_viewMutex);
    if (Status range = checkRange("write", m_address, offset, length, m_size); !range)
        return range;
    if (length == 0)
        return {};
    // guardedCopy() goes page by page in ascending order: exactly `copied` bytes landed (Error::bytesWritten).
    const GuardedOutcome outcome = guardedCopy(static_cast<char*>(m_view) + offset, in, length, false);
    journal::recordStore(m_view, offset, in, outcome.exceptionCode != 0 ? outcome.copied : length);
    if (outcome.exceptionCode != 0)
        return partialWriteError(faultError("write", offset + outcome.copied, outcome.exceptionCode, outcome.ntStatus),
                                 outcome.copied, length);
    return {};
}

using detail::CompareExchangeArgs;
using detail::compareExchangeBody;
using detail::ExchangeArgs;
using detail::exchangeBody;
using detail::HashArgs;
using detail::hashBody;

Status SectionMapping::exchange(std::uint64_t offset, const void* in, void* old, std::size_t length,
                                std::chrono::milliseconds timeout)
{
    if (m_access == Access::ReadOnly)
        return ownError(ErrorCode::ReadOnly, "exchange", m_address, "the view is read-only");
    Result<LockGuard> lockGuard = lock(timeout);
    if (!lockGuard)
        return lockGuard.error();
    std::shared_lock<std::shared_mutex> view(m_viewMutex);
    if (Status range = checkRange("exchange", m_address, offset, length, m_size); !range)
        return range;
    if (length == 0)
        return {};
    ExchangeArgs args { static_cast<char*>(m_view) + offset, in, old, length };
    const GuardedOutcome outcome = guardedRun(args.view, length, &exchangeBody, &args);
    if (outcome.exceptionCode != 0)
        return faultError("exchange", offset + outcome.copied, outcome.exceptionCode, outcome.ntStatus);
    journal::recordStore(m_view, offset, in, length);
    return {};
}

Result<bool> SectionMapping::compareExchange(std::uint64_t offset, const void* expected, const void* replacement,
                                             void* current, std::size_t length, std::chrono::milliseconds timeout)
{
    if (m_access == Access::ReadOnly)
        return ownError(ErrorCode::ReadOnly, "compare-exchange", m_address, "the view is read-only");
    Result<LockGuard> lockGuard = lock(timeout);
    if (!lockGuard)
        return lockGuard.error();
    std::shared_lock<std::shared_mutex> view(m_viewMutex);
    if (Status range = checkRange("compare-exchange", m_address, offset, length, m_size); !range)
        return range.error();
    if (length == 0)
        return true;
    CompareExchangeArgs args { static_cast<char*>(m_view) + offset, expected, replacement, current, length, false };
    const GuardedOutcome outcome = guardedRun(args.view, length, &compareExchangeBody, &args);
    if (outcome.exceptionCode != 0)
        return faultError("compare-exchange", offset + outcome.copied, outcome.exceptionCode, outcome.ntStatus);
    if (args.written)
        journal::recordStore(m_view, offset, replacement, length);
    return args.written;
}

Result<std::uint64_t> SectionMapping::hash(std::uint64_t offset, std::uint64_t length, std::uint64_t seed) const
{
    std::shared_lock<std::shared_mutex> view(m_viewMutex);
    if (Status range = checkRange("hash", m_address, offset, length, m_size); !range)
        return range.error();
    if (length == 0)
        return hashBytes(nullptr, 0, seed);
    HashArgs args { static_cast<const char*>(m_view) + offset, static_cast<std::size_t>(length), seed, 0 };
    const GuardedOutcome outcome = guardedRun(args.view, args.length, &hashBody, &args);
    if (outcome.exceptionCode != 0)
        return faultError("hash", offset + outcome.copied, outcome.exceptionCode, outcome.ntStatus);
    return args.hash;
}

Status SectionMapping::flush()
{
    if (!isFile(m_address) || m_access != Access::ReadWrite)
        return {}; // memory-backed, or nothing of ours to write back
    std::shared_lock<std::shared_mutex> view(m_viewMutex);
    if (m_view && !detail::win::flushViewOfFile(m_view, 0))
        return lastWin32Error("flush", m_address, "while writing the view back (FlushViewOfFile)");
    if (!detail::win::flushFileBuffers(m_file.get()))
        return lastWin32Error("flush", m_address, "while flushing the file (FlushFileBuffers)");
    return {};
}

Status SectionMapping::remap()
{
    // A section's size is fixed; a file's may have grown (another process mapped more of it).
    UniqueHandle section;
    std::uint64_t size = 0;
    bool exact = true;
    if (isFile(m_address)) {
        Result<std::uint64_t> now = fileSize("remap", m_address, m_file.get());
        if (!now)
            return now.error();
        size = *now;
        if (size != 0) {
            Result<HANDLE> made = fileSection("remap", m_address, m_file.get(), size, m_access == Access::ReadWrite);
            if (!made)
                return made.error();
            section.reset(*made);
        }
    } else {
        HANDLE duplicate = nullptr;
        if (!::DuplicateHandle(::GetCurrentProcess(), m_section.get(), ::GetCurrentProcess(), &duplicate, 0, FALSE,
                               DUPLICATE_SAME_ACCESS))
            return lastWin32Error("remap", m_address, "while duplicating the section handle");
        section.reset(duplicate);
    }
    void* view = nullptr;
    if (section.valid()) {
        Result<void*> mapped = mapView("remap", m_address, section.get(), m_access, isFile(m_address) ? size : 0);
        if (!mapped)
            return mapped.error();
        view = *mapped;
        if (!isFile(m_address))
            size = attachedSize(section.get(), view, exact);
    }
    std::unique_lock<std::shared_mutex> lock(m_viewMutex);
    if (m_view)
        detail::win::unmapViewOfFile(m_view);
    m_view = view;
    m_size = size;
    m_exact = exact;
    m_section = std::move(section);
    return {};
}

Status SectionMapping::acquireLock(std::chrono::milliseconds timeout, bool& previousHolderDied)
{
    previousHolderDied = false;
    if (m_access == Access::ReadOnly) // the same policy as the POSIX backend
        return ownError(ErrorCode::ReadOnly, "lock", m_address, "a read-only view cannot take the write lock");
    // A private (copy-on-write) view's writes are seen by nobody else: threads of this process only.
    return m_lock.acquire(timeout, m_access == Access::ReadWrite, previousHolderDied);
}

void SectionMapping::releaseLock()
{
    m_lock.release();
}

Status SectionMapping::inspectView(const std::function<Status(const NativeView&)>& inspect) const
{
    std::shared_lock<std::shared_mutex> view(m_viewMutex);
    NativeView native;
    if (m_view) {
        native.address = reinterpret_cast<std::uintptr_t>(m_view);
        native.length = m_size;
    }
    native.handle = reinterpret_cast<std::intptr_t>(m_section.get());
    return inspect(native);
}

} // namespace shmscope::detail
