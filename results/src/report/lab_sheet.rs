//! The lab sheet (phiếu phòng máy, issue #6): what the proctor writes on the board (the
//! proctor's address, the certificate fingerprint as the exam client shows it, the room code)
//! and one cut-out login slip per roster student with name, student id, class, seat and PIN.
//!
//! Where each fact comes from, so the sheet can be printed before the exam starts:
//! - the room code: `room-<exam>.code` in the data directory, written by the first
//!   `proctor serve` of the exam and kept across restarts;
//! - the fingerprint: the data directory's TLS certificate (the one `serve` presents);
//! - the address: the `lab.toml` that `serve --lab-config-out` wrote (its fingerprint must
//!   match this data directory's certificate), or one given by hand;
//! - PINs: the store keeps only their hashes, so a PIN is printed only when the roster file
//!   is given again and its PIN matches the stored hash; otherwise the slip has a blank to fill;
//! - the practice line: the exam's row in the store (`exam add --practice` let in items without
//!   the subject group's signed approval), printed under the title for the whole room to see.

use super::ReportError;
use phongthi_pdf::{A4_HEIGHT, A4_WIDTH, Align, Document, MARGIN, Style};
use phongthi_store::StudentRecord;
use phongthi_store::roster::{Pin, vietnamese_collation_key};

/// Everything the lab sheet prints.
pub struct LabSheet {
    /// The exam's title.
    pub exam_title: String,
    /// Added as a practice test: some items were not approved by the subject group.
    pub practice: bool,
    /// `host:port` of the proctor.
    pub address: String,
    /// The certificate fingerprint (`ab12:cd34:…`), as the client shows it.
    pub fingerprint: String,
    /// The room code students type.
    pub room_code: String,
    /// One slip per student, in class-list order.
    pub slips: Vec<LoginSlip>,
}

/// One student's login slip.
pub struct LoginSlip {
    /// Full name.
    pub full_name: String,
    /// Student id.
    pub student_id: String,
    /// Class; empty when none.
    pub class: String,
    /// Seat or computer, when assigned.
    pub seat: Option<String>,
    /// The PIN line.
    pub pin: PinLine,
}

/// What a slip says about the PIN.
pub enum PinLine {
    /// The roster has no PIN for this student: no line.
    NotRequired,
    /// A PIN is required but not known here: a blank for the teacher to fill in.
    Blank,
    /// The PIN itself (a secret: printed on the slip, never logged).
    Known(Pin),
}

/// The slips of `students` in class-list order; `pin_of` gives the PIN of a student whose
/// roster entry requires one, when known (already checked against the stored hash).
pub fn login_slips(
    students: &[StudentRecord],
    mut pin_of: impl FnMut(&StudentRecord) -> Option<Pin>,
) -> Vec<LoginSlip> {
    let mut ordered: Vec<&StudentRecord> = students.iter().collect();
    ordered.sort_by_cached_key(|student| {
        (student.class.clone(), vietnamese_collation_key(&student.full_name), student.student_id.clone())
    });
    ordered
        .into_iter()
        .map(|student| LoginSlip {
            full_name: student.full_name.clone(),
            student_id: student.student_id.clone(),
            class: student.class.clone(),
            seat: student.seat.clone(),
            pin: match (&student.pin_hash, pin_of(student)) {
                (None, _) => PinLine::NotRequired,
                (Some(_), Some(pin)) => PinLine::Known(pin),
                (Some(_), None) => PinLine::Blank,
            },
        })
        .collect()
}

/// Slips per page: two columns of five.
const SLIP_COLUMNS: usize = 2;
const SLIP_ROWS: usize = 5;
const SLIP_HEIGHT: f32 = 135.0;

/// What the room page says under the title of a practice test.
pub const PRACTICE_LINE: &str =
    "Bài luyện tập — câu hỏi chưa được tổ chuyên môn duyệt / Practice test — items not reviewed";

