//! The room task: the only owner of exam state. It feeds the sans-IO room with messages, store
//! completions, control commands and timeouts, and carries out what the room asks.

use super::Inbound;
use super::conn;
use super::handle::{ExportRequest, Request, RoomHandle};
use super::setup::clock_path;
use super::status::RoomStatus;
use crate::control::{Command, ControlListener, Reply};
use phongthi_crypto::{ExamId, JournalSecret, Receipt, SessionId, SigningKey};
use phongthi_protocol::{Answer, ConnId, Effect, Incident, Room, ServerMsg, ServerTime};
use phongthi_question_bank::exam::Exam;
use phongthi_results::grading::grade;
use phongthi_store::admin::now_ms;
use phongthi_store::datadir::DataDir;
use phongthi_store::{AuditNote, NewIncident, NewSession, ScoreRecord, Store, Submission};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Semaphore, mpsc, watch};

/// How many packages are pushed at once across the room. A push holds its permit until the
/// client has acknowledged every byte (a few round trips on a fresh connection's small
/// congestion window), so the limit sets the storm's pace: with 64, 10,000 students waited
/// 27–33 s for their packages; with 1,024, 8–10 s when no packets were lost. Each queued push
/// already holds its package in memory, so the limit only bounds quinn's send buffers.
const PARALLEL_PACKAGE_PUSHES: usize = 1024;
/// How stale the room's next deadline may get (see the loop in `run`).
const DEADLINE_RECHECK: Duration = Duration::from_millis(250);

/// Completions of store work, reported back to the room.
enum Done {
    Session(String),
    EventStored(String, u64),
    EventFailed(String, u64),
    Submitted(String, Vec<u8>, String),
    SubmitFailed(String, String),
}

pub(crate) struct RoomTask {
    room: Room,
    store: Arc<Store>,
    identity: Arc<SigningKey>,
    exam: Arc<Exam>,
    exam_id: ExamId,
    data: DataDir,
    /// Sessions already stored, by student (a seat move re-registers an existing one).
    sessions: BTreeMap<String, SessionId>,
    conns: HashMap<ConnId, mpsc::Sender<ServerMsg>>,
}

fn server_now() -> ServerTime {
    ServerTime::from_millis(now_ms())
}

fn incident_kind(incident: &Incident) -> (String, u64, String) {
    match incident {
        Incident::Client { kind, duration, detail } => {
            (format!("{kind:?}"), u64::try_from(duration.as_millis()).unwrap_or(u64::MAX), detail.clone())
        }
        Incident::SeatMoveRequested => ("SeatMoveRequested".into(), 0, String::new()),
        Incident::Rejoined => ("Rejoined".into(), 0, "máy khởi động lại / the PC restarted".into()),
        Incident::LateAnswers { count } => {
            ("LateAnswers".into(), 0, format!("{count} câu trả lời đến sau hạn / answers arrived after the deadline"))
        }
        Incident::Disconnected => ("Disconnected".into(), 0, String::new()),
        Incident::IntegrityMismatch { build, refused } => {
            let outcome = if *refused {
                "từ chối đăng nhập (chế độ nghiêm ngặt) / login refused (strict mode)"
            } else {
                "vẫn cho vào thi (chế độ cảnh báo) / admitted (warn mode)"
            };
            let detail = format!(
                "bản máy khách không có trong danh sách được phép / client build not on the allowed list; \
                 {outcome}; tự khai / claims: {build:?}"
            );
            ("IntegrityMismatch".into(), 0, detail)
        }
        Incident::EventRefused(why) => ("EventRefused".into(), 0, why.clone()),
        Incident::SheetRefused(why) => ("SheetRefused".into(), 0, why.clone()),
        Incident::LoginRefused(why) => ("LoginRefused".into(), 0, why.clone()),
        Incident::StoreFailed => ("StoreFailed".into(), 0, "ghi đĩa thất bại / storing failed".into()),
    }
}

