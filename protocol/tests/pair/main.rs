//! Scenario tests of the session protocol with the `Pair` harness (fake clock, frames moved in
//! memory through the real encoders): every scenario of the protocol issue.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // tests: a panic is the report

mod harness;
mod outages;

use harness::*;
use phongthi_crypto::{
    BuildDigest, IntegrityAnswer, IntegrityChallenge, PublicKey, SessionId, SignedEvent, SigningKey,
};
use phongthi_protocol::*;
use std::time::Duration;

fn min(m: u64) -> Duration {
    Duration::from_secs(m * 60)
}

fn deadline_of(p: &Pair, c: usize) -> LocalTime {
    p.events_of(c)
        .iter()
        .rev()
        .find_map(|e| match e {
            ClientEvent::Running { deadline } => Some(*deadline),
            _ => None,
        })
        .expect("a running deadline")
}

fn receipt_code(p: &Pair, c: usize) -> Option<String> {
    p.events_of(c).iter().find_map(|e| match e {
        ClientEvent::Receipt { code, .. } => Some(code.clone()),
        _ => None,
    })
}

/// Every acknowledged event is in the store, exactly once, and the chain verifies.
fn check_no_loss(p: &Pair, c: usize, student: &str) {
    let saved = p.events_of(c).iter().filter_map(|e| match e {
        ClientEvent::Saved { seq, .. } => Some(*seq),
        _ => None,
    });
    for seq in saved {
        assert!(p.disk.events.contains_key(&(student.to_owned(), seq)), "acked event {seq} of {student} is stored");
    }
    let (session, keys, _) = &p.disk.sessions[student];
    let events: Vec<SignedEvent> =
        p.disk.events.iter().filter(|((s, _), _)| s == student).map(|(_, e)| e.clone()).collect();
    let mut verifier = phongthi_crypto::ChainVerifier::new(*session, keys[0]);
    for key in keys {
        verifier.add_key(*key);
    }
    for e in &events {
        assert!(matches!(verifier.accept(e), Ok(phongthi_crypto::Accepted::New(_))), "stored chain verifies");
    }
}

#[test]
fn whole_exam_login_wait_start_answer_submit_receipt() {
    let mut p = Pair::new();
    let a = p.login(0);
    let b = p.login(1);
    assert!(p.has_event(a, |e| matches!(e, ClientEvent::Admitted(_))));
    assert!(p.has_event(a, |e| matches!(e, ClientEvent::PackageVerified)), "package pre-downloaded while waiting");
    assert!(!p.has_event(a, |e| matches!(e, ClientEvent::FormReady(_))), "nothing readable before Start");
    assert_eq!(p.try_answer(a, 1, Answer::Choices(vec![0])), Err(ActionError::NotOpen));

    p.advance(min(2));
    let now = p.server_now();
    p.room.start(now).unwrap();
    p.run();
    for c in [a, b] {
        assert!(p.has_event(c, |e| matches!(e, ClientEvent::FormReady(f) if f.questions().count() == 5)));
    }
    let form_a = p
        .events_of(a)
        .iter()
        .find_map(|e| if let ClientEvent::FormReady(f) = e { Some(f.form_code.clone()) } else { None });
    assert_eq!(form_a.as_deref(), Some("101"));
    // The countdown is the proctor's, whatever the PC clock says (client b's clock is 37 s off).
    let expected_a = LocalTime((10_000_000 + 2 * 60_000 + 45 * 60_000 + p.clients[a].skew_ms) as u64);
    assert!(deadline_of(&p, a).0.abs_diff(expected_a.0) < 50, "{:?} vs {:?}", deadline_of(&p, a), expected_a);

    p.answer(a, 1, Answer::Choices(vec![0]));
    p.answer(a, 2, Answer::Choices(vec![1]));
    p.answer(a, 2, Answer::Choices(vec![0]));
    p.answer(b, 3, Answer::Text("-1,5".into()));
    assert_eq!(p.clients[a].session.unacked(), 3, "nothing acked before the commit");
    p.flush();
    assert_eq!(p.clients[a].session.unacked(), 0);
    assert!(p.has_event(a, |e| matches!(e, ClientEvent::Saved { seq: 2, unacked: 0 })));

    let now = p.local_now(a);
    p.clients[a].session.submit(now, START).unwrap();
    p.run();
    let code = receipt_code(&p, a).expect("a receipt");
    assert_eq!(code.len(), 11);
    let receipt = &p.disk.receipts[&sid(0)];
    phongthi_crypto::SignedReceipt::verify(receipt.as_bytes(), Some(&p.proctor.public_key())).unwrap();
    assert_eq!(p.disk.submitted_answers[&sid(0)], vec![(1, Answer::Choices(vec![0])), (2, Answer::Choices(vec![0]))]);
    assert_eq!(p.try_answer(a, 1, Answer::Cleared), Err(ActionError::Submitted), "no answers after submit");
    check_no_loss(&p, a, &sid(0));
    assert_eq!(p.room.seat_views()[0].receipt_code.as_deref(), Some(code.as_str()));
}

