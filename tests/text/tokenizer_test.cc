#include "prose2stix/text/tokenizer.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "prose2stix/text/normalize.h"
#include "prose2stix/text/sentence_splitter.h"

namespace prose2stix::text {
namespace {

// Renders tokens as "text/S" with S one of w n a p o (word, number, alnum, punct, other).
std::string Dump(const std::vector<Token>& tokens) {
  std::string s;
  for (const Token& t : tokens) {
    if (!s.empty()) s += ' ';
    s += t.text;
    s += '/';
    switch (t.shape) {
      case TokenShape::kWord: s += 'w'; break;
      case TokenShape::kNumber: s += 'n'; break;
      case TokenShape::kAlnum: s += 'a'; break;
      case TokenShape::kPunct: s += 'p'; break;
      case TokenShape::kOther: s += 'o'; break;
    }
  }
  return s;
}

struct Case {
  std::string in;
  std::string want;
};

TEST_CASE("Tokenize: table") {
  const Case cases[] = {
      {"The group is active.", "The/w group/w is/w active/w ./p"},
      {"state-backed actors", "state-backed/w actors/w"},
      {"China's APT41", "China/w 's/w APT41/a"},
      {"the hackers' tools", "the/w hackers/w '/p tools/w"},
      {"don't O'Brien", "don't/w O'Brien/w"},
      {"it's here", "it/w 's/w here/w"},
      {"The U.S. Treasury", "The/w U.S./w Treasury/w"},
      {"U.S.-based firms", "U.S./w -/p based/w firms/w"},
      {"Huawei Co., Ltd. said", "Huawei/w Co./w ,/p Ltd./w said/w"},
      {"e.g. Mimikatz", "e.g./w Mimikatz/w"},
      {"Brett A. Leatherman", "Brett/w A./w Leatherman/w"},
      {"Plan B.", "Plan/w B/w ./p"},
      {"UNC3886 and TA505 and G0016", "UNC3886/a and/w TA505/a and/w G0016/a"},
      {"Storm-0558 DEV-0537", "Storm-0558/a DEV-0537/a"},
      {"CVE-2024-3400.", "CVE-2024-3400/a ./p"},
      {"1,000 and 3.5 and 2019", "1,000/n and/w 3.5/n and/w 2019/n"},
      {"59,809,708 items", "59,809,708/n items/w"},
      {"list 4,8", "list/w 4/n ,/p 8/n"},
      {"at 10:26:16 UTC", "at/w 10:26:16/n UTC/w"},
      {"on 2020-03-23", "on/w 2020-03-23/n"},
      {"v2.1.3 released", "v2.1.3/a released/w"},
      {"from 192.168.0.1:8080", "from/w 192.168.0.1:8080/o"},
      {"IP 192.168.0.1.", "IP/w 192.168.0.1/o ./p"},
      {"visit example.com today", "visit/w example.com/o today/w"},
      {"ran update.exe.", "ran/w update.exe/o ./p"},
      {"see https://example.com/a?b=1&c=2.", "see/w https://example.com/a?b=1&c=2/o ./p"},
      {"(https://example.com/x)", "(/p https://example.com/x/o )/p"},
      {"https://en.wikipedia.org/wiki/Foo_(bar) ok", "https://en.wikipedia.org/wiki/Foo_(bar)/o ok/w"},
      {"hxxp://bad[.]com/a.php", "hxxp://bad[.]com/a.php/o"},
      {"hxxps[://]evil[.]org", "hxxps[://]evil[.]org/o"},
      {"1.2.3[.]4 and evil(.)com", "1.2.3[.]4/o and/w evil(.)com/o"},
      {"evil[.]com/path/x.js", "evil[.]com/path/x.js/o"},
      {"www.example.org/page", "www.example.org/page/o"},
      {"mail bob@corp.com now", "mail/w bob@corp.com/o now/w"},
      {"user[@]mail[.]ru", "user[@]mail[.]ru/o"},
      {"C:\\Windows\\System32\\cmd.exe ran", "C:\\Windows\\System32\\cmd.exe/o ran/w"},
      {"HKLM\\Software\\Microsoft\\Run key", "HKLM\\Software\\Microsoft\\Run/o key/w"},
      {"%APPDATA%\\Roaming\\x.dll", "%APPDATA%\\Roaming\\x.dll/o"},
      {"wrote /etc/passwd and /tmp", "wrote/w /etc/passwd/o and/w //p tmp/w"},
      {"and/or", "and/w //p or/w"},
      {"d41d8cd98f00b204e9800998ecf8427e", "d41d8cd98f00b204e9800998ecf8427e/o"},
      {"5d1bb0aef5545138feb825d5b0669ccc4a68abb4323362f2fe188e86c62aeed0",
       "5d1bb0aef5545138feb825d5b0669ccc4a68abb4323362f2fe188e86c62aeed0/o"},
      {"\"quoted\" (paren) [br]", "\"/p quoted/w \"/p (/p paren/w )/p [/p br/w ]/p"},
      {"wait...", "wait/w ./p ./p ./p"},
      {"100% of $5", "100/n %/p of/w $/p 5/n"},
      {"**Filename**", "*/p */p Filename/w */p */p"},
      {"wp_content TLS1_2", "wp_content/w TLS1_2/a"},
      {"caf\xC3\xA9 \xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0", "caf\xC3\xA9/w \xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0/w"},
      {"a \xE2\x80\xA2 b \xE2\x86\x92 c", "a/w \xE2\x80\xA2/p b/w \xE2\x86\x92/p c/w"},
      {"x\xEF\xBF\xBDy", "x/w \xEF\xBF\xBD/p y/w"},
      {"Coinminer.Xmrig", "Coinminer.Xmrig/o"},
      {"APT-C-36", "APT-C-36/a"},
      {"C++ and C#", "C/w +/p +/p and/w C/w #/p"},
      {"China\xE2\x80\x99s don\xE2\x80\x99t", "China/w \xE2\x80\x99s/w don\xE2\x80\x99t/w"},
      {"\xE2\x80\x98quoted\xE2\x80\x99", "\xE2\x80\x98/p quoted/w \xE2\x80\x99/p"},
      // Words longer than 16 bytes, hashes and near hashes, hex with connectors.
      {"internationalization counterintelligence", "internationalization/w counterintelligence/w"},
      {"d41d8cd98f00b204e9800998ecf8427", "d41d8cd98f00b204e9800998ecf8427/a"},
      {"d41d8cd98f00b204e9800998ecf8427ea", "d41d8cd98f00b204e9800998ecf8427ea/a"},
      {"d41d8cd98f00b204e9800998ecf8427g", "d41d8cd98f00b204e9800998ecf8427g/a"},
      {"D41D8CD98F00B204E9800998ECF8427E", "D41D8CD98F00B204E9800998ECF8427E/o"},
      {"d41d8cd98f00b204-9800998ecf8427ea", "d41d8cd98f00b204-9800998ecf8427ea/a"},
      {"d41d8cd98f00b204e9800998ecf8427e.", "d41d8cd98f00b204e9800998ecf8427e/o ./p"},
      {"abcdefabcdefabcdefabcdefabcdefab", "abcdefabcdefabcdefabcdefabcdefab/w"},
      {"12345678901234567890123456789012", "12345678901234567890123456789012/n"},
      {"APT41APT41APT41APT41 x", "APT41APT41APT41APT41/a x/w"},
      {"caf\xC3\xA9terias and na\xC3\xAFvet\xC3\xA9", "caf\xC3\xA9terias/w and/w na\xC3\xAFvet\xC3\xA9/w"},
      // Run-mode prefixes after the first letters: drive paths, "www." and its defangs.
      {"W:\\share\\a.txt", "W:\\share\\a.txt/o"},
      {"A: \\x", "A/w :/p \\/p x/w"},
      {"WWW.Example.com/x and www[.]evil[.]com", "WWW.Example.com/x/o and/w www[.]evil[.]com/o"},
      {"wwwx.com www", "wwwx.com/o www/w"},
      {"", ""},
  };
  for (const Case& c : cases) {
    std::vector<Token> got = Tokenize(c.in, 0, c.in.size());
    CHECK_MESSAGE(Dump(got) == c.want, "input: " << c.in);
    // Far from the end of the text (where words are classified 16 bytes at a time) the tokens
    // are the same: spaces around the input change offsets only.
    const std::string padded = std::string(20, ' ') + c.in + std::string(40, ' ');
    std::vector<Token> far = Tokenize(padded, 0, padded.size());
    CHECK_MESSAGE(Dump(far) == c.want, "padded input: " << c.in);
    for (const Token& t : far) CHECK_MESSAGE(t.text == std::string_view(padded).substr(t.begin, t.end - t.begin), c.in);
  }
}

TEST_CASE("Tokenize: offsets, spaces and ranges") {
  const std::string text = "xx The U.S. (again). yy";
  // Only the middle range is tokenized; offsets are absolute.
  std::vector<Token> got = Tokenize(text, 3, 20);
  REQUIRE(got.size() == 6);
  CHECK(got[0].begin == 3);
  CHECK(got[0].text == "The");
  CHECK(got[0].space_before);
  CHECK(got[1].text == "U.S.");
  CHECK(got[2].text == "(");
  CHECK(got[2].space_before);
  CHECK(got[3].text == "again");
  CHECK_FALSE(got[3].space_before);
  CHECK(got[5].text == ".");
  CHECK(got[5].end == 20);
  for (const Token& t : got) {
    CHECK(t.text == std::string_view(text).substr(t.begin, t.end - t.begin));
    CHECK_FALSE(t.sentence_start);
  }
  // Ranges are clamped; empty ranges give nothing.
  CHECK(Tokenize(text, 21, 1000).size() == 1);
  CHECK(Tokenize(text, 5, 5).empty());
  CHECK(Tokenize(text, 30, 10).empty());
  // A range ending inside a word stops there.
  std::vector<Token> cut = Tokenize("abcdef", 0, 3);
  REQUIRE(cut.size() == 1);
  CHECK(cut[0].text == "abc");
}

TEST_CASE("TokenizeSentences marks sentence starts") {
  NormalizedText nt = Normalize("China\xE2\x80\x99s APT41 hit the U.S. The FBI responded.\n\nIOCs\nevil[.]com");
  std::vector<Sentence> sentences = SplitSentences(nt.text);
  REQUIRE(sentences.size() == 4);
  std::vector<Token> tokens = TokenizeSentences(nt.text, sentences);
  std::string starts;
  for (const Token& t : tokens) {
    if (t.sentence_start) starts += std::string(t.text) + "|";
  }
  CHECK(starts == "China|The|IOCs|evil[.]com|");
  CHECK(Dump(tokens) ==
        "China/w 's/w APT41/a hit/w the/w U.S./w The/w FBI/w responded/w ./p IOCs/w evil[.]com/o");
  // Every token lies inside its sentence, in order.
  size_t si = 0;
  size_t prev_end = 0;
  for (const Token& t : tokens) {
    while (si < sentences.size() && t.begin >= sentences[si].end) ++si;
    REQUIRE(si < sentences.size());
    CHECK(t.begin >= sentences[si].begin);
    CHECK(t.end <= sentences[si].end);
    CHECK(t.begin >= prev_end);
    prev_end = t.end;
  }
}

}  // namespace
}  // namespace prose2stix::text
