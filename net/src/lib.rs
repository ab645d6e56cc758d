//! The I/O side of the protocol: QUIC endpoints for the proctor and the clients, the proctor's
//! self-signed TLS certificate pinned by fingerprint, and framed control streams.
//!
//! Kept apart from `protocol` so that crate stays sans-IO, and apart from `proctor` and `client`
//! so both share one implementation (and `loadgen` drives exactly the client's code). The pieces:
//! [`ProctorCert`] and its [`Fingerprint`] (the identity a lab sheet carries),
//! [`server_config`]/[`client_config`] (TLS 1.3 on *ring*, ALPN `phongthi/1`, transport tuned for
//! 10,000 small connections), [`PinnedServerCert`] (the pinning verifier),
//! [`server_endpoint`]/[`connect`], and [`FramedSend`]/[`FramedRecv`]/[`send_blob`]/[`recv_blob`]
//! over quinn streams; every failure is a [`NetError`]. [`init_logging`] gives the binaries one
//! log format and one `PHONGTHI_LOG` switch.

pub mod cert;
pub mod config;
mod endpoint;
mod error;
mod fingerprint;
pub mod framed;
pub mod lab;
pub mod logging;
pub mod pin;

pub use cert::ProctorCert;
pub use config::{ALPN, client_config, server_config};
pub use endpoint::{
    BufferGrant, SOCKET_BUFFER_BYTES, ServerEndpoint, client_endpoint, connect, connect_via, server_endpoint,
};
pub use error::NetError;
pub use fingerprint::Fingerprint;
pub use framed::{FramedRecv, FramedSend, MAX_BLOB, recv_blob, send_blob};
pub use lab::{LabConfig, LabConfigError};
pub use logging::{LOG_ENV, init_logging};
pub use pin::PinnedServerCert;
