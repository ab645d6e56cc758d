//! The proctor's commands: set-up, serving, driving the room, and checking results afterwards.

use anyhow::{Context as _, bail};
use clap::{Args, Subcommand};
use phongthi_crypto::{ExamId, Passphrase, ShortCode, SignedReceipt};
use phongthi_protocol::InputMethod;
use phongthi_question_bank::i18n::Lang;
use phongthi_server::control::{self, Command as Ctl, Reply};
use phongthi_server::{ServeOptions, serve as start_server};
use phongthi_store::StoreOptions;
use phongthi_store::admin::{AddOptions, add_exam, import_roster, open_store};
use phongthi_store::datadir::DataDir;
use std::net::SocketAddr;
use std::path::PathBuf;

pub(crate) struct Context {
    pub(crate) data: DataDir,
    pub(crate) lang: Lang,
    pub(crate) key_passphrase_file: Option<PathBuf>,
}

impl Context {
    pub(crate) fn key_passphrase(&self) -> anyhow::Result<Option<Passphrase>> {
        Ok(self.key_passphrase_file.as_deref().map(Passphrase::from_file).transpose()?)
    }
}

#[derive(Args)]
pub(crate) struct InitArgs {
    /// Tên máy hoặc địa chỉ LAN ghi vào chứng chỉ / host names or LAN addresses for the certificate
    #[arg(long = "name")]
    names: Vec<String>,
}

pub(crate) fn init(ctx: &Context, args: InitArgs) -> anyhow::Result<()> {
    let made = ctx.data.init(&args.names, ctx.key_passphrase()?.as_ref())?;
    let t = |vi, en| ctx.lang.t(vi, en);
    println!("{} {}", t("Đã khởi tạo", "Initialised"), ctx.data.path().display());
    println!("{}: {}", t("Dấu vân tay chứng chỉ TLS", "TLS certificate fingerprint"), made.fingerprint);
    println!(
        "{}: {}",
        t("Khóa danh tính (ký đề và biên nhận)", "Identity key (signs packages and receipts)"),
        made.proctor_key
    );
    Ok(())
}

#[derive(Subcommand)]
pub(crate) enum ExamCommand {
    /// Thêm tệp đề thi / add an exam file
    Add {
        /// Tệp .exam / the .exam file
        file: PathBuf,
        /// Tệp chứa mật khẩu đề / passphrase file
        #[arg(long)]
        passphrase_file: PathBuf,
        /// Nhận đề từ khóa chưa được tin cậy, chỉ riêng đề này (ghi nhật ký) / accept a signer the
        /// school does not trust, for this exam only (audited)
        #[arg(long)]
        trust_once: bool,
        /// Bài luyện tập: nhận cả câu hỏi chưa được tổ chuyên môn duyệt (ghi nhật ký, in trên phiếu
        /// phòng máy) / practice test: accept items the subject group has not approved (audited,
        /// shown on the lab sheet)
        #[arg(long)]
        practice: bool,
    },
}

