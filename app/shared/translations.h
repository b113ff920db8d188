#pragma once

#include <QString>

class QCoreApplication;

namespace shmscope {

/// Loads the translation of ShmScope's own strings and Qt's for the system locale (ShmScope's from
/// `directory`, by default the files embedded under :/i18n; Qt's from QLibraryInfo::TranslationsPath)
/// and installs them in `app`. A locale without its own file (English, C, any other) gets
/// shmscope_en: the English plural forms of the "%n …(s)" strings. Missing files are not an error: the
/// source strings are used.
void installTranslations(QCoreApplication& app, const QString& directory = QStringLiteral(":/i18n"));

} // namespace shmscope
