//! The query lexer: cuts a query string into quoted phrases, bare words,
//! the upper-case operators `AND`, `OR`, `NOT`, and parentheses, each with
//! the 1-based character column where it starts (for error messages).
//!
//! A bare word is any run of characters other than whitespace, `"`, `(`
//! and `)`; folding later decides which word tokens it contains. Later
//! syntax (`NEAR/n`, `word*`, `title:`) will be recognised here by
//! inspecting bare words, so the token set can grow without a rewrite.

use std::iter::Peekable;
use std::str::CharIndices;

use super::QueryError;

/// What a lexical token is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// A bare word as written, e.g. `Jong-un`.
    Word(String),
    /// The text between two `"`, without the quotes.
    Phrase(String),
    And,
    Or,
    Not,
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

/// Cuts `src` into tokens; fails only on an unterminated quote.
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
            _ => self.word(start),
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

    /// Consumes a bare word starting at byte `start`; the operators are
    /// bare words spelled exactly `AND`, `OR` or `NOT`.
    fn word(&mut self, start: usize) -> TokenKind {
        let mut end = start;
        while let Some(&(i, c)) = self.chars.peek() {
            if c.is_whitespace() || matches!(c, '"' | '(' | ')') {
                break;
            }
            end = i + c.len_utf8();
            self.bump();
        }
        match &self.src[start..end] {
            "AND" => TokenKind::And,
            "OR" => TokenKind::Or,
            "NOT" => TokenKind::Not,
            word => TokenKind::Word(word.to_owned()),
        }
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

    #[test]
    fn lexes_words_phrases_operators_and_parens() {
        assert_eq!(
            kinds("(a OR \"b c\")AND NOT d-e"),
            [
                (LParen, 1),
                (Word("a".into()), 2),
                (Or, 4),
                (Phrase("b c".into()), 7),
                (RParen, 12),
                (And, 13),
                (Not, 17),
                (Word("d-e".into()), 21),
            ]
        );
    }

    #[test]
    fn lower_case_operators_are_words() {
        assert_eq!(
            kinds("and Or"),
            [(Word("and".into()), 1), (Word("Or".into()), 5)]
        );
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
        assert_eq!(lex("ab \"cd").unwrap_err().column, 4);
    }
}
