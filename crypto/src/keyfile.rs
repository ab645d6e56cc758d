//! Saving and loading identity keys.
//!
//! A plain key file is standard PKCS#8 in PEM (`BEGIN PRIVATE KEY`), so OpenSSL and other tools
//! can read it. A passphrase-protected file is PEM with the label `PHONGTHI ENCRYPTED PRIVATE KEY`
//! around an envelope: `"PTKY" ‖ version u16 ‖ iterations u32 ‖ salt[16] ‖ nonce[12] ‖
//! AEAD(PKCS#8, aad = everything before) ‖ SHA-256(everything before)`. The trailing checksum is
//! not a security measure (the AEAD tag is); it lets us tell a damaged file from a wrong
//! passphrase, which a person needs to know.
//!
//! Files are created with mode 0600 and never overwritten; loading refuses a key file that other
//! users can read, as OpenSSH does.

use crate::aead::{self, KdfParams, NONCE_LEN, SALT_LEN};
use crate::digest::sha256;
use crate::error::{Error, Result};
use crate::keys::SigningKey;
use crate::secret::Passphrase;
use crate::wire::{Reader, Writer};
use std::io::Write;
use std::path::Path;
use zeroize::Zeroizing;

const PLAIN_LABEL: &str = "PRIVATE KEY";
const SEALED_LABEL: &str = "PHONGTHI ENCRYPTED PRIVATE KEY";
const MAGIC: &[u8; 4] = b"PTKY";
const VERSION: u16 = 1;
const WHAT: &str = "key file";

/// Writes `key` to a new file at `path` (mode 0600), sealed under `passphrase` when given.
pub fn save_key(path: &Path, key: &SigningKey, passphrase: Option<(&Passphrase, KdfParams)>) -> Result<()> {
    let text = Zeroizing::new(match passphrase {
        None => pem(PLAIN_LABEL, key.pkcs8_der()),
        Some((passphrase, params)) => pem(SEALED_LABEL, &seal_envelope(key, passphrase, params)?),
    });
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| Error::io(path, e))?;
    file.write_all(text.as_bytes()).and_then(|_| file.sync_all()).map_err(|e| Error::io(path, e))
}

/// Reads a key file written by [`save_key`] (or a plain PKCS#8 PEM from OpenSSL).
pub fn load_key(path: &Path, passphrase: Option<&Passphrase>) -> Result<SigningKey> {
    check_permissions(path)?;
    let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?);
    parse_key(&text, passphrase)
}

/// Parses the content of a key file.
pub fn parse_key(text: &str, passphrase: Option<&Passphrase>) -> Result<SigningKey> {
    let (label, der) = unpem(text)?;
    match label.as_str() {
        PLAIN_LABEL => SigningKey::from_pkcs8(&der),
        SEALED_LABEL => {
            let passphrase = passphrase.ok_or(Error::PassphraseRequired { what: WHAT })?;
            open_envelope(&der, passphrase)
        }
        other => Err(Error::malformed(WHAT, format!("nhãn PEM lạ {other:?} / unexpected PEM label {other:?}"))),
    }
}

fn seal_envelope(key: &SigningKey, passphrase: &Passphrase, params: KdfParams) -> Result<Vec<u8>> {
    let salt = aead::random_salt()?;
    let nonce = aead::random_nonce()?;
    let mut header = Writer::new();
    header.raw(MAGIC).u16(VERSION).u32(params.iterations()).raw(&salt).raw(&nonce);
    let derived = aead::derive_from_passphrase(passphrase, &salt, params);
    let sealed = aead::seal(&derived, nonce, header.as_slice(), key.pkcs8_der())?;
    header.raw(&sealed);
    let checksum = sha256(header.as_slice());
    header.raw(checksum.as_bytes());
    Ok(header.into_vec())
}

fn open_envelope(envelope: &[u8], passphrase: &Passphrase) -> Result<SigningKey> {
    let checked_len = envelope.len().checked_sub(32).ok_or(Error::Truncated {
        what: WHAT,
        at: 0,
        needed: 32,
        available: envelope.len(),
    })?;
    let (body, checksum) = envelope.split_at(checked_len);
    let mut reader = Reader::new(WHAT, body);
    reader.header(MAGIC, VERSION)?;
    if sha256(body).as_bytes() != checksum {
        return Err(Error::Tampered { what: WHAT });
    }
    let params = KdfParams::with_iterations(reader.u32()?)?;
    let salt: [u8; SALT_LEN] = reader.array()?;
    let nonce: [u8; NONCE_LEN] = reader.array()?;
    let aad_len = reader.position();
    let sealed = reader.rest();
    let derived = aead::derive_from_passphrase(passphrase, &salt, params);
    let der = aead::open(&derived, nonce, &body[..aad_len], sealed).ok_or(Error::WrongPassphrase { what: WHAT })?;
    SigningKey::from_pkcs8(&der)
}

