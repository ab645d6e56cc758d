//! `proctor export` and `proctor verify-export`: the results of an exam for the grade book, and
//! checking such a folder later against the proctor's identity.

use crate::commands::{Context, parse_exam};
use anyhow::{Context as _, bail};
use clap::Args;
use phongthi_crypto::PublicKey;
use phongthi_results::export::columns::SAVED_FILE;
use phongthi_results::export::{ColumnMap, DecimalMark, ExportFormat, export_exam_mapped, verify_export};
use phongthi_store::admin::{now_ms, open_store};
use std::path::PathBuf;

#[derive(Args)]
pub(crate) struct ExportArgs {
    /// Kỳ thi / exam id
    #[arg(long)]
    exam: String,
    /// Định dạng: csv | xlsx | oneroster / format
    #[arg(long, value_parser = parse_format)]
    format: ExportFormat,
    /// Dấu thập phân của điểm trong CSV: comma (Excel tiếng Việt) | dot / the CSV scores' decimal mark
    #[arg(long, value_parser = parse_decimal, default_value = "comma")]
    decimal: DecimalMark,
    /// Thư mục ghi kết quả / output folder
    #[arg(long)]
    out: PathBuf,
    /// Tệp ánh xạ cột (TOML) theo mẫu nhập của trường [mặc định: columns.toml trong thư mục dữ
    /// liệu, nếu có] / column mapping (TOML) for the school's import template [default: the data
    /// directory's columns.toml, if any]
    #[arg(long)]
    columns: Option<PathBuf>,
    /// Lưu tệp ánh xạ cột vào thư mục dữ liệu để dùng mặc định / save the mapping as the default
    #[arg(long, requires = "columns")]
    save_columns: bool,
}

/// The column mapping: `--columns`, else the saved one, else the standard columns.
fn column_map(ctx: &Context, args: &ExportArgs) -> anyhow::Result<ColumnMap> {
    let saved = ctx.data.path().join(SAVED_FILE);
    let path = match &args.columns {
        Some(path) => path.clone(),
        None if saved.is_file() => saved.clone(),
        None => return Ok(ColumnMap::default()),
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("không đọc được {0} / cannot read {0}", path.display()))?;
    let map = ColumnMap::parse(&path.display().to_string(), &text)?;
    if args.save_columns {
        std::fs::create_dir_all(ctx.data.path())?;
        // Written whole then renamed, like every file the program writes.
        let temp = saved.with_extension("toml.tmp");
        std::fs::write(&temp, &text)?;
        std::fs::rename(&temp, &saved)?;
        println!("{} {}", ctx.lang.t("Đã lưu ánh xạ cột vào", "Saved the column mapping to"), saved.display());
    }
    Ok(map)
}

fn parse_format(text: &str) -> Result<ExportFormat, String> {
    ExportFormat::parse(text).ok_or_else(|| format!("{text:?}: cần csv, xlsx hoặc oneroster / csv, xlsx or oneroster"))
}

fn parse_decimal(text: &str) -> Result<DecimalMark, String> {
    DecimalMark::parse(text).ok_or_else(|| format!("{text:?}: cần comma hoặc dot / comma or dot"))
}

pub(crate) fn export(ctx: &Context, args: ExportArgs) -> anyhow::Result<()> {
    let exam = parse_exam(&args.exam)?;
    let columns = column_map(ctx, &args)?;
    let (store, identity) = open_store(&ctx.data, ctx.key_passphrase()?.as_ref())?;
    let reader = store.reader()?;
    let report =
        export_exam_mapped(&reader, &identity, &exam, args.format, args.decimal, &columns, &args.out, now_ms())?;
    drop(reader);
    store.close()?;
    let t = |vi, en| ctx.lang.t(vi, en);
    println!("{} {}", t("Đã xuất vào", "Exported to"), args.out.display());
    for file in &report.files {
        println!("  {file}");
    }
    println!(
        "{}: {}, {}: {}, {}: {}",
        t("Có điểm", "Scored"),
        report.graded,
        t("Chưa nộp bài", "Not submitted"),
        report.not_submitted,
        t("Vắng", "Absent"),
        report.absent
    );
    Ok(())
}

#[derive(Args)]
pub(crate) struct VerifyExportArgs {
    /// Thư mục đã xuất (có manifest.txt) / the export folder (with manifest.txt)
    dir: PathBuf,
    /// Khóa công khai của máy giám thị (64 hex), khi kiểm tra trên máy khác / the proctor's
    /// public key (64 hex), to check on another machine [default: this data directory's identity]
    #[arg(long)]
    signer: Option<String>,
}

pub(crate) fn verify(ctx: &Context, args: VerifyExportArgs) -> anyhow::Result<()> {
    let t = |vi, en| ctx.lang.t(vi, en);
    let signer = match &args.signer {
        Some(hex) => PublicKey::from_hex(&hex.trim().to_ascii_lowercase()).with_context(|| {
            format!("--signer {hex:?}: cần khóa công khai 64 chữ số hex / a public key of 64 hex digits is needed")
        })?,
        None => ctx.data.identity(ctx.key_passphrase()?.as_ref())?.public_key(),
    };
    let checked = match verify_export(&args.dir, &signer) {
        Ok(checked) => checked,
        Err(problem) => bail!("{}: {problem}", t("KẾT QUẢ XUẤT KHÔNG HỢP LỆ", "EXPORT NOT VALID")),
    };
    println!(
        "OK — {} {} {}",
        t("bảng kê đã ký và", "signed manifest and"),
        checked.manifest.manifest.files.len(),
        t("tệp khớp", "files match")
    );
    println!("{}: {}", t("Người ký", "Signed by"), checked.manifest.signer.fingerprint());
    for entry in &checked.manifest.manifest.files {
        println!("  {} {} {}", entry.sha256, entry.size, entry.name);
    }
    for name in &checked.unlisted {
        println!(
            "{}: {name}",
            t("Lưu ý: tệp không có trong bảng kê (không được ký)", "Note: file not in the manifest (not signed)")
        );
    }
    Ok(())
}
