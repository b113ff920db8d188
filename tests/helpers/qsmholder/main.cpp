// qsmholder: a Qt program that makes a QSharedMemory, as an application would, and keeps it attached
// until it is killed: the other side of the stale-object tests (killed with SIGKILL, it leaves the
// System V segment and its key file behind, as crashed Qt programs do).
//
//   qsmholder KEY [SIZE]
//   qsmholder --semaphore KEY
//
// Creates QSharedMemory(KEY) with SIZE bytes (default 4096), writes "qsm" at offset 0, prints
//   NATIVE_KEY SYSV_KEY_HEX
// (the key file path that Qt made, and the System V key ftok() derived from it) and a newline, then
// sleeps until killed. Exit code 1 (message on stderr) when create() fails.
// With --semaphore: a QSystemSemaphore(KEY, 1, Create) instead, acquired and released once, and the
// same line about its key file (qipc_systemsem_*) and semaphore set key.
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSharedMemory>
#include <QSystemSemaphore>
#include <cstdio>
#include <cstring>
#include <sys/ipc.h>
#include <unistd.h>

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: qsmholder KEY [SIZE]\n");
        return 2;
    }
    if (QByteArray(argv[1]) == "--semaphore" && argc > 2) {
        const QString key = QString::fromLocal8Bit(argv[2]);
        QSystemSemaphore semaphore(key, 1, QSystemSemaphore::Create);
        if (!semaphore.acquire() || !semaphore.release()) {
            std::fprintf(stderr, "qsmholder: semaphore: %s\n", qPrintable(semaphore.errorString()));
            return 1;
        }
        // Qt 6.4 does not tell the key file's name: it is QSharedMemoryPrivate::makePlatformSafeKey()'s,
        // the prefix, the key's letters and the SHA-1 of the key in hex.
        QString letters = key;
        letters.remove(QRegularExpression(QStringLiteral("[^A-Za-z]")));
        const QString file = QDir::tempPath() + QStringLiteral("/qipc_systemsem_") + letters
            + QString::fromLatin1(QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha1).toHex());
        if (!QFile::exists(file)) {
            std::fprintf(stderr, "qsmholder: no key file %s\n", qPrintable(file));
            return 1;
        }
        const QByteArray native = QFile::encodeName(file);
        std::printf("%s 0x%08x\n", native.constData(), static_cast<unsigned>(::ftok(native.constData(), 'Q')));
        std::fflush(stdout);
        for (;;)
            ::pause();
    }
    const qsizetype size = argc > 2 ? QByteArray(argv[2]).toLongLong() : 4096;
    QSharedMemory memory(QString::fromLocal8Bit(argv[1]));
    if (!memory.create(size)) {
        std::fprintf(stderr, "qsmholder: create: %s\n", qPrintable(memory.errorString()));
        return 1;
    }
    std::memcpy(memory.data(), "qsm", 3);
    const QByteArray native = memory.nativeKey().toLocal8Bit();
    const key_t key = ::ftok(native.constData(), 'Q');
    std::printf("%s 0x%08x\n", native.constData(), static_cast<unsigned>(key));
    std::fflush(stdout);
    for (;;)
        ::pause();
}
