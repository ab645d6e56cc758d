//! Answer events: every change a student makes, signed by the session key and hash-chained.
//!
//! Body: `"PTEV" ‖ version u16 ‖ session[16] ‖ seq u64 ‖ item u32 ‖ client ms u64 ‖ prev[32] ‖
//! len u32 ‖ response`; a signed event is body ‖ signature[64]. `hash_i = SHA-256(domain ‖
//! body_i)`, and `prev` of event 0 is a genesis hash bound to the session, so a chain cannot be
//! replayed into another session. The proctor accepts events one by one with a
//! [`ChainVerifier`]: an identical duplicate is re-acknowledged, a conflicting one is a fork.

use crate::digest::{Digest, sha256_parts};
use crate::error::{ChainFault, Error, Result};
use crate::ids::SessionId;
use crate::keys::{PublicKey, Signature, SigningKey};
use crate::wire::{Reader, Writer};

const MAGIC: &[u8; 4] = b"PTEV";
const VERSION: u16 = 1;
const WHAT: &str = "answer event";

/// The largest response one event may carry (an essay of a few thousand words fits).
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024;

/// One answer change, before signing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnswerEvent {
    /// The session it belongs to.
    pub session: SessionId,
    /// 0, 1, 2, … without gaps.
    pub seq: u64,
    /// The question's position or reference in the form.
    pub item: u32,
    /// The response, encoded by the protocol crate (opaque here).
    pub response: Vec<u8>,
    /// When the answer was made, on the proctor's clock as the client estimated it (ms since the
    /// epoch; the client measures its offset from the proctor). Time is the proctor's: this only
    /// lets the proctor accept, within a bound, an answer made before the deadline that reached
    /// it after (from a journal, after an outage).
    pub client_ms: u64,
    /// Hash of the previous event (or the session's genesis hash).
    pub prev: Digest,
}

impl AnswerEvent {
    fn encode(&self) -> Writer {
        let mut w = Writer::new();
        w.raw(MAGIC)
            .u16(VERSION)
            .raw(self.session.as_bytes())
            .u64(self.seq)
            .u32(self.item)
            .u64(self.client_ms)
            .raw(self.prev.as_bytes())
            .bytes(&self.response);
        w
    }

    /// This event's chain hash.
    pub fn hash(&self) -> Digest {
        hash_body(self.encode().as_slice())
    }
}

fn hash_body(body: &[u8]) -> Digest {
    sha256_parts(&[b"phongthi/answer-event/v1\0", body])
}

/// The `prev` of a session's first event.
pub fn genesis(session: &SessionId) -> Digest {
    sha256_parts(&[b"phongthi/answer-genesis/v1\0", session.as_bytes()])
}

/// An event with its signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedEvent {
    /// The event.
    pub event: AnswerEvent,
    /// The session key's signature over its encoding.
    pub signature: Signature,
}

impl SignedEvent {
    /// Signs `event` with the session key.
    pub fn sign(event: AnswerEvent, key: &SigningKey) -> Result<Self> {
        crate::check_payload_limit(WHAT, event.response.len(), MAX_RESPONSE_BYTES)?;
        let signature = key.sign(event.encode().as_slice());
        Ok(Self { event, signature })
    }

    /// The wire encoding: body ‖ signature.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = self.event.encode();
        w.raw(self.signature.as_bytes());
        w.into_vec()
    }

    /// Parses the wire encoding (the signature is checked by [`ChainVerifier`], which knows the key).
    pub fn decode(bytes: &[u8]) -> Result<Self> {
        let mut r = Reader::new(WHAT, bytes);
        r.header(MAGIC, VERSION)?;
        let session = SessionId::from_bytes(r.array()?);
        let seq = r.u64()?;
        let item = r.u32()?;
        let client_ms = r.u64()?;
        let prev = Digest::from_bytes(r.array()?);
        let response = r.bytes()?;
        crate::check_payload_limit(WHAT, response.len(), MAX_RESPONSE_BYTES)?;
        let signature = Signature::from_bytes(r.array()?);
        r.finish()?;
        Ok(Self { event: AnswerEvent { session, seq, item, response: response.to_vec(), client_ms, prev }, signature })
    }

    fn verify(&self, key: &PublicKey) -> bool {
        key.verify(self.event.encode().as_slice(), &self.signature)
    }
}

/// The client side: numbers and links events as the student answers.
#[derive(Clone, Debug)]
pub struct ChainWriter {
    session: SessionId,
    next_seq: u64,
    head: Digest,
}

impl ChainWriter {
    /// A new chain for `session`.
    pub fn new(session: SessionId) -> Self {
        Self { session, next_seq: 0, head: genesis(&session) }
    }

    /// Continues a chain after a restart, from the last event's seq + 1 and hash.
    pub fn resume(session: SessionId, next_seq: u64, head: Digest) -> Self {
        Self { session, next_seq, head }
    }

