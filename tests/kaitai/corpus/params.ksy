meta: {id: params, endian: le}
seq:
  - {id: width, type: u1}
  - id: rows
    type: row(width % 5, _index)
    repeat: expr
    repeat-expr: 3
  - id: scaled
    type: scaled(width, 3)
types:
  row:
    params:
      - {id: cells, type: u1}
      - {id: row_index, type: s4}
    seq:
      - {id: values, type: u1, repeat: expr, repeat-expr: cells}
    instances:
      index_times_two:
        value: row_index * 2
  scaled:
    params:
      - {id: base, type: u4}
      - {id: factor, type: u1}
    seq:
      - {id: v, type: u1}
    instances:
      total:
        value: base * factor + v
