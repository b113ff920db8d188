meta: {id: contents_magic, endian: le}
seq:
  - {id: magic, contents: "SHM"}
  - {id: version, contents: [1, 0]}
  - {id: mixed, contents: [0x7f, "ok"]}
  - {id: body, type: u4}
