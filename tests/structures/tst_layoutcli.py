#!/usr/bin/env python3
"""shmscope-cli decode / write --layout / layouts against bytes real programs wrote (issue 11):
- Python's multiprocessing.shared_memory.ShareableList([42, -1.5, "hello", b"\\x00\\x01", None, True]):
  `decode --layout python_shareable_list --json` shows those values; `write --field items[0].data.value`
  changes the int and Python (another process: this one, holding its own view) reads the new value;
  out-of-range and badly typed values are refused with exit code 2 and change nothing.
- seed 003's data areas (zzj_areas) written by a separate Python process with struct.pack.
- seed 004's UTF-16LE text buffer (seed004_text).
- seed 001's region whose size comes from a companion mapping (-shm-param), a layout written here
  that names this test's own companion object.
- a layout with an error: a usage error naming the key, the path and the line.
Objects are named shmscope-test-<pid>-… and removed in cleanup, also when a check fails.

    tst_layoutcli.py SHMSCOPE_CLI
"""
import json
import os
import struct
import subprocess
import sys
import tempfile
import unittest
from multiprocessing import shared_memory

# A process that attaches by name must not let Python 3.8-3.12's resource tracker unlink the object
# at its exit (bpo-39959): the subprocesses below unregister it.
CLI = sys.argv[1] if len(sys.argv) > 1 else "shmscope-cli"
PREFIX = f"shmscope-test-{os.getpid()}-layout-"


def cli(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=60)


def make_object(suffix, data, size=None):
    shm = shared_memory.SharedMemory(name=PREFIX + suffix, create=True, size=size or max(1, len(data)))
    shm.buf[: len(data)] = data
    return shm


