meta: {id: instances_value, endian: le}
doc: Integer and float arithmetic, comparison, logical and ternary operators.
seq:
  - {id: a, type: s1}
  - {id: b, type: u1}
  - {id: f, type: f4}
instances:
  add: {value: a + b}
  sub: {value: a - b}
  mul: {value: a * b}
  div_floor: {value: 'a / (b % 7 + 1)'}
  mod_pos: {value: 'a % (b % 7 + 1)'}
  neg: {value: -a}
  float_div: {value: a / 4.0}
  float_mix: {value: 'f * 2 + 1.5'}
  shl: {value: (b & 15) << 3}
  shr: {value: b >> 2}
  bit_and: {value: b & 0x5a}
  bit_or: {value: b | 0x21}
  bit_xor: {value: b ^ 0xff}
  bit_not: {value: ~b & 0xff}
  lt: {value: a < b}
  le: {value: a <= -3}
  eq: {value: a == 7}
  ne: {value: b != 0}
  logic: {value: (a > 0 and b > 0) or not (a == b)}
  tern: {value: 'a > 0 ? a * 10 : b + 1000'}
  hex_lit: {value: 0x1F + 0b101 + 0o17 + 1_000}
  chained: {value: (a + b) * (a - b) / 3}