#[test]
fn late_joiner_gets_package_and_key_together() {
    let mut p = Pair::new();
    let now = p.server_now();
    p.room.start(now).unwrap();
    p.advance(min(10));
    let late = p.login(2);
    assert!(p.has_event(late, |e| matches!(e, ClientEvent::FormReady(_))));
    // Late joiners keep the room's deadline: 35 minutes left.
    let left = deadline_of(&p, late).0 as i64 - p.local_now(late).0 as i64;
    assert!((left - 35 * 60_000).abs() < 50, "{left}");
}

#[test]
fn reconnect_mid_exam_resends_unacked_answers_once() {
    let (mut p, a) = Pair::started_with_one();
    p.answer(a, 1, Answer::Choices(vec![1]));
    p.flush();
    p.disconnect(a);
    assert!(
        p.disk.incidents.iter().any(|(s, i)| s.as_deref() == Some(sid(0).as_str()) && *i == Incident::Disconnected)
    );
    // Offline: the student keeps working; answers queue and go to the journal.
    p.answer(a, 2, Answer::Choices(vec![0]));
    p.answer(a, 3, Answer::Cleared);
    assert_eq!(p.clients[a].session.unacked(), 2);
    assert_eq!(p.clients[a].journal.as_ref().unwrap().1.len(), 3, "every answer journaled");
    p.advance(Duration::from_secs(90));
    p.connect(a);
    p.flush();
    assert_eq!(p.clients[a].session.unacked(), 0);
    assert_eq!(p.stored_answers(&sid(0)).len(), 2);
    check_no_loss(&p, a, &sid(0));
}

#[test]
fn lost_acks_are_resent_and_stored_once() {
    let (mut p, a) = Pair::started_with_one();
    p.drop_acks = true;
    p.answer(a, 1, Answer::Choices(vec![1]));
    p.answer(a, 4, Answer::Choices(vec![0]));
    p.flush();
    assert_eq!(p.clients[a].session.unacked(), 2, "acks lost on the way");
    p.drop_acks = false;
    p.advance(Duration::from_secs(11)); // the resend timer fires
    assert_eq!(p.clients[a].session.unacked(), 0, "the duplicates were re-acked");
    assert_eq!(p.disk.events.len(), 2, "and stored once (the harness asserts no second store)");
}

#[test]
fn answers_stored_before_a_drop_count_as_saved_when_the_client_is_readmitted() {
    let (mut p, a) = Pair::started_with_one();
    p.drop_acks = true;
    p.answer(a, 1, Answer::Choices(vec![1]));
    p.answer(a, 4, Answer::Choices(vec![0]));
    p.flush();
    assert_eq!(p.disk.events.len(), 2, "both durable");
    assert!(!p.has_event(a, |e| matches!(e, ClientEvent::Saved { .. })), "but no ack arrived");
    // The link drops before the resend timer: the admission on the new link says both are held.
    p.disconnect(a);
    p.drop_acks = false;
    p.connect(a);
    p.flush();
    assert_eq!(p.clients[a].session.unacked(), 0);
    assert!(
        p.has_event(a, |e| matches!(e, ClientEvent::Saved { seq: 1, unacked: 0 })),
        "saved, as the student sees it"
    );
    assert_eq!(p.disk.events.len(), 2, "nothing stored twice");
}

