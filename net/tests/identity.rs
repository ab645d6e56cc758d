//! The proctor's TLS identity on disk and its fingerprint as people read and type it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is the failure report

use phongthi_net::cert::{CERT_FILE, KEY_FILE};
use phongthi_net::{Fingerprint, NetError, ProctorCert};
use proptest::prelude::*;
use std::path::Path;

fn lab_names() -> Vec<String> {
    vec!["may-giam-thi.thpt-le-quy-don.edu.vn".to_string(), "192.168.10.2".to_string(), "fe80::1".to_string()]
}

fn saved_identity() -> (tempfile::TempDir, ProctorCert) {
    let dir = tempfile::tempdir().unwrap();
    let cert = ProctorCert::generate(&lab_names()).unwrap();
    cert.save(dir.path()).unwrap();
    (dir, cert)
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn write_private(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

#[test]
fn generated_identity_survives_save_and_load() {
    let (dir, cert) = saved_identity();
    let loaded = ProctorCert::load(dir.path()).unwrap();
    assert_eq!(loaded.fingerprint(), cert.fingerprint());
    assert_eq!(loaded.cert_der(), cert.cert_der());
    assert_eq!(std::fs::read(dir.path().join(CERT_FILE)).unwrap(), cert.cert_der().as_ref());
    // The fingerprint is the SHA-256 of exactly the DER on disk, so `sha256sum tls-cert.der`
    // on the proctor PC gives the same digits as the lab sheet.
    assert_eq!(cert.fingerprint(), Fingerprint::of_der(&std::fs::read(dir.path().join(CERT_FILE)).unwrap()));
}

#[test]
fn every_generation_is_a_new_identity() {
    let first = ProctorCert::generate(&[]).unwrap();
    let second = ProctorCert::generate(&[]).unwrap();
    assert_ne!(first.fingerprint(), second.fingerprint());
}

#[test]
fn certificate_carries_the_local_and_given_names() {
    let cert = ProctorCert::generate(&lab_names()).unwrap();
    let der = cert.cert_der().as_ref();
    let contains = |needle: &[u8]| der.windows(needle.len()).any(|window| window == needle);
    assert!(contains(b"localhost"));
    assert!(contains(b"may-giam-thi.thpt-le-quy-don.edu.vn"));
    assert!(contains(&[127, 0, 0, 1]), "127.0.0.1 as an IP SAN");
    assert!(contains(&[192, 168, 10, 2]), "192.168.10.2 as an IP SAN");
    let mut loopback_v6 = [0u8; 16];
    loopback_v6[15] = 1;
    assert!(contains(&loopback_v6), "::1 as an IP SAN");
}

#[test]
fn invalid_name_is_named_in_the_error() {
    let error = ProctorCert::generate(&["máy-chủ-phòng-thi".to_string()]).unwrap_err();
    match &error {
        NetError::BadCertName { name, .. } => assert_eq!(name, "máy-chủ-phòng-thi"),
        other => panic!("expected BadCertName, got {other:?}"),
    }
    let message = error.to_string();
    assert!(message.contains("máy-chủ-phòng-thi") && message.contains(" / "), "{message}");
}

#[cfg(unix)]
#[test]
fn key_and_certificate_files_are_private() {
    // The certificate is public, but it lives in the proctor's data directory, where every file
    // is 0600 so that a looser one stands out.
    let (dir, _) = saved_identity();
    assert_eq!(mode(&dir.path().join(KEY_FILE)), 0o600);
    assert_eq!(mode(&dir.path().join(CERT_FILE)), 0o600);
}

#[test]
fn saving_never_overwrites() {
    let (dir, original) = saved_identity();
    let key_before = std::fs::read(dir.path().join(KEY_FILE)).unwrap();
    let other = ProctorCert::generate(&[]).unwrap();
    match other.save(dir.path()).unwrap_err() {
        NetError::AlreadyExists { path } => assert!(path.starts_with(dir.path())),
        error => panic!("expected AlreadyExists, got {error:?}"),
    }
    assert_eq!(std::fs::read(dir.path().join(KEY_FILE)).unwrap(), key_before);
    assert_eq!(ProctorCert::load(dir.path()).unwrap().fingerprint(), original.fingerprint());
}

#[test]
fn saving_next_to_a_stray_file_writes_nothing() {
    for (stray, absent) in [(CERT_FILE, KEY_FILE), (KEY_FILE, CERT_FILE)] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(stray), b"left over").unwrap();
        let error = ProctorCert::generate(&[]).unwrap().save(dir.path()).unwrap_err();
        match error {
            NetError::AlreadyExists { path } => assert_eq!(path, dir.path().join(stray)),
            other => panic!("expected AlreadyExists for {stray}, got {other:?}"),
        }
        assert!(!dir.path().join(absent).exists(), "{absent} must not be written");
    }
}

