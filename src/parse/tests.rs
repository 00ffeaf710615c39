//! The parser's behaviour on feeds as the web writes them: unit cases and
//! golden files (`testdata/`, several from feedparser's test suite, whose
//! licence is beside them).

use super::*;

fn url() -> Url {
    Url::parse("http://news.example/feeds/rss.xml").unwrap()
}

#[test]
fn two_items_sharing_a_guid_are_both_kept_and_repeats_are_not() {
    let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
        <item><title>A</title><link>/a.html</link><guid>same</guid></item>
        <item><title>B</title><link>/b.html</link><guid>same</guid></item>
        <item><title>A again</title><link>/a.html</link><guid>same</guid></item>
        </channel></rss>"#;
    let entries = parse_feed(&url(), rss.as_bytes()).unwrap().entries;
    let titles: Vec<_> = entries
        .iter()
        .map(|e| e.title.as_deref().unwrap())
        .collect();
    assert_eq!(titles, ["A", "B"]);
}

#[test]
fn rss_items_resolve_relative_links_and_drop_repeats() {
    let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
        <item><title>One</title><link>item-1.html</link><guid>a</guid></item>
        <item><title>One again</title><link>item-1.html</link><guid>a</guid></item>
        <item><title>Two</title><link>/x/item-2.html</link><guid>b</guid>
          <pubDate>Thu, 24 Oct 2019 10:00:00 +0900</pubDate></item>
        </channel></rss>"#;
    let entries = parse_feed(&url(), rss.as_bytes()).unwrap().entries;
    assert_eq!(entries.len(), 2);
    assert_eq!(
        entries[0].link.as_deref(),
        Some("http://news.example/feeds/item-1.html")
    );
    assert_eq!(
        entries[1].link.as_deref(),
        Some("http://news.example/x/item-2.html")
    );
    assert_eq!(
        entries[1].published.as_deref(),
        Some("2019-10-24T01:00:00+00:00")
    );
}

#[test]
fn json_feed_and_atom_parse() {
    let json = r#"{"version":"https://jsonfeed.org/version/1.1","title":"j",
        "items":[{"id":"1","url":"http://news.example/a","title":"A","content_html":"<p>x</p>"}]}"#;
    let entries = parse_feed(&url(), json.as_bytes()).unwrap().entries;
    assert_eq!(entries[0].content_html.as_deref(), Some("<p>x</p>"));
    let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>a</title><id>f</id>
        <updated>2019-10-24T00:00:00Z</updated><entry><id>e1</id><title>E</title>
        <link href="http://news.example/e1"/><updated>2019-10-24T00:00:00Z</updated></entry></feed>"#;
    let entries = parse_feed(&url(), atom.as_bytes()).unwrap().entries;
    assert_eq!(entries[0].guid.as_deref(), Some("e1"));
}

#[test]
fn a_document_that_is_no_feed_is_an_error_naming_the_feed() {
    for bytes in [
        &b"not a feed"[..],
        b"<html><body>hi</body></html>",
        b"",
        b"\xff\xfe",
    ] {
        let err = parse_feed(&url(), bytes).unwrap_err();
        assert!(err.to_string().contains("news.example"), "{err}");
    }
}

/// Each `testdata/**/*.xml` beside its `.json`: what wirewatch reads from
/// it, as `wirewatch parse` prints it. `WIREWATCH_BLESS=1` rewrites them.
#[test]
fn golden_feeds_read_as_recorded() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/parse/testdata");
    let base = Url::parse("http://example.com/feed.xml").unwrap();
    let mut checked = 0;
    for path in xml_files(&dir) {
        let got = render(parse_feed(&base, &std::fs::read(&path).unwrap()));
        let golden = path.with_extension("json");
        if std::env::var_os("WIREWATCH_BLESS").is_some() {
            std::fs::write(&golden, format!("{got:#}\n")).unwrap();
        }
        let want: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&golden).unwrap()).unwrap();
        assert_eq!(got, want, "{}", path.display());
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} golden feeds");
}

fn xml_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(xml_files(&path));
        } else if path.extension().is_some_and(|e| e == "xml") {
            files.push(path);
        }
    }
    files.sort();
    files
}

