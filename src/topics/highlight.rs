//! Where matched terms occur in a text, to show a match to a person: the
//! byte ranges of the original text whose tokens spell a reported term,
//! found with the folding and tokenising that matching uses, so a term is
//! marked exactly where it matched, in any script ("Dräger" for `Drager`,
//! "北京" inside "今天北京下雨了" for `北京`, "ＫＩＭ" for `kim`).

use std::ops::Range;

use super::Query;
use super::ast::Term;
use super::fold::{fold_non_ascii, is_solo, is_word_char};

/// Byte ranges of `text` where any of `terms` occurs, in text order, with
/// overlapping and touching ranges merged. Terms are written as matches
/// report them (`"Kim Jong Un"`, `sanction*`, `title:Trump`, `北京`); a
/// `title:` term is looked for in whatever text is given, and a term that
/// does not parse is skipped.
pub fn highlights<S: AsRef<str>>(text: &str, terms: &[S]) -> Vec<Range<usize>> {
    let tokens = spanned_tokens(text);
    let mut found: Vec<Range<usize>> = Vec::new();
    for written in terms {
        let Ok(query) = Query::parse(written.as_ref()) else {
            continue;
        };
        for term in &query.terms {
            found.extend(occurrences(&tokens, term));
        }
    }
    merge(found)
}

/// A folded token and the bytes of the source text it was folded from.
#[derive(Debug)]
struct Spanned {
    text: String,
    span: Range<usize>,
}

/// The tokens of `text`, exactly as `fold::tokenize` cuts them, each with
/// its source range. Folding is char by char (see `fold_non_ascii`), so
/// every folded char comes from one source char.
fn spanned_tokens(text: &str) -> Vec<Spanned> {
    let mut cut = SpanCutter::default();
    for (at, c) in text.char_indices() {
        let span = at..at + c.len_utf8();
        if c.is_ascii() {
            cut.folded(c.to_ascii_lowercase(), &span);
        } else {
            fold_non_ascii(c, &mut |d| cut.folded(d, &span));
        }
    }
    cut.close();
    cut.tokens
}

#[derive(Default)]
struct SpanCutter {
    tokens: Vec<Spanned>,
    open: Option<Spanned>,
}

impl SpanCutter {
    fn folded(&mut self, d: char, span: &Range<usize>) {
        if is_solo(d) {
            self.close();
            self.tokens.push(Spanned {
                text: d.to_string(),
                span: span.clone(),
            });
        } else if is_word_char(d) {
            let open = self.open.get_or_insert_with(|| Spanned {
                text: String::new(),
                span: span.clone(),
            });
            open.text.push(d);
            open.span.end = span.end;
        } else {
            self.close();
        }
    }

    fn close(&mut self) {
        self.tokens.extend(self.open.take());
    }
}

/// Source ranges where the tokens of `term` occur consecutively (the last
/// one as a prefix when the term is one).
fn occurrences<'a>(
    tokens: &'a [Spanned],
    term: &'a Term,
) -> impl Iterator<Item = Range<usize>> + 'a {
    let len = term.tokens.len();
    tokens.windows(len.max(1)).filter_map(move |window| {
        let last = len.checked_sub(1)?;
        let fits = window
            .iter()
            .zip(&term.tokens)
            .enumerate()
            .all(|(i, (t, want))| {
                t.text == *want || (i == last && term.prefix && t.text.starts_with(want.as_str()))
            });
        fits.then(|| window[0].span.start..window[last].span.end)
    })
}

/// Sorted ranges, overlapping or touching ones joined.
fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match out.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => out.push(range),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::topics::tokenize;

    fn marked(text: &str, terms: &[&str]) -> Vec<String> {
        highlights(text, terms)
            .into_iter()
            .map(|r| text[r].to_owned())
            .collect()
    }

    #[test]
    fn spanned_tokens_are_the_matching_tokens() {
        for text in [
            "Kim Jong-un’s Dräger ﬁnance ＡＢＣ１２３ Straße",
            "朝鲜领导人Kim Jong Un视察，東京都知事はｶﾀｶﾅ・コーヒー",
            "วันนี้กรุงเทพมีฝนตก ເມືອງລາວ ភ្នំពេញ မြန်မာ 김정은 위원장",
        ] {
            let spanned: Vec<String> = spanned_tokens(text).into_iter().map(|t| t.text).collect();
            assert_eq!(spanned, tokenize(text), "{text}");
        }
    }

    #[test]
    fn marks_words_phrases_and_prefixes_where_they_matched() {
        let text = "Kim Jong-un met Dräger sanctioners; KIM again.";
        assert_eq!(
            marked(text, &["\"Kim Jong Un\"", "Drager", "sanction*"]),
            ["Kim Jong-un", "Dräger", "sanctioners"]
        );
        assert_eq!(marked(text, &["title:kim"]), ["Kim", "KIM"]);
        assert!(marked(text, &["\"unclosed"]).is_empty());
    }

    #[test]
    fn marks_terms_inside_runs_of_scripts_without_spaces() {
        assert_eq!(marked("今天北京下雨了", &["北京"]), ["北京"]);
        assert_eq!(marked("วันนี้กรุงเทพมีฝนตก", &["กรุงเทพ"]), ["กรุงเทพ"]);
        assert_eq!(
            marked(
                "朝鲜领导人Kim Jong Un视察工厂",
                &["领导人", "\"Kim Jong Un\""]
            ),
            ["领导人Kim Jong Un"]
        );
        assert_eq!(marked("東京都知事はｺｰﾋｰを", &["コーヒー"]), ["ｺｰﾋｰ"]);
    }
}
