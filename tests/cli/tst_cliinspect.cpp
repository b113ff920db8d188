// shmscope-cli's inspector commands of issue 12 (snapshot, diff, scan, read/write formats), run as
// separate processes against real POSIX shared memory, with a Python process
// (multiprocessing.shared_memory) as the peer that writes the object.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

constexpr int kProcessTimeoutMs = 60000;

struct CliRun {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// The Python peer (tests/helpers/shmpeer.py): commands on stdin, "ok" on stdout; see the script.

} // namespace

class TestCliInspect : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanup();
    void snapshotAndDiffWithPythonWriter();
    void diffObjectsSnapshotsAndErrors();
    void snapshotOfSparseObjectIsSparse();
    void scanFindsPythonCounter();
    void scanUsageErrors();
    void exportImportRoundTrips_data();
    void exportImportRoundTrips();
    void intelHexAndSRecordAgreeWithSrecCat();

private:
    CliRun cli(const QStringList& arguments, const QByteArray& input = {});
    QString newPosixAddress(qint64 size);
    void startPeer(const QString& address);
    void peer(const QByteArray& command);
    QByteArray peerAnswer(const QByteArray& command);

    QString m_cli = QStringLiteral(SHMSCOPE_CLI_PATH);
    QTemporaryDir m_dir;
    QStringList m_names;
    QProcess* m_peer = nullptr;
    int m_counter = 0;
};

void TestCliInspect::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(QFile::exists(m_cli));
}

void TestCliInspect::cleanup()
{
    if (m_peer) {
        m_peer->write("quit\n");
        m_peer->closeWriteChannel();
        if (!m_peer->waitForFinished(5000))
            m_peer->kill();
        delete m_peer;
        m_peer = nullptr;
    }
    for (const QString& name : std::as_const(m_names))
        ::shm_unlink(QByteArray("/" + name.toUtf8()).constData());
    m_names.clear();
}

CliRun TestCliInspect::cli(const QStringList& arguments, const QByteArray& input)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
    env.remove(QStringLiteral("LANGUAGE"));
    process.setProcessEnvironment(env);
    process.setWorkingDirectory(m_dir.path());
    process.start(m_cli, arguments);
    CliRun run;
    if (!process.waitForStarted(kProcessTimeoutMs))
        return run;
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(kProcessTimeoutMs)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

// A new object of `size` bytes made by the CLI, removed in cleanup().
QString TestCliInspect::newPosixAddress(qint64 size)
{
    const QString name = QStringLiteral("shmscope-test-%1-%2-inspect").arg(::getpid()).arg(++m_counter);
    m_names << name;
    const QString address = QStringLiteral("posix:/") + name;
    const CliRun created = cli({ QStringLiteral("create"), address, QStringLiteral("--size"), QString::number(size) });
    if (created.exitCode != 0)
        qWarning() << "create failed" << created.err;
    return address;
}

void TestCliInspect::startPeer(const QString& address)
{
    m_peer = new QProcess;
    m_peer->start(QStringLiteral("python3"),
                  { QStringLiteral(SHMSCOPE_SHMPEER), address.mid(address.indexOf(QLatin1Char('/')) + 1) });
    QVERIFY2(m_peer->waitForStarted(kProcessTimeoutMs), "python3 did not start");
}

// Sends one command to the Python peer and returns its answer line ("ok ..."), empty on failure.
QByteArray TestCliInspect::peerAnswer(const QByteArray& command)
{
    if (!m_peer)
        return {};
    m_peer->write(command + '\n');
    QByteArray answer;
    while (!answer.endsWith('\n')) {
        if (!m_peer->waitForReadyRead(kProcessTimeoutMs)) {
            qWarning() << "python peer:" << m_peer->readAllStandardError();
            return {};
        }
        answer += m_peer->readAllStandardOutput();
    }
    return answer.trimmed();
}

// Sends one command to the Python peer and waits for its "ok".
void TestCliInspect::peer(const QByteArray& command)
{
    QCOMPARE(peerAnswer(command), QByteArray("ok"));
}

