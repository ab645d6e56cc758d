//! Getting a proctor ready before the exam: adding an exam bundle and importing the roster.
//! These are what `proctor exam add` and `proctor roster import` run.

use crate::datadir::{DataDir, DataDirError};
use crate::roster::{Roster, RosterErrors};
use crate::{AuditNote, ExamRecord, Store, StoreError, StoreOptions, StudentRecord};
use phongthi_crypto::{ContentKey, ExamId, Passphrase, PublicKey, SigningKey, TrustedTeachers};
use phongthi_question_bank::bundle::{BundleError, ExamBundle};
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
    /// Encoding the exam for storage.
    #[error("không lưu được đề / cannot store the exam: {0}")]
    Encode(String),
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
    /// audit entry then says `"trust_once":true`).
    pub trust_once: bool,
}

/// Opens a `.exam` bundle and stores it with a fresh content key sealed under the identity.
///
/// The signer must be one the school trusts ([`Store::trust_signer`]) unless
/// [`AddOptions::trust_once`]; it is checked from the signature before the passphrase is tried,
/// so a stranger's bundle is refused for what it is.
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
        already_present: false,
    };
    if store.reader()?.exam(&bundle.exam_id)?.is_some() {
        return Ok(AddedExam { already_present: true, ..summary });
    }
    let content_key = ContentKey::generate()?;
    let record = ExamRecord {
        id: bundle.exam_id,
        title: exam.title().to_owned(),
        duration_ms: u64::from(exam.duration_minutes()) * 60_000,
        exam_json: serde_json::to_string(exam).map_err(|e| AdminError::Encode(e.to_string()))?,
        teacher_key: opened.teacher,
        sealed_content_key: content_key.wrap(identity, &bundle.exam_id)?,
        added_ms: now_ms(),
    };
    let note = AuditNote::new(
        now_ms(),
        "proctor",
        "exam.add",
        // `trust_once` marks an exam let in from a key outside the school's list, so an audit
        // can list every such exam; it is in the same entry, so it exists only if the exam does.
        format!(
            "{{\"exam\":\"{}\",\"teacher\":\"{}\",\"trust_once\":{}}}",
            bundle.exam_id,
            opened.teacher.fingerprint(),
            !trusted
        ),
    );
    store.add_exam(record, Some(note)).await?;
    Ok(summary)
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
