//! The client's journal file: answers not yet acknowledged, encrypted with the session's journal
//! secret, so a crash, a power cut or a PC swap loses nothing the student typed.
//!
//! File: a sequence of entries `kind u8 ‖ len u32 ‖ bytes`, kind 1 = run header, 2 = record,
//! 3 = the run's seat record (all sealed by `phongthi_crypto::journal`). Each client start appends
//! a new run; reading decrypts every run in order. The seat record says "this journal is
//! session S's"; a client restarted on the same PC (after a power cut) sends it, as read, with
//! its login ([`seat_proof`]), and the proctor, who knows the journal secret, lets it rejoin
//! without a seat-move approval. A torn last entry (power cut mid-write) is ignored: the entry was never
//! complete, and the proctor's acknowledgement is what counts, not the journal.

use phongthi_crypto::journal::{JournalReader, JournalWriter};
use phongthi_crypto::{JournalSecret, SessionId, SignedEvent};
use std::io::Write;
use std::path::{Path, PathBuf};

const HEADER: u8 = 1;
const RECORD: u8 = 2;
const SEAT: u8 = 3;

/// An open journal for appending.
pub struct Journal {
    path: PathBuf,
    writer: JournalWriter,
    file: std::fs::File,
}

fn entry(kind: u8, bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(5 + bytes.len());
    out.push(kind);
    out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    out.extend_from_slice(bytes);
    out
}

impl Journal {
    /// Reads what earlier runs left (events, in order) and opens a new run for appending, its
    /// header followed by its seat record for `session`.
    pub fn open(path: &Path, secret: &JournalSecret, session: &SessionId) -> std::io::Result<(Self, Vec<SignedEvent>)> {
        let previous = read(path, secret);
        let mut writer = JournalWriter::start(secret).map_err(std::io::Error::other)?;
        let seat = writer.seal_seat(session).map_err(std::io::Error::other)?;
        let mut file = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
        let mut run = entry(HEADER, writer.header());
        run.extend(entry(SEAT, &seat));
        file.write_all(&run)?;
        file.sync_data()?;
        Ok((Self { path: path.to_path_buf(), writer, file }, previous))
    }

    /// Appends one event and flushes it to disk before returning.
    pub fn append(&mut self, event: &SignedEvent) -> std::io::Result<()> {
        let record = self.writer.seal(&event.encode()).map_err(std::io::Error::other)?;
        self.file.write_all(&entry(RECORD, &record))?;
        self.file.sync_data()
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The complete entries of a journal file, `(kind, body)`, in order. A torn last entry (a power
/// cut mid-write) ends the walk, as does an unknown kind (a newer client's file).
fn entries(bytes: &[u8]) -> impl Iterator<Item = (u8, &[u8])> {
    let mut rest = bytes;
    std::iter::from_fn(move || {
        let (&kind, after) = rest.split_first()?;
        let len = u32::from_be_bytes(after.get(..4)?.try_into().ok()?) as usize;
        let body = after.get(4..4 + len)?;
        rest = &after[4 + len..];
        matches!(kind, HEADER | RECORD | SEAT).then_some((kind, body))
    })
}

/// Every readable event of every run in the file (empty if there is no file).
pub fn read(path: &Path, secret: &JournalSecret) -> Vec<SignedEvent> {
    let Ok(bytes) = std::fs::read(path) else { return Vec::new() };
    let mut events = Vec::new();
    let mut reader: Option<JournalReader> = None;
    for (kind, body) in entries(&bytes) {
        match kind {
            HEADER => reader = JournalReader::new(secret, body).ok(),
            RECORD => {
                let event = reader
                    .as_ref()
                    .and_then(|r| r.open(body).ok())
                    .and_then(|(_, plain)| SignedEvent::decode(&plain).ok());
                events.extend(event);
            }
            _ => {}
        }
    }
    events
}

/// The seat proof of the newest run of the journal at `path` that has one (`None` without a
/// file or a complete run). The bytes are forwarded unread: only the proctor can open them.
pub fn seat_proof(path: &Path) -> Option<Vec<u8>> {
    let bytes = std::fs::read(path).ok()?;
    let mut header: Option<&[u8]> = None;
    let mut proof = None;
    for (kind, body) in entries(&bytes) {
        match kind {
            HEADER => header = Some(body),
            SEAT => proof = header.map(|header| phongthi_crypto::journal::seat_proof(header, body)),
            _ => {}
        }
    }
    proof
}

#[cfg(test)]
mod tests {
    use super::*;
    use phongthi_crypto::{ChainWriter, SigningKey};

    #[test]
    fn runs_accumulate_and_torn_tails_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("0123456789.journal");
        let secret = JournalSecret::generate().unwrap();
        let key = SigningKey::generate().unwrap();
        let mut chain = ChainWriter::new(SessionId::generate().unwrap());
        let session = SessionId::generate().unwrap();
        assert!(seat_proof(&path).is_none());
        let (mut first, previous) = Journal::open(&path, &secret, &session).unwrap();
        assert!(previous.is_empty());
        let a = chain.next(&key, 1, b"A".to_vec(), 1).unwrap();
        first.append(&a).unwrap();
        drop(first);
        let (mut second, previous) = Journal::open(&path, &secret, &session).unwrap();
        assert_eq!(previous, vec![a.clone()]);
        let b = chain.next(&key, 2, b"B".to_vec(), 2).unwrap();
        second.append(&b).unwrap();
        drop(second);
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.extend_from_slice(&[RECORD, 0, 0, 9, 9, 1, 2]); // a power cut mid-entry
        std::fs::write(&path, bytes).unwrap();
        assert_eq!(read(&path, &secret), vec![a.clone(), b]);
        assert!(read(&path, &JournalSecret::generate().unwrap()).is_empty(), "another session's secret reads nothing");
        let proof = seat_proof(&path).expect("every run has a seat record");
        assert!(phongthi_crypto::journal::verify_seat_proof(&secret, &session, &proof));
        assert!(!phongthi_crypto::journal::verify_seat_proof(&secret, &SessionId::generate().unwrap(), &proof));
    }
}