pub(crate) async fn exam(ctx: &Context, command: ExamCommand) -> anyhow::Result<()> {
    let ExamCommand::Add { file, passphrase_file, trust_once, practice } = command;
    let passphrase = Passphrase::from_file(&passphrase_file)?;
    let (store, identity) = open_store(&ctx.data, ctx.key_passphrase()?.as_ref())?;
    let added = add_exam(&store, &identity, &file, &passphrase, AddOptions { trust_once, practice }).await;
    let names = match &added {
        Ok(_) => store.reader()?.trusted_signers()?,
        Err(_) => Vec::new(),
    };
    let name_of = |key: &phongthi_crypto::PublicKey| names.iter().find(|s| s.key == *key).map(|s| s.name.clone());
    let signer_name = added.as_ref().ok().and_then(|added| name_of(&added.teacher));
    store.close()?;
    let added = added?;
    let t = |vi, en| ctx.lang.t(vi, en);
    if added.already_present {
        println!("{}: {}", t("Đề đã có", "Already added"), added.exam_id);
    } else {
        println!("{}: {} ({})", t("Đã thêm đề", "Added exam"), added.title, added.exam_id);
    }
    println!("{}: {} — {} {}", t("Mã đề", "Forms"), added.forms.join(", "), added.questions, t("câu", "questions"));
    let signer = match signer_name {
        Some(name) => format!("{name} ({})", added.teacher.fingerprint()),
        None => format!(
            "{} ({})",
            added.teacher.fingerprint(),
            t("nhận một lần, chưa tin cậy", "accepted once, not trusted")
        ),
    };
    println!("{}: {signer}", t("Giáo viên ký", "Signed by teacher key"));
    for key in &added.reviewers {
        let name = name_of(key).unwrap_or_default();
        println!("{}: {name} ({})", t("Tổ chuyên môn duyệt", "Approved by"), key.fingerprint());
    }
    if added.practice {
        println!(
            "{} {} {}",
            t("Bài luyện tập:", "Practice test:"),
            added.unapproved.len(),
            t(
                "câu chưa được duyệt đúng quy định (phiếu phòng máy sẽ ghi rõ)",
                "items do not meet the review policy (the lab sheet says so)"
            )
        );
        for item in &added.unapproved {
            println!("  {item}");
        }
    } else if practice && !added.already_present {
        println!(
            "{}",
            t(
                "Mọi câu đã được duyệt; đề được thêm như đề thi thường",
                "Every item is approved; added as a regular exam"
            )
        );
    }
    Ok(())
}

#[derive(Subcommand)]
pub(crate) enum RosterCommand {
    /// Nhập danh sách từ CSV hoặc XLSX / import a class list from CSV or XLSX
    Import {
        /// Tệp danh sách / the class list
        file: PathBuf,
    },
}

pub(crate) async fn roster(ctx: &Context, command: RosterCommand) -> anyhow::Result<()> {
    let RosterCommand::Import { file } = command;
    let (store, _) = open_store(&ctx.data, ctx.key_passphrase()?.as_ref())?;
    let count = import_roster(&store, &file).await?;
    store.close()?;
    println!("{}: {count} {}", ctx.lang.t("Đã nhập danh sách", "Imported roster"), ctx.lang.t("học sinh", "students"));
    Ok(())
}

#[derive(Args)]
pub(crate) struct ServeArgs {
    /// Địa chỉ lắng nghe (cổng 0 = cổng trống bất kỳ) / listen address (port 0 = any free port)
    #[arg(long, default_value = "0.0.0.0:4433")]
    listen: SocketAddr,
    /// Ghi lab.toml cho máy học sinh / write lab.toml for the lab PCs
    #[arg(long)]
    lab_config_out: Option<PathBuf>,
    /// Địa chỉ ghi vào lab.toml (địa chỉ LAN của máy này) / address written into lab.toml
    #[arg(long)]
    advertise: Option<SocketAddr>,
    /// Không mở bảng điều khiển / no dashboard window
    #[arg(long)]
    headless: bool,
    /// Kỳ thi (mặc định: đề thêm sau cùng) / exam id (default: the last added)
    #[arg(long)]
    exam: Option<String>,
    /// Từ chối bản máy khách không có trong danh sách (`proctor allow-build`) / refuse client
    /// builds not on the allowed list (`proctor allow-build`)
    #[arg(long)]
    strict_integrity: bool,
    /// Thêm một bản được phép cho riêng lần chạy này (không lưu; `proctor allow-build` để lưu) /
    /// allow one more build for this run only (not stored; `proctor allow-build` stores one)
    #[arg(long = "allow-build", value_name = "VALUE")]
    allow_builds: Vec<String>,
    /// Chờ máy mất kết nối lúc hết giờ thêm bao nhiêu phút để nhận bài trong nhật ký của máy /
    /// minutes to wait after the deadline for a PC that was away, to take the answers in its journal
    #[arg(long, value_name = "MINUTES", default_value_t = 15)]
    late_window_minutes: u64,
    /// Giới hạn dung lượng kho bài làm (MB), như khi đầy đĩa / cap the answer store (MB), as a full disk would
    #[arg(long, value_name = "MB")]
    store_limit_mb: Option<u64>,
    /// Kiểu gõ mặc định của phòng, đến khi học sinh tự chọn / the room's default input method, until a student picks one
    #[arg(long, default_value = "telex", value_name = "telex|vni|off")]
    typing: InputMethod,
}

