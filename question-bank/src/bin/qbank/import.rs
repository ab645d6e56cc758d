//! `qbank import`: read question files, fill metadata the files do not state, store them.
//!
//! By default a run with any bad question imports nothing (a teacher fixes the file and runs
//! again); `--skip-invalid` imports the good ones and lists the others. Storing is one
//! transaction, so a run never leaves half its items behind.

use crate::output::{now_ms, print_json};
use anyhow::{Context, bail};
use clap::Args;
use phongthi_formats::docx::{CorrectMarks, WordOptions};
use phongthi_formats::{ImportError, ImportReport};
use phongthi_items::{Item, Level};
use phongthi_question_bank::i18n::Lang;
use phongthi_question_bank::store;
use serde_json::json;
use std::path::{Path, PathBuf};

#[derive(Args)]
pub(crate) struct ImportArgs {
    /// Tệp câu hỏi (.docx .gift .txt .xml .csv .xlsx .zip) / question files
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Định dạng nếu không đoán được từ đuôi tệp / format when the extension does not say:
    /// word | gift | aiken | moodle-xml | qti | csv | xlsx
    #[arg(long)]
    format: Option<String>,
    /// Đề Word: dấu nào đánh dấu phương án đúng / Word papers: which marks make an option
    /// correct: underline,red,highlight,star (mặc định tất cả / default all)
    #[arg(long, default_value = "underline,red,highlight,star")]
    correct: String,
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
    Word,
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
            "word" | "docx" => Some(Format::Word),
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
    /// a QTI package (the importer says so when it has no `imsmanifest.xml`); a file without a
    /// known extension that is a Word package is Word.
    fn detect(path: &Path, bytes: &[u8]) -> Option<Self> {
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
        match extension.as_str() {
            "docx" => Some(Format::Word),
            _ if phongthi_formats::docx::looks_like_docx(bytes) => Some(Format::Word),
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

    fn import(self, name: &str, bytes: &[u8], options: WordOptions) -> anyhow::Result<FileReport> {
        let text = || std::str::from_utf8(bytes).with_context(|| format!("{name}: không phải UTF-8 / not UTF-8"));
        if self == Format::Word {
            let word = phongthi_formats::docx::import(name, bytes, options);
            return Ok(FileReport {
                import: word.import,
                notes: word.notes,
                conventions: word.conventions.iter().map(|c| c.describe()).collect(),
            });
        }
        let import = match self {
            Format::Word => ImportReport::default(),
            Format::Gift => phongthi_formats::gift::import(name, text()?),
            Format::Aiken => phongthi_formats::aiken::import(name, text()?),
            Format::MoodleXml => phongthi_formats::moodle_xml::import(name, text()?),
            Format::Qti => phongthi_formats::qti::import(name, bytes),
            Format::Csv => phongthi_formats::template::import_csv(name, bytes),
            Format::Xlsx => phongthi_formats::template::import_xlsx(name, bytes),
        };
        Ok(FileReport { import, notes: Vec::new(), conventions: Vec::new() })
    }
}

/// One file's report: what every importer gives, plus the Word importer's notes and the
/// conventions it saw.
struct FileReport {
    import: ImportReport,
    notes: Vec<ImportError>,
    conventions: Vec<&'static str>,
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
    let correct = CorrectMarks::parse(&args.correct).map_err(|e| anyhow::anyhow!("--correct: {e}"))?;
    let word = WordOptions { correct };
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
                    "không đoán được định dạng; dùng --format word|gift|aiken|moodle-xml|qti|csv|xlsx",
                    "cannot tell the format; use --format word|gift|aiken|moodle-xml|qti|csv|xlsx"
                )
            )
        })?;
        let FileReport { import: report, notes, conventions } = format.import(&name, &bytes, word)?;
        let note_json: Vec<_> = notes.iter().map(|n| located(&n.at, json!({"message": n.message}))).collect();
        per_file.push(json!({
            "file": name,
            "items": report.items.len(),
            "errors": report.errors.len(),
            "conventions": conventions,
            "notes": note_json,
        }));
        if !args.json {
            if !conventions.is_empty() {
                eprintln!("{name}: {}: {}", lang.t("quy ước đã dùng", "conventions used"), conventions.join("; "));
            }
            for note in &notes {
                eprintln!("{}: {note}", lang.t("lưu ý", "note"));
            }
        }
        items.extend(report.items.into_iter().map(|mut item| {
            defaults.apply(&mut item);
            item
        }));
        errors.extend(report.errors);
    }

    let error_json: Vec<_> = errors
        .iter()
        .map(|e| located(&e.at, json!({"file": e.at.file, "column": e.at.column, "message": e.message})))
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

/// `fields` with the place's number under the name of what it counts: `line` in text files,
/// `paragraph` in Word documents.
fn located(at: &phongthi_formats::Location, mut fields: serde_json::Value) -> serde_json::Value {
    let key = match at.unit {
        phongthi_formats::Unit::Line => "line",
        phongthi_formats::Unit::Paragraph => "paragraph",
    };
    fields[key] = json!(at.line);
    fields
}
