//! The network task: runs the protocol's [`ClientSession`] over QUIC, off the GUI thread.
//!
//! It connects with the pinned certificate of `lab.toml`, greets and logs in, receives the sealed
//! package on its own stream, writes every answer to the encrypted journal *before* sending it,
//! and reconnects by itself with back-off when the network or the proctor goes away, resending
//! whatever is unacknowledged. The screen talks to it through [`DriverHandle`]: commands in,
//! [`DriverEvent`]s out. `loadgen` drives this same code, without a window.

use super::journal::Journal;
use phongthi_crypto::{BuildDigest, Digest, JournalSecret};
use phongthi_net::{FramedRecv, FramedSend, LabConfig, MAX_BLOB, NetError};
use phongthi_protocol::{
    Answer, ClientConfig, ClientEvent, ClientMsg, ClientSession, IncidentKind, LocalTime, ServerMsg,
};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// What the student's screen asks of the network task.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// An answer changed.
    Answer {
        /// Question number.
        number: u32,
        /// The answer (or `Cleared`).
        answer: Answer,
    },
    /// Sign and send the sheet.
    Submit,
    /// Window focus / fullscreen, sent with heartbeats.
    Window {
        /// Focused.
        focused: bool,
        /// Fullscreen.
        fullscreen: bool,
    },
    /// Report an incident.
    Incident {
        /// What.
        kind: IncidentKind,
        /// How long.
        duration: Duration,
        /// Details.
        detail: String,
    },
    /// Stop (after the receipt, or when the window closes).
    Shutdown,
}

/// The link to the proctor, for the saved/offline indicator and the error screens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Link {
    /// Trying to reach the proctor.
    Connecting,
    /// Connected.
    Online,
    /// Lost; retrying. Answers keep being journaled.
    Offline(String),
    /// The proctor is not the one `lab.toml` names: connecting again will not help.
    WrongProctor(String),
}

/// What the network task tells the screen.
#[derive(Clone, Debug, PartialEq)]
pub enum DriverEvent {
    /// Protocol events (admission, form, deadline, saved, receipt, …).
    Session(ClientEvent),
    /// Connection state.
    Link(Link),
}

/// Login details typed on the login screen.
#[derive(Clone, Debug)]
pub struct Login {
    /// Student id.
    pub student_id: String,
    /// Room code.
    pub room_code: String,
    /// PIN, if any.
    pub pin: Option<String>,
}

/// Everything the task needs.
#[derive(Clone, Debug)]
pub struct DriverConfig {
    /// The lab configuration.
    pub lab: LabConfig,
    /// Who logs in.
    pub login: Login,
    /// Folder for the journal file (`None`: no journal, for tests that want none).
    pub journal_dir: Option<PathBuf>,
    /// Client build name.
    pub build: String,
    /// This build's value ([`crate::integrity::own_build`] in the real client): the key of the
    /// answer to the proctor's integrity challenge at every login.
    pub build_digest: BuildDigest,
    /// How long one connection attempt may take.
    pub connect_timeout: Duration,
}

/// Where `student`'s journal lives in `dir`.
fn journal_path(dir: &std::path::Path, student: &str) -> PathBuf {
    dir.join(format!("{}.journal", sanitize(student)))
}

/// The screen's side of the task.
pub struct DriverHandle {
    /// Commands to the task.
    pub commands: mpsc::Sender<Command>,
    /// Events from the task.
    pub events: mpsc::Receiver<DriverEvent>,
}

/// Starts the network task on the current tokio runtime.
pub fn spawn(config: DriverConfig) -> Result<(DriverHandle, tokio::task::JoinHandle<()>), phongthi_crypto::Error> {
    spawn_on(config, None)
}

