//! Highlighted snippets: the part of a text where the query's words are,
//! as escaped HTML with `<mark>` around each match.
//!
//! Matching follows the analysis: Japanese words are found as folded
//! substrings (so キャリア marks きゃりあ and ｷｬﾘｱ alike), Latin words by
//! their English stem (design marks designers).

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;

use crate::analysis::stem;
use crate::text::{fold, is_word_char, lower, normalise};

fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
}

/// The text as a snippet shows it: normalised, Markdown emphasis and
/// heading marks dropped, white space collapsed.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.nfkc().collect::<String>().lines() {
        let line = line.trim_start().trim_start_matches(['#', '>']);
        for c in line.chars().filter(|c| !matches!(c, '*' | '`')) {
            if c.is_whitespace() {
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
            } else {
                out.push(c);
            }
        }
        if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out.trim_end().to_owned()
}

/// Character ranges of `text` (as a char vector) that match `words`.
fn matches(chars: &[char], words: &[String]) -> Vec<Range<usize>> {
    let folded: Vec<char> = chars.iter().map(|c| fold(*c)).collect();
    let mut found = Vec::new();
    for word in words {
        let w: Vec<char> = word.chars().map(fold).collect();
        if w.is_empty() {
            continue;
        }
        if w.iter().all(|c| is_word_char(*c)) {
            let wanted = stem(&w.iter().collect::<String>());
            let mut i = 0;
            while i < chars.len() {
                if is_word_char(chars[i]) {
                    let start = i;
                    while i < chars.len() && is_word_char(chars[i]) {
                        i += 1;
                    }
                    let token: String = chars[start..i].iter().map(|c| lower(*c)).collect();
                    if stem(&token) == wanted || token.starts_with(wanted.as_str()) {
                        found.push(start..i);
                    }
                } else {
                    i += 1;
                }
            }
        } else {
            let mut i = 0;
            while i + w.len() <= folded.len() {
                if folded[i..i + w.len()] == w[..] {
                    found.push(i..i + w.len());
                    i += w.len();
                } else {
                    i += 1;
                }
            }
        }
    }
    found.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for range in found {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

/// At most `max_chars` characters of `text` around the matches of
/// `query`, HTML-escaped, matches in `<mark>`, cuts shown as `…`.
pub fn snippet(text: &str, query: &str, max_chars: usize) -> String {
    let chars: Vec<char> = plain(text).chars().collect();
    let words: Vec<String> = normalise(query)
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let found = matches(&chars, &words);
    // The window that holds the most matches, starting a little before one.
    let lead = max_chars / 6;
    let mut start = 0;
    let mut best = 0;
    for range in &found {
        let from = range.start.saturating_sub(lead);
        let count = found
            .iter()
            .filter(|r| r.start >= from && r.end <= from + max_chars)
            .count();
        if count > best {
            best = count;
            start = from;
        }
    }
    let end = (start + max_chars).min(chars.len());
    if chars.len() <= max_chars {
        start = 0;
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut at = start;
    for range in found.iter().filter(|r| r.start >= start && r.end <= end) {
        escape(&chars[at..range.start].iter().collect::<String>(), &mut out);
        out.push_str("<mark>");
        escape(&chars[range.clone()].iter().collect::<String>(), &mut out);
        out.push_str("</mark>");
        at = range.end;
    }
    escape(&chars[at..end].iter().collect::<String>(), &mut out);
    if end < chars.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::snippet;

    #[test]
    fn marks_japanese_and_english_matches_and_escapes_the_rest() {
        assert_eq!(
            snippet("<b>介護</b>と育休の話", "介護 育休", 100),
            "&lt;b&gt;<mark>介護</mark>&lt;/b&gt;と<mark>育休</mark>の話"
        );
        assert_eq!(
            snippet("Designers & design", "design", 100),
            "<mark>Designers</mark> &amp; <mark>design</mark>"
        );
        // Width and script variants are marked too, shown normalised.
        assert_eq!(
            snippet("ｷｬﾘｱ相談", "キャリア", 100),
            "<mark>キャリア</mark>相談"
        );
    }

    #[test]
    fn long_texts_are_cut_around_the_match() {
        let text = format!("{}副業の相談{}", "あ".repeat(300), "い".repeat(300));
        let s = snippet(&text, "副業", 60);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("<mark>副業</mark>"));
        assert!(s.chars().filter(|c| *c == 'あ' || *c == 'い').count() <= 60);
        // Without a match, the start of the text.
        let s = snippet(&text, "介護", 10);
        assert_eq!(s, format!("{}…", "あ".repeat(10)));
    }
}
