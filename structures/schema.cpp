// Loading a .ksy: yaml-cpp parses the document; two passes build the schema (first every type's name,
// nested types and enums, so that a type may be used before it is declared; then params, seq and
// instances with their types and enums resolved). Every key is checked against the subset: an
// unknown or unsupported key throws a Failure with its path and line, turned into a LayoutError.
#include "structures/schema.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <yaml-cpp/yaml.h>

namespace shmscope::structures {

std::string LayoutError::text() const
{
    std::string out = source;
    if (location.line > 0)
        out += ":" + std::to_string(location.line) + ":" + std::to_string(location.column);
    out += ": ";
    if (!location.path.empty())
        out += location.path + ": ";
    return out + message;
}

const std::string* EnumSpec::label(std::int64_t value) const
{
    for (const auto& [v, name] : values)
        if (v == value)
            return &name;
    return nullptr;
}

std::optional<std::int64_t> EnumSpec::valueOf(const std::string& label) const
{
    for (const auto& [v, name] : values)
        if (name == label)
            return v;
    return std::nullopt;
}

namespace {

std::vector<std::string> splitPath(const std::string& path)
{
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t at = path.find("::", start);
        parts.push_back(path.substr(start, at == std::string::npos ? std::string::npos : at - start));
        if (at == std::string::npos)
            return parts;
        start = at + 2;
    }
}

template<typename T, typename Get>
const T* findScoped(const TypeSpec* from, const std::string& path, Get get)
{
    const std::vector<std::string> parts = splitPath(path);
    for (const TypeSpec* scope = from; scope; scope = scope->parent) {
        // The first part is looked up from `scope`; the rest descends through nested types.
        const TypeSpec* at = scope;
        bool ok = true;
        for (std::size_t i = 0; i + 1 < parts.size() && ok; ++i) {
            const TypeSpec* next = nullptr;
            for (const auto& t : at->types)
                if (t->name == parts[i])
                    next = t.get();
            if (!next)
                ok = false;
            at = next;
        }
        if (!ok)
            continue;
        if (const T* found = get(at, parts.back()))
            return found;
    }
    return nullptr;
}

} // namespace

const TypeSpec* TypeSpec::findType(const std::string& path) const
{
    // The root type is visible everywhere by its meta id (a recursive layout refers to it).
    const TypeSpec* root = this;
    while (root->parent)
        root = root->parent;
    if (path == root->name)
        return root;
    return findScoped<TypeSpec>(this, path, [](const TypeSpec* scope, const std::string& name) -> const TypeSpec* {
        for (const auto& t : scope->types)
            if (t->name == name)
                return t.get();
        return nullptr;
    });
}

const EnumSpec* TypeSpec::findEnum(const std::string& path) const
{
    return findScoped<EnumSpec>(this, path, [](const TypeSpec* scope, const std::string& name) -> const EnumSpec* {
        for (const auto& e : scope->enums)
            if (e->name == name)
                return e.get();
        return nullptr;
    });
}

namespace {

std::optional<std::uint64_t> staticSizeOf(const Attribute& a, int depth);

std::optional<std::uint64_t> staticTypeSize(const TypeSpec& t, int depth)
{
    if (depth > 32 || !t.instances.empty() || !t.params.empty())
        return std::nullopt;
    std::uint64_t total = 0;
    for (const Attribute& a : t.seq) {
        const std::optional<std::uint64_t> s = staticSizeOf(a, depth + 1);
        if (!s)
            return std::nullopt;
        total += *s;
    }
    return total;
}

std::optional<std::uint64_t> staticSizeOf(const Attribute& a, int depth)
{
    if (a.ifExpr || a.repeat != Repeat::None || a.sizeEos)
        return std::nullopt;
    if (a.contents)
        return a.contents->size();
    if (a.size) {
        if (a.size->kind != Expr::Kind::Int || a.size->integer < 0)
            return std::nullopt;
        // A sized user type must still fit its size: the type itself is checked when decoding.
        return std::uint64_t(a.size->integer);
    }
    switch (a.type.kind) {
    case TypeRef::Kind::Int:
    case TypeRef::Kind::Float:
        return std::uint64_t(a.type.width);
    case TypeRef::Kind::User:
        if (!a.type.arguments.empty())
            return std::nullopt;
        return staticTypeSize(*a.type.user, depth);
    default:
        return std::nullopt;
    }
}

} // namespace

