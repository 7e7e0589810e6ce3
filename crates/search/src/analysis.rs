//! How text becomes index terms. Three analyses of the same (NFKC) text:
//!
//! - **bigram** (always): every run of Japanese characters becomes its
//!   overlapping two-character pieces (キャリア → きゃ, ゃり, りあ, kana
//!   folded to hiragana), a one-character run stays one piece, and every
//!   Latin word is one term, lower-cased and stemmed with the English
//!   Snowball stemmer (designers → design). A query word becomes a phrase
//!   of the same pieces, so any word of two or more characters is found
//!   wherever it occurs.
//!   With the dictionary, a piece that starts where a dictionary word
//!   starts (or anywhere inside an unknown word, whose inner boundaries
//!   the analyser cannot know) is also indexed marked (`^`) at the same
//!   position. A query phrase starts with a marked piece, so 京都 is found
//!   in 京都の and 京都府 but not inside 東京都 (東京|都).
//! - **morph** (with the dictionary): the words lindera finds with IPADIC,
//!   lower-cased and stemmed; a match here means a whole-word match and
//!   ranks above a bigram-only match.
//! - **words**: Latin words as written (lower case, unstemmed) and katakana
//!   runs, the vocabulary "did you mean" suggestions come from.
//!
//! The English stemmer runs on Latin words only; Japanese pieces are never
//! passed to it.

use tantivy::tokenizer::Token;

use crate::dictionary::{Morpheme, Morphology};
use crate::text::{fold, is_cjk, is_katakana, is_word_char, lower};

/// The marker of a bigram that starts at a word boundary.
pub const BOUNDARY_MARK: char = '^';

thread_local! {
    static STEMMER: frostem::Stemmer = frostem::Stemmer::new(frostem::Algorithm::English);
}

/// The English stem of a lower-case Latin word.
pub fn stem(word: &str) -> String {
    STEMMER.with(|s| s.stem(word).into_owned())
}

/// A stretch of the text: a run of Japanese characters or a Latin word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Span {
    Cjk(usize, usize),
    Word(usize, usize),
}

fn spans(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut current: Option<(bool, usize)> = None;
    for (at, c) in text.char_indices() {
        let class = if is_cjk(c) {
            Some(true)
        } else if is_word_char(c) {
            Some(false)
        } else {
            None
        };
        match (current, class) {
            (Some((cjk, _)), Some(now)) if cjk == now => {}
            (Some((cjk, start)), _) => {
                spans.push(if cjk {
                    Span::Cjk(start, at)
                } else {
                    Span::Word(start, at)
                });
                current = class.map(|now| (now, at));
            }
            (None, Some(now)) => current = Some((now, at)),
            (None, None) => {}
        }
    }
    if let Some((cjk, start)) = current {
        spans.push(if cjk {
            Span::Cjk(start, text.len())
        } else {
            Span::Word(start, text.len())
        });
    }
    spans
}

fn token(text: String, from: usize, to: usize, position: usize) -> Token {
    Token {
        offset_from: from,
        offset_to: to,
        position,
        text,
        position_length: 1,
    }
}

/// The byte offsets at which a marked bigram may start: the start of every
/// dictionary word, and every character of an unknown word.
fn boundaries(text: &str, morphemes: &[Morpheme]) -> Vec<usize> {
    let mut at = Vec::new();
    for m in morphemes {
        if m.known {
            at.push(m.start);
        } else {
            at.extend(
                text[m.start..m.end]
                    .char_indices()
                    .map(|(i, _)| m.start + i),
            );
        }
    }
    at.sort_unstable();
    at.dedup();
    at
}

