//! The `Pair` harness: one proctor room and several clients, frames moved in memory through the
//! real encoders, a fake clock, and an in-memory "proctor" that performs the room's effects the
//! way the real one does (store, grade, sign receipts). Tests advance time explicitly.

use phongthi_crypto::{
    BuildDigest, ContentKey, Digest, ExamId, JournalSecret, Receipt, SessionId, SignedEvent, SignedReceipt, SigningKey,
    journal,
};
use phongthi_protocol::*;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

pub(crate) const START: u64 = 1_790_000_000_000;
pub(crate) const ROOM_CODE: &str = "K7Q2";

/// What the fake proctor keeps "on disk".
#[derive(Default)]
pub(crate) struct Disk {
    pub(crate) sessions: HashMap<String, (SessionId, Vec<phongthi_crypto::PublicKey>, [u8; 32])>,
    pub(crate) events: BTreeMap<(String, u64), SignedEvent>,
    pub(crate) receipts: HashMap<String, SignedReceipt>,
    pub(crate) finalized: HashMap<String, (FinalizeReason, Vec<(u32, Answer)>)>,
    pub(crate) submitted_answers: HashMap<String, Vec<(u32, Answer)>>,
    pub(crate) incidents: Vec<(Option<String>, Incident)>,
    pub(crate) audit: Vec<String>,
    pub(crate) extensions: HashMap<String, Duration>,
    pub(crate) clock: Option<ExamClock>,
}

pub(crate) struct Client {
    pub(crate) session: ClientSession,
    pub(crate) conn: Option<ConnId>,
    pub(crate) events: Vec<ClientEvent>,
    /// The encrypted journal: run header and records, as the client would keep them on disk.
    pub(crate) journal: Option<(journal::JournalWriter, Vec<Vec<u8>>)>,
    /// The run's seat proof (header and sealed seat record), as a restarted client reads it.
    pub(crate) seat_proof: Option<Vec<u8>>,
    pub(crate) skew_ms: i64,
}

pub(crate) struct Pair {
    pub(crate) now: u64,
    pub(crate) room: Room,
    pub(crate) clients: Vec<Client>,
    pub(crate) disk: Disk,
    pub(crate) proctor: SigningKey,
    pub(crate) exam: ExamId,
    pub(crate) forms: Vec<(FormRelease, PresentedForm)>,
    next_conn: u64,
    /// Events waiting for the next `flush` (a group commit).
    pub(crate) queued: Vec<(String, u64)>,
    /// When set, acks from the room are dropped on the way (lost packets).
    pub(crate) drop_acks: bool,
    /// When set, storing fails (a full disk).
    pub(crate) disk_full: bool,
    /// The room's default input method, kept for [`Pair::restart_proctor`].
    pub(crate) typing: InputMethod,
    /// The "executable" clients added from now on answer integrity challenges with.
    pub(crate) client_binary: Vec<u8>,
    /// Connections a test drives by hand (no `ClientSession`), with what the room sent them.
    pub(crate) by_hand: HashMap<ConnId, Vec<ServerMsg>>,
}

/// The bytes the test clients' build stands on unless a test changes them.
pub(crate) const GENUINE_BINARY: &[u8] = b"\x7fELF exam-client 0.3.0, the build the proctor allowed";

pub(crate) fn form(code: &str, n: u32) -> PresentedForm {
    let questions = (1..=n)
        .map(|number| PresentedQuestion {
            number,
            points_milli: 1000,
            format: "moodle".into(),
            stem: format!("Câu {number} (mã đề {code}): Cho $A = \\{{1; 2\\}}$. Khẳng định nào đúng?"),
            stem_tail: None,
            body: PresentedBody::SingleChoice { options: vec!["$1 \\in A$".into(), "$3 \\in A$".into()] },
        })
        .collect();
    PresentedForm {
        exam_title: "Kiểm tra giữa kỳ I — Toán 10".into(),
        form_code: code.into(),
        parts: vec![PresentedPart { name: "Phần I".into(), questions }],
        images: Vec::new(),
    }
}

