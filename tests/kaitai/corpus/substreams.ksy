meta: {id: substreams, endian: le}
seq:
  - {id: len, type: u1}
  - {id: boxed, type: box, size: len % 12}
  - {id: second, type: box, size: 3}
  - {id: rest, type: box, size-eos: true}
types:
  box:
    seq:
      - {id: first, type: u1, if: _io.size > 0}
      - {id: inner, type: inner_box, size: '_io.size > 2 ? 2 : 0'}
      - {id: tail, size-eos: true}
    instances:
      my_size: {value: _io.size}
  inner_box:
    seq:
      - {id: bytes, type: u1, repeat: eos}
    instances:
      end_pos: {value: _io.pos}
