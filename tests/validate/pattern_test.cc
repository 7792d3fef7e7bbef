#include "prose2stix/validate/pattern.h"

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "prose2stix/validate/sco_catalog.h"
#include "testutil.h"

namespace prose2stix::validate {

namespace {

std::string Describe(const std::vector<PatternIssue>& issues) {
  std::string out;
  for (const PatternIssue& i : issues) {
    out += (i.error ? "\n  error @" : "\n  warning @") + std::to_string(i.offset) + ": " + i.message;
  }
  return out.empty() ? " (no issues)" : out;
}

const PatternIssue* FirstError(const std::vector<PatternIssue>& issues) {
  for (const PatternIssue& i : issues) {
    if (i.error) return &i;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("CheckPattern accepts valid patterns without issues") {
  const char* const valid[] = {
      // Simple comparisons on each SCO type.
      "[file:name = 'malware.exe']",
      "[file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4']",
      "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
      "[file:hashes.'SHA3-512' LIKE 'ab%' AND file:hashes.SSDEEP = '3:a:b']",
      "[file:size > 1024]",
      "[file:size <= 0]",
      "[file:size >= 10 AND file:size < 20]",
      "[ipv4-addr:value = '198.51.100.1' OR ipv4-addr:value = '198.51.100.0/24']",
      "[ipv4-addr:value LIKE '198.51.%' AND ipv4-addr:value > '10']",
      "[file:hashes.MD5 IN ('79054025255FB1A26E4BC422AEF54EB4', 'd41d8cd98f00b204e9800998ecf8427e')]",
      "[file:hashes.TLSH = 'T1A' OR file:hashes.x_custom = '1']",
      "[network-traffic:src_ref.value = 'evil.example.com']",
      // src_ref may be a domain-name, whose resolves_to_refs reach addresses and names.
      "[network-traffic:src_ref.resolves_to_refs[*].value = 'x']",
      "[network-traffic:src_ref.resolves_to_refs[*].resolves_to_refs[*].value = 'y']",
      "[ipv6-addr:value = '2001:db8::1']",
      "[mac-addr:value = 'aa:bb:cc:dd:ee:ff']",
      "[domain-name:value = 'example.com']",
      "[url:value = 'http://example.com/a?b=c']",
      "[email-addr:value = 'a@example.com']",
      "[mutex:name = 'Global\\\\mutex']",
      "[autonomous-system:number = 64496]",
      "[software:name = 'Word' AND software:vendor = 'Microsoft' AND software:version = '16.0']",
      "[user-account:account_login = 'root' AND user-account:is_privileged = true]",
      "[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\System\\\\Foo']",
      "[windows-registry-key:values[*].name = 'Run']",
      "[x509-certificate:serial_number = '12:34' OR "
      "x509-certificate:hashes.'SHA-1' = 'A94A8FE5CCB19BA61C4C0873D391E987982FBBD3']",
      "[x509-certificate:x509_v3_extensions.key_usage = 'digitalSignature']",
      "[artifact:mime_type = 'application/zip']",
      "[directory:path = 'C:\\\\Windows\\\\Temp']",
      "[process:pid = 4 AND process:command_line LIKE '%powershell%']",
      "[network-traffic:dst_port = 443 AND network-traffic:protocols[*] = 'tcp']",
      // Operators.
      "[file:name != 'a']",
      "[file:name == 'a']",
      "[file:name <> 'a']",
      "[file:name IN ('a', 'b', 'c')]",
      "[file:size IN (1, 2, 3)]",
      "[file:name IN ()]",
      "[file:name LIKE 'inv%.exe']",
      "[file:name MATCHES '^[a-z]+\\\\.exe$']",
      "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
      "[ipv6-addr:value ISSUPERSET '2001:db8::/32']",
      "[network-traffic:dst_ref.value ISSUBSET '2001:0db8:dead:beef:0000:0000:0000:0000/64']",
      "[network-traffic:src_ref.value ISSUBSET '198.51.100.0/24' OR ipv6-addr:value ISSUBSET "
      "'::ffff:10.0.0.1/128']",
      "[file:name MATCHES 'a{3,}?b+?c*+(?:x|y)(?i)z{2}\\\\d(?<name>q)(?#note)(*UTF)']",
      "[file:name MATCHES '[[:alpha:]]+[]a][^]x]\\\\Qa(b\\\\E{x}']",
      "[EXISTS file:hashes.MD5]",
      "[EXISTS file:extensions.'windows-pebinary-ext']",
      "[file:name NOT = 'a']",
      "[file:name NOT IN ('a')]",
      "[file:name NOT LIKE 'a%']",
      "[file:name NOT MATCHES 'x']",
      "[file:size NOT > 5]",
      "[ipv4-addr:value NOT ISSUBSET '10.0.0.0/8']",
      // Boolean structure in comparison expressions.
      "[file:name = 'a' OR file:name = 'b' AND file:size = 1]",
      "[(file:name = 'a' OR file:name = 'b') AND file:size = 1]",
      "[((file:name = 'a'))]",
      "[file:name = 'a' OR domain-name:value = 'b']",
      "[(file:name = 'a' OR url:value = 'x') AND (file:size = 1 OR url:value = 'y')]",
      // Observation operators, parentheses and qualifiers.
      "[file:name = 'a'] AND [file:name = 'b']",
      "[file:name = 'a'] OR [domain-name:value = 'b']",
      "[file:name = 'a'] FOLLOWEDBY [file:name = 'b']",
      "([file:name = 'a'] OR [file:name = 'b']) FOLLOWEDBY [file:name = 'c']",
      "(([file:name = 'a']))",
      "[file:name = 'a'] WITHIN 5 SECONDS",
      "[file:name = 'a'] WITHIN 0.5 SECONDS",
      "[file:name = 'a'] WITHIN +5 SECONDS",
      "[file:name = 'a'] REPEATS 5 TIMES",
      "[file:name = 'a'] REPEATS 2 TIMES WITHIN 60 SECONDS",
      "[file:name = 'a'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'",
      "[file:name = 'a'] START t'2016-06-01T00:00:00Z' STOP t'2016-06-01T00:00:00.001Z'",
      "([file:name = 'a'] AND [url:value = 'b']) WITHIN 300 SECONDS",
      // Object paths: references, lists, extensions, quoted components.
      "[email-message:from_ref.value = 'a@example.com']",
      "[email-message:to_refs[*].value = 'a@example.com']",
      "[email-message:cc_refs[0].display_name = 'Bob']",
      "[email-message:body_multipart[*].body_raw_ref.name = 'invoice.doc']",
      "[email-message:additional_header_fields.'X-Mailer' = 'x']",
      "[network-traffic:src_ref.value = '10.0.0.1' AND network-traffic:dst_ref.value = 'example.com']",
      "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' LIKE 'curl%']",
      "[network-traffic:extensions.'tcp-ext'.src_flags_hex = h'0012']",
      "[network-traffic:extensions.'socket-ext'.is_listening = true]",
      "[network-traffic:extensions.'icmp-ext'.icmp_type_hex = h'08']",
      "[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]",
      "[file:extensions.'windows-pebinary-ext'.optional_header.address_of_entry_point = 4096]",
      "[file:extensions.'ntfs-ext'.alternate_data_streams[0].name = 'Zone.Identifier']",
      "[file:extensions.'archive-ext'.contains_refs[*].name = 'a.exe']",
      "[file:extensions.'pdf-ext'.document_info_dict.Producer = 'x']",
      "[file:extensions.'raster-image-ext'.image_width > 100]",
      "[file:parent_directory_ref.path LIKE 'C:\\\\Users\\\\%']",
      "[file:content_ref.payload_bin = b'aGVsbG8=']",
      "[file:contains_refs[*].value = 'anything']",
      "[file:'name' = 'a']",
      "[process:image_ref.name = 'cmd.exe' AND process:parent_ref.command_line LIKE '%x%']",
      "[process:extensions.'windows-service-ext'.service_dll_refs[*].name = 'evil.dll']",
      "[process:opened_connection_refs[*].dst_port = 4444]",
      "[user-account:extensions.'unix-account-ext'.gid = 0]",
      "[domain-name:resolves_to_refs[*].value = '198.51.100.1']",
      "[ipv4-addr:resolves_to_refs[*].value = 'aa:bb:cc:dd:ee:ff']",
      "[file:x_custom_prop = 1]",
      "[file:extensions.'x-acme-ext'.whatever = 1]",
      "[file:extensions.'extension-definition--0e3b2a4a-1a2b-4c5d-8e9f-0a1b2c3d4e5f'.foo = 1]",
      "[x-acme-widget:serial = 'abc']",
      "[file:defanged = false AND file:spec_version = '2.1']",
      // Literals.
      "[file:name = 'it\\'s']",
      "[file:name = 'back\\\\slash']",
      "[file:name = '']",
      "[file:name = 'caf\xC3\xA9 \xE6\x96\x87\xE4\xBB\xB6']",
      "[file:size = -0]",
      "[x-acme-widget:ratio = -1.5 OR x-acme-widget:ratio = .5 OR x-acme-widget:ratio = +2.25]",
      "[file:magic_number_hex = h'ffD8']",
      "[file:magic_number_hex = h'']",
      "[artifact:payload_bin = b'YQ==' OR artifact:payload_bin = b'YWI=' OR artifact:payload_bin = b'YWJj']",
      "[file:ctime = t'2016-02-29T23:59:60.123456Z']",
      "[file:mtime > t'2000-01-01T00:00:00Z' AND file:mtime < t'2100-12-31T23:59:59Z']",
      // Whitespace and comments.
      "  [ file : name = 'a' ]  ",
      "[file:name\t=\n'a']",
      "[file:name = 'a'] /* block */ AND // line\n [file:name = 'b']",
      "\xC2\xA0[file:name = 'a']\xE3\x80\x80",
  };
  size_t count = 0;
  for (const char* pattern : valid) {
    const auto issues = CheckPattern(pattern);
    CHECK_MESSAGE(issues.empty(), std::string(pattern) << Describe(issues));
    ++count;
  }
  CHECK(count >= 60);
}

TEST_CASE("CheckPattern reports errors with their offset and fragment") {
  struct Case {
    const char* pattern;
    size_t offset;
    const char* fragment;
  };
  const Case cases[] = {
      // Structure.
      {"", 0, "empty pattern"},
      {"   /* only a comment */  ", 0, "empty pattern"},
      {"file:name = 'a'", 0, "expected '[' or '('"},
      {"[file:name = 'a'", 16,
       "expected ']' to close the observation expression at offset 16 near end of pattern"},
      {"[file:name = 'a' AND]", 20, "expected an object path such as file:name at offset 20 near ']'"},
      {"[file:name = 'a'] AND", 21, "near end of pattern"},
      {"[file:name = 'a'] [file:name = 'b']", 18, "expected AND, OR, FOLLOWEDBY"},
      {"([file:name = 'a']", 18, "expected ')'"},
      {"[file:name = 'a'])", 17, "near ')'"},
      {"[]", 1, "expected an object path"},
      {"[(file:name = 'a']", 17, "expected ')'"},
      {"[file:name = 'a'] FOLLOWEDBY", 28, "near end of pattern"},
      {"[file:name = 'a' and file:size = 1]", 17, "write 'AND'"},
      {"[file:name = 'a'] followedby [file:name = 'b']", 18, "write 'FOLLOWEDBY'"},
      {"[file:size = TRUE]", 13, "booleans are lower-case"},
      {"[NOT file:name = 'a']", 1, "NOT goes between the path and the operator"},
      // Object paths.
      {"[file = 'a']", 6, "expected ':' after the object type 'file'"},
      {"[file:hashes.SHA-256 = 'a']", 13, "property name 'SHA-256' at offset 13 contains '-'"},
      {"[file:[0] = 'a']", 6, "expected a property name after ':'"},
      {"[file:name. = 'a']", 12, "expected a property name after '.'"},
      {"[network-traffic:protocols[x] = 'tcp']", 27, "expected a list index"},
      {"[network-traffic:protocols[0 = 'tcp']", 29, "expected ']' to close the list index"},
      {"['file':name = 'a']", 1, "expected an object path"},
      // Operators and literals.
      {"[file:name 'a']", 11, "expected a comparison operator"},
      {"[file:name ! 'a']", 11, "unexpected '!' at offset 11"},
      {"[file:name = ]", 13, "expected a literal after ="},
      {"[file:name > true]", 13, "booleans only compare with = and !="},
      {"[file:name = ('a', 'b')]", 13, "use IN for a set"},
      {"[file:name IN 'a']", 14, "expected '(' to start the set after IN"},
      {"[file:name IN ('a' 'b')]", 19, "expected ',' or ')' in the set"},
      {"[file:name IN ('a', )]", 20, "expected a literal in the set"},
      {"[file:name LIKE 5]", 16, "expected a string literal after LIKE"},
      {"[file:name MATCHES t'2016-01-01T00:00:00Z']", 19, "expected a string literal after MATCHES"},
      {"[file:name = 'abc]", 13, "unterminated string literal starting at offset 13"},
      {"[file:name = 'a\\nb']", 15, "invalid escape '\\n' at offset 15"},
      {"[file:name = 'a' ^ 'b']", 17, "unexpected character '^' at offset 17"},
      {"[file:size = 007]", 13, "leading zero"},
      {"[file:size = 1.]", 13, "malformed number '1.'"},
      {"[file:name = 'a'] /* never closed", 18, "unterminated comment starting at offset 18"},
      {"[file:name = 'a\xFF']", 15, "invalid UTF-8 byte 0xFF at offset 15"},
      {"[file:name = 'a'] \xFF", 18, "unexpected character '\\xFF' at offset 18"},
      {"[file:name = 'a\x01\x02' OR file:name = \x01]", 34, "unexpected character '\\x01' at offset 34"},
      // Regular expressions after MATCHES.
      {"[file:name MATCHES '(abc']", 19, "invalid regular expression '(abc' at offset 19: missing ')'"},
      {"[file:name MATCHES 'a)']", 19, "unmatched ')' (at character 1)"},
      {"[file:name MATCHES '*abc']", 19, "quantifier '*' does not follow a repeatable item (at character 0)"},
      {"[file:name MATCHES 'a|+']", 19, "quantifier '+' does not follow"},
      {"[file:name MATCHES '[abc']", 19, "unterminated character class"},
      {"[file:name MATCHES 'a{3,1}']", 19, "numbers out of order"},
      {"[file:name MATCHES 'a\\\\']", 19, "trailing backslash"},
      // Timestamps, hex and base64.
      {"[file:ctime = t'2016-13-01T00:00:00Z']", 14, "month 13 out of range"},
      {"[file:ctime = t'2015-02-29T00:00:00Z']", 14, "day 29 out of range for month 02"},
      {"[file:ctime = t'2016-01-01T24:00:00Z']", 14, "hour out of range"},
      {"[file:ctime = t'2016-01-01T00:00:00+01:00']", 14, "must end in 'Z'"},
      {"[file:ctime = t'2016-01-01']", 14, "too short"},
      {"[file:ctime = t'2016-01-01T00:00:00.Z']", 14, "a digit must follow '.'"},
      {"[file:ctime = t'2016/01/01T00:00:00Z']", 14, "expected '-' at position 4"},
      {"[file:ctime = t'2016-01-01T00:00:00Z]", 14, "unterminated literal starting at offset 14"},
      {"[file:magic_number_hex = h'abc']", 25, "odd number of digits"},
      {"[file:magic_number_hex = h'zz']", 25, "'z' is not a hex digit"},
      {"[artifact:payload_bin = b'abc']", 24, "length 3 is not a multiple of 4"},
      {"[artifact:payload_bin = b'ab=c']", 24, "'=' padding only at the end"},
      {"[artifact:payload_bin = b'a*bc']", 24, "'*' is not a base64 character"},
      {"[artifact:payload_bin = b'']", 24, "invalid base64 literal b'' at offset 24: empty"},
      // Qualifiers.
      {"[file:name = 'a'] WITHIN 0 SECONDS", 25, "WITHIN duration '0' at offset 25 is not a positive number"},
      {"[file:name = 'a'] WITHIN -5 SECONDS", 25, "is not a positive number of seconds"},
      {"[file:name = 'a'] WITHIN 0.0 SECONDS", 25, "is not a positive number of seconds"},
      {"[file:name = 'a'] WITHIN 5", 26, "expected SECONDS after the WITHIN duration"},
      {"[file:name = 'a'] WITHIN 5 MINUTES", 27, "expected SECONDS"},
      {"[file:name = 'a'] WITHIN SECONDS", 25, "expected a positive number of seconds after WITHIN"},
      {"[file:name = 'a'] REPEATS 0 TIMES", 26, "REPEATS count '0' at offset 26 is not a positive integer"},
      {"[file:name = 'a'] REPEATS -2 TIMES", 26, "is not a positive integer"},
      {"[file:name = 'a'] REPEATS 1.5 TIMES", 26, "expected a positive integer after REPEATS"},
      {"[file:name = 'a'] REPEATS 3", 27, "expected TIMES"},
      {"[file:name = 'a'] START '2016-01-01T00:00:00Z' STOP '2017-01-01T00:00:00Z'", 24,
       "STIX 2.1 requires t''"},
      {"[file:name = 'a'] START t'2016-01-01T00:00:00Z'", 47, "expected STOP after the START timestamp"},
      {"[file:name = 'a'] START t'2016-01-01T00:00:00Z' STOP 5", 53, "a timestamp literal t'...' after STOP"},
      {"[file:name = 'a'] START t'2016-06-01T00:00:00Z' STOP t'2016-01-01T00:00:00Z'", 53,
       "STOP t'2016-01-01T00:00:00Z' at offset 53 is not later than START t'2016-06-01T00:00:00Z'"},
      {"[file:name = 'a'] START t'2016-06-01T00:00:00.5Z' STOP t'2016-06-01T00:00:00.50Z'", 55,
       "is not later"},
      {"[file:name = 'a'] STOP t'2016-01-01T00:00:00Z'", 18, "expected AND, OR, FOLLOWEDBY, a qualifier"},
      // Object types.
      {"[indicator:name = 'x']", 1, "'indicator' at offset 1 is not a Cyber-observable Object type"},
      {"[ipv4-address:value = '1.2.3.4']", 1,
       "unknown object type 'ipv4-address' at offset 1 (did you mean 'ipv4-addr'?)"},
      {"[File:name = 'a']", 1, "did you mean 'file'?"},
      {"[domain:value = 'a']", 1, "did you mean 'domain-name'?"},
      {"[widget:value = 'a']", 1, "custom types start with 'x-'"},
      {"[file:name = 'a'] OR [bogus-thing:x = 1]", 22, "unknown object type 'bogus-thing'"},
      // AND across object types.
      {"[file:name = 'a' AND domain-name:value = 'b']", 17,
       "AND at offset 17 joins comparisons on file with comparisons on domain-name"},
      {"[(file:name = 'a' OR url:value = 'b') AND domain-name:value = 'c']", 38,
       "comparisons on file or url with comparisons on domain-name"},
      // Nesting.
      {"[file:name = 'a'] WITHIN 5 SECONDS WITHIN", 41, "expected a positive number"},
  };
  size_t count = 0;
  for (const Case& c : cases) {
    const auto issues = CheckPattern(c.pattern);
    const PatternIssue* error = FirstError(issues);
    REQUIRE_MESSAGE(error != nullptr, std::string(c.pattern) << Describe(issues));
    CHECK_MESSAGE(error->offset == c.offset, std::string(c.pattern) << Describe(issues));
    CHECK_MESSAGE(error->message.find(c.fragment) != std::string::npos,
                  std::string(c.pattern) << "\n  wanted: " << std::string(c.fragment) << Describe(issues));
    ++count;
  }
  CHECK(count >= 40);
}

TEST_CASE("CheckPattern warns about paths and literals that cannot match, without errors") {
  struct Case {
    const char* pattern;
    size_t offset;
    const char* fragment;
  };
  const Case cases[] = {
      {"[file:foo = 'a']", 6, "unknown property 'foo' of file at offset 6"},
      {"[file:created = t'2016-01-01T00:00:00Z']", 6, "STIX 2.1 uses 'ctime'"},
      {"[process:binary_ref.name = 'a']", 9, "STIX 2.1 uses 'image_ref'"},
      {"[email-message:from_ref.nonsense = 'a']", 24, "unknown property 'nonsense' of email-addr"},
      {"[network-traffic:src_ref.path = 'a']", 25,
       "unknown property 'path' of ipv4-addr or ipv6-addr or mac-addr or domain-name"},
      {"[file:extensions.'windows-pebinary-ext'.bogus = 1]", 40,
       "unknown property 'bogus' of windows-pebinary-ext"},
      {"[file:extensions.'windows-pebinary-ext'.sections[*].bogus = 1]", 52,
       "unknown property 'bogus' of sections"},
      {"[file:extensions.'tcp-ext'.src_flags_hex = h'02']", 17,
       "'tcp-ext' at offset 17 belongs to network-traffic, not file"},
      {"[file:extensions.'zip-ext'.x = 1]", 17, "unknown extension 'zip-ext' of file"},
      {"[file:hashes.md5 = 'a']", 13, "write 'MD5'"},
      {"[file:hashes.SHA256 = 'a']", 13, "write 'SHA-256'"},
      {"[file:hashes.'sha-1' = 'a']", 13, "write 'SHA-1'"},
      {"[email-message:to_refs.value = 'a']", 23,
       "'to_refs' is a list: index it with [*] or [n] before 'value'"},
      {"[file:name[0] = 'a']", 11, "'name' is not a list"},
      {"[network-traffic:protocols[-1] = 'tcp']", 27, "negative list index '-1'"},
      {"[file:name.first = 'a']", 11, "'name' holds a string: it has no property 'first'"},
      {"[file:size = '10']", 13, "a string '10' at offset 13 can never match 'size', which holds an integer"},
      {"[file:name = 10]", 13, "an integer '10' at offset 13 can never match 'name'"},
      {"[file:ctime > '2016-01-01T00:00:00Z']", 14, "write it as t'...'"},
      {"[user-account:is_privileged = 'true']", 30, "which holds a boolean"},
      {"[file:size IN (1, 'two')]", 18, "can never match 'size'"},
      {"[file:size LIKE '1%']", 11, "LIKE at offset 11 matches strings, but the property holds an integer"},
      {"[file:name ISSUBSET '10.0.0.0/8']", 11, "ISSUBSET at offset 11 applies to IP address values"},
      {"[process:name = 'x']", 9, "unknown property 'name' of process"},
      {"[file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb']", 19,
       "'79054025255fb1a26e4bc422aef54eb' at offset 19 is not a valid MD5 hash (32 hexadecimal digits)"},
      {"[file:hashes.'SHA-256' IN ('abc')]", 27, "is not a valid SHA-256 hash (64 hexadecimal digits)"},
      {"[file:hashes.'SHA-1' != 'g94a8fe5ccb19ba61c4c0873d391e987982fbbd3']", 24, "not a valid SHA-1 hash"},
      {"[ipv4-addr:value = 'example.com']", 19,
       "'example.com' at offset 19 is not an IPv4 address or CIDR block"},
      {"[ipv4-addr:value = '256.1.1.1']", 19, "is not an IPv4 address"},
      {"[ipv6-addr:value != '1.2.3.4']", 20, "is not an IPv6 address or CIDR block"},
      {"[mac-addr:value = 'AA:BB:CC:DD:EE:FF']", 18, "is not a lower-case MAC-48 address"},
      {"[mac-addr:value IN ('aa:bb:cc:dd:ee:ff', 'a:b:c:d:e:f')]", 41, "is not a lower-case MAC-48 address"},
      {"[ipv4-addr:resolves_to_refs[*].value = 'x']", 39, "is not a lower-case MAC-48 address"},
      {"[ipv4-addr:value ISSUBSET '10.0.0.0/33']", 26,
       "'10.0.0.0/33' at offset 26 is not an IPv4 address or CIDR"},
      {"[ipv4-addr:value ISSUPERSET '10.0.0/8']", 28, "not an IPv4 address"},
      {"[ipv6-addr:value ISSUBSET '2001:db8::1::/32']", 26, "not an IPv6 address"},
      {"[network-traffic:dst_ref.value ISSUBSET 'example.com']", 40, "not an IP address or CIDR block"},
      {"[network-traffic:dst_ref ISSUBSET '10.0.0.0/8']", 25, "here it compares an object reference"},
  };
  for (const Case& c : cases) {
    const auto issues = CheckPattern(c.pattern);
    CHECK_MESSAGE(!HasPatternErrors(issues), std::string(c.pattern) << Describe(issues));
    REQUIRE_MESSAGE(!issues.empty(), std::string(c.pattern) << Describe(issues));
    CHECK_MESSAGE(issues[0].offset == c.offset, std::string(c.pattern) << Describe(issues));
    CHECK_MESSAGE(issues[0].message.find(c.fragment) != std::string::npos,
                  std::string(c.pattern) << "\n  wanted: " << std::string(c.fragment) << Describe(issues));
  }
}

TEST_CASE("Every catalogued property and extension property is accepted in a path") {
  size_t paths = 0;
  auto check = [&paths](const std::string& pattern) {
    const auto issues = CheckPattern(pattern);
    CHECK_MESSAGE(issues.empty(), pattern << Describe(issues));
    ++paths;
  };
  for (const ScoType& type : ScoTypes()) {
    const std::string prefix = "[EXISTS " + std::string(type.name) + ":";
    for (const ScoProperty& p : type.properties) check(prefix + std::string(p.name) + "]");
    for (const ScoProperty& p : CommonScoProperties()) check(prefix + std::string(p.name) + "]");
    for (std::string_view ext_name : type.extensions) {
      const ScoExtension* ext = FindScoExtension(ext_name);
      REQUIRE(ext != nullptr);
      for (const ScoProperty& p : ext->properties) {
        check(prefix + "extensions.'" + std::string(ext_name) + "'." + std::string(p.name) + "]");
      }
    }
  }
  CHECK(paths > 250);
}

TEST_CASE("Unknown properties warn, unknown types fail") {
  const auto property = CheckPattern("[url:hostname = 'example.com']");
  REQUIRE(property.size() == 1);
  CHECK_FALSE(property[0].error);
  const auto type = CheckPattern("[hostname:value = 'example.com']");
  REQUIRE(type.size() == 1);
  CHECK(type[0].error);
  // Custom names are neither.
  CHECK(CheckPattern("[url:x_hostname = 'a']").empty());
  CHECK(CheckPattern("[x-host:hostname = 'a']").empty());
}

TEST_CASE("AND operands must share an object type; OR unions, AND intersects") {
  CHECK(
      CheckPattern("[(file:name = 'a' OR url:value = 'b') AND (url:value = 'c' OR domain-name:value = 'd')]")
          .empty());
  CHECK(CheckPattern("[file:name = 'a' AND (file:size = 1 OR url:value = 'b')]").empty());
  CHECK(CheckPattern("[file:name = 'a' AND file:size = 1 AND EXISTS file:hashes.MD5]").empty());
  // The intersection narrows: {file, url} AND {url} leaves {url}, which cannot meet file.
  const auto narrowed =
      CheckPattern("[(file:name = 'a' OR url:value = 'b') AND url:value = 'c' AND file:size = 1]");
  REQUIRE(narrowed.size() == 1);
  CHECK(narrowed[0].offset == 58);
  CHECK(narrowed[0].message.find("comparisons on url with comparisons on file") != std::string::npos);
  // Reported once per chain, not for every further operand.
  CHECK(CheckPattern("[file:name = 'a' AND url:value = 'b' AND domain-name:value = 'c']").size() == 1);
  // Observation operators join different objects freely.
  CHECK(CheckPattern("[file:name = 'a'] AND [url:value = 'b']").empty());
  // Beyond the tracked number of types the check gives up rather than guess.
  std::string wide = "[(x-t0:v = 1";
  for (int i = 1; i < 20; ++i) wide += " OR x-t" + std::to_string(i) + ":v = 1";
  CHECK(CheckPattern(wide + ") AND file:name = 'a']").empty());
}

TEST_CASE("Issues before a syntax error are kept and sorted by offset") {
  const auto issues = CheckPattern("[file:bogus = t'2016-99-01T00:00:00Z' AND");
  REQUIRE(issues.size() == 3);
  CHECK_FALSE(issues[0].error);
  CHECK(issues[0].offset == 6);
  CHECK(issues[1].error);
  CHECK(issues[1].offset == 14);
  CHECK(issues[2].error);
  CHECK(issues[2].offset == 41);
  CHECK(HasPatternErrors(issues));
}

TEST_CASE("Nesting is bounded and never overflows the stack") {
  const auto nested = [](size_t depth, bool observation) {
    std::string open(depth, '(');
    std::string close(depth, ')');
    return observation ? open + "[file:name = 'a']" + close : "[" + open + "file:name = 'a'" + close + "]";
  };
  for (const bool observation : {true, false}) {
    CHECK(CheckPattern(nested(kMaxPatternNesting, observation)).empty());
    const auto too_deep = CheckPattern(nested(kMaxPatternNesting + 1, observation));
    REQUIRE(too_deep.size() == 1);
    CHECK(too_deep[0].message.find("nesting deeper than 256") != std::string::npos);
    const auto huge = CheckPattern(nested(200000, observation));
    REQUIRE(huge.size() == 1);
    CHECK(huge[0].error);
  }
}

TEST_CASE("Long flat patterns are checked in one pass") {
  std::string pattern = "[file:name = 'a'";
  for (int i = 0; i < 20000; ++i) pattern += " OR file:name = 'a'";
  pattern += "]";
  for (int i = 0; i < 20000; ++i) pattern += " FOLLOWEDBY [url:value = 'b'] WITHIN 1 SECONDS";
  CHECK(CheckPattern(pattern).empty());
  // Thousands of warnings are capped.
  std::string noisy = "[file:a = 1";
  for (int i = 0; i < 5000; ++i) noisy += " AND file:b = 1";
  noisy += "]";
  const auto issues = CheckPattern(noisy);
  CHECK(issues.size() == kMaxPatternIssues + 1);
  CHECK(issues.back().message.find("more issues not shown") != std::string::npos);
  // Warnings never crowd out a later error.
  const auto late_error = CheckPattern(noisy + " AND");
  CHECK(HasPatternErrors(late_error));
  CHECK(late_error.size() == kMaxPatternIssues + 2);
}

TEST_CASE("Arbitrary bytes never crash the checker") {
  std::string bytes;
  uint32_t state = 12345;
  for (int round = 0; round < 2000; ++round) {
    bytes.clear();
    const size_t length = state % 64;
    for (size_t i = 0; i < length; ++i) {
      state = state * 1103515245u + 12345u;
      // Mostly pattern characters, sometimes any byte.
      static const char kAlphabet[] = "[]():.,*=!<>'\\ tbhx-_0123456789ANDORfile:namevalue";
      const uint32_t r = (state >> 16) % 80;
      bytes += r < sizeof(kAlphabet) - 1 ? kAlphabet[r] : static_cast<char>(state >> 24);
    }
    const auto issues = CheckPattern(bytes);
    for (const PatternIssue& issue : issues) CHECK_MESSAGE(issue.offset <= bytes.size(), bytes);
  }
}

TEST_CASE("Every STIX indicator pattern in the ATT&CK bundles parses") {
  if (!testing::SharedAvailable()) return;
  size_t checked = 0;
  for (const char* name : {"enterprise-attack.json", "mobile-attack.json", "ics-attack.json"}) {
    const std::string path = testing::SharedDir() + "/data/attack/" + name;
    if (!std::filesystem::exists(path)) continue;
    const std::string text = testing::ReadTestFile(path);
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    REQUIRE_MESSAGE(!doc.HasParseError(), path);
    REQUIRE(doc.HasMember("objects"));
    for (const auto& object : doc["objects"].GetArray()) {
      if (!object.IsObject() || !object.HasMember("type") || object["type"] != "indicator") continue;
      if (object.HasMember("pattern_type") && object["pattern_type"] != "stix") continue;
      if (!object.HasMember("pattern") || !object["pattern"].IsString()) continue;
      const std::string pattern(object["pattern"].GetString(), object["pattern"].GetStringLength());
      const auto issues = CheckPattern(pattern);
      CHECK_MESSAGE(!HasPatternErrors(issues), name << ": " << pattern << Describe(issues));
      ++checked;
    }
  }
  MESSAGE("ATT&CK indicator patterns checked: " << checked);
}

}  // namespace prose2stix::validate