pub(crate) fn parse_exam(text: &str) -> anyhow::Result<ExamId> {
    ExamId::from_hex(text.trim()).with_context(|| {
        format!("--exam {text:?}: cần mã kỳ thi 32 chữ số hex / an exam id of 32 hex digits is needed")
    })
}

pub(crate) async fn serve(ctx: &Context, args: ServeArgs) -> anyhow::Result<()> {
    let t = |vi, en| ctx.lang.t(vi, en);
    let mut extra_builds = Vec::new();
    for hex in &args.allow_builds {
        let digest = phongthi_crypto::BuildDigest::parse(hex).with_context(|| {
            format!(
                "--allow-build {hex:?}: cần đúng 64 chữ số hex (`exam-client --print-integrity`) / \
                 exactly 64 hex digits are needed (`exam-client --print-integrity`)"
            )
        })?;
        let name = t("cho riêng lần chạy này (--allow-build)", "this run only (--allow-build)").to_owned();
        extra_builds.push(phongthi_protocol::AllowedBuild { digest, name });
    }
    let options = ServeOptions {
        listen: args.listen,
        exam: args.exam.as_deref().map(parse_exam).transpose()?,
        lab_config_out: args.lab_config_out.clone(),
        strict_integrity: args.strict_integrity,
        extra_builds,
        advertise: args.advertise,
        late_window: std::time::Duration::from_secs(args.late_window_minutes * 60),
        store: StoreOptions { size_limit_bytes: args.store_limit_mb.map(|mb| mb << 20), ..StoreOptions::default() },
        typing: args.typing,
        ..ServeOptions::default()
    };
    let serving = start_server(ctx.data.clone(), ctx.key_passphrase()?, options).await?;
    println!("{}: {}", t("Kỳ thi", "Exam"), serving.exam_title);
    println!("{}: {}", t("Địa chỉ", "Address"), serving.addr);
    println!("{}: {}", t("Dấu vân tay", "Fingerprint"), serving.fingerprint);
    println!("{}: {}", t("MÃ PHÒNG", "ROOM CODE"), serving.room_code);
    println!("{}: {}", t("Kiểu gõ mặc định", "Default input method"), args.typing);
    let builds = serving.integrity.allowed.len();
    let check = match (builds, serving.integrity.strict) {
        (0, _) => {
            t("tắt (chưa có bản nào được phép: proctor allow-build)", "off (no allowed builds: proctor allow-build)")
        }
        (_, true) => t("nghiêm ngặt: từ chối bản lạ", "strict: unknown builds are refused"),
        (_, false) => {
            t("cảnh báo: bản lạ vẫn vào thi, có sự cố ghi lại", "warn: unknown builds get in, with an incident")
        }
    };
    println!(
        "{}: {check} ({builds} {})",
        t("Kiểm tra phần mềm thi", "Client check"),
        t("bản được phép", "allowed builds")
    );
    if let Some(path) = &args.lab_config_out {
        println!("{}: {}", t("Đã ghi cấu hình phòng máy", "Wrote lab configuration"), path.display());
    }
    if serving.receive_buffer.is_short() {
        let mib = |bytes: usize| bytes >> 20;
        println!(
            "{} {} MiB / {} MiB. {}",
            t("Cảnh báo: hệ điều hành chỉ cấp bộ đệm nhận UDP", "Warning: the OS granted a UDP receive buffer of only"),
            mib(serving.receive_buffer.granted),
            mib(serving.receive_buffer.asked),
            t(
                "Với hàng trăm máy đăng nhập cùng lúc, gói tin sẽ bị mất và đăng nhập chậm. \
                 Trên Linux: sudo sysctl -w net.core.rmem_max=33554432 net.core.wmem_max=33554432 \
                 (lâu dài: deploy/linux/99-phongthi-proctor.conf).",
                "With hundreds of PCs logging in at once, packets will be lost and logins slowed. \
                 On Linux: sudo sysctl -w net.core.rmem_max=33554432 net.core.wmem_max=33554432 \
                 (permanently: deploy/linux/99-phongthi-proctor.conf)."
            )
        );
    }
    let export_dir = ctx.data.path().join("ket-qua");
    if crate::window::wanted(ctx.lang, args.headless) {
        crate::window::run(ctx.lang, &serving, export_dir)?;
        println!(
            "{}",
            t(
                "Đã đóng bảng điều khiển; máy chủ vẫn chạy. Nhấn Ctrl+C để dừng.",
                "Dashboard closed; still serving. Press Ctrl+C to stop."
            )
        );
    } else {
        println!(
            "{}",
            t(
                "Nhấn Ctrl+C để dừng. Bắt đầu: proctor ctl start",
                "Press Ctrl+C to stop. Start the exam: proctor ctl start"
            )
        );
    }
    tokio::signal::ctrl_c().await?;
    serving.shutdown().await;
    Ok(())
}

