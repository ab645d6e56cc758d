//! Pieces every printout shares: the heading with the school and the exam, and signature lines.

use phongthi_pdf::{A4_WIDTH, Align, Document, MARGIN, Style};

/// Draws the heading at the top of the current page: the school (when given) at the left, the
/// document's title centred and bold, the exam title and its date under it. Returns the `y`
/// where the page's content may start.
pub(super) fn heading(document: &mut Document, school: &str, title: &str, exam_title: &str, date_line: &str) -> f32 {
    let centre = A4_WIDTH / 2.0;
    let mut y = MARGIN + 10.0;
    if !school.is_empty() {
        document.text(MARGIN, y, school, Style::bold(11.0));
        y += 26.0;
    }
    document.text(centre, y, title, Style::bold(16.0).aligned(Align::Center));
    y += 20.0;
    document.text(centre, y, exam_title, Style::regular(12.0).aligned(Align::Center));
    y += 16.0;
    if !date_line.is_empty() {
        document.text(centre, y, date_line, Style::regular(10.0).aligned(Align::Center));
        y += 14.0;
    }
    y + 12.0
}

/// Draws signature blocks side by side from `y`: a bold role, the hint `(Ký, ghi rõ họ tên)`
/// and room to sign. Returns the `y` under them.
pub(super) fn signatures(document: &mut Document, y: f32, roles: &[&str]) -> f32 {
    let width = (A4_WIDTH - 2.0 * MARGIN) / roles.len().max(1) as f32;
    for (index, role) in roles.iter().enumerate() {
        let centre = MARGIN + width * (index as f32 + 0.5);
        document.text(centre, y, role, Style::bold(10.5).aligned(Align::Center));
        document.text(centre, y + 13.0, "(Ký, ghi rõ họ tên)", Style::regular(9.0).aligned(Align::Center));
        document.dashed_line((centre - width * 0.35, y + 70.0), (centre + width * 0.35, y + 70.0), 0.5);
    }
    y + 80.0
}