/// [`spawn`], connecting through a shared client `endpoint` (the load generator's thousands of
/// students share a few; a lab PC has its own, made per connection).
pub fn spawn_on(
    config: DriverConfig,
    endpoint: Option<quinn::Endpoint>,
) -> Result<(DriverHandle, tokio::task::JoinHandle<()>), phongthi_crypto::Error> {
    let (command_tx, command_rx) = mpsc::channel(256);
    let (event_tx, event_rx) = mpsc::channel(1024);
    let session = ClientSession::new(ClientConfig {
        build: config.build.clone(),
        build_digest: config.build_digest,
        proctor_key: config.lab.proctor_key,
        student_id: config.login.student_id.clone(),
        room_code: config.login.room_code.clone(),
        pin: config.login.pin.clone(),
        heartbeat: Duration::from_secs(5),
        resend_after: Duration::from_secs(10),
    })?;
    let mut session = session;
    // A journal of this student on this PC means the client restarted here (a power cut, a
    // crash): its seat record lets the proctor readmit it without a seat-move approval.
    if let Some(dir) = &config.journal_dir {
        session.set_seat_proof(super::journal::seat_proof(&journal_path(dir, &config.login.student_id)));
    }
    let task =
        Task { config, endpoint, session, events: event_tx, started: Instant::now(), journal: None, stop: false };
    let join = tokio::spawn(task.run(command_rx));
    Ok((DriverHandle { commands: command_tx, events: event_rx }, join))
}

struct Task {
    config: DriverConfig,
    endpoint: Option<quinn::Endpoint>,
    session: ClientSession,
    events: mpsc::Sender<DriverEvent>,
    started: Instant,
    journal: Option<Journal>,
    stop: bool,
}

/// Why a connection ended.
enum Ended {
    Lost(String),
    Stop,
}

