//! Frame time with a whole school on the map: 1,000 seats (25 classes of 40), some with alerts,
//! timing only our own work (`Dashboard::show`: filtering, layout, building the widgets) over
//! many frames, while the map scrolls. The median is printed (`--nocapture`) and recorded in
//! `docs/proctor.md`; the test fails if it goes over a 60 Hz frame.

use super::super::Dashboard;
use super::super::link::Link;
use super::super::state::Update;
use super::{Lang, seat, status};
use egui_kittest::Harness;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// One 60 Hz frame.
const FRAME_BUDGET: Duration = Duration::from_millis(16);

#[test]
fn a_thousand_seats_stay_within_a_frame() {
    const FAMILY: [&str; 8] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"];
    const GIVEN: [&str; 10] = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Khánh", "Linh", "Phúc", "Yến"];
    let seats = (0..1000)
        .map(|i| {
            let label = format!("{}{}", char::from(b'A' + ((i % 40) / 8) as u8), i % 8 + 1);
            let mut s = seat(i, &format!("{} Thị {}", FAMILY[i % 8], GIVEN[(i / 8) % 10]), Some(&label));
            s.class = format!("10A{}", i / 40 + 1);
            s.focused = Some(i % 13 != 0);
            s.connected = i % 17 != 0;
            s
        })
        .collect();
    let (actions, _actions_rx) = mpsc::channel(8);
    let (_updates_tx, updates) = mpsc::channel(8);
    let mut dashboard = Dashboard::new(Lang::Vi, Link { actions, updates });
    dashboard.handle_update(Update::Status(Box::new(status(seats))));

    let times = Rc::new(RefCell::new(Vec::new()));
    let recorded = times.clone();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1920.0, 1080.0))
        .with_context_setup(phongthi_ui::fonts::install)
        .build_ui_state(
            move |ui, dashboard: &mut Dashboard| {
                let started = Instant::now();
                dashboard.show(ui);
                recorded.borrow_mut().push(started.elapsed());
            },
            dashboard,
        );
    // Warm up (fonts, galley caches), then scroll through the map.
    harness.run_steps(5);
    times.borrow_mut().clear();
    harness.event(egui::Event::PointerMoved(egui::pos2(900.0, 600.0)));
    for step in 0..60 {
        harness.event(egui::Event::MouseWheel {
            source: egui::MouseWheelSource::Wheel,
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, if step < 30 { -120.0 } else { 120.0 }),
            modifiers: egui::Modifiers::NONE,
            phase: egui::TouchPhase::Move,
        });
        harness.step();
    }
    let mut frames = times.borrow().clone();
    frames.sort_unstable();
    let median = frames[frames.len() / 2];
    let worst = frames[frames.len() - 1];
    println!("1,000 seats: median {median:?}, worst {worst:?} over {} frames", frames.len());
    assert!(median < FRAME_BUDGET, "median frame {median:?}");
}
