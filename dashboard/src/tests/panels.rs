//! Each panel with statuses fed through the link: the seat map's tiles, alerts, filters and
//! search; the confirmation before an action; the incident log's filters; the results table and
//! histogram.

use super::super::alerts::Alert;
use super::super::state::{Action, QuestionStat, ResultRow, ResultsData, SeatFilter, Update};
use super::{NOW_MS, Rig, seat, status};
use egui::accesskit::Role;
use egui_kittest::kittest::{By, NodeT, Queryable};
use phongthi_server::control::Command;
use phongthi_store::{IncidentRecord, NewIncident};

/// The label of the seat tile that names `name`.
fn tile(rig: &Rig, name: &str) -> String {
    rig.harness.get(By::new().role(Role::Button).label_contains(name)).accesskit_node().label().unwrap_or_default()
}

fn classroom() -> Rig {
    let mut seats = vec![
        seat(0, "Nguyễn Văn An", Some("A1")),
        seat(1, "Trần Thị Bích Ngọc", Some("A2")),
        seat(2, "Lê Hoàng Phúc", Some("B1")),
        seat(3, "Phạm Minh Châu", Some("B2")),
        seat(4, "Đặng Thùy Dương", None),
    ];
    seats[1].focused = Some(false);
    seats[2].connected = false;
    seats[3].move_pending = true;
    seats[4].logged_in = false;
    seats[4].connected = false;
    seats[4].answered = 0;
    seats[4].last_save_ms = None;
    let mut rig = Rig::new(status(seats));
    rig.harness.run();
    rig
}

#[test]
fn seat_map_shows_each_student_with_progress_and_alerts_as_icon_and_word() {
    let rig = classroom();
    let an = tile(&rig, "Nguyễn Văn An");
    assert!(an.contains("A1") && an.contains("Đề 101") && an.contains("3/10") && an.contains("Đang thi"), "{an}");
    assert!(an.contains("lưu 13:59:56"), "{an}");
    assert!(tile(&rig, "Trần Thị Bích Ngọc").contains("↗ Rời cửa sổ thi"));
    assert!(tile(&rig, "Lê Hoàng Phúc").contains("⊘ Mất kết nối"));
    assert!(tile(&rig, "Phạm Minh Châu").contains("⇄ Xin đổi máy"));
    let duong = tile(&rig, "Đặng Thùy Dương");
    assert!(duong.contains("Chưa vào") && duong.contains("0/10"), "{duong}");
    rig.harness.get_by_label_contains("Đang kết nối: 3/5");
    rig.harness.get_by_label_contains("Cảnh báo: 3");
    rig.harness.get_by_label("Tạm dừng");
}

#[test]
fn filters_and_search_narrow_the_map() {
    let mut rig = classroom();
    rig.harness.state_mut().state_mut().filter = SeatFilter::Only(Alert::Offline);
    rig.harness.run();
    assert!(rig.harness.query_by_label_contains("Nguyễn Văn An").is_none());
    tile(&rig, "Lê Hoàng Phúc");
    rig.harness.state_mut().state_mut().filter = SeatFilter::AnyAlert;
    rig.harness.run();
    assert_eq!(rig.harness.query_all(By::new().role(Role::Button).label_contains("/10")).count(), 3);

    rig.harness.state_mut().state_mut().filter = SeatFilter::All;
    rig.harness.get_by_label("Tìm học sinh:").focus();
    rig.harness.run();
    // Marks are optional in the search.
    rig.harness.get_by_label("Tìm học sinh:").type_text("duong");
    rig.harness.run();
    tile(&rig, "Đặng Thùy Dương");
    assert!(rig.harness.query_by_label_contains("Phạm Minh Châu").is_none());
}

#[test]
fn an_action_waits_for_confirmation_naming_the_student() {
    let mut rig = classroom();
    rig.harness.get(By::new().role(Role::Button).label_contains("Phạm Minh Châu")).click();
    rig.harness.run();
    rig.harness.get_by_role_and_label(Role::Button, "Cho đổi máy").click();
    rig.harness.run();
    rig.harness.get_by_label("Cho Phạm Minh Châu làm tiếp trên máy mới?");
    assert!(rig.actions.try_recv().is_err(), "nothing is sent before the confirmation");
    rig.harness.get_by_role_and_label(Role::Button, "Hủy").click();
    rig.harness.run();
    assert!(rig.harness.query_by_label("Cho Phạm Minh Châu làm tiếp trên máy mới?").is_none());
    assert!(rig.actions.try_recv().is_err());

    rig.harness.get_by_role_and_label(Role::Button, "Cho đổi máy").click();
    rig.harness.run();
    rig.harness.get_by_role_and_label(Role::Button, "√ Cho đổi máy").click();
    rig.harness.run();
    let student = "0123456792".to_owned();
    assert_eq!(
        rig.actions.try_recv().ok(),
        Some(Action::Control("Cho đổi máy".into(), Command::ApproveMove { student }))
    );
    // Not offered to a student with no request.
    rig.harness.get(By::new().role(Role::Button).label_contains("Nguyễn Văn An")).click();
    rig.harness.run();
    assert!(rig.harness.get_by_role_and_label(Role::Button, "Cho đổi máy").accesskit_node().is_disabled());
}

fn incident(id: i64, student: &str, kind: &str, detail: &str) -> IncidentRecord {
    IncidentRecord {
        id,
        incident: NewIncident {
            at_ms: NOW_MS + id as u64 * 1000,
            session: None,
            student_id: Some(student.into()),
            kind: kind.into(),
            duration_ms: 4_000,
            detail: detail.into(),
        },
    }
}

