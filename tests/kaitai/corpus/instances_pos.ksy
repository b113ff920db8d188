meta: {id: instances_pos, endian: le}
seq:
  - {id: table_ofs, type: u1}
  - {id: count, type: u1}
instances:
  table:
    pos: table_ofs % 16
    type: u2
    repeat: expr
    repeat-expr: count % 5
  header:
    pos: 2
    type: header
  name:
    pos: 4
    size: 3
    type: str
    encoding: ASCII
  first_entry:
    value: 'table.size > 0 ? table[0] : 0'
  at_end:
    pos: _io.size - 1
    type: u1
types:
  header:
    seq:
      - {id: version, type: u1}
      - {id: flags, type: u1}
    instances:
      from_root:
        value: _root.count + version
