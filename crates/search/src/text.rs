//! Text normalisation and character classes shared by the analyzers, the
//! query builder and the highlighter.
//!
//! Everything that enters the index or a query is NFKC-normalised first,
//! so half-width katakana and full-width Latin letters become their usual
//! forms (ｷｬﾘｱ → キャリア, ＵＸ → UX). Tokens are then folded: lower case,
//! and (in the bigram field) katakana as hiragana, so a query typed in
//! either script finds both.

use unicode_normalization::UnicodeNormalization;

/// NFKC, with every kind of white space made a plain space.
pub fn normalise(text: &str) -> String {
    text.nfkc()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect()
}

/// A character of Japanese (or Chinese) writing: kanji, hiragana,
/// katakana, the iteration and long-vowel marks.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3005}' | '\u{3006}' | '\u{3007}'     // 々 〆 〇
        | '\u{3041}'..='\u{309F}'                // hiragana
        | '\u{30A0}'..='\u{30FF}'                // katakana (ー included)
        | '\u{31F0}'..='\u{31FF}'                // katakana extensions
        | '\u{3400}'..='\u{4DBF}'                // CJK extension A
        | '\u{4E00}'..='\u{9FFF}'                // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}'                // compatibility ideographs
        | '\u{20000}'..='\u{2FFFF}')
}

/// A character of a Latin-script word (letters and digits of any script
/// other than the CJK ones).
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// Katakana (not the long-vowel mark).
pub fn is_katakana(c: char) -> bool {
    matches!(c, '\u{30A1}'..='\u{30F6}')
}

/// Hiragana letters.
pub fn is_hiragana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{3096}')
}

/// Kana of either kind, with the long-vowel mark.
pub fn is_kana(c: char) -> bool {
    is_katakana(c) || is_hiragana(c) || c == 'ー'
}

/// Lower case, one character for one (characters whose lower case is
/// longer keep their first lower-case character).
pub fn lower(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

/// Katakana as hiragana; everything else unchanged.
pub fn katakana_to_hiragana(c: char) -> char {
    if is_katakana(c) && c <= '\u{30F6}' {
        char::from_u32(c as u32 - 0x60).unwrap_or(c)
    } else {
        c
    }
}

/// Hiragana as katakana; everything else unchanged.
pub fn hiragana_to_katakana(c: char) -> char {
    if is_hiragana(c) {
        char::from_u32(c as u32 + 0x60).unwrap_or(c)
    } else {
        c
    }
}

/// The folding of the bigram field and the highlighter: lower case, kana
/// as hiragana.
pub fn fold(c: char) -> char {
    katakana_to_hiragana(lower(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_variants_normalise_to_one_form() {
        assert_eq!(normalise("ｷｬﾘｱ"), "キャリア");
        assert_eq!(normalise("ＵＸ"), "UX");
        assert_eq!(normalise("ｶﾞｲﾄﾞ"), "ガイド");
        assert_eq!(normalise("介護\u{3000}福祉"), "介護 福祉");
    }

    #[test]
    fn classes_and_folding() {
        assert!("介護キャリアあ々ー".chars().all(is_cjk));
        assert!(!is_cjk('A') && !is_cjk('1') && !is_cjk('、'));
        assert!(is_word_char('é') && !is_word_char('護'));
        let folded: String = "キャリアUX".chars().map(fold).collect();
        assert_eq!(folded, "きゃりあux");
        let back: String = "きゃりあ".chars().map(hiragana_to_katakana).collect();
        assert_eq!(back, "キャリア");
    }
}