#[test]
fn the_incident_log_lists_and_filters_by_kind_and_text() {
    let mut rig = classroom();
    rig.harness.state_mut().handle_update(Update::Incidents(vec![
        incident(1, "0123456790", "FocusLost", "Alt+Tab sang trình duyệt"),
        incident(2, "0123456791", "Disconnected", ""),
        incident(3, "0123456792", "SeatMoveRequested", ""),
    ]));
    rig.harness.get_by_label("Sự cố (F3)").click();
    rig.harness.run();
    rig.harness.get_by_label("3 sự cố");
    rig.harness.get_by_label("4 s Alt+Tab sang trình duyệt");
    rig.harness.get_by_label("14:00:01");
    rig.harness.get_by_label("⇄ Xin đổi máy");

    rig.harness.state_mut().state_mut().incident_kind = Some("Disconnected".into());
    rig.harness.run();
    rig.harness.get_by_label("1 sự cố");
    rig.harness.get_by_label("Lê Hoàng Phúc");

    rig.harness.state_mut().state_mut().incident_kind = None;
    rig.harness.get_by_label("Tìm:").focus();
    rig.harness.run();
    rig.harness.get_by_label("Tìm:").type_text("ngoc");
    rig.harness.run();
    rig.harness.get_by_label("1 sự cố");
    rig.harness.get_by_label("Trần Thị Bích Ngọc");
    rig.harness.get_by_role_and_label(Role::Button, "Xuất CSV").click();
    rig.harness.run();
    assert_eq!(rig.actions.try_recv().ok(), Some(Action::ExportIncidents));
}

#[test]
fn results_list_scores_sort_and_build_the_histogram() {
    let mut rig = classroom();
    let row = |id: &str, name: &str, score: Option<i64>, note: &str| ResultRow {
        student_id: id.into(),
        full_name: name.into(),
        class: "10A1".into(),
        score_tenths: score,
        raw: score.map(|s| format!("{}/10", s / 10)).unwrap_or_default(),
        note: note.into(),
    };
    let results = ResultsData {
        rows: vec![
            row("0123456789", "Nguyễn Văn An", Some(73), ""),
            row("0123456790", "Trần Thị Bích Ngọc", Some(90), ""),
            row("0123456793", "Đặng Thùy Dương", None, "Vắng"),
        ],
        questions: vec![QuestionStat { number: 1, full_marks: 1, graded: 2 }],
        scale_tenths: 100,
    };
    rig.harness.state_mut().handle_update(Update::Results(Box::new(results)));
    rig.harness.key_press(egui::Key::F4);
    rig.harness.run();
    rig.harness.get_by_label("7,3");
    rig.harness.get_by_label("9,0");
    rig.harness.get_by_label("Vắng");
    rig.harness.get_by_label("2/3 học sinh có điểm");
    rig.harness.get_by_label("Phổ điểm");
    rig.harness.get_by_label_contains("50 % (1/2)");
    let counts = super::super::results::histogram(&rig.harness.state().state().results.as_ref().unwrap().rows, 100);
    assert_eq!((counts[7], counts[9], counts.iter().sum::<u32>()), (1, 1, 2));

    rig.harness.get_by_role_and_label(Role::Button, "Điểm").click();
    rig.harness.run();
    assert_eq!(rig.harness.state().state().sort_by, super::super::state::SortBy::Score);
    rig.harness.get_by_role_and_label(Role::Button, "XLSX").click();
    rig.harness.run();
    assert_eq!(rig.actions.try_recv().ok(), Some(Action::ExportResults(phongthi_results::export::ExportFormat::Xlsx)));
}

#[test]
fn large_mode_and_english_switch_with_keys_and_buttons() {
    let mut rig = classroom();
    rig.harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::L);
    rig.harness.run();
    assert!(rig.harness.state().state().large);
    assert_eq!(rig.harness.ctx.zoom_factor(), super::super::LARGE_ZOOM);
    rig.harness.get_by_role_and_label(Role::Button, "English").click();
    rig.harness.run();
    rig.harness.get_by_label("Seat map (F2)");
    assert!(tile(&rig, "Lê Hoàng Phúc").contains("⊘ Offline"));
}

#[test]
fn every_pending_move_is_approved_with_one_confirmation() {
    let mut seats: Vec<_> = (0..4).map(|i| seat(i, &format!("Học sinh {i}"), None)).collect();
    seats[1].move_pending = true;
    seats[3].move_pending = true;
    let mut rig = Rig::new(status(seats));
    rig.harness.run();
    rig.harness.get_by_role_and_label(Role::Button, "Cho đổi máy tất cả (2)").click();
    rig.harness.run();
    rig.harness.get_by_label("Cho mọi học sinh đang chờ đổi máy làm tiếp trên máy mới?");
    assert!(rig.actions.try_recv().is_err(), "nothing is sent before the confirmation");
    rig.harness.get_by_role_and_label(Role::Button, "√ Cho đổi máy tất cả").click();
    rig.harness.run();
    assert_eq!(
        rig.actions.try_recv().ok(),
        Some(Action::Control("Cho đổi máy tất cả".into(), Command::ApproveMoves { room: None }))
    );
    // With no move pending the button is not there.
    let mut quiet = Rig::new(status((0..2).map(|i| seat(i, &format!("Học sinh {i}"), None)).collect()));
    quiet.harness.run();
    assert!(quiet.harness.query_by_label_contains("Cho đổi máy tất cả").is_none());
}