pub(crate) fn roster(pins: bool) -> Vec<RosterEntry> {
    ["Nguyễn Văn An", "Trần Thị Bích Ngọc", "Lê Hoàng Phúc", "Phạm Minh Châu"]
        .iter()
        .enumerate()
        .map(|(i, name)| RosterEntry {
            student_id: format!("01234567{}", 89 + i),
            full_name: (*name).into(),
            class: "10A1".into(),
            seat: Some(format!("A{}", i + 1)),
            pin_hash: pins.then(|| pin_hash(&format!("01234567{}", 89 + i), &format!("20{i:02}"))),
            form_index: (i % 2) as u32,
        })
        .collect()
}

pub(crate) fn sid(i: usize) -> String {
    format!("01234567{}", 89 + i)
}

impl Pair {
    pub(crate) fn new() -> Self {
        Self::with(roster(false), IntegrityPolicy::default())
    }

    pub(crate) fn with(roster: Vec<RosterEntry>, integrity: IntegrityPolicy) -> Self {
        Self::with_typing(roster, integrity, InputMethod::default())
    }

    /// A room whose default input method is `typing` (`proctor serve --typing`).
    pub(crate) fn with_typing(roster: Vec<RosterEntry>, integrity: IntegrityPolicy, typing: InputMethod) -> Self {
        let proctor = SigningKey::generate().unwrap();
        let exam = ExamId::generate().unwrap();
        let k = ContentKey::generate().unwrap();
        let forms: Vec<(FormRelease, PresentedForm)> = ["101", "102"]
            .iter()
            .enumerate()
            .map(|(i, code)| {
                let presented = form(code, 5);
                let key = k.form_key(&exam, i as u32);
                let package =
                    phongthi_crypto::seal_package(&proctor, &key, exam, i as u32, &presented.encode().unwrap())
                        .unwrap();
                let release = FormRelease {
                    code: (*code).into(),
                    package: Arc::new(package),
                    key: WireSecret(*key.expose_secret()),
                    question_count: 5,
                };
                (release, presented)
            })
            .collect();
        let config = RoomConfig {
            exam,
            exam_title: "Kiểm tra giữa kỳ I — Toán 10".into(),
            rules: "Không sử dụng tài liệu.".into(),
            typing,
            duration: Duration::from_secs(45 * 60),
            grace: Duration::from_secs(10),
            room_code: ROOM_CODE.into(),
            integrity,
            max_login_failures: 5,
            late_window: Duration::from_secs(15 * 60),
        };
        let room = Room::new(config, roster, forms.iter().map(|(r, _)| r.clone()).collect());
        Self {
            now: 0,
            room,
            clients: Vec::new(),
            disk: Disk::default(),
            proctor,
            exam,
            forms,
            next_conn: 1,
            queued: Vec::new(),
            drop_acks: false,
            disk_full: false,
            typing,
            client_binary: GENUINE_BINARY.to_vec(),
            by_hand: HashMap::new(),
        }
    }

    /// A room with one student (roster index 0) logged in and the exam started.
    pub(crate) fn started_with_one() -> (Self, usize) {
        let mut p = Self::new();
        let a = p.login(0);
        let now = p.server_now();
        p.room.start(now).unwrap();
        p.run();
        (p, a)
    }

    pub(crate) fn server_now(&self) -> ServerTime {
        ServerTime::from_millis(START + self.now)
    }

    pub(crate) fn local_now(&self, client: usize) -> LocalTime {
        // Each PC's monotonic clock started at its own boot: a base plus a skew, never clamped.
        LocalTime((10_000_000 + self.now as i64 + self.clients[client].skew_ms) as u64)
    }

