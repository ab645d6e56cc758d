//! `qbank list | show | submit | review | export`: browsing the bank and the subject group's
//! review workflow, signed with the author's and the reviewer's keys when they give them.

use crate::output::{cell, now_ms, print_json, write_output};
use anyhow::{Context, bail};
use clap::Args;
use phongthi_crypto::{ReviewKind, SigningKey};
use phongthi_items::{Body, Item, ItemId, ItemKind, Level, Status};
use phongthi_question_bank::i18n::Lang;
use phongthi_question_bank::store::{self, Decision, ItemFilter, StoredItem};
use serde_json::json;
use std::path::{Path, PathBuf};

/// Filters shared by `list` and `export`.
#[derive(Args)]
pub(crate) struct FilterArgs {
    /// Môn / subject
    #[arg(long)]
    subject: Option<String>,
    /// Chủ đề / topic
    #[arg(long)]
    topic: Option<String>,
    /// Mức độ / level
    #[arg(long)]
    level: Option<String>,
    /// Loại câu: single_choice, true_false_cluster, numeric, … / kind
    #[arg(long)]
    kind: Option<String>,
    /// Trạng thái: draft | submitted | approved | rejected | retired / status
    #[arg(long)]
    status: Option<String>,
    /// Tìm theo nội dung, không cần dấu / full-text search, diacritics optional
    #[arg(long)]
    search: Option<String>,
}

impl FilterArgs {
    fn resolve(&self, lang: Lang) -> anyhow::Result<ItemFilter> {
        let level = match &self.level {
            Some(t) => {
                Some(Level::parse(t).with_context(|| format!("--level {t:?}: {}", lang.t("không hợp lệ", "unknown")))?)
            }
            None => None,
        };
        let kind = match &self.kind {
            Some(t) => Some(ItemKind::parse(t).with_context(|| {
                let names: Vec<_> = ItemKind::ALL.iter().map(|k| k.name()).collect();
                format!("--kind {t:?}: {} {}", lang.t("chọn một trong", "choose one of"), names.join(", "))
            })?),
            None => None,
        };
        let status = match &self.status {
            Some(t) => Some(
                Status::parse(t)
                    .with_context(|| format!("--status {t:?}: draft | submitted | approved | rejected | retired"))?,
            ),
            None => None,
        };
        Ok(ItemFilter {
            subject: self.subject.clone(),
            grade: None,
            topic: self.topic.clone(),
            level,
            kind,
            status,
            search: self.search.clone(),
        })
    }
}

fn open(db: &Path) -> anyhow::Result<store::Connection> {
    store::open(db).with_context(|| db.display().to_string())
}

/// The stable JSON of a stored item (documented in `docs/qbank.md`).
fn stored_summary(stored: &StoredItem, full: bool) -> serde_json::Value {
    let item = &stored.item;
    let mut value = json!({
        "id": stored.id.get(),
        "kind": item.kind().name(),
        "status": stored.status.ascii(),
        "subject": item.meta.subject,
        "grade": item.meta.grade,
        "topic": item.meta.topic,
        "level": item.meta.level.map(Level::ascii),
        "name": item.name,
        "stem": item.stem,
        "usage_count": stored.usage_count,
        "content_hash": stored.content_hash.to_hex(),
        "source": item.meta.source.as_ref().map(ToString::to_string),
    });
    if full {
        value["item"] = serde_json::to_value(item).unwrap_or_default();
    }
    value
}

#[derive(Args)]
pub(crate) struct ListArgs {
    #[command(flatten)]
    filter: FilterArgs,
    /// Xuất JSON / JSON output
    #[arg(long)]
    json: bool,
}