void TestCliInspect::snapshotAndDiffWithPythonWriter()
{
    const QString address = newPosixAddress(1 << 20);
    startPeer(address);
    peer("write 4096 00112233445566778899");
    const QString snap = m_dir.filePath(QStringLiteral("first.shmsnap"));
    CliRun run = cli({ QStringLiteral("snapshot"), address, QStringLiteral("-o"), snap, QStringLiteral("--json") });
    QCOMPARE(run.exitCode, 0);
    const QJsonObject header = QJsonDocument::fromJson(run.out).object();
    QCOMPARE(header.value(QStringLiteral("size")).toString(), QStringLiteral("1048576"));
    QCOMPARE(header.value(QStringLiteral("address")).toString(), address);
    QVERIFY(header.value(QStringLiteral("hash")).toString().startsWith(QLatin1String("xxh3:")));

    run = cli({ QStringLiteral("diff"), snap, address });
    QCOMPARE(run.exitCode, 0); // equal, as cmp
    QVERIFY(run.out.startsWith("equal"));

    // The Python process changes two runs; diff lists exactly those, old and new bytes.
    peer("write 4098 aabb");
    peer("write 1048574 ffff");
    run = cli({ QStringLiteral("diff"), snap, address });
    QCOMPARE(run.exitCode, 1);
    const QList<QByteArray> lines = run.out.split('\n');
    QCOMPARE(lines.value(0), QByteArray("changed offset=0x1002 length=2 old=2233 new=aabb"));
    QCOMPARE(lines.value(1), QByteArray("changed offset=0xffffe length=2 old=0000 new=ffff"));

    run = cli({ QStringLiteral("diff"), snap, address, QStringLiteral("--json") });
    QCOMPARE(run.exitCode, 1);
    const QJsonObject result = QJsonDocument::fromJson(run.out).object();
    QCOMPARE(result.value(QStringLiteral("equal")).toBool(true), false);
    const QJsonArray ranges = result.value(QStringLiteral("ranges")).toArray();
    QCOMPARE(ranges.size(), 2);
    QCOMPARE(ranges.at(0).toObject().value(QStringLiteral("offset")).toString(), QStringLiteral("4098"));
    QCOMPARE(ranges.at(0).toObject().value(QStringLiteral("old")).toString(), QStringLiteral("2233"));
    QCOMPARE(ranges.at(0).toObject().value(QStringLiteral("new")).toString(), QStringLiteral("aabb"));
    QCOMPARE(result.value(QStringLiteral("differingBytes")).toString(), QStringLiteral("4"));

    // Snapshot vs snapshot, and a range snapshot against the live range (offsets are the object's).
    const QString second = m_dir.filePath(QStringLiteral("second.shmsnap"));
    QCOMPARE(cli({ QStringLiteral("snapshot"), address, QStringLiteral("-o"), second }).exitCode, 0);
    run = cli({ QStringLiteral("diff"), snap, second });
    QCOMPARE(run.exitCode, 1);
    QVERIFY(run.out.startsWith("changed offset=0x1002 length=2"));
    const QString part = m_dir.filePath(QStringLiteral("part.shmsnap"));
    QCOMPARE(cli({ QStringLiteral("snapshot"), address, QStringLiteral("-o"), part, QStringLiteral("--offset"),
                   QStringLiteral("0x1000"), QStringLiteral("--length"), QStringLiteral("16") })
                 .exitCode,
             0);
    peer("write 4099 77");
    peer("write 8192 77"); // outside the range
    run = cli({ QStringLiteral("diff"), part, address });
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.out.split('\n').value(0), QByteArray("changed offset=0x1003 length=1 old=bb new=77"));
    QVERIFY(run.out.split('\n').value(1).contains("1 range"));
    // An existing output file is never replaced (exit 5).
    QCOMPARE(cli({ QStringLiteral("snapshot"), address, QStringLiteral("-o"), part }).exitCode, 5);
}

void TestCliInspect::diffObjectsSnapshotsAndErrors()
{
    const QString a = newPosixAddress(8192);
    const QString b = newPosixAddress(8192);
    const QString c = newPosixAddress(4096);
    QCOMPARE(cli({ QStringLiteral("diff"), a, b }).exitCode, 0);
    QCOMPARE(cli({ QStringLiteral("write"), b, QStringLiteral("--offset"), QStringLiteral("100"),
                   QStringLiteral("--hex"), QStringLiteral("01") })
                 .exitCode,
             0);
    CliRun run = cli({ QStringLiteral("diff"), a, b });
    QCOMPARE(run.exitCode, 1);
    QVERIFY(run.out.startsWith("changed offset=0x64 length=1 old=00 new=01"));
    run = cli({ QStringLiteral("diff"), a, c });
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.out.startsWith("only-in-a offset=0x1000 length=4096"), run.out.constData());
    // Errors are >= 2: not found 3, usage 2; a file that is not a snapshot is taken as an address.
    QCOMPARE(
        cli({ QStringLiteral("diff"), a, QStringLiteral("posix:/shmscope-test-none-%1").arg(::getpid()) }).exitCode, 3);
    QCOMPARE(cli({ QStringLiteral("diff"), a }).exitCode, 2);
    QCOMPARE(cli({ QStringLiteral("diff"), a, b, QStringLiteral("--bytes"), QStringLiteral("x") }).exitCode, 2);
}

