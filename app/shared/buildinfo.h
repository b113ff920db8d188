#pragma once

#include <QString>

namespace shmscope {

/// The git commit this program was built from, as computed at build time by cmake/BuildCommit.cmake:
/// 12 hex digits, followed by "-dirty" when the work tree had uncommitted changes; an empty string
/// when the sources were not a git work tree (a release tarball).
QString buildCommit();

/// The line `--version` prints: "PROGRAM VERSION (commit 1a2b3c4d5e6f)", or
/// "PROGRAM VERSION (unknown commit)" when buildCommit() is empty. VERSION is the project version
/// (CMake's PROJECT_VERSION). Not translated: scripts read it.
QString versionLine(const QString& program);

} // namespace shmscope
