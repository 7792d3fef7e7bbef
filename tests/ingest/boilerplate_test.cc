#include "prose2stix/ingest/boilerplate.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "prose2stix/ingest/reader.h"
#include "prose2stix/ingest/text_reader.h"
#include "testutil.h"

namespace prose2stix::ingest {

namespace {

std::string Clean(const std::string& text, CleanReport* report = nullptr) {
  Document doc;
  AssembleText(CleanBlocks(SplitPlainText(text), report), &doc);
  return doc.text;
}

bool Has(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

}  // namespace

TEST_CASE("ClassifyUnit") {
  struct Case {
    const char* text;
    UnitClass want;
  };
  const Case cases[] = {
      {"The intruders moved laterally using stolen credentials and a custom loader.", UnitClass::kBody},
      {"Ransomware crew hits regional hospital chain", UnitClass::kHeadline},
      {"$12.40", UnitClass::kWidget},
      {"+4.12%", UnitClass::kWidget},
      {"$1.05$1.05", UnitClass::kWidget},
      {"1,204", UnitClass::kWidget},
      {"Share", UnitClass::kWidget},
      {"Tweet Share Email", UnitClass::kWidget},
      {"4 min read", UnitClass::kWidget},
      {"March 3, 2024", UnitClass::kDateLine},
      {"Newswire2025/03/01 09:12", UnitClass::kDateLine},
      {"Get the weekly digest in your inbox: subscribe to our newsletter!", UnitClass::kPromo},
      {"185.220.101.4", UnitClass::kIndicator},
      {"update-check[.]example[.]net", UnitClass::kIndicator},
      {"d41d8cd98f00b204e9800998ecf8427e", UnitClass::kIndicator},
      {"CVE-2024-3400", UnitClass::kIndicator},
      {"EUR", UnitClass::kHeadline},
      {"APT28", UnitClass::kHeadline},
      {"GC01", UnitClass::kHeadline},
      {"w0rm", UnitClass::kHeadline},
      {"{", UnitClass::kHeadline},
      {"Share | Tweet | Email", UnitClass::kWidget},
      {"BuildTime: 2021-07-26 13:34:18 UTC", UnitClass::kHeadline},
      {"Fund transfer request 08-October-2018", UnitClass::kHeadline},
      {"203.0.113.9:8443", UnitClass::kIndicator},
      {"Initial access . . . . . . . . . . . 4", UnitClass::kWidget},
      {"2.1 Persistence..........................12", UnitClass::kWidget},
  };
  for (const Case& c : cases) {
    CHECK_MESSAGE(ClassifyUnit(c.text) == c.want, c.text, " -> ", UnitClassName(ClassifyUnit(c.text)));
  }
}

TEST_CASE("MatchMarker") {
  struct Case {
    const char* text;
    MarkerAction want;
  };
  const Case cases[] = {
      {"You May Also Like", MarkerAction::kEndArticle},
      {"RELATED ARTICLES:", MarkerAction::kEndArticle},
      {"More from Example Daily", MarkerAction::kEndArticle},
      {"Disclaimer: this page is provided as is.", MarkerAction::kEndArticle},
      {"\xC2\xA9 2024 Example Media. All rights reserved.", MarkerAction::kEndArticle},
      {"Read more: how the loader works", MarkerAction::kDrop},
      {"Share this article on social media", MarkerAction::kDrop},
      {"Tags: ransomware, healthcare", MarkerAction::kDrop},
      {"The post Example appeared first on Example Blog.", MarkerAction::kDrop},
      {"Related reading is available in the appendix, which lists every sample we analysed in detail.",
       MarkerAction::kNone},
      {"Recommended mitigations", MarkerAction::kNone},
      {"Readers of the report noted the overlap.", MarkerAction::kNone},
      {"Subscribers were notified.", MarkerAction::kNone},
  };
  for (const Case& c : cases) CHECK_MESSAGE(MatchMarker(c.text) == c.want, std::string(c.text));
}

TEST_CASE("Cleaner: news page with a teaser, a pitch, a price widget and unrelated teasers") {
  const std::string page =
      "Attackers abused a file-transfer flaw to steal records from dozens of firms. Investigators say the "
      "campaign began in March. [\xE2\x80\xA6]\n"
      "\n"
      "File-transfer flaw fuels wave of data theft\n"
      "\n"
      "Attackers abused a file-transfer flaw to steal records from dozens of firms.\n"
      "\n"
      "Investigators say the campaign began in March.\n"
      "\n"
      "How the intrusions worked\n"
      "\n"
      "The group uploaded a web shell, listed the stored files and copied them to servers it rented in "
      "several countries, according to the incident responders who studied the logs.\n"
      "\n"
      "Victims include a logistics company, two universities and a regional bank, all of which said they "
      "had applied the vendor's patch after the thefts.\n"
      "\n"
      "Want smarter security news every morning? Our newsletter has you covered.\n"
      "\n"
      "Token Watch\n"
      "ExampleCoin Logo\n"
      "ExampleCoin Price(EXC)\n"
      "$1.05\n"
      "$1.05$1.05\n"
      "+2.17%\n"
      "USD\n"
      "ExampleCoin (EXC) Live Price Chart\n"
      "\n"
      "You May Also Like\n"
      "\n"
      "Chipmaker posts record quarter\n"
      "\n"
      "The chipmaker reported record revenue on strong demand for its accelerators, beating estimates.\n"
      "Share\n"
      "Wire2025/03/01 09:12\n";
  CleanReport report;
  const std::string out = Clean(page, &report);
  CHECK(Has(out, "File-transfer flaw fuels wave of data theft"));
  CHECK(Has(out, "How the intrusions worked"));
  CHECK(Has(out, "The group uploaded a web shell"));
  CHECK(Has(out, "a regional bank"));
  CHECK_FALSE(Has(out, "[\xE2\x80\xA6]"));
  CHECK_FALSE(Has(out, "newsletter"));
  CHECK_FALSE(Has(out, "Token Watch"));
  CHECK_FALSE(Has(out, "ExampleCoin"));
  CHECK_FALSE(Has(out, "$1.05"));
  CHECK_FALSE(Has(out, "USD"));
  CHECK_FALSE(Has(out, "Chipmaker"));
  CHECK_FALSE(Has(out, "Share"));
  CHECK(report.teasers == 1);
  CHECK(report.promos == 1);
  CHECK(report.after_end >= 3);
  // The article paragraph repeated by the teaser is kept once.
  const std::string first = "Attackers abused a file-transfer flaw";
  CHECK(out.find(first) == out.rfind(first));
}

TEST_CASE("Cleaner: blog post with share bar, tags, copyright and comments") {
  const std::string page =
      "Share this\n"
      "\n"
      "Phishing kit targets payroll portals\n"
      "\n"
      "A phishing kit sold on a criminal forum imitates the login pages of three payroll providers and "
      "relays one-time codes to the operators in real time.\n"
      "\n"
      "The kit checks the visitor's IP range and shows a harmless page to security scanners, which kept "
      "it off block lists for weeks.\n"
      "\n"
      "Tags: phishing, payroll, MFA\n"
      "\n"
      "\xC2\xA9 2025 Example Security Blog. All rights reserved.\n"
      "\n"
      "Comments\n"
      "\n"
      "Great write-up, thanks for sharing this with everyone here.\n";
  const std::string out = Clean(page);
  CHECK(out ==
        "Phishing kit targets payroll portals\n\n"
        "A phishing kit sold on a criminal forum imitates the login pages of three payroll providers and "
        "relays "
        "one-time codes to the operators in real time.\n\n"
        "The kit checks the visitor's IP range and shows a harmless page to security scanners, which kept it "
        "off block lists for weeks.");
}

TEST_CASE("Cleaner: advisory keeps headings, lists and indicators; an early disclaimer is dropped alone") {
  const std::string page =
      "Disclaimer: this advisory is provided for information only.\n"
      "\n"
      "Summary\n"
      "\n"
      "A loader tracked as QUIETPATH was delivered through malicious installers for a popular remote "
      "support tool. It contacts its controller over HTTPS.\n"
      "\n"
      "Indicators of compromise\n"
      "\n"
      "185.220.101.4\n"
      "update-check[.]example[.]net\n"
      "d41d8cd98f00b204e9800998ecf8427e\n";
  const std::string out = Clean(page);
  CHECK_FALSE(Has(out, "Disclaimer"));
  CHECK(Has(out, "Summary\n\nA loader tracked as QUIETPATH"));
  CHECK(Has(out,
            "Indicators of compromise\n\n185.220.101.4\n\nupdate-check[.]example[.]net\n\n"
            "d41d8cd98f00b204e9800998ecf8427e"));
}

TEST_CASE("Cleaner: verbatim repeats are kept once, headline runs before body are kept") {
  const std::string page =
      "Breaking\n"
      "\n"
      "Botnet takedown in three countries\n"
      "\n"
      "Police seized servers that controlled a botnet of routers used to hide attack traffic.\n"
      "\n"
      "Police seized servers that controlled a botnet of routers used to hide attack traffic.\n"
      "\n"
      "Operators had rented access to other criminal groups.\n";
  CleanReport report;
  const std::string out = Clean(page, &report);
  CHECK(report.duplicates == 1);
  CHECK(out ==
        "Breaking\n\nBotnet takedown in three countries\n\n"
        "Police seized servers that controlled a botnet of routers used to hide attack traffic.\n\n"
        "Operators had rented access to other criminal groups.");
}

TEST_CASE("Cleaner: teasers longer than the searched head are verified in full") {
  // Paragraphs of numbered sentences, so that no two keys share long runs by chance. The search
  // looks for a teaser key's first 1024 bytes and checks every hit against the whole key.
  auto sentences = [](int from, int to) {
    std::string p;
    for (int k = from; k < to; ++k) {
      if (!p.empty()) p += ' ';
      p += "Sentence number " + std::to_string(k) + " of the report describes another step of the intrusion.";
    }
    return p;
  };
  const std::string body = sentences(0, 30);  // about 2.4 KB of text, a key of about 1.9 KB
  REQUIRE(body.size() > 2000);
  SUBCASE("the whole teaser is repeated further down: dropped") {
    CleanReport report;
    const std::string out = Clean(body + "\n\nThe actor then moved on.\n\n" + body + " More follows here.", &report);
    CHECK(report.teasers == 1);
    CHECK(out.find(body) == out.rfind(body));  // one copy left
  }
  SUBCASE("only its first part is repeated (beyond the searched head it differs): kept") {
    const std::string changed = sentences(0, 20) + " " + sentences(40, 50);
    REQUIRE(changed.compare(0, 1200, body, 0, 1200) == 0);
    CleanReport report;
    const std::string out = Clean(body + "\n\nThe actor then moved on.\n\n" + changed, &report);
    CHECK(report.teasers == 0);
    CHECK(Has(out, body));
    CHECK(Has(out, changed));
  }
}

TEST_CASE("Cleaner: a copyright line early in a long report does not end it") {
  std::string report_text =
      "Annual threat report\n\n"
      "This report summarizes the intrusions our responders handled during the year, by sector.\n\n"
      "Ransomware remained the most common cause of major incidents, followed by email fraud.\n\n"
      "\xC2\xA9 2025 Example Response Ltd. All rights reserved.\n\n";
  for (int i = 0; i < 20; ++i) {
    report_text += "Section " + std::to_string(i) +
                   " describes a separate case study in detail, with "
                   "timelines, the initial access vector and the lessons the victim drew from it.\n\n";
  }
  const std::string out = Clean(report_text);
  CHECK_FALSE(Has(out, "All rights reserved"));
  CHECK(Has(out, "Section 19 describes"));
  // At the end of a page the same line ends the article.
  const std::string page =
      "Loader campaign hits retailers\n\n"
      "A loader delivered by fake browser updates infected point-of-sale back offices at retailers in "
      "three countries, according to the incident responders who investigated the intrusions.\n\n"
      "The operators then deployed a card skimmer that sent the stolen data to a server abroad every "
      "hour, and removed their tools once the skimmer was running.\n\n"
      "\xC2\xA9 2025 Example News. All rights reserved.\n\n"
      "Privacy policy and terms of use for this site and its partner sites.\n";
  CHECK_FALSE(Has(Clean(page), "Privacy policy"));
}

TEST_CASE("Cleaner: data lines are kept: lists without bullets, dates in lists, a closing list") {
  const std::string page =
      "The campaign used three lures and a loader that fetched its configuration over HTTPS.\n"
      "\n"
      "Email subjects\n"
      "\n"
      "Invoice 2024-0031 overdue\n"
      "Payment confirmation\n"
      "Fund transfer 08-October-2024\n"
      "\n"
      "The loader reported to its controller every five minutes.\n"
      "\n"
      "- Created: 2024-10-02 11:20\n"
      "- Port 8443\n"
      "\n"
      "Detection signatures\n"
      "\n"
      "2033001 EXAMPLE Loader Beacon\n"
      "2033002 EXAMPLE Loader Config Fetch\n"
      "2033003 EXAMPLE Loader Exfil\n"
      "2033004 EXAMPLE Loader Update\n";
  CleanReport report;
  const std::string out = Clean(page, &report);
  for (const char* kept :
       {"Email subjects", "Invoice 2024-0031 overdue", "Payment confirmation",
        "Fund transfer 08-October-2024", "Created: 2024-10-02 11:20", "Port 8443", "Detection signatures",
        "2033001 EXAMPLE Loader Beacon", "2033004 EXAMPLE Loader Update"}) {
    CHECK_MESSAGE(Has(out, kept), std::string(kept));
  }
  CHECK(report.orphan_headlines == 0);
  CHECK(report.widgets == 0);
}

TEST_CASE("Cleaner: the shared seed with web-page junk keeps only the article") {
  if (!testing::SharedAvailable()) return;
  const std::string raw = testing::ReadTestFile(testing::SharedDir() + "/seeds/001_c4f016ae192d35a4.txt");
  Result<std::vector<Document>> docs = ReadDocuments(raw, "seed001.txt");
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 1);
  const std::string& out = docs->front().text;
  // Every article paragraph survives ...
  for (const char* kept :
       {"U.S.-led coalition accuses three Chinese companies", "Thirteen nations, including the U.S., Britain",
        "An unusually broad coalition of nations", "In a 37-page advisory released on Wednesday", "Five Eyes",
        "Salt Typhoon", "Increasing global concern over Salt Typhoon",
        "The coalition\xE2\x80\x99s statement did not mention", "U.S. officials emphasized"}) {
    CHECK_MESSAGE(Has(out, kept), kept);
  }
  // ... once, and none of the junk does.
  CHECK(out.find("Thirteen nations") == out.rfind("Thirteen nations"));
  for (const char* junk :
       {"[\xE2\x80\xA6]", "newsletter", "$0.7598", "-3.83%", "USD", "Disclaimer", "MEXC", "You May Also Like",
        "Lucid", "rare-earth", "Trade Balance", "Share", "2026/01/15", "Market Opportunity", "Logo"}) {
    CHECK_MESSAGE(!Has(out, junk), junk);
  }
  CHECK(docs->front().title ==
        "U.S.-led coalition accuses three Chinese companies of aiding hacks by domestic "
        "intelligence agencies");
  // The clean seed is left untouched.
  const std::string other = testing::ReadTestFile(testing::SharedDir() + "/seeds/000_b3c07f2b0cd73737.txt");
  ReadOptions raw_opts;
  raw_opts.clean = false;
  Result<std::vector<Document>> a = ReadDocuments(other, "seed000.txt");
  Result<std::vector<Document>> b = ReadDocuments(other, "seed000.txt", raw_opts);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->front().text == b->front().text);
}

