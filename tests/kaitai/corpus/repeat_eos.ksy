meta: {id: repeat_eos, endian: be}
seq:
  - {id: len, type: u1}
  - {id: words, size: len % 9, type: words}
  - {id: records, type: rec, repeat: eos}
types:
  words:
    seq:
      - {id: items, type: u2, repeat: eos}
  rec:
    seq:
      - {id: tag, type: u1}
      - {id: value, type: u1, if: tag < 128}
