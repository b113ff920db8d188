<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
    <context>
        <name>shmscope::CursorStatusLabel</name>
        <message numerus="yes">
            <source>%1, %2 byte(s) selected</source>
            <translation>
                <numerusform>%1, %2 byte selected</numerusform>
                <numerusform>%1, %2 bytes selected</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>shmscope::HexView</name>
        <message numerus="yes">
            <source>Edit %n byte(s) at %1</source>
            <translation>
                <numerusform>Edit %n byte at %1</numerusform>
                <numerusform>Edit %n bytes at %1</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Redo skipped: the %n byte(s) at offset %1 were changed by someone else since.</source>
            <translation>
                <numerusform>Redo skipped: the %n byte at offset %1 was changed by someone else since.</numerusform>
                <numerusform>Redo skipped: the %n bytes at offset %1 were changed by someone else since.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Undo skipped: the %n byte(s) at offset %1 were changed by someone else since.</source>
            <translation>
                <numerusform>Undo skipped: the %n byte at offset %1 was changed by someone else since.</numerusform>
                <numerusform>Undo skipped: the %n bytes at offset %1 were changed by someone else since.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>shmscope::MainWindow</name>
        <message numerus="yes">
            <source>The %n byte(s) at offset 0x%1 were changed by someone else since you undid your edit. Redo it and overwrite their bytes?</source>
            <translation>
                <numerusform>The %n byte at offset 0x%1 was changed by someone else since you undid your edit. Redo it and overwrite their bytes?</numerusform>
                <numerusform>The %n bytes at offset 0x%1 were changed by someone else since you undid your edit. Redo it and overwrite their bytes?</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>The %n byte(s) at offset 0x%1 were changed by someone else since you wrote them. Undo your edit and overwrite their bytes?</source>
            <translation>
                <numerusform>The %n byte at offset 0x%1 was changed by someone else since you wrote it. Undo your edit and overwrite their bytes?</numerusform>
                <numerusform>The %n bytes at offset 0x%1 were changed by someone else since you wrote them. Undo your edit and overwrite their bytes?</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n byte(s)</source>
            <translation>
                <numerusform>%n byte</numerusform>
                <numerusform>%n bytes</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n other instance(s)</source>
            <translation>
                <numerusform>%n other instance</numerusform>
                <numerusform>%n other instances</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>shmscope::ObjectListModel</name>
        <message numerus="yes">
            <source>%n attached</source>
            <translation>
                <numerusform>%n attached</numerusform>
                <numerusform>%n attached</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>shmscope::TextView</name>
        <message numerus="yes">
            <source>%n edit(s) waiting for the lock were not written: %1</source>
            <translation>
                <numerusform>%n edit waiting for the lock was not written: %1</numerusform>
                <numerusform>%n edits waiting for the lock were not written: %1</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n edit(s) waiting for the lock were cancelled and not written; Redo writes them.</source>
            <translation>
                <numerusform>%n edit waiting for the lock was cancelled and not written; Redo writes it.</numerusform>
                <numerusform>%n edits waiting for the lock were cancelled and not written; Redo writes them.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>deleting %n character(s).</source>
            <translation>
                <numerusform>deleting %n character.</numerusform>
                <numerusform>deleting %n characters.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>shmscope::WriteQueue</name>
        <message numerus="yes">
            <source>%n edit(s) waiting for the lock (held by pid %1)</source>
            <translation>
                <numerusform>%n edit waiting for the lock (held by pid %1)</numerusform>
                <numerusform>%n edits waiting for the lock (held by pid %1)</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n edit(s) waiting for the lock (held by a process of another user: its pid cannot be read)</source>
            <translation>
                <numerusform>%n edit waiting for the lock (held by a process of another user: its pid cannot be read)</numerusform>
                <numerusform>%n edits waiting for the lock (held by a process of another user: its pid cannot be read)</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n edit(s) waiting for the lock (held by another process)</source>
            <translation>
                <numerusform>%n edit waiting for the lock (held by another process)</numerusform>
                <numerusform>%n edits waiting for the lock (held by another process)</numerusform>
            </translation>
        </message>
    </context>
</TS>