std::optional<std::uint64_t> TypeSpec::staticSize() const
{
    return staticTypeSize(*this, 0);
}

bool parsePrimitiveType(const std::string& name, Endian defaultEndian, bool bitLittle, TypeRef& out)
{
    out.text = name;
    if (name == "str" || name == "strz") {
        out.kind = name == "str" ? TypeRef::Kind::Str : TypeRef::Kind::StrZ;
        return true;
    }
    if (name.size() < 2)
        return false;
    std::string rest = name.substr(1);
    Endian endian = defaultEndian;
    auto stripSuffix = [&](const char* suffix) {
        if (rest.size() > 2 && rest.compare(rest.size() - 2, 2, suffix) == 0) {
            rest.resize(rest.size() - 2);
            return true;
        }
        return false;
    };
    bool explicitEndian = false;
    if (stripSuffix("le")) {
        endian = Endian::Little;
        explicitEndian = true;
    } else if (stripSuffix("be")) {
        endian = Endian::Big;
        explicitEndian = true;
    }
    if (rest.empty() || !std::all_of(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; })
        || rest.size() > 2)
        return false;
    const int width = std::stoi(rest);
    switch (name[0]) {
    case 'u':
    case 's':
        if (width != 1 && width != 2 && width != 4 && width != 8)
            return false;
        if (width == 1 && explicitEndian)
            return false;
        out.kind = TypeRef::Kind::Int;
        out.width = width;
        out.isSigned = name[0] == 's';
        out.endian = width == 1 ? Endian::Little : endian;
        return true;
    case 'f':
        if (width != 4 && width != 8)
            return false;
        out.kind = TypeRef::Kind::Float;
        out.width = width;
        out.endian = endian;
        return true;
    case 'b':
        if (width < 1 || width > 64)
            return false;
        out.kind = TypeRef::Kind::BitInt;
        out.width = width;
        out.bitLittle = explicitEndian ? endian == Endian::Little : bitLittle;
        return true;
    default:
        return false;
    }
}

namespace {

struct Failure {
    Location location;
    std::string message;
};

Location locate(const YAML::Node& node, const std::string& path)
{
    Location l;
    l.path = path;
    const YAML::Mark mark = node.Mark();
    if (mark.line >= 0) {
        l.line = mark.line + 1;
        l.column = mark.column + 1;
    }
    return l;
}

[[noreturn]] void fail(const YAML::Node& node, const std::string& path, const std::string& message)
{
    throw Failure { locate(node, path), message };
}

std::string scalar(const YAML::Node& node, const std::string& path)
{
    if (!node.IsScalar())
        fail(node, path, "expected a single value");
    return node.Scalar();
}

bool boolean(const YAML::Node& node, const std::string& path)
{
    const std::string s = scalar(node, path);
    if (s == "true")
        return true;
    if (s == "false")
        return false;
    fail(node, path, "expected true or false, found '" + s + "'");
}

std::int64_t integer(const YAML::Node& node, const std::string& path)
{
    std::string error;
    ExprPtr e = parseExpression(scalar(node, path), error);
    if (!e || e->kind != Expr::Kind::Int)
        fail(node, path, "expected an integer, found '" + node.Scalar() + "'");
    return e->integer;
}

ExprPtr expression(const YAML::Node& node, const std::string& path)
{
    std::string error;
    ExprPtr e = parseExpression(scalar(node, path), error);
    if (!e)
        fail(node, path, "bad expression '" + node.Scalar() + "': " + error);
    return e;
}

bool isExtension(const std::string& key)
{
    return !key.empty() && key[0] == '-';
}

// Checks that every key of `map` is in `allowed` (or an extension key); `unsupported` lists Kaitai
// keys that exist but are outside ShmScope's subset, for a clearer message.
void checkKeys(const YAML::Node& map, const std::string& path, std::initializer_list<const char*> allowed)
{
    static const std::set<std::string> unsupported {
        "process", "valid", "io", "imports", "to-string", "ks-opaque-types", "parent", "pad-left",
    };
    if (!map.IsMap())
        fail(map, path, "expected a mapping of keys");
    for (const auto& entry : map) {
        const std::string key = entry.first.Scalar();
        if (isExtension(key))
            continue;
        if (std::find_if(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; }) != allowed.end())
            continue;
        const std::string keyPath = path + "/" + key;
        if (unsupported.count(key))
            fail(entry.first, keyPath, "'" + key + "' is not supported by ShmScope's interpreter");
        fail(entry.first, keyPath, "unknown key '" + key + "'");
    }
}