void TestCliInspect::snapshotOfSparseObjectIsSparse()
{
    const QString name = QStringLiteral("shmscope-test-%1-sparse").arg(::getpid());
    m_names << name;
    const int fd = ::shm_open(QByteArray("/" + name.toUtf8()).constData(), O_RDWR | O_CREAT | O_EXCL, 0600);
    QVERIFY(fd >= 0);
    QCOMPARE(::ftruncate(fd, 256 << 20), 0);
    ::close(fd);
    const QString address = QStringLiteral("posix:/") + name;
    QCOMPARE(cli({ QStringLiteral("write"), address, QStringLiteral("--offset"), QStringLiteral("0x800000"),
                   QStringLiteral("--hex"), QStringLiteral("abcd") })
                 .exitCode,
             0);
    const QString snap = m_dir.filePath(QStringLiteral("sparse.shmsnap"));
    QCOMPARE(cli({ QStringLiteral("snapshot"), address, QStringLiteral("-o"), snap }).exitCode, 0);
    struct stat st {
    };
    QCOMPARE(::stat(snap.toUtf8().constData(), &st), 0);
    QCOMPARE(qint64(st.st_size), qint64(4096) + (256 << 20));
    QVERIFY2(st.st_blocks * 512 <= 64 * 1024, "the snapshot file is not sparse");
    QCOMPARE(::stat(QByteArray("/dev/shm/" + name.toUtf8()).constData(), &st), 0);
    QCOMPARE(qint64(st.st_blocks) * 512, qint64(4096)); // the object's holes were not touched
    QCOMPARE(cli({ QStringLiteral("diff"), address, snap }).exitCode, 0);
}

// The test: a Python process increments a counter at an offset the test does not know, and
// rewrites a noise region of its own; an unknown-value first scan and three next scans (increased,
// unchanged, increased) leave exactly the counter's offset.
void TestCliInspect::scanFindsPythonCounter()
{
    const QString address = newPosixAddress(1 << 20);
    startPeer(address);
    const QString state = m_dir.filePath(QStringLiteral("counter.scan"));
    CliRun run = cli({ QStringLiteral("scan"), address, QStringLiteral("--type"), QStringLiteral("u32"),
                       QStringLiteral("--unknown"), QStringLiteral("-o"), state });
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.startsWith("262144 candidate"), run.out.constData());

    auto next = [&](const QString& test) {
        const CliRun result = cli({ QStringLiteral("scan"), address, QStringLiteral("--state"), state, test,
                                    QStringLiteral("--json"), QStringLiteral("--limit"), QStringLiteral("5") });
        if (result.exitCode != 0)
            qWarning() << result.err;
        return QJsonDocument::fromJson(result.out).object();
    };
    peer("tick");
    peer("churn");
    QJsonObject result = next(QStringLiteral("--increased"));
    QVERIFY(result.value(QStringLiteral("count")).toString().toULongLong() > 1); // the noise grew too
    peer("churn");
    result = next(QStringLiteral("--unchanged"));
    peer("tick");
    peer("churn");
    result = next(QStringLiteral("--increased"));
    QCOMPARE(result.value(QStringLiteral("count")).toString(), QStringLiteral("1"));
    const QByteArray revealed = peerAnswer("reveal");
    QVERIFY(revealed.startsWith("ok "));
    const QJsonObject candidate = result.value(QStringLiteral("candidates")).toArray().at(0).toObject();
    QCOMPARE(candidate.value(QStringLiteral("offset")).toString(), QString::fromLatin1(revealed.mid(3)));
    QCOMPARE(candidate.value(QStringLiteral("value")).toString(), QStringLiteral("2"));
}

