// HTML reading in four steps.
//
//  1. Preparation: BOM and invalid UTF-8 repaired; markup nested deeper than kMaxHtmlDepth is
//     flattened by a linear tag scanner (gumbo's scope checks cost O(depth) per tag and its
//     tree destructor recurses, so hostile nesting must not reach it).
//  2. Pass 1 over the gumbo tree (iterative, preorder): an element table with parents and subtree
//     sizes and text sizes, plus the page metadata (title, meta tags, canonical link, JSON-LD,
//     <time>).
//  3. Pass 2 (iterative, enter/exit events): drops furniture subtrees, turns the rest into Blocks
//     (one per paragraph, heading, list item, table row, <pre> line), each owned by its innermost
//     block-level element, and scores the owners' ancestors the way Readability does: a paragraph
//     of 25+ bytes gives 1 + commas + min(len/100, 3) to its parent, half to its grandparent and
//     a third per level beyond, on top of a tag bonus and a class/id weight. The final score is
//     multiplied by (1 - link density).
//  4. Selection: the best candidate and those of its siblings that score at least a fifth of it
//     (or are link-free paragraphs) make the article; then the boilerplate cleaner.
#include "prose2stix/ingest/html_reader.h"

#include <gumbo.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "prose2stix/ingest/boilerplate.h"
#include "prose2stix/ingest/date_parse.h"
#include "prose2stix/ingest/text_reader.h"
#include "prose2stix/util/utf8.h"

