#pragma once

// The interpreter: decodes bytes through a Schema into a tree of Nodes, each with its exact byte
// range. Decoding never throws and never runs away: reading past the end, a failed `contents`, a bad
// expression, too many nodes or too deep a nesting stop the decode with the error recorded at the
// node where it happened (Node::error()), and everything decoded before stays in the tree, as
// Kaitai's generated parsers leave a partial object. Limits (see Limits) bound memory and time.
//
// Large arrays are lazy: an array of fixed-size plain elements (integers, floats, fixed-size byte or
// string fields, and user types made only of those) is not decoded when the tree is built; its
// elements are decoded when child(i) is asked for (or an expression indexes it), so a 100,000-element
// array costs one node until someone looks inside. Not thread-safe: one thread per Tree.
//
// Sources: the semantics of Kaitai's generated parsers (kaitai-struct-compiler 0.11.0, JavaScript
// target in debug mode, and the kaitai-struct 0.11.0 runtime's KaitaiStream: readBitsIntBe/Le,
// bytesTerminateMulti, the _debug start/end/ioOffset ranges), checked field by field by
// tests/kaitai/difftest.js; the documented differences are in structures/README.md.

#include "structures/schema.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace shmscope::structures {

class Node;

/// Where the bytes come from: a snapshot buffer, or a live mapping (the caller's adapter).
class ByteSource
{
public:
    virtual ~ByteSource() = default;
    /// The number of bytes.
    virtual std::uint64_t size() const = 0;
    /// Copies `length` bytes at `offset` into `out`; false when the range is outside the source or
    /// the bytes cannot be read (then `out` is unspecified).
    virtual bool read(std::uint64_t offset, void* out, std::size_t length) const = 0;
};

/// A ByteSource over a buffer the caller keeps alive (no copy).
class BufferSource : public ByteSource
{
public:
    BufferSource(const void* data, std::uint64_t size)
        : m_data(static_cast<const std::uint8_t*>(data))
        , m_size(size)
    { }
    std::uint64_t size() const override { return m_size; }
    bool read(std::uint64_t offset, void* out, std::size_t length) const override;

private:
    const std::uint8_t* m_data;
    std::uint64_t m_size;
};

/// A ByteSource owning a copy of its bytes.
class OwnedBufferSource : public ByteSource
{
public:
    explicit OwnedBufferSource(std::vector<std::uint8_t> bytes)
        : m_bytes(std::move(bytes))
    { }
    std::uint64_t size() const override { return m_bytes.size(); }
    bool read(std::uint64_t offset, void* out, std::size_t length) const override;
    const std::vector<std::uint8_t>& bytes() const { return m_bytes; }

private:
    std::vector<std::uint8_t> m_bytes;
};

/// A value: of a field, or of an expression.
struct Value {
    enum class Kind { None, Int, Float, Bool, String, Bytes, Struct, Array };
    Kind kind = Kind::None;
    std::int64_t integer = 0; ///< Int (two's complement bits of a u8 above INT64_MAX when isUnsigned)
    bool isUnsigned = false; ///< Int read from u8/b64: print as unsigned
    double real = 0; ///< Float
    bool boolean = false; ///< Bool
    std::string text; ///< String (UTF-8) or Bytes (raw)
    const EnumSpec* enumSpec = nullptr; ///< Int with an enum
    const Node* node = nullptr; ///< Struct or Array: the node

    static Value ofInt(std::int64_t v)
    {
        Value r;
        r.kind = Kind::Int;
        r.integer = v;
        return r;
    }
    static Value ofFloat(double v)
    {
        Value r;
        r.kind = Kind::Float;
        r.real = v;
        return r;
    }
    static Value ofBool(bool v)
    {
        Value r;
        r.kind = Kind::Bool;
        r.boolean = v;
        return r;
    }
    static Value ofString(std::string v)
    {
        Value r;
        r.kind = Kind::String;
        r.text = std::move(v);
        return r;
    }
    static Value ofBytes(std::string v)
    {
        Value r;
        r.kind = Kind::Bytes;
        r.text = std::move(v);
        return r;
    }
};

/// Bounds on one decode (documented in structures/README.md).
struct Limits {
    std::size_t maxNodes = 262144; ///< nodes made, lazy elements included once materialised
    int maxDepth = 64; ///< nesting of user types (and of instance evaluations)
    std::uint64_t maxEagerElements = 1000000; ///< elements of one non-lazy array
};

/// What to decode and how.
struct DecodeOptions {
    std::uint64_t offset = 0; ///< where the root type starts in the source
    std::map<std::string, Value> params; ///< values of the root type's params, by id
    Limits limits;
};

class Tree;
struct DecodeState;

/// One decoded field, array, element or instance.
class Node
{
public:
    enum class Kind { Struct, Array, Int, Float, Bool, String, Bytes, None };

    Node(const Node&) = delete;
    Node& operator=(const Node&) = delete;
    ~Node();

