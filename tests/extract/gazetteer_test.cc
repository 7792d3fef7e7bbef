#include "prose2stix/extract/gazetteer.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include "testutil.h"

namespace prose2stix::extract {
namespace {

// "surface=kind:canonical" per match, "?" appended when ambiguous, joined by " | ".
std::string Describe(std::string_view text, const std::vector<GazetteerMatch>& matches) {
  std::string out;
  for (const GazetteerMatch& m : matches) {
    if (!out.empty()) out += " | ";
    out += std::string(text.substr(m.begin, m.end - m.begin)) + "=" +
           std::string(EntryKindName(m.entry->kind)) + ":" + std::string(m.entry->canonical);
    if (m.ambiguous) out += "?";
  }
  return out;
}

struct Case {
  const char* text;
  const char* want;  // Describe() of all matches
};

void RunCases(const Case* begin, const Case* end) {
  const Gazetteer& g = Gazetteer::Default();
  for (const Case* c = begin; c != end; ++c) {
    const std::string got = Describe(c->text, g.Find(c->text));
    const std::string text = c->text, want = c->want;
    CHECK_MESSAGE(got == want, "text: " << text << "\n  got:  " << got << "\n  want: " << want);
  }
}

TEST_CASE("Gazetteer finds threat actors by name and alias") {
  static const Case kCases[] = {
      {"APT28, which others call Fancy Bear, went after NATO members.",
       "APT28=threat-actor:APT28 | Fancy Bear=threat-actor:APT28 | "
       "NATO=organization:North Atlantic Treaty Organization"},
      {"Researchers tied the intrusions to Salt Typhoon and to Volt Typhoon.",
       "Salt Typhoon=threat-actor:Salt Typhoon | Volt Typhoon=threat-actor:Volt Typhoon"},
      {"Funds were moved by the Lazarus Group; Sandworm Team stayed quiet.",
       "Lazarus Group=threat-actor:Lazarus Group | Sandworm Team=threat-actor:Sandworm Team"},
      // Hyphen, space and no separator between letters and digits are one name.
      {"APT 28 / APT-28 / APT28", "APT 28=threat-actor:APT28 | APT-28=threat-actor:APT28 | APT28=threat-actor:APT28"},
      // House-style capitals and a lower-case generic second word are accepted for actors.
      {"FANCY BEAR and the Lazarus group", "FANCY BEAR=threat-actor:APT28 | Lazarus group=threat-actor:Lazarus Group"},
      // A proper name written all in lower case is not a name.
      {"a fancy bear costume and a salt typhoon", ""},
      // Common-word aliases are matched but flagged.
      {"Cobalt sent the lures.", "Cobalt=threat-actor:Cobalt Group?"},
      {"Storm-0558 forged tokens", "Storm-0558=threat-actor:Storm-0558"},
      // Inside words there is nothing to find.
      {"APT280 and XAPT28 and APT28b", ""},
      // A following group noun joins the name and settles a common-word alias.
      {"the Elfin Group and the Cobalt gang", "Elfin Group=threat-actor:APT33 | Cobalt gang=threat-actor:Cobalt Group"},
      // A following software noun makes the actor name doubtful.
      {"Akira ransomware and the Lazarus RAT", "Akira=threat-actor:Akira? | Lazarus=threat-actor:Lazarus Group?"},
      // Stop phrases hide names inside product names.
      {"Cobalt Strike beacons and the Equation Editor flaw", ""},
      // ... but a vendor's name in a product name is the vendor.
      {"Microsoft Exchange servers", "Microsoft=organization:Microsoft"},
      // No name spans a blank line or a wide gap of layout.
      {"Fancy\n\nBear and Fancy\nBear", "Fancy\nBear=threat-actor:APT28"},
      {"Fancy                                        Bear", ""},
  };
  RunCases(std::begin(kCases), std::end(kCases));
}

TEST_CASE("Gazetteer finds countries by name, short form and demonym") {
  static const Case kCases[] = {
      {"Officials in the U.S. and Britain blamed Chinese hackers.",
       "U.S.=country:United States | Britain=country:United Kingdom | Chinese=country:China"},
      {"North Korea's army and the United Kingdom", "North Korea=country:North Korea | United Kingdom=country:United Kingdom"},
      {"North Korean operators", "North Korean=country:North Korea"},
      {"Czech Republic officials and Czechia", "Czech Republic=country:Czech Republic | Czechia=country:Czech Republic"},
      {"Georgia reported the incident.", "Georgia=country:Georgia"},
      {"Jordan Smith met Chad Miller.", "Jordan=country:Jordan? | Chad=country:Chad?"},
      {"US agencies and the USA", "US=country:United States | USA=country:United States"},
      {"DPRK and PRC and the UK", "DPRK=country:North Korea | PRC=country:China | UK=country:United Kingdom"},
      {"China\xE2\x80\x99s and China's", "China=country:China | China=country:China"},
      {"Russian and Iranian groups", "Russian=country:Russia | Iranian=country:Iran"},
      {"South Korean firms in South Korea", "South Korean=country:South Korea | South Korea=country:South Korea"},
      // Not countries: parts of words, other words, lower case.
      {"Chinatown shop sold a USB stick; it was cheap. let us go. china plates", ""},
      {"Guinea-Bissau and Guinea Bissau", "Guinea-Bissau=country:Guinea-Bissau | Guinea Bissau=country:Guinea-Bissau"},
      {"Iranians and Israelis, not New Jersey or New Guinea", "Iranians=country:Iran | Israelis=country:Israel"},
      // Language names double as demonyms: some are flagged.
      {"a Persian-language lure in English", "Persian=country:Iran? | English=country:United Kingdom?"},
      {"Russian-speaking forums and Russian operators", "Russian=country:Russia? | Russian=country:Russia"},
  };
  RunCases(std::begin(kCases), std::end(kCases));
}

TEST_CASE("Gazetteer finds regions") {
  static const Case kCases[] = {
      {"targets in Western Europe and the Middle East", "Western Europe=region:Western Europe | Middle East=region:Western Asia"},
      {"Southeast Asia, Europe and Latin America",
       "Southeast Asia=region:South-eastern Asia | Europe=region:Europe | Latin America=region:Latin America and the Caribbean"},
      {"North American and South American firms", "North American=region:Northern America | South American=region:South America"},
      {"Middle Eastern and European targets, not the European Union",
       "Middle Eastern=region:Western Asia | European=region:Europe | European Union=organization:European Union"},
  };
  RunCases(std::begin(kCases), std::end(kCases));
}

TEST_CASE("Gazetteer finds sectors in any case") {
  static const Case kCases[] = {
      {"telecommunications providers and Government agencies",
       "telecommunications providers=sector:telecommunications | Government agencies=sector:government"},
      {"Critical infrastructure and hospitals", "Critical infrastructure=sector:infrastructure | hospitals=sector:healthcare"},
      {"universities, think tanks and NGOs",
       "universities=sector:education | think tanks=sector:non profit | NGOs=sector:non profit"},
      {"defense contractors and oil and gas firms",
       "defense contractors=sector:defense | oil and gas=sector:energy"},
      {"telcos and ISPs", "telcos=sector:telecommunications | ISPs=sector:telecommunications"},
      // Sector acronyms keep their case; phrases with a second meaning are flagged.
      {"isps it", ""},
      {"the government said", "government=sector:government?"},
      // A capitalised sector word inside an organisation's name is flagged.
      {"Michigan State University and the Ministry of Culture; Universities too",
       "University=sector:education? | Ministry=sector:government? | Universities=sector:education"},
      // A following "sector"/"industry" joins the phrase and settles it.
      {"the energy sector and the gaming industry", "energy sector=sector:energy | gaming industry=sector:entertainment"},
      // "port" is a network port, "infrastructure" usually the attacker's; a banking trojan is
      // malware, not a bank.
      {"port 443 on their infrastructure", ""},
      {"a Banking Trojan aimed at banks", "banks=sector:financial services"},
  };
  RunCases(std::begin(kCases), std::end(kCases));
}

TEST_CASE("Gazetteer finds organisations and news outlets") {
  static const Case kCases[] = {
      {"The FBI and NSA, with the U.S. Treasury, named the Ministry of State Security.",
       "FBI=organization:Federal Bureau of Investigation | NSA=organization:National Security Agency | "
       "U.S. Treasury=organization:Department of the Treasury | "
       "Ministry of State Security=organization:Ministry of State Security"},
      {"People's Liberation Army and People\xE2\x80\x99s Liberation Army",
       "People's Liberation Army=organization:People's Liberation Army | "
       "People\xE2\x80\x99s Liberation Army=organization:People's Liberation Army"},
      {"The record shows it; The Record reported it.", "The Record=news-outlet:The Record"},
      {"The Wall Street Journal first reported it, citing Reuters.",
       "The Wall Street Journal=news-outlet:The Wall Street Journal | Reuters=news-outlet:Reuters"},
      {"Mandiant and Unit 42 and CrowdStrike", "Mandiant=organization:Mandiant | Unit 42=organization:Palo Alto Networks | "
                                              "CrowdStrike=organization:CrowdStrike"},
      // Long brand names tolerate other inner capitals; short acronyms do not.
      {"Github and Zscaler and ZScaler", "Github=organization:GitHub | Zscaler=organization:Zscaler | ZScaler=organization:Zscaler"},
      {"Great work, Fbi", ""},
      // A lower-case phrase is not a proper name.
      {"the ministry of state security", "ministry=sector:government"},
  };
  RunCases(std::begin(kCases), std::end(kCases));
}

TEST_CASE("Gazetteer offsets point at the matched bytes") {
  const Gazetteer& g = Gazetteer::Default();
  const std::string text = "Hackers from  Iran\n and Fancy\u00a0Bear.";
  const auto m = g.Find(text);
  REQUIRE(m.size() == 2);
  CHECK(text.substr(m[0].begin, m[0].end - m[0].begin) == "Iran");
  CHECK(text.substr(m[1].begin, m[1].end - m[1].begin) == "Fancy\u00a0Bear");
  CHECK(m[1].surface == "Fancy Bear");
  CHECK(m[1].entry->external_id == "G0007");
}

TEST_CASE("Gazetteer is safe to share between threads") {
  const std::string text = "Salt Typhoon and APT28 hit U.S. telecommunications providers; the FBI and CISA said.";
  const size_t want = Gazetteer::Default().Find(text).size();
  REQUIRE(want == 6);
  std::vector<size_t> got(4, 0);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < got.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) got[t] += Gazetteer::Default().Find(text).size();
    });
  }
  for (std::thread& th : threads) th.join();
  for (size_t n : got) CHECK(n == want * 200);
}

