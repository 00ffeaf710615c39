//! The matchable form of an article: its title and body folded and
//! tokenised once into a single token stream (title first), plus the
//! metadata that `site:`, `feed:` and `lang:` filters and per-topic
//! language lists test. A document is built without knowing any query,
//! so one document can be matched against any number of topic sets.

use super::fold::Tokens;

/// A folded, tokenised article ready for matching.
///
/// Title and body form one token stream, title first, exactly as if the
/// text were `title + "\n" + body`: a phrase may run from the end of the
/// title into the body. The document remembers where the title ends for
/// `title:` terms.
#[derive(Debug, Clone, Default)]
pub struct Document {
    tokens: Tokens,
    /// Number of title tokens: positions `0..title_len` are the title.
    title_len: usize,
    site: Option<String>,
    feed: Option<String>,
    lang: Option<String>,
}

impl Document {
    /// Folds and tokenises `title` and `body`, one pass over each.
    pub fn new(title: &str, body: &str) -> Document {
        let mut tokens = Tokens::with_capacity(title.len() + body.len());
        tokens.push_text(title);
        let title_len = tokens.len();
        tokens.push_text(body);
        Document {
            tokens,
            title_len,
            ..Document::default()
        }
    }

    /// Sets the host the article came from (e.g. `www.reuters.com`), the
    /// value `site:` and `feed:` compare against.
    pub fn with_site(mut self, host: &str) -> Document {
        self.site = Some(host.trim().trim_end_matches('.').to_ascii_lowercase());
        self
    }

    /// Sets the name of the feed the article came from, which `feed:`
    /// compares against.
    pub fn with_feed(mut self, name: &str) -> Document {
        self.feed = Some(name.to_owned());
        self
    }

    /// Sets the article's language (an ISO 639-1 code such as `en`; a
    /// region such as `en-GB` is ignored), which `lang:` and topic
    /// language lists compare against.
    pub fn with_lang(mut self, code: &str) -> Document {
        self.lang = Some(primary_language(code).to_ascii_lowercase());
        self
    }

    /// Number of tokens in the stream (title and body).
    pub fn token_count(&self) -> usize {
        self.tokens.len()
    }

    /// Number of tokens in the stream.
    pub(crate) fn len(&self) -> usize {
        self.tokens.len()
    }

    /// The folded bytes of the token at `pos` (empty past the end).
    pub(crate) fn token(&self, pos: usize) -> &[u8] {
        self.tokens.get(pos)
    }

    /// Every token of the stream in order.
    pub(crate) fn tokens(&self) -> impl Iterator<Item = &[u8]> + '_ {
        self.tokens.iter()
    }

    /// Number of title tokens at the start of the stream.
    pub(crate) fn title_len(&self) -> usize {
        self.title_len
    }

    pub(crate) fn site(&self) -> Option<&str> {
        self.site.as_deref()
    }

    pub(crate) fn feed(&self) -> Option<&str> {
        self.feed.as_deref()
    }

    pub(crate) fn lang(&self) -> Option<&str> {
        self.lang.as_deref()
    }
}

/// The primary subtag of a language tag, as written: `en-GB` → `en`.
pub(crate) fn primary_language(code: &str) -> &str {
    let code = code.trim();
    code.split(['-', '_']).next().unwrap_or(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(doc: &Document) -> Vec<String> {
        doc.tokens()
            .map(|t| String::from_utf8_lossy(t).into_owned())
            .collect()
    }

    #[test]
    fn title_and_body_are_one_stream() {
        let doc = Document::new("Kim Jong", "Un said");
        assert_eq!(doc.title_len(), 2);
        assert_eq!(tokens(&doc), ["kim", "jong", "un", "said"]);
        assert_eq!(doc.token(3), b"said");
        assert_eq!(doc.token(4), b"");
    }

    #[test]
    fn title_never_joins_the_body() {
        let doc = Document::new("Kim", "Jong");
        assert_eq!(tokens(&doc), ["kim", "jong"]);
    }

    #[test]
    fn metadata_is_normalised() {
        let doc = Document::new("", "")
            .with_site("WWW.Reuters.com.")
            .with_feed("BBC World")
            .with_lang("en-GB");
        assert_eq!(doc.site(), Some("www.reuters.com"));
        assert_eq!(doc.feed(), Some("BBC World"));
        assert_eq!(doc.lang(), Some("en"));
        assert_eq!(Document::new("", "").lang(), None);
    }
}
