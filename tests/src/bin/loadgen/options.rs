//! Command-line options (the names and defaults `performance.md` describes).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;

/// `loadgen`.
#[derive(Parser)]
#[command(name = "loadgen", version, about = "Phòng Thi load generator and fault drills")]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) mode: Option<Mode>,
    #[command(flatten)]
    pub(crate) options: Options,
}

/// The internal proctor mode.
#[derive(Subcommand)]
pub(crate) enum Mode {
    /// (internal) serve a prepared data directory; what loadgen starts as its child
    #[command(hide = true)]
    ServeProctor(ServeArgs),
}

/// The child proctor's arguments.
#[derive(Args, Clone, Debug)]
pub(crate) struct ServeArgs {
    /// Data directory (initialised, with an exam and a roster).
    #[arg(long)]
    pub(crate) data: PathBuf,
    /// Listen address.
    #[arg(long)]
    pub(crate) listen: SocketAddr,
    /// Where to write lab.toml.
    #[arg(long)]
    pub(crate) lab_out: PathBuf,
    /// Cap the store at its current size (the disk-full drill).
    #[arg(long)]
    pub(crate) disk_full: bool,
}

/// A fault drill.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Fault {
    /// SIGKILL the proctor mid-exam and restart it on the same data directory.
    KillProctor,
    /// Cut a share of the clients off the network for a while.
    Partition,
    /// A share of the students' PCs crash; they log in on another PC, the proctor approves.
    SeatMove,
    /// The proctor's store fills up mid-exam; later the space comes back.
    DiskFull,
    /// Forged, replayed, oversized and garbage traffic from extra clients during the exam.
    Hostile,
    /// The lab loses power: every client process and the proctor are killed together; all
    /// restart on the same PCs (journals kept) and must rejoin without a single approval.
    PowerCut,
}

impl Fault {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Fault::KillProctor => "kill-proctor",
            Fault::Partition => "partition",
            Fault::SeatMove => "seat-move",
            Fault::DiskFull => "disk-full",
            Fault::Hostile => "hostile",
            Fault::PowerCut => "power-cut",
        }
    }
}

/// What to run.
#[derive(Args, Clone, Debug)]
pub(crate) struct Options {
    /// Simulated students.
    #[arg(long, default_value_t = 100)]
    pub(crate) clients: usize,
    /// Answer changes each student makes.
    #[arg(long, default_value_t = 10)]
    pub(crate) answers_per_client: usize,
    /// Mean think time between two answer changes (ms); each pause is drawn from ½–1½ of it.
    #[arg(long, default_value_t = 5_000)]
    pub(crate) think_ms: u64,
    /// Fault drills to run during the answering phase (repeatable).
    #[arg(long = "fault", value_enum)]
    pub(crate) faults: Vec<Fault>,
    /// Share of students affected by partition / seat-move, and of extra hostile clients (%).
    #[arg(long, default_value_t = 10)]
    pub(crate) fault_share: usize,
    /// How long a partition or a full disk lasts (s). Longer than the 10 s idle timeout, so cut
    /// clients really drop their connections and must reconnect.
    #[arg(long, default_value_t = 15)]
    pub(crate) fault_seconds: u64,
    /// With `--fault partition`: the proctor ends the exam in the middle of the outage, so the
    /// outage spans the deadline; answers the cut PCs made before it must still count.
    #[arg(long)]
    pub(crate) end_during_partition: bool,
    /// Shared client endpoints (UDP sockets) the simulated students connect through (0: one per
    /// 500 students, at least one).
    #[arg(long, default_value_t = 0)]
    pub(crate) endpoints: usize,
    /// No client journals (each real PC journals to its own disk; thousands of fsyncing
    /// journals on the proctor's disk would measure this machine's disk, not the proctor).
    #[arg(long)]
    pub(crate) no_journal: bool,
    /// Use a running proctor: its `lab.toml` (address, fingerprint, key). Needs --data and
    /// --room-code; the students are the first --clients of its roster. Drills that restart the
    /// proctor need loadgen's own.
    #[arg(long, requires_all = ["room_code", "data"])]
    pub(crate) lab: Option<PathBuf>,
    /// The running proctor's room code.
    #[arg(long)]
    pub(crate) room_code: Option<String>,
    /// The running proctor's data directory (for Start, through its control channel, and the
    /// final store check).
    #[arg(long)]
    pub(crate) data: Option<PathBuf>,
    /// Seed for think times and answers.
    #[arg(long, default_value_t = 2026)]
    pub(crate) seed: u64,
}