TEST_CASE("Gazetteer Lookup and CountryByCode") {
  const Gazetteer& g = Gazetteer::Default();
  const GazetteerEntry* apt28 = g.Lookup(EntryKind::kThreatActor, "fancy bear");
  REQUIRE(apt28 != nullptr);
  CHECK(apt28->canonical == "APT28");
  CHECK(apt28->code == "RU");
  CHECK(g.Lookup(EntryKind::kThreatActor, "Sofacy") == apt28);
  CHECK(g.Lookup(EntryKind::kThreatActor, "APT 28") == apt28);
  CHECK(g.Lookup(EntryKind::kCountry, "Fancy Bear") == nullptr);

  const GazetteerEntry* american = g.Lookup(EntryKind::kCountry, "American");
  REQUIRE(american != nullptr);
  CHECK(american->code == "US");
  CHECK(american->subtype == "demonym");
  const GazetteerEntry* us = g.CountryByCode("US");
  REQUIRE(us != nullptr);
  CHECK(us->canonical == "United States");
  CHECK(us->subtype == "name");
  CHECK(us->region == "northern-america");
  CHECK(g.CountryByCode("GB")->canonical == "United Kingdom");
  CHECK(g.CountryByCode("gb") == nullptr);
  CHECK(g.CountryByCode("ZZ") == nullptr);

  const GazetteerEntry* telco = g.Lookup(EntryKind::kSector, "Telcos");
  REQUIRE(telco != nullptr);
  CHECK(telco->code == "telecommunications");
  const GazetteerEntry* fin = g.Lookup(EntryKind::kSector, "financial-services");
  REQUIRE(fin != nullptr);
  CHECK(fin->canonical == "financial services");
  CHECK(g.Lookup(EntryKind::kSector, "Financial Services") == fin);
  const GazetteerEntry* we = g.Lookup(EntryKind::kRegion, "western europe");
  REQUIRE(we != nullptr);
  CHECK(we->code == "western-europe");
  CHECK(we->region == "europe");
  CHECK(g.Lookup(EntryKind::kRegion, "western-europe") == we);
  CHECK(g.Lookup(EntryKind::kRegion, "Middle East")->code == "western-asia");
  const GazetteerEntry* fbi = g.Lookup(EntryKind::kOrganization, "FBI");
  REQUIRE(fbi != nullptr);
  CHECK(fbi->subtype == "government");
  CHECK(fbi->code == "US");
  CHECK(g.Lookup(EntryKind::kNewsOutlet, "wall street journal") != nullptr);
}

