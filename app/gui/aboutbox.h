#pragma once

#include <QString>

class QWidget;

namespace shmscope {

/// The text of Help ▸ About (rich text): the version and the git commit of the build (buildinfo.h),
/// the Qt version built against and the one running, the licence (SHMSCOPE_LICENSE) and the
/// application id.
QString aboutText();

/// Shows the About box over `parent` (window-modal; returns when it is closed).
void showAboutBox(QWidget* parent);

} // namespace shmscope
