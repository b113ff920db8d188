// The structures library on its own: layout errors (key, path, line), the parts the differential
// test cannot check against Kaitai's JavaScript runtime (b33..b64, 64-bit arithmetic, a strz in
// UTF-16 that Kaitai 0.11 ends on a 2-byte NUL), the bounds (past the end, 10^9-element arrays,
// recursion, endless repeat-eos: partial trees, never a hang), lazy arrays, field writes and the
// built-in layouts.
#include "structures/builtinlayouts.h"
#include "structures/decoder.h"
#include "structures/fieldwriter.h"
#include "structures/format.h"

#include <gtest/gtest.h>

using namespace shmscope::structures;

namespace {

std::shared_ptr<const Schema> load(const std::string& text)
{
    LoadResult r = loadLayout(text, "test.ksy");
    EXPECT_TRUE(r) << (r.error ? r.error->text() : "");
    return r.schema;
}

std::unique_ptr<Tree> decode(const std::string& ksy, std::vector<std::uint8_t> bytes, DecodeOptions options = {})
{
    return Tree::decode(load(ksy), std::make_shared<OwnedBufferSource>(std::move(bytes)), options);
}

} // namespace

TEST(Layout, ErrorsNameKeyPathAndLine)
{
    const LoadResult r
        = loadLayout("meta:\n  id: x\n  endian: le\nseq:\n  - id: a\n    type: u4\n    valid: 3\n", "x.ksy");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error->text(), "x.ksy:7:5: /seq/0/valid: 'valid' is not supported by ShmScope's interpreter");
    const LoadResult unknownType = loadLayout("meta: {id: x}\nseq:\n  - {id: a, type: nope}\n", "x.ksy");
    ASSERT_FALSE(unknownType);
    EXPECT_EQ(unknownType.error->location.path, "/seq/0/type");
    EXPECT_EQ(unknownType.error->location.line, 3);
    EXPECT_NE(unknownType.error->message.find("unknown type 'nope'"), std::string::npos);
    const LoadResult noEndian = loadLayout("meta: {id: x}\nseq:\n  - {id: a, type: u4}\n", "x.ksy");
    ASSERT_FALSE(noEndian);
    EXPECT_NE(noEndian.error->message.find("no endianness"), std::string::npos);
    const LoadResult badExpr = loadLayout("meta: {id: x}\ninstances:\n  v: {value: '1 +'}\n", "x.ksy");
    ASSERT_FALSE(badExpr);
    EXPECT_EQ(badExpr.error->location.path, "/instances/v/value");
    const LoadResult yaml = loadLayout("meta: {id: x\n", "x.ksy");
    ASSERT_FALSE(yaml);
    EXPECT_NE(yaml.error->message.find("YAML"), std::string::npos);
    // Extension keys are accepted anywhere and -shm-kind is read.
    auto schema
        = load("meta: {id: x, endian: le, -anything: 1}\nseq:\n  - {id: h, type: u4, -shm-kind: hwnd, -orig-id: H}\n");
    ASSERT_TRUE(schema);
    EXPECT_EQ(schema->root->seq[0].shmKind, "hwnd");
}

TEST(Decode, WideBitFieldsAndByteRanges)
{
    // b33..b64 (the JavaScript runtime stops at 32 bits): big- and little-endian bit order.
    auto t = decode("meta: {id: x}\nseq:\n  - {id: a, type: b4}\n  - {id: b, type: b64}\n  - {id: c, type: b36}\n",
                    { 0xAB, 0xCD, 0xEF, 0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0x01, 0x23, 0x45 });
    ASSERT_EQ(t->error(), "");
    EXPECT_EQ(t->find("a")->value().integer, 0xA);
    EXPECT_EQ(std::uint64_t(t->find("b")->value().integer), 0xBCDEF0123456789AULL);
    EXPECT_TRUE(t->find("b")->value().isUnsigned);
    EXPECT_EQ(std::uint64_t(t->find("c")->value().integer), 0xBCDEF0123ULL);
    EXPECT_EQ(t->find("b")->bitStart(), 4);
    EXPECT_EQ(t->find("b")->bitCount(), 64);
    EXPECT_EQ(t->find("c")->offset(), 9u);
    auto le = decode("meta: {id: x, bit-endian: le}\nseq:\n  - {id: a, type: b4}\n  - {id: b, type: b40}\n",
                     { 0x21, 0x43, 0x65, 0x87, 0xA9, 0x0B });
    EXPECT_EQ(le->find("a")->value().integer, 0x1);
    EXPECT_EQ(le->find("b")->value().integer, 0xBA98765432LL);
}

