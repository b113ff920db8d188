// `shmscope-cli pages` and `info --processes` (see pagescommand.h).

#include "pagescommand.h"

#include "app/shared/numberparse.h"
#include "app/shared/rawarguments.h"
#include "cli.h"
#include "core/mapping.h"
#include "core/pagemap.h"
#include "core/viewcard.h"
#include "exitcode.h"
#include "output.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <array>

namespace shmscope {

namespace {

// Pages read per step: a 64 GiB range is streamed in steps of 256 MiB (128 KiB of states).
constexpr std::uint64_t kPagesPerStep = 64 * 1024;

QString hex(std::uint64_t value)
{
    return QStringLiteral("0x") + QString::number(value, 16);
}

QString viewTitle(const ProcessView& view)
{
    return Cli::tr("pid %1 (%2) %3-%4 %5 offset %6")
        .arg(view.pid)
        .arg(view.command.empty() ? QStringLiteral("?") : fromStd(view.command))
        .arg(QString::number(view.start, 16), QString::number(view.end, 16), fromStd(view.perms),
             hex(view.objectOffset));
}

QJsonObject viewJson(const ProcessView& view)
{
    return QJsonObject { { QStringLiteral("pid"), view.pid },
                         { QStringLiteral("command"), fromStd(view.command) },
                         { QStringLiteral("self"), view.self },
                         { QStringLiteral("start"), hex(view.start) },
                         { QStringLiteral("end"), hex(view.end) },
                         { QStringLiteral("perms"), fromStd(view.perms) },
                         { QStringLiteral("objectOffset"), double(view.objectOffset) } };
}

// Exact page counts of a range, per state.
struct Counts {
    std::array<std::uint64_t, 5> states {};
    std::uint64_t softDirty = 0;
};

QString countsText(const Counts& counts, bool softDirtyKnown)
{
    QStringList parts;
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < counts.states.size(); ++i) {
        total += counts.states[i];
        parts << QStringLiteral("%1 %2").arg(counts.states[i]).arg(fromStd(std::string(pageStateName(PageState(i)))));
    }
    const QString written = softDirtyKnown ? Cli::tr("%1 written since the last reset").arg(counts.softDirty)
                                           : Cli::tr("written since reset: not tracked by this kernel (soft-dirty)");
    return Cli::tr("%1 pages: %2; %3").arg(total).arg(parts.join(QStringLiteral(", ")), written);
}

QJsonObject countsJson(const Counts& counts, bool softDirtyKnown)
{
    // Keys in the order of PageState.
    static const std::array<QString, 5> keys { QStringLiteral("notPresent"), QStringLiteral("shared"),
                                               QStringLiteral("exclusive"), QStringLiteral("privateCopy"),
                                               QStringLiteral("swapped") };
    QJsonObject object;
    for (std::size_t i = 0; i < counts.states.size(); ++i)
        object.insert(keys[i], double(counts.states[i]));
    object.insert(QStringLiteral("softDirty"), softDirtyKnown ? QJsonValue(double(counts.softDirty)) : QJsonValue());
    return object;
}

// A run of pages in one state, growing across the steps of the read.
struct Run {
    std::uint64_t firstPage = 0;
    std::uint64_t pages = 0;
    PageInfo info;
};

// Prints or collects the page runs of [offset, offset + length) of `view`. Returns 0 or the exit code
// of the error it printed.
int showPages(const ProcessView& view, std::uint64_t offset, std::uint64_t length, bool json, QJsonArray& views)
{
    Counts counts;
    QJsonArray runs;
    bool softDirtyKnown = pageMapFeatures().softDirty;
    std::uint64_t pageSize = 0;
    Run run;
    const auto emitRun = [&] {
        if (run.pages == 0)
            return;
        const std::uint64_t start = run.firstPage * pageSize;
        const std::uint64_t end = start + run.pages * pageSize;
        const QString state = fromStd(std::string(pageStateName(run.info.state)));
        if (json) {
            QJsonObject object { { QStringLiteral("firstPage"), double(run.firstPage) },
                                 { QStringLiteral("pages"), double(run.pages) },
                                 { QStringLiteral("offset"), double(start) },
                                 { QStringLiteral("length"), double(end - start) },
                                 { QStringLiteral("state"), state } };
            if (softDirtyKnown)
                object.insert(QStringLiteral("softDirty"), run.info.softDirty);
            runs.append(object);
        } else {
            const QString pages = run.pages == 1
                ? Cli::tr("page %1").arg(run.firstPage)
                : Cli::tr("pages %1-%2").arg(run.firstPage).arg(run.firstPage + run.pages - 1);
            QString line = QStringLiteral("%1  %2  %3")
                               .arg(QString(hex(start) + QLatin1Char('-') + hex(end - 1)).leftJustified(27),
                                    pages.leftJustified(16), state);
            if (run.info.softDirty)
                line += Cli::tr(", written since the last reset");
            printLine(line);
        }
    };
    if (!json)
        printLine(viewTitle(view));
    // The page size first (a read of no pages checks the range too), then whole pages in steps.
    Result<PageMap> probe = readPages(view, offset, 0);
    if (!probe)
        return reportError(probe.error());
    pageSize = probe->pageSize;
    if (length > 0) {
        if (Result<PageMap> last = readPages(view, offset + length - 1, 1); !last)
            return reportError(last.error());
    }
    const std::uint64_t lastPage = length == 0 ? offset / pageSize : (offset + length + pageSize - 1) / pageSize;
    for (std::uint64_t page = offset / pageSize; page < lastPage;) {
        const std::uint64_t pages = std::min<std::uint64_t>(kPagesPerStep, lastPage - page);
        Result<PageMap> map = readPages(view, page * pageSize, pages * pageSize);
        if (!map)
            return reportError(map.error());
        softDirtyKnown = map->softDirtyKnown;
        for (std::size_t i = 0; i < map->pages.size(); ++i) {
            const PageInfo& info = map->pages[i];
            if (run.pages > 0 && run.info == info) {
                ++run.pages;
            } else {
                emitRun();
                run = Run { page + i, 1, info };
            }
            ++counts.states[static_cast<std::size_t>(info.state)];
            counts.softDirty += info.softDirty;
        }
        page += pages;
    }
    emitRun();
    if (json) {
        QJsonObject object = viewJson(view);
        object.insert(QStringLiteral("pageSize"), double(pageSize));
        object.insert(QStringLiteral("offset"), double(offset));
        object.insert(QStringLiteral("length"), double(length));
        object.insert(QStringLiteral("softDirtyTracked"), softDirtyKnown);
        object.insert(QStringLiteral("runs"), runs);
        object.insert(QStringLiteral("counts"), countsJson(counts, softDirtyKnown));
        views.append(object);
    } else {
        printLine(Cli::tr("summary: %1").arg(countsText(counts, softDirtyKnown)));
    }
    return 0;
}

std::optional<std::uint64_t> numberOption(const QCommandLineParser& parser, const QString& name, bool size,
                                          const QString& address, int& exitCode)
{
    QString error;
    const std::optional<std::uint64_t> value
        = size ? parseSize(parser.value(name), &error) : parseOffset(parser.value(name), &error);
    if (!value)
        exitCode = reportUsageError(Cli::tr("pages %1: %2").arg(address, error));
    return value;
}

int runPages(const QCommandLineParser& parser, const QStringList& positional)
{
    Result<Address> address = parseAddress(argumentBytes(positional.at(0)).toStdString());
    if (!address)
        return reportError(address.error());
    const QString shown = fromStd(toString(*address));
    int exitCode = 0;
    std::optional<int> pid;
    if (parser.isSet(QStringLiteral("pid"))) {
        bool ok = false;
        const int value = parser.value(QStringLiteral("pid")).toInt(&ok);
        if (!ok || value <= 0)
            return reportUsageError(Cli::tr("pages %1: --pid takes a process id, not '%2'")
                                        .arg(shown, parser.value(QStringLiteral("pid"))));
        pid = value;
    }
    std::uint64_t offset = 0;
    if (parser.isSet(QStringLiteral("offset"))) {
        const auto value = numberOption(parser, QStringLiteral("offset"), false, shown, exitCode);
        if (!value)
            return exitCode;
        offset = *value;
    }
    std::optional<std::uint64_t> length;
    if (parser.isSet(QStringLiteral("length"))) {
        length = numberOption(parser, QStringLiteral("length"), true, shown, exitCode);
        if (!length)
            return exitCode;
    }
    // A read-only view tells the object's device and inode (and is "this process's view").
    Result<std::unique_ptr<Mapping>> mapping = attachMapping(*address, Access::ReadOnly);
    if (!mapping)
        return reportError(mapping.error());
    std::vector<ProcessView> views;
    if (pid) {
        Result<std::vector<ProcessView>> found = processViews(**mapping, *pid);
        if (!found)
            return reportError(found.error());
        views = std::move(*found);
        if (*pid == ::getpid())
            std::erase_if(views, [](const ProcessView& view) { return !view.thisView; });
    } else {
        Result<ProcessView> own = ownView(**mapping);
        if (!own)
            return reportError(own.error());
        views.push_back(std::move(*own));
    }
    const bool json = parser.isSet(QStringLiteral("json"));
    QJsonArray out;
    for (const ProcessView& view : views) {
        const std::uint64_t mappedEnd = view.objectOffset + view.length();
        const std::uint64_t from = parser.isSet(QStringLiteral("offset")) ? offset : view.objectOffset;
        const std::uint64_t size = mappedEnd; // the whole VMA (object offsets), also where it outgrew our view
        const std::uint64_t bytes = length ? *length : (size > from ? size - from : 0);
        if (from < view.objectOffset || from > size || bytes > size - from) {
            return reportUsageError(Cli::tr("pages %1: offset %2 + length %3 is outside pid %4's view (bytes %5 to %6)")
                                        .arg(shown, hex(from), hex(bytes))
                                        .arg(view.pid)
                                        .arg(hex(view.objectOffset), hex(size)));
        }
        if (int code = showPages(view, from, bytes, json, out); code != 0)
            return code;
    }
    if (json) {
        const QJsonObject root { { QStringLiteral("address"), fromStd(toString((*mapping)->address())) },
                                 { QStringLiteral("views"), out } };
        const QByteArray text = QJsonDocument(root).toJson(QJsonDocument::Indented);
        writeStdout(text.constData(), std::size_t(text.size()));
    }
    return toInt(ExitCode::Ok);
}

QString bytesText(std::uint64_t bytes)
{
    return fromStd(formatBytes(bytes));
}

QJsonObject smapsJson(const SmapsCounters& s)
{
    return QJsonObject { { QStringLiteral("size"), double(s.size) },
                         { QStringLiteral("rss"), double(s.rss) },
                         { QStringLiteral("pss"), double(s.pss) },
                         { QStringLiteral("sharedClean"), double(s.sharedClean) },
                         { QStringLiteral("sharedDirty"), double(s.sharedDirty) },
                         { QStringLiteral("privateClean"), double(s.privateClean) },
                         { QStringLiteral("privateDirty"), double(s.privateDirty) },
                         { QStringLiteral("anonymous"), double(s.anonymous) },
                         { QStringLiteral("swap"), double(s.swap) } };
}

QJsonObject summaryJson(const PageSummary& s)
{
    return QJsonObject {
        { QStringLiteral("pages"), double(s.pages) },
        { QStringLiteral("present"), double(s.present) },
        { QStringLiteral("privateCopies"), double(s.privateCopies) },
        { QStringLiteral("swapped"), double(s.swapped) },
        { QStringLiteral("notPresent"), double(s.notPresent()) },
        { QStringLiteral("softDirty"), s.softDirtyKnown ? QJsonValue(double(s.softDirty)) : QJsonValue() },
        { QStringLiteral("method"), s.usedScan ? QStringLiteral("PAGEMAP_SCAN") : QStringLiteral("pagemap") }
    };
}

} // namespace

