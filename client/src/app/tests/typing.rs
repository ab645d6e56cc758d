//! The input method switch of the exam screen, through the real answer field: each method types
//! the same keys differently, the switch and Ctrl+Space change it without touching what is
//! already typed, the room's default applies, and a student's own choice survives a restart.

use super::{Rig, admission, session};
use crate::app::{Screen, TypingMemory};
use crate::ime::InputMethod;
use crate::net::Command;
use egui::Role;
use egui::accesskit::Toggled;
use egui_kittest::kittest::{NodeT, Queryable};
use phongthi_protocol::{Admission, Answer, ClientEvent};

const STUDENT: &str = "HS10A3-017";
/// The short-text question of the fixture form, and its stem (the field's label).
const SHORT: u32 = 5;
const STEM: &str = "Viết tên tiếng Việt của hình có bốn cạnh bằng nhau.";

/// The button of `method` on the switch (Vietnamese labels).
fn switch_label(method: InputMethod) -> &'static str {
    match method {
        InputMethod::Telex => "Kiểu gõ: Telex",
        InputMethod::Vni => "Kiểu gõ: VNI",
        InputMethod::Off => "Kiểu gõ: Tắt",
    }
}

fn admitted_with(typing: InputMethod) -> Admission {
    Admission { typing, ..admission() }
}

impl Rig {
    /// In the exam on the short-text question.
    fn on_short_question(student: &str, room_default: InputMethod, memory: TypingMemory) -> Rig {
        let mut rig = Rig::in_exam_as(student, admitted_with(room_default), memory);
        rig.harness.get_by_role_and_label(Role::Button, "Câu 5: chưa trả lời").click();
        rig.harness.run();
        rig
    }

    /// What the short-text field holds.
    fn short_text(&mut self) -> String {
        self.harness.state_mut().state_mut().text_field_mut(SHORT).map(|field| field.text()).unwrap_or_default()
    }

    /// The method the switch shows as selected (exactly one must be).
    fn switch_shows(&self) -> InputMethod {
        let on: Vec<InputMethod> = InputMethod::ALL
            .into_iter()
            .filter(|method| {
                let button = self.harness.get_by_role_and_label(Role::RadioButton, switch_label(*method));
                button.accesskit_node().toggled() == Some(Toggled::True)
            })
            .collect();
        assert_eq!(on.len(), 1, "one method selected: {on:?}");
        on[0]
    }

    fn click_switch(&mut self, method: InputMethod) {
        self.harness.get_by_role_and_label(Role::RadioButton, switch_label(method)).click();
        self.harness.run();
        self.harness.run();
    }
}

#[test]
fn the_same_keys_type_differently_under_each_method() {
    let mut rig = Rig::on_short_question(STUDENT, InputMethod::Telex, TypingMemory::nowhere());
    let telex_keys = "tieengs vieetj";
    let vni_keys = "tie61ng vie65t";
    let table = [
        (InputMethod::Telex, telex_keys, "tiếng việt"),
        (InputMethod::Telex, vni_keys, "tie61ng vie65t"),
        (InputMethod::Vni, telex_keys, "tieengs vieetj"),
        (InputMethod::Vni, vni_keys, "tiếng việt"),
        (InputMethod::Off, telex_keys, "tieengs vieetj"),
        (InputMethod::Off, vni_keys, "tie61ng vie65t"),
    ];
    for (method, keys, expected) in table {
        rig.click_switch(method);
        assert_eq!(rig.switch_shows(), method);
        assert_eq!(rig.harness.state().state().typing(), method);
        if let Some(field) = rig.harness.state_mut().state_mut().text_field_mut(SHORT) {
            field.set_text("");
        }
        rig.type_into(STEM, keys);
        assert_eq!(rig.short_text(), expected, "{keys:?} typed with {method:?}");
    }
    rig.harness.get_by_label_contains("Không bỏ dấu tiếng Việt");
}

#[test]
fn clicking_the_switch_gives_the_keyboard_back_to_the_answer() {
    let mut rig = Rig::on_short_question(STUDENT, InputMethod::Telex, TypingMemory::nowhere());
    rig.type_into(STEM, "vieet");
    rig.click_switch(InputMethod::Vni);
    // No focus call here: the keys go to the answer because the switch gave it the keyboard.
    rig.harness.get_by_label(STEM).type_text("5 nam");
    rig.harness.run();
    assert_eq!(rig.short_text(), "viêt5 nam", "the word typed before the switch is left as it was");
}

