// Evaluating Kaitai expressions over a partly decoded tree. Semantics follow the compiler's (checked
// against its JavaScript output): integer `/` is floor division, `%` is a non-negative modulo (a
// divisor <= 0 is an error), integers are 64-bit (two's complement wrap), an array literal of bytes
// is a byte array, `.length` of a string counts code points.
#include "structures/evaluator.h"

#include "structures/format.h"
#include "structures/textcodec.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace shmscope::structures {

namespace {

[[noreturn]] void fail(const std::string& message)
{
    throw DecodeError { message };
}

const char* kindName(Value::Kind k)
{
    switch (k) {
    case Value::Kind::None:
        return "nothing";
    case Value::Kind::Int:
        return "an integer";
    case Value::Kind::Float:
        return "a float";
    case Value::Kind::Bool:
        return "a boolean";
    case Value::Kind::String:
        return "a string";
    case Value::Kind::Bytes:
        return "bytes";
    case Value::Kind::Struct:
        return "a struct";
    case Value::Kind::Array:
        return "an array";
    }
    return "?";
}

bool isNumber(const Value& v)
{
    return v.kind == Value::Kind::Int || v.kind == Value::Kind::Float;
}

double asDouble(const Value& v)
{
    if (v.kind == Value::Kind::Float)
        return v.real;
    return v.isUnsigned ? double(std::uint64_t(v.integer)) : double(v.integer);
}

Node* mutableNode(const Value& v)
{
    return const_cast<Node*>(v.node);
}

Node* parentStruct(Node* n)
{
    Node* p = n ? n->parent() : nullptr;
    while (p && p->kind() != Node::Kind::Struct)
        p = p->parent();
    return p;
}

std::int64_t floorDiv(std::int64_t a, std::int64_t b)
{
    if (b == 0)
        fail("division by zero");
    if (a == std::numeric_limits<std::int64_t>::min() && b == -1)
        return a;
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        --q;
    return q;
}

Value nodeValueChecked(Node* n)
{
    if (n->incomplete())
        fail("'" + n->path() + "' could not be decoded" + (n->error().empty() ? "" : ": " + n->error()));
    return n->value();
}

Value memberValue(const Context& c, Node* s, const std::string& name)
{
    if (!s || s->kind() != Node::Kind::Struct)
        fail("'" + name + "' asked of something that is not a struct");
    const std::size_t seq = DecodeState::seqCount(s);
    for (std::size_t i = 0; i < seq; ++i) {
        Node* child = s->child(i);
        if (child->name() == name)
            return nodeValueChecked(child);
    }
    const auto& params = DecodeState::paramsOf(s);
    if (auto it = params.find(name); it != params.end())
        return it->second;
    const TypeSpec* type = s->structType();
    if (type) {
        for (std::size_t k = 0; k < type->instances.size(); ++k) {
            if (type->instances[k].id == name) {
                Node* n = c.state->evaluateInstance(s, k);
                if (n->incomplete())
                    fail("instance '" + name + "' could not be decoded"
                         + (n->error().empty() ? "" : ": " + n->error()));
                return n->value();
            }
        }
        for (const Attribute& a : type->seq)
            if (a.id == name)
                fail("'" + name + "' is not read yet or absent (its 'if' is false)");
    }
    fail("no field, instance or parameter '" + name + "' in type '" + (type ? type->name : "?") + "'");
}

Value element(const Context& c, const Value& v, std::int64_t i)
{
    (void)c;
    if (v.kind == Value::Kind::Bytes) {
        if (i < 0 || std::uint64_t(i) >= v.text.size())
            fail("index " + std::to_string(i) + " out of range (" + std::to_string(v.text.size()) + " bytes)");
        return Value::ofInt(static_cast<unsigned char>(v.text[std::size_t(i)]));
    }
    if (v.kind != Value::Kind::Array)
        fail(std::string("indexing ") + kindName(v.kind));
    Node* array = mutableNode(v);
    if (i < 0 || std::uint64_t(i) >= array->childCount())
        fail("index " + std::to_string(i) + " out of range (" + std::to_string(array->childCount()) + " elements)");
    Node* e = array->child(std::size_t(i));
    if (!e)
        fail("element " + std::to_string(i) + " could not be made (node limit)");
    return nodeValueChecked(e);
}

std::size_t codePointCount(const std::string& s)
{
    std::size_t n = 0;
    for (const char ch : s)
        if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80)
            ++n;
    return n;
}

