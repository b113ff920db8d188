<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
    <context>
        <name>Cli</name>
        <message numerus="yes">
            <source>%1: %2, %3, mapped by %n view(s)</source>
            <translation>
                <numerusform>%1: %2, %3, mapped by %n view</numerusform>
                <numerusform>%1: %2, %3, mapped by %n views</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>not inspected: %n process(es) this user may not inspect could map it too</source>
            <translation>
                <numerusform>not inspected: %n process this user may not inspect could map it too</numerusform>
                <numerusform>not inspected: %n processes this user may not inspect could map it too</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%1 and %2 differ: %n range(s)</source>
            <translation>
                <numerusform>%1 and %2 differ: %n range</numerusform>
                <numerusform>%1 and %2 differ: %n ranges</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>unknown (%n process(es) could not be inspected)</source>
            <translation>
                <numerusform>unknown (%n process could not be inspected)</numerusform>
                <numerusform>unknown (%n processes could not be inspected)</numerusform>
            </translation>
        </message>
    </context>
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
        <name>shmscope::MappingCard</name>
        <message numerus="yes">
            <source>Page cache: %Ln page(s) cached, %1 dirty, %2 under writeback</source>
            <translation>
                <numerusform>Page cache: %Ln page cached, %1 dirty, %2 under writeback</numerusform>
                <numerusform>Page cache: %Ln pages cached, %1 dirty, %2 under writeback</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>shmscope::NativeCallsModel</name>
        <message numerus="yes">
            <source>%n call(s)</source>
            <translation>
                <numerusform>%n call</numerusform>
                <numerusform>%n calls</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>shmscope::NativeCallsPanel</name>
        <message numerus="yes">
            <source>Copied %n row(s)</source>
            <translation>
                <numerusform>Copied %n row</numerusform>
                <numerusform>Copied %n rows</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>shmscope::ObjectBrowserDock</name>
        <message numerus="yes">
            <source>%n object(s)</source>
            <translation>
                <numerusform>%n object</numerusform>
                <numerusform>%n objects</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n stale</source>
            <translation>
                <numerusform>%n stale</numerusform>
                <numerusform>%n stale</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n process(es) inspected</source>
            <translation>
                <numerusform>%n process inspected</numerusform>
                <numerusform>%n processes inspected</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n could not be inspected (%1)</source>
            <translation>
                <numerusform>%n could not be inspected (%1)</numerusform>
                <numerusform>%n could not be inspected (%1)</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n process(es) could not be inspected and may hold it.</source>
            <translation>
                <numerusform>%n process could not be inspected and may hold it.</numerusform>
                <numerusform>%n processes could not be inspected and may hold it.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n more attached process(es) that could not be inspected</source>
            <translation>
                <numerusform>%n more attached process that could not be inspected</numerusform>
                <numerusform>%n more attached processes that could not be inspected</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Removed %n object(s).</source>
            <translation>
                <numerusform>Removed %n object.</numerusform>
                <numerusform>Removed %n objects.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n kept: no longer stale when re-checked.</source>
            <translation>
                <numerusform>%n kept: no longer stale when re-checked.</numerusform>
                <numerusform>%n kept: no longer stale when re-checked.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n failed.</source>
            <translation>
                <numerusform>%n failed.</numerusform>
                <numerusform>%n failed.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n file(s)</source>
            <translation>
                <numerusform>%n file</numerusform>
                <numerusform>%n files</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n semaphore(s)</source>
            <translation>
                <numerusform>%n semaphore</numerusform>
                <numerusform>%n semaphores</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>shmscope::ObjectBrowserModel</name>
        <message numerus="yes">
            <source>%n more attached</source>
            <translation>
                <numerusform>%n more attached</numerusform>
                <numerusform>%n more attached</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>unknown (%n process(es) could not be inspected)</source>
            <translation>
                <numerusform>unknown (%n process could not be inspected)</numerusform>
                <numerusform>unknown (%n processes could not be inspected)</numerusform>
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
        <message numerus="yes">
            <source>unknown (%n process(es) could not be inspected)</source>
            <translation>
                <numerusform>unknown (%n process could not be inspected)</numerusform>
                <numerusform>unknown (%n processes could not be inspected)</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>shmscope::PageStrip</name>
        <message numerus="yes">
            <source>%n not inspected</source>
            <translation>
                <numerusform>%n not inspected</numerusform>
                <numerusform>%n not inspected</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n process(es) could not be inspected.</source>
            <translation>
                <numerusform>%n process could not be inspected.</numerusform>
                <numerusform>%n processes could not be inspected.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%Ln page(s) × %1</source>
            <translation>
                <numerusform>%Ln page × %1</numerusform>
                <numerusform>%Ln pages × %1</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>shmscope::ScanPanel</name>
        <message numerus="yes">
            <source>%n candidate(s) after %1 scan(s)</source>
            <translation>
                <numerusform>%n candidate after scan %1</numerusform>
                <numerusform>%n candidates after scan %1</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>shmscope::SnapshotPanel</name>
        <message numerus="yes">
            <source>%1 — %2, %n byte(s) at %3</source>
            <translation>
                <numerusform>%1 — %2, %n byte at %3</numerusform>
                <numerusform>%1 — %2, %n bytes at %3</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n differing range(s). F7: next, Shift+F7: previous.</source>
            <translation>
                <numerusform>%n differing range. F7: next, Shift+F7: previous.</numerusform>
                <numerusform>%n differing ranges. F7: next, Shift+F7: previous.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>shmscope::StructureModel</name>
        <message numerus="yes">
            <source>%n element(s)</source>
            <translation>
                <numerusform>%n element</numerusform>
                <numerusform>%n elements</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n bit(s)</source>
            <translation>
                <numerusform>%n bit</numerusform>
                <numerusform>%n bits</numerusform>
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
        <name>shmscope::TransferActions</name>
        <message numerus="yes">
            <source>%n byte(s) at offset 0x%1 do not fit in the object; nothing written</source>
            <translation>
                <numerusform>%n byte at offset 0x%1 does not fit in the object; nothing written</numerusform>
                <numerusform>%n bytes at offset 0x%1 do not fit in the object; nothing written</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>shmscope::ViewCardModel</name>
        <message numerus="yes">
            <source>%n process(es) not inspected (may map it too)</source>
            <translation>
                <numerusform>%n process not inspected (may map it too)</numerusform>
                <numerusform>%n processes not inspected (may map it too)</numerusform>
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