/// Lays out and writes the lab sheet: a first page for the room, then the slips.
pub fn lab_sheet_pdf(sheet: &LabSheet) -> Result<Vec<u8>, ReportError> {
    if sheet.slips.is_empty() {
        return Err(ReportError::NoRoster);
    }
    let mut document = Document::new(&format!("Phiếu phòng máy — {}", sheet.exam_title))?;
    document.add_page();
    let centre = A4_WIDTH / 2.0;
    document.text(centre, MARGIN + 20.0, "PHIẾU PHÒNG MÁY", Style::bold(18.0).aligned(Align::Center));
    document.text(centre, MARGIN + 44.0, &sheet.exam_title, Style::regular(13.0).aligned(Align::Center));
    if sheet.practice {
        document.text(centre, MARGIN + 64.0, PRACTICE_LINE, Style::bold(11.0).aligned(Align::Center));
    }
    let mut y = MARGIN + 90.0;
    for (label, value, size) in
        [("Địa chỉ máy giám thị:", sheet.address.as_str(), 20.0), ("Mã phòng:", sheet.room_code.as_str(), 28.0)]
    {
        document.text(MARGIN, y, label, Style::regular(12.0));
        document.text(MARGIN, y + size + 8.0, value, Style::bold(size));
        y += size + 44.0;
    }
    document.text(MARGIN, y, "Vân tay chứng chỉ (so với màn hình kết nối của máy học sinh):", Style::regular(12.0));
    y += 20.0;
    for line in fingerprint_lines(&sheet.fingerprint) {
        document.text(MARGIN, y, &line, Style::bold(12.0));
        y += 17.0;
    }
    y += 20.0;
    let steps = [
        "1. Mở Phòng Thi trên máy học sinh, nhập địa chỉ máy giám thị (hoặc dùng tệp lab.toml).",
        "2. Kiểm tra vân tay chứng chỉ khớp với phiếu này trước khi đăng nhập.",
        "3. Học sinh nhập mã học sinh, mã phòng và PIN (nếu có) theo phiếu đăng nhập của mình.",
    ];
    for step in steps {
        document.text(MARGIN, y, step, Style::regular(10.5));
        y += 16.0;
    }
    let counted = format!("Số học sinh: {}", sheet.slips.len());
    document.text(MARGIN, y + 10.0, &counted, Style::regular(10.5));

    let slip_width = (A4_WIDTH - 2.0 * MARGIN) / SLIP_COLUMNS as f32;
    for (index, slip) in sheet.slips.iter().enumerate() {
        let on_page = index % (SLIP_COLUMNS * SLIP_ROWS);
        if on_page == 0 {
            document.add_page();
            let on_this_page = (sheet.slips.len() - index).min(SLIP_COLUMNS * SLIP_ROWS);
            cut_lines(&mut document, slip_width, on_this_page.div_ceil(SLIP_COLUMNS));
        }
        let x = MARGIN + slip_width * (on_page % SLIP_COLUMNS) as f32;
        let y = MARGIN + SLIP_HEIGHT * (on_page / SLIP_COLUMNS) as f32;
        draw_slip(&mut document, x + 10.0, y + 20.0, slip_width - 20.0, slip, sheet);
    }
    Ok(document.finish()?)
}

/// The fingerprint in lines of eight groups, so it reads like the client's connect screen.
fn fingerprint_lines(fingerprint: &str) -> Vec<String> {
    let groups: Vec<&str> = fingerprint.split(':').collect();
    groups.chunks(8).map(|chunk| chunk.join(":")).collect()
}

/// Dashed cut lines around `rows` rows of slips (only the rows used, so no empty boxes print).
fn cut_lines(document: &mut Document, slip_width: f32, rows: usize) {
    let bottom = MARGIN + SLIP_HEIGHT * rows as f32;
    for row in 0..=rows {
        let y = MARGIN + SLIP_HEIGHT * row as f32;
        document.dashed_line((MARGIN, y), (A4_WIDTH - MARGIN, y), 0.5);
    }
    for column in 0..=SLIP_COLUMNS {
        let x = MARGIN + slip_width * column as f32;
        document.dashed_line((x, MARGIN), (x, bottom.min(A4_HEIGHT - MARGIN)), 0.5);
    }
}

