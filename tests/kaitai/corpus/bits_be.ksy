meta: {id: bits_be, endian: le}
doc: Big-endian bit fields (the default bit order), realigned before a byte field.
seq:
  - {id: flag, type: b1}
  - {id: three, type: b3}
  - {id: four, type: b4}
  - {id: seven, type: b7}
  - {id: nine, type: b9}
  - {id: sixteen, type: b16}
  - {id: thirty_two, type: b32}
  - {id: byte_after, type: u1}
  - {id: five, type: b5}
  - {id: two_flags, type: b2}
  - {id: word_after, type: u2}
