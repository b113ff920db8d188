// The interpreter. It follows what Kaitai's generated parsers do (checked by the differential test
// against the official compiler's JavaScript output, tests/kaitai/): a Stream per I/O (the root and
// every substream a `size` makes), the same bit reader, the same byte ranges as the compiler's
// debug mode records (start = position before the read, end = position after), seq fields read in
// order with an error aborting the whole parse, instances evaluated on first use (and all of them
// once the parse is done, as a tree view would).
//
// Errors travel as C++ exceptions inside this file only: DecodeError carries a message up to the
// node being decoded, which records it and throws Abort to unwind the parse; Tree::decode() and
// Node::child() catch everything, so nothing escapes the public API.
#include "structures/decoder.h"

#include "structures/evaluator.h"
#include "structures/format.h"
#include "structures/textcodec.h"

#include <algorithm>
#include <cstring>

namespace shmscope::structures {

bool BufferSource::read(std::uint64_t offset, void* out, std::size_t length) const
{
    if (offset > m_size || length > m_size - offset)
        return false;
    if (length)
        std::memcpy(out, m_data + offset, length);
    return true;
}

bool OwnedBufferSource::read(std::uint64_t offset, void* out, std::size_t length) const
{
    if (offset > m_bytes.size() || length > m_bytes.size() - offset)
        return false;
    if (length)
        std::memcpy(out, m_bytes.data() + offset, length);
    return true;
}

struct Node::Lazy {
    std::uint64_t count = 0; // elements available (those that fit)
    std::uint64_t start = 0; // position of element 0 in `io`
    std::uint64_t stride = 0;
    std::shared_ptr<Stream> io;
    Node* owner = nullptr; // the struct whose field this is
    std::unordered_map<std::uint64_t, std::unique_ptr<Node>> cache;
};

Node::~Node() = default;

namespace {

struct Abort {
};

// Counts nesting (user types, instance evaluations) against Limits::maxDepth.
struct DepthGuard {
    explicit DepthGuard(DecodeState& s);
    ~DepthGuard();
    DecodeState& state;
};

std::string typeLabel(const TypeRef& t, const Attribute& a)
{
    switch (t.kind) {
    case TypeRef::Kind::Str:
    case TypeRef::Kind::StrZ:
        return t.text + "(" + a.encoding + ")";
    case TypeRef::Kind::Bytes:
        return a.contents ? "contents" : "bytes";
    case TypeRef::Kind::Switch:
        return "switch";
    default:
        return t.text;
    }
}

} // namespace

// ---- DecodeState: the decoder's state and its operations -------------------------------------------

DepthGuard::DepthGuard(DecodeState& s)
    : state(s)
{
    if (++state.depth > state.limits.maxDepth) {
        --state.depth;
        throw DecodeError { "nesting deeper than " + std::to_string(state.limits.maxDepth)
                            + " levels (a recursive layout?)" };
    }
}

DepthGuard::~DepthGuard()
{
    --state.depth;
}

std::unique_ptr<Node> DecodeState::newNode(Node* parent, std::string name)
{
    if (nodes >= limits.maxNodes)
        throw DecodeError { "more than " + std::to_string(limits.maxNodes) + " nodes (the node limit)" };
    ++nodes;
    std::unique_ptr<Node> n(new Node);
    n->m_parent = parent;
    n->m_name = std::move(name);
    n->m_state = this;
    return n;
}

void DecodeState::recordError(Node* n, const std::string& message)
{
    n->m_error = message;
    // Up to the instance it happened in, if any: an instance's failure leaves its struct complete
    // (Kaitai evaluates instances apart from the parse).
    for (Node* p = n; p; p = p->m_parent) {
        p->m_incomplete = true;
        if (p->isInstance())
            break;
    }
    if (error.empty()) {
        error = message;
        errorPath = n->path();
    }
}

std::string DecodeState::readRaw(Stream& io, std::uint64_t length)
{
    if (io.pos > io.size || length > io.size - io.pos)
        throw DecodeError { "reading " + std::to_string(length) + " byte(s) at offset "
                            + std::to_string(io.base + io.pos) + " goes past the end ("
                            + std::to_string(io.size > io.pos ? io.size - io.pos : 0) + " left)" };
    std::string out(length, '\0');
    if (length && !source->read(io.base + io.pos, out.data(), length))
        throw DecodeError { "cannot read " + std::to_string(length) + " byte(s) at offset "
                            + std::to_string(io.base + io.pos) + " (the object shrank?)" };
    io.pos += length;
    return out;
}

std::uint64_t DecodeState::readBits(Stream& io, int n, bool little, std::int64_t& bitStart)
{
    using u128 = U128;
    bitStart = std::int64_t((io.base + io.pos) * 8 - std::uint64_t(io.bitsLeft));
    const int bitsNeeded = n - io.bitsLeft;
    u128 res = 0;
    if (!little) {
        const int newLeft = (-bitsNeeded) & 7;
        if (bitsNeeded > 0) {
            const int bytesNeeded = ((bitsNeeded - 1) >> 3) + 1;
            const std::string buf = readRaw(io, std::uint64_t(bytesNeeded));
            u128 fresh = 0;
            for (const char c : buf)
                fresh = (fresh << 8) | static_cast<unsigned char>(c);
            res = ((u128(io.bits) << (bytesNeeded * 8)) | fresh) >> newLeft;
            io.bits = std::uint64_t(fresh & ((u128(1) << newLeft) - 1));
        } else {
            res = io.bits >> (-bitsNeeded);
            io.bits &= (std::uint64_t(1) << newLeft) - 1;
        }
        io.bitsLeft = newLeft;
    } else {
        if (bitsNeeded > 0) {
            const int bytesNeeded = ((bitsNeeded - 1) >> 3) + 1;
            const std::string buf = readRaw(io, std::uint64_t(bytesNeeded));
            u128 fresh = 0;
            for (int i = bytesNeeded - 1; i >= 0; --i)
                fresh = (fresh << 8) | static_cast<unsigned char>(buf[std::size_t(i)]);
            const u128 newBits = fresh >> bitsNeeded;
            res = (fresh << io.bitsLeft) | io.bits;
            io.bits = std::uint64_t(newBits);
        } else {
            res = io.bits;
            io.bits >>= n;
        }
        io.bitsLeft = (-bitsNeeded) & 7;
    }
    if (n < 64)
        res &= (u128(1) << n) - 1;
    return std::uint64_t(res);
}

// Bytes of a bytes/str/strz field: size, size-eos or terminator, then pad-right and terminator
// applied to a sized read, as the generated code does.
std::string DecodeState::readBytesField(const Attribute& a, const TypeRef& t, Node* owner, Stream& io)
{
    const int unit = t.kind == TypeRef::Kind::StrZ ? codeUnitSize(a.encoding) : 1;
    auto terminate = [&](std::string bytes) {
        if (!a.terminator)
            return bytes;
        // bytesTerminate / bytesTerminateMulti: the first whole code unit equal to the terminator.
        for (std::size_t i = 0; i + std::size_t(unit) <= bytes.size(); i += std::size_t(unit)) {
            bool match = true;
            for (int k = 0; k < unit; ++k)
                match = match && static_cast<unsigned char>(bytes[i + std::size_t(k)]) == (k == 0 ? *a.terminator : 0);
            if (match) {
                bytes.resize(i + (a.include ? std::size_t(unit) : 0));
                return bytes;
            }
        }
        return bytes;
    };
    if (a.size || a.sizeEos) {
        std::uint64_t length = 0;
        if (a.sizeEos) {
            length = io.size > io.pos ? io.size - io.pos : 0;
        } else {
            const std::int64_t s = toInteger(evaluate(*a.size, Context(this, owner)), "size");
            if (s < 0)
                throw DecodeError { "negative size " + std::to_string(s) };
            length = std::uint64_t(s);
        }
        std::string bytes = readRaw(io, length);
        if (a.padRight) {
            std::size_t n = bytes.size();
            while (n > 0 && static_cast<unsigned char>(bytes[n - 1]) == *a.padRight)
                --n;
            bytes.resize(n);
        }
        return terminate(std::move(bytes));
    }
    // Terminated read from the stream (readBytesTerm / readBytesTermMulti).
    const std::uint64_t left = io.size > io.pos ? io.size - io.pos : 0;
    std::string rest(left, '\0');
    if (left && !source->read(io.base + io.pos, rest.data(), left))
        throw DecodeError { "cannot read at offset " + std::to_string(io.base + io.pos) + " (the object shrank?)" };
    for (std::size_t i = 0; i + std::size_t(unit) <= rest.size(); i += std::size_t(unit)) {
        bool match = true;
        for (int k = 0; k < unit; ++k)
            match = match && static_cast<unsigned char>(rest[i + std::size_t(k)]) == (k == 0 ? *a.terminator : 0);
        if (match) {
            io.pos += i + (a.consume ? std::uint64_t(unit) : 0);
            return rest.substr(0, i + (a.include ? std::size_t(unit) : 0));
        }
    }
    // No terminator: the rest of the stream (readBytesTerm / readBytesTermMulti take it all, an odd
    // trailing byte of UTF-16 included).
    io.pos += left;
    if (a.eosError)
        throw DecodeError { "no terminator " + std::to_string(*a.terminator) + " before the end of the stream" };
    return rest;
}

const TypeRef* DecodeState::resolveSwitch(const TypeRef& t, Node* owner)
{
    const Value key = evaluate(*t.switchOn, Context(this, owner));
    const TypeRef* fallback = nullptr;
    for (const SwitchCase& c : t.cases) {
        if (!c.key) {
            fallback = c.type.get();
            continue;
        }
        if (valuesEqual(evaluate(*c.key, Context(this, owner)), key))
            return c.type.get();
    }
    return fallback;
}

// Reads one value of type `t` (an element or a whole non-repeated field) into `n`.
void DecodeState::readInto(Node* n, const Attribute& a, const TypeRef& type, Node* owner,
                           const std::shared_ptr<Stream>& io, std::optional<std::int64_t> index)
{
    if (type.kind != TypeRef::Kind::BitInt && io->bitsLeft) {
        io->bits = 0; // alignToByte
        io->bitsLeft = 0;
    }
    const std::uint64_t start = io->pos;
    n->m_offset = io->base + start;
    auto finish = [&] { n->m_size = io->pos - start; };
    if (a.contents) {
        n->m_kind = Node::Kind::Bytes;
        n->m_typeName = "contents";
        std::string bytes;
        try {
            bytes = readRaw(*io, a.contents->size());
        } catch (...) {
            finish();
            throw;
        }
        n->m_value = Value::ofBytes(bytes);
        finish();
        if (std::string(a.contents->begin(), a.contents->end()) != bytes)
            throw DecodeError { "contents mismatch: expected "
                                + hexText(std::string(a.contents->begin(), a.contents->end())) + ", found "
                                + hexText(bytes) };
        return;
    }
    const TypeRef* t = &type;
    if (t->kind == TypeRef::Kind::Switch) {
        t = resolveSwitch(type, owner);
        if (!t) {
            if (a.size || a.sizeEos) {
                static const TypeRef bytesType;
                t = &bytesType;
            } else {
                n->m_kind = Node::Kind::None;
                n->m_typeName = "switch (no case)";
                finish();
                return;
            }
        }
    }
    n->m_typeRef = t;
    n->m_typeName = typeLabel(*t, a);
    switch (t->kind) {
    case TypeRef::Kind::Int: {
        const std::string raw = readRaw(*io, std::uint64_t(t->width));
        std::uint64_t v = 0;
        for (int i = 0; i < t->width; ++i) {
            const int at = t->endian == Endian::Big ? i : t->width - 1 - i;
            v = (v << 8) | static_cast<unsigned char>(raw[std::size_t(at)]);
        }
        if (t->isSigned && t->width < 8 && (v >> (t->width * 8 - 1)) & 1)
            v |= ~std::uint64_t(0) << (t->width * 8);
        Value value = Value::ofInt(std::int64_t(v));
        value.isUnsigned = !t->isSigned && t->width == 8;
        value.enumSpec = a.enumSpec;
        n->m_kind = Node::Kind::Int;
        n->m_value = value;
        break;
    }
    case TypeRef::Kind::Float: {
        std::string raw = readRaw(*io, std::uint64_t(t->width));
        if (t->endian == Endian::Big)
            std::reverse(raw.begin(), raw.end());
        n->m_kind = Node::Kind::Float;
        if (t->width == 4) {
            float f;
            std::memcpy(&f, raw.data(), 4);
            n->m_value = Value::ofFloat(double(f));
        } else {
            double d;
            std::memcpy(&d, raw.data(), 8);
            n->m_value = Value::ofFloat(d);
        }
        break;
    }
    case TypeRef::Kind::BitInt: {
        std::int64_t bitStart = 0;
        const std::uint64_t v = readBits(*io, t->width, t->bitLittle, bitStart);
        n->m_bitStart = bitStart;
        n->m_bitCount = t->width;
        if (t->width == 1 && !a.enumSpec) {
            n->m_kind = Node::Kind::Bool;
            n->m_value = Value::ofBool(v != 0);
        } else {
            Value value = Value::ofInt(std::int64_t(v));
            value.isUnsigned = t->width == 64;
            value.enumSpec = a.enumSpec;
            n->m_kind = Node::Kind::Int;
            n->m_value = value;
        }
        break;
    }
    case TypeRef::Kind::Bytes:
        n->m_kind = Node::Kind::Bytes;
        n->m_value = Value::ofBytes(readBytesField(a, *t, owner, *io));
        break;
    case TypeRef::Kind::Str:
    case TypeRef::Kind::StrZ:
        n->m_kind = Node::Kind::String;
        n->m_value = Value::ofString(decodeText(readBytesField(a, *t, owner, *io), a.encoding));
        break;
    case TypeRef::Kind::User: {
        n->m_kind = Node::Kind::Struct;
        n->m_structType = t->user;
        std::map<std::string, Value> args;
        for (std::size_t i = 0; i < t->arguments.size(); ++i) {
            Context c(this, owner);
            c.index = index;
            args[t->user->params[i].id] = evaluate(*t->arguments[i], c);
        }
        if (a.size || a.sizeEos) {
            std::uint64_t length = 0;
            if (a.sizeEos) {
                length = io->size > io->pos ? io->size - io->pos : 0;
            } else {
                const std::int64_t s = toInteger(evaluate(*a.size, Context(this, owner)), "size");
                if (s < 0)
                    throw DecodeError { "negative size " + std::to_string(s) };
                length = std::uint64_t(s);
            }
            if (io->pos > io->size || length > io->size - io->pos)
                throw DecodeError { "a substream of " + std::to_string(length) + " byte(s) at offset "
                                    + std::to_string(io->base + io->pos) + " goes past the end ("
                                    + std::to_string(io->size > io->pos ? io->size - io->pos : 0) + " left)" };
            auto sub = std::make_shared<Stream>();
            sub->base = io->base + io->pos;
            sub->size = length;
            io->pos += length;
            finish(); // the range is the substream's, whatever the type reads of it
            parseStruct(n, sub, std::move(args));
            return;
        }
        try {
            parseStruct(n, io, std::move(args));
        } catch (...) {
            finish();
            throw;
        }
        break;
    }
    case TypeRef::Kind::Switch:
        break; // resolved above
    }
    finish();
}

// The element size when an array of `a` can be lazy: fixed-size elements that cannot fail once their
// bytes are there (no contents, ifs, switches, instances, params, bit fields).
std::optional<std::uint64_t> DecodeState::lazyStride(const Attribute& a)
{
    if (a.repeat != Repeat::Expr && a.repeat != Repeat::Eos)
        return std::nullopt;
    std::function<std::optional<std::uint64_t>(const Attribute&, int)> plain;
    plain = [&](const Attribute& x, int depth) -> std::optional<std::uint64_t> {
        if (depth > 16 || x.contents || x.ifExpr || x.sizeEos || (depth > 0 && x.repeat != Repeat::None))
            return std::nullopt;
        std::optional<std::uint64_t> sized;
        if (x.size) {
            if (x.size->kind != Expr::Kind::Int || x.size->integer <= 0)
                return std::nullopt;
            sized = std::uint64_t(x.size->integer);
        }
        switch (x.type.kind) {
        case TypeRef::Kind::Int:
        case TypeRef::Kind::Float:
            return std::uint64_t(x.type.width);
        case TypeRef::Kind::Bytes:
        case TypeRef::Kind::Str:
        case TypeRef::Kind::StrZ:
            return sized;
        case TypeRef::Kind::User: {
            const TypeSpec& u = *x.type.user;
            if (!u.instances.empty() || !u.params.empty())
                return std::nullopt;
            std::uint64_t total = 0;
            for (const Attribute& f : u.seq) {
                const std::optional<std::uint64_t> s = plain(f, depth + 1);
                if (!s)
                    return std::nullopt;
                total += *s;
            }
            if (sized)
                return total <= *sized ? sized : std::nullopt;
            return total ? std::optional<std::uint64_t>(total) : std::nullopt;
        }
        default:
            return std::nullopt;
        }
    };
    return plain(a, 0);
}

void DecodeState::readArray(Node* n, const Attribute& a, Node* owner, const std::shared_ptr<Stream>& io)
{
    n->m_kind = Node::Kind::Array;
    n->m_typeName = (a.contents ? std::string("contents") : typeLabel(a.type, a)) + "[]";
    if (a.type.kind != TypeRef::Kind::BitInt && io->bitsLeft) {
        io->bits = 0;
        io->bitsLeft = 0;
    }
    const std::uint64_t start = io->pos;
    n->m_offset = io->base + start;
    auto finish = [&] { n->m_size = io->pos - start; };

    std::optional<std::int64_t> count;
    if (a.repeat == Repeat::Expr) {
        count = toInteger(evaluate(*a.repeatExpr, Context(this, owner)), "repeat-expr");
        if (*count < 0)
            count = 0;
    }
    if (const std::optional<std::uint64_t> stride = lazyStride(a)) {
        const std::uint64_t left = io->size > io->pos ? io->size - io->pos : 0;
        const std::uint64_t fits = left / *stride;
        auto lazy = std::make_unique<Node::Lazy>();
        lazy->start = io->pos;
        lazy->stride = *stride;
        lazy->io = io;
        lazy->owner = owner;
        const std::uint64_t wanted = count ? std::uint64_t(*count) : (left % *stride ? fits + 1 : fits);
        lazy->count = std::min(wanted, fits);
        n->m_lazy = std::move(lazy);
        io->pos += n->m_lazy->count * *stride;
        if (wanted > fits) {
            // The element that does not fit is read now, as Kaitai reads it: its first fields are
            // there, the one that crosses the end fails (and the error is recorded there).
            n->m_lazy->count = fits + 1;
            std::unique_ptr<Node> e = newNode(n, "[" + std::to_string(fits) + "]");
            e->m_isElement = true;
            e->m_index = fits;
            Node* element = e.get();
            n->m_lazy->cache.emplace(fits, std::move(e));
            try {
                guarded(element, [&] { readInto(element, a, a.type, owner, io, std::int64_t(fits)); });
            } catch (...) {
                finish();
                throw;
            }
            finish();
            throw DecodeError { "element " + std::to_string(fits) + " goes past the end" };
        }
        finish();
        return;
    }
    try {
        for (std::int64_t i = 0;; ++i) {
            if (a.repeat == Repeat::Expr && i >= *count)
                break;
            if (a.repeat == Repeat::Eos && io->pos >= io->size && io->bitsLeft == 0)
                break;
            if (std::uint64_t(i) >= limits.maxEagerElements)
                throw DecodeError { "more than " + std::to_string(limits.maxEagerElements) + " elements" };
            std::unique_ptr<Node> e = newNode(n, "[" + std::to_string(i) + "]");
            e->m_isElement = true;
            e->m_index = std::uint64_t(i);
            Node* element = e.get();
            n->m_children.push_back(std::move(e));
            guarded(element, [&] { readInto(element, a, a.type, owner, io, i); });
            if (a.repeat == Repeat::Until) {
                const Value last = nodeValue(element);
                Context c(this, owner);
                c.index = i + 1; // as the generated code: the index is incremented before the test
                c.underscore = &last;
                if (truthy(evaluate(*a.repeatExpr, c), "repeat-until"))
                    break;
            }
        }
    } catch (...) {
        finish();
        throw;
    }
    finish();
}

void DecodeState::guarded(Node* n, const std::function<void()>& body)
{
    try {
        body();
    } catch (const DecodeError& e) {
        recordError(n, e.message);
        throw Abort {};
    } catch (const Abort&) {
        n->m_incomplete = true;
        throw;
    }
}

void DecodeState::parseStruct(Node* s, const std::shared_ptr<Stream>& io, std::map<std::string, Value> params)
{
    DepthGuard depthGuard(*this);
    const TypeSpec& type = *s->m_structType;
    s->m_io = io;
    s->m_params = std::move(params);
    s->m_instances.clear();
    s->m_instances.resize(type.instances.size());
    s->m_instanceBusy.assign(type.instances.size(), 0);
    for (const Attribute& a : type.seq) {
        std::unique_ptr<Node> child = newNode(s, a.id);
        child->m_attribute = &a;
        Node* n = child.get();
        s->m_children.push_back(std::move(child));
        bool present = true;
        guarded(n, [&] {
            if (a.ifExpr && !truthy(evaluate(*a.ifExpr, Context(this, s)), "if")) {
                present = false;
                return;
            }
            if (a.repeat != Repeat::None)
                readArray(n, a, s, io);
            else
                readInto(n, a, a.type, s, io, std::nullopt);
        });
        if (!present) {
            s->m_children.pop_back();
            --nodes;
        }
    }
    s->m_seqComplete = true;
}

Node* DecodeState::evaluateInstance(Node* s, std::size_t k)
{
    if (s->m_instances[k])
        return s->m_instances[k].get();
    const Attribute& a = s->m_structType->instances[k];
    if (s->m_instanceBusy[k])
        throw DecodeError { "instance '" + a.id + "' depends on itself" };
    std::unique_ptr<Node> node = newNode(s, a.id);
    node->m_attribute = &a;
    Node* n = node.get();
    s->m_instanceBusy[k] = 1;
    try {
        DepthGuard depthGuard(*this);
        guarded(n, [&] {
            if (a.ifExpr && !truthy(evaluate(*a.ifExpr, Context(this, s)), "if")) {
                n->m_kind = Node::Kind::None;
                n->m_hasRange = false;
                n->m_typeName = "(absent)";
                return;
            }
            if (a.value) {
                const Value v = evaluate(*a.value, Context(this, s));
                n->m_hasRange = false;
                n->m_value = v;
                n->m_value.enumSpec = a.enumSpec ? a.enumSpec : v.enumSpec;
                n->m_typeName = "value";
                switch (v.kind) {
                case Value::Kind::None:
                    n->m_kind = Node::Kind::None;
                    break;
                case Value::Kind::Int:
                    n->m_kind = Node::Kind::Int;
                    break;
                case Value::Kind::Float:
                    n->m_kind = Node::Kind::Float;
                    break;
                case Value::Kind::Bool:
                    n->m_kind = Node::Kind::Bool;
                    break;
                case Value::Kind::String:
                    n->m_kind = Node::Kind::String;
                    break;
                case Value::Kind::Bytes:
                    n->m_kind = Node::Kind::Bytes;
                    break;
                case Value::Kind::Struct:
                case Value::Kind::Array:
                    n->m_kind = Node::Kind::None;
                    break;
                }
                return;
            }
            const std::shared_ptr<Stream>& io = s->m_io;
            const Stream saved = *io;
            try {
                if (a.pos) {
                    const std::int64_t p = toInteger(evaluate(*a.pos, Context(this, s)), "pos");
                    if (p < 0)
                        throw DecodeError { "negative pos " + std::to_string(p) };
                    // Past the end, the position is the end (KaitaiStream.seek clamps the same way): a
                    // read there fails, an empty one is at the end.
                    io->pos = std::min(std::uint64_t(p), io->size);
                }
                if (a.repeat != Repeat::None)
                    readArray(n, a, s, io);
                else
                    readInto(n, a, a.type, s, io, std::nullopt);
            } catch (...) {
                io->pos = saved.pos;
                throw;
            }
            io->pos = saved.pos;
        });
    } catch (const Abort&) {
    } catch (const DecodeError& e) { // the depth guard
        recordError(n, e.message);
    }
    s->m_instanceBusy[k] = 0;
    s->m_instances[k] = std::move(node);
    return n;
}

void DecodeState::evaluateAll(Node* n)
{
    // Instances of a struct whose seq stopped are left for child() to evaluate when asked: they
    // would mostly fail, and a runaway one must not spend the node budget of the rest.
    if (n->m_kind == Node::Kind::Struct && n->m_structType && n->m_seqComplete) {
        for (std::size_t k = 0; k < n->m_instances.size(); ++k) {
            try {
                evaluateInstance(n, k);
            } catch (const DecodeError&) {
                // The node limit: nothing more can be made.
                return;
            }
        }
    }
    for (auto& c : n->m_children)
        evaluateAll(c.get());
    for (auto& c : n->m_instances)
        if (c)
            evaluateAll(c.get());
}

Node* DecodeState::materialize(Node* array, std::uint64_t i)
{
    Node::Lazy& lazy = *array->m_lazy;
    if (i >= lazy.count)
        return nullptr;
    if (auto it = lazy.cache.find(i); it != lazy.cache.end())
        return it->second.get();
    std::unique_ptr<Node> e;
    try {
        e = newNode(array, "[" + std::to_string(i) + "]");
    } catch (const DecodeError& err) {
        if (array->m_error.empty())
            recordError(array, err.message);
        return nullptr;
    }
    e->m_isElement = true;
    e->m_index = i;
    Node* element = e.get();
    lazy.cache.emplace(i, std::move(e));
    auto io = std::make_shared<Stream>(*lazy.io);
    io->pos = lazy.start + i * lazy.stride;
    io->bits = 0;
    io->bitsLeft = 0;
    const Attribute& a = *array->m_attribute;
    try {
        guarded(element, [&] { readInto(element, a, a.type, lazy.owner, io, std::int64_t(i)); });
    } catch (const Abort&) { }
    return element;
}

Value DecodeState::nodeValue(const Node* n) const
{
    return n->value();
}

// ---- Node -------------------------------------------------------------------------------------------

const Attribute* Node::effectiveAttribute() const
{
    if (m_attribute)
        return m_attribute;
    return m_isElement && m_parent ? m_parent->m_attribute : nullptr;
}

Value Node::value() const
{
    Value v;
    if (m_kind == Kind::Struct) {
        v.kind = Value::Kind::Struct;
        v.node = this;
        return v;
    }
    if (m_kind == Kind::Array) {
        v.kind = Value::Kind::Array;
        v.node = this;
        return v;
    }
    return m_value;
}

std::size_t Node::childCount() const
{
    if (m_lazy)
        return std::size_t(m_lazy->count);
    return m_children.size() + m_instances.size();
}

Node* Node::child(std::size_t i)
{
    if (m_lazy)
        return m_state->materialize(this, i);
    if (i < m_children.size())
        return m_children[i].get();
    i -= m_children.size();
    if (i >= m_instances.size())
        return nullptr;
    if (!m_instances[i]) {
        try {
            return m_state->evaluateInstance(this, i);
        } catch (const DecodeError&) {
            return nullptr;
        }
    }
    return m_instances[i].get();
}

Node* Node::member(const std::string& name)
{
    for (auto& c : m_children)
        if (!c->m_isElement && c->m_name == name)
            return c.get();
    if (m_structType) {
        for (std::size_t k = 0; k < m_structType->instances.size(); ++k)
            if (m_structType->instances[k].id == name)
                return child(m_children.size() + k);
    }
    return nullptr;
}

std::string Node::path() const
{
    if (!m_parent)
        return {};
    std::string prefix = m_parent->path();
    if (m_isElement)
        return prefix + m_name;
    return prefix.empty() ? m_name : prefix + "." + m_name;
}

std::string Node::displayValue() const
{
    return formatValue(*this);
}

// ---- Tree -------------------------------------------------------------------------------------------

std::unique_ptr<Tree> Tree::decode(std::shared_ptr<const Schema> schema, std::shared_ptr<const ByteSource> source,
                                   DecodeOptions options)
{
    std::unique_ptr<Tree> tree(new Tree);
    tree->m_state = std::make_unique<DecodeState>();
    DecodeState& state = *tree->m_state;
    state.schema = std::move(schema);
    state.source = std::move(source);
    state.limits = options.limits;
    const TypeSpec& rootType = *state.schema->root;
    state.root = state.newNode(nullptr, state.schema->id);
    Node* root = state.root.get();
    root->m_kind = Node::Kind::Struct;
    root->m_structType = &rootType;
    root->m_typeName = rootType.name;
    root->m_offset = options.offset;
    auto io = std::make_shared<Stream>();
    const std::uint64_t total = state.source->size();
    io->base = options.offset;
    io->size = options.offset <= total ? total - options.offset : 0;
    root->m_io = io;
    root->m_instances.resize(rootType.instances.size());
    root->m_instanceBusy.assign(rootType.instances.size(), 0);
    try {
        state.guarded(root, [&] {
            if (options.offset > total)
                throw DecodeError { "offset " + std::to_string(options.offset) + " is past the end (size "
                                    + std::to_string(total) + ")" };
            std::map<std::string, Value> params;
            for (const Param& p : rootType.params) {
                auto it = options.params.find(p.id);
                if (it == options.params.end())
                    throw DecodeError { "parameter '" + p.id + "' has no value"
                                        + (p.source ? " (it comes from " + p.source->mapping + ")" : std::string()) };
                params[p.id] = it->second;
            }
            state.parseStruct(root, io, std::move(params));
        });
    } catch (const Abort&) { }
    root->m_size = io->pos;
    state.evaluateAll(root);
    return tree;
}

Tree::~Tree() = default;

Node& Tree::root()
{
    return *m_state->root;
}

const Node& Tree::root() const
{
    return *m_state->root;
}

Node* Tree::find(const std::string& path)
{
    Node* n = m_state->root.get();
    std::size_t i = 0;
    while (n && i < path.size()) {
        if (path[i] == '.') {
            ++i;
            continue;
        }
        if (path[i] == '[') {
            const std::size_t close = path.find(']', i);
            if (close == std::string::npos || n->m_kind != Node::Kind::Array)
                return nullptr;
            const std::string digits = path.substr(i + 1, close - i - 1);
            if (digits.empty()
                || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })
                || digits.size() > 18)
                return nullptr;
            const std::uint64_t index = std::stoull(digits);
            if (index >= n->childCount())
                return nullptr;
            n = n->child(std::size_t(index));
            i = close + 1;
            continue;
        }
        std::size_t end = path.find_first_of(".[", i);
        if (end == std::string::npos)
            end = path.size();
        if (n->m_kind != Node::Kind::Struct)
            return nullptr;
        n = n->member(path.substr(i, end - i));
        i = end;
    }
    return n;
}

const std::string& Tree::error() const
{
    return m_state->error;
}

const std::string& Tree::errorPath() const
{
    return m_state->errorPath;
}

std::size_t Tree::nodeCount() const
{
    return m_state->nodes;
}

const Schema& Tree::schema() const
{
    return *m_state->schema;
}

const ByteSource& Tree::source() const
{
    return *m_state->source;
}

} // namespace shmscope::structures
