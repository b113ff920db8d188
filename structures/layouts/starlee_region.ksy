meta:
  id: starlee_region
  title: Seed 001's region, sized by its companion mapping
  endian: le
doc: |
  Seed 001's StarLeeSharedMemory: CreateSharedMemory(nSize) makes it nSize bytes long and stores
  nSize (a UINT, 4 bytes) in a second mapping, StarLeeSharedMemorySize; WriteToSharedMemory and
  ReadFromSharedMemory refuse sizes above it. The region's useful size is therefore a parameter
  taken from the other mapping (-shm-param): the mapping name without a kind is looked up with the
  kind of the object being decoded (posix:/StarLeeSharedMemorySize, win:Local\StarLeeSharedMemorySize).
params:
  - id: region_size
    type: u4
    doc: nSize, read from StarLeeSharedMemorySize.
    -shm-param:
      mapping: StarLeeSharedMemorySize
      offset: 0
      type: u4le
seq:
  - id: data
    size: region_size
    doc: The bytes WriteToSharedMemory copied (up to region_size).
instances:
  declared_size:
    value: region_size
    doc: The size the companion mapping declares.
