#pragma once

// Writing one decoded field: a new value as text, checked against the field's type and encoded into
// the bytes that replace the field's bytes. The caller writes the patch (under the object's lock,
// after checking that the bytes are still `before`).

#include "structures/decoder.h"

#include <optional>
#include <string>

namespace shmscope::structures {

/// Bytes to write at an absolute offset of the source, and what is there now (the same length).
struct FieldPatch {
    std::uint64_t offset = 0;
    std::string bytes;
    std::string before;
};

/// Encodes `text` as the new value of the leaf `node`:
/// - integers: decimal or 0x-hex, negative for signed types, checked against the type's range (a bit
///   field's width too); an enum field also takes a label;
/// - booleans (b1): true/false/1/0;
/// - floats: a decimal number (f4: rounded to single precision; out of its range is an error);
/// - strings: UTF-8 text, encoded in the field's encoding; a sized field keeps its size: a strz or
///   terminated str gets its terminator after the text and the rest of the field zeroed, a str with
///   pad-right is padded, other sized strings must encode to exactly the size; an unsized
///   terminated string must keep its byte length;
/// - bytes: hex ("de ad be ef"), with the same size rules as strings.
/// Bit fields are read-modify-write of the bytes that hold them (`source` gives the current bytes).
/// Errors (nullopt, with `error` set): not a leaf, no bytes of its own (value instances, contents),
/// a field that failed to decode, bad or out-of-range input.
std::optional<FieldPatch> encodeFieldValue(const Node& node, const std::string& text, const ByteSource& source,
                                           std::string& error);

} // namespace shmscope::structures