std::string upper(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::toupper(c)); });
    return s;
}

struct Defaults {
    Endian endian = Endian::Default;
    bool bitLittle = false;
    std::string encoding;
};

class Loader
{
public:
    explicit Loader(Schema& schema)
        : m_schema(schema)
    { }

    void load(const YAML::Node& doc)
    {
        const std::string path;
        checkKeys(doc, path, { "meta", "seq", "types", "instances", "enums", "doc", "doc-ref", "params" });
        if (!doc["meta"])
            fail(doc, "/meta", "the layout has no 'meta' (with its 'id')");
        auto root = std::make_unique<TypeSpec>();
        Defaults defaults;
        readMeta(doc["meta"], "/meta", defaults, true);
        if (!doc["meta"]["id"])
            fail(doc["meta"], "/meta/id", "the layout has no 'meta/id'");
        root->name = m_schema.id;
        declare(*root, doc, path, defaults);
        define(*root, doc, path);
        m_schema.root = std::move(root);
    }

private:
    void readMeta(const YAML::Node& meta, const std::string& path, Defaults& defaults, bool isRoot)
    {
        checkKeys(meta, path,
                  { "id", "title", "application", "file-extension", "xref", "license", "ks-version", "ks-debug",
                    "endian", "bit-endian", "encoding", "tags" });
        if (meta["imports"])
            fail(meta["imports"], path + "/imports", "'imports' is not supported by ShmScope's interpreter");
        if (const YAML::Node id = meta["id"]; id && isRoot) {
            m_schema.id = scalar(id, path + "/id");
        }
        if (const YAML::Node title = meta["title"]; title && isRoot)
            m_schema.title = scalar(title, path + "/title");
        if (const YAML::Node endian = meta["endian"]) {
            if (endian.IsMap())
                fail(endian, path + "/endian", "computed endianness (switch-on) is not supported");
            const std::string e = scalar(endian, path + "/endian");
            if (e == "le")
                defaults.endian = Endian::Little;
            else if (e == "be")
                defaults.endian = Endian::Big;
            else
                fail(endian, path + "/endian", "expected le or be, found '" + e + "'");
        }
        if (const YAML::Node bitEndian = meta["bit-endian"]) {
            const std::string e = scalar(bitEndian, path + "/bit-endian");
            if (e != "le" && e != "be")
                fail(bitEndian, path + "/bit-endian", "expected le or be, found '" + e + "'");
            defaults.bitLittle = e == "le";
        }
        if (const YAML::Node encoding = meta["encoding"])
            defaults.encoding = checkedEncoding(encoding, path + "/encoding");
    }

    static std::string checkedEncoding(const YAML::Node& node, const std::string& path)
    {
        const std::string e = upper(scalar(node, path));
        if (e == "ASCII" || e == "UTF-8" || e == "UTF-16LE" || e == "UTF-16BE")
            return e;
        if (e == "UTF8")
            return "UTF-8";
        fail(node, path, "encoding '" + node.Scalar() + "' is not supported (ASCII, UTF-8, UTF-16LE, UTF-16BE are)");
    }

