meta: {id: expr_refs, endian: le, encoding: ASCII}
doc: Field references, _parent, _root, _io, _index, arrays, string methods, sizeof.
seq:
  - {id: n, type: u1}
  - {id: items, type: u1, repeat: expr, repeat-expr: n % 4 + 1}
  - {id: digits, type: str, size: 2}
  - {id: child, type: child}
  - {id: list, type: elem, repeat: expr, repeat-expr: 2}
instances:
  io_size: {value: _io.size}
  first_item: {value: items.first}
  last_item: {value: items.last}
  item_count: {value: items.size}
  second_or_zero: {value: 'items.size > 1 ? items[1] : 0'}
  digits_len: {value: digits.length}
  n_as_text: {value: n.to_s}
  n_text_len: {value: n.to_s.length}
  size_u4: {value: sizeof<u4>}
  size_child: {value: sizeof<fixed_pair>}
  bits_b3: {value: bitsizeof<b3>}
types:
  child:
    seq:
      - {id: x, type: u1}
    instances:
      parent_n: {value: _parent.n}
      root_n: {value: _root.n}
      pos_here: {value: _io.pos}
      sum: {value: x + _root.items.first}
  elem:
    seq:
      - {id: v, type: u1}
    instances:
      my_index_plus: {value: v + _parent.n}
  fixed_pair:
    seq:
      - {id: a, type: u2}
      - {id: b, type: u4}
