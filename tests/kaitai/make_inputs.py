#!/usr/bin/env python3
"""Writes inputs.json: the fixed inputs of the differential test (difftest.js), per corpus layout.
Run it again after changing a layout's fixed inputs; difftest.js adds mutations and random buffers.
The python_shareable_list input is the memory of a real ShareableList (CPython's
multiprocessing.shared_memory), made here and copied out."""
import json
import struct
import sys


def h(b):
    return b.hex()


def shareable_list_bytes(values):
    from multiprocessing import shared_memory
    sl = shared_memory.ShareableList(values)
    try:
        return bytes(sl.shm.buf)
    finally:
        sl.shm.close()
        sl.shm.unlink()


inputs = {
    "ints_le": {"fixed": [h(struct.pack("<BHIQbhiq", 200, 0xBEEF, 0xDEADBEEF, 0x0123456789ABCDEF, -5, -300, -70000, -(2**40)))]},
    "ints_be": {"fixed": [h(struct.pack(">HIQhiq", 0xBEEF, 0xDEADBEEF, 2**63 + 5, -2, -3, -(2**62)) + struct.pack("<Ih", 7, -7))]},
    "ints_explicit": {"fixed": [h(struct.pack("<H", 1) + struct.pack(">H", 2) + struct.pack("<i", -3) + struct.pack(">i", -4)
                                  + struct.pack(">Q", 5) + struct.pack("<q", -6) + bytes([7, 0xF8]))]},
    "floats": {"fixed": [h(struct.pack("<fd", 1.5, -2.25) + struct.pack(">fd", 3.0e10, 12345.678)),
                         h(struct.pack("<fd", float("inf"), float("nan")) + struct.pack(">fd", -0.0, 1e-300))]},
    "bits_be": {"fixed": [h(bytes([0b10110011, 0x5A, 0xA5, 0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0xF0, 0x42, 0b11011010, 0x34, 0x12]))]},
    "bits_le": {"fixed": [h(bytes([0b10110011, 0x5A, 0xA5, 0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0xF0, 0x42, 0x33]))]},
    "strings_ascii": {"fixed": [h(b"ABCDhello\x00one,a.btwo;  pad  zz\x00\x01\x02"), h(b"\x80\xffXYz\x00,;x      ab")]},
    "strings_utf8": {"fixed": [h(bytes([6]) + "héllo".encode() + "日本\x00".encode() + b"rest \xff\xfe ok"),
                               h(bytes([3]) + b"\xe2\x82" + b"x\x00" + b"\xf0\x9f\x98\x80")]},
    "strings_utf16": {"fixed": [h("hi\u00e9\x00zz".encode("utf-16le") + b"\x00" * 0 + "AB\x00".encode("utf-16be") + "xyz".encode("utf-16le") + "tail".encode("utf-16le")),
                                h(b"\x00a\x00\x00b\x00c\x00\x00\x00\x00\x00" + b"\xd8\x3d\xde\x00\x00\x00" + b"\x3d\xd8\x41\x00" + b"\x00\xd8" + b"x")]},
    "bytes_fields": {"fixed": [h(bytes([3, 1, 2, 3, 9, 9, 0xFF, 5, 0xFE, 1, 2, 3, 7, 0, 0, 0, 0xAA, 0xBB])),
                               h(bytes([12, 1, 2, 3, 4, 0xFF, 0xFE, 1, 2, 0, 0, 0]))]},
    "contents_magic": {"fixed": [h(b"SHM\x01\x00\x7fok" + struct.pack("<I", 77)), h(b"SHM\x01\x01\x7fok\x00\x00\x00\x00")]},
    "repeat_expr": {"fixed": [h(bytes([5]) + struct.pack("<5H", 1, 2, 3, 4, 5) + struct.pack("<2h", -1, 1) + b"abcd"
                                + bytes([2, 7, 7, 3, 1, 2, 3])),
                              h(bytes([11]) + struct.pack("<5H", *range(5)) + struct.pack("<6h", *range(6)) + b"xy")]},
    "repeat_eos": {"fixed": [h(bytes([4]) + struct.pack(">2H", 0x1234, 0x5678) + bytes([1, 2, 200, 3, 4])),
                             h(bytes([3]) + b"\x01\x02\x03" + bytes([130, 5]))]},
    "repeat_until": {"fixed": [h(bytes([5, 4, 0]) + bytes([0, 1, 0, 0, 2, 0, 1, 3, 0])),
                               h(bytes([0]) + bytes([0, 1, 0]) * 7)]},
    "conditionals": {"fixed": [h(bytes([0x03]) + struct.pack("<HIh", 1, 2, 3)), h(bytes([0x84, 9])),
                               h(bytes([0x05, 1, 0, 7, 8]))]},
    "switches": {"fixed": [h(bytes([0, 5, 1, 9, 4, 4, 2])), h(bytes([1, 5, 6, 2, 1, 2, 3, 4, 8, 9, 0xFF])),
                           h(bytes([2, 0x34, 0x12, 3, 1, 1, 0xF0])), h(bytes([3, 0xF0, 9, 0, 0]))]},
    "enums": {"fixed": [h(bytes([1]) + struct.pack("<H", 1) + bytes([0b01000000])), h(bytes([0x10, 2, 0, 0xFF])),
                        h(bytes([7, 9, 0, 0x20]))]},
    "nested_types": {"fixed": [h(bytes([1, 2]) + struct.pack("<H", 3) + bytes([0xFD, 1]) + bytes([5]) + struct.pack("<H", 6)
                                 + bytes([0xF9, 0]) + struct.pack("<H", 8) + bytes([9]))]},
    "params": {"fixed": [h(bytes([3]) + bytes(range(1, 10)) + bytes([42])), h(bytes([9]) + bytes(range(12)) + bytes([1]))]},
    "instances_pos": {"fixed": [h(bytes([8, 3, 1, 2]) + b"abc" + b"\x00" + struct.pack("<3H", 10, 20, 30) + bytes([0x99]))]},
    "instances_value": {"fixed": [h(struct.pack("<bBf", -7, 10, 2.5)), h(struct.pack("<bBf", 100, 0, -1.0)),
                                  h(struct.pack("<bBf", 7, 7, 0.0))]},
    "expr_refs": {"fixed": [h(bytes([2, 10, 20, 30]) + b"42" + bytes([5, 6, 7])), h(bytes([0, 99]) + b"-7" + bytes([1, 2, 3]))]},
    "substreams": {"fixed": [h(bytes([5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])), h(bytes([1, 9, 8, 7, 6]))]},
    "docs_extensions": {"fixed": [h(struct.pack("<IIH", 0x000A01F4, 4242, 7))]},
    "root_params": {"params": {"region_size": 4, "mode": 1}, "fixed": [h(b"\x01\x02\x03\x04\x05"), h(b"\x01\x02")]},
    "large_counts": {"fixed": [h(struct.pack("<I", 2) + struct.pack("<2I", 5, 6) + bytes([1, 2, 3, 4])),
                               h(struct.pack("<I", 1000000000) + bytes(range(20)))]},
    "user_arrays": {"fixed": [h(bytes([10]) + struct.pack("<HBHBHB", 1, 2, 3, 4, 5, 6) + b"ab\x00cd\x00")]},
    # The built-in layouts (structures/layouts).
    "zzj_areas": {"fixed": [h(struct.pack("<i3i", 4, 10, -20, 30) + struct.pack("<i2i", 2, 7, 8) + struct.pack("<II", 0x00010A2C, 0x00020B3D)),
                            h(struct.pack("<i", 1) + struct.pack("<i", 0) + struct.pack("<II", 1, 2) + bytes(16))]},
    "seed004_text": {"maxRandomLength": 9000,
                     "fixed": [h(("Hello, 世界!\x00garbage".encode("utf-16le") + bytes(8192))[:8192]),
                               h(("x" * 4096).encode("utf-16le"))]},
    "starlee_region": {"params": {"region_size": 6}, "fixed": [h(b"abcdefgh"), h(b"abc")]},
    # No random buffers: random 64-bit counts and offsets test only overflow (see difftest.js).
    "python_shareable_list": {"random": 0,
                              "fixed": [h(shareable_list_bytes([42, -1.5, "hello", b"\x00\x01", None, True])),
                                        h(shareable_list_bytes(["a longer string of text", 7, False, b"xyz"]))]},
}

json.dump(inputs, sys.stdout, indent=1, sort_keys=True)
sys.stdout.write("\n")