    // Pass 1: names, defaults, nested types and enums.
    void declare(TypeSpec& type, const YAML::Node& node, const std::string& path, Defaults defaults)
    {
        if (const YAML::Node meta = node["meta"]; meta && type.parent)
            readMeta(meta, path + "/meta", defaults, false);
        m_defaults[&type] = defaults;
        m_nodes[&type] = { node, path };
        // Params are read in this pass: a type's argument count is checked where it is used.
        if (const YAML::Node params = node["params"]) {
            if (!params.IsSequence())
                fail(params, path + "/params", "expected a list of parameters");
            for (std::size_t i = 0; i < params.size(); ++i)
                type.params.push_back(readParam(type, params[i], path + "/params/" + std::to_string(i), defaults));
        }
        if (const YAML::Node doc = node["doc"])
            type.doc = scalar(doc, path + "/doc");
        if (const YAML::Node enums = node["enums"]) {
            if (!enums.IsMap())
                fail(enums, path + "/enums", "expected a mapping of enums");
            for (const auto& entry : enums) {
                const std::string name = entry.first.Scalar();
                const std::string enumPath = path + "/enums/" + name;
                if (isExtension(name))
                    continue;
                auto spec = std::make_unique<EnumSpec>();
                spec->name = name;
                if (!entry.second.IsMap())
                    fail(entry.second, enumPath, "expected a mapping of values to names");
                for (const auto& value : entry.second) {
                    const std::string valuePath = enumPath + "/" + value.first.Scalar();
                    const std::int64_t v = integer(value.first, valuePath);
                    std::string label;
                    if (value.second.IsMap()) {
                        checkKeys(value.second, valuePath, { "id", "doc", "doc-ref", "orig-id" });
                        label = scalar(value.second["id"], valuePath + "/id");
                    } else {
                        label = scalar(value.second, valuePath);
                    }
                    spec->values.emplace_back(v, label);
                }
                type.enums.push_back(std::move(spec));
            }
        }
        if (const YAML::Node types = node["types"]) {
            if (!types.IsMap())
                fail(types, path + "/types", "expected a mapping of types");
            for (const auto& entry : types) {
                const std::string name = entry.first.Scalar();
                if (isExtension(name))
                    continue;
                const std::string typePath = path + "/types/" + name;
                checkKeys(entry.second, typePath,
                          { "meta", "seq", "types", "instances", "enums", "doc", "doc-ref", "params" });
                auto child = std::make_unique<TypeSpec>();
                child->name = name;
                child->parent = &type;
                declare(*child, entry.second, typePath, defaults);
                type.types.push_back(std::move(child));
            }
        }
    }

    // Pass 2: params, seq, instances.
    void define(TypeSpec& type, const YAML::Node& node, const std::string& path)
    {
        const Defaults& defaults = m_defaults.at(&type);
        if (const YAML::Node seq = node["seq"]) {
            if (!seq.IsSequence())
                fail(seq, path + "/seq", "expected a list of attributes");
            for (std::size_t i = 0; i < seq.size(); ++i)
                type.seq.push_back(readAttribute(type, seq[i], path + "/seq/" + std::to_string(i), defaults, false));
        }
        if (const YAML::Node instances = node["instances"]) {
            if (!instances.IsMap())
                fail(instances, path + "/instances", "expected a mapping of instances");
            for (const auto& entry : instances) {
                const std::string name = entry.first.Scalar();
                if (isExtension(name))
                    continue;
                Attribute a = readAttribute(type, entry.second, path + "/instances/" + name, defaults, true);
                a.id = name;
                type.instances.push_back(std::move(a));
            }
        }
        for (auto& child : type.types) {
            const auto& [childNode, childPath] = m_nodes.at(child.get());
            define(*child, childNode, childPath);
        }
    }

