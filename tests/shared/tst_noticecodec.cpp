// The wire codec of the notification bus: every kind survives a round trip, and every class of
// malformed input is rejected with a reason instead of being half-decoded.

#include "app/shared/noticecodec.h"

#include <QCborArray>
#include <QCborMap>
#include <QCborValue>
#include <QTest>
#include <QtEndian>
#include <limits>

using namespace shmscope;

Q_DECLARE_METATYPE(shmscope::Notice)

namespace {

Notice sample(NoticeKind kind)
{
    Notice notice;
    notice.kind = kind;
    notice.address = QStringLiteral("posix:/shmscope-test");
    notice.pid = 4242;
    notice.instanceId = 0xfedcba9876543210ULL; // above 2^63: must stay exact
    notice.sequence = 17;
    switch (kind) {
    case NoticeKind::Hello:
        notice.role = PeerRole::Cli;
        break;
    case NoticeKind::Changed:
        notice.offset = 0x10;
        notice.length = 4;
        break;
    case NoticeKind::Resized:
        notice.length = 65536;
        break;
    case NoticeKind::Bye:
    case NoticeKind::Removed:
        break;
    }
    return notice;
}

// A valid "changed" map, as a starting point for maps with one thing wrong.
QCborMap validMap()
{
    QCborMap map;
    map.insert(QStringLiteral("v"), 1);
    map.insert(QStringLiteral("k"), QStringLiteral("changed"));
    map.insert(QStringLiteral("a"), QStringLiteral("posix:/x"));
    map.insert(QStringLiteral("o"), 0);
    map.insert(QStringLiteral("n"), 8);
    map.insert(QStringLiteral("p"), 100);
    map.insert(QStringLiteral("i"), 7);
    map.insert(QStringLiteral("s"), 1);
    return map;
}

QByteArray withValue(const QString& key, const QCborValue& value)
{
    QCborMap map = validMap();
    map.insert(key, value);
    return map.toCborValue().toCbor();
}

QByteArray without(const QString& key)
{
    QCborMap map = validMap();
    map.remove(key);
    return map.toCborValue().toCbor();
}

} // namespace

class TestNoticeCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data()
    {
        QTest::addColumn<Notice>("notice");
        QTest::newRow("hello") << sample(NoticeKind::Hello);
        QTest::newRow("bye") << sample(NoticeKind::Bye);
        QTest::newRow("changed") << sample(NoticeKind::Changed);
        QTest::newRow("resized") << sample(NoticeKind::Resized);
        QTest::newRow("removed") << sample(NoticeKind::Removed);
        Notice extreme = sample(NoticeKind::Changed);
        extreme.offset = std::numeric_limits<quint64>::max() - 1;
        extreme.length = 1;
        extreme.pid = std::numeric_limits<qint32>::max();
        extreme.sequence = std::numeric_limits<quint64>::max();
        extreme.address = QStringLiteral("file:/tmp/\u00e9t\u00e9 \u6587\u4ef6.dat");
        QTest::newRow("changed, extreme values, non-ASCII path") << extreme;
        Notice gui = sample(NoticeKind::Hello);
        gui.role = PeerRole::Gui;
        QTest::newRow("hello from a gui") << gui;
    }

    void roundTrip()
    {
        QFETCH(Notice, notice);
        const QByteArray payload = encodeNoticePayload(notice);
        QVERIFY(payload.size() <= kMaxPayloadSize);
        QString why;
        const std::optional<Notice> decoded = decodeNotice(payload, &why);
        QVERIFY2(decoded, qPrintable(why));
        QCOMPARE(*decoded, notice);

        const QByteArray frame = encodeFrame(notice);
        QCOMPARE(frame.size(), payload.size() + kFrameHeaderSize);
        QCOMPARE(qFromBigEndian<quint32>(frame.constData()), static_cast<quint32>(payload.size()));
        const std::optional<Notice> fromFrame = decodeFrame(frame, &why);
        QVERIFY2(fromFrame, qPrintable(why));
        QCOMPARE(*fromFrame, notice);
    }

    void fieldsOfOtherKindsAreNotCarried()
    {
        Notice notice = sample(NoticeKind::Removed);
        notice.offset = 5;
        notice.length = 6;
        const std::optional<Notice> decoded = decodeNotice(encodeNoticePayload(notice));
        QVERIFY(decoded);
        QCOMPARE(decoded->offset, quint64(0));
        QCOMPARE(decoded->length, quint64(0));
    }

    void unknownKeysAreSkipped()
    {
        QCborMap map = validMap();
        map.insert(QStringLiteral("future"), QCborArray { 1, QStringLiteral("x"), QCborMap { { 2, 3 } } });
        QString why;
        const std::optional<Notice> decoded = decodeNotice(map.toCborValue().toCbor(), &why);
        QVERIFY2(decoded, qPrintable(why));
        QCOMPARE(decoded->length, quint64(8));
    }

    void malformedPayload_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("reason"); // a word the reason must contain

        const QByteArray valid = validMap().toCborValue().toCbor();
        QVERIFY(decodeNotice(valid)); // the base of the rows below is itself fine

        QTest::newRow("empty") << QByteArray() << QStringLiteral("empty");
        QTest::newRow("truncated by one byte") << valid.chopped(1) << QStringLiteral("truncated");
        QTest::newRow("truncated to half") << valid.left(valid.size() / 2) << QStringLiteral("truncated");
        QTest::newRow("trailing bytes") << valid + QByteArray("\x01", 1) << QStringLiteral("trailing");
        QTest::newRow("garbage text") << QByteArray("hello, world") << QStringLiteral("map");
        QTest::newRow("garbage bytes") << QByteArray::fromHex("ff00ff00deadbeef") << QStringLiteral("CBOR");
        QTest::newRow("reserved CBOR byte") << QByteArray::fromHex("a1617cff") << QStringLiteral("CBOR");
        QTest::newRow("an array, not a map") << QCborValue(QCborArray { 1, 2 }).toCbor() << QStringLiteral("map");
        QTest::newRow("deeply nested unknown value")
            << QByteArray::fromHex("a1617a") + QByteArray(64, '\x81') + QByteArray(1, '\x00') << QStringLiteral("nest");
        QTest::newRow("integer key") << QCborValue(QCborMap { { 1, 2 } }).toCbor() << QStringLiteral("key");
        QTest::newRow("duplicate key") << QByteArray::fromHex("a2617601617601") << QStringLiteral("duplicate");
        QTest::newRow("key without a value")
            << QByteArray::fromHex("a1617601").chopped(1) << QStringLiteral("truncated");
        QTest::newRow("indefinite map without its break")
            << QByteArray::fromHex("bf617601") << QStringLiteral("truncated");
        QTest::newRow("invalid UTF-8 in the address") << [valid] {
            QByteArray bytes = valid;
            bytes.replace(QByteArrayLiteral("posix:/x"), QByteArrayLiteral("posix:/\xff"));
            return bytes;
        }() << QStringLiteral("CBOR");
        QTest::newRow("text key in chunks, truncated")
            << QByteArray::fromHex("a17f6176") << QStringLiteral("truncated");

        QTest::newRow("wrong version") << withValue(QStringLiteral("v"), 2) << QStringLiteral("version");
        QTest::newRow("version 0") << withValue(QStringLiteral("v"), 0) << QStringLiteral("version");
        QTest::newRow("missing version") << without(QStringLiteral("v")) << QStringLiteral("'v'");
        QTest::newRow("unknown kind") << withValue(QStringLiteral("k"), QStringLiteral("exploded"))
                                      << QStringLiteral("kind");
        QTest::newRow("missing kind") << without(QStringLiteral("k")) << QStringLiteral("'k'");
        QTest::newRow("missing address") << without(QStringLiteral("a")) << QStringLiteral("'a'");
        QTest::newRow("empty address") << withValue(QStringLiteral("a"), QString()) << QStringLiteral("address");
        QTest::newRow("missing offset of changed") << without(QStringLiteral("o")) << QStringLiteral("'o'");
        QTest::newRow("missing length of changed") << without(QStringLiteral("n")) << QStringLiteral("'n'");
        QTest::newRow("missing pid") << without(QStringLiteral("p")) << QStringLiteral("'p'");
        QTest::newRow("missing instance") << without(QStringLiteral("i")) << QStringLiteral("'i'");
        QTest::newRow("missing sequence") << without(QStringLiteral("s")) << QStringLiteral("'s'");

        QTest::newRow("version as text") << withValue(QStringLiteral("v"), QStringLiteral("1"))
                                         << QStringLiteral("type");
        QTest::newRow("kind as integer") << withValue(QStringLiteral("k"), 2) << QStringLiteral("type");
        QTest::newRow("address as bytes")
            << withValue(QStringLiteral("a"), QByteArray("posix:/x")) << QStringLiteral("type");
        QTest::newRow("offset as double") << withValue(QStringLiteral("o"), 1.5) << QStringLiteral("type");
        QTest::newRow("length as bool") << withValue(QStringLiteral("n"), true) << QStringLiteral("type");
        QTest::newRow("pid as null") << withValue(QStringLiteral("p"), QCborValue(nullptr)) << QStringLiteral("type");
        QTest::newRow("offset as bignum (tagged)")
            << withValue(QStringLiteral("o"), QCborValue(QCborKnownTags::PositiveBignum, QByteArray(9, '\x01')))
            << QStringLiteral("type");
        QTest::newRow("sequence as array")
            << withValue(QStringLiteral("s"), QCborArray { 1 }) << QStringLiteral("type");

        QTest::newRow("negative offset") << withValue(QStringLiteral("o"), -1) << QStringLiteral("negative");
        QTest::newRow("negative length") << withValue(QStringLiteral("n"), -4096) << QStringLiteral("negative");
        QTest::newRow("negative pid") << withValue(QStringLiteral("p"), -1) << QStringLiteral("negative");
        QTest::newRow("negative version") << withValue(QStringLiteral("v"), -1) << QStringLiteral("negative");
        // -2^64, the most negative CBOR integer: QCborValue would silently make it 0.
        QTest::newRow("negative 2^64 offset")
            << QByteArray::fromHex("a1616f3bffffffffffffffff") << QStringLiteral("negative");
        QTest::newRow("pid zero") << withValue(QStringLiteral("p"), 0) << QStringLiteral("pid");
        QTest::newRow("pid above 2^31") << withValue(QStringLiteral("p"), qint64(1) << 31) << QStringLiteral("pid");
        QTest::newRow("range end overflows 2^64") << [] {
            // offset 2^64 - 1 and length 2: both fit, their sum does not
            QByteArray bytes = QByteArray::fromHex("a8");
            bytes += QCborValue(QStringLiteral("v")).toCbor() + QCborValue(1).toCbor();
            bytes += QCborValue(QStringLiteral("k")).toCbor() + QCborValue(QStringLiteral("changed")).toCbor();
            bytes += QCborValue(QStringLiteral("a")).toCbor() + QCborValue(QStringLiteral("posix:/x")).toCbor();
            bytes += QCborValue(QStringLiteral("o")).toCbor() + QByteArray::fromHex("1bffffffffffffffff");
            bytes += QCborValue(QStringLiteral("n")).toCbor() + QCborValue(2).toCbor();
            bytes += QCborValue(QStringLiteral("p")).toCbor() + QCborValue(100).toCbor();
            bytes += QCborValue(QStringLiteral("i")).toCbor() + QCborValue(7).toCbor();
            bytes += QCborValue(QStringLiteral("s")).toCbor() + QCborValue(1).toCbor();
            return bytes;
        }() << QStringLiteral("overflow");

        QCborMap hello = validMap();
        hello.insert(QStringLiteral("k"), QStringLiteral("hello"));
        QTest::newRow("hello without role") << hello.toCborValue().toCbor() << QStringLiteral("'r'");
        hello.insert(QStringLiteral("r"), QStringLiteral("robot"));
        QTest::newRow("hello with unknown role") << hello.toCborValue().toCbor() << QStringLiteral("role");
        hello.insert(QStringLiteral("r"), 1);
        QTest::newRow("hello with role as integer") << hello.toCborValue().toCbor() << QStringLiteral("type");
        QCborMap resized = validMap();
        resized.insert(QStringLiteral("k"), QStringLiteral("resized"));
        resized.remove(QStringLiteral("n"));
        QTest::newRow("resized without size") << resized.toCborValue().toCbor() << QStringLiteral("'n'");

        QTest::newRow("oversized payload") << QByteArray(kMaxPayloadSize + 1, '\xa0') << QStringLiteral("oversized");
    }

    void malformedPayload()
    {
        QFETCH(QByteArray, payload);
        QFETCH(QString, reason);
        QString why;
        const std::optional<Notice> decoded = decodeNotice(payload, &why);
        QVERIFY2(!decoded, qPrintable(QStringLiteral("accepted: ") + QString::fromLatin1(payload.toHex())));
        QVERIFY2(why.contains(reason, Qt::CaseInsensitive),
                 qPrintable(QStringLiteral("reason '%1' does not mention '%2'").arg(why, reason)));
        // The same bytes in a frame are rejected by decodeFrame too (oversized ones for their header).
        QVERIFY(!decodeFrame(frameForPayload(payload)));
    }

    void malformedFrame_data()
    {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<QString>("reason");
        const QByteArray valid = encodeFrame(sample(NoticeKind::Changed));
        QTest::newRow("empty") << QByteArray() << QStringLiteral("truncated");
        QTest::newRow("half a header") << valid.left(2) << QStringLiteral("truncated");
        QTest::newRow("header only") << valid.left(kFrameHeaderSize) << QStringLiteral("truncated");
        QTest::newRow("payload cut short") << valid.chopped(3) << QStringLiteral("truncated");
        QTest::newRow("trailing bytes") << valid + "x" << QStringLiteral("trailing");
        QByteArray oversized(kFrameHeaderSize, Qt::Uninitialized);
        qToBigEndian<quint32>(kMaxPayloadSize + 1, oversized.data());
        QTest::newRow("oversized length")
            << oversized + QByteArray(kMaxPayloadSize + 1, '\0') << QStringLiteral("oversized");
        qToBigEndian<quint32>(0xffffffffu, oversized.data());
        QTest::newRow("length 2^32 - 1") << oversized << QStringLiteral("oversized");
        QTest::newRow("zero length") << QByteArray(kFrameHeaderSize, '\0') << QStringLiteral("empty");
    }

    void malformedFrame()
    {
        QFETCH(QByteArray, frame);
        QFETCH(QString, reason);
        QString why;
        QVERIFY(!decodeFrame(frame, &why));
        QVERIFY2(why.contains(reason, Qt::CaseInsensitive),
                 qPrintable(QStringLiteral("reason '%1' does not mention '%2'").arg(why, reason)));
    }

    void readerSplitsAStreamInAnyPieces()
    {
        const QList<Notice> notices = { sample(NoticeKind::Hello), sample(NoticeKind::Changed),
                                        sample(NoticeKind::Resized), sample(NoticeKind::Bye) };
        QByteArray stream;
        for (const Notice& notice : notices)
            stream += encodeFrame(notice);
        stream += frameForPayload(QByteArray("garbage")); // a bad payload keeps the framing intact

        for (int piece : { 1, 3, 7, 64, 4096 }) {
            FrameReader reader;
            QList<QByteArray> payloads;
            for (qsizetype at = 0; at < stream.size(); at += piece) {
                reader.append(QByteArrayView(stream).sliced(at, qMin<qsizetype>(piece, stream.size() - at)));
                QByteArray payload;
                FrameReader::Status status;
                while ((status = reader.next(&payload)) == FrameReader::Status::Frame)
                    payloads.append(payload);
                QCOMPARE(status, FrameReader::Status::NeedMore);
            }
            QCOMPARE(payloads.size(), notices.size() + 1);
            for (qsizetype i = 0; i < notices.size(); ++i) {
                const std::optional<Notice> decoded = decodeNotice(payloads.at(i));
                QVERIFY(decoded);
                QCOMPARE(*decoded, notices.at(i));
            }
            QVERIFY(!decodeNotice(payloads.last()));
            QCOMPARE(reader.bufferedBytes(), qsizetype(0));
        }
    }

    void readerStopsAtAnOversizedLength()
    {
        FrameReader reader;
        QByteArray header(kFrameHeaderSize, Qt::Uninitialized);
        qToBigEndian<quint32>(kMaxPayloadSize + 1, header.data());
        reader.append(encodeFrame(sample(NoticeKind::Changed)));
        reader.append(header);
        QByteArray payload;
        QCOMPARE(reader.next(&payload), FrameReader::Status::Frame);
        QString why;
        QCOMPARE(reader.next(&payload, &why), FrameReader::Status::Oversized);
        QVERIFY(why.contains(QStringLiteral("oversized")));
        QCOMPARE(reader.next(&payload), FrameReader::Status::Oversized); // stays unusable
    }

    void garbageNeverCrashes()
    {
        // Not a fuzzer (issue 4 adds one), but a cheap sweep: every prefix and every single-byte
        // corruption of a valid payload decodes or is rejected, without crashing or asserting.
        const QByteArray valid = encodeNoticePayload(sample(NoticeKind::Hello));
        int accepted = 0;
        for (qsizetype length = 0; length <= valid.size(); ++length)
            accepted += decodeNotice(valid.left(length)) ? 1 : 0;
        QCOMPARE(accepted, 1); // only the whole payload
        for (qsizetype at = 0; at < valid.size(); ++at) {
            for (int value : { 0x00, 0x1b, 0x3b, 0x5f, 0x7f, 0x9f, 0xbf, 0xc2, 0xf9, 0xff }) {
                QByteArray corrupted = valid;
                corrupted[at] = static_cast<char>(value);
                QString why;
                if (!decodeNotice(corrupted, &why))
                    QVERIFY(!why.isEmpty());
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestNoticeCodec)
#include "tst_noticecodec.moc"