#[test]
fn pause_and_resume_move_every_deadline_by_the_pause() {
    let (mut p, a) = Pair::started_with_one();
    let before = deadline_of(&p, a);
    p.advance(min(20));
    let now = p.server_now();
    p.room.pause(now).unwrap();
    p.run();
    assert!(p.has_event(a, |e| matches!(e, ClientEvent::Paused { remaining } if *remaining == min(25))));
    p.advance(min(7));
    assert!(p.room.poll_timeout().is_none(), "no deadline runs while paused");
    let now = p.server_now();
    p.room.resume(now).unwrap();
    p.run();
    assert_eq!(deadline_of(&p, a).0, before.0 + 7 * 60_000);
    assert_eq!(p.disk.audit, vec!["exam.start", "exam.pause", "exam.resume"]);
}

#[test]
fn student_and_room_extensions() {
    let mut p = Pair::new();
    let a = p.login(0);
    let b = p.login(1);
    let now = p.server_now();
    p.room.start(now).unwrap();
    p.run();
    let (da, db) = (deadline_of(&p, a), deadline_of(&p, b));
    let now = p.server_now();
    p.room.extend_student(now, &sid(0), min(10)).unwrap();
    p.run();
    assert_eq!(deadline_of(&p, a).0, da.0 + 10 * 60_000);
    assert_eq!(deadline_of(&p, b), db, "others unchanged");
    let now = p.server_now();
    p.room.extend_room(now, min(5)).unwrap();
    p.run();
    assert_eq!(deadline_of(&p, a).0, da.0 + 15 * 60_000);
    assert_eq!(deadline_of(&p, b).0, db.0 + 5 * 60_000);
    assert_eq!(p.disk.extensions[&sid(0)], min(10));
    assert!(matches!(p.room.extend_student(now, "nobody", min(1)), Err(CommandError::UnknownStudent(_))));
}

#[test]
fn deadline_submit_now_then_grace_then_collected_from_the_log() {
    let (mut p, a) = Pair::started_with_one();
    p.answer(a, 1, Answer::Choices(vec![1]));
    p.flush();
    // Made two seconds before the deadline, in flight (the link is slow) until after it.
    p.advance(min(45) - Duration::from_secs(2));
    p.disconnect(a);
    p.answer(a, 2, Answer::Choices(vec![0]));
    p.advance(Duration::from_secs(2));
    // In flight within the grace period: accepted.
    p.advance(Duration::from_secs(5));
    p.connect(a);
    assert!(p.has_event(a, |e| matches!(e, ClientEvent::SubmitNow)));
    p.flush();
    assert_eq!(p.stored_answers(&sid(0)).len(), 2);
    // The client never submits: after the grace the proctor collects from the stored log.
    p.advance(Duration::from_secs(6));
    let (reason, answers) = &p.disk.finalized[&sid(0)];
    assert_eq!(*reason, FinalizeReason::Deadline);
    assert_eq!(answers.len(), 2);
    assert!(receipt_code(&p, a).is_some(), "the student still gets a receipt");
    // Too late now.
    assert!(p.try_answer(a, 3, Answer::Choices(vec![0])).is_err());
}

#[test]
fn forged_replayed_out_of_order_and_foreign_events_are_refused() {
    let mut p = Pair::new();
    let a = p.login(0);
    let b = p.login(1);
    let now = p.server_now();
    p.room.start(now).unwrap();
    p.run();
    p.answer(a, 1, Answer::Choices(vec![1]));
    p.flush();
    let conn_a = p.clients[a].conn.unwrap();
    let session_a = p.disk.sessions[&sid(0)].0;
    let session_b = p.disk.sessions[&sid(1)].0;
    let stored = p.disk.events[&(sid(0), 0)].clone();
    let refusals = |p: &Pair| p.disk.incidents.iter().filter(|(_, i)| matches!(i, Incident::EventRefused(_))).count();

    // Forged: right chain position, another key.
    let forger = SigningKey::generate().unwrap();
    let mut w = phongthi_crypto::ChainWriter::resume(session_a, 1, stored.event.hash());
    let forged = w.next(&forger, 2, Answer::Choices(vec![0]).encode(), 0).unwrap();
    let now = p.server_now();
    p.room.handle_message(now, conn_a, ClientMsg::Event(forged.encode()));
    p.run();
    assert_eq!(refusals(&p), 1);
    // Out of order: seq 5 when 1 is next.
    let mut gap = phongthi_crypto::ChainWriter::resume(session_a, 5, stored.event.hash());
    let gapped = gap.next(&forger, 2, Answer::Choices(vec![0]).encode(), 0).unwrap();
    p.room.handle_message(now, conn_a, ClientMsg::Event(gapped.encode()));
    // Another student's session id on my connection.
    let mut foreign = phongthi_crypto::ChainWriter::new(session_b);
    let other = foreign.next(&forger, 1, Answer::Choices(vec![0]).encode(), 0).unwrap();
    p.room.handle_message(now, conn_a, ClientMsg::Event(other.encode()));
    // Garbage and an oversized question number.
    p.room.handle_message(now, conn_a, ClientMsg::Event(vec![1, 2, 3]));
    p.run();
    assert_eq!(refusals(&p), 4);
    // A replay of the stored event is a duplicate: re-acked, not stored twice.
    p.room.handle_message(now, conn_a, ClientMsg::Event(stored.encode()));
    p.run();
    assert_eq!(p.disk.events.len(), 1);
    assert!(p.has_event(a, |e| matches!(e, ClientEvent::EventRefused { .. })));
    // A connection that never logged in cannot send events.
    let stranger = ConnId(999);
    p.room.handle_connected(stranger);
    p.room.handle_message(now, stranger, ClientMsg::Event(stored.encode()));
    assert!(matches!(p.room.poll_transmit(), Some((ConnId(999), ServerMsg::Refused(Refusal::NotLoggedIn)))));
    assert_eq!(p.disk.events.len(), 1);
    assert_eq!(p.stored_answers(&sid(1)).len(), 0);
    let _ = b;
}

