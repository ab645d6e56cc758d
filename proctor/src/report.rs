//! `proctor stats`, `proctor report` and `proctor lab-sheet`: score statistics in the terminal,
//! the printed reports as PDF (signed into the folder's manifest), and the lab sheet.

use crate::commands::{Context, parse_exam};
use anyhow::Context as _;
use clap::Args;
use phongthi_results::report::lab_sources::{LabSources, gather_lab_sheet};
use phongthi_results::report::{
    department, lab_sheet, load_results, split_out_file, write_department_report, write_score_slips,
};
use phongthi_results::stats::{BANDS, GroupStats, exam_stats, format_optional};
use phongthi_store::admin::{now_ms, open_store};
use phongthi_store::roster::Roster;
use std::path::PathBuf;

#[derive(Args)]
pub(crate) struct StatsArgs {
    /// Kỳ thi / exam id
    #[arg(long)]
    exam: String,
    /// In JSON / print JSON
    #[arg(long)]
    json: bool,
}

pub(crate) fn stats(ctx: &Context, args: StatsArgs) -> anyhow::Result<()> {
    let exam = parse_exam(&args.exam)?;
    let (store, _identity) = open_store(&ctx.data, ctx.key_passphrase()?.as_ref())?;
    let reader = store.reader()?;
    let results = load_results(&reader, &exam)?;
    drop(reader);
    store.close()?;
    let stats = exam_stats(&results.rows);
    if args.json {
        let group_json = |group: &GroupStats| {
            let summary = &group.summary;
            let bands: serde_json::Map<String, serde_json::Value> =
                BANDS.iter().map(|band| (band.label('.'), summary.bands[band.index()].into())).collect();
            serde_json::json!({
                "class": group.class,
                "enrolled": group.enrolled,
                "sat": summary.count(),
                "absent": group.absent,
                "not_submitted": group.not_submitted,
                "mean": summary.mean().map(|v| phongthi_results::stats::format_hundredths(v, '.')),
                "median": summary.median().map(|v| phongthi_results::stats::format_hundredths(v, '.')),
                "std_dev": summary.std_dev().map(|v| phongthi_results::stats::format_hundredths(v, '.')),
                "bands": bands,
            })
        };
        let json = serde_json::json!({
            "exam_id": exam.to_hex(),
            "title": results.title,
            "classes": stats.classes.iter().map(group_json).collect::<Vec<_>>(),
            "overall": group_json(&stats.overall),
        });
        println!("{}", serde_json::to_string_pretty(&json)?);
        return Ok(());
    }
    let t = |vi, en| ctx.lang.t(vi, en);
    let separator = if ctx.lang == phongthi_question_bank::i18n::Lang::Vi { ',' } else { '.' };
    println!("{} — {}", results.title, exam.to_hex());
    let mut header: Vec<String> = [
        t("Lớp", "Class"),
        t("Sĩ số", "Enrolled"),
        t("Dự thi", "Sat"),
        t("Vắng", "Absent"),
        t("Chưa nộp", "Not sub."),
        t("TB", "Mean"),
        t("Trung vị", "Median"),
        t("ĐLC", "Std dev"),
    ]
    .map(str::to_owned)
    .to_vec();
    header.extend(BANDS.iter().map(|band| band.label(separator)));
    let mut table = vec![header];
    let row = |group: &GroupStats, label: &str| {
        let summary = &group.summary;
        let mut row = vec![
            label.to_owned(),
            group.enrolled.to_string(),
            summary.count().to_string(),
            group.absent.to_string(),
            group.not_submitted.to_string(),
            format_optional(summary.mean(), separator),
            format_optional(summary.median(), separator),
            format_optional(summary.std_dev(), separator),
        ];
        row.extend(summary.bands.iter().map(u32::to_string));
        row
    };
    for group in &stats.classes {
        table.push(row(group, if group.class.is_empty() { "—" } else { &group.class }));
    }
    table.push(row(&stats.overall, t("Tổng", "Total")));
    print_table(&table);
    if results.scale_milli != 10_000 {
        let scale = phongthi_results::export::rows::format_tenths(
            phongthi_results::export::rows::milli_to_tenths(results.scale_milli),
            separator,
        );
        println!(
            "{} {scale}; {}",
            t("Lưu ý: thang điểm của đề là", "Note: the exam's scale is"),
            t("các khoảng điểm là của thang 10.", "the bands are those of the 10-point scale.")
        );
    }
    println!(
        "{}",
        t("ĐLC: độ lệch chuẩn tổng thể (chia n).", "Std dev: population standard deviation (divided by n).")
    );
    Ok(())
}

/// Prints rows with columns padded to their widest cell (first column left, others right).
fn print_table(rows: &[Vec<String>]) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().filter_map(|row| row.get(c)).map(|cell| cell.chars().count()).max().unwrap_or(0))
        .collect();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, cell)| {
                let pad = " ".repeat(widths[c].saturating_sub(cell.chars().count()));
                if c == 0 { format!("{cell}{pad}") } else { format!("{pad}{cell}") }
            })
            .collect();
        println!("{}", cells.join("  ").trim_end());
    }
}