TEST_CASE("Gazetteer embedded tables parse completely") {
  const auto start = std::chrono::steady_clock::now();
  auto loaded = Gazetteer::Load(embedded::data());
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  REQUIRE_MESSAGE(loaded.ok(), loaded.status().ToString());
  const Gazetteer& g = **loaded;
  MESSAGE("gazetteer: " << g.size() << " entries, " << g.surface_count() << " surfaces, built in " << ms << " ms");
  CHECK(g.size() == Gazetteer::Default().size());
  size_t counts[6] = {};
  for (const GazetteerEntry& e : g.entries()) {
    ++counts[static_cast<size_t>(e.kind)];
    CHECK_MESSAGE(!e.canonical.empty(), EntryKindName(e.kind));
    if (e.kind == EntryKind::kCountry) CHECK_MESSAGE(!e.region.empty(), e.canonical);
    if (e.kind == EntryKind::kSector || e.kind == EntryKind::kRegion) CHECK_MESSAGE(!e.code.empty(), e.canonical);
    for (std::string_view a : e.aliases) CHECK_MESSAGE(!a.empty(), e.canonical);
  }
  CHECK(counts[static_cast<size_t>(EntryKind::kThreatActor)] > 800);
  CHECK(counts[static_cast<size_t>(EntryKind::kCountry)] > 240);
  CHECK(counts[static_cast<size_t>(EntryKind::kRegion)] >= 25);
  CHECK(counts[static_cast<size_t>(EntryKind::kSector)] == 34);
  CHECK(counts[static_cast<size_t>(EntryKind::kOrganization)] > 100);
  CHECK(counts[static_cast<size_t>(EntryKind::kNewsOutlet)] > 30);
}