TEST(Decode, Utf16StrzEndsOnAlignedDoubleNul)
{
    // "A" then U+0100 (bytes 00 01): the 00 00 across the two units is not a terminator.
    auto t = decode("meta: {id: x}\nseq:\n  - {id: s, type: strz, size: 8, encoding: UTF-16LE}\n",
                    { 'A', 0, 0, 1, 0, 0, 'B', 0 });
    EXPECT_EQ(t->find("s")->value().text, "A\xC4\x80");
    EXPECT_EQ(t->find("s")->size(), 8u);
}

TEST(Decode, SixtyFourBitArithmeticAndSizeof)
{
    auto t = decode(
        "meta: {id: x, endian: le}\nseq:\n  - {id: a, type: u8}\ninstances:\n"
        "  wrapped: {value: a + 1}\n  div: {value: -7 / 2}\n  mod: {value: -7 % 3}\n"
        "  sz: {value: sizeof<pair>}\n  s: {value: \"'ab' + 'c'\"}\n  n: {value: \"'0x1f'.substring(2, 4).to_i(16)\"}\n"
        "types:\n  pair:\n    seq:\n      - {id: p, type: u2}\n      - {id: q, type: f8}\n",
        std::vector<std::uint8_t>(8, 0xFF));
    ASSERT_EQ(t->error(), "");
    EXPECT_EQ(t->find("a")->displayValue(), "18446744073709551615");
    EXPECT_EQ(t->find("wrapped")->value().integer, 0);
    EXPECT_EQ(t->find("div")->value().integer, -4);
    EXPECT_EQ(t->find("mod")->value().integer, 2);
    EXPECT_EQ(t->find("sz")->value().integer, 10);
    EXPECT_EQ(t->find("s")->value().text, "abc");
    EXPECT_EQ(t->find("n")->value().integer, 31);
}

TEST(Bounds, BillionElementArrayIsPartialAndQuick)
{
    auto t = decode("meta: {id: x, endian: le}\nseq:\n  - {id: n, type: u4}\n  - {id: v, type: u4, repeat: expr, "
                    "repeat-expr: n}\n",
                    { 0x00, 0xCA, 0x9A, 0x3B, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0 });
    Node* v = t->find("v");
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(v->childCount(), 3u); // two that fit and the one that crosses the end
    EXPECT_EQ(v->child(1)->value().integer, 2);
    EXPECT_NE(v->child(2)->error().find("goes past the end"), std::string::npos);
    EXPECT_EQ(t->errorPath(), "v[2]");
    EXPECT_LT(t->nodeCount(), 10u);
}

TEST(Bounds, RecursionStopsAtTheDepthLimit)
{
    auto t = decode("meta: {id: x}\nseq:\n  - {id: a, type: x}\n", { 1, 2, 3 });
    EXPECT_NE(t->error().find("nesting deeper than 64"), std::string::npos);
    EXPECT_TRUE(t->root().incomplete());
}

TEST(Bounds, EndlessRepeatStopsAtTheNodeLimit)
{
    // Elements of zero bytes never reach the end of the stream.
    DecodeOptions options;
    options.limits.maxNodes = 5000;
    auto t = decode("meta: {id: x}\nseq:\n  - {id: e, type: empty, repeat: eos}\ntypes:\n  empty: {seq: []}\n", { 1 },
                    options);
    EXPECT_NE(t->error().find("node limit"), std::string::npos);
    EXPECT_LE(t->nodeCount(), 5000u);
    // A self-referencing instance is an error at the instance, not a hang.
    auto self = decode("meta: {id: x}\ninstances:\n  a: {value: a + 1}\n", {});
    EXPECT_NE(self->find("a")->error().find("depends on itself"), std::string::npos);
}