/// The bigram field's terms. `morphemes` (from the dictionary, when there
/// is one) adds the boundary-marked pieces.
pub fn bigram_tokens(text: &str, morphemes: Option<&[Morpheme]>) -> Vec<Token> {
    let marks = morphemes.map(|m| boundaries(text, m));
    let mut tokens = Vec::new();
    let mut position = 0;
    for span in spans(text) {
        match span {
            Span::Word(start, end) => {
                let word: String = text[start..end].chars().map(lower).collect();
                tokens.push(token(stem(&word), start, end, position));
                position += 1;
            }
            Span::Cjk(start, end) => {
                let chars: Vec<(usize, char)> = text[start..end]
                    .char_indices()
                    .map(|(i, c)| (start + i, c))
                    .collect();
                if chars.len() == 1 {
                    tokens.push(token(fold(chars[0].1).to_string(), start, end, position));
                    position += 1;
                    continue;
                }
                for pair in chars.windows(2) {
                    let (from, a) = pair[0];
                    let (second, b) = pair[1];
                    let to = second + b.len_utf8();
                    let piece: String = [fold(a), fold(b)].into_iter().collect();
                    if marks
                        .as_ref()
                        .is_some_and(|m| m.binary_search(&from).is_ok())
                    {
                        tokens.push(token(format!("{BOUNDARY_MARK}{piece}"), from, to, position));
                    }
                    tokens.push(token(piece, from, to, position));
                    position += 1;
                }
            }
        }
    }
    tokens
}

/// The morph field's terms: dictionary words (and the analyser's unknown
/// words), lower-cased; Latin words stemmed.
pub fn morph_tokens(text: &str, morphemes: &[Morpheme]) -> Vec<Token> {
    let mut tokens = Vec::new();
    for m in morphemes {
        let surface = &text[m.start..m.end];
        if !surface.chars().any(|c| is_cjk(c) || is_word_char(c)) {
            continue;
        }
        let lowered: String = surface.chars().map(lower).collect();
        let term = if lowered.chars().all(is_word_char) {
            stem(&lowered)
        } else {
            lowered
        };
        let position = tokens.len();
        tokens.push(token(term, m.start, m.end, position));
    }
    tokens
}

/// The vocabulary of suggestions: Latin words of three letters or more as
/// written (lower case), and katakana runs of two characters or more.
pub fn word_tokens(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    for span in spans(text) {
        match span {
            Span::Word(start, end) => {
                let word: String = text[start..end].chars().map(lower).collect();
                if word.chars().count() >= 3 && word.chars().any(char::is_alphabetic) {
                    let position = tokens.len();
                    tokens.push(token(word, start, end, position));
                }
            }
            Span::Cjk(start, end) => {
                let mut run: Option<usize> = None;
                let flush = |from: Option<usize>, to: usize, tokens: &mut Vec<Token>| {
                    if let Some(from) = from {
                        let word = &text[from..to];
                        if word.chars().count() >= 2 {
                            let position = tokens.len();
                            tokens.push(token(word.to_owned(), from, to, position));
                        }
                    }
                };
                for (i, c) in text[start..end].char_indices() {
                    let at = start + i;
                    if is_katakana(c) || (c == 'ー' && run.is_some()) {
                        run.get_or_insert(at);
                    } else {
                        flush(run.take(), at, &mut tokens);
                    }
                }
                flush(run.take(), end, &mut tokens);
            }
        }
    }
    tokens
}

/// One word of a query as the terms to look for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryWord {
    /// The word as typed (normalised).
    pub text: String,
    /// Bigram-field terms with their relative positions; the first
    /// Japanese piece is marked when `marked_start` is set.
    pub bigrams: Vec<(usize, String)>,
    /// A single Japanese character: matched as any piece containing it.
    pub single_cjk: Option<char>,
    /// Morph-field terms with their relative positions (with the
    /// dictionary).
    pub morphs: Vec<(usize, String)>,
}