    /// Signs the next event.
    pub fn next(&mut self, key: &SigningKey, item: u32, response: Vec<u8>, client_ms: u64) -> Result<SignedEvent> {
        let event =
            AnswerEvent { session: self.session, seq: self.next_seq, item, response, client_ms, prev: self.head };
        let signed = SignedEvent::sign(event, key)?;
        self.head = signed.event.hash();
        self.next_seq += 1;
        Ok(signed)
    }

    /// Hash of the last event (genesis if none).
    pub fn head(&self) -> Digest {
        self.head
    }

    /// Number of events so far.
    pub fn len(&self) -> u64 {
        self.next_seq
    }

    /// Whether no event was written yet.
    pub fn is_empty(&self) -> bool {
        self.next_seq == 0
    }
}

/// What the proctor does with an accepted event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accepted {
    /// A new link: store it, then acknowledge.
    New(Digest),
    /// Already stored (a resend after a lost ack): acknowledge again, store nothing.
    Duplicate,
}

/// The proctor side: accepts a session's events one at a time.
///
/// A session may have several keys: a student who moves to another PC (or restarts the client)
/// gets a new session key, and events still waiting in their journal were signed by the old one.
/// Every registered key is accepted; the chain links keep the order intact whichever key signed.
#[derive(Clone, Debug)]
pub struct ChainVerifier {
    session: SessionId,
    keys: Vec<PublicKey>,
    hashes: Vec<Digest>,
    genesis: Digest,
}

impl ChainVerifier {
    /// For a new session with its session public key.
    pub fn new(session: SessionId, key: PublicKey) -> Self {
        Self::resume(session, key, Vec::new())
    }

    /// After a restart, from the hashes of the events already stored (in seq order).
    pub fn resume(session: SessionId, key: PublicKey, hashes: Vec<Digest>) -> Self {
        Self { session, keys: vec![key], hashes, genesis: genesis(&session) }
    }

    /// Registers another key of this session (after an approved seat move or a restart).
    pub fn add_key(&mut self, key: PublicKey) {
        if !self.keys.contains(&key) {
            self.keys.push(key);
        }
    }

    /// Whether `key` is registered for this session.
    pub fn has_key(&self, key: &PublicKey) -> bool {
        self.keys.contains(key)
    }

    /// Forgets events from `seq` on: used when storing them failed (a full disk), so the client's
    /// resend is accepted as new instead of being taken for a duplicate of something never stored.
    pub fn rollback_to(&mut self, seq: u64) {
        self.hashes.truncate(usize::try_from(seq).unwrap_or(usize::MAX));
    }

    /// The seq expected next.
    pub fn next_seq(&self) -> u64 {
        self.hashes.len() as u64
    }

    /// Hash of the last accepted event.
    pub fn head(&self) -> Digest {
        self.hashes.last().copied().unwrap_or(self.genesis)
    }

    /// Checks one event; on `Ok(New)` the caller must store it before acknowledging.
    pub fn accept(&mut self, signed: &SignedEvent) -> std::result::Result<Accepted, ChainFault> {
        let event = &signed.event;
        if event.session != self.session {
            return Err(ChainFault::WrongSession);
        }
        if !self.keys.iter().any(|key| signed.verify(key)) {
            return Err(ChainFault::BadSignature);
        }
        let expected = self.next_seq();
        if event.seq < expected {
            let stored = usize::try_from(event.seq).ok().and_then(|i| self.hashes.get(i));
            return if stored == Some(&event.hash()) {
                Ok(Accepted::Duplicate)
            } else {
                Err(ChainFault::Fork { seq: event.seq })
            };
        }
        if event.seq > expected {
            return Err(ChainFault::Gap { expected, found: event.seq });
        }
        if event.prev != self.head() {
            return Err(ChainFault::Fork { seq: event.seq });
        }
        let hash = event.hash();
        self.hashes.push(hash);
        Ok(Accepted::New(hash))
    }
}

/// Verifies a whole stored chain, returning its head, or the first bad link.
pub fn verify_chain(session: SessionId, key: PublicKey, events: &[SignedEvent]) -> Result<Digest> {
    verify_chain_with_keys(session, &[key], events)
}

