#pragma once

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QString>
#include <atomic>
#include <memory>
#include <optional>

class QThread;

namespace shmscope {

class ByteSource;

/// Searches a ByteSource for a byte pattern in a worker thread (a QThread), without blocking the UI
/// and without copying the source: the worker reads the source's data through ByteSource::read()
/// (fault-safe: a range that vanished makes the search fail, it does not crash) and its holes as zeros
/// without touching them (ByteSource::dataExtents() and the core's readSparse(): a search over a
/// sparse tmpfs object allocates nothing in it), in chunks of kChunkSize bytes, each
/// overlapping the previous one by (pattern length - 1) bytes so that a match across a chunk boundary
/// is found. Memory use is bounded by one chunk plus the pattern, whatever the source's size.
///
/// Thread safety: the ByteSource's read() and errorString() are called from the worker thread while
/// the owning thread keeps using the source (MappingByteSource: the core Mapping's read() is
/// thread-safe; MemoryByteSource guards its storage with a mutex). A source destroyed while searched
/// cancels the search at ByteSource::aboutToBeDestroyed(), while it is still whole (the worker is
/// joined there; canceled() follows); a source that does not emit it must outlive the search.
///
/// Results arrive as signals in the thread that owns the ByteSearch, after start() returned; exactly
/// one of found(), notFound(), failed() or canceled() follows each start() (a start() while a search
/// runs cancels the old one silently: only the new search reports).
class ByteSearch : public QObject
{
    Q_OBJECT
public:
    /// Which way to search from the start offset.
    enum class Direction {
        Forward, ///< the first match starting at or after `from`
        Backward, ///< the last match starting before `from`
    };
    Q_ENUM(Direction)

    /// How the text typed into a find bar becomes the bytes searched for.
    enum class Encoding {
        Hex, ///< hex digits, parsed like HexView::parseHex() ("de ad", "dead", "0xde,0xad")
        Utf8, ///< the text's UTF-8 bytes
        Utf16Le, ///< the text's UTF-16 code units, little-endian (two bytes each, no BOM)
    };
    Q_ENUM(Encoding)

    /// Bytes read per chunk (1 MiB), plus (pattern length - 1) bytes of overlap.
    static constexpr qsizetype kChunkSize = qsizetype(1) << 20;
    /// The longest pattern accepted, in bytes (64 KiB).
    static constexpr qsizetype kMaxPatternSize = qsizetype(64) << 10;

    /// An idle search; `parent` owns it.
    explicit ByteSearch(QObject* parent = nullptr);
    /// Cancels a running search and waits for its worker to end.
    ~ByteSearch() override;

    /// The bytes to search for when the user typed `text` in `encoding`, or nullopt and a one-line,
    /// translated `error` (when not null) for empty text, text that is not hex (Hex), or a pattern longer
    /// than kMaxPatternSize.
    static std::optional<QByteArray> patternFor(const QString& text, Encoding encoding, QString* error = nullptr);

    /// Finds the first match at or after `from` (Forward) or the last match starting before `from`
    /// (Backward) of `pattern` in `source` (not owned; see the class comment on lifetime). With `wrap`,
    /// a search that reaches the end (Forward) or the start (Backward) goes on from the other end up to
    /// `from`, and found() says it wrapped. The source's size is taken now; bytes beyond it are not
    /// searched. Returns false (and starts nothing, emits nothing) when `source` is null or `pattern`
    /// is empty or longer than kMaxPatternSize; a running search is cancelled first.
    bool start(ByteSource* source, const QByteArray& pattern, quint64 from, Direction direction, bool wrap = false);
    /// Stops a running search and waits (at most one chunk's read) for the worker to end; emits
    /// canceled() when a search was running. Does nothing when idle.
    void cancel();
    /// True from start() until the result signal is emitted.
    bool isRunning() const { return m_running; }
    /// The pattern of the last start().
    QByteArray pattern() const { return m_pattern; }

Q_SIGNALS:
    /// The search progressed: `done` of `total` bytes were scanned (emitted at most about 100 times per
    /// search, in the owning thread).
    void progressed(quint64 done, quint64 total);
    /// A match: the pattern's bytes start at `offset` and span `length` bytes; `wrapped` when it was
    /// found after the search wrapped around the end (or start).
    void found(quint64 offset, quint64 length, bool wrapped);
    /// The whole range searched holds no match.
    void notFound();
    /// A read failed (the object shrank or vanished); `message` is one translated line naming the offset
    /// and the cause. Nothing was found.
    void failed(const QString& message);
    /// cancel() stopped the search.
    void canceled();

private:
    struct Job;
    void finishJob();
    void stopWorker();

    std::unique_ptr<QThread> m_thread;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    QMetaObject::Connection m_sourceGoing; // the searched source's aboutToBeDestroyed() to cancel()
    QByteArray m_pattern;
    int m_generation = 0; // results of older searches (queued before a cancel) are dropped
    bool m_running = false;
};

} // namespace shmscope
