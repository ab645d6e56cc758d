//! A UDP relay between some students and the proctor, with a switch that drops every datagram
//! both ways: a network cut (a pulled cable, a dead switch) as QUIC really sees it, no packets
//! and no error, for the partition drill.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use tokio::net::UdpSocket;
use tokio::sync::Mutex;

/// The relay's controls.
pub(crate) struct Proxy {
    /// Where students connect instead of the proctor.
    pub(crate) addr: SocketAddr,
    cut: Arc<AtomicBool>,
    /// Datagrams dropped while cut.
    pub(crate) dropped: Arc<AtomicU64>,
}

impl Proxy {
    /// Starts relaying to `upstream`.
    pub(crate) async fn start(upstream: SocketAddr) -> std::io::Result<Self> {
        let front = Arc::new(UdpSocket::bind(("127.0.0.1", 0)).await?);
        let addr = front.local_addr()?;
        let cut = Arc::new(AtomicBool::new(false));
        let dropped = Arc::new(AtomicU64::new(0));
        let flows: Arc<Mutex<HashMap<SocketAddr, Arc<UdpSocket>>>> = Arc::default();
        let (front2, cut2, dropped2) = (Arc::clone(&front), Arc::clone(&cut), Arc::clone(&dropped));
        tokio::spawn(async move {
            let mut buf = vec![0u8; 65_536];
            while let Ok((len, client)) = front2.recv_from(&mut buf).await {
                if cut2.load(Ordering::Relaxed) {
                    dropped2.fetch_add(1, Ordering::Relaxed);
                    continue;
                }
                let back = {
                    let mut flows = flows.lock().await;
                    match flows.get(&client) {
                        Some(socket) => Arc::clone(socket),
                        None => match open_flow(upstream, client, &front2, &cut2, &dropped2).await {
                            Ok(socket) => {
                                flows.insert(client, Arc::clone(&socket));
                                socket
                            }
                            Err(_) => continue,
                        },
                    }
                };
                let _ = back.send(&buf[..len]).await;
            }
        });
        Ok(Self { addr, cut, dropped })
    }

    /// Cuts (`true`) or restores the network.
    pub(crate) fn set_cut(&self, cut: bool) {
        self.cut.store(cut, Ordering::Relaxed);
    }
}

/// One upstream socket per student, so the proctor sees distinct peers, relaying answers back.
async fn open_flow(
    upstream: SocketAddr,
    client: SocketAddr,
    front: &Arc<UdpSocket>,
    cut: &Arc<AtomicBool>,
    dropped: &Arc<AtomicU64>,
) -> std::io::Result<Arc<UdpSocket>> {
    let socket = Arc::new(UdpSocket::bind(("127.0.0.1", 0)).await?);
    socket.connect(upstream).await?;
    let (socket2, front, cut, dropped) = (Arc::clone(&socket), Arc::clone(front), Arc::clone(cut), Arc::clone(dropped));
    tokio::spawn(async move {
        let mut buf = vec![0u8; 65_536];
        loop {
            match socket2.recv(&mut buf).await {
                Ok(len) => {
                    if cut.load(Ordering::Relaxed) {
                        dropped.fetch_add(1, Ordering::Relaxed);
                        continue;
                    }
                    let _ = front.send_to(&buf[..len], client).await;
                }
                // The proctor was killed: ICMP "port unreachable" surfaces here; keep relaying
                // for when it is back.
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
            }
        }
    });
    Ok(socket)
}
