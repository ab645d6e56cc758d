//! The signed-container pattern shared by packages, bundles, sheets and receipts:
//! `body ‖ Ed25519 signature over body`, where the body starts with magic, version and the
//! signer's public key.
//!
//! Embedding the signer's key lets a reader tell "signed by someone else" ([`Error::WrongKey`],
//! [`Error::UntrustedSigner`]) from "changed after signing" ([`Error::Tampered`]).

use crate::error::{Error, Result};
use crate::keys::{PublicKey, Signature, SigningKey};
use crate::wire::{Reader, Writer};

/// Appends the signature of everything written so far.
pub(crate) fn finish_signed(mut body: Writer, key: &SigningKey) -> Vec<u8> {
    let signature = key.sign(body.as_slice());
    body.raw(signature.as_bytes());
    body.into_vec()
}

/// A container whose header was read and whose signature was checked against its embedded
/// signer key. The caller decides whether that signer is acceptable.
pub(crate) struct Opened<'a> {
    pub(crate) signer: PublicKey,
    /// The body after magic, version and signer key.
    pub(crate) fields: Reader<'a>,
    /// The whole body (everything the signature covers).
    pub(crate) body: &'a [u8],
}

/// Reads magic, version and signer, then checks the signature.
///
/// With `expected = Some(key)` a different embedded signer is [`Error::WrongKey`], checked before
/// the signature so the error says the more useful thing.
pub(crate) fn open_signed<'a>(
    what: &'static str,
    magic: &[u8; 4],
    version: u16,
    bytes: &'a [u8],
    expected: Option<&PublicKey>,
) -> Result<Opened<'a>> {
    let mut header = Reader::new(what, bytes);
    header.header(magic, version)?;
    let signer = PublicKey::from_bytes(header.array()?);
    let body_len =
        bytes.len().checked_sub(Signature::LEN).filter(|len| *len >= header.position()).ok_or(Error::Truncated {
            what,
            at: header.position(),
            needed: Signature::LEN,
            available: bytes.len() - header.position(),
        })?;
    if let Some(expected) = expected
        && *expected != signer
    {
        return Err(Error::WrongKey { what });
    }
    let (body, signature) = bytes.split_at(body_len);
    let mut signature_bytes = [0u8; Signature::LEN];
    signature_bytes.copy_from_slice(signature);
    if !signer.verify(body, &Signature::from_bytes(signature_bytes)) {
        return Err(Error::Tampered { what });
    }
    let mut fields = Reader::new(what, body);
    fields.take(header.position())?;
    Ok(Opened { signer, fields, body })
}