// Units of a few very long words put a phrase at a chosen folded offset, to check the windows in
// which calls to action (600 folded bytes) and "contains" markers (4000) are looked for.
TEST_CASE("ClassifyUnit and MatchMarker: phrase windows are counted in folded bytes") {
  const auto promo_ending_at = [](size_t end, bool apostrophe) {
    // "you" (a reader cue) first; U+2019 folds from 3 bytes to 1.
    const std::string head = apostrophe ? "You\xE2\x80\x99 " : "You ";
    const size_t folded_head = apostrophe ? 5 : 4;
    return head + std::string(end - folded_head - 11, 'x') + " Newsletter";
  };
  CHECK(ClassifyUnit(promo_ending_at(600, false)) == UnitClass::kPromo);
  CHECK(ClassifyUnit(promo_ending_at(601, false)) == UnitClass::kBody);
  CHECK(ClassifyUnit(promo_ending_at(600, true)) == UnitClass::kPromo);  // 602 input bytes
  CHECK(ClassifyUnit(promo_ending_at(601, true)) == UnitClass::kBody);

  const auto marker_ending_at = [](size_t end) {
    return std::string(end - 20, 'x') + " All Rights RESERVED";
  };
  CHECK(MatchMarker(marker_ending_at(4000)) == MarkerAction::kEndArticle);
  CHECK(MatchMarker(marker_ending_at(4001)) == MarkerAction::kNone);

  // The phrases are matched in the raw text: U+2019 before a phrase shifts its folded end.
  const auto marker_after_quotes = [](size_t raw_end, size_t quotes) {
    std::string s;
    for (size_t i = 0; i < quotes; ++i) s += "\xE2\x80\x99";
    return s + std::string(raw_end - 3 * quotes - 20, 'x') + " all rights reserved";
  };
  CHECK(MatchMarker(marker_after_quotes(4002, 1)) == MarkerAction::kEndArticle);  // folded end 4000
  CHECK(MatchMarker(marker_after_quotes(4003, 1)) == MarkerAction::kNone);
  CHECK(MatchMarker(marker_after_quotes(4010, 5)) == MarkerAction::kEndArticle);
  CHECK(MatchMarker(marker_after_quotes(4011, 5)) == MarkerAction::kNone);

  // Capitals anywhere in a phrase, and a phrase that ends the text (no byte after it).
  CHECK(ClassifyUnit("Do you want our NEWSLETTER") == UnitClass::kPromo);
  CHECK(ClassifyUnit("Would you SiGn-Up") == UnitClass::kPromo);
  CHECK(ClassifyUnit("Would you sign") == UnitClass::kHeadline);
  CHECK(MatchMarker("This story Originally Appeared On") == MarkerAction::kDrop);
  CHECK(MatchMarker("This story originally appeared") == MarkerAction::kNone);

  // Every offset of a phrase against the 16-byte blocks of the scan.
  for (size_t lead = 1; lead <= 40; ++lead) {
    const std::string pitch = std::string(lead, 'x') + " Sign up for alerts, you will not regret it";
    CHECK_MESSAGE(ClassifyUnit(pitch) == UnitClass::kPromo, pitch);
    const std::string credit = std::string(lead, 'x') + " originally published on Example";
    CHECK_MESSAGE(MatchMarker(credit) == MarkerAction::kDrop, credit);
  }
}

