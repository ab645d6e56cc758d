//! `exam-client --readiness`: a check of a lab PC before exam day, shown as a pass/fail list
//! (and printed when every check is done), followed by a three-question practice that needs no
//! answer key: the practice is not scored, the student only sees what they answered.
//!
//! Fonts and full screen are checked inside the window; the proctor connection and the journal
//! folder by [`crate::net::readiness`] on the runtime, whose results arrive on a channel.

use crate::net::readiness::CheckResult;
use phongthi_protocol::{PresentedBody, PresentedForm, PresentedImage, PresentedPart, PresentedQuestion};

/// Text every exam needs drawn: Vietnamese with two marks, maths symbols.
pub const FONT_SAMPLE: &str = "Ấ ặ ữ Ỹ ơ ư đ — 𝑥 ∈ ℝ, √2 ≤ π, α ≠ β";

/// Which check a line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckId {
    /// Vietnamese and maths glyphs render.
    Fonts,
    /// The window went full screen.
    Fullscreen,
    /// The proctor answered with the pinned certificate.
    Proctor,
    /// The journal folder is writable.
    Journal,
}

impl CheckId {
    /// Every check, in the order shown.
    pub const ALL: [CheckId; 4] = [CheckId::Fonts, CheckId::Fullscreen, CheckId::Proctor, CheckId::Journal];

    /// The line's name, Vietnamese then English.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            CheckId::Fonts => ("Phông chữ tiếng Việt và ký hiệu toán", "Vietnamese and maths fonts"),
            CheckId::Fullscreen => ("Toàn màn hình", "Full screen"),
            CheckId::Proctor => ("Kết nối máy giám thị (chứng chỉ đã ghim)", "Proctor connection (pinned certificate)"),
            CheckId::Journal => ("Thư mục nhật ký ghi được", "Journal folder writable"),
        }
    }
}

/// The checks so far: `None` while one runs.
#[derive(Clone, Debug, Default)]
pub struct Checks {
    /// Results by check.
    pub results: Vec<(CheckId, Option<CheckResult>)>,
    /// Printed to the terminal already.
    pub printed: bool,
    /// When the window was asked to go full screen (egui seconds).
    pub fullscreen_asked: Option<f64>,
}

impl Checks {
    /// All pending.
    pub fn new() -> Checks {
        Checks { results: CheckId::ALL.iter().map(|id| (*id, None)).collect(), printed: false, fullscreen_asked: None }
    }

    /// Records a result (the first one of each check counts).
    pub fn set(&mut self, id: CheckId, result: CheckResult) {
        if let Some((_, slot @ None)) = self.results.iter_mut().find(|(known, _)| *known == id) {
            *slot = Some(result);
        }
    }

    /// The result of one check.
    pub fn get(&self, id: CheckId) -> Option<&CheckResult> {
        self.results.iter().find(|(known, _)| *known == id).and_then(|(_, result)| result.as_ref())
    }

    /// Whether every check has a result.
    pub fn done(&self) -> bool {
        self.results.iter().all(|(_, result)| result.is_some())
    }

