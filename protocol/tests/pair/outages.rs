//! Power cuts and outages: a client restarted on the same PC rejoins without approval, a whole
//! room of moves is approved at once, and answers made before the deadline that reach the proctor
//! after it count within the late window (and only then).

use super::harness::*;
use super::{check_no_loss, receipt_code};
use phongthi_crypto::JournalSecret;
use phongthi_protocol::*;
use std::time::Duration;

fn admitted(p: &Pair, c: usize) -> Option<Box<Admission>> {
    p.events_of(c).iter().find_map(|e| if let ClientEvent::Admitted(x) = e { Some(x.clone()) } else { None })
}

/// What the restarted client does after admission: replays what its journal holds.
fn replay_journal(p: &mut Pair, old: usize, new: usize) {
    let admission = admitted(p, new).expect("admitted");
    let secret = JournalSecret::from_bytes(admission.journal_secret.0);
    let journal = p.read_journal(old, &secret);
    let head = phongthi_crypto::Digest::from_bytes(admission.chain_head);
    let now = p.local_now(new);
    p.clients[new].session.restore_unacked(now, journal, admission.next_seq, head);
    p.run();
}

#[test]
fn a_client_restarted_on_the_same_pc_rejoins_without_approval() {
    let (mut p, a) = Pair::started_with_one();
    p.answer(a, 1, Answer::Choices(vec![1]));
    p.flush();
    p.answer(a, 2, Answer::Choices(vec![0])); // in the journal, not yet durable
    // The power goes: proctor and PC together.
    p.restart_proctor(roster(false));
    let b = p.restart_client(a, 0);
    assert!(!p.has_event(b, |e| matches!(e, ClientEvent::SeatMovePending)), "no approval asked");
    assert!(!p.room.seat_views()[0].move_pending);
    assert!(admitted(&p, b).is_some(), "admitted at once");
    assert!(p.disk.incidents.iter().any(|(_, i)| *i == Incident::Rejoined));
    assert!(p.disk.audit.iter().any(|a| a.contains("student.rejoin")), "{:?}", p.disk.audit);
    replay_journal(&mut p, a, b);
    p.flush();
    assert_eq!(p.clients[b].session.unacked(), 0);
    assert_eq!(p.stored_answers(&sid(0)).get(&2), Some(&Answer::Choices(vec![0])));
    check_no_loss(&p, b, &sid(0));
}

#[test]
fn a_proof_from_another_session_or_no_journal_still_needs_the_proctor() {
    let mut p = Pair::new();
    p.login(0);
    let other = p.login(1);
    p.run();
    // Student 0's id typed on the PC that holds student 1's journal.
    let proof = p.clients[other].seat_proof.clone();
    let stranger = p.add_client(0, ROOM_CODE, None);
    p.clients[stranger].session.set_seat_proof(proof);
    p.connect(stranger);
    assert!(p.has_event(stranger, |e| matches!(e, ClientEvent::SeatMovePending)));
    // Garbage is not a proof either.
    let mut q = Pair::new();
    q.login(0);
    let junk = q.add_client(0, ROOM_CODE, None);
    q.clients[junk].session.set_seat_proof(Some(vec![0; 80]));
    q.connect(junk);
    assert!(q.has_event(junk, |e| matches!(e, ClientEvent::SeatMovePending)));
}

#[test]
fn every_pending_move_of_the_room_is_approved_at_once() {
    let mut p = Pair::new();
    let first: Vec<usize> = (0..3).map(|s| p.login(s)).collect();
    let now = p.server_now();
    p.room.start(now).unwrap();
    p.run();
    // Every PC comes back without its journal (new disks, another lab): three moves wait.
    let moved: Vec<usize> = (0..3).map(|s| p.login(s)).collect();
    assert_eq!(p.room.seat_views().iter().filter(|s| s.move_pending).count(), 3);
    let now = p.server_now();
    let approved = p.room.approve_all_moves(now);
    p.run();
    assert_eq!(approved, vec![sid(0), sid(1), sid(2)]);
    for (old, new) in first.into_iter().zip(moved) {
        assert!(p.clients[old].conn.is_none());
        assert!(admitted(&p, new).is_some());
    }
    assert!(p.room.approve_all_moves(now).is_empty(), "nothing left to approve");
}

