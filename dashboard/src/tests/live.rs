//! The dashboard over a real server on loopback (temporary data directory, real store, real
//! QUIC) with students on the real client network code: they appear on the map, an alert shows,
//! confirmed actions reach the room task and its audit chain, results and exports follow.

use super::super::{Dashboard, Lang, spawn_link};
use super::harness;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT, Queryable};
use phongthi_client::net::{Command as StudentCommand, DriverConfig, DriverHandle, Login, spawn};
use phongthi_protocol::{Answer, ClockState};
use phongthi_server::{ServeOptions, serve};
use phongthi_store::demo::{exam_day, roster_csv};
use std::time::{Duration, Instant};

/// Steps the window until `done` holds, for at most 30 s.
fn until(harness: &mut Harness<'static, Dashboard>, what: &str, done: impl Fn(&Harness<'static, Dashboard>) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        harness.step();
        if done(harness) {
            return;
        }
        assert!(Instant::now() < deadline, "waited 30 s for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn tile_contains(harness: &Harness<'static, Dashboard>, name: &str, text: &str) -> bool {
    harness
        .query(By::new().role(Role::Button).label_contains(name))
        .and_then(|node| node.accesskit_node().label())
        .is_some_and(|label| label.contains(text))
}

fn student(serving: &phongthi_server::Serving, id: &str, journal: &std::path::Path) -> DriverHandle {
    let config = DriverConfig {
        lab: serving.lab.clone(),
        login: Login { student_id: id.to_owned(), room_code: serving.room_code.clone(), pin: None },
        journal_dir: Some(journal.to_path_buf()),
        build: "dashboard test".into(),
        build_digest: phongthi_client::integrity::BuildDigest::of_bytes(b"dashboard test"),
        connect_timeout: Duration::from_secs(5),
    };
    spawn(config).unwrap().0
}

#[test]
fn students_join_alerts_show_and_confirmed_actions_reach_the_server() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let roster = roster_csv(6);
    let (day, serving) = runtime.block_on(async {
        let day = exam_day(dir.path(), 4, &roster).await.unwrap();
        let options = ServeOptions { listen: "127.0.0.1:0".parse().unwrap(), ..ServeOptions::default() };
        let serving = serve(day.data.clone(), None, options).await.unwrap();
        (day, serving)
    });
    let room = serving.handle();
    let exports = dir.path().join("ket-qua");
    let link = spawn_link(runtime.handle(), room.clone(), exports.clone(), Box::new(|| {}));
    let mut harness = harness(Dashboard::new(Lang::Vi, link));
    let _entered = runtime.enter();

    // Two students join: "Nguyễn Văn An" (0123456789, A1) and "Phạm Văn Bình" (0123456792, A4).
    let an = student(&serving, "0123456789", dir.path());
    let binh = student(&serving, "0123456792", dir.path());
    until(&mut harness, "both students online", |h| {
        tile_contains(h, "Nguyễn Văn An", "Đang thi") && tile_contains(h, "Phạm Văn Bình", "Đang thi")
    });
    assert!(tile_contains(&harness, "Lê Văn An", "Chưa vào"));

    // An leaves the exam window: the next heartbeat says so, and the tile shows it.
    an.commands.try_send(StudentCommand::Window { focused: false, fullscreen: true }).unwrap();
    let incident = StudentCommand::Incident {
        kind: phongthi_protocol::IncidentKind::FocusLost,
        duration: Duration::from_secs(4),
        detail: "Alt+Tab sang trình duyệt".into(),
    };
    an.commands.try_send(incident).unwrap();
    until(&mut harness, "the focus alert", |h| tile_contains(h, "Nguyễn Văn An", "↗ Rời cửa sổ thi"));

    // Start, confirmed.
    harness.get_by_role_and_label(Role::Button, "Bắt đầu").click();
    harness.run();
    assert!(harness.state().state().confirming.is_some(), "notices: {:?}", harness.state().state().notices);
    harness.get_by_label("Bắt đầu bài thi cho cả phòng?");
    harness.get_by_role_and_label(Role::Button, "√ Bắt đầu").click();
    until(&mut harness, "the exam to run", |h| {
        h.state().state().status.as_ref().is_some_and(|s| s.state == ClockState::Running)
    });
    until(&mut harness, "the notice", |h| h.query_by_label_contains("√ Bắt đầu: đã thực hiện").is_some());
    an.commands.try_send(StudentCommand::Answer { number: 1, answer: Answer::Choices(vec![0]) }).unwrap();
    until(&mut harness, "An's first answer", |h| tile_contains(h, "Nguyễn Văn An", "1/"));

    // Force-submit Bình from his seat's panel: the confirmation names him.
    harness.get(By::new().role(Role::Button).label_contains("Phạm Văn Bình")).click();
    harness.run();
    harness.get_by_role_and_label(Role::Button, "Thu bài").click();
    harness.run();
    harness.get_by_label("Thu bài của Phạm Văn Bình ngay bây giờ?");
    harness.get_by_role_and_label(Role::Button, "√ Thu bài").click();
    until(&mut harness, "Bình's receipt", |h| tile_contains(h, "Phạm Văn Bình", "Đã nộp"));

    // Results: his score, the histogram, an export signed by the server.
    until(&mut harness, "results", |h| {
        h.state().state().results.as_ref().is_some_and(|r| r.rows.iter().any(|row| row.score_tenths.is_some()))
    });
    harness.key_press(egui::Key::F4);
    harness.run();
    harness.get_by_label("1/6 học sinh có điểm");
    let results = harness.state().state().results.clone().unwrap();
    assert_eq!(super::super::results::histogram(&results.rows, results.scale_tenths).iter().sum::<u32>(), 1);
    assert!(results.questions.iter().all(|q| q.graded == 1), "{:?}", results.questions);
    harness.get_by_role_and_label(Role::Button, "CSV (SMAS/vnEdu)").click();
    let csv = exports.join(format!("diem-{}.csv", day.exam_id));
    until(&mut harness, "the export", |_| csv.is_file());
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains("Phạm Văn Bình") && text.contains("Vắng"), "{text}");

    // The incident log has An's report.
    harness.key_press(egui::Key::F3);
    until(&mut harness, "the incident", |h| h.query_by_label("4 s Alt+Tab sang trình duyệt").is_some());

    // Both actions are in the signed audit chain.
    let reader = room.reader().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let entries = reader.audit_entries().unwrap();
        let has = |action: &str, detail: &str| {
            entries.iter().any(|e| e.entry.action == action && e.entry.detail.contains(detail))
        };
        if has("exam.start", "") && has("student.force-submit", "0123456792") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "audit entries: {:?}",
            entries.iter().map(|e| &e.entry.action).collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let identity = day.data.identity(None).unwrap().public_key();
    reader.verify_audit(&identity).unwrap();

    drop(harness);
    for handle in [an, binh] {
        let _ = handle.commands.try_send(StudentCommand::Shutdown);
    }
    runtime.block_on(serving.shutdown());
}

