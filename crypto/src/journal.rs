//! Sealing for the client's local answer journal, which holds events not yet acknowledged.
//!
//! Unlike every other key here, the journal secret seals many records, so random nonces are not
//! used. Each time a client opens a journal for writing it draws a random 16-byte run id and
//! derives `run key = HKDF(journal secret, run id)`; records under that run key use the nonce
//! `0u32 ‖ counter u64`, with the counter starting at 0 and only ever increasing inside a
//! [`JournalWriter`]. A crash and restart makes a new run id, hence a new key, so a counter
//! restarting at 0 never repeats a (key, nonce) pair.
//!
//! Run header: `"PTJR" ‖ version u16 ‖ run id[16]`. Record: `counter u64 ‖ len u32 ‖ AEAD(plain,
//! aad = run header ‖ counter)`.

use crate::aead::{self, NONCE_LEN};
use crate::error::{Error, Result};
use crate::secret::{JournalSecret, hkdf32, random_array};
use crate::wire::{Reader, Writer};
use zeroize::Zeroizing;

const MAGIC: &[u8; 4] = b"PTJR";
const VERSION: u16 = 1;
const WHAT: &str = "journal";
const HEADER_LEN: usize = 4 + 2 + 16;

fn run_key(secret: &JournalSecret, run_id: &[u8; 16]) -> Zeroizing<[u8; 32]> {
    hkdf32(secret.expose_secret(), b"phongthi/journal-run/v1", &[run_id])
}

fn nonce(counter: u64) -> [u8; NONCE_LEN] {
    let mut n = [0u8; NONCE_LEN];
    n[4..].copy_from_slice(&counter.to_be_bytes());
    n
}

/// Seals the records of one run.
pub struct JournalWriter {
    key: Zeroizing<[u8; 32]>,
    header: [u8; HEADER_LEN],
    counter: u64,
}

impl JournalWriter {
    /// Starts a new run; write [`JournalWriter::header`] before its records.
    pub fn start(secret: &JournalSecret) -> Result<Self> {
        let run_id: [u8; 16] = random_array()?;
        let mut header = [0u8; HEADER_LEN];
        header[..4].copy_from_slice(MAGIC);
        header[4..6].copy_from_slice(&VERSION.to_be_bytes());
        header[6..].copy_from_slice(&run_id);
        Ok(Self { key: run_key(secret, &run_id), header, counter: 0 })
    }

    /// The run header.
    pub fn header(&self) -> &[u8] {
        &self.header
    }

    /// Seals one record.
    pub fn seal(&mut self, plaintext: &[u8]) -> Result<Vec<u8>> {
        crate::check_payload(WHAT, plaintext.len())?;
        let counter = self.counter;
        self.counter =
            counter.checked_add(1).ok_or_else(|| Error::malformed(WHAT, "bộ đếm tràn / counter exhausted"))?;
        let mut aad = self.header.to_vec();
        aad.extend_from_slice(&counter.to_be_bytes());
        let sealed = aead::seal(&self.key, nonce(counter), &aad, plaintext)?;
        let mut w = Writer::new();
        w.u64(counter).bytes(&sealed);
        Ok(w.into_vec())
    }
}

/// What a journal's seat record holds: it says "this journal belongs to `session`", sealed under
/// the session's journal secret, which only the proctor and the PC that was admitted know.
fn seat_marker(session: &crate::SessionId) -> Vec<u8> {
    let mut plain = SEAT_LABEL.to_vec();
    plain.extend_from_slice(session.as_bytes());
    plain
}

const SEAT_LABEL: &[u8] = b"phongthi/seat/v1\0";
/// The longest seat proof accepted (a header and one small record; anything longer is not one).
pub const MAX_SEAT_PROOF: usize = 256;

impl JournalWriter {
    /// Seals the run's seat record for `session` (written first in every run).
    pub fn seal_seat(&mut self, session: &crate::SessionId) -> Result<Vec<u8>> {
        self.seal(&seat_marker(session))
    }
}

/// A seat proof: a run header and its sealed seat record, as read from the journal file, for a
/// client restarted on the same PC to show the proctor it holds that session's journal. The
/// client cannot read the record (it needs the secret the proctor sends at admission); it only
/// forwards the bytes, and [`verify_seat_proof`] opens them.
pub fn seat_proof(header: &[u8], record: &[u8]) -> Vec<u8> {
    let mut w = Writer::new();
    w.bytes(header).bytes(record);
    w.into_vec()
}

