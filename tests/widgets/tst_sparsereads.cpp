// The widgets' bulk reads leave the holes of a sparse object alone (issue 9, item 13): copying a
// selection from HexView reads the data and takes the holes as zeros without touching them, so the
// object's allocated size (st_blocks) does not grow. (ByteSearch: tst_bytesearch.)
#include "core/mapping.h"
#include "widgets/hexview.h"
#include "widgets/mappingbytesource.h"

#include <QApplication>
#include <QClipboard>
#include <QMimeData>
#include <QTest>
#include <fcntl.h>
#include <memory>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace shmscope;

class TestSparseReads : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void copyingAHoleAllocatesNothing();
};

void TestSparseReads::copyingAHoleAllocatesNothing()
{
    const quint64 size = quint64(64) << 20;
    const std::string name = "/shmscope-test-" + std::to_string(QCoreApplication::applicationPid()) + "-sparsecopy";
    const int fd = ::shm_open(name.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
    QVERIFY(fd >= 0);
    struct Remove {
        std::string name;
        int fd;
        ~Remove()
        {
            ::close(fd);
            ::shm_unlink(name.c_str());
        }
    } remove { name, fd };
    // ftruncate only: all hole but "data" at 32 MiB.
    const quint64 dataAt = quint64(32) << 20;
    QCOMPARE(::ftruncate(fd, off_t(size)), 0);
    QCOMPARE(::pwrite(fd, "data", 4, off_t(dataAt)), ssize_t(4));
    auto allocated = [fd] {
        struct stat st = {};
        return ::fstat(fd, &st) == 0 ? qint64(st.st_blocks) * 512 : qint64(-1);
    };

    Result<std::unique_ptr<Mapping>> attached = attachMapping(Address { Kind::Posix, name, 0 }, Access::ReadOnly);
    QVERIFY2(attached, attached ? "" : attached.error().message().c_str());
    MappingByteSource source(std::move(attached).value());
    HexView view;
    view.resize(800, 600);
    view.setSource(&source);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    // 8 MiB of hole, the data, and 4 MiB of hole after it, as raw bytes.
    const quint64 start = dataAt - (quint64(8) << 20);
    const quint64 length = (quint64(12) << 20);
    view.setSelection(start, length);
    // The view reads the rows it shows (where the selection put the cursor); what is allocated after it
    // painted them is the baseline.
    view.repaint();
    QCoreApplication::processEvents();
    const qint64 before = allocated();
    QVERIFY(view.copySelection(HexView::CopyFormat::Raw));
    const QByteArray copied
        = QGuiApplication::clipboard()->mimeData()->data(QStringLiteral("application/octet-stream"));
    QByteArray expected(qsizetype(length), '\0');
    expected.replace(qsizetype(dataAt - start), 4, QByteArray("data"));
    QCOMPARE(copied.size(), expected.size());
    QVERIFY(copied == expected);

    QCOMPARE(allocated(), before);
}

QTEST_MAIN(TestSparseReads)
#include "tst_sparsereads.moc"
