#pragma once

// Decoded values as text: for display (tree views, the CLI) and as JSON.

#include "structures/decoder.h"

#include <string>

namespace shmscope::structures {

/// Bytes as lower-case hex pairs separated by spaces ("de ad be ef").
std::string hexText(const std::string& bytes);

/// The shortest decimal text that reads back as exactly `d` ("1.5", "0.1", "nan", "inf", "-inf").
std::string formatFloat(double d);

/// A node's value for display: integers in decimal (in hex, "0x0001a2b4", for -shm-kind fields),
/// enums as "label (value)" (or "value" when it has no label), booleans true/false, strings quoted
/// with C escapes for control characters, bytes in hex (the first 64, then "…"), floats shortest
/// round-trip; structs "{…}", arrays "[N]", absent values "(none)"; "(error)" when the node could
/// not be decoded.
std::string formatValue(const Node& node);

/// `text` (UTF-8) as a JSON string literal, with quotes.
std::string jsonString(const std::string& text);

/// The JSON value of a leaf: numbers (u8 values above 2^53 exact, as written), booleans, strings,
/// bytes as a hex string, null for none; an enum as its number.
std::string jsonValue(const Node& node);

/// The subtree at `node` as nested JSON objects:
///   {"type": T, "offset": O, "size": S, "value": V, "enum": "label", "error": "...",
///    "fields": {name: {...}, ...}   (structs: seq fields then instances)
///    "elements": [{...}, ...]}      (arrays)
/// offset/size are omitted for value instances. `maxElements` caps the elements listed per array
/// (the rest are counted in "more": N). Materialises lazy elements it lists.
std::string treeJson(Node& node, std::size_t maxElements, int indent = 0);

/// The subtree as indented text, one node a line: "name  type  value  @0x10+4", errors as
/// "  ! error". Arrays list at most `maxElements` elements ("… N more").
std::string treeText(Node& node, std::size_t maxElements);

} // namespace shmscope::structures