pub(crate) fn list(db: &Path, lang: Lang, args: ListArgs) -> anyhow::Result<()> {
    let conn = open(db)?;
    let items = store::list(&conn, &args.filter.resolve(lang)?)?;
    if args.json {
        return print_json(&serde_json::Value::Array(items.iter().map(|s| stored_summary(s, false)).collect()));
    }
    println!(
        "{:>5}  {:<18}  {:<10}  {:<12}  {:<14}  {}",
        "ID",
        lang.t("Loại", "Kind"),
        lang.t("Trạng thái", "Status"),
        lang.t("Mức độ", "Level"),
        lang.t("Chủ đề", "Topic"),
        lang.t("Nội dung", "Question")
    );
    for s in &items {
        let status = match lang {
            Lang::Vi => s.status.vietnamese(),
            Lang::En => s.status.ascii(),
        };
        println!(
            "{:>5}  {:<18}  {:<10}  {:<12}  {:<14}  {}",
            s.id.get(),
            s.item.kind().name(),
            status,
            s.item.meta.level.map(Level::vietnamese).unwrap_or("—"),
            cell(s.item.meta.topic.as_deref().unwrap_or("—"), 14),
            cell(&s.item.stem, 60)
        );
    }
    println!("{} {}", items.len(), lang.t("câu", "items"));
    Ok(())
}

#[derive(Args)]
pub(crate) struct ShowArgs {
    /// Số câu / item id
    id: i64,
    /// Xuất JSON / JSON output
    #[arg(long)]
    json: bool,
}

pub(crate) fn show(db: &Path, lang: Lang, args: ShowArgs) -> anyhow::Result<()> {
    let conn = open(db)?;
    let id = ItemId::new(args.id);
    let stored = store::get(&conn, id)?;
    let history = store::history(&conn, id)?;
    let statements = store::statements(&conn, id)?;
    if args.json {
        let mut value = stored_summary(&stored, true);
        value["history"] = history
            .iter()
            .map(|h| json!({"from": h.from.map(Status::ascii), "to": h.to.ascii(), "by": h.by, "comment": h.comment, "at_ms": h.at_ms}))
            .collect();
        value["signatures"] = statements
            .iter()
            .map(|s| {
                let statement = s.signed.statement();
                json!({
                    "kind": statement.kind.ascii(),
                    "name": statement.name,
                    "key": s.signed.signer().to_hex(),
                    "fingerprint": s.signed.signer().fingerprint(),
                    "at_ms": statement.at_ms,
                    "current": s.current,
                })
            })
            .collect();
        return print_json(&value);
    }
    let item = &stored.item;
    println!("#{} {} — {}", stored.id, item.name.as_deref().unwrap_or(""), item.kind().name());
    println!(
        "{}: {} / {} / {} / {}",
        lang.t("Môn / khối / chủ đề / mức độ", "Subject / grade / topic / level"),
        item.meta.subject.as_deref().unwrap_or("—"),
        item.meta.grade.map_or("—".to_owned(), |g| g.to_string()),
        item.meta.topic.as_deref().unwrap_or("—"),
        item.meta.level.map(Level::vietnamese).unwrap_or("—")
    );
    println!("{}: {}", lang.t("Trạng thái", "Status"), stored.status.vietnamese());
    if let Some(source) = &item.meta.source {
        println!("{}: {source}", lang.t("Nguồn", "Source"));
    }
    println!();
    println!("{}", item.stem);
    print_body(item, lang);
    if !history.is_empty() {
        println!();
        println!("{}:", lang.t("Lịch sử duyệt", "Review history"));
        for h in &history {
            println!(
                "  {} → {}  {}  {}",
                h.from.map_or("—", Status::ascii),
                h.to.ascii(),
                h.by,
                h.comment.as_deref().unwrap_or("")
            );
        }
    }
    if !statements.is_empty() {
        println!();
        println!("{}:", lang.t("Chữ ký", "Signatures"));
        for s in &statements {
            let statement = s.signed.statement();
            let kind = match statement.kind {
                ReviewKind::Author => lang.t("tác giả", "author"),
                ReviewKind::Approve => lang.t("duyệt", "approved"),
                ReviewKind::Reject => lang.t("từ chối", "rejected"),
            };
            let version = if s.current {
                lang.t("phiên bản hiện tại", "this version")
            } else {
                lang.t("phiên bản trước — không còn giá trị", "an earlier version — no longer valid")
            };
            println!("  {kind}  {}  {}  ({version})", statement.name, s.signed.signer().fingerprint());
        }
    }
    Ok(())
}