TEST_CASE("MatchMarker: word limits of contains markers") {
  const auto words = [](size_t n) {
    std::string s;
    for (size_t i = 0; i < n; ++i) s += "word ";
    return s;
  };
  // "all rights reserved" counts in paragraphs of at most 30 words (3 of them its own).
  CHECK(MatchMarker(words(27) + "all rights reserved") == MarkerAction::kEndArticle);
  CHECK(MatchMarker(words(28) + "all rights reserved") == MarkerAction::kNone);
  // "appeared first on" in at most 40 words.
  CHECK(MatchMarker(words(37) + "appeared first on") == MarkerAction::kDrop);
  CHECK(MatchMarker(words(38) + "appeared first on") == MarkerAction::kNone);
}

// BlockBuilder copies runs of text in one append; the result must be what the documented
// byte-by-byte rule gives: whitespace runs (and NBSP) become one space whose source is the run's
// first byte, leading and trailing whitespace is dropped, every other byte maps to its source.
TEST_CASE("BlockBuilder: collapsed text, per-byte sources and link counts") {
  std::vector<std::string> cases = {
      "alpha beta",
      "alpha  beta",
      "alpha\tbeta\nGamma",
      "alpha\xC2\xA0"
      "beta",
      "alpha \xC2\xA0 beta",
      "caf\xC3\xA9 \xC2\xA9 2024 r\xC3\xA9sum\xC3\xA9",
      "ends with lead byte \xC2",
      "\xC2\xC2\xA0x",
      "  lead and trail  ",
      "x y z w v u t s r q p o n m l k j i h g f e d c b a",
      "one\r\n two \v three\f four",
      "a \xC2",
      " ",
  };
  // Each kind of break at every offset of a text longer than two 16-byte blocks.
  for (const char* inset : {"\t", "  ", "\xC2\xA0", "\xC2\xA9", " \xC2\xA0", "\n", " \xC2", "\xC2 "}) {
    for (size_t at = 0; at <= 40; ++at) {
      std::string piece = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do";
      piece.insert(at, inset);
      cases.push_back(piece);
    }
  }
  constexpr size_t kBase = 1000;
  for (const std::string& piece : cases) {
    std::string want;
    std::vector<size_t> source;
    bool pending = false;
    size_t pending_source = 0;
    for (size_t i = 0; i < piece.size();) {
      const bool nbsp = piece[i] == '\xC2' && i + 1 < piece.size() && piece[i + 1] == '\xA0';
      const bool space = nbsp || std::string_view(" \t\n\r\f\v").find(piece[i]) != std::string_view::npos;
      if (space) {
        if (!want.empty() && !pending) {
          pending = true;
          pending_source = kBase + i;
        }
        i += nbsp ? 2 : 1;
        continue;
      }
      if (pending) {
        want += ' ';
        source.push_back(pending_source);
        pending = false;
      }
      want += piece[i];
      source.push_back(kBase + i);
      ++i;
    }
    BlockBuilder b;
    b.Append(piece, kBase, /*is_link=*/true);
    const Block block = b.Take(BlockKind::kParagraph);
    CHECK_MESSAGE(block.text == want, piece);
    CHECK_MESSAGE(block.link_chars == want.size(), piece);
    if (want.empty()) continue;
    Document doc;
    AssembleText({block}, &doc);
    for (size_t k = 0; k < want.size(); ++k) {
      CHECK_MESSAGE(doc.SourceOffset(k) == source[k], piece, " at ", k);
    }
  }
}

