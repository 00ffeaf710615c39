//! The query lexer: cuts a query string into quoted phrases, bare words,
//! the upper-case operators `AND`, `OR`, `NOT` and `NEAR/n`, field
//! prefixes (`title:`, `site:`, `feed:`, `lang:`) and parentheses, each
//! with the 1-based character column where it starts (for error messages).
//!
//! A bare word is any run of characters other than whitespace, `"`, `(`
//! and `)`; folding later decides which word tokens it contains, and the
//! parser decides whether a trailing `*` makes it a prefix. A field prefix
//! is recognised only at the start of a bare word and binds to whatever
//! follows the colon directly, so `title:(a OR b)` and `title:"a b"` work.

use std::iter::Peekable;
use std::str::CharIndices;

use super::QueryError;

/// A field prefix: `title:` scopes terms, the others filter metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Title,
    Site,
    Feed,
    Lang,
}

impl Field {
    const ALL: [(Field, &'static str); 4] = [
        (Field::Title, "title:"),
        (Field::Site, "site:"),
        (Field::Feed, "feed:"),
        (Field::Lang, "lang:"),
    ];

    /// The prefix as written, colon included.
    pub(crate) fn prefix(self) -> &'static str {
        Field::ALL
            .iter()
            .find(|(field, _)| *field == self)
            .map_or("", |(_, prefix)| prefix)
    }
}

/// What a lexical token is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// A bare word as written, e.g. `Jong-un` or `sanction*`.
    Word(String),
    /// The text between two `"`, without the quotes.
    Phrase(String),
    And,
    Or,
    Not,
    /// `NEAR/n`, with n.
    Near(u32),
    /// A field prefix, which applies to the token right after it.
    Field(Field),
    LParen,
    RParen,
}

/// A lexical token and the column where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) kind: TokenKind,
    /// 1-based column, counted in chars.
    pub(crate) column: usize,
}

/// Cuts `src` into tokens; fails on an unterminated quote, a `NEAR`
/// without a distance, or a field prefix with nothing right after it.
pub(crate) fn lex(src: &str) -> Result<Vec<Token>, QueryError> {
    let mut lexer = Lexer {
        src,
        chars: src.char_indices().peekable(),
        column: 1,
    };
    let mut tokens = Vec::new();
    while let Some(token) = lexer.next_token()? {
        tokens.push(token);
    }
    Ok(tokens)
}

/// Cursor over the query that keeps the char column in step with the
/// byte offset.
struct Lexer<'a> {
    src: &'a str,
    chars: Peekable<CharIndices<'a>>,
    /// Column of the char `chars` will yield next.
    column: usize,
}

impl Lexer<'_> {
    /// The next token, `None` at the end of the query.
    fn next_token(&mut self) -> Result<Option<Token>, QueryError> {
        self.skip_whitespace();
        let column = self.column;
        let Some(&(start, c)) = self.chars.peek() else {
            return Ok(None);
        };
        let kind = match c {
            '(' => self.single(TokenKind::LParen),
            ')' => self.single(TokenKind::RParen),
            '"' => self.phrase(column)?,
            _ => match self.field(start, column)? {
                Some(field) => TokenKind::Field(field),
                None => self.word(start, column)?,
            },
        };
        Ok(Some(Token { kind, column }))
    }

    fn bump(&mut self) -> Option<(usize, char)> {
        let next = self.chars.next();
        if next.is_some() {
            self.column += 1;
        }
        next
    }

    fn skip_whitespace(&mut self) {
        while self.chars.peek().is_some_and(|&(_, c)| c.is_whitespace()) {
            self.bump();
        }
    }

    /// Consumes a one-char token.
    fn single(&mut self, kind: TokenKind) -> TokenKind {
        self.bump();
        kind
    }

    /// Consumes `"…"`; `column` is that of the opening quote.
    fn phrase(&mut self, column: usize) -> Result<TokenKind, QueryError> {
        self.bump();
        let mut text = String::new();
        loop {
            match self.bump() {
                Some((_, '"')) => return Ok(TokenKind::Phrase(text)),
                Some((_, c)) => text.push(c),
                None => {
                    return Err(QueryError::new(
                        column,
                        "unterminated quote: missing closing '\"'",
                    ));
                }
            }
        }
    }

    /// Consumes a field prefix at byte `start`, if there is one; it must
    /// be followed directly by the term, phrase or group it applies to.
    fn field(&mut self, start: usize, column: usize) -> Result<Option<Field>, QueryError> {
        let rest = &self.src[start..];
        let Some(&(field, prefix)) = Field::ALL.iter().find(|(_, p)| rest.starts_with(p)) else {
            return Ok(None);
        };
        for _ in 0..prefix.len() {
            self.bump();
        }
        match self.chars.peek() {
            Some(&(_, c)) if !c.is_whitespace() => Ok(Some(field)),
            _ => Err(QueryError::new(
                column,
                format!("{prefix} must be followed directly by a term, phrase or group"),
            )),
        }
    }

    /// Consumes a bare word starting at byte `start`; the operators are
    /// bare words spelled exactly `AND`, `OR`, `NOT` or `NEAR/<digits>`.
    fn word(&mut self, start: usize, column: usize) -> Result<TokenKind, QueryError> {
        let mut end = start;
        while let Some(&(i, c)) = self.chars.peek() {
            if c.is_whitespace() || matches!(c, '"' | '(' | ')') {
                break;
            }
            end = i + c.len_utf8();
            self.bump();
        }
        Ok(match &self.src[start..end] {
            "AND" => TokenKind::And,
            "OR" => TokenKind::Or,
            "NOT" => TokenKind::Not,
            near if near == "NEAR" || near.starts_with("NEAR/") => near_distance(near, column)?,
            word => TokenKind::Word(word.to_owned()),
        })
    }
}

