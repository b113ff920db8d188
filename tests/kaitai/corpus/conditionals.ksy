meta: {id: conditionals, endian: le}
seq:
  - {id: flags, type: u1}
  - {id: has_a, type: u2, if: flags & 1 == 1}
  - {id: has_b, type: u4, if: (flags & 2) != 0}
  - {id: not_c, type: s2, if: not ((flags & 4) != 0)}
  - {id: tail, type: u1, if: flags > 127 and flags < 250}
instances:
  maybe:
    value: flags * 2
    if: flags < 10