fn print_body(item: &Item, lang: Lang) {
    let letter = |i: usize| char::from(b'A' + (i as u8 % 26));
    match &item.body {
        Body::SingleChoice { options } | Body::MultipleResponse { options } => {
            for (i, o) in options.iter().enumerate() {
                let mark = if o.fraction.is_full() {
                    "*"
                } else if o.fraction.raw() != 0 {
                    "~"
                } else {
                    " "
                };
                let pin = if o.pinned { lang.t(" (cố định)", " (pinned)") } else { "" };
                println!(" {mark}{}. {} [{}%]{pin}", letter(i), o.text, o.fraction);
            }
        }
        Body::TrueFalse { answer } => {
            println!("  {}: {}", lang.t("Đáp án", "Answer"), if *answer { "Đúng" } else { "Sai" })
        }
        Body::TrueFalseCluster { statements, .. } => {
            for (i, s) in statements.iter().enumerate() {
                println!("  {}) {} — {}", char::from(b'a' + i as u8), s.text, if s.correct { "Đ" } else { "S" });
            }
        }
        Body::ShortText { answers, .. } => {
            for a in answers {
                println!("  = {} [{}%]", a.text, a.fraction);
            }
        }
        Body::Numeric { answers, four_char_rule } => {
            for a in answers {
                println!("  = {:?} [{}%]", a.value, a.fraction);
            }
            if *four_char_rule {
                println!("  {}", lang.t("(quy tắc 4 ký tự)", "(4-character rule)"));
            }
        }
        Body::Matching { pairs, distractors, .. } => {
            for p in pairs {
                println!("  {} → {}", p.prompt, p.answer);
            }
            for d in distractors {
                println!("  ✗ {d}");
            }
        }
        Body::Essay | Body::Description => {}
    }
}

/// The signing key of `submit` and `review`.
#[derive(Args)]
pub(crate) struct SignArgs {
    /// Ký bằng khóa này (qbank keygen); không có khóa thì không có chữ ký và đề sẽ không đạt yêu
    /// cầu duyệt / sign with this key (qbank keygen); unsigned decisions do not satisfy the exam policy
    #[arg(long)]
    key: Option<PathBuf>,
    /// Tệp mật khẩu của khóa, nếu khóa có mật khẩu / the key's passphrase file, if it has one
    #[arg(long, requires = "key")]
    key_passphrase_file: Option<PathBuf>,
}

impl SignArgs {
    fn load(&self) -> anyhow::Result<Option<SigningKey>> {
        self.key.as_deref().map(|key| crate::keygen::load(key, self.key_passphrase_file.as_deref())).transpose()
    }
}

#[derive(Args)]
pub(crate) struct SubmitArgs {
    /// Các số câu / item ids
    #[arg(required = true)]
    ids: Vec<i64>,
    /// Người gửi / submitted by [default: $USER]
    #[arg(long)]
    by: Option<String>,
    #[command(flatten)]
    sign: SignArgs,
}

pub(crate) fn submit(db: &Path, lang: Lang, args: SubmitArgs) -> anyhow::Result<()> {
    let key = args.sign.load()?;
    let conn = open(db)?;
    let by = args.by.or_else(|| std::env::var("USER").ok()).unwrap_or_else(|| "giáo viên".to_owned());
    let ids: Vec<ItemId> = args.ids.iter().copied().map(ItemId::new).collect();
    match &key {
        Some(key) => store::submit_signed(&conn, &ids, &by, key, now_ms())?,
        None => store::submit(&conn, &ids, &by, now_ms())?,
    }
    println!("{} {} {}", lang.t("Đã gửi duyệt", "Submitted for review:"), ids.len(), lang.t("câu", "items"));
    print_signer(lang, key.as_ref());
    Ok(())
}

/// Says who signed, or that nothing was signed.
fn print_signer(lang: Lang, key: Option<&SigningKey>) {
    match key {
        Some(key) => println!("{}: {}", lang.t("Ký bởi khóa", "Signed by key"), key.public_key().fingerprint()),
        None => println!(
            "{}",
            lang.t(
                "Không ký (không có --key): đề chứa câu này sẽ không đạt yêu cầu duyệt của máy giám thị",
                "Not signed (no --key): an exam with this item will not meet the proctor's review policy"
            )
        ),
    }
}

