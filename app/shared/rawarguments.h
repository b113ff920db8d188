#pragma once

#include <QByteArray>
#include <QStringList>
#include <QStringView>

namespace shmscope {

// Command-line arguments without losing bytes. QCoreApplication::arguments() decodes argv as UTF-8
// (Qt 6 on Unix) and turns every byte that is not UTF-8 into U+FFFD, so `shmscope-cli read
// $'obj\xff'` would reach the core as "obj\xef\xbf\xbd", another object. Object names are bytes: these
// two functions carry them through QString (and QCommandLineParser) unchanged, the way Python's
// "surrogateescape" does (PEP 383).

/// argv[0..argc) as QStrings: well-formed UTF-8 is decoded as usual; each byte of anything else is
/// kept as the lone surrogate U+DC00 + byte (U+DC80..U+DCFF), which well-formed UTF-8 can never
/// produce. Use it instead of QCoreApplication::arguments(), after the application object has taken
/// its own options out of argc/argv.
QStringList argumentsFromArgv(int argc, const char* const* argv);

/// The bytes of an argument from argumentsFromArgv(): UTF-8, with each lone surrogate U+DC80..U+DCFF
/// turned back into its byte. For a QString of other origin this is its UTF-8 (toUtf8()).
QByteArray argumentBytes(QStringView argument);

} // namespace shmscope
