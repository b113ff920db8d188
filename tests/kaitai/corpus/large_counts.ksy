meta: {id: large_counts, endian: le}
doc: A count read from the data can ask for up to 4 billion elements; both sides stop at the end.
seq:
  - {id: count, type: u4}
  - {id: values, type: u4, repeat: expr, repeat-expr: count}
  - {id: records, type: pair, repeat: expr, repeat-expr: count}
types:
  pair:
    seq:
      - {id: a, type: u1}
      - {id: b, type: u1}
