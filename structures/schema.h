#pragma once

// A Kaitai Struct layout (.ksy) read into memory: the subset ShmScope interprets (see README.md).
// loadLayout() parses the YAML with yaml-cpp and checks every key; anything outside the subset is an
// error naming the key, its path in the document and its line, never silently ignored. Keys starting
// with '-' are Kaitai's extension keys: ShmScope reads its own (-shm-kind, -shm-param) and ignores the
// others, as Kaitai's compiler does.
//
// Sources: the Kaitai Struct User Guide (kaitai_struct_doc, user_guide.adoc: keys, types, expression
// language, "-orig-id" extension keys) and the ksy JSON schema for the keys' meaning; Kaitai 0.11's
// release notes for UTF-16 strz. Where the guide is silent, the official compiler 0.11.0's generated
// JavaScript is the reference (tests/kaitai/difftest.js checks it).

#include "structures/expression.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace shmscope::structures {

/// Where something is in the .ksy: its path ("/types/area/seq/1/repeat-expr") and its 1-based line
/// and column (0 when unknown).
struct Location {
    std::string path;
    int line = 0;
    int column = 0;
};

/// Why a layout could not be loaded: the message, and where (see Location). text() renders
/// "NAME:LINE:COLUMN: PATH: MESSAGE".
struct LayoutError {
    std::string source; ///< the file name or built-in name given to loadLayout()
    Location location;
    std::string message;
    std::string text() const;
};

enum class Endian { Default, Little, Big };

struct TypeSpec;

/// An enum: integer values and their names, in declaration order.
struct EnumSpec {
    std::string name;
    std::vector<std::pair<std::int64_t, std::string>> values;
    /// The name of `value`, or nullptr when it has none.
    const std::string* label(std::int64_t value) const;
    /// The value named `label`, or nothing.
    std::optional<std::int64_t> valueOf(const std::string& label) const;
};

struct TypeRef;

/// One `cases` entry of a switch: the key expression (nullptr for `_`, the default) and the type.
struct SwitchCase {
    ExprPtr key;
    std::shared_ptr<TypeRef> type;
};

/// The `type:` of an attribute, resolved: a primitive, a user type (with arguments) or a switch.
struct TypeRef {
    enum class Kind {
        Bytes, ///< no type: raw bytes (size, size-eos or terminator)
        Int, ///< u1..u8, s1..s8; width in bytes
        BitInt, ///< b1..b64; width in bits (b1 is a boolean, as in Kaitai)
        Float, ///< f4, f8
        Str, ///< str
        StrZ, ///< strz: str with terminator 0 (a 2-byte NUL in UTF-16)
        User, ///< a type from `types`
        Switch, ///< switch-on / cases
    };
    Kind kind = Kind::Bytes;
    int width = 0; ///< bytes for Int/Float, bits for BitInt
    bool isSigned = false;
    Endian endian = Endian::Default; ///< resolved against meta when the layout is loaded
    bool bitLittle = false; ///< BitInt: meta bit-endian le
    std::string text; ///< as written in the .ksy ("u4le", "int_area(3)")
    const TypeSpec* user = nullptr; ///< User: the type
    std::vector<ExprPtr> arguments; ///< User: the argument expressions
    ExprPtr switchOn; ///< Switch
    std::vector<SwitchCase> cases; ///< Switch
};

enum class Repeat { None, Expr, Eos, Until };

/// A `seq` entry or an instance.
struct Attribute {
    std::string id;
    std::string doc;
    TypeRef type;
    ExprPtr size; ///< `size`
    bool sizeEos = false;
    std::optional<std::vector<std::uint8_t>> contents;
    std::string encoding; ///< for Str/StrZ, resolved against meta (upper case: "UTF-8", "UTF-16LE", "ASCII")
    std::optional<int> terminator; ///< terminator byte (strz: 0)
    bool consume = true, include = false, eosError = true;
    std::optional<int> padRight;
    Repeat repeat = Repeat::None;
    ExprPtr repeatExpr; ///< repeat-expr or repeat-until
    ExprPtr ifExpr;
    const EnumSpec* enumSpec = nullptr;
    std::string enumText; ///< the `enum:` as written
    bool isInstance = false;
    ExprPtr pos; ///< instance `pos`
    ExprPtr value; ///< value instance
    std::string shmKind; ///< -shm-kind (hwnd, handle, pid, ...): shown in hex
    Location location;
};

/// Where a root parameter's value comes from outside the mapping (`-shm-param`): another mapping's
/// bytes, e.g. seed 001's StarLeeSharedMemorySize holding the size of StarLeeSharedMemory.
struct ParamSource {
    std::string mapping; ///< the other mapping's address ("posix:/StarLeeSharedMemorySize")
    std::uint64_t offset = 0; ///< where the value is in it
    TypeRef type; ///< an integer type (u4le, ...)
};

/// A `params` entry.
struct Param {
    std::string id;
    std::string doc;
    std::string typeText;
    std::optional<ParamSource> source; ///< -shm-param on a root parameter
    Location location;
};

/// A type: the root (meta.id) or one of `types`, with its own nested types and enums.
struct TypeSpec {
    std::string name;
    const TypeSpec* parent = nullptr;
    std::string doc;
    std::vector<Param> params;
    std::vector<Attribute> seq;
    std::vector<Attribute> instances;
    std::vector<std::unique_ptr<TypeSpec>> types;
    std::vector<std::unique_ptr<EnumSpec>> enums;
    /// The type named `path` ("a" or "a::b") seen from here: this type's nested types, then its
    /// parents' (Kaitai's lookup rule); nullptr when there is none.
    const TypeSpec* findType(const std::string& path) const;
    /// The enum named `path` seen from here, by the same rule.
    const EnumSpec* findEnum(const std::string& path) const;
    /// The byte size every instance of this type has, when the layout fixes it (only fixed-size
    /// fields, no instances, ifs or switches); used for sizeof<T> and lazy arrays.
    std::optional<std::uint64_t> staticSize() const;
};

/// A loaded layout. Immutable and shareable between decodes and threads.
struct Schema {
    std::string source; ///< file name or built-in name
    std::string id; ///< meta.id
    std::string title; ///< meta.title (may be empty)
    std::unique_ptr<TypeSpec> root;
};

/// The outcome of loadLayout(): a schema, or an error.
struct LoadResult {
    std::shared_ptr<const Schema> schema;
    std::optional<LayoutError> error;
    explicit operator bool() const { return schema != nullptr; }
};

/// Parses `yamlText` (a .ksy document) into a Schema. `sourceName` names it in errors. Never throws:
/// YAML syntax errors, keys outside the supported subset, bad expressions and unknown type or enum
/// names all come back as a LayoutError with the key's path, line and column.
LoadResult loadLayout(const std::string& yamlText, const std::string& sourceName);

/// Reads the file at `path` and loads it (see loadLayout()); a file that cannot be read is an error
/// with an empty location.
LoadResult loadLayoutFile(const std::string& path);

/// Parses a primitive type name ("u4", "s2be", "f8", "b3", "str", "strz"; endianness resolved with
/// `defaultEndian`) into `out`; false when `name` is not a primitive.
bool parsePrimitiveType(const std::string& name, Endian defaultEndian, bool bitLittle, TypeRef& out);

} // namespace shmscope::structures