void TestCliInspect::scanUsageErrors()
{
    const QString address = newPosixAddress(4096);
    const QString other = newPosixAddress(4096);
    const QString state = m_dir.filePath(QStringLiteral("usage.scan"));
    const QString scan = QStringLiteral("scan");
    QCOMPARE(cli({ scan, address, QStringLiteral("--unknown") }).exitCode, 2); // no -o
    QCOMPARE(cli({ scan, address, QStringLiteral("-o"), state }).exitCode, 2); // no test
    QCOMPARE(cli({ scan, address, QStringLiteral("-o"), state, QStringLiteral("--increased") }).exitCode, 2);
    QCOMPARE(cli({ scan, address, QStringLiteral("-o"), state, QStringLiteral("--type"), QStringLiteral("u128"),
                   QStringLiteral("--unknown") })
                 .exitCode,
             2);
    QCOMPARE(
        cli({ scan, address, QStringLiteral("-o"), state, QStringLiteral("--value"), QStringLiteral("-1") }).exitCode,
        2);
    QVERIFY(!QFile::exists(state)); // nothing was written
    QCOMPARE(
        cli({ scan, address, QStringLiteral("-o"), state, QStringLiteral("--value"), QStringLiteral("0") }).exitCode,
        0);
    QCOMPARE(
        cli({ scan, address, QStringLiteral("-o"), state, QStringLiteral("--value"), QStringLiteral("0") }).exitCode,
        5);
    QCOMPARE(cli({ scan, other, QStringLiteral("--state"), state, QStringLiteral("--changed") }).exitCode,
             2); // another object
    QCOMPARE(cli({ scan, address, QStringLiteral("--state"), state, QStringLiteral("--unknown") }).exitCode, 2);
    const CliRun run = cli({ scan, address, QStringLiteral("--state"), state, QStringLiteral("--unchanged") });
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.startsWith("1024 candidate(s) after 2 scan(s)"));
}

void TestCliInspect::exportImportRoundTrips_data()
{
    QTest::addColumn<QString>("format");
    for (const char* format : { "raw", "hexdump", "base64", "ihex", "srec" })
        QTest::newRow(format) << QString::fromLatin1(format);
}

// read --format F of a range the Python peer filled, then write --format F into another object (at the
// same offset: the addresses in the file, or --offset), then diff: equal.
void TestCliInspect::exportImportRoundTrips()
{
    QFETCH(QString, format);
    const QString source = newPosixAddress(256 * 1024);
    const QString target = newPosixAddress(256 * 1024);
    startPeer(source);
    peer("noise 65500 3000"); // random bytes across the 64 KiB boundary
    const QString readFormat = format == QLatin1String("hexdump") ? QStringLiteral("hex") : format;
    CliRun run = cli({ QStringLiteral("read"), source, QStringLiteral("--offset"), QStringLiteral("65500"),
                       QStringLiteral("--length"), QStringLiteral("3000"), QStringLiteral("--format"), readFormat });
    QCOMPARE(run.exitCode, 0);
    const QString file = m_dir.filePath(QStringLiteral("export.") + format);
    QFile out(file);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(run.out);
    out.close();
    QStringList write { QStringLiteral("write"),  target, QStringLiteral("--format"), format,
                        QStringLiteral("--file"), file };
    if (format == QLatin1String("raw") || format == QLatin1String("base64"))
        write << QStringLiteral("--offset") << QStringLiteral("65500");
    run = cli(write);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(run.out.startsWith("wrote 3000 bytes at offset 65500"), run.out.constData());
    run = cli({ QStringLiteral("diff"), source, target });
    QVERIFY2(run.exitCode == 0, run.out.constData());
    // Relocated: --offset puts the lowest address there.
    write = QStringList { QStringLiteral("write"),  target, QStringLiteral("--format"), format,
                          QStringLiteral("--file"), file,   QStringLiteral("--offset"), QStringLiteral("0x100") };
    QCOMPARE(cli(write).exitCode, 0);
    run = cli({ QStringLiteral("read"), target, QStringLiteral("--offset"), QStringLiteral("0x100"),
                QStringLiteral("--length"), QStringLiteral("3000"), QStringLiteral("--format"),
                QStringLiteral("raw") });
    const CliRun original = cli({ QStringLiteral("read"), source, QStringLiteral("--offset"), QStringLiteral("65500"),
                                  QStringLiteral("--length"), QStringLiteral("3000"), QStringLiteral("--format"),
                                  QStringLiteral("raw") });
    QCOMPARE(run.out, original.out);
    // Bad input changes nothing (usage error).
    QFile bad(m_dir.filePath(QStringLiteral("bad.") + format));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write(format == QLatin1String("raw") ? QByteArray(300 * 1024, 'x') : QByteArray(":zz\n"));
    bad.close();
    QCOMPARE(cli({ QStringLiteral("write"), target, QStringLiteral("--format"), format, QStringLiteral("--file"),
                   bad.fileName() })
                 .exitCode,
             2);
    QCOMPARE(cli({ QStringLiteral("diff"), source, target, QStringLiteral("--bytes"), QStringLiteral("0") }).exitCode,
             1);
}

