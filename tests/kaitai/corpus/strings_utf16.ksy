meta: {id: strings_utf16, endian: le}
doc: UTF-16 strings; strz ends on a 2-byte NUL at an even offset (Kaitai 0.11).
seq:
  - {id: fixed_le, type: strz, size: 12, encoding: UTF-16LE}
  - {id: term_be, type: strz, encoding: UTF-16BE}
  - {id: plain_le, type: str, size: 6, encoding: UTF-16LE}
  - {id: tail, type: strz, encoding: UTF-16LE, eos-error: false}
