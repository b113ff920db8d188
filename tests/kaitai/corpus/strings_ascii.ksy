meta: {id: strings_ascii, encoding: ASCII, endian: le}
seq:
  - {id: fixed, type: str, size: 4}
  - {id: zterm, type: strz}
  - {id: with_term, type: str, terminator: 0x2c}
  - {id: sized_incl, type: str, size: 3, terminator: 0x2e, include: true}
  - {id: keep_term, type: str, terminator: 0x3b, consume: false}
  - {id: the_semicolon, type: u1}
  - {id: padded, type: str, size: 6, pad-right: 0x20}
  - {id: sized_z, type: strz, size: 5}
instances:
  fixed_len:
    value: fixed.length
  joined:
    value: fixed + "|" + zterm
