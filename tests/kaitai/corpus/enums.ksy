meta: {id: enums, endian: le}
seq:
  - {id: animal, type: u1, enum: animal}
  - {id: color, type: u2, enum: color}
  - {id: bits_enum, type: b3, enum: color}
instances:
  is_cat:
    value: animal == animal::cat
  color_num:
    value: color.to_i
  ordered:
    value: 'color == color::green ? 1 : color == color::blue ? 2 : 0'
enums:
  animal:
    1: cat
    2: dog
    0x10: {id: bird, doc: A bird.}
  color:
    0: red
    1: green
    2: blue
