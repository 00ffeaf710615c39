//! JSON-LD (`<script type="application/ld+json">`) reading: finds the object
//! describing the article and pulls out headline, body, author, dates,
//! publisher and image, and notes page-kind declarations made by any object
//! (live blog, gallery, content not free).

use serde_json::Value;

/// Fields taken from the page's JSON-LD article object.
#[derive(Debug, Default)]
pub struct LdArticle {
    /// `headline` (or `name`).
    pub headline: Option<String>,
    /// `articleBody` / `text`.
    pub body: Option<String>,
    /// `author` names joined with ", ".
    pub author: Option<String>,
    /// `datePublished` (raw).
    pub published: Option<String>,
    /// `dateModified` (raw).
    pub modified: Option<String>,
    /// `publisher.name`.
    pub publisher: Option<String>,
    /// `image` URL.
    pub image: Option<String>,
    /// Page-kind declarations found in any object.
    pub kinds: LdKinds,
}

/// Page-kind declarations, gathered from every JSON-LD object on the page.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct LdKinds {
    /// An object of `@type` `LiveBlogPosting`.
    pub live: bool,
    /// An object of `@type` `ImageGallery` or `MediaGallery`.
    pub gallery: bool,
    /// An object (or a part of one) with `isAccessibleForFree: false`.
    pub paywalled: bool,
}

/// Upper bound on JSON values visited, so hostile input stays cheap.
const MAX_VISITS: usize = 20_000;

/// Parses every script body and reads the best article-like object.
pub fn read(scripts: &[&str]) -> LdArticle {
    let mut best: Option<(u8, Value)> = None;
    let mut kinds = LdKinds::default();
    for s in scripts {
        let Ok(v) = serde_json::from_str::<Value>(s.trim()) else {
            continue;
        };
        if let Some((rank, obj)) = best_object(&v, &mut kinds)
            && best.as_ref().is_none_or(|(r, _)| rank > *r)
        {
            best = Some((rank, obj.clone()));
        }
    }
    let mut article = best.map(|(_, o)| from_object(&o)).unwrap_or_default();
    article.kinds = kinds;
    article
}

/// The highest-ranked object in `root` (searching arrays, `@graph`,
/// `mainEntity` and `hasPart`); notes kind declarations on the way.
fn best_object<'v>(root: &'v Value, kinds: &mut LdKinds) -> Option<(u8, &'v Value)> {
    let mut stack = vec![root];
    let mut best: Option<(u8, &Value)> = None;
    let mut visits = 0;
    while let Some(v) = stack.pop() {
        visits += 1;
        if visits > MAX_VISITS {
            break;
        }
        match v {
            Value::Array(a) => stack.extend(a.iter()),
            Value::Object(o) => {
                let rank = rank_of(v);
                if rank > 0 && best.is_none_or(|(r, _)| rank > r) {
                    best = Some((rank, v));
                }
                if let Some(g) = o.get("@graph") {
                    stack.push(g);
                }
                if let Some(m) = o.get("mainEntity") {
                    stack.push(m);
                }
                if let Some(m) = o.get("hasPart") {
                    stack.push(m);
                }
                note_kinds(v, kinds);
            }
            _ => {}
        }
    }
    best
}

/// 3 for an article type with a body, 2 article type, 1 anything with a headline.
fn rank_of(v: &Value) -> u8 {
    let is_article = types(v).any(|t| {
        t.ends_with("Article") || t == "BlogPosting" || t == "Report" || t == "LiveBlogPosting"
    });
    match (is_article, v.get("articleBody").is_some()) {
        (true, true) => 3,
        (true, false) => 2,
        _ if v.get("headline").is_some() => 1,
        _ => 0,
    }
}

/// Records the page-kind declarations of one object.
fn note_kinds(v: &Value, kinds: &mut LdKinds) {
    for t in types(v) {
        kinds.live |= t == "LiveBlogPosting";
        kinds.gallery |= t == "ImageGallery" || t == "MediaGallery";
    }
    // Publishers write the flag as a boolean or as the string "False".
    kinds.paywalled |= match v.get("isAccessibleForFree") {
        Some(Value::Bool(b)) => !b,
        Some(Value::String(s)) => s.trim().eq_ignore_ascii_case("false"),
        _ => false,
    };
}

/// The `@type` value(s) of an object.
fn types(v: &Value) -> impl Iterator<Item = &str> {
    let t = v.get("@type");
    let single = t.and_then(Value::as_str);
    let many = t.and_then(Value::as_array).into_iter().flatten();
    single.into_iter().chain(many.filter_map(Value::as_str))
}

/// Copies the interesting fields out of the chosen object.
fn from_object(o: &Value) -> LdArticle {
    let s = |k: &str| o.get(k).and_then(Value::as_str).map(str::to_owned);
    LdArticle {
        headline: s("headline").or_else(|| s("name")),
        body: s("articleBody").or_else(|| s("text")),
        author: o.get("author").and_then(names),
        published: s("datePublished").or_else(|| s("dateCreated")),
        modified: s("dateModified"),
        publisher: o.get("publisher").and_then(name_of),
        image: o.get("image").and_then(url_of),
        kinds: LdKinds::default(),
    }
}

/// Names of a person/organisation value or a list of them, joined.
fn names(v: &Value) -> Option<String> {
    let list: Vec<String> = match v {
        Value::Array(a) => a.iter().filter_map(name_of).collect(),
        other => name_of(other).into_iter().collect(),
    };
    let joined = list.join(", ");
    (!joined.is_empty()).then_some(joined)
}

/// `"Name"` or `{"name": "Name"}`.
fn name_of(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) => s.as_str(),
        Value::Object(o) => o.get("name")?.as_str()?,
        Value::Array(a) => return a.first().and_then(name_of),
        _ => return None,
    };
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

/// `"url"`, `{"url": "…"}` or the first of a list.
fn url_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("url").and_then(url_of),
        Value::Array(a) => a.first().and_then(url_of),
        _ => None,
    }
}