TEST_CASE("BlockBuilder records anchors where text and source stop advancing together") {
  BlockBuilder b;
  b.Append("  alpha   beta", 100);
  b.Append("gamma", 200);
  Block block = b.Take(BlockKind::kParagraph);
  CHECK(block.text == "alpha betagamma");
  Document doc;
  AssembleText({block}, &doc);
  CHECK(doc.SourceOffset(0) == 102);   // 'a' of alpha
  CHECK(doc.SourceOffset(6) == 110);   // 'b' of beta
  CHECK(doc.SourceOffset(10) == 200);  // 'g' of gamma
}

TEST_CASE("Cleaner: repeats are compared on letters and digits at every offset of the block scans") {
  // The keys are built 16 or 32 bytes at a time; non-ASCII characters stop a block early. The
  // repeat differs only in case, ASCII punctuation, curly quotes and an NBSP, so it has the same
  // key; the near repeat differs in one letter and is kept.
  for (size_t lead = 0; lead <= 40; ++lead) {
    const std::string pad = lead == 0 ? "" : std::string(lead, 'x') + " ";
    const std::string first = pad + "The caf\xC3\xA9 owners in Z\xC3\xBCrich said \"the wiper\" hit 42 tills.";
    const std::string repeat =
        pad + "THE CAF\xC3\xA9 OWNERS, in Z\xC3\xBCrich said \xE2\x80\x9Cthe\xC2\xA0wiper\xE2\x80\x9D hit 42 tills!";
    const std::string near = pad + "The caf\xC3\xA9 owners in Z\xC3\xBCrich said \"the wiper\" hit 43 tills.";
    CleanReport report;
    const std::string out = Clean(first + "\n\n" + repeat + "\n\n" + near + "\n", &report);
    CHECK_MESSAGE(report.duplicates == 1, first);
    CHECK_MESSAGE(out == first + "\n\n" + near, first);
  }
}