fn render(parsed: Result<ParsedFeed, ParseError>) -> serde_json::Value {
    let feed = match parsed {
        Ok(feed) => feed,
        Err(err) => return serde_json::json!({ "ok": false, "error": err.reason }),
    };
    let entries: Vec<_> = feed
        .entries
        .iter()
        .map(|e| {
            serde_json::json!({
                "id": e.guid, "link": e.link, "title": e.title,
                "published": e.published, "updated": e.updated,
            })
        })
        .collect();
    serde_json::json!({ "ok": true, "title": feed.title, "skipped": feed.skipped, "entries": entries })
}

/// feedparser takes the `<title>` of an `<image>` inside a `<category>` as
/// the item's title ("Savage Love"); the item has none, and wirewatch says so.
#[test]
fn a_category_image_title_is_not_the_item_title_where_feedparser_says_it_is() {
    let rss = br#"<rss version="2.0"><channel><item><link>http://a.example/1</link>
        <category>Advice<image><url>http://a.example/i.jpg</url><title>Savage Love</title></image></category>
        </item></channel></rss>"#;
    let entries = parse_feed(&url(), rss).unwrap().entries;
    assert_eq!(entries[0].title, None);
}

/// With `isPermaLink` at its default, feedparser resolves a guid such as
/// `abc123` against the feed URL and calls it the link. It names the item,
/// not a page: wirewatch gives no link. A guid that is a URL is the link.
#[test]
fn a_guid_that_is_not_a_url_is_no_link_where_feedparser_makes_one() {
    let rss = br#"<rss version="2.0"><channel>
        <item><title>A</title><guid>abc123</guid></item>
        <item><title>B</title><guid>https://a.example/b</guid></item>
        <item><title>C</title><guid isPermaLink="false">https://a.example/c</guid></item>
        </channel></rss>"#;
    let entries = parse_feed(&url(), rss).unwrap().entries;
    let links: Vec<_> = entries.iter().map(|e| e.link.as_deref()).collect();
    assert_eq!(links, [None, Some("https://a.example/b"), None]);
}

/// One unreadable item or field costs only itself: a date that names no
/// instant is dropped, a broken tag ends where the document breaks, and
/// the items before it stay.
#[test]
fn a_bad_field_or_a_broken_end_costs_only_itself() {
    let rss = br#"<rss><channel><title>t</title>
        <item><title>Good</title><link>http://a.example/1</link><pubDate>2003-12-31T25:14:55Z</pubDate></item>
        <item><title>Also good</title><link>http://a.example/2</link></item>
        <item><title>Cut off <b"#;
    let feed = parse_feed(&url(), rss).unwrap();
    let titles: Vec<_> = feed.entries.iter().map(|e| e.title.as_deref()).collect();
    assert_eq!(titles[..2], [Some("Good"), Some("Also good")]);
    assert_eq!(feed.entries[0].published, None);
}

/// feed-rs refuses a whole JSON Feed for one bad item; wirewatch loses only
/// that item. A byte order mark does not hide that the document is JSON.
#[test]
fn a_bad_json_feed_item_costs_only_itself() {
    let json = "\u{FEFF}{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"j\",\"items\":[\
        {\"id\":\"1\",\"url\":\"http://news.example/a\",\"title\":\"A\"},\
        {\"id\":2,\"url\":[\"not a string\"]},\
        {\"id\":\"3\",\"url\":\"http://news.example/c\",\"title\":\"C\"}]}";
    let feed = parse_feed(&url(), json.as_bytes()).unwrap();
    let titles: Vec<_> = feed.entries.iter().map(|e| e.title.as_deref()).collect();
    assert_eq!(titles, [Some("A"), Some("C")]);
    assert_eq!(feed.skipped, 1);
    assert_eq!(feed.title.as_deref(), Some("j"));
}

/// `xml:base` holds where it is written: on the document, an item, or the
/// link itself.
#[test]
fn links_resolve_against_the_nearest_xml_base() {
    let rss = br#"<rss version="2.0" xml:base="https://a.example/feeds/feed.xml"><channel>
        <item><link>post</link></item>
        <item xml:base="archive/"><link>post</link></item>
        <item><link xml:base="/other/">post</link></item>
        </channel></rss>"#;
    let entries = parse_feed(&url(), rss).unwrap().entries;
    let links: Vec<_> = entries.iter().map(|e| e.link.as_deref().unwrap()).collect();
    assert_eq!(
        links,
        [
            "https://a.example/feeds/post",
            "https://a.example/feeds/archive/post",
            "https://a.example/other/post"
        ]
    );
}
