//! The proctor as a child process: started, killed with SIGKILL, restarted on the same data
//! directory and port, and measured (peak RSS, CPU seconds) from `/proc`.

use crate::options::ServeArgs;
use anyhow::{Context, bail};
use phongthi_net::{BufferGrant, SOCKET_BUFFER_BYTES};
use phongthi_server::{ServeOptions, serve};
use phongthi_store::StoreOptions;
use phongthi_store::datadir::DataDir;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// The line the child prints once it serves.
const READY: &str = "loadgen-proctor-ready";

/// `loadgen serve-proctor`: serve until stdin closes (the parent went away) or SIGTERM.
pub(crate) async fn serve_child(args: ServeArgs) -> anyhow::Result<()> {
    let store = StoreOptions { size_limit_bytes: args.disk_full.then_some(0), ..StoreOptions::default() };
    let options = ServeOptions {
        listen: args.listen,
        lab_config_out: Some(args.lab_out.clone()),
        store,
        ..ServeOptions::default()
    };
    let serving = serve(DataDir::new(&args.data), None, options).await?;
    println!("{READY} {} {} {}", serving.addr, serving.room_code, serving.receive_buffer.granted);
    let mut stdin = BufReader::new(tokio::io::stdin());
    let mut line = String::new();
    tokio::select! {
        _ = stdin.read_line(&mut line) => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    serving.shutdown().await;
    Ok(())
}

/// Resource use of the proctor processes so far.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Usage {
    /// Largest peak resident set of any incarnation (MiB).
    pub(crate) peak_rss_mb: f64,
    /// User + system CPU of every incarnation (s).
    pub(crate) cpu_s: f64,
}

/// The running child and how to start it again.
pub(crate) struct ProctorProcess {
    child: Child,
    data: PathBuf,
    lab_out: PathBuf,
    /// Where it listens (the same after a restart, so clients find it again).
    pub(crate) addr: SocketAddr,
    /// The room code students type.
    pub(crate) room_code: String,
    /// The UDP receive buffer the kernel granted it.
    pub(crate) receive_buffer: BufferGrant,
    usage: Usage,
    /// How many times it was started.
    pub(crate) starts: u32,
}

impl ProctorProcess {
    /// Starts the proctor on `data` (any free port on loopback).
    pub(crate) async fn start(data: &Path, lab_out: &Path) -> anyhow::Result<Self> {
        let any: SocketAddr = ([127, 0, 0, 1], 0).into();
        let (child, addr, room_code, receive_buffer) = spawn(data, lab_out, any, false).await?;
        Ok(Self {
            child,
            data: data.into(),
            lab_out: lab_out.into(),
            addr,
            room_code,
            receive_buffer,
            usage: Usage::default(),
            starts: 1,
        })
    }

    /// SIGKILL, then start again on the same port (with the store capped at its size when
    /// `disk_full`).
    pub(crate) async fn kill_and_restart(&mut self, disk_full: bool) -> anyhow::Result<()> {
        self.kill().await?;
        let (child, ..) = spawn(&self.data, &self.lab_out, self.addr, disk_full).await?;
        self.child = child;
        self.starts += 1;
        Ok(())
    }

    /// Whether the process is still running (a hostile client must not have brought it down).
    pub(crate) fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// SIGKILL (what a power cut or an OOM kill does), after reading its resource use.
    pub(crate) async fn kill(&mut self) -> anyhow::Result<()> {
        self.sample();
        self.child.kill().await.context("kill -9 proctor")?;
        Ok(())
    }

    /// Stops it cleanly (stdin closed), after reading its resource use.
    pub(crate) async fn stop(mut self) -> anyhow::Result<Usage> {
        self.sample();
        drop(self.child.stdin.take());
        match tokio::time::timeout(Duration::from_secs(20), self.child.wait()).await {
            Ok(status) => {
                status.context("proctor exit")?;
            }
            Err(_) => self.child.kill().await.context("kill a proctor that did not stop")?,
        }
        Ok(self.usage)
    }

    /// Reads `/proc/PID/status` (VmHWM) and `/proc/PID/stat` (utime + stime).
    fn sample(&mut self) {
        let Some(pid) = self.child.id() else { return };
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
            let hwm_kb = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok());
            if let Some(kb) = hwm_kb {
                self.usage.peak_rss_mb = self.usage.peak_rss_mb.max(kb / 1024.0);
            }
        }
        if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            // Fields after the parenthesised command name; utime and stime are the 14th and
            // 15th of the whole line, in clock ticks (100 per second on Linux).
            if let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) {
                let fields: Vec<&str> = rest.split_whitespace().collect();
                let ticks: u64 = [11, 12].iter().filter_map(|&i| fields.get(i)?.parse::<u64>().ok()).sum();
                self.usage.cpu_s += ticks as f64 / 100.0;
            }
        }
    }
}

async fn spawn(
    data: &Path,
    lab_out: &Path,
    listen: SocketAddr,
    disk_full: bool,
) -> anyhow::Result<(Child, SocketAddr, String, BufferGrant)> {
    let exe = std::env::current_exe().context("where is loadgen")?;
    let mut command = Command::new(exe);
    command
        .arg("serve-proctor")
        .arg("--data")
        .arg(data)
        .arg("--listen")
        .arg(listen.to_string())
        .arg("--lab-out")
        .arg(lab_out)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true);
    if disk_full {
        command.arg("--disk-full");
    }
    let mut child = command.spawn().context("start the proctor")?;
    let stdout = child.stdout.take().context("proctor stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let ready = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await? {
            if let Some(rest) = line.strip_prefix(READY) {
                return Ok::<_, std::io::Error>(Some(rest.trim().to_owned()));
            }
        }
        Ok(None)
    })
    .await;
    let (addr, room_code, granted) = match ready {
        Ok(Ok(Some(rest))) => {
            let mut words = rest.split(' ');
            let (Some(addr), Some(code), Some(granted)) = (words.next(), words.next(), words.next()) else {
                bail!("proctor said {rest:?}");
            };
            let granted = granted.parse().with_context(|| format!("proctor receive buffer {granted:?}"))?;
            (addr.parse().with_context(|| format!("proctor address {addr:?}"))?, code.to_owned(), granted)
        }
        Ok(Ok(None)) => bail!("the proctor exited before serving (see its messages above)"),
        Ok(Err(e)) => bail!("reading the proctor's output: {e}"),
        Err(_) => bail!("the proctor did not start within 60 s"),
    };
    // Keep draining its stdout so it never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Ok((child, addr, room_code, BufferGrant { asked: SOCKET_BUFFER_BYTES, granted }))
}
