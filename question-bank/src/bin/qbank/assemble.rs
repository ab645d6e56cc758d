//! `qbank assemble`: draw approved items per the blueprint, make the shuffled forms, and seal the
//! exam with the items' signed statements into a `.exam` bundle signed with the teacher's key.

use crate::output::{now_ms, write_atomically};
use anyhow::{Context, bail};
use clap::Args;
use phongthi_crypto::{ExamId, KdfParams, Passphrase};
use phongthi_items::ItemKind;
use phongthi_question_bank::approval::check_approvals;
use phongthi_question_bank::assembly::{Candidate, assemble};
use phongthi_question_bank::blueprint::Blueprint;
use phongthi_question_bank::bundle::ExamBundle;
use phongthi_question_bank::exam::Exam;
use phongthi_question_bank::forms::make_forms;
use phongthi_question_bank::i18n::Lang;
use phongthi_question_bank::store;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

#[derive(Args)]
pub(crate) struct AssembleArgs {
    /// Ma trận đề (TOML) / blueprint
    blueprint: PathBuf,
    /// Số mã đề (ghi đè [forms] count) / number of forms (overrides [forms] count)
    #[arg(long)]
    forms: Option<u16>,
    /// Hạt giống ngẫu nhiên để ghép lại đúng đề này / seed, to reproduce this exact test
    #[arg(long)]
    seed: Option<u64>,
    /// Tệp đề thi ra / output exam file
    #[arg(long)]
    out: PathBuf,
    /// Tệp chứa mật khẩu niêm phong đề / file holding the passphrase that seals the exam
    #[arg(long)]
    passphrase_file: PathBuf,
    /// Khóa ký của giáo viên / the teacher's signing key
    #[arg(long)]
    key: PathBuf,
    /// Tệp mật khẩu của khóa, nếu khóa có mật khẩu / the key's passphrase file, if it has one
    #[arg(long)]
    key_passphrase_file: Option<PathBuf>,
}

pub(crate) fn run(db: &Path, lang: Lang, args: AssembleArgs) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(&args.blueprint).with_context(|| args.blueprint.display().to_string())?;
    let blueprint = Blueprint::parse(&args.blueprint.display().to_string(), &text)?;
    let mut spec = blueprint.forms().clone();
    if let Some(count) = args.forms {
        if !(1..=999).contains(&count) {
            bail!("--forms: {}", lang.t("số mã đề phải từ 1 đến 999", "the number of forms must be 1 to 999"));
        }
        spec.count = count;
    }
    let passphrase = Passphrase::from_file(&args.passphrase_file)?;
    let teacher = crate::keygen::load(&args.key, args.key_passphrase_file.as_deref())?;

    let conn = store::open(db).with_context(|| db.display().to_string())?;
    let subject = Some(blueprint.subject()).filter(|s| !s.is_empty());
    let kinds: BTreeSet<ItemKind> = blueprint.parts().iter().map(|p| p.kind).collect();
    let mut candidates = Vec::new();
    for kind in kinds {
        for stored in store::candidates(&conn, subject, kind)? {
            let usage_count = u32::try_from(stored.usage_count).unwrap_or(u32::MAX);
            candidates.push(Candidate { id: stored.id, item: stored.item, usage_count });
        }
    }
    let seed = match args.seed {
        Some(seed) => seed,
        None => u64::from_be_bytes(phongthi_crypto::SessionId::generate()?.as_bytes()[..8].try_into()?),
    };
    let test = assemble(&blueprint, &candidates, seed)?;
    let forms = make_forms(&test, &spec, seed);
    let exam = Exam::new(test, forms)?;
    let used: Vec<_> = exam.items().keys().copied().collect();
    let statements = store::carried_statements(&conn, &used)?;
    // The bank does not know which keys the school trusts: everything else of the proctor's
    // policy is checked here, so a teacher hears of a missing approval before the exam day.
    let report = check_approvals(&exam, &statements, |_| true);
    let bundle = ExamBundle { exam_id: ExamId::generate()?, created_ms: u64::try_from(now_ms())?, exam, statements };
    let sealed = bundle.seal(&teacher, &passphrase, KdfParams::default())?;
    write_atomically(&args.out, &sealed)?;
    // Usage counts steer later tests away from these items; counted only once the file exists.
    store::record_usage(&conn, &used, now_ms())?;

    let exam = &bundle.exam;
    let codes: Vec<String> = exam.forms().iter().map(|f| f.code.to_string()).collect();
    println!("{}: {}", lang.t("Đề thi", "Exam"), exam.title());
    println!("{}: {}", lang.t("Mã kỳ thi", "Exam id"), bundle.exam_id);
    println!(
        "{}: {} ({} {})",
        lang.t("Số câu", "Questions"),
        exam.question_count(),
        blueprint.total_points(),
        lang.t("điểm", "points")
    );
    println!("{}: {}", lang.t("Mã đề", "Forms"), codes.join(", "));
    println!("{}: {seed}", lang.t("Hạt giống (ghép lại đúng đề này)", "Seed (to reproduce)"));
    println!("{}: {}", lang.t("Ký bởi khóa", "Signed by key"), teacher.public_key().fingerprint());
    println!("{}: {}", lang.t("Đã ghi", "Wrote"), args.out.display());
    if !report.unapproved.is_empty() {
        eprintln!(
            "{} {} {}",
            lang.t("Cảnh báo:", "Warning:"),
            report.unapproved.len(),
            lang.t(
                "câu chưa được duyệt có chữ ký bởi người khác tác giả; `proctor exam add` sẽ từ chối đề này, trừ khi là bài luyện tập (--practice):",
                "items lack a signed approval by someone other than their author; `proctor exam add` will refuse this exam unless it is a practice test (--practice):"
            )
        );
        for unapproved in &report.unapproved {
            eprintln!("  {unapproved}");
        }
    }
    Ok(())
}
