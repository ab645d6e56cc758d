//! Frames and blobs over real QUIC streams: reassembly across arbitrary reads, hostile and
//! truncated peers, and the sealed-package blob with its size cap.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is the failure report

mod common;

use common::{CONNECT_TIMEOUT, TestServer, echo, pattern, serve, within};
use phongthi_net::framed::{STOP_BLOB_TOO_LARGE, STOP_FRAME_TOO_LARGE};
use phongthi_net::{FramedRecv, FramedSend, MAX_BLOB, NetError, connect, recv_blob, send_blob};
use phongthi_protocol::{MAX_FRAME, encode_frame};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::time::Duration;
use tokio::sync::oneshot;

async fn client_of(server: &TestServer) -> quinn::Connection {
    connect(server.addr, server.cert.fingerprint(), CONNECT_TIMEOUT).await.unwrap()
}

/// Writes `frames` as one byte stream cut at `cuts` (cycled), so frame boundaries and write
/// boundaries never line up on purpose, and returns the frames the echo server sent back.
async fn echo_through_cuts(connection: &quinn::Connection, frames: &[Vec<u8>], cuts: &[usize]) -> Vec<Vec<u8>> {
    let (mut send, recv) = connection.open_bi().await.unwrap();
    let stream: Vec<u8> = frames.iter().flat_map(|frame| encode_frame(frame).unwrap()).collect();
    let reader = tokio::spawn(async move {
        let mut recv = FramedRecv::new(recv);
        let mut echoed = Vec::new();
        while let Some(frame) = recv.recv().await.unwrap() {
            echoed.push(frame);
        }
        echoed
    });
    let mut rest = stream.as_slice();
    for cut in cuts.iter().cycle() {
        if rest.is_empty() {
            break;
        }
        let (piece, tail) = rest.split_at((*cut).min(rest.len()));
        send.write_all(piece).await.unwrap();
        rest = tail;
    }
    send.finish().unwrap();
    reader.await.unwrap()
}

fn frame_size() -> impl Strategy<Value = usize> {
    prop_oneof![
        3 => 0..64usize,
        3 => 64..5_000usize,
        2 => 60_000..70_000usize,
        1 => (MAX_FRAME - 8)..=MAX_FRAME,
    ]
}

#[test]
fn frames_survive_any_split_and_join() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let (_server, connection) = runtime.block_on(async {
        let server = serve(echo);
        let connection = client_of(&server).await;
        (server, connection)
    });
    let cases =
        (proptest::collection::vec(frame_size(), 1..6), proptest::collection::vec(1..3_000usize, 1..8), any::<u64>());
    let mut runner = TestRunner::new(Config::with_cases(24));
    runner
        .run(&cases, |(sizes, cuts, seed)| {
            let frames: Vec<Vec<u8>> =
                sizes.iter().enumerate().map(|(index, size)| pattern(*size, seed ^ index as u64)).collect();
            let echoed = runtime.block_on(within("echo through cuts", echo_through_cuts(&connection, &frames, &cuts)));
            prop_assert_eq!(echoed.len(), frames.len());
            for (got, sent) in echoed.iter().zip(&frames) {
                prop_assert!(got == sent, "frame of {} bytes came back as {} bytes", sent.len(), got.len());
            }
            Ok(())
        })
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_frame_is_refused_before_sending() {
    let server = serve(echo);
    let connection = client_of(&server).await;
    let (send, recv) = connection.open_bi().await.unwrap();
    let (mut send, mut recv) = (FramedSend::new(send), FramedRecv::new(recv));
    let error = send.send(&vec![0; MAX_FRAME + 1]).await.unwrap_err();
    assert!(matches!(error, NetError::FrameTooLarge { len, max } if len == MAX_FRAME + 1 && max == MAX_FRAME));
    // Nothing was written, so the stream is still in step.
    send.send(b"cau 3: D").await.unwrap();
    send.finish().unwrap();
    assert_eq!(within("echo", recv.recv()).await.unwrap().unwrap(), b"cau 3: D");
    assert_eq!(within("finish", recv.recv()).await.unwrap(), None);
}