#[test]
fn save_creates_the_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("du-lieu").join("giam-thi");
    let cert = ProctorCert::generate(&[]).unwrap();
    cert.save(&nested).unwrap();
    assert_eq!(ProctorCert::load(&nested).unwrap().fingerprint(), cert.fingerprint());
}

#[test]
fn loading_a_missing_identity_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let error = ProctorCert::load(dir.path()).unwrap_err();
    match &error {
        NetError::MissingFile { path } => assert_eq!(path, &dir.path().join(KEY_FILE)),
        other => panic!("expected MissingFile, got {other:?}"),
    }
    assert!(error.to_string().contains(KEY_FILE));

    let (dir, _) = saved_identity();
    std::fs::remove_file(dir.path().join(CERT_FILE)).unwrap();
    match ProctorCert::load(dir.path()).unwrap_err() {
        NetError::MissingFile { path } => assert_eq!(path, dir.path().join(CERT_FILE)),
        other => panic!("expected MissingFile for the certificate, got {other:?}"),
    }
}

/// Turns a good file's bytes into damaged ones.
type Damage = fn(&[u8]) -> Vec<u8>;

/// Each corruption of one file is reported as that file being corrupt.
#[test]
fn corrupt_files_are_named() {
    let cases: [(&str, Damage); 6] = [
        (KEY_FILE, |_| b"khong phai khoa".to_vec()),
        (KEY_FILE, |bytes| bytes[..bytes.len() / 2].to_vec()),
        (KEY_FILE, |_| Vec::new()),
        (CERT_FILE, |_| b"-----BEGIN CERTIFICATE-----".to_vec()),
        (CERT_FILE, |bytes| bytes[..bytes.len() - 10].to_vec()),
        (CERT_FILE, |_| Vec::new()),
    ];
    for (file, corrupt) in cases {
        let (dir, _) = saved_identity();
        let path = dir.path().join(file);
        let damaged = corrupt(&std::fs::read(&path).unwrap());
        write_private(&path, &damaged);
        let error = ProctorCert::load(dir.path()).unwrap_err();
        match &error {
            NetError::CorruptFile { path: named, .. } => assert_eq!(named, &path, "{error}"),
            other => panic!("{file} corrupted as {damaged:?}: expected CorruptFile, got {other:?}"),
        }
        let message = error.to_string();
        assert!(message.contains(file) && message.contains(" / "), "{message}");
    }
}

#[test]
fn certificate_from_another_identity_is_a_mismatch() {
    let (dir, _) = saved_identity();
    let other = ProctorCert::generate(&[]).unwrap();
    std::fs::write(dir.path().join(CERT_FILE), other.cert_der().as_ref()).unwrap();
    match ProctorCert::load(dir.path()).unwrap_err() {
        NetError::KeyMismatch { cert, key } => {
            assert_eq!(cert, dir.path().join(CERT_FILE));
            assert_eq!(key, dir.path().join(KEY_FILE));
        }
        other => panic!("expected KeyMismatch, got {other:?}"),
    }
}

#[cfg(unix)]
#[test]
fn key_readable_by_others_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, _) = saved_identity();
    let key = dir.path().join(KEY_FILE);
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    match ProctorCert::load(dir.path()).unwrap_err() {
        NetError::InsecurePermissions { path, mode } => {
            assert_eq!(path, key);
            assert_eq!(mode, 0o644);
        }
        other => panic!("expected InsecurePermissions, got {other:?}"),
    }
}

#[test]
fn debug_shows_the_fingerprint_not_the_key() {
    let cert = ProctorCert::generate(&[]).unwrap();
    let debug = format!("{cert:?}");
    assert!(debug.contains(&cert.fingerprint().to_string()), "{debug}");
}

// ---- Fingerprint spelling ----

