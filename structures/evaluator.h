#pragma once

// Internal to the structures library (not a public header): the decoder's state shared by
// decoder.cpp (reading) and evaluator.cpp (expressions).

#include "structures/decoder.h"

#include <functional>

namespace shmscope::structures {

/// 128-bit integers for bit readers and range checks (a GCC/Clang extension).
__extension__ typedef unsigned __int128 U128;
__extension__ typedef __int128 S128;

/// A decode failure travelling to the node being decoded (internal; never leaves the library).
struct DecodeError {
    std::string message;
};

/// One I/O of Kaitai's model: the root stream or a substream (`size` on a user type), a window
/// [base, base + size) of the source, with the position and the bit reader's state.
struct Stream {
    std::uint64_t base = 0;
    std::uint64_t size = 0;
    std::uint64_t pos = 0;
    std::uint64_t bits = 0;
    int bitsLeft = 0;
};

struct DecodeState;

/// Where an expression is evaluated: names resolve in the struct `self`; `index` is _index inside a
/// repetition, `underscore` is `_` in repeat-until.
struct Context {
    Context(DecodeState* s, Node* n)
        : state(s)
        , self(n)
    { }
    DecodeState* state = nullptr;
    Node* self = nullptr;
    std::optional<std::int64_t> index;
    const Value* underscore = nullptr;
};

struct DecodeState {
    std::shared_ptr<const Schema> schema;
    std::shared_ptr<const ByteSource> source;
    Limits limits;
    std::unique_ptr<Node> root;
    std::size_t nodes = 0;
    int depth = 0;
    std::string error;
    std::string errorPath;

    std::unique_ptr<Node> newNode(Node* parent, std::string name);
    void recordError(Node* n, const std::string& message);
    std::string readRaw(Stream& io, std::uint64_t length);
    std::uint64_t readBits(Stream& io, int n, bool little, std::int64_t& bitStart);
    std::string readBytesField(const Attribute& a, const TypeRef& t, Node* owner, Stream& io);
    const TypeRef* resolveSwitch(const TypeRef& t, Node* owner);
    void readInto(Node* n, const Attribute& a, const TypeRef& type, Node* owner, const std::shared_ptr<Stream>& io,
                  std::optional<std::int64_t> index);
    std::optional<std::uint64_t> lazyStride(const Attribute& a);
    void readArray(Node* n, const Attribute& a, Node* owner, const std::shared_ptr<Stream>& io);
    void guarded(Node* n, const std::function<void()>& body);
    void parseStruct(Node* s, const std::shared_ptr<Stream>& io, std::map<std::string, Value> params);
    Node* evaluateInstance(Node* s, std::size_t k);
    void evaluateAll(Node* n);
    Node* materialize(Node* array, std::uint64_t i);
    Value nodeValue(const Node* n) const;

    // Access to Node internals for the evaluator (DecodeState is Node's friend).
    static Stream* ioOf(const Node* n) { return n->m_io.get(); }
    static const std::map<std::string, Value>& paramsOf(const Node* n) { return n->m_params; }
    static std::size_t seqCount(const Node* n) { return n->m_children.size(); }
};

/// Evaluates `e` in `context`; throws DecodeError on a type error, an unknown name, a division by
/// zero, an index out of range, ...
Value evaluate(const Expr& e, const Context& context);
/// The integer value of `v` (Int, or an enum); throws DecodeError naming `what` otherwise.
std::int64_t toInteger(const Value& v, const char* what);
/// The truth of a Bool; throws DecodeError naming `what` for anything else.
bool truthy(const Value& v, const char* what);
/// Kaitai's `==` (numbers across int/float, strings, bytes, bools, enums by value).
bool valuesEqual(const Value& a, const Value& b);

} // namespace shmscope::structures
