#pragma once

#include "command.h"
#include "core/address.h"

namespace shmscope {

// `shmscope-cli pages` and `shmscope-cli info --processes`: the page map and the mapping card of
// core/pagemap.h and core/viewcard.h, as text or JSON.

/// The `pages` command (options, help, run).
Command pagesCommand();

/// The option that makes `info` print the mapping card of every process that maps the object.
QCommandLineOption processesOption();

/// `info ADDRESS --processes [--json]`: attaches read-only (to learn the object's device and inode;
/// that view is not listed), then prints per view of the object in every process this one may
/// inspect its VMA, perms, backing, smaps counters and page summary, the processes that could not be
/// inspected, and for a file the page cache state (cachestat) or why it is not observable. Returns
/// the exit code.
int runInfoProcesses(const Address& address, bool json);

} // namespace shmscope
