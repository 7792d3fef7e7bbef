// Feed reading: pugixml parses the whole feed (non-recursive parser, no DOCTYPE processing); the
// root's local name picks the dialect, and items are found by local name so that any namespace
// prefix works ("atom:entry", "content:encoded", "dc:date"). Element content is gathered from all
// text and CDATA children; Atom xhtml content is re-serialized. A feed that breaks off mid-way
// (truncated download) still yields the items parsed before the error.
#include "prose2stix/ingest/feed_reader.h"

#include <pugixml.hpp>
#include <sstream>
#include <string>

#include "prose2stix/ingest/date_parse.h"
#include "prose2stix/ingest/html_reader.h"
#include "prose2stix/ingest/text_reader.h"
#include "prose2stix/util/utf8.h"

namespace prose2stix::ingest {

namespace {

std::string_view LocalName(const pugi::xml_node& n) {
  std::string_view name = n.name();
  const size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node Child(const pugi::xml_node& parent, std::string_view local) {
  for (pugi::xml_node c = parent.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && LocalName(c) == local) return c;
  }
  return {};
}

// Child element `local` whose name carries `prefix` ("content:encoded", "dc:date").
pugi::xml_node PrefixedChild(const pugi::xml_node& parent, std::string_view qualified) {
  for (pugi::xml_node c = parent.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && std::string_view(c.name()) == qualified) return c;
  }
  return {};
}

std::string Text(const pugi::xml_node& n) {
  std::string out;
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
  }
  return out;
}

size_t TextOffset(const pugi::xml_node& n) {
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
      const ptrdiff_t off = c.offset_debug();
      return off >= 0 ? static_cast<size_t>(off) : 0;
    }
  }
  const ptrdiff_t off = n.offset_debug();
  return off >= 0 ? static_cast<size_t>(off) : 0;
}

std::string InnerXml(const pugi::xml_node& n) {
  std::ostringstream out;
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) c.print(out, "", pugi::format_raw);
  return out.str();
}

