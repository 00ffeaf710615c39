//! Unit tests of the extraction module: decoding, body selection and
//! cleaning, metadata sources, and robustness on hostile input.

use super::*;

/// A paragraph of plausible article prose (long enough to score).
fn prose(topic: &str) -> String {
    format!(
        "The {topic} report, published on Monday, shows that costs rose sharply, \
         while demand, according to analysts, stayed flat across most regions, \
         and officials said further measures, including new rules, were likely."
    )
}

#[test]
fn decodes_windows_1252_from_header() {
    let bytes = b"<p>caf\xe9 \x93quoted\x94</p>";
    let s = decode_html(bytes, Some("text/html; charset=windows-1252"));
    assert_eq!(s, "<p>caf\u{e9} \u{201c}quoted\u{201d}</p>");
}

#[test]
fn decodes_iso_8859_1_from_meta() {
    let bytes = b"<html><head><meta charset=\"ISO-8859-1\"></head><body>na\xefve</body></html>";
    assert!(decode_html(bytes, None).contains("na\u{ef}ve"));
    let http_equiv =
        b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">\xe9";
    assert!(decode_html(http_equiv, None).ends_with('\u{e9}'));
}

#[test]
fn utf8_bom_wins_and_is_removed() {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice("<p>ünï</p>".as_bytes());
    assert_eq!(
        decode_html(&bytes, Some("text/html; charset=windows-1252")),
        "<p>ünï</p>"
    );
}

#[test]
fn invalid_utf8_becomes_replacement_chars() {
    let s = decode_html(
        b"<p>ok \xff\xfe broken</p>",
        Some("text/html; charset=utf-8"),
    );
    assert!(s.contains('\u{FFFD}'));
    assert!(s.starts_with("<p>ok "));
}

#[test]
fn decoding_never_panics() {
    let mut seed = 0x2545_f491_u32;
    for len in [0usize, 1, 2, 3, 7, 100, 5000] {
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                seed as u8
            })
            .collect();
        let _ = decode_html(&bytes, None);
        let _ = decode_html(&bytes, Some("text/html; charset="));
        let _ = decode_html(&bytes, Some("charset=\"bogus-label\""));
    }
    let _ = decode_html(b"<meta charset=", None);
}

#[test]
fn keeps_only_article_paragraphs() {
    let (p1, p2, p3) = (prose("budget"), prose("housing"), prose("transport"));
    let html = format!(
        r#"<html><head><title>Costs rise | Daily</title></head><body>
        <nav><ul><li><a href="/">Home</a></li><li><a href="/world">World news today</a></li></ul></nav>
        <div class="main-wrapper">
          <article class="article-body">
            <h1>Costs rise</h1>
            <p>{p1}</p><p>{p2}</p>
            <figure><img src="a.jpg"><figcaption>A caption about the photo</figcaption></figure>
            <p>{p3}</p>
            <p>Read more: <a href="/x">Another story about costs</a></p>
          </article>
          <div class="related-articles"><h3>Related</h3><ul>
            <li><a href="/a">First related story headline here</a></li>
            <li><a href="/b">Second related story headline here</a></li></ul></div>
        </div>
        <footer><p>Copyright 2024 Daily News. All rights reserved.</p></footer>
        </body></html>"#
    );
    let a = extract(&html, None);
    assert_eq!(a.text, format!("{p1}\n\n{p2}\n\n{p3}"));
    assert_eq!(a.kind, Kind::Article);
    assert_eq!(a.meta.title.as_deref(), Some("Costs rise"));
}

#[test]
fn br_separated_text_becomes_paragraphs() {
    let (p1, p2, p3) = (prose("farm"), prose("school"), prose("river"));
    let html = format!(
        "<html><body><div id=\"c\">{p1}<br><br>{p2}<br>\n<br>{p3}</div>\
         <div><a href=\"/\">Home</a></div></body></html>"
    );
    let a = extract(&html, None);
    assert_eq!(a.text, format!("{p1}\n\n{p2}\n\n{p3}"));
    assert_eq!(a.kind, Kind::Article);
}