/// Reads the n of `NEAR/n`.
fn near_distance(word: &str, column: usize) -> Result<TokenKind, QueryError> {
    let digits = word.strip_prefix("NEAR/").unwrap_or("");
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(QueryError::new(
            column,
            "NEAR needs a distance in tokens, as in NEAR/3",
        ));
    }
    match digits.parse() {
        Ok(n) => Ok(TokenKind::Near(n)),
        Err(_) => Err(QueryError::new(column, "NEAR distance is too large")),
    }
}

#[cfg(test)]
mod tests {
    use super::TokenKind::*;
    use super::*;

    fn kinds(src: &str) -> Vec<(TokenKind, usize)> {
        lex(src)
            .unwrap()
            .into_iter()
            .map(|t| (t.kind, t.column))
            .collect()
    }

    fn error_column(src: &str) -> usize {
        lex(src).unwrap_err().column
    }

    #[test]
    fn lexes_words_phrases_operators_and_parens() {
        assert_eq!(
            kinds("(a OR \"b c\")AND NOT d-e NEAR/12 f*"),
            [
                (LParen, 1),
                (Word("a".into()), 2),
                (Or, 4),
                (Phrase("b c".into()), 7),
                (RParen, 12),
                (And, 13),
                (Not, 17),
                (Word("d-e".into()), 21),
                (Near(12), 25),
                (Word("f*".into()), 33),
            ]
        );
    }

    #[test]
    fn lower_case_operators_are_words() {
        assert_eq!(
            kinds("and Or near/2 NEARBY"),
            [
                (Word("and".into()), 1),
                (Word("Or".into()), 5),
                (Word("near/2".into()), 8),
                (Word("NEARBY".into()), 15),
            ]
        );
    }

    #[test]
    fn field_prefixes_bind_to_what_follows() {
        assert_eq!(
            kinds("title:(a) site:x.com title:\"b\" Title:c"),
            [
                (Field(super::Field::Title), 1),
                (LParen, 7),
                (Word("a".into()), 8),
                (RParen, 9),
                (Field(super::Field::Site), 11),
                (Word("x.com".into()), 16),
                (Field(super::Field::Title), 22),
                (Phrase("b".into()), 28),
                (Word("Title:c".into()), 32),
            ]
        );
        assert_eq!(error_column("a title: b"), 3);
        assert_eq!(error_column("lang:"), 1);
    }

    #[test]
    fn near_needs_a_distance() {
        assert_eq!(error_column("a NEAR b"), 3);
        assert_eq!(error_column("a NEAR/ b"), 3);
        assert_eq!(error_column("a NEAR/x b"), 3);
        assert_eq!(error_column("a NEAR/99999999999 b"), 3);
    }

    #[test]
    fn columns_count_chars_not_bytes() {
        assert_eq!(kinds("é ü"), [(Word("é".into()), 1), (Word("ü".into()), 3)]);
    }

    #[test]
    fn words_stop_at_quotes_and_curly_quotes_do_not_delimit() {
        assert_eq!(
            kinds("a\"b\""),
            [(Word("a".into()), 1), (Phrase("b".into()), 2)]
        );
        assert_eq!(
            kinds("“x y”"),
            [(Word("“x".into()), 1), (Word("y”".into()), 4)]
        );
    }

    #[test]
    fn unterminated_quote_reports_the_opening_column() {
        assert_eq!(error_column("ab \"cd"), 4);
    }
}
