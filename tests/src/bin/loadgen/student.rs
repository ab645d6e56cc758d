//! One simulated student, on the exam client's real network task: log in, download, wait for
//! Start, answer with think time, wait for every answer to be acknowledged, submit, check the
//! receipt. It records what the proctor acknowledged (for the final store check) and how long
//! each acknowledgement took. A seat-move student "crashes" half-way and continues on a new PC.

use crate::answers::{answer_for, answerable};
use anyhow::{Context, bail};
use phongthi_client::net::{Command, DriverConfig, DriverEvent, DriverHandle, Link, Login, spawn_on};
use phongthi_crypto::{SessionId, SignedReceipt};
use phongthi_net::LabConfig;
use phongthi_protocol::{Answer, ClientEvent, PresentedForm};
use phongthi_server::control;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

/// What every student shares.
pub(crate) struct Ctx {
    /// The proctor's lab configuration.
    pub(crate) lab: LabConfig,
    /// The same through the partition proxy.
    pub(crate) proxied_lab: Option<LabConfig>,
    pub(crate) room_code: String,
    /// The proctor's data directory (its control channel approves seat moves).
    pub(crate) data_dir: PathBuf,
    /// Where journals go (`None`: no journals).
    pub(crate) journal_root: Option<PathBuf>,
    pub(crate) endpoints: Vec<quinn::Endpoint>,
    pub(crate) answers: usize,
    pub(crate) think: Duration,
    pub(crate) seed: u64,
    /// When the run began (login times are measured from here).
    pub(crate) epoch: Instant,
    /// Progress reports to the coordinator.
    pub(crate) progress: mpsc::UnboundedSender<Progress>,
    /// Set (to when it happened) when the lab loses power: every client process dies at once.
    pub(crate) power_cut: watch::Receiver<Option<Instant>>,
    /// The proctor ends the exam during the run (`--end-during-partition`): students stop at
    /// the end and answers made after it may be refused.
    pub(crate) ends_early: bool,
    /// When the proctor pressed End, once it has.
    pub(crate) ended: watch::Receiver<Option<Instant>>,
}

/// Milestones the coordinator waits for.
#[derive(Debug)]
pub(crate) enum Progress {
    /// Logged in and package verified.
    Ready,
    /// The form opened (the key arrived).
    Opened(Instant),
    /// Done, one way or another.
    Finished,
}

/// What happens to this student.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Plan {
    /// Connects through the partition proxy.
    pub(crate) proxied: bool,
    /// Crashes half-way and logs in on another PC.
    pub(crate) seat_move: bool,
}

/// One answer event sent, by its chain position.
#[derive(Clone, Debug)]
pub(crate) struct Sent {
    pub(crate) seq: u64,
    pub(crate) number: u32,
    pub(crate) answer: Answer,
    pub(crate) at: Instant,
    pub(crate) acked: bool,
    /// Refused by the proctor as made after the end (only when the exam ends early).
    pub(crate) refused_late: bool,
}

/// The result of one student.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    pub(crate) student_id: String,
    pub(crate) session: Option<SessionId>,
    pub(crate) admitted_after: Option<Duration>,
    /// When it had both the admission and the verified package (ready for Start).
    pub(crate) ready_after: Option<Duration>,
    pub(crate) sent: Vec<Sent>,
    pub(crate) ack_us: Vec<u32>,
    pub(crate) last_ack: Option<Instant>,
    pub(crate) receipt_code: Option<String>,
    pub(crate) receipt_verified: bool,
    pub(crate) reconnects: u32,
    /// Why the link dropped or a connection attempt failed (the first few, for the report).
    pub(crate) offline: Vec<String>,
    pub(crate) refused_events: u32,
    pub(crate) seat_moved: bool,
    /// After the power cut: the restarted client had to wait for a seat-move approval.
    pub(crate) approval_needed: bool,
    /// After the power cut: how long from the cut until this student was admitted again.
    pub(crate) back_after_power_cut: Option<Duration>,
    pub(crate) error: Option<String>,
}

/// Runs one student to the end and reports.
pub(crate) async fn run(ctx: Arc<Ctx>, index: usize, student_id: String, plan: Plan) -> Outcome {
    let mut student = Student {
        ctx: Arc::clone(&ctx),
        index,
        plan,
        out: Outcome { student_id, ..Outcome::default() },
        next_seq: 0,
        started: ctx.epoch,
        online_once: false,
        power_cut_seen: false,
        ended_seen: false,
    };
    if let Err(error) = student.life().await {
        student.out.error = Some(format!("{}: {error:#}", student.out.student_id));
    }
    let _ = ctx.progress.send(Progress::Finished);
    student.out
}

