//! iCalendar (RFC 5545) text for events: one event's `.ics` and a person's
//! calendar feed. Written by hand, it is small: text values are escaped,
//! lines end in CRLF and are folded at 75 octets, times are UTC with `Z`,
//! and each event's UID is stable so calendar apps update rather than
//! duplicate it.

use tsunagari_domain::Timestamp;
use tsunagari_domain::event::Event;

/// The media type of iCalendar.
pub const CONTENT_TYPE: &str = "text/calendar; charset=utf-8";

/// One event as a calendar shows it.
pub struct CalendarEvent<'a> {
    /// The event.
    pub event: &'a Event,
    /// Its page, e.g. `https://tsunagari.example.jp/events/7`.
    pub page_url: String,
    /// Include the meeting link (only for registered people and organisers).
    pub with_online_url: bool,
    /// `CONFIRMED`, or `TENTATIVE` for a waitlisted person's feed.
    pub tentative: bool,
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets without splitting a UTF-8 character,
/// continuing with a space, and ends it with CRLF (§3.1).
pub fn fold_line(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

fn utc(time: Timestamp) -> String {
    time.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The host part of UIDs: the public host when configured, so UIDs stay
/// the same across servers of one site.
pub fn uid_domain(public_url: Option<&str>) -> String {
    public_url
        .and_then(|url| url.split("://").nth(1))
        .and_then(|rest| rest.split(['/', ':']).next())
        .filter(|host| !host.is_empty())
        .unwrap_or("tsunagari.invalid")
        .to_owned()
}

/// A whole calendar with the given events.
pub fn calendar(
    name: &str,
    uid_domain: &str,
    events: &[CalendarEvent<'_>],
    now: Timestamp,
) -> String {
    let mut out = String::new();
    let mut line = |text: String| fold_line(&text, &mut out);
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//tsunagari//events//JA".into());
    line("CALSCALE:GREGORIAN".into());
    line("METHOD:PUBLISH".into());
    line(format!("X-WR-CALNAME:{}", escape_text(name)));
    for item in events {
        let event = item.event;
        let details = &event.details;
        line("BEGIN:VEVENT".into());
        line(format!("UID:event-{}@{}", event.id.0, uid_domain));
        line(format!("DTSTAMP:{}", utc(now)));
        line(format!("CREATED:{}", utc(event.created_at)));
        line(format!("DTSTART:{}", utc(details.starts_at)));
        line(format!("DTEND:{}", utc(details.ends_at)));
        line(format!("SUMMARY:{}", escape_text(&details.title)));
        let mut description = details.description.clone();
        if item.with_online_url
            && let Some(url) = &details.online_url
        {
            description = format!("{url}\n\n{description}");
        }
        description = format!("{}\n\n{description}", item.page_url);
        line(format!("DESCRIPTION:{}", escape_text(description.trim())));
        let location = match (&details.venue, item.with_online_url, &details.online_url) {
            (Some(venue), _, _) => Some(venue.clone()),
            (None, true, Some(url)) => Some(url.clone()),
            _ => None,
        };
        if let Some(location) = location {
            line(format!("LOCATION:{}", escape_text(&location)));
        }
        line(format!("URL:{}", item.page_url));
        line(format!(
            "STATUS:{}",
            if item.tentative {
                "TENTATIVE"
            } else {
                "CONFIRMED"
            }
        ));
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn long_lines_fold_at_75_octets_on_character_boundaries() {
        let mut out = String::new();
        fold_line(&format!("SUMMARY:{}", "介護".repeat(40)), &mut out);
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{}\r\n", "介護".repeat(40)));
    }

    #[test]
    fn uid_domain_from_public_url() {
        assert_eq!(
            uid_domain(Some("https://tsunagari.example.jp/")),
            "tsunagari.example.jp"
        );
        assert_eq!(uid_domain(Some("http://127.0.0.1:8080")), "127.0.0.1");
        assert_eq!(uid_domain(None), "tsunagari.invalid");
    }
}
