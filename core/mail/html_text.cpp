#include "core/mail/html_text.hpp"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <memory>

#include "core/util/libxml_doc.hpp"

namespace eas::core::mail {
namespace {

bool NameIs(const xmlNode* n, std::initializer_list<const char*> names) {
  const char* name = reinterpret_cast<const char*>(n->name);
  if (name == nullptr) return false;
  for (const char* candidate : names) {
    if (strcasecmp(name, candidate) == 0) return true;
  }
  return false;
}

bool Skipped(const xmlNode* n) {
  return NameIs(n, {"script", "style", "head", "title", "noscript", "template", "object"});
}

bool Block(const xmlNode* n) {
  return NameIs(n, {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
                    "table", "ul", "ol", "dl", "dt", "dd", "pre", "hr", "address", "section",
                    "article", "header", "footer", "nav", "aside", "form", "fieldset",
                    "figure", "center", "body", "html", "thead", "tbody", "tfoot", "caption"});
}

// Collects text with pending white space and line breaks, so that what is
// emitted never has a space at a line's start or end.
class TextOut {
 public:
  void Text(std::string_view s, bool pre) {
    for (char c : s) {
      bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
      if (pre && c == '\n') {
        LineBreak();
      } else if (pre && c == '\r') {
        continue;
      } else if (pre && space) {
        Flush();
        out_ += c;
      } else if (space) {
        space_ = true;
      } else {
        Flush();
        out_ += c;
      }
    }
  }
  // Ends the current line, unless the text already is at a line start.
  void BlockBreak() {
    space_ = false;
    if (!out_.empty() && out_.back() != '\n') newlines_ = std::max(newlines_, 1);
  }
  // <br>: a line break even on an empty line (at most one blank line).
  void LineBreak() {
    space_ = false;
    if (!out_.empty()) newlines_ = std::min(newlines_ + 1, 2);
  }
  void Tab() {
    if (!out_.empty() && out_.back() != '\n' && newlines_ == 0) tab_ = true;
    space_ = false;
  }
  std::string Take() { return std::move(out_); }

 private:
  void Flush() {
    if (newlines_ > 0) {
      // A line that ended with a newline already counts as one.
      int have = (!out_.empty() && out_.back() == '\n') ? 1 : 0;
      for (int i = have; i < newlines_; ++i) out_ += '\n';
    } else if (tab_) {
      out_ += '\t';
    } else if (space_ && !out_.empty() && out_.back() != '\n') {
      out_ += ' ';
    }
    newlines_ = 0;
    space_ = false;
    tab_ = false;
  }
  std::string out_;
  int newlines_ = 0;
  bool space_ = false;
  bool tab_ = false;
};

bool InPre(const xmlNode* n) {
  for (; n != nullptr; n = n->parent) {
    if (n->type == XML_ELEMENT_NODE && NameIs(n, {"pre", "textarea"})) return true;
  }
  return false;
}

void Enter(xmlNode* n, TextOut& out) {
  if (NameIs(n, {"br"})) {
    out.LineBreak();
  } else if (NameIs(n, {"td", "th"})) {
    out.Tab();
  } else if (NameIs(n, {"img"})) {
    // An image that stands for text (a logo reading "ACME") keeps its alt.
    xmlChar* alt = xmlGetProp(n, reinterpret_cast<const xmlChar*>("alt"));
    if (alt != nullptr) {
      out.Text(reinterpret_cast<const char*>(alt), false);
      xmlFree(alt);
    }
  } else if (Block(n)) {
    out.BlockBreak();
  }
}

}  // namespace

std::string HtmlToText(std::string_view html) {
  if (html.empty() || html.size() > INT_MAX) return {};
  util::XmlDocPtr doc(htmlReadMemory(html.data(), static_cast<int>(html.size()), nullptr, "UTF-8",
                            HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                HTML_PARSE_NONET));
  if (!doc) return {};
  TextOut out;
  // An iterative walk: a hostile message may nest elements deeply.
  xmlNode* root = xmlDocGetRootElement(doc.get());
  xmlNode* n = root;
  while (n != nullptr) {
    bool descend = false;
    if (n->type == XML_ELEMENT_NODE && !Skipped(n)) {
      Enter(n, out);
      descend = n->children != nullptr;
    } else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      if (n->content != nullptr) out.Text(reinterpret_cast<const char*>(n->content), InPre(n));
    }
    if (descend) {
      n = n->children;
      continue;
    }
    // Leave finished elements (a block ends its line) up to one with a
    // next sibling.
    while (n != nullptr && n != root && n->next == nullptr) {
      n = n->parent;
      if (n != nullptr && n->type == XML_ELEMENT_NODE && Block(n)) out.BlockBreak();
    }
    if (n == nullptr || n == root) break;
    if (n->type == XML_ELEMENT_NODE && Block(n) && !Skipped(n)) out.BlockBreak();
    n = n->next;
  }
  return out.Take();
}

void InitHtmlParser() { util::InitXmlParserOnce(); }

}  // namespace eas::core::mail