    Param readParam(const TypeSpec& type, const YAML::Node& node, const std::string& path, const Defaults& defaults)
    {
        checkKeys(node, path, { "id", "type", "doc", "doc-ref", "enum" });
        Param p;
        p.location = locate(node, path);
        p.id = scalar(node["id"], path + "/id");
        if (const YAML::Node t = node["type"])
            p.typeText = scalar(t, path + "/type");
        if (const YAML::Node doc = node["doc"])
            p.doc = scalar(doc, path + "/doc");
        if (const YAML::Node source = node["-shm-param"]) {
            const std::string sourcePath = path + "/-shm-param";
            if (type.parent)
                fail(source, sourcePath, "-shm-param is only allowed on the root type's parameters");
            checkKeys(source, sourcePath, { "mapping", "offset", "type" });
            ParamSource s;
            s.mapping = scalar(source["mapping"], sourcePath + "/mapping");
            if (const YAML::Node offset = source["offset"])
                s.offset = std::uint64_t(integer(offset, sourcePath + "/offset"));
            const std::string typeName = source["type"] ? scalar(source["type"], sourcePath + "/type") : "u4";
            if (!parsePrimitiveType(typeName, defaults.endian, defaults.bitLittle, s.type)
                || s.type.kind != TypeRef::Kind::Int)
                fail(source["type"], sourcePath + "/type", "expected an integer type (u1..u8, s1..s8)");
            if (s.type.width > 1 && s.type.endian == Endian::Default)
                fail(source, sourcePath + "/type", "no endianness: give u4le/u4be or meta/endian");
            p.source = std::move(s);
        }
        return p;
    }

    TypeRef readType(const TypeSpec& owner, const YAML::Node& node, const std::string& path, const Defaults& defaults)
    {
        TypeRef t;
        if (node.IsMap()) {
            checkKeys(node, path, { "switch-on", "cases" });
            t.kind = TypeRef::Kind::Switch;
            t.text = "switch";
            if (!node["switch-on"] || !node["cases"])
                fail(node, path, "a switch type needs both 'switch-on' and 'cases'");
            t.switchOn = expression(node["switch-on"], path + "/switch-on");
            if (!node["cases"].IsMap())
                fail(node["cases"], path + "/cases", "expected a mapping of cases");
            for (const auto& entry : node["cases"]) {
                const std::string key = entry.first.Scalar();
                const std::string casePath = path + "/cases/" + key;
                SwitchCase c;
                if (key != "_")
                    c.key = expression(entry.first, casePath);
                c.type = std::make_shared<TypeRef>(readType(owner, entry.second, casePath, defaults));
                if (c.type->kind == TypeRef::Kind::Switch)
                    fail(entry.second, casePath, "a switch case cannot be another switch");
                t.cases.push_back(std::move(c));
            }
            return t;
        }
        const std::string text = scalar(node, path);
        if (parsePrimitiveType(text, defaults.endian, defaults.bitLittle, t)) {
            if ((t.kind == TypeRef::Kind::Int || t.kind == TypeRef::Kind::Float) && t.width > 1
                && t.endian == Endian::Default)
                fail(node, path,
                     "type '" + text + "' has no endianness: write " + text + "le or " + text
                         + "be, or set meta/endian");
            return t;
        }
        t.kind = TypeRef::Kind::User;
        t.text = text;
        std::string name = text;
        if (const std::size_t open = text.find('('); open != std::string::npos) {
            if (text.back() != ')')
                fail(node, path, "bad type '" + text + "'");
            name = text.substr(0, open);
            std::string error;
            ExprPtr args = parseExpression("[" + text.substr(open + 1, text.size() - open - 2) + "]", error);
            if (!args)
                fail(node, path, "bad arguments in '" + text + "': " + error);
            t.arguments = args->operands;
        }
        t.user = owner.findType(name);
        if (!t.user)
            fail(node, path, "unknown type '" + name + "'");
        if (t.arguments.size() != t.user->params.size())
            fail(node, path,
                 "type '" + name + "' takes " + std::to_string(t.user->params.size()) + " argument(s), "
                     + std::to_string(t.arguments.size()) + " given");
        return t;
    }