#[test]
fn forced_submit_collects_after_in_flight_answers() {
    let (mut p, a) = Pair::started_with_one();
    p.answer(a, 1, Answer::Choices(vec![1])); // not yet durable
    let now = p.server_now();
    p.room.force_submit(now, &sid(0)).unwrap();
    p.run();
    assert!(!p.disk.finalized.contains_key(&sid(0)), "waits for the in-flight answer");
    p.flush();
    let (reason, answers) = &p.disk.finalized[&sid(0)];
    assert_eq!(*reason, FinalizeReason::Forced);
    assert_eq!(answers, &vec![(1, Answer::Choices(vec![1]))]);
    assert!(p.has_event(a, |e| matches!(e, ClientEvent::SubmitNow)));
    assert!(matches!(p.room.force_submit(now, &sid(0)), Err(CommandError::AlreadySubmitted(_))));
}

#[test]
fn seat_move_needs_approval_and_continues_the_chain() {
    let (mut p, a) = Pair::started_with_one();
    p.answer(a, 1, Answer::Choices(vec![1]));
    p.answer(a, 2, Answer::Choices(vec![0]));
    p.flush();
    // The PC breaks; the student sits down at another one.
    let moved = p.login(0);
    assert!(p.has_event(moved, |e| matches!(e, ClientEvent::SeatMovePending)));
    assert!(p.disk.incidents.iter().any(|(_, i)| *i == Incident::SeatMoveRequested));
    assert!(p.room.seat_views()[0].move_pending);
    let now = p.server_now();
    p.room.approve_move(now, &sid(0)).unwrap();
    p.run();
    assert!(p.clients[a].conn.is_none(), "the old PC is disconnected");
    let admitted = p
        .events_of(moved)
        .iter()
        .find_map(|e| if let ClientEvent::Admitted(x) = e { Some(x.clone()) } else { None })
        .unwrap();
    assert_eq!(admitted.next_seq, 2);
    assert_eq!(admitted.answers.len(), 2, "the new PC shows the stored answers");
    assert!(p.has_event(moved, |e| matches!(e, ClientEvent::FormReady(_))));
    p.answer(moved, 3, Answer::Choices(vec![1]));
    p.flush();
    let now = p.local_now(moved);
    p.clients[moved].session.submit(now, START).unwrap();
    p.run();
    assert!(receipt_code(&p, moved).is_some());
    assert_eq!(p.disk.submitted_answers[&sid(0)].len(), 3);
    check_no_loss(&p, moved, &sid(0));

    // A denied move is refused.
    let mut q = Pair::new();
    q.login(1);
    let other = q.login(1);
    let now = q.server_now();
    q.room.deny_move(now, &sid(1)).unwrap();
    q.run();
    assert!(q.has_event(other, |e| matches!(e, ClientEvent::Refused(Refusal::AlreadySeated))));
}

