#include "prose2stix/text/sentence_splitter.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "prose2stix/text/normalize.h"

namespace prose2stix::text {
namespace {

struct Case {
  std::string in;
  std::vector<std::string> want;
};

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += "[" + x + "] ";
  return s;
}

std::vector<std::string> Texts(const std::vector<Sentence>& sentences) {
  std::vector<std::string> out;
  for (const Sentence& s : sentences) out.emplace_back(s.text);
  return out;
}

bool IsSpaceByte(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

// The structural contract: sentences in order, non-overlapping, trimmed, views matching offsets,
// and every non-space byte covered exactly once.
void CheckInvariants(const std::string& text, const std::vector<Sentence>& sentences) {
  std::vector<int> cover(text.size(), 0);
  size_t prev_end = 0;
  for (const Sentence& s : sentences) {
    REQUIRE(s.begin < s.end);
    REQUIRE(s.end <= text.size());
    CHECK(s.begin >= prev_end);
    CHECK(s.text.data() == text.data() + s.begin);
    CHECK(s.text.size() == s.end - s.begin);
    CHECK_FALSE(IsSpaceByte(text[s.begin]));
    CHECK_FALSE(IsSpaceByte(text[s.end - 1]));
    for (size_t k = s.begin; k < s.end; ++k) ++cover[k];
    prev_end = s.end;
  }
  for (size_t k = 0; k < text.size(); ++k) {
    if (!IsSpaceByte(text[k])) CHECK_MESSAGE(cover[k] == 1, "byte " << k << " of: " << text);
  }
}

TEST_CASE("SplitSentences: table") {
  const Case cases[] = {
      // Plain terminal punctuation.
      {"The group is active. It targets banks.", {"The group is active.", "It targets banks."}},
      {"Is it APT29? Yes! It is.", {"Is it APT29?", "Yes!", "It is."}},
      {"What?! Nobody knew.", {"What?!", "Nobody knew."}},
      {"Single sentence without a period", {"Single sentence without a period"}},
      {"  Leading and trailing space.   ", {"Leading and trailing space."}},
      {"", {}},
      {" \n\n  \n", {}},
      {"Ends with digits in 2021. 2022 was worse.", {"Ends with digits in 2021.", "2022 was worse."}},
      {"lowercase after a period. is not a new sentence", {"lowercase after a period. is not a new sentence"}},
      {"The Yahoo! service was abused.", {"The Yahoo! service was abused."}},
      // Quotes and brackets after the terminator.
      {"He said \"the group is active.\" Then it went quiet.",
       {"He said \"the group is active.\"", "Then it went quiet."}},
      {"She asked: \"Who did it?\" Nobody answered.", {"She asked: \"Who did it?\"", "Nobody answered."}},
      {"\"Stop!\" he shouted.", {"\"Stop!\" he shouted."}},
      {"It was patched (in version 4.2.) The fix works.", {"It was patched (in version 4.2.)", "The fix works."}},
      {"The campaign ended. \"We are done,\" they wrote.", {"The campaign ended.", "\"We are done,\" they wrote."}},
      {"The campaign ended. (See the appendix.) More follows.",
       {"The campaign ended.", "(See the appendix.)", "More follows."}},
      {"They left. 'Quiet' was the word.", {"They left.", "'Quiet' was the word."}},
      {"Not normalised: \xE2\x80\x9CIt is over.\xE2\x80\x9D \xE2\x80\x9CSo?\xE2\x80\x9D",
       {"Not normalised: \xE2\x80\x9CIt is over.\xE2\x80\x9D", "\xE2\x80\x9CSo?\xE2\x80\x9D"}},
      // Titles and other prefix abbreviations.
      {"Dr. Smith and Mr. Jones met Gen. Nakasone.", {"Dr. Smith and Mr. Jones met Gen. Nakasone."}},
      {"Lt. Col. Ivanov and Sen. Warner spoke with Rep. Katko.",
       {"Lt. Col. Ivanov and Sen. Warner spoke with Rep. Katko."}},
      {"The office on St. Petersburg Ave. was raided by the Dept. of Justice.",
       {"The office on St. Petersburg Ave. was raided by the Dept. of Justice."}},
      {"See Fig. 3 and No. 7 for details.", {"See Fig. 3 and No. 7 for details."}},
      {"Tools, e.g. Mimikatz, i.e. a credential dumper, were used.",
       {"Tools, e.g. Mimikatz, i.e. a credential dumper, were used."}},
      {"APT28 vs. APT29 is a common comparison.", {"APT28 vs. APT29 is a common comparison."}},
      {"It used approx. 40 servers.", {"It used approx. 40 servers."}},
      {"He said no. Then he left.", {"He said no.", "Then he left."}},
      // Company suffixes and dates.
      {"Huawei Technologies Co., Ltd. and Acme Corp. were named.",
       {"Huawei Technologies Co., Ltd. and Acme Corp. were named."}},
      {"Positive Technologies Inc. Was it involved?", {"Positive Technologies Inc. Was it involved?"}},
      {"The vendor is Acme Inc. The flaw is critical.", {"The vendor is Acme Inc.", "The flaw is critical."}},
      {"It started on Jan. 5, 2021 and ended in Sept. 2022.",
       {"It started on Jan. 5, 2021 and ended in Sept. 2022."}},
      {"Malware, droppers, loaders, etc. were found.", {"Malware, droppers, loaders, etc. were found."}},
      {"They stole files, keys, etc. The data was sold.", {"They stole files, keys, etc.", "The data was sold."}},
      {"It ran at 3 a.m. The next day it stopped.", {"It ran at 3 a.m.", "The next day it stopped."}},
      // U.S. and other initialisms.
      {"The U.S. Treasury sanctioned them.", {"The U.S. Treasury sanctioned them."}},
      {"Targets in the U.K. Foreign Office were hit.", {"Targets in the U.K. Foreign Office were hit."}},
      {"They attacked the U.S. The campaign continued.", {"They attacked the U.S.", "The campaign continued."}},
      {"It hit the U.S. However, Europe was spared.", {"It hit the U.S.", "However, Europe was spared."}},
      {"Allies of the U.S. They responded quickly.", {"Allies of the U.S.", "They responded quickly."}},
      {"Based in the U.S. Department of Defense networks, it spread.",
       {"Based in the U.S. Department of Defense networks, it spread."}},
      // Initials.
      {"J. R. R. Tolkien wrote it.", {"J. R. R. Tolkien wrote it."}},
      {"FBI Deputy Assistant Director Brett A. Leatherman said so.",
       {"FBI Deputy Assistant Director Brett A. Leatherman said so."}},
      {"They called it Plan B. The plan failed.", {"They called it Plan B.", "The plan failed."}},
      // Numbers, versions, domains, IPs, file names, defanged indicators.
      {"Version 3.5 fixed it. Version v2.1.3 did not.", {"Version 3.5 fixed it.", "Version v2.1.3 did not."}},
      {"It contacted example.com and 192.168.0.1 over port 443.",
       {"It contacted example.com and 192.168.0.1 over port 443."}},
      {"The dropper update.exe ran. Then it beaconed.", {"The dropper update.exe ran.", "Then it beaconed."}},
      {"It fetched hxxp://bad[.]com/a.php and 1.2.3[.]4 daily.",
       {"It fetched hxxp://bad[.]com/a.php and 1.2.3[.]4 daily."}},
      {"Download from https://evil.example.org/p.zip. The file was packed.",
       {"Download from https://evil.example.org/p.zip.", "The file was packed."}},
      {"Costs rose 12.5% in 2023. Losses hit $1.2M.", {"Costs rose 12.5% in 2023.", "Losses hit $1.2M."}},
      // Ellipses.
      {"The group waited... and struck again.", {"The group waited... and struck again."}},
      {"They waited... Then they struck.", {"They waited...", "Then they struck."}},
      // Paragraphs, headings, lists, tables.
      {"First paragraph without period\n\nSecond paragraph.", {"First paragraph without period", "Second paragraph."}},
      {"Para one.\n \t\nPara two.", {"Para one.", "Para two."}},
      {"Background\nThe actor sent phishing emails.", {"Background", "The actor sent phishing emails."}},
      {"Indicators:\n- evil.com\n- 1.2.3.4\n- update.exe", {"Indicators:", "- evil.com", "- 1.2.3.4", "- update.exe"}},
      {"Steps.\n1. Open the file.\n2. Enable macros.", {"Steps.", "1. Open the file.", "2. Enable macros."}},
      {"| Property | Value |\n| SHA256 | abc |", {"| Property | Value |", "| SHA256 | abc |"}},
      {"Summary\n-------\nThe actor is active.", {"Summary", "-------", "The actor is active."}},
      {"## Technical analysis\nThe loader decrypts its payload.",
       {"## Technical analysis", "The loader decrypts its payload."}},
      {"\xE2\x80\xA2 first item\n\xE2\x80\xA2 second item", {"\xE2\x80\xA2 first item", "\xE2\x80\xA2 second item"}},
      {"IOCs\nevil.com\nbad.net\nupdate.exe", {"IOCs", "evil.com", "bad.net", "update.exe"}},
      {"The loader is described below.\n![Figure 1](img.png)\n*Figure 1: The loader*",
       {"The loader is described below.", "![Figure 1](img.png)", "*Figure 1: The loader*"}},
      // Figure captions.
      {"The loader is shown below.\n*Figure 12. Attack paths lead to the loader*\nIt runs daily.",
       {"The loader is shown below.", "*Figure 12. Attack paths lead to the loader*", "It runs daily."}},
      {"Table 2. Indicators of compromise", {"Table 2. Indicators of compromise"}},
      {"The chain is shown in Figure 1. The loader comes first.",
       {"The chain is shown in Figure 1.", "The loader comes first."}},
      // Ideographic full stop.
      {"\xE6\x94\xBB\xE6\x92\x83\xE3\x80\x82\xE7\xBB\x93\xE6\x9D\x9F\xE3\x80\x82",
       {"\xE6\x94\xBB\xE6\x92\x83\xE3\x80\x82", "\xE7\xBB\x93\xE6\x9D\x9F\xE3\x80\x82"}},
      // Non-ASCII capitals start sentences; non-ASCII lowercase does not.
      {"It ended. \xC3\x89lise took over.", {"It ended.", "\xC3\x89lise took over."}},
      {"It ended. \xC3\xA9t\xC3\xA9 came.", {"It ended. \xC3\xA9t\xC3\xA9 came."}},
  };
  for (const Case& c : cases) {
    std::vector<Sentence> got = SplitSentences(c.in);
    CHECK_MESSAGE(Texts(got) == c.want, "input: " << c.in << "\n got: " << Join(Texts(got)));
    CheckInvariants(c.in, got);
  }
  CHECK(std::size(cases) >= 50);
}

TEST_CASE("SplitSentences: hard-wrapped text joins lines") {
  // Lines wrapped at ~70 columns, as in PDF or e-mail text: single line feeds inside sentences.
  const std::string text =
      "The threat actor known as Sandworm has been observed deploying a new\n"
      "wiper against organisations in the energy sector, according to a report\n"
      "published this week. The malware overwrites the master boot record and\n"
      "then forces a reboot of the infected machine.\n"
      "\n"
      "Recommendations\n"
      "Defenders should monitor for unusual scheduled tasks and block the\n"
      "listed domains at the perimeter.\n";
  std::vector<Sentence> got = SplitSentences(text);
  std::vector<std::string> want = {
      "The threat actor known as Sandworm has been observed deploying a new\n"
      "wiper against organisations in the energy sector, according to a report\n"
      "published this week.",
      "The malware overwrites the master boot record and\nthen forces a reboot of the infected machine.",
      "Recommendations",
      "Defenders should monitor for unusual scheduled tasks and block the\nlisted domains at the perimeter.",
  };
  CHECK_MESSAGE(Texts(got) == want, Join(Texts(got)));
  CheckInvariants(text, got);
}

TEST_CASE("SplitSentences: hard-wrapped text keeps capitalised words that wrap") {
  const std::string text =
      "Researchers linked the intrusion set to the group tracked as Fancy\n"
      "Bear, which has targeted defence contractors since at least 2008 in\n"
      "several countries. The operators rely on spear-phishing with macro\n"
      "documents and on stolen credentials for initial access to victims.\n"
      "Mitigations\n"
      "Apply the vendor patches and enforce multi-factor authentication for\n"
      "remote access.\n";
  std::vector<Sentence> got = SplitSentences(text);
  std::vector<std::string> want = {
      "Researchers linked the intrusion set to the group tracked as Fancy\n"
      "Bear, which has targeted defence contractors since at least 2008 in\n"
      "several countries.",
      "The operators rely on spear-phishing with macro\n"
      "documents and on stolen credentials for initial access to victims.",
      "Mitigations",
      "Apply the vendor patches and enforce multi-factor authentication for\nremote access.",
  };
  CHECK_MESSAGE(Texts(got) == want, Join(Texts(got)));
  CheckInvariants(text, got);
}

TEST_CASE("SplitSentences: one block per line ends a sentence at each line feed") {
  const std::string text =
      "Interestingly, the employee's email address had been used in very few instances externally\n"
      "we are releasing this information publicly to share tactics and procedures with others\n"
      "Summary\n";
  std::vector<Sentence> got = SplitSentences(text);
  CHECK(got.size() == 3);
  CheckInvariants(text, got);
}

TEST_CASE("SplitSentences: long runs are cut") {
  std::string blob(3 * kMaxSentenceBytes, 'A');
  std::vector<Sentence> got = SplitSentences(blob);
  CHECK(got.size() >= 3);
  for (const Sentence& s : got) CHECK(s.end - s.begin <= kMaxSentenceBytes);
  CheckInvariants(blob, got);

  std::string words;
  while (words.size() < 3 * kMaxSentenceBytes) words += "word ";
  got = SplitSentences(words);
  for (const Sentence& s : got) {
    CHECK(s.end - s.begin <= kMaxSentenceBytes);
    CHECK(s.text.back() == 'd');  // cut at a space, never inside a word
  }
  CheckInvariants(words, got);

  // Multi-byte characters are never cut in the middle.
  std::string cyr;
  while (cyr.size() < 2 * kMaxSentenceBytes + 7) cyr += "\xD0\x96";
  cyr += "x";
  got = SplitSentences(cyr);
  for (const Sentence& s : got) CHECK((static_cast<unsigned char>(s.text[0]) & 0xC0u) != 0x80u);
  CheckInvariants(cyr, got);
}

TEST_CASE("SplitSentences: works on normalised news text") {
  NormalizedText nt = Normalize(
      "\xE2\x80\x9CWe assess with high confidence that the group is state\xE2\x80\x91" "backed,\xE2\x80\x9D"
      " the U.S. Cybersecurity and Infrastructure Security Agency said. The advisory\xE2\x80\x94"
      "published Tuesday\xE2\x80\x94lists 12 domains.");
  std::vector<Sentence> got = SplitSentences(nt.text);
  REQUIRE(got.size() == 2);
  CHECK(got[0].text.substr(got[0].text.size() - 5) == "said.");
  CHECK(got[1].text.substr(0, 12) == "The advisory");
  CheckInvariants(nt.text, got);
}

TEST_CASE("Abbreviation table is sorted and case-aware") {
  CHECK(LookupAbbreviation("Dr.") == AbbreviationKind::kPrefix);
  CHECK(LookupAbbreviation("No.") == AbbreviationKind::kPrefix);
  CHECK(LookupAbbreviation("no.") == AbbreviationKind::kNone);
  CHECK(LookupAbbreviation("NO.") == AbbreviationKind::kNone);
  CHECK(LookupAbbreviation("Inc.") == AbbreviationKind::kMayEnd);
  CHECK(LookupAbbreviation("inc.") == AbbreviationKind::kNone);
  CHECK(LookupAbbreviation("U.S.") == AbbreviationKind::kMayEnd);
  CHECK(LookupAbbreviation("e.g.") == AbbreviationKind::kPrefix);
  CHECK(LookupAbbreviation("N.Y.") == AbbreviationKind::kMayEnd);
  CHECK(LookupAbbreviation("Dr") == AbbreviationKind::kNone);
  CHECK(LookupAbbreviation("example.") == AbbreviationKind::kNone);
  CHECK(LookupAbbreviation("a.php.") == AbbreviationKind::kNone);
  // The ends of the table, the longest entries, and near misses of them.
  struct Lookup {
    const char* word;
    AbbreviationKind want;
  };
  const Lookup lookups[] = {
      {"Adm.", AbbreviationKind::kPrefix},   {"vs.", AbbreviationKind::kPrefix},     {"Messrs.", AbbreviationKind::kPrefix},
      {"approx.", AbbreviationKind::kPrefix}, {"Thurs.", AbbreviationKind::kMayEnd}, {"Ph.D.", AbbreviationKind::kMayEnd},
      {"al.", AbbreviationKind::kMayEnd},    {"Sept.", AbbreviationKind::kMayEnd},   {"p.", AbbreviationKind::kPrefix},
      {"Approx.", AbbreviationKind::kNone},  {"Messrs", AbbreviationKind::kNone},    {"Messrsx.", AbbreviationKind::kNone},
      {"xMessrs.", AbbreviationKind::kNone}, {"Adm..", AbbreviationKind::kNone},     {"vs..", AbbreviationKind::kNone},
      {"Ad.", AbbreviationKind::kNone},      {"ADM.", AbbreviationKind::kNone},      {".", AbbreviationKind::kNone},
  };
  for (const Lookup& l : lookups) {
    CHECK_MESSAGE(LookupAbbreviation(l.word) == l.want, "word " << l.word);
  }
  CHECK(IsSentenceStarter("The"));
  CHECK(IsSentenceStarter("However"));
  CHECK_FALSE(IsSentenceStarter("Treasury"));
  CHECK_FALSE(IsSentenceStarter("the"));
}

}  // namespace
}  // namespace prose2stix::text
