#pragma once

// Kaitai Struct's expression language, parsed into a tree (a hand-written precedence-climbing parser).
// Evaluation lives with the decoder (evaluator.cpp), which knows the fields names refer to.
// Source: the grammar of the compiler's exprlang/Expressions.scala as described in the User Guide's
// "Expression language" chapter (precedence, literals 0x/0b/0o/_ , enum::label, sizeof<T>).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace shmscope::structures {

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

/// One node of a parsed expression.
struct Expr {
    enum class Kind {
        Int, ///< integer literal: `integer`
        Float, ///< float literal: `real`
        String, ///< string literal: `text`
        Bool, ///< true/false: `integer` 0 or 1
        Name, ///< identifier: `text` (also _root, _parent, _io, _index, _)
        EnumValue, ///< enum::label: `text` = enum path ("a::b"), `label`
        Unary, ///< `op` ("-", "~", "not") applied to operands[0]
        Binary, ///< `op` between operands[0] and operands[1]
        Ternary, ///< operands[0] ? operands[1] : operands[2]
        Member, ///< operands[0].text
        Call, ///< operands[0].text(operands[1..])
        Index, ///< operands[0][operands[1]]
        SizeOf, ///< sizeof<text> (integer 0) or bitsizeof<text> (integer 1)
        Array, ///< [operands...]
    };
    Kind kind = Kind::Int;
    std::int64_t integer = 0;
    double real = 0;
    std::string text;
    std::string label;
    std::string op;
    std::vector<ExprPtr> operands;
    std::string source; ///< the whole expression as written (for messages)
};

/// Parses `text`. On a syntax error returns nullptr and sets `error` to a message naming the
/// position ("unexpected ')' at column 7").
ExprPtr parseExpression(const std::string& text, std::string& error);

} // namespace shmscope::structures
