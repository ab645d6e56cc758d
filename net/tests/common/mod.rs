//! Shared pieces of the QUIC tests: a proctor endpoint on 127.0.0.1 driven by a per-connection
//! handler, an echo handler, deterministic payloads, and a bound on every await so a broken
//! test fails instead of hanging.

#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic is the failure report

use phongthi_net::{FramedRecv, FramedSend, ProctorCert};
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

/// A running test proctor.
pub struct TestServer {
    pub endpoint: quinn::Endpoint,
    pub addr: SocketAddr,
    pub cert: ProctorCert,
}

/// Starts a proctor endpoint on a free loopback port; `handler` runs once per accepted
/// connection, in its own task.
pub fn serve<H, F>(handler: H) -> TestServer
where
    H: Fn(quinn::Connection) -> F + Send + Sync + 'static,
    F: Future<Output = ()> + Send + 'static,
{
    let cert = ProctorCert::generate(&["proctor.thpt-chu-van-an.edu.vn".to_string()]).unwrap();
    serve_with(cert, handler)
}

/// Like [`serve`] with a given identity.
pub fn serve_with<H, F>(cert: ProctorCert, handler: H) -> TestServer
where
    H: Fn(quinn::Connection) -> F + Send + Sync + 'static,
    F: Future<Output = ()> + Send + 'static,
{
    let phongthi_net::ServerEndpoint { endpoint, addr, .. } =
        phongthi_net::server_endpoint("127.0.0.1:0".parse().unwrap(), &cert).unwrap();
    let accepting = endpoint.clone();
    tokio::spawn(async move {
        let handler = std::sync::Arc::new(handler);
        while let Some(incoming) = accepting.accept().await {
            let handler = handler.clone();
            tokio::spawn(async move {
                if let Ok(connection) = incoming.await {
                    handler(connection).await;
                }
            });
        }
    });
    TestServer { endpoint, addr, cert }
}

/// Echoes every frame of every bidirectional stream back on the same stream, then finishes it.
pub async fn echo(connection: quinn::Connection) {
    while let Ok((send, recv)) = connection.accept_bi().await {
        tokio::spawn(async move {
            let mut send = FramedSend::new(send);
            let mut recv = FramedRecv::new(recv);
            while let Ok(Some(frame)) = recv.recv().await {
                if send.send(&frame).await.is_err() {
                    return;
                }
            }
            // quinn keeps delivering a finished stream after its handle is dropped.
            let _ = send.finish();
        });
    }
}

/// Deterministic, non-repeating bytes so a reordered or shifted chunk is caught.
pub fn pattern(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    (0..len)
        .map(|_| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 56) as u8
        })
        .collect()
}

/// Awaits `future`, failing the test if it takes more than 10 s.
pub async fn within<T>(what: &str, future: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), future).await.unwrap_or_else(|_| panic!("{what} took over 10 s"))
}

/// The connect timeout used where the server is expected to answer.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