struct Student {
    ctx: Arc<Ctx>,
    index: usize,
    plan: Plan,
    out: Outcome,
    /// The seq the next answer gets.
    next_seq: u64,
    started: Instant,
    online_once: bool,
    /// The power cut was handled (each student lives through one).
    power_cut_seen: bool,
    /// The proctor's End reached this student.
    ended_seen: bool,
}

/// How long to wait for a milestone before calling the student failed.
const PHASE_LIMIT: Duration = Duration::from_secs(120);
/// How long to wait for every answer to be acknowledged after the last one (fault drills hold
/// answers back for the partition or the full disk, then the 10 s resend).
const DRAIN_LIMIT: Duration = Duration::from_secs(180);

impl Student {
    async fn life(&mut self) -> anyhow::Result<()> {
        let mut rng = ChaCha8Rng::seed_from_u64(self.ctx.seed ^ (self.index as u64).wrapping_mul(0x9E37_79B9));
        let (mut handle, mut task) = self.connect(0)?;
        // The package travels on its own stream, so it may be verified before the admission
        // (on the control stream) is read: wait for both, in either order.
        let (mut admitted, mut package) = (false, false);
        while !(admitted && package) {
            let want = |e: &ClientEvent| matches!(e, ClientEvent::Admitted(_) | ClientEvent::PackageVerified);
            match self.until(&mut handle, PHASE_LIMIT, "admission and the package", want).await? {
                ClientEvent::Admitted(admission) => {
                    admitted = true;
                    self.out.session = Some(SessionId::from_bytes(admission.session_id));
                    self.next_seq = admission.next_seq;
                    self.out.admitted_after = Some(self.started.elapsed());
                }
                _ => package = true,
            }
        }
        self.out.ready_after = Some(self.started.elapsed());
        let _ = self.ctx.progress.send(Progress::Ready);
        let form = self.form(&mut handle).await?;
        let _ = self.ctx.progress.send(Progress::Opened(Instant::now()));

        let questions = answerable(&form);
        if questions.is_empty() {
            bail!("the form has no question to answer");
        }
        let crash_at = self.plan.seat_move.then_some(self.ctx.answers / 2);
        for change in 0..self.ctx.answers {
            if crash_at == Some(change) {
                task.abort();
                drop(handle);
                (handle, task) = self.move_seat().await?;
            }
            let think = self.ctx.think.mul_f64(rng.random_range(0.5..1.5));
            let deadline = tokio::time::Instant::now() + think;
            if self.pump_until(&mut handle, deadline).await? {
                (handle, task) = self.after_power_cut(handle, task).await?;
            }
            let number = questions[(change + self.index) % questions.len()];
            let answer = answer_for(&form, number, self.index, change);
            handle.commands.send(Command::Answer { number, answer: answer.clone() }).await.context("driver gone")?;
            if self.ended_seen {
                break; // the proctor ended the exam: no more answers
            }
            self.out.sent.push(Sent {
                seq: self.next_seq,
                number,
                answer,
                at: Instant::now(),
                acked: false,
                refused_late: false,
            });
            self.next_seq += 1;
        }
        let drain_deadline = tokio::time::Instant::now() + DRAIN_LIMIT;
        while self.out.sent.iter().any(|s| !s.acked && !s.refused_late) {
            if tokio::time::Instant::now() >= drain_deadline {
                bail!("answers still unacknowledged after {} s", DRAIN_LIMIT.as_secs());
            }
            if self
                .pump_until(&mut handle, (tokio::time::Instant::now() + Duration::from_millis(200)).min(drain_deadline))
                .await?
            {
                (handle, task) = self.after_power_cut(handle, task).await?;
            }
        }
        // After an early End the proctor collected the sheet itself and its receipt may be here.
        if self.out.receipt_code.is_none() {
            handle.commands.send(Command::Submit).await.context("driver gone")?;
            let receipt = self
                .until(&mut handle, DRAIN_LIMIT, "the receipt", |e| matches!(e, ClientEvent::Receipt { .. }))
                .await?;
            if let ClientEvent::Receipt { receipt, code } = receipt {
                self.out.receipt_code = Some(code.clone());
                self.out.receipt_verified = self.check_receipt(&receipt, &code);
            }
        }
        let _ = handle.commands.send(Command::Shutdown).await;
        let _ = tokio::time::timeout(Duration::from_secs(5), task).await;
        Ok(())
    }