#[test]
fn crash_on_one_pc_journal_replayed_on_another() {
    let (mut p, a) = Pair::started_with_one();
    p.answer(a, 1, Answer::Choices(vec![1]));
    p.flush();
    // Sent but never committed: the proctor crashes before its group commit...
    p.answer(a, 2, Answer::Choices(vec![0]));
    p.answer(a, 5, Answer::Text("rỗng".into()));
    p.restart_proctor(roster(false));
    assert_eq!(p.stored_answers(&sid(0)).len(), 1, "only the committed answer survived");
    // ...and the client PC crashes too: its memory is gone, its encrypted journal is not.
    let secret = p
        .events_of(a)
        .iter()
        .find_map(|e| {
            if let ClientEvent::Admitted(x) = e {
                Some(phongthi_crypto::JournalSecret::from_bytes(x.journal_secret.0))
            } else {
                None
            }
        })
        .unwrap();
    let journal = p.read_journal(a, &secret);
    assert_eq!(journal.len(), 3);

    // Restarted (a new session key): the proctor approves, the journal is replayed.
    let b = p.login(0);
    assert!(p.has_event(b, |e| matches!(e, ClientEvent::SeatMovePending)));
    let now = p.server_now();
    p.room.approve_move(now, &sid(0)).unwrap();
    p.run();
    let admitted = p
        .events_of(b)
        .iter()
        .find_map(|e| if let ClientEvent::Admitted(x) = e { Some(x.clone()) } else { None })
        .unwrap();
    assert_eq!(admitted.next_seq, 1);
    let head = phongthi_crypto::Digest::from_bytes(admitted.chain_head);
    let now = p.local_now(b);
    p.clients[b].session.restore_unacked(now, journal, admitted.next_seq, head);
    p.run();
    p.flush();
    assert_eq!(p.clients[b].session.unacked(), 0);
    let stored = p.stored_answers(&sid(0));
    assert_eq!(stored.get(&2), Some(&Answer::Choices(vec![0])));
    assert_eq!(stored.get(&5), Some(&Answer::Text("rỗng".into())), "nothing the student typed was lost");
    check_no_loss(&p, b, &sid(0));
}

#[test]
fn a_full_disk_acknowledges_nothing_and_recovers() {
    let (mut p, a) = Pair::started_with_one();
    p.disk_full = true;
    p.answer(a, 1, Answer::Choices(vec![1]));
    p.flush();
    assert_eq!(p.clients[a].session.unacked(), 1, "not acked");
    assert!(p.disk.incidents.iter().any(|(_, i)| *i == Incident::StoreFailed), "loud alarm");
    p.disk_full = false;
    p.advance(Duration::from_secs(11)); // resend
    p.flush();
    assert_eq!(p.clients[a].session.unacked(), 0);
    check_no_loss(&p, a, &sid(0));
}

#[test]
fn answers_behind_a_failed_store_are_kept_and_arrive_in_order_later() {
    let (mut p, a) = Pair::started_with_one();
    p.disk_full = true;
    for n in 1..=3 {
        p.answer(a, n, Answer::Choices(vec![1]));
    }
    p.flush();
    // The chain is rolled back to the first failed event; the student keeps answering, and the
    // events behind the gap must be held by the client, not refused (it would drop them).
    p.answer(a, 4, Answer::Choices(vec![0]));
    p.flush();
    assert!(!p.has_event(a, |e| matches!(e, ClientEvent::EventRefused { .. })), "{:?}", p.events_of(a));
    assert_eq!(p.clients[a].session.unacked(), 4, "nothing acked, nothing dropped");
    p.disk_full = false;
    p.advance(Duration::from_secs(11)); // the periodic resend, in order from the first unacked
    p.flush();
    assert_eq!(p.clients[a].session.unacked(), 0);
    assert_eq!(p.stored_answers(&sid(0)).len(), 4);
    check_no_loss(&p, a, &sid(0));
}

