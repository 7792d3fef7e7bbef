// Tables transcribed from the STIX 2.1 specification (section 10 vocabularies, the relationship
// summary of section 4 and the SDO/SCO lists). Vocabularies are short, so lookups are linear
// scans; country codes use a 26x26 bitmap built at compile time.
#include "prose2stix/validate/vocabularies.h"

#include <algorithm>
#include <array>
#include <bitset>

namespace prose2stix::validate {

namespace {

using SV = std::string_view;

constexpr SV kAccountType[] = {"facebook", "ldap",    "nis",  "openid",        "radius",        "skype",
                               "tacacs",   "twitter", "unix", "windows-local", "windows-domain"};
constexpr SV kAttackMotivation[] = {"accidental",    "coercion",
                                    "dominance",     "ideology",
                                    "notoriety",     "organizational-gain",
                                    "personal-gain", "personal-satisfaction",
                                    "revenge",       "unpredictable"};
constexpr SV kAttackResourceLevel[] = {"individual", "club", "contest", "team", "organization", "government"};
constexpr SV kEncryptionAlgorithm[] = {"AES-256-GCM", "ChaCha20-Poly1305", "mime-type-indicated"};
constexpr SV kGroupingContext[] = {"suspicious-activity", "malware-analysis", "unspecified"};
constexpr SV kHashAlgorithm[] = {"MD5",      "SHA-1",    "SHA-256", "SHA-512",
                                 "SHA3-256", "SHA3-512", "SSDEEP",  "TLSH"};
constexpr SV kIdentityClass[] = {"individual", "group", "system", "organization", "class", "unknown"};
constexpr SV kImplementationLanguage[] = {
    "applescript", "bash",  "c",           "c++",        "c#",           "go",         "java",
    "javascript",  "lua",   "objective-c", "perl",       "php",          "powershell", "python",
    "ruby",        "scala", "swift",       "typescript", "visual-basic", "x86-32",     "x86-64"};
constexpr SV kIndicatorType[] = {"anomalous-activity", "anonymization", "benign", "compromised",
                                 "malicious-activity", "attribution",   "unknown"};
constexpr SV kIndustrySector[] = {"agriculture",
                                  "aerospace",
                                  "automotive",
                                  "chemical",
                                  "commercial",
                                  "communications",
                                  "construction",
                                  "defense",
                                  "education",
                                  "energy",
                                  "entertainment",
                                  "financial-services",
                                  "government",
                                  "government-emergency-services",
                                  "government-local",
                                  "government-national",
                                  "government-public-services",
                                  "government-regional",
                                  "healthcare",
                                  "hospitality-leisure",
                                  "infrastructure",
                                  "infrastructure-dams",
                                  "infrastructure-nuclear",
                                  "infrastructure-water",
                                  "insurance",
                                  "manufacturing",
                                  "mining",
                                  "non-profit",
                                  "pharmaceuticals",
                                  "retail",
                                  "technology",
                                  "telecommunications",
                                  "transportation",
                                  "utilities"};
constexpr SV kInfrastructureType[] = {
    "amplification",  "anonymization",    "botnet",          "command-and-control",  "control-system",
    "exfiltration",   "firewall",         "hosting-malware", "hosting-target-lists", "phishing",
    "reconnaissance", "routers-switches", "staging",         "workstation",          "unknown"};
constexpr SV kMalwareCapabilities[] = {"accesses-remote-machines",
                                       "anti-debugging",
                                       "anti-disassembly",
                                       "anti-emulation",
                                       "anti-memory-forensics",
                                       "anti-sandbox",
                                       "anti-vm",
                                       "captures-input-peripherals",
                                       "captures-output-peripherals",
                                       "captures-system-state-data",
                                       "cleans-traces-of-infection",
                                       "commits-fraud",
                                       "communicates-with-c2",
                                       "compromises-data-availability",
                                       "compromises-data-integrity",
                                       "compromises-system-availability",
                                       "controls-local-machine",
                                       "degrades-security-software",
                                       "degrades-system-updates",
                                       "determines-c2-server",
                                       "emails-spam",
                                       "escalates-privileges",
                                       "evades-av",
                                       "exfiltrates-data",
                                       "fingerprints-host",
                                       "hides-artifacts",
                                       "hides-executing-code",
                                       "infects-files",
                                       "infects-remote-machines",
                                       "installs-other-components",
                                       "persists-after-system-reboot",
                                       "prevents-artifact-access",
                                       "prevents-artifact-deletion",
                                       "probes-network-environment",
                                       "self-modifies",
                                       "steals-authentication-credentials",
                                       "violates-system-operational-integrity"};
constexpr SV kMalwareResult[] = {"malicious", "suspicious", "benign", "unknown"};
constexpr SV kMalwareType[] = {"adware",
                               "backdoor",
                               "bot",
                               "bootkit",
                               "ddos",
                               "downloader",
                               "dropper",
                               "exploit-kit",
                               "keylogger",
                               "ransomware",
                               "remote-access-trojan",
                               "resource-exploitation",
                               "rogue-security-software",
                               "rootkit",
                               "screen-capture",
                               "spyware",
                               "trojan",
                               "unknown",
                               "virus",
                               "webshell",
                               "wiper",
                               "worm"};
constexpr SV kPatternType[] = {"stix", "pcre", "sigma", "snort", "suricata", "yara"};
constexpr SV kProcessorArchitecture[] = {"alpha",   "arm",   "ia-64", "mips",
                                         "powerpc", "sparc", "x86",   "x86-64"};
constexpr SV kRegion[] = {"africa",
                          "eastern-africa",
                          "middle-africa",
                          "northern-africa",
                          "southern-africa",
                          "western-africa",
                          "americas",
                          "latin-america-caribbean",
                          "south-america",
                          "caribbean",
                          "central-america",
                          "northern-america",
                          "asia",
                          "central-asia",
                          "eastern-asia",
                          "southern-asia",
                          "south-eastern-asia",
                          "western-asia",
                          "europe",
                          "eastern-europe",
                          "northern-europe",
                          "southern-europe",
                          "western-europe",
                          "oceania",
                          "antarctica",
                          "australia-new-zealand",
                          "melanesia",
                          "micronesia",
                          "polynesia"};
constexpr SV kReportType[] = {"attack-pattern", "campaign", "identity",      "indicator",
                              "intrusion-set",  "malware",  "observed-data", "threat-actor",
                              "threat-report",  "tool",     "vulnerability"};
constexpr SV kThreatActorRole[] = {
    "agent",          "director", "independent", "infrastructure-architect", "infrastructure-operator",
    "malware-author", "sponsor"};
constexpr SV kThreatActorSophistication[] = {"none",   "minimal",   "intermediate", "advanced",
                                             "expert", "innovator", "strategic"};
constexpr SV kThreatActorType[] = {"activist",
                                   "competitor",
                                   "crime-syndicate",
                                   "criminal",
                                   "hacker",
                                   "insider-accidental",
                                   "insider-disgruntled",
                                   "nation-state",
                                   "sensationalist",
                                   "spy",
                                   "terrorist",
                                   "unknown"};
constexpr SV kToolType[] = {
    "denial-of-service",       "exploitation",  "information-gathering",  "network-capture",
    "credential-exploitation", "remote-access", "vulnerability-scanning", "unknown"};
constexpr SV kWindowsPebinaryType[] = {"dll", "exe", "sys"};

struct VocabRow {
  Vocabulary vocabulary;
  SV name;
  std::span<const SV> values;
};

const VocabRow kVocabularies[] = {
    {Vocabulary::kAccountType, "account-type-ov", kAccountType},
    {Vocabulary::kAttackMotivation, "attack-motivation-ov", kAttackMotivation},
    {Vocabulary::kAttackResourceLevel, "attack-resource-level-ov", kAttackResourceLevel},
    {Vocabulary::kEncryptionAlgorithm, "encryption-algorithm-ov", kEncryptionAlgorithm},
    {Vocabulary::kGroupingContext, "grouping-context-ov", kGroupingContext},
    {Vocabulary::kHashAlgorithm, "hash-algorithm-ov", kHashAlgorithm},
    {Vocabulary::kIdentityClass, "identity-class-ov", kIdentityClass},
    {Vocabulary::kImplementationLanguage, "implementation-language-ov", kImplementationLanguage},
    {Vocabulary::kIndicatorType, "indicator-type-ov", kIndicatorType},
    {Vocabulary::kIndustrySector, "industry-sector-ov", kIndustrySector},
    {Vocabulary::kInfrastructureType, "infrastructure-type-ov", kInfrastructureType},
    {Vocabulary::kMalwareCapabilities, "malware-capabilities-ov", kMalwareCapabilities},
    {Vocabulary::kMalwareResult, "malware-result-ov", kMalwareResult},
    {Vocabulary::kMalwareType, "malware-type-ov", kMalwareType},
    {Vocabulary::kPatternType, "pattern-type-ov", kPatternType},
    {Vocabulary::kProcessorArchitecture, "processor-architecture-ov", kProcessorArchitecture},
    {Vocabulary::kRegion, "region-ov", kRegion},
    {Vocabulary::kReportType, "report-type-ov", kReportType},
    {Vocabulary::kThreatActorRole, "threat-actor-role-ov", kThreatActorRole},
    {Vocabulary::kThreatActorSophistication, "threat-actor-sophistication-ov", kThreatActorSophistication},
    {Vocabulary::kThreatActorType, "threat-actor-type-ov", kThreatActorType},
    {Vocabulary::kToolType, "tool-type-ov", kToolType},
    {Vocabulary::kWindowsPebinaryType, "windows-pebinary-type-ov", kWindowsPebinaryType},
};

const VocabRow& Row(Vocabulary v) { return kVocabularies[static_cast<size_t>(v)]; }

// ISO 3166-1 alpha-2, officially assigned codes.
constexpr SV kCountryCodes =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ "
    "BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ "
    "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ "
    "DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR "
    "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU "
    "ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ "
    "LA LB LC LI LK LR LS LT LU LV LY "
    "MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ "
    "NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA "
    "RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ "
    "TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ "
    "VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

constexpr std::array<bool, 26 * 26> MakeCountryTable() {
  std::array<bool, 26 * 26> table{};
  for (size_t i = 0; i + 1 < kCountryCodes.size(); i += 3) {
    table[static_cast<size_t>(kCountryCodes[i] - 'A') * 26 +
          static_cast<size_t>(kCountryCodes[i + 1] - 'A')] = true;
  }
  return table;
}
constexpr std::array<bool, 26 * 26> kCountryTable = MakeCountryTable();

struct TypeRow {
  SV type;
  ObjectCategory category;
};
constexpr TypeRow kTypes[] = {
    {"attack-pattern", ObjectCategory::kSdo},
    {"campaign", ObjectCategory::kSdo},
    {"course-of-action", ObjectCategory::kSdo},
    {"grouping", ObjectCategory::kSdo},
    {"identity", ObjectCategory::kSdo},
    {"incident", ObjectCategory::kSdo},
    {"indicator", ObjectCategory::kSdo},
    {"infrastructure", ObjectCategory::kSdo},
    {"intrusion-set", ObjectCategory::kSdo},
    {"location", ObjectCategory::kSdo},
    {"malware", ObjectCategory::kSdo},
    {"malware-analysis", ObjectCategory::kSdo},
    {"note", ObjectCategory::kSdo},
    {"observed-data", ObjectCategory::kSdo},
    {"opinion", ObjectCategory::kSdo},
    {"report", ObjectCategory::kSdo},
    {"threat-actor", ObjectCategory::kSdo},
    {"tool", ObjectCategory::kSdo},
    {"vulnerability", ObjectCategory::kSdo},
    {"relationship", ObjectCategory::kSro},
    {"sighting", ObjectCategory::kSro},
    {"artifact", ObjectCategory::kSco},
    {"autonomous-system", ObjectCategory::kSco},
    {"directory", ObjectCategory::kSco},
    {"domain-name", ObjectCategory::kSco},
    {"email-addr", ObjectCategory::kSco},
    {"email-message", ObjectCategory::kSco},
    {"file", ObjectCategory::kSco},
    {"ipv4-addr", ObjectCategory::kSco},
    {"ipv6-addr", ObjectCategory::kSco},
    {"mac-addr", ObjectCategory::kSco},
    {"mutex", ObjectCategory::kSco},
    {"network-traffic", ObjectCategory::kSco},
    {"process", ObjectCategory::kSco},
    {"software", ObjectCategory::kSco},
    {"url", ObjectCategory::kSco},
    {"user-account", ObjectCategory::kSco},
    {"windows-registry-key", ObjectCategory::kSco},
    {"x509-certificate", ObjectCategory::kSco},
    {"marking-definition", ObjectCategory::kMeta},
    {"language-content", ObjectCategory::kMeta},
    {"extension-definition", ObjectCategory::kMeta},
    {"bundle", ObjectCategory::kBundle},
};

// The relationship summary table. A target of "*sco" stands for every SCO type.
struct RelRow {
  SV source, type, target;
};
constexpr RelRow kRelationships[] = {
    {"attack-pattern", "delivers", "malware"},
    {"attack-pattern", "targets", "identity"},
    {"attack-pattern", "targets", "location"},
    {"attack-pattern", "targets", "vulnerability"},
    {"attack-pattern", "uses", "malware"},
    {"attack-pattern", "uses", "tool"},
    {"campaign", "attributed-to", "intrusion-set"},
    {"campaign", "attributed-to", "threat-actor"},
    {"campaign", "compromises", "infrastructure"},
    {"campaign", "originates-from", "location"},
    {"campaign", "targets", "identity"},
    {"campaign", "targets", "location"},
    {"campaign", "targets", "vulnerability"},
    {"campaign", "uses", "attack-pattern"},
    {"campaign", "uses", "infrastructure"},
    {"campaign", "uses", "malware"},
    {"campaign", "uses", "tool"},
    {"course-of-action", "investigates", "indicator"},
    {"course-of-action", "mitigates", "attack-pattern"},
    {"course-of-action", "mitigates", "indicator"},
    {"course-of-action", "mitigates", "malware"},
    {"course-of-action", "mitigates", "tool"},
    {"course-of-action", "mitigates", "vulnerability"},
    {"course-of-action", "remediates", "malware"},
    {"course-of-action", "remediates", "vulnerability"},
    {"identity", "located-at", "location"},
    {"indicator", "based-on", "observed-data"},
    {"indicator", "indicates", "attack-pattern"},
    {"indicator", "indicates", "campaign"},
    {"indicator", "indicates", "infrastructure"},
    {"indicator", "indicates", "intrusion-set"},
    {"indicator", "indicates", "malware"},
    {"indicator", "indicates", "threat-actor"},
    {"indicator", "indicates", "tool"},
    {"infrastructure", "communicates-with", "domain-name"},
    {"infrastructure", "communicates-with", "infrastructure"},
    {"infrastructure", "communicates-with", "ipv4-addr"},
    {"infrastructure", "communicates-with", "ipv6-addr"},
    {"infrastructure", "communicates-with", "url"},
    {"infrastructure", "consists-of", "*sco"},
    {"infrastructure", "consists-of", "infrastructure"},
    {"infrastructure", "consists-of", "observed-data"},
    {"infrastructure", "controls", "infrastructure"},
    {"infrastructure", "controls", "malware"},
    {"infrastructure", "delivers", "malware"},
    {"infrastructure", "has", "vulnerability"},
    {"infrastructure", "hosts", "malware"},
    {"infrastructure", "hosts", "tool"},
    {"infrastructure", "located-at", "location"},
    {"infrastructure", "uses", "infrastructure"},
    {"intrusion-set", "attributed-to", "threat-actor"},
    {"intrusion-set", "compromises", "infrastructure"},
    {"intrusion-set", "hosts", "infrastructure"},
    {"intrusion-set", "originates-from", "location"},
    {"intrusion-set", "owns", "infrastructure"},
    {"intrusion-set", "targets", "identity"},
    {"intrusion-set", "targets", "location"},
    {"intrusion-set", "targets", "vulnerability"},
    {"intrusion-set", "uses", "attack-pattern"},
    {"intrusion-set", "uses", "infrastructure"},
    {"intrusion-set", "uses", "malware"},
    {"intrusion-set", "uses", "tool"},
    {"malware", "authored-by", "intrusion-set"},
    {"malware", "authored-by", "threat-actor"},
    {"malware", "beacons-to", "infrastructure"},
    {"malware", "communicates-with", "domain-name"},
    {"malware", "communicates-with", "ipv4-addr"},
    {"malware", "communicates-with", "ipv6-addr"},
    {"malware", "communicates-with", "url"},
    {"malware", "controls", "malware"},
    {"malware", "downloads", "file"},
    {"malware", "downloads", "malware"},
    {"malware", "downloads", "tool"},
    {"malware", "drops", "file"},
    {"malware", "drops", "malware"},
    {"malware", "drops", "tool"},
    {"malware", "exfiltrates-to", "infrastructure"},
    {"malware", "exploits", "vulnerability"},
    {"malware", "originates-from", "location"},
    {"malware", "targets", "identity"},
    {"malware", "targets", "infrastructure"},
    {"malware", "targets", "location"},
    {"malware", "targets", "vulnerability"},
    {"malware", "uses", "attack-pattern"},
    {"malware", "uses", "infrastructure"},
    {"malware", "uses", "malware"},
    {"malware", "uses", "tool"},
    {"malware", "variant-of", "malware"},
    {"malware-analysis", "analysis-of", "malware"},
    {"malware-analysis", "characterizes", "malware"},
    {"malware-analysis", "dynamic-analysis-of", "malware"},
    {"malware-analysis", "static-analysis-of", "malware"},
    {"threat-actor", "attributed-to", "identity"},
    {"threat-actor", "compromises", "infrastructure"},
    {"threat-actor", "hosts", "infrastructure"},
    {"threat-actor", "impersonates", "identity"},
    {"threat-actor", "located-at", "location"},
    {"threat-actor", "owns", "infrastructure"},
    {"threat-actor", "targets", "identity"},
    {"threat-actor", "targets", "location"},
    {"threat-actor", "targets", "vulnerability"},
    {"threat-actor", "uses", "attack-pattern"},
    {"threat-actor", "uses", "infrastructure"},
    {"threat-actor", "uses", "malware"},
    {"threat-actor", "uses", "tool"},
    {"tool", "delivers", "malware"},
    {"tool", "drops", "malware"},
    {"tool", "has", "vulnerability"},
    {"tool", "targets", "identity"},
    {"tool", "targets", "infrastructure"},
    {"tool", "targets", "location"},
    {"tool", "targets", "vulnerability"},
    {"tool", "uses", "infrastructure"},
};

constexpr SV kPredefinedExtensions[] = {
    "archive-ext",         "http-request-ext",   "icmp-ext", "ntfs-ext",         "pdf-ext",
    "raster-image-ext",    "socket-ext",         "tcp-ext",  "unix-account-ext", "windows-pebinary-ext",
    "windows-process-ext", "windows-service-ext"};

bool TargetMatches(SV row_target, SV target) {
  if (row_target == "*sco") return CategoryOf(target) == ObjectCategory::kSco;
  return SameName(row_target, target);
}

}  // namespace

std::span<const std::string_view> VocabularyValues(Vocabulary vocabulary) { return Row(vocabulary).values; }

bool InVocabulary(Vocabulary vocabulary, std::string_view value) {
  auto values = Row(vocabulary).values;
  return std::any_of(values.begin(), values.end(), [value](SV v) { return SameName(v, value); });
}

std::string_view VocabularyName(Vocabulary vocabulary) { return Row(vocabulary).name; }

bool IsCountryCode(std::string_view code) {
  if (code.size() != 2) return false;
  if (code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z') return false;
  return kCountryTable[static_cast<size_t>(code[0] - 'A') * 26 + static_cast<size_t>(code[1] - 'A')];
}

ObjectCategory CategoryOf(std::string_view type) {
  for (const TypeRow& row : kTypes) {
    if (SameName(row.type, type)) return row.category;
  }
  return ObjectCategory::kUnknown;
}

bool IsCommonRelationship(std::string_view relationship_type) {
  return relationship_type == "derived-from" || relationship_type == "duplicate-of" ||
         relationship_type == "related-to";
}

bool IsRecommendedRelationship(std::string_view source_type, std::string_view relationship_type,
                               std::string_view target_type) {
  if (IsCommonRelationship(relationship_type)) return true;
  for (const RelRow& row : kRelationships) {
    if (SameName(row.source, source_type) && SameName(row.type, relationship_type) &&
        TargetMatches(row.target, target_type)) {
      return true;
    }
  }
  return false;
}

std::string RecommendedRelationships(std::string_view source_type, std::string_view target_type) {
  std::string out;
  for (const RelRow& row : kRelationships) {
    if (row.source != source_type || !TargetMatches(row.target, target_type)) continue;
    if (!out.empty()) out += ", ";
    out += row.type;
  }
  return out;
}

bool IsPredefinedExtension(std::string_view name) {
  return std::find(std::begin(kPredefinedExtensions), std::end(kPredefinedExtensions), name) !=
         std::end(kPredefinedExtensions);
}

}  // namespace prose2stix::validate
