//! `proctor publish`: send an exam's results to a OneRoster 1.2 grade book (through the store's
//! outbox), or show where the outbox stands with `--status`.

use crate::commands::{Context, parse_exam};
use anyhow::bail;
use clap::Args;
use phongthi_results::export::oneroster::iso_datetime_utc;
use phongthi_results::publish::{ClientSecret, PublishTarget, RetryPolicy, publish_exam, publish_status};
use phongthi_store::OutboxState;
use phongthi_store::admin::open_store;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Args)]
pub(crate) struct PublishArgs {
    /// Kỳ thi / exam id
    #[arg(long)]
    exam: String,
    /// Địa chỉ gốc của sổ điểm OneRoster / the OneRoster grade book's base URL
    #[arg(long, required_unless_present = "status")]
    oneroster: Option<String>,
    /// Mã client OAuth / OAuth client id
    #[arg(long, required_unless_present = "status")]
    client_id: Option<String>,
    /// Tệp chứa client secret / file holding the client secret
    #[arg(long, required_unless_present = "status")]
    client_secret_file: Option<PathBuf>,
    /// Địa chỉ cấp mã truy cập [mặc định: URL/token] / token URL [default: URL/token]
    #[arg(long)]
    token_url: Option<String>,
    /// Mã trường (sourcedId) cho lineItem, nếu sổ điểm cần / the school's sourcedId, if needed
    #[arg(long)]
    school: Option<String>,
    /// Thử lại tối đa bao nhiêu giây trong lần chạy này / how long this run keeps retrying, seconds
    #[arg(long, default_value_t = 600)]
    max_wait: u64,
    /// Chỉ xem tình trạng gửi / only show the outbox status
    #[arg(long)]
    status: bool,
}

pub(crate) async fn publish(ctx: &Context, args: PublishArgs) -> anyhow::Result<()> {
    let exam = parse_exam(&args.exam)?;
    let t = |vi, en| ctx.lang.t(vi, en);
    let (store, _) = open_store(&ctx.data, ctx.key_passphrase()?.as_ref())?;
    if args.status {
        let target = args.oneroster.as_deref().map(|url| PublishTarget::new(url, None, "-")).transpose()?;
        let (entries, summary) = publish_status(&store.reader()?, &exam, target.as_ref().map(|t| t.base_url.as_str()))?;
        for entry in &entries {
            let state = match entry.state {
                OutboxState::Done => t("đã gửi", "published"),
                OutboxState::Pending => t("đang chờ", "pending"),
                OutboxState::Failed => t("lỗi", "failed"),
            };
            let mut line = format!(
                "{:<9} {:<8} {:<48} {} {}",
                state,
                entry.request.kind,
                entry.request.sourced_id,
                t("lần thử", "attempts"),
                entry.attempts
            );
            if entry.state == OutboxState::Pending && entry.attempts > 0 {
                line.push_str(&format!(
                    ", {} {}",
                    t("thử lại lúc", "next attempt"),
                    iso_datetime_utc(entry.next_attempt_ms)
                ));
            }
            if let Some(error) = &entry.last_error {
                line.push_str(&format!(" — {error}"));
            }
            println!("{line}");
        }
        println!(
            "{}: {}, {}: {}, {}: {}",
            t("Đã gửi", "Published"),
            summary.done,
            t("Đang chờ", "Pending"),
            summary.pending,
            t("Lỗi", "Failed"),
            summary.failed
        );
        store.close()?;
        return Ok(());
    }
    let (Some(url), Some(client_id), Some(secret_file)) = (&args.oneroster, &args.client_id, &args.client_secret_file)
    else {
        bail!("--oneroster, --client-id, --client-secret-file");
    };
    let mut target = PublishTarget::new(url, args.token_url.as_deref(), client_id)?;
    target.school = args.school.clone();
    let secret = ClientSecret::from_file(secret_file)?;
    let policy = RetryPolicy { give_up_after: Duration::from_secs(args.max_wait), ..RetryPolicy::default() };
    let actor = std::env::var("USER").unwrap_or_else(|_| "giám thị".to_owned());
    let result = publish_exam(&store, &exam, &target, secret, &policy, &actor).await;
    store.close()?;
    let report = result?;
    println!("{} {}", t("Sổ điểm", "Grade book"), target.base_url);
    println!(
        "{}: {}, {}: {}, {}: {}, {}: {}, {}: {}",
        t("Mới xếp hàng", "Queued"),
        report.queued,
        t("Không đổi", "Unchanged"),
        report.unchanged,
        t("Đã gửi", "Published"),
        report.delivered,
        t("Bị từ chối", "Refused"),
        report.refused,
        t("Còn chờ", "Pending"),
        report.pending
    );
    if let Some(why) = &report.stopped {
        println!(
            "{}: {why}",
            t("Dừng, chạy lại `proctor publish` để gửi tiếp", "Stopped; run `proctor publish` again to resume")
        );
    }
    if report.refused > 0 {
        println!(
            "{}",
            t("Xem lỗi: proctor publish --exam … --status", "See the errors: proctor publish --exam … --status")
        );
    }
    Ok(())
}
