//! `qbank import`: read question files, fill metadata the files do not state, store them.
//!
//! By default a run with any bad question imports nothing (a teacher fixes the file and runs
//! again); `--skip-invalid` imports the good ones and lists the others. Storing is one
//! transaction, so a run never leaves half its items behind.

use crate::output::{now_ms, print_json};
use anyhow::{Context, bail};
use clap::Args;
use phongthi_formats::ImportReport;
use phongthi_items::{Item, Level};
use phongthi_question_bank::i18n::Lang;
use phongthi_question_bank::store;
use serde_json::json;
use std::path::{Path, PathBuf};

#[derive(Args)]
pub(crate) struct ImportArgs {
    /// Tệp câu hỏi (.gift .txt .xml .csv .xlsx .zip) / question files
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Định dạng nếu không đoán được từ đuôi tệp / format when the extension does not say:
    /// gift | aiken | moodle-xml | qti | csv | xlsx
    #[arg(long)]
    format: Option<String>,
    /// Môn học cho câu chưa ghi / subject for items that do not state one
    #[arg(long)]
    subject: Option<String>,
    /// Khối lớp / grade (1–12)
    #[arg(long)]
    grade: Option<u8>,
    /// Chủ đề / topic
    #[arg(long)]
    topic: Option<String>,
    /// Mức độ: Biết | Hiểu | Vận dụng | Vận dụng cao / level
    #[arg(long)]
    level: Option<String>,
    /// Nhập các câu hợp lệ, liệt kê câu lỗi / import the valid questions and list the others
    #[arg(long)]
    skip_invalid: bool,
    /// Xuất JSON / JSON output
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Gift,
    Aiken,
    MoodleXml,
    Qti,
    Csv,
    Xlsx,
}

impl Format {
    fn parse(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "gift" => Some(Format::Gift),
            "aiken" => Some(Format::Aiken),
            "moodle-xml" | "xml" | "moodle" => Some(Format::MoodleXml),
            "qti" | "qti2" | "qti3" => Some(Format::Qti),
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }

    /// By extension; `.txt` is Aiken when it has an `ANSWER:` line, GIFT otherwise; `.xml` is QTI
    /// when its root is `assessmentItem` / `qti-assessment-item`, Moodle XML otherwise; `.zip` is
    /// a QTI package (the importer says so when it has no `imsmanifest.xml`).
    fn detect(path: &Path, bytes: &[u8]) -> Option<Self> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "gift" => Some(Format::Gift),
            "aiken" => Some(Format::Aiken),
            "xml" if phongthi_formats::qti::is_item_xml(bytes) => Some(Format::Qti),
            "xml" => Some(Format::MoodleXml),
            "zip" => Some(Format::Qti),
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            "txt" => {
                let text = String::from_utf8_lossy(bytes);
                Some(if text.lines().any(|l| l.trim_start().starts_with("ANSWER:")) {
                    Format::Aiken
                } else {
                    Format::Gift
                })
            }
            _ => None,
        }
    }

    fn import(self, name: &str, bytes: &[u8]) -> anyhow::Result<ImportReport> {
        let text = || std::str::from_utf8(bytes).with_context(|| format!("{name}: không phải UTF-8 / not UTF-8"));
        Ok(match self {
            Format::Gift => phongthi_formats::gift::import(name, text()?),
            Format::Aiken => phongthi_formats::aiken::import(name, text()?),
            Format::MoodleXml => phongthi_formats::moodle_xml::import(name, text()?),
            Format::Qti => phongthi_formats::qti::import(name, bytes),
            Format::Csv => phongthi_formats::template::import_csv(name, bytes),
            Format::Xlsx => phongthi_formats::template::import_xlsx(name, bytes),
        })
    }
}

struct Defaults {
    subject: Option<String>,
    grade: Option<u8>,
    topic: Option<String>,
    level: Option<Level>,
}

