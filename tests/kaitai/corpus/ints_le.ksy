meta: {id: ints_le, endian: le}
doc: Every integer width, little-endian by meta.
seq:
  - {id: a_u1, type: u1}
  - {id: a_u2, type: u2}
  - {id: a_u4, type: u4}
  - {id: a_u8, type: u8}
  - {id: a_s1, type: s1}
  - {id: a_s2, type: s2}
  - {id: a_s4, type: s4}
  - {id: a_s8, type: s8}
