//! Keeping and erasing the data directory: `proctor backup`, `proctor restore`, `proctor purge`.

use crate::commands::{Context, parse_exam, utc};
use anyhow::{Context as _, bail};
use clap::Args;
use phongthi_crypto::{KdfParams, Passphrase};
use phongthi_store::Store;
use phongthi_store::admin::{now_ms, open_store};
use phongthi_store::backup::{self, BackupSummary};
use std::path::PathBuf;

#[derive(Args)]
pub(crate) struct BackupArgs {
    /// Tệp sao lưu sẽ ghi (chưa có) / the backup file to write (must not exist)
    #[arg(long)]
    out: PathBuf,
    /// Tệp chứa mật khẩu mã hóa bản sao lưu / file holding the backup's passphrase
    #[arg(long)]
    passphrase_file: PathBuf,
}

pub(crate) fn backup(ctx: &Context, args: BackupArgs) -> anyhow::Result<()> {
    let passphrase = Passphrase::from_file(&args.passphrase_file)?;
    let summary = backup::backup(&ctx.data, &args.out, &passphrase, KdfParams::default())?;
    let t = |vi, en| ctx.lang.t(vi, en);
    println!("{} {} ({})", t("Đã sao lưu và kiểm tra", "Backed up and verified"), args.out.display(), size(&args.out));
    print_summary(ctx, &summary);
    println!(
        "{}",
        t(
            "Giữ mật khẩu tách khỏi tệp: không có nó, không ai khôi phục được.",
            "Keep the passphrase apart from the file: without it nobody can restore it."
        )
    );
    Ok(())
}

#[derive(Args)]
pub(crate) struct RestoreArgs {
    /// Tệp sao lưu / the backup file
    file: PathBuf,
    /// Tệp chứa mật khẩu của bản sao lưu / file holding the backup's passphrase
    #[arg(long)]
    passphrase_file: PathBuf,
    /// Chỉ kiểm tra, không khôi phục / only check it, restore nothing
    #[arg(long)]
    check: bool,
}

pub(crate) fn restore(ctx: &Context, args: RestoreArgs) -> anyhow::Result<()> {
    let passphrase = Passphrase::from_file(&args.passphrase_file)?;
    let t = |vi, en| ctx.lang.t(vi, en);
    if args.check {
        let summary = backup::verify(&args.file, &passphrase)?;
        println!("{}: {}", t("Bản sao lưu nguyên vẹn", "The backup is intact"), args.file.display());
        print_summary(ctx, &summary);
        return Ok(());
    }
    let summary = backup::restore(&args.file, ctx.data.path(), &passphrase)?;
    println!("{} {}", t("Đã khôi phục vào", "Restored into"), ctx.data.path().display());
    print_summary(ctx, &summary);
    Ok(())
}

fn size(path: &std::path::Path) -> String {
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn print_summary(ctx: &Context, summary: &BackupSummary) {
    let t = |vi, en| ctx.lang.t(vi, en);
    for (name, bytes) in &summary.files {
        println!("  {name} ({bytes} B)");
    }
    if let Some(counts) = &summary.counts {
        println!(
            "{}: {} {}, {} {}, {} {}, {} {}",
            t("Cơ sở dữ liệu", "Database"),
            counts.exams,
            t("kỳ thi", "exams"),
            counts.students,
            t("học sinh", "students"),
            counts.sheets,
            t("bài làm", "sheets"),
            counts.audit_entries,
            t("mục nhật ký", "audit entries"),
        );
    }
}

#[derive(Args)]
pub(crate) struct PurgeArgs {
    /// Kỳ thi cần xóa dữ liệu cá nhân / the exam whose personal data to erase
    #[arg(long)]
    exam: String,
    /// Người thực hiện (ghi vào nhật ký) / who is doing it (written to the audit log)
    #[arg(long)]
    by: String,
    /// Thời hạn lưu trữ, tính từ hoạt động cuối của kỳ thi (ngày) / retention period from the
    /// exam's last activity, in days
    #[arg(long, default_value_t = 180)]
    retention_days: u64,
    /// Xóa cả học sinh trong danh sách không thi kỳ nào khác / also remove roster entries of
    /// students who sat no other exam
    #[arg(long)]
    roster: bool,
    /// Xóa dù chưa hết thời hạn (nhà trường đã quyết định) / erase before the period ends (the
    /// school decided so)
    #[arg(long)]
    force: bool,
}

pub(crate) async fn purge(ctx: &Context, args: PurgeArgs) -> anyhow::Result<()> {
    let t = |vi, en| ctx.lang.t(vi, en);
    let exam = parse_exam(&args.exam)?;
    let by = args.by.trim();
    if by.is_empty() {
        bail!("--by: cần tên người thực hiện / the name of who is doing it is needed");
    }
    let (store, _) = open_store(&ctx.data, ctx.key_passphrase()?.as_ref())?;
    let reader = store.reader()?;
    let title = reader
        .exam(&exam)?
        .map(|record| record.title)
        .with_context(|| format!("--exam {exam}: {}", t("không có kỳ thi này", "there is no such exam")))?;
    let now = now_ms();
    if let Some(last) = reader.last_activity(&exam)? {
        let until = last.saturating_add(args.retention_days.saturating_mul(86_400_000));
        if now < until && !args.force {
            let (until, last) = (utc(until), utc(last));
            bail!(
                "{title}: còn trong thời hạn lưu trữ tới {until} (hoạt động cuối {last}); chưa xóa gì. Thêm --force \
                 nếu nhà trường đã quyết định xóa sớm / {title} is within its retention period until {until} (last \
                 activity {last}); nothing erased. Add --force if the school decided to erase early."
            );
        }
    }
    drop(reader);
    let purged = store.purge_exam(exam, args.roster, now, by).await?;
    store.close()?;
    Store::compact(ctx.data.path())?;
    println!("{} {title} ({exam})", t("Đã xóa dữ liệu cá nhân của", "Erased the personal data of"));
    println!(
        "  {} {}, {} {}, {} {}, {} {}, {} {}",
        purged.sessions,
        t("phiên thi", "sessions"),
        purged.events,
        t("câu trả lời", "answer events"),
        purged.sheets,
        t("bài làm", "sheets"),
        purged.scores,
        t("điểm", "scores"),
        purged.incidents,
        t("sự cố", "incidents"),
    );
    if args.roster {
        println!("  {} {}", purged.students, t("học sinh khỏi danh sách", "students off the roster"));
    }
    println!(
        "{}",
        t(
            "Đã ghi vào nhật ký kiểm toán (exam.purge). Nhật ký giữ mã định danh học sinh trong các mục cũ.",
            "Recorded in the audit log (exam.purge). The log keeps student identifiers in its older entries."
        )
    );
    Ok(())
}
