//! CSV for spreadsheets and accounting software (RFC 4180): CRLF line
//! ends, fields with a comma, quote, CR or LF in double quotes (quotes
//! doubled), and a UTF-8 byte-order mark so Excel in Japan reads the text as
//! UTF-8 instead of Shift_JIS.
//!
//! Text that people typed (names, notes) goes through [`text`], which puts
//! an apostrophe before a leading `=`, `+`, `-`, `@`, tab or CR: a
//! spreadsheet would otherwise run it as a formula (CSV injection). Numbers
//! are written as they are.

/// The media type of the files.
pub const CONTENT_TYPE: &str = "text/csv; charset=utf-8";

/// A CSV document being written.
#[derive(Debug, Clone)]
pub struct Csv {
    out: String,
}

impl Default for Csv {
    fn default() -> Self {
        Csv::new()
    }
}

impl Csv {
    /// An empty document, starting with the byte-order mark.
    pub fn new() -> Csv {
        Csv {
            out: String::from('\u{feff}'),
        }
    }

    /// Appends one record.
    pub fn row<I, S>(&mut self, fields: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for (index, field) in fields.into_iter().enumerate() {
            if index > 0 {
                self.out.push(',');
            }
            let field = field.as_ref();
            if field.contains([',', '"', '\r', '\n']) {
                self.out.push('"');
                self.out.push_str(&field.replace('"', "\"\""));
                self.out.push('"');
            } else {
                self.out.push_str(field);
            }
        }
        self.out.push_str("\r\n");
    }

    /// The finished document.
    pub fn finish(self) -> String {
        self.out
    }
}

/// People's text made safe to open in a spreadsheet: a leading character
/// that would start a formula gets an apostrophe in front.
pub fn text(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_follows_rfc_4180() {
        let mut csv = Csv::new();
        csv.row(["id", "name", "note"]);
        csv.row(["1", "佐藤, 葵", "He said \"hi\"\nnext line"]);
        csv.row(["2", "", "plain"]);
        assert_eq!(
            csv.finish(),
            "\u{feff}id,name,note\r\n1,\"佐藤, 葵\",\"He said \"\"hi\"\"\nnext line\"\r\n2,,plain\r\n"
        );
    }

    #[test]
    fn formulas_are_defused() {
        assert_eq!(text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(text("+81"), "'+81");
        assert_eq!(text("@SUM"), "'@SUM");
        assert_eq!(text("-1"), "'-1");
        assert_eq!(text("佐藤 葵"), "佐藤 葵");
    }
}