#[test]
fn store_reports_out_of_order_keep_the_latest_answer_and_ack_only_a_durable_prefix() {
    let (mut p, a) = Pair::started_with_one();
    p.answer(a, 1, Answer::Choices(vec![0]));
    p.answer(a, 1, Answer::Choices(vec![1])); // changed their mind: this one must win
    p.answer(a, 2, Answer::TrueFalse(true));
    // Only the last event's report arrives: nothing may be acknowledged yet.
    let queued = std::mem::take(&mut p.queued);
    let (student, last) = queued.last().cloned().unwrap();
    p.room.handle_event_stored(&student, last);
    p.run();
    assert_eq!(p.clients[a].session.unacked(), 3, "no ack before the earlier events are durable");
    p.queued = queued[..queued.len() - 1].to_vec();
    p.flush_reversed();
    assert_eq!(p.clients[a].session.unacked(), 0);
    check_no_loss(&p, a, &sid(0));
    let now = p.local_now(a);
    p.clients[a].session.submit(now, START).unwrap();
    p.run();
    assert!(p.has_event(a, |e| matches!(e, ClientEvent::Receipt { .. })), "{:?}", p.events_of(a));
    assert_eq!(p.stored_answers(&sid(0)).get(&1), Some(&Answer::Choices(vec![1])));
}

#[test]
fn logins_are_checked_and_repeated_failures_close_the_connection() {
    let mut p = Pair::with(roster(true), IntegrityPolicy::default());
    let wrong_code = p.add_client(0, "XXXX", Some("2000"));
    p.connect(wrong_code);
    assert!(p.has_event(wrong_code, |e| matches!(e, ClientEvent::Refused(Refusal::WrongRoomCode))));
    let wrong_pin = p.add_client(0, ROOM_CODE, Some("9999"));
    p.connect(wrong_pin);
    assert!(p.has_event(wrong_pin, |e| matches!(e, ClientEvent::Refused(Refusal::WrongPin))));
    let good = p.add_client(0, "k7q2", Some("2000"));
    p.connect(good);
    assert!(p.has_event(good, |e| matches!(e, ClientEvent::Admitted(_))), "room code case-insensitive, PIN right");

    let mut q = Pair::new();
    let c = q.add_client(0, "NOPE", None);
    q.connect(c);
    for _ in 0..4 {
        let now = q.local_now(c);
        q.clients[c].session.handle_connected(now); // the client retries on the same connection
        q.run();
    }
    assert!(q.has_event(c, |e| matches!(e, ClientEvent::Refused(Refusal::TooManyAttempts))), "{:?}", q.events_of(c));
    assert!(q.clients[c].conn.is_none(), "closed");
    let unknown = q.add_client(3, ROOM_CODE, None);
    q.clients[unknown].session = ClientSession::new(ClientConfig {
        build: "x".into(),
        build_digest: BuildDigest::of_bytes(b"x"),
        proctor_key: q.proctor.public_key(),
        student_id: "9999999999".into(),
        room_code: ROOM_CODE.into(),
        pin: None,
        heartbeat: Duration::from_secs(5),
        resend_after: Duration::from_secs(10),
    })
    .unwrap();
    q.connect(unknown);
    assert!(q.has_event(unknown, |e| matches!(e, ClientEvent::Refused(Refusal::UnknownStudent))));
}

fn allowing_the_genuine_build(strict: bool) -> IntegrityPolicy {
    let genuine = AllowedBuild { digest: BuildDigest::of_bytes(GENUINE_BINARY), name: "Phòng Thi 0.3 Linux".into() };
    IntegrityPolicy { strict, allowed: vec![genuine] }
}

/// Greets the room on a new connection by hand (no `ClientSession`) and returns the challenge.
fn greet_by_hand(p: &mut Pair, conn: ConnId) -> IntegrityChallenge {
    p.by_hand.insert(conn, Vec::new());
    p.room.handle_connected(conn);
    let now = p.server_now();
    p.room.handle_message(now, conn, ClientMsg::Hello { build: "replayer".into() });
    taken_by_hand(p, conn)
        .into_iter()
        .find_map(|m| match m {
            ServerMsg::Welcome { challenge, .. } => Some(IntegrityChallenge::from_bytes(challenge)),
            _ => None,
        })
        .expect("a welcome with a challenge")
}

/// What the room sent to the hand-driven `conn` since the last call.
fn taken_by_hand(p: &mut Pair, conn: ConnId) -> Vec<ServerMsg> {
    p.run();
    std::mem::take(p.by_hand.get_mut(&conn).expect("a connection driven by hand"))
}

fn login_by_hand(student: usize, key: PublicKey, answer: IntegrityAnswer) -> ClientMsg {
    ClientMsg::Login {
        student_id: sid(student),
        room_code: ROOM_CODE.into(),
        pin: None,
        session_key: *key.as_bytes(),
        integrity: *answer.as_bytes(),
        seat_proof: None,
    }
}

