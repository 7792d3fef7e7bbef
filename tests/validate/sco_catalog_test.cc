#include "prose2stix/validate/sco_catalog.h"

#include <doctest/doctest.h>

#include <set>
#include <string>

namespace prose2stix::validate {

TEST_CASE("The catalogue lists the 18 STIX 2.1 SCO types") {
  const std::set<std::string_view> expected = {"artifact",
                                               "autonomous-system",
                                               "directory",
                                               "domain-name",
                                               "email-addr",
                                               "email-message",
                                               "file",
                                               "ipv4-addr",
                                               "ipv6-addr",
                                               "mac-addr",
                                               "mutex",
                                               "network-traffic",
                                               "process",
                                               "software",
                                               "url",
                                               "user-account",
                                               "windows-registry-key",
                                               "x509-certificate"};
  std::set<std::string_view> got;
  for (const ScoType& t : ScoTypes()) got.insert(t.name);
  CHECK(got == expected);
  for (std::string_view name : expected) {
    const ScoType* t = FindScoType(name);
    REQUIRE_MESSAGE(t != nullptr, name);
    CHECK(t->name == name);
    CHECK_MESSAGE(!t->properties.empty(), name);
  }
  CHECK(FindScoType("indicator") == nullptr);
  CHECK(FindScoType("File") == nullptr);
  CHECK(FindScoType("") == nullptr);
  CHECK(FindScoType("x-custom") == nullptr);
}

TEST_CASE("Deterministic identifier properties follow section 2.9") {
  struct Case {
    std::string_view type;
    std::set<std::string_view> contributing;
  };
  const Case cases[] = {
      {"artifact", {"hashes", "payload_bin"}},
      {"autonomous-system", {"number"}},
      {"directory", {"path"}},
      {"domain-name", {"value"}},
      {"email-addr", {"value"}},
      {"email-message", {"from_ref", "subject", "body"}},
      {"file", {"hashes", "name", "extensions", "parent_directory_ref"}},
      {"ipv4-addr", {"value"}},
      {"ipv6-addr", {"value"}},
      {"mac-addr", {"value"}},
      {"mutex", {"name"}},
      {"network-traffic",
       {"start", "end", "src_ref", "dst_ref", "src_port", "dst_port", "protocols", "extensions"}},
      {"process", {}},
      {"software", {"name", "cpe", "swid", "vendor", "version"}},
      {"url", {"value"}},
      {"user-account", {"account_type", "user_id", "account_login"}},
      {"windows-registry-key", {"key", "values"}},
      {"x509-certificate", {"hashes", "serial_number"}},
  };
  for (const Case& c : cases) {
    const ScoType* t = FindScoType(c.type);
    REQUIRE_MESSAGE(t != nullptr, c.type);
    const std::set<std::string_view> got(t->id_contributing.begin(), t->id_contributing.end());
    CHECK_MESSAGE(got == c.contributing, c.type);
    // Every contributing property is a property of the type.
    for (std::string_view p : t->id_contributing)
      CHECK_MESSAGE(FindScoProperty(*t, p) != nullptr, c.type << "." << p);
  }
}

TEST_CASE("References name their target types") {
  struct Case {
    std::string_view type;
    std::string_view property;
    ValueKind kind;
    std::set<std::string_view> targets;  // empty: any SCO
  };
  const Case cases[] = {
      {"file", "parent_directory_ref", ValueKind::kRef, {"directory"}},
      {"file", "content_ref", ValueKind::kRef, {"artifact"}},
      {"file", "contains_refs", ValueKind::kRefList, {}},
      {"directory", "contains_refs", ValueKind::kRefList, {"file", "directory"}},
      {"domain-name", "resolves_to_refs", ValueKind::kRefList, {"ipv4-addr", "ipv6-addr", "domain-name"}},
      {"email-addr", "belongs_to_ref", ValueKind::kRef, {"user-account"}},
      {"email-message", "from_ref", ValueKind::kRef, {"email-addr"}},
      {"email-message", "bcc_refs", ValueKind::kRefList, {"email-addr"}},
      {"email-message", "raw_email_ref", ValueKind::kRef, {"artifact"}},
      {"ipv4-addr", "resolves_to_refs", ValueKind::kRefList, {"mac-addr"}},
      {"ipv6-addr", "belongs_to_refs", ValueKind::kRefList, {"autonomous-system"}},
      {"network-traffic", "src_ref", ValueKind::kRef, {"ipv4-addr", "ipv6-addr", "mac-addr", "domain-name"}},
      {"network-traffic", "dst_payload_ref", ValueKind::kRef, {"artifact"}},
      {"network-traffic", "encapsulates_refs", ValueKind::kRefList, {"network-traffic"}},
      {"network-traffic", "encapsulated_by_ref", ValueKind::kRef, {"network-traffic"}},
      {"process", "opened_connection_refs", ValueKind::kRefList, {"network-traffic"}},
      {"process", "creator_user_ref", ValueKind::kRef, {"user-account"}},
      {"process", "image_ref", ValueKind::kRef, {"file"}},
      {"process", "parent_ref", ValueKind::kRef, {"process"}},
      {"process", "child_refs", ValueKind::kRefList, {"process"}},
      {"windows-registry-key", "creator_user_ref", ValueKind::kRef, {"user-account"}},
      {"url", "object_marking_refs", ValueKind::kRefList, {"marking-definition"}},
  };
  for (const Case& c : cases) {
    const ScoType* t = FindScoType(c.type);
    REQUIRE(t != nullptr);
    const ScoProperty* p = FindScoProperty(*t, c.property);
    REQUIRE_MESSAGE(p != nullptr, c.type << "." << c.property);
    CHECK(p->is_ref);
    CHECK_MESSAGE(p->kind == c.kind, c.type << "." << c.property);
    const std::set<std::string_view> got(p->ref_types.begin(), p->ref_types.end());
    CHECK_MESSAGE(got == c.targets, c.type << "." << c.property);
  }
  // Naming convention: exactly the *_ref / *_refs properties are references, everywhere.
  auto check_props = [](std::span<const ScoProperty> props, std::string_view owner, auto& self) -> void {
    for (const ScoProperty& p : props) {
      const bool named_ref = p.name.ends_with("_ref") || p.name.ends_with("_refs");
      CHECK_MESSAGE(p.is_ref == named_ref, owner << "." << p.name);
      CHECK_MESSAGE(p.is_ref == (p.kind == ValueKind::kRef || p.kind == ValueKind::kRefList),
                    owner << "." << p.name);
      if (p.is_ref) {
        CHECK_MESSAGE((p.kind == ValueKind::kRefList) == p.name.ends_with("_refs"), owner << "." << p.name);
      } else {
        CHECK_MESSAGE(p.ref_types.empty(), owner << "." << p.name);
      }
      if (p.kind == ValueKind::kObject || p.kind == ValueKind::kObjectList) {
        CHECK_MESSAGE(!p.sub_properties.empty(), owner << "." << p.name);
        self(p.sub_properties, p.name, self);
      }
      for (std::string_view target : p.ref_types) {
        CHECK_MESSAGE((FindScoType(target) != nullptr || target == "marking-definition"),
                      owner << "." << p.name);
      }
    }
  };
  for (const ScoType& t : ScoTypes()) check_props(t.properties, t.name, check_props);
  for (const ScoExtension& e : ScoExtensions()) check_props(e.properties, e.name, check_props);
  check_props(CommonScoProperties(), "common", check_props);
}

TEST_CASE("The 12 predefined extensions belong to their types") {
  struct Case {
    std::string_view name;
    std::string_view owner;
    std::string_view a_property;
  };
  const Case cases[] = {
      {"ntfs-ext", "file", "alternate_data_streams"},
      {"raster-image-ext", "file", "exif_tags"},
      {"pdf-ext", "file", "pdfid0"},
      {"archive-ext", "file", "contains_refs"},
      {"windows-pebinary-ext", "file", "sections"},
      {"http-request-ext", "network-traffic", "request_header"},
      {"icmp-ext", "network-traffic", "icmp_code_hex"},
      {"socket-ext", "network-traffic", "socket_descriptor"},
      {"tcp-ext", "network-traffic", "dst_flags_hex"},
      {"windows-process-ext", "process", "integrity_level"},
      {"windows-service-ext", "process", "service_dll_refs"},
      {"unix-account-ext", "user-account", "home_dir"},
  };
  CHECK(ScoExtensions().size() == std::size(cases));
  for (const Case& c : cases) {
    const ScoExtension* e = FindScoExtension(c.name);
    REQUIRE_MESSAGE(e != nullptr, c.name);
    CHECK(e->owner_type == c.owner);
    CHECK_MESSAGE(FindIn(e->properties, c.a_property) != nullptr, c.name << "." << c.a_property);
    // The owner lists the extension.
    const ScoType* owner = FindScoType(c.owner);
    REQUIRE(owner != nullptr);
    bool listed = false;
    for (std::string_view x : owner->extensions) listed = listed || x == c.name;
    CHECK_MESSAGE(listed, c.owner << " lists " << c.name);
  }
  CHECK(FindScoExtension("http-ext") == nullptr);  // the STIX 2.0 draft name
  // PE sections and optional header are nested objects with their own properties.
  const ScoExtension* pe = FindScoExtension("windows-pebinary-ext");
  REQUIRE(pe != nullptr);
  const ScoProperty* sections = FindIn(pe->properties, "sections");
  REQUIRE(sections != nullptr);
  CHECK(sections->kind == ValueKind::kObjectList);
  const ScoProperty* entropy = FindIn(sections->sub_properties, "entropy");
  REQUIRE(entropy != nullptr);
  CHECK(entropy->kind == ValueKind::kFloat);
  const ScoProperty* header = FindIn(pe->properties, "optional_header");
  REQUIRE(header != nullptr);
  CHECK(header->kind == ValueKind::kObject);
  CHECK(FindIn(header->sub_properties, "size_of_stack_reserve") != nullptr);
}

TEST_CASE("Property lookups include the common SCO properties") {
  const ScoType* url = FindScoType("url");
  REQUIRE(url != nullptr);
  for (std::string_view common :
       {"type", "id", "spec_version", "object_marking_refs", "granular_markings", "defanged", "extensions"}) {
    CHECK_MESSAGE(FindScoProperty(*url, common) != nullptr, common);
    CHECK_MESSAGE(FindIn(url->properties, common) == nullptr, common);
  }
  CHECK(FindScoProperty(*url, "value") != nullptr);
  CHECK(FindScoProperty(*url, "hostname") == nullptr);
  const ScoType* file = FindScoType("file");
  REQUIRE(file != nullptr);
  CHECK(FindScoProperty(*file, "size")->kind == ValueKind::kInteger);
  CHECK(FindScoProperty(*file, "hashes")->kind == ValueKind::kHashes);
  CHECK(FindScoProperty(*file, "ctime")->kind == ValueKind::kTimestamp);
  CHECK(FindScoProperty(*file, "created") == nullptr);  // STIX 2.0 name
  const ScoType* process = FindScoType("process");
  REQUIRE(process != nullptr);
  CHECK(FindScoProperty(*process, "command_line") != nullptr);
  CHECK(FindScoProperty(*process, "name") == nullptr);
  CHECK(IsListKind(ValueKind::kRefList));
  CHECK(IsListKind(ValueKind::kStringList));
  CHECK_FALSE(IsListKind(ValueKind::kHashes));
}

TEST_CASE("Hash algorithm vocabulary and suggestions") {
  CHECK(HashAlgorithms().size() == 8);
  CHECK(SuggestHashAlgorithm("MD5").empty());
  CHECK(SuggestHashAlgorithm("SHA-256").empty());
  CHECK(SuggestHashAlgorithm("md5") == "MD5");
  CHECK(SuggestHashAlgorithm("sha256") == "SHA-256");
  CHECK(SuggestHashAlgorithm("SHA_1") == "SHA-1");
  CHECK(SuggestHashAlgorithm("sha3-512") == "SHA3-512");
  CHECK(SuggestHashAlgorithm("ssdeep") == "SSDEEP");
  CHECK(SuggestHashAlgorithm("x_custom_hash").empty());
  CHECK(SuggestHashAlgorithm("").empty());
  CHECK(SuggestHashAlgorithm("-").empty());
  CHECK(HashHexLength("MD5") == 32);
  CHECK(HashHexLength("SHA-1") == 40);
  CHECK(HashHexLength("SHA-256") == 64);
  CHECK(HashHexLength("SHA3-256") == 64);
  CHECK(HashHexLength("SHA-512") == 128);
  CHECK(HashHexLength("SHA3-512") == 128);
  CHECK(HashHexLength("SSDEEP") == 0);
  CHECK(HashHexLength("TLSH") == 0);
  CHECK(HashHexLength("md5") == 0);
}

TEST_CASE("Non-observable STIX types are recognised") {
  for (std::string_view t : {"indicator", "malware", "relationship", "sighting", "marking-definition",
                             "observed-data", "extension-definition", "language-content"}) {
    CHECK_MESSAGE(IsNonObservableStixType(t), t);
  }
  for (std::string_view t : {"file", "url", "x-custom", ""}) CHECK_MESSAGE(!IsNonObservableStixType(t), t);
}

}  // namespace prose2stix::validate
