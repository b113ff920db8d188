meta: {id: nested_types, endian: le}
seq:
  - {id: outer, type: outer}
  - {id: direct_inner, type: outer::inner}
  - {id: deep, type: outer::inner::innermost}
types:
  outer:
    seq:
      - {id: a, type: u1}
      - {id: inner, type: inner}
    types:
      inner:
        seq:
          - {id: b, type: u1}
          - {id: innermost, type: innermost}
          - {id: kind, type: u1, enum: level}
        types:
          innermost:
            seq:
              - {id: c, type: u2}
              - {id: sibling, type: leaf}
        enums:
          level:
            0: low
            1: high
  leaf:
    seq:
      - {id: d, type: s1}