#[test]
fn strict_integrity_admits_the_listed_build_and_refuses_a_changed_one() {
    let mut p = Pair::with(roster(false), allowing_the_genuine_build(true));
    let genuine = p.login(0);
    assert!(p.has_event(genuine, |e| matches!(e, ClientEvent::Admitted(_))), "{:?}", p.events_of(genuine));

    p.client_binary = [GENUINE_BINARY, b" patched"].concat();
    let changed = p.login(1);
    assert!(
        p.has_event(changed, |e| matches!(e, ClientEvent::Refused(Refusal::IntegrityMismatch))),
        "{:?}",
        p.events_of(changed)
    );
    assert!(!p.has_event(changed, |e| matches!(e, ClientEvent::Admitted(_))));
    assert!(p.clients[changed].conn.is_none(), "the connection is closed");
    // The incident names the student who tried, so the dashboard can put it on their seat.
    let mismatches: Vec<_> =
        p.disk.incidents.iter().filter(|(_, i)| matches!(i, Incident::IntegrityMismatch { .. })).collect();
    assert_eq!(
        mismatches,
        [&(Some(sid(1)), Incident::IntegrityMismatch { build: "exam-client 0.1.0".into(), refused: true })]
    );
    assert!(!p.disk.sessions.contains_key(&sid(1)), "no session for a refused build");
}

#[test]
fn warn_mode_admits_an_unknown_build_and_reports_it_once_for_the_seat() {
    let mut p = Pair::with(roster(false), allowing_the_genuine_build(false));
    p.client_binary = b"another program altogether".to_vec();
    let c = p.login(2);
    assert!(p.has_event(c, |e| matches!(e, ClientEvent::Admitted(_))), "{:?}", p.events_of(c));
    p.disconnect(c);
    p.connect(c);
    let admitted = p.events_of(c).iter().filter(|e| matches!(e, ClientEvent::Admitted(_))).count();
    assert_eq!(admitted, 2, "reconnected");
    let mismatches: Vec<_> =
        p.disk.incidents.iter().filter(|(_, i)| matches!(i, Incident::IntegrityMismatch { .. })).collect();
    assert_eq!(
        mismatches,
        [&(Some(sid(2)), Incident::IntegrityMismatch { build: "exam-client 0.1.0".into(), refused: false })]
    );
    // The genuine build passes without a word.
    p.client_binary = GENUINE_BINARY.to_vec();
    let genuine = p.login(0);
    assert!(p.has_event(genuine, |e| matches!(e, ClientEvent::Admitted(_))));
    assert_eq!(p.disk.incidents.iter().filter(|(_, i)| matches!(i, Incident::IntegrityMismatch { .. })).count(), 1);
}

#[test]
fn a_recorded_answer_does_not_open_another_login() {
    let mut p = Pair::with(roster(false), allowing_the_genuine_build(true));
    let genuine = BuildDigest::of_bytes(GENUINE_BINARY);
    let key = SigningKey::generate().unwrap().public_key();

    // A genuine login on connection 900, recorded on the way.
    let first = ConnId(900);
    let challenge = greet_by_hand(&mut p, first);
    let recorded = genuine.answer(&challenge, &key, &sid(0));
    let now = p.server_now();
    p.room.handle_message(now, first, login_by_hand(0, key, recorded));
    let got = taken_by_hand(&mut p, first);
    assert!(got.iter().any(|m| matches!(m, ServerMsg::Admitted(_))), "{got:?}");

    // The same login again on the same connection: the challenge was used up.
    let now = p.server_now();
    p.room.handle_message(now, first, login_by_hand(0, key, recorded));
    let got = taken_by_hand(&mut p, first);
    assert!(matches!(got.as_slice(), [ServerMsg::Refused(Refusal::IntegrityMismatch)]), "{got:?}");

    // Replayed by another program on a new connection: a new challenge, so the answer is wrong,
    // although it came from the genuine build for the same student and key.
    let second = ConnId(901);
    let fresh = greet_by_hand(&mut p, second);
    assert_ne!(fresh, challenge);
    let now = p.server_now();
    p.room.handle_message(now, second, login_by_hand(0, key, recorded));
    let got = taken_by_hand(&mut p, second);
    assert!(matches!(got.as_slice(), [ServerMsg::Refused(Refusal::IntegrityMismatch)]), "{got:?}");

    // Answering the fresh challenge with the genuine value works: the check is the value, fresh.
    let third = ConnId(902);
    let challenge = greet_by_hand(&mut p, third);
    let now = p.server_now();
    p.room.handle_message(now, third, login_by_hand(0, key, genuine.answer(&challenge, &key, &sid(0))));
    let got = taken_by_hand(&mut p, third);
    assert!(got.iter().any(|m| matches!(m, ServerMsg::Admitted(_))), "{got:?}");
}

