//! The exam store's errors: what failed, for whom, and whether the student's answer is safe.
//!
//! The variants keep apart what the server must treat differently: [`StoreError::DiskFull`] and
//! [`StoreError::Io`] mean *nothing of the batch was written* and the alarm is up (never ack,
//! the client keeps the answer in its journal and resends); [`StoreError::Conflict`] means the
//! request contradicts what is stored (a forked answer chain, a second session for one student);
//! [`StoreError::NotFound`] names the missing exam, session or student; [`StoreError::Closed`]
//! means the writer is gone. Messages are Vietnamese first, then English.

use phongthi_crypto::{ExamId, SessionId};
use std::fmt;

/// What the store was doing when SQLite failed, for the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    /// Creating the data directory, opening the file and setting the connection up.
    Open,
    /// Reading or upgrading the schema.
    Migrate,
    /// Starting, committing or rolling back a batch of writes.
    Commit,
    /// Storing an answer event.
    AppendEvent,
    /// Adding an exam.
    AddExam,
    /// Replacing the roster.
    ReplaceRoster,
    /// Creating or changing a session.
    Session,
    /// Storing an answer sheet, its receipt and its score.
    Submission,
    /// Storing or changing a score.
    Score,
    /// Recording an incident.
    Incident,
    /// Appending to the audit log.
    Audit,
    /// Queuing or updating grade-book requests.
    Outbox,
    /// Recording a manual mark.
    Mark,
    /// Erasing an exam's personal data, and compacting the file after.
    Purge,
    /// Changing the trusted signers.
    Trust,
    /// Adding or removing an allowed client build.
    Builds,
    /// Reading.
    Read,
}

impl Operation {
    /// What it is, in Vietnamese.
    pub fn vietnamese(self) -> &'static str {
        match self {
            Operation::Open => "mở kho bài thi",
            Operation::Migrate => "nâng cấp cấu trúc kho bài thi",
            Operation::Commit => "ghi một lô thay đổi",
            Operation::AppendEvent => "lưu câu trả lời",
            Operation::AddExam => "thêm đề thi",
            Operation::ReplaceRoster => "thay danh sách học sinh",
            Operation::Session => "ghi phiên thi",
            Operation::Submission => "lưu bài nộp",
            Operation::Score => "lưu điểm",
            Operation::Incident => "ghi sự cố",
            Operation::Audit => "ghi nhật ký giám sát",
            Operation::Outbox => "ghi hàng đợi gửi sổ điểm",
            Operation::Mark => "ghi điểm chấm tay",
            Operation::Purge => "xóa dữ liệu cá nhân của kỳ thi",
            Operation::Trust => "ghi danh sách khóa tin cậy",
            Operation::Builds => "ghi danh sách bản máy khách được phép",
            Operation::Read => "đọc kho bài thi",
        }
    }

    /// What it is, in English.
    pub fn english(self) -> &'static str {
        match self {
            Operation::Open => "opening the exam store",
            Operation::Migrate => "upgrading the exam store's schema",
            Operation::Commit => "writing a batch of changes",
            Operation::AppendEvent => "storing an answer event",
            Operation::AddExam => "adding an exam",
            Operation::ReplaceRoster => "replacing the roster",
            Operation::Session => "writing a session",
            Operation::Submission => "storing a submission",
            Operation::Score => "storing a score",
            Operation::Incident => "recording an incident",
            Operation::Audit => "appending to the audit log",
            Operation::Outbox => "writing the grade-book outbox",
            Operation::Mark => "recording a manual mark",
            Operation::Purge => "erasing an exam's personal data",
            Operation::Trust => "changing the trusted keys",
            Operation::Builds => "writing the list of allowed client builds",
            Operation::Read => "reading the exam store",
        }
    }
}

/// What a write contradicts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Conflict {
    /// Another answer event is already stored at this place of the chain (a fork): the stored one
    /// stays, because an answer event is never overwritten.
    Event {
        /// The session.
        session: SessionId,
        /// The sequence number.
        seq: u64,
    },
    /// An exam with this id is stored with other content.
    Exam(ExamId),
    /// A session with this id exists already.
    Session(SessionId),
    /// The student already has a session for this exam (one login, continued across reconnects).
    StudentHasSession {
        /// The exam.
        exam: ExamId,
        /// The student.
        student_id: String,
        /// The session they have.
        existing: SessionId,
    },
    /// Another answer sheet is stored for this session.
    Submission(SessionId),
    /// Another session's receipt has the same short code (astronomically unlikely: 45 bits).
    ShortCode(String),
    /// A roster names this student twice.
    DuplicateStudent(String),
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Conflict::Event { session, seq } => write!(
                f,
                "phiên {session} đã có một câu trả lời khác ở số thứ tự {seq} / session {session} already holds \
                 another answer event at seq {seq}"
            ),
            Conflict::Exam(exam) => {
                write!(f, "đề thi {exam} đã có với nội dung khác / exam {exam} is stored with other content")
            }
            Conflict::Session(session) => write!(f, "phiên {session} đã có / session {session} exists already"),
            Conflict::StudentHasSession { exam, student_id, existing } => write!(
                f,
                "học sinh {student_id} đã có phiên {existing} cho đề {exam} / student {student_id} already has \
                 session {existing} for exam {exam}"
            ),
            Conflict::Submission(session) => write!(
                f,
                "phiên {session} đã nộp một bài khác / session {session} already submitted another answer sheet"
            ),
            Conflict::ShortCode(code) => {
                write!(f, "mã biên nhận {code} đã dùng cho phiên khác / receipt code {code} belongs to another session")
            }
            Conflict::DuplicateStudent(id) => {
                write!(f, "danh sách có hai học sinh mã {id} / the roster lists student {id} twice")
            }
        }
    }
}

