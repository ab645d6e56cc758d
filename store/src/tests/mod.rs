//! Tests of the exam store against real SQLite files in temporary directories, with a
//! Vietnamese school's data: a Toán 10 mid-term, a 10A1 roster, students' answer chains.

mod allowed_builds;
mod at_rest;
mod audit_log;
mod backup;
mod batching;
mod concurrency;
mod disk_full;
mod events;
mod fixture;
mod properties;
mod purge;
mod recovery;
mod round_trip;
mod session_keys;

use super::{
    AuditChain, ExamRecord, NewSession, ScoreRecord, Store, StoreError, StoreOptions, StudentRecord, Submission,
};
use phongthi_crypto::keyfile::save_key;
use phongthi_crypto::{
    AnswerSheet, ChainWriter, ExamId, JournalSecret, PublicKey, Receipt, SessionId, SignedEvent, SignedReceipt,
    SigningKey, parse_key, sha256, sheet_hash,
};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use tempfile::TempDir;
use tokio::sync::oneshot;

/// 2025-10-20 07:30 in Hà Nội: the mid-term starts.
pub(super) const T0: u64 = 1_760_920_200_000;

/// A data directory with a store in it, and the proctor key to reopen it.
pub(super) struct Site {
    pub(super) dir: TempDir,
    pub(super) store: Store,
    key_pem: String,
}

impl Site {
    /// A new, empty store.
    pub(super) fn new() -> Site {
        Site::with_options(StoreOptions::default())
    }

    pub(super) fn with_options(options: StoreOptions) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let key = SigningKey::generate().unwrap();
        let key_path = dir.path().join("proctor-key.pem");
        save_key(&key_path, &key, None).unwrap();
        let key_pem = std::fs::read_to_string(&key_path).unwrap();
        let store = Store::open_with(dir.path().join("data"), key, options).unwrap();
        Site { dir, store, key_pem }
    }

    pub(super) fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Another copy of the proctor key.
    pub(super) fn key(&self) -> SigningKey {
        parse_key(&self.key_pem, None).unwrap()
    }

    /// Closes the store and opens it again on the same directory.
    pub(super) fn reopen(self) -> Site {
        let Site { dir, store, key_pem } = self;
        store.close().unwrap();
        let store = Store::open(dir.path().join("data"), parse_key(&key_pem, None).unwrap()).unwrap();
        Site { dir, store, key_pem }
    }

    /// A brand-new connection to the file, as another process would open it.
    pub(super) fn raw_connection(&self) -> Connection {
        Connection::open(self.data_dir().join(super::FILE_NAME)).unwrap()
    }
}

/// Kiểm tra giữa kì I, Toán 10: 45 minutes.
pub(super) fn toan_10() -> ExamRecord {
    ExamRecord {
        id: ExamId::from_bytes(*b"toan10-giuaki-I!"),
        title: "Kiểm tra giữa kì I — Toán 10".to_owned(),
        duration_ms: 45 * 60 * 1000,
        exam_json: r#"{"title":"Kiểm tra giữa kì I — Toán 10","forms":["101","102","103","104"]}"#.to_owned(),
        // Stored as given: the store does not check that these bytes are a curve point.
        teacher_key: PublicKey::from_bytes([0x1a; 32]),
        sealed_content_key: b"sealed:khoa-noi-dung-de-thi".to_vec(),
        added_ms: T0 - 86_400_000,
        practice: false,
    }
}

/// Vật lí 10, for a second exam in the same store.
pub(super) fn vat_li_10() -> ExamRecord {
    ExamRecord {
        id: ExamId::from_bytes(*b"vatli10-15phut!!"),
        title: "Kiểm tra 15 phút — Vật lí 10: Động lượng".to_owned(),
        duration_ms: 15 * 60 * 1000,
        exam_json: r#"{"title":"Kiểm tra 15 phút — Vật lí 10","forms":["201","202"]}"#.to_owned(),
        teacher_key: PublicKey::from_bytes([0x2b; 32]),
        sealed_content_key: b"sealed:khoa-vat-li".to_vec(),
        added_ms: T0 - 3_600_000,
        practice: true,
    }
}

pub(super) fn student(id: &str, name: &str, class: &str, seat: Option<&str>) -> StudentRecord {
    StudentRecord {
        student_id: id.to_owned(),
        full_name: name.to_owned(),
        class: class.to_owned(),
        date_of_birth: Some("2010-03-14".to_owned()),
        pin_hash: Some(sha256(format!("pin:{id}").as_bytes()).as_bytes().to_vec()),
        seat: seat.map(str::to_owned),
    }
}

/// Part of 10A1.
pub(super) fn lop_10a1() -> Vec<StudentRecord> {
    vec![
        student("0101000001", "Nguyễn Văn An", "10A1", Some("Máy 01")),
        student("0101000002", "Trần Thị Bình", "10A1", Some("Máy 02")),
        student("0101000003", "Lê Hoàng Cường", "10A1", Some("Máy 03")),
        StudentRecord {
            date_of_birth: None,
            pin_hash: None,
            seat: None,
            ..student("0101000004", "Phạm Thu Dung", "10A1", None)
        },
    ]
}

