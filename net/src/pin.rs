//! Certificate pinning: the client trusts exactly one certificate, the one whose SHA-256 is the
//! fingerprint from its lab configuration.
//!
//! This replaces web PKI checks, which cannot work in a school LAN: there is no CA, and lab PCs
//! connect by IP address, so the server name is ignored. What stays is the part that proves the
//! server holds the certificate's private key: the TLS 1.3 handshake signature, verified by the
//! *ring* provider's own algorithms. TLS 1.2 is never negotiated (the configs are TLS 1.3 only),
//! so a TLS 1.2 signature is refused outright.
//!
//! quinn turns a verifier error into a generic "TLS alert" transport error, losing the details,
//! so the verifier also remembers the fingerprint it refused; [`crate::connect`] reads it back to
//! report `NetError::WrongFingerprint { expected, got }`.

use crate::error::NetError;
use crate::fingerprint::Fingerprint;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};
use std::sync::{Arc, OnceLock};

/// A [`ServerCertVerifier`] that accepts only the certificate with the expected fingerprint.
#[derive(Debug)]
pub struct PinnedServerCert {
    expected: Fingerprint,
    refused: OnceLock<Fingerprint>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl PinnedServerCert {
    /// A verifier pinned to `expected`.
    pub fn new(expected: Fingerprint) -> Self {
        Self {
            expected,
            refused: OnceLock::new(),
            algorithms: crate::config::ring_provider().signature_verification_algorithms,
        }
    }

    /// The pinned fingerprint.
    pub fn expected(&self) -> Fingerprint {
        self.expected
    }

    /// The fingerprint of the first certificate this verifier refused, if any.
    pub fn refused(&self) -> Option<Fingerprint> {
        self.refused.get().copied()
    }
}

impl ServerCertVerifier for PinnedServerCert {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let got = Fingerprint::of_der(end_entity.as_ref());
        if self.expected.matches(&got) {
            return Ok(ServerCertVerified::assertion());
        }
        let _ = self.refused.set(got);
        tracing::warn!(expected = %self.expected, %got, "server certificate does not match the pinned fingerprint");
        let error = NetError::WrongFingerprint { expected: self.expected, got };
        Err(rustls::Error::InvalidCertificate(CertificateError::Other(rustls::OtherError(Arc::new(error)))))
    }

    fn verify_tls12_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Err(rustls::Error::PeerIncompatible(rustls::PeerIncompatible::Tls13RequiredForQuic))
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}