#[derive(Subcommand)]
pub(crate) enum CtlCommand {
    /// Bắt đầu: phát khóa đề / start: release the keys
    Start,
    /// Tạm dừng / pause
    Pause,
    /// Tiếp tục / resume
    Resume,
    /// Kết thúc và thu bài / end and collect
    End,
    /// Gia hạn / extend
    Extend {
        /// Số phút / minutes
        #[arg(long)]
        minutes: u32,
        /// Chỉ học sinh này / only this student
        #[arg(long)]
        student: Option<String>,
    },
    /// Cho phép đổi máy / approve a seat move
    ApproveMove {
        /// Mã học sinh / student id
        student: String,
    },
    /// Cho tất cả học sinh đang chờ đổi máy làm tiếp (sau khi mất điện) / approve every pending
    /// seat move at once (after a power cut)
    ApproveMoves {
        /// Mã phòng (kiểm tra đúng phòng) / the room code, to be sure of the room
        #[arg(long)]
        room: Option<String>,
    },
    /// Từ chối đổi máy / deny a seat move
    DenyMove {
        /// Mã học sinh / student id
        student: String,
    },
    /// Thu bài ngay / collect now
    ForceSubmit {
        /// Mã học sinh / student id
        student: String,
    },
}

fn print_reply(reply: &Reply) -> anyhow::Result<()> {
    if !reply.ok {
        bail!("{}", reply.message);
    }
    println!("{}", reply.message);
    Ok(())
}

pub(crate) async fn ctl(ctx: &Context, command: CtlCommand) -> anyhow::Result<()> {
    let command = match command {
        CtlCommand::Start => Ctl::Start,
        CtlCommand::Pause => Ctl::Pause,
        CtlCommand::Resume => Ctl::Resume,
        CtlCommand::End => Ctl::End,
        CtlCommand::Extend { minutes, student } => Ctl::Extend { minutes, student },
        CtlCommand::ApproveMove { student } => Ctl::ApproveMove { student },
        CtlCommand::ApproveMoves { room } => Ctl::ApproveMoves { room },
        CtlCommand::DenyMove { student } => Ctl::DenyMove { student },
        CtlCommand::ForceSubmit { student } => Ctl::ForceSubmit { student },
    };
    print_reply(&control::send(ctx.data.path(), command).await?)
}

#[derive(Args)]
pub(crate) struct StatusArgs {
    /// Xuất JSON / JSON output
    #[arg(long)]
    json: bool,
}

