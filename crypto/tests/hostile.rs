//! Hostile input for every parser and opener of the crate: random bytes, mutated valid
//! documents, truncations, and every single-byte flip of every signed or sealed format.
//!
//! The properties: no input panics; every changed byte of a sealed package, bundle, sheet,
//! receipt, review statement, answer event, journal record or manifest is refused; errors are of
//! the expected kind.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is the failure report

use phongthi_crypto::*;
use proptest::prelude::*;

fn fast() -> KdfParams {
    KdfParams::with_iterations(1_000).unwrap()
}

struct Fixture {
    proctor: SigningKey,
    teacher: SigningKey,
    session_key: SigningKey,
    form_key: FormKey,
    package: Vec<u8>,
    bundle: Vec<u8>,
    passphrase: Passphrase,
    sheet: Vec<u8>,
    receipt: Vec<u8>,
    review: Vec<u8>,
    event: Vec<u8>,
    session: SessionId,
    journal_secret: JournalSecret,
    journal_header: Vec<u8>,
    journal_record: Vec<u8>,
    manifest: String,
}

/// A realistic 50-item form (choice items with Vietnamese text and math) as content.
fn form_content() -> Vec<u8> {
    (1..=50)
        .map(|i| format!("Câu {i}. Cho $A = \\{{1; 2; {i}\\}}$. Khẳng định nào đúng?|A. $1 \\in A$|B. $\\{{1\\}} \\in A$|C. $4 \\in A$|D. Tất cả đều sai\n"))
        .collect::<String>()
        .into_bytes()
}

fn fixture() -> Fixture {
    let proctor = SigningKey::generate().unwrap();
    let teacher = SigningKey::generate().unwrap();
    let session_key = SigningKey::generate().unwrap();
    let exam = ExamId::generate().unwrap();
    let session = SessionId::generate().unwrap();
    let form_key = ContentKey::generate().unwrap().form_key(&exam, 101);
    let package = seal_package(&proctor, &form_key, exam, 101, &form_content()).unwrap();
    let passphrase = Passphrase::new("tổ Toán – đề giữa kỳ");
    let bundle = seal_bundle(&teacher, &passphrase, fast(), &form_content()).unwrap();
    let mut chain = ChainWriter::new(session);
    let event = chain.next(&session_key, 3, "B".as_bytes().to_vec(), 4_200).unwrap();
    let sheet = AnswerSheet {
        session,
        exam,
        form_index: 101,
        student_id: "0123456789".into(),
        chain_head: chain.head(),
        event_count: chain.len(),
        started_ms: 1,
        submitted_ms: 2,
        responses: b"B".to_vec(),
    }
    .sign(&session_key)
    .unwrap();
    let receipt =
        Receipt { exam, session, student_id: "0123456789".into(), sheet_hash: sheet_hash(&sheet), received_ms: 3 }
            .sign(&proctor)
            .unwrap()
            .as_bytes()
            .to_vec();
    let review = ReviewStatement {
        kind: ReviewKind::Approve,
        item_id: 42,
        item_digest: sha256("Câu 5. Cho hàm số $y = x^2$".as_bytes()),
        at_ms: 1_790_000_000_000,
        name: "Tổ trưởng tổ Toán".into(),
        comment: "Đạt yêu cầu".into(),
    }
    .sign(&teacher)
    .unwrap()
    .as_bytes()
    .to_vec();
    let journal_secret = JournalSecret::generate().unwrap();
    let mut journal = journal::JournalWriter::start(&journal_secret).unwrap();
    let journal_record = journal.seal(&event.encode()).unwrap();
    let journal_header = journal.header().to_vec();
    let mut manifest = Manifest::new(1_790_000_000_000);
    manifest.add("diem.csv", "STT,Mã học sinh,Điểm\n".as_bytes()).unwrap();
    manifest.add("oneroster.zip", &[0x50, 0x4b, 3, 4]).unwrap();
    let manifest = manifest.sign(&proctor);
    Fixture {
        proctor,
        teacher,
        session_key,
        form_key,
        package,
        bundle,
        passphrase,
        sheet,
        receipt,
        review,
        event: event.encode(),
        session,
        journal_secret,
        journal_header,
        journal_record,
        manifest,
    }
}

