meta: {id: bytes_fields, endian: le}
doc: |
  Raw bytes by size, terminator and size-eos. `include: true` is used only on sized fields: on an
  unsized terminated read the JavaScript runtime 0.11 (readBytesTerm) advances one byte too far when
  the terminator is both included and consumed, unlike the C++ and Python runtimes.
seq:
  - {id: len, type: u1}
  - {id: sized, size: len % 8}
  - {id: terminated, terminator: 0xff}
  - {id: terminated_keep, terminator: 0xfe, consume: false, eos-error: false}
  - {id: the_terminator, type: u1, if: not _io.eof}
  - {id: sized_incl, size: 3, terminator: 0x02, include: true}
  - {id: padded, size: 4, pad-right: 0}
  - {id: rest, size-eos: true}
instances:
  sized_len:
    value: sized.size
  first_of_padded:
    value: 'padded.size > 0 ? padded.first : -1'
