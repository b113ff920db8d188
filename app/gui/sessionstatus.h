#pragma once

#include <QString>

namespace shmscope {

class MappingSession;

// What the main window says about the state of the mapping it shows, beyond its bytes: the window
// title and a line in the status bar, so that a view that is not what it seems (its object removed,
// no notifications) says so plainly for as long as it lasts.

/// The window title for `session` (nullptr: no mapping open): "ADDRESS — ShmScope", or with the
/// states that make the view more than a plain live read-write one in parentheses:
/// "ADDRESS (removed, read-only) — ShmScope" (removed while MappingSession::isRemoved(), "removed; a new
/// object has its name" while MappingSession::isReplaced(); read-only or copy-on-write after the
/// session's access). Translated.
QString sessionWindowTitle(const MappingSession* session);

/// The lasting state line of the status bar for `session`: one translated sentence per condition,
/// joined with " · " — the object was removed (by which process when known; the view shows its last
/// bytes), or was removed and a new object has its address (File ▸ Reopen shows it), and "notifications off: REASON"
/// when the session is not on the notification bus. Empty when there is nothing to say (or `session` is nullptr).
QString sessionStateText(const MappingSession* session);

/// The one-line notice for a create-or-attach request that found the object already there:
/// "ADDRESS already existed: opened it at its size of SIZE", or, when `requestedSize` (bytes; 0: none
/// given) differs from `actualSize` (bytes), "ADDRESS already existed: opened it at its SIZE, not the
/// SIZE asked for". Sizes are short ("8.0 KiB"), exact in bytes where the short forms would look
/// alike. Translated.
QString existedNotice(const QString& address, quint64 actualSize, quint64 requestedSize);

} // namespace shmscope
