//! QUIC and TLS settings shared by the proctor and the exam clients.
//!
//! TLS 1.3 only (QUIC requires it), the *ring* provider only, passed explicitly with
//! `builder_with_provider` so no process-wide default is consulted (with two providers compiled
//! in, rustls would otherwise panic on the ambiguity). ALPN `phongthi/1` so a client of a future,
//! incompatible wire protocol fails the handshake instead of misreading frames. No 0-RTT:
//! early data can be replayed, and every message of ours changes exam state.
//!
//! Transport numbers are chosen for one proctor holding 10,000 mostly idle connections whose
//! traffic is tiny (an answer event is a few hundred bytes) plus one sealed form package per
//! client sent while the student waits. Each number's reason is next to it.

use crate::cert::ProctorCert;
use crate::error::NetError;
use crate::fingerprint::Fingerprint;
use crate::pin::PinnedServerCert;
use quinn::crypto::rustls::{QuicClientConfig, QuicServerConfig};
use quinn::{IdleTimeout, TransportConfig, VarInt};
use std::sync::Arc;
use std::time::Duration;

/// The ALPN protocol identifier; bump the digit when the wire protocol breaks compatibility.
pub const ALPN: &[u8] = b"phongthi/1";

/// Idle timeout: a connection silent for this long is dead. Shorter than RFC 9308's usual 30 s
/// on purpose: a proctor killed and restarted sends no close, and students' clients only notice
/// through this timeout, so it is how long they show "offline" before reconnecting. Dropping a
/// healthy connection costs nothing durable (the client reconnects and resends what is
/// unacknowledged), so 10 s, with pings every 2 s, favours fast recovery.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(10);

/// Client keep-alive: a ping every 2 s keeps the connection (and any NAT or firewall state on
/// the way) alive while a student reads a question and sends nothing; five pings fit in one idle
/// timeout, so a few lost packets never drop a healthy connection. Only clients ping: 10,000
/// clients × one tiny packet / 2 s is 5,000 packets/s at the proctor, which is little, while
/// the proctor pinging as well would only double that.
pub const KEEP_ALIVE_INTERVAL: Duration = Duration::from_secs(2);

/// Per-stream receive window: 64 KiB. Control frames are small (1 MiB cap, typically < 1 KiB),
/// and a stream window is what the peer may make us buffer per stream. At LAN round-trip times
/// (≤ 1 ms) 64 KiB still moves a form package at ≥ 64 MB/s, more than a lab's share of the
/// proctor's uplink.
pub const STREAM_RECEIVE_WINDOW: u32 = 64 * 1024;

/// Per-connection receive window: 256 KiB, the most one peer can make us buffer across all its
/// streams (quinn's default is unlimited). 10,000 × 256 KiB bounds the worst case at 2.5 GiB,
/// and in practice clients send far less than a stream window at a time.
pub const CONNECTION_RECEIVE_WINDOW: u32 = 256 * 1024;

/// Send window: 256 KiB of unacknowledged data per connection (quinn's default is 10 MB). It caps
/// what the proctor buffers per client while pushing a form package; the proctor paces package
/// pushes so not every client is at its cap at once.
pub const SEND_WINDOW: u64 = 256 * 1024;

/// Concurrent bidirectional streams a peer may open: 2. One control stream per connection, plus
/// one spare so a reconnecting client's new stream never waits for the old one's credit.
pub const MAX_BIDI_STREAMS: u32 = 2;

/// Concurrent unidirectional streams a peer may open: 4. Bulk payloads (form packages, images)
/// travel one per uni stream; a few in flight is plenty and bounds per-connection state.
pub const MAX_UNI_STREAMS: u32 = 4;

/// The *ring* crypto provider: the only one this workspace compiles in.
pub(crate) fn ring_provider() -> rustls::crypto::CryptoProvider {
    rustls::crypto::ring::default_provider()
}

/// The proctor's QUIC server configuration for `cert`.
pub fn server_config(cert: &ProctorCert) -> Result<quinn::ServerConfig, NetError> {
    let mut tls = rustls::ServerConfig::builder_with_provider(Arc::new(ring_provider()))
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(NetError::tls)?
        .with_no_client_auth()
        .with_single_cert(vec![cert.cert_der().clone()], cert.key_der())
        .map_err(NetError::tls)?;
    tls.alpn_protocols = vec![ALPN.to_vec()];
    // 0 refuses early data (the default, stated here because it is a security property).
    tls.max_early_data_size = 0;
    let crypto = QuicServerConfig::try_from(tls).map_err(NetError::tls)?;
    let mut config = quinn::ServerConfig::with_crypto(Arc::new(crypto));
    config.transport_config(Arc::new(transport(Side::Proctor)));
    Ok(config)
}

/// A client configuration that accepts only the server whose certificate has fingerprint
/// `expected`.
pub fn client_config(expected: Fingerprint) -> Result<quinn::ClientConfig, NetError> {
    pinned_client_config(Arc::new(PinnedServerCert::new(expected)))
}

/// Builds the client configuration around a verifier the caller keeps, so [`crate::connect`]
/// can ask it afterwards whether the handshake failed on the fingerprint.
pub(crate) fn pinned_client_config(verifier: Arc<PinnedServerCert>) -> Result<quinn::ClientConfig, NetError> {
    let mut tls = rustls::ClientConfig::builder_with_provider(Arc::new(ring_provider()))
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(NetError::tls)?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    tls.alpn_protocols = vec![ALPN.to_vec()];
    tls.enable_early_data = false;
    let crypto = QuicClientConfig::try_from(tls).map_err(NetError::tls)?;
    let mut config = quinn::ClientConfig::new(Arc::new(crypto));
    config.transport_config(Arc::new(transport(Side::Client)));
    Ok(config)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Proctor,
    Client,
}

fn transport(side: Side) -> TransportConfig {
    let mut transport = TransportConfig::default();
    transport
        .max_idle_timeout(Some(IdleTimeout::from(VarInt::from_u32(idle_timeout_ms()))))
        .keep_alive_interval(match side {
            Side::Client => Some(KEEP_ALIVE_INTERVAL),
            Side::Proctor => None,
        })
        .stream_receive_window(VarInt::from_u32(STREAM_RECEIVE_WINDOW))
        .receive_window(VarInt::from_u32(CONNECTION_RECEIVE_WINDOW))
        .send_window(SEND_WINDOW)
        .max_concurrent_bidi_streams(VarInt::from_u32(MAX_BIDI_STREAMS))
        .max_concurrent_uni_streams(VarInt::from_u32(MAX_UNI_STREAMS))
        // Datagrams off: keep-alives already prove liveness, and quinn's default reserves a
        // receive buffer for them on every connection.
        .datagram_receive_buffer_size(None)
        .datagram_send_buffer_size(0);
    transport
}

fn idle_timeout_ms() -> u32 {
    u32::try_from(IDLE_TIMEOUT.as_millis()).unwrap_or(u32::MAX)
}