    /// A network task for PC number `pc` of this student (a fresh journal folder per PC).
    fn connect(&self, pc: u32) -> anyhow::Result<(DriverHandle, JoinHandle<()>)> {
        let lab = match (&self.ctx.proxied_lab, self.plan.proxied) {
            (Some(proxied), true) => proxied.clone(),
            _ => self.ctx.lab.clone(),
        };
        let journal_dir = match &self.ctx.journal_root {
            Some(root) => {
                let dir = root.join(format!("pc{pc}-{}", self.index % 64));
                std::fs::create_dir_all(&dir).with_context(|| format!("journal folder {}", dir.display()))?;
                Some(dir)
            }
            None => None,
        };
        let config = DriverConfig {
            lab,
            login: Login { student_id: self.out.student_id.clone(), room_code: self.ctx.room_code.clone(), pin: None },
            journal_dir,
            build: "loadgen".into(),
            build_digest: phongthi_client::integrity::BuildDigest::of_bytes(b"loadgen student"),
            connect_timeout: Duration::from_secs(20),
        };
        let endpoint = self.ctx.endpoints.get(self.index % self.ctx.endpoints.len().max(1)).cloned();
        Ok(spawn_on(config, endpoint)?)
    }

    /// The PC crashed: log in on another one, have the proctor approve, and continue from what
    /// the proctor stored (answers the old PC had not yet had acknowledged are gone with it).
    async fn move_seat(&mut self) -> anyhow::Result<(DriverHandle, JoinHandle<()>)> {
        self.out.seat_moved = true;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let (mut handle, task) = self.connect(1)?;
        self.until(&mut handle, PHASE_LIMIT, "the seat-move request", |e| matches!(e, ClientEvent::SeatMovePending))
            .await?;
        let student = self.out.student_id.clone();
        let reply = control::send(&self.ctx.data_dir, control::Command::ApproveMove { student }).await?;
        if !reply.ok {
            bail!("seat move not approved: {}", reply.message);
        }
        let admitted =
            self.until(&mut handle, PHASE_LIMIT, "admission", |e| matches!(e, ClientEvent::Admitted(_))).await?;
        if let ClientEvent::Admitted(admission) = admitted {
            // Durable on the proctor even if the old PC never heard the ack.
            for sent in self.out.sent.iter_mut().filter(|s| s.seq < admission.next_seq) {
                sent.acked = true;
            }
            self.out.sent.retain(|s| s.seq < admission.next_seq);
            self.next_seq = admission.next_seq;
        }
        self.form(&mut handle).await?;
        Ok((handle, task))
    }

    /// The power came back: the client process starts again on the same PC, finds its journal
    /// and must be readmitted without anyone approving; what its journal holds it sends again.
    async fn after_power_cut(
        &mut self,
        handle: DriverHandle,
        task: JoinHandle<()>,
    ) -> anyhow::Result<(DriverHandle, JoinHandle<()>)> {
        let cut_at = (*self.ctx.power_cut.borrow()).unwrap_or_else(Instant::now);
        task.abort();
        drop(handle);
        let _ = task.await;
        let (mut handle, task) = self.connect(0)?;
        let want = |e: &ClientEvent| matches!(e, ClientEvent::Admitted(_) | ClientEvent::SeatMovePending);
        let admission = match self.until(&mut handle, PHASE_LIMIT, "readmission after the power cut", want).await? {
            ClientEvent::Admitted(admission) => admission,
            _ => {
                self.out.approval_needed = true;
                bail!("after the power cut the client on the same PC waits for a seat-move approval");
            }
        };
        self.out.back_after_power_cut = Some(cut_at.elapsed());
        // Every event journaled before the cut is replayed by the new process; events the old
        // one was handed but had not journaled yet died with it (never acknowledged).
        let secret = phongthi_crypto::JournalSecret::from_bytes(admission.journal_secret.0);
        let journaled = self
            .journal_file(0)
            .map(|path| phongthi_client::net::journal::read(&path, &secret))
            .unwrap_or_default()
            .iter()
            .map(|e| e.event.seq + 1)
            .max()
            .unwrap_or(0);
        let kept = journaled.max(admission.next_seq);
        for sent in self.out.sent.iter_mut().filter(|s| s.seq < admission.next_seq) {
            sent.acked = true;
        }
        self.out.sent.retain(|s| s.seq < kept);
        self.next_seq = kept;
        self.form(&mut handle).await?;
        Ok((handle, task))
    }

    /// This student's journal on PC number `pc`, if journals are kept.
    fn journal_file(&self, pc: u32) -> Option<PathBuf> {
        let root = self.ctx.journal_root.as_ref()?;
        Some(root.join(format!("pc{pc}-{}", self.index % 64)).join(format!("{}.journal", self.out.student_id)))
    }