namespace prose2stix::ingest {

namespace {

constexpr size_t kMinParagraph = 25;
constexpr size_t kMinArticleBytes = 250;
constexpr size_t kMaxMetaText = 2000;
constexpr size_t kSmallForm = 1500;
constexpr size_t kJsonLdNodeBudget = 20000;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool EqualsNoCase(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

std::string CollapseSpaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : s) {
    if (IsSpace(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Step 1: depth flattening.

bool IsVoidTag(std::string_view name) {
  static constexpr std::string_view kVoid[] = {"area",  "base",  "br",     "col",      "embed", "hr",
                                               "img",   "input", "link",   "meta",     "param", "source",
                                               "track", "wbr",   "keygen", "basefont", "frame", "isindex"};
  for (std::string_view v : kVoid) {
    if (EqualsNoCase(name, v)) return true;
  }
  return false;
}

// Elements that the HTML5 parser closes implicitly when a sibling opens: they do not nest.
bool IsSelfClosingByParser(std::string_view name) {
  static constexpr std::string_view kAuto[] = {"p",     "li",    "dt",     "dd",       "tr",
                                               "td",    "th",    "option", "optgroup", "thead",
                                               "tbody", "tfoot", "rb",     "rt",       "rp"};
  for (std::string_view v : kAuto) {
    if (EqualsNoCase(name, v)) return true;
  }
  return false;
}

bool IsRawTextTag(std::string_view name) {
  return EqualsNoCase(name, "script") || EqualsNoCase(name, "style") || EqualsNoCase(name, "textarea") ||
         EqualsNoCase(name, "title") || EqualsNoCase(name, "xmp") || EqualsNoCase(name, "plaintext");
}

// Returns `html` with start tags beyond `max_depth` (and their end tags) removed, or an empty
// string when the input never nests that deep (the common case: no copy).
std::string FlattenDeepNesting(std::string_view html, size_t max_depth) {
  struct Tag {
    size_t begin, end;  // [begin, end) of "<...>"
    bool drop;
  };
  std::vector<Tag> drops;
  size_t depth = 0, suppressed = 0;
  size_t i = 0;
  while ((i = html.find('<', i)) != std::string_view::npos) {
    if (html.compare(i, 4, "<!--") == 0) {
      const size_t end = html.find("-->", i + 4);
      if (end == std::string_view::npos) break;
      i = end + 3;
      continue;
    }
    const bool closing = i + 1 < html.size() && html[i + 1] == '/';
    size_t j = i + (closing ? 2 : 1);
    const size_t name_start = j;
    while (j < html.size() && (IsAlpha(html[j]) || (j > name_start && html[j] >= '0' && html[j] <= '9') ||
                               html[j] == '-' || html[j] == ':')) {
      ++j;
    }
    if (j == name_start) {
      ++i;
      continue;
    }
    const std::string_view name = html.substr(name_start, j - name_start);
    size_t end = html.find('>', j);
    if (end == std::string_view::npos) break;
    ++end;
    const bool self_closing = html[end - 2] == '/';
    if (!closing && IsRawTextTag(name)) {
      // Skip to the matching end tag: its content is not markup.
      std::string close = "</" + utf8::AsciiLower(name);
      size_t k = end;
      while (true) {
        k = html.find("</", k);
        if (k == std::string_view::npos) break;
        if (EqualsNoCase(html.substr(k, close.size()), close)) break;
        k += 2;
      }
      if (k == std::string_view::npos) break;
      i = k;
      continue;
    }
    if (IsVoidTag(name) || IsSelfClosingByParser(name) || self_closing) {
      i = end;
      continue;
    }
    if (closing) {
      if (suppressed > 0) {
        --suppressed;
        drops.push_back({i, end, true});
      } else if (depth > 0) {
        --depth;
      }
    } else if (depth >= max_depth) {
      ++suppressed;
      drops.push_back({i, end, true});
    } else {
      ++depth;
    }
    i = end;
  }
  if (drops.empty()) return {};
  std::string out;
  out.reserve(html.size());
  size_t pos = 0;
  for (const Tag& t : drops) {
    out.append(html.substr(pos, t.begin - pos));
    pos = t.end;
  }
  out.append(html.substr(pos));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Element classification.

const char* Attr(const GumboNode* node, const char* name) {
  const GumboAttribute* a = gumbo_get_attribute(&node->v.element.attributes, name);
  return a != nullptr ? a->value : nullptr;
}

std::string LowerAttr(const GumboNode* node, const char* name) {
  const char* v = Attr(node, name);
  return v != nullptr ? utf8::AsciiLower(v) : std::string();
}

bool ContainsAny(std::string_view hay, std::initializer_list<std::string_view> needles) {
  for (std::string_view n : needles) {
    if (hay.find(n) != std::string_view::npos) return true;
  }
  return false;
}

// Class/id words of page furniture.
bool UnlikelyClass(std::string_view cls) {
  return ContainsAny(
      cls, {"nav",      "menu",       "share",     "social",     "cookie",     "banner",   "related",
            "promo",    "widget",     "subscribe", "newsletter", "comment",    "footer",   "sidebar",
            "ticker",   "price",      "advert",    "sponsor",    "breadcrumb", "popup",    "modal",
            "consent",  "gdpr",       "disqus",    "pagination", "pager",      "masthead", "skip-link",
            "shoutbox", "skyscraper", "outbrain",  "taboola",    "toolbar",    "signup",   "paywall"});
}

// Class/id words that mark the article container even when an unlikely word is present.
bool MaybeContentClass(std::string_view cls) {
  return ContainsAny(cls, {"article", "body", "column", "content", "main", "story", "entry"});
}

int ClassWeight(std::string_view cls) {
  if (cls.empty()) return 0;
  int w = 0;
  if (ContainsAny(cls, {"article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "post",
                        "text", "blog", "story"})) {
    w += 25;
  }
  if (ContainsAny(
          cls, {"hidden", "banner", "combx",   "comment", "contact", "foot",    "masthead", "media",
                "meta",   "promo",  "related", "scroll",  "share",   "sidebar", "sponsor",  "shopping",
                "tags",   "tool",   "widget",  "nav",     "menu",    "social",  "cookie",   "subscribe"})) {
    w -= 25;
  }
  return w;
}

int TagBonus(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_MAIN:
      return 15;
    case GUMBO_TAG_DIV:
      return 5;
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_BLOCKQUOTE:
      return 3;
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_FORM:
      return -3;
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_TH:
      return -5;
    default:
      return 0;
  }
}

// Subtrees that never hold article text.
bool IsDroppedTag(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_MAP:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_MENU:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_APPLET:
    case GUMBO_TAG_FRAMESET:
    case GUMBO_TAG_FRAME:
      return true;
    default:
      return false;
  }
}

bool IsBlockTag(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_HTML:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_P:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_LEGEND:
      return true;
    default:
      return false;
  }
}

bool IsHeading(GumboTag tag) {
  return tag == GUMBO_TAG_H1 || tag == GUMBO_TAG_H2 || tag == GUMBO_TAG_H3 || tag == GUMBO_TAG_H4 ||
         tag == GUMBO_TAG_H5 || tag == GUMBO_TAG_H6;
}

bool IsElement(const GumboNode* n) { return n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE; }

bool IsTextNode(const GumboNode* n) {
  return n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA || n->type == GUMBO_NODE_WHITESPACE;
}

const GumboVector* Children(const GumboNode* n) {
  if (n->type == GUMBO_NODE_DOCUMENT) return &n->v.document.children;
  if (IsElement(n)) return &n->v.element.children;
  return nullptr;
}

// Visible text of a subtree (iterative, bounded), whitespace collapsed.
std::string SubtreeText(const GumboNode* root, size_t limit) {
  std::string out;
  std::vector<const GumboNode*> stack{root};
  while (!stack.empty() && out.size() < limit) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (IsTextNode(n)) {
      out += n->v.text.text;
      out.push_back(' ');
      continue;
    }
    if (!IsElement(n) || n->v.element.tag == GUMBO_TAG_SCRIPT || n->v.element.tag == GUMBO_TAG_STYLE)
      continue;
    const GumboVector* kids = Children(n);
    for (unsigned i = kids->length; i > 0; --i)
      stack.push_back(static_cast<const GumboNode*>(kids->data[i - 1]));
  }
  return CollapseSpaces(out.substr(0, std::min(out.size(), limit)));
}

// ---------------------------------------------------------------------------------------------

struct Elem {
  const GumboNode* node = nullptr;
  int parent = -1;
  size_t subtree = 1;   // elements in the subtree, self included
  size_t raw_text = 0;  // non-space text bytes in the subtree (pass 1)
  size_t text = 0;      // kept block text bytes in the subtree (pass 2)
  size_t links = 0;     // of which link text
  double score = 0;
  bool scored = false;
};

struct TimeStamp {
  size_t elem;
  std::string value;
  bool marked;  // itemprop=datePublished, pubdate, or a "publish" class
};

struct Meta {
  std::string title_tag, og_title, h1, ld_headline;
  std::string og_url, canonical;
  std::string published_meta;  // article:published_time and friends, in priority order
  int published_meta_rank = 100;
  std::string ld_published;
  std::vector<TimeStamp> times;
};

void ReadJsonLd(std::string_view json, Meta* meta) {
  rapidjson::Document d;
  d.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseStopWhenDoneFlag>(json.data(), json.size());
  if (d.HasParseError()) return;
  std::vector<const rapidjson::Value*> stack{&d};
  size_t budget = kJsonLdNodeBudget;
  while (!stack.empty() && budget-- > 0) {
    const rapidjson::Value* v = stack.back();
    stack.pop_back();
    if (v->IsArray()) {
      for (auto it = v->End(); it != v->Begin();) stack.push_back(&*--it);
    } else if (v->IsObject()) {
      for (auto it = v->MemberEnd(); it != v->MemberBegin();) {
        --it;
        const std::string_view key(it->name.GetString(), it->name.GetStringLength());
        if (it->value.IsString()) {
          const std::string_view value(it->value.GetString(), it->value.GetStringLength());
          if (key == "datePublished" && meta->ld_published.empty()) meta->ld_published = value;
          if (key == "headline" && meta->ld_headline.empty()) meta->ld_headline = CollapseSpaces(value);
        } else {
          stack.push_back(&it->value);
        }
      }
    }
  }
}

void ReadMetaTag(const GumboNode* node, Meta* meta) {
  std::string key = LowerAttr(node, "property");
  if (key.empty()) key = LowerAttr(node, "name");
  if (key.empty()) key = LowerAttr(node, "itemprop");
  const char* content = Attr(node, "content");
  if (key.empty() || content == nullptr) return;
  if (key == "og:title" && meta->og_title.empty()) meta->og_title = CollapseSpaces(content);
  if (key == "og:url" && meta->og_url.empty()) meta->og_url = CollapseSpaces(content);
  static constexpr std::string_view kDateKeys[] = {
      "article:published_time", "og:published_time", "datepublished",    "published_time",  "publishdate",
      "publish-date",           "pubdate",           "parsely-pub-date", "sailthru.date",   "dc.date.issued",
      "dcterms.issued",         "dc.date",           "dcterms.date",     "dcterms.created", "date",
      "article:modified_time",  "og:updated_time"};
  for (size_t r = 0; r < std::size(kDateKeys); ++r) {
    if (key == kDateKeys[r] && static_cast<int>(r) < meta->published_meta_rank) {
      std::string parsed;
      if (ParseDate(content, &parsed)) {
        meta->published_meta = parsed;
        meta->published_meta_rank = static_cast<int>(r);
      }
    }
  }
}

// Pass 1: element table and metadata.
std::vector<Elem> IndexTree(const GumboNode* root, Meta* meta) {
  std::vector<Elem> elems;
  struct Item {
    const GumboNode* node;
    int parent;
  };
  std::vector<Item> stack{{root, -1}};
  while (!stack.empty()) {
    const Item item = stack.back();
    stack.pop_back();
    const GumboNode* n = item.node;
    if (IsTextNode(n)) {
      if (item.parent >= 0) {
        size_t count = 0;
        for (const char* p = n->v.text.text; *p != '\0'; ++p) count += IsSpace(*p) ? 0 : 1;
        elems[static_cast<size_t>(item.parent)].raw_text += count;
      }
      continue;
    }
    int self = item.parent;
    if (IsElement(n)) {
      self = static_cast<int>(elems.size());
      Elem e;
      e.node = n;
      e.parent = item.parent;
      elems.push_back(e);
      const GumboTag tag = n->v.element.tag;
      if (tag == GUMBO_TAG_TITLE && meta->title_tag.empty()) meta->title_tag = SubtreeText(n, kMaxMetaText);
      if (tag == GUMBO_TAG_H1 && meta->h1.empty()) meta->h1 = SubtreeText(n, kMaxMetaText);
      if (tag == GUMBO_TAG_META) ReadMetaTag(n, meta);
      if (tag == GUMBO_TAG_LINK && meta->canonical.empty()) {
        const std::string rel = LowerAttr(n, "rel");
        const char* href = Attr(n, "href");
        if (rel == "canonical" && href != nullptr) meta->canonical = CollapseSpaces(href);
      }
      if (tag == GUMBO_TAG_SCRIPT && LowerAttr(n, "type") == "application/ld+json" &&
          n->v.element.children.length > 0) {
        const GumboNode* text = static_cast<const GumboNode*>(n->v.element.children.data[0]);
        if (IsTextNode(text)) ReadJsonLd(text->v.text.text, meta);
      }
      if (tag == GUMBO_TAG_TIME) {
        const char* dt = Attr(n, "datetime");
        std::string parsed;
        if (dt != nullptr && ParseDate(dt, &parsed)) {
          const bool marked = LowerAttr(n, "itemprop") == "datepublished" || Attr(n, "pubdate") != nullptr ||
                              LowerAttr(n, "class").find("publish") != std::string::npos;
          meta->times.push_back({static_cast<size_t>(self), parsed, marked});
        }
      }
      if (tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE) continue;
    }
    const GumboVector* kids = Children(n);
    if (kids == nullptr) continue;
    for (unsigned i = kids->length; i > 0; --i) {
      stack.push_back({static_cast<const GumboNode*>(kids->data[i - 1]), self});
    }
  }
  for (size_t i = elems.size(); i-- > 1;) {
    const int p = elems[i].parent;
    if (p < 0) continue;
    elems[static_cast<size_t>(p)].subtree += elems[i].subtree;
    elems[static_cast<size_t>(p)].raw_text += elems[i].raw_text;
  }
  return elems;
}

bool IsHidden(const GumboNode* n) {
  if (Attr(n, "hidden") != nullptr) return true;
  if (LowerAttr(n, "aria-hidden") == "true") return true;
  const std::string style = LowerAttr(n, "style");
  if (!style.empty()) {
    std::string compact;
    for (char c : style) {
      if (!IsSpace(c)) compact.push_back(c);
    }
    if (compact.find("display:none") != std::string::npos ||
        compact.find("visibility:hidden") != std::string::npos) {
      return true;
    }
  }
  return false;
}

bool IsFurnitureRole(const GumboNode* n) {
  const std::string role = LowerAttr(n, "role");
  if (role.empty()) return false;
  static constexpr std::string_view kRoles[] = {"navigation", "menu",        "menubar", "complementary",
                                                "banner",     "contentinfo", "dialog",  "alertdialog",
                                                "alert",      "search"};
  return std::find(std::begin(kRoles), std::end(kRoles), role) != std::end(kRoles);
}

struct BlockInfo {
  size_t owner;  // element index of the innermost block-level ancestor
};

class BlockWalker {
 public:
  BlockWalker(std::vector<Elem>* elems, bool clean, size_t shift)
      : elems_(*elems), clean_(clean), shift_(shift) {}