TEST(Lazy, HundredThousandElementsCostOneNode)
{
    std::vector<std::uint8_t> bytes(4 + 400000);
    bytes[0] = 0xA0;
    bytes[1] = 0x86;
    bytes[2] = 0x01; // 100,000
    for (std::size_t i = 0; i < 100000; ++i)
        bytes[4 + i * 4] = std::uint8_t(i);
    auto t = decode("meta: {id: x, endian: le}\nseq:\n  - {id: n, type: u4}\n  - {id: v, type: u4, repeat: expr, "
                    "repeat-expr: n}\ninstances:\n  last: {value: v.last}\n",
                    bytes);
    ASSERT_EQ(t->error(), "");
    Node* v = t->find("v");
    EXPECT_TRUE(v->isLazy());
    EXPECT_EQ(v->childCount(), 100000u);
    EXPECT_LT(t->nodeCount(), 10u); // root, n, v, last, and v[99999] for `last`
    EXPECT_EQ(v->child(99998)->value().integer, 99998 % 256);
    EXPECT_EQ(v->child(99998)->offset(), 4u + 99998u * 4u);
    EXPECT_EQ(t->find("v[77777]")->path(), "v[77777]");
}

TEST(Write, ChecksRangesSizesAndBitFields)
{
    std::vector<std::uint8_t> bytes { 0xFF, 0x12, 0x34, 'h', 'i', 0, 0, 0b10110000 };
    const std::string ksy = "meta: {id: x, endian: be}\nseq:\n  - {id: s, type: s1}\n  - {id: u, type: u2, enum: e}\n"
                            "  - {id: t, type: strz, size: 4, encoding: ASCII}\n  - {id: b, type: b3}\n"
                            "enums:\n  e: {0x1234: known}\n";
    auto t = decode(ksy, bytes);
    const ByteSource& source = t->source();
    std::string error;
    EXPECT_FALSE(encodeFieldValue(*t->find("s"), "128", source, error));
    EXPECT_NE(error.find("out of range"), std::string::npos);
    auto p = encodeFieldValue(*t->find("s"), "-128", source, error);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->bytes, std::string(1, '\x80'));
    p = encodeFieldValue(*t->find("u"), "known", source, error);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->bytes, std::string("\x12\x34", 2));
    EXPECT_EQ(p->offset, 1u);
    EXPECT_FALSE(encodeFieldValue(*t->find("t"), "four", source, error)); // no room for the NUL
    p = encodeFieldValue(*t->find("t"), "ab", source, error);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->bytes, std::string("ab\0\0", 4));
    EXPECT_FALSE(encodeFieldValue(*t->find("b"), "8", source, error));
    p = encodeFieldValue(*t->find("b"), "2", source, error); // 101 -> 010, the other bits kept
    ASSERT_TRUE(p);
    EXPECT_EQ(p->offset, 7u);
    EXPECT_EQ(static_cast<unsigned char>(p->bytes[0]), 0b01010000);
}

TEST(Builtins, AllLoadAndDecodeSeedBytes)
{
    ASSERT_EQ(builtinLayouts().size(), 4u);
    for (const BuiltinLayout& b : builtinLayouts()) {
        const LoadResult r = loadLayout(b.text, b.name);
        EXPECT_TRUE(r) << b.name << ": " << (r.error ? r.error->text() : "");
        EXPECT_FALSE(b.title.empty()) << b.name;
    }
    const LoadResult zzj = loadLayoutByName("zzj_areas");
    ASSERT_TRUE(zzj);
    std::vector<std::uint8_t> bytes {
        3, 0, 0, 0, 7, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0x2C, 0x0A, 1, 0, 0x3D, 0x0B, 2, 0
    };
    auto t = Tree::decode(zzj.schema, std::make_shared<OwnedBufferSource>(bytes));
    ASSERT_EQ(t->error(), "");
    EXPECT_EQ(t->find("area1.count")->value().integer, 2);
    EXPECT_EQ(t->find("area1.values")->childCount(), 2u);
    EXPECT_EQ(t->find("area2.count")->value().integer, 0);
    EXPECT_EQ(t->find("hwnd_server")->displayValue(), "0x00010a2c");
    EXPECT_EQ(t->find("hwnd_client")->offset(), 20u);
}
