//! Getting a proctor ready before the exam: adding an exam bundle and importing the roster.
//! These are what `proctor exam add` and `proctor roster import` run.
//!
//! `exam add` holds a bundle to two rules of the school's: its signer is a teacher the school
//! trusts (or the proctor says `--trust-once`), and every item carries an approval signed by a
//! reviewer the school trusts who is not the item's author, for the version the exam carries
//! (`phongthi_question_bank::approval`), unless the proctor adds it as a practice test.

use crate::datadir::{DataDir, DataDirError};
use crate::roster::{Roster, RosterErrors};
use crate::{AuditNote, ExamRecord, Store, StoreError, StoreOptions, StudentRecord};
use phongthi_crypto::{ContentKey, ExamId, Passphrase, PublicKey, SigningKey, TrustedTeachers};
use phongthi_question_bank::approval::{Refusal, Unapproved, check_approvals};
use phongthi_question_bank::bundle::{BundleError, ExamBundle};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

/// A setup step that failed.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// The data directory.
    #[error(transparent)]
    DataDir(#[from] DataDirError),
    /// The store.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The exam bundle (passphrase, tampering, signer).
    #[error("{file}: {source}")]
    Bundle {
        /// The file.
        file: String,
        /// What is wrong.
        source: BundleError,
    },
    /// The roster file.
    #[error(transparent)]
    Roster(#[from] RosterErrors),
    /// Reading a file.
    #[error("không đọc được {file}: {source} / cannot read {file}: {source}")]
    Read {
        /// The file.
        file: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// An unknown roster file type.
    #[error("{0}: cần tệp .csv hoặc .xlsx / a .csv or .xlsx file is needed")]
    RosterFormat(String),
    /// A crypto operation.
    #[error(transparent)]
    Crypto(#[from] phongthi_crypto::Error),
    /// The bundle is signed by a key the school has not trusted.
    #[error(
        "{file}: được ký bởi khóa {fingerprint} mà nhà trường chưa tin cậy. Hỏi giáo viên dấu vân tay của họ \
         (qbank keygen in ra), rồi chạy `proctor trust add {key} --name \"…\"`, hoặc thêm --trust-once để nhận \
         riêng đề này / {file}: signed by key {fingerprint}, which the school does not trust. Check the \
         fingerprint with the teacher (qbank keygen prints it), then run `proctor trust add {key} --name \"…\"`, \
         or add --trust-once to accept this exam only"
    )]
    UntrustedSigner {
        /// The file.
        file: String,
        /// The signer's public key (hex).
        key: String,
        /// Its short fingerprint.
        fingerprint: String,
    },
    /// Items of the bundle lack an approval the policy asks for, and it is not a practice test.
    #[error(
        "{file}: {} câu hỏi chưa được duyệt đúng quy định (mỗi câu cần chữ ký duyệt của một người nhà trường tin cậy, \
         không phải tác giả); đề bị từ chối. Nếu đây là bài luyện tập, thêm --practice / {file}: {} items do not \
         meet the review policy (each needs an approval signed by a reviewer the school trusts who is not its \
         author); the exam is refused. For a practice test, add --practice:{}",
        .items.len(), .items.len(), unapproved_list(.items)
    )]
    Unapproved {
        /// The file.
        file: String,
        /// Each item that falls short, and why.
        items: Vec<Unapproved>,
    },
    /// Encoding the exam for storage.
    #[error("không lưu được đề / cannot store the exam: {0}")]
    Encode(String),
}

/// One line per item, then how to trust each reviewer key that was refused as unknown.
fn unapproved_list(items: &[Unapproved]) -> String {
    let mut text = String::new();
    for item in items {
        let _ = write!(text, "\n  {item}");
    }
    let mut hinted = BTreeSet::new();
    for item in items {
        if let Refusal::UntrustedReviewer { key, name } = &item.refusal
            && hinted.insert(*key)
        {
            let _ = write!(
                text,
                "\n  «{name}» {key}: nếu đúng là người duyệt của tổ chuyên môn, chạy `proctor trust add {key} --name \"…\"` / \
                 if this is the subject group's reviewer, run `proctor trust add {key} --name \"…\"`"
            );
        }
    }
    text
}