#[test]
fn ctrl_space_switches_mid_word_without_touching_the_text() {
    let mut rig = Rig::on_short_question(STUDENT, InputMethod::Telex, TypingMemory::nowhere());
    rig.commands();
    rig.type_into(STEM, "vieet");
    assert_eq!(rig.short_text(), "viêt");
    rig.harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Space);
    rig.harness.run();
    assert_eq!(rig.harness.state().state().typing(), InputMethod::Vni);
    assert_eq!(rig.switch_shows(), InputMethod::Vni);
    assert_eq!(rig.short_text(), "viêt", "nothing rewritten");
    assert_eq!(rig.answers_sent(), vec![(SHORT, Answer::Text("viêt".into()))], "the text is saved at the switch");
    // Still in the field: the next keys start a new VNI word after the Telex one.
    rig.harness.get_by_label(STEM).type_text("5 vie65t");
    rig.harness.run();
    assert_eq!(rig.short_text(), "viêt5 việt");
    for expected in [InputMethod::Off, InputMethod::Telex] {
        rig.harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Space);
        rig.harness.run();
        assert_eq!(rig.harness.state().state().typing(), expected, "Ctrl+Space goes round");
    }
    let flagged = rig.harness.state().state().flagged().is_empty();
    assert!(flagged && rig.commands().iter().all(|c| !matches!(c, Command::Submit)), "no exam key fired");
}

#[test]
fn the_rooms_default_applies_until_the_student_chooses() {
    let mut rig = Rig::on_short_question(STUDENT, InputMethod::Vni, TypingMemory::nowhere());
    assert_eq!(rig.switch_shows(), InputMethod::Vni, "the proctor's --typing vni");
    rig.type_into(STEM, "tie61ng");
    assert_eq!(rig.short_text(), "tiếng");
    rig.click_switch(InputMethod::Off);
    // The Wi-Fi drops and the proctor admits the PC again, with the room's default.
    rig.send([session(ClientEvent::Admitted(Box::new(admitted_with(InputMethod::Vni))))]);
    assert_eq!(rig.harness.state().state().screen(), Screen::Exam);
    assert_eq!(rig.switch_shows(), InputMethod::Off, "a reconnect does not undo the student's choice");
}

#[test]
fn a_remembered_choice_wins_over_the_room_default_after_a_restart() {
    let folder = tempfile::tempdir().unwrap();
    let memory = || TypingMemory::in_folder(folder.path());
    let mut first = Rig::on_short_question(STUDENT, InputMethod::Vni, memory());
    first.click_switch(InputMethod::Off);
    drop(first);

    // Power cut: a new client on the same PC, the same student logs in again.
    let mut again = Rig::on_short_question(STUDENT, InputMethod::Vni, memory());
    assert_eq!(again.switch_shows(), InputMethod::Off, "remembered on this PC");
    again.type_into(STEM, "tie61ng");
    assert_eq!(again.short_text(), "tie61ng");

    let mut neighbour = Rig::on_short_question("HS10A3-018", InputMethod::Vni, memory());
    assert_eq!(neighbour.switch_shows(), InputMethod::Vni, "another student on this PC gets the room's default");
    neighbour.type_into(STEM, "tie61ng");
    assert_eq!(neighbour.short_text(), "tiếng");

    let file = folder.path().join(format!("{STUDENT}.typing"));
    std::fs::write(&file, "student = HS10A3-017\ntyping = unikey\n").unwrap();
    let corrupt = Rig::on_short_question(STUDENT, InputMethod::Vni, memory());
    assert_eq!(corrupt.switch_shows(), InputMethod::Vni, "a bad file is ignored for the default");
}

#[test]
fn the_switch_reads_in_english_too() {
    let mut rig = Rig::on_short_question(STUDENT, InputMethod::Telex, TypingMemory::nowhere());
    rig.harness.get_by_role_and_label(Role::Button, "English").click();
    rig.harness.run();
    rig.harness.get_by_label("Typing:");
    rig.harness.get_by_role_and_label(Role::RadioButton, "Input method: Off").click();
    rig.harness.run();
    assert_eq!(rig.harness.state().state().typing(), InputMethod::Off);
    rig.harness.get_by_label_contains("No Vietnamese marks");
}
