#!/usr/bin/env python3
"""Fills the English plural forms of translations/shmscope_en.ts from the "%n …(s)" source texts.

Run after `cmake --build build --target update_translations` (which adds new "%n" strings to the file
unfinished). English has two forms: singular (n == 1) and plural. From the source text:
  "word(s)" -> "word" / "words", "process(es)" -> "process" / "processes";  in the singular also
  "were" -> "was", "them" -> "it". Read the output: a "(s)" that belongs to another number than %n
  needs a hand fix (the file is then left alone on later runs).
Entries already translated are left as they are (fix a wrong one by hand: it then stays). Prints each
entry it fills, so that the result can be read over before committing.
"""
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

path = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).with_name("shmscope_en.ts"))
tree = ET.parse(path)


def forms(source):
    plural = re.sub(r"(\w+)\((e?s)\)", r"\1\2", source)
    singular = re.sub(r"(\w+)\((e?s)\)", r"\1", source)
    singular = re.sub(r"\bwere\b", "was", singular)
    singular = re.sub(r"\bthem\b", "it", singular)
    return singular, plural


filled = 0
for message in tree.iter("message"):
    if message.get("numerus") != "yes":
        continue
    translation = message.find("translation")
    if translation.get("type") != "unfinished" and any((f.text or "") for f in translation.iter("numerusform")):
        continue
    for child in list(translation):
        translation.remove(child)
    translation.attrib.pop("type", None)
    singular, plural = forms(message.find("source").text)
    for text in (singular, plural):
        ET.SubElement(translation, "numerusform").text = text
    print(f"{singular}\n{plural}\n")
    filled += 1

if filled:
    ET.indent(tree, space="    ")
    body = ET.tostring(tree.getroot(), encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")
print(f"{filled} entries filled in {path}", file=sys.stderr)
