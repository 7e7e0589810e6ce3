//! Server-rendered SVG charts for the self-check. Each chart is an image
//! with a title and a description that carries every number, and it reads
//! without colour: bars differ by pattern, marks by shape, and every value
//! is written beside its mark.

use std::fmt::Write;

/// Escapes text for SVG/XML content and attributes.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn open(id: &str, width: u32, height: u32, title: &str, desc: &str) -> String {
    format!(
        r#"<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        esc(title),
        esc(desc)
    )
}

/// One activity's row of the gap chart.
pub struct GapRow {
    /// Activity label.
    pub label: String,
    /// Wished share.
    pub wished: i64,
    /// Actual share.
    pub actual: i64,
}

/// Labels a chart needs in the reader's language.
pub struct GapLabels {
    /// Chart title.
    pub title: String,
    /// Long description (all numbers).
    pub desc: String,
    /// Legend: wished.
    pub wished: String,
    /// Legend: actual.
    pub actual: String,
}

/// Charts are drawn 360 units wide, so that on a phone one unit is about
/// one CSS pixel and the text stays readable; wider screens cap the size.
const WIDTH: f64 = 360.0;

/// Wished against actual shares of the five activities: each activity's
/// name above a solid bar (wished) and a hatched bar (actual).
pub fn allocation_gap(rows: &[GapRow], labels: &GapLabels) -> String {
    let row_height = 74.0;
    let top = 30.0;
    let height = top + row_height * rows.len() as f64;
    let scale = 2.5; // 100 % = 250 units
    let mut svg = open(
        "gap-chart",
        WIDTH as u32,
        height as u32,
        &labels.title,
        &labels.desc,
    );
    svg.push_str(r##"<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#1d4e89" stroke-width="3"/></pattern></defs>"##);
    let _ = write!(
        svg,
        r##"<rect x="0" y="4" width="16" height="12" fill="#1d4e89"/><text x="22" y="15" class="chart-legend">{}</text><rect x="130" y="4" width="16" height="12" fill="url(#hatch)" stroke="#1d4e89"/><text x="152" y="15" class="chart-legend">{}</text>"##,
        esc(&labels.wished),
        esc(&labels.actual)
    );
    for (i, row) in rows.iter().enumerate() {
        let y = top + row_height * i as f64;
        let gap = row.wished - row.actual;
        let gap_text = match gap {
            0 => "±0".to_owned(),
            g if g > 0 => format!("+{g}"),
            g => format!("−{}", g.abs()),
        };
        let wished_w = row.wished as f64 * scale;
        let actual_w = row.actual as f64 * scale;
        let _ = write!(
            svg,
            r##"<text x="0" y="{:.1}" class="chart-label">{} <tspan class="chart-note">({gap_text})</tspan></text><rect x="0" y="{:.1}" width="{wished_w:.1}" height="18" fill="#1d4e89"/><text x="{:.1}" y="{:.1}" class="chart-value">{}%</text><rect x="0" y="{:.1}" width="{actual_w:.1}" height="18" fill="url(#hatch)" stroke="#1d4e89"/><text x="{:.1}" y="{:.1}" class="chart-value">{}%</text>"##,
            y + 16.0,
            esc(&row.label),
            y + 24.0,
            wished_w + 6.0,
            y + 38.0,
            row.wished,
            y + 46.0,
            actual_w + 6.0,
            y + 60.0,
            row.actual
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Horizontal 0–100 bars with their values (adaptability sub-scores), each
/// label above its bar.
pub fn score_bars(id: &str, rows: &[(String, u8)], title: &str, desc: &str) -> String {
    let row_height = 56.0;
    let height = row_height * rows.len() as f64 + 22.0;
    let scale = 3.0;
    let mut svg = open(id, WIDTH as u32, height as u32, title, desc);
    for mark in [0u8, 50, 100] {
        let x = f64::from(mark) * scale + 1.0;
        let anchor = match mark {
            0 => "start",
            100 => "end",
            _ => "middle",
        };
        let _ = write!(
            svg,
            r##"<line x1="{x}" y1="18" x2="{x}" y2="{:.1}" stroke="#8a8f98" stroke-dasharray="3 3"/><text x="{x}" y="{:.1}" class="chart-note" text-anchor="{anchor}">{mark}</text>"##,
            height - 18.0,
            height - 4.0
        );
    }
    for (i, (label, value)) in rows.iter().enumerate() {
        let y = row_height * i as f64;
        let w = f64::from(*value) * scale;
        let _ = write!(
            svg,
            r##"<text x="0" y="{:.1}" class="chart-label">{}</text><rect x="1" y="{:.1}" width="{w:.1}" height="22" fill="#2f6b3f"/><text x="{:.1}" y="{:.1}" class="chart-value">{value}</text>"##,
            y + 16.0,
            esc(label),
            y + 24.0,
            (w + 7.0).min(WIDTH - 28.0),
            y + 40.0
        );
    }
    svg.push_str("</svg>");
    svg
}

/// One organisation type's row of the support grid.
pub struct SupportRow {
    /// Organisation type label.
    pub label: String,
    /// Whether the person ticked it for each of the three kinds.
    pub ticked: [bool; 3],
    /// National share for each kind, in tenths of a percent.
    pub national: [u16; 3],
}

/// Who supports the person, by organisation type (a label line) and kind
/// of support (three marks below it), with the national share by each mark.
pub fn support_grid(rows: &[SupportRow], columns: &[String; 3], title: &str, desc: &str) -> String {
    let row_height = 52.0;
    let top = 28.0;
    let height = top + row_height * rows.len() as f64;
    let col = WIDTH / 3.0;
    let mut svg = open("support-chart", WIDTH as u32, height as u32, title, desc);
    for (c, name) in columns.iter().enumerate() {
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="18" class="chart-legend">{}</text>"##,
            col * c as f64 + 4.0,
            esc(name)
        );
    }
    for (i, row) in rows.iter().enumerate() {
        let y = top + row_height * i as f64;
        if i % 2 == 0 {
            let _ = write!(
                svg,
                r##"<rect x="0" y="{y:.1}" width="{WIDTH}" height="{row_height}" fill="#f3f5f8"/>"##
            );
        }
        let _ = write!(
            svg,
            r##"<text x="4" y="{:.1}" class="chart-label">{}</text>"##,
            y + 19.0,
            esc(&row.label)
        );
        for c in 0..3 {
            let cx = col * c as f64 + 14.0;
            let cy = y + 36.0;
            if row.ticked[c] {
                let _ = write!(
                    svg,
                    r##"<circle cx="{cx:.1}" cy="{cy:.1}" r="9" fill="#1d4e89"/><path d="M{:.1} {cy:.1} l3 3 l6 -7" stroke="#fff" stroke-width="2.2" fill="none"/>"##,
                    cx - 5.0
                );
            } else {
                let _ = write!(
                    svg,
                    r##"<circle cx="{cx:.1}" cy="{cy:.1}" r="8" fill="none" stroke="#6b7280" stroke-width="1.5"/>"##
                );
            }
            let national = row.national[c];
            let _ = write!(
                svg,
                r##"<text x="{:.1}" y="{:.1}" class="chart-note">{}.{}%</text>"##,
                cx + 15.0,
                cy + 5.0,
                national / 10,
                national % 10
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// One line of the history chart.
pub struct Series {
    /// Its label.
    pub label: String,
    /// Values 0–100, oldest first.
    pub values: Vec<u8>,
}

fn marker(shape: usize, px: f64, py: f64) -> String {
    match shape % 3 {
        0 => format!(r##"<circle cx="{px:.1}" cy="{py:.1}" r="5" fill="#1d4e89"/>"##),
        1 => format!(
            r##"<rect x="{:.1}" y="{:.1}" width="10" height="10" fill="#fff" stroke="#1d4e89" stroke-width="2"/>"##,
            px - 5.0,
            py - 5.0
        ),
        _ => format!(
            r##"<path d="M{px:.1} {:.1} l6 10 h-12 z" fill="#1d4e89"/>"##,
            py - 6.0
        ),
    }
}

/// Sub-scores over time; lines differ by dash pattern and marker shape,
/// and a legend below names each with its latest value.
pub fn history_lines(dates: &[String], series: &[Series], title: &str, desc: &str) -> String {
    let (left, right, top) = (30.0, 14.0, 10.0);
    let plot_h = 170.0;
    let legend_top = top + plot_h + 36.0;
    let height = legend_top + 24.0 * series.len() as f64;
    let plot_w = WIDTH - left - right;
    let n = dates.len().max(1);
    let x = |i: usize| {
        if n == 1 {
            left + plot_w / 2.0
        } else {
            left + plot_w * i as f64 / (n - 1) as f64
        }
    };
    let y = |v: u8| top + plot_h * (1.0 - f64::from(v) / 100.0);
    let mut svg = open("history-chart", WIDTH as u32, height as u32, title, desc);
    for mark in [0u8, 50, 100] {
        let _ = write!(
            svg,
            r##"<line x1="{left}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#c5cad3"/><text x="{:.1}" y="{:.1}" class="chart-note" text-anchor="end">{mark}</text>"##,
            y(mark),
            left + plot_w,
            y(mark),
            left - 6.0,
            y(mark) + 4.0
        );
    }
    for (i, date) in dates.iter().enumerate() {
        let anchor = if n > 1 && i == 0 {
            "start"
        } else if n > 1 && i == n - 1 {
            "end"
        } else {
            "middle"
        };
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" class="chart-note" text-anchor="{anchor}">{}</text>"##,
            x(i),
            top + plot_h + 20.0,
            esc(date)
        );
    }
    let dashes = ["", "8 4", "2 4"];
    for (s, line) in series.iter().enumerate() {
        let points: Vec<String> = line
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
            .collect();
        let _ = write!(
            svg,
            r##"<polyline points="{}" fill="none" stroke="#1d4e89" stroke-width="2" stroke-dasharray="{}"/>"##,
            points.join(" "),
            dashes[s % 3]
        );
        for (i, v) in line.values.iter().enumerate() {
            svg.push_str(&marker(s, x(i), y(*v)));
        }
        let ly = legend_top + 24.0 * s as f64;
        let _ = write!(
            svg,
            r##"<line x1="0" y1="{ly:.1}" x2="34" y2="{ly:.1}" stroke="#1d4e89" stroke-width="2" stroke-dasharray="{}"/>{}<text x="44" y="{:.1}" class="chart-label">{} {}</text>"##,
            dashes[s % 3],
            marker(s, 17.0, ly),
            ly + 5.0,
            esc(&line.label),
            line.values.last().copied().unwrap_or(0)
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_and_every_value_is_written() {
        let rows = vec![GapRow {
            label: "<家庭>".into(),
            wished: 30,
            actual: 20,
        }];
        let labels = GapLabels {
            title: "時間の配分".into(),
            desc: "家庭: 希望 30%, 実際 20%".into(),
            wished: "希望".into(),
            actual: "実際".into(),
        };
        let svg = allocation_gap(&rows, &labels);
        assert!(svg.contains("&lt;家庭&gt;") && !svg.contains("<家庭>"));
        assert!(svg.contains(">30%<") && svg.contains(">20%<") && svg.contains("(+10)"));
        assert!(svg.contains("<title id=\"gap-chart-title\">時間の配分</title>"));
        assert!(svg.contains("role=\"img\""));
    }

    #[test]
    fn the_support_grid_marks_ticks_by_shape_and_prints_national_shares() {
        let rows = vec![SupportRow {
            label: "労働組合".into(),
            ticked: [true, false, false],
            national: [28, 25, 37],
        }];
        let columns = ["相談".to_string(), "挑戦".to_string(), "選択肢".to_string()];
        let svg = support_grid(&rows, &columns, "t", "d");
        assert_eq!(svg.matches("<path").count(), 1, "one check mark");
        assert!(svg.contains(">2.8%<") && svg.contains(">3.7%<"));
    }
}
