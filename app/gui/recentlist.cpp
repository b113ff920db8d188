// A most-recent-first list in QSettings (see recentlist.h).
#include "recentlist.h"

#include <QSettings>
#include <QStringList>

namespace shmscope {

void rememberRecent(const QString& key, const QString& entry, int max)
{
    QSettings settings;
    QStringList recent = settings.value(key).toStringList();
    recent.removeAll(entry);
    recent.prepend(entry);
    while (recent.size() > max)
        recent.removeLast();
    settings.setValue(key, recent);
}

} // namespace shmscope
