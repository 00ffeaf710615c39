//! Text folding and tokenising: the one normal form that both article text
//! and query terms are reduced to before they are compared. Folding is
//! Unicode NFKD, then dropping every code point whose canonical combining
//! class is non-zero (accents, dakuten, …), then full case folding. Tokens
//! are the maximal runs of word characters (letters, digits, `_` and the
//! marks that survived) in the folded text; everything else is a break.

use caseless::Caseless;
use unicode_normalization::char::{canonical_combining_class, decompose_compatible};

/// Folds `text`: NFKD, drops combining marks (non-zero canonical combining
/// class), then applies full Unicode case folding.
///
/// `fold("Straße Dräger ﬁ")` is `"strasse drager fi"`.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for_each_folded(text, |c| folded.push(c));
    folded
}

/// Folds `text` and cuts it into word tokens (maximal runs of word
/// characters), so hyphens, apostrophes and all punctuation break words.
///
/// `tokenize("Kim Jong-un’s")` is `["kim", "jong", "un", "s"]`.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    for_each_token(text, |token| tokens.push(token.to_owned()));
    tokens
}

/// Calls `emit` with each folded character of `text`, in order.
///
/// Folding works char by char. That equals folding the whole string:
/// NFKD's canonical reordering only permutes runs of non-zero-class
/// marks, which are all dropped, so starters keep their order and each
/// char's contribution is independent of its neighbours.
fn for_each_folded(text: &str, mut emit: impl FnMut(char)) {
    for c in text.chars() {
        if c.is_ascii() {
            emit(c.to_ascii_lowercase());
        } else {
            fold_non_ascii(c, &mut emit);
        }
    }
}

/// Folds one non-ASCII char. (NFKD leaves ASCII alone and its full case
/// folding is plain lower-casing, so callers handle ASCII inline.)
fn fold_non_ascii(c: char, emit: &mut impl FnMut(char)) {
    decompose_compatible(c, |d| {
        if d.is_ascii() {
            // `é` → `e`: skip the case-folding table search.
            emit(d.to_ascii_lowercase());
        } else if canonical_combining_class(d) == 0 {
            // Marks are dropped before case folding, as the scorer does.
            std::iter::once(d).default_case_fold().for_each(&mut *emit);
        }
    });
}

/// Calls `f` with every token of `text` in order. One pass, one reused
/// buffer: this is the hot path of `Document::new`, so ASCII is handled
/// in the loop itself rather than through a per-char callback.
pub(crate) fn for_each_token(text: &str, f: impl FnMut(&str)) {
    let mut cutter = Cutter {
        token: String::new(),
        f,
    };
    for c in text.chars() {
        if c.is_ascii() {
            cutter.feed(c.to_ascii_lowercase());
        } else {
            fold_non_ascii(c, &mut |d| cutter.feed(d));
        }
    }
    cutter.flush();
}

/// Accumulates folded chars into the current token.
struct Cutter<F> {
    token: String,
    f: F,
}

impl<F: FnMut(&str)> Cutter<F> {
    #[inline(always)]
    fn feed(&mut self, c: char) {
        if is_word_char(c) {
            self.token.push(c);
        } else {
            self.flush();
        }
    }

    /// Hands over the current token, if any, and starts a new one.
    fn flush(&mut self) {
        if !self.token.is_empty() {
            (self.f)(&self.token);
            self.token.clear();
        }
    }
}

/// Whether `c` belongs inside a word: the equivalent of a Unicode-aware
/// regex `\w` (alphabetic, numeric, or `_`).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    /// The definition, applied to the whole string at once.
    fn fold_whole_string(text: &str) -> String {
        text.nfkd()
            .filter(|&c| canonical_combining_class(c) == 0)
            .default_case_fold()
            .collect()
    }

    #[test]
    fn char_by_char_folding_equals_whole_string_folding() {
        let samples = [
            "a\u{0323}\u{0301}b \u{0301}x É\u{0327}",
            "İSTANBUL ǅ ŉ ﬃ ΐ ᾲ Ω K Å",
            "한국어 ガギ ㈜ ½ ² Ⅻ ℌ 𝔄 ＡＢ",
            "ẞ ß Σ ς ΣΑΣ Ǆ ǰ ﬅ \u{1E9E}",
            "हिन्दी ไทย العربية עִבְרִית",
        ];
        for sample in samples {
            assert_eq!(fold(sample), fold_whole_string(sample), "{sample}");
        }
    }

    #[test]
    fn folds_diacritics_ligatures_width_and_case() {
        assert_eq!(fold("Dräger"), "drager");
        assert_eq!(fold("Feliciano López"), "feliciano lopez");
        assert_eq!(fold("ﬁnance"), "finance");
        assert_eq!(fold("ＡＢＣ１２３"), "abc123");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("ẞ"), "ss");
        assert_eq!(fold("İstanbul"), "istanbul");
    }

    #[test]
    fn folds_greek_final_sigma_and_cyrillic() {
        assert_eq!(fold("ΟΔΥΣΣΕΑΣ"), fold("Οδυσσέας"));
        assert_eq!(fold("ς"), "σ");
        assert_eq!(fold("МОСКВА"), "москва");
        // й decomposes to и + breve, and the breve is dropped.
        assert_eq!(fold("Зеленский"), "зеленскии");
    }

    #[test]
    fn tokenises_on_every_non_word_character() {
        assert_eq!(tokenize("Kim Jong-un"), ["kim", "jong", "un"]);
        assert_eq!(
            tokenize("“Meth. We’re on it.”"),
            ["meth", "we", "re", "on", "it"]
        );
        assert_eq!(tokenize("snake_case x2"), ["snake_case", "x2"]);
        assert_eq!(tokenize("— & …"), Vec::<String>::new());
        assert_eq!(tokenize(""), Vec::<String>::new());
    }

    #[test]
    fn tokenises_cjk_and_hangul() {
        assert_eq!(tokenize("习近平，访问"), ["习近平", "访问"]);
        // Hangul syllables decompose to conjoining jamo, which are letters.
        assert_eq!(tokenize("김정은 위원장"), [fold("김정은"), fold("위원장")]);
        assert_eq!(tokenize("김정은").len(), 1);
        // Dakuten has a non-zero combining class, so ガ folds to カ.
        assert_eq!(fold("ガ"), "カ");
    }
}