// The real peer for the two record formats: srec_cat (Debian package srecord) reads what `read` writes
// and writes what `write` reads; a file with a gap is written as two blocks under one lock.
void TestCliInspect::intelHexAndSRecordAgreeWithSrecCat()
{
    if (QStandardPaths::findExecutable(QStringLiteral("srec_cat")).isEmpty())
        QSKIP("srec_cat (Debian package srecord, in tools/dev) is not installed");
    const QString address = newPosixAddress(128 * 1024);
    startPeer(address);
    peer("noise 65000 1000");
    const QString hex = m_dir.filePath(QStringLiteral("ours.hex"));
    CliRun run = cli({ QStringLiteral("read"), address, QStringLiteral("--offset"), QStringLiteral("65000"),
                       QStringLiteral("--length"), QStringLiteral("1000"), QStringLiteral("--format"),
                       QStringLiteral("ihex") });
    QCOMPARE(run.exitCode, 0);
    QFile file(hex);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(run.out);
    file.close();
    // srec_cat turns our Intel HEX into binary, starting at the first address (-offset -65000).
    QProcess srecCat;
    const QString binary = m_dir.filePath(QStringLiteral("srec_cat.bin"));
    srecCat.start(QStringLiteral("srec_cat"),
                  { hex, QStringLiteral("-intel"), QStringLiteral("-offset"), QStringLiteral("-65000"),
                    QStringLiteral("-o"), binary, QStringLiteral("-binary") });
    QVERIFY(srecCat.waitForFinished(kProcessTimeoutMs));
    QCOMPARE(srecCat.exitCode(), 0);
    QFile produced(binary);
    QVERIFY(produced.open(QIODevice::ReadOnly));
    run = cli({ QStringLiteral("read"), address, QStringLiteral("--offset"), QStringLiteral("65000"),
                QStringLiteral("--length"), QStringLiteral("1000"), QStringLiteral("--format"),
                QStringLiteral("raw") });
    QCOMPARE(produced.readAll(), run.out);

    // srec_cat writes an S-record file with two pieces (a gap between them); `write` puts both.
    const QString target = newPosixAddress(128 * 1024);
    const QString srec = m_dir.filePath(QStringLiteral("theirs.srec"));
    srecCat.start(QStringLiteral("srec_cat"),
                  { hex, QStringLiteral("-intel"), QStringLiteral("-crop"), QStringLiteral("65000"),
                    QStringLiteral("65100"), QStringLiteral("65900"), QStringLiteral("66000"), QStringLiteral("-o"),
                    srec, QStringLiteral("-motorola") });
    QVERIFY(srecCat.waitForFinished(kProcessTimeoutMs));
    QCOMPARE(srecCat.exitCode(), 0);
    run = cli({ QStringLiteral("write"), target, QStringLiteral("--format"), QStringLiteral("srec"),
                QStringLiteral("--file"), srec });
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(run.out.startsWith("wrote 200 bytes in 2 blocks"), run.out.constData());
    run = cli({ QStringLiteral("diff"), address, target, QStringLiteral("--json"), QStringLiteral("--bytes"),
                QStringLiteral("0") });
    QCOMPARE(run.exitCode, 1);
    // What differs is only the middle (65100..65900) that srec_cat cropped out.
    const QJsonArray ranges = QJsonDocument::fromJson(run.out).object().value(QStringLiteral("ranges")).toArray();
    QVERIFY(!ranges.isEmpty());
    for (const QJsonValue& range : ranges) {
        const qulonglong offset = range.toObject().value(QStringLiteral("offset")).toString().toULongLong();
        const qulonglong length = range.toObject().value(QStringLiteral("length")).toString().toULongLong();
        QVERIFY2(offset >= 65100 && offset + length <= 65900, QByteArray::number(offset).constData());
    }
}

QTEST_GUILESS_MAIN(TestCliInspect)
#include "tst_cliinspect.moc"
