//! The query parser: a recursive-descent parser from lexer tokens to the
//! syntax tree, interning each distinct term into a term table as it goes.
//!
//! Grammar (precedence NEAR > NOT > AND > OR, juxtaposition means AND):
//!
//! ```text
//! query   := or
//! or      := and ("OR" and)*
//! and     := unary ("AND"? unary)*
//! unary   := "NOT"* near
//! near    := primary ("NEAR/n" term)?          both sides plain terms
//! primary := term | "(" or ")" | FILTER (WORD | PHRASE)
//! term    := "title:"* (WORD | PHRASE)         or "title:"* "(" or ")"
//! ```
//!
//! Errors point at the offending token: a dangling operator at the
//! operator itself, an unclosed `(` at that `(`, a stray `)` at itself.
//! Parenthesis nesting is capped so hostile input cannot exhaust the stack.

use std::collections::HashMap;

use super::QueryError;
use super::ast::{Node, Scope, Term, TermId, TermRef};
use super::filter::Filter;
use super::lexer::{Field, Token, TokenKind, lex};
use super::term::{self, Written};

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
    let root = parser.or(0, Scope::All)?;
    if let Some(token) = parser.peek() {
        // `or` stops only at `)` or the end, so this is a stray `)`.
        return Err(QueryError::new(token.column, "unmatched ')'"));
    }
    Ok(Parsed {
        root,
        terms: parser.terms,
    })
}