std::int64_t parseInt(const std::string& s, int radix)
{
    if (radix < 2 || radix > 36)
        fail("to_i: bad radix " + std::to_string(radix));
    std::size_t i = 0;
    bool negative = false;
    if (i < s.size() && (s[i] == '-' || s[i] == '+'))
        negative = s[i++] == '-';
    if (i >= s.size())
        fail("to_i: '" + s + "' is not a number");
    std::uint64_t v = 0;
    for (; i < s.size(); ++i) {
        const char ch = s[i];
        int d = ch >= '0' && ch <= '9' ? ch - '0'
            : ch >= 'a' && ch <= 'z'   ? ch - 'a' + 10
            : ch >= 'A' && ch <= 'Z'   ? ch - 'A' + 10
                                       : 99;
        if (d >= radix)
            fail("to_i: '" + s + "' is not a number in base " + std::to_string(radix));
        v = v * std::uint64_t(radix) + std::uint64_t(d);
    }
    return std::int64_t(negative ? 0 - v : v); // modulo 2^64, as the rest of the integer arithmetic
}

Value method(const Context& c, const Value& v, const std::string& name, const std::vector<Value>& args)
{
    auto noArgs = [&] {
        if (!args.empty())
            fail("'" + name + "' takes no arguments");
    };
    switch (v.kind) {
    case Value::Kind::Struct: {
        noArgs();
        Node* s = mutableNode(v);
        if (name == "_parent") {
            Node* p = parentStruct(s);
            if (!p)
                fail("_parent of the root");
            return p->value();
        }
        if (name == "_root")
            return c.state->root->value();
        if (name == "_sizeof")
            return Value::ofInt(std::int64_t(s->size()));
        return memberValue(c, s, name);
    }
    case Value::Kind::Array: {
        noArgs();
        Node* a = mutableNode(v);
        const std::int64_t n = std::int64_t(a->childCount());
        if (name == "size" || name == "length")
            return Value::ofInt(n);
        if (name == "first")
            return element(c, v, 0);
        if (name == "last")
            return element(c, v, n - 1);
        if (name == "min" || name == "max") {
            if (n == 0)
                fail(name + " of an empty array");
            Value best = element(c, v, 0);
            for (std::int64_t i = 1; i < n; ++i) {
                const Value e = element(c, v, i);
                if (!isNumber(e))
                    fail(name + " of a non-numeric array");
                if (name == "min" ? asDouble(e) < asDouble(best) : asDouble(e) > asDouble(best))
                    best = e;
            }
            return best;
        }
        if (name == "_sizeof")
            return Value::ofInt(std::int64_t(a->size()));
        break;
    }
    case Value::Kind::Bytes: {
        const std::int64_t n = std::int64_t(v.text.size());
        if (name == "size" || name == "length") {
            noArgs();
            return Value::ofInt(n);
        }
        if (name == "first" || name == "last") {
            noArgs();
            return element(c, v, name == "first" ? 0 : n - 1);
        }
        if (name == "min" || name == "max") {
            noArgs();
            if (n == 0)
                fail(name + " of empty bytes");
            unsigned best = static_cast<unsigned char>(v.text[0]);
            for (const char ch : v.text)
                best = name == "min" ? std::min(best, unsigned(static_cast<unsigned char>(ch)))
                                     : std::max(best, unsigned(static_cast<unsigned char>(ch)));
            return Value::ofInt(best);
        }
        if (name == "to_s") {
            if (args.size() != 1 || args[0].kind != Value::Kind::String)
                fail("to_s of bytes takes an encoding");
            std::string encoding;
            for (const char ch : args[0].text)
                encoding += char(std::toupper(static_cast<unsigned char>(ch)));
            if (encoding != "ASCII" && encoding != "UTF-8" && encoding != "UTF-16LE" && encoding != "UTF-16BE")
                fail("to_s: unsupported encoding '" + args[0].text + "'");
            return Value::ofString(decodeText(v.text, encoding));
        }
        break;
    }
    case Value::Kind::String:
        if (name == "length") {
            noArgs();
            return Value::ofInt(std::int64_t(codePointCount(v.text)));
        }
        if (name == "to_i") {
            if (args.size() > 1)
                fail("to_i takes at most a radix");
            return Value::ofInt(parseInt(v.text, args.empty() ? 10 : int(toInteger(args[0], "radix"))));
        }
        if (name == "to_s") {
            noArgs();
            return v;
        }
        if (name == "reverse") {
            noArgs();
            // By code point.
            std::vector<std::string> cps;
            for (std::size_t i = 0; i < v.text.size(); ++i) {
                if ((static_cast<unsigned char>(v.text[i]) & 0xC0) != 0x80)
                    cps.emplace_back();
                if (!cps.empty())
                    cps.back() += v.text[i];
            }
            std::string out;
            for (auto it = cps.rbegin(); it != cps.rend(); ++it)
                out += *it;
            return Value::ofString(out);
        }
        if (name == "substring") {
            if (args.size() != 2)
                fail("substring takes two indexes");
            // By code point.
            const std::int64_t from = toInteger(args[0], "substring"), to = toInteger(args[1], "substring");
            std::vector<std::size_t> starts;
            for (std::size_t i = 0; i < v.text.size(); ++i)
                if ((static_cast<unsigned char>(v.text[i]) & 0xC0) != 0x80)
                    starts.push_back(i);
            starts.push_back(v.text.size());
            const std::int64_t count = std::int64_t(starts.size()) - 1;
            if (from < 0 || to < from || to > count)
                fail("substring(" + std::to_string(from) + ", " + std::to_string(to) + ") out of range");
            return Value::ofString(
                v.text.substr(starts[std::size_t(from)], starts[std::size_t(to)] - starts[std::size_t(from)]));
        }
        break;
    case Value::Kind::Int:
        noArgs();
        if (name == "to_s") {
            return Value::ofString(v.isUnsigned ? std::to_string(std::uint64_t(v.integer)) : std::to_string(v.integer));
        }
        if (name == "to_i") {
            Value r = v;
            r.enumSpec = nullptr;
            return r;
        }
        break;
    case Value::Kind::Float:
        noArgs();
        if (name == "to_i") {
            if (!std::isfinite(v.real) || std::fabs(v.real) >= 9.2e18)
                fail("to_i of " + formatFloat(v.real));
            return Value::ofInt(std::int64_t(std::trunc(v.real)));
        }
        if (name == "to_s")
            return Value::ofString(formatFloat(v.real));
        break;
    case Value::Kind::Bool:
        noArgs();
        if (name == "to_i")
            return Value::ofInt(v.boolean ? 1 : 0);
        break;
    case Value::Kind::None:
        fail("'" + name + "' of nothing (an absent field?)");
    }
    fail(std::string("no method '") + name + "' for " + kindName(v.kind));
}