  void Walk(const GumboNode* root) {
    struct Frame {
      const GumboNode* node;
      size_t elem;    // element index (for elements)
      unsigned next;  // next child to visit
      bool block;     // a block-level element
      bool link;
      bool pre;
      bool container;  // article/main
    };
    std::vector<Frame> stack;
    stack.push_back({root, static_cast<size_t>(-1), 0, false, false, false, false});
    size_t counter = 0;
    while (!stack.empty()) {
      Frame& f = stack.back();
      const GumboVector* kids = Children(f.node);
      if (kids == nullptr || f.next >= kids->length) {
        // Exit.
        if (f.block) Flush();
        if (f.link) --link_depth_;
        if (f.pre) {
          Flush();
          --pre_depth_;
        }
        if (f.container) --container_depth_;
        if (f.block) {
          owners_.pop_back();
          kinds_.pop_back();
        }
        stack.pop_back();
        continue;
      }
      const GumboNode* child = static_cast<const GumboNode*>(kids->data[f.next++]);
      if (IsTextNode(child)) {
        AppendText(child);
        continue;
      }
      if (!IsElement(child)) continue;
      const size_t idx = counter;
      counter += 1;
      const GumboTag tag = child->v.element.tag;
      if (clean_ ? Drop(child, idx)
                 : (tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE || tag == GUMBO_TAG_HEAD ||
                    tag == GUMBO_TAG_TEMPLATE || tag == GUMBO_TAG_NOSCRIPT)) {
        counter = idx + elems_[idx].subtree;
        continue;
      }
      if (tag == GUMBO_TAG_BR || tag == GUMBO_TAG_HR) {
        Flush();
        continue;
      }
      const bool block = IsBlockTag(tag);
      if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) {
        builder_.AppendSeparator("; ");
      }
      Frame nf{child,
               idx,
               0,
               block,
               tag == GUMBO_TAG_A,
               tag == GUMBO_TAG_PRE,
               tag == GUMBO_TAG_ARTICLE || tag == GUMBO_TAG_MAIN};
      if (block) {
        Flush();
        owners_.push_back(idx);
        kinds_.push_back(IsHeading(tag)        ? BlockKind::kHeading
                         : tag == GUMBO_TAG_LI ? BlockKind::kListItem
                         : tag == GUMBO_TAG_TR ? BlockKind::kTableRow
                                               : BlockKind::kParagraph);
      }
      if (nf.link) ++link_depth_;
      if (nf.pre) {
        Flush();
        ++pre_depth_;
      }
      if (nf.container) ++container_depth_;
      stack.push_back(nf);
    }
    Flush();
  }

