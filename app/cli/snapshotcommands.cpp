// `shmscope-cli snapshot` and `shmscope-cli diff` (issue 12, "Snapshots and diff").
#include "app/shared/numberparse.h"
#include "app/shared/rawarguments.h"
#include "cli.h"
#include "core/diff.h"
#include "core/mapping.h"
#include "core/snapshot.h"
#include "exitcode.h"
#include "hexformat.h"
#include "inspectcommands.h"
#include "output.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>
#include <chrono>
#include <unistd.h>

namespace shmscope {

namespace {

using namespace std::chrono_literals;

// How long `snapshot` waits for the object's read lock (no ShmScope writer midway while it copies).
constexpr auto kReadLockTimeout = 2000ms;

QString addressText(const Address& address)
{
    return fromStd(toString(address));
}

QString hashText(std::uint64_t hash)
{
    return QStringLiteral("xxh3:%1").arg(hash, 16, 16, QLatin1Char('0'));
}

// "posix:/a b" → "a_b": a file name made of the object's name, for the default snapshot path.
QString defaultSnapshotName(const Address& address, const QDateTime& time)
{
    QString base = fromStd(toString(address));
    base = base.mid(base.indexOf(QLatin1Char(':')) + 1);
    for (QChar& c : base) {
        if (!c.isLetterOrNumber() && c != QLatin1Char('-') && c != QLatin1Char('.'))
            c = QLatin1Char('_');
    }
    while (base.startsWith(QLatin1Char('_')))
        base.remove(0, 1);
    if (base.isEmpty())
        base = QStringLiteral("object");
    return base.left(100) + time.toUTC().toString(QStringLiteral("-yyyyMMdd-HHmmss")) + QStringLiteral(".shmsnap");
}

QJsonObject snapshotJson(const SnapshotInfo& info, const QString& path)
{
    QJsonObject object;
    object[QStringLiteral("path")] = path;
    object[QStringLiteral("address")] = fromStd(info.address);
    object[QStringLiteral("offset")] = QString::number(info.offset);
    object[QStringLiteral("size")] = QString::number(info.size);
    object[QStringLiteral("wholeObject")] = info.wholeObject;
    object[QStringLiteral("time")] = QDateTime::fromMSecsSinceEpoch(info.timeMs, Qt::UTC).toString(Qt::ISODateWithMs);
    object[QStringLiteral("pid")] = qint64(info.pid);
    object[QStringLiteral("hash")] = hashText(info.hash);
    return object;
}

// ---- snapshot ------------------------------------------------------------------------------------

int runSnapshot(const QCommandLineParser& parser, const QStringList& positional)
{
    Result<Address> address = parseAddress(argumentBytes(positional.at(0)).toStdString());
    if (!address)
        return reportError(address.error());
    const QString name = addressText(*address);
    QString error;
    std::uint64_t offset = 0;
    if (parser.isSet(QStringLiteral("offset"))) {
        const std::optional<std::uint64_t> value = parseOffset(parser.value(QStringLiteral("offset")), &error);
        if (!value)
            return reportUsageError(Cli::tr("snapshot %1: --offset: %2").arg(name, error));
        offset = *value;
    }
    std::optional<std::uint64_t> length;
    if (parser.isSet(QStringLiteral("length"))) {
        length = parseSize(parser.value(QStringLiteral("length")), &error);
        if (!length || *length == 0)
            return reportUsageError(
                Cli::tr("snapshot %1: --length: %2").arg(name, length ? Cli::tr("must be at least 1 byte") : error));
    }

    Result<std::unique_ptr<Mapping>> attached = attachMapping(*address, Access::ReadOnly);
    if (!attached)
        return reportError(attached.error());
    Mapping& mapping = **attached;
    const std::uint64_t size = mapping.size();
    if (offset > size || (length && *length > size - offset))
        return reportUsageError(Cli::tr("snapshot %1: offset %2 + length %3 is past the end (size %4)")
                                    .arg(name)
                                    .arg(offset)
                                    .arg(length.value_or(size - offset))
                                    .arg(byteCountText(size)));

    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QByteArray path = parser.isSet(QStringLiteral("output"))
        ? argumentBytes(parser.value(QStringLiteral("output")))
        : defaultSnapshotName(mapping.address(), now).toUtf8();
    SnapshotInfo info;
    info.address = toString(mapping.address());
    info.offset = offset;
    info.size = length.value_or(size - offset);
    info.wholeObject = offset == 0 && info.size == size;
    info.timeMs = now.toMSecsSinceEpoch();
    info.pid = ::getpid();

    // Under the read lock where it can be had, so that no ShmScope writer is midway; other programs'
    // writes are copied as they are at that moment (as any reader sees them).
    Result<LockGuard> lock = mapping.readLock(kReadLockTimeout);
    const MappingScanSource source(mapping);
    Result<SnapshotInfo> written = writeSnapshot(source, info, path.toStdString());
    if (!written)
        return reportError(written.error());
    const QString pathText = QString::fromUtf8(path);
    if (parser.isSet(QStringLiteral("json"))) {
        const QByteArray json = QJsonDocument(snapshotJson(*written, pathText)).toJson(QJsonDocument::Indented);
        writeStdout(json.constData(), std::size_t(json.size()));
    } else {
        printLine(Cli::tr("snapshot of %1 (%2 at offset %3) written to %4, hash %5")
                      .arg(addressText(mapping.address()), byteCountText(written->size))
                      .arg(written->offset)
                      .arg(pathText, hashText(written->hash)));
    }
    return toInt(ExitCode::Ok);
}

// ---- diff ----------------------------------------------------------------------------------------

// One argument of `diff`: a snapshot file or a live object.
struct Side {
    QString label; // what the output calls it
    std::unique_ptr<SnapshotFile> snapshot;
    std::unique_ptr<Mapping> mapping;
    std::unique_ptr<MappingScanSource> mappingSource;
    std::unique_ptr<SubrangeSource> subrange;
    const ScanSource* source = nullptr;
    std::uint64_t size = 0;
    std::uint64_t base = 0; // offset in the object of the first byte compared
};

// Opens a side; on failure reports it and returns the exit code (diff's: DiffFailure for 1).
int openSide(const QString& argument, Side& side)
{
    const std::string bytes = argumentBytes(argument).toStdString();
    if (SnapshotFile::isSnapshot(bytes)) {
        Result<std::unique_ptr<SnapshotFile>> file = SnapshotFile::open(bytes);
        if (!file)
            return reportError(file.error());
        side.snapshot = std::move(file).value();
        side.label = argument;
        side.source = side.snapshot.get();
        side.size = side.snapshot->info().size;
        side.base = side.snapshot->info().offset;
        return 0;
    }
    Result<Address> address = parseAddress(bytes);
    if (!address) {
        // Neither: say both, since the user may have meant a snapshot file that is not there.
        return reportUsageError(Cli::tr("diff: %1 is neither a snapshot file nor an address (%2)")
                                    .arg(argument, fromStd(address.error().message())));
    }
    Result<std::unique_ptr<Mapping>> attached = attachMapping(*address, Access::ReadOnly);
    if (!attached)
        return reportError(attached.error());
    side.mapping = std::move(attached).value();
    side.mappingSource = std::make_unique<MappingScanSource>(*side.mapping);
    side.label = addressText(side.mapping->address());
    side.source = side.mappingSource.get();
    side.size = side.mapping->size();
    return 0;
}

// A live object compared with a snapshot of part of an object: the same range of the live object.
void alignToSnapshot(Side& live, const Side& snapshot)
{
    if (!live.mapping || !snapshot.snapshot || snapshot.snapshot->info().wholeObject)
        return;
    const SnapshotInfo& info = snapshot.snapshot->info();
    live.base = std::min(info.offset, live.size);
    live.size = std::min(info.size, live.size - live.base);
    live.subrange = std::make_unique<SubrangeSource>(*live.mappingSource, live.base);
    live.source = live.subrange.get();
}

QString bytesHex(const std::vector<std::uint8_t>& bytes, std::uint64_t length)
{
    QString text
        = QString::fromLatin1(QByteArray(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size())).toHex());
    if (length > bytes.size())
        text += QStringLiteral("…");
    return text;
}

int diffExit(int code)
{
    return code == toInt(ExitCode::Failure) ? toInt(ExitCode::DiffFailure) : code;
}

int runDiff(const QCommandLineParser& parser, const QStringList& positional)
{
    bool ok = false;
    const uint maxBytes = parser.value(QStringLiteral("bytes")).toUInt(&ok);
    if (!ok || maxBytes > 1024 * 1024)
        return reportUsageError(Cli::tr("diff: --bytes: expected a number of bytes from 0 to 1048576, got '%1'")
                                    .arg(parser.value(QStringLiteral("bytes"))));
    Side a;
    Side b;
    if (int code = openSide(positional.at(0), a); code != 0)
        return diffExit(code);
    if (int code = openSide(positional.at(1), b); code != 0)
        return diffExit(code);
    alignToSnapshot(a, b);
    alignToSnapshot(b, a);
    const std::uint64_t base = a.snapshot || !b.snapshot ? a.base : b.base;
    const bool json = parser.isSet(QStringLiteral("json"));

    QJsonArray ranges;
    DiffOptions options;
    options.maxBytes = maxBytes;
    bool outputFailed = false;
    Result<DiffSummary> summary
        = diffSides({ a.source, a.size }, { b.source, b.size }, options, [&](const DiffRange& range) {
              const std::uint64_t offset = base + range.offset;
              const char* kind = range.kind == DiffRange::Kind::Changed ? "changed"
                  : range.kind == DiffRange::Kind::OnlyInA              ? "only-in-a"
                                                                        : "only-in-b";
              if (json) {
                  QJsonObject item;
                  item[QStringLiteral("offset")] = QString::number(offset);
                  item[QStringLiteral("length")] = QString::number(range.length);
                  item[QStringLiteral("kind")] = QLatin1String(kind);
                  item[QStringLiteral("old")] = QString::fromLatin1(
                      QByteArray(reinterpret_cast<const char*>(range.oldBytes.data()), qsizetype(range.oldBytes.size()))
                          .toHex());
                  item[QStringLiteral("new")] = QString::fromLatin1(
                      QByteArray(reinterpret_cast<const char*>(range.newBytes.data()), qsizetype(range.newBytes.size()))
                          .toHex());
                  item[QStringLiteral("truncated")]
                      = range.length > std::max(range.oldBytes.size(), range.newBytes.size());
                  ranges.append(item);
                  return true;
              }
              QString line = QStringLiteral("%1 offset=%2 length=%3")
                                 .arg(QLatin1String(kind), formatHexOffset(offset))
                                 .arg(range.length);
              if (range.kind != DiffRange::Kind::OnlyInB)
                  line += QStringLiteral(" old=") + bytesHex(range.oldBytes, range.length);
              if (range.kind != DiffRange::Kind::OnlyInA)
                  line += QStringLiteral(" new=") + bytesHex(range.newBytes, range.length);
              outputFailed = !printLine(line);
              return !outputFailed;
          });
    if (!summary)
        return diffExit(reportError(summary.error()));
    if (outputFailed)
        return toInt(ExitCode::DiffFailure);
    if (json) {
        QJsonObject result;
        auto sideJson = [](const Side& side) {
            QJsonObject object;
            object[QStringLiteral("name")] = side.label;
            object[QStringLiteral("kind")] = side.snapshot ? QStringLiteral("snapshot") : QStringLiteral("object");
            object[QStringLiteral("offset")] = QString::number(side.base);
            object[QStringLiteral("size")] = QString::number(side.size);
            if (side.snapshot)
                object[QStringLiteral("snapshot")] = snapshotJson(side.snapshot->info(), side.label);
            return object;
        };
        result[QStringLiteral("a")] = sideJson(a);
        result[QStringLiteral("b")] = sideJson(b);
        result[QStringLiteral("equal")] = summary->equal();
        result[QStringLiteral("differingBytes")] = QString::number(summary->bytes);
        result[QStringLiteral("ranges")] = ranges;
        const QByteArray text = QJsonDocument(result).toJson(QJsonDocument::Indented);
        writeStdout(text.constData(), std::size_t(text.size()));
    } else if (summary->equal()) {
        printLine(Cli::tr("equal: %1 and %2 (%3)").arg(a.label, b.label, byteCountText(a.size)));
    } else {
        printLine(
            Cli::tr("%1 and %2 differ: %n range(s)", nullptr, int(std::min<std::uint64_t>(summary->ranges, INT_MAX)))
                .arg(a.label, b.label)
            + QStringLiteral(", ") + byteCountText(summary->bytes));
    }
    return summary->equal() ? toInt(ExitCode::Ok) : toInt(ExitCode::Different);
}

} // namespace

