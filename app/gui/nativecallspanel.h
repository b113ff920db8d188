#pragma once

#include <QWidget>

class QCheckBox;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;
class QToolButton;

namespace shmscope {

class NativeCallsModel;

/// The "Native calls" dock's contents: the journal of the OS calls this instance makes, grouped by
/// user action (NativeCallsModel), with a filter, Pause, Clear, Copy (the selected rows as strace
/// lines) and Copy as C Program (the selected row's action as a C program that makes the same
/// calls), Background calls, and Page faults (counting each action's faults, off by default: it
/// costs a getrusage pair per action; saved in QSettings "nativeCalls/countPageFaults"). It listens
/// to the journal only while it is shown and not paused.
class NativeCallsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit NativeCallsPanel(QWidget* parent = nullptr);

    /// The model behind the table (owned by the panel).
    NativeCallsModel* model() const { return m_model; }
    /// The Page faults check box (for tests).
    QCheckBox* faultsBox() const { return m_faults; }
    /// The table (for tests and screenshots).
    QTableView* table() const { return m_table; }

    /// The selected rows as text, one line each, in table order (what Copy puts on the clipboard).
    QString selectedText() const;
    /// The C program of the action of the first selected row; empty when nothing is selected.
    QString selectedProgram() const;

Q_SIGNALS:
    /// A short message for the status bar ("Copied 3 rows").
    void message(const QString& text);

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void updateListening();

    NativeCallsModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_table;
    QLineEdit* m_filter;
    QToolButton* m_pause;
    QCheckBox* m_background;
    QCheckBox* m_faults;
};

} // namespace shmscope
