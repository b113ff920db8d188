// Test helpers for keyboard mnemonics ("&File" → Alt+F): which key a text gives, and the clashes among
// the entries of one menu or one dialog.
#pragma once

#include <QAction>
#include <QChar>
#include <QMap>
#include <QMenu>
#include <QString>
#include <QStringList>

namespace shmscope::test {

/// The mnemonic of `text`, lower case ("Boo&kmarks" → 'k'), or a null QChar when it has none ("&&" is a
/// literal '&', as Qt reads it).
inline QChar mnemonicOf(const QString& text)
{
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text.at(i) != QLatin1Char('&'))
            continue;
        if (text.at(i + 1) == QLatin1Char('&')) {
            ++i;
            continue;
        }
        return text.at(i + 1).toLower();
    }
    return {};
}

/// The mnemonics used more than once among `texts`, each as "k: Boo&kmarks, &Keys" (empty: none clash).
inline QStringList mnemonicClashes(const QStringList& texts)
{
    QMap<QChar, QStringList> byKey;
    for (const QString& text : texts) {
        const QChar key = mnemonicOf(text);
        if (!key.isNull())
            byKey[key] << text;
    }
    QStringList clashes;
    for (auto it = byKey.cbegin(); it != byKey.cend(); ++it) {
        if (it.value().size() > 1)
            clashes << QString(it.key()) + QStringLiteral(": ") + it.value().join(QStringLiteral(", "));
    }
    return clashes;
}

/// The texts of the entries of `menu` that a key can reach (visible, not separators).
inline QStringList menuEntryTexts(const QMenu* menu)
{
    QStringList texts;
    const auto actions = menu->actions();
    for (const QAction* action : actions) {
        if (!action->isSeparator() && action->isVisible())
            texts << action->text();
    }
    return texts;
}

} // namespace shmscope::test