QCommandLineOption processesOption()
{
    return QCommandLineOption(QStringLiteral("processes"),
                              Cli::tr("Show the mapping card of every process that maps the object: its view "
                                      "(range, perms), backing, smaps counters and pages; for a file the page cache."));
}

int runInfoProcesses(const Address& address, bool json)
{
    Result<std::unique_ptr<Mapping>> mapping = attachMapping(address, Access::ReadOnly);
    if (!mapping)
        return reportError(mapping.error());
    const Mapping& object = **mapping;
    Result<ObjectViews> found = findObjectViews(object);
    if (!found)
        return reportError(found.error());
    std::erase_if(found->views, [](const ProcessView& view) { return view.thisView; });
    Result<ProcessView> own = ownView(object);
    const QString backing = own ? fromStd(backingOf(*own)) : QStringLiteral("?");
    const QString shown = fromStd(toString(object.address()));

    QJsonArray views;
    if (!json) {
        printLine(Cli::tr("%1: %2, %3, mapped by %n view(s)", nullptr, int(found->views.size()))
                      .arg(shown, backing, byteCountText(object.size())));
    }
    for (const ProcessView& view : found->views) {
        Result<SmapsCounters> smaps = readSmaps(view);
        Result<PageSummary> pages = summarisePages(view, view.objectOffset, view.length());
        if (json) {
            QJsonObject entry = viewJson(view);
            entry.insert(QStringLiteral("backing"), backing);
            if (smaps)
                entry.insert(QStringLiteral("smaps"), smapsJson(*smaps));
            else
                entry.insert(QStringLiteral("smapsError"), fromStd(smaps.error().message()));
            if (pages)
                entry.insert(QStringLiteral("pages"), summaryJson(*pages));
            else
                entry.insert(QStringLiteral("pagesError"), fromStd(pages.error().message()));
            views.append(entry);
            continue;
        }
        printLine(viewTitle(view) + QStringLiteral(" ") + backing);
        if (smaps) {
            printLine(Cli::tr("  Rss %1, Pss %2, Shared clean %3, Shared dirty %4, Private clean %5, Private dirty "
                              "%6, Anonymous %7, Swap %8")
                          .arg(bytesText(smaps->rss), bytesText(smaps->pss), bytesText(smaps->sharedClean),
                               bytesText(smaps->sharedDirty), bytesText(smaps->privateClean),
                               bytesText(smaps->privateDirty), bytesText(smaps->anonymous), bytesText(smaps->swap)));
        } else {
            printLine(Cli::tr("  smaps: %1").arg(fromStd(smaps.error().message())));
        }
        if (pages) {
            printLine(Cli::tr("  pages: %1 present, %2 private copies, %3 swapped, %4 not present")
                          .arg(pages->present)
                          .arg(pages->privateCopies)
                          .arg(pages->swapped)
                          .arg(pages->notPresent()));
        } else {
            printLine(Cli::tr("  pages: %1").arg(fromStd(pages.error().message())));
        }
    }
    QJsonArray uninspected;
    for (int pid : found->uninspectedPids)
        uninspected.append(pid);
    if (!json && !found->othersSearched)
        printLine(Cli::tr("other processes: not searched on this system (they may map it too)"));
    if (!json && found->uninspected > 0) {
        printLine(Cli::tr("not inspected: %n process(es) this user may not inspect could map it too", nullptr,
                          int(found->uninspected)));
    }

    // The page cache: a file's pages only (tmpfs and System V pages are memory, never written back).
    QJsonValue cache;
    QString cacheNote;
    if (object.address().kind == Kind::File) {
        Result<CacheState> state = cacheState(object);
        if (state) {
            cache = QJsonObject { { QStringLiteral("cached"), double(state->cached) },
                                  { QStringLiteral("dirty"), double(state->dirty) },
                                  { QStringLiteral("writeback"), double(state->writeback) },
                                  { QStringLiteral("evicted"), double(state->evicted) },
                                  { QStringLiteral("recentlyEvicted"), double(state->recentlyEvicted) } };
            if (!json) {
                printLine(Cli::tr("page cache: %1 pages cached, %2 dirty, %3 under writeback")
                              .arg(state->cached)
                              .arg(state->dirty)
                              .arg(state->writeback));
            }
        } else {
            cacheNote = fromStd(state.error().message());
            if (!json)
                printLine(Cli::tr("page cache: %1").arg(cacheNote));
        }
    }
    if (json) {
        QJsonObject root { { QStringLiteral("address"), shown },
                           { QStringLiteral("backing"), backing },
                           { QStringLiteral("size"), double(object.size()) },
                           { QStringLiteral("views"), views },
                           { QStringLiteral("uninspectedProcesses"), double(found->uninspected) },
                           { QStringLiteral("uninspectedPids"), uninspected },
                           { QStringLiteral("othersSearched"), found->othersSearched },
                           { QStringLiteral("pageCache"), cache } };
        if (!cacheNote.isEmpty())
            root.insert(QStringLiteral("pageCacheNote"), cacheNote);
        const QByteArray text = QJsonDocument(root).toJson(QJsonDocument::Indented);
        writeStdout(text.constData(), std::size_t(text.size()));
    }
    return toInt(ExitCode::Ok);
}

