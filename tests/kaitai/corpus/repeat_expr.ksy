meta: {id: repeat_expr, endian: le}
doc: Counted arrays of integers, records and strings (the first two are lazy in the interpreter).
seq:
  - {id: n, type: u1}
  - {id: words, type: u2, repeat: expr, repeat-expr: n % 6}
  - {id: points, type: point, repeat: expr, repeat-expr: n % 4}
  - {id: names, type: str, size: 2, encoding: ASCII, repeat: expr, repeat-expr: 2}
  - {id: varlen, type: chunk, repeat: expr, repeat-expr: n % 3}
types:
  point:
    seq:
      - {id: x, type: s2}
      - {id: y, type: s2}
  chunk:
    seq:
      - {id: len, type: u1}
      - {id: data, size: len % 4}