  std::vector<Block>& blocks() { return blocks_; }
  std::vector<BlockInfo>& infos() { return infos_; }

 private:
  bool Drop(const GumboNode* n, size_t idx) {
    const GumboTag tag = n->v.element.tag;
    if (IsDroppedTag(tag)) return true;
    if (tag == GUMBO_TAG_HEADER && container_depth_ == 0) return true;
    if (tag == GUMBO_TAG_FORM && elems_[idx].raw_text < kSmallForm) return true;
    if (IsHidden(n) || IsFurnitureRole(n)) return true;
    if (tag == GUMBO_TAG_HTML || tag == GUMBO_TAG_BODY || tag == GUMBO_TAG_ARTICLE || tag == GUMBO_TAG_MAIN ||
        tag == GUMBO_TAG_A) {
      return false;
    }
    std::string cls = LowerAttr(n, "class");
    const std::string id = LowerAttr(n, "id");
    if (!id.empty()) {
      cls.push_back(' ');
      cls.append(id);
    }
    return !cls.empty() && UnlikelyClass(cls) && !MaybeContentClass(cls);
  }

  void AppendText(const GumboNode* n) {
    const std::string_view text = n->v.text.text;
    const size_t offset = n->v.text.start_pos.offset + shift_;
    if (pre_depth_ == 0) {
      builder_.Append(text, offset, link_depth_ > 0);
      return;
    }
    size_t start = 0;
    while (start <= text.size()) {
      size_t eol = text.find('\n', start);
      if (eol == std::string_view::npos) eol = text.size();
      builder_.Append(text.substr(start, eol - start), offset + start, link_depth_ > 0);
      if (eol == text.size()) break;
      Flush();
      start = eol + 1;
    }
  }