fn pem(label: &str, der: &[u8]) -> String {
    let body = data_encoding::BASE64.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in body.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

fn unpem(text: &str) -> Result<(String, Zeroizing<Vec<u8>>)> {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let begin = lines.next().ok_or_else(|| Error::malformed(WHAT, "tệp trống / empty file"))?;
    let label = begin
        .strip_prefix("-----BEGIN ")
        .and_then(|l| l.strip_suffix("-----"))
        .ok_or_else(|| Error::malformed(WHAT, "thiếu dòng BEGIN / missing BEGIN line"))?;
    let end = format!("-----END {label}-----");
    let mut body = Zeroizing::new(String::new());
    let mut ended = false;
    for line in lines.by_ref() {
        if line == end {
            ended = true;
            break;
        }
        body.push_str(line);
    }
    if !ended {
        return Err(Error::malformed(WHAT, "thiếu dòng END / missing END line"));
    }
    if lines.next().is_some() {
        return Err(Error::malformed(WHAT, "có nội dung sau dòng END / content after the END line"));
    }
    let der = data_encoding::BASE64
        .decode(body.as_bytes())
        .map_err(|e| Error::malformed(WHAT, format!("base64 sai / bad base64: {e}")))?;
    Ok((label.to_owned(), Zeroizing::new(der)))
}

#[cfg(unix)]
fn check_permissions(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).map_err(|e| Error::io(path, e))?.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(Error::InsecurePermissions { path: path.to_path_buf(), mode });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_permissions(_path: &Path) -> Result<()> {
    // Windows ACLs are set by the installer's folder; there is no mode to check.
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fast() -> KdfParams {
        KdfParams::with_iterations(1_000).unwrap()
    }

    #[test]
    fn plain_key_round_trip_with_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("proctor.key");
        let key = SigningKey::generate().unwrap();
        save_key(&path, &key, None).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        assert!(std::fs::read_to_string(&path).unwrap().starts_with("-----BEGIN PRIVATE KEY-----\n"));
        assert_eq!(load_key(&path, None).unwrap().public_key(), key.public_key());
        // Never overwrite an identity.
        assert!(matches!(save_key(&path, &key, None), Err(Error::Io { .. })));
    }

    #[test]
    fn sealed_key_distinguishes_wrong_passphrase_missing_passphrase_and_damage() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("teacher.key");
        let key = SigningKey::generate().unwrap();
        let pass = Passphrase::new("Tổ Toán 2026!");
        save_key(&path, &key, Some((&pass, fast()))).unwrap();
        assert_eq!(load_key(&path, Some(&pass)).unwrap().public_key(), key.public_key());
        assert!(matches!(load_key(&path, Some(&Passphrase::new("sai"))), Err(Error::WrongPassphrase { .. })));
        assert!(matches!(load_key(&path, None), Err(Error::PassphraseRequired { .. })));

        let text = std::fs::read_to_string(&path).unwrap();
        let (_, der) = unpem(&text).unwrap();
        for i in 0..der.len() {
            let mut damaged = der.to_vec();
            damaged[i] ^= 0x01;
            let result = parse_key(&pem(SEALED_LABEL, &damaged), Some(&pass));
            assert!(
                matches!(
                    result,
                    Err(Error::Tampered { .. } | Error::BadMagic { .. } | Error::UnsupportedVersion { .. })
                ),
                "byte {i}: {:?}",
                result.err()
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn world_readable_key_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.key");
        save_key(&path, &SigningKey::generate().unwrap(), None).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(matches!(load_key(&path, None), Err(Error::InsecurePermissions { mode: 0o644, .. })));
    }

    #[test]
    fn malformed_pem_is_named() {
        for (text, needle) in [
            ("", "empty"),
            ("hello", "BEGIN"),
            ("-----BEGIN PRIVATE KEY-----\nAAAA\n", "END"),
            ("-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n", "base64"),
            ("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "label"),
            ("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\nx\n", "after"),
        ] {
            let err = parse_key(text, None).err().unwrap().to_string();
            assert!(err.contains(needle), "{text:?}: {err}");
        }
    }
}
