// Kaitai's expression grammar (compiler exprlang/Expressions.scala), by precedence, lowest first:
//   ternary ?:  ·  or  ·  and  ·  not  ·  comparison (one, not chained)  ·  |  ·  ^  ·  &  ·  << >>
//   ·  + -  ·  * / %  ·  unary - ~ +  ·  postfix .name .name(args) [index]  ·  atoms
#include "structures/expression.h"

#include <cctype>
#include <stdexcept>

namespace shmscope::structures {

namespace {

struct Token {
    enum class Kind { End, Int, Float, String, Name, Op } kind = Kind::End;
    std::string text;
    std::int64_t integer = 0;
    double real = 0;
    std::size_t column = 0; // 1-based
};

struct SyntaxError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Lexer
{
public:
    explicit Lexer(const std::string& text)
        : m_text(text)
    { }

    std::vector<Token> run()
    {
        std::vector<Token> tokens;
        while (true) {
            while (m_pos < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_pos])))
                ++m_pos;
            Token token;
            token.column = m_pos + 1;
            if (m_pos >= m_text.size()) {
                tokens.push_back(token);
                return tokens;
            }
            const char c = m_text[m_pos];
            if (std::isdigit(static_cast<unsigned char>(c)))
                number(token);
            else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_')
                name(token);
            else if (c == '\'' || c == '"')
                string(token);
            else
                op(token);
            tokens.push_back(token);
        }
    }

private:
    void number(Token& token)
    {
        const std::size_t start = m_pos;
        auto digits = [&](int base) {
            std::int64_t value = 0;
            bool any = false;
            while (m_pos < m_text.size()) {
                const char d = m_text[m_pos];
                int v = -1;
                if (d == '_') {
                    ++m_pos;
                    continue;
                }
                if (std::isdigit(static_cast<unsigned char>(d)))
                    v = d - '0';
                else if (std::isalpha(static_cast<unsigned char>(d)))
                    v = std::tolower(static_cast<unsigned char>(d)) - 'a' + 10;
                if (v < 0 || v >= base)
                    break;
                value = static_cast<std::int64_t>(static_cast<std::uint64_t>(value) * std::uint64_t(base)
                                                  + std::uint64_t(v));
                any = true;
                ++m_pos;
            }
            if (!any)
                throw SyntaxError("bad number at column " + std::to_string(start + 1));
            return value;
        };
        if (m_text[m_pos] == '0' && m_pos + 1 < m_text.size()) {
            const char p = static_cast<char>(std::tolower(static_cast<unsigned char>(m_text[m_pos + 1])));
            const int base = p == 'x' ? 16 : p == 'b' ? 2 : p == 'o' ? 8 : 0;
            if (base) {
                m_pos += 2;
                token.kind = Token::Kind::Int;
                token.integer = digits(base);
                return;
            }
        }
        std::size_t end = m_pos;
        while (end < m_text.size() && (std::isdigit(static_cast<unsigned char>(m_text[end])) || m_text[end] == '_'))
            ++end;
        bool isFloat = false;
        if (end + 1 < m_text.size() && m_text[end] == '.'
            && std::isdigit(static_cast<unsigned char>(m_text[end + 1]))) {
            isFloat = true;
            ++end;
            while (end < m_text.size() && std::isdigit(static_cast<unsigned char>(m_text[end])))
                ++end;
        }
        if (end < m_text.size() && (m_text[end] == 'e' || m_text[end] == 'E')) {
            std::size_t e = end + 1;
            if (e < m_text.size() && (m_text[e] == '+' || m_text[e] == '-'))
                ++e;
            if (e < m_text.size() && std::isdigit(static_cast<unsigned char>(m_text[e]))) {
                isFloat = true;
                end = e;
                while (end < m_text.size() && std::isdigit(static_cast<unsigned char>(m_text[end])))
                    ++end;
            }
        }
        if (isFloat) {
            std::string digitsOnly;
            for (std::size_t i = m_pos; i < end; ++i)
                if (m_text[i] != '_')
                    digitsOnly += m_text[i];
            token.kind = Token::Kind::Float;
            token.real = std::stod(digitsOnly);
            m_pos = end;
            return;
        }
        token.kind = Token::Kind::Int;
        token.integer = digits(10);
    }

    void name(Token& token)
    {
        const std::size_t start = m_pos;
        while (m_pos < m_text.size()
               && (std::isalnum(static_cast<unsigned char>(m_text[m_pos])) || m_text[m_pos] == '_'))
            ++m_pos;
        token.kind = Token::Kind::Name;
        token.text = m_text.substr(start, m_pos - start);
    }

    void string(Token& token)
    {
        const char quote = m_text[m_pos++];
        token.kind = Token::Kind::String;
        while (true) {
            if (m_pos >= m_text.size())
                throw SyntaxError("unterminated string at column " + std::to_string(token.column));
            char c = m_text[m_pos++];
            if (c == quote)
                return;
            if (c == '\\' && quote == '"') {
                if (m_pos >= m_text.size())
                    throw SyntaxError("unterminated string at column " + std::to_string(token.column));
                c = m_text[m_pos++];
                switch (c) {
                case 'n':
                    token.text += '\n';
                    break;
                case 't':
                    token.text += '\t';
                    break;
                case 'r':
                    token.text += '\r';
                    break;
                case '0':
                    token.text += '\0';
                    break;
                case '\\':
                    token.text += '\\';
                    break;
                case '"':
                    token.text += '"';
                    break;
                case '\'':
                    token.text += '\'';
                    break;
                default:
                    throw SyntaxError(std::string("unsupported escape \\") + c + " in string at column "
                                      + std::to_string(token.column));
                }
                continue;
            }
            token.text += c;
        }
    }

    void op(Token& token)
    {
        static const char* const twoChar[] = { "<<", ">>", "<=", ">=", "==", "!=", "::" };
        token.kind = Token::Kind::Op;
        for (const char* two : twoChar) {
            if (m_text.compare(m_pos, 2, two) == 0) {
                token.text = two;
                m_pos += 2;
                return;
            }
        }
        const char c = m_text[m_pos];
        if (std::string("+-*/%&|^~<>?:()[].,").find(c) == std::string::npos)
            throw SyntaxError(std::string("unexpected '") + c + "' at column " + std::to_string(m_pos + 1));
        token.text = std::string(1, c);
        ++m_pos;
    }

    const std::string& m_text;
    std::size_t m_pos = 0;
};

