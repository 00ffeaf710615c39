//! Metadata resolution: combines `<meta>` tags, JSON-LD and a few DOM hints
//! into the `Article` fields, in the source order documented in `mod.rs`.

use url::Url;

use crate::extract::date;
use crate::extract::dom::Dom;
use crate::extract::jsonld::LdArticle;
use crate::extract::score::excluded;

/// An article's metadata, each field from the first source that has it.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Meta {
    pub title: Option<String>,
    pub byline: Option<String>,
    pub published: Option<String>,
    pub modified: Option<String>,
    pub lang: Option<String>,
    pub site_name: Option<String>,
    pub canonical_url: Option<String>,
    pub description: Option<String>,
    pub image: Option<String>,
}

/// Resolves all metadata for the page.
pub fn resolve(dom: &Dom, ld: &LdArticle, url: Option<&Url>) -> Meta {
    let m = |k: &str| meta(dom, k);
    let site_name = m("og:site_name").or_else(|| clean(ld.publisher.as_deref()));
    let raw_title = m("og:title")
        .or_else(|| clean(ld.headline.as_deref()))
        .or_else(|| dom.raw.h1.and_then(|i| clean(Some(&node_text(dom, i)))))
        .or_else(|| clean(dom.raw.title))
        .or_else(|| m("twitter:title"));
    let title = raw_title.map(|t| strip_site_suffix(&t, site_name.as_deref()));
    Meta {
        title,
        byline: byline(dom, ld),
        published: published(dom, ld, url),
        modified: modified(dom, ld),
        lang: lang(dom),
        canonical_url: resolve_url(dom.raw.canonical, url),
        description: m("og:description").or_else(|| m("description")),
        image: resolve_url(m("og:image").or_else(|| ld.image.clone()).as_deref(), url),
        site_name,
    }
}

/// Content of the first `<meta>` whose key matches `key` (case-insensitive).
fn meta(dom: &Dom, key: &str) -> Option<String> {
    dom.raw
        .metas
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case(key))
        .find_map(|(_, v)| clean(Some(v)))
}

/// Trimmed, whitespace-collapsed, non-empty text.
fn clean(s: Option<&str>) -> Option<String> {
    let s = s?;
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    (!out.is_empty()).then_some(out)
}

/// Collapsed text of node `i`'s subtree (skipping script/style).
pub fn node_text(dom: &Dom, i: u32) -> String {
    let end = dom.nodes[i as usize].end as usize;
    let mut s = String::new();
    for n in &dom.nodes[i as usize..end] {
        if !excluded(n, 0) && !n.text.is_empty() {
            s.push_str(n.text);
        }
    }
    clean(Some(&s)).unwrap_or_default()
}

/// JSON-LD author, meta author, rel=author / byline element.
fn byline(dom: &Dom, ld: &LdArticle) -> Option<String> {
    let from_dom = || {
        let t = node_text(dom, dom.raw.byline?);
        let t = t.trim_start_matches(|c: char| !c.is_alphanumeric());
        let t = strip_prefix_ci(t, "by ").unwrap_or(t);
        (t.chars().count() <= 100).then(|| clean(Some(t))).flatten()
    };
    clean(ld.author.as_deref())
        .or_else(|| meta(dom, "author"))
        .or_else(|| meta(dom, "article:author").filter(|a| !a.starts_with("http")))
        .or_else(from_dom)
}

/// `s` without a case-insensitive ASCII `prefix`.
fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// First value of these keys among itemprops.
fn itemprop(dom: &Dom, key: &str) -> Option<String> {
    let (_, v) = dom
        .raw
        .itemprops
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))?;
    date::normalize(v)
}

/// Publication date: JSON-LD, meta tags, itemprop, `<time>`, URL.
fn published(dom: &Dom, ld: &LdArticle, url: Option<&Url>) -> Option<String> {
    let metas = [
        "article:published_time",
        "datepublished",
        "pubdate",
        "publishdate",
        "date",
    ];
    ld.published
        .as_deref()
        .and_then(date::normalize)
        .or_else(|| {
            metas
                .iter()
                .find_map(|k| meta(dom, k).and_then(|v| date::normalize(&v)))
        })
        .or_else(|| itemprop(dom, "datePublished"))
        .or_else(|| dom.raw.time.and_then(date::normalize))
        .or_else(|| url.and_then(|u| date::from_url_path(u.path())))
}

/// Modification date: JSON-LD, meta tags, itemprop.
fn modified(dom: &Dom, ld: &LdArticle) -> Option<String> {
    let metas = [
        "article:modified_time",
        "og:updated_time",
        "datemodified",
        "lastmod",
    ];
    ld.modified
        .as_deref()
        .and_then(date::normalize)
        .or_else(|| {
            metas
                .iter()
                .find_map(|k| meta(dom, k).and_then(|v| date::normalize(&v)))
        })
        .or_else(|| itemprop(dom, "dateModified"))
}

/// Primary language subtag, lowercase, from `<html lang>` or content-language.
fn lang(dom: &Dom) -> Option<String> {
    let raw = dom
        .raw
        .lang
        .map(str::to_owned)
        .or_else(|| meta(dom, "content-language"))?;
    let primary = raw
        .trim()
        .split(['-', '_', ',', ' '])
        .next()?
        .to_ascii_lowercase();
    let ok = (2..=8).contains(&primary.len()) && primary.bytes().all(|c| c.is_ascii_alphabetic());
    ok.then_some(primary)
}

/// `href` resolved against the page URL (kept as is when it can't be).
fn resolve_url(href: Option<&str>, base: Option<&Url>) -> Option<String> {
    let href = href?.trim();
    if href.is_empty() {
        return None;
    }
    match base {
        Some(b) => b.join(href).ok().map(String::from),
        None => Url::parse(href).ok().map(String::from),
    }
}

/// Separators between a title and a site name.
const SEPARATORS: &[&str] = &[
    " | ", " - ", " – ", " — ", " :: ", " · ", " // ", " « ", " » ",
];

/// Drops a " | Site" / " - Site" suffix (or "Site | " prefix) from a title.
pub fn strip_site_suffix(title: &str, site: Option<&str>) -> String {
    let is_site = |part: &str| {
        let part = part.trim();
        site.is_some_and(|s| part.eq_ignore_ascii_case(s.trim()))
    };
    for sep in SEPARATORS {
        if let Some((head, tail)) = title.rsplit_once(sep) {
            let short_tail = tail.split_whitespace().count() <= 4;
            if is_site(tail) || (short_tail && head.split_whitespace().count() >= 3) {
                return head.trim().to_owned();
            }
        }
        if let Some((head, tail)) = title.split_once(sep)
            && is_site(head)
        {
            return tail.trim().to_owned();
        }
    }
    title.to_owned()
}
