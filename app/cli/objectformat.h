#pragma once

#include "core/catalog.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <vector>

namespace shmscope {

// How `list` and `info` show catalog entries: as a table / key-value lines for people, as JSON with
// exact numbers for programs.

/// The rows of `list`: a header (ADDRESS SIZE MODE OWNER MODIFIED PIDS) and one line per object,
/// columns padded to their widest cell. Sizes are human-readable (formatBytes), times local.
QStringList formatObjectTable(const std::vector<ObjectInfo>& objects);

/// The lines of `info`: "address:  posix:/x", "size:     65536 bytes (64 KiB)", mode, owner,
/// modified, pids, and for System V the shmid and the attach count.
QStringList formatObjectDetails(const ObjectInfo& info);

/// One object as JSON: address, kind, size (bytes), mode ("0600"), uid, owner, modified (ISO 8601
/// local time with offset), modifiedEpoch (seconds), pids, attachCount, and for System V key/shmid.
QJsonObject objectToJson(const ObjectInfo& info);

/// A Unix time (seconds) as local "yyyy-MM-dd HH:mm:ss".
QString formatLocalTime(std::int64_t secondsSinceEpoch);

} // namespace shmscope
