//! The I/O side of the protocol: QUIC endpoints for the proctor and the clients, the proctor's
//! self-signed TLS certificate pinned by fingerprint, and framed control streams.
//!
//! Kept apart from `protocol` so that crate stays sans-IO, and apart from `proctor` and `client`
//! so both share one implementation (and `loadgen` drives exactly the client's code). Filled by
//! the proctor-server issue; until then it deliberately exports nothing.
