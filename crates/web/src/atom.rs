//! Atom (RFC 4287) documents for the feeds. Written by hand, as the
//! iCalendar files are: the format we write is small, and
//! `atom_syndication` 0.12 (checked) brings an XML reader with text
//! encodings that a writer does not need. What matters is done here once:
//! every text is escaped for XML and stripped of characters XML 1.0 cannot
//! carry, times are RFC 3339 in UTC, ids are `tag:` URIs (RFC 4151) built
//! from the site's host and each item's creation date, so they never change,
//! and HTML content travels escaped (`type="html"`).

use tsunagari_domain::Timestamp;

/// The media type of Atom.
pub const CONTENT_TYPE: &str = "application/atom+xml; charset=utf-8";

/// One entry.
pub struct Entry {
    /// Stable id (a `tag:` URI).
    pub id: String,
    /// Title (text).
    pub title: String,
    /// The page it is about (absolute URL).
    pub link: String,
    /// Last meaningful change.
    pub updated: Timestamp,
    /// First published.
    pub published: Timestamp,
    /// Author name.
    pub author: String,
    /// A one-line summary (text), if any.
    pub summary: Option<String>,
    /// The content as HTML (escaped into the document), if any.
    pub content_html: Option<String>,
    /// Categories: term and label.
    pub categories: Vec<(String, String)>,
}

/// A whole feed.
pub struct Feed {
    /// Stable id (a `tag:` URI).
    pub id: String,
    /// Title (text).
    pub title: String,
    /// Subtitle (text).
    pub subtitle: String,
    /// The feed's own address (absolute URL).
    pub self_url: String,
    /// The page the feed follows (absolute URL).
    pub alternate_url: String,
    /// The site's address, the base of relative links in content.
    pub base: String,
    /// Language of the texts (`ja`, `en`).
    pub lang: &'static str,
    /// Last change of any entry.
    pub updated: Timestamp,
    /// Entries, in the order readers should see them.
    pub entries: Vec<Entry>,
}

/// Escapes text for XML character data and attribute values, dropping the
/// characters XML 1.0 does not allow (controls other than tab and line
/// breaks, U+FFFE, U+FFFF).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A time as RFC 3339 in UTC (`2026-11-25T12:05:00Z`).
pub fn time(at: Timestamp) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A `tag:` URI (RFC 4151) for something created on `created`:
/// `tag:example.jp,2026-11-25:threads/17`. The host and creation date never
/// change, so neither does the id.
pub fn tag_uri(domain: &str, created: Timestamp, specific: &str) -> String {
    format!("tag:{domain},{}:{specific}", created.format("%Y-%m-%d"))
}

fn element(out: &mut String, indent: &str, name: &str, text: &str) {
    out.push_str(&format!("{indent}<{name}>{}</{name}>\n", escape(text)));
}

/// The feed as an Atom document.
pub fn render(feed: &Feed) -> String {
    let mut out = String::with_capacity(1024 + feed.entries.len() * 1024);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\" xml:base=\"{}/\">\n",
        escape(feed.lang),
        escape(&feed.base)
    ));
    element(&mut out, "  ", "id", &feed.id);
    element(&mut out, "  ", "title", &feed.title);
    element(&mut out, "  ", "subtitle", &feed.subtitle);
    element(&mut out, "  ", "updated", &time(feed.updated));
    out.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape(&feed.self_url)
    ));
    out.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(&feed.alternate_url)
    ));
    out.push_str("  <author><name>tsunagari</name></author>\n");
    out.push_str("  <generator>tsunagari</generator>\n");
    for entry in &feed.entries {
        out.push_str("  <entry>\n");
        element(&mut out, "    ", "id", &entry.id);
        element(&mut out, "    ", "title", &entry.title);
        element(&mut out, "    ", "updated", &time(entry.updated));
        element(&mut out, "    ", "published", &time(entry.published));
        out.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape(&entry.link)
        ));
        out.push_str(&format!(
            "    <author><name>{}</name></author>\n",
            escape(&entry.author)
        ));
        for (term, label) in &entry.categories {
            out.push_str(&format!(
                "    <category term=\"{}\" label=\"{}\"/>\n",
                escape(term),
                escape(label)
            ));
        }
        if let Some(summary) = &entry.summary {
            element(&mut out, "    ", "summary", summary);
        }
        if let Some(html) = &entry.content_html {
            out.push_str(&format!(
                "    <content type=\"html\">{}</content>\n",
                escape(html)
            ));
        }
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32) -> Timestamp {
        chrono::Utc
            .with_ymd_and_hms(2026, 11, day, 3, 4, 5)
            .unwrap()
    }

    #[test]
    fn text_is_escaped_and_cleaned() {
        assert_eq!(
            escape("a<b>&\"c\"'d'"),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;"
        );
        assert_eq!(escape("行1\n行2\u{0}\u{1b}\u{FFFF}"), "行1\n行2");
        assert_eq!(escape("介護 ＵＸ"), "介護 ＵＸ");
    }

    #[test]
    fn ids_and_times_are_stable() {
        assert_eq!(time(at(25)), "2026-11-25T03:04:05Z");
        assert_eq!(
            tag_uri("tsunagari.example.jp", at(25), "threads/17"),
            "tag:tsunagari.example.jp,2026-11-25:threads/17"
        );
    }

    #[test]
    fn a_feed_has_what_rfc_4287_requires() {
        let feed = Feed {
            id: "tag:x.jp,2026:events".into(),
            title: "公開イベント <全国>".into(),
            subtitle: "s".into(),
            self_url: "http://x.jp/events/feed.atom?prefecture=13&x=1".into(),
            alternate_url: "http://x.jp/".into(),
            base: "http://x.jp".into(),
            lang: "ja",
            updated: at(25),
            entries: vec![Entry {
                id: "tag:x.jp,2026-11-20:events/1".into(),
                title: "A & B".into(),
                link: "http://x.jp/events/1".into(),
                updated: at(21),
                published: at(20),
                author: "介護の会".into(),
                summary: Some("12月1日".into()),
                content_html: Some("<p>本文 <a href=\"/x\">link</a></p>".into()),
                categories: vec![("announcement".into(), "お知らせ".into())],
            }],
        };
        let xml = render(&feed);
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\""));
        assert!(xml.contains("<title>公開イベント &lt;全国&gt;</title>"));
        assert!(xml.contains("href=\"http://x.jp/events/feed.atom?prefecture=13&amp;x=1\""));
        assert!(xml.contains("<title>A &amp; B</title>"));
        assert!(xml.contains("<author><name>介護の会</name></author>"));
        assert!(xml.contains("<content type=\"html\">&lt;p&gt;本文 &lt;a href=&quot;/x&quot;&gt;link&lt;/a&gt;&lt;/p&gt;</content>"));
        assert!(xml.contains("<updated>2026-11-21T03:04:05Z</updated>"));
        assert!(xml.trim_end().ends_with("</feed>"));
    }
}
