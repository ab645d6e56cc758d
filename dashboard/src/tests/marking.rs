//! The essay-marking panel: blind (codes, never names), marked answers hidden unless asked,
//! and a typed mark leaves as exactly the `NewMark` that `proctor mark` would record.

use super::super::state::{Action, MarkingData, Panel, Update};
use super::{Rig, seat, status};
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use phongthi_items::MilliPoints;
use phongthi_results::marking::{EssayAnswer, MarkingProgress, NewMark};

fn essay(code: &str, question: u32, answer: &str, mark: Option<i64>) -> EssayAnswer {
    EssayAnswer {
        code: code.into(),
        student_id: None,
        question,
        prompt: "Trình bày định luật bảo toàn năng lượng và nêu một ví dụ trong đời sống.".into(),
        answer: answer.into(),
        max: MilliPoints::from_milli(2_000),
        mark: mark.map(MilliPoints::from_milli),
        comment: String::new(),
    }
}

fn marking_rig() -> Rig {
    let mut rig = Rig::new(status(vec![seat(0, "Nguyễn Văn An", Some("A1"))]));
    let data = MarkingData {
        essays: vec![
            essay("M-3F9A12C0", 3, "Năng lượng không tự sinh ra cũng không tự mất đi.", None),
            essay("M-77B0D1E4", 3, "Quả bóng rơi: thế năng chuyển thành động năng.", Some(1_500)),
        ],
        progress: MarkingProgress { essays: 2, marked: 1, sheets_pending: 1 },
    };
    rig.harness.state_mut().handle_update(Update::Marking(Box::new(data)));
    rig.harness.state_mut().state_mut().panel = Panel::Marking;
    rig.harness.run();
    rig
}

#[test]
fn essays_are_shown_by_code_and_marked_ones_only_on_request() {
    let mut rig = marking_rig();
    rig.harness.get_by_label_contains("Đã chấm: 1/2");
    rig.harness.get_by_label_contains("M-3F9A12C0 · Câu 3");
    rig.harness.get_by_label("Năng lượng không tự sinh ra cũng không tự mất đi.");
    assert!(rig.harness.query_by_label_contains("Nguyễn Văn An").is_none(), "blind: no names");
    assert!(rig.harness.query_by_label_contains("M-77B0D1E4").is_none(), "marked answers hidden");
    rig.harness.get_by_role_and_label(Role::CheckBox, "Hiện cả câu đã chấm").click();
    rig.harness.run();
    rig.harness.get_by_label_contains("M-77B0D1E4 · Câu 3");
    rig.harness.get_by_label_contains("đã cho: 1.5");
}

#[test]
fn a_typed_mark_is_sent_as_the_cli_would_record_it() {
    let mut rig = marking_rig();
    let save = "Lưu điểm M-3F9A12C0 3";
    assert!(rig.harness.get_by_role_and_label(Role::Button, save).accesskit_node().is_disabled(), "no points yet");
    for (label, text) in [("Điểm M-3F9A12C0 câu 3", "1,5"), ("Nhận xét M-3F9A12C0 3", "Đúng ý, thiếu ví dụ")]
    {
        rig.harness.get_by_label(label).focus();
        rig.harness.run();
        rig.harness.get_by_label(label).type_text(text);
        rig.harness.run();
    }
    rig.harness.get_by_role_and_label(Role::Button, save).click();
    rig.harness.run();
    let sent = rig.actions.try_recv().ok();
    let expected = NewMark {
        code: "M-3F9A12C0".into(),
        question: 3,
        points: "1,5".into(),
        comment: "Đúng ý, thiếu ví dụ".into(),
        marker: super::super::marking::MARKER.into(),
    };
    assert_eq!(sent, Some(Action::Mark(expected)));
}
