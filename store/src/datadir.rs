//! The proctor's data directory: its identity, its TLS certificate and its database.
//!
//! ```text
//! DATA/
//!   proctor.key      Ed25519 identity (PKCS#8 PEM, mode 0600): signs packages, receipts, audit
//!   tls-cert.der     self-signed certificate, pinned by lab PCs through lab.toml (mode 0600)
//!   tls-key.der      its private key (mode 0600)
//!   proctor.sqlite   the exam store (WAL, synchronous=FULL; mode 0600, as are its -wal, -shm)
//! ```
//! `proctor init` creates the first three and never overwrites them: a new identity would
//! invalidate every receipt and lab sheet already handed out. The directory is 0700 and every
//! file in it 0600 ([`crate::private`]); [`DataDir::loose_modes`] names what is looser.

use phongthi_crypto::{Passphrase, SigningKey};
use phongthi_net::{Fingerprint, ProctorCert};
use std::path::{Path, PathBuf};

/// The identity key's file name.
pub const KEY_FILE: &str = "proctor.key";

/// A problem with the data directory.
#[derive(Debug, thiserror::Error)]
pub enum DataDirError {
    /// Already initialised.
    #[error("{0} đã có danh tính; không ghi đè / {0} already has an identity; not overwriting")]
    AlreadyInitialised(String),
    /// Not initialised.
    #[error(
        "{0} chưa được khởi tạo; chạy `proctor --data {0} init` / {0} is not initialised; run `proctor --data {0} init`"
    )]
    NotInitialised(String),
    /// The directory could not be created.
    #[error("không tạo được thư mục {path}: {source} / cannot create {path}: {source}")]
    Create {
        /// The directory.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The identity key could not be made or read.
    #[error(transparent)]
    Key(#[from] phongthi_crypto::Error),
    /// The certificate could not be made or read.
    #[error(transparent)]
    Cert(#[from] phongthi_net::NetError),
}

/// What `init` made.
#[derive(Debug)]
pub struct Initialised {
    /// The identity's public key.
    pub proctor_key: phongthi_crypto::PublicKey,
    /// The certificate fingerprint lab PCs pin.
    pub fingerprint: Fingerprint,
}

/// A proctor data directory.
#[derive(Clone, Debug)]
pub struct DataDir {
    path: PathBuf,
}

impl DataDir {
    /// The directory at `path` (not touched yet).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn display(&self) -> String {
        self.path.display().to_string()
    }

    /// What in the directory other accounts can read, for the commands to warn about.
    pub fn loose_modes(&self) -> std::io::Result<Vec<crate::private::LooseMode>> {
        crate::private::loose_modes(&self.path)
    }

    /// Whether `init` has run here.
    pub fn is_initialised(&self) -> bool {
        self.path.join(KEY_FILE).exists()
    }

    /// Creates the identity and the certificate (for `names`: the PC's host names and LAN
    /// addresses, besides localhost).
    pub fn init(&self, names: &[String], passphrase: Option<&Passphrase>) -> Result<Initialised, DataDirError> {
        if self.is_initialised() || self.path.join(phongthi_net::cert::CERT_FILE).exists() {
            return Err(DataDirError::AlreadyInitialised(self.display()));
        }
        crate::private::create_private_dir(&self.path)
            .map_err(|source| DataDirError::Create { path: self.display(), source })?;
        let key = SigningKey::generate()?;
        let cert = ProctorCert::generate(names)?;
        cert.save(&self.path)?;
        let params = phongthi_crypto::KdfParams::default();
        phongthi_crypto::save_key(&self.path.join(KEY_FILE), &key, passphrase.map(|p| (p, params)))?;
        Ok(Initialised { proctor_key: key.public_key(), fingerprint: cert.fingerprint() })
    }

    /// The identity key.
    pub fn identity(&self, passphrase: Option<&Passphrase>) -> Result<SigningKey, DataDirError> {
        if !self.is_initialised() {
            return Err(DataDirError::NotInitialised(self.display()));
        }
        Ok(phongthi_crypto::load_key(&self.path.join(KEY_FILE), passphrase)?)
    }

    /// The TLS certificate.
    pub fn certificate(&self) -> Result<ProctorCert, DataDirError> {
        if !self.is_initialised() {
            return Err(DataDirError::NotInitialised(self.display()));
        }
        Ok(ProctorCert::load(&self.path)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_once_then_load() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::new(dir.path().join("phong-may-1"));
        assert!(matches!(data.identity(None), Err(DataDirError::NotInitialised(_))));
        let made = data.init(&[], None).unwrap();
        assert_eq!(data.identity(None).unwrap().public_key(), made.proctor_key);
        assert_eq!(data.certificate().unwrap().fingerprint(), made.fingerprint);
        assert!(matches!(data.init(&[], None), Err(DataDirError::AlreadyInitialised(_))));
    }
}
