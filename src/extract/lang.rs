//! Language of an article when the page does not declare one: statistical
//! detection (whatlang, trigrams and scripts) over the extracted text,
//! reported as an ISO 639-1 code like the `<html lang>` values it stands in
//! for, so `lang:` filters and exports see one vocabulary.

use whatlang::Lang;

/// Shortest text worth detecting; below this whatlang guesses at random.
const MIN_CHARS: usize = 40;
/// Enough text for a stable answer; detecting over more only costs time.
const MAX_BYTES: usize = 1024;

/// ISO 639-1 code of the language of `text`, when detection is reliable.
pub fn detect(text: &str) -> Option<String> {
    if text.chars().take(MIN_CHARS).count() < MIN_CHARS {
        return None;
    }
    let info = whatlang::detect(prefix(text, MAX_BYTES))?;
    info.is_reliable()
        .then(|| iso639_1(info.lang()).to_string())
}

/// The longest prefix of `text` within `max` bytes, cut at a char boundary.
fn prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Two-letter code of a whatlang language; the three-letter code for the
/// few that have none (Akan has `ak`, but Turkmen and Mandarin map to their
/// macrolanguage codes as browsers and CMSes write them).
fn iso639_1(lang: Lang) -> &'static str {
    use Lang::*;
    match lang {
        Epo => "eo",
        Eng => "en",
        Rus => "ru",
        Cmn => "zh",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Ben => "bn",
        Fra => "fr",
        Deu => "de",
        Ukr => "uk",
        Kat => "ka",
        Ara => "ar",
        Hin => "hi",
        Jpn => "ja",
        Heb => "he",
        Yid => "yi",
        Pol => "pl",
        Amh => "am",
        Jav => "jv",
        Kor => "ko",
        Nob => "nb",
        Dan => "da",
        Swe => "sv",
        Fin => "fi",
        Tur => "tr",
        Nld => "nl",
        Hun => "hu",
        Ces => "cs",
        Ell => "el",
        Bul => "bg",
        Bel => "be",
        Mar => "mr",
        Kan => "kn",
        Ron => "ro",
        Slv => "sl",
        Hrv => "hr",
        Srp => "sr",
        Mkd => "mk",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Tam => "ta",
        Vie => "vi",
        Urd => "ur",
        Tha => "th",
        Guj => "gu",
        Uzb => "uz",
        Pan => "pa",
        Aze => "az",
        Ind => "id",
        Tel => "te",
        Pes => "fa",
        Mal => "ml",
        Ori => "or",
        Mya => "my",
        Nep => "ne",
        Sin => "si",
        Khm => "km",
        Tuk => "tk",
        Aka => "ak",
        Zul => "zu",
        Sna => "sn",
        Afr => "af",
        Lat => "la",
        Slk => "sk",
        Cat => "ca",
        Tgl => "tl",
        Hye => "hy",
        Cym => "cy",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_common_languages_as_two_letter_codes() {
        let cases = [
            (
                "The minister said on Tuesday that the government would not raise taxes this year.",
                "en",
            ),
            (
                "Der Minister sagte am Dienstag, dass die Regierung die Steuern in diesem Jahr nicht erhöhen werde.",
                "de",
            ),
            (
                "Министр заявил во вторник, что правительство не будет повышать налоги в этом году.",
                "ru",
            ),
            (
                "Le ministre a déclaré mardi que le gouvernement n'augmenterait pas les impôts cette année.",
                "fr",
            ),
        ];
        for (text, code) in cases {
            assert_eq!(detect(text).as_deref(), Some(code), "{text}");
        }
    }

    #[test]
    fn too_short_text_is_not_guessed() {
        assert_eq!(detect("Breaking news"), None);
        assert_eq!(detect(""), None);
    }

    #[test]
    fn long_text_is_cut_on_a_char_boundary() {
        let text = "é".repeat(5000);
        assert!(prefix(&text, MAX_BYTES).len() <= MAX_BYTES);
        detect(&text);
    }
}