  void Flush() {
    if (builder_.empty()) return;
    const BlockKind kind = pre_depth_ > 0   ? BlockKind::kPreformatted
                           : kinds_.empty() ? BlockKind::kParagraph
                                            : kinds_.back();
    Block b = builder_.Take(kind);
    if (b.text.empty()) return;
    infos_.push_back({owners_.empty() ? 0 : owners_.back()});
    blocks_.push_back(std::move(b));
  }

  std::vector<Elem>& elems_;
  bool clean_;
  size_t shift_;
  BlockBuilder builder_;
  std::vector<size_t> owners_;
  std::vector<BlockKind> kinds_;
  int link_depth_ = 0;
  int pre_depth_ = 0;
  int container_depth_ = 0;
  std::vector<Block> blocks_;
  std::vector<BlockInfo> infos_;
};

double LinkDensity(const Elem& e) {
  return e.text == 0 ? 0.0 : static_cast<double>(e.links) / static_cast<double>(e.text);
}

void InitScore(Elem* e) {
  if (e->scored) return;
  e->scored = true;
  std::string cls = LowerAttr(e->node, "class");
  const std::string id = LowerAttr(e->node, "id");
  cls.push_back(' ');
  cls.append(id);
  e->score = TagBonus(e->node->v.element.tag) + ClassWeight(cls);
}

size_t CountCommas(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ',') ++n;
    if (s.compare(i, 3, "\xEF\xBC\x8C") == 0 || s.compare(i, 3, "\xE3\x80\x81") == 0) ++n;  // ， 、
  }
  return n;
}