/// A hostile proctor announces a 4 GiB frame and then sends nothing more, keeping the stream
/// open: the client must fail on the 4-byte prefix alone (no waiting for, or buffering of, the
/// body) and tell the peer to stop.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_length_prefix_is_refused_at_once() {
    let (stop_code_tx, stop_code_rx) = oneshot::channel();
    let stop_code_tx = std::sync::Mutex::new(Some(stop_code_tx));
    let server = serve(move |connection: quinn::Connection| {
        let reply = stop_code_tx.lock().unwrap().take();
        async move {
            let (mut send, _recv) = connection.accept_bi().await.unwrap();
            send.write_all(&u32::MAX.to_be_bytes()).await.unwrap();
            let stopped = send.stopped().await.unwrap();
            if let Some(reply) = reply {
                let _ = reply.send(stopped);
            }
            connection.closed().await;
        }
    });
    let connection = client_of(&server).await;
    let (send, recv) = connection.open_bi().await.unwrap();
    let (mut send, mut recv) = (FramedSend::new(send), FramedRecv::new(recv));
    send.send(b"xin de thi").await.unwrap();
    let error = within("hostile frame", recv.recv()).await.unwrap_err();
    assert!(
        matches!(error, NetError::FrameTooLarge { len, max } if len == u32::MAX as usize && max == MAX_FRAME),
        "{error:?}"
    );
    assert_eq!(within("stop code at the server", stop_code_rx).await.unwrap(), Some(STOP_FRAME_TOO_LARGE));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prefix_just_over_the_cap_is_refused_without_its_body() {
    let server = serve(|connection: quinn::Connection| async move {
        let (mut send, _recv) = connection.accept_bi().await.unwrap();
        let announced = (MAX_FRAME + 1) as u32;
        send.write_all(&announced.to_be_bytes()).await.unwrap();
        send.write_all(&[0x55; 100]).await.unwrap();
        connection.closed().await;
    });
    let connection = client_of(&server).await;
    let (send, recv) = connection.open_bi().await.unwrap();
    FramedSend::new(send).send(b"?").await.unwrap();
    let error = within("oversized frame", FramedRecv::new(recv).recv()).await.unwrap_err();
    assert!(matches!(error, NetError::FrameTooLarge { len, .. } if len == MAX_FRAME + 1), "{error:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_ending_inside_a_frame_is_truncated() {
    for (partial, pending) in [(vec![0, 0], 2), (vec![0, 0, 0, 10, b'a', b'b', b'c'], 7)] {
        let server = serve(move |connection: quinn::Connection| {
            let partial = partial.clone();
            async move {
                let (mut send, _recv) = connection.accept_bi().await.unwrap();
                let mut framed = FramedSend::new(send);
                framed.send(b"frame day du").await.unwrap();
                send = framed.into_inner();
                send.write_all(&partial).await.unwrap();
                send.finish().unwrap();
                connection.closed().await;
            }
        });
        let connection = client_of(&server).await;
        let (send, recv) = connection.open_bi().await.unwrap();
        FramedSend::new(send).send(b"?").await.unwrap();
        let mut recv = FramedRecv::new(recv);
        assert_eq!(within("whole frame", recv.recv()).await.unwrap().unwrap(), b"frame day du");
        let error = within("truncated frame", recv.recv()).await.unwrap_err();
        assert!(matches!(error, NetError::Truncated { pending: left } if left == pending), "{error:?}");
    }
}

/// Serves one blob of `size` bytes on a fresh unidirectional stream to every client and reports
/// how `send_blob` ended.
fn blob_server(size: usize) -> (TestServer, oneshot::Receiver<Result<(), NetError>>) {
    let (done_tx, done_rx) = oneshot::channel();
    let done_tx = std::sync::Mutex::new(Some(done_tx));
    let server = serve(move |connection: quinn::Connection| {
        let done = done_tx.lock().unwrap().take();
        async move {
            let mut stream = connection.open_uni().await.unwrap();
            let outcome = send_blob(&mut stream, &pattern(size, 42)).await;
            if let Some(done) = done {
                let _ = done.send(outcome);
            }
            connection.closed().await;
        }
    });
    (server, done_rx)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_mebibyte_package_arrives_intact() {
    const SIZE: usize = 5 * 1024 * 1024;
    let (server, sent) = blob_server(SIZE);
    let connection = client_of(&server).await;
    let mut stream = within("package stream", connection.accept_uni()).await.unwrap();
    let package = within("package", recv_blob(&mut stream, MAX_BLOB)).await.unwrap();
    assert_eq!(package.len(), SIZE);
    assert!(package == pattern(SIZE, 42), "package bytes differ");
    within("acknowledgement", sent).await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn package_over_the_cap_is_refused() {
    const CAP: usize = 1024 * 1024;
    let (server, sent) = blob_server(5 * 1024 * 1024);
    let connection = client_of(&server).await;
    let mut stream = within("package stream", connection.accept_uni()).await.unwrap();
    let error = within("package", recv_blob(&mut stream, CAP)).await.unwrap_err();
    assert!(matches!(error, NetError::BlobTooLarge { max } if max == CAP), "{error:?}");
    // The proctor learns the client refused it, instead of believing the package was delivered.
    let outcome = within("sender's outcome", sent).await.unwrap();
    assert!(
        matches!(outcome, Err(NetError::StreamStopped { code }) if code == STOP_BLOB_TOO_LARGE.into_inner()),
        "{outcome:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blob_exactly_at_the_cap_and_empty_blob_are_accepted() {
    for size in [0, 200_000] {
        let (server, sent) = blob_server(size);
        let connection = client_of(&server).await;
        let mut stream = within("package stream", connection.accept_uni()).await.unwrap();
        let package = within("package", recv_blob(&mut stream, 200_000)).await.unwrap();
        assert_eq!(package, pattern(size, 42));
        within("acknowledgement", sent).await.unwrap().unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closed_connection_is_connection_lost() {
    let server = serve(|connection: quinn::Connection| async move {
        let (_send, _recv) = connection.accept_bi().await.unwrap();
        connection.close(quinn::VarInt::from_u32(7), "ket thuc ca thi".as_bytes());
    });
    let connection = client_of(&server).await;
    let (send, recv) = connection.open_bi().await.unwrap();
    FramedSend::new(send).send(b"?").await.unwrap();
    let error = within("closed", FramedRecv::new(recv).recv()).await.unwrap_err();
    match &error {
        NetError::ConnectionLost { detail } => assert!(detail.contains("ket thuc ca thi"), "{detail}"),
        other => panic!("expected ConnectionLost, got {other:?}"),
    }
    assert!(tokio::time::timeout(Duration::from_secs(5), connection.closed()).await.is_ok());
}
