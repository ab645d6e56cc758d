//! Connecting to the proctor over real QUIC on 127.0.0.1: pinning, the distinct failures a lab
//! PC can meet, and many clients at once.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is the failure report

mod common;

use common::{CONNECT_TIMEOUT, echo, pattern, serve, within};
use phongthi_net::{FramedRecv, FramedSend, NetError, ProctorCert, connect};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// Opens a control stream, sends `body`, and returns what the echo server sends back.
async fn round_trip(connection: &quinn::Connection, body: &[u8]) -> Result<Vec<u8>, NetError> {
    let (send, recv) = connection.open_bi().await?;
    let (mut send, mut recv) = (FramedSend::new(send), FramedRecv::new(recv));
    send.send(body).await?;
    send.finish()?;
    let echoed = recv.recv().await?.ok_or(NetError::Truncated { pending: 0 })?;
    assert_eq!(recv.recv().await?, None, "exactly one frame echoed, then a clean finish");
    Ok(echoed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pinned_client_exchanges_frames_with_the_proctor() {
    let server = serve(echo);
    let connection = connect(server.addr, server.cert.fingerprint(), CONNECT_TIMEOUT).await.unwrap();
    assert_eq!(connection.remote_address(), server.addr);
    let hello = "Xin chào thầy giám thị: Toán 12, đề 0132".as_bytes();
    assert_eq!(within("echo", round_trip(&connection, hello)).await.unwrap(), hello);
    // Several frames on one stream come back in order, the empty frame included.
    let (send, recv) = connection.open_bi().await.unwrap();
    let (mut send, mut recv) = (FramedSend::new(send), FramedRecv::new(recv));
    let frames = [b"cau 1: A".to_vec(), Vec::new(), pattern(40_000, 7), b"nop bai".to_vec()];
    for frame in &frames {
        send.send(frame).await.unwrap();
    }
    send.finish().unwrap();
    for frame in &frames {
        assert_eq!(&within("echoed frame", recv.recv()).await.unwrap().unwrap(), frame);
    }
    assert_eq!(within("finish", recv.recv()).await.unwrap(), None);
    // The negotiated protocol is ours.
    let handshake = connection.handshake_data().unwrap();
    let handshake = handshake.downcast::<quinn::crypto::rustls::HandshakeData>().unwrap();
    assert_eq!(handshake.protocol.as_deref(), Some(phongthi_net::ALPN));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_fingerprint_is_reported_as_such() {
    let server = serve(echo);
    let stale = ProctorCert::generate(&[]).unwrap().fingerprint();
    let error = connect(server.addr, stale, CONNECT_TIMEOUT).await.unwrap_err();
    match &error {
        NetError::WrongFingerprint { expected, got } => {
            assert_eq!(*expected, stale);
            assert_eq!(*got, server.cert.fingerprint());
        }
        other => panic!("expected WrongFingerprint, got {other:?}"),
    }
    let message = error.to_string();
    assert!(message.contains(&stale.to_string()) && message.contains(&server.cert.fingerprint().to_string()));
    assert!(message.contains("sai dấu vân tay") && message.contains("wrong proctor fingerprint"), "{message}");
    // The proctor is unharmed: the right fingerprint still connects.
    let connection = connect(server.addr, server.cert.fingerprint(), CONNECT_TIMEOUT).await.unwrap();
    assert_eq!(within("echo", round_trip(&connection, b"ok")).await.unwrap(), b"ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_client_config_pins_too() {
    let server = serve(echo);
    let client = quinn::Endpoint::client("127.0.0.1:0".parse().unwrap()).unwrap();
    let good = phongthi_net::client_config(server.cert.fingerprint()).unwrap();
    let connection = within("connect", client.connect_with(good, server.addr, "127.0.0.1").unwrap()).await.unwrap();
    assert_eq!(within("echo", round_trip(&connection, b"cau 2: B")).await.unwrap(), b"cau 2: B");

    let bad = phongthi_net::client_config(ProctorCert::generate(&[]).unwrap().fingerprint()).unwrap();
    let refused = within("connect", client.connect_with(bad, server.addr, "127.0.0.1").unwrap()).await;
    assert!(refused.is_err(), "a client config pinned to another certificate must not connect");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_port_times_out_within_the_timeout() {
    // Bind a port and drop it: nothing listens there any more.
    let addr: SocketAddr = {
        let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        socket.local_addr().unwrap()
    };
    let fingerprint = ProctorCert::generate(&[]).unwrap().fingerprint();
    let timeout = Duration::from_millis(600);
    let started = Instant::now();
    let error = connect(addr, fingerprint, timeout).await.unwrap_err();
    let elapsed = started.elapsed();
    match &error {
        NetError::Unreachable { addr: tried, after } => {
            assert_eq!(*tried, addr);
            assert_eq!(*after, timeout);
        }
        other => panic!("expected Unreachable, got {other:?}"),
    }
    assert!(elapsed >= timeout && elapsed < timeout + Duration::from_secs(2), "gave up after {elapsed:?}");
    let message = error.to_string();
    assert!(message.contains(&addr.to_string()) && message.contains("did not answer"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn port_held_by_something_silent_times_out_too() {
    // A UDP socket that never answers, like a firewall dropping packets.
    let black_hole = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = black_hole.local_addr().unwrap();
    let timeout = Duration::from_millis(400);
    let error = connect(addr, ProctorCert::generate(&[]).unwrap().fingerprint(), timeout).await.unwrap_err();
    assert!(matches!(error, NetError::Unreachable { after, .. } if after == timeout), "{error:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proctor_refusing_the_connection_is_refused_not_unreachable() {
    let cert = ProctorCert::generate(&[]).unwrap();
    let fingerprint = cert.fingerprint();
    let phongthi_net::ServerEndpoint { endpoint, addr, .. } =
        phongthi_net::server_endpoint("127.0.0.1:0".parse().unwrap(), &cert).unwrap();
    tokio::spawn(async move {
        while let Some(incoming) = endpoint.accept().await {
            incoming.refuse();
        }
    });
    let error = connect(addr, fingerprint, CONNECT_TIMEOUT).await.unwrap_err();
    assert!(matches!(&error, NetError::Refused { addr: refused_by, .. } if *refused_by == addr), "{error:?}");
    assert!(error.to_string().contains("từ chối"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unusable_addresses_are_bad_addresses() {
    let fingerprint = ProctorCert::generate(&[]).unwrap().fingerprint();
    for text in ["127.0.0.1:0", "0.0.0.0:4433", "[::]:4433", "255.255.255.255:4433", "224.0.0.1:4433"] {
        let addr: SocketAddr = text.parse().unwrap();
        let error = connect(addr, fingerprint, CONNECT_TIMEOUT).await.unwrap_err();
        assert!(matches!(&error, NetError::BadAddress { addr: bad, .. } if *bad == addr), "{text}: {error:?}");
        assert!(error.to_string().contains(" / "), "{error}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binding_a_taken_port_is_a_bind_error() {
    let server = serve(echo);
    let error = phongthi_net::server_endpoint(server.addr, &ProctorCert::generate(&[]).unwrap()).unwrap_err();
    assert!(matches!(&error, NetError::Bind { addr, .. } if *addr == server.addr), "{error:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peer_may_hold_only_two_control_streams_at_once() {
    let server = serve(echo);
    let connection = connect(server.addr, server.cert.fingerprint(), CONNECT_TIMEOUT).await.unwrap();
    let mut open = Vec::new();
    for index in 0..2 {
        let (send, recv) = within("open_bi", connection.open_bi()).await.unwrap();
        let mut send = FramedSend::new(send);
        send.send(format!("luong {index}").as_bytes()).await.unwrap();
        open.push((send, recv));
    }
    // The third stream has no credit until one of the first two is closed.
    let third = tokio::time::timeout(Duration::from_millis(300), connection.open_bi()).await;
    assert!(third.is_err(), "the proctor grants only 2 concurrent bidirectional streams");
    let (mut send, recv) = open.remove(0);
    send.finish().unwrap();
    let mut recv = FramedRecv::new(recv);
    assert_eq!(within("echo", recv.recv()).await.unwrap().unwrap(), b"luong 0");
    assert_eq!(within("finish", recv.recv()).await.unwrap(), None);
    within("third stream after one closed", connection.open_bi()).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_clients_at_once() {
    const CLIENTS: usize = 200;
    let server = serve(echo);
    let fingerprint = server.cert.fingerprint();
    let mut clients = tokio::task::JoinSet::new();
    for student in 0..CLIENTS {
        let addr = server.addr;
        clients.spawn(async move {
            let connection = connect(addr, fingerprint, Duration::from_secs(20)).await?;
            let body = format!("hoc sinh {student:03}: cau 1 = C").into_bytes();
            let echoed = round_trip(&connection, &body).await?;
            assert_eq!(echoed, body);
            Ok::<quinn::Connection, NetError>(connection)
        });
    }
    let mut connected = Vec::new();
    let all = async {
        while let Some(result) = clients.join_next().await {
            connected.push(result.unwrap().unwrap());
        }
    };
    tokio::time::timeout(Duration::from_secs(25), all).await.expect("200 clients took over 25 s");
    assert_eq!(connected.len(), CLIENTS);
    // All of them are connected at the same time.
    assert_eq!(server.endpoint.open_connections(), CLIENTS);
}

#[test]
fn verifier_pins_the_certificate_whatever_the_server_name() {
    use rustls::client::danger::ServerCertVerifier;
    use rustls::pki_types::{ServerName, UnixTime};
    let proctor = ProctorCert::generate(&[]).unwrap();
    let impostor = ProctorCert::generate(&["may-giam-thi".to_string()]).unwrap();
    let verifier = phongthi_net::PinnedServerCert::new(proctor.fingerprint());
    for name in ["192.168.10.2", "may-giam-thi", "example.invalid"] {
        let name = ServerName::try_from(name).unwrap();
        assert!(verifier.verify_server_cert(proctor.cert_der(), &[], &name, &[], UnixTime::now()).is_ok());
        assert_eq!(verifier.refused(), None);
    }
    let name = ServerName::try_from("192.168.10.2").unwrap();
    let error = verifier.verify_server_cert(impostor.cert_der(), &[], &name, &[], UnixTime::now()).unwrap_err();
    assert!(error.to_string().contains(&impostor.fingerprint().to_string()), "{error}");
    assert_eq!(verifier.refused(), Some(impostor.fingerprint()));
    // Handshake signatures are checked by ring's algorithms, P-256 ECDSA among them.
    assert!(verifier.supported_verify_schemes().contains(&rustls::SignatureScheme::ECDSA_NISTP256_SHA256));
}

#[tokio::test]
async fn the_proctor_endpoint_says_what_receive_buffer_the_kernel_granted() {
    let cert = ProctorCert::generate(&[]).unwrap();
    let bound = phongthi_net::server_endpoint("127.0.0.1:0".parse().unwrap(), &cert).unwrap();
    let grant = bound.receive_buffer;
    assert_eq!(grant.asked, phongthi_net::SOCKET_BUFFER_BYTES);
    // Whatever the sysctl, the kernel grants something, and never less than its own default.
    assert!(grant.granted >= 64 << 10, "{grant:?}");
    let capped = std::fs::read_to_string("/proc/sys/net/core/rmem_max")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .map(|cap| cap < phongthi_net::SOCKET_BUFFER_BYTES / 2);
    if let Some(capped) = capped {
        assert_eq!(grant.is_short(), capped, "{grant:?}");
    }
}
