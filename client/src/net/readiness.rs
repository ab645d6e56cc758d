//! The network and disk checks of `exam-client --readiness`, run before exam day on each lab
//! PC: is the proctor reachable with the pinned certificate of `lab.toml` (and how long a round
//! trip takes), and can the journal folder be written. No GUI here, so the checks are tested
//! against a real proctor endpoint on loopback.

use phongthi_net::LabConfig;
use std::path::Path;
use std::time::{Duration, Instant};

/// What a check found: a one-line detail either way.
pub type CheckResult = Result<String, String>;

/// Connects to the proctor of `lab` with its pinned fingerprint and reports the handshake time
/// and the round-trip time. A wrong certificate is a failure naming both fingerprints.
pub async fn check_proctor(lab: &LabConfig, timeout: Duration) -> CheckResult {
    let started = Instant::now();
    match phongthi_net::connect(lab.address, lab.fingerprint, timeout).await {
        Ok(connection) => {
            let handshake = started.elapsed();
            let rtt = connection.rtt();
            connection.close(0u32.into(), b"readiness");
            Ok(format!(
                "{} — bắt tay / handshake {} ms, RTT {} ms",
                lab.address,
                handshake.as_millis(),
                rtt.as_millis()
            ))
        }
        Err(error) => Err(format!("{}: {error}", lab.address)),
    }
}

/// Creates the journal folder if needed, writes and removes a probe file.
pub fn check_journal_dir(dir: &Path) -> CheckResult {
    let fail = |what: &str, error: std::io::Error| Err(format!("{}: {what}: {error}", dir.display()));
    if let Err(error) = std::fs::create_dir_all(dir) {
        return fail("không tạo được / cannot create", error);
    }
    let probe = dir.join(".phongthi-readiness-probe");
    if let Err(error) = std::fs::write(&probe, b"phongthi") {
        return fail("không ghi được / cannot write", error);
    }
    if let Err(error) = std::fs::remove_file(&probe) {
        return fail("không xóa được tệp thử / cannot remove the probe", error);
    }
    Ok(format!("{} — ghi được / writable", dir.display()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn a_writable_folder_passes_and_a_file_in_the_way_fails() {
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("nhat-ky");
        assert!(check_journal_dir(&journal).is_ok());
        assert!(journal.is_dir(), "created");
        let blocked = dir.path().join("tep");
        std::fs::write(&blocked, b"x").unwrap();
        let error = check_journal_dir(&blocked.join("con")).unwrap_err();
        assert!(error.contains("không tạo được"), "{error}");
    }

    fn lab_for(address: std::net::SocketAddr, fingerprint: phongthi_net::Fingerprint) -> LabConfig {
        LabConfig {
            address,
            fingerprint,
            proctor_key: phongthi_crypto::SigningKey::generate().unwrap().public_key(),
            exam_title: "Kiểm tra thử — Tin học 10".into(),
        }
    }

    #[tokio::test]
    async fn the_pinned_proctor_answers_and_another_is_refused() {
        let cert = phongthi_net::ProctorCert::generate(&["127.0.0.1".into()]).unwrap();
        let phongthi_net::ServerEndpoint { endpoint, addr: address, .. } =
            phongthi_net::server_endpoint("127.0.0.1:0".parse().unwrap(), &cert).unwrap();
        let server = tokio::spawn(async move {
            while let Some(incoming) = endpoint.accept().await {
                if let Ok(connection) = incoming.await {
                    connection.closed().await;
                }
            }
        });
        let detail = check_proctor(&lab_for(address, cert.fingerprint()), Duration::from_secs(5)).await.unwrap();
        assert!(detail.contains("RTT"), "{detail}");
        let other = phongthi_net::ProctorCert::generate(&["127.0.0.1".into()]).unwrap();
        let error = check_proctor(&lab_for(address, other.fingerprint()), Duration::from_secs(5)).await.unwrap_err();
        assert!(error.contains(&address.to_string()), "{error}");
        server.abort();
    }
}
