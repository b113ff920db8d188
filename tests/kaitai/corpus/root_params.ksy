meta: {id: root_params, endian: le}
params:
  - id: region_size
    type: u4
    -shm-param: {mapping: "posix:/companion", offset: 0, type: u4le}
  - id: mode
    type: u1
seq:
  - {id: data, size: region_size}
  - {id: extra, type: u1, if: mode == 1}
instances:
  doubled: {value: region_size * 2}