TEST_CASE("AnchorList: inline entries, spill to the heap, resize, copy and move") {
  const auto values = [](const AnchorList& l) {
    std::vector<size_t> v;
    for (const OffsetAnchor& a : l) v.push_back(a.text_offset * 100 + a.source_offset);
    return v;
  };
  AnchorList l;
  CHECK(l.empty());
  for (size_t n = 1; n <= 5; ++n) {
    l.push_back({n, n + 1});
    REQUIRE(l.size() == n);
    CHECK(l.back().text_offset == n);
    CHECK(l[0].source_offset == 2);
  }
  CHECK(values(l) == std::vector<size_t>{102, 203, 304, 405, 506});

  AnchorList copy = l;
  CHECK(values(copy) == values(l));
  AnchorList moved = std::move(copy);
  CHECK(values(moved) == values(l));
  CHECK(copy.empty());  // NOLINT(bugprone-use-after-move): a moved-from list is documented empty

  moved.resize(1);  // back inline, keeping the first
  CHECK(values(moved) == std::vector<size_t>{102});
  moved.resize(4);  // grows with default anchors
  CHECK(values(moved) == std::vector<size_t>{102, 0, 0, 0});
  moved.clear();
  CHECK(moved.empty());
  moved.push_back({7, 8});
  CHECK(values(moved) == std::vector<size_t>{708});

  AnchorList small;
  small.push_back({1, 1});
  AnchorList small_moved;
  small_moved = std::move(small);
  CHECK(values(small_moved) == std::vector<size_t>{101});
  CHECK(small.empty());  // NOLINT(bugprone-use-after-move)
}

}  // namespace prose2stix::ingest
