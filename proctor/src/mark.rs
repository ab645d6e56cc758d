//! `proctor mark`: blind manual marking of essay answers. Without `--code` it lists the answers
//! waiting for a mark (by marking code, not by student, unless `--reveal`); with `--code`,
//! `--item` and `--points` it records a mark and shows the new score.

use crate::commands::{Context, parse_exam};
use anyhow::bail;
use clap::Args;
use phongthi_results::marking::{NewMark, list_essays, progress, record_mark};
use phongthi_store::admin::{now_ms, open_store};

#[derive(Args)]
pub(crate) struct MarkArgs {
    /// Kỳ thi / exam id
    #[arg(long)]
    exam: String,
    /// Mã chấm của bài (M-…) / the sheet's marking code
    #[arg(long, requires_all = ["item", "points"])]
    code: Option<String>,
    /// Số thứ tự câu trên đề của bài / the question's number on the sheet's form
    #[arg(long)]
    item: Option<u32>,
    /// Điểm cho câu (vd. 1,5) / the points (e.g. 1.5)
    #[arg(long)]
    points: Option<String>,
    /// Nhận xét / comment
    #[arg(long, default_value = "")]
    comment: String,
    /// Người chấm (ghi vào nhật ký) [mặc định: $USER] / marker, for the audit log
    #[arg(long)]
    marker: Option<String>,
    /// Hiện mã học sinh / show student ids
    #[arg(long)]
    reveal: bool,
    /// Liệt kê cả bài đã chấm / list marked answers too
    #[arg(long)]
    all: bool,
}

pub(crate) async fn mark(ctx: &Context, args: MarkArgs) -> anyhow::Result<()> {
    let exam = parse_exam(&args.exam)?;
    let t = |vi, en| ctx.lang.t(vi, en);
    let (store, _) = open_store(&ctx.data, ctx.key_passphrase()?.as_ref())?;
    if let Some(code) = &args.code {
        let (Some(question), Some(points)) = (args.item, args.points.clone()) else {
            bail!("--item, --points");
        };
        let marker =
            args.marker.clone().or_else(|| std::env::var("USER").ok()).unwrap_or_else(|| "giám khảo".to_owned());
        let mark = NewMark { code: code.clone(), question, points, comment: args.comment.clone(), marker };
        let result = record_mark(&store, &exam, mark, now_ms()).await;
        store.close()?;
        let outcome = result?;
        println!(
            "{} {code} {} {question}: {} {} → {}",
            t("Đã chấm bài", "Marked sheet"),
            t("câu", "question"),
            t("điểm bài", "score"),
            outcome.old_scaled.map(|s| s.to_string()).unwrap_or_else(|| "-".to_owned()),
            outcome.new_scaled
        );
        return Ok(());
    }
    let reader = store.reader()?;
    let essays = list_essays(&reader, &exam, args.all, args.reveal)?;
    let done = progress(&reader, &exam)?;
    drop(reader);
    store.close()?;
    for essay in &essays {
        let who = essay.student_id.as_deref().map(|s| format!(" ({s})")).unwrap_or_default();
        println!(
            "── {}{who} · {} {} · {} {}",
            essay.code,
            t("câu", "question"),
            essay.question,
            t("tối đa", "max"),
            essay.max
        );
        if let Some(mark) = essay.mark {
            println!("   {}: {mark} {}", t("đã chấm", "marked"), essay.comment);
        }
        println!("   {}: {}", t("Đề", "Prompt"), essay.prompt);
        for line in essay.answer.lines() {
            println!("   │ {line}");
        }
    }
    println!(
        "{}: {}/{} {}, {} {}",
        t("Tiến độ", "Progress"),
        done.marked,
        done.essays,
        t("câu tự luận đã chấm", "essays marked"),
        done.sheets_pending,
        t("bài còn chờ chấm", "sheets still to mark")
    );
    Ok(())
}
