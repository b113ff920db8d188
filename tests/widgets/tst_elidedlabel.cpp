// ElidedLabel: whole at its preferred width, shortened (whole in the tooltip) when narrower, and a
// minimum width that does not grow with its text (issue 9, item 18: a long status widened the window).
#include "widgets/elidedlabel.h"

#include <QHBoxLayout>
#include <QTest>

using namespace shmscope;

class TestElidedLabel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void wholeWhenItFitsShortenedWhenNot();
};

void TestElidedLabel::wholeWhenItFitsShortenedWhenNot()
{
    QWidget window;
    auto* layout = new QHBoxLayout(&window);
    auto* label = new ElidedLabel;
    layout->addWidget(label);
    const QString shortText = QStringLiteral("posix:/demo");
    const QString longText = QStringLiteral("file:") + QString(300, QLatin1Char('p')) + QStringLiteral("/end.dat");

    label->setFullText(shortText);
    const int shortMinimum = label->minimumSizeHint().width();
    label->setFullText(longText);
    QCOMPARE(label->fullText(), longText);
    QCOMPARE(label->minimumSizeHint().width(), shortMinimum); // the text's length does not count
    QVERIFY(label->sizeHint().width() > 4 * shortMinimum);

    // At its preferred width the whole text shows, without a tooltip.
    window.resize(layout->sizeHint());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    label->resize(label->sizeHint());
    QVERIFY2(!label->isElided(), qPrintable(label->text()));
    QCOMPARE(label->text(), longText);
    QVERIFY(label->toolTip().isEmpty());

    // Narrower: shortened in the middle, the whole text in the tooltip.
    label->setElideMode(Qt::ElideMiddle);
    label->resize(label->minimumSizeHint().width() * 2, label->height());
    QVERIFY(label->isElided());
    QVERIFY(label->text().startsWith(QStringLiteral("file:")));
    QVERIFY(label->text().endsWith(QStringLiteral(".dat")));
    QVERIFY(label->text().contains(QStringLiteral("…")));
    QCOMPARE(label->toolTip(), longText);

    // A short text fits again: whole, no tooltip.
    label->setFullText(shortText);
    label->resize(label->sizeHint());
    QCOMPARE(label->text(), shortText);
    QVERIFY(label->toolTip().isEmpty());
}

QTEST_MAIN(TestElidedLabel)
#include "tst_elidedlabel.moc"
