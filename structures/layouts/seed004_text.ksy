meta:
  id: seed004_text
  title: Seed 004's text buffer (4096 TCHARs, NUL-terminated UTF-16LE)
  endian: le
doc: |
  Seed 004's mapping: a buffer of 4096 TCHARs that one instance fills with lstrcpy() from its edit
  box and the others read back after the broadcast message. With UNICODE defined, a TCHAR is a
  16-bit WCHAR: the text is UTF-16LE and ends at the first 2-byte NUL; the rest of the 8192 bytes
  is whatever was there before.
seq:
  - id: text
    type: strz
    size: 8192
    encoding: UTF-16LE
    doc: The text, up to the first NUL character.
