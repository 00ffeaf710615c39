//! Turning a word or phrase as written in a query into a `Term`: folding
//! and tokenising it like article text, deciding whether a trailing `*`
//! makes it a prefix, and composing the spelling reported when it matches.

use super::QueryError;
use super::ast::{Scope, Term};
use super::fold::{fold, is_word_char, tokenize};

/// A term and how the user wrote it.
#[derive(Debug)]
pub(crate) struct Written {
    pub(crate) term: Term,
    pub(crate) written: String,
}

/// Builds the term for a bare word at `column`. A trailing `*` is the
/// prefix operator only when a word character comes right before it
/// (after folding); then it applies to the word's last token, so
/// `Jong-un*` is the phrase `jong un*`. Any other `*` is punctuation.
pub(crate) fn word(raw: &str, column: usize, scope: Scope) -> Result<Written, QueryError> {
    let stem = raw.strip_suffix('*').filter(|stem| ends_in_word_char(stem));
    let tokens = tokenize(stem.unwrap_or(raw));
    if tokens.is_empty() {
        let message = format!("word {raw} contains no letters or digits to search for");
        return Err(QueryError::new(column, message));
    }
    Ok(written(tokens, stem.is_some(), scope, raw))
}

/// Builds the term for a phrase at `column` (the opening quote); `*`
/// inside a phrase is punctuation.
pub(crate) fn phrase(text: &str, column: usize, scope: Scope) -> Result<Written, QueryError> {
    let tokens = tokenize(text);
    if tokens.is_empty() {
        let message = if text.trim().is_empty() {
            "empty phrase".to_owned()
        } else {
            format!("phrase \"{text}\" contains no letters or digits to search for")
        };
        return Err(QueryError::new(column, message));
    }
    Ok(written(tokens, false, scope, &format!("\"{text}\"")))
}

fn written(tokens: Vec<String>, prefix: bool, scope: Scope, raw: &str) -> Written {
    let written = match scope {
        Scope::All => raw.to_owned(),
        Scope::Title => format!("title:{raw}"),
    };
    Written {
        term: Term {
            tokens,
            prefix,
            scope,
        },
        written,
    }
}

/// Whether the folded form of `text` ends in a word character (so a mark
/// after a letter, which folding drops, still counts as that letter).
fn ends_in_word_char(text: &str) -> bool {
    fold(text).chars().last().is_some_and(is_word_char)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefix_of(raw: &str) -> (Vec<String>, bool) {
        let w = word(raw, 1, Scope::All).unwrap();
        (w.term.tokens, w.term.prefix)
    }

    #[test]
    fn star_after_a_word_character_is_a_prefix() {
        assert_eq!(prefix_of("sanction*"), (vec!["sanction".into()], true));
        assert_eq!(
            prefix_of("Jong-un*"),
            (vec!["jong".into(), "un".into()], true)
        );
        assert_eq!(prefix_of("é*"), (vec!["e".into()], true));
        assert_eq!(prefix_of("e\u{301}*"), (vec!["e".into()], true));
    }

    #[test]
    fn other_stars_are_punctuation() {
        assert_eq!(prefix_of("a-*"), (vec!["a".into()], false));
        assert_eq!(prefix_of("a**"), (vec!["a".into()], false));
        assert_eq!(prefix_of("a*b"), (vec!["a".into(), "b".into()], false));
        assert!(word("*", 4, Scope::All).is_err());
    }

    #[test]
    fn title_terms_report_their_field() {
        let w = phrase("a b", 1, Scope::Title).unwrap();
        assert_eq!(w.written, "title:\"a b\"");
        assert_eq!(
            phrase(" ", 7, Scope::All).unwrap_err().message,
            "empty phrase"
        );
    }
}
