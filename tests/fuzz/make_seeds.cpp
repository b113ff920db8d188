// Writes the seed corpus of fuzz_noticecodec into the directory given as the only argument: one file
// per kind of valid frame, a stream of several frames, and a few near-valid ones, all made with the
// real encoder so that the seeds follow the protocol as it is.
//
//   fuzz_noticecodec_seeds DIRECTORY

#include "app/shared/noticecodec.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <cstdio>
#include <limits>

using namespace shmscope;

namespace {

bool writeFile(const QByteArray& path, const QByteArray& bytes)
{
    std::FILE* file = std::fopen(path.constData(), "wb");
    if (!file)
        return false;
    const bool ok = std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), file)
        == static_cast<size_t>(bytes.size());
    return std::fclose(file) == 0 && ok;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fputs("usage: fuzz_noticecodec_seeds DIRECTORY\n", stderr);
        return 2;
    }
    const QByteArray directory(argv[1]);

    Notice base;
    base.address = QStringLiteral("posix:/shmscope-demo");
    base.pid = 4242;
    base.instanceId = 0x0123456789abcdefULL;
    base.sequence = 7;

    QList<QPair<QByteArray, QByteArray>> seeds;
    QByteArray stream;
    const NoticeKind kinds[]
        = { NoticeKind::Hello, NoticeKind::Bye, NoticeKind::Changed, NoticeKind::Resized, NoticeKind::Removed };
    for (NoticeKind kind : kinds) {
        Notice notice = base;
        notice.kind = kind;
        if (kind == NoticeKind::Changed) {
            notice.offset = 4096;
            notice.length = 16;
        } else if (kind == NoticeKind::Resized) {
            notice.length = 65536;
        } else if (kind == NoticeKind::Hello) {
            notice.role = PeerRole::Cli;
        }
        const QByteArray frame = encodeFrame(notice);
        seeds.append({ QByteArray(noticeKindName(kind).data()), frame });
        stream += frame;
    }
    seeds.append({ "stream", stream });

    Notice extreme = base;
    extreme.kind = NoticeKind::Changed;
    extreme.offset = std::numeric_limits<quint64>::max() - 1;
    extreme.length = 1;
    extreme.pid = std::numeric_limits<qint32>::max();
    extreme.instanceId = std::numeric_limits<quint64>::max();
    extreme.sequence = std::numeric_limits<quint64>::max();
    extreme.address = QStringLiteral("file:/tmp/\u00e9t\u00e9/\u4e2d\u6587.bin");
    seeds.append({ "changed-extreme", encodeFrame(extreme) });

    Notice wrongVersion = base;
    wrongVersion.kind = NoticeKind::Bye;
    QByteArray payload = encodeNoticePayload(wrongVersion);
    payload.chop(1); // truncated
    seeds.append({ "bye-truncated", frameForPayload(payload) });
    seeds.append({ "header-only", frameForPayload({}) });

    for (const auto& [name, bytes] : seeds) {
        if (!writeFile(directory + '/' + name, bytes)) {
            std::fprintf(stderr, "fuzz_noticecodec_seeds: cannot write %s/%s\n", directory.constData(),
                         name.constData());
            return 1;
        }
    }
    std::printf("%lld seeds written to %s\n", static_cast<long long>(seeds.size()), directory.constData());
    return 0;
}