QList<Command> snapshotCommands()
{
    QList<Command> commands;
    commands << Command {
        QStringLiteral("snapshot"),
        Cli::tr("Save an object's bytes (or a range) with their address, time and hash to a file"),
        QStringLiteral("snapshot ADDRESS [-o FILE] [--offset O] [--length L] [--json]"),
        Cli::tr("Attaches read-only and copies the bytes into a new snapshot file (never replacing one), under the\n"
                "object's read lock where it can be had (no ShmScope writer midway). Holes stay holes: a sparse\n"
                "object gives a sparse file, and its holes are not touched. The file starts with a 4 KiB text\n"
                "header (address, offset, size, time, pid, xxh3 hash); 'diff' takes it in place of an address.\n"
                "Without -o the file is NAME-YYYYMMDD-HHMMSS.shmsnap in the current folder (UTC time)."),
        { QCommandLineOption({ QStringLiteral("o"), QStringLiteral("output") },
                             Cli::tr("Write the snapshot to FILE (must not exist)."), QStringLiteral("FILE")),
          QCommandLineOption(QStringLiteral("offset"), Cli::tr("First byte of the range (default 0)."),
                             QStringLiteral("O")),
          QCommandLineOption({ QStringLiteral("l"), QStringLiteral("length") },
                             Cli::tr("Bytes in the range (default: to the end)."), QStringLiteral("L")),
          QCommandLineOption(QStringLiteral("json"), Cli::tr("Print the header as JSON.")) },
        { QStringLiteral("ADDRESS") },
        runSnapshot
    };
    commands << Command {
        QStringLiteral("diff"),
        Cli::tr("Compare two objects or snapshots byte by byte"),
        QStringLiteral("diff A B [--json] [--bytes N]"),
        Cli::tr("A and B are addresses or snapshot files (a file that starts with a snapshot header is a snapshot;\n"
                "anything else is an address). Compares byte by byte at the same offsets and prints each run of\n"
                "differing bytes:\n"
                "  changed offset=0x10 length=4 old=01020304 new=05060708\n"
                "  only-in-a / only-in-b  the tail of the longer side\n"
                "A live object compared with a snapshot of a range is compared over that range; offsets are the\n"
                "object's. Holes on both sides are not read. Exit code 0 when equal, 1 when they differ (as cmp),\n"
                "2 usage, 3 not found, 4 permission denied, 6 any other failure."),
        { QCommandLineOption(QStringLiteral("json"), Cli::tr("Print JSON (offsets and lengths as strings).")),
          [] {
              QCommandLineOption option(QStringLiteral("bytes"),
                                        Cli::tr("Show at most N bytes of each side per range (default 16)."),
                                        QStringLiteral("N"));
              option.setDefaultValue(QStringLiteral("16"));
              return option;
          }() },
        { QStringLiteral("A"), QStringLiteral("B") },
        runDiff
    };
    return commands;
}

} // namespace shmscope
