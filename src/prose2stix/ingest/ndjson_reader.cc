// NDJSON reading: RapidJSON (iterative parser, so deep nesting cannot exhaust the stack) parses
// each line on its own; the object's fields are checked for type, and the body goes through the
// text or HTML reader.
#include "prose2stix/ingest/ndjson_reader.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <string>

#include "prose2stix/ingest/date_parse.h"
#include "prose2stix/ingest/html_reader.h"
#include "prose2stix/ingest/text_reader.h"

namespace prose2stix::ingest {

namespace {

std::string Where(std::string_view name, size_t line_no) {
  return std::string(name) + ", line " + std::to_string(line_no);
}

// The member `key` of `obj`, or null. (HasMember + operator[] rather than comparing member
// iterators, which RapidJSON 1.1 makes ambiguous under C++20.)
const rapidjson::Value* Member(const rapidjson::Value& obj, const char* key) {
  return obj.HasMember(key) ? &obj[key] : nullptr;
}

// Reads an optional string member; fails when present with another type.
Status OptionalString(const rapidjson::Value& obj, const char* key, std::string* out, std::string_view name,
                      size_t line_no) {
  const rapidjson::Value* v = Member(obj, key);
  if (v == nullptr || v->IsNull()) return Status::Ok();
  if (!v->IsString()) {
    return Status::InvalidInput(std::string("field \"") + key + "\" must be a string", Where(name, line_no));
  }
  out->assign(v->GetString(), v->GetStringLength());
  return Status::Ok();
}

}  // namespace

Result<Document> ReadNdjsonLine(std::string_view line, size_t line_no, std::string_view name, bool clean) {
  rapidjson::Document json;
  json.Parse<rapidjson::kParseIterativeFlag>(line.data(), line.size());
  if (json.HasParseError()) {
    return Status::InvalidInput(
        std::string("invalid JSON: ") + rapidjson::GetParseError_En(json.GetParseError()),
        Where(name, line_no) + ", column " + std::to_string(json.GetErrorOffset() + 1));
  }
  if (!json.IsObject()) return Status::InvalidInput("expected a JSON object", Where(name, line_no));

  std::string id, text, html, title, published, url;
  if (const rapidjson::Value* v = Member(json, "id"); v != nullptr) {
    if (v->IsString()) {
      id.assign(v->GetString(), v->GetStringLength());
    } else if (v->IsInt64()) {
      id = std::to_string(v->GetInt64());
    } else if (v->IsUint64()) {
      id = std::to_string(v->GetUint64());
    } else if (!v->IsNull()) {
      return Status::InvalidInput("field \"id\" must be a string or an integer", Where(name, line_no));
    }
  }
  PROSE2STIX_RETURN_IF_ERROR(OptionalString(json, "text", &text, name, line_no));
  PROSE2STIX_RETURN_IF_ERROR(OptionalString(json, "html", &html, name, line_no));
  PROSE2STIX_RETURN_IF_ERROR(OptionalString(json, "title", &title, name, line_no));
  PROSE2STIX_RETURN_IF_ERROR(OptionalString(json, "published", &published, name, line_no));
  PROSE2STIX_RETURN_IF_ERROR(OptionalString(json, "url", &url, name, line_no));
  if (Member(json, "text") == nullptr && Member(json, "html") == nullptr) {
    return Status::InvalidInput("object has neither \"text\" nor \"html\"", Where(name, line_no));
  }

  const std::string doc_name = std::string(name) + "#" + (id.empty() ? std::to_string(line_no) : id);
  Result<Document> doc = Status::Internal("unreachable");
  if (!html.empty() || text.empty()) {
    HtmlOptions opts;
    opts.clean = clean;
    doc = ReadHtml(html, doc_name, opts);
  } else {
    doc = ReadText(text, doc_name, clean);
  }
  if (!doc.ok()) return doc.status();
  // Offsets are relative to the decoded string value, not to the line.
  doc->name = doc_name;
  doc->format = "ndjson";
  if (!title.empty()) doc->title = title;
  if (!url.empty()) doc->url = url;
  if (!published.empty()) {
    std::string parsed;
    if (!ParseDate(published, &parsed)) {
      return Status::InvalidInput("field \"published\" is not a date: " + published.substr(0, 80),
                                  Where(name, line_no));
    }
    doc->published = parsed;
  }
  return doc;
}

Result<std::vector<Document>> ReadNdjson(std::string_view bytes, std::string_view name, bool clean) {
  std::vector<Document> docs;
  size_t pos = 0, line_no = 0;
  while (pos < bytes.size()) {
    size_t eol = bytes.find('\n', pos);
    if (eol == std::string_view::npos) eol = bytes.size();
    std::string_view line = bytes.substr(pos, eol - pos);
    ++line_no;
    pos = eol + 1;
    if (line_no == 1 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.remove_prefix(3);
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    Result<Document> doc = ReadNdjsonLine(line, line_no, name, clean);
    if (!doc.ok()) return doc.status();
    const size_t line_start = static_cast<size_t>(line.data() - bytes.data());
    for (OffsetAnchor& a : doc->source_map) a.source_offset += line_start;
    docs.push_back(std::move(*doc));
  }
  return docs;
}

}  // namespace prose2stix::ingest
