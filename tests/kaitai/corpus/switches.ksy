meta: {id: switches, endian: le}
seq:
  - {id: tag, type: u1}
  - id: body
    type:
      switch-on: tag % 4
      cases:
        0: rec_a
        1: rec_b
        2: u2
        _: rec_default
  - {id: kind, type: u1, enum: kinds}
  - id: by_enum
    type:
      switch-on: kind
      cases:
        kinds::small: u1
        kinds::large: u4
  - id: sized
    size: 2
    type:
      switch-on: tag % 3
      cases:
        0: rec_a
  - id: by_string
    type:
      switch-on: '(tag % 2 == 0) ? "even" : "odd"'
      cases:
        '"even"': u1
        '"odd"': s1
types:
  rec_a:
    seq:
      - {id: a, type: u1}
  rec_b:
    seq:
      - {id: b1, type: u1}
      - {id: b2, type: u1}
  rec_default:
    seq:
      - {id: d, type: s1}
enums:
  kinds:
    1: small
    2: large