/// [`verify_chain`] for a session with several keys (seat moves): each event may be signed by
/// any of them.
pub fn verify_chain_with_keys(session: SessionId, keys: &[PublicKey], events: &[SignedEvent]) -> Result<Digest> {
    let Some((first, others)) = keys.split_first() else {
        return match events.first() {
            None => Ok(genesis(&session)),
            Some(_) => Err(Error::BrokenChain { what: "answer", index: 0, fault: ChainFault::BadSignature }),
        };
    };
    let mut verifier = ChainVerifier::new(session, *first);
    for key in others {
        verifier.add_key(*key);
    }
    for (index, event) in events.iter().enumerate() {
        match verifier.accept(event) {
            Ok(Accepted::New(_)) => {}
            Ok(Accepted::Duplicate) => {
                return Err(Error::BrokenChain {
                    what: "answer",
                    index,
                    fault: ChainFault::Duplicate { seq: event.event.seq },
                });
            }
            Err(fault) => return Err(Error::BrokenChain { what: "answer", index, fault }),
        }
    }
    Ok(verifier.head())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: usize) -> (SessionId, SigningKey, Vec<SignedEvent>) {
        let session = SessionId::generate().unwrap();
        let key = SigningKey::generate().unwrap();
        let mut writer = ChainWriter::new(session);
        let events = (0..n)
            .map(|i| writer.next(&key, i as u32 % 7, vec![b'A' + (i % 4) as u8], i as u64 * 1000).unwrap())
            .collect();
        (session, key, events)
    }

    fn fault_at(session: SessionId, key: &SigningKey, events: &[SignedEvent]) -> (usize, ChainFault) {
        match verify_chain(session, key.public_key(), events) {
            Err(Error::BrokenChain { index, fault, .. }) => (index, fault),
            other => panic!("expected a broken chain, got {other:?}"),
        }
    }

    #[test]
    fn valid_chain_verifies_and_round_trips() {
        let (session, key, events) = chain(20);
        let head = verify_chain(session, key.public_key(), &events).unwrap();
        assert_eq!(head, events[19].event.hash());
        for e in &events {
            assert_eq!(&SignedEvent::decode(&e.encode()).unwrap(), e);
        }
    }

    #[test]
    fn first_bad_link_is_reported() {
        let (session, key, events) = chain(10);
        let mut bad_sig = events.clone();
        bad_sig[4].event.response = b"Z".to_vec();
        assert_eq!(fault_at(session, &key, &bad_sig), (4, ChainFault::BadSignature));

        let mut gap = events.clone();
        gap.remove(3);
        assert_eq!(fault_at(session, &key, &gap), (3, ChainFault::Gap { expected: 3, found: 4 }));

        let (other_session, _, _) = chain(1);
        assert_eq!(fault_at(other_session, &key, &events), (0, ChainFault::WrongSession));

        // A fork: event 5 re-signed with the right key but linked to event 3.
        let mut fork = events.clone();
        let mut forged = fork[5].event.clone();
        forged.prev = fork[3].event.hash();
        fork[5] = SignedEvent::sign(forged, &key).unwrap();
        assert_eq!(fault_at(session, &key, &fork), (5, ChainFault::Fork { seq: 5 }));

        let mut duplicate = events.clone();
        duplicate.insert(6, events[5].clone());
        assert_eq!(fault_at(session, &key, &duplicate), (6, ChainFault::Duplicate { seq: 5 }));

        let stranger = SigningKey::generate().unwrap();
        assert_eq!(fault_at(session, &stranger, &events), (0, ChainFault::BadSignature));
    }

    #[test]
    fn verifier_reacks_identical_duplicates_and_refuses_conflicts() {
        let (session, key, events) = chain(3);
        let mut verifier = ChainVerifier::new(session, key.public_key());
        for e in &events {
            assert!(matches!(verifier.accept(e), Ok(Accepted::New(_))));
        }
        assert_eq!(verifier.accept(&events[1]), Ok(Accepted::Duplicate));
        let mut conflicting = events[1].event.clone();
        conflicting.response = b"D".to_vec();
        let conflicting = SignedEvent::sign(conflicting, &key).unwrap();
        assert_eq!(verifier.accept(&conflicting), Err(ChainFault::Fork { seq: 1 }));

        let hashes: Vec<Digest> = events.iter().map(|e| e.event.hash()).collect();
        let resumed = ChainVerifier::resume(session, key.public_key(), hashes);
        assert_eq!(resumed.next_seq(), 3);
        assert_eq!(resumed.head(), verifier.head());
    }

    #[test]
    fn a_second_key_continues_the_chain_and_rollback_reopens_seqs() {
        let (session, old_key, events) = chain(2);
        let mut verifier = ChainVerifier::new(session, old_key.public_key());
        for e in &events {
            verifier.accept(e).unwrap();
        }
        let new_key = SigningKey::generate().unwrap();
        let mut writer = ChainWriter::resume(session, 2, verifier.head());
        let by_new = writer.next(&new_key, 9, b"A".to_vec(), 0).unwrap();
        assert_eq!(verifier.accept(&by_new), Err(ChainFault::BadSignature), "unregistered key");
        verifier.add_key(new_key.public_key());
        assert!(verifier.has_key(&new_key.public_key()));
        assert!(matches!(verifier.accept(&by_new), Ok(Accepted::New(_))));

        verifier.rollback_to(2);
        assert_eq!(verifier.next_seq(), 2);
        assert!(matches!(verifier.accept(&by_new), Ok(Accepted::New(_))), "accepted again after a failed store");
    }

    #[test]
    fn oversized_response_is_refused() {
        let key = SigningKey::generate().unwrap();
        let mut writer = ChainWriter::new(SessionId::generate().unwrap());
        assert!(writer.next(&key, 0, vec![0; MAX_RESPONSE_BYTES + 1], 0).is_err());
        assert!(writer.is_empty());
    }
}
