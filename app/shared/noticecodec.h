#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QLatin1String>
#include <QString>
#include <QStringView>
#include <QtGlobal>
#include <optional>

namespace shmscope {

// The wire format of the notifications between ShmScope instances (docs/notifications.md):
// a frame is a 4-byte big-endian payload length followed by that many bytes of payload, one CBOR
// map (RFC 8949) with short text keys. Everything here is pure: no I/O, no logging, no globals, so
// the decoder can be unit-tested and fuzzed on arbitrary bytes.

/// The protocol version written in every notice ("v"). A receiver drops notices of any other version.
inline constexpr quint64 kNoticeVersion = 1;
/// Size of the frame header: the payload length as an unsigned 32-bit big-endian number; bytes.
inline constexpr qsizetype kFrameHeaderSize = 4;
/// Largest payload a receiver accepts; bytes. A longer announced length is a protocol violation
/// (the connection cannot be resynchronised and is closed).
inline constexpr qsizetype kMaxPayloadSize = 4096;

/// What a notice says. The names on the wire are given by noticeKindName().
enum class NoticeKind {
    Hello, ///< "hello": first frame on every connection; says who the sender is (pid, instance, role)
    Bye, ///< "bye": the sender is leaving; its connections close next
    Changed, ///< "changed": bytes [offset, offset + length) of the object were written
    Resized, ///< "resized": the object now has `length` bytes
    Removed, ///< "removed": the object's name was removed (shm_unlink, IPC_RMID, file deleted)
};

/// The kind of program that sent a hello.
enum class PeerRole {
    Gui, ///< "gui": the shmscope desktop inspector
    Cli, ///< "cli": shmscope-cli (watch listens; write only sends)
};

/// One decoded notification. Which fields a kind carries (others are 0 / Gui):
///   hello: role; changed: offset, length; resized: length (the new size); bye, removed: nothing more.
/// Every kind carries address, pid, instanceId and sequence.
struct Notice {
    NoticeKind kind = NoticeKind::Changed;
    QString address; ///< "a": the canonical address of the object, e.g. "posix:/demo"
    quint64 offset = 0; ///< "o": first changed byte (changed); bytes from the start of the object
    quint64 length = 0; ///< "n": number of changed bytes (changed) or the new size (resized); bytes
    qint64 pid = 0; ///< "p": the sender's process id, 1 … 2^31 - 1
    quint64 instanceId = 0; ///< "i": the sender's random 64-bit instance id (one per bus)
    /// "s": per-sender sequence number. Each changed/resized/removed notice increments the sender's
    /// counter and carries the new value; hello and bye carry the current value without incrementing.
    quint64 sequence = 0;
    PeerRole role = PeerRole::Gui; ///< "r": the sender's role (hello only)

    friend bool operator==(const Notice&, const Notice&) = default;
};

/// The wire name of a kind: "hello", "bye", "changed", "resized", "removed".
QLatin1String noticeKindName(NoticeKind kind);
/// The wire name of a role: "gui" or "cli".
QLatin1String peerRoleName(PeerRole role);

/// Encodes a notice as a CBOR map (the payload of a frame, without the length header), writing
/// only the keys its kind carries. The result is at most kMaxPayloadSize bytes as long as the
/// address is shorter than about 4000 bytes of UTF-8 (canonical addresses are at most a path long).
QByteArray encodeNoticePayload(const Notice& notice);

/// Encodes a complete frame: the 4-byte big-endian length of the payload, then the payload.
QByteArray encodeFrame(const Notice& notice);

/// Wraps an arbitrary payload in a frame header (for tests and tools that need malformed payloads).
QByteArray frameForPayload(QByteArrayView payload);

/// Decodes one payload (without the header). Returns std::nullopt and, when `why` is not null, a
/// one-line English reason when the payload is empty, not a single well-formed CBOR map (garbage,
/// truncated, trailing bytes, nesting deeper than 8), has a non-text key or a duplicated key, lacks
/// a field its kind needs, has a field of the wrong CBOR type (e.g. a text or a tagged value where
/// an unsigned integer belongs), a negative number, a version other than kNoticeVersion, an unknown
/// kind or role, a pid outside 1 … 2^31 - 1, or a changed range whose end overflows 2^64. Keys this
/// version does not know are skipped (a later version may add fields without breaking this one).
/// Never throws, never reads outside `payload`.
std::optional<Notice> decodeNotice(QByteArrayView payload, QString* why = nullptr);

/// Decodes exactly one complete frame (header + payload, nothing after it), as decodeNotice() does,
/// and additionally rejects a buffer shorter than its header says (truncated), longer than it
/// (trailing bytes), or an announced length above kMaxPayloadSize (oversized).
std::optional<Notice> decodeFrame(QByteArrayView frame, QString* why = nullptr);

/// Splits a byte stream (what a socket delivers, in arbitrary pieces) into frame payloads.
/// Usage: append() what arrived, then call next() until it returns NeedMore (or Oversized).
class FrameReader
{
public:
    enum class Status {
        NeedMore, ///< no complete frame buffered yet
        Frame, ///< a complete payload was taken out of the buffer (it may still be malformed CBOR)
        Oversized, ///< the next frame announces more than kMaxPayloadSize bytes: the stream is unusable
    };

    /// Appends received bytes to the internal buffer (copied).
    void append(QByteArrayView bytes);
    /// Takes the next complete payload out of the buffer into `payload`. On Oversized, `why` (when
    /// not null) names the announced length and the buffer is left as it was; the caller should
    /// close the connection.
    Status next(QByteArray* payload, QString* why = nullptr);
    /// Bytes buffered and not yet returned as a frame; at most kFrameHeaderSize + kMaxPayloadSize
    /// plus whatever the last append() added.
    qsizetype bufferedBytes() const { return m_buffer.size() - m_consumed; }

private:
    QByteArray m_buffer;
    qsizetype m_consumed = 0; ///< bytes at the front of m_buffer already returned by next()
};

} // namespace shmscope