    async fn form(&mut self, handle: &mut DriverHandle) -> anyhow::Result<PresentedForm> {
        match self.until(handle, PHASE_LIMIT, "the form key", |e| matches!(e, ClientEvent::FormReady(_))).await? {
            ClientEvent::FormReady(form) => Ok(*form),
            _ => bail!("no form"),
        }
    }

    fn check_receipt(&self, bytes: &[u8], code: &str) -> bool {
        match SignedReceipt::verify(bytes, Some(&self.ctx.lab.proctor_key)) {
            Ok(receipt) => {
                Some(receipt.receipt().session) == self.out.session
                    && receipt.receipt().student_id == self.out.student_id
                    && receipt.short_code().to_string() == code
            }
            Err(_) => false,
        }
    }

    /// Waits for the first event matching `want`, handling the others.
    async fn until(
        &mut self,
        handle: &mut DriverHandle,
        limit: Duration,
        what: &str,
        want: impl Fn(&ClientEvent) -> bool,
    ) -> anyhow::Result<ClientEvent> {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            match tokio::time::timeout_at(deadline, handle.events.recv()).await {
                Ok(Some(DriverEvent::Session(event))) if want(&event) => return Ok(event),
                Ok(Some(event)) => self.observe(event)?,
                Ok(None) => bail!("the network task stopped"),
                Err(_) => bail!("waited {} s for {what}", limit.as_secs()),
            }
        }
    }

    /// Handles events until `deadline`; `true` when the power was cut meanwhile (the client
    /// process must then be restarted).
    async fn pump_until(&mut self, handle: &mut DriverHandle, deadline: tokio::time::Instant) -> anyhow::Result<bool> {
        let mut power = self.ctx.power_cut.clone();
        loop {
            if !self.power_cut_seen && power.borrow_and_update().is_some() {
                self.power_cut_seen = true;
                return Ok(true);
            }
            tokio::select! {
                event = tokio::time::timeout_at(deadline, handle.events.recv()) => match event {
                    Ok(Some(event)) => self.observe(event)?,
                    Ok(None) => bail!("the network task stopped"),
                    Err(_) => return Ok(false),
                },
                _ = power.changed(), if !self.power_cut_seen => {}
            }
        }
    }

    fn observe(&mut self, event: DriverEvent) -> anyhow::Result<()> {
        match event {
            DriverEvent::Session(ClientEvent::Saved { seq, .. }) => {
                if seq >= self.next_seq {
                    bail!("acknowledged seq {seq}, but only {} answers were sent", self.next_seq);
                }
                let now = Instant::now();
                self.out.last_ack = Some(now);
                for sent in self.out.sent.iter_mut().filter(|s| !s.acked && s.seq <= seq) {
                    sent.acked = true;
                    let micros = now.duration_since(sent.at).as_micros();
                    self.out.ack_us.push(u32::try_from(micros).unwrap_or(u32::MAX));
                }
            }
            DriverEvent::Session(ClientEvent::EventRefused { seq, reason }) => {
                self.out.refused_events += 1;
                // After an early end, an answer made after it (by a PC that could not know) is
                // refused, rightly; one made before it must never be.
                let end = *self.ctx.ended.borrow();
                let late = end.zip(self.out.sent.iter_mut().find(|s| s.seq == seq && !s.acked));
                match late {
                    Some((end, sent)) if sent.at >= end => sent.refused_late = true,
                    _ => bail!("answer {seq} refused: {reason}"),
                }
            }
            DriverEvent::Session(ClientEvent::Refused(refusal)) => bail!("login refused: {refusal:?}"),
            DriverEvent::Session(ClientEvent::PackageRefused(reason)) => bail!("package refused: {reason}"),
            DriverEvent::Session(ClientEvent::SubmitRefused(reason)) => bail!("sheet refused: {reason}"),
            DriverEvent::Session(ClientEvent::Ended) if self.ctx.ends_early => self.ended_seen = true,
            DriverEvent::Session(ClientEvent::Receipt { receipt, code }) if self.ctx.ends_early => {
                self.out.receipt_verified = self.check_receipt(&receipt, &code);
                self.out.receipt_code = Some(code);
            }
            DriverEvent::Session(ClientEvent::Ended) => bail!("the exam ended under the student"),
            DriverEvent::Link(Link::Online) => {
                if self.online_once {
                    self.out.reconnects += 1;
                }
                self.online_once = true;
            }
            DriverEvent::Link(Link::WrongProctor(detail)) => bail!("wrong proctor: {detail}"),
            DriverEvent::Link(Link::Offline(reason)) if self.out.offline.len() < 4 => self.out.offline.push(reason),
            _ => {}
        }
        Ok(())
    }
}