#[test]
fn answers_made_before_the_deadline_count_when_the_link_returns_after_it() {
    let (mut p, a) = Pair::started_with_one();
    p.answer(a, 1, Answer::Choices(vec![1]));
    p.flush();
    // The switch of the lab dies 5 minutes before the end; the student goes on offline.
    p.advance(Duration::from_secs(40 * 60));
    p.disconnect(a);
    p.answer(a, 2, Answer::Choices(vec![0]));
    p.answer(a, 3, Answer::Text("12".into()));
    p.advance(Duration::from_secs(5 * 60 + 30));
    // Time is up on the proctor's clock as this PC measures it: no more answers.
    assert!(matches!(p.try_answer(a, 4, Answer::Choices(vec![1])), Err(ActionError::TimeUp)));
    // The room does not collect the sheet of a PC that is away: it waits for its journal.
    p.advance(Duration::from_secs(30));
    assert!(!p.disk.finalized.contains_key(&sid(0)), "not collected while the late window is open");
    // The link comes back 6 minutes after the deadline.
    p.connect(a);
    assert!(p.has_event(a, |e| matches!(e, ClientEvent::SubmitNow)), "told to submit once its journal is in");
    p.flush();
    let now = p.local_now(a);
    p.clients[a].session.submit(now, START).unwrap();
    p.run();
    assert!(receipt_code(&p, a).is_some(), "the sheet is accepted");
    let answers = &p.disk.submitted_answers[&sid(0)];
    assert_eq!(answers.len(), 3, "the offline answers count: {answers:?}");
    assert!(p.disk.incidents.iter().any(|(_, i)| *i == Incident::LateAnswers { count: 2 }));
    check_no_loss(&p, a, &sid(0));
}

#[test]
fn past_the_late_window_the_stored_answers_are_collected_and_late_ones_refused() {
    let (mut p, a) = Pair::started_with_one();
    p.answer(a, 1, Answer::Choices(vec![1]));
    p.flush();
    p.advance(Duration::from_secs(44 * 60));
    p.disconnect(a);
    p.answer(a, 2, Answer::Choices(vec![0]));
    // Away for longer than the deadline, grace and the 15-minute late window.
    p.advance(Duration::from_secs(60));
    p.advance(Duration::from_secs(16 * 60));
    let (reason, answers) = p.disk.finalized.get(&sid(0)).expect("collected when the window closed").clone();
    assert_eq!(reason, FinalizeReason::Deadline);
    assert_eq!(answers.len(), 1);
    p.connect(a);
    p.run();
    assert!(receipt_code(&p, a).is_some(), "the student sees the receipt of what was collected");
    assert!(
        p.has_event(a, |e| matches!(e, ClientEvent::EventRefused { reason, .. } if reason.contains("đã nộp"))),
        "the late answer is refused with a reason the student sees"
    );
    assert_eq!(p.stored_answers(&sid(0)).len(), 1);
}

#[test]
fn an_end_during_an_outage_waits_for_the_journal_of_the_pc_that_was_away() {
    let mut p = Pair::new();
    let a = p.login(0);
    let b = p.login(1);
    let now = p.server_now();
    p.room.start(now).unwrap();
    p.run();
    p.answer(a, 1, Answer::Choices(vec![1]));
    p.answer(b, 1, Answer::Choices(vec![0]));
    p.flush();
    // A's cable is pulled; A keeps answering; the proctor ends the exam meanwhile.
    p.disconnect(a);
    p.advance(Duration::from_secs(60));
    p.answer(a, 2, Answer::Choices(vec![0]));
    p.advance(Duration::from_secs(1));
    let now = p.server_now();
    p.room.end(now).unwrap();
    p.run();
    assert!(p.disk.finalized.contains_key(&sid(1)), "the connected student is collected at once");
    assert!(!p.disk.finalized.contains_key(&sid(0)), "the one away is waited for");
    // Back two minutes later: admitted (not "exam closed"), the journal's answer counts.
    p.advance(Duration::from_secs(120));
    p.connect(a);
    assert!(p.has_event(a, |e| matches!(e, ClientEvent::SubmitNow)), "{:?}", p.events_of(a));
    p.flush();
    let now = p.local_now(a);
    p.clients[a].session.submit(now, START).unwrap();
    p.run();
    assert!(receipt_code(&p, a).is_some());
    assert_eq!(p.disk.submitted_answers[&sid(0)].len(), 2, "the answer made before the end counts");
    check_no_loss(&p, a, &sid(0));
}
