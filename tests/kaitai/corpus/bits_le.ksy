meta: {id: bits_le, endian: le, bit-endian: le}
doc: Little-endian bit fields.
seq:
  - {id: flag, type: b1}
  - {id: three, type: b3}
  - {id: twelve, type: b12}
  - {id: twenty, type: b20}
  - {id: byte_after, type: u1}
  - {id: six, type: b6}
  - {id: odd, type: b11}
instances:
  combined:
    value: 'three * 16 + (flag ? 1 : 0)'
