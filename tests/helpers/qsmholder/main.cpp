// qsmholder: a Qt program that makes a QSharedMemory, as an application would, and keeps it attached
// until it is killed: the other side of the stale-object tests (killed with SIGKILL, it leaves the
// System V segment and its key file behind, as crashed Qt programs do).
//
//   qsmholder KEY [SIZE]
//
// Creates QSharedMemory(KEY) with SIZE bytes (default 4096), writes "qsm" at offset 0, prints
//   NATIVE_KEY SYSV_KEY_HEX
// (the key file path that Qt made, and the System V key ftok() derived from it) and a newline, then
// sleeps until killed. Exit code 1 (message on stderr) when create() fails.
#include <QCoreApplication>
#include <QSharedMemory>
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
