meta:
  id: zzj_areas
  title: Seed 003's data areas (the "zzj" mapping of the WFServer/WFClient example)
  endian: le
doc: |
  The shared memory "zzj" (4096 bytes) of seed 003 (VC++ 6.0 server and client exchanging data by
  shared memory and window messages). It is split into data areas:
  area 1 (written by the client, read by the server): an int32 holding "number of values + 1",
  then the values (int32 each); area 2 (written by the server): an int32 count and the values;
  then the window-handle area: the server's and the client's window handles, 4 bytes each
  (32-bit HWNDs), used to post WM_USER+998 / WM_USER+999 to each other.
seq:
  - id: area1
    type: area1
    doc: Data area 1 (the client writes, the server reads).
  - id: area2
    type: area2
    doc: Data area 2 (the server writes, the client reads).
  - id: hwnd_server
    type: u4
    -shm-kind: hwnd
    doc: The server's window handle (receives WM_CLIENTDATACNANGE, WM_USER+998).
  - id: hwnd_client
    type: u4
    -shm-kind: hwnd
    doc: The client's window handle (receives WM_SERVERDATACHANGE, WM_USER+999).
types:
  area1:
    seq:
      - id: count_plus_one
        type: s4
        doc: The number of values + 1 (the article's convention for area 1).
      - id: values
        type: s4
        repeat: expr
        repeat-expr: count_plus_one - 1
    instances:
      count:
        value: count_plus_one - 1
        doc: The number of values.
  area2:
    seq:
      - id: count
        type: s4
        doc: The number of values.
      - id: values
        type: s4
        repeat: expr
        repeat-expr: count
