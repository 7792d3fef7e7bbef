// Table-driven tests of entity and relation extraction on sentences written for these tests.
// Each case lists entities that must be found ("type:name", matched on name or alias), entities
// that must not, and relations that must and must not be stated ("source|type|target").
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "prose2stix/convert/pipeline.h"
#include "prose2stix/extract/entity_extractor.h"
#include "testutil.h"

namespace prose2stix::extract {

namespace {

struct Case {
  const char* text;
  std::vector<const char*> entities;
  std::vector<const char*> not_entities;
  std::vector<const char*> relations;
  std::vector<const char*> not_relations;
};

const convert::Converter& TheConverter() { return testing::FixedTimeConverter(); }

std::string TypeKey(const Entity& e) { return std::string(EntityTypeName(e.type)); }

// Index of the entity "type:name" (name or any alias, compared by NameKey), or -1.
int FindEntity(const Analysis& a, const std::string& spec) {
  size_t colon = spec.find(':');
  std::string type = spec.substr(0, colon), key = NameKey(spec.substr(colon + 1));
  for (size_t i = 0; i < a.entities.size(); ++i) {
    const Entity& e = a.entities[i];
    if (TypeKey(e) != type) continue;
    if (NameKey(e.name) == key || NameKey(e.sector) == key || NameKey(e.country) == key) return static_cast<int>(i);
    for (const std::string& al : e.aliases)
      if (NameKey(al) == key) return static_cast<int>(i);
  }
  return -1;
}

bool HasRelation(const Analysis& a, const std::string& spec) {
  size_t p1 = spec.find('|'), p2 = spec.find('|', p1 + 1);
  std::string src = spec.substr(0, p1), type = spec.substr(p1 + 1, p2 - p1 - 1), tgt = spec.substr(p2 + 1);
  int s = FindEntity(a, src), t = FindEntity(a, tgt);
  if (s < 0 || t < 0) return false;
  return std::any_of(a.relations.begin(), a.relations.end(),
                     [&](const Relation& r) { return r.source == s && r.target == t && r.type == type; });
}

std::string Dump(const Analysis& a) {
  std::string out = "entities:";
  for (const Entity& e : a.entities) out += " [" + TypeKey(e) + ":" + e.name + "]";
  out += "\nrelations:";
  for (const Relation& r : a.relations)
    out += " [" + a.entities[static_cast<size_t>(r.source)].name + "|" + r.type + "|" +
           a.entities[static_cast<size_t>(r.target)].name + "]";
  return out;
}

const Case kCases[] = {
    {"APT41, a China-linked group, targeted telecommunications providers in Taiwan.",
     {"threat-actor:APT41", "country:CN", "sector:telecommunications", "country:TW"},
     {},
     {"threat-actor:APT41|located-at|country:CN", "threat-actor:APT41|targets|sector:telecommunications",
      "threat-actor:APT41|targets|country:TW"},
     {"threat-actor:APT41|targets|country:CN"}},
    {"Investigators say the hacker group known as \"Granite Harbor\" breached two hospitals last spring.",
     {"threat-actor:Granite Harbor", "sector:healthcare"},
     {},
     {"threat-actor:Granite Harbor|targets|sector:healthcare"},
     {}},
    {"Storm-0558 compromised mailboxes at government agencies in Western Europe.",
     {"threat-actor:Storm-0558", "sector:government", "region:Western Europe"},
     {},
     {"threat-actor:Storm-0558|targets|sector:government"},
     {}},
    // A capital that speaks stands for the government, seated in its country.
    {"Beijing denied the accusations on Monday and called them baseless.",
     {"organization:Government of China", "country:CN"},
     {"organization:Beijing", "city:Beijing"},
     {"organization:Government of China|located-at|country:CN"},
     {}},
    {"The group said the attackers used phishing against victims and partners.",
     {},
     {"threat-actor:group", "threat-actor:attackers", "organization:victims"},
     {},
     {}},
    {"The Wall Street Journal reported that Volt Typhoon targeted port operators.",
     {"threat-actor:Volt Typhoon"},
     {"organization:The Wall Street Journal", "organization:Wall Street Journal"},
     {"threat-actor:Volt Typhoon|located-at|country:CN"},
     {}},
    {"FBI Deputy Assistant Director Brett Leatherman described the breach as severe.",
     {"person:Brett Leatherman", "organization:FBI"},
     {"organization:Brett Leatherman"},
     {},
     {}},
    {"Larkspur Digital Technology Co., Ltd. provided hacking tools to the Ministry of State Security. "
     "Larkspur Digital has denied the claims.",
     {"organization:Larkspur Digital Technology Co., Ltd.", "organization:Ministry of State Security"},
     {"organization:Larkspur Digital"},
     {"organization:Larkspur Digital Technology Co., Ltd.|related-to|organization:Ministry of State Security"},
     {}},
    {"Ember Typhoon has been active since 2019. The group targeted energy companies in Vietnam.",
     {"threat-actor:Ember Typhoon", "sector:energy", "country:VN"},
     {},
     {"threat-actor:Ember Typhoon|targets|sector:energy", "threat-actor:Ember Typhoon|targets|country:VN",
      "threat-actor:Ember Typhoon|located-at|country:CN"},
     {}},
    {"APT40 is sponsored by the Ministry of State Security, according to the advisory.",
     {"threat-actor:APT40", "organization:Ministry of State Security"},
     {},
     {"threat-actor:APT40|attributed-to|organization:Ministry of State Security"},
     {}},
    {"Mandiant linked the intrusions to UNC3886 in a report on Tuesday.",
     {"threat-actor:UNC3886", "organization:Mandiant"},
     {},
     {},
     {"threat-actor:UNC3886|attributed-to|organization:Mandiant"}},
    {"Defense contractors in Israel were targeted by Imperial Kitten.",
     {"threat-actor:Imperial Kitten", "sector:defense", "country:IL"},
     {},
     {"threat-actor:Imperial Kitten|targets|sector:defense", "threat-actor:Imperial Kitten|targets|country:IL",
      "threat-actor:Imperial Kitten|located-at|country:IR"},
     {}},
    {"Flax Typhoon and Linen Typhoon targeted universities in the United States.",
     {"threat-actor:Flax Typhoon", "threat-actor:Linen Typhoon", "country:US"},
     {},
     {"threat-actor:Flax Typhoon|targets|country:US", "threat-actor:Linen Typhoon|targets|country:US"},
     {}},
    {"Chinese hackers stole data from a Chinatown restaurant supplier.",
     {"country:CN"},
     {"country:US"},
     {},
     {}},
    // Sector words in a list before a capitalised head, adjective forms included.
    {"The loader was seen against the Mining, Agricultural, Educational and Financial Sectors in 2024.",
     {"sector:mining", "sector:agriculture", "sector:education", "sector:financial-services"},
     {},
     {},
     {}},
    // Ambiguous sector words: objects of a targeting verb count, incidental uses do not.
    {"Quartz Tempest kept targeting insurance, construction and shipping in Norway. Its operators "
     "wiped the IT systems of one victim, and police later said the binary construction was sloppy.",
     {"threat-actor:Quartz Tempest", "sector:insurance", "sector:construction", "sector:transportation"},
     {"sector:technology", "sector:government-emergency-services"},
     {"threat-actor:Quartz Tempest|targets|sector:insurance"},
     {}},
    {"Small businesses in the enterprise software market reported nothing unusual. Governments and "
     "companies should work together.",
     {},
     {"sector:commercial", "sector:government"},
     {},
     {}},
    // Organisations: ordinary capitalised words before a designator are no name; "of" and a
    // proper name extend one; a vendor and its product are no organisation.
    {"Analysts at Brightline Consulting offer Risk Intelligence services to clients. The payload "
     "came from the website of the Polytechnic College of Nepal, hidden in Microsoft Office documents.",
     {"organization:Brightline Consulting", "organization:Polytechnic College of Nepal"},
     {"organization:Risk Intelligence", "organization:Microsoft Office"},
     {},
     {}},
    // The state as an organisation, however the text names it.
    {"The Government of Ghana said nothing, while Peruvian government-linked operators and the "
     "Chilean government were blamed.",
     {"organization:Government of Ghana", "organization:Government of Peru", "organization:Government of Chile"},
     {"sector:government"},
     {},
     {}},
    // A list of names whose intro says what they are.
    {"The injects targeted the login portals of these banks:\nNorrland Sparbank\nKVB\nAmazon\nFjordbank Group\n",
     {"organization:Norrland Sparbank", "organization:KVB", "organization:Fjordbank Group"},
     {},
     {},
     {}},
    // A company name with a legal form fills its table cell, lower-case words and all.
    {"| Company | Role |\n| Wuxi shenghua Network Technology Co., Ltd | front |\n",
     {"organization:Wuxi shenghua Network Technology Co., Ltd"},
     {},
     {},
     {}},
    // Actors: a name coordinated with a known actor after a group noun is one; a family word
    // inside a longer proper name is none.
    {"The loader was used by state-backed groups such as APT33 and Marrowfin. Source: Old Bear Press.",
     {"threat-actor:APT33", "threat-actor:Marrowfin"},
     {"threat-actor:Old Bear"},
     {},
     {}},
    // A passive target is in the subject, not in a modifier of it.
    {"Organizations in sectors of interest for the government of Ghana could be targeted by APT10.",
     {"threat-actor:APT10", "organization:Government of Ghana"},
     {},
     {},
     {"threat-actor:APT10|targets|organization:Government of Ghana"}},
    // Weak cues bind the nearest name; semicolons end a clause.
    {"Analysts list APT15 and APT27; the Department of Justice charged two Kenyan engineers associated "
     "with the APT1 group, while Vellumex Systems was sanctioned by the Treasury for its ties to APT1.",
     {"threat-actor:APT1", "organization:Department of Justice", "organization:Vellumex Systems"},
     {},
     {"threat-actor:APT1|attributed-to|organization:Vellumex Systems"},
     {"threat-actor:APT1|attributed-to|organization:Department of Justice",
      "threat-actor:APT15|attributed-to|organization:Department of Justice"}},
    // The organisation after an attribution cue is its object only when it follows it closely.
    {"Marrowfin researchers saw Ember Typhoon in a campaign attributed to APT41 which exploits flaws in "
     "products of Contoso Networks.",
     {"threat-actor:Ember Typhoon", "threat-actor:APT41", "organization:Contoso Networks"},
     {"threat-actor:Advanced Persistent Group"},
     {},
     {"threat-actor:Ember Typhoon|attributed-to|organization:Contoso Networks",
      "threat-actor:APT41|attributed-to|organization:Contoso Networks"}},
    // Named things that are no groups, titles that are no organisations.
    {"A group of activists launched a site called Kestrelwatch, said the VP of Intelligence at Norrland "
     "Sparbank, while patients of Malmo University Clinic waited.",
     {},
     {"threat-actor:Kestrelwatch", "organization:VP of Intelligence", "organization:Clinic"},
     {},
     {}},
    // A known acronym in parentheses joins the name before it, whatever its letters.
    {"The group is believed to be part of Russia's Foreign Intelligence Service (SVR), and the SVR denies it.",
     {"organization:SVR", "organization:Foreign Intelligence Service"},
     {},
     {},
     {}},
    // An organisation placed by an appositive and acting for another.
    {"Prosecutors said the men worked for Kavir Systems, a Tehran-based company that ran operations on "
     "behalf of the Islamic Revolutionary Guard Corps.",
     {"organization:Kavir Systems", "organization:Islamic Revolutionary Guard Corps", "city:Tehran"},
     {},
     {"organization:Kavir Systems|located-at|city:Tehran",
      "organization:Kavir Systems|related-to|organization:Islamic Revolutionary Guard Corps"},
     {"organization:Islamic Revolutionary Guard Corps|related-to|organization:Kavir Systems"}},
    // "the company" in a later sentence is the last company named.
    {"Investigators linked the intrusions to Kavir Systems. The Office of Foreign Assets Control later "
     "sanctioned the company.",
     {"organization:Kavir Systems", "organization:Office of Foreign Assets Control"},
     {},
     {"organization:Kavir Systems|related-to|organization:Office of Foreign Assets Control"},
     {}},
    // The employer of a title, a cue noun before a name, a capital that has not commented.
    {"Funds left the cryptocurrency exchange Norbit overnight, said Ana Ruiz, the chief executive of "
     "Vantora. Pyongyang has not commented.",
     {"organization:Norbit", "organization:Vantora", "organization:Government of North Korea"},
     {"city:Pyongyang"},
     {},
     {}},
    // "Victims included ..." names the last actor's targets.
    {"UNC4990 exploited edge appliances in 2024. Victims included defense contractors and telecommunications "
     "providers in Southeast Asia.",
     {"threat-actor:UNC4990", "sector:defense", "sector:telecommunications"},
     {},
     {"threat-actor:UNC4990|targets|sector:defense", "threat-actor:UNC4990|targets|sector:telecommunications"},
     {}},
    // A sector word that modifies another noun after a targeting verb names no sector.
    {"Ember Typhoon compromised the IT environments of several ports and targeted communications, energy "
     "and transportation sectors.",
     {"sector:communications", "sector:energy", "sector:transportation"},
     {"sector:technology"},
     {"threat-actor:Ember Typhoon|targets|sector:communications"},
     {}},
    // A long list of sectors after "sectors such as", ambiguous words included; a head noun right
    // after "and" is coordinated, not modified.
    {"Quartz Tempest targets organizations from various sectors such as defense, energy, health, "
     "telecommunications, governments, military, shipping and IT. Governments and companies should "
     "patch.",
     {"sector:defense", "sector:energy", "sector:healthcare", "sector:telecommunications", "sector:government",
      "sector:transportation", "sector:technology"},
     {},
     {"threat-actor:Quartz Tempest|targets|sector:transportation", "threat-actor:Quartz Tempest|targets|sector:technology"},
     {}},
    // Indicator tables, registry paths and JSON name no organisations.
    {"Ember Typhoon used 185.19.85[.]139; AS48971 - NORTHWIND-AS; Northwind Hosting AG; CH. "
     "It persisted under HKEY_CURRENT_USER\\Software\\Contoso Labs\\Run.",
     {"threat-actor:Ember Typhoon"},
     {"organization:Northwind Hosting AG", "organization:Contoso Labs"},
     {},
     {}},
    // Bulleted lists where organisations dominate type their untyped items as organisations; each
    // list on its own, the second after the first has added its items.
    {"The phishing pages imitated these brands:\n* Litware Inc.\n* Wingtip Toys Ltd\n* Proseware\n\n"
     "The operators later impersonated:\n* Contoso Ltd\n* Fabrikam GmbH\n* Adatum\n",
     {"organization:Proseware", "organization:Adatum", "organization:Fabrikam GmbH"},
     {},
     {},
     {}},
    // Three addresses make a line data, wherever they sit in it (the scan skips 16 bytes at a time).
    {"Ember Typhoon rented its staging servers from Northwind Hosting AG at 10.20.30.40, 10.20.30.41 "
     "and 10.20.30.42.",
     {"threat-actor:Ember Typhoon"},
     {"organization:Northwind Hosting AG"},
     {},
     {}},
    // A first group of four digits begins no address, so version numbers keep a line prose.
    {"Ember Typhoon rented its staging servers from Northwind Hosting AG, which shipped builds "
     "2024.10.20.30, 2024.10.20.31 and 2024.10.20.32.",
     {"threat-actor:Ember Typhoon", "organization:Northwind Hosting AG"},
     {},
     {},
     {}},
    // Five dotted groups hold two addresses (from the first and from the second group on): with a
    // third address the line is data.
    {"Ember Typhoon rented its staging servers from Northwind Hosting AG at 10.20.30.40.50 and "
     "10.20.30.41.",
     {"threat-actor:Ember Typhoon"},
     {"organization:Northwind Hosting AG"},
     {},
     {}},
    // Three groups are no address: the line stays prose.
    {"Ember Typhoon rented its staging servers from Northwind Hosting AG at 10.20.30, 10.20.31 and "
     "10.20.32.",
     {"threat-actor:Ember Typhoon", "organization:Northwind Hosting AG"},
     {},
     {},
     {}},
};

}  // namespace

TEST_CASE("NameKey folds case, separators and punctuation") {
  static const std::pair<const char*, const char*> kCases[] = {
      {"U.S. Treasury", "us treasury"},
      {"The Lazarus Group", "lazarus group"},
      {"Salt  Typhoon", "salt typhoon"},
      {"Sichuan-Juxinhe_Network", "sichuan juxinhe network"},
      {"  \"APT28\",\t\n", "apt28"},
      {"\xC3\x89TAT Fran\xC3\xA7" "ais", "\xC3\x89tat fran\xC3\xA7" "ais"},  // only ASCII letters fold
      {"the", "the"},
      {"", ""},
  };
  for (const auto& [in, want] : kCases) CHECK_MESSAGE(NameKey(in) == want, "name '" << in << "'");
}

TEST_CASE("extraction table") {
  for (const Case& c : kCases) {
    Analysis a = TheConverter().Analyze(c.text);
    // doctest prints a const char* as a pointer: give it strings.
    const std::string text(c.text), dump = Dump(a);
    for (const char* e : c.entities)
      CHECK_MESSAGE(FindEntity(a, e) >= 0, text << "\nmissing " << std::string(e) << "\n" << dump);
    for (const char* e : c.not_entities)
      CHECK_MESSAGE(FindEntity(a, e) < 0, text << "\nunexpected " << std::string(e) << "\n" << dump);
    for (const char* r : c.relations)
      CHECK_MESSAGE(HasRelation(a, r), text << "\nmissing " << std::string(r) << "\n" << dump);
    for (const char* r : c.not_relations)
      CHECK_MESSAGE(!HasRelation(a, r), text << "\nunexpected " << std::string(r) << "\n" << dump);
  }
}

TEST_CASE("a known acronym in parentheses is the same organisation") {
  Analysis a = TheConverter().Analyze("The group is part of Russia's Foreign Intelligence Service (SVR), officials said.");
  CHECK(FindEntity(a, "organization:SVR") >= 0);
  CHECK(FindEntity(a, "organization:SVR") == FindEntity(a, "organization:Foreign Intelligence Service"));
}

TEST_CASE("aliases in the text merge into one actor") {
  Analysis a = TheConverter().Analyze(
      "Midnight Blizzard, also known as Nobelium and Cozy Bear, is a Russian state-sponsored espionage group.");
  int n = 0;
  for (const Entity& e : a.entities) n += e.type == EntityType::kThreatActor;
  CHECK_MESSAGE(n == 1, Dump(a));
  int actor = FindEntity(a, "threat-actor:Cozy Bear");
  REQUIRE(actor >= 0);
  CHECK(FindEntity(a, "threat-actor:Nobelium") == actor);
  CHECK(FindEntity(a, "threat-actor:Midnight Blizzard") == actor);
  const Entity& e = a.entities[static_cast<size_t>(actor)];
  CHECK(std::find(e.threat_actor_types.begin(), e.threat_actor_types.end(), "nation-state") != e.threat_actor_types.end());
  CHECK(std::find(e.threat_actor_types.begin(), e.threat_actor_types.end(), "spy") != e.threat_actor_types.end());
  CHECK(HasRelation(a, "threat-actor:Cozy Bear|located-at|country:RU"));
}

TEST_CASE("a name is typed once per document") {
  Analysis a = TheConverter().Analyze(
      "Researchers at Harborview Security said the Sandfly group stole data from banks. "
      "Harborview Security published indicators. The Sandfly group used new malware in the attacks.");
  int org = FindEntity(a, "organization:Harborview Security");
  CHECK_MESSAGE(org >= 0, Dump(a));
  CHECK(FindEntity(a, "threat-actor:Harborview Security") < 0);
  if (org >= 0) CHECK(a.entities[static_cast<size_t>(org)].mentions.size() == 2);
}

}  // namespace prose2stix::extract
