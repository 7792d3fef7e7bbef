#include "prose2stix/ingest/feed_reader.h"

#include <doctest/doctest.h>

#include <string>

#include "prose2stix/ingest/reader.h"

namespace prose2stix::ingest {

namespace {
bool Has(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }
}  // namespace

TEST_CASE("ReadFeed: RSS 2.0 items become documents") {
  const std::string rss = R"(<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Example Threat Blog</title><link>https://blog.example.org/</link>
<item>
  <title>New loader &amp; its C2</title>
  <link>https://blog.example.org/loader</link>
  <pubDate>Wed, 02 Oct 2024 13:00:00 GMT</pubDate>
  <description>Short summary.</description>
  <content:encoded><![CDATA[<p>The loader fetches its second stage from a cloud bucket, researchers said.</p>
<p>It checks for analysis tools first.</p><p>The post New loader appeared first on Example Threat Blog.</p>]]></content:encoded>
</item>
<item>
  <title>Patch now</title>
  <guid isPermaLink="true">https://blog.example.org/patch</guid>
  <dc:date>2024-10-03T10:00:00+02:00</dc:date>
  <description>&lt;p&gt;A critical flaw in a VPN appliance is under attack.&lt;/p&gt;</description>
</item>
<item><title>Title only</title></item>
</channel></rss>)";
  Result<std::vector<Document>> docs = ReadFeed(rss, "blog.xml");
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 3);
  const Document& a = (*docs)[0];
  CHECK(a.name == "blog.xml#1");
  CHECK(a.format == "rss");
  CHECK(a.title == "New loader & its C2");
  CHECK(a.url == "https://blog.example.org/loader");
  CHECK(a.published == "2024-10-02T13:00:00.000Z");
  CHECK(a.text ==
        "The loader fetches its second stage from a cloud bucket, researchers said.\n\n"
        "It checks for analysis tools first.");
  const Document& b = (*docs)[1];
  CHECK(b.url == "https://blog.example.org/patch");
  CHECK(b.published == "2024-10-03T08:00:00.000Z");
  CHECK(b.text == "A critical flaw in a VPN appliance is under attack.");
  CHECK((*docs)[2].text == "Title only");
}

TEST_CASE("ReadFeed: RSS 1.0 (RDF) and Atom") {
  const std::string rdf = R"(<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://x.example/"><title>X</title></channel>
<item rdf:about="https://x.example/1"><title>One</title><dc:date>2021-01-02</dc:date><description>First item body text.</description></item>
<item rdf:about="https://x.example/2"><title>Two</title><description>Second item body text.</description></item>
</rdf:RDF>)";
  Result<std::vector<Document>> docs = ReadDocuments(rdf, "x.rdf");
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 2);
  CHECK((*docs)[0].url == "https://x.example/1");
  CHECK((*docs)[0].published == "2021-01-02T00:00:00.000Z");
  CHECK((*docs)[1].text == "Second item body text.");

  const std::string atom = R"(<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Lab</title>
<entry><title type="html">Wiper &lt;em&gt;analysis&lt;/em&gt;</title>
  <link rel="alternate" href="https://lab.example/wiper"/><link rel="edit" href="https://lab.example/edit/1"/>
  <updated>2024-02-02T00:00:00Z</updated><published>2024-02-01T12:00:00Z</published>
  <content type="html">&lt;p&gt;The wiper overwrites the first megabyte of each disk.&lt;/p&gt;&lt;nav&gt;Menu&lt;/nav&gt;</content></entry>
<entry><title>Plain</title><link href="https://lab.example/plain"/><updated>2024-03-01T00:00:00Z</updated>
  <content type="text">Text content shows &lt;tags&gt; literally.</content></entry>
<entry><title>XHTML</title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Inline <b>xhtml</b> body.</p></div></content></entry>
</feed>)";
  docs = ReadDocuments(atom, "lab.atom");
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 3);
  CHECK((*docs)[0].format == "atom");
  CHECK((*docs)[0].title == "Wiper analysis");
  CHECK((*docs)[0].url == "https://lab.example/wiper");
  CHECK((*docs)[0].published == "2024-02-01T12:00:00.000Z");
  CHECK((*docs)[0].text == "The wiper overwrites the first megabyte of each disk.");
  CHECK((*docs)[1].published == "2024-03-01T00:00:00.000Z");
  CHECK((*docs)[1].text == "Text content shows <tags> literally.");
  CHECK((*docs)[2].text == "Inline xhtml body.");
}

TEST_CASE("ReadFeed: malformed, truncated and hostile feeds") {
  Result<std::vector<Document>> docs = ReadFeed("<rss><channel><item><title>x</ti", "bad.xml");
  REQUIRE_FALSE(docs.ok());
  CHECK(Has(docs.status().ToString(), "bad.xml"));
  CHECK(Has(docs.status().ToString(), "line 1"));

  docs = ReadFeed("<?xml version=\"1.0\"?><html><body/></html>", "page.xml");
  REQUIRE_FALSE(docs.ok());
  CHECK(Has(docs.status().message(), "not an RSS or Atom feed"));

  const std::string truncated =
      "<rss><channel><item><title>A</title><description>Complete item text.</description></item>"
      "<item><title>B</title><description>Cut off";
  docs = ReadFeed(truncated, "cut.xml");
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 1);
  CHECK((*docs)[0].text == "Complete item text.");

  std::string laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY lol \"lol\">\n";
  laughs += "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n";
  for (int i = 2; i <= 9; ++i) {
    laughs += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) laughs += "&lol" + std::to_string(i - 1) + ";";
    laughs += "\">\n";
  }
  laughs +=
      "]>\n<rss><channel><item><title>&lol9;</title><description>&lol9; body</description></item>"
      "</channel></rss>";
  docs = ReadFeed(laughs, "laughs.xml");
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 1);
  CHECK((*docs)[0].text.size() < 100);
}

}  // namespace prose2stix::ingest
