//! Markdown written by members, rendered safely.
//!
//! Raw HTML in the source is shown as text, never passed through; links
//! keep only `http`, `https`, `mailto` and site-relative targets and are
//! marked `nofollow ugc`; images become plain links, so nothing loads from
//! another origin (the CSP would block it anyway).

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
        || (lower.starts_with('/') && !lower.starts_with("//"))
        || lower.starts_with('#')
}

fn escape_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Renders Markdown to HTML that is safe to embed in a page.
pub fn render(source: &str) -> String {
    let options =
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS;
    let mut link_open = Vec::new();
    let events = Parser::new_ext(source, options).map(|event| match event {
        Event::Html(text) | Event::InlineHtml(text) => Event::Text(text),
        Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => {
            if safe_url(&dest_url) {
                link_open.push(true);
                Event::InlineHtml(CowStr::from(format!(
                    "<a href=\"{}\" rel=\"nofollow ugc noopener\">",
                    escape_attribute(&dest_url)
                )))
            } else {
                link_open.push(false);
                Event::Text(CowStr::from(""))
            }
        }
        Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
            if link_open.pop().unwrap_or(false) {
                Event::InlineHtml(CowStr::from("</a>"))
            } else {
                Event::Text(CowStr::from(""))
            }
        }
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

/// Plain text of the first characters of Markdown, for previews.
pub fn excerpt(source: &str, max_chars: usize) -> String {
    let mut text = String::new();
    for event in Parser::new(source) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_)) => text.push(' '),
            _ => {}
        }
        if text.chars().count() > max_chars {
            break;
        }
    }
    let trimmed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if trimmed.chars().count() > max_chars {
        format!("{}…", trimmed.chars().take(max_chars).collect::<String>())
    } else {
        trimmed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_is_kept() {
        let html = render("# 見出し\n\n**太字** と [リンク](https://example.jp/a?b=1&c=2)");
        assert!(html.contains("<h1>見出し</h1>"));
        assert!(html.contains("<strong>太字</strong>"));
        assert!(html.contains(r#"<a href="https://example.jp/a?b=1&amp;c=2" rel="nofollow ugc noopener">リンク</a>"#), "{html}");
    }

    #[test]
    fn raw_html_and_scripts_are_text() {
        let html =
            render("<script>alert(1)</script>\n\nhello <img src=x onerror=alert(1)> <b>b</b>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(html.contains("&lt;script&gt;"));
    }

    #[test]
    fn dangerous_links_are_dropped() {
        for source in [
            "[x](javascript:alert(1))",
            "[x](JAVASCRIPT:alert(1))",
            "[x](data:text/html,hi)",
            "[x](//evil.example)",
        ] {
            let html = render(source);
            assert!(!html.contains("href"), "{source} → {html}");
            assert!(html.contains('x'), "the text stays: {html}");
        }
    }

    #[test]
    fn images_become_links() {
        let html = render("![写真](https://example.jp/t.png)");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains(
                r#"<a href="https://example.jp/t.png" rel="nofollow ugc noopener">写真</a>"#
            ),
            "{html}"
        );
    }

    #[test]
    fn excerpts_are_plain_and_short() {
        assert_eq!(
            excerpt("# 題\n\n本文の**一部**です。", 100),
            "題 本文の一部です。"
        );
        assert_eq!(excerpt("あいうえおかきくけこ", 5), "あいうえお…");
    }
}