#[test]
fn strips_site_name_from_title() {
    let t = |s: &str, site| metadata::strip_site_suffix(s, site);
    assert_eq!(
        t("Storm hits the coast | Daily Planet", None),
        "Storm hits the coast"
    );
    assert_eq!(
        t("Storm hits the coast - Planet", Some("Planet")),
        "Storm hits the coast"
    );
    assert_eq!(
        t("Planet | Storm hits the coast today", Some("Planet")),
        "Storm hits the coast today"
    );
    let long_tail = "Mayor resigns - what the decision means for the town";
    assert_eq!(t(long_tail, None), long_tail);
    let html =
        "<html><head><title>Storm hits the coast – The Gazette</title></head><body></body></html>";
    assert_eq!(
        extract(html, None).meta.title.as_deref(),
        Some("Storm hits the coast")
    );
}

#[test]
fn json_ld_date_and_author() {
    let html = r#"<html><head><script type="application/ld+json">
        {"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"X"},
         {"@type":"NewsArticle","headline":"Big news","datePublished":"2019-10-24T08:30:00+02:00",
          "dateModified":"2019-10-25 10:00","author":[{"@type":"Person","name":"Ann Lee"},{"name":"Bo Kim"}],
          "publisher":{"@type":"Organization","name":"The Paper"}}]}
        </script><meta name="author" content="Someone Else"></head><body></body></html>"#;
    let a = extract(html, None);
    assert_eq!(
        a.meta.published.as_deref(),
        Some("2019-10-24T08:30:00+02:00")
    );
    assert_eq!(a.meta.modified.as_deref(), Some("2019-10-25T10:00:00Z"));
    assert_eq!(a.meta.byline.as_deref(), Some("Ann Lee, Bo Kim"));
    assert_eq!(a.meta.site_name.as_deref(), Some("The Paper"));
    assert_eq!(a.meta.title.as_deref(), Some("Big news"));
    assert_eq!(a.kind, Kind::Empty);
}

#[test]
fn url_date_is_the_last_resort() {
    let url = Url::parse("https://example.com/news/2019/10/24/some-story/").ok();
    let a = extract(
        "<html lang=\"en-GB\"><body><p>Hi</p></body></html>",
        url.as_ref(),
    );
    assert_eq!(a.meta.published.as_deref(), Some("2019-10-24T00:00:00Z"));
    assert_eq!(a.meta.lang.as_deref(), Some("en"));
    let url = Url::parse("https://example.com/a/story-2021-03-05.html").ok();
    assert_eq!(
        extract("", url.as_ref()).meta.published.as_deref(),
        Some("2021-03-05T00:00:00Z")
    );
}

#[test]
fn meta_dates_and_links_are_normalised() {
    let html = r#"<html><head>
        <meta property="article:published_time" content="Thu, 24 Oct 2019 12:34:56 GMT">
        <meta property="og:image" content="/img/a.jpg">
        <link rel="canonical" href="/story">
        <meta name="description" content="  A   summary. ">
        </head><body></body></html>"#;
    let url = Url::parse("https://example.com/x/y?z=1").ok();
    let a = extract(html, url.as_ref());
    assert_eq!(a.meta.published.as_deref(), Some("2019-10-24T12:34:56Z"));
    assert_eq!(
        a.meta.image.as_deref(),
        Some("https://example.com/img/a.jpg")
    );
    assert_eq!(
        a.meta.canonical_url.as_deref(),
        Some("https://example.com/story")
    );
    assert_eq!(a.meta.description.as_deref(), Some("A summary."));
}

#[test]
fn deep_nesting_does_not_crash() {
    let depth = 100_000;
    let mut html = String::with_capacity(depth * 11 + 200);
    html.push_str("<html><body>");
    for _ in 0..depth {
        html.push_str("<div>");
    }
    html.push_str(&prose("deep"));
    for _ in 0..depth {
        html.push_str("</div>");
    }
    html.push_str("</body></html>");
    let a = extract(&html, None);
    assert!(a.text.contains("deep report"));
}

#[test]
fn garbage_input_does_not_panic() {
    for s in [
        "",
        "<",
        "<<<>>>",
        "<html><body><p>",
        "<script>",
        "<a href=x><p>x</a>",
        "\u{0}",
    ] {
        let _ = extract(s, None);
    }
}

