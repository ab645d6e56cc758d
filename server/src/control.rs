//! The local control channel that `proctor ctl` (and the dashboard) use to drive a running
//! server.
//!
//! The server listens on a loopback TCP port and writes two files into its data directory:
//! `ctl.port` and `ctl.token` (32 random bytes in hex, mode 0600). A command is one JSON line
//! `{"token": …, "command": …}` answered by one JSON line. Only someone who can read the data
//! directory (the proctor's own account) can drive the exam; other users of the PC cannot, and
//! nothing is reachable from the LAN.

use serde::{Deserialize, Serialize};
use std::path::Path;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

const PORT_FILE: &str = "ctl.port";
const TOKEN_FILE: &str = "ctl.token";

/// What a proctor can ask of a running server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "kebab-case")]
pub enum Command {
    /// Release the keys: the exam starts for everyone.
    Start,
    /// Freeze remaining time.
    Pause,
    /// Continue after a pause.
    Resume,
    /// Close the exam; unsubmitted work is collected from the stored answers.
    End,
    /// More time for the room, or for one student.
    Extend {
        /// Minutes to add.
        minutes: u32,
        /// Only this student, if given.
        student: Option<String>,
    },
    /// Let a student continue on another PC.
    ApproveMove {
        /// Student id.
        student: String,
    },
    /// Let every student waiting for a seat-move approval continue (after a power cut in which
    /// the PCs came back without their journals).
    ApproveMoves {
        /// The room code the proctor read, to be sure which room is approved (any if absent).
        room: Option<String>,
    },
    /// Refuse a student's login from another PC.
    DenyMove {
        /// Student id.
        student: String,
    },
    /// Collect a student's answers now.
    ForceSubmit {
        /// Student id.
        student: String,
    },
    /// The room as the dashboard sees it.
    Status,
}

/// A reply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    /// Whether the command was carried out.
    pub ok: bool,
    /// What happened, or why not (bilingual).
    pub message: String,
    /// Structured data (for `status`).
    #[serde(default)]
    pub data: serde_json::Value,
}

#[derive(Serialize, Deserialize)]
struct Request {
    token: String,
    #[serde(flatten)]
    command: Command,
}

/// A control-channel failure.
#[derive(Debug, thiserror::Error)]
pub enum ControlError {
    /// No server is running on this data directory.
    #[error(
        "không có máy chủ đang chạy với thư mục {0} (chưa chạy `proctor serve`?) / no server is running on {0} (is `proctor serve` running?)"
    )]
    NotRunning(String),
    /// I/O with the server.
    #[error("lỗi kênh điều khiển / control channel error: {0}")]
    Io(#[from] std::io::Error),
    /// A reply that is not JSON.
    #[error("trả lời không hợp lệ / invalid reply: {0}")]
    Protocol(String),
}

/// The server side: a bound listener and its token.
pub struct ControlListener {
    listener: TcpListener,
    token: String,
}

impl ControlListener {
    /// Binds a loopback port and writes `ctl.port` and `ctl.token` into `data_dir`.
    pub async fn bind(data_dir: &Path) -> Result<Self, ControlError> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let port = listener.local_addr()?.port();
        // 256 random bits, from two 128-bit ids (the crypto crate is the one place with an RNG).
        let random = || phongthi_crypto::SessionId::generate().map(|id| id.to_hex());
        let token = format!(
            "{}{}",
            random().map_err(|e| ControlError::Protocol(e.to_string()))?,
            random().map_err(|e| ControlError::Protocol(e.to_string()))?
        );
        write_private(&data_dir.join(TOKEN_FILE), token.as_bytes())?;
        std::fs::write(data_dir.join(PORT_FILE), port.to_string())?;
        Ok(Self { listener, token })
    }

    /// Waits for the next authenticated command; connections with a wrong token or a malformed
    /// line are answered with a refusal and dropped.
    pub async fn next(&self) -> Result<(Command, Responder), ControlError> {
        loop {
            let (stream, _) = self.listener.accept().await?;
            let (read, write) = stream.into_split();
            let mut line = String::new();
            let mut reader = BufReader::new(read);
            let read = tokio::time::timeout(Duration::from_secs(5), reader.read_line(&mut line)).await;
            if !matches!(read, Ok(Ok(n)) if n > 0) {
                continue;
            }
            match serde_json::from_str::<Request>(&line) {
                Ok(request) if phongthi_crypto::ct_eq(request.token.as_bytes(), self.token.as_bytes()) => {
                    return Ok((request.command, Responder { write }));
                }
                Ok(_) => {
                    let reply = Reply {
                        ok: false,
                        message: "sai mã điều khiển / wrong control token".into(),
                        data: serde_json::Value::Null,
                    };
                    let _ = Responder { write }.send(&reply).await;
                }
                Err(e) => {
                    let reply = Reply {
                        ok: false,
                        message: format!("lệnh không hợp lệ / invalid command: {e}"),
                        data: serde_json::Value::Null,
                    };
                    let _ = Responder { write }.send(&reply).await;
                }
            }
        }
    }
}

