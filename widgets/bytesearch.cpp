#include "widgets/bytesearch.h"

#include "core/scansource.h"
#include "widgets/bytesource.h"
#include "widgets/bytesourcescan.h"
#include "widgets/hexview.h"

#include <QThread>
#include <QtEndian>
#include <algorithm>
#include <functional>
#include <iterator>
#include <vector>

namespace shmscope {

namespace {

enum class Outcome { Found, NotFound, Failed, Canceled };

struct SearchResult {
    Outcome outcome = Outcome::NotFound;
    quint64 offset = 0;
    bool wrapped = false;
    QString message;
};

// One contiguous range of candidate match starts, [first, last), searched in one direction.
struct StartRange {
    quint64 first = 0;
    quint64 last = 0;
    bool wrapped = false;
};

} // namespace

// Everything the worker needs, copied at start() so the worker never touches the ByteSearch's members.
struct ByteSearch::Job {
    ByteSource* source = nullptr;
    // A deep copy: the worker shares no implicitly shared Qt data with the owning thread.
    std::vector<char> pattern;
    std::vector<StartRange> ranges;
    bool forward = true;
    std::shared_ptr<std::atomic<bool>> cancel;
    std::function<void(quint64 done, quint64 total)> progress;

    SearchResult run() const
    {
        const auto len = quint64(pattern.size());
        quint64 total = 0;
        for (const StartRange& r : ranges)
            total += r.last - r.first;
        quint64 done = 0;
        int lastPercent = -1;
        // One buffer for the whole search: a chunk plus the overlap a match across its end needs.
        std::vector<char> buffer(std::size_t(kChunkSize) + std::size_t(len) - 1);
        const ByteSourceScan scan(*source);
        const std::boyer_moore_horspool_searcher forwardSearcher(pattern.cbegin(), pattern.cend());
        const auto rbegin = std::make_reverse_iterator(pattern.cend());
        const auto rend = std::make_reverse_iterator(pattern.cbegin());
        const std::boyer_moore_horspool_searcher backwardSearcher(rbegin, rend);

        for (const StartRange& range : ranges) {
            quint64 lo = range.first;
            quint64 hi = range.last;
            while (lo < hi) {
                if (cancel->load(std::memory_order_relaxed))
                    return { Outcome::Canceled, 0, false, {} };
                const quint64 starts = std::min<quint64>(quint64(kChunkSize), hi - lo);
                // Forward takes the chunk at the low end of what is left, backward at the high end.
                const quint64 chunkStart = forward ? lo : hi - starts;
                const quint64 readLength = starts + len - 1;
                char* data = buffer.data();
                // Holes are read as zeros without touching them: a search over a sparse tmpfs object
                // must not make the kernel allocate its holes.
                if (!readSparse(scan, chunkStart, data, std::size_t(readLength))) {
                    return { Outcome::Failed, 0, false,
                             ByteSearch::tr("find: cannot read %1 bytes at offset 0x%2: %3")
                                 .arg(readLength)
                                 .arg(chunkStart, 0, 16)
                                 .arg(source->errorString()) };
                }
                const char* const begin = data;
                const char* end = data + readLength;
                if (forward) {
                    const char* hit = std::search(begin, end, forwardSearcher);
                    if (hit != end)
                        return { Outcome::Found, chunkStart + quint64(hit - begin), range.wrapped, {} };
                    lo += starts;
                } else {
                    // The last match is the first match of the reversed pattern in the reversed chunk.
                    const auto rFirst = std::make_reverse_iterator(end);
                    const auto rLast = std::make_reverse_iterator(begin);
                    const auto hit = std::search(rFirst, rLast, backwardSearcher);
                    if (hit != rLast) {
                        const quint64 fromEnd = quint64(hit - rFirst); // bytes after the match's last byte
                        return { Outcome::Found, chunkStart + readLength - fromEnd - len, range.wrapped, {} };
                    }
                    hi -= starts;
                }
                done += starts;
                const int percent = int(done * 100 / total);
                if (percent != lastPercent) {
                    lastPercent = percent;
                    progress(done, total);
                }
            }
        }
        return {};
    }
};

ByteSearch::ByteSearch(QObject* parent)
    : QObject(parent)
{ }

ByteSearch::~ByteSearch()
{
    stopWorker();
}

std::optional<QByteArray> ByteSearch::patternFor(const QString& text, Encoding encoding, QString* error)
{
    auto fail = [error](const QString& message) -> std::optional<QByteArray> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (text.isEmpty())
        return fail(tr("find: nothing to search for"));
    QByteArray bytes;
    switch (encoding) {
    case Encoding::Hex: {
        const auto parsed = HexView::parseHex(text);
        if (!parsed)
            return fail(
                tr("find: '%1' is not hex bytes (expected pairs of hex digits such as 'de ad be ef')").arg(text));
        bytes = *parsed;
        break;
    }
    case Encoding::Utf8:
        bytes = text.toUtf8();
        break;
    case Encoding::Utf16Le:
        bytes.resize(text.size() * 2);
        for (qsizetype i = 0; i < text.size(); ++i)
            qToLittleEndian<quint16>(text.at(i).unicode(), bytes.data() + 2 * i);
        break;
    }
    if (bytes.size() > kMaxPatternSize)
        return fail(tr("find: the pattern is %1 bytes long; at most %2 bytes are supported")
                        .arg(bytes.size())
                        .arg(kMaxPatternSize));
    return bytes;
}

bool ByteSearch::start(ByteSource* source, const QByteArray& pattern, quint64 from, Direction direction, bool wrap)
{
    if (!source || pattern.isEmpty() || pattern.size() > kMaxPatternSize)
        return false;
    stopWorker();
    m_running = false;
    ++m_generation;

    const quint64 size = source->size();
    const auto len = quint64(pattern.size());
    // A match can start at most at size - len; starts are searched in [0, startEnd).
    const quint64 startEnd = size >= len ? size - len + 1 : 0;
    const quint64 pivot = std::min(from, startEnd);

    auto job = std::make_shared<Job>();
    job->source = source;
    job->pattern.assign(pattern.cbegin(), pattern.cend());
    job->forward = direction == Direction::Forward;
    if (job->forward) {
        job->ranges.push_back({ pivot, startEnd, false });
        if (wrap)
            job->ranges.push_back({ 0, pivot, true });
    } else {
        job->ranges.push_back({ 0, pivot, false });
        if (wrap)
            job->ranges.push_back({ pivot, startEnd, true });
    }
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    job->cancel = m_cancel;
    const int generation = m_generation;
    // Progress and the result are posted to this object's thread; the destructor waits for the worker
    // before `this` goes away, and a generation number drops what a cancelled search had queued.
    job->progress = [this, generation](quint64 done, quint64 total) {
        QMetaObject::invokeMethod(
            this,
            [this, generation, done, total] {
                if (generation == m_generation && m_running)
                    Q_EMIT progressed(done, total);
            },
            Qt::QueuedConnection);
    };
    m_pattern = pattern;
    m_running = true;
    // One QThread per search (QThread::create) rather than QtConcurrent: the project links no
    // Qt6::Concurrent, and a search is one long task that must be cancellable and joined on demand.
    m_thread.reset(QThread::create([this, job, generation, len] {
        const SearchResult result = job->run();
        QMetaObject::invokeMethod(
            this,
            [this, generation, result, len] {
                if (generation != m_generation || !m_running)
                    return;
                finishJob();
                switch (result.outcome) {
                case Outcome::Found:
                    Q_EMIT found(result.offset, len, result.wrapped);
                    break;
                case Outcome::NotFound:
                    Q_EMIT notFound();
                    break;
                case Outcome::Failed:
                    Q_EMIT failed(result.message);
                    break;
                case Outcome::Canceled:
                    Q_EMIT canceled();
                    break;
                }
            },
            Qt::QueuedConnection);
    }));
    m_thread->setObjectName(QStringLiteral("ByteSearch"));
    m_thread->start();
    // While the source is still whole: the worker may be inside one of its reads.
    m_sourceGoing = connect(source, &ByteSource::aboutToBeDestroyed, this, &ByteSearch::cancel);
    return true;
}

void ByteSearch::cancel()
{
    if (!m_running)
        return;
    stopWorker();
    m_running = false;
    ++m_generation;
    Q_EMIT canceled();
}

void ByteSearch::finishJob()
{
    m_running = false;
    disconnect(m_sourceGoing);
    // The worker posted its result as its last act; joining it now takes no time.
    if (m_thread)
        m_thread->wait();
    m_thread.reset();
}

void ByteSearch::stopWorker()
{
    disconnect(m_sourceGoing);
    if (m_cancel)
        m_cancel->store(true);
    if (m_thread) {
        m_thread->wait();
        m_thread.reset();
    }
}

} // namespace shmscope
