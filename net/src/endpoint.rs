//! Opening QUIC endpoints: the proctor's listening endpoint and a client's pinned connection.
//!
//! `connect` turns quinn's many failure shapes into the few a person can act on: nothing answers
//! (address, cable, firewall), wrong fingerprint (not our proctor, or a stale lab sheet), refused
//! (the proctor is there but said no), bad address, or another handshake failure.

use crate::cert::ProctorCert;
use crate::config::{pinned_client_config, server_config};
use crate::error::NetError;
use crate::fingerprint::Fingerprint;
use crate::pin::PinnedServerCert;
use quinn::{ConnectError, ConnectionError, TransportErrorCode};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The proctor's bound endpoint.
#[derive(Debug)]
pub struct ServerEndpoint {
    /// The QUIC endpoint.
    pub endpoint: quinn::Endpoint,
    /// The address actually bound (port 0 resolved).
    pub addr: SocketAddr,
    /// What the kernel granted of the receive buffer asked for; the caller says so to the
    /// user when it is short (`proctor serve` prints how to raise it).
    pub receive_buffer: BufferGrant,
}

/// A UDP socket buffer: asked for, and granted by the kernel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BufferGrant {
    /// Bytes asked for ([`SOCKET_BUFFER_BYTES`]).
    pub asked: usize,
    /// Bytes the kernel reports (Linux reports twice what it grants, for its own bookkeeping).
    pub granted: usize,
}

impl BufferGrant {
    /// Whether the kernel capped the buffer below what was asked: a login storm of thousands of
    /// PCs will then lose Initial packets, and each lost one costs its student a second or more.
    pub fn is_short(&self) -> bool {
        self.granted < self.asked
    }
}

/// Opens the proctor's endpoint on `addr` (port 0 picks any free port). Must be called inside a
/// tokio runtime.
pub fn server_endpoint(addr: SocketAddr, cert: &ProctorCert) -> Result<ServerEndpoint, NetError> {
    let config = server_config(cert)?;
    let (socket, receive_buffer) = udp_socket(addr)?;
    let runtime = Arc::new(quinn::TokioRuntime);
    let endpoint = quinn::Endpoint::new(quinn::EndpointConfig::default(), Some(config), socket, runtime)
        .map_err(|source| NetError::Bind { addr, source })?;
    let bound = endpoint.local_addr().map_err(|source| NetError::Bind { addr, source })?;
    tracing::info!(%bound, fingerprint = %cert.fingerprint(), "proctor endpoint listening");
    Ok(ServerEndpoint { endpoint, addr: bound, receive_buffer })
}

/// Connects to the proctor at `addr`, accepting only the certificate with `fingerprint`, and
/// gives up after `timeout`. Each call uses its own client endpoint on an ephemeral port, which
/// lives as long as the returned connection. Must be called inside a tokio runtime.
pub async fn connect(
    addr: SocketAddr,
    fingerprint: Fingerprint,
    timeout: Duration,
) -> Result<quinn::Connection, NetError> {
    check_remote_address(addr)?;
    let endpoint = client_endpoint(addr)?;
    connect_via(&endpoint, addr, fingerprint, timeout).await
}