    /// Adds a client for `student` (index into the roster) with `pin`, not yet connected.
    pub(crate) fn add_client(&mut self, student: usize, room_code: &str, pin: Option<&str>) -> usize {
        let config = ClientConfig {
            build: "exam-client 0.1.0".into(),
            build_digest: BuildDigest::of_bytes(&self.client_binary),
            proctor_key: self.proctor.public_key(),
            student_id: sid(student),
            room_code: room_code.into(),
            pin: pin.map(str::to_owned),
            heartbeat: Duration::from_secs(5),
            resend_after: Duration::from_secs(10),
        };
        let skew_ms = (student as i64 - 1) * 37_000; // clocks disagree; the proctor's counts
        self.clients.push(Client {
            session: ClientSession::new(config).unwrap(),
            conn: None,
            events: Vec::new(),
            journal: None,
            seat_proof: None,
            skew_ms,
        });
        self.clients.len() - 1
    }

    pub(crate) fn connect(&mut self, client: usize) {
        let conn = ConnId(self.next_conn);
        self.next_conn += 1;
        self.room.handle_connected(conn);
        self.clients[client].conn = Some(conn);
        let now = self.local_now(client);
        self.clients[client].session.handle_connected(now);
        self.run();
    }

    pub(crate) fn disconnect(&mut self, client: usize) {
        if let Some(conn) = self.clients[client].conn.take() {
            let now = self.server_now();
            self.room.handle_disconnected(now, conn);
            self.clients[client].session.handle_disconnected();
        }
        self.run();
    }

    pub(crate) fn login(&mut self, student: usize) -> usize {
        let c = self.add_client(student, ROOM_CODE, None);
        self.connect(c);
        c
    }

    pub(crate) fn advance(&mut self, by: Duration) {
        self.now += by.as_millis() as u64;
        let now = self.server_now();
        if self.room.poll_timeout().is_some_and(|t| t <= now) {
            self.room.handle_timeout(now);
        }
        for c in 0..self.clients.len() {
            let local = self.local_now(c);
            if self.clients[c].session.poll_timeout().is_some_and(|t| t <= local) {
                self.clients[c].session.handle_timeout(local);
            }
        }
        self.run();
    }

    pub(crate) fn try_answer(&mut self, client: usize, number: u32, answer: Answer) -> Result<(), ActionError> {
        let now = self.local_now(client);
        let result = self.clients[client].session.answer(now, number, answer);
        self.run();
        result
    }

    /// Reads a client's journal back as a restarted client would: run header + sealed records.
    pub(crate) fn read_journal(&self, client: usize, secret: &JournalSecret) -> Vec<SignedEvent> {
        let (writer, records) = self.clients[client].journal.as_ref().expect("a journal");
        let reader = journal::JournalReader::new(secret, writer.header()).unwrap();
        records.iter().map(|r| SignedEvent::decode(&reader.open(r).unwrap().1).unwrap()).collect()
    }

    pub(crate) fn answer(&mut self, client: usize, number: u32, answer: Answer) {
        let now = self.local_now(client);
        self.clients[client].session.answer(now, number, answer).unwrap();
        self.run();
    }

    /// Group commit: everything queued becomes durable, in order.
    pub(crate) fn flush(&mut self) {
        let queued = std::mem::take(&mut self.queued);
        for (student, seq) in queued {
            self.room.handle_event_stored(&student, seq);
        }
        self.run();
    }

    /// Group commit whose completion reports arrive newest first (each store call finishes on
    /// its own task in the real proctor, so their order is not the chain's).
    pub(crate) fn flush_reversed(&mut self) {
        let queued = std::mem::take(&mut self.queued);
        for (student, seq) in queued.into_iter().rev() {
            self.room.handle_event_stored(&student, seq);
        }
        self.run();
    }

    /// Moves every message and effect until nothing moves (events are stored on `flush`).
    pub(crate) fn run(&mut self) {
        loop {
            let mut moved = self.deliver_to_clients();
            for c in 0..self.clients.len() {
                while let Some(msg) = self.clients[c].session.poll_transmit() {
                    moved = true;
                    let Some(conn) = self.clients[c].conn else { continue };
                    let msg: ClientMsg = decode(&encode(&msg).unwrap()).unwrap();
                    let now = self.server_now();
                    self.room.handle_message(now, conn, msg);
                }
                while let Some(event) = self.clients[c].session.poll_event() {
                    moved = true;
                    self.client_event(c, event);
                }
            }
            while let Some(effect) = self.room.poll_effect() {
                moved = true;
                self.perform(effect);
            }
            if !moved {
                break;
            }
        }
    }