/// Every opener, run on `bytes` as if they were the fixture's document of that kind.
fn open_package(f: &Fixture, bytes: &[u8]) -> Result<Vec<u8>> {
    Ok(verify_package(bytes, &f.proctor.public_key())?.open(&f.form_key)?.to_vec())
}
fn open_bundle_(f: &Fixture, bytes: &[u8]) -> Result<Vec<u8>> {
    Ok(open_bundle(bytes, &f.passphrase, TrustedTeachers::Only(&[f.teacher.public_key()]))?.content.to_vec())
}
fn open_sheet(f: &Fixture, bytes: &[u8]) -> Result<AnswerSheet> {
    AnswerSheet::verify(bytes, &f.session_key.public_key())
}
fn open_receipt(f: &Fixture, bytes: &[u8]) -> Result<SignedReceipt> {
    SignedReceipt::verify(bytes, Some(&f.proctor.public_key()))
}
fn open_review(f: &Fixture, bytes: &[u8]) -> Result<SignedReview> {
    let review = SignedReview::verify(bytes)?;
    // The embedded key is part of what is checked: a statement now naming another signer is as
    // much a refusal as a broken signature.
    if review.signer() != f.teacher.public_key() {
        return Err(Error::WrongKey { what: "review statement" });
    }
    Ok(review)
}
fn open_event(f: &Fixture, bytes: &[u8]) -> Result<()> {
    let event = SignedEvent::decode(bytes)?;
    verify_chain(f.session, f.session_key.public_key(), &[event]).map(|_| ())
}
fn open_journal(f: &Fixture, bytes: &[u8]) -> Result<Vec<u8>> {
    let reader = journal::JournalReader::new(&f.journal_secret, &f.journal_header)?;
    Ok(reader.open(bytes)?.1.to_vec())
}

#[test]
fn fixtures_open() {
    let f = fixture();
    assert_eq!(open_package(&f, &f.package).unwrap(), form_content());
    assert_eq!(open_bundle_(&f, &f.bundle).unwrap(), form_content());
    assert_eq!(open_sheet(&f, &f.sheet).unwrap().student_id, "0123456789");
    assert_eq!(open_receipt(&f, &f.receipt).unwrap().receipt().student_id, "0123456789");
    assert_eq!(open_review(&f, &f.review).unwrap().statement().item_id, 42);
    open_event(&f, &f.event).unwrap();
    assert_eq!(open_journal(&f, &f.journal_record).unwrap(), f.event);
    verify_manifest(&f.manifest, Some(&f.proctor.public_key())).unwrap();
}

/// Flips every bit position's low bit in turn, plus one high-bit flip per byte.
fn every_flip(bytes: &[u8], mut refused: impl FnMut(&[u8]) -> bool, what: &str) {
    for i in 0..bytes.len() {
        for mask in [0x01u8, 0x80] {
            let mut changed = bytes.to_vec();
            changed[i] ^= mask;
            assert!(refused(&changed), "{what}: flipping byte {i} with {mask:#04x} was accepted");
        }
    }
}

#[test]
fn every_single_byte_flip_is_refused() {
    let f = fixture();
    every_flip(&f.package, |b| open_package(&f, b).is_err(), "package");
    every_flip(&f.bundle, |b| open_bundle_(&f, b).is_err(), "bundle");
    every_flip(&f.sheet, |b| open_sheet(&f, b).is_err(), "sheet");
    every_flip(&f.receipt, |b| open_receipt(&f, b).is_err(), "receipt");
    every_flip(&f.review, |b| open_review(&f, b).is_err(), "review statement");
    every_flip(&f.event, |b| open_event(&f, b).is_err(), "answer event");
    every_flip(&f.journal_record, |b| open_journal(&f, b).is_err(), "journal record");
    every_flip(
        f.manifest.as_bytes(),
        |b| match std::str::from_utf8(b) {
            Ok(text) => verify_manifest(text, Some(&f.proctor.public_key())).is_err(),
            Err(_) => true, // not even text: refused before parsing
        },
        "manifest",
    );
}

#[test]
fn flips_get_the_right_kind_of_error() {
    let f = fixture();
    // Content bytes of a bundle: tampering, never "wrong passphrase".
    let mut bundle = f.bundle.clone();
    let middle = bundle.len() / 2;
    bundle[middle] ^= 1;
    assert!(matches!(open_bundle_(&f, &bundle), Err(Error::Tampered { .. })));
    assert!(matches!(
        open_bundle(&f.bundle, &Passphrase::new("sai mật khẩu"), TrustedTeachers::Any),
        Err(Error::WrongPassphrase { .. })
    ));
    // The version field.
    let mut newer = f.package.clone();
    newer[5] = 2;
    assert!(matches!(open_package(&f, &newer), Err(Error::UnsupportedVersion { found: 2, .. })));
    // The magic.
    let mut other = f.receipt.clone();
    other[0] = b'X';
    assert!(matches!(open_receipt(&f, &other), Err(Error::BadMagic { .. })));
}

