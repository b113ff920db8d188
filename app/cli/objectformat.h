#pragma once

#include "core/catalog.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <vector>

namespace shmscope {

// How `list` and `info` show catalog entries: as a table / key-value lines for people, as JSON with
// exact numbers for programs.

// Addresses are printed with toString() (core/address.h): names escaped (`posix:/obj\xff`,
// `posix:/a\x0ab` for a newline), one line each, and pasted back to any command they name the same
// object.
//
// PIDS: the processes that map the object, "-" when none. For POSIX objects and files, when some
// processes could not be inspected (non-root: other users' processes), "unknown (N processes could
// not be inspected)" instead of "-", or after the pids found ("4242 + unknown (…)"). For System V,
// "+N" counts attached processes (nattch) whose maps could not be read.

/// The rows of `list`: a header (ADDRESS SIZE MODE OWNER MODIFIED PIDS) and one line per object,
/// columns padded to their widest cell. Sizes are human-readable (formatBytes), times local.
QStringList formatObjectTable(const std::vector<ObjectInfo>& objects);

/// The lines of `info`: "address:  posix:/x", "size:     65536 bytes (64 KiB)", mode, owner,
/// modified, pids, and for System V the shmid and the attach count.
QStringList formatObjectDetails(const ObjectInfo& info);

/// One object as JSON: address (the escaped canonical form, valid UTF-8, which ADDRESS arguments
/// accept back), kind, size (bytes), mode ("0600"), uid, owner, modified (ISO 8601 local time with
/// offset), modifiedEpoch (seconds), pids, pidsComplete (false when `pids` may miss processes that
/// could not be inspected: then an empty list is "unknown", not "none"), uninspectedProcesses (how
/// many processes could not be inspected), attachCount, allocated (bytes the object takes), changedEpoch
/// (its last change, seconds), holders (holdersToJson()), timedOutProcesses, and for System V key/shmid.
QJsonObject objectToJson(const ObjectInfo& info);

/// The holders as JSON: [{pid, name (comm, escaped as printableText()), uses (["map rw", "fd"]),
/// mappings, descriptors}], in pid order.
QJsonArray holdersToJson(const std::vector<Holder>& holders);

/// "unknown (N processes could not be inspected)" ("1 process" for one).
QString uninspectedText(std::uint32_t processes);

/// A Unix time (seconds) as local "yyyy-MM-dd HH:mm:ss".
QString formatLocalTime(std::int64_t secondsSinceEpoch);

} // namespace shmscope