/// Parses `src` as exactly one term (word, `word*`, phrase, `title:`…),
/// as weighted term lists require.
pub(crate) fn parse_term(src: &str) -> Result<Written, QueryError> {
    let parsed = parse(src)?;
    match parsed.root {
        Node::Term(TermRef { id, written }) => Ok(Written {
            term: parsed.terms[id].clone(),
            written,
        }),
        _ => Err(QueryError::new(
            1,
            "a weighted term must be a single word or phrase",
        )),
    }
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

    fn or(&mut self, depth: usize, scope: Scope) -> Result<Node, QueryError> {
        let mut items = vec![self.and(depth, scope)?];
        while let Some(&Token {
            kind: TokenKind::Or,
            column,
        }) = self.peek()
        {
            self.bump();
            self.expect_operand("OR", column)?;
            items.push(self.and(depth, scope)?);
        }
        Ok(flatten(items, Node::Or))
    }

    fn and(&mut self, depth: usize, scope: Scope) -> Result<Node, QueryError> {
        let mut items = vec![self.unary(depth, scope)?];
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
            items.push(self.unary(depth, scope)?);
        }
        Ok(flatten(items, Node::And))
    }

    /// `NOT`s are counted in a loop, not by recursion, and cancel in pairs,
    /// so a long run of them neither recurses nor nests the tree.
    fn unary(&mut self, depth: usize, scope: Scope) -> Result<Node, QueryError> {
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
        let node = self.near(depth, scope)?;
        Ok(if negated {
            Node::Not(Box::new(node))
        } else {
            node
        })
    }

    /// An operand, joined to a second plain term if `NEAR/n` follows.
    fn near(&mut self, depth: usize, scope: Scope) -> Result<Node, QueryError> {
        let (node, plain) = self.primary(depth, scope)?;
        let Some(&Token {
            kind: TokenKind::Near(distance),
            column,
        }) = self.peek()
        else {
            return Ok(node);
        };
        let op = format!("NEAR/{distance}");
        let (Node::Term(left), true) = (node, plain) else {
            let message = format!("{op} needs a word or phrase before it, not a group or filter");
            return Err(QueryError::new(column, message));
        };
        self.bump();
        let right = self.near_operand(&op, column, depth, scope)?;
        if let Some(&Token {
            kind: TokenKind::Near(_),
            column,
        }) = self.peek()
        {
            let message = "NEAR does not chain: join two NEARs with AND";
            return Err(QueryError::new(column, message));
        }
        Ok(Node::Near {
            left,
            right,
            distance,
        })
    }

    /// The term after `NEAR/n` (written `op`, at `column`).
    fn near_operand(
        &mut self,
        op: &str,
        column: usize,
        depth: usize,
        scope: Scope,
    ) -> Result<TermRef, QueryError> {
        let found = match self.peek_kind() {
            None => {
                return Err(QueryError::new(
                    column,
                    format!("{op} has no term after it"),
                ));
            }
            Some(kind) => describe(kind),
        };
        let wrong = || {
            let message = format!("{op} is followed by {found} instead of a word or phrase");
            QueryError::new(column, message)
        };
        if !matches!(
            self.peek_kind(),
            Some(TokenKind::Word(_) | TokenKind::Phrase(_) | TokenKind::Field(Field::Title))
        ) {
            return Err(wrong());
        }
        match self.primary(depth, scope)? {
            (Node::Term(term), true) => Ok(term),
            _ => Err(wrong()),
        }
    }

    /// A term, group or filter, and whether it is a plain term (one that
    /// may be an operand of `NEAR`).
    fn primary(&mut self, depth: usize, mut scope: Scope) -> Result<(Node, bool), QueryError> {
        // A loop rather than recursion, so `title:title:…` cannot nest.
        while let Some(TokenKind::Field(Field::Title)) = self.peek_kind() {
            self.bump();
            scope = Scope::Title;
        }
        let Some(Token { kind, column }) = self.bump() else {
            return Err(QueryError::new(1, "empty query"));
        };
        match kind {
            TokenKind::Word(raw) => Ok((self.term(term::word(&raw, column, scope)?), true)),
            TokenKind::Phrase(text) => Ok((self.term(term::phrase(&text, column, scope)?), true)),
            TokenKind::LParen => Ok((self.group(column, depth + 1, scope)?, false)),
            TokenKind::Field(field) => Ok((self.filter(field, column, scope)?, false)),
            TokenKind::RParen => Err(QueryError::new(column, "unmatched ')'")),
            TokenKind::And => Err(no_term_before("AND", column)),
            TokenKind::Or => Err(no_term_before("OR", column)),
            TokenKind::Near(n) => Err(no_term_before(&format!("NEAR/{n}"), column)),
            TokenKind::Not => Err(QueryError::new(column, "NOT has no term after it")),
        }
    }

    /// The inside of a parenthesised group; `column` is that of its `(`.
    fn group(&mut self, column: usize, depth: usize, scope: Scope) -> Result<Node, QueryError> {
        if depth > MAX_DEPTH {
            let message = format!("parentheses nested deeper than {MAX_DEPTH} levels");
            return Err(QueryError::new(column, message));
        }
        match self.peek_kind() {
            Some(TokenKind::RParen) => return Err(QueryError::new(column, "empty parentheses")),
            None => return Err(unclosed(column)),
            Some(_) => {}
        }
        let inner = self.or(depth, scope)?;
        match self.bump() {
            Some(Token {
                kind: TokenKind::RParen,
                ..
            }) => Ok(inner),
            _ => Err(unclosed(column)),
        }
    }

    /// `site:`, `feed:` or `lang:` (at `column`) and the value after it.
    fn filter(&mut self, field: Field, column: usize, scope: Scope) -> Result<Node, QueryError> {
        let prefix = field.prefix();
        if scope == Scope::Title {
            let message = format!("{prefix} is a filter and cannot be scoped to the title");
            return Err(QueryError::new(column, message));
        }
        match self.bump().map(|t| t.kind) {
            Some(TokenKind::Word(value) | TokenKind::Phrase(value)) => {
                Ok(Node::Filter(Filter::new(field, &value, column)?))
            }
            other => {
                let found = other.as_ref().map_or("nothing", describe);
                let message = format!("{prefix} takes a word or phrase, not {found}");
                Err(QueryError::new(column, message))
            }
        }
    }

    /// Interns a built term and makes its leaf.
    fn term(&mut self, written: Written) -> Node {
        let id = match self.ids.get(&written.term) {
            Some(&id) => id,
            None => {
                let id = self.terms.len();
                self.terms.push(written.term.clone());
                self.ids.insert(written.term, id);
                id
            }
        };
        Node::Term(TermRef {
            id,
            written: written.written,
        })
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
        TokenKind::Word(_)
            | TokenKind::Phrase(_)
            | TokenKind::Not
            | TokenKind::LParen
            | TokenKind::Field(_)
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
        TokenKind::Near(_) => "NEAR",
        TokenKind::RParen => "')'",
        TokenKind::Not => "NOT",
        TokenKind::LParen => "'('",
        TokenKind::Field(_) => "a field",
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
mod tests;
