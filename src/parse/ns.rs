//! The namespaces feeds use, and how a namespace URI is recognised: feeds
//! write the same namespace in several spellings (case, a trailing slash or
//! `#`), and some use a prefix without declaring it.

/// Atom 1.0.
pub const ATOM: &str = "http://www.w3.org/2005/Atom";
/// Atom 0.3, still served by old blog platforms.
pub const ATOM03: &str = "http://purl.org/atom/ns#";
pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub const RSS10: &str = "http://purl.org/rss/1.0/";
pub const RSS090: &str = "http://my.netscape.com/rdf/simple/0.9/";
pub const DC: &str = "http://purl.org/dc/elements/1.1/";
pub const DCTERMS: &str = "http://purl.org/dc/terms/";
pub const CONTENT: &str = "http://purl.org/rss/1.0/modules/content/";
pub const MEDIA: &str = "http://search.yahoo.com/mrss/";
pub const XHTML: &str = "http://www.w3.org/1999/xhtml";

/// The namespace a prefix conventionally names, for prefixes a feed uses
/// without declaring; "" for the rest.
pub fn conventional(prefix: &str) -> &'static str {
    match prefix {
        "dc" => DC,
        "dcterms" => DCTERMS,
        "content" => CONTENT,
        "media" => MEDIA,
        "atom" => ATOM,
        "rdf" => RDF,
        "xhtml" => XHTML,
        _ => "",
    }
}

/// Whether `uri` is namespace `known`, up to case and a trailing `/` or `#`.
pub fn is(uri: &str, known: &str) -> bool {
    let trim = |s: &str| s.trim().trim_end_matches(['/', '#']).to_ascii_lowercase();
    trim(uri) == trim(known)
}

/// The feed-level namespaces: where an element without a namespace, or in
/// one of these, is read as a plain RSS/Atom element.
pub fn is_core(uri: &str) -> bool {
    uri.is_empty()
        || [
            ATOM,
            ATOM03,
            RSS10,
            RSS090,
            "http://backend.userland.com/rss2",
            "http://blogs.law.harvard.edu/tech/rss",
        ]
        .iter()
        .any(|k| is(uri, k))
}