/// SHA-256("abc"), the FIPS 180-2 test vector, in the printed spelling.
const ABC: &str = "ba78:16bf:8f01:cfea:4141:40de:5dae:2223:b003:61a3:9617:7a9c:b410:ff61:f200:15ad";

#[test]
fn fingerprint_prints_in_groups_of_four() {
    let fingerprint = Fingerprint::of_der(b"abc");
    assert_eq!(fingerprint.to_string(), ABC);
    assert_eq!(format!("{fingerprint:?}"), format!("Fingerprint({ABC})"));
}

fn check(input: &str, expected: Result<Fingerprint, NetError>) {
    let parsed = input.parse::<Fingerprint>();
    match (&parsed, &expected) {
        (Ok(got), Ok(want)) => assert_eq!(got, want, "input {input:?}"),
        (Err(got), Err(want)) => assert_eq!(format!("{got:?}"), format!("{want:?}"), "input {input:?}"),
        _ => panic!("input {input:?}: got {parsed:?}, expected {expected:?}"),
    }
}

#[test]
fn fingerprint_parsing_is_lenient_about_spelling() {
    let abc = Fingerprint::of_der(b"abc");
    let plain = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    let openssl = "BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD";
    for input in [
        ABC.to_string(),
        ABC.to_uppercase(),
        plain.to_string(),
        openssl.to_string(),
        ABC.replace(':', "-"),
        ABC.replace(':', " "),
        format!("  {}\n", ABC.replace(':', "\t")),
        plain
            .chars()
            .collect::<Vec<_>>()
            .chunks(8)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join(" - "),
    ] {
        check(&input, Ok(abc));
    }
}

#[test]
fn fingerprint_parsing_refuses_wrong_length_and_non_hex() {
    let plain = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    check("", Err(NetError::FingerprintLength { digits: 0 }));
    check(":: --", Err(NetError::FingerprintLength { digits: 0 }));
    check(&plain[..63], Err(NetError::FingerprintLength { digits: 63 }));
    check(&format!("{plain}0"), Err(NetError::FingerprintLength { digits: 65 }));
    check(&ABC[..ABC.len() - 5], Err(NetError::FingerprintLength { digits: 60 }));
    check(&format!("{plain}{plain}"), Err(NetError::FingerprintLength { digits: 128 }));
    check("sha256:ba78", Err(NetError::FingerprintCharacter { character: 's', position: 1 }));
    check(&format!("{}g", &plain[..63]), Err(NetError::FingerprintCharacter { character: 'g', position: 64 }));
    check("ba78:16bf:đ", Err(NetError::FingerprintCharacter { character: 'đ', position: 11 }));
    check("ba78.16bf", Err(NetError::FingerprintCharacter { character: '.', position: 5 }));
    check("0x12", Err(NetError::FingerprintCharacter { character: 'x', position: 2 }));
}

#[test]
fn fingerprint_errors_are_bilingual() {
    let length = "abcd".parse::<Fingerprint>().unwrap_err().to_string();
    assert!(length.contains("64") && length.contains("4") && length.contains(" / "), "{length}");
    let character = "ab?d".parse::<Fingerprint>().unwrap_err().to_string();
    assert!(character.contains("'?'") && character.contains(" / "), "{character}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn fingerprint_display_parse_round_trips(bytes in proptest::array::uniform32(any::<u8>())) {
        let fingerprint = Fingerprint::from_bytes(bytes);
        let printed = fingerprint.to_string();
        prop_assert_eq!(printed.len(), 79);
        prop_assert!(printed.split(':').all(|group| group.len() == 4));
        prop_assert_eq!(printed.parse::<Fingerprint>().unwrap(), fingerprint);
        prop_assert_eq!(printed.to_uppercase().replace(':', "").parse::<Fingerprint>().unwrap(), fingerprint);
    }

    #[test]
    fn fingerprint_parsing_never_panics(text in "\\PC{0,100}") {
        let _ = text.parse::<Fingerprint>();
    }

    #[test]
    fn fingerprint_parsing_of_hex_like_text_never_panics(text in "[0-9a-fA-F: -]{0,90}") {
        if let Ok(fingerprint) = text.parse::<Fingerprint>() {
            prop_assert_eq!(fingerprint.to_string().parse::<Fingerprint>().unwrap(), fingerprint);
        }
    }
}
