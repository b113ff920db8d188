meta: {id: ints_explicit}
doc: No default endianness; every type says its own.
seq:
  - {id: a, type: u2le}
  - {id: b, type: u2be}
  - {id: c, type: s4le}
  - {id: d, type: s4be}
  - {id: e, type: u8be}
  - {id: f, type: s8le}
  - {id: g, type: u1}
  - {id: h, type: s1}