class LayoutCli(unittest.TestCase):
    def setUp(self):
        self.objects = []
        self.lists = []

    def tearDown(self):
        for sl in self.lists:
            sl.shm.close()
            sl.shm.unlink()
        for shm in self.objects:
            shm.close()
            shm.unlink()

    def decode_json(self, name, *args):
        r = cli("decode", "posix:/" + name, "--json", *args)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)

    def test_layouts_lists_the_builtins(self):
        r = cli("layouts")
        self.assertEqual(r.returncode, 0, r.stderr)
        names = [line.split()[0] for line in r.stdout.splitlines()]
        self.assertEqual(names, ["python_shareable_list", "seed004_text", "starlee_region", "zzj_areas"])

    def test_shareable_list_round_trip(self):
        sl = shared_memory.ShareableList([42, -1.5, "hello", b"\x00\x01", None, True], name=PREFIX + "sl")
        self.lists.append(sl)
        tree = self.decode_json(PREFIX + "sl", "--layout", "python_shareable_list")
        self.assertEqual(tree["fields"]["count"]["value"], 6)
        items = tree["fields"]["items"]["elements"]
        values = [item["fields"]["data"] for item in items]
        self.assertEqual(values[0]["fields"]["value"]["value"], 42)
        self.assertEqual(values[1]["fields"]["value"]["value"], -1.5)
        self.assertEqual(values[2]["fields"]["value"]["value"], "hello")
        self.assertEqual(values[3]["fields"]["value"]["value"], "00 01")
        self.assertEqual(values[4]["fields"], {})  # None: 8 bytes, no value
        self.assertEqual(items[4]["fields"]["code"]["enum"], "none_value")
        self.assertEqual(values[5]["fields"]["value"]["value"], True)
        # The int's bytes are where Python keeps them: data area start + offset 0.
        data_start = 8 + 7 * 8
        self.assertEqual(values[0]["fields"]["value"]["offset"], data_start)
        self.assertEqual(values[0]["fields"]["value"]["size"], 8)

        # Editing the int in ShmScope is seen by Python.
        r = cli("write", "posix:/" + PREFIX + "sl", "--layout", "python_shareable_list",
                "--field", "items[0].data.value", "--value", "-123456789012")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sl[0], -123456789012)
        # Another process attached by name sees it too.
        out = subprocess.run([sys.executable, "-c",
                              "import sys; from multiprocessing import shared_memory as s, resource_tracker as t;"
                              "l = s.ShareableList(name=sys.argv[1]); t.unregister(l.shm._name, 'shared_memory');"
                              "print(l[0], l[2]);"
                              "l.shm.close()", PREFIX + "sl"],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(out.stdout.split(), ["-123456789012", "hello"], out.stderr)

        # The string within its 8 bytes; the bool; checks that refuse and change nothing.
        r = cli("write", "posix:/" + PREFIX + "sl", "--layout", "python_shareable_list",
                "--field", "items[2].data.value", "--value", "bye")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sl[2], "bye")
        before = bytes(sl.shm.buf)
        for field, value in [("items[0].data.value", "9223372036854775808"),  # s8 range
                             ("items[2].data.value", "much too long"),  # 8 bytes with the NUL
                             ("items[0].data.value", "forty-two"),
                             ("items[5].data.value", "false"),  # a computed value instance
                             ("items[9].data.value", "1")]:  # no such element
            r = cli("write", "posix:/" + PREFIX + "sl", "--layout", "python_shareable_list",
                    "--field", field, "--value", value)
            self.assertEqual(r.returncode, 2, (field, value, r.stdout, r.stderr))
            self.assertIn("nothing written", r.stderr)
            self.assertEqual(bytes(sl.shm.buf), before)
        r = cli("write", "posix:/" + PREFIX + "sl", "--layout", "python_shareable_list",
                "--field", "items[5].data.flag", "--value", "0")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIs(sl[5], False)

    def test_seed003_areas_from_another_process(self):
        # A separate process writes the areas as seed 003's client and server would.
        name = PREFIX + "zzj"
        shm = make_object("zzj", b"", size=4096)
        self.objects.append(shm)
        writer = ("import struct, sys; from multiprocessing import shared_memory as s, resource_tracker as t;"
                  "m = s.SharedMemory(name=sys.argv[1]); t.unregister(m._name, 'shared_memory');"
                  "d = struct.pack('<i3i', 4, 10, -20, 30) + struct.pack('<i2i', 2, 7, 8) + struct.pack('<II', 0x10a2c, 0x20b3d);"
                  "m.buf[:len(d)] = d; m.close()")
        subprocess.run([sys.executable, "-c", writer, name], check=True, timeout=60)
        tree = self.decode_json(name, "--layout", "zzj_areas")
        f = tree["fields"]
        self.assertEqual(f["area1"]["fields"]["count_plus_one"]["value"], 4)
        self.assertEqual([e["value"] for e in f["area1"]["fields"]["values"]["elements"]], [10, -20, 30])
        self.assertEqual(f["area1"]["fields"]["count"]["value"], 3)
        self.assertEqual([e["value"] for e in f["area2"]["fields"]["values"]["elements"]], [7, 8])
        self.assertEqual((f["hwnd_server"]["offset"], f["hwnd_server"]["value"]), (28, 0x10a2c))
        self.assertEqual(f["hwnd_client"]["value"], 0x20b3d)
        # The same areas again at 0x100, decoded with --offset: ranges are the object's offsets.
        shm.buf[0x100:0x100 + 36] = bytes(shm.buf[:36])
        moved = self.decode_json(name, "--layout", "zzj_areas", "--offset", "0x100")
        self.assertEqual(moved["offset"], 0x100)
        self.assertEqual(moved["fields"]["hwnd_server"]["offset"], 0x100 + 28)
        self.assertEqual(moved["fields"]["hwnd_client"]["value"], 0x20b3d)
        r = cli("decode", "posix:/" + name, "--layout", "zzj_areas", "--offset", "8192")
        self.assertEqual(r.returncode, 2)
        self.assertIn("past the end", r.stderr)
        text = cli("decode", "posix:/" + name, "--layout", "zzj_areas").stdout
        self.assertIn("hwnd_server  u4  0x00010a2c  @0x1c+4", text)
        # A field write lands in the other process's view of the bytes.
        r = cli("write", "posix:/" + name, "--layout", "zzj_areas", "--field", "area2.values[1]", "--value", "-5")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(struct.unpack_from("<i", shm.buf, 24)[0], -5)

    def test_seed004_utf16_text(self):
        text = "Hello, 世界!"
        data = (text + "\0leftover").encode("utf-16le")
        shm = make_object("text", data, size=8192)
        self.objects.append(shm)
        tree = self.decode_json(PREFIX + "text", "--layout", "seed004_text")
        self.assertEqual(tree["fields"]["text"]["value"], text)
        self.assertEqual(tree["fields"]["text"]["size"], 8192)
        r = cli("write", "posix:/" + PREFIX + "text", "--layout", "seed004_text", "--field", "text", "--value", "ok")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(bytes(shm.buf[:6]), "ok\0".encode("utf-16le"))

    def test_seed001_size_from_companion_mapping(self):
        region = make_object("region", b"abcdefghij", size=64)
        size = make_object("regionsize", struct.pack("<I", 6))
        self.objects += [region, size]
        with tempfile.TemporaryDirectory() as folder:
            layout = os.path.join(folder, "region.ksy")
            with open(layout, "w") as f:
                f.write(open(os.path.join(os.path.dirname(__file__), "..", "..", "structures", "layouts",
                                          "starlee_region.ksy")).read()
                        .replace("mapping: StarLeeSharedMemorySize", f"mapping: {PREFIX}regionsize"))
            tree = self.decode_json(PREFIX + "region", "--layout", layout)
            self.assertEqual(tree["fields"]["data"]["value"], "61 62 63 64 65 66")
            self.assertEqual(tree["fields"]["declared_size"]["value"], 6)
            # --param overrides the companion.
            tree = self.decode_json(PREFIX + "region", "--layout", layout, "--param", "region_size=2")
            self.assertEqual(tree["fields"]["data"]["value"], "61 62")
            # Without the companion: exit code 3 (not found), naming it.
            size.close()
            size.unlink()
            self.objects.remove(size)
            r = cli("decode", "posix:/" + PREFIX + "region", "--layout", layout)
            self.assertEqual(r.returncode, 3, r.stderr)
            self.assertIn(PREFIX + "regionsize", r.stderr)

    def test_bad_layout_is_a_usage_error_with_its_line(self):
        shm = make_object("bad", b"\0" * 16)
        self.objects.append(shm)
        with tempfile.TemporaryDirectory() as folder:
            layout = os.path.join(folder, "bad.ksy")
            with open(layout, "w") as f:
                f.write("meta:\n  id: bad\n  endian: le\nseq:\n  - id: a\n    type: u4\n    process: zlib\n")
            r = cli("decode", "posix:/" + PREFIX + "bad", "--layout", layout)
            self.assertEqual(r.returncode, 2)
            self.assertIn("bad.ksy:7:5: /seq/0/process: 'process' is not supported", r.stderr)
        r = cli("decode", "posix:/" + PREFIX + "bad", "--layout", "no_such_layout")
        self.assertEqual(r.returncode, 2)
        self.assertIn("no built-in layout of that name", r.stderr)

    def test_partial_tree_past_the_end(self):
        # A count asking for a billion values: the values that fit, the error at the array, exit 1.
        shm = make_object("huge", struct.pack("<i", 1000000001) + struct.pack("<3i", 1, 2, 3), size=16)
        self.objects.append(shm)
        r = cli("decode", "posix:/" + PREFIX + "huge", "--layout", "zzj_areas", "--json")
        self.assertEqual(r.returncode, 1)
        tree = json.loads(r.stdout)
        values = tree["fields"]["area1"]["fields"]["values"]
        self.assertEqual([e["value"] for e in values["elements"][:3]], [1, 2, 3])
        # The element that crosses the end holds the error, as in Kaitai's parsers.
        self.assertEqual(len(values["elements"]), 4)
        self.assertIn("goes past the end", values["elements"][3]["error"])
        self.assertIn("area1.values[3]", r.stderr)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
