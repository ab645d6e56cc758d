//! The client-integrity check ("exam key", after Safe Exam Browser's Browser Exam Key): the value
//! of a client build, the proctor's per-login challenge, and the answer that ties the two to one
//! login.
//!
//! - [`BuildDigest`] is SHA-256 over the client executable's bytes and nothing else, so the value
//!   `exam-client --print-integrity` prints is the value `sha256sum exam-client` prints, and no
//!   configuration file can change it (an earlier version also hashed `lab.toml`, which is the
//!   file the allowed values were written into: the value could never be allowed).
//! - [`IntegrityChallenge`] is 32 random bytes the proctor sends with every greeting and uses for
//!   one login only.
//! - [`IntegrityAnswer`] is HMAC-SHA256 keyed by the build value over a domain label, the
//!   challenge, the session's public key and the student id of the login. A recorded answer is
//!   worth nothing in another login: the challenge is new each time, and the session key it names
//!   is the one every answer event of the session must be signed with.
//!
//! What this does not do: the proctor only knows build *values*, so anything the proctor can
//! check, a program that was given the right value can produce. It tells an honest build from a
//! casually changed or different one and stops replays; it is not remote attestation
//! (`docs/proctor.md`, "What the integrity check deters").

use crate::digest::Digest;
use crate::keys::PublicKey;
use crate::secret::{ct_eq, random_array};
use std::fmt;
use std::io::Read;
use std::path::Path;

/// Separates these HMAC inputs from any other use of the same key.
const DOMAIN: &[u8] = b"phongthi/integrity/v1\0";

/// The value of one client build: SHA-256 of its executable file.
///
/// Not a secret in the strict sense (anyone with the binary can compute it), but it is what an
/// answer is keyed with, so `Debug` shows only its first eight hex digits; the full value is
/// printed on purpose by [`fmt::Display`] (`--print-integrity`, `proctor allow-build --list`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BuildDigest([u8; 32]);

crate::fixed::fixed_bytes!(BuildDigest, 32);

impl BuildDigest {
    /// The value of the build whose executable is read from `reader`, in 64 KiB pieces (the
    /// executable is large; it never has to be in memory whole).
    pub fn of_reader(reader: &mut dyn Read) -> std::io::Result<Self> {
        Ok(Self(*crate::digest::sha256_readers(&mut [reader])?.as_bytes()))
    }

    /// The value of the build in the executable file `path`.
    pub fn of_file(path: &Path) -> std::io::Result<Self> {
        let mut file = std::fs::File::open(path)?;
        Self::of_reader(&mut file)
    }

    /// The value of a build whose executable is `bytes` (tests stand in for a binary this way).
    pub fn of_bytes(bytes: &[u8]) -> Self {
        Self(*crate::digest::sha256(bytes).as_bytes())
    }

    /// Parses the hex an operator typed: 64 hex digits, either case, surrounding spaces ignored.
    pub fn parse(text: &str) -> Option<Self> {
        Self::from_hex(&text.trim().to_ascii_lowercase())
    }

    /// The answer this build gives to `challenge` in the login of `student_id` with the session
    /// key `session_key`.
    pub fn answer(&self, challenge: &IntegrityChallenge, session_key: &PublicKey, student_id: &str) -> IntegrityAnswer {
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &self.0);
        let mut context = ring::hmac::Context::with_key(&key);
        // The label, the challenge, the session key, then the student id with its length in
        // front, so no two logins' inputs can run into each other.
        let id = student_id.as_bytes();
        let length = u32::try_from(id.len()).unwrap_or(u32::MAX).to_be_bytes();
        for part in [DOMAIN, &challenge.0, session_key.as_bytes(), &length, id] {
            context.update(part);
        }
        let mut out = [0u8; 32];
        out.copy_from_slice(context.sign().as_ref());
        IntegrityAnswer(out)
    }
}

impl From<Digest> for BuildDigest {
    fn from(digest: Digest) -> Self {
        Self(*digest.as_bytes())
    }
}

impl fmt::Debug for BuildDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BuildDigest({}…)", &self.to_hex()[..8])
    }
}

impl fmt::Display for BuildDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// The proctor's challenge for one login: fresh random bytes per greeting, used once.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct IntegrityChallenge([u8; 32]);

crate::fixed::fixed_bytes!(IntegrityChallenge, 32);

impl IntegrityChallenge {
    /// A fresh challenge from the operating system's random generator.
    pub fn generate() -> crate::Result<Self> {
        Ok(Self(random_array()?))
    }
}

impl fmt::Debug for IntegrityChallenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IntegrityChallenge({})", self.to_hex())
    }
}

/// A client's answer to an [`IntegrityChallenge`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct IntegrityAnswer([u8; 32]);