/// Analyses one query word for the bigram and morph fields.
pub fn query_word(word: &str, morphology: Option<&Morphology>) -> QueryWord {
    let morphemes = morphology.map(|m| m.segment(word));
    let tokens = bigram_tokens(word, None);
    let mut bigrams: Vec<(usize, String)> = tokens
        .iter()
        .map(|t| (t.position, t.text.clone()))
        .collect();
    let single_cjk = match tokens.as_slice() {
        [only] if only.text.chars().count() == 1 && only.text.chars().all(is_cjk) => {
            only.text.chars().next()
        }
        _ => None,
    };
    if morphology.is_some()
        && let Some(first) = bigrams.first_mut()
        && first.1.chars().count() == 2
        && first.1.chars().all(is_cjk)
    {
        first.1.insert(0, BOUNDARY_MARK);
    }
    let morphs = morphemes
        .map(|m| {
            morph_tokens(word, &m)
                .into_iter()
                .map(|t| (t.position, t.text))
                .collect()
        })
        .unwrap_or_default();
    QueryWord {
        text: word.to_owned(),
        bigrams,
        single_cjk,
        morphs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn texts(tokens: &[Token]) -> Vec<&str> {
        tokens.iter().map(|t| t.text.as_str()).collect()
    }

    #[test]
    fn japanese_runs_become_overlapping_pairs_and_latin_words_stems() {
        let tokens = bigram_tokens("UXデザイナーの designers 介護", None);
        assert_eq!(
            texts(&tokens),
            vec![
                "ux", "でざ", "ざい", "いな", "なー", "ーの", "design", "介護"
            ]
        );
        // Offsets point into the text given.
        let text = "介護 ok";
        let t = bigram_tokens(text, None);
        assert_eq!(&text[t[0].offset_from..t[0].offset_to], "介護");
        assert_eq!(t[1].text, "ok");
    }

    #[test]
    fn single_characters_stay_single() {
        assert_eq!(texts(&bigram_tokens("夢", None)), vec!["夢"]);
        let word = query_word("夢", None);
        assert_eq!(word.single_cjk, Some('夢'));
    }

    #[test]
    fn boundary_marks_follow_the_morphemes() {
        // 東京|都, as the dictionary would split it.
        let text = "東京都";
        let morphemes = [
            Morpheme {
                start: 0,
                end: 6,
                known: true,
            },
            Morpheme {
                start: 6,
                end: 9,
                known: true,
            },
        ];
        let tokens = bigram_tokens(text, Some(&morphemes));
        assert_eq!(texts(&tokens), vec!["^東京", "東京", "京都"]);
        // Inside an unknown word every piece is marked.
        let unknown = [Morpheme {
            start: 0,
            end: 9,
            known: false,
        }];
        let tokens = bigram_tokens(text, Some(&unknown));
        assert_eq!(texts(&tokens), vec!["^東京", "東京", "^京都", "京都"]);
    }

    #[test]
    fn suggestion_vocabulary_keeps_words_as_written() {
        let tokens = word_tokens("Designers love キャリアとアルムナイ ux a");
        assert_eq!(
            texts(&tokens),
            vec!["designers", "love", "キャリア", "アルムナイ"]
        );
    }

    proptest! {
        /// Every two-character stretch of a Japanese run is found: its
        /// query phrase is one piece that the run's terms contain.
        #[test]
        fn every_two_character_word_is_indexed(
            run in proptest::collection::vec(
                prop_oneof![
                    proptest::char::range('\u{4E00}', '\u{4E50}'),
                    proptest::char::range('\u{3041}', '\u{3060}'),
                    proptest::char::range('\u{30A1}', '\u{30C0}'),
                ],
                2..30,
            ),
            pick in any::<prop::sample::Index>(),
        ) {
            let text: String = run.iter().collect();
            let i = pick.index(run.len() - 1);
            let word: String = run[i..i + 2].iter().collect();
            let indexed = bigram_tokens(&text, None);
            let query = query_word(&word, None);
            prop_assert_eq!(query.bigrams.len(), 1);
            prop_assert!(indexed.iter().any(|t| t.text == query.bigrams[0].1));
        }

        /// Half-width and full-width forms analyse to the same terms.
        #[test]
        fn width_variants_give_the_same_terms(word in "[a-zA-Z]{1,8}") {
            let full: String = word.chars().map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap()).collect();
            let plain = bigram_tokens(&crate::text::normalise(&word), None);
            let wide = bigram_tokens(&crate::text::normalise(&full), None);
            prop_assert_eq!(texts(&plain), texts(&wide));
        }
    }
}