// `_io` and `x._io`: the struct whose stream is meant, or nullptr when `e` is not an _io expression.
Node* ioOwner(const Expr& e, const Context& c)
{
    if (e.kind == Expr::Kind::Name && e.text == "_io")
        return c.self;
    if (e.kind == Expr::Kind::Member && e.text == "_io") {
        const Value owner = evaluate(*e.operands[0], c);
        if (owner.kind != Value::Kind::Struct)
            fail("_io of something that is not a struct");
        return mutableNode(owner);
    }
    return nullptr;
}

int compare(const Value& a, const Value& b, const std::string& op)
{
    if (isNumber(a) && isNumber(b)) {
        if (a.kind == Value::Kind::Int && b.kind == Value::Kind::Int) {
            if (a.isUnsigned || b.isUnsigned) {
                const auto x = std::uint64_t(a.integer), y = std::uint64_t(b.integer);
                if ((a.isUnsigned || a.integer >= 0) && (b.isUnsigned || b.integer >= 0))
                    return x < y ? -1 : x > y ? 1 : 0;
            }
            return a.integer < b.integer ? -1 : a.integer > b.integer ? 1 : 0;
        }
        const double x = asDouble(a), y = asDouble(b);
        return x < y ? -1 : x > y ? 1 : 0;
    }
    if ((a.kind == Value::Kind::String && b.kind == Value::Kind::String)
        || (a.kind == Value::Kind::Bytes && b.kind == Value::Kind::Bytes)) {
        const int r = a.text.compare(b.text);
        return r < 0 ? -1 : r > 0 ? 1 : 0;
    }
    if (a.kind == Value::Kind::Bool && b.kind == Value::Kind::Bool && (op == "==" || op == "!="))
        return a.boolean == b.boolean ? 0 : 1;
    fail(std::string("cannot compare ") + kindName(a.kind) + " with " + kindName(b.kind) + " ('" + op + "')");
}

