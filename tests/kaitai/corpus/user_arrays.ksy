meta: {id: user_arrays, endian: le}
doc: Arrays of plain records whose elements reach back into their parent and root.
seq:
  - {id: base, type: u1}
  - {id: recs, type: rec, repeat: expr, repeat-expr: 3}
  - {id: strs, type: strz, encoding: UTF-8, repeat: expr, repeat-expr: 2}
instances:
  sum_x: {value: 'recs[0].x + recs[1].x + recs[2].x'}
types:
  rec:
    seq:
      - {id: x, type: u2}
      - {id: y, type: u1}
    instances:
      plus_base: {value: x + _parent.base}
