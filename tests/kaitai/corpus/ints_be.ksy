meta: {id: ints_be, endian: be}
doc: Big-endian by meta, with explicit little-endian overrides.
seq:
  - {id: a_u2, type: u2}
  - {id: a_u4, type: u4}
  - {id: a_u8, type: u8}
  - {id: a_s2, type: s2}
  - {id: a_s4, type: s4}
  - {id: a_s8, type: s8}
  - {id: le_u4, type: u4le}
  - {id: le_s2, type: s2le}
