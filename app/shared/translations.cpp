#include "translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace shmscope {

void installTranslations(QCoreApplication& app, const QString& directory)
{
    auto* qtTranslator = new QTranslator(&app);
    if (qtTranslator->load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                           QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qtTranslator);
    // A language without its own file (English, the C locale, any other) gets the English plural
    // forms ("1 edit", "3 edits"): the sources say "%n edit(s)".
    auto* ownTranslator = new QTranslator(&app);
    if (ownTranslator->load(QLocale(), QStringLiteral("shmscope"), QStringLiteral("_"), directory)
        || ownTranslator->load(QStringLiteral("shmscope_en"), directory))
        QCoreApplication::installTranslator(ownTranslator);
}

} // namespace shmscope
