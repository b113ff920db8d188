#pragma once

class QCoreApplication;

namespace shmscope {

/// Loads the translation of ShmScope's own strings and Qt's for the system locale (embedded under
/// :/i18n, Qt's from QLibraryInfo::TranslationsPath) and installs them in `app`. Missing translations
/// are not an error: the English source strings are used.
void installTranslations(QCoreApplication& app);

} // namespace shmscope
