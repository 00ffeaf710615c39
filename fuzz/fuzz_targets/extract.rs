//! Any bytes as a fetched page: charset decoding, then extraction.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let html = wirewatch::extract::decode_html(data, None);
    let url = url::Url::parse("https://news.example/2024/05/01/story.html").ok();
    let _article = wirewatch::extract::extract(&html, url.as_ref());
});