// Chooses the article's blocks: the best-scoring element's subtree plus qualifying siblings.
std::vector<bool> SelectArticle(std::vector<Elem>& elems, const std::vector<Block>& blocks,
                                const std::vector<BlockInfo>& infos, size_t* top_out) {
  const size_t n = elems.size();
  for (size_t b = 0; b < blocks.size(); ++b) {
    Elem& owner = elems[infos[b].owner];
    owner.text += blocks[b].text.size();
    owner.links += blocks[b].link_chars;
  }
  for (size_t i = n; i-- > 1;) {
    const int p = elems[i].parent;
    if (p < 0) continue;
    elems[static_cast<size_t>(p)].text += elems[i].text;
    elems[static_cast<size_t>(p)].links += elems[i].links;
  }
  for (size_t b = 0; b < blocks.size(); ++b) {
    const Block& block = blocks[b];
    if (block.text.size() < kMinParagraph || block.kind == BlockKind::kHeading) continue;
    const double score = 1.0 + static_cast<double>(CountCommas(block.text)) +
                         std::min(static_cast<double>(block.text.size()) / 100.0, 3.0);
    int a = elems[infos[b].owner].parent;
    for (int level = 0; a >= 0 && level < 5; ++level, a = elems[static_cast<size_t>(a)].parent) {
      Elem& e = elems[static_cast<size_t>(a)];
      InitScore(&e);
      e.score += level == 0 ? score : level == 1 ? score / 2 : score / (level * 3);
    }
  }
  size_t top = n;
  double best = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!elems[i].scored) continue;
    elems[i].score *= 1.0 - LinkDensity(elems[i]);
    if (elems[i].score > best) {
      best = elems[i].score;
      top = i;
    }
  }
  std::vector<bool> in(blocks.size(), true);
  *top_out = top;
  if (top == n) return in;
  // Ranges [begin, begin + subtree) of the chosen elements.
  std::vector<std::pair<size_t, size_t>> ranges{{top, top + elems[top].subtree}};
  const int parent = elems[top].parent;
  if (parent >= 0) {
    const double threshold = std::max(10.0, best * 0.2);
    const size_t pbegin = static_cast<size_t>(parent) + 1,
                 pend = static_cast<size_t>(parent) + elems[static_cast<size_t>(parent)].subtree;
    for (size_t s = pbegin; s < pend; s += elems[s].subtree) {
      if (s == top) continue;
      const Elem& sib = elems[s];
      bool take = sib.scored && sib.score >= threshold;
      if (!take && sib.node->v.element.tag == GUMBO_TAG_P) {
        const double ld = LinkDensity(sib);
        take = (sib.text > 80 && ld < 0.25) || (sib.text > 0 && ld == 0.0 && sib.text <= 80 && sib.text > 30);
      }
      if (take) ranges.push_back({s, s + sib.subtree});
    }
  }
  size_t selected = 0;
  for (size_t b = 0; b < blocks.size(); ++b) {
    const size_t o = infos[b].owner;
    in[b] = false;
    for (const auto& r : ranges) {
      if (o >= r.first && o < r.second) {
        in[b] = true;
        break;
      }
    }
    if (in[b]) selected += blocks[b].text.size();
  }
  if (selected < kMinArticleBytes) std::fill(in.begin(), in.end(), true);
  return in;
}

