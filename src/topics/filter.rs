//! Metadata filters: `site:`, `feed:` and `lang:` test where an article
//! came from and what language it is in, not its text. They are leaves of
//! the query tree like terms, so they combine with AND, OR and NOT; a
//! document that lacks the metadata a filter asks about fails the filter.

use super::QueryError;
use super::document::{Document, primary_language};
use super::fold::tokenize;
use super::lexer::Field;

/// A test of a document's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Filter {
    /// `site:` — the article's host is this domain or a subdomain of it,
    /// so `site:reuters.com` accepts `www.reuters.com`.
    Site(String),
    /// `feed:` — the feed's name contains these folded tokens
    /// consecutively (`feed:"BBC World"` accepts "BBC World News"), or
    /// the host is `domain` or a subdomain of it.
    Feed { tokens: Vec<String>, domain: String },
    /// `lang:` — the article's primary language subtag, lower case.
    Lang(String),
}

impl Filter {
    /// Builds the filter for `field:value`; `column` is that of the field.
    pub(crate) fn new(field: Field, value: &str, column: usize) -> Result<Filter, QueryError> {
        let domain = value.trim().trim_matches('.').to_ascii_lowercase();
        match field {
            Field::Site if !domain.is_empty() => Ok(Filter::Site(domain)),
            Field::Feed => {
                let tokens = tokenize(value);
                if tokens.is_empty() {
                    return Err(QueryError::new(column, "feed: needs a feed name or host"));
                }
                Ok(Filter::Feed { tokens, domain })
            }
            Field::Lang => {
                let code = primary_language(value);
                if code.is_empty() || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
                    return Err(QueryError::new(
                        column,
                        "lang: needs a language code such as en",
                    ));
                }
                Ok(Filter::Lang(code.to_ascii_lowercase()))
            }
            _ => Err(QueryError::new(column, "site: needs a host name")),
        }
    }

    /// Whether `doc`'s metadata passes the filter.
    pub(crate) fn accepts(&self, doc: &Document) -> bool {
        match self {
            Filter::Site(domain) => doc.site().is_some_and(|host| within_domain(host, domain)),
            Filter::Feed { tokens, domain } => {
                doc.feed()
                    .is_some_and(|name| contains_run(&tokenize(name), tokens))
                    || doc.site().is_some_and(|host| within_domain(host, domain))
            }
            Filter::Lang(code) => doc.lang() == Some(code.as_str()),
        }
    }
}

/// Whether `host` is `domain` or one of its subdomains.
fn within_domain(host: &str, domain: &str) -> bool {
    match host.strip_suffix(domain) {
        Some("") => true,
        Some(rest) => rest.ends_with('.'),
        None => false,
    }
}

/// Whether `needle` occurs as consecutive items of `haystack`.
fn contains_run(haystack: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Document {
        Document::new("", "")
            .with_site("www.bbc.co.uk")
            .with_feed("BBC News – World")
            .with_lang("en-GB")
    }

    fn accepts(field: Field, value: &str) -> bool {
        Filter::new(field, value, 1).unwrap().accepts(&doc())
    }

    #[test]
    fn site_matches_the_domain_and_its_subdomains_only() {
        assert!(accepts(Field::Site, "bbc.co.uk"));
        assert!(accepts(Field::Site, "WWW.BBC.CO.UK"));
        assert!(accepts(Field::Site, "co.uk"));
        assert!(!accepts(Field::Site, "c.co.uk"));
        assert!(!accepts(Field::Site, "news.bbc.co.uk"));
    }

    #[test]
    fn feed_matches_name_words_or_host() {
        assert!(accepts(Field::Feed, "bbc news"));
        assert!(accepts(Field::Feed, "World"));
        assert!(accepts(Field::Feed, "bbc.co.uk"));
        assert!(!accepts(Field::Feed, "news bbc"));
    }

    #[test]
    fn lang_compares_primary_subtags() {
        assert!(accepts(Field::Lang, "en"));
        assert!(accepts(Field::Lang, "EN-us"));
        assert!(!accepts(Field::Lang, "de"));
        assert!(
            !Filter::new(Field::Lang, "en", 1)
                .unwrap()
                .accepts(&Document::new("", ""))
        );
    }

    #[test]
    fn empty_values_are_errors() {
        assert!(Filter::new(Field::Site, ".", 3).is_err());
        assert!(Filter::new(Field::Feed, "—", 3).is_err());
        assert_eq!(Filter::new(Field::Lang, "e1", 3).unwrap_err().column, 3);
    }
}
