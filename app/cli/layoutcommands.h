#pragma once

#include "command.h"

namespace shmscope {

/// `decode` (a mapping's bytes through a .ksy layout, as a tree or JSON) and `layouts` (the built-in
/// layouts), in the order `--help` lists them.
QList<Command> layoutCommands();

/// `write ADDRESS --layout L --field PATH --value V` (the write command hands over when --layout,
/// --field or --value is given): decodes under the object's lock, encodes V for the field (type,
/// range and size checks: a usage error, exit 2, writes nothing), writes it, flushes, notifies.
int runWriteField(const QCommandLineParser& parser, const QStringList& positional);

} // namespace shmscope