fn draw_slip(document: &mut Document, x: f32, top: f32, width: f32, slip: &LoginSlip, sheet: &LabSheet) {
    let fitted = phongthi_pdf::table::fit(document, &slip.full_name, width, 12.0);
    document.text(x, top, &fitted, Style::bold(12.0));
    let class_and_seat = match &slip.seat {
        Some(seat) => format!("Lớp: {}    Máy: {seat}", dash_if_empty(&slip.class)),
        None => format!("Lớp: {}", dash_if_empty(&slip.class)),
    };
    document.text(x, top + 18.0, &class_and_seat, Style::regular(10.0));
    document.text(x, top + 38.0, "Mã học sinh:", Style::regular(10.0));
    document.text(x + 75.0, top + 38.0, &slip.student_id, Style::bold(12.0));
    document.text(x, top + 56.0, "Mã phòng:", Style::regular(10.0));
    document.text(x + 75.0, top + 56.0, &sheet.room_code, Style::bold(12.0));
    match &slip.pin {
        PinLine::NotRequired => {}
        PinLine::Known(pin) => {
            document.text(x, top + 74.0, "PIN:", Style::regular(10.0));
            document.text(x + 75.0, top + 74.0, pin.expose_secret(), Style::bold(12.0));
        }
        PinLine::Blank => {
            document.text(x, top + 74.0, "PIN:", Style::regular(10.0));
            document.line((x + 75.0, top + 76.0), (x + width, top + 76.0), 0.5);
        }
    }
    let address = format!("Máy giám thị: {}", sheet.address);
    document.text(x, top + 96.0, &address, Style::regular(8.5));
}

fn dash_if_empty(text: &str) -> &str {
    if text.is_empty() { "—" } else { text }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // tests: a panic is the report

    use super::*;
    use phongthi_pdf::inspect;

    fn record(id: usize, class: &str, pin: bool) -> StudentRecord {
        StudentRecord {
            student_id: format!("HS{id:03}"),
            full_name: format!("Nguyễn Văn Ất {id:02}"),
            class: class.to_owned(),
            date_of_birth: None,
            pin_hash: pin.then(|| vec![0; 32]),
            seat: id.is_multiple_of(2).then(|| format!("Máy {id}")),
        }
    }

    #[test]
    fn slips_flow_over_pages_of_ten_in_class_list_order() {
        let students: Vec<StudentRecord> =
            (1..=23).map(|id| record(id, if id.is_multiple_of(2) { "10A2" } else { "10A1" }, id > 20)).collect();
        let slips =
            login_slips(&students, |student| (student.student_id == "HS021").then(|| Pin::new("8642").unwrap()));
        assert_eq!(slips[0].class, "10A1");
        assert_eq!(slips.last().map(|slip| slip.class.as_str()), Some("10A2"));
        assert!(matches!(slips.iter().find(|s| s.student_id == "HS021").unwrap().pin, PinLine::Known(_)));
        assert!(matches!(slips.iter().find(|s| s.student_id == "HS022").unwrap().pin, PinLine::Blank));
        assert!(matches!(slips.iter().find(|s| s.student_id == "HS001").unwrap().pin, PinLine::NotRequired));
        let sheet = LabSheet {
            exam_title: "Kiểm tra cuối kỳ — Ngữ văn 11".to_owned(),
            practice: false,
            address: "192.168.1.10:4433".to_owned(),
            fingerprint: "ab12:cd34".to_owned(),
            room_code: "KQ7M2X".to_owned(),
            slips,
        };
        let pdf = lab_sheet_pdf(&sheet).unwrap();
        assert_eq!(inspect::page_count(&pdf), Some(4));
        let pages = inspect::page_texts(&pdf).unwrap();
        assert_eq!(pages[1].iter().filter(|line| line.starts_with("Nguyễn Văn Ất")).count(), 10);
        assert_eq!(pages[3].iter().filter(|line| line.starts_with("Nguyễn Văn Ất")).count(), 3);
        assert_eq!(pages.concat().iter().filter(|line| *line == "8642").count(), 1);
        assert_eq!(pages.concat().iter().filter(|line| *line == "KQ7M2X").count(), 24);
        assert!(!pages[0].iter().any(|line| line.contains("Bài luyện tập")), "{:?}", pages[0]);

        let practice = lab_sheet_pdf(&LabSheet { practice: true, ..sheet }).unwrap();
        let first = &inspect::page_texts(&practice).unwrap()[0];
        assert!(first.iter().any(|line| line == PRACTICE_LINE), "{first:?}");
    }

    #[test]
    fn an_empty_roster_is_refused() {
        let sheet = LabSheet {
            exam_title: String::new(),
            practice: false,
            address: String::new(),
            fingerprint: String::new(),
            room_code: String::new(),
            slips: Vec::new(),
        };
        assert!(matches!(lab_sheet_pdf(&sheet), Err(ReportError::NoRoster)));
    }
}