/// One student sitting an exam: the session row to create and the client's side of the chain.
pub(super) struct Candidate {
    pub(super) session: SessionId,
    pub(super) exam: ExamId,
    pub(super) student_id: String,
    pub(super) key: SigningKey,
    pub(super) chain: ChainWriter,
}

impl Candidate {
    pub(super) fn new(exam: ExamId, student_id: &str) -> Candidate {
        let session = SessionId::generate().unwrap();
        Candidate {
            session,
            exam,
            student_id: student_id.to_owned(),
            key: SigningKey::generate().unwrap(),
            chain: ChainWriter::new(session),
        }
    }

    pub(super) fn new_session(&self, form_index: u32) -> NewSession {
        NewSession {
            id: self.session,
            exam: self.exam,
            student_id: self.student_id.clone(),
            form_index,
            session_key: self.key.public_key(),
            journal_secret: JournalSecret::from_bytes([7; 32]),
            created_ms: T0,
        }
    }

    /// The student's next answer: `response` to question `item`.
    pub(super) fn answer(&mut self, item: u32, response: &str) -> SignedEvent {
        let client_ms = 1_000 * (self.chain.len() + 1);
        self.chain.next(&self.key, item, response.as_bytes().to_vec(), client_ms).unwrap()
    }

    /// The signed sheet at the current head, and the proctor's receipt for it.
    pub(super) fn submission(&self, proctor: &SigningKey, received_ms: u64) -> Submission {
        let sheet = AnswerSheet {
            session: self.session,
            exam: self.exam,
            form_index: 1,
            student_id: self.student_id.clone(),
            chain_head: self.chain.head(),
            event_count: self.chain.len(),
            started_ms: T0,
            submitted_ms: received_ms - 200,
            responses: b"1:B;2:A;3:C".to_vec(),
        }
        .sign(&self.key)
        .unwrap();
        let receipt = Receipt {
            exam: self.exam,
            session: self.session,
            student_id: self.student_id.clone(),
            sheet_hash: sheet_hash(&sheet),
            received_ms,
        }
        .sign(proctor)
        .unwrap();
        Submission { sheet, receipt, score: score(7_250, received_ms) }
    }
}

/// A score of `raw_milli` out of 10 points.
pub(super) fn score(raw_milli: i64, scored_ms: u64) -> ScoreRecord {
    ScoreRecord {
        raw_milli,
        max_milli: 10_000,
        scaled_milli: raw_milli,
        per_question_json: r#"[{"q":1,"milli":250},{"q":2,"milli":0}]"#.to_owned(),
        scored_ms,
    }
}

/// A store with Toán 10, the 10A1 roster and one session per listed student.
pub(super) async fn seeded(students: &[&str]) -> (Site, Vec<Candidate>) {
    let site = Site::new();
    site.store.add_exam(toan_10(), None).await.unwrap();
    site.store.replace_roster(lop_10a1(), None).await.unwrap();
    let mut candidates = Vec::new();
    for (index, id) in students.iter().enumerate() {
        let candidate = Candidate::new(toan_10().id, id);
        site.store.create_session(candidate.new_session(index as u32 % 4), None).await.unwrap();
        candidates.push(candidate);
    }
    (site, candidates)
}

/// What a receiver of a queued request got.
pub(super) type Answer<T> = oneshot::Receiver<Result<T, StoreError>>;

impl Store {
    /// Queues an answer event at once, as `append_event` does after waiting for room.
    pub(super) fn enqueue_event(&self, event: SignedEvent, received_ms: u64) -> Answer<super::EventOutcome> {
        let hash = event.event.hash();
        self.enqueue(move |conn, _| super::events::append(conn, &event, &hash, received_ms)).unwrap()
    }

    /// Blocks the writer inside a batch until the returned sender is dropped or sent to; returns
    /// once the writer is blocked.
    pub(super) fn hold_writer(&self) -> (std::sync::mpsc::Sender<()>, Answer<()>) {
        let (started_tx, started_rx) = std::sync::mpsc::channel();
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        let answer = self
            .enqueue(move |_conn: &Connection, _audit: &mut AuditChain| {
                let _ = started_tx.send(());
                let _ = release_rx.recv();
                Ok(())
            })
            .unwrap();
        started_rx.recv().unwrap();
        (release_tx, answer)
    }
}

/// The files of a store (database and WAL), for copying a crash image.
pub(super) fn store_files(data_dir: &Path) -> Vec<PathBuf> {
    let db = data_dir.join(super::FILE_NAME);
    vec![db.clone(), db.with_extension("sqlite-wal")]
}

/// Verifies a signed receipt as a student's tool would.
pub(super) fn verified(receipt: &SignedReceipt, proctor: &SigningKey) -> SignedReceipt {
    SignedReceipt::verify(receipt.as_bytes(), Some(&proctor.public_key())).unwrap()
}