    /// The field id, "[i]" for an array element, the meta id for the root.
    const std::string& name() const { return m_name; }
    Kind kind() const { return m_kind; }
    /// The type as written ("u4le", "int_area", "str(UTF-16LE)", "u4[]").
    const std::string& typeName() const { return m_typeName; }
    /// The schema entry this node comes from (nullptr for the root and for array elements, whose
    /// entry is their array's).
    const Attribute* attribute() const { return m_attribute; }
    /// The attribute that describes this node's bytes: its own, or its array's for an element.
    const Attribute* effectiveAttribute() const;
    /// The type that a Struct node decodes.
    const TypeSpec* structType() const { return m_structType; }
    Node* parent() const { return m_parent; }

    /// Whether the node has bytes of its own (value instances have none).
    bool hasRange() const { return m_hasRange; }
    /// Absolute byte offset in the source (as Kaitai's _debug start, plus the stream's base).
    std::uint64_t offset() const { return m_offset; }
    /// Byte length (Kaitai's _debug end - start; 0 for a bit field read from already-read bits).
    std::uint64_t size() const { return m_size; }
    /// For bit fields: the absolute index of the first bit (byte offset * 8 + bit, MSB first for
    /// big-endian bit order) and the bit count; -1 and 0 otherwise.
    std::int64_t bitStart() const { return m_bitStart; }
    int bitCount() const { return m_bitCount; }

    /// The value of a leaf (Int, Float, Bool, String, Bytes); for Struct/Array a Value pointing here.
    Value value() const;
    /// The error that stopped decoding at this node, or empty.
    const std::string& error() const { return m_error; }
    /// True when this node or something inside it could not be decoded completely (a failed
    /// instance marks itself and what is inside it, not the struct it belongs to).
    bool incomplete() const { return m_incomplete; }
    /// True for an instance (pos or value).
    bool isInstance() const { return m_attribute && m_attribute->isInstance && !m_isElement; }
    /// True for an array element.
    bool isElement() const { return m_isElement; }
    /// For an array element, its index.
    std::uint64_t index() const { return m_index; }

    /// Number of children: struct fields (seq then instances), or array elements.
    std::size_t childCount() const;
    /// Number of seq children (struct fields read by the seq, those whose `if` held); children
    /// [seqCount(), childCount()) are the instances. 0 for arrays and leaves.
    std::size_t seqCount() const { return m_lazy ? 0 : m_children.size(); }
    /// The i-th child (decoding a lazy element now if needed); nullptr when out of range or when the
    /// node limit stops a lazy element (then the array's error() says so).
    Node* child(std::size_t i);
    const Node* child(std::size_t i) const { return const_cast<Node*>(this)->child(i); }
    /// The struct child named `name`, or nullptr.
    Node* member(const std::string& name);
    /// True for an array whose elements are decoded on demand.
    bool isLazy() const { return m_lazy != nullptr; }

    /// The path from the root: "area1.values[3]" (the root's path is empty).
    std::string path() const;
    /// The value as text for display: integers decimal (hex for -shm-kind fields), enums as
    /// "name (value)", strings quoted, bytes in hex, floats shortest round-trip.
    std::string displayValue() const;

private:
    friend class Tree;
    friend struct DecodeState;
    friend class Decoder;
    Node() = default;

    std::string m_name;
    Kind m_kind = Kind::None;
    std::string m_typeName;
    const Attribute* m_attribute = nullptr;
    const TypeSpec* m_structType = nullptr;
    const TypeRef* m_typeRef = nullptr; // the type decoded (after switch resolution)
    Node* m_parent = nullptr;
    bool m_hasRange = true;
    bool m_isElement = false;
    bool m_incomplete = false;
    std::uint64_t m_index = 0;
    std::uint64_t m_offset = 0;
    std::uint64_t m_size = 0;
    std::int64_t m_bitStart = -1;
    int m_bitCount = 0;
    Value m_value;
    std::string m_error;
    std::vector<std::unique_ptr<Node>> m_children;
    // Struct only.
    std::shared_ptr<struct Stream> m_io;
    std::map<std::string, Value> m_params;
    std::vector<std::unique_ptr<Node>> m_instances; // one per TypeSpec::instances, null until evaluated
    std::vector<char> m_instanceBusy;
    bool m_seqComplete = false;
    // Lazy array only.
    struct Lazy;
    std::unique_ptr<Lazy> m_lazy;
    DecodeState* m_state = nullptr;
};

/// A decoded tree: owns its nodes, the schema and the source they refer to.
class Tree
{
public:
    /// Decodes `source` from options.offset through `schema`'s root type. Never throws; never null.
    static std::unique_ptr<Tree> decode(std::shared_ptr<const Schema> schema, std::shared_ptr<const ByteSource> source,
                                        DecodeOptions options = {});
    ~Tree();

    Node& root();
    const Node& root() const;
    /// The node at `path` ("area1.values[3]", "" for the root), materialising lazy elements on the
    /// way; nullptr when there is none.
    Node* find(const std::string& path);
    /// The first error met (also at its node), or empty when everything decoded.
    const std::string& error() const;
    /// The path of the node holding error().
    const std::string& errorPath() const;
    /// Nodes made so far (grows as lazy elements are materialised).
    std::size_t nodeCount() const;
    const Schema& schema() const;
    const ByteSource& source() const;

private:
    Tree() = default;
    std::unique_ptr<DecodeState> m_state;
};

} // namespace shmscope::structures
