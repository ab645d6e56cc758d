//! The sealed package: one form of a test, sent by the proctor to the students of that form.
//!
//! Layout: `"PTSP" ‖ version u16 ‖ proctor key[32] ‖ exam id[16] ‖ form index u32 ‖ nonce[12] ‖
//! len u32 ‖ ChaCha20-Poly1305(content, aad = everything before len) ‖ signature[64]`.
//!
//! The package travels to the lab PC while the student waits; the form key only follows at Start.
//! A client verifies the proctor's signature on arrival ([`verify_package`]) and decrypts when the
//! key comes ([`VerifiedPackage::open`]).

use crate::aead::{self, NONCE_LEN};
use crate::error::{Error, Result};
use crate::ids::ExamId;
use crate::keys::{PublicKey, SigningKey};
use crate::secret::FormKey;
use crate::signed::{finish_signed, open_signed};
use crate::wire::Writer;
use zeroize::Zeroizing;

const MAGIC: &[u8; 4] = b"PTSP";
const VERSION: u16 = 1;
const WHAT: &str = "sealed package";

/// What a package says about itself (authenticated).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PackageHeader {
    /// The exam.
    pub exam: ExamId,
    /// Index of the form within the exam (0-based); the form's code (mã đề) is inside.
    pub form_index: u32,
    /// The proctor that signed it.
    pub signer: PublicKey,
}

/// Seals `content` (one form, already encoded) for `form_index` of `exam`.
pub fn seal_package(
    proctor: &SigningKey,
    key: &FormKey,
    exam: ExamId,
    form_index: u32,
    content: &[u8],
) -> Result<Vec<u8>> {
    crate::check_payload(WHAT, content.len())?;
    let nonce = aead::random_nonce()?;
    let mut body = Writer::new();
    body.raw(MAGIC).u16(VERSION).raw(proctor.public_key().as_bytes()).raw(exam.as_bytes()).u32(form_index).raw(&nonce);
    let sealed = aead::seal(key.expose_secret(), nonce, body.as_slice(), content)?;
    body.bytes(&sealed);
    Ok(finish_signed(body, proctor))
}

/// A package whose signature checked out, not yet decrypted.
pub struct VerifiedPackage<'a> {
    header: PackageHeader,
    aad: &'a [u8],
    nonce: [u8; NONCE_LEN],
    ciphertext: &'a [u8],
}

/// Checks that `bytes` is a package signed by `proctor` and reads its header.
pub fn verify_package<'a>(bytes: &'a [u8], proctor: &PublicKey) -> Result<VerifiedPackage<'a>> {
    let mut opened = open_signed(WHAT, MAGIC, VERSION, bytes, Some(proctor))?;
    let exam = ExamId::from_bytes(opened.fields.array()?);
    let form_index = opened.fields.u32()?;
    let nonce = opened.fields.array()?;
    let aad_len = opened.fields.position();
    let ciphertext = opened.fields.bytes()?;
    opened.fields.finish()?;
    Ok(VerifiedPackage {
        header: PackageHeader { exam, form_index, signer: opened.signer },
        aad: &opened.body[..aad_len],
        nonce,
        ciphertext,
    })
}

impl VerifiedPackage<'_> {
    /// The authenticated header.
    pub fn header(&self) -> &PackageHeader {
        &self.header
    }

    /// Decrypts with the form key released at Start. The package is already known to be intact,
    /// so a failure here means the key is not this form's.
    pub fn open(&self, key: &FormKey) -> Result<Zeroizing<Vec<u8>>> {
        aead::open(key.expose_secret(), self.nonce, self.aad, self.ciphertext)
            .ok_or(Error::WrongKey { what: "form key" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::ContentKey;

    #[test]
    fn seal_verify_open() {
        let proctor = SigningKey::generate().unwrap();
        let exam = ExamId::generate().unwrap();
        let k = ContentKey::generate().unwrap();
        let package = seal_package(&proctor, &k.form_key(&exam, 101), exam, 101, "Mã đề 101".as_bytes()).unwrap();
        let verified = verify_package(&package, &proctor.public_key()).unwrap();
        assert_eq!(verified.header().form_index, 101);
        assert_eq!(verified.header().exam, exam);
        assert_eq!(verified.open(&k.form_key(&exam, 101)).unwrap().as_slice(), "Mã đề 101".as_bytes());
        assert!(matches!(verified.open(&k.form_key(&exam, 102)), Err(Error::WrongKey { what: "form key" })));
    }

    #[test]
    fn another_proctor_is_wrong_key_not_tampering() {
        let proctor = SigningKey::generate().unwrap();
        let impostor = SigningKey::generate().unwrap();
        let exam = ExamId::generate().unwrap();
        let key = FormKey::generate().unwrap();
        let package = seal_package(&impostor, &key, exam, 101, b"x").unwrap();
        assert!(matches!(verify_package(&package, &proctor.public_key()), Err(Error::WrongKey { .. })));
    }
}
