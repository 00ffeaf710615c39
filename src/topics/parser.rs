//! The query parser: a recursive-descent parser from lexer tokens to the
//! syntax tree, interning each distinct term into a term table as it goes.
//!
//! Grammar (precedence NOT > AND > OR, juxtaposition means AND):
//!
//! ```text
//! query   := or
//! or      := and ("OR" and)*
//! and     := unary ("AND"? unary)*
//! unary   := "NOT"* primary
//! primary := WORD | PHRASE | "(" or ")"
//! ```
//!
//! Errors point at the offending token: a dangling operator at the
//! operator itself, an unclosed `(` at that `(`, a stray `)` at itself.
//! Parenthesis nesting is capped so hostile input cannot exhaust the stack.

use std::collections::HashMap;

use super::QueryError;
use super::ast::{Node, Term, TermId, TermKind, TermRef};
use super::fold::tokenize;
use super::lexer::{Token, TokenKind, lex};

/// Deepest parenthesis nesting accepted; far beyond any real topic.
pub(crate) const MAX_DEPTH: usize = 64;

/// A parsed query: its tree and its table of distinct terms.
#[derive(Debug, Clone)]
pub(crate) struct Parsed {
    pub(crate) root: Node,
    pub(crate) terms: Vec<Term>,
}

/// Parses a query string.
pub(crate) fn parse(src: &str) -> Result<Parsed, QueryError> {
    let tokens = lex(src)?;
    if tokens.is_empty() {
        return Err(QueryError::new(1, "empty query"));
    }
    let mut parser = Parser {
        tokens,
        pos: 0,
        terms: Vec::new(),
        ids: HashMap::new(),
    };
    let root = parser.or(0)?;
    if let Some(token) = parser.peek() {
        // `or` stops only at `)` or the end, so this is a stray `)`.
        return Err(QueryError::new(token.column, "unmatched ')'"));
    }
    Ok(Parsed {
        root,
        terms: parser.terms,
    })
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    terms: Vec<Term>,
    /// Term → its index in `terms`, so repeated terms share one entry.
    ids: HashMap<Term, TermId>,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn peek_kind(&self) -> Option<&TokenKind> {
        self.peek().map(|t| &t.kind)
    }

    fn bump(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        token
    }

    fn or(&mut self, depth: usize) -> Result<Node, QueryError> {
        let mut items = vec![self.and(depth)?];
        while let Some(&Token {
            kind: TokenKind::Or,
            column,
        }) = self.peek()
        {
            self.bump();
            self.expect_operand("OR", column)?;
            items.push(self.and(depth)?);
        }
        Ok(flatten(items, Node::Or))
    }

    fn and(&mut self, depth: usize) -> Result<Node, QueryError> {
        let mut items = vec![self.unary(depth)?];
        loop {
            match self.peek() {
                Some(&Token {
                    kind: TokenKind::And,
                    column,
                }) => {
                    self.bump();
                    self.expect_operand("AND", column)?;
                }
                Some(token) if starts_operand(&token.kind) => {}
                _ => break,
            }
            items.push(self.unary(depth)?);
        }
        Ok(flatten(items, Node::And))
    }

    /// `NOT`s are counted in a loop, not by recursion, and cancel in pairs,
    /// so a long run of them neither recurses nor nests the tree.
    fn unary(&mut self, depth: usize) -> Result<Node, QueryError> {
        let mut negated = false;
        while let Some(&Token {
            kind: TokenKind::Not,
            column,
        }) = self.peek()
        {
            self.bump();
            self.expect_operand("NOT", column)?;
            negated = !negated;
        }
        let node = self.primary(depth)?;
        Ok(if negated {
            Node::Not(Box::new(node))
        } else {
            node
        })
    }

    fn primary(&mut self, depth: usize) -> Result<Node, QueryError> {
        let Some(Token { kind, column }) = self.bump() else {
            return Err(QueryError::new(1, "empty query"));
        };
        match kind {
            TokenKind::Word(word) => self.term(column, word.clone(), &word, "word"),
            TokenKind::Phrase(text) => self.term(column, format!("\"{text}\""), &text, "phrase"),
            TokenKind::LParen => self.group(column, depth + 1),
            TokenKind::RParen => Err(QueryError::new(column, "unmatched ')'")),
            TokenKind::And => Err(no_term_before("AND", column)),
            TokenKind::Or => Err(no_term_before("OR", column)),
            TokenKind::Not => Err(QueryError::new(column, "NOT has no term after it")),
        }
    }

    /// The inside of a parenthesised group; `column` is that of its `(`.
    fn group(&mut self, column: usize, depth: usize) -> Result<Node, QueryError> {
        if depth > MAX_DEPTH {
            let message = format!("parentheses nested deeper than {MAX_DEPTH} levels");
            return Err(QueryError::new(column, message));
        }
        match self.peek_kind() {
            Some(TokenKind::RParen) => return Err(QueryError::new(column, "empty parentheses")),
            None => return Err(unclosed(column)),
            Some(_) => {}
        }
        let inner = self.or(depth)?;
        match self.bump() {
            Some(Token {
                kind: TokenKind::RParen,
                ..
            }) => Ok(inner),
            _ => Err(unclosed(column)),
        }
    }

    /// Builds a term leaf from a word or phrase, rejecting one with no
    /// searchable tokens (`""`, `&`, `—`).
    fn term(
        &mut self,
        column: usize,
        written: String,
        text: &str,
        what: &str,
    ) -> Result<Node, QueryError> {
        let tokens = tokenize(text);
        if tokens.is_empty() {
            let message = if what == "phrase" && text.trim().is_empty() {
                "empty phrase".to_owned()
            } else {
                format!("{what} {written} contains no letters or digits to search for")
            };
            return Err(QueryError::new(column, message));
        }
        let id = self.intern(Term {
            kind: TermKind::Phrase(tokens),
        });
        Ok(Node::Term(TermRef { id, written }))
    }

    fn intern(&mut self, term: Term) -> TermId {
        if let Some(&id) = self.ids.get(&term) {
            return id;
        }
        let id = self.terms.len();
        self.terms.push(term.clone());
        self.ids.insert(term, id);
        id
    }

    /// Checks that the operator at `column` is followed by something that
    /// can start an operand; otherwise the operator is dangling.
    fn expect_operand(&self, op: &str, column: usize) -> Result<(), QueryError> {
        match self.peek_kind() {
            Some(kind) if starts_operand(kind) => Ok(()),
            Some(kind) => {
                let found = describe(kind);
                let message = format!("{op} is followed by {found} instead of a term");
                Err(QueryError::new(column, message))
            }
            None => Err(QueryError::new(
                column,
                format!("{op} has no term after it"),
            )),
        }
    }
}

