meta: {id: repeat_until, endian: le}
seq:
  - {id: bytes_until_zero, type: u1, repeat: until, repeat-until: _ == 0}
  - id: entries
    type: entry
    repeat: until
    repeat-until: _.last_flag != 0 or _index >= 5
instances:
  count_until:
    value: bytes_until_zero.size
types:
  entry:
    seq:
      - {id: last_flag, type: u1}
      - {id: payload, type: u2}