/// Opens the store of a data directory with its identity (the key is loaded twice: the store's
/// writer thread owns one copy to sign audit entries, the caller keeps the other).
pub fn open_store(data: &DataDir, passphrase: Option<&Passphrase>) -> Result<(Store, SigningKey), AdminError> {
    open_store_with(data, passphrase, StoreOptions::default())
}

/// [`open_store`] with writer options (a size limit, batch sizes).
pub fn open_store_with(
    data: &DataDir,
    passphrase: Option<&Passphrase>,
    options: StoreOptions,
) -> Result<(Store, SigningKey), AdminError> {
    let identity = data.identity(passphrase)?;
    let for_store = data.identity(passphrase)?;
    Ok((Store::open_with(data.path(), for_store, options)?, identity))
}

/// What `exam add` did.
#[derive(Debug)]
pub struct AddedExam {
    /// The exam.
    pub exam_id: ExamId,
    /// Its title.
    pub title: String,
    /// Form codes.
    pub forms: Vec<String>,
    /// Questions per form.
    pub questions: usize,
    /// The teacher key that signed the bundle.
    pub teacher: PublicKey,
    /// The trusted reviewer keys whose approvals let the items in.
    pub reviewers: Vec<PublicKey>,
    /// Added as a practice test: these items lack an approval the policy asks for.
    pub unapproved: Vec<Unapproved>,
    /// Stored as a practice test ([`ExamRecord::practice`]).
    pub practice: bool,
    /// It was already there (nothing changed).
    pub already_present: bool,
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// How `exam add` treats a bundle.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AddOptions {
    /// Accept a signer the school has not trusted, for this exam only (the `exam.add`
    /// audit entry then says `"trust_once":true`). Reviewers are not covered: an approval
    /// counts only from a key in the school's list.
    pub trust_once: bool,
    /// Accept items without the approval the review policy asks for: a practice test. The
    /// exam is stored as one (the lab sheet says so) and the `exam.add` audit entry lists the
    /// items (`"practice":true,"unapproved":[…]`). When every item is approved, it changes
    /// nothing.
    pub practice: bool,
}