#[test]
fn every_truncation_is_refused() {
    let f = fixture();
    for len in 0..f.package.len() {
        assert!(open_package(&f, &f.package[..len]).is_err(), "package cut at {len}");
    }
    for len in 0..f.bundle.len() {
        assert!(open_bundle_(&f, &f.bundle[..len]).is_err(), "bundle cut at {len}");
    }
    for len in 0..f.sheet.len() {
        assert!(open_sheet(&f, &f.sheet[..len]).is_err(), "sheet cut at {len}");
    }
    for len in 0..f.receipt.len() {
        assert!(open_receipt(&f, &f.receipt[..len]).is_err(), "receipt cut at {len}");
    }
    for len in 0..f.review.len() {
        assert!(open_review(&f, &f.review[..len]).is_err(), "review statement cut at {len}");
    }
    for len in 0..f.event.len() {
        assert!(open_event(&f, &f.event[..len]).is_err(), "event cut at {len}");
    }
    for len in 0..f.manifest.len() {
        if let Some(text) = f.manifest.get(..len) {
            assert!(verify_manifest(text, None).is_err(), "manifest cut at {len}");
        }
    }
    // Extra bytes at the end are refused too.
    let mut longer = f.receipt.clone();
    longer.push(0);
    assert!(open_receipt(&f, &longer).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let f = fixture_cached();
        let _ = open_package(f, &bytes);
        let _ = open_bundle_(f, &bytes);
        let _ = open_sheet(f, &bytes);
        let _ = open_receipt(f, &bytes);
        let _ = SignedReview::verify(&bytes);
        let _ = open_event(f, &bytes);
        let _ = open_journal(f, &bytes);
        let _ = journal::JournalReader::new(&f.journal_secret, &bytes);
        let _ = bundle_signer(&bytes);
        let _ = parse_key(&String::from_utf8_lossy(&bytes), Some(&f.passphrase));
        let _ = verify_manifest(&String::from_utf8_lossy(&bytes), None);
        let _ = ShortCode::parse(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn random_bytes_behind_valid_magic_never_panic(kind in 0usize..6, tail in proptest::collection::vec(any::<u8>(), 0..300)) {
        let f = fixture_cached();
        let (magic, open): (&[u8], Refuses) = match kind {
            0 => (b"PTSP\0\x01", |f, b| open_package(f, b).is_err()),
            1 => (b"PTEB\0\x01", |f, b| open_bundle_(f, b).is_err()),
            2 => (b"PTAS\0\x01", |f, b| open_sheet(f, b).is_err()),
            3 => (b"PTRC\0\x01", |f, b| open_receipt(f, b).is_err()),
            4 => (b"PTRV\0\x01", |_, b| SignedReview::verify(b).is_err()),
            _ => (b"PTEV\0\x01", |f, b| open_event(f, b).is_err()),
        };
        let mut bytes = magic.to_vec();
        bytes.extend_from_slice(&tail);
        prop_assert!(open(f, &bytes));
    }

    #[test]
    fn mutated_documents_are_refused(which in 0usize..7, edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4)) {
        let f = fixture_cached();
        let original: &[u8] = match which {
            0 => &f.package,
            1 => &f.bundle,
            2 => &f.sheet,
            3 => &f.receipt,
            4 => &f.event,
            5 => &f.review,
            _ => &f.journal_record,
        };
        let mut bytes = original.to_vec();
        for (index, value) in &edits {
            let i = index.index(bytes.len());
            bytes[i] = *value;
        }
        prop_assume!(bytes != original);
        let refused = match which {
            0 => open_package(f, &bytes).is_err(),
            1 => open_bundle_(f, &bytes).is_err(),
            2 => open_sheet(f, &bytes).is_err(),
            3 => open_receipt(f, &bytes).is_err(),
            4 => open_event(f, &bytes).is_err(),
            5 => open_review(f, &bytes).is_err(),
            _ => open_journal(f, &bytes).is_err(),
        };
        prop_assert!(refused);
    }

    #[test]
    fn chains_verify_whatever_the_responses(responses in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..40), 1..30)) {
        let f = fixture_cached();
        let mut writer = ChainWriter::new(f.session);
        let events: Vec<SignedEvent> = responses
            .into_iter()
            .enumerate()
            .map(|(i, r)| writer.next(&f.session_key, i as u32, r, i as u64).unwrap())
            .collect();
        prop_assert_eq!(verify_chain(f.session, f.session_key.public_key(), &events).unwrap(), writer.head());
        for e in &events {
            prop_assert_eq!(&SignedEvent::decode(&e.encode()).unwrap(), e);
        }
    }
}

/// Whether an opener refuses the bytes.
type Refuses = fn(&Fixture, &[u8]) -> bool;

/// One fixture for all proptest cases (key generation is the slow part).
fn fixture_cached() -> &'static Fixture {
    static FIXTURE: std::sync::OnceLock<Fixture> = std::sync::OnceLock::new();
    FIXTURE.get_or_init(fixture)
}