    /// Delivers what the room has queued, through the real frame and message encoders.
    fn deliver_to_clients(&mut self) -> bool {
        let mut moved = false;
        while let Some((conn, msg)) = self.room.poll_transmit() {
            moved = true;
            if self.drop_acks && matches!(msg, ServerMsg::Acked { .. }) {
                continue;
            }
            let bytes = encode_frame(&encode(&msg).unwrap()).unwrap();
            let Some(c) = self.clients.iter().position(|c| c.conn == Some(conn)) else {
                if let Some(inbox) = self.by_hand.get_mut(&conn) {
                    inbox.push(decode(&bytes[4..]).unwrap());
                }
                continue;
            };
            let mut decoder = FrameDecoder::default();
            decoder.push(&bytes);
            let msg: ServerMsg = decode(&decoder.next_frame().unwrap().unwrap()).unwrap();
            let now = self.local_now(c);
            self.clients[c].session.handle_message(now, msg);
        }
        moved
    }

    fn client_event(&mut self, c: usize, event: ClientEvent) {
        match &event {
            ClientEvent::Admitted(admission) if self.clients[c].journal.is_none() => {
                let secret = JournalSecret::from_bytes(admission.journal_secret.0);
                let mut writer = journal::JournalWriter::start(&secret).unwrap();
                let seat = writer.seal_seat(&SessionId::from_bytes(admission.session_id)).unwrap();
                self.clients[c].seat_proof = Some(journal::seat_proof(writer.header(), &seat));
                self.clients[c].journal = Some((writer, Vec::new()));
            }
            ClientEvent::Journal(signed) => {
                if let Some((writer, records)) = self.clients[c].journal.as_mut() {
                    records.push(writer.seal(&signed.encode()).unwrap());
                }
            }
            _ => {}
        }
        self.clients[c].events.push(event);
    }

    fn receipt(&self, student: &str, session: SessionId, sheet: &[u8]) -> SignedReceipt {
        Receipt {
            exam: self.exam,
            session,
            student_id: student.into(),
            sheet_hash: phongthi_crypto::sheet_hash(sheet),
            received_ms: START + self.now,
        }
        .sign(&self.proctor)
        .unwrap()
    }

    fn perform(&mut self, effect: Effect) {
        match effect {
            Effect::StoreSession { student, session, key, journal_secret, .. } => {
                let entry = self.disk.sessions.entry(student.clone()).or_insert((session, Vec::new(), journal_secret));
                entry.1.push(key);
                self.room.handle_session_stored(&student);
            }
            Effect::StoreEvent { student, event, .. } => {
                let seq = event.event.seq;
                if self.disk_full {
                    self.room.handle_event_store_failed(&student, seq);
                    return;
                }
                assert!(!self.disk.events.contains_key(&(student.clone(), seq)), "an event is stored once");
                self.disk.events.insert((student.clone(), seq), event);
                self.queued.push((student, seq));
            }
            Effect::Submit { student, sheet_bytes, sheet, answers } => {
                let receipt = self.receipt(&student, sheet.session, &sheet_bytes);
                self.disk.submitted_answers.insert(student.clone(), answers);
                let code = receipt.short_code().to_string();
                self.disk.receipts.insert(student.clone(), receipt.clone());
                self.room.handle_submitted(&student, receipt.as_bytes().to_vec(), code);
            }
            Effect::Finalize { student, session, answers, reason } => {
                let receipt = self.receipt(&student, session, b"proctor-collected");
                self.disk.finalized.insert(student.clone(), (reason, answers));
                let code = receipt.short_code().to_string();
                self.disk.receipts.insert(student.clone(), receipt.clone());
                self.room.handle_submitted(&student, receipt.as_bytes().to_vec(), code);
            }
            Effect::Incident { student, incident, .. } => self.disk.incidents.push((student, incident)),
            Effect::Audit { action, .. } => self.disk.audit.push(action),
            Effect::SaveClock(clock) => self.disk.clock = Some(clock),
            Effect::SaveExtension { student, extension, .. } => {
                self.disk.extensions.insert(student, extension);
            }
            Effect::Close(conn) => {
                // A close takes effect after the messages queued before it.
                self.deliver_to_clients();
                if let Some(c) = self.clients.iter().position(|c| c.conn == Some(conn)) {
                    self.clients[c].conn = None;
                    self.clients[c].session.handle_disconnected();
                }
                let now = self.server_now();
                self.room.handle_disconnected(now, conn);
            }
        }
    }