impl Defaults {
    fn apply(&self, item: &mut Item) {
        let meta = &mut item.meta;
        if meta.subject.is_none() {
            meta.subject.clone_from(&self.subject);
        }
        if meta.grade.is_none() {
            meta.grade = self.grade;
        }
        if meta.topic.is_none() {
            meta.topic.clone_from(&self.topic);
        }
        if meta.level.is_none() {
            meta.level = self.level;
        }
    }
}

pub(crate) fn run(db: &Path, lang: Lang, args: ImportArgs) -> anyhow::Result<()> {
    let forced = match &args.format {
        Some(name) => Some(Format::parse(name).with_context(|| format!("--format {name:?}"))?),
        None => None,
    };
    let level = match &args.level {
        Some(text) => Some(
            Level::parse(text)
                .with_context(|| format!("--level {text:?}: {}", lang.t("mức độ không hợp lệ", "unknown level")))?,
        ),
        None => None,
    };
    if args.grade.is_some_and(|g| !(1..=12).contains(&g)) {
        bail!("--grade: {}", lang.t("khối lớp phải từ 1 đến 12", "grade must be 1 to 12"));
    }
    let defaults = Defaults { subject: args.subject.clone(), grade: args.grade, topic: args.topic.clone(), level };

    let mut items = Vec::new();
    let mut errors = Vec::new();
    let mut per_file = Vec::new();
    for path in &args.files {
        let bytes = std::fs::read(path).with_context(|| path.display().to_string())?;
        let name = path.display().to_string();
        let format = forced.or_else(|| Format::detect(path, &bytes)).with_context(|| {
            format!(
                "{name}: {}",
                lang.t(
                    "không đoán được định dạng; dùng --format gift|aiken|moodle-xml|qti|csv|xlsx",
                    "cannot tell the format; use --format gift|aiken|moodle-xml|qti|csv|xlsx"
                )
            )
        })?;
        let report = format.import(&name, &bytes)?;
        per_file.push(json!({"file": name, "items": report.items.len(), "errors": report.errors.len()}));
        items.extend(report.items.into_iter().map(|mut item| {
            defaults.apply(&mut item);
            item
        }));
        errors.extend(report.errors);
    }

    let error_json: Vec<_> = errors
        .iter()
        .map(|e| json!({"file": e.at.file, "line": e.at.line, "column": e.at.column, "message": e.message}))
        .collect();
    if !errors.is_empty() && !args.skip_invalid {
        if args.json {
            print_json(&json!({"files": per_file, "inserted": [], "existing": [], "errors": error_json}))?;
        } else {
            for e in &errors {
                eprintln!("{e}");
            }
        }
        bail!(
            "{} {}",
            errors.len(),
            lang.t(
                "câu lỗi; không nhập câu nào (dùng --skip-invalid để nhập các câu hợp lệ)",
                "invalid questions; nothing imported (use --skip-invalid to import the valid ones)"
            )
        );
    }

    let conn = store::open(db).with_context(|| db.display().to_string())?;
    let summary = store::import_items(&conn, &items, now_ms())?;
    if args.json {
        let ids = |v: &[phongthi_items::ItemId]| v.iter().map(|id| id.get()).collect::<Vec<_>>();
        print_json(&json!({
            "files": per_file,
            "inserted": ids(&summary.inserted),
            "existing": ids(&summary.existing),
            "errors": error_json,
        }))?;
    } else {
        for e in &errors {
            eprintln!("{}: {e}", lang.t("bỏ qua", "skipped"));
        }
        println!(
            "{}: {} {}, {} {}{}",
            lang.t("Đã nhập", "Imported"),
            summary.inserted.len(),
            lang.t("câu mới", "new"),
            summary.existing.len(),
            lang.t("câu đã có", "already in the bank"),
            if errors.is_empty() {
                String::new()
            } else {
                format!(", {} {}", errors.len(), lang.t("câu lỗi bị bỏ qua", "invalid skipped"))
            }
        );
    }
    Ok(())
}
