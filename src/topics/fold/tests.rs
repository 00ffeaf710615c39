//! Folding and tokenising against their definitions, applied to whole
//! strings with the general Unicode tables.

use super::*;
use unicode_normalization::UnicodeNormalization;

/// The definition, applied to the whole string at once.
fn fold_whole_string(text: &str) -> String {
    text.nfkd()
        .filter(|&c| canonical_combining_class(c) == 0)
        .default_case_fold()
        .collect()
}

/// The definition of tokens: split the folded string on non-word
/// chars, then every char of a script without spaces on its own.
fn tokenize_by_definition(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let folded = fold_whole_string(text);
    for word in folded.split(|c: char| !is_word_char(c)) {
        let mut run = String::new();
        for c in word.chars() {
            if is_solo(c) {
                tokens.extend((!run.is_empty()).then(|| std::mem::take(&mut run)));
                tokens.push(c.to_string());
            } else {
                run.push(c);
            }
        }
        tokens.extend((!run.is_empty()).then_some(run));
    }
    tokens
}

const SAMPLES: [&str; 10] = [
    "朝鲜领导人Kim Jong Un视察，東京都知事はｶﾀｶﾅ・コーヒー 2024年",
    "วันนี้กรุงเทพมีฝนตก ເມືອງລາວ ភ្នំពេញ မြန်မာ",
    "iPhone手机 ＡＢＣ北京 𠀋 ㈱ 﨑 ⼭",
    "a\u{0323}\u{0301}b \u{0301}x É\u{0327}",
    "İSTANBUL ǅ ŉ ﬃ ΐ ᾲ Ω K Å",
    "한국어 ガギ ㈜ ½ ² Ⅻ ℌ 𝔄 ＡＢ",
    "ẞ ß Σ ς ΣΑΣ Ǆ ǰ ﬅ \u{1E9E}",
    "हिन्दी ไทย العربية עִבְרִית",
    "“Meth. We’re on it.” — Kim Jong‑un’s ‘plan’… x‿y ‼ a\u{00A0}b",
    "Dräger-Werk AG: 3½% ＡＢＣ１２３ snake_case",
];

#[test]
fn char_by_char_folding_equals_whole_string_folding() {
    for sample in SAMPLES {
        assert_eq!(fold(sample), fold_whole_string(sample), "{sample}");
    }
}

#[test]
fn fast_tokenizer_equals_the_definition() {
    for sample in SAMPLES {
        assert_eq!(tokenize(sample), tokenize_by_definition(sample), "{sample}");
    }
}

#[test]
fn general_punctuation_folds_to_breaks_only() {
    for c in ('\u{2000}'..='\u{206F}').filter(|c| !c.is_control()) {
        let folded = fold_whole_string(&c.to_string());
        assert!(!folded.chars().any(is_word_char), "U+{:04X}", c as u32);
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
    assert_eq!(tokenize("习近平，访问"), ["习", "近", "平", "访", "问"]);
    assert_eq!(
        tokenize("领导人Kim Jong Un视察"),
        ["领", "导", "人", "kim", "jong", "un", "视", "察"]
    );
    // Half-width kana fold to full width; the prolonged sound mark is kana.
    assert_eq!(tokenize("ｺｰﾋｰ"), ["コ", "ー", "ヒ", "ー"]);
    assert_eq!(tokenize("ＡＢＣ東京"), ["abc", "東", "京"]);
    // Hangul syllables decompose to conjoining jamo, which are letters.
    assert_eq!(tokenize("김정은 위원장"), [fold("김정은"), fold("위원장")]);
    assert_eq!(tokenize("김정은").len(), 1);
    // Dakuten has a non-zero combining class, so ガ folds to カ.
    assert_eq!(fold("ガ"), "カ");
}

#[test]
fn separate_pushes_never_join_tokens() {
    let mut tokens = Tokens::default();
    tokens.push_text("Kim");
    tokens.push_text("Jong");
    let all: Vec<&[u8]> = tokens.iter().collect();
    assert_eq!(all, [b"kim".as_slice(), b"jong".as_slice()]);
    assert_eq!(tokens.get(5), b"");
}
