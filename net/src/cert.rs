//! The proctor's TLS identity: a self-signed ECDSA P-256 certificate made with rcgen, stored in
//! the proctor's data directory, and pinned by the clients through its [`Fingerprint`].
//!
//! No certificate authority is involved: a school LAN has none, and lab PCs reach the proctor by
//! IP address. Trust comes from the fingerprint printed on the lab sheet. Hence the rules here:
//! - the key file is created with mode 0600 and never overwritten, and the certificate file is
//!   never overwritten either, because replacing either one silently breaks every lab PC that
//!   pinned the old fingerprint (making a new identity is a deliberate act: delete, then save);
//! - loading checks that the key is readable only by its owner and that it matches the
//!   certificate, so a half-copied data directory fails at start-up, not at the first student;
//! - validity dates are rcgen's wide defaults: pinning compares exact bytes, and lab PCs with a
//!   dead CMOS battery often have a wrong clock, which must not lock students out.

use crate::error::NetError;
use crate::fingerprint::Fingerprint;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

/// File name of the certificate (DER) in the proctor's data directory.
pub const CERT_FILE: &str = "tls-cert.der";
/// File name of the private key (PKCS#8 DER) in the proctor's data directory.
pub const KEY_FILE: &str = "tls-key.der";

/// Names every proctor certificate carries, so a proctor tested on its own machine works.
const LOCAL_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

/// The proctor's certificate and private key.
pub struct ProctorCert {
    cert: CertificateDer<'static>,
    key: PrivatePkcs8KeyDer<'static>,
}

impl ProctorCert {
    /// Makes a new self-signed identity. `names` are extra host names or IP addresses of the
    /// proctor PC (its LAN address, its host name); `localhost`, `127.0.0.1` and `::1` are always
    /// included. Clients ignore the names (they pin the fingerprint); they are there for people
    /// and tools that inspect the certificate.
    pub fn generate(names: &[String]) -> Result<Self, NetError> {
        let mut all_names: Vec<String> = LOCAL_NAMES.iter().map(|name| name.to_string()).collect();
        for name in names {
            let name = name.trim();
            // Checked one by one so the error names the bad entry, not the whole list.
            rcgen::CertificateParams::new(vec![name.to_string()])
                .map_err(|error| NetError::BadCertName { name: name.to_string(), detail: error.to_string() })?;
            if !all_names.iter().any(|known| known.eq_ignore_ascii_case(name)) {
                all_names.push(name.to_string());
            }
        }
        let mut params = rcgen::CertificateParams::new(all_names).map_err(NetError::tls)?;
        params.distinguished_name.push(rcgen::DnType::CommonName, "Phòng Thi proctor");
        params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
        let key_pair = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).map_err(NetError::tls)?;
        let cert = params.self_signed(&key_pair).map_err(NetError::tls)?;
        Ok(Self { cert: cert.der().clone(), key: PrivatePkcs8KeyDer::from(key_pair.serialize_der()) })
    }

    /// Writes `tls-cert.der` and `tls-key.der` into `dir` (created if missing), both mode 0600:
    /// the certificate is public, but it lives in the proctor's data directory, where every file
    /// is 0600 so that a looser one stands out when the directory is checked. Refuses, writing nothing, if either file already exists.
    pub fn save(&self, dir: &Path) -> Result<(), NetError> {
        std::fs::create_dir_all(dir).map_err(|error| NetError::io(dir, error))?;
        let (cert_path, key_path) = paths(dir);
        for path in [&cert_path, &key_path] {
            if path.exists() {
                return Err(NetError::AlreadyExists { path: path.clone() });
            }
        }
        write_new(&key_path, self.key.secret_pkcs8_der())?;
        if let Err(error) = write_new(&cert_path, self.cert.as_ref()) {
            // A key without its certificate would make the next save refuse and the next load
            // fail; we created it a moment ago, so removing it loses nothing.
            let _ = std::fs::remove_file(&key_path);
            return Err(error);
        }
        Ok(())
    }

    /// Reads the identity saved by [`ProctorCert::save`] from `dir`.
    pub fn load(dir: &Path) -> Result<Self, NetError> {
        let (cert_path, key_path) = paths(dir);
        check_key_permissions(&key_path)?;
        let key_bytes = std::fs::read(&key_path).map_err(|error| NetError::io(&key_path, error))?;
        let cert_bytes = std::fs::read(&cert_path).map_err(|error| NetError::io(&cert_path, error))?;
        let cert = CertificateDer::from(cert_bytes);
        let key = PrivatePkcs8KeyDer::from(key_bytes);

        let provider = crate::config::ring_provider();
        let signing_key = provider
            .key_provider
            .load_private_key(PrivateKeyDer::Pkcs8(key.clone_key()))
            .map_err(|error| NetError::CorruptFile { path: key_path.clone(), detail: error.to_string() })?;
        let parsed = rustls::server::ParsedCertificate::try_from(&cert)
            .map_err(|error| NetError::CorruptFile { path: cert_path.clone(), detail: error.to_string() })?;
        let key_matches = signing_key.public_key().is_some_and(|spki| spki == parsed.subject_public_key_info());
        if !key_matches {
            return Err(NetError::KeyMismatch { cert: cert_path, key: key_path });
        }
        Ok(Self { cert, key })
    }

    /// SHA-256 of the certificate: what clients pin.
    pub fn fingerprint(&self) -> Fingerprint {
        Fingerprint::of_der(self.cert.as_ref())
    }

    /// The certificate in DER.
    pub fn cert_der(&self) -> &CertificateDer<'static> {
        &self.cert
    }

    /// A copy of the private key for a TLS configuration.
    pub(crate) fn key_der(&self) -> PrivateKeyDer<'static> {
        PrivateKeyDer::Pkcs8(self.key.clone_key())
    }
}

impl fmt::Debug for ProctorCert {
    // The key never appears in logs; the fingerprint is what a person needs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProctorCert").field("fingerprint", &self.fingerprint()).finish_non_exhaustive()
    }
}

fn paths(dir: &Path) -> (PathBuf, PathBuf) {
    (dir.join(CERT_FILE), dir.join(KEY_FILE))
}

fn write_new(path: &Path, bytes: &[u8]) -> Result<(), NetError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|error| match error.kind() {
        std::io::ErrorKind::AlreadyExists => NetError::AlreadyExists { path: path.to_path_buf() },
        _ => NetError::io(path, error),
    })?;
    file.write_all(bytes).and_then(|()| file.sync_all()).map_err(|error| NetError::io(path, error))
}

#[cfg(unix)]
fn check_key_permissions(path: &Path) -> Result<(), NetError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).map_err(|error| NetError::io(path, error))?.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(NetError::InsecurePermissions { path: path.to_path_buf(), mode });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_key_permissions(_path: &Path) -> Result<(), NetError> {
    // Windows ACLs come from the installer's data folder; there is no mode to check.
    Ok(())
}