#[test]
fn with_no_allowed_builds_there_is_nothing_to_check() {
    let mut p = Pair::with(roster(false), IntegrityPolicy { strict: false, allowed: Vec::new() });
    p.client_binary = b"anything".to_vec();
    let c = p.login(0);
    assert!(p.has_event(c, |e| matches!(e, ClientEvent::Admitted(_))));
    assert!(!p.disk.incidents.iter().any(|(_, i)| matches!(i, Incident::IntegrityMismatch { .. })));
}

#[test]
fn proctor_restart_after_kill_loses_nothing_acknowledged() {
    let mut p = Pair::new();
    let a = p.login(0);
    let b = p.login(1);
    let now = p.server_now();
    p.room.start(now).unwrap();
    p.run();
    p.answer(a, 1, Answer::Choices(vec![1]));
    p.answer(b, 2, Answer::Choices(vec![0]));
    p.flush();
    p.answer(a, 2, Answer::Choices(vec![0])); // in flight when the proctor dies
    p.restart_proctor(roster(false));
    p.advance(Duration::from_secs(20));
    p.connect(a);
    p.connect(b);
    p.flush();
    assert_eq!(p.clients[a].session.unacked(), 0, "the unacked answer was resent after the restart");
    assert_eq!(p.stored_answers(&sid(0)).len(), 2);
    check_no_loss(&p, a, &sid(0));
    check_no_loss(&p, b, &sid(1));
    // Timers continue from the stored clock: the deadline is unchanged.
    assert!(p.has_event(a, |e| matches!(e, ClientEvent::Running { .. })));
}

#[test]
fn heartbeats_carry_the_window_state_to_the_room() {
    let mut p = Pair::new();
    let a = p.login(0);
    assert_eq!(p.room.seat_views()[0].focused, None, "no heartbeat yet");
    p.clients[a].session.set_window_state(false, false);
    p.advance(Duration::from_secs(6));
    assert!(p.has_event(a, |e| matches!(e, ClientEvent::Admitted(_))));
    let seat = &p.room.seat_views()[0];
    assert_eq!((seat.focused, seat.fullscreen), (Some(false), Some(false)), "the proctor sees who left the window");
    assert!(seat.last_heartbeat.is_some());
    p.clients[a].session.set_window_state(true, true);
    p.advance(Duration::from_secs(5));
    assert_eq!(p.room.seat_views()[0].focused, Some(true));
    let ids: Vec<SessionId> = p.disk.sessions.values().map(|s| s.0).collect();
    assert_eq!(ids.len(), 1);
}

/// The typing methods every admission of `client` carried, in order.
fn admitted_typing(p: &Pair, client: usize) -> Vec<InputMethod> {
    p.events_of(client)
        .iter()
        .filter_map(|e| if let ClientEvent::Admitted(x) = e { Some(x.typing) } else { None })
        .collect()
}

#[test]
fn the_rooms_default_input_method_travels_in_every_admission() {
    let mut p = Pair::with_typing(roster(false), IntegrityPolicy::default(), InputMethod::Vni);
    let a = p.login(0);
    assert_eq!(admitted_typing(&p, a), vec![InputMethod::Vni], "through the real encoders");
    // A reconnect (the Wi-Fi drops) and a proctor restart admit again, with the same default.
    p.disconnect(a);
    p.connect(a);
    p.restart_proctor(roster(false));
    p.connect(a);
    assert_eq!(admitted_typing(&p, a), vec![InputMethod::Vni; 3]);
    let mut plain = Pair::new();
    let b = plain.login(1);
    assert_eq!(admitted_typing(&plain, b), vec![InputMethod::Telex], "Telex unless the proctor says otherwise");
}
