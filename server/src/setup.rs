//! Starting the server: load the exam, roster and stored sessions, rebuild the room (so a
//! restart after `kill -9` continues the exam), bind QUIC and the control channel.

use super::handle::RoomHandle;
use super::room_task::RoomTask;
use crate::control::ControlListener;
use crate::presented::present;
use crate::seating::assign_forms;
use phongthi_crypto::{ContentKey, ExamId, Passphrase, PublicKey};
use phongthi_net::{Fingerprint, LabConfig};
use phongthi_protocol::{
    AllowedBuild, Answer, ExamClock, FormRelease, InputMethod, IntegrityPolicy, Room, RoomConfig, RosterEntry,
    SessionRestore, WireSecret,
};
use phongthi_question_bank::exam::Exam;
use phongthi_store::admin::{AdminError, now_ms, open_store_with};
use phongthi_store::datadir::DataDir;
use phongthi_store::{AuditNote, StoreOptions};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// How to serve.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// Where to listen (port 0: any free port).
    pub listen: SocketAddr,
    /// Which exam (default: the one added last).
    pub exam: Option<ExamId>,
    /// Write a `lab.toml` here.
    pub lab_config_out: Option<PathBuf>,
    /// Refuse client builds not on the allow-list (default: admit them and report them).
    pub strict_integrity: bool,
    /// Client builds accepted by this run only, besides those stored in the data directory
    /// (`proctor allow-build`). Kept in memory: nothing is written for them but the audit entry.
    pub extra_builds: Vec<AllowedBuild>,
    /// Grace period for in-flight answers after a deadline.
    pub grace: Duration,
    /// How long the room waits, after a deadline, for a PC that was away with answers in its
    /// journal (`RoomConfig::late_window`).
    pub late_window: Duration,
    /// Address written into `lab.toml` when listening on all interfaces.
    pub advertise: Option<SocketAddr>,
    /// The answer store's writer options (a size limit for the disk-full drill).
    pub store: StoreOptions,
    /// The input method students type with until they choose one on the exam screen.
    pub typing: InputMethod,
}

/// The late window `serve` uses unless told: long enough for a lab's PCs to boot again after a
/// power cut (old PCs take minutes), short enough that results are not held up for long.
pub const DEFAULT_LATE_WINDOW: Duration = Duration::from_secs(15 * 60);

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([0, 0, 0, 0], 4433)),
            exam: None,
            lab_config_out: None,
            strict_integrity: false,
            extra_builds: Vec::new(),
            grace: Duration::from_secs(10),
            late_window: DEFAULT_LATE_WINDOW,
            advertise: None,
            store: StoreOptions::default(),
            typing: InputMethod::Telex,
        }
    }
}