/// A page of three prose paragraphs inside `<article>`, with `head` in
/// `<head>` and `extra` appended inside the article.
fn page(head: &str, class: &str, extra: &str) -> String {
    let (p1, p2, p3) = (prose("energy"), prose("water"), prose("rail"));
    format!(
        "<html><head>{head}</head><body><article class=\"{class}\">\
         <p>{p1}</p><p>{p2}</p><p>{p3}</p>{extra}</article></body></html>"
    )
}

#[test]
fn live_blog_from_json_ld_or_class() {
    let ld = r#"<script type="application/ld+json">
        {"@context":"https://schema.org","@type":"LiveBlogPosting","headline":"Election night"}
        </script>"#;
    let a = extract(&page(ld, "story", ""), None);
    assert_eq!(a.kind, Kind::LiveBlog);
    assert!(a.text.contains("energy report"));
    let a = extract(&page("", "liveblog-stream", ""), None);
    assert_eq!(a.kind, Kind::LiveBlog);
}

#[test]
fn gallery_from_json_ld_or_shape() {
    let ld = r#"<script type="application/ld+json">
        {"@type":"ImageGallery","name":"Photos of the week"}</script>"#;
    assert_eq!(extract(&page(ld, "story", ""), None).kind, Kind::Gallery);
    let figures: String = (0..8)
        .map(|i| {
            format!(
                "<div class=\"item\"><img src=\"{i}.jpg\"><p>Slide {i} of the parade.</p></div>"
            )
        })
        .collect();
    let html = format!(
        "<html><body><div class=\"photos\"><p>{}</p>{figures}</div></body></html>",
        prose("parade")
    );
    let a = extract(&html, None);
    assert_eq!(a.kind, Kind::Gallery);
    assert!(a.text.contains("parade report"));
}

#[test]
fn paywalled_from_declarations() {
    let not_free = r#"<script type="application/ld+json">
        {"@type":"NewsArticle","headline":"X","isAccessibleForFree":"False",
         "hasPart":{"@type":"WebPageElement","isAccessibleForFree":false}}</script>"#;
    assert_eq!(
        extract(&page(not_free, "story", ""), None).kind,
        Kind::Paywalled
    );
    let locked = r#"<meta property="article:content_tier" content="locked">"#;
    assert_eq!(
        extract(&page(locked, "story", ""), None).kind,
        Kind::Paywalled
    );
    // Metered: declared not free, but the full text is there.
    let metered = format!("{not_free}<meta property=\"article:content_tier\" content=\"metered\">");
    let more = format!("<p>{}</p><p>{}</p>", prose("port"), prose("tax"));
    assert_eq!(
        extract(&page(&metered, "story", &more), None).kind,
        Kind::Article
    );
    // A paywall element over a teaser.
    let teaser = "<html><body><div class=\"story\"><p>The council voted on Monday.</p>\
                  <div class=\"paywall-prompt\"><p>Subscribe to read more.</p></div></div></body></html>";
    assert_eq!(extract(teaser, None).kind, Kind::Paywalled);
}

#[test]
fn kind_serialises_lowercase() {
    let names: Vec<String> = [Kind::LiveBlog, Kind::Gallery, Kind::Paywalled]
        .iter()
        .map(|k| serde_json::to_string(k).unwrap_or_default())
        .collect();
    assert_eq!(names, ["\"liveblog\"", "\"gallery\"", "\"paywalled\""]);
}

#[test]
fn datelines_bylines_and_author_boxes_are_dropped() {
    let extra = r#"<div class="author-box"><img src="me.jpg">
        <p>Jane Roe is a reporter covering energy and climate for the paper since 2010.</p></div>"#;
    let head = "";
    let html = page(head, "story", extra).replace(
        "<p>The energy",
        "<div class=\"story-meta\">By <a href=\"/jane\">Jane Roe</a></div>\
         <p>Updated <time datetime=\"2024-01-02\">2 January 2024, 10:00</time></p><p>The energy",
    );
    let a = extract(&html, None);
    assert!(a.text.starts_with("The energy report"), "{}", a.text);
    assert!(!a.text.contains("Jane Roe"));
}

