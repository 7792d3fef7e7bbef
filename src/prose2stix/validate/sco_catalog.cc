// The SCO catalogue as constant tables transcribed from the STIX 2.1 specification (sections 6
// and 2.9). Each table is a constexpr array in static storage, so spans into it never dangle and
// nothing is built at start-up. Lookups are linear scans: the longest table has 31 entries and
// the validator looks up a handful of names per pattern, so a hash map would cost more than it
// saves.
#include "prose2stix/validate/sco_catalog.h"

#include <algorithm>

namespace prose2stix::validate {

namespace {

using K = ValueKind;
using Names = std::span<const std::string_view>;
using Props = std::span<const ScoProperty>;

constexpr ScoProperty P(std::string_view name, ValueKind kind = K::kString) {
  return ScoProperty{name, false, {}, kind, {}};
}
constexpr ScoProperty Ref(std::string_view name, Names to) {
  return ScoProperty{name, true, to, K::kRef, {}};
}
constexpr ScoProperty Refs(std::string_view name, Names to) {
  return ScoProperty{name, true, to, K::kRefList, {}};
}
constexpr ScoProperty Obj(std::string_view name, Props sub) {
  return ScoProperty{name, false, {}, K::kObject, sub};
}
constexpr ScoProperty ObjList(std::string_view name, Props sub) {
  return ScoProperty{name, false, {}, K::kObjectList, sub};
}

// ---- reference targets --------------------------------------------------------------------
constexpr std::string_view kToArtifact[] = {"artifact"};
constexpr std::string_view kToArtifactOrFile[] = {"artifact", "file"};
constexpr std::string_view kToAs[] = {"autonomous-system"};
constexpr std::string_view kToDirectory[] = {"directory"};
constexpr std::string_view kToFile[] = {"file"};
constexpr std::string_view kToFileOrDirectory[] = {"file", "directory"};
constexpr std::string_view kToEmailAddr[] = {"email-addr"};
constexpr std::string_view kToMac[] = {"mac-addr"};
constexpr std::string_view kToResolved[] = {"ipv4-addr", "ipv6-addr", "domain-name"};
constexpr std::string_view kToEndpoint[] = {"ipv4-addr", "ipv6-addr", "mac-addr", "domain-name"};
constexpr std::string_view kToTraffic[] = {"network-traffic"};
constexpr std::string_view kToProcess[] = {"process"};
constexpr std::string_view kToUser[] = {"user-account"};
constexpr std::string_view kToMarking[] = {"marking-definition"};

// ---- common properties (section 3.1 / 6) ----------------------------------------------------
constexpr ScoProperty kGranularMarking[] = {P("lang"), Ref("marking_ref", kToMarking),
                                            P("selectors", K::kStringList)};
constexpr ScoProperty kCommon[] = {
    P("type"),
    P("spec_version"),
    P("id"),
    Refs("object_marking_refs", kToMarking),
    ObjList("granular_markings", kGranularMarking),
    P("defanged", K::kBoolean),
    P("extensions", K::kExtensions),
};

// ---- types ----------------------------------------------------------------------------------
constexpr ScoProperty kArtifact[] = {
    P("mime_type"),          P("payload_bin", K::kBinary), P("url"),
    P("hashes", K::kHashes), P("encryption_algorithm"),    P("decryption_key"),
};
constexpr std::string_view kArtifactId[] = {"hashes", "payload_bin"};

constexpr ScoProperty kAutonomousSystem[] = {P("number", K::kInteger), P("name"), P("rir")};
constexpr std::string_view kAutonomousSystemId[] = {"number"};

constexpr ScoProperty kDirectory[] = {
    P("path"),
    P("path_enc"),
    P("ctime", K::kTimestamp),
    P("mtime", K::kTimestamp),
    P("atime", K::kTimestamp),
    Refs("contains_refs", kToFileOrDirectory),
};
constexpr std::string_view kDirectoryId[] = {"path"};

constexpr ScoProperty kDomainName[] = {P("value"), Refs("resolves_to_refs", kToResolved)};
constexpr std::string_view kValueId[] = {"value"};

constexpr ScoProperty kEmailAddr[] = {P("value"), P("display_name"), Ref("belongs_to_ref", kToUser)};

constexpr ScoProperty kMimePart[] = {
    P("body"),
    Ref("body_raw_ref", kToArtifactOrFile),
    P("content_type"),
    P("content_disposition"),
};
constexpr ScoProperty kEmailMessage[] = {
    P("is_multipart", K::kBoolean),
    P("date", K::kTimestamp),
    P("content_type"),
    Ref("from_ref", kToEmailAddr),
    Ref("sender_ref", kToEmailAddr),
    Refs("to_refs", kToEmailAddr),
    Refs("cc_refs", kToEmailAddr),
    Refs("bcc_refs", kToEmailAddr),
    P("message_id"),
    P("subject"),
    P("received_lines", K::kStringList),
    P("additional_header_fields", K::kDictionary),
    P("body"),
    ObjList("body_multipart", kMimePart),
    Ref("raw_email_ref", kToArtifact),
};
constexpr std::string_view kEmailMessageId[] = {"from_ref", "subject", "body"};

constexpr ScoProperty kFile[] = {
    P("hashes", K::kHashes),
    P("size", K::kInteger),
    P("name"),
    P("name_enc"),
    P("magic_number_hex", K::kHex),
    P("mime_type"),
    P("ctime", K::kTimestamp),
    P("mtime", K::kTimestamp),
    P("atime", K::kTimestamp),
    Ref("parent_directory_ref", kToDirectory),
    Refs("contains_refs", {}),
    Ref("content_ref", kToArtifact),
};
constexpr std::string_view kFileId[] = {"hashes", "name", "extensions", "parent_directory_ref"};
constexpr std::string_view kFileExtensions[] = {"ntfs-ext", "raster-image-ext", "pdf-ext", "archive-ext",
                                                "windows-pebinary-ext"};

constexpr ScoProperty kIpAddr[] = {P("value"), Refs("resolves_to_refs", kToMac),
                                   Refs("belongs_to_refs", kToAs)};

constexpr ScoProperty kMacAddr[] = {P("value")};

constexpr ScoProperty kMutex[] = {P("name")};
constexpr std::string_view kNameId[] = {"name"};

constexpr ScoProperty kNetworkTraffic[] = {
    P("start", K::kTimestamp),
    P("end", K::kTimestamp),
    P("is_active", K::kBoolean),
    Ref("src_ref", kToEndpoint),
    Ref("dst_ref", kToEndpoint),
    P("src_port", K::kInteger),
    P("dst_port", K::kInteger),
    P("protocols", K::kStringList),
    P("src_byte_count", K::kInteger),
    P("dst_byte_count", K::kInteger),
    P("src_packets", K::kInteger),
    P("dst_packets", K::kInteger),
    P("ipfix", K::kDictionary),
    Ref("src_payload_ref", kToArtifact),
    Ref("dst_payload_ref", kToArtifact),
    Refs("encapsulates_refs", kToTraffic),
    Ref("encapsulated_by_ref", kToTraffic),
};
constexpr std::string_view kNetworkTrafficId[] = {"start",    "end",      "src_ref",   "dst_ref",
                                                  "src_port", "dst_port", "protocols", "extensions"};
constexpr std::string_view kNetworkTrafficExtensions[] = {"http-request-ext", "icmp-ext", "socket-ext",
                                                          "tcp-ext"};

constexpr ScoProperty kProcess[] = {
    P("is_hidden", K::kBoolean),
    P("pid", K::kInteger),
    P("created_time", K::kTimestamp),
    P("cwd"),
    P("command_line"),
    P("environment_variables", K::kDictionary),
    Refs("opened_connection_refs", kToTraffic),
    Ref("creator_user_ref", kToUser),
    Ref("image_ref", kToFile),
    Ref("parent_ref", kToProcess),
    Refs("child_refs", kToProcess),
};
constexpr std::string_view kProcessExtensions[] = {"windows-process-ext", "windows-service-ext"};

constexpr ScoProperty kSoftware[] = {
    P("name"), P("cpe"), P("swid"), P("languages", K::kStringList), P("vendor"), P("version"),
};
constexpr std::string_view kSoftwareId[] = {"name", "cpe", "swid", "vendor", "version"};

constexpr ScoProperty kUrl[] = {P("value")};

constexpr ScoProperty kUserAccount[] = {
    P("user_id"),
    P("credential"),
    P("account_login"),
    P("account_type"),
    P("display_name"),
    P("is_service_account", K::kBoolean),
    P("is_privileged", K::kBoolean),
    P("can_escalate_privs", K::kBoolean),
    P("is_disabled", K::kBoolean),
    P("account_created", K::kTimestamp),
    P("account_expires", K::kTimestamp),
    P("credential_last_changed", K::kTimestamp),
    P("account_first_login", K::kTimestamp),
    P("account_last_login", K::kTimestamp),
};
constexpr std::string_view kUserAccountId[] = {"account_type", "user_id", "account_login"};
constexpr std::string_view kUserAccountExtensions[] = {"unix-account-ext"};

constexpr ScoProperty kRegistryValue[] = {P("name"), P("data"), P("data_type")};
constexpr ScoProperty kRegistryKey[] = {
    P("key"),
    ObjList("values", kRegistryValue),
    P("modified_time", K::kTimestamp),
    Ref("creator_user_ref", kToUser),
    P("number_of_subkeys", K::kInteger),
};
constexpr std::string_view kRegistryKeyId[] = {"key", "values"};

constexpr ScoProperty kX509V3Extensions[] = {
    P("basic_constraints"),
    P("name_constraints"),
    P("policy_constraints"),
    P("key_usage"),
    P("extended_key_usage"),
    P("subject_key_identifier"),
    P("authority_key_identifier"),
    P("subject_alternative_name"),
    P("issuer_alternative_name"),
    P("subject_directory_attributes"),
    P("crl_distribution_points"),
    P("inhibit_any_policy"),
    P("private_key_usage_period_not_before", K::kTimestamp),
    P("private_key_usage_period_not_after", K::kTimestamp),
    P("certificate_policies"),
    P("policy_mappings"),
};
constexpr ScoProperty kX509[] = {
    P("is_self_signed", K::kBoolean),
    P("hashes", K::kHashes),
    P("version"),
    P("serial_number"),
    P("signature_algorithm"),
    P("issuer"),
    P("validity_not_before", K::kTimestamp),
    P("validity_not_after", K::kTimestamp),
    P("subject"),
    P("subject_public_key_algorithm"),
    P("subject_public_key_modulus"),
    P("subject_public_key_exponent", K::kInteger),
    Obj("x509_v3_extensions", kX509V3Extensions),
};
constexpr std::string_view kX509Id[] = {"hashes", "serial_number"};

// Sorted by name for the binary search in FindScoType.
constexpr ScoType kTypes[] = {
    {"artifact", kArtifact, kArtifactId, {}},
    {"autonomous-system", kAutonomousSystem, kAutonomousSystemId, {}},
    {"directory", kDirectory, kDirectoryId, {}},
    {"domain-name", kDomainName, kValueId, {}},
    {"email-addr", kEmailAddr, kValueId, {}},
    {"email-message", kEmailMessage, kEmailMessageId, {}},
    {"file", kFile, kFileId, kFileExtensions},
    {"ipv4-addr", kIpAddr, kValueId, {}},
    {"ipv6-addr", kIpAddr, kValueId, {}},
    {"mac-addr", kMacAddr, kValueId, {}},
    {"mutex", kMutex, kNameId, {}},
    {"network-traffic", kNetworkTraffic, kNetworkTrafficId, kNetworkTrafficExtensions},
    {"process", kProcess, {}, kProcessExtensions},
    {"software", kSoftware, kSoftwareId, {}},
    {"url", kUrl, kValueId, {}},
    {"user-account", kUserAccount, kUserAccountId, kUserAccountExtensions},
    {"windows-registry-key", kRegistryKey, kRegistryKeyId, {}},
    {"x509-certificate", kX509, kX509Id, {}},
};

// ---- extensions (section 6.x.y) --------------------------------------------------------------
constexpr ScoProperty kArchiveExt[] = {Refs("contains_refs", kToFileOrDirectory), P("comment")};

constexpr ScoProperty kAlternateDataStream[] = {P("name"), P("hashes", K::kHashes), P("size", K::kInteger)};
constexpr ScoProperty kNtfsExt[] = {P("sid"), ObjList("alternate_data_streams", kAlternateDataStream)};

constexpr ScoProperty kPdfExt[] = {
    P("version"), P("is_optimized", K::kBoolean), P("document_info_dict", K::kDictionary), P("pdfid0"),
    P("pdfid1"),
};

constexpr ScoProperty kRasterImageExt[] = {
    P("image_height", K::kInteger),
    P("image_width", K::kInteger),
    P("bits_per_pixel", K::kInteger),
    P("exif_tags", K::kDictionary),
};

constexpr ScoProperty kPeOptionalHeader[] = {
    P("magic_hex", K::kHex),
    P("major_linker_version", K::kInteger),
    P("minor_linker_version", K::kInteger),
    P("size_of_code", K::kInteger),
    P("size_of_initialized_data", K::kInteger),
    P("size_of_uninitialized_data", K::kInteger),
    P("address_of_entry_point", K::kInteger),
    P("base_of_code", K::kInteger),
    P("base_of_data", K::kInteger),
    P("image_base", K::kInteger),
    P("section_alignment", K::kInteger),
    P("file_alignment", K::kInteger),
    P("major_os_version", K::kInteger),
    P("minor_os_version", K::kInteger),
    P("major_image_version", K::kInteger),
    P("minor_image_version", K::kInteger),
    P("major_subsystem_version", K::kInteger),
    P("minor_subsystem_version", K::kInteger),
    P("win32_version_value_hex", K::kHex),
    P("size_of_image", K::kInteger),
    P("size_of_headers", K::kInteger),
    P("checksum_hex", K::kHex),
    P("subsystem_hex", K::kHex),
    P("dll_characteristics_hex", K::kHex),
    P("size_of_stack_reserve", K::kInteger),
    P("size_of_stack_commit", K::kInteger),
    P("size_of_heap_reserve", K::kInteger),
    P("size_of_heap_commit", K::kInteger),
    P("loader_flags_hex", K::kHex),
    P("number_of_rva_and_sizes", K::kInteger),
    P("hashes", K::kHashes),
};
constexpr ScoProperty kPeSection[] = {
    P("name"),
    P("size", K::kInteger),
    P("entropy", K::kFloat),
    P("hashes", K::kHashes),
};
constexpr ScoProperty kPeBinaryExt[] = {
    P("pe_type"),
    P("imphash"),
    P("machine_hex", K::kHex),
    P("number_of_sections", K::kInteger),
    P("time_date_stamp", K::kTimestamp),
    P("pointer_to_symbol_table_hex", K::kHex),
    P("number_of_symbols", K::kInteger),
    P("size_of_optional_header", K::kInteger),
    P("characteristics_hex", K::kHex),
    P("file_header_hashes", K::kHashes),
    Obj("optional_header", kPeOptionalHeader),
    ObjList("sections", kPeSection),
};

constexpr ScoProperty kHttpRequestExt[] = {
    P("request_method"),
    P("request_value"),
    P("request_version"),
    P("request_header", K::kDictionary),
    P("message_body_length", K::kInteger),
    Ref("message_body_data_ref", kToArtifact),
};
constexpr ScoProperty kIcmpExt[] = {P("icmp_type_hex", K::kHex), P("icmp_code_hex", K::kHex)};
constexpr ScoProperty kSocketExt[] = {
    P("address_family"),
    P("is_blocking", K::kBoolean),
    P("is_listening", K::kBoolean),
    P("options", K::kDictionary),
    P("socket_type"),
    P("socket_descriptor", K::kInteger),
    P("socket_handle", K::kInteger),
};
constexpr ScoProperty kTcpExt[] = {P("src_flags_hex", K::kHex), P("dst_flags_hex", K::kHex)};

constexpr ScoProperty kWindowsProcessExt[] = {
    P("aslr_enabled", K::kBoolean),
    P("dep_enabled", K::kBoolean),
    P("priority"),
    P("owner_sid"),
    P("window_title"),
    P("startup_info", K::kDictionary),
    P("integrity_level"),
};
constexpr ScoProperty kWindowsServiceExt[] = {
    P("service_name"), P("descriptions", K::kStringList), P("display_name"), P("group_name"),
    P("start_type"),   Refs("service_dll_refs", kToFile), P("service_type"), P("service_status"),
};

constexpr ScoProperty kUnixAccountExt[] = {
    P("gid", K::kInteger),
    P("groups", K::kStringList),
    P("home_dir"),
    P("shell"),
};

// Sorted by name.
constexpr ScoExtension kExtensions[] = {
    {"archive-ext", "file", kArchiveExt},
    {"http-request-ext", "network-traffic", kHttpRequestExt},
    {"icmp-ext", "network-traffic", kIcmpExt},
    {"ntfs-ext", "file", kNtfsExt},
    {"pdf-ext", "file", kPdfExt},
    {"raster-image-ext", "file", kRasterImageExt},
    {"socket-ext", "network-traffic", kSocketExt},
    {"tcp-ext", "network-traffic", kTcpExt},
    {"unix-account-ext", "user-account", kUnixAccountExt},
    {"windows-pebinary-ext", "file", kPeBinaryExt},
    {"windows-process-ext", "process", kWindowsProcessExt},
    {"windows-service-ext", "process", kWindowsServiceExt},
};

constexpr std::string_view kHashAlgorithms[] = {"MD5",      "SHA-1",    "SHA-256", "SHA-512",
                                                "SHA3-256", "SHA3-512", "SSDEEP",  "TLSH"};

// SDOs, SROs and meta objects of STIX 2.1 (sections 4, 5, 7).
constexpr std::string_view kNonObservableTypes[] = {
    "attack-pattern",
    "campaign",
    "course-of-action",
    "grouping",
    "identity",
    "incident",
    "indicator",
    "infrastructure",
    "intrusion-set",
    "location",
    "malware",
    "malware-analysis",
    "note",
    "observed-data",
    "opinion",
    "report",
    "threat-actor",
    "tool",
    "vulnerability",
    "relationship",
    "sighting",
    "language-content",
    "marking-definition",
    "extension-definition",
    "bundle",
};

template <typename T>
const T* FindSorted(std::span<const T> table, std::string_view name) {
  auto it = std::lower_bound(table.begin(), table.end(), name,
                             [](const T& entry, std::string_view n) { return entry.name < n; });
  return (it != table.end() && it->name == name) ? &*it : nullptr;
}

constexpr bool IsSortedByName(std::span<const ScoType> t) {
  for (size_t i = 1; i < t.size(); ++i) {
    if (!(t[i - 1].name < t[i].name)) return false;
  }
  return true;
}
constexpr bool IsSortedByName(std::span<const ScoExtension> t) {
  for (size_t i = 1; i < t.size(); ++i) {
    if (!(t[i - 1].name < t[i].name)) return false;
  }
  return true;
}
static_assert(IsSortedByName(kTypes), "kTypes must be sorted by name");
static_assert(IsSortedByName(kExtensions), "kExtensions must be sorted by name");
static_assert(std::size(kTypes) == 18, "STIX 2.1 defines 18 SCO types");
static_assert(std::size(kExtensions) == 12, "STIX 2.1 defines 12 SCO extensions");

char FoldAscii(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

// Upper-cases ASCII and drops '-' and '_' so "sha_256", "sha256" and "SHA-256" compare equal.
bool LooseEqual(std::string_view a, std::string_view b) {
  size_t i = 0;
  size_t j = 0;
  while (true) {
    while (i < a.size() && (a[i] == '-' || a[i] == '_')) ++i;
    while (j < b.size() && (b[j] == '-' || b[j] == '_')) ++j;
    if (i == a.size() || j == b.size()) return i == a.size() && j == b.size();
    if (FoldAscii(a[i]) != FoldAscii(b[j])) return false;
    ++i;
    ++j;
  }
}

}  // namespace

bool IsListKind(ValueKind kind) {
  return kind == K::kStringList || kind == K::kObjectList || kind == K::kRefList;
}

std::span<const ScoType> ScoTypes() { return kTypes; }

const ScoType* FindScoType(std::string_view type) { return FindSorted<ScoType>(kTypes, type); }

std::span<const ScoProperty> CommonScoProperties() { return kCommon; }

const ScoProperty* FindIn(std::span<const ScoProperty> properties, std::string_view name) {
  for (const ScoProperty& p : properties) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

const ScoProperty* FindScoProperty(const ScoType& type, std::string_view name) {
  if (const ScoProperty* p = FindIn(type.properties, name)) return p;
  return FindIn(kCommon, name);
}

std::span<const ScoExtension> ScoExtensions() { return kExtensions; }

const ScoExtension* FindScoExtension(std::string_view name) {
  return FindSorted<ScoExtension>(kExtensions, name);
}

std::span<const std::string_view> HashAlgorithms() { return kHashAlgorithms; }

std::string_view SuggestHashAlgorithm(std::string_view name) {
  for (std::string_view h : kHashAlgorithms) {
    if (h == name) return {};
  }
  for (std::string_view h : kHashAlgorithms) {
    if (LooseEqual(h, name)) return h;
  }
  return {};
}

size_t HashHexLength(std::string_view algorithm) {
  if (algorithm == "MD5") return 32;
  if (algorithm == "SHA-1") return 40;
  if (algorithm == "SHA-256" || algorithm == "SHA3-256") return 64;
  if (algorithm == "SHA-512" || algorithm == "SHA3-512") return 128;
  return 0;
}

bool IsNonObservableStixType(std::string_view type) {
  return std::find(std::begin(kNonObservableTypes), std::end(kNonObservableTypes), type) !=
         std::end(kNonObservableTypes);
}

}  // namespace prose2stix::validate
