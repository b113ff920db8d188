// libFuzzer target for the notification codec (app/shared/noticecodec.h). Built by tools/fuzz.
//
// The input is a byte stream as a socket would deliver it (4-byte big-endian length + payload, any
// number of times, or garbage). Each run checks, besides "no crash, no leak, no sanitizer report":
//  - FrameReader yields the same payloads whether the stream arrives whole or in 3-byte pieces;
//  - every payload decodeNotice() accepts re-encodes to a payload that decodes to the same notice;
//  - decodeFrame() agrees with FrameReader + decodeNotice() on a buffer holding exactly one frame;
//  - decodeNotice() on the raw input (as if it were a payload) terminates and, when it rejects,
//    gives a reason.
// A violated property calls __builtin_trap(), which libFuzzer reports as a crash with the input.

#include "app/shared/noticecodec.h"

#include <QList>
#include <cstddef>
#include <cstdint>

using namespace shmscope;

namespace {

void require(bool condition)
{
    if (!condition)
        __builtin_trap();
}

// Splits `stream` into payloads, appending it in pieces of `piece` bytes (0: all at once).
QList<QByteArray> split(QByteArrayView stream, qsizetype piece, bool* oversized)
{
    FrameReader reader;
    QList<QByteArray> payloads;
    *oversized = false;
    qsizetype position = 0;
    while (position < stream.size() && !*oversized) {
        const qsizetype count = piece > 0 ? qMin(piece, stream.size() - position) : stream.size();
        reader.append(stream.sliced(position, count));
        position += count;
        QByteArray payload;
        for (;;) {
            QString why;
            const FrameReader::Status status = reader.next(&payload, &why);
            if (status == FrameReader::Status::Frame) {
                require(payload.size() <= kMaxPayloadSize);
                payloads.append(payload);
                continue;
            }
            if (status == FrameReader::Status::Oversized) {
                require(!why.isEmpty());
                *oversized = true;
            }
            break;
        }
    }
    return payloads;
}

void checkPayload(const QByteArray& payload)
{
    QString why;
    const std::optional<Notice> notice = decodeNotice(payload, &why);
    if (!notice) {
        require(!why.isEmpty());
        return;
    }
    // Canonical re-encoding: decodes to the same notice (when it still fits in a frame; an address
    // whose invalid UTF-8 was replaced may grow).
    const QByteArray again = encodeNoticePayload(*notice);
    if (again.size() <= kMaxPayloadSize) {
        const std::optional<Notice> second = decodeNotice(again);
        require(second.has_value() && *second == *notice);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArrayView stream(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));

    bool oversizedWhole = false;
    bool oversizedPieces = false;
    const QList<QByteArray> whole = split(stream, 0, &oversizedWhole);
    const QList<QByteArray> pieces = split(stream, 3, &oversizedPieces);
    require(whole == pieces && oversizedWhole == oversizedPieces);
    for (const QByteArray& payload : whole)
        checkPayload(payload);

    // One exact frame: decodeFrame() must agree with the stream path.
    if (whole.size() == 1 && !oversizedWhole && kFrameHeaderSize + whole.first().size() == stream.size()) {
        QString why;
        const std::optional<Notice> viaFrame = decodeFrame(stream, &why);
        const std::optional<Notice> viaPayload = decodeNotice(whole.first());
        require(viaFrame == viaPayload);
    } else {
        QString why;
        const std::optional<Notice> rejected = decodeFrame(stream, &why);
        require(!rejected && !why.isEmpty());
    }

    // The input as a bare payload.
    checkPayload(QByteArray(stream.data(), stream.size()));
    return 0;
}
