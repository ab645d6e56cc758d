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
