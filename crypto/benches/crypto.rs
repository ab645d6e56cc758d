//! `cargo bench -p phongthi-crypto`: signing, verification, sealing and opening of a 50-item
//! form package, verification of a 200-event answer chain, and the receipt path.

#![allow(clippy::expect_used, missing_docs)] // a benchmark binary: setup failures should abort loudly

use criterion::{Criterion, criterion_group, criterion_main};
use phongthi_crypto::*;
use std::hint::black_box;

fn form_50_items() -> Vec<u8> {
    (1..=50)
        .map(|i| {
            format!(
                "Câu {i}. Cho tập hợp $A = \\{{x \\in \\mathbb{{N}} \\mid x < {i}\\}}$. Khẳng định nào sau đây đúng?\n\
                 A. $0 \\notin A$\nB. $A$ có {i} phần tử\nC. $A = \\varnothing$\nD. Tất cả các đáp án trên đều sai\n"
            )
        })
        .collect::<String>()
        .into_bytes()
}

fn benches(c: &mut Criterion) {
    let proctor = SigningKey::generate().expect("key");
    let message = form_50_items();
    let signature = proctor.sign(&message);
    let public = proctor.public_key();
    c.bench_function("ed25519 sign (50-item form)", |b| b.iter(|| proctor.sign(black_box(&message))));
    c.bench_function("ed25519 verify (50-item form)", |b| b.iter(|| public.verify(black_box(&message), &signature)));

    let exam = ExamId::generate().expect("id");
    let key = ContentKey::generate().expect("key").form_key(&exam, 101);
    c.bench_function("seal package (50 items)", |b| {
        b.iter(|| seal_package(&proctor, &key, exam, 101, black_box(&message)).expect("seal"))
    });
    let package = seal_package(&proctor, &key, exam, 101, &message).expect("seal");
    c.bench_function("verify + open package (50 items)", |b| {
        b.iter(|| verify_package(black_box(&package), &public).expect("verify").open(&key).expect("open"))
    });

    let session = SessionId::generate().expect("id");
    let session_key = SigningKey::generate().expect("key");
    let mut writer = ChainWriter::new(session);
    let events: Vec<SignedEvent> = (0..200)
        .map(|i| writer.next(&session_key, i % 50, vec![b'A' + (i % 4) as u8], u64::from(i) * 5_000).expect("event"))
        .collect();
    let session_public = session_key.public_key();
    c.bench_function("verify 200-event answer chain", |b| {
        b.iter(|| verify_chain(session, session_public, black_box(&events)).expect("chain"))
    });
    c.bench_function("sign one answer event", |b| {
        let mut writer = ChainWriter::new(session);
        b.iter(|| writer.next(&session_key, 7, b"C".to_vec(), 1).expect("event"))
    });
    c.bench_function("sign receipt + short code", |b| {
        b.iter(|| {
            let receipt = Receipt {
                exam,
                session,
                student_id: "0123456789".into(),
                sheet_hash: sha256(b"sheet"),
                received_ms: 1,
            }
            .sign(&proctor)
            .expect("receipt");
            receipt.short_code()
        })
    });

    let teacher = SigningKey::generate().expect("key");
    let passphrase = Passphrase::new("mật khẩu tổ Toán");
    let bundle = seal_bundle(&teacher, &passphrase, KdfParams::default(), &message).expect("bundle");
    let mut slow = c.benchmark_group("passphrase");
    slow.sample_size(10);
    slow.bench_function("open exam bundle (PBKDF2 600k)", |b| {
        b.iter(|| open_bundle(black_box(&bundle), &passphrase, TrustedTeachers::Any).expect("open"))
    });
    slow.finish();
}

criterion_group!(crypto, benches);
criterion_main!(crypto);
