// The subcommands of shmscope-cli except `watch` (watcher.cpp): option definitions, help texts and
// the code that runs them. Every command validates all of its input before it touches an object, so
// that bad input changes nothing.
#include "app/shared/notificationbus.h"
#include "app/shared/numberparse.h"
#include "app/shared/rawarguments.h"
#include "cli.h"
#include "clishared.h"
#include "command.h"
#include "core/catalog.h"
#include "core/mapping.h"
#include "core/scansource.h"
#include "exitcode.h"
#include "hexformat.h"
#include "inspectcommands.h"
#include "layoutcommands.h"
#include "objectformat.h"
#include "output.h"
#include "pagescommand.h"
#include "transferio.h"
#include "watcher.h"

#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>

namespace shmscope {

namespace {

using namespace std::chrono_literals;

// Bytes read from the mapping per step when dumping or scanning; a multiple of the 16-byte dump line.
constexpr std::uint64_t kChunkSize = 64 * 1024;
// How long a writer waits for the object's lock, and how long it gives the bus to deliver.
constexpr auto kLockTimeout = 2000ms;
constexpr int kNotifyTimeoutMs = 1000;

QString addressText(const Address& address)
{
    return fromStd(toString(address));
}

// Parses the ADDRESS argument from its bytes as they were in argv (a name may hold any byte; the
// escaped form `list` prints works too); on failure prints the core's message ("parse …: …") and
// returns the exit code.
std::optional<Address> parseAddressArgument(const QString& text, int& exitCode)
{
    Result<Address> address = parseAddress(argumentBytes(text).toStdString());
    if (!address) {
        exitCode = reportError(address.error());
        return std::nullopt;
    }
    return std::move(address).value();
}

// The --offset option (default 0). On bad input reports "VERB ADDRESS: cause" as a usage error and
// returns std::nullopt with `exitCode` set.
std::optional<std::uint64_t> offsetOption(const QCommandLineParser& parser, const QString& verb, const QString& name,
                                          int& exitCode)
{
    if (!parser.isSet(QStringLiteral("offset")))
        return 0;
    QString error;
    const std::optional<std::uint64_t> value = parseOffset(parser.value(QStringLiteral("offset")), &error);
    if (!value)
        exitCode = reportUsageError(Cli::tr("%1 %2: %3").arg(verb, name, error));
    return value;
}

// A file path made absolute without resolving symlinks. std::filesystem keeps the path's bytes
// (QFileInfo would decode them as UTF-8 and replace those that are not).
std::string absolutePath(const std::string& path)
{
    std::error_code error;
    const std::filesystem::path absolute = std::filesystem::absolute(path, error);
    return error ? path : absolute.lexically_normal().string();
}

// The canonical address of an object the command has no Mapping for, with a file path resolved as
// Mapping::address() does (realpath: absolute, symlinks resolved). Call it while the file exists.
QString resolvedAddress(const Address& address)
{
    if (address.kind != Kind::File)
        return addressText(address);
    std::error_code error;
    const std::filesystem::path canonical = std::filesystem::canonical(address.name, error);
    Address resolved = address;
    resolved.name = error ? absolutePath(address.name) : canonical.string();
    return addressText(resolved);
}

// The name under which GUI instances and watchers of this object meet on the bus, for commands that
// have no Mapping to ask (see Mapping::identity()): resolvedAddress(), with a System V key resolved to
// its segment's sysvid:. Call it while the object exists.
QString busAddress(const Address& address)
{
    if (address.kind == Kind::SysV) {
        if (Result<ObjectInfo> info = describeObject(address); info)
            return addressText(Address { Kind::SysVId, {}, static_cast<std::uint32_t>(info->systemVId) });
    }
    return resolvedAddress(address);
}

// Announces a change on the bus as a one-shot writer. Returns the number of instances reached, or -1
// with `error` set when the bus could not be joined. A failed notification never undoes the write.
int notifyPeers(const QString& address, const std::function<void(NotificationBus&)>& announce, QString& error)
{
    NotificationBus bus(address, NotificationBus::Role::Cli);
    if (!bus.start(false)) {
        error = bus.errorString();
        return -1;
    }
    announce(bus);
    bus.flush(kNotifyTimeoutMs);
    // Counted now: a peer may leave as soon as it read the notice (a watcher told of a removal).
    const int notified = bus.peerCount();
    return notified;
}

QString notifiedText(int peers, const QString& busError)
{
    if (peers < 0)
        return Cli::tr("no instances notified: %1").arg(busError);
    return peers == 1 ? Cli::tr("notified 1 instance") : Cli::tr("notified %1 instances").arg(peers);
}

// ---- list ----------------------------------------------------------------------------------------

int runList(const QCommandLineParser& parser, const QStringList&)
{
    Result<std::vector<ObjectInfo>> objects = listObjects();
    if (!objects)
        return reportError(objects.error());
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray array;
        for (const ObjectInfo& info : *objects)
            array.append(objectToJson(info));
        const QByteArray json = QJsonDocument(array).toJson(QJsonDocument::Indented);
        writeStdout(json.constData(), std::size_t(json.size()));
        return toInt(ExitCode::Ok);
    }
    for (const QString& line : formatObjectTable(*objects))
        printLine(line);
    return toInt(ExitCode::Ok);
}

// ---- create --------------------------------------------------------------------------------------

int runCreate(const QCommandLineParser& parser, const QStringList& positional)
{
    int exitCode = 0;
    const std::optional<Address> address = parseAddressArgument(positional.at(0), exitCode);
    if (!address)
        return exitCode;
    const QString name = addressText(*address);

    CreateOptions options;
    QString error;
    if (parser.isSet(QStringLiteral("size"))) {
        const std::optional<std::uint64_t> size = parseSize(parser.value(QStringLiteral("size")), &error);
        if (!size)
            return reportUsageError(Cli::tr("create %1: %2").arg(name, error));
        options.size = *size;
    } else if (address->kind != Kind::File) {
        // A file has a size of its own (size 0 tells the core to use it); everything else needs one.
        return reportUsageError(Cli::tr("create %1: --size is required").arg(name));
    }
    if (parser.isSet(QStringLiteral("mode"))) {
        const std::optional<std::uint32_t> mode = parseMode(parser.value(QStringLiteral("mode")), &error);
        if (!mode)
            return reportUsageError(Cli::tr("create %1: %2").arg(name, error));
        options.mode = *mode;
    }
    options.exclusive = !parser.isSet(QStringLiteral("exist-ok"));

    Result<Created> created = createMapping(*address, options, Access::ReadWrite);
    if (!created)
        return reportError(created.error());
    const Mapping& mapping = *created->mapping;
    const QString canonical = addressText(mapping.address());
    const QString size = fromStd(formatBytes(mapping.size()));

    if (!created->existed) {
        printLine(Cli::tr("created %1: %2, mode %3").arg(canonical, size, formatMode(options.mode)));
        return toInt(ExitCode::Ok);
    }
    // create-or-attach found the object: like CreateFileMapping's ERROR_ALREADY_EXISTS, the existing
    // size (and mode) win. Say which of the requested values were not applied.
    const bool sizeDiffers = options.size != 0 && options.size != mapping.size();
    Result<ObjectInfo> info = describeObject(mapping.address());
    const bool modeDiffers = info.ok() && parser.isSet(QStringLiteral("mode")) && info->mode != options.mode;
    const QString mode = info.ok() ? formatMode(info->mode) : QStringLiteral("?");
    QString line = Cli::tr("attached existing %1: %2, mode %3").arg(canonical, size, mode);
    if (sizeDiffers && modeDiffers)
        line += QLatin1Char(' ') + Cli::tr("(the requested size and mode were not applied)");
    else if (sizeDiffers)
        line += QLatin1Char(' ') + Cli::tr("(the requested size was not applied)");
    else if (modeDiffers)
        line += QLatin1Char(' ') + Cli::tr("(the requested mode was not applied)");
    printLine(line);
    return toInt(ExitCode::Ok);
}

// ---- info ----------------------------------------------------------------------------------------

int runInfo(const QCommandLineParser& parser, const QStringList& positional)
{
    int exitCode = 0;
    const std::optional<Address> address = parseAddressArgument(positional.at(0), exitCode);
    if (!address)
        return exitCode;
    if (parser.isSet(QStringLiteral("processes")))
        return runInfoProcesses(*address, parser.isSet(QStringLiteral("json")));
    Result<ObjectInfo> info = describeObject(*address);
    if (!info)
        return reportError(info.error());
    if (parser.isSet(QStringLiteral("json"))) {
        const QByteArray json = QJsonDocument(objectToJson(*info)).toJson(QJsonDocument::Indented);
        writeStdout(json.constData(), std::size_t(json.size()));
        return toInt(ExitCode::Ok);
    }
    for (const QString& line : formatObjectDetails(*info))
        printLine(line);
    return toInt(ExitCode::Ok);
}

// ---- read ----------------------------------------------------------------------------------------

int runRead(const QCommandLineParser& parser, const QStringList& positional)
{
    int exitCode = 0;
    const std::optional<Address> address = parseAddressArgument(positional.at(0), exitCode);
    if (!address)
        return exitCode;
    const QString name = addressText(*address);

    const std::optional<std::uint64_t> offsetValue = offsetOption(parser, QStringLiteral("read"), name, exitCode);
    if (!offsetValue)
        return exitCode;
    const std::uint64_t offset = *offsetValue;
    QString error;
    std::optional<std::uint64_t> length;
    if (parser.isSet(QStringLiteral("length"))) {
        length = parseSize(parser.value(QStringLiteral("length")), &error);
        if (!length)
            return reportUsageError(Cli::tr("read %1: --length: %2").arg(name, error));
        if (*length == 0)
            return reportUsageError(Cli::tr("read %1: the length must be at least 1 byte").arg(name));
    }
    const QString format = parser.value(QStringLiteral("format"));
    if (format != QLatin1String("hex") && format != QLatin1String("raw") && format != QLatin1String("text")
        && !isExportFormat(format))
        return reportUsageError(
            Cli::tr("read %1: unknown format '%2' (use hex, raw, text, c, python, base64, ihex or srec)")
                .arg(name, format));
    Access access = Access::ReadOnly;
    const QString accessText = parser.value(QStringLiteral("access"));
    if (accessText == QLatin1String("read-write"))
        access = Access::ReadWrite;
    else if (accessText == QLatin1String("copy-on-write"))
        access = Access::CopyOnWrite;
    else if (accessText != QLatin1String("read-only"))
        return reportUsageError(
            Cli::tr("read %1: unknown access '%2' (use read-only, read-write or copy-on-write)").arg(name, accessText));

    Result<std::unique_ptr<Mapping>> attached = attachMapping(*address, access);
    if (!attached)
        return reportError(attached.error());
    const Mapping& mapping = **attached;
    const std::uint64_t size = mapping.size();
    if (offset >= size)
        return reportUsageError(
            Cli::tr("read %1: offset %2 is past the end (size %3)").arg(name).arg(offset).arg(byteCountText(size)));
    if (length && *length > size - offset) {
        return reportUsageError(Cli::tr("read %1: offset %2 + length %3 is past the end (size %4)")
                                    .arg(name)
                                    .arg(offset)
                                    .arg(*length)
                                    .arg(byteCountText(size)));
    }
    // Without --length, hex and raw go to the end of the object, however large: the output is
    // streamed chunk by chunk (as xxd does for a file), so memory use stays bounded.
    const std::uint64_t end = offset + length.value_or(size - offset);
    // Holes (never written) are printed as the zeros they read as, without touching them: reading a
    // hole of a tmpfs object would make the kernel allocate it for good.
    const MappingScanSource scan(mapping);

    QByteArray buffer;
    // One question about where the data is per run of data (DataCursor), not one per chunk: on tmpfs
    // each question walks the page cache from the position to the next hole, so asking per chunk
    // made a read of a large object quadratic (256 MiB took 5.6 s).
    DataCursor cursor(scan);
    auto readChunk = [&cursor, &buffer, end](std::uint64_t pos, std::size_t count) -> Status {
        buffer.resize(qsizetype(count));
        Result<std::uint64_t> next = cursor.nextData(pos, end);
        if (!next)
            return next.error();
        if (*next >= pos + count) { // a hole: the zeros it reads as
            std::memset(buffer.data(), 0, count);
            return {};
        }
        return cursor.read(pos, count, buffer.data());
    };
    if (format == QLatin1String("text")) {
        // The NUL-terminated string at the offset: scan until a NUL, the end of the object or --length.
        QByteArray text;
        for (std::uint64_t pos = offset; pos < end;) {
            const std::size_t count = std::size_t(std::min(kChunkSize, end - pos));
            if (Status status = readChunk(pos, count); !status)
                return reportError(status.error());
            const qsizetype nul = buffer.indexOf('\0');
            text += nul < 0 ? buffer : buffer.left(nul);
            if (nul >= 0)
                break;
            pos += count;
        }
        // Decoding and re-encoding replaces invalid UTF-8 with U+FFFD instead of sending it to a terminal.
        printLine(QString::fromUtf8(text));
        return toInt(ExitCode::Ok);
    }

    if (isExportFormat(format))
        return exportRange(scan, offset, end, *parseTransferFormat(format.toStdString()),
                           addressText(mapping.address()));

    const bool hex = format == QLatin1String("hex");
    for (std::uint64_t pos = offset; pos < end;) {
        const std::size_t count = std::size_t(std::min(kChunkSize, end - pos));
        if (Status status = readChunk(pos, count); !status)
            return reportError(status.error());
        if (hex) {
            QString lines;
            for (std::size_t i = 0; i < count; i += kHexDumpBytesPerLine) {
                lines += hexDumpLine(pos + i, buffer.constData() + i, std::min(kHexDumpBytesPerLine, count - i));
                lines += QLatin1Char('\n');
            }
            const QByteArray bytes = lines.toUtf8();
            if (!writeStdout(bytes.constData(), std::size_t(bytes.size())))
                return toInt(ExitCode::Failure);
        } else if (!writeStdout(buffer.constData(), count)) {
            return toInt(ExitCode::Failure);
        }
        pos += count;
    }
    return toInt(ExitCode::Ok);
}

// ---- write ---------------------------------------------------------------------------------------

// Reads `input` (a file or standard input, opened) up to its end, but never more than `room` + 1 bytes:
// a source that is endless (/dev/zero, `yes |`) or larger than the object then costs at most the
// object's free space in memory. Returns false on a read error (errorString() of `input`).
bool readBounded(QFile& input, std::uint64_t room, QByteArray& data)
{
    constexpr qint64 kReadStep = 64 * 1024;
    const std::uint64_t limit = room + 1; // one byte more than fits tells "too much" from "exactly full"
    while (std::uint64_t(data.size()) < limit) {
        const qint64 want = qint64(std::min<std::uint64_t>(kReadStep, limit - std::uint64_t(data.size())));
        const qsizetype before = data.size();
        if (data.capacity() < before + want) // grown geometrically (a large file), never past the limit
            data.reserve(qsizetype(std::min<std::uint64_t>(
                limit, std::max<std::uint64_t>(2 * std::uint64_t(data.capacity()), std::uint64_t(before + want)))));
        data.resize(before + qsizetype(want));
        const qint64 got = input.read(data.data() + before, want);
        data.resize(before + std::max<qsizetype>(0, qsizetype(got)));
        if (got < 0)
            return false;
        if (got == 0)
            break; // the end of the input
    }
    return true;
}

// Writes several decoded blocks (ascending, all checked to fit) under one hold of the object's lock,
// flushes, and announces each through `announce` (which returns the "notified …" text).
int writeBlocks(Mapping& mapping, const std::vector<ImportBlock>& blocks, const QString& name,
                const std::function<QString(std::uint64_t, std::uint64_t)>& announce)
{
    Result<LockGuard> lock = mapping.lock(kLockTimeout);
    if (!lock)
        return reportError(lock.error());
    std::uint64_t total = 0;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> written;
    Status status;
    for (const ImportBlock& block : blocks) {
        status = mapping.write(block.offset, block.bytes.data(), block.bytes.size());
        const std::uint64_t landed = status ? block.bytes.size() : status.error().bytesWritten.value_or(0);
        if (landed > 0)
            written.emplace_back(block.offset, landed);
        total += landed;
        if (!status)
            break;
    }
    lock->unlock();
    (void)mapping.flush();
    QString notified;
    for (const auto& [at, count] : written)
        notified = announce(at, count);
    if (!status)
        return reportError(status.error());
    printLine(
        Cli::tr("wrote %1 in %2 blocks to %3 (%4)").arg(byteCountText(total)).arg(blocks.size()).arg(name, notified));
    return toInt(ExitCode::Ok);
}

int runWrite(const QCommandLineParser& parser, const QStringList& positional)
{
    if (parser.isSet(QStringLiteral("layout")) || parser.isSet(QStringLiteral("field"))
        || parser.isSet(QStringLiteral("value")))
        return runWriteField(parser, positional); // layoutcommands.cpp
    int exitCode = 0;
    const std::optional<Address> address = parseAddressArgument(positional.at(0), exitCode);
    if (!address)
        return exitCode;
    const QString name = addressText(*address);

    const std::optional<std::uint64_t> offsetValue = offsetOption(parser, QStringLiteral("write"), name, exitCode);
    if (!offsetValue)
        return exitCode;
    std::uint64_t offset = *offsetValue;
    QString error;

    const QStringList sources { QStringLiteral("text"), QStringLiteral("hex"), QStringLiteral("file"),
                                QStringLiteral("stdin") };
    qsizetype given = 0;
    for (const QString& source : sources)
        given += parser.isSet(source) ? 1 : 0;
    if (given != 1)
        return reportUsageError(Cli::tr("write %1: give exactly one of --text, --hex, --file or --stdin").arg(name));
    if (parser.isSet(QStringLiteral("no-nul")) && !parser.isSet(QStringLiteral("text")))
        return reportUsageError(Cli::tr("write %1: --no-nul only applies to --text").arg(name));

    // All input is read before anything is written: if it is bad, or does not fit, nothing changes.
    // --text and --hex are checked before the object is attached; --file and --stdin are opened
    // first, then read after the attach, at most as much as fits (readBounded()).
    QByteArray data;
    const bool fromStream = parser.isSet(QStringLiteral("file")) || parser.isSet(QStringLiteral("stdin"));
    const bool fromStdin = parser.isSet(QStringLiteral("stdin"));
    const QString path = parser.value(QStringLiteral("file"));
    const QString inputName = fromStdin ? Cli::tr("standard input") : path;
    QFile input(path);
    if (parser.isSet(QStringLiteral("text"))) {
        data = argumentBytes(parser.value(QStringLiteral("text"))); // the bytes as typed, UTF-8 or not
        // With the terminator, `read --format text` and the GUI's text view show exactly this string.
        if (!parser.isSet(QStringLiteral("no-nul")))
            data += '\0';
    } else if (parser.isSet(QStringLiteral("hex"))) {
        std::optional<QByteArray> bytes = parseHexBytes(parser.value(QStringLiteral("hex")), &error);
        if (!bytes)
            return reportUsageError(Cli::tr("write %1: %2").arg(name, error));
        data = *bytes;
    } else {
        const bool opened = fromStdin ? input.open(stdin, QIODevice::ReadOnly) : input.open(QIODevice::ReadOnly);
        if (!opened)
            return reportUsageError(Cli::tr("write %1: cannot open %2: %3").arg(name, inputName, input.errorString()));
    }

    Result<std::unique_ptr<Mapping>> attached = attachMapping(*address, Access::ReadWrite);
    if (!attached)
        return reportError(attached.error());
    Mapping& mapping = **attached;
    const std::uint64_t size = mapping.size();
    std::uint64_t room = offset > size ? 0 : size - offset;
    if (parser.isSet(QStringLiteral("format")))
        room = size; // an address-carrying input says where its bytes go; checked per block below
    if (fromStream) {
        if (offset > size)
            return reportUsageError(Cli::tr("write %1: offset %2 is past the end (size %3); nothing written")
                                        .arg(name)
                                        .arg(offset)
                                        .arg(byteCountText(size)));
        if (!readBounded(input, room, data)) {
            printError(Cli::tr("write %1: cannot read %2: %3").arg(name, inputName, input.errorString()));
            return toInt(ExitCode::Failure);
        }
        if (data.isEmpty())
            return reportUsageError(Cli::tr("write %1: nothing to write (%2 is empty)").arg(name, inputName));
        if (std::uint64_t(data.size()) > room) {
            // Reading stopped one byte past what fits: the input's whole length is not known (it may
            // not end at all), only that it is too long.
            return reportUsageError(
                Cli::tr("write %1: more than %2 of %3 at offset %4 do not fit in the object (size %5); nothing written")
                    .arg(name, byteCountText(room), inputName)
                    .arg(offset)
                    .arg(byteCountText(size)));
        }
    }
    // --format: the input is decoded into blocks; several (an Intel HEX file with gaps) are written
    // one after the other under one hold of the lock, each announced.
    std::vector<ImportBlock> blocks;
    if (parser.isSet(QStringLiteral("format"))) {
        const std::optional<TransferFormat> format
            = parseTransferFormat(parser.value(QStringLiteral("format")).toStdString());
        if (!format || !formatCanBeImported(*format) || !fromStream)
            return reportUsageError(
                Cli::tr("write %1: --format takes raw, hexdump, base64, ihex or srec, with --file or --stdin")
                    .arg(name));
        std::optional<std::vector<ImportBlock>> decoded = importBlocks(
            data, *format, parser.isSet(QStringLiteral("offset")) ? std::optional(offset) : std::nullopt, &error);
        if (!decoded)
            return reportUsageError(Cli::tr("write %1: %2: %3; nothing written").arg(name, inputName, error));
        if (decoded->empty())
            return reportUsageError(Cli::tr("write %1: no bytes in %2; nothing written").arg(name, inputName));
        for (const ImportBlock& block : *decoded) {
            if (block.offset > size || block.bytes.size() > size - block.offset)
                return reportUsageError(
                    Cli::tr("write %1: %2 at offset %3 do not fit in the object (size %4); nothing written")
                        .arg(name, byteCountText(block.bytes.size()))
                        .arg(block.offset)
                        .arg(byteCountText(size)));
        }
        if (decoded->size() > 1)
            return writeBlocks(mapping, *decoded, name, [&](std::uint64_t at, std::uint64_t count) {
                QString busError;
                return notifiedText(notifyPeers(
                                        addressText(mapping.identity()),
                                        [&](NotificationBus& bus) { bus.announceChanged(at, count); }, busError),
                                    busError);
            });
        offset = decoded->front().offset;
        data = QByteArray(reinterpret_cast<const char*>(decoded->front().bytes.data()),
                          qsizetype(decoded->front().bytes.size()));
    }
    const auto length = std::uint64_t(data.size());
    if (offset > size || length > room) {
        return reportUsageError(Cli::tr("write %1: %2 at offset %3 do not fit in the object (size %4); nothing written")
                                    .arg(name, byteCountText(length))
                                    .arg(offset)
                                    .arg(byteCountText(size)));
    }

    QString busError;
    const QString identity = addressText(mapping.identity());
    Status written = mapping.writeLocked(offset, data.constData(), std::size_t(length), kLockTimeout);
    if (!written) {
        // A write cut short (the backing store filled up, the object shrank) leaves its first bytes in
        // place: they are announced like any write, so that instances and watchers show what is there
        // now (a rollback could fail for the same reason), and the error says how many landed.
        const Error& failure = written.error();
        if (failure.bytesWritten && *failure.bytesWritten > 0) {
            const std::uint64_t landed = *failure.bytesWritten;
            (void)mapping.flush(); // what landed is made durable as a whole write would be
            const int peers = notifyPeers(
                identity, [&](NotificationBus& bus) { bus.announceChanged(offset, landed); }, busError);
            printLine(Cli::tr("wrote %1 of %2 at offset %3 of %4 (%5)")
                          .arg(byteCountText(landed), byteCountText(length))
                          .arg(offset)
                          .arg(addressText(mapping.address()), notifiedText(peers, busError)));
        }
        return reportError(failure);
    }
    // A no-op for memory objects; for files this makes the data durable before we report success.
    if (Status status = mapping.flush(); !status)
        return reportError(status.error());

    const int peers = notifyPeers(
        identity, [&](NotificationBus& bus) { bus.announceChanged(offset, length); }, busError);
    printLine(Cli::tr("wrote %1 at offset %2 of %3 (%4)")
                  .arg(byteCountText(length))
                  .arg(offset)
                  .arg(addressText(mapping.address()), notifiedText(peers, busError)));
    return toInt(ExitCode::Ok);
}

// ---- watch ---------------------------------------------------------------------------------------

int runWatch(const QCommandLineParser& parser, const QStringList& positional)
{
    int exitCode = 0;
    const std::optional<Address> address = parseAddressArgument(positional.at(0), exitCode);
    if (!address)
        return exitCode;
    const QString name = addressText(*address);

    Watcher::Options options;
    bool ok = false;
    const QString interval = parser.value(QStringLiteral("interval"));
    const uint intervalMs = interval.toUInt(&ok);
    if (!ok || intervalMs < 1 || intervalMs > 3600 * 1000)
        return reportUsageError(
            Cli::tr("watch %1: invalid interval '%2': expected milliseconds from 1 to 3600000").arg(name, interval));
    options.interval = std::chrono::milliseconds(intervalMs);
    if (parser.isSet(QStringLiteral("count"))) {
        const QString count = parser.value(QStringLiteral("count"));
        const qulonglong events = count.toULongLong(&ok);
        if (!ok || events < 1)
            return reportUsageError(
                Cli::tr("watch %1: invalid count '%2': expected a number of events of at least 1").arg(name, count));
        options.count = events;
    }

    Result<std::unique_ptr<Mapping>> attached = attachMapping(*address, Access::ReadOnly);
    if (!attached)
        return reportError(attached.error());

    Watcher watcher(std::move(attached).value(), options);
    QEventLoop loop;
    QObject::connect(&watcher, &Watcher::finished, &loop, &QEventLoop::exit, Qt::QueuedConnection);
    if (!watcher.start())
        return watcher.exitCode();
    return loop.exec();
}

// ---- remove --------------------------------------------------------------------------------------

int runRemove(const QCommandLineParser&, const QStringList& positional)
{
    int exitCode = 0;
    const std::optional<Address> address = parseAddressArgument(positional.at(0), exitCode);
    if (!address)
        return exitCode;
    // The core refuses what is not an object (a symlink, a FIFO, a device: nothing is unlinked), so
    // what is removed here is the object the address names.
    const QString name = resolvedAddress(*address);
    const QString bus = busAddress(*address);
    if (Status status = removeObject(*address); !status)
        return reportError(status.error());
    // Instances showing the object learn that its name is gone (their views stay valid).
    QString busError;
    const int peers = notifyPeers(
        bus, [](NotificationBus& notifier) { notifier.announceRemoved(); }, busError);
    if (peers > 0)
        printLine(Cli::tr("removed %1 (%2)").arg(name, notifiedText(peers, busError)));
    else
        printLine(Cli::tr("removed %1").arg(name));
    return toInt(ExitCode::Ok);
}

QCommandLineOption valueOption(const QStringList& names, const QString& description, const QString& valueName,
                               const QString& defaultValue = {})
{
    QCommandLineOption option(names, description, valueName);
    if (!defaultValue.isEmpty())
        option.setDefaultValue(defaultValue);
    return option;
}

} // namespace