class Parser
{
public:
    Parser(std::vector<Token> tokens, const std::string& source)
        : m_tokens(std::move(tokens))
        , m_source(source)
    { }

    ExprPtr parse()
    {
        ExprPtr e = ternary();
        if (peek().kind != Token::Kind::End)
            fail("unexpected '" + peek().text + "'");
        return e;
    }

private:
    const Token& peek() const { return m_tokens[m_index]; }
    bool isOp(const char* op) const { return peek().kind == Token::Kind::Op && peek().text == op; }
    bool isWord(const char* word) const { return peek().kind == Token::Kind::Name && peek().text == word; }
    [[noreturn]] void fail(const std::string& what) const
    {
        const Token& t = peek();
        throw SyntaxError(t.kind == Token::Kind::End ? what + " at the end"
                                                     : what + " at column " + std::to_string(t.column));
    }
    void expectOp(const char* op)
    {
        if (!isOp(op))
            fail(std::string("expected '") + op + "'"
                 + (peek().kind == Token::Kind::End ? "" : ", found '" + peek().text + "'"));
        ++m_index;
    }

    std::shared_ptr<Expr> make(Expr::Kind kind)
    {
        auto e = std::make_shared<Expr>();
        e->kind = kind;
        e->source = m_source;
        return e;
    }
    ExprPtr binary(const std::string& op, ExprPtr a, ExprPtr b)
    {
        auto e = make(Expr::Kind::Binary);
        e->op = op;
        e->operands = { std::move(a), std::move(b) };
        return e;
    }