TEST_CASE("Gazetteer Load reports malformed tables") {
  const std::string good_common = "# comment\nCobalt\tthreat-actor\tdictionary\n";
  std::vector<embedded::File> files = {
      {"threat_actors.tsv", "APT1\tComment Crew\tCN\tmisp\tG0006\n"},
      {"countries.tsv", "CN\tChina\t\tPRC\tChinese\teastern-asia\tasia\nXX\tNowhere\n"},
      {"regions.tsv", ""},
      {"sectors.tsv", ""},
      {"organizations.tsv", ""},
      {"news_outlets.tsv", ""},
      {"common_words.tsv", good_common},
      {"stop_phrases.tsv", "Cobalt Strike\thand\n"},
  };
  auto r = Gazetteer::Load(files);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().context() == "countries.tsv:2");

  files[1].data = "CN\tChina\t\tPRC\tChinese\teastern-asia\tasia\n";
  auto ok = Gazetteer::Load(files);
  REQUIRE_MESSAGE(ok.ok(), ok.status().ToString());
  CHECK((*ok)->size() == 4);  // APT1, and China as name, short form and demonym
}

TEST_CASE("Gazetteer tables are up to date with tools/gen_gazetteers.py") {
  namespace fs = std::filesystem;
  if (!testing::SharedAvailable() || !fs::exists("/usr/share/iso-codes/json/iso_3166-1.json") ||
      std::system("python3 --version >/dev/null 2>&1") != 0) {
    MESSAGE("skipped: needs ../shared, iso-codes and python3");
    return;
  }
  const std::string out = testing::TempDir();
  const std::string cmd = "python3 '" + testing::SourceDir() + "/tools/gen_gazetteers.py' --shared '" +
                          testing::SharedDir() + "/data' --out '" + out + "' 2>/dev/null";
  REQUIRE(std::system(cmd.c_str()) == 0);
  size_t compared = 0;
  for (const auto& f : fs::directory_iterator(out)) {
    const std::string name = f.path().filename().string();
    const std::string committed = testing::SourceDir() + "/src/prose2stix/data/" + name;
    REQUIRE_MESSAGE(fs::exists(committed), name << " is generated but not committed");
    CHECK_MESSAGE(testing::ReadTestFile(f.path().string()) == testing::ReadTestFile(committed),
                  name << " differs from the generator's output: rerun tools/gen_gazetteers.py");
    ++compared;
  }
  CHECK(compared == 8);
  fs::remove_all(out);
}

