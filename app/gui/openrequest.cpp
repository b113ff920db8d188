#include "openrequest.h"

#include "app/shared/numberparse.h"
#include "app/shared/rawarguments.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace shmscope {

namespace {

constexpr std::uint64_t kDemoSize = 64 * 1024;

struct GuiOptions {
    QCommandLineOption create { QStringLiteral("create"),
                                QCoreApplication::translate("shmscope",
                                                            "Create the object if it does not exist (needs --size).") };
    QCommandLineOption size { QStringLiteral("size"),
                              QCoreApplication::translate(
                                  "shmscope", "Size of the object to create: bytes, or with K, M, G (powers of 1024)."),
                              QStringLiteral("N") };
    QCommandLineOption mode { QStringLiteral("mode"),
                              QCoreApplication::translate(
                                  "shmscope", "Permission bits of the object to create, octal (default 0600)."),
                              QStringLiteral("MODE") };
    QCommandLineOption readOnly { QStringLiteral("read-only"),
                                  QCoreApplication::translate("shmscope", "Attach read-only: edits are refused.") };
    QCommandLineOption copyOnWrite {
        QStringLiteral("copy-on-write"),
        QCoreApplication::translate("shmscope", "Attach copy-on-write: edits stay in this window's private view.")
    };

    void addTo(QCommandLineParser& parser)
    {
        parser.setApplicationDescription(QCoreApplication::translate(
            "shmscope",
            "ShmScope: inspect and edit named shared memory live.\n\n"
            "ADDRESS is [kind:]name with kind posix (default; /dev/shm objects), file (a file mapped with mmap),\n"
            "sysv (a System V segment by key, decimal or 0x-hex) or sysvid (by shmid).\n"
            "Without an address the demo mapping posix:/shmscope-demo (64 KiB) is opened, created if missing."));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addPositionalArgument(
            QStringLiteral("address"),
            QCoreApplication::translate("shmscope",
                                        "The object to open, e.g. posix:/demo, file:/tmp/zj.dat, sysv:0x2a."),
            QStringLiteral("[ADDRESS]"));
        parser.addOptions({ create, size, mode, readOnly, copyOnWrite });
    }
};

} // namespace

OpenRequest demoRequest()
{
    OpenRequest request;
    request.address = Address { Kind::Posix, "/shmscope-demo", 0 };
    request.create = true;
    request.options.size = kDemoSize;
    return request;
}

std::optional<OpenRequest> parseGuiArguments(const QStringList& arguments, QString* error, bool* helpRequested)
{
    QCommandLineParser parser;
    GuiOptions options;
    options.addTo(parser);
    if (helpRequested)
        *helpRequested = false;

    if (!parser.parse(arguments)) {
        *error = parser.errorText();
        return std::nullopt;
    }
    if (parser.isSet(QStringLiteral("help")) || parser.isSet(QStringLiteral("version"))) {
        if (helpRequested)
            *helpRequested = true;
        return std::nullopt;
    }

    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        *error = QCoreApplication::translate("shmscope", "open: too many arguments: %1").arg(positional.join(u' '));
        return std::nullopt;
    }
    const bool anyCreateOption
        = parser.isSet(options.create) || parser.isSet(options.size) || parser.isSet(options.mode);
    if (positional.isEmpty() && !anyCreateOption && !parser.isSet(options.readOnly)
        && !parser.isSet(options.copyOnWrite))
        return demoRequest();

    OpenRequest request = positional.isEmpty() ? demoRequest() : OpenRequest {};
    if (!positional.isEmpty()) {
        // The argument's bytes as they were in argv (argumentsFromArgv()): a name may hold any byte.
        const auto address = parseAddress(argumentBytes(positional.first()).toStdString());
        if (!address) {
            *error = QString::fromStdString(address.error().message());
            return std::nullopt;
        }
        request.address = *address;
    }

    if (parser.isSet(options.readOnly) && parser.isSet(options.copyOnWrite)) {
        *error = QCoreApplication::translate("shmscope", "open: --read-only and --copy-on-write exclude each other");
        return std::nullopt;
    }
    if (parser.isSet(options.readOnly))
        request.access = Access::ReadOnly;
    else if (parser.isSet(options.copyOnWrite))
        request.access = Access::CopyOnWrite;

    if (parser.isSet(options.size) || parser.isSet(options.mode)) {
        if (!parser.isSet(options.create) && !positional.isEmpty()) {
            *error = QCoreApplication::translate("shmscope", "open: --size and --mode need --create");
            return std::nullopt;
        }
    }
    if (parser.isSet(options.create)) {
        request.create = true;
        if (!parser.isSet(options.size) && request.address.kind != Kind::File) {
            *error = QCoreApplication::translate("shmscope", "open: --create needs --size");
            return std::nullopt;
        }
    }
    if (parser.isSet(options.size)) {
        QString why;
        const auto size = parseSize(parser.value(options.size), &why);
        if (!size) {
            *error = QCoreApplication::translate("shmscope", "open: --size: %1").arg(why);
            return std::nullopt;
        }
        request.options.size = *size;
    }
    if (parser.isSet(options.mode)) {
        QString why;
        const auto mode = parseMode(parser.value(options.mode), &why);
        if (!mode) {
            *error = QCoreApplication::translate("shmscope", "open: --mode: %1").arg(why);
            return std::nullopt;
        }
        request.options.mode = *mode;
    }
    return request;
}

QString guiHelpText()
{
    QCommandLineParser parser;
    GuiOptions options;
    options.addTo(parser);
    return parser.helpText() + QLatin1Char('\n')
        + QCoreApplication::translate("shmscope",
                                      "Exit codes:\n"
                                      "  0  the window was closed (also after an address that could not be opened)\n"
                                      "  2  usage error: unknown option, bad address or size\n")
        + QLatin1Char('\n')
        + QCoreApplication::translate(
               "shmscope",
               "Examples:\n"
               "  shmscope\n"
               "      Open the demo object posix:/shmscope-demo, created if missing.\n"
               "  shmscope posix:/demo --create --size 1M --mode 0640\n"
               "      Open posix:/demo, creating it with 1 MiB if it does not exist.\n"
               "  shmscope sysv:0x2a --read-only\n"
               "      Watch the System V segment with key 0x2a without being able to change it.\n"
               "  shmscope file:/var/tmp/data.bin --copy-on-write\n"
               "      Try edits on a file mapping without writing them to the file.\n");
}

} // namespace shmscope