Command pagesCommand()
{
    return Command {
        QStringLiteral("pages"),
        Cli::tr("Show which pages of a view are present, shared, private copies or swapped"),
        QStringLiteral("pages ADDRESS [--pid PID] [--offset O --length L] [--json]"),
        Cli::tr("Prints the state of each page of a view of the object, as runs of pages in one state:\n"
                "  not present   not in the process's page table (never touched there)\n"
                "  shared        the object's own page, mapped by another view or process too\n"
                "  exclusive     the object's own page, mapped only by this view\n"
                "  private copy  a copy-on-write view's own copy of a page it wrote (no longer the object's)\n"
                "  swapped       a private copy written out to swap\n"
                "Without --pid: this command's own (read-only, fresh) view. With --pid: every view of the object\n"
                "in that process (found in /proc/PID/maps by device and inode), e.g. a program that mapped it\n"
                "MAP_PRIVATE and wrote page 3 shows page 3 as a private copy. Another user's process (without\n"
                "root) cannot be inspected: exit code 4. A process that does not map the object: exit code 3.\n"
                "Source: /proc/PID/pagemap (Documentation/admin-guide/mm/pagemap.rst)."),
        { QCommandLineOption(QStringLiteral("pid"), Cli::tr("Show process PID's view(s) of the object."),
                             QStringLiteral("PID")),
          QCommandLineOption({ QStringLiteral("o"), QStringLiteral("offset") },
                             Cli::tr("Start at byte OFFSET of the object (default: where the view starts)."),
                             QStringLiteral("OFFSET")),
          QCommandLineOption({ QStringLiteral("l"), QStringLiteral("length") },
                             Cli::tr("Number of bytes (default: to the end of the view); rounded out to pages."),
                             QStringLiteral("L")),
          QCommandLineOption(QStringLiteral("json"), Cli::tr("Print JSON with exact numbers instead of text.")) },
        { QStringLiteral("ADDRESS") },
        runPages
    };
}

} // namespace shmscope