/// What a write or read needed and did not find.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Missing {
    /// No exam has this id.
    Exam(ExamId),
    /// No session has this id.
    Session(SessionId),
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Missing::Exam(exam) => write!(f, "không có đề thi {exam} / there is no exam {exam}"),
            Missing::Session(session) => write!(f, "không có phiên thi {session} / there is no session {session}"),
        }
    }
}

/// Why a store call failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The disk (or the database's size limit) is full. The whole batch this write was part of
    /// was rolled back: **nothing of it is stored and nothing may be acknowledged**. The store's
    /// alarm is raised until a later batch commits.
    #[error(
        "ĐĨA ĐẦY: không lưu được, chưa có gì được ghi; hãy giải phóng dung lượng ngay / DISK FULL: \
         nothing was stored; free disk space now ({detail})"
    )]
    DiskFull {
        /// SQLite's message.
        detail: String,
    },
    /// An input/output failure (read-only file system, a failing disk, a lock held by another
    /// program, or the data directory cannot be created). As with [`StoreError::DiskFull`], the
    /// whole batch was rolled back and the alarm is raised.
    #[error("lỗi đọc/ghi đĩa, chưa có gì được ghi / input/output error, nothing was stored: {detail}")]
    Io {
        /// What failed, with the path or SQLite's message.
        detail: String,
    },
    /// SQLite refused this one request (the rest of its batch is unaffected).
    #[error("lỗi SQLite khi {} / SQLite error while {}: {source}", .operation.vietnamese(), .operation.english())]
    Sqlite {
        /// What the store was doing.
        operation: Operation,
        /// SQLite's own error.
        #[source]
        source: rusqlite::Error,
    },
    /// The request contradicts what is stored; the stored data is unchanged.
    #[error("{0}")]
    Conflict(Conflict),
    /// The request names an exam or session that is not stored.
    #[error("{0}")]
    NotFound(Missing),
    /// The parts of a request do not belong together (a receipt for another sheet, say).
    #[error("yêu cầu không nhất quán / inconsistent request: {0}")]
    Mismatch(String),
    /// The database was written by a newer Phòng Thi whose schema this program does not know.
    #[error(
        "kho bài thi có cấu trúc phiên bản {found}, chương trình này chỉ biết đến phiên bản {supported}; \
         hãy cập nhật Phòng Thi / the exam store has schema version {found} but this program knows only \
         up to {supported}; update Phòng Thi"
    )]
    NewerSchema {
        /// `PRAGMA user_version` of the file.
        found: i64,
        /// The newest version this code can open.
        supported: i64,
    },
    /// The file is an SQLite database of another program (a question bank, say).
    #[error(
        "tệp này không phải kho bài thi của máy giám thị Phòng Thi (application_id {application_id}) / \
         this file is not a Phòng Thi proctor store (application_id {application_id})"
    )]
    NotAProctorDatabase {
        /// `PRAGMA application_id` of the file.
        application_id: i64,
    },
    /// A stored row does not read back as what the store writes: edited by hand or damaged.
    #[error("dữ liệu hỏng ở {what} / corrupt data in {what}: {detail}")]
    Corrupt {
        /// Which row (table and key).
        what: String,
        /// What does not parse.
        detail: String,
    },
    /// A stored hash chain (a session's answers, or the audit log) does not verify.
    #[error("chuỗi {what} không hợp lệ / the {what} chain does not verify: {source}")]
    BrokenChain {
        /// Which chain (`answers of session …`, `audit`).
        what: String,
        /// The first bad link, as the crypto crate reports it.
        #[source]
        source: phongthi_crypto::Error,
    },
    /// The exam is sealed and this reader was opened without the proctor identity's key.
    #[error(
        "đề {exam} được niêm phong; cần mở bằng khóa của máy giám thị / exam {exam} is sealed; \
         open the store with the proctor's identity"
    )]
    Sealed {
        /// The exam.
        exam: ExamId,
    },
    /// The store was closed, or its writer thread stopped.
    #[error("kho bài thi đã đóng / the exam store is closed")]
    Closed,
}

impl StoreError {
    /// Whether the failure was the disk's or the file system's rather than the request's: such
    /// an error failed a whole batch and raised the alarm.
    pub fn is_storage_failure(&self) -> bool {
        matches!(self, StoreError::DiskFull { .. } | StoreError::Io { .. })
    }
}

/// Attaches the [`Operation`] to a rusqlite result.
pub(crate) trait ResultExt<T> {
    /// Turns a rusqlite error into [`StoreError::Sqlite`] for `operation`.
    fn during(self, operation: Operation) -> Result<T, StoreError>;
}

impl<T> ResultExt<T> for rusqlite::Result<T> {
    fn during(self, operation: Operation) -> Result<T, StoreError> {
        self.map_err(|source| StoreError::Sqlite { operation, source })
    }
}
