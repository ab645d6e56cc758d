//! The typed, in-process way into a running room: [`RoomHandle`] sends control [`Command`]s to
//! the room task and gets its [`Reply`]s, asks for exports signed by the identity the task holds,
//! and opens read-only store connections for incidents and scores. `proctor ctl` arrives over the
//! loopback control channel and is forwarded through the same handle, so the dashboard and the
//! command line run one code path.

use super::status::{RoomStatus, StatusError};
use crate::control::{Command, Reply};
use phongthi_crypto::ExamId;
use phongthi_results::export::{DecimalMark, ExportError, ExportFormat, ExportReport};
use phongthi_results::marking::{MarkOutcome, MarkingError, NewMark};
use phongthi_store::{Reader, StoreError};
use std::path::PathBuf;
use tokio::sync::{mpsc, oneshot};

/// What the handle asks of the room task.
pub(crate) enum Request {
    /// A control command, answered as `proctor ctl` is answered.
    Control(Command, oneshot::Sender<Reply>),
    /// Export this exam's results with a signed manifest.
    Export(ExportRequest, oneshot::Sender<Result<ExportReport, ExportError>>),
    /// Mark an essay answer (through the room's own store, so the audit chain stays one).
    Mark(NewMark, oneshot::Sender<Result<MarkOutcome, MarkingError>>),
}

/// An export the dashboard asks for.
#[derive(Clone, Debug)]
pub struct ExportRequest {
    /// CSV, XLSX or OneRoster.
    pub format: ExportFormat,
    /// The CSV's decimal mark.
    pub decimal: DecimalMark,
    /// The folder to write into (created if needed).
    pub out_dir: PathBuf,
}

/// Why a request through the handle failed.
#[derive(Debug, thiserror::Error)]
pub enum HandleError {
    /// The server has stopped.
    #[error("máy chủ đã dừng / the server has stopped")]
    Stopped,
    /// The status could not be read.
    #[error(transparent)]
    Status(#[from] StatusError),
    /// The export failed.
    #[error(transparent)]
    Export(#[from] ExportError),
    /// The mark was refused.
    #[error(transparent)]
    Mark(#[from] MarkingError),
}

/// A cheap, cloneable handle to a running room.
#[derive(Clone)]
pub struct RoomHandle {
    requests: mpsc::Sender<Request>,
    store_path: PathBuf,
    /// Opens the sealed exams for the readers this handle makes (in memory only).
    exam_key: phongthi_crypto::AtRestKey,
    exam_id: ExamId,
    /// The address students connect to (as written into `lab.toml`).
    lab_address: std::net::SocketAddr,
}

impl RoomHandle {
    pub(crate) fn new(
        requests: mpsc::Sender<Request>,
        store_path: PathBuf,
        exam_key: phongthi_crypto::AtRestKey,
        exam_id: ExamId,
        lab_address: std::net::SocketAddr,
    ) -> Self {
        Self { requests, store_path, exam_key, exam_id, lab_address }
    }

    /// The printable lab sheet of the served exam (address, fingerprint, room code, one login
    /// slip per student), as `proctor lab-sheet` writes it: PDF bytes.
    pub fn lab_sheet_pdf(&self) -> Result<Vec<u8>, phongthi_results::report::ReportError> {
        let data_dir = self.store_path.parent().map(phongthi_store::datadir::DataDir::new);
        let data_dir =
            data_dir.ok_or_else(|| phongthi_results::report::ReportError::LabSheet("no data directory".into()))?;
        let reader = self.reader()?;
        let sources = phongthi_results::report::lab_sources::LabSources {
            exam: Some(self.exam_id),
            address: Some(self.lab_address.to_string()),
            ..Default::default()
        };
        let sheet = phongthi_results::report::lab_sources::gather_lab_sheet(&data_dir, &reader, &sources)?;
        phongthi_results::report::lab_sheet::lab_sheet_pdf(&sheet)
    }

    /// The exam being served.
    pub fn exam_id(&self) -> ExamId {
        self.exam_id
    }

    /// Carries out `command` in the room task (written to the audit chain by the room, as every
    /// `proctor ctl` command is) and returns its reply.
    pub async fn command(&self, command: Command) -> Result<Reply, HandleError> {
        let (reply_tx, reply_rx) = oneshot::channel();
        self.requests.send(Request::Control(command, reply_tx)).await.map_err(|_| HandleError::Stopped)?;
        reply_rx.await.map_err(|_| HandleError::Stopped)
    }

    /// The room now.
    pub async fn status(&self) -> Result<RoomStatus, HandleError> {
        Ok(RoomStatus::from_reply(&self.command(Command::Status).await?)?)
    }

    /// Exports the results (as `proctor export` does), signed by the server's identity.
    pub async fn export(&self, request: ExportRequest) -> Result<ExportReport, HandleError> {
        let (reply_tx, reply_rx) = oneshot::channel();
        self.requests.send(Request::Export(request, reply_tx)).await.map_err(|_| HandleError::Stopped)?;
        Ok(reply_rx.await.map_err(|_| HandleError::Stopped)??)
    }

    /// Records a mark for an essay answer (as `proctor mark` does): the score is graded again
    /// exactly and the change written to the audit chain.
    pub async fn mark(&self, mark: NewMark) -> Result<MarkOutcome, HandleError> {
        let (reply_tx, reply_rx) = oneshot::channel();
        self.requests.send(Request::Mark(mark, reply_tx)).await.map_err(|_| HandleError::Stopped)?;
        Ok(reply_rx.await.map_err(|_| HandleError::Stopped)??)
    }

    /// A read-only connection to the store (incidents, scores, the roster).
    pub fn reader(&self) -> Result<Reader, StoreError> {
        Ok(Reader::open(&self.store_path)?.with_exam_key(self.exam_key.clone()))
    }
}
