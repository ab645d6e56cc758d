//! The dashboard driven by `egui_kittest`: widgets found by accessible role and label, with
//! Vietnamese fixtures (the harness panics on any glyph the embedded fonts lack). `live` runs a
//! real server on loopback with real students; the others feed statuses through a link whose
//! far ends the test holds; `frames` measures the frame time with 1,000 seats.

mod frames;
mod live;
mod marking;
mod panels;

use super::link::Link;
use super::state::{Action, Update};
use super::{Dashboard, Lang};
use egui_kittest::Harness;
use phongthi_protocol::ClockState;
use phongthi_server::{RoomStatus, SeatStatus};
use tokio::sync::mpsc;

/// A proctor time in the exam (22 Nov 2026, 14:00 Vietnam time).
const NOW_MS: u64 = 1_795_330_800_000;

fn seat(number: usize, name: &str, label: Option<&str>) -> SeatStatus {
    SeatStatus {
        student_id: format!("{:010}", 123_456_789 + number),
        full_name: name.to_owned(),
        class: "10A1".to_owned(),
        seat: label.map(str::to_owned),
        form: ["101", "102", "103", "104"][number % 4].to_owned(),
        logged_in: true,
        connected: true,
        package_ready: true,
        answered: 3,
        questions: 10,
        last_save_ms: Some(NOW_MS - 4_000),
        extension_minutes: 0,
        move_pending: false,
        receipt_code: None,
        focused: Some(true),
        fullscreen: Some(true),
        last_heartbeat_ms: Some(NOW_MS - 1_000),
    }
}

fn status(seats: Vec<SeatStatus>) -> RoomStatus {
    RoomStatus {
        exam_id: "00112233445566778899aabbccddeeff".into(),
        title: "Kiểm tra giữa kỳ I — Toán 10".into(),
        state: ClockState::Running,
        now_ms: NOW_MS,
        started_ms: Some(NOW_MS - 10 * 60_000),
        remaining_ms: 35 * 60_000,
        paused_ms: 0,
        deadline_ms: Some(NOW_MS + 35 * 60_000),
        room_extension_minutes: 0,
        store_alarm: None,
        seats,
    }
}

/// The dashboard in a harness over a link whose far ends the test holds.
struct Rig {
    harness: Harness<'static, Dashboard>,
    actions: mpsc::Receiver<Action>,
    _updates: mpsc::Sender<Update>,
}

impl Rig {
    fn new(status: RoomStatus) -> Rig {
        let (actions_tx, actions_rx) = mpsc::channel(8);
        let (updates_tx, updates_rx) = mpsc::channel(8);
        let mut dashboard = Dashboard::new(Lang::Vi, Link { actions: actions_tx, updates: updates_rx });
        dashboard.handle_update(Update::Status(Box::new(status)));
        Rig { harness: harness(dashboard), actions: actions_rx, _updates: updates_tx }
    }
}

fn harness(dashboard: Dashboard) -> Harness<'static, Dashboard> {
    Harness::builder()
        .with_size(egui::vec2(1500.0, 950.0))
        .with_context_setup(phongthi_ui::fonts::install)
        .build_ui_state(|ui, dashboard: &mut Dashboard| dashboard.show(ui), dashboard)
}