impl Task {
    fn now(&self) -> LocalTime {
        LocalTime(u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX))
    }

    async fn emit(&self, event: DriverEvent) {
        let _ = self.events.send(event).await;
    }

    async fn run(mut self, mut commands: mpsc::Receiver<Command>) {
        let mut backoff = Duration::from_millis(250);
        while !self.stop {
            self.emit(DriverEvent::Link(Link::Connecting)).await;
            let lab = &self.config.lab;
            let timeout = self.config.connect_timeout;
            let attempt = match &self.endpoint {
                Some(endpoint) => phongthi_net::connect_via(endpoint, lab.address, lab.fingerprint, timeout).await,
                None => phongthi_net::connect(lab.address, lab.fingerprint, timeout).await,
            };
            match attempt {
                Ok(connection) => {
                    backoff = Duration::from_millis(250);
                    match self.connected(&connection, &mut commands).await {
                        Ended::Stop => {
                            connection.close(0u32.into(), b"bye");
                            break;
                        }
                        Ended::Lost(reason) => {
                            self.session.handle_disconnected();
                            self.emit(DriverEvent::Link(Link::Offline(reason))).await;
                        }
                    }
                }
                Err(error @ NetError::WrongFingerprint { .. }) => {
                    self.emit(DriverEvent::Link(Link::WrongProctor(error.to_string()))).await;
                    backoff = Duration::from_secs(10);
                }
                Err(error) => self.emit(DriverEvent::Link(Link::Offline(error.to_string()))).await,
            }
            // Offline: keep taking answers (they go to the journal and the unacked queue).
            let until = tokio::time::Instant::now() + backoff;
            while !self.stop {
                tokio::select! {
                    command = commands.recv() => match command {
                        Some(command) => self.command(command).await,
                        None => self.stop = true,
                    },
                    _ = tokio::time::sleep_until(until) => break,
                }
            }
            backoff = (backoff * 2).min(Duration::from_secs(5));
        }
    }

    async fn connected(&mut self, connection: &quinn::Connection, commands: &mut mpsc::Receiver<Command>) -> Ended {
        let (send, recv) = match connection.open_bi().await {
            Ok(streams) => streams,
            Err(e) => return Ended::Lost(e.to_string()),
        };
        let mut send = FramedSend::new(send);
        let mut recv = FramedRecv::new(recv);
        self.emit(DriverEvent::Link(Link::Online)).await;
        let now = self.now();
        self.session.handle_connected(now);
        if let Err(e) = self.flush(&mut send).await {
            return Ended::Lost(e);
        }
        loop {
            let wake = self.session.poll_timeout().map(|t| {
                let from_start = Duration::from_millis(t.0);
                tokio::time::Instant::from_std(self.started + from_start)
            });
            tokio::select! {
                frame = recv.recv() => match frame {
                    Ok(Some(bytes)) => match phongthi_protocol::decode::<ServerMsg>(&bytes) {
                        Ok(msg) => {
                            let now = self.now();
                            self.session.handle_message(now, msg);
                        }
                        Err(e) => return Ended::Lost(e.to_string()),
                    },
                    Ok(None) => return Ended::Lost("proctor closed the stream".into()),
                    Err(e) => return Ended::Lost(e.to_string()),
                },
                uni = connection.accept_uni() => match uni {
                    Ok(mut stream) => match phongthi_net::recv_blob(&mut stream, MAX_BLOB).await {
                        Ok(package) => {
                            let now = self.now();
                            self.session.handle_message(now, ServerMsg::Package(package));
                        }
                        Err(e) => return Ended::Lost(e.to_string()),
                    },
                    Err(e) => return Ended::Lost(e.to_string()),
                },
                command = commands.recv() => match command {
                    Some(Command::Shutdown) | None => {
                        self.stop = true;
                        let _ = self.flush(&mut send).await;
                        return Ended::Stop;
                    }
                    Some(command) => self.command(command).await,
                },
                _ = sleep_until_opt(wake) => {
                    let now = self.now();
                    self.session.handle_timeout(now);
                }
            }
            if let Err(e) = self.flush(&mut send).await {
                return Ended::Lost(e);
            }
        }
    }

    /// Applies a screen command to the session (online or not).
    async fn command(&mut self, command: Command) {
        let now = self.now();
        match command {
            Command::Answer { number, answer } => {
                if let Err(e) = self.session.answer(now, number, answer) {
                    tracing::warn!("answer not taken: {e}");
                }
            }
            Command::Submit => {
                if let Err(e) = self.session.submit(now, 0) {
                    tracing::warn!("submit not taken: {e}");
                }
            }
            Command::Window { focused, fullscreen } => self.session.set_window_state(focused, fullscreen),
            Command::Incident { kind, duration, detail } => {
                self.session.report_incident(kind, duration, detail);
            }
            Command::Shutdown => self.stop = true,
        }
        self.drain_events().await;
    }

    /// Journals and forwards session events; opens the journal at admission and replays it.
    async fn drain_events(&mut self) {
        while let Some(event) = self.session.poll_event() {
            match &event {
                ClientEvent::Admitted(admission) => {
                    if let Some(dir) = &self.config.journal_dir {
                        let path = journal_path(dir, &self.config.login.student_id);
                        let secret = JournalSecret::from_bytes(admission.journal_secret.0);
                        let session = phongthi_crypto::SessionId::from_bytes(admission.session_id);
                        match Journal::open(&path, &secret, &session) {
                            Ok((journal, previous)) => {
                                self.journal = Some(journal);
                                let now = self.now();
                                let head = Digest::from_bytes(admission.chain_head);
                                self.session.restore_unacked(now, previous, admission.next_seq, head);
                            }
                            Err(e) => tracing::error!("journal {}: {e}", path.display()),
                        }
                    }
                }
                ClientEvent::Journal(signed) => {
                    if let Some(journal) = self.journal.as_mut()
                        && let Err(e) = journal.append(signed)
                    {
                        tracing::error!("journal {}: {e}", journal.path().display());
                    }
                    continue;
                }
                _ => {}
            }
            self.emit(DriverEvent::Session(event)).await;
        }
    }

    /// Sends everything the session queued (after journaling what it produced).
    async fn flush(&mut self, send: &mut FramedSend) -> Result<(), String> {
        self.drain_events().await;
        while let Some(msg) = self.session.poll_transmit() {
            let bytes = phongthi_protocol::encode::<ClientMsg>(&msg).map_err(|e| e.to_string())?;
            send.send(&bytes).await.map_err(|e| e.to_string())?;
        }
        self.drain_events().await;
        Ok(())
    }
}

async fn sleep_until_opt(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// A student id as a file name: anything but letters, digits and `-` becomes `_`. The journal
/// and the window's remembered input method name their files with it.
pub(crate) fn sanitize(id: &str) -> String {
    id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect()
}
