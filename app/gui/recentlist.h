#pragma once

#include <QString>

namespace shmscope {

/// Puts `entry` first in the string list kept in QSettings under `key` (removing it where it was before)
/// and keeps at most `max` entries (> 0). For the recent objects of File > Open Recent and the Structure
/// panel's recent .ksy files.
void rememberRecent(const QString& key, const QString& entry, int max);

} // namespace shmscope
