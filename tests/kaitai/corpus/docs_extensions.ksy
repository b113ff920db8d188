meta:
  id: docs_extensions
  title: Docs and extension keys
  endian: le
  -shm-note: extension keys start with '-'
doc: Keys starting with '-' are ignored by Kaitai's compiler; ShmScope reads -shm-kind.
seq:
  - id: window
    type: u4
    -shm-kind: hwnd
    -orig-id: hWnd
    doc: A window handle, shown in hex.
  - id: pid
    type: u4
    -shm-kind: pid
    doc-ref: https://example.invalid/pid
  - id: plain
    type: u2
    doc: |
      A plain field
      with a two-line doc.