    Attribute readAttribute(const TypeSpec& owner, const YAML::Node& node, const std::string& path,
                            const Defaults& defaults, bool isInstance)
    {
        if (isInstance)
            checkKeys(node, path,
                      { "id",      "type",    "size",      "size-eos",  "contents", "encoding",    "terminator",
                        "consume", "include", "eos-error", "pad-right", "repeat",   "repeat-expr", "repeat-until",
                        "if",      "enum",    "doc",       "doc-ref",   "pos",      "value" });
        else
            checkKeys(node, path,
                      { "id", "type", "size", "size-eos", "contents", "encoding", "terminator", "consume", "include",
                        "eos-error", "pad-right", "repeat", "repeat-expr", "repeat-until", "if", "enum", "doc",
                        "doc-ref" });
        Attribute a;
        a.isInstance = isInstance;
        a.location = locate(node, path);
        if (const YAML::Node id = node["id"])
            a.id = scalar(id, path + "/id");
        else if (!isInstance)
            fail(node, path, "a seq entry needs an 'id'");
        if (const YAML::Node doc = node["doc"])
            a.doc = scalar(doc, path + "/doc");
        if (const YAML::Node kind = node["-shm-kind"])
            a.shmKind = scalar(kind, path + "/-shm-kind");
        if (const YAML::Node value = node["value"]) {
            a.value = expression(value, path + "/value");
            for (const char* key : { "type", "size", "size-eos", "contents", "repeat", "pos", "encoding" })
                if (node[key])
                    fail(node[key], path + "/" + key, std::string("'") + key + "' cannot go with 'value'");
        }
        if (const YAML::Node pos = node["pos"])
            a.pos = expression(pos, path + "/pos");
        if (const YAML::Node type = node["type"])
            a.type = readType(owner, type, path + "/type", defaults);
        if (const YAML::Node size = node["size"])
            a.size = expression(size, path + "/size");
        if (const YAML::Node eos = node["size-eos"])
            a.sizeEos = boolean(eos, path + "/size-eos");
        if (a.size && a.sizeEos)
            fail(node["size-eos"], path + "/size-eos", "'size' and 'size-eos' cannot go together");
        if (const YAML::Node contents = node["contents"]) {
            std::vector<std::uint8_t> bytes;
            auto add = [&](const YAML::Node& item, const std::string& itemPath) {
                const std::string s = scalar(item, itemPath);
                std::string error;
                ExprPtr e = parseExpression(s, error);
                if (e && e->kind == Expr::Kind::Int && item.Tag() != "!" && !s.empty() && s[0] >= '0' && s[0] <= '9') {
                    if (e->integer < 0 || e->integer > 255)
                        fail(item, itemPath, "a contents byte must be 0..255");
                    bytes.push_back(std::uint8_t(e->integer));
                } else {
                    bytes.insert(bytes.end(), s.begin(), s.end());
                }
            };
            if (contents.IsSequence()) {
                for (std::size_t i = 0; i < contents.size(); ++i)
                    add(contents[i], path + "/contents/" + std::to_string(i));
            } else {
                const std::string s = scalar(contents, path + "/contents");
                bytes.assign(s.begin(), s.end());
            }
            if (node["type"])
                fail(node["type"], path + "/type", "'type' cannot go with 'contents'");
            a.contents = std::move(bytes);
        }
        const bool isString = a.type.kind == TypeRef::Kind::Str || a.type.kind == TypeRef::Kind::StrZ;
        if (const YAML::Node encoding = node["encoding"]) {
            if (!isString)
                fail(encoding, path + "/encoding", "'encoding' only applies to str and strz");
            a.encoding = checkedEncoding(encoding, path + "/encoding");
        } else if (isString) {
            if (defaults.encoding.empty())
                fail(node, path, "a string needs an encoding: give 'encoding' or meta/encoding");
            a.encoding = defaults.encoding;
        }
        if (a.type.kind == TypeRef::Kind::StrZ)
            a.terminator = 0;
        if (const YAML::Node terminator = node["terminator"]) {
            const std::int64_t t = integer(terminator, path + "/terminator");
            if (t < 0 || t > 255)
                fail(terminator, path + "/terminator", "a terminator must be a byte, 0..255");
            a.terminator = int(t);
        }
        if (const YAML::Node consume = node["consume"])
            a.consume = boolean(consume, path + "/consume");
        if (const YAML::Node include = node["include"])
            a.include = boolean(include, path + "/include");
        if (const YAML::Node eosError = node["eos-error"])
            a.eosError = boolean(eosError, path + "/eos-error");
        if (const YAML::Node pad = node["pad-right"]) {
            const std::int64_t p = integer(pad, path + "/pad-right");
            if (p < 0 || p > 255)
                fail(pad, path + "/pad-right", "pad-right must be a byte, 0..255");
            a.padRight = int(p);
        }
        if (const YAML::Node repeat = node["repeat"]) {
            const std::string r = scalar(repeat, path + "/repeat");
            if (r == "expr") {
                a.repeat = Repeat::Expr;
                if (!node["repeat-expr"])
                    fail(repeat, path + "/repeat-expr", "repeat: expr needs 'repeat-expr'");
                a.repeatExpr = expression(node["repeat-expr"], path + "/repeat-expr");
            } else if (r == "eos") {
                a.repeat = Repeat::Eos;
            } else if (r == "until") {
                a.repeat = Repeat::Until;
                if (!node["repeat-until"])
                    fail(repeat, path + "/repeat-until", "repeat: until needs 'repeat-until'");
                a.repeatExpr = expression(node["repeat-until"], path + "/repeat-until");
            } else {
                fail(repeat, path + "/repeat", "expected expr, eos or until, found '" + r + "'");
            }
        }
        if (const YAML::Node ifNode = node["if"])
            a.ifExpr = expression(ifNode, path + "/if");
        if (const YAML::Node enumNode = node["enum"]) {
            a.enumText = scalar(enumNode, path + "/enum");
            a.enumSpec = owner.findEnum(a.enumText);
            if (!a.enumSpec)
                fail(enumNode, path + "/enum", "unknown enum '" + a.enumText + "'");
            if (a.type.kind != TypeRef::Kind::Int && a.type.kind != TypeRef::Kind::BitInt)
                fail(enumNode, path + "/enum", "'enum' only applies to integer types");
        }
        // Checks of combinations Kaitai's compiler would refuse too.
        const bool sized = a.size || a.sizeEos;
        if (!a.value && !a.contents) {
            if (a.type.kind == TypeRef::Kind::Bytes && !sized && !a.terminator)
                fail(node, path, "raw bytes need 'size', 'size-eos' or 'terminator' (or give a 'type')");
            if (a.type.kind == TypeRef::Kind::Str && !sized && !a.terminator)
                fail(node, path, "a str needs 'size', 'size-eos' or 'terminator'");
            if (sized
                && (a.type.kind == TypeRef::Kind::Int || a.type.kind == TypeRef::Kind::Float
                    || a.type.kind == TypeRef::Kind::BitInt))
                fail(node, path, "'size' does not apply to type '" + a.type.text + "'");
        }
        if (isInstance && !a.value && !a.pos && !a.contents && a.type.kind == TypeRef::Kind::Bytes && !sized)
            fail(node, path, "an instance needs 'value' or 'pos' and a type");
        return a;
    }

    Schema& m_schema;
    std::map<const TypeSpec*, Defaults> m_defaults;
    std::map<const TypeSpec*, std::pair<YAML::Node, std::string>> m_nodes;
};

} // namespace

LoadResult loadLayout(const std::string& yamlText, const std::string& sourceName)
{
    LoadResult result;
    auto schema = std::make_shared<Schema>();
    schema->source = sourceName;
    try {
        const YAML::Node doc = YAML::Load(yamlText);
        if (!doc.IsMap())
            throw Failure { {}, "the document is not a YAML mapping" };
        Loader(*schema).load(doc);
        result.schema = std::move(schema);
    } catch (const Failure& f) {
        result.error = LayoutError { sourceName, f.location, f.message };
    } catch (const YAML::Exception& e) {
        Location l;
        if (e.mark.line >= 0) {
            l.line = e.mark.line + 1;
            l.column = e.mark.column + 1;
        }
        result.error = LayoutError { sourceName, l, "YAML: " + e.msg };
    }
    return result;
}

LoadResult loadLayoutFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        LoadResult r;
        r.error = LayoutError { path, {}, "cannot read the file" };
        return r;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return loadLayout(text.str(), path);
}

} // namespace shmscope::structures