TEST_CASE("Gazetteer knows every ATT&CK group and Microsoft actor name") {
  if (!testing::SharedAvailable()) {
    MESSAGE("skipped: needs ../shared");
    return;
  }
  const Gazetteer& g = Gazetteer::Default();
  size_t groups = 0, aliases = 0, aliases_found = 0;
  for (const char* domain : {"enterprise", "ics", "mobile"}) {
    const std::string json = testing::ReadTestFile(testing::SharedDir() + "/data/attack/" + domain + "-attack.json");
    rapidjson::Document doc;
    doc.Parse(json.c_str(), json.size());
    REQUIRE_FALSE(doc.HasParseError());
    for (const auto& o : doc["objects"].GetArray()) {
      if (std::string_view(o["type"].GetString()) != "intrusion-set") continue;
      if ((o.HasMember("revoked") && o["revoked"].GetBool()) ||
          (o.HasMember("x_mitre_deprecated") && o["x_mitre_deprecated"].GetBool())) {
        continue;
      }
      std::string gid;
      for (const auto& r : o["external_references"].GetArray()) {
        if (std::string_view(r["source_name"].GetString()) == "mitre-attack") gid = r["external_id"].GetString();
      }
      const std::string name = o["name"].GetString();
      const GazetteerEntry* e = g.Lookup(EntryKind::kThreatActor, name);
      CHECK_MESSAGE(e != nullptr, name);
      if (e != nullptr) CHECK_MESSAGE(e->external_id == gid, name << " -> " << e->canonical);
      ++groups;
      if (!o.HasMember("aliases")) continue;
      for (const auto& a : o["aliases"].GetArray()) {
        ++aliases;
        aliases_found += g.Lookup(EntryKind::kThreatActor, a.GetString()) != nullptr;
      }
    }
  }
  MESSAGE(groups << " ATT&CK groups; " << aliases_found << " of " << aliases << " aliases known");
  CHECK(groups > 150);
  CHECK(aliases_found * 100 >= aliases * 95);

  const std::string ms = testing::ReadTestFile(testing::SharedDir() + "/data/gazetteers/microsoft-threat-actor-naming.json");
  rapidjson::Document doc;
  doc.Parse(ms.c_str(), ms.size());
  REQUIRE(doc.IsArray());
  for (const auto& row : doc.GetArray()) {
    const std::string name = row["Threat actor name"].GetString();
    CHECK_MESSAGE(g.Lookup(EntryKind::kThreatActor, name) != nullptr, name);
  }
}

}  // namespace
}  // namespace prose2stix::extract
