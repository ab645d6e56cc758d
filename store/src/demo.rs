//! An exam day set up from the example files as a school would, for `proctor demo` and the
//! end-to-end tests: the teacher's bundle (questions written by the teacher and approved by
//! the head of the subject group, each with their own key; a test assembled into forms, sealed
//! and signed) added to an initialised proctor data directory that trusts both keys, with a
//! class roster.

use crate::admin::{AddOptions, add_exam, import_roster, open_store};
use crate::datadir::DataDir;
use phongthi_crypto::{ExamId, KdfParams, Passphrase, PublicKey, ReviewKind, ReviewStatement, SigningKey};
use phongthi_formats::template;
use phongthi_items::ItemId;
use phongthi_question_bank::approval::{Statements, item_digest};
use phongthi_question_bank::assembly::{Candidate, assemble};
use phongthi_question_bank::blueprint::Blueprint;
use phongthi_question_bank::bundle::ExamBundle;
use phongthi_question_bank::exam::Exam;
use phongthi_question_bank::forms::make_forms;
use std::path::Path;

/// The example files, built in so the demo needs nothing installed.
pub const QUESTIONS_CSV: &str = include_str!("../../examples/questions.csv");
/// The example blueprint.
pub const BLUEPRINT_TOML: &str = include_str!("../../examples/blueprint.toml");
/// The example class list.
pub const ROSTER_CSV: &str = include_str!("../../examples/roster.csv");

/// A class list of `n` students with Vietnamese names and seats on a 6-wide grid, for demos
/// larger than the example roster.
pub fn roster_csv(n: usize) -> String {
    const FAMILY: [&str; 8] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"];
    const MIDDLE: [&str; 6] = ["Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc"];
    const GIVEN: [&str; 10] = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Khánh", "Linh", "Phúc", "Yến"];
    let mut csv = String::from("STT,Mã học sinh,Họ và tên,Lớp,Chỗ ngồi\n");
    for i in 0..n {
        let name = format!("{} {} {}", FAMILY[i % 8], MIDDLE[(i / 8) % 6], GIVEN[(i / 3) % 10]);
        let seat = format!("{}{}", char::from(b'A' + ((i / 6) % 26) as u8), i % 6 + 1);
        csv.push_str(&format!("{},{:010},{name},10A{},{seat}\n", i + 1, 123_456_789 + i, 1 + i / 40));
    }
    csv
}

/// What [`exam_day`] made.
pub struct ExamDay {
    /// The proctor's data directory.
    pub data: DataDir,
    /// The exam added.
    pub exam_id: ExamId,
    /// The assembled exam (the teacher's copy, with keys: for checking scores).
    pub exam: Exam,
    /// The key that approved every item (trusted by the data directory).
    pub reviewer: PublicKey,
}

/// The author's statement and the reviewer's approval of every item of `exam`, as `qbank
/// submit --key` and `qbank review --approve --key` sign them.
pub fn approve_all(
    exam: &Exam,
    author: &SigningKey,
    reviewer: &SigningKey,
) -> Result<Statements, phongthi_crypto::Error> {
    let mut statements = Statements::new();
    for (id, item) in exam.items() {
        let statement = |kind, name: &str| ReviewStatement {
            kind,
            item_id: id.get(),
            item_digest: item_digest(item),
            at_ms: 0,
            name: name.to_owned(),
            comment: String::new(),
        };
        let author_statement = statement(ReviewKind::Author, "Giáo viên Toán (demo)").sign(author)?;
        let approval = statement(ReviewKind::Approve, "Tổ trưởng tổ Toán (demo)").sign(reviewer)?;
        statements.insert(*id, vec![author_statement.as_bytes().to_vec(), approval.as_bytes().to_vec()]);
    }
    Ok(statements)
}

/// Sets up `dir` for an exam of the example blueprint with `forms` forms and the class list
/// `roster_csv` (the example one, or [`roster_csv`]).
pub async fn exam_day(
    dir: &Path,
    forms: u16,
    roster: &str,
) -> Result<ExamDay, Box<dyn std::error::Error + Send + Sync>> {
    let report = template::import_csv("questions.csv", QUESTIONS_CSV.as_bytes());
    if let Some(error) = report.errors.first() {
        return Err(error.to_string().into());
    }
    let candidates: Vec<Candidate> = report
        .items
        .into_iter()
        .enumerate()
        .map(|(i, item)| Candidate { id: ItemId::new(i as i64 + 1), item, usage_count: 0 })
        .collect();
    let blueprint = Blueprint::parse("blueprint.toml", BLUEPRINT_TOML)?;
    let mut spec = blueprint.forms().clone();
    spec.count = forms;
    let test = assemble(&blueprint, &candidates, 2026)?;
    let forms = make_forms(&test, &spec, 2026);
    let exam = Exam::new(test, forms)?;
    let teacher = SigningKey::generate()?;
    let reviewer = SigningKey::generate()?;
    let statements = approve_all(&exam, &teacher, &reviewer)?;
    let bundle = ExamBundle { exam_id: ExamId::generate()?, created_ms: 0, exam: exam.clone(), statements };
    let passphrase = Passphrase::new("mật khẩu đề");
    let sealed = bundle.seal(&teacher, &passphrase, KdfParams::with_iterations(1_000)?)?;
    let bundle_path = dir.join("giua-ky-1.exam");
    std::fs::write(&bundle_path, sealed)?;

    let data = DataDir::new(dir.join("proctor"));
    data.init(&[], None)?;
    let (store, identity) = open_store(&data, None)?;
    // The demo's teacher and reviewer are the school's: trusted as `proctor trust add` would.
    for (key, name) in
        [(teacher.public_key(), "Giáo viên Toán (demo)"), (reviewer.public_key(), "Tổ trưởng tổ Toán (demo)")]
    {
        let signer = crate::TrustedSigner { key, name: name.into(), added_ms: 0 };
        store.trust_signer(signer, "proctor").await?;
    }
    add_exam(&store, &identity, &bundle_path, &passphrase, AddOptions::default()).await?;
    let roster_path = dir.join("danh-sach.csv");
    std::fs::write(&roster_path, roster)?;
    import_roster(&store, &roster_path).await?;
    store.close()?;
    Ok(ExamDay { data, exam_id: bundle.exam_id, exam, reviewer: reviewer.public_key() })
}
