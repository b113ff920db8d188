meta: {id: strings_utf8, encoding: UTF-8}
seq:
  - {id: len, type: u1}
  - {id: text, type: str, size: len}
  - {id: zterm, type: strz}
  - {id: rest, type: str, size-eos: true}
instances:
  text_length:
    value: text.length