// "Headline | Site" -> "Headline"; keeps the whole title when the first part is too short.
std::string StripSiteName(const std::string& title, const std::string& h1) {
  if (!h1.empty() && title.find(h1) != std::string::npos) return h1;
  static constexpr std::string_view kSeparators[] = {" | ",  " - ",        " \xE2\x80\x93 ", " \xE2\x80\x94 ",
                                                     " :: ", " \xC2\xB7 ", " \xC2\xBB "};
  size_t cut = std::string::npos;
  for (std::string_view sep : kSeparators) {
    const size_t p = title.rfind(sep);
    if (p != std::string::npos && (cut == std::string::npos || p > cut)) cut = p;
  }
  if (cut == std::string::npos) return title;
  const std::string head = title.substr(0, cut);
  size_t words = 1;
  for (char c : head) words += c == ' ' ? 1 : 0;
  return words >= 3 ? head : title;
}

}  // namespace

Result<Document> ReadHtml(std::string_view bytes, std::string_view name, const HtmlOptions& options) {
  std::string storage;
  size_t shift = 0;
  std::string_view html = PrepareText(bytes, &storage, &shift);
  Document doc;
  doc.name = std::string(name);
  doc.format = options.xhtml ? "xhtml" : "html";

  if (options.fragment && html.find('<') == std::string_view::npos) {
    std::vector<Block> blocks = SplitPlainText(html, shift);
    if (options.clean) blocks = CleanBlocks(std::move(blocks));
    AssembleText(blocks, &doc);
    return doc;
  }
  const std::string flattened = FlattenDeepNesting(html, kMaxHtmlDepth);
  if (!flattened.empty()) html = flattened;

  GumboOptions gopts = kGumboDefaultOptions;
  gopts.max_errors = 0;
  GumboOutput* output = gumbo_parse_with_options(&gopts, html.data(), html.size());
  if (output == nullptr) return Status::Internal("the HTML parser failed", name);

  Meta meta;
  std::vector<Elem> elems = IndexTree(output->document, &meta);
  BlockWalker walker(&elems, options.clean, shift);
  walker.Walk(output->document);
  std::vector<Block>& blocks = walker.blocks();

  size_t top = elems.size();
  if (options.clean && !options.fragment && !elems.empty()) {
    const std::vector<bool> in = SelectArticle(elems, blocks, walker.infos(), &top);
    std::vector<Block> kept;
    kept.reserve(blocks.size());
    for (size_t b = 0; b < blocks.size(); ++b) {
      if (in[b]) kept.push_back(std::move(blocks[b]));
    }
    blocks = CleanBlocks(std::move(kept));
  } else if (options.clean) {
    blocks = CleanBlocks(std::move(blocks));
  }

  // Metadata.
  if (!meta.og_title.empty()) {
    doc.title = meta.og_title;
  } else if (!meta.title_tag.empty()) {
    doc.title = StripSiteName(meta.title_tag, meta.h1);
  } else if (!meta.h1.empty()) {
    doc.title = meta.h1;
  } else {
    doc.title = meta.ld_headline;
  }
  doc.url = !meta.canonical.empty() ? meta.canonical : meta.og_url;
  std::string ld;
  if (meta.published_meta_rank <= 2) {
    doc.published = meta.published_meta;
  } else if (!meta.ld_published.empty() && ParseDate(meta.ld_published, &ld)) {
    doc.published = ld;
  } else {
    const TimeStamp* pick = nullptr;
    for (const TimeStamp& t : meta.times) {
      if (t.marked) {
        pick = &t;
        break;
      }
    }
    if (pick == nullptr && !meta.published_meta.empty()) {
      doc.published = meta.published_meta;
    } else {
      if (pick == nullptr && top < elems.size()) {
        // A <time> near the article: inside the chosen element's parent.
        const int p = elems[top].parent;
        const size_t begin = p >= 0 ? static_cast<size_t>(p) : top;
        const size_t end = begin + elems[begin].subtree;
        for (const TimeStamp& t : meta.times) {
          if (t.elem >= begin && t.elem < end) {
            pick = &t;
            break;
          }
        }
      }
      if (pick == nullptr && !meta.times.empty()) pick = &meta.times.front();
      if (pick != nullptr) doc.published = pick->value;
    }
  }
  gumbo_destroy_output(&kGumboDefaultOptions, output);
  if (doc.published.empty()) InferPublished(blocks, &doc);
  if (doc.title.empty()) InferTitle(blocks, &doc);
  AssembleText(blocks, &doc);
  return doc;
}

}  // namespace prose2stix::ingest