    /// Stored answers of a student, replayed from the "disk" (last event per question wins).
    pub(crate) fn stored_answers(&self, student: &str) -> BTreeMap<u32, Answer> {
        let mut answers = BTreeMap::new();
        for ((s, _), event) in &self.disk.events {
            if s == student {
                match Answer::decode(&event.event.response).unwrap() {
                    Answer::Cleared => {
                        answers.remove(&event.event.item);
                    }
                    other => {
                        answers.insert(event.event.item, other);
                    }
                }
            }
        }
        answers
    }

    /// The proctor restarts from its disk: a new room rebuilt from stored sessions and events.
    pub(crate) fn restart_proctor(&mut self, roster: Vec<RosterEntry>) {
        // kill -9: events not yet committed were never on disk (and never acknowledged).
        for key in std::mem::take(&mut self.queued) {
            self.disk.events.remove(&key);
        }
        let config_forms: Vec<FormRelease> = self.forms.iter().map(|(r, _)| r.clone()).collect();
        let old_config = RoomConfig {
            exam: self.exam,
            exam_title: "Kiểm tra giữa kỳ I — Toán 10".into(),
            rules: "Không sử dụng tài liệu.".into(),
            typing: self.typing,
            duration: Duration::from_secs(45 * 60),
            grace: Duration::from_secs(10),
            room_code: ROOM_CODE.into(),
            integrity: IntegrityPolicy::default(),
            max_login_failures: 5,
            late_window: Duration::from_secs(15 * 60),
        };
        let mut room = Room::new(old_config, roster, config_forms);
        if let Some(clock) = self.disk.clock.clone() {
            room.restore_clock(clock);
        }
        for (student, (session, keys, secret)) in &self.disk.sessions {
            let events: Vec<&SignedEvent> =
                self.disk.events.iter().filter(|((s, _), _)| s == student).map(|(_, e)| e).collect();
            let hashes: Vec<Digest> = events.iter().map(|e| e.event.hash()).collect();
            let answers: Vec<(u32, Answer)> = self.stored_answers(student).into_iter().collect();
            let receipt = self.disk.receipts.get(student).map(|r| (r.as_bytes().to_vec(), r.short_code().to_string()));
            let restore = SessionRestore {
                session: *session,
                keys: keys.clone(),
                journal_secret: *secret,
                hashes,
                answers,
                extension: self.disk.extensions.get(student).copied().unwrap_or_default(),
                receipt,
            };
            room.restore_session(student, restore).unwrap();
        }
        self.room = room;
        self.queued.clear();
        for c in 0..self.clients.len() {
            self.clients[c].conn = None;
            self.clients[c].session.handle_disconnected();
        }
    }

    /// The client restarts on the same PC (a power cut): a new process with a new key, its
    /// journal on disk. Returns the new client, logged in with the journal's seat proof.
    pub(crate) fn restart_client(&mut self, client: usize, student: usize) -> usize {
        self.disconnect(client);
        let proof = self.clients[client].seat_proof.clone();
        let restarted = self.add_client(student, ROOM_CODE, None);
        self.clients[restarted].session.set_seat_proof(proof);
        self.clients[restarted].skew_ms = self.clients[client].skew_ms - 3_600_000; // rebooted
        self.connect(restarted);
        restarted
    }

    pub(crate) fn events_of(&self, client: usize) -> &[ClientEvent] {
        &self.clients[client].events
    }

    pub(crate) fn has_event(&self, client: usize, f: impl Fn(&ClientEvent) -> bool) -> bool {
        self.clients[client].events.iter().any(f)
    }
}
