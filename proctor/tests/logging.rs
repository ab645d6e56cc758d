//! The proctor's log reaches stderr: `PHONGTHI_LOG` chooses how much, warnings by default.
//! Before this, nothing installed a logger and "answer not stored" went nowhere.

use phongthi_store::demo::{ROSTER_CSV, exam_day};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_logs_to_stderr_at_the_level_phongthi_log_asks_for() {
    let dir = tempfile::tempdir().unwrap();
    let day = exam_day(dir.path(), 2, ROSTER_CSV).await.unwrap();
    let mut server = Command::new(env!("CARGO_BIN_EXE_proctor"))
        .arg("--data")
        .arg(day.data.path())
        .args(["serve", "--headless", "--listen", "127.0.0.1:0"])
        .env("PHONGTHI_LOG", "warn,phongthi_net=info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = server.stderr.take().unwrap();
    let (lines_tx, lines_rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines_tx.send(line);
        }
    });
    let mut seen = Vec::new();
    let found = loop {
        match lines_rx.recv_timeout(Duration::from_secs(30)) {
            Ok(line) if line.contains("proctor endpoint listening") => break Some(line),
            Ok(line) => seen.push(line),
            Err(_) => break None,
        }
    };
    server.kill().unwrap();
    server.wait().unwrap();
    let line = found.unwrap_or_else(|| panic!("no listening line on stderr; saw {seen:#?}"));
    assert!(line.contains("INFO") && line.contains("fingerprint="), "{line}");
}