Value binary(const Expr& e, const Context& c)
{
    const std::string& op = e.op;
    if (op == "and" || op == "or") {
        const bool left = truthy(evaluate(*e.operands[0], c), op.c_str());
        if (op == "and" && !left)
            return Value::ofBool(false);
        if (op == "or" && left)
            return Value::ofBool(true);
        return Value::ofBool(truthy(evaluate(*e.operands[1], c), op.c_str()));
    }
    const Value a = evaluate(*e.operands[0], c);
    const Value b = evaluate(*e.operands[1], c);
    if (op == "==" || op == "!=") {
        const bool eq = valuesEqual(a, b);
        return Value::ofBool(op == "==" ? eq : !eq);
    }
    if (op == "<" || op == "<=" || op == ">" || op == ">=") {
        const int r = compare(a, b, op);
        return Value::ofBool(op == "<" ? r < 0 : op == "<=" ? r <= 0 : op == ">" ? r > 0 : r >= 0);
    }
    if (op == "+" && a.kind == Value::Kind::String && b.kind == Value::Kind::String)
        return Value::ofString(a.text + b.text);
    if (!isNumber(a) || !isNumber(b))
        fail(std::string("'") + op + "' between " + kindName(a.kind) + " and " + kindName(b.kind));
    if (a.kind == Value::Kind::Int && b.kind == Value::Kind::Int) {
        const auto x = std::uint64_t(a.integer), y = std::uint64_t(b.integer);
        if (op == "+")
            return Value::ofInt(std::int64_t(x + y));
        if (op == "-")
            return Value::ofInt(std::int64_t(x - y));
        if (op == "*")
            return Value::ofInt(std::int64_t(x * y));
        if (op == "/")
            return Value::ofInt(floorDiv(a.integer, b.integer));
        if (op == "%") {
            if (b.integer <= 0)
                fail("modulo by " + std::to_string(b.integer) + " (the divisor must be positive)");
            std::int64_t r = a.integer % b.integer;
            if (r < 0)
                r += b.integer;
            return Value::ofInt(r);
        }
        if (op == "&")
            return Value::ofInt(std::int64_t(x & y));
        if (op == "|")
            return Value::ofInt(std::int64_t(x | y));
        if (op == "^")
            return Value::ofInt(std::int64_t(x ^ y));
        if (op == "<<" || op == ">>") {
            if (b.integer < 0 || b.integer > 63)
                fail("shift by " + std::to_string(b.integer));
            if (op == "<<")
                return Value::ofInt(std::int64_t(x << b.integer));
            return Value::ofInt(a.isUnsigned ? std::int64_t(x >> b.integer) : a.integer >> b.integer);
        }
    }
    const double x = asDouble(a), y = asDouble(b);
    if (op == "+")
        return Value::ofFloat(x + y);
    if (op == "-")
        return Value::ofFloat(x - y);
    if (op == "*")
        return Value::ofFloat(x * y);
    if (op == "/")
        return Value::ofFloat(x / y);
    if (op == "%") {
        if (y <= 0)
            fail("modulo by a divisor <= 0");
        double r = std::fmod(x, y);
        if (r < 0)
            r += y;
        return Value::ofFloat(r);
    }
    fail(std::string("'") + op + "' needs integers");
}

} // namespace

std::int64_t toInteger(const Value& v, const char* what)
{
    if (v.kind != Value::Kind::Int)
        fail(std::string(what) + " must be an integer, not " + kindName(v.kind));
    return v.integer;
}

bool truthy(const Value& v, const char* what)
{
    if (v.kind != Value::Kind::Bool)
        fail(std::string(what) + " must be a boolean, not " + kindName(v.kind));
    return v.boolean;
}

bool valuesEqual(const Value& a, const Value& b)
{
    if (isNumber(a) && isNumber(b))
        return compare(a, b, "==") == 0;
    if (a.kind != b.kind)
        return false;
    switch (a.kind) {
    case Value::Kind::None:
        return true;
    case Value::Kind::Bool:
        return a.boolean == b.boolean;
    case Value::Kind::String:
    case Value::Kind::Bytes:
        return a.text == b.text;
    case Value::Kind::Struct:
    case Value::Kind::Array:
        return a.node == b.node;
    default:
        return false;
    }
}

