#include "structures/format.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace shmscope::structures {

std::string hexText(const std::string& bytes)
{
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i)
            out += ' ';
        const auto b = static_cast<unsigned char>(bytes[i]);
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

std::string formatFloat(double d)
{
    if (std::isnan(d))
        return "nan";
    if (std::isinf(d))
        return d < 0 ? "-inf" : "inf";
    char buf[64];
    for (int precision = 1; precision <= 17; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*g", precision, d);
        if (std::strtod(buf, nullptr) == d)
            break;
    }
    return buf;
}

namespace {

std::string intText(const Value& v)
{
    return v.isUnsigned ? std::to_string(std::uint64_t(v.integer)) : std::to_string(v.integer);
}

std::string quoted(const std::string& s)
{
    std::string out = "\"";
    for (const char c : s) {
        const auto b = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\r') {
            out += "\\r";
        } else if (b < 0x20 || b == 0x7F) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", b);
            out += buf;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

} // namespace

std::string formatValue(const Node& node)
{
    if (!node.error().empty() && node.kind() != Node::Kind::Struct && node.kind() != Node::Kind::Array)
        return "(error)";
    const Value v = node.value();
    const Attribute* a = node.effectiveAttribute();
    switch (v.kind) {
    case Value::Kind::None:
        return "(none)";
    case Value::Kind::Int: {
        std::string number = intText(v);
        if (a && !a->shmKind.empty()) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "0x%0*llx", node.size() > 0 ? int(node.size() * 2) : 1,
                          static_cast<unsigned long long>(v.integer));
            number = buf;
        }
        if (v.enumSpec) {
            if (const std::string* label = v.enumSpec->label(v.integer))
                return *label + " (" + number + ")";
        }
        return number;
    }
    case Value::Kind::Float:
        return formatFloat(v.real);
    case Value::Kind::Bool:
        return v.boolean ? "true" : "false";
    case Value::Kind::String:
        return quoted(v.text);
    case Value::Kind::Bytes:
        if (v.text.size() > 64)
            return hexText(v.text.substr(0, 64)) + " …";
        return hexText(v.text);
    case Value::Kind::Struct:
        return "{…}";
    case Value::Kind::Array:
        return "[" + std::to_string(node.childCount()) + "]";
    }
    return {};
}

std::string jsonString(const std::string& text)
{
    std::string out = "\"";
    for (const char c : text) {
        const auto b = static_cast<unsigned char>(c);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (b < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", b);
                out += buf;
            } else {
                out += c;
            }
        }
    }
    return out + "\"";
}

std::string jsonValue(const Node& node)
{
    const Value v = node.value();
    switch (v.kind) {
    case Value::Kind::Int:
        return intText(v);
    case Value::Kind::Float:
        if (!std::isfinite(v.real))
            return jsonString(formatFloat(v.real));
        return formatFloat(v.real);
    case Value::Kind::Bool:
        return v.boolean ? "true" : "false";
    case Value::Kind::String:
        return jsonString(v.text);
    case Value::Kind::Bytes:
        return jsonString(hexText(v.text));
    default:
        return "null";
    }
}

std::string treeJson(Node& node, std::size_t maxElements, int indent)
{
    const std::string pad(std::size_t(indent + 2), ' ');
    std::string out = "{\n" + pad + "\"type\": " + jsonString(node.typeName());
    if (node.hasRange())
        out += ",\n" + pad + "\"offset\": " + std::to_string(node.offset()) + ",\n" + pad
            + "\"size\": " + std::to_string(node.size());
    if (node.bitCount())
        out += ",\n" + pad + "\"bitOffset\": " + std::to_string(node.bitStart() % 8) + ",\n" + pad
            + "\"bits\": " + std::to_string(node.bitCount());
    if (node.kind() != Node::Kind::Struct && node.kind() != Node::Kind::Array) {
        out += ",\n" + pad + "\"value\": " + jsonValue(node);
        const Value v = node.value();
        if (v.enumSpec)
            if (const std::string* label = v.enumSpec->label(v.integer))
                out += ",\n" + pad + "\"enum\": " + jsonString(*label);
    }
    if (!node.error().empty())
        out += ",\n" + pad + "\"error\": " + jsonString(node.error());
    if (node.kind() == Node::Kind::Struct) {
        out += ",\n" + pad + "\"fields\": {";
        for (std::size_t i = 0; i < node.childCount(); ++i) {
            Node* c = node.child(i);
            if (!c)
                continue;
            out += (i ? ",\n" : "\n") + pad + "  " + jsonString(c->name()) + ": "
                + treeJson(*c, maxElements, indent + 4);
        }
        out += "\n" + pad + "}";
    } else if (node.kind() == Node::Kind::Array) {
        const std::size_t n = node.childCount();
        out += ",\n" + pad + "\"count\": " + std::to_string(n) + ",\n" + pad + "\"elements\": [";
        const std::size_t shown = std::min(n, maxElements);
        for (std::size_t i = 0; i < shown; ++i) {
            Node* c = node.child(i);
            out += (i ? ",\n" : "\n") + pad + "  " + (c ? treeJson(*c, maxElements, indent + 4) : std::string("null"));
        }
        out += "\n" + pad + "]";
        if (shown < n)
            out += ",\n" + pad + "\"more\": " + std::to_string(n - shown);
    }
    return out + "\n" + std::string(std::size_t(indent), ' ') + "}";
}

namespace {

void textLines(Node& node, std::size_t maxElements, int depth, std::string& out)
{
    out += std::string(std::size_t(depth) * 2, ' ') + (node.name().empty() ? "(root)" : node.name()) + "  "
        + node.typeName();
    if (node.kind() != Node::Kind::Struct)
        out += "  " + formatValue(node);
    if (node.hasRange()) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "  @0x%llx+%llu", static_cast<unsigned long long>(node.offset()),
                      static_cast<unsigned long long>(node.size()));
        out += buf;
    }
    out += "\n";
    if (!node.error().empty())
        out += std::string(std::size_t(depth) * 2 + 2, ' ') + "! " + node.error() + "\n";
    const std::size_t n = node.childCount();
    const std::size_t shown = node.kind() == Node::Kind::Array ? std::min(n, maxElements) : n;
    for (std::size_t i = 0; i < shown; ++i)
        if (Node* c = node.child(i))
            textLines(*c, maxElements, depth + 1, out);
    if (shown < n)
        out += std::string(std::size_t(depth + 1) * 2, ' ') + "… " + std::to_string(n - shown) + " more\n";
}

} // namespace

std::string treeText(Node& node, std::size_t maxElements)
{
    std::string out;
    textLines(node, maxElements, 0, out);
    return out;
}

} // namespace shmscope::structures
