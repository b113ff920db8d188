meta: {id: floats, endian: le}
seq:
  - {id: a, type: f4}
  - {id: b, type: f8}
  - {id: c, type: f4be}
  - {id: d, type: f8be}
instances:
  sum:
    value: a + b
  half:
    value: c / 2
  is_big:
    value: d > 1000.5