#[derive(Args)]
pub(crate) struct ReportArgs {
    /// Kỳ thi / exam id
    #[arg(long)]
    exam: String,
    /// Phiếu báo điểm từng học sinh (một PDF mỗi lớp) thay vì báo cáo thống kê / score slips per
    /// student (one PDF per class) instead of the statistics report
    #[arg(long, alias = "per-student")]
    students: bool,
    /// Không in điểm từng câu trên phiếu báo điểm / leave the per-question points off the slips
    #[arg(long)]
    no_per_question: bool,
    /// Tên trường in ở đầu trang / school name printed at the top
    #[arg(long, default_value = "")]
    school: String,
    /// Tệp PDF (báo cáo thống kê) hoặc thư mục (--students) / the PDF file (statistics report) or
    /// folder (--students) [default: thong-ke-<exam>.pdf]
    #[arg(long)]
    out: Option<PathBuf>,
}

pub(crate) fn report(ctx: &Context, args: ReportArgs) -> anyhow::Result<()> {
    let exam = parse_exam(&args.exam)?;
    let t = |vi, en| ctx.lang.t(vi, en);
    let (store, identity) = open_store(&ctx.data, ctx.key_passphrase()?.as_ref())?;
    let reader = store.reader()?;
    let written = if args.students {
        let out = args.out.clone().context("--students cần --out THƯ_MỤC / --students needs --out DIR")?;
        write_score_slips(&reader, &identity, &exam, args.school.trim(), !args.no_per_question, &out, now_ms())?
    } else {
        let out = args.out.clone().unwrap_or_else(|| PathBuf::from(department::file_name(&exam.to_hex())));
        split_out_file(&out)?;
        write_department_report(&reader, &identity, &exam, args.school.trim(), &out, now_ms())?
    };
    drop(reader);
    store.close()?;
    println!("{} {} ({} {})", t("Đã ghi vào", "Written to"), written.dir.display(), written.pages, t("trang", "pages"));
    for file in &written.files {
        println!("  {file}");
    }
    println!("{}", t("Kiểm tra: proctor verify-export THƯ_MỤC", "Check with: proctor verify-export DIR"));
    Ok(())
}

#[derive(Args)]
pub(crate) struct LabSheetArgs {
    /// Tệp PDF ghi ra / the PDF to write
    #[arg(long)]
    out: PathBuf,
    /// Kỳ thi (mặc định: kỳ thi thêm sau cùng) / exam id [default: the one added last]
    #[arg(long)]
    exam: Option<String>,
    /// lab.toml do `proctor serve --lab-config-out` ghi (lấy địa chỉ) / the lab.toml written by
    /// `serve --lab-config-out` (for the address)
    #[arg(long)]
    lab_config: Option<PathBuf>,
    /// Địa chỉ máy giám thị HOST:PORT (thay cho lab.toml) / the proctor's HOST:PORT (instead of lab.toml)
    #[arg(long)]
    address: Option<String>,
    /// Tệp danh sách học sinh (CSV/XLSX) để in PIN / the roster file, to print PINs
    #[arg(long)]
    roster: Option<PathBuf>,
}

pub(crate) fn lab_sheet(ctx: &Context, args: LabSheetArgs) -> anyhow::Result<()> {
    let t = |vi, en| ctx.lang.t(vi, en);
    let exam = args.exam.as_deref().map(parse_exam).transpose()?;
    let roster = match &args.roster {
        Some(path) => Some(read_roster(path)?),
        None => None,
    };
    let (dir, name) = split_out_file(&args.out)?;
    let (store, _identity) = open_store(&ctx.data, ctx.key_passphrase()?.as_ref())?;
    let reader = store.reader()?;
    let sources = LabSources {
        exam,
        lab_config: args.lab_config.as_deref(),
        address: args.address.clone(),
        roster: roster.as_ref(),
    };
    let sheet = gather_lab_sheet(&ctx.data, &reader, &sources)?;
    drop(reader);
    store.close()?;
    let pdf = lab_sheet::lab_sheet_pdf(&sheet)?;
    std::fs::create_dir_all(&dir).with_context(|| format!("{}", dir.display()))?;
    phongthi_results::export::manifest::write_whole(&dir, &name, &pdf)?;
    println!("{} {}", t("Đã ghi phiếu phòng máy", "Lab sheet written to"), args.out.display());
    println!("  {}: {}", t("Địa chỉ", "Address"), sheet.address);
    println!("  {}: {}", t("Mã phòng", "Room code"), sheet.room_code);
    println!("  {}: {}", t("Phiếu đăng nhập", "Login slips"), sheet.slips.len());
    Ok(())
}

fn read_roster(path: &std::path::Path) -> anyhow::Result<Roster> {
    let bytes = std::fs::read(path).with_context(|| format!("không đọc được {0} / cannot read {0}", path.display()))?;
    let name = path.display().to_string();
    let is_xlsx = path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("xlsx"));
    let roster = if is_xlsx { Roster::import_xlsx(&name, &bytes) } else { Roster::import_csv(&name, &bytes) };
    Ok(roster?)
}