pub(crate) async fn status(ctx: &Context, args: StatusArgs) -> anyhow::Result<()> {
    let reply = control::send(ctx.data.path(), Ctl::Status).await?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&reply.data)?);
        return Ok(());
    }
    let d = &reply.data;
    let t = |vi, en| ctx.lang.t(vi, en);
    let remaining = d["remaining_ms"].as_u64().unwrap_or(0) / 1000;
    println!(
        "{} — {} — {} {:02}:{:02}",
        d["title"].as_str().unwrap_or(""),
        d["state"].as_str().unwrap_or(""),
        t("còn", "left"),
        remaining / 60,
        remaining % 60
    );
    println!(
        "{:<12} {:<26} {:<6} {:<5} {:>7}  {}",
        t("Mã HS", "Student"),
        t("Họ và tên", "Name"),
        t("Ghế", "Seat"),
        t("Đề", "Form"),
        t("Đã làm", "Done"),
        t("Trạng thái", "State")
    );
    for s in d["seats"].as_array().into_iter().flatten() {
        let state = if let Some(code) = s["receipt_code"].as_str() {
            format!("{} {code}", t("đã nộp", "submitted"))
        } else if s["move_pending"] == true {
            t("chờ duyệt đổi máy", "seat move pending").to_owned()
        } else if s["connected"] == true {
            t("đang kết nối", "online").to_owned()
        } else if s["logged_in"] == true {
            t("mất kết nối", "offline").to_owned()
        } else {
            t("chưa vào", "not in").to_owned()
        };
        println!(
            "{:<12} {:<26} {:<6} {:<5} {:>3}/{:<3}  {state}",
            s["student_id"].as_str().unwrap_or(""),
            s["full_name"].as_str().unwrap_or(""),
            s["seat"].as_str().unwrap_or("—"),
            s["form"].as_str().unwrap_or(""),
            s["answered"].as_u64().unwrap_or(0),
            s["questions"].as_u64().unwrap_or(0),
        );
    }
    if let Some(alarm) = d["store_alarm"].as_str() {
        println!(
            "!!! {}: {alarm}",
            t("LỖI GHI ĐĨA — câu trả lời không được lưu", "STORE FAILURE — answers are not being saved")
        );
    }
    Ok(())
}

#[derive(Args)]
pub(crate) struct ResultsArgs {
    /// Kỳ thi / exam id
    #[arg(long)]
    exam: String,
    /// Xuất JSON / JSON output
    #[arg(long)]
    json: bool,
}

fn milli(m: i64) -> String {
    phongthi_items::MilliPoints::from_milli(m).to_string()
}

pub(crate) fn results(ctx: &Context, args: ResultsArgs) -> anyhow::Result<()> {
    let exam = parse_exam(&args.exam)?;
    let (store, _) = open_store(&ctx.data, ctx.key_passphrase()?.as_ref())?;
    let reader = store.reader()?;
    let scores = reader.scores_of_exam(&exam)?;
    let students = reader.students()?;
    let unmarked = phongthi_results::marking::unmarked_essays_of(&reader, &exam)?;
    let to_mark = |id: &str| unmarked.get(id).copied().unwrap_or(0);
    let name = |id: &str| students.iter().find(|s| s.student_id == id).map(|s| s.full_name.clone()).unwrap_or_default();
    if args.json {
        let rows: Vec<_> = scores
            .iter()
            .map(|s| {
                serde_json::json!({
                    "student_id": s.student_id, "full_name": name(&s.student_id),
                    "raw": milli(s.score.raw_milli), "max": milli(s.score.max_milli), "score": milli(s.score.scaled_milli),
                    "per_question": serde_json::from_str::<serde_json::Value>(&s.score.per_question_json).unwrap_or_default(),
                    "unmarked_essays": to_mark(&s.student_id),
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "exam_id": exam.to_hex(), "results": rows }))?
        );
        return Ok(());
    }
    let t = |vi, en| ctx.lang.t(vi, en);
    println!(
        "{:<12} {:<26} {:>10} {:>6}",
        t("Mã HS", "Student"),
        t("Họ và tên", "Name"),
        t("Điểm thô", "Raw"),
        t("Điểm", "Score")
    );
    for s in &scores {
        let pending = match to_mark(&s.student_id) {
            0 => String::new(),
            n => format!("  ({n} {})", t("câu tự luận chờ chấm", "essays to mark")),
        };
        println!(
            "{:<12} {:<26} {:>10} {:>6}{pending}",
            s.student_id,
            name(&s.student_id),
            format!("{}/{}", milli(s.score.raw_milli), milli(s.score.max_milli)),
            milli(s.score.scaled_milli)
        );
    }
    println!("{} {}", scores.len(), t("bài", "results"));
    Ok(())
}