/// Opens a `.exam` bundle and stores it with a fresh content key sealed under the identity.
///
/// The signer must be one the school trusts ([`Store::trust_signer`]) unless
/// [`AddOptions::trust_once`]; it is checked from the signature before the passphrase is tried,
/// so a stranger's bundle is refused for what it is. Then every item must carry a valid
/// approval by a trusted key that is not its author's ([`AdminError::Unapproved`] names each
/// item that does not) unless [`AddOptions::practice`]. A bundle already added is reported as
/// such without checking again: adding it twice changes nothing.
pub async fn add_exam(
    store: &Store,
    identity: &SigningKey,
    bundle_path: &Path,
    passphrase: &Passphrase,
    options: AddOptions,
) -> Result<AddedExam, AdminError> {
    let file = bundle_path.display().to_string();
    let bytes = std::fs::read(bundle_path).map_err(|source| AdminError::Read { file: file.clone(), source })?;
    let signer = phongthi_crypto::bundle_signer(&bytes)
        .map_err(|source| AdminError::Bundle { file: file.clone(), source: BundleError::from(source) })?;
    let trusted = store.reader()?.is_trusted(&signer)?;
    if !trusted && !options.trust_once {
        return Err(AdminError::UntrustedSigner { file, key: signer.to_string(), fingerprint: signer.fingerprint() });
    }
    let opened = ExamBundle::open(&bytes, passphrase, TrustedTeachers::Any)
        .map_err(|source| AdminError::Bundle { file: file.clone(), source })?;
    let bundle = opened.bundle;
    let exam = &bundle.exam;
    let summary = AddedExam {
        exam_id: bundle.exam_id,
        title: exam.title().to_owned(),
        forms: exam.forms().iter().map(|f| f.code.to_string()).collect(),
        questions: exam.question_count(),
        teacher: opened.teacher,
        reviewers: Vec::new(),
        unapproved: Vec::new(),
        practice: false,
        already_present: false,
    };
    if let Some(stored) = store.reader()?.exam(&bundle.exam_id)? {
        return Ok(AddedExam { already_present: true, practice: stored.practice, ..summary });
    }
    let trusted_keys: BTreeSet<PublicKey> =
        store.reader()?.trusted_signers()?.into_iter().map(|signer| signer.key).collect();
    let report = check_approvals(exam, &bundle.statements, |key| trusted_keys.contains(key));
    if !report.unapproved.is_empty() && !options.practice {
        return Err(AdminError::Unapproved { file, items: report.unapproved });
    }
    let practice = !report.unapproved.is_empty();
    let reviewers: Vec<PublicKey> = report.reviewers().into_iter().map(|approver| approver.key).collect();
    let content_key = ContentKey::generate()?;
    let record = ExamRecord {
        id: bundle.exam_id,
        title: exam.title().to_owned(),
        duration_ms: u64::from(exam.duration_minutes()) * 60_000,
        exam_json: serde_json::to_string(exam).map_err(|e| AdminError::Encode(e.to_string()))?,
        teacher_key: opened.teacher,
        sealed_content_key: content_key.wrap(identity, &bundle.exam_id)?,
        added_ms: now_ms(),
        practice,
    };
    let unapproved_ids: Vec<String> = report.unapproved.iter().map(|u| u.item.to_string()).collect();
    let note = AuditNote::new(
        now_ms(),
        "proctor",
        "exam.add",
        // `trust_once` marks an exam let in from a key outside the school's list and `practice`
        // one let in without every approval (the bank numbers of the items listed), so an audit
        // can list every such exam; they are in the same entry, so it exists only if the exam
        // does.
        format!(
            "{{\"exam\":\"{}\",\"teacher\":\"{}\",\"trust_once\":{},\"practice\":{practice},\"unapproved\":[{}],\"reviewers\":[{}]}}",
            bundle.exam_id,
            opened.teacher.fingerprint(),
            !trusted,
            unapproved_ids.join(","),
            reviewers.iter().map(|key| format!("\"{}\"", key.fingerprint())).collect::<Vec<_>>().join(","),
        ),
    );
    store.add_exam(record, Some(note)).await?;
    Ok(AddedExam { reviewers, unapproved: report.unapproved, practice, ..summary })
}

/// Reads a class list and replaces the stored roster (all or nothing).
pub async fn import_roster(store: &Store, file: &Path) -> Result<usize, AdminError> {
    let name = file.display().to_string();
    let bytes = std::fs::read(file).map_err(|source| AdminError::Read { file: name.clone(), source })?;
    let extension = file.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let roster = match extension.as_deref() {
        Some("csv") => Roster::import_csv(&name, &bytes)?,
        Some("xlsx") => Roster::import_xlsx(&name, &bytes)?,
        _ => return Err(AdminError::RosterFormat(name)),
    };
    let students: Vec<StudentRecord> = roster
        .students
        .iter()
        .map(|s| StudentRecord {
            student_id: s.id.as_str().to_owned(),
            full_name: s.full_name.clone(),
            class: s.class.clone(),
            date_of_birth: s.date_of_birth.map(|d| d.to_string()),
            pin_hash: s.pin.as_ref().map(|p| phongthi_protocol::pin_hash(s.id.as_str(), p.expose_secret()).to_vec()),
            seat: s.seat.clone(),
        })
        .collect();
    let note = AuditNote::new(
        now_ms(),
        "proctor",
        "roster.import",
        format!("{{\"file\":{name:?},\"students\":{}}}", students.len()),
    );
    Ok(store.replace_roster(students, Some(note)).await?)
}