Value evaluate(const Expr& e, const Context& c)
{
    switch (e.kind) {
    case Expr::Kind::Int:
        return Value::ofInt(e.integer);
    case Expr::Kind::Float:
        return Value::ofFloat(e.real);
    case Expr::Kind::String:
        return Value::ofString(e.text);
    case Expr::Kind::Bool:
        return Value::ofBool(e.integer != 0);
    case Expr::Kind::Name:
        if (e.text == "_root")
            return c.state->root->value();
        if (e.text == "_parent") {
            Node* p = parentStruct(c.self);
            if (!p)
                fail("_parent of the root");
            return p->value();
        }
        if (e.text == "_index") {
            if (!c.index)
                fail("_index outside a repetition");
            return Value::ofInt(*c.index);
        }
        if (e.text == "_") {
            if (!c.underscore)
                fail("'_' outside repeat-until");
            return *c.underscore;
        }
        if (e.text == "_io")
            fail("_io alone is not a value (use _io.size, _io.pos or _io.eof)");
        if (e.text == "_sizeof")
            return Value::ofInt(std::int64_t(c.self->size()));
        return memberValue(c, c.self, e.text);
    case Expr::Kind::EnumValue: {
        const TypeSpec* scope = c.self && c.self->structType() ? c.self->structType() : c.state->schema->root.get();
        const EnumSpec* spec = scope->findEnum(e.text);
        if (!spec)
            fail("unknown enum '" + e.text + "'");
        const std::optional<std::int64_t> v = spec->valueOf(e.label);
        if (!v)
            fail("enum '" + e.text + "' has no '" + e.label + "'");
        Value r = Value::ofInt(*v);
        r.enumSpec = spec;
        return r;
    }
    case Expr::Kind::Unary: {
        const Value v = evaluate(*e.operands[0], c);
        if (e.op == "not")
            return Value::ofBool(!truthy(v, "not"));
        if (e.op == "-") {
            if (v.kind == Value::Kind::Int)
                return Value::ofInt(std::int64_t(0 - std::uint64_t(v.integer)));
            if (v.kind == Value::Kind::Float)
                return Value::ofFloat(-v.real);
        }
        if (e.op == "~" && v.kind == Value::Kind::Int)
            return Value::ofInt(~v.integer);
        fail("'" + e.op + "' of " + kindName(v.kind));
    }
    case Expr::Kind::Binary:
        return binary(e, c);
    case Expr::Kind::Ternary:
        return truthy(evaluate(*e.operands[0], c), "the condition of ?:") ? evaluate(*e.operands[1], c)
                                                                          : evaluate(*e.operands[2], c);
    case Expr::Kind::Member:
    case Expr::Kind::Call: {
        if (Node* owner = ioOwner(*e.operands[0], c)) {
            const Stream* io = DecodeState::ioOf(owner);
            if (!io)
                fail("_io of a struct not decoded");
            if (e.text == "size")
                return Value::ofInt(std::int64_t(io->size));
            if (e.text == "pos")
                return Value::ofInt(std::int64_t(io->pos));
            if (e.text == "eof")
                return Value::ofBool(io->pos >= io->size && io->bitsLeft == 0);
            fail("_io." + e.text + " is not supported (size, pos and eof are)");
        }
        if (e.kind == Expr::Kind::Member && e.text == "_io")
            fail("_io alone is not a value (use _io.size, _io.pos or _io.eof)");
        const Value object = evaluate(*e.operands[0], c);
        std::vector<Value> args;
        for (std::size_t i = 1; i < e.operands.size(); ++i)
            args.push_back(evaluate(*e.operands[i], c));
        return method(c, object, e.text, args);
    }
    case Expr::Kind::Index:
        return element(c, evaluate(*e.operands[0], c), toInteger(evaluate(*e.operands[1], c), "an index"));
    case Expr::Kind::SizeOf: {
        TypeRef t;
        std::uint64_t bits = 0;
        if (parsePrimitiveType(e.text, Endian::Little, false, t)) {
            if (t.kind == TypeRef::Kind::BitInt)
                bits = std::uint64_t(t.width);
            else if (t.kind == TypeRef::Kind::Int || t.kind == TypeRef::Kind::Float)
                bits = std::uint64_t(t.width) * 8;
            else
                fail("sizeof<" + e.text + ">: the size of a string is not fixed");
        } else {
            const TypeSpec* scope = c.self && c.self->structType() ? c.self->structType() : c.state->schema->root.get();
            const TypeSpec* type = scope->findType(e.text);
            if (!type)
                fail("sizeof<" + e.text + ">: unknown type");
            const std::optional<std::uint64_t> size = type->staticSize();
            if (!size)
                fail("sizeof<" + e.text + ">: the type's size is not fixed");
            bits = *size * 8;
        }
        if (e.integer == 1)
            return Value::ofInt(std::int64_t(bits));
        return Value::ofInt(std::int64_t((bits + 7) / 8));
    }
    case Expr::Kind::Array: {
        std::string bytes;
        for (const ExprPtr& item : e.operands) {
            const Value v = evaluate(*item, c);
            if (v.kind != Value::Kind::Int || v.integer < 0 || v.integer > 255)
                fail("only array literals of bytes (0..255) are supported");
            bytes += char(v.integer);
        }
        return Value::ofBytes(bytes);
    }
    }
    fail("bad expression");
}

} // namespace shmscope::structures
