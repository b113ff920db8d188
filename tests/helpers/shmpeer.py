#!/usr/bin/env python3
# The Python peer: attaches the object by name (without Python's resource tracker, which would unlink
# it at exit) and runs commands from stdin, one per line, answering "ok" (or a value) on stdout:
#   write OFFSET HEX       writes the bytes
#   add OFFSET N           adds N to the little-endian u32 at OFFSET
#   noise OFFSET LENGTH    rewrites LENGTH bytes at OFFSET with fresh random bytes
#   tick                   adds 1 to the peer's own u32 counter, at an aligned offset it chose at random
#   churn                  rewrites the peer's own 64 KiB noise region (away from the counter) with random bytes
#   reveal                 answers "ok OFFSET" with the counter's offset
#   quit
import os, random, struct, sys
from multiprocessing import shared_memory, resource_tracker
shm = shared_memory.SharedMemory(name=sys.argv[1], create=False)
resource_tracker.unregister(shm._name, 'shared_memory')
buf = shm.buf
size = len(buf)
noise = random.randrange(0, max(1, size // 2 - 65536)) // 4 * 4
counter = random.randrange(size // 2, size) // 4 * 4
for line in sys.stdin:
    words = line.split()
    if not words:
        continue
    if words[0] == 'quit':
        break
    if words[0] == 'write':
        data = bytes.fromhex(words[2])
        buf[int(words[1]):int(words[1]) + len(data)] = data
    elif words[0] == 'add':
        off = int(words[1])
        value, = struct.unpack_from('<I', buf, off)
        struct.pack_into('<I', buf, off, (value + int(words[2])) & 0xffffffff)
    elif words[0] == 'noise':
        off, n = int(words[1]), int(words[2])
        buf[off:off + n] = os.urandom(n)
    elif words[0] == 'tick':
        value, = struct.unpack_from('<I', buf, counter)
        struct.pack_into('<I', buf, counter, (value + 1) & 0xffffffff)
    elif words[0] == 'churn':
        buf[noise:noise + 65536] = os.urandom(65536)
    elif words[0] == 'reveal':
        print('ok', counter, flush=True)
        continue
    print('ok', flush=True)
del buf
shm.close()