/// Sends the reply to one command.
pub struct Responder {
    write: tokio::net::tcp::OwnedWriteHalf,
}

impl Responder {
    /// Writes the reply line.
    pub async fn send(mut self, reply: &Reply) -> Result<(), ControlError> {
        let mut line = serde_json::to_string(reply).map_err(|e| ControlError::Protocol(e.to_string()))?;
        line.push('\n');
        self.write.write_all(line.as_bytes()).await?;
        self.write.shutdown().await?;
        Ok(())
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    std::io::Write::write_all(&mut options.open(path)?, bytes)
}

/// The client side: sends `command` to the server running on `data_dir`.
pub async fn send(data_dir: &Path, command: Command) -> Result<Reply, ControlError> {
    let not_running = || ControlError::NotRunning(data_dir.display().to_string());
    let port: u16 = std::fs::read_to_string(data_dir.join(PORT_FILE))
        .map_err(|_| not_running())?
        .trim()
        .parse()
        .map_err(|_| not_running())?;
    let token = std::fs::read_to_string(data_dir.join(TOKEN_FILE)).map_err(|_| not_running())?;
    let stream = TcpStream::connect(("127.0.0.1", port)).await.map_err(|_| not_running())?;
    let (read, mut write) = stream.into_split();
    let mut line = serde_json::to_string(&Request { token: token.trim().to_owned(), command })
        .map_err(|e| ControlError::Protocol(e.to_string()))?;
    line.push('\n');
    write.write_all(line.as_bytes()).await?;
    let mut reply = String::new();
    BufReader::new(read).read_line(&mut reply).await?;
    serde_json::from_str(&reply).map_err(|e| ControlError::Protocol(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn commands_round_trip_and_wrong_tokens_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let listener = ControlListener::bind(dir.path()).await.unwrap();
        let server = tokio::spawn(async move {
            let (command, responder) = listener.next().await.unwrap();
            let reply = Reply { ok: true, message: format!("{command:?}"), data: serde_json::Value::Null };
            responder.send(&reply).await.unwrap();
            listener
        });
        let reply = send(dir.path(), Command::Extend { minutes: 5, student: Some("0123456789".into()) }).await.unwrap();
        assert!(reply.ok);
        assert!(reply.message.contains("Extend"), "{}", reply.message);
        let listener = server.await.unwrap();

        std::fs::write(dir.path().join(TOKEN_FILE), "sai").unwrap();
        let server =
            tokio::spawn(async move { tokio::time::timeout(Duration::from_millis(300), listener.next()).await });
        let reply = send(dir.path(), Command::Start).await.unwrap();
        assert!(!reply.ok && reply.message.contains("token"), "{reply:?}");
        assert!(server.await.unwrap().is_err(), "the server never saw a command");

        let empty = tempfile::tempdir().unwrap();
        assert!(matches!(send(empty.path(), Command::Status).await, Err(ControlError::NotRunning(_))));
    }
}