#[test]
fn the_lab_sheet_button_writes_a_pdf_with_the_address_room_code_and_slips() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let roster = roster_csv(3);
    let serving = runtime.block_on(async {
        let day = exam_day(dir.path(), 2, &roster).await.unwrap();
        let options = ServeOptions { listen: "127.0.0.1:0".parse().unwrap(), ..ServeOptions::default() };
        serve(day.data.clone(), None, options).await.unwrap()
    });
    let exports = dir.path().join("ket-qua");
    let link = spawn_link(runtime.handle(), serving.handle(), exports.clone(), Box::new(|| {}));
    let mut harness = harness(Dashboard::new(Lang::Vi, link));
    let _entered = runtime.enter();
    harness.get_by_role_and_label(Role::Button, "In phiếu phòng máy (PDF)").click();
    let file = exports.join(format!("phieu-phong-may-{}.pdf", serving.exam_id.to_hex()));
    until(&mut harness, "the lab sheet", |_| file.exists());
    let pages = phongthi_pdf::inspect::page_texts(&std::fs::read(&file).unwrap()).expect("our own PDF reads back");
    let text = pages.concat().join(" ");
    for expected in [serving.room_code.as_str(), &serving.addr.port().to_string(), "Nguyễn Văn An", "0123456789"] {
        assert!(text.contains(expected), "{expected} on the lab sheet: {text}");
    }
    assert!(text.contains(&serving.fingerprint.to_string()[..9]), "the fingerprint: {text}");
    until(&mut harness, "the notice", |h| h.query_by_label_contains("Đã ghi phiếu phòng máy").is_some());
    runtime.block_on(serving.shutdown());
}

/// Warn mode over real QUIC: the proctor allows one build; a student whose client is a changed
/// build gets in, and the alert shows on that student's tile (not on the genuine one's) and in
/// the incident log.
#[test]
fn an_unknown_build_shows_on_its_seat_tile_and_in_the_incident_log() {
    use phongthi_client::integrity::BuildDigest;
    let genuine: &[u8] = b"exam-client 0.3.0 as installed";
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let roster = roster_csv(4);
    let serving = runtime.block_on(async {
        let day = exam_day(dir.path(), 2, &roster).await.unwrap();
        let (store, _) = phongthi_store::admin::open_store(&day.data, None).unwrap();
        let build = phongthi_store::AllowedBuildRecord {
            digest: BuildDigest::of_bytes(genuine),
            name: "Phòng Thi 0.3 Linux".into(),
            added_ms: 1,
        };
        store.allow_build(build, phongthi_store::AuditNote::new(1, "proctor", "build.allow", "")).await.unwrap();
        store.close().unwrap();
        let options = ServeOptions { listen: "127.0.0.1:0".parse().unwrap(), ..ServeOptions::default() };
        serve(day.data.clone(), None, options).await.unwrap()
    });
    let link = spawn_link(runtime.handle(), serving.handle(), dir.path().join("ket-qua"), Box::new(|| {}));
    let mut harness = harness(Dashboard::new(Lang::Vi, link));
    let _entered = runtime.enter();

    let with_build = |id: &str, binary: &[u8]| {
        let config = DriverConfig {
            lab: serving.lab.clone(),
            login: Login { student_id: id.to_owned(), room_code: serving.room_code.clone(), pin: None },
            journal_dir: None,
            build: "exam-client 0.3.0".into(),
            build_digest: BuildDigest::of_bytes(binary),
            connect_timeout: Duration::from_secs(5),
        };
        spawn(config).unwrap().0
    };
    let an = with_build("0123456789", genuine);
    let changed = with_build("0123456790", b"exam-client 0.3.0 as installed, then patched");
    until(&mut harness, "the alert on the changed build's seat", |h| {
        tile_contains(h, "Trần Văn An", "‼ Bản máy khách lạ")
    });
    until(&mut harness, "the genuine build online", |h| tile_contains(h, "Nguyễn Văn An", "Đang thi"));
    assert!(!tile_contains(&harness, "Nguyễn Văn An", "Bản máy khách lạ"), "no alert on the genuine build's seat");

    harness.key_press(egui::Key::F3);
    until(&mut harness, "the incident in the log", |h| h.query_by_label_contains("admitted (warn mode)").is_some());
    harness.get_by_label("‼ Bản máy khách lạ");

    drop(harness);
    for handle in [an, changed] {
        let _ = handle.commands.try_send(StudentCommand::Shutdown);
    }
    runtime.block_on(serving.shutdown());
}