/// A client endpoint on an ephemeral port of the family of `remote`. A lab PC needs one per
/// connection ([`connect`] makes it); the load generator shares a few among thousands of
/// simulated students, as one UDP socket and one I/O task each would exhaust file descriptors
/// and schedule 10,000 tasks that a real lab spreads over 10,000 PCs.
pub fn client_endpoint(remote: SocketAddr) -> Result<quinn::Endpoint, NetError> {
    let local: SocketAddr = match remote {
        SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    let (socket, _) = udp_socket(local)?;
    quinn::Endpoint::new(quinn::EndpointConfig::default(), None, socket, Arc::new(quinn::TokioRuntime))
        .map_err(|source| NetError::Bind { addr: local, source })
}

/// Socket buffers asked of the kernel (Linux caps them at `net.core.rmem_max`/`wmem_max`
/// unless raised: `deploy/linux/99-phongthi-proctor.conf`).
///
/// A login storm is a burst of Initial packets (1,200 bytes each, ~2.3 KB of kernel memory)
/// faster than the proctor can take them in while it also runs the handshakes. On the default
/// ~208 KiB buffer, `loadgen --clients 1000` lost 27,548 datagrams and took 10.5 s, each lost
/// Initial costing its student QUIC's 1 s probe timeout, doubling. With 8 MiB asked but 4 MiB
/// allowed (`rmem_max` of the test VM), 10,000 students lost 23,448 and took 20.7 s; with
/// 32 MiB granted, none were lost and the storm took 7.8 s. Retransmitting sooner (a smaller
/// initial RTT) made it worse (36.7 s): the proctor could not drain the queue any faster.
pub const SOCKET_BUFFER_BYTES: usize = 32 << 20;

fn udp_socket(addr: SocketAddr) -> Result<(std::net::UdpSocket, BufferGrant), NetError> {
    let socket = std::net::UdpSocket::bind(addr).map_err(|source| NetError::Bind { addr, source })?;
    let sock = socket2::SockRef::from(&socket);
    // Best effort: a smaller buffer than asked still works, only less well under bursts.
    let _ = sock.set_recv_buffer_size(SOCKET_BUFFER_BYTES);
    let _ = sock.set_send_buffer_size(SOCKET_BUFFER_BYTES);
    let grant = BufferGrant { asked: SOCKET_BUFFER_BYTES, granted: sock.recv_buffer_size().unwrap_or(0) };
    tracing::debug!(%addr, recv = grant.granted, send = sock.send_buffer_size().unwrap_or(0), "UDP socket buffers");
    Ok((socket, grant))
}

/// [`connect`] through an existing client `endpoint`.
pub async fn connect_via(
    endpoint: &quinn::Endpoint,
    addr: SocketAddr,
    fingerprint: Fingerprint,
    timeout: Duration,
) -> Result<quinn::Connection, NetError> {
    check_remote_address(addr)?;
    let verifier = Arc::new(PinnedServerCert::new(fingerprint));
    let config = pinned_client_config(verifier.clone())?;
    // The name is ignored by the pinning verifier; an IP literal also keeps rustls from sending
    // SNI, which would only reveal the proctor's address a second time.
    let server_name = addr.ip().to_string();
    let connecting = endpoint.connect_with(config, addr, &server_name).map_err(|error| match error {
        ConnectError::InvalidRemoteAddress(_) => NetError::BadAddress { addr, detail: error.to_string() },
        other => NetError::Handshake { addr, detail: other.to_string() },
    })?;
    let started = Instant::now();
    let outcome = tokio::time::timeout(timeout, connecting).await;
    // Checked first whatever the outcome: the refusal is the real cause of the failure that quinn
    // reports as a TLS alert.
    if let Some(got) = verifier.refused() {
        return Err(NetError::WrongFingerprint { expected: fingerprint, got });
    }
    match outcome {
        Ok(Ok(connection)) => {
            tracing::debug!(%addr, "connected to proctor");
            Ok(connection)
        }
        Ok(Err(error)) => Err(connection_failure(addr, error, started.elapsed())),
        Err(_elapsed) => Err(NetError::Unreachable { addr, after: timeout }),
    }
}

fn check_remote_address(addr: SocketAddr) -> Result<(), NetError> {
    let ip = addr.ip();
    let problem = if addr.port() == 0 {
        Some("cổng 0 / port 0")
    } else if ip.is_unspecified() {
        Some("địa chỉ không xác định / unspecified address")
    } else if ip.is_multicast() || ip == Ipv4Addr::BROADCAST {
        Some("địa chỉ quảng bá / broadcast or multicast address")
    } else {
        None
    };
    match problem {
        Some(detail) => Err(NetError::BadAddress { addr, detail: detail.to_string() }),
        None => Ok(()),
    }
}

fn connection_failure(addr: SocketAddr, error: ConnectionError, elapsed: Duration) -> NetError {
    match error {
        ConnectionError::TimedOut => NetError::Unreachable { addr, after: elapsed },
        ConnectionError::ConnectionClosed(close) if close.error_code == TransportErrorCode::CONNECTION_REFUSED => {
            NetError::Refused { addr, detail: close.to_string() }
        }
        ConnectionError::ApplicationClosed(close) => NetError::Refused { addr, detail: close.to_string() },
        other => NetError::Handshake { addr, detail: other.to_string() },
    }
}