std::optional<Address> parseAddressArgumentShared(const QString& text, int& exitCode)
{
    return parseAddressArgument(text, exitCode);
}

QString announceChange(const Mapping& mapping, std::uint64_t offset, std::uint64_t length)
{
    QString busError;
    const int peers = notifyPeers(
        addressText(mapping.identity()), [&](NotificationBus& bus) { bus.announceChanged(offset, length); }, busError);
    return notifiedText(peers, busError);
}

QList<Command> allCommands()
{
    const QCommandLineOption json(QStringLiteral("json"), Cli::tr("Print JSON with exact numbers instead of text."));
    const QCommandLineOption offset = valueOption(
        { QStringLiteral("o"), QStringLiteral("offset") },
        Cli::tr("Start at byte OFFSET of the object (decimal or 0x-hex; default 0)."), QStringLiteral("OFFSET"));
    const QStringList address { QStringLiteral("ADDRESS") };

    QList<Command> commands;
    commands << Command {
        QStringLiteral("list"),
        Cli::tr("List POSIX shared memory objects and System V segments"),
        QStringLiteral("list [--json]"),
        Cli::tr("Lists the POSIX objects in /dev/shm and the System V segments with their size, mode, owner,\n"
                "last modification and the processes that map them now (PIDS; '+N': attached processes\n"
                "whose maps could not be read). Times are local.")
            + QLatin1Char('\n')
            + Cli::tr("'unknown (N processes could not be inspected)': processes of other users may map it, and\n"
                      "only root can tell. Names are printed with bytes that are not UTF-8 and control characters\n"
                      "as \\xHH, one object per line; every command takes an address in that form."),
        { json },
        {},
        runList
    };

    commands << Command {
        QStringLiteral("create"),
        Cli::tr("Create an object (or attach an existing one with --exist-ok)"),
        QStringLiteral("create ADDRESS --size N [--mode MODE] [--exist-ok]"),
        Cli::tr(
            "Creates the object with the size and mode given; the mode is applied exactly, whatever the umask.\n"
            "The backing store is reserved now, so a full /dev/shm fails here and not later.\n"
            "For file: the file is created or grown to the size (never shrunk); without --size it keeps its own size.\n"
            "Exit code 5 when the object exists, unless --exist-ok: then the existing object is kept as it is\n"
            "(its size and mode win) and the command succeeds."),
        { valueOption({ QStringLiteral("s"), QStringLiteral("size") },
                      Cli::tr("Size in bytes: decimal, 0x-hex, or with a unit K, M, G (powers of 1024)."),
                      QStringLiteral("N")),
          valueOption({ QStringLiteral("m"), QStringLiteral("mode") },
                      Cli::tr("Permission bits in octal (default 0600)."), QStringLiteral("MODE")),
          QCommandLineOption(QStringLiteral("exist-ok"),
                             Cli::tr("Succeed and attach when the object already exists.")) },
        address,
        runCreate
    };

    commands << Command {
        QStringLiteral("info"),
        Cli::tr("Show an object's size, mode, owner, time and processes"),
        QStringLiteral("info ADDRESS [--processes] [--json]"),
        Cli::tr("Shows the address, size, mode, owner, last modification (local time) and the processes that map\n"
                "the object now; for System V also the shmid and the attach count (nattch).")
            + QLatin1Char('\n')
            + Cli::tr(
                "--processes: per view of the object in each process (this command's own view left out): range,\n"
                "perms (rw-s shared, rw-p copy-on-write), backing, /proc/PID/smaps counters and page summary;\n"
                "processes that could not be inspected are counted; a file's page cache (cachestat, Linux 6.5+)."),
        { json, processesOption() },
        address,
        runInfo
    };

    commands << pagesCommand();

    commands << Command {
        QStringLiteral("read"),
        Cli::tr("Print bytes of an object as a hex dump, raw or as text"),
        QStringLiteral("read ADDRESS [--offset O] [--length L] [--format hex|raw|text] [--access MODE]"),
        Cli::tr("Attaches read-only and prints bytes:\n"
                "  hex   an xxd-style dump, 16 bytes per line, offsets relative to the object (the default)\n"
                "  raw   the bytes themselves, for redirecting into a file or a pipe\n"
                "  text  the NUL-terminated UTF-8 string at the offset, and a newline\n"
                "Without --length, hex and raw go to the end of the object (streamed, however large it is) and\n"
                "text stops at the first NUL or the end. An offset or length past the end is a usage error\n"
                "(exit code 2) and prints nothing."),
        { offset,
          valueOption({ QStringLiteral("l"), QStringLiteral("length") },
                      Cli::tr("Number of bytes (decimal, 0x-hex, or with K, M, G); for text the most bytes to scan."),
                      QStringLiteral("L")),
          valueOption({ QStringLiteral("f"), QStringLiteral("format") },
                      Cli::tr("Output format: hex, raw, text, c, python, base64, ihex or srec (default hex)."),
                      QStringLiteral("FORMAT"), QStringLiteral("hex")),
          valueOption({ QStringLiteral("access") },
                      Cli::tr("How to attach: read-only (the default), read-write or copy-on-write (to see, with "
                              "--trace, what each access mode does)."),
                      QStringLiteral("MODE"), QStringLiteral("read-only")) },
        address,
        runRead
    };

    commands << Command {
        QStringLiteral("write"),
        Cli::tr("Write bytes into an object and notify running instances"),
        QStringLiteral("write ADDRESS [--offset O] (--text S [--no-nul] | --hex BYTES | --file F | --stdin)\n"
                       "       write ADDRESS --layout FILE.ksy|NAME [--offset O] --field PATH --value V"),
        Cli::tr("Attaches read-write, takes the object's lock (waiting at most 2 s), writes, flushes file-backed\n"
                "objects to disk, and tells running shmscope instances and watchers which bytes changed.\n"
                "--text writes the UTF-8 text and a terminating NUL, so that the text view and 'read --format text'\n"
                "show exactly that string; --no-nul leaves the NUL out. --hex takes \"de ad be ef\", \"deadbeef\" or\n"
                "\"de:ad:be:ef\". --file and --stdin are read completely first, but never more than fits. Data that\n"
                "does not fit between the offset and the end of the object is a usage error (exit code 2) and\n"
                "nothing is written. When the backing store fills up midway (tmpfs has no page to give), the\n"
                "bytes written so far stay, are announced, and the error says how many (exit code 1).\n"
                "With --layout, writes one field of the layout attached at --offset: --field names it as 'decode'\n"
                "prints it (area1.values[2]), --value is its new value (a number, an enum label, true/false, text\n"
                "for strings, hex for bytes), checked against the field's type, range and size before anything is\n"
                "written; the field is decoded and written under the object's lock."),
        { offset,
          QCommandLineOption(QStringLiteral("text"), Cli::tr("Write the UTF-8 text S and a NUL."), QStringLiteral("S")),
          QCommandLineOption(QStringLiteral("no-nul"), Cli::tr("With --text: do not write the terminating NUL.")),
          QCommandLineOption(QStringLiteral("hex"), Cli::tr("Write the bytes given in hex."), QStringLiteral("BYTES")),
          QCommandLineOption(QStringLiteral("file"), Cli::tr("Write the contents of file F."), QStringLiteral("F")),
          QCommandLineOption(QStringLiteral("stdin"), Cli::tr("Write what is read from standard input.")),
          QCommandLineOption(QStringLiteral("layout"), Cli::tr("A .ksy layout file or a built-in layout's name."),
                             QStringLiteral("LAYOUT")),
          QCommandLineOption(QStringLiteral("field"), Cli::tr("The field to write, by its path."),
                             QStringLiteral("PATH")),
          QCommandLineOption(QStringLiteral("value"), Cli::tr("The field's new value."), QStringLiteral("V")),
          QCommandLineOption(QStringLiteral("param"), Cli::tr("With --layout: a value for the layout's parameter ID."),
                             QStringLiteral("ID=V")),
          QCommandLineOption(QStringLiteral("format"),
                             Cli::tr("With --file/--stdin: the input is raw (default), hexdump (xxd), base64, ihex or "
                                     "srec. Addresses in hexdump/ihex/srec are used as offsets; with --offset the "
                                     "lowest lands there."),
                             QStringLiteral("FORMAT")) },
        address,
        runWrite
    };

    commands << layoutCommands(); // decode, layouts (layoutcommands.cpp)

    commands << Command {
        QStringLiteral("watch"),
        Cli::tr("Print each change to an object and each notification"),
        QStringLiteral("watch ADDRESS [--interval MS] [--count N]"),
        Cli::tr("Attaches read-only, joins the object's notification bus (running shmscope instances count it as\n"
                "a peer) and compares the object with what it last saw every MS milliseconds. Prints:\n"
                "  watching ADDRESS (N bytes)                 once, when ready\n"
                "  change offset=0x10 length=N old=.. new=..  a run of changed bytes\n"
                "  notification from pid P: changed …         a notification; its range is compared at once\n"
                "  resized: N bytes (was M bytes)             the object was truncated or grown\n"
                "  removed: ADDRESS                           the object was removed; the watch ends\n"
                "Byte lists longer than 16 bytes end in '…'. Stops with exit code 0 after N events (changes,\n"
                "resizes and notifications) with --count, on SIGINT or SIGTERM, or when the object is removed.\n"
                "Memory stays small whatever the object's size: it keeps a hash per block and a copy of at most\n"
                "8 MiB of the object's data. A change in a block of which no copy is kept (only in objects with\n"
                "more data than that) is printed as the whole block, with old=?. Holes are never read."),
        { valueOption({ QStringLiteral("i"), QStringLiteral("interval") },
                      Cli::tr("Poll every MS milliseconds (default 100)."), QStringLiteral("MS"),
                      QStringLiteral("100")),
          valueOption({ QStringLiteral("n"), QStringLiteral("count") }, Cli::tr("Exit after N events."),
                      QStringLiteral("N")) },
        address,
        runWatch
    };

    commands << Command {
        QStringLiteral("remove"),
        Cli::tr("Remove an object's name"),
        QStringLiteral("remove ADDRESS"),
        Cli::tr("Removes the object's name (shm_unlink, IPC_RMID, unlink for a file) and tells running instances.\n"
                "Processes that have it mapped keep their view; a System V segment lives until the last detach."),
        {},
        address,
        runRemove
    };
    commands << snapshotCommands();
    commands << scanCommands();
    commands << inventoryCommands();
    return commands;
}

} // namespace shmscope
