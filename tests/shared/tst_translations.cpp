// installTranslations() with the .qm files as built: a locale without its own translation (C here,
// set by ctest) gets English plural forms ("1 edit", "3 edits") from shmscope_en, not "1 edit(s)".
#include "app/shared/translations.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QTest>

#ifndef SHMSCOPE_QM_DIR
#error "SHMSCOPE_QM_DIR must name the folder of the built .qm files"
#endif

class TestTranslations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void englishHasPluralForms()
    {
        QVERIFY2(QFileInfo::exists(QStringLiteral(SHMSCOPE_QM_DIR "/shmscope_en.qm")), SHMSCOPE_QM_DIR);
        shmscope::installTranslations(*QCoreApplication::instance(), QStringLiteral(SHMSCOPE_QM_DIR));
        const char* context = "shmscope::WriteQueue";
        const char* source = "%n edit(s) waiting for the lock (held by another process)";
        QCOMPARE(QCoreApplication::translate(context, source, nullptr, 1),
                 QStringLiteral("1 edit waiting for the lock (held by another process)"));
        QCOMPARE(QCoreApplication::translate(context, source, nullptr, 3),
                 QStringLiteral("3 edits waiting for the lock (held by another process)"));
        // Strings without %n are the source text.
        QCOMPARE(QCoreApplication::translate("shmscope::MainWindow", "Keep Waiting"), QStringLiteral("Keep Waiting"));
    }
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