/// Whether `proof` is a seat record of `session` sealed under `secret`.
pub fn verify_seat_proof(secret: &JournalSecret, session: &crate::SessionId, proof: &[u8]) -> bool {
    if proof.len() > MAX_SEAT_PROOF {
        return false;
    }
    let mut r = Reader::new(WHAT, proof);
    let (Ok(header), Ok(record)) = (r.bytes(), r.bytes()) else { return false };
    if r.finish().is_err() {
        return false;
    }
    let Ok(reader) = JournalReader::new(secret, header) else { return false };
    reader.open(record).is_ok_and(|(_, plain)| crate::ct_eq(&plain, &seat_marker(session)))
}

/// Opens the records of one run.
pub struct JournalReader {
    key: Zeroizing<[u8; 32]>,
    header: [u8; HEADER_LEN],
}

impl JournalReader {
    /// Reads a run header.
    pub fn new(secret: &JournalSecret, header: &[u8]) -> Result<Self> {
        let mut r = Reader::new(WHAT, header);
        r.header(MAGIC, VERSION)?;
        let run_id: [u8; 16] = r.array()?;
        r.finish()?;
        let mut fixed = [0u8; HEADER_LEN];
        fixed.copy_from_slice(header);
        Ok(Self { key: run_key(secret, &run_id), header: fixed })
    }

    /// Opens one record; returns its counter and content.
    pub fn open(&self, record: &[u8]) -> Result<(u64, Zeroizing<Vec<u8>>)> {
        let mut r = Reader::new(WHAT, record);
        let counter = r.u64()?;
        let sealed = r.bytes()?;
        r.finish()?;
        let mut aad = self.header.to_vec();
        aad.extend_from_slice(&counter.to_be_bytes());
        let plain = aead::open(&self.key, nonce(counter), &aad, sealed).ok_or(Error::Tampered { what: WHAT })?;
        Ok((counter, plain))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seat_proof_opens_only_for_its_session_and_secret() {
        let secret = JournalSecret::generate().unwrap();
        let session = crate::SessionId::generate().unwrap();
        let mut writer = JournalWriter::start(&secret).unwrap();
        let record = writer.seal_seat(&session).unwrap();
        let proof = seat_proof(writer.header(), &record);
        assert!(verify_seat_proof(&secret, &session, &proof));
        assert!(!verify_seat_proof(&secret, &crate::SessionId::generate().unwrap(), &proof));
        assert!(!verify_seat_proof(&JournalSecret::generate().unwrap(), &session, &proof));
        // An answer record of the same run is not a seat record.
        let answer = writer.seal(b"cau 1: A").unwrap();
        assert!(!verify_seat_proof(&secret, &session, &seat_proof(writer.header(), &answer)));
        for cut in 0..proof.len() {
            assert!(!verify_seat_proof(&secret, &session, &proof[..cut]));
        }
        let mut flipped = proof.clone();
        flipped[30] ^= 1;
        assert!(!verify_seat_proof(&secret, &session, &flipped));
    }

    #[test]
    fn records_round_trip_and_runs_use_distinct_keys() {
        let secret = JournalSecret::generate().unwrap();
        let mut first = JournalWriter::start(&secret).unwrap();
        let mut second = JournalWriter::start(&secret).unwrap();
        assert_ne!(first.header(), second.header());
        let a = first.seal("câu 3: B".as_bytes()).unwrap();
        let b = first.seal("câu 4: Đ S Đ S".as_bytes()).unwrap();
        let c = second.seal("câu 3: B".as_bytes()).unwrap();
        // Same counter, same plaintext, different run: different ciphertext.
        assert_ne!(a, c);
        let reader = JournalReader::new(&secret, first.header()).unwrap();
        assert_eq!(reader.open(&a).unwrap().0, 0);
        assert_eq!(reader.open(&b).unwrap().1.as_slice(), "câu 4: Đ S Đ S".as_bytes());
        assert!(matches!(reader.open(&c), Err(Error::Tampered { .. })));
        let wrong = JournalReader::new(&JournalSecret::generate().unwrap(), first.header()).unwrap();
        assert!(wrong.open(&a).is_err());
    }
}
