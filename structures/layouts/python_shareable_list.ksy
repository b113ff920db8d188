meta:
  id: python_shareable_list
  title: Python's multiprocessing.shared_memory.ShareableList
  endian: le
doc: |
  The layout CPython's Lib/multiprocessing/shared_memory.py gives a ShareableList (Python 3.8+),
  in the machine's byte order (little-endian on x86 and ARM):
    8 bytes: the number of items N (int64);
    (N + 1) * 8 bytes: offsets of each item from the start of the data area (int64), the last one
    being the data area's size;
    the data area: each item in its struct format ("q" int64, "d" double, "xxxxxxx?" bool,
    "xxxxxx?x" None, "Ns" str/bytes padded with NULs to a multiple of 8);
    N * 8 bytes: each item's struct format string, NUL-padded;
    N bytes: each item's back-transform code (0 as is, 1 str, 2 bytes, 3 None).
seq:
  - id: count
    type: s8
    doc: The number of items.
  - id: offsets
    type: s8
    repeat: expr
    repeat-expr: count + 1
    doc: Offsets of the items in the data area; the last is the data area's size.
instances:
  data_start:
    value: 8 + (count + 1) * 8
  formats_start:
    value: data_start + offsets[count]
  codes_start:
    value: formats_start + count * 8
  items:
    pos: data_start
    type: item(_index)
    repeat: expr
    repeat-expr: count
    doc: The items, each with its format, back-transform code and value.
types:
  item:
    params:
      - id: i
        type: s4
    instances:
      format:
        pos: _root.formats_start + i * 8
        type: strz
        size: 8
        encoding: ASCII
        doc: The item's struct format ("q", "d", "xxxxxxx?", "xxxxxx?x", "8s", ...).
      code:
        pos: _root.codes_start + i
        type: s1
        enum: back_transform
      kind:
        value: >-
          code == back_transform::text ? 1 :
          code == back_transform::raw_bytes ? 2 :
          code == back_transform::none_value ? 3 :
          format == "q" ? 4 : format == "d" ? 5 : format == "xxxxxxx?" ? 6 : 0
      data:
        pos: _root.data_start + _root.offsets[i]
        size: _root.offsets[i + 1] - _root.offsets[i]
        type:
          switch-on: kind
          cases:
            1: text_item
            2: bytes_item
            3: none_item
            4: int_item
            5: float_item
            6: bool_item
        doc: The value (raw bytes when the format is not one ShareableList writes).
  int_item:
    seq:
      - id: value
        type: s8
  float_item:
    seq:
      - id: value
        type: f8
  bool_item:
    seq:
      - id: padding
        size: 7
      - id: flag
        type: u1
    instances:
      value:
        value: flag != 0
  none_item:
    doc: None (8 bytes, not read).
    seq: []
  text_item:
    seq:
      - id: value
        type: strz
        size-eos: true
        encoding: UTF-8
        doc: The UTF-8 text; ShareableList strips the NUL padding.
  bytes_item:
    seq:
      - id: value
        size-eos: true
        pad-right: 0
        doc: The bytes without their NUL padding (ShareableList strips trailing NULs).
enums:
  back_transform:
    0: plain
    1: text
    2: raw_bytes
    3: none_value
