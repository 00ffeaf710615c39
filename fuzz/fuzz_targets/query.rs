//! Any text as a topic query; a query that parses is matched against a
//! document built from the same text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wirewatch::topics::{Document, Query};

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(query) = Query::parse(src) {
        let doc = Document::new(src, src);
        let _matched = query.matches(&doc);
    }
});
