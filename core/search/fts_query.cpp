#include "core/search/fts_query.hpp"

#include <vector>

namespace eas::core::search {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

// Whether the tokenizer (unicode61) would find a word in `text`: an ASCII
// letter or digit, or any non-ASCII character (letters of other scripts;
// the rare non-ASCII separator then simply matches nothing).
bool HasWord(std::string_view text) {
  for (unsigned char c : text) {
    if (c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) {
      return true;
    }
  }
  return false;
}

// `text` as an FTS5 string: in double quotes, each quote doubled. Inside
// one, FTS5 reads nothing but the tokenizer's words.
std::string Quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

// The index column a Find field searches, or "" for no field of ours.
std::string_view ColumnOf(std::string_view field) {
  std::string lower(field);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (lower == "to" || lower == "cc" || lower == "bcc") return "recipients";
  if (lower == "from") return "sender";
  if (lower == "subject") return "subject";
  if (lower == "body") return "body";
  if (lower == "attachment" || lower == "attachments") return "attachments";
  return {};
}

// One thing the user typed: a word or a quoted phrase, maybe with a field,
// or (Find) an operator.
struct Piece {
  enum Kind { kTerm, kOr, kAnd } kind = kTerm;
  std::string_view column;  // "" for every column
  std::string_view text;
};

class Lexer {
 public:
  Lexer(std::string_view text, QuerySyntax syntax) : text_(text), find_(syntax == QuerySyntax::kFind) {}

  std::vector<Piece> Pieces() {
    std::vector<Piece> out;
    for (;;) {
      while (at_ < text_.size() && IsSpace(text_[at_])) ++at_;
      if (at_ >= text_.size()) return out;
      out.push_back(Next());
    }
  }

 private:
  Piece Next() {
    Piece p;
    if (find_) {
      // A field: letters then ':' then the term right after it.
      size_t end = at_;
      while (end < text_.size() && ((text_[end] | 0x20) >= 'a' && (text_[end] | 0x20) <= 'z')) ++end;
      if (end > at_ && end + 1 < text_.size() && text_[end] == ':' && !IsSpace(text_[end + 1])) {
        std::string_view column = ColumnOf(text_.substr(at_, end - at_));
        if (!column.empty()) {
          p.column = column;
          at_ = end + 1;
        }
      }
    }
    if (text_[at_] == '"') {
      size_t close = text_.find('"', at_ + 1);
      if (close == std::string_view::npos) close = text_.size();  // unclosed: up to the end
      p.text = text_.substr(at_ + 1, close - at_ - 1);
      at_ = close < text_.size() ? close + 1 : close;
      return p;
    }
    size_t end = at_;
    while (end < text_.size() && !IsSpace(text_[end])) ++end;
    p.text = text_.substr(at_, end - at_);
    at_ = end;
    if (find_ && p.column.empty()) {
      if (p.text == "OR") p.kind = Piece::kOr;
      if (p.text == "AND") p.kind = Piece::kAnd;
    }
    return p;
  }

  std::string_view text_;
  bool find_;
  size_t at_ = 0;
};

}  // namespace

std::string FtsMatchExpression(std::string_view text, QuerySyntax syntax) {
  std::string out;
  // The operator written before the next term; AND where the user wrote
  // none. An operator with no term after it (or before it) is dropped.
  std::string_view pending = " AND ";
  for (const Piece& p : Lexer(text, syntax).Pieces()) {
    if (p.kind != Piece::kTerm) {
      pending = p.kind == Piece::kOr ? " OR " : " AND ";
      continue;
    }
    if (!HasWord(p.text)) continue;
    if (!out.empty()) out += pending;
    pending = " AND ";
    if (!p.column.empty()) {
      out += p.column;
      out += " : ";
    }
    // The last word may be the start of a longer one: a phone searches
    // as the user types ("Mül" finds "Müller").
    out += Quoted(p.text);
    out += " *";
  }
  return out;
}

}  // namespace eas::core::search