crate::fixed::fixed_bytes!(IntegrityAnswer, 32);

impl IntegrityAnswer {
    /// Which of `allowed` gave this answer to `challenge` in this login, if any. Every candidate
    /// is compared in constant time, so the time taken does not tell which bytes were close.
    pub fn matching<'a, T>(
        &self,
        allowed: impl IntoIterator<Item = (&'a BuildDigest, T)>,
        challenge: &IntegrityChallenge,
        session_key: &PublicKey,
        student_id: &str,
    ) -> Option<T> {
        let mut found = None;
        for (digest, tag) in allowed {
            let expected = digest.answer(challenge, session_key, student_id);
            if ct_eq(&expected.0, &self.0) && found.is_none() {
                found = Some(tag);
            }
        }
        found
    }
}

impl fmt::Debug for IntegrityAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IntegrityAnswer({})", self.to_hex())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn login() -> (IntegrityChallenge, PublicKey, &'static str) {
        (IntegrityChallenge::from_bytes([3; 32]), PublicKey::from_bytes([4; 32]), "0123456789")
    }

    #[test]
    fn the_value_is_sha256_of_the_bytes_alone_whether_streamed_or_not() {
        let binary: Vec<u8> = (0..300_000u32).map(|i| (i % 253) as u8).collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("exam-client");
        std::fs::write(&path, &binary).unwrap();
        let from_file = BuildDigest::of_file(&path).unwrap();
        assert_eq!(from_file, BuildDigest::of_bytes(&binary));
        assert_eq!(from_file.to_hex(), crate::sha256(&binary).to_hex());
        assert_eq!(
            BuildDigest::of_bytes(b"abc").to_string(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(BuildDigest::of_file(&dir.path().join("missing")).is_err());
    }

    #[test]
    fn typed_values_parse_in_either_case_and_nothing_else_does() {
        let value = BuildDigest::of_bytes(b"x");
        assert_eq!(BuildDigest::parse(&value.to_hex().to_uppercase()), Some(value));
        assert_eq!(BuildDigest::parse(&format!("  {value}\n")), Some(value));
        for bad in ["", "ab", &value.to_hex()[1..], &format!("{value}00"), &value.to_hex().replace('a', "g")] {
            assert_eq!(BuildDigest::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_answer_is_hmac_sha256_keyed_by_the_value() {
        // Spelled out byte by byte and signed with ring directly, so a change of the input's
        // layout (which would break every proctor/client pair of different versions) fails here.
        let (challenge, key, student) = login();
        let value = BuildDigest::of_bytes(b"genuine");
        let mut input = DOMAIN.to_vec();
        input.extend_from_slice(&[3; 32]);
        input.extend_from_slice(&[4; 32]);
        input.extend_from_slice(&10u32.to_be_bytes());
        input.extend_from_slice(b"0123456789");
        let expected = ring::hmac::sign(&ring::hmac::Key::new(ring::hmac::HMAC_SHA256, value.as_bytes()), &input);
        assert_eq!(value.answer(&challenge, &key, student).as_bytes()[..], *expected.as_ref());
    }

    #[test]
    fn an_answer_fits_only_its_build_and_its_login() {
        let (challenge, key, student) = login();
        let genuine = BuildDigest::of_bytes(b"genuine");
        let changed = BuildDigest::of_bytes(b"genuine, one byte changed");
        let answer = genuine.answer(&challenge, &key, student);
        let allowed = [(&changed, "other"), (&genuine, "Phòng Thi 0.3 Windows")];
        assert_eq!(answer.matching(allowed, &challenge, &key, student), Some("Phòng Thi 0.3 Windows"));
        assert_eq!(
            changed.answer(&challenge, &key, student).matching([(&genuine, ())], &challenge, &key, student),
            None
        );
        // Replayed into another login: another challenge, another session key, another student.
        let other_challenge = IntegrityChallenge::from_bytes([5; 32]);
        assert_eq!(answer.matching([(&genuine, ())], &other_challenge, &key, student), None);
        assert_eq!(answer.matching([(&genuine, ())], &challenge, &PublicKey::from_bytes([6; 32]), student), None);
        assert_eq!(answer.matching([(&genuine, ())], &challenge, &key, "0123456790"), None);
        assert_eq!(answer.matching(std::iter::empty::<(&BuildDigest, ())>(), &challenge, &key, student), None);
    }

    #[test]
    fn challenges_are_fresh_and_debug_shows_little_of_a_value() {
        assert_ne!(IntegrityChallenge::generate().unwrap(), IntegrityChallenge::generate().unwrap());
        let value = BuildDigest::of_bytes(b"abc");
        assert_eq!(format!("{value:?}"), "BuildDigest(ba7816bf…)");
    }
}