#[derive(Args)]
pub(crate) struct VerifyReceiptArgs {
    /// Mã biên nhận (10 ký tự) hoặc tệp biên nhận / receipt code or receipt file
    code_or_file: String,
}

pub(crate) fn verify_receipt(ctx: &Context, args: VerifyReceiptArgs) -> anyhow::Result<()> {
    let (store, identity) = open_store(&ctx.data, ctx.key_passphrase()?.as_ref())?;
    let reader = store.reader()?;
    let t = |vi, en| ctx.lang.t(vi, en);
    let path = std::path::Path::new(&args.code_or_file);
    let receipt = if path.is_file() {
        let bytes = std::fs::read(path)?;
        SignedReceipt::verify(&bytes, Some(&identity.public_key())).with_context(|| args.code_or_file.clone())?
    } else {
        let code = ShortCode::parse(&args.code_or_file)?;
        let stored = reader.receipt_by_code(&code)?.with_context(|| {
            format!("{}: {code}", t("không có biên nhận nào mang mã này", "no receipt has this code"))
        })?;
        SignedReceipt::verify(stored.receipt.as_bytes(), Some(&identity.public_key()))?
    };
    // A receipt is only as good as the sheet it names: it must be the one stored.
    let stored_sheet = reader.sheet(&receipt.receipt().session)?;
    let matches = stored_sheet.as_deref().map(phongthi_crypto::sheet_hash) == Some(receipt.receipt().sheet_hash);
    if !matches {
        bail!(
            "{}",
            t(
                "biên nhận hợp lệ nhưng không khớp bài đã lưu",
                "the receipt is genuine but does not match the stored sheet"
            )
        );
    }
    println!("{} — {}", t("BIÊN NHẬN HỢP LỆ", "RECEIPT VALID"), receipt.short_code());
    println!("{}: {}", t("Học sinh", "Student"), receipt.receipt().student_id);
    println!("{}: {}", t("Kỳ thi", "Exam"), receipt.receipt().exam);
    println!("{}: {}", t("Nhận lúc", "Received at"), utc(receipt.receipt().received_ms));
    Ok(())
}

#[derive(Subcommand)]
pub(crate) enum AuditCommand {
    /// Kiểm tra chuỗi nhật ký / verify the chain
    Verify,
}

pub(crate) fn audit(ctx: &Context, command: AuditCommand) -> anyhow::Result<()> {
    let AuditCommand::Verify = command;
    let (store, identity) = open_store(&ctx.data, ctx.key_passphrase()?.as_ref())?;
    let reader = store.reader()?;
    let head = reader.verify_audit(&identity.public_key())?;
    let count = reader.audit_entries()?.len();
    let t = |vi, en| ctx.lang.t(vi, en);
    println!("{}: {count} {}", t("Nhật ký nguyên vẹn", "Audit log intact"), t("mục", "entries"));
    println!("{}: {head}", t("Mã băm cuối (ghi lại để so sánh sau)", "Head hash (note it down to compare later)"));
    Ok(())
}

/// `2026-11-22 16:58:03 UTC` from milliseconds since the epoch (civil-from-days, so no date
/// library is needed for one line of output).
pub(crate) fn utc(ms: u64) -> String {
    let secs = ms / 1000;
    let days = (secs / 86_400) as i64;
    let (h, m, s) = ((secs % 86_400) / 3600, (secs % 3600) / 60, secs % 60);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {h:02}:{m:02}:{s:02} UTC")
}

#[cfg(test)]
mod tests {
    #[test]
    fn utc_dates() {
        assert_eq!(super::utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(super::utc(1_795_366_134_869), "2026-11-22 16:48:54 UTC");
        assert_eq!(super::utc(951_782_400_000), "2000-02-29 00:00:00 UTC");
    }
}
