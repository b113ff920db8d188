// ksydump — ShmScope's side of the differential test (difftest.js runs the official compiler's side).
// Decodes each INPUT file through LAYOUT with the structures library and prints one JSON line per
// input: every node in pre-order with its path, kind, value and absolute byte range:
//
//   ksydump LAYOUT.ksy [--param ID=INTEGER]... INPUT...
//   {"input":"a.bin","error":"...","errorPath":"...","fields":[{"path":"a.b[0]","kind":"int","value":5,
//    "start":0,"end":4}, ...]}
//
// Nodes that could not be decoded completely carry "incomplete":true and no range; instances of a
// struct whose seq did not complete are left out (Kaitai evaluates them over a half-read object).
// Exit code 0, or 2 for a usage or layout error (message on stderr).
#include "structures/decoder.h"
#include "structures/format.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

using namespace shmscope::structures;

namespace {

const char* kindText(const Node& n)
{
    switch (n.kind()) {
    case Node::Kind::Struct:
        return "struct";
    case Node::Kind::Array:
        return "array";
    case Node::Kind::Int:
        return "int";
    case Node::Kind::Float:
        return "float";
    case Node::Kind::Bool:
        return "bool";
    case Node::Kind::String:
        return "str";
    case Node::Kind::Bytes:
        return "bytes";
    case Node::Kind::None:
        return "null";
    }
    return "?";
}

void visit(Node& n, std::string& out, bool& first)
{
    if (n.parent()) {
        out += first ? "" : ",";
        first = false;
        out += "{\"path\":" + jsonString(n.path()) + ",\"kind\":";
        const bool isRef = n.isInstance() && n.attribute()->value
            && (n.value().kind == Value::Kind::Struct || n.value().kind == Value::Kind::Array);
        out += jsonString(isRef ? "ref" : kindText(n));
        if (n.kind() == Node::Kind::Array)
            out += ",\"count\":" + std::to_string(n.childCount());
        else if (n.kind() != Node::Kind::Struct && !isRef)
            out += ",\"value\":" + jsonValue(n);
        if (n.kind() == Node::Kind::Int && !isRef)
            out += ",\"text\":\"" + jsonValue(n) + "\""; // exact, for values beyond 2^53
        if (!n.error().empty())
            out += ",\"error\":" + jsonString(n.error());
        if (n.incomplete())
            out += ",\"incomplete\":true";
        else if (n.hasRange())
            out += ",\"start\":" + std::to_string(n.offset()) + ",\"end\":" + std::to_string(n.offset() + n.size());
        out += "}";
    }
    // Instances of a struct whose seq stopped are skipped (see the header), and not evaluated.
    const std::size_t count = n.childCount();
    const std::size_t fields = n.kind() == Node::Kind::Struct ? n.seqCount() : count;
    bool seqFailed = !n.error().empty();
    for (std::size_t k = 0; k < fields && n.kind() == Node::Kind::Struct; ++k)
        if (n.child(k)->incomplete())
            seqFailed = true;
    for (std::size_t i = 0; i < (seqFailed ? fields : count); ++i)
        if (Node* c = n.child(i))
            visit(*c, out, first);
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: ksydump LAYOUT.ksy [--param ID=INTEGER]... INPUT...\n");
        return 2;
    }
    const LoadResult loaded = loadLayoutFile(argv[1]);
    if (!loaded) {
        std::fprintf(stderr, "ksydump: %s\n", loaded.error->text().c_str());
        return 2;
    }
    DecodeOptions options;
    int i = 2;
    for (; i + 1 < argc && std::string(argv[i]) == "--param"; i += 2) {
        const std::string p = argv[i + 1];
        const std::size_t eq = p.find('=');
        if (eq == std::string::npos) {
            std::fprintf(stderr, "ksydump: --param wants ID=INTEGER\n");
            return 2;
        }
        options.params[p.substr(0, eq)] = Value::ofInt(std::stoll(p.substr(eq + 1), nullptr, 0));
    }
    for (; i < argc; ++i) {
        std::ifstream in(argv[i], std::ios::binary);
        if (!in) {
            std::fprintf(stderr, "ksydump: cannot read %s\n", argv[i]);
            return 2;
        }
        std::ostringstream bytes;
        bytes << in.rdbuf();
        const std::string data = bytes.str();
        auto source = std::make_shared<OwnedBufferSource>(std::vector<std::uint8_t>(data.begin(), data.end()));
        std::unique_ptr<Tree> tree = Tree::decode(loaded.schema, source, options);
        // The parse's error: the root's seq (an instance's failure is only at the instance's node, as
        // Kaitai's instances fail only when read).
        Node& root = tree->root();
        bool seqFailed = !root.error().empty();
        for (std::size_t k = 0; k < root.seqCount(); ++k)
            if (root.child(k)->incomplete())
                seqFailed = true;
        std::string out = "{\"input\":" + jsonString(argv[i])
            + ",\"error\":" + jsonString(seqFailed ? tree->error() : std::string())
            + ",\"errorPath\":" + jsonString(seqFailed ? tree->errorPath() : std::string()) + ",\"fields\":[";
        bool first = true;
        visit(tree->root(), out, first);
        out += "]}\n";
        std::fwrite(out.data(), 1, out.size(), stdout);
    }
    return 0;
}