    /// The list as printed: `ĐẠT/PASS name — detail` per line.
    pub fn report(&self) -> String {
        self.results
            .iter()
            .map(|(id, result)| {
                let (vi, en) = id.names();
                match result {
                    Some(Ok(detail)) => format!("ĐẠT / PASS   {vi} / {en}: {detail}"),
                    Some(Err(detail)) => format!("LỖI / FAIL   {vi} / {en}: {detail}"),
                    None => format!("…            {vi} / {en}"),
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

fn question(number: u32, stem: &str, body: PresentedBody) -> PresentedQuestion {
    PresentedQuestion { number, points_milli: 0, format: "plain".into(), stem: stem.into(), stem_tail: None, body }
}

/// The practice: a maths choice, a Telex text answer and a true/false item. No keys anywhere.
pub fn practice_form() -> PresentedForm {
    PresentedForm {
        exam_title: "Làm bài thử — Practice".into(),
        form_code: "000".into(),
        parts: vec![PresentedPart {
            name: "Bài làm thử (không chấm điểm)".into(),
            questions: vec![
                question(
                    1,
                    r"Tính $\frac{1}{2} + \frac{1}{4}$.",
                    PresentedBody::SingleChoice {
                        options: vec![
                            r"$\frac{3}{4}$".into(),
                            r"$\frac{2}{6}$".into(),
                            "1".into(),
                            r"$\frac{1}{8}$".into(),
                        ],
                    },
                ),
                question(2, "Gõ tên nước ta bằng Telex: Vieetj Nam → Việt Nam.", PresentedBody::ShortText),
                question(3, r"$\sqrt{9} = 3$ và $x^2 \ge 0$ với mọi $x \in \mathbb{R}$.", PresentedBody::TrueFalse),
            ],
        }],
        images: Vec::new(),
    }
}

/// A synthetic form of `items` maths questions, each with its own `side` × `side` PNG figure,
/// for memory measurements (`docs/client.md`); never used in an exam.
pub fn load_test_form(items: u32, side: u32) -> PresentedForm {
    let mut questions = Vec::new();
    let mut images = Vec::new();
    for number in 1..=items {
        let name = format!("hinh{number}.png");
        let shade = u8::try_from(number % 200).unwrap_or(0);
        let pixels = image::RgbaImage::from_fn(side, side, |x, y| {
            image::Rgba([shade, u8::try_from(x % 256).unwrap_or(0), u8::try_from(y % 256).unwrap_or(0), 255])
        });
        let mut bytes = std::io::Cursor::new(Vec::new());
        if pixels.write_to(&mut bytes, image::ImageFormat::Png).is_ok() {
            images.push(PresentedImage { name: name.clone(), bytes: bytes.into_inner() });
        }
        questions.push(question(
            number,
            &format!(r"Câu đo bộ nhớ {number}: tính $\frac{{{number}}}{{2}} + \sqrt{{{number}}}$ theo hình @@PLUGINFILE@@/{name}"),
            PresentedBody::SingleChoice { options: vec!["$x^2$".into(), r"$\pi$".into(), "0".into(), "1".into()] },
        ));
    }
    PresentedForm {
        exam_title: "Đo bộ nhớ — Memory measurement".into(),
        form_code: "999".into(),
        parts: vec![PresentedPart { name: "Đo bộ nhớ".into(), questions }],
        images,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_fill_once_and_print_as_a_list() {
        let mut checks = Checks::new();
        assert!(!checks.done());
        checks.set(CheckId::Fonts, Ok("Noto Sans".into()));
        checks.set(CheckId::Fonts, Err("late".into()));
        checks.set(CheckId::Fullscreen, Ok("1920×1080".into()));
        checks.set(CheckId::Proctor, Err("192.168.1.10:4433: hết thời gian / timed out".into()));
        checks.set(CheckId::Journal, Ok("/var/lib/phongthi".into()));
        assert!(checks.done());
        let report = checks.report();
        assert!(report.starts_with("ĐẠT / PASS   Phông chữ"), "{report}");
        assert!(report.contains("LỖI / FAIL   Kết nối máy giám thị"), "{report}");
        assert_eq!(report.lines().count(), 4);
    }

    #[test]
    fn the_practice_has_math_telex_and_no_points() {
        let form = practice_form();
        assert_eq!(form.questions().count(), 3);
        assert!(form.questions().all(|q| q.points_milli == 0));
        assert!(form.questions().any(|q| q.body == PresentedBody::ShortText));
        assert!(form.questions().any(|q| q.stem.contains(r"\frac")));
    }

    #[test]
    fn the_load_test_form_has_one_figure_per_question() {
        let form = load_test_form(3, 16);
        assert_eq!((form.questions().count(), form.images.len()), (3, 3));
        assert!(form.questions().all(|q| q.stem.contains("@@PLUGINFILE@@/hinh")));
        let stem = &form.questions().next().map(|q| q.stem.clone()).unwrap_or_default();
        assert!(stem.contains(r"$\frac{1}{2} + \sqrt{1}$"), "{stem}");
    }
}