/// Whether a token can begin an operand (and so an implicit AND).
fn starts_operand(kind: &TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::Word(_) | TokenKind::Phrase(_) | TokenKind::Not | TokenKind::LParen
    )
}

/// A single item is itself; several are combined by `make`.
fn flatten(mut items: Vec<Node>, make: fn(Vec<Node>) -> Node) -> Node {
    if items.len() == 1
        && let Some(only) = items.pop()
    {
        return only;
    }
    make(items)
}

fn describe(kind: &TokenKind) -> &'static str {
    match kind {
        TokenKind::And => "AND",
        TokenKind::Or => "OR",
        TokenKind::RParen => "')'",
        TokenKind::Not => "NOT",
        TokenKind::LParen => "'('",
        TokenKind::Word(_) | TokenKind::Phrase(_) => "a term",
    }
}

fn no_term_before(op: &str, column: usize) -> QueryError {
    QueryError::new(column, format!("{op} has no term before it"))
}

fn unclosed(column: usize) -> QueryError {
    QueryError::new(column, "unclosed '(': missing ')'")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders the tree as an s-expression of written terms.
    fn show(src: &str) -> String {
        fn render(node: &Node) -> String {
            let list = |op: &str, items: &[Node]| {
                let inner: Vec<String> = items.iter().map(render).collect();
                format!("({op} {})", inner.join(" "))
            };
            match node {
                Node::Term(t) => t.written.clone(),
                Node::Not(inner) => format!("(NOT {})", render(inner)),
                Node::And(items) => list("AND", items),
                Node::Or(items) => list("OR", items),
            }
        }
        render(&parse(src).unwrap().root)
    }

    #[test]
    fn precedence_is_not_then_and_then_or() {
        assert_eq!(show("a OR b AND c"), "(OR a (AND b c))");
        assert_eq!(show("NOT a AND b"), "(AND (NOT a) b)");
        assert_eq!(show("a b OR c"), "(OR (AND a b) c)");
        assert_eq!(show("a NOT b"), "(AND a (NOT b))");
        assert_eq!(show("(a OR b) c"), "(AND (OR a b) c)");
        assert_eq!(show("NOT (a OR b)"), "(NOT (OR a b))");
    }

    #[test]
    fn chains_stay_flat_and_double_negation_cancels() {
        assert_eq!(show("a AND b c AND d"), "(AND a b c d)");
        assert_eq!(show("a OR b OR c"), "(OR a b c)");
        assert_eq!(show("NOT NOT a"), "a");
        assert_eq!(show("NOT NOT NOT a"), "(NOT a)");
    }

    #[test]
    fn repeated_terms_share_one_table_entry() {
        let parsed = parse("Trump OR trump OR \"TRUMP\" OR Biden").unwrap();
        assert_eq!(parsed.terms.len(), 2);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = "(".repeat(100_000) + "a" + &")".repeat(100_000);
        let err = parse(&deep).unwrap_err();
        assert_eq!(err.column, MAX_DEPTH + 1);
        let ok = "(".repeat(MAX_DEPTH) + "a" + &")".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_ok());
        let nots = "NOT ".repeat(100_000) + "a";
        assert_eq!(show(&nots), "a");
    }
}