#[derive(Args)]
pub(crate) struct ReviewArgs {
    /// Số câu / item id
    id: i64,
    /// Duyệt / approve
    #[arg(long, conflicts_with = "reject", required_unless_present = "reject")]
    approve: bool,
    /// Từ chối (cần --comment) / reject (needs --comment)
    #[arg(long)]
    reject: bool,
    /// Người duyệt (cần khi không có --key) / reviewer (required without --key)
    #[arg(long, required_unless_present = "key")]
    by: Option<String>,
    /// Nhận xét / comment
    #[arg(long)]
    comment: Option<String>,
    #[command(flatten)]
    sign: SignArgs,
}

pub(crate) fn review(db: &Path, lang: Lang, args: ReviewArgs) -> anyhow::Result<()> {
    let key = args.sign.load()?;
    let conn = open(db)?;
    let decision = if args.approve { Decision::Approve } else { Decision::Reject };
    let id = ItemId::new(args.id);
    // A signed decision without a name is recorded under the key's fingerprint, which is what
    // identifies the reviewer anyway.
    let by = match (&args.by, &key) {
        (Some(by), _) => by.clone(),
        (None, Some(key)) => format!("{} {}", lang.t("khóa", "key"), key.public_key().fingerprint()),
        (None, None) => bail!("--by: {}", lang.t("cần tên người duyệt", "the reviewer's name is required")),
    };
    let comment = args.comment.as_deref();
    match &key {
        Some(key) => store::review_signed(&conn, id, decision, &by, comment, key, now_ms())?,
        None => store::review(&conn, id, decision, &by, comment, now_ms())?,
    }
    let word = if args.approve { lang.t("Đã duyệt", "Approved") } else { lang.t("Đã từ chối", "Rejected") };
    println!("{word} #{}", args.id);
    print_signer(lang, key.as_ref());
    Ok(())
}

#[derive(Args)]
pub(crate) struct ExportArgs {
    /// gift | moodle-xml | aiken | csv | xlsx | qti3 (a .zip package)
    #[arg(long)]
    format: String,
    /// Tệp xuất (mặc định: màn hình) / output file (default: stdout)
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    filter: FilterArgs,
}

pub(crate) fn export(db: &Path, lang: Lang, args: ExportArgs) -> anyhow::Result<()> {
    let conn = open(db)?;
    let stored = store::list(&conn, &args.filter.resolve(lang)?)?;
    let items: Vec<Item> = stored.iter().map(|s| s.item.clone()).collect();
    let (bytes, skipped) = match args.format.as_str() {
        "gift" => {
            let r = phongthi_formats::gift::export(&items);
            (r.text.into_bytes(), r.skipped)
        }
        "moodle-xml" | "xml" => {
            let r = phongthi_formats::moodle_xml::export(&items);
            (r.text.into_bytes(), r.skipped)
        }
        "aiken" => {
            let r = phongthi_formats::aiken::export(&items);
            (r.text.into_bytes(), r.skipped)
        }
        "csv" => {
            let r = phongthi_formats::template::export_csv(&items);
            (r.text.into_bytes(), r.skipped)
        }
        "xlsx" => {
            if args.out.is_none() {
                bail!("--format xlsx {}", lang.t("cần --out TỆP", "needs --out FILE"));
            }
            let r = phongthi_formats::template::export_xlsx(&items)?;
            (r.bytes, r.skipped)
        }
        "qti3" | "qti" => {
            if args.out.is_none() {
                bail!("--format qti3 {}", lang.t("cần --out TỆP.zip", "needs --out FILE.zip"));
            }
            let r = phongthi_formats::qti::export(&items)?;
            (r.bytes, r.skipped)
        }
        other => bail!("--format {other:?}: gift | moodle-xml | aiken | csv | xlsx | qti3"),
    };
    write_output(args.out.as_deref(), &bytes)?;
    for s in &skipped {
        eprintln!("{} #{}: {}", lang.t("bỏ qua", "skipped"), stored[s.index].id, s.reason);
    }
    eprintln!(
        "{} {} {}{}",
        lang.t("Đã xuất", "Exported"),
        items.len() - skipped.len(),
        lang.t("câu", "items"),
        if skipped.is_empty() {
            String::new()
        } else {
            format!(", {} {}", skipped.len(), lang.t("bỏ qua", "skipped"))
        }
    );
    Ok(())
}
