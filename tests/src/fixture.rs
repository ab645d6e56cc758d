//! An exam day, set up from the example files as a school would: the teacher's bundle (questions
//! approved, a test assembled into forms, sealed and signed) added to an initialised proctor
//! data directory with the class roster imported.

use phongthi_crypto::{ExamId, KdfParams, Passphrase, SigningKey};
use phongthi_proctor::admin::{add_exam, import_roster, open_store};
use phongthi_proctor::datadir::DataDir;
use phongthi_question_bank::assembly::{Candidate, assemble};
use phongthi_question_bank::blueprint::Blueprint;
use phongthi_question_bank::bundle::ExamBundle;
use phongthi_question_bank::exam::Exam;
use phongthi_question_bank::formats::template;
use phongthi_question_bank::forms::make_forms;
use phongthi_question_bank::model::ItemId;
use std::path::{Path, PathBuf};

/// The repository's `examples/` folder.
pub fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

/// What [`exam_day`] made.
pub struct ExamDay {
    /// The proctor's data directory.
    pub data: DataDir,
    /// The exam added.
    pub exam_id: ExamId,
    /// The assembled exam (the teacher's copy, with keys: for checking scores).
    pub exam: Exam,
}

/// Sets up `dir` for an exam of the example blueprint with `forms` forms and the example roster.
pub async fn exam_day(dir: &Path, forms: u16) -> Result<ExamDay, Box<dyn std::error::Error>> {
    let examples = examples();
    let csv = std::fs::read(examples.join("questions.csv"))?;
    let report = template::import_csv("questions.csv", &csv);
    if let Some(error) = report.errors.first() {
        return Err(error.to_string().into());
    }
    let candidates: Vec<Candidate> = report
        .items
        .into_iter()
        .enumerate()
        .map(|(i, item)| Candidate { id: ItemId::new(i as i64 + 1), item, usage_count: 0 })
        .collect();
    let blueprint = Blueprint::parse("blueprint.toml", &std::fs::read_to_string(examples.join("blueprint.toml"))?)?;
    let mut spec = blueprint.forms().clone();
    spec.count = forms;
    let test = assemble(&blueprint, &candidates, 2026)?;
    let forms = make_forms(&test, &spec, 2026);
    let exam = Exam::new(test, forms)?;
    let bundle = ExamBundle { exam_id: ExamId::generate()?, created_ms: 0, exam: exam.clone() };
    let teacher = SigningKey::generate()?;
    let passphrase = Passphrase::new("mật khẩu đề");
    let sealed = bundle.seal(&teacher, &passphrase, KdfParams::with_iterations(1_000)?)?;
    let bundle_path = dir.join("giua-ky-1.exam");
    std::fs::write(&bundle_path, sealed)?;

    let data = DataDir::new(dir.join("proctor"));
    data.init(&[], None)?;
    let (store, identity) = open_store(&data, None)?;
    add_exam(&store, &identity, &bundle_path, &passphrase).await?;
    import_roster(&store, &examples.join("roster.csv")).await?;
    store.close()?;
    Ok(ExamDay { data, exam_id: bundle.exam_id, exam })
}