    ExprPtr ternary()
    {
        ExprPtr condition = orTest();
        if (!isOp("?"))
            return condition;
        ++m_index;
        ExprPtr a = ternary();
        expectOp(":");
        ExprPtr b = ternary();
        auto e = make(Expr::Kind::Ternary);
        e->operands = { condition, a, b };
        return e;
    }
    ExprPtr orTest()
    {
        ExprPtr e = andTest();
        while (isWord("or")) {
            ++m_index;
            e = binary("or", e, andTest());
        }
        return e;
    }
    ExprPtr andTest()
    {
        ExprPtr e = notTest();
        while (isWord("and")) {
            ++m_index;
            e = binary("and", e, notTest());
        }
        return e;
    }
    ExprPtr notTest()
    {
        if (isWord("not")) {
            ++m_index;
            auto e = make(Expr::Kind::Unary);
            e->op = "not";
            e->operands = { notTest() };
            return e;
        }
        return comparison();
    }
    ExprPtr comparison()
    {
        ExprPtr e = bitOr();
        for (const char* op : { "==", "!=", "<=", ">=", "<", ">" }) {
            if (isOp(op)) {
                ++m_index;
                return binary(op, e, bitOr());
            }
        }
        return e;
    }
    template<typename Next>
    ExprPtr leftAssoc(std::initializer_list<const char*> ops, Next next)
    {
        ExprPtr e = (this->*next)();
        for (bool more = true; more;) {
            more = false;
            for (const char* op : ops) {
                if (isOp(op)) {
                    ++m_index;
                    e = binary(op, e, (this->*next)());
                    more = true;
                    break;
                }
            }
        }
        return e;
    }
    ExprPtr bitOr() { return leftAssoc({ "|" }, &Parser::bitXor); }
    ExprPtr bitXor() { return leftAssoc({ "^" }, &Parser::bitAnd); }
    ExprPtr bitAnd() { return leftAssoc({ "&" }, &Parser::shift); }
    ExprPtr shift() { return leftAssoc({ "<<", ">>" }, &Parser::arith); }
    ExprPtr arith() { return leftAssoc({ "+", "-" }, &Parser::term); }
    ExprPtr term() { return leftAssoc({ "*", "/", "%" }, &Parser::factor); }
    ExprPtr factor()
    {
        for (const char* op : { "-", "~", "+" }) {
            if (isOp(op)) {
                ++m_index;
                ExprPtr operand = factor();
                if (std::string(op) == "+")
                    return operand;
                auto e = make(Expr::Kind::Unary);
                e->op = op;
                e->operands = { operand };
                return e;
            }
        }
        return postfix();
    }
    ExprPtr postfix()
    {
        ExprPtr e = atom();
        while (true) {
            if (isOp(".")) {
                ++m_index;
                if (peek().kind != Token::Kind::Name)
                    fail("expected a name after '.'");
                const std::string name = peek().text;
                ++m_index;
                if (name == "as" && isOp("<"))
                    fail("'.as<...>' casts are not supported");
                if (isOp("(")) {
                    ++m_index;
                    auto call = make(Expr::Kind::Call);
                    call->text = name;
                    call->operands.push_back(e);
                    if (!isOp(")")) {
                        call->operands.push_back(ternary());
                        while (isOp(",")) {
                            ++m_index;
                            call->operands.push_back(ternary());
                        }
                    }
                    expectOp(")");
                    e = call;
                } else {
                    auto member = make(Expr::Kind::Member);
                    member->text = name;
                    member->operands.push_back(e);
                    e = member;
                }
            } else if (isOp("[")) {
                ++m_index;
                auto index = make(Expr::Kind::Index);
                index->operands = { e, ternary() };
                expectOp("]");
                e = index;
            } else {
                return e;
            }
        }
    }
    ExprPtr atom()
    {
        const Token t = peek();
        switch (t.kind) {
        case Token::Kind::End:
            fail("expected a value");
        case Token::Kind::Int: {
            ++m_index;
            auto e = make(Expr::Kind::Int);
            e->integer = t.integer;
            return e;
        }
        case Token::Kind::Float: {
            ++m_index;
            auto e = make(Expr::Kind::Float);
            e->real = t.real;
            return e;
        }
        case Token::Kind::String: {
            ++m_index;
            auto e = make(Expr::Kind::String);
            e->text = t.text;
            // Adjacent literals concatenate, as in Kaitai (and Python).
            while (peek().kind == Token::Kind::String) {
                e->text += peek().text;
                ++m_index;
            }
            return e;
        }
        case Token::Kind::Op:
            if (t.text == "(") {
                ++m_index;
                ExprPtr e = ternary();
                expectOp(")");
                return e;
            }
            if (t.text == "[") {
                ++m_index;
                auto e = make(Expr::Kind::Array);
                if (!isOp("]")) {
                    e->operands.push_back(ternary());
                    while (isOp(",")) {
                        ++m_index;
                        e->operands.push_back(ternary());
                    }
                }
                expectOp("]");
                return e;
            }
            fail("unexpected '" + t.text + "'");
        case Token::Kind::Name:
            break;
        }
        ++m_index;
        if (t.text == "true" || t.text == "false") {
            auto e = make(Expr::Kind::Bool);
            e->integer = t.text == "true" ? 1 : 0;
            return e;
        }
        if ((t.text == "sizeof" || t.text == "bitsizeof") && isOp("<")) {
            ++m_index;
            std::string type;
            while (peek().kind == Token::Kind::Name || isOp("::")) {
                type += peek().text;
                ++m_index;
            }
            if (type.empty())
                fail("expected a type name");
            expectOp(">");
            auto e = make(Expr::Kind::SizeOf);
            e->text = type;
            e->integer = t.text == "bitsizeof" ? 1 : 0;
            return e;
        }
        if (isOp("::")) {
            std::vector<std::string> parts { t.text };
            while (isOp("::")) {
                ++m_index;
                if (peek().kind != Token::Kind::Name)
                    fail("expected a name after '::'");
                parts.push_back(peek().text);
                ++m_index;
            }
            auto e = make(Expr::Kind::EnumValue);
            e->label = parts.back();
            parts.pop_back();
            for (std::size_t i = 0; i < parts.size(); ++i)
                e->text += (i ? "::" : "") + parts[i];
            return e;
        }
        auto e = make(Expr::Kind::Name);
        e->text = t.text;
        return e;
    }

    std::vector<Token> m_tokens;
    std::size_t m_index = 0;
    const std::string& m_source;
};

} // namespace

ExprPtr parseExpression(const std::string& text, std::string& error)
{
    try {
        Lexer lexer(text);
        Parser parser(lexer.run(), text);
        return parser.parse();
    } catch (const SyntaxError& e) {
        error = e.what();
    } catch (const std::exception& e) { // std::stod out of range
        error = std::string("bad number: ") + e.what();
    }
    return nullptr;
}

} // namespace shmscope::structures