#[test]
fn captions_and_trailing_promos_are_dropped() {
    let extra = r#"<p><img src="a.jpg"><br><em>The new station at dusk</em></p>
        <p>The rail report ends here, officials said, and more is expected.</p>
        <h3>More stories</h3>
        <ul><li>Council <a href="/a">approves the budget</a></li>
            <li>Storm <a href="/b">closes the schools</a></li></ul>"#;
    let a = extract(&page("", "story", extra), None);
    assert!(!a.text.contains("station at dusk"), "{}", a.text);
    assert!(!a.text.contains("More stories"));
    assert!(!a.text.contains("budget"));
    assert!(a.text.ends_with("more is expected."));
}

#[test]
fn nesting_guard_does_not_copy_normal_pages() {
    let html = page(
        "<title>x</title>",
        "story",
        "<script>if (a < b) {}</script>",
    );
    assert!(matches!(
        guard::limit_nesting(&html),
        std::borrow::Cow::Borrowed(_)
    ));
    let deep = format!("<body>{}x", "<div>".repeat(2_000));
    let limited = guard::limit_nesting(&deep);
    // `<body>` is the first of the 1,000 levels kept.
    assert_eq!(limited.matches("<div>").count(), 999);
}

#[test]
fn hostile_shapes_stay_bounded() {
    let line = format!(
        "<html><body><div>{}</div></body></html>",
        "<p>word, word, word, and more. </p>".repeat(40_000)
    );
    assert_eq!(extract(&line, None).kind, Kind::Article);
    let scripts = "<script>var a = '<div>';</script>".repeat(20_000);
    assert_eq!(extract(&scripts, None).kind, Kind::Empty);
    let unclosed_comment = format!("<!--{}", "<div>".repeat(20_000));
    assert_eq!(extract(&unclosed_comment, None).kind, Kind::Empty);
    let long_class = format!("<div class=\"{}\">x</div>", "article-body ".repeat(50_000));
    assert_eq!(extract(&long_class, None).text, "x");
}

#[test]
fn utf8_bytes_beat_a_declared_legacy_charset() {
    let bytes = "<meta charset=\"iso-8859-1\"><p>caf\u{e9} na\u{ef}ve</p>".as_bytes();
    assert!(decode_html(bytes, None).contains("caf\u{e9} na\u{ef}ve"));
    let s = decode_html(
        "<p>\u{6c34}\u{5e93}</p>".as_bytes(),
        Some("text/html; charset=gb2312"),
    );
    assert_eq!(s, "<p>\u{6c34}\u{5e93}</p>");
    // Real single-byte text is not valid UTF-8 and keeps its charset.
    let latin = b"<meta charset=\"iso-8859-1\"><p>caf\xe9</p>";
    assert!(decode_html(latin, None).contains("caf\u{e9}"));
}

#[test]
fn a_page_of_menus_and_banners_is_unclear_not_an_article() {
    let html = r#"<html><body><header><nav><a href="/">Home</a><a href="/quake">Earthquakes</a></nav></header>
        <div class="cookie-consent"><p>We use cookies to show you earthquake alerts near you and to measure our audience.</p></div>
        <ul class="related"><li><a href="/a">Earthquake shakes the coast overnight, thousands without power</a></li></ul></body></html>"#;
    let a = extract(html, None);
    assert!(matches!(a.kind, Kind::Unclear | Kind::Empty), "{a:?}");
    let empty = extract("<html><body><p>1 Secs</p></body></html>", None);
    assert_eq!(empty.kind, Kind::Unclear);
}

#[test]
fn a_custom_element_inside_a_sentence_stays_inline() {
    let p = prose("water");
    let html = format!(
        "<article><p>{p} Rates rose <cite-ref><a href=\"#1\">(1)</a></cite-ref> again.</p><p>{p}</p></article>"
    );
    let a = extract(&html, None);
    assert!(a.text.contains("Rates rose (1) again."), "{}", a.text);
}

#[test]
fn a_comment_heading_ends_the_story() {
    let (p1, p2) = (prose("budget"), prose("housing"));
    let html = format!(
        "<div class=\"post\"><p>{p1}</p><p>{p2}</p><h2>12 Responses to \u{201c}Costs rise\u{201d}</h2>\
         <div><p>{}</p></div></div>",
        prose("reader")
    );
    let a = extract(&html, None);
    assert_eq!(a.text, format!("{p1}\n\n{p2}"));
}
