//! The exam bundle (`.exam` file): a whole test with its forms, answer keys and scoring rules,
//! carried from the teacher to the proctor, typically on a USB stick.
//!
//! Layout: `"PTEB" ‖ version u16 ‖ teacher key[32] ‖ iterations u32 ‖ salt[16] ‖ nonce[12] ‖
//! len u32 ‖ ChaCha20-Poly1305(content, aad = everything before len) ‖ signature[64]`.
//! The key is PBKDF2(passphrase, salt). The signature is checked first, so a changed byte is
//! reported as tampering and never as a wrong passphrase.

use crate::aead::{self, KdfParams};
use crate::error::{Error, Result};
use crate::keys::{PublicKey, SigningKey};
use crate::secret::Passphrase;
use crate::signed::{finish_signed, open_signed};
use crate::wire::Writer;
use zeroize::Zeroizing;

const MAGIC: &[u8; 4] = b"PTEB";
const VERSION: u16 = 1;
const WHAT: &str = "exam bundle";

/// Which teacher keys a proctor accepts bundles from.
#[derive(Clone, Copy, Debug)]
pub enum TrustedTeachers<'a> {
    /// Any correctly signed bundle (the signer's fingerprint is still reported).
    Any,
    /// Only these keys.
    Only(&'a [PublicKey]),
}

/// An opened bundle.
pub struct OpenedBundle {
    /// The teacher key that signed it.
    pub teacher: PublicKey,
    /// The decrypted content.
    pub content: Zeroizing<Vec<u8>>,
}

/// Seals `content` under `passphrase` and signs it with the teacher's key.
pub fn seal_bundle(
    teacher: &SigningKey,
    passphrase: &Passphrase,
    params: KdfParams,
    content: &[u8],
) -> Result<Vec<u8>> {
    crate::check_payload(WHAT, content.len())?;
    let salt = aead::random_salt()?;
    let nonce = aead::random_nonce()?;
    let mut body = Writer::new();
    body.raw(MAGIC).u16(VERSION).raw(teacher.public_key().as_bytes()).u32(params.iterations()).raw(&salt).raw(&nonce);
    let key = aead::derive_from_passphrase(passphrase, &salt, params);
    let sealed = aead::seal(&key, nonce, body.as_slice(), content)?;
    body.bytes(&sealed);
    Ok(finish_signed(body, teacher))
}

/// Checks the signature and trust, then decrypts with `passphrase`.
pub fn open_bundle(bytes: &[u8], passphrase: &Passphrase, trusted: TrustedTeachers<'_>) -> Result<OpenedBundle> {
    let mut opened = open_signed(WHAT, MAGIC, VERSION, bytes, None)?;
    if let TrustedTeachers::Only(keys) = trusted
        && !keys.contains(&opened.signer)
    {
        return Err(Error::UntrustedSigner { what: WHAT, fingerprint: opened.signer.fingerprint() });
    }
    let params = KdfParams::with_iterations(opened.fields.u32()?)?;
    let salt = opened.fields.array()?;
    let nonce = opened.fields.array()?;
    let aad_len = opened.fields.position();
    let sealed = opened.fields.bytes()?;
    opened.fields.finish()?;
    let key = aead::derive_from_passphrase(passphrase, &salt, params);
    let content =
        aead::open(&key, nonce, &opened.body[..aad_len], sealed).ok_or(Error::WrongPassphrase { what: WHAT })?;
    Ok(OpenedBundle { teacher: opened.signer, content })
}

/// The teacher key that signed a bundle, after checking the signature (no passphrase needed).
pub fn bundle_signer(bytes: &[u8]) -> Result<PublicKey> {
    Ok(open_signed(WHAT, MAGIC, VERSION, bytes, None)?.signer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fast() -> KdfParams {
        KdfParams::with_iterations(1_000).unwrap()
    }

    #[test]
    fn round_trip_trust_and_passphrase() {
        let teacher = SigningKey::generate().unwrap();
        let other = SigningKey::generate().unwrap();
        let pass = Passphrase::new("kiểm tra giữa kỳ");
        let bundle = seal_bundle(&teacher, &pass, fast(), "đề thi".as_bytes()).unwrap();
        let opened = open_bundle(&bundle, &pass, TrustedTeachers::Any).unwrap();
        assert_eq!(opened.content.as_slice(), "đề thi".as_bytes());
        assert_eq!(opened.teacher, teacher.public_key());
        assert_eq!(bundle_signer(&bundle).unwrap(), teacher.public_key());
        let only = [teacher.public_key()];
        assert!(open_bundle(&bundle, &pass, TrustedTeachers::Only(&only)).is_ok());
        let others = [other.public_key()];
        assert!(matches!(
            open_bundle(&bundle, &pass, TrustedTeachers::Only(&others)),
            Err(Error::UntrustedSigner { .. })
        ));
        assert!(matches!(
            open_bundle(&bundle, &Passphrase::new("sai"), TrustedTeachers::Any),
            Err(Error::WrongPassphrase { .. })
        ));
    }
}
