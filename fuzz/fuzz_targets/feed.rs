//! Any bytes as a feed body (RSS, Atom, JSON Feed) and as an OPML list.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let url = url::Url::parse("https://news.example/feed.xml").expect("static URL");
    let _entries = wirewatch::parse::parse_feed(&url, data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _feeds = wirewatch::parse::opml::parse_opml("fuzz.opml", Some(&url), text);
    }
});
