#pragma once

#include "command.h"

#include <QList>

namespace shmscope {

// The inspector commands of issue 12 that live outside commands.cpp; allCommands() appends them.

/// `snapshot` (an object or a range → a snapshot file, core/snapshot.h) and `diff` (addresses or
/// snapshot files; exit code 0 equal, 1 different, >= 2 errors). snapshotcommands.cpp.
QList<Command> snapshotCommands();

/// `scan`: the value scan (core/valuescan.h), a first scan writing a state file and next scans
/// narrowing it. scancommand.cpp.
QList<Command> scanCommands();

} // namespace shmscope