impl RoomTask {
    pub(crate) fn new(
        room: Room,
        store: Store,
        identity: SigningKey,
        exam: Exam,
        exam_id: ExamId,
        data: DataDir,
        sessions: BTreeMap<String, SessionId>,
    ) -> Self {
        Self {
            room,
            store: Arc::new(store),
            identity: Arc::new(identity),
            exam: Arc::new(exam),
            exam_id,
            data,
            sessions,
            conns: HashMap::new(),
        }
    }

    pub(crate) async fn run(
        mut self,
        endpoint: quinn::Endpoint,
        control: ControlListener,
        handle: RoomHandle,
        mut requests: mpsc::Receiver<Request>,
        mut shutdown: watch::Receiver<bool>,
    ) {
        let (inbound_tx, mut inbound_rx) = mpsc::channel::<Inbound>(8192);
        let (done_tx, mut done_rx) = mpsc::channel::<Done>(8192);
        let pushes = Arc::new(Semaphore::new(PARALLEL_PACKAGE_PUSHES));
        // `proctor ctl` goes through the same handle as the dashboard: one code path.
        // The listener task ends with the room task (its handle's sends then fail).
        let forwarder = tokio::spawn(async move {
            while let Ok((command, responder)) = control.next().await {
                let reply = match handle.command(command).await {
                    Ok(reply) => reply,
                    Err(e) => Reply { ok: false, message: e.to_string(), data: serde_json::Value::Null },
                };
                tokio::spawn(async move {
                    let _ = responder.send(&reply).await;
                });
            }
        });
        // Connections are accepted on their own task, not in the room's loop: a QUIC server does
        // not answer a client's first packet until the connection is accepted, so accepting at
        // the pace of the room's messages stretched a 10,000-PC login storm while handshakes
        // waited and clients resent. Each connection's task then reports to the room.
        let acceptor = {
            let (endpoint, inbound_tx, pushes) = (endpoint.clone(), inbound_tx.clone(), pushes.clone());
            tokio::spawn(async move {
                let mut next_conn = 1u64;
                while let Some(incoming) = endpoint.accept().await {
                    let id = ConnId(next_conn);
                    next_conn += 1;
                    tokio::spawn(conn::run(incoming, id, inbound_tx.clone(), pushes.clone()));
                }
            })
        };
        // The room's next deadline scans every seat; per message that was 40 million seat checks
        // a second at 10,000 students. It is recomputed a few times a second instead (and after
        // every proctor command), so a deadline is acted on at most that late; the grace period
        // after a deadline is seconds.
        let mut wake: Option<tokio::time::Instant> = None;
        let mut recheck_at = tokio::time::Instant::now();
        loop {
            if tokio::time::Instant::now() >= recheck_at {
                wake = self.room.poll_timeout().map(|t| {
                    let wait = t.as_millis().saturating_sub(now_ms());
                    tokio::time::Instant::now() + Duration::from_millis(wait)
                });
                recheck_at = tokio::time::Instant::now() + DEADLINE_RECHECK;
            }
            let sleep_to = wake.map_or(recheck_at, |w| w.min(recheck_at));
            tokio::select! {
                Some(inbound) = inbound_rx.recv() => self.inbound(inbound),
                Some(done) = done_rx.recv() => self.done(done),
                Some(request) = requests.recv() => {
                    self.request(request);
                    // A proctor command may start, pause, extend or end the exam.
                    recheck_at = tokio::time::Instant::now();
                }
                _ = tokio::time::sleep_until(sleep_to) => {
                    if wake.is_some_and(|w| tokio::time::Instant::now() >= w) {
                        self.room.handle_timeout(server_now());
                    }
                    recheck_at = tokio::time::Instant::now();
                }
                _ = shutdown.changed() => break,
            }
            self.pump(&done_tx);
        }
        forwarder.abort();
        acceptor.abort();
        endpoint.close(0u32.into(), b"proctor stopped");
        drop(self.conns);
        endpoint.wait_idle().await;
        // A clean stop waits for store work still in flight (incidents, audit, last answers) and
        // closes the store, so everything reported is on disk when `shutdown` returns.
        let mut store = self.store;
        for _ in 0..100 {
            match Arc::try_unwrap(store) {
                Ok(owned) => {
                    if let Err(e) = owned.close() {
                        tracing::error!("closing the store: {e}");
                    }
                    return;
                }
                Err(shared) => {
                    store = shared;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
        tracing::warn!("store work still running after 5 s; it finishes when the last task ends");
    }

    fn inbound(&mut self, inbound: Inbound) {
        let now = server_now();
        match inbound {
            Inbound::Connected(id, sender) => {
                self.conns.insert(id, sender);
                self.room.handle_connected(id);
            }
            Inbound::Message(id, msg) => self.room.handle_message(now, id, msg),
            Inbound::Garbage(id, why) => {
                self.record_incident(now, None, "Garbage".into(), 0, why);
                self.conns.remove(&id);
                self.room.handle_disconnected(now, id);
            }
            Inbound::Disconnected(id) => {
                self.conns.remove(&id);
                self.room.handle_disconnected(now, id);
            }
        }
    }

    fn done(&mut self, done: Done) {
        match done {
            Done::Session(student) => self.room.handle_session_stored(&student),
            Done::EventStored(student, seq) => self.room.handle_event_stored(&student, seq),
            Done::EventFailed(student, seq) => self.room.handle_event_store_failed(&student, seq),
            Done::Submitted(student, receipt, code) => self.room.handle_submitted(&student, receipt, code),
            Done::SubmitFailed(student, why) => {
                tracing::error!(student, "submission not stored: {why}");
                self.record_incident(server_now(), Some(student), "StoreFailed".into(), 0, why);
            }
        }
    }

    /// Delivers queued messages and performs queued effects.
    fn pump(&mut self, done: &mpsc::Sender<Done>) {
        loop {
            let mut moved = false;
            while let Some((conn, msg)) = self.room.poll_transmit() {
                moved = true;
                if let Some(sender) = self.conns.get(&conn)
                    && sender.try_send(msg).is_err()
                {
                    // A client that cannot keep up with a 256-message outbox is gone in practice;
                    // it reconnects and resends, which costs nothing durable.
                    self.conns.remove(&conn);
                }
            }
            while let Some(effect) = self.room.poll_effect() {
                moved = true;
                self.perform(effect, done);
            }
            if !moved {
                break;
            }
        }
    }

    fn record_incident(
        &self,
        now: ServerTime,
        student: Option<String>,
        kind: String,
        duration_ms: u64,
        detail: String,
    ) {
        let session = student.as_ref().and_then(|s| self.sessions.get(s)).copied();
        let incident = NewIncident { at_ms: now.as_millis(), session, student_id: student, kind, duration_ms, detail };
        let store = self.store.clone();
        tokio::spawn(async move {
            if let Err(e) = store.record_incident(incident).await {
                tracing::error!("incident not stored: {e}");
            }
        });
    }

    fn perform(&mut self, effect: Effect, done: &mpsc::Sender<Done>) {
        let store = self.store.clone();
        let done = done.clone();
        match effect {
            Effect::StoreSession { student, session, key, journal_secret, form_index } => {
                if self.sessions.contains_key(&student) {
                    // A seat move the proctor approved: the new PC's key joins the session, on
                    // disk before the student is admitted, so a restart keeps it.
                    tokio::spawn(async move {
                        match store.add_session_key(session, key, now_ms(), None).await {
                            Ok(()) => {
                                let _ = done.send(Done::Session(student)).await;
                            }
                            Err(e) => tracing::error!(student, "session key not stored: {e}"),
                        }
                    });
                    return;
                }
                self.sessions.insert(student.clone(), session);
                let new = NewSession {
                    id: session,
                    exam: self.exam_id,
                    student_id: student.clone(),
                    form_index,
                    session_key: key,
                    journal_secret: JournalSecret::from_bytes(journal_secret),
                    created_ms: now_ms(),
                };
                tokio::spawn(async move {
                    match store.create_session(new, None).await {
                        Ok(()) => {
                            let _ = done.send(Done::Session(student)).await;
                        }
                        Err(e) => tracing::error!(student, "session not stored: {e}"),
                    }
                });
            }
            Effect::StoreEvent { student, event, received, .. } => {
                let seq = event.event.seq;
                tokio::spawn(async move {
                    let outcome = store.append_event(event, received.as_millis()).await;
                    let report = match outcome {
                        Ok(_) => Done::EventStored(student, seq),
                        Err(e) => {
                            tracing::error!(student, seq, "answer not stored: {e}");
                            Done::EventFailed(student, seq)
                        }
                    };
                    let _ = done.send(report).await;
                });
            }
            Effect::Submit { student, sheet_bytes, sheet, answers } => {
                self.finish(student, sheet.session, sheet_bytes, answers, done);
            }
            Effect::Finalize { student, session, answers, reason } => {
                // Collected by the proctor from the durable log: the "sheet" is the answers as
                // stored, marked as proctor-collected, so the receipt names exactly them.
                let mut sheet = format!("phongthi/collected/v1/{reason:?}\0").into_bytes();
                sheet.extend(phongthi_protocol::encode_answers(&answers));
                self.finish(student, session, sheet, answers, done);
            }
            Effect::Incident { at, student, incident } => {
                if let Incident::IntegrityMismatch { build, refused } = &incident {
                    // The proctor's console says it too: strict mode turns a student away.
                    tracing::warn!(student = ?student, build = %build, refused, "unknown client build at login");
                }
                let (kind, duration, detail) = incident_kind(&incident);
                self.record_incident(at, student, kind, duration, detail);
            }
            Effect::Audit { at, action, detail } => {
                tokio::spawn(async move {
                    if let Err(e) = store.audit(AuditNote::new(at.as_millis(), "proctor", action, detail)).await {
                        tracing::error!("audit not stored: {e}");
                    }
                });
            }
            Effect::SaveClock(clock) => {
                let path = clock_path(&self.data, &self.exam_id);
                if let Ok(text) = serde_json::to_string(&clock) {
                    let tmp = path.with_extension("json.tmp");
                    let written = std::fs::write(&tmp, text)
                        .and_then(|_| std::fs::File::open(&tmp).and_then(|f| f.sync_all()))
                        .and_then(|_| std::fs::rename(&tmp, &path));
                    if let Err(e) = written {
                        tracing::error!("clock not saved: {e}");
                    }
                }
            }
            Effect::SaveExtension { session, extension, .. } => {
                let ms = u64::try_from(extension.as_millis()).unwrap_or(u64::MAX);
                tokio::spawn(async move {
                    if let Err(e) = store.set_extension(session, ms, now_ms(), None).await {
                        tracing::error!("extension not stored: {e}");
                    }
                });
            }
            Effect::Close(conn) => {
                // Dropping the sender lets the connection task send what is queued, then close.
                self.conns.remove(&conn);
            }
        }
    }

    /// Grades, signs a receipt and stores sheet + receipt + score in one transaction.
    fn finish(
        &self,
        student: String,
        session: SessionId,
        sheet: Vec<u8>,
        answers: Vec<(u32, Answer)>,
        done: mpsc::Sender<Done>,
    ) {
        let form = self.room.form_index(&student).and_then(|i| self.exam.forms().get(i as usize)).cloned();
        let Some(form) = form else {
            let _ = done.try_send(Done::SubmitFailed(student, "no form".into()));
            return;
        };
        let graded = match grade(&self.exam, &form, &answers) {
            Ok(graded) => graded,
            Err(e) => {
                let _ = done.try_send(Done::SubmitFailed(student, e.to_string()));
                return;
            }
        };
        let receipt = Receipt {
            exam: self.exam_id,
            session,
            student_id: student.clone(),
            sheet_hash: phongthi_crypto::sheet_hash(&sheet),
            received_ms: now_ms(),
        }
        .sign(&self.identity);
        let receipt = match receipt {
            Ok(receipt) => receipt,
            Err(e) => {
                let _ = done.try_send(Done::SubmitFailed(student, e.to_string()));
                return;
            }
        };
        let per_question: Vec<String> = graded.per_question.iter().map(ToString::to_string).collect();
        let score = ScoreRecord {
            raw_milli: graded.raw.milli(),
            max_milli: graded.max.milli(),
            scaled_milli: graded.scaled.milli(),
            per_question_json: serde_json::to_string(&per_question).unwrap_or_default(),
            scored_ms: now_ms(),
        };
        let store = self.store.clone();
        tokio::spawn(async move {
            let code = receipt.short_code().to_string();
            let bytes = receipt.as_bytes().to_vec();
            match store.record_submission(Submission { sheet, receipt, score }).await {
                Ok(_) => {
                    let _ = done.send(Done::Submitted(student, bytes, code)).await;
                }
                Err(e) => {
                    let _ = done.send(Done::SubmitFailed(student, e.to_string())).await;
                }
            }
        });
    }

    fn command(&mut self, command: Command) -> Reply {
        let now = server_now();
        let minutes = |m: u32| Duration::from_secs(u64::from(m) * 60);
        let result = match &command {
            Command::Start => self.room.start(now),
            Command::Pause => self.room.pause(now),
            Command::Resume => self.room.resume(now),
            Command::End => self.room.end(now),
            Command::Extend { minutes: m, student: None } => self.room.extend_room(now, minutes(*m)),
            Command::Extend { minutes: m, student: Some(s) } => self.room.extend_student(now, s, minutes(*m)),
            Command::ApproveMove { student } => self.room.approve_move(now, student),
            Command::ApproveMoves { room } => return self.approve_moves(now, room.as_deref()),
            Command::DenyMove { student } => self.room.deny_move(now, student),
            Command::ForceSubmit { student } => self.room.force_submit(now, student),
            Command::Status => Ok(()),
        };
        match result {
            Err(e) => Reply { ok: false, message: e.to_string(), data: serde_json::Value::Null },
            Ok(()) => Reply { ok: true, message: "đã thực hiện / done".into(), data: self.status(now) },
        }
    }

    fn approve_moves(&mut self, now: ServerTime, room: Option<&str>) -> Reply {
        let code = self.room.room_code().to_owned();
        if let Some(room) = room
            && !room.trim().eq_ignore_ascii_case(&code)
        {
            let message = format!(
                "máy chủ này mở phòng {code}, không phải {room}; không duyệt gì / this server serves room {code}, not {room}; nothing approved"
            );
            return Reply { ok: false, message, data: serde_json::Value::Null };
        }
        let approved = self.room.approve_all_moves(now);
        let message = format!(
            "đã cho {0} học sinh làm tiếp trên máy mới / let {0} students continue on their new PCs",
            approved.len()
        );
        Reply { ok: true, message, data: self.status(now) }
    }

    fn status(&self, now: ServerTime) -> serde_json::Value {
        let alarm = self.store.alarm().map(|a| format!("{a:?}"));
        let status = RoomStatus::of_room(&self.room, self.exam_id.to_hex(), self.exam.title().to_owned(), now, alarm);
        serde_json::to_value(status).unwrap_or_default()
    }

    fn request(&mut self, request: Request) {
        match request {
            Request::Control(command, reply) => {
                let _ = reply.send(self.command(command));
            }
            Request::Export(export, reply) => self.export(export, reply),
            Request::Mark(mark, reply) => {
                let store = self.store.clone();
                let exam = self.exam_id;
                tokio::spawn(async move {
                    let _ = reply.send(phongthi_results::marking::record_mark(&store, &exam, mark, now_ms()).await);
                });
            }
        }
    }

    /// Exports off the room task: reading every score and writing files must not hold up answers.
    fn export(
        &self,
        request: ExportRequest,
        reply: tokio::sync::oneshot::Sender<
            Result<phongthi_results::export::ExportReport, phongthi_results::export::ExportError>,
        >,
    ) {
        let store = self.store.clone();
        let identity = self.identity.clone();
        let exam = self.exam_id;
        tokio::task::spawn_blocking(move || {
            let result = store.reader().map_err(phongthi_results::export::ExportError::from).and_then(|reader| {
                phongthi_results::export::export_exam(
                    &reader,
                    &identity,
                    &exam,
                    request.format,
                    request.decimal,
                    &request.out_dir,
                    now_ms(),
                )
            });
            let _ = reply.send(result);
        });
    }
}