/// Why the server did not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// Set-up (data dir, store).
    #[error(transparent)]
    Admin(#[from] AdminError),
    /// No exam was added.
    #[error("chưa có đề thi; chạy `proctor exam add` / no exam yet; run `proctor exam add`")]
    NoExam,
    /// The chosen exam does not exist.
    #[error("không có kỳ thi {0} / no exam {0}")]
    UnknownExam(String),
    /// No roster.
    #[error("chưa có danh sách học sinh; chạy `proctor roster import` / no roster yet; run `proctor roster import`")]
    NoRoster,
    /// Strict integrity with nothing to compare with would refuse every student.
    #[error(
        "chế độ kiểm tra nghiêm ngặt cần ít nhất một bản máy khách được phép: chạy `proctor allow-build GIÁ_TRỊ --name TÊN` \
         (giá trị in bởi `exam-client --print-integrity`) / strict integrity needs at least one allowed client build: \
         run `proctor allow-build VALUE --name NAME` (the value `exam-client --print-integrity` prints)"
    )]
    StrictWithoutBuilds,
    /// The stored exam does not parse or present.
    #[error("đề thi đã lưu không dùng được / the stored exam cannot be used: {0}")]
    Exam(String),
    /// Network.
    #[error(transparent)]
    Net(#[from] phongthi_net::NetError),
    /// The control channel.
    #[error(transparent)]
    Control(#[from] crate::control::ControlError),
    /// Files in the data directory.
    #[error("lỗi tệp / file error: {0}")]
    Io(#[from] std::io::Error),
    /// Keys.
    #[error(transparent)]
    Crypto(#[from] phongthi_crypto::Error),
    /// Lab config.
    #[error(transparent)]
    Lab(#[from] phongthi_net::LabConfigError),
}

impl From<phongthi_store::StoreError> for ServeError {
    fn from(e: phongthi_store::StoreError) -> Self {
        ServeError::Admin(AdminError::Store(e))
    }
}

/// A running server.
pub struct Serving {
    /// The bound address.
    pub addr: SocketAddr,
    /// The UDP receive buffer the kernel granted (short: say how to raise it).
    pub receive_buffer: phongthi_net::BufferGrant,
    /// The pinned certificate's fingerprint.
    pub fingerprint: Fingerprint,
    /// The identity that signs packages and receipts.
    pub proctor_key: PublicKey,
    /// The room code students type.
    pub room_code: String,
    /// The exam.
    pub exam_id: ExamId,
    /// Its title.
    pub exam_title: String,
    /// Everything a lab PC needs.
    pub lab: LabConfig,
    /// The client-build check this run applies (stored builds and this run's extras).
    pub integrity: IntegrityPolicy,
    handle: RoomHandle,
    shutdown: watch::Sender<bool>,
    join: tokio::task::JoinHandle<()>,
}

impl Serving {
    /// The typed way into the room (the dashboard's, and the control channel's).
    pub fn handle(&self) -> RoomHandle {
        self.handle.clone()
    }

    /// Stops accepting, lets the store finish, and returns when everything is closed.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        let _ = self.join.await;
    }

    /// Waits until the server stops by itself (it does not, short of a shutdown).
    pub async fn wait(self) {
        let _ = self.join.await;
    }
}

fn room_code(data: &DataDir, exam: &ExamId) -> std::io::Result<String> {
    let path = data.path().join(format!("room-{exam}.code"));
    if let Ok(code) = std::fs::read_to_string(&path) {
        return Ok(code.trim().to_owned());
    }
    // Six characters from an alphabet without look-alikes, from 128 random bits.
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTVWXYZ23456789";
    let random = phongthi_crypto::SessionId::generate().map_err(std::io::Error::other)?;
    let code: String =
        random.as_bytes()[..6].iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect();
    std::fs::write(&path, &code)?;
    Ok(code)
}

/// The clock file of an exam (written atomically by the room task).
pub(crate) fn clock_path(data: &DataDir, exam: &ExamId) -> PathBuf {
    data.path().join(format!("clock-{exam}.json"))
}

/// Binds the QUIC endpoint, retrying for up to two seconds while the port is still held: a
/// proctor restarted right after it stopped (or was killed) may find its old socket not yet
/// released, and failing there would keep every student offline.
async fn bind(
    listen: SocketAddr,
    cert: &phongthi_net::ProctorCert,
) -> Result<phongthi_net::ServerEndpoint, ServeError> {
    let mut attempts = 0;
    loop {
        match phongthi_net::server_endpoint(listen, cert) {
            Err(phongthi_net::NetError::Bind { source, .. })
                if source.kind() == std::io::ErrorKind::AddrInUse && listen.port() != 0 && attempts < 40 =>
            {
                attempts += 1;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            other => return Ok(other?),
        }
    }
}

/// The stored builds, then this run's extras (a value already stored keeps its stored name);
/// strict mode with none at all is refused before anything listens.
fn integrity_policy(reader: &phongthi_store::Reader, options: &ServeOptions) -> Result<IntegrityPolicy, ServeError> {
    let mut allowed: Vec<AllowedBuild> =
        reader.allowed_builds()?.into_iter().map(|b| AllowedBuild { digest: b.digest, name: b.name }).collect();
    for extra in &options.extra_builds {
        if !allowed.iter().any(|b| b.digest == extra.digest) {
            allowed.push(extra.clone());
        }
    }
    if options.strict_integrity && allowed.is_empty() {
        return Err(ServeError::StrictWithoutBuilds);
    }
    Ok(IntegrityPolicy { strict: options.strict_integrity, allowed })
}

/// Starts serving the exam on the network.
pub async fn serve(
    data: DataDir,
    passphrase: Option<Passphrase>,
    options: ServeOptions,
) -> Result<Serving, ServeError> {
    let (store, identity) = open_store_with(&data, passphrase.as_ref(), options.store)?;
    let cert = data.certificate().map_err(AdminError::from)?;
    let reader = store.reader()?;
    let exams = reader.exams()?;
    let record = match options.exam {
        Some(id) => exams.into_iter().find(|e| e.id == id).ok_or_else(|| ServeError::UnknownExam(id.to_hex()))?,
        None => exams.into_iter().max_by_key(|e| e.added_ms).ok_or(ServeError::NoExam)?,
    };
    let exam: Exam = serde_json::from_str(&record.exam_json).map_err(|e| ServeError::Exam(e.to_string()))?;
    let content_key = ContentKey::unwrap(&record.sealed_content_key, &identity, &record.id)?;

    // Forms: what students see, sealed once; keys released at Start.
    let mut forms = Vec::new();
    for (index, form) in exam.forms().iter().enumerate() {
        let presented = present(&exam, form).map_err(|e| ServeError::Exam(e.to_string()))?;
        let index = u32::try_from(index).unwrap_or(u32::MAX);
        let key = content_key.form_key(&record.id, index);
        let bytes = presented.encode().map_err(|e| ServeError::Exam(e.to_string()))?;
        let package = phongthi_crypto::seal_package(&identity, &key, record.id, index, &bytes)?;
        forms.push(FormRelease {
            code: form.code.to_string(),
            package: Arc::new(package),
            key: WireSecret(*key.expose_secret()),
            question_count: u32::try_from(form.questions.len()).unwrap_or(u32::MAX),
        });
    }

    let students = reader.students()?;
    if students.is_empty() {
        return Err(ServeError::NoRoster);
    }
    let seats: Vec<Option<&str>> = students.iter().map(|s| s.seat.as_deref()).collect();
    let assigned = assign_forms(&seats, u32::try_from(forms.len()).unwrap_or(1));
    let roster: Vec<RosterEntry> = students
        .iter()
        .zip(assigned)
        .map(|(s, form_index)| RosterEntry {
            student_id: s.student_id.clone(),
            full_name: s.full_name.clone(),
            class: s.class.clone(),
            seat: s.seat.clone(),
            pin_hash: s.pin_hash.as_deref().and_then(|h| <[u8; 32]>::try_from(h).ok()),
            form_index,
        })
        .collect();

    let integrity = integrity_policy(&reader, &options)?;
    let code = room_code(&data, &record.id)?;
    let config = RoomConfig {
        exam: record.id,
        exam_title: exam.title().to_owned(),
        rules: "Không sử dụng tài liệu. Không rời khỏi cửa sổ bài thi. Bài được lưu tự động sau mỗi thay đổi.".into(),
        typing: options.typing,
        duration: Duration::from_millis(record.duration_ms),
        grace: options.grace,
        late_window: options.late_window,
        room_code: code.clone(),
        integrity: integrity.clone(),
        max_login_failures: 5,
    };
    let mut room = Room::new(config, roster, forms);

    // A restart continues the exam: the clock, every session and its stored answers.
    if let Ok(text) = std::fs::read_to_string(clock_path(&data, &record.id))
        && let Ok(clock) = serde_json::from_str::<ExamClock>(&text)
    {
        room.restore_clock(clock);
    }
    let mut sessions = BTreeMap::new();
    for progress in reader.sessions_of_exam(&record.id)? {
        let session = progress.session;
        let mut events = reader.events(&session.id)?;
        // Only the gap-free prefix of the chain counts. Store calls run on their own tasks, so
        // when a full disk fails one batch and a later one fits, the store can hold events past
        // a hole (the client still holds the missing ones and resends them). Resuming the chain
        // from every stored event would count those as a prefix and readmit the client with
        // "saved up to" past the hole: acknowledging answers that are not on disk.
        events.truncate(gap_free_prefix(&events));
        let mut answers: BTreeMap<u32, Answer> = BTreeMap::new();
        for event in &events {
            match Answer::decode(&event.event.response) {
                Ok(Answer::Cleared) => {
                    answers.remove(&event.event.item);
                }
                Ok(answer) => {
                    answers.insert(event.event.item, answer);
                }
                Err(_) => {}
            }
        }
        let receipt = reader
            .receipt_of_session(&session.id)?
            .map(|r| (r.receipt.as_bytes().to_vec(), r.receipt.short_code().to_string()));
        let restore = SessionRestore {
            session: session.id,
            keys: reader.session_keys(&session.id)?,
            journal_secret: *session.journal_secret.expose_secret(),
            hashes: events.iter().map(|e| e.event.hash()).collect(),
            answers: answers.into_iter().collect(),
            extension: Duration::from_millis(session.extension_ms),
            receipt,
        };
        if room.restore_session(&session.student_id, restore).is_ok() {
            sessions.insert(session.student_id.clone(), session.id);
        }
    }

    let phongthi_net::ServerEndpoint { endpoint, addr, receive_buffer } = bind(options.listen, &cert).await?;
    let control = ControlListener::bind(data.path()).await?;
    let advertised = match options.advertise {
        Some(a) => a,
        None if addr.ip().is_unspecified() => SocketAddr::from(([127, 0, 0, 1], addr.port())),
        None => addr,
    };
    let lab = LabConfig {
        address: advertised,
        fingerprint: cert.fingerprint(),
        proctor_key: identity.public_key(),
        exam_title: exam.title().to_owned(),
    };
    if let Some(path) = &options.lab_config_out {
        lab.save(path)?;
    }
    if !integrity.allowed.is_empty() {
        // What this run checks against, extras included, so a per-run allowance leaves a trace.
        let builds: Vec<String> = integrity.allowed.iter().map(|b| format!("{} {}", b.digest, b.name)).collect();
        let mode = if integrity.strict { "strict" } else { "warn" };
        let note = AuditNote::new(now_ms(), "proctor", "serve.integrity", format!("{mode}: {}", builds.join("; ")));
        store.audit(note).await?;
    }
    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let serving_key = identity.public_key();
    // Requests are small and answered at once; 64 in flight is more than a proctor can click.
    let (requests_tx, requests_rx) = tokio::sync::mpsc::channel(64);
    let handle = RoomHandle::new(requests_tx, store.path().to_path_buf(), store.exam_key(), record.id, lab.address);
    let task = RoomTask::new(room, store, identity, exam, record.id, data.clone(), sessions);
    let join = tokio::spawn(task.run(endpoint, control, handle.clone(), requests_rx, shutdown_rx));
    Ok(Serving {
        addr,
        receive_buffer,
        fingerprint: cert.fingerprint(),
        proctor_key: serving_key,
        room_code: code,
        exam_id: record.id,
        exam_title: lab.exam_title.clone(),
        lab,
        integrity,
        handle,
        shutdown: shutdown_tx,
        join,
    })
}

/// How many of `events` (in seq order) form the chain's gap-free prefix `0, 1, 2, …`.
fn gap_free_prefix(events: &[phongthi_crypto::SignedEvent]) -> usize {
    events.iter().enumerate().take_while(|(i, e)| e.event.seq == *i as u64).count()
}

#[cfg(test)]
mod prefix_tests {
    use phongthi_crypto::{ChainWriter, SessionId, SigningKey};

    #[test]
    fn events_past_a_hole_are_not_part_of_the_resumed_chain() {
        let key = SigningKey::generate().unwrap();
        let mut chain = ChainWriter::new(SessionId::generate().unwrap());
        let events: Vec<_> = (0..6).map(|i| chain.next(&key, 1, vec![i], 0).unwrap()).collect();
        assert_eq!(super::gap_free_prefix(&events), 6);
        // Stored: 0, 1, 2, then 5 (3 and 4 failed with a full disk while 5 fitted).
        let holed = vec![events[0].clone(), events[1].clone(), events[2].clone(), events[5].clone()];
        assert_eq!(super::gap_free_prefix(&holed), 3);
        assert_eq!(super::gap_free_prefix(&events[1..]), 0);
    }
}