// Titles may hold escaped markup ("&lt;b&gt;"): remove tags, decode the common entities, collapse.
std::string PlainTitle(std::string_view s) {
  std::string repaired;
  if (utf8::FirstInvalid(s) != std::string_view::npos) {
    repaired = utf8::Repair(s);
    s = repaired;
  }
  std::string out;
  bool space = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '<') {
      const size_t end = s.find('>', i);
      if (end != std::string_view::npos) {
        i = end;
        space = !out.empty();
        continue;
      }
    }
    if (c == '&') {
      static constexpr std::pair<std::string_view, std::string_view> kEntities[] = {
          {"&amp;", "&"},
          {"&lt;", "<"},
          {"&gt;", ">"},
          {"&quot;", "\""},
          {"&#39;", "'"},
          {"&apos;", "'"},
          {"&nbsp;", " "},
          {"&#8217;", "\xE2\x80\x99"},
          {"&#8216;", "\xE2\x80\x98"},
          {"&#8220;", "\xE2\x80\x9C"},
          {"&#8221;", "\xE2\x80\x9D"},
          {"&#8211;", "\xE2\x80\x93"},
          {"&#8212;", "\xE2\x80\x94"}};
      bool matched = false;
      for (const auto& [entity, text] : kEntities) {
        if (s.compare(i, entity.size(), entity) == 0) {
          if (space) out.push_back(' ');
          space = false;
          out += text;
          i += entity.size() - 1;
          matched = true;
          break;
        }
      }
      if (matched) continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string Trimmed(std::string s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  const size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

struct Item {
  std::string title, link, date, content;
  size_t content_offset = 0;
  size_t title_offset = 0;
};

Item ReadRssItem(const pugi::xml_node& item) {
  Item it;
  const pugi::xml_node title = Child(item, "title");
  it.title = PlainTitle(Text(title));
  it.title_offset = TextOffset(title);
  it.link = Trimmed(Text(Child(item, "link")));
  if (it.link.empty()) it.link = Trimmed(item.attribute("rdf:about").value());
  if (it.link.empty()) {
    const pugi::xml_node guid = Child(item, "guid");
    const std::string g = Trimmed(Text(guid));
    if (std::string_view(guid.attribute("isPermaLink").value()) != "false" &&
        (g.rfind("http://", 0) == 0 || g.rfind("https://", 0) == 0)) {
      it.link = g;
    }
  }
  for (std::string_view field : {"pubDate", "date", "published", "issued", "updated", "modified"}) {
    const std::string raw = Text(Child(item, field));
    if (!raw.empty() && ParseDate(raw, &it.date)) break;
  }
  pugi::xml_node content = PrefixedChild(item, "content:encoded");
  if (!content) content = Child(item, "encoded");
  const pugi::xml_node description = Child(item, "description");
  std::string body = Text(content);
  pugi::xml_node from = content;
  const std::string desc = Text(description);
  if (Trimmed(body).empty() || (desc.size() > body.size() * 2 && !desc.empty())) {
    body = desc;
    from = description;
  }
  it.content = std::move(body);
  it.content_offset = from ? TextOffset(from) : 0;
  return it;
}

Item ReadAtomEntry(const pugi::xml_node& entry, bool* is_html) {
  Item it;
  const pugi::xml_node title = Child(entry, "title");
  it.title = PlainTitle(std::string_view(title.attribute("type").value()) == "xhtml" ? InnerXml(title)
                                                                                     : Text(title));
  it.title_offset = TextOffset(title);
  pugi::xml_node first_link;
  for (pugi::xml_node c = entry.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element || LocalName(c) != "link") continue;
    const std::string_view rel = c.attribute("rel").value();
    if (rel.empty() || rel == "alternate") {
      it.link = Trimmed(c.attribute("href").value());
      break;
    }
    if (!first_link) first_link = c;
  }
  if (it.link.empty() && first_link) it.link = Trimmed(first_link.attribute("href").value());
  for (std::string_view field : {"published", "issued", "created", "updated", "modified", "date"}) {
    const std::string raw = Text(Child(entry, field));
    if (!raw.empty() && ParseDate(raw, &it.date)) break;
  }
  pugi::xml_node content = Child(entry, "content");
  if (!content || (Text(content).empty() && !content.first_child())) content = Child(entry, "summary");
  if (content) {
    const std::string_view type = content.attribute("type").value();
    if (type == "xhtml") {
      it.content = InnerXml(content);
      *is_html = true;
    } else {
      it.content = Text(content);
      *is_html = type == "html" || type == "text/html" || type.empty();
      if (type == "text") *is_html = false;
    }
    it.content_offset = TextOffset(content);
  }
  return it;
}

std::string LineColumn(std::string_view bytes, size_t offset) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i < offset && i < bytes.size(); ++i) {
    if (bytes[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

Result<Document> ItemDocument(const Item& it, bool html, std::string_view name, size_t index, bool atom,
                              bool clean) {
  const std::string doc_name = std::string(name) + "#" + std::to_string(index);
  Document doc;
  if (!Trimmed(it.content).empty()) {
    HtmlOptions opts;
    opts.clean = clean;
    opts.fragment = true;
    // Atom type="text" content is literal text even when it shows markup.
    Result<Document> r = html ? ReadHtml(it.content, doc_name, opts) : ReadText(it.content, doc_name, clean);
    if (!r.ok()) return r.status();
    doc = std::move(*r);
    for (OffsetAnchor& a : doc.source_map) a.source_offset += it.content_offset;
  }
  doc.name = doc_name;
  doc.format = atom ? "atom" : "rss";
  if (!it.title.empty()) doc.title = it.title;
  if (!it.date.empty()) doc.published = it.date;
  if (!it.link.empty()) doc.url = it.link;
  if (doc.text.empty() && !doc.title.empty()) {
    doc.text = doc.title;
    doc.source_map = {{0, it.title_offset}};
  }
  return doc;
}

}  // namespace

Result<std::vector<Document>> ReadFeed(std::string_view bytes, std::string_view name, bool clean) {
  pugi::xml_document xml;
  const pugi::xml_parse_result parsed =
      xml.load_buffer(bytes.data(), bytes.size(), pugi::parse_default, pugi::encoding_auto);
  const pugi::xml_node root = xml.document_element();
  const std::string where =
      parsed ? std::string() : LineColumn(bytes, parsed.offset > 0 ? static_cast<size_t>(parsed.offset) : 0);
  if (!root) {
    return Status::InvalidInput(std::string("malformed XML feed: ") + parsed.description(),
                                std::string(name) + (where.empty() ? "" : ", " + where));
  }
  const std::string_view kind = LocalName(root);
  std::vector<pugi::xml_node> items;
  bool atom = false;
  if (kind == "rss") {
    const pugi::xml_node channel = Child(root, "channel");
    for (pugi::xml_node c = (channel ? channel : root).first_child(); c; c = c.next_sibling()) {
      if (c.type() == pugi::node_element && LocalName(c) == "item") items.push_back(c);
    }
  } else if (kind == "RDF") {
    for (pugi::xml_node c = root.first_child(); c; c = c.next_sibling()) {
      if (c.type() == pugi::node_element && LocalName(c) == "item") items.push_back(c);
    }
  } else if (kind == "feed") {
    atom = true;
    for (pugi::xml_node c = root.first_child(); c; c = c.next_sibling()) {
      if (c.type() == pugi::node_element && LocalName(c) == "entry") items.push_back(c);
    }
  } else {
    return Status::InvalidInput(
        "not an RSS or Atom feed: the root element is <" + std::string(root.name()) + ">", name);
  }
  if (!parsed) {
    // Keep only the items that were complete before the error: the last one may be cut.
    if (!items.empty() && items.back().offset_debug() >= 0) items.pop_back();
    if (items.empty()) {
      return Status::InvalidInput(std::string("malformed XML feed: ") + parsed.description(),
                                  std::string(name) + ", " + where);
    }
  }
  std::vector<Document> docs;
  docs.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    bool html = true;
    const Item it = atom ? ReadAtomEntry(items[i], &html) : ReadRssItem(items[i]);
    Result<Document> doc = ItemDocument(it, html, name, i + 1, atom, clean);
    if (!doc.ok()) return doc.status();
    docs.push_back(std::move(*doc));
  }
  return docs;
}

}  // namespace prose2stix::ingest
