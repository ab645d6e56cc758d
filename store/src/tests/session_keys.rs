//! Schema version 2: further keys of a session, registered when a student moves to another PC.
//! Events signed by any registered key verify; keys are kept in order, once each.

use super::*;

#[tokio::test]
async fn a_seat_move_key_is_stored_and_its_events_verify() {
    let (site, mut candidates) = seeded(&["0101000001"]).await;
    let mut student = candidates.remove(0);
    let store = &site.store;
    for (item, response) in [(1, "A"), (2, "C")] {
        store.append_event(student.answer(item, response), T0).await.unwrap();
    }
    // The PC breaks; the same session continues with a new key.
    let first = student.key.public_key();
    student.key = SigningKey::generate().unwrap();
    let second = student.key.public_key();
    store.add_session_key(student.session, second, T0 + 1, None).await.unwrap();
    store.add_session_key(student.session, second, T0 + 2, None).await.unwrap();
    store.append_event(student.answer(3, "B"), T0 + 3).await.unwrap();

    let reader = store.reader().unwrap();
    assert_eq!(reader.session_keys(&student.session).unwrap(), vec![first, second]);
    reader.verify_session(&student.session).unwrap();

    let stranger = SessionId::generate().unwrap();
    let missing = store.add_session_key(stranger, second, T0, None).await;
    assert!(matches!(missing, Err(StoreError::NotFound(_))), "{missing:?}");
}

#[tokio::test]
async fn without_the_new_key_the_moved_events_do_not_verify() {
    let (site, mut candidates) = seeded(&["0101000002"]).await;
    let mut student = candidates.remove(0);
    site.store.append_event(student.answer(1, "D"), T0).await.unwrap();
    student.key = SigningKey::generate().unwrap();
    site.store.append_event(student.answer(2, "A"), T0).await.unwrap();
    let reader = site.store.reader().unwrap();
    assert!(matches!(reader.verify_session(&student.session), Err(StoreError::BrokenChain { .. })));
}
