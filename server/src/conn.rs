//! One task per QUIC connection: frames in, messages out, packages on their own streams.

use super::Inbound;
use phongthi_net::{FramedRecv, FramedSend};
use phongthi_protocol::{ClientMsg, ConnId, DecodeError, PROTOCOL_VERSION, Refusal, ServerMsg};
use std::sync::Arc;
use tokio::sync::{Semaphore, mpsc};

/// Messages waiting for a slow client before it is disconnected rather than slowing the room.
pub(crate) const OUTBOX: usize = 256;

/// Serves one connection until it ends, then reports `Disconnected`.
pub(crate) async fn run(
    incoming: quinn::Incoming,
    id: ConnId,
    to_room: mpsc::Sender<Inbound>,
    package_pushes: Arc<Semaphore>,
) {
    let Ok(connection) = incoming.await else { return };
    let Ok((send, recv)) = connection.accept_bi().await else { return };
    let (out_tx, mut out_rx) = mpsc::channel::<ServerMsg>(OUTBOX);
    if to_room.send(Inbound::Connected(id, out_tx)).await.is_err() {
        return;
    }
    let mut recv = FramedRecv::new(recv);
    let mut send = FramedSend::new(send);
    loop {
        tokio::select! {
            frame = recv.recv() => match frame {
                Ok(Some(bytes)) => match phongthi_protocol::decode::<ClientMsg>(&bytes) {
                    Ok(msg) => {
                        if to_room.send(Inbound::Message(id, msg)).await.is_err() {
                            break;
                        }
                    }
                    Err(DecodeError::Version { .. }) => {
                        let refusal = ServerMsg::Refused(Refusal::ProtocolVersion { supported: PROTOCOL_VERSION });
                        if let Ok(bytes) = phongthi_protocol::encode(&refusal) {
                            let _ = send.send(&bytes).await;
                        }
                        let _ = to_room.send(Inbound::Garbage(id, "protocol version".into())).await;
                        finish_and_close(send, &connection, b"protocol version").await;
                        break;
                    }
                    Err(e) => {
                        let _ = to_room.send(Inbound::Garbage(id, e.to_string())).await;
                        break;
                    }
                },
                Ok(None) => break,
                Err(e) => {
                    let _ = to_room.send(Inbound::Garbage(id, e.to_string())).await;
                    break;
                }
            },
            out = out_rx.recv() => match out {
                Some(ServerMsg::Package(bytes)) => {
                    // Packages go on their own stream, a bounded number at a time across the
                    // room, so control frames are not stuck behind them and 10,000 pushes do not
                    // fill the proctor's memory with send buffers.
                    let connection = connection.clone();
                    let permits = package_pushes.clone();
                    tokio::spawn(async move {
                        let Ok(_permit) = permits.acquire_owned().await else { return };
                        if let Ok(mut uni) = connection.open_uni().await {
                            let _ = phongthi_net::send_blob(&mut uni, &bytes).await;
                        }
                    });
                }
                Some(msg) => {
                    let Ok(bytes) = phongthi_protocol::encode(&msg) else { continue };
                    if send.send(&bytes).await.is_err() {
                        break;
                    }
                }
                None => {
                    // The room closed this connection: everything queued before was sent.
                    finish_and_close(send, &connection, b"closed by proctor").await;
                    break;
                }
            },
        }
    }
    let _ = to_room.send(Inbound::Disconnected(id)).await;
}

/// Ends the stream and closes the connection once the peer has what was sent (a refusal must
/// arrive, not be cut off by the close), waiting at most two seconds for a slow or silent peer.
async fn finish_and_close(send: FramedSend, connection: &quinn::Connection, reason: &[u8]) {
    let mut stream = send.into_inner();
    if stream.finish().is_ok() {
        let _ = tokio::time::timeout(std::time::Duration::from_secs(2), stream.stopped()).await;
    }
    connection.close(0u32.into(), reason);
}
