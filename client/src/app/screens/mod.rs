//! One file per screen; [`show`] picks the screen and draws the bar they share.
//!
//! Screens read the [`State`], edit text fields in place and push [`UiCommand`]s; they never
//! change the screen themselves.

mod connect;
mod error;
mod exam;
mod keys;
mod login;
mod question;
mod readiness;
mod receipt;
mod submit;
mod typing;
mod waiting;

use super::{Lang, Screen, State, UiCommand, Zoom};
use phongthi_protocol::LocalTime;

/// Text size of ordinary labels: lab monitors are read from a chair, not a desk.
pub(super) const BODY_SIZE: f32 = 18.0;

/// The text field of question `number`'s typed answer (the switch gives it the keyboard back).
pub(super) fn answer_field_id(number: u32) -> egui::Id {
    egui::Id::unique(("answer", number))
}

/// Draws the current screen.
pub(super) fn show(ui: &mut egui::Ui, state: &mut State, now: LocalTime, commands: &mut Vec<UiCommand>) {
    ui.style_mut().text_styles.iter_mut().for_each(|(style, font)| {
        if matches!(style, egui::TextStyle::Body | egui::TextStyle::Button | egui::TextStyle::Monospace) {
            font.size = BODY_SIZE;
        }
    });
    egui::Panel::top("phongthi_top_bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.strong("Phòng Thi");
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let other = state.lang.other();
                let label = match other {
                    Lang::En => "English",
                    Lang::Vi => "Tiếng Việt",
                };
                if ui.button(label).clicked() {
                    commands.push(UiCommand::SetLang(other));
                }
                ui.separator();
                look_buttons(ui, state, commands);
            });
        });
    });
    match state.screen {
        Screen::Connect => connect::show(ui, state, commands),
        Screen::Login => login::show(ui, state, commands),
        Screen::Waiting => waiting::show(ui, state),
        Screen::Exam => exam::show(ui, state, now, commands),
        Screen::ConfirmSubmit => submit::show(ui, state, commands),
        Screen::Submitting => submit::show_sending(ui, state),
        Screen::Receipt => receipt::show(ui, state),
        Screen::Error => error::show(ui, state, commands),
        Screen::Readiness => readiness::show(ui, state, commands),
        Screen::PracticeDone => readiness::show_practice_done(ui, state, commands),
    }
}

/// High contrast and zoom, on every screen's bar. The buttons read "A+", "A−"; their accessible
/// names say what they do and which keys do the same.
fn look_buttons(ui: &mut egui::Ui, state: &State, commands: &mut Vec<UiCommand>) {
    let lang = state.lang;
    let contrast = lang.t("Tương phản cao", "High contrast");
    if ui.add(egui::Button::selectable(state.high_contrast, contrast)).clicked() {
        commands.push(UiCommand::ToggleContrast);
    }
    // Right to left: the last added is leftmost.
    for (text, name, step) in [
        ("A+", lang.t("Phóng to (Ctrl +)", "Zoom in (Ctrl +)"), Zoom::In),
        ("100%", lang.t("Cỡ chữ mặc định (Ctrl 0)", "Normal size (Ctrl 0)"), Zoom::Reset),
        ("A−", lang.t("Thu nhỏ (Ctrl −)", "Zoom out (Ctrl −)"), Zoom::Out),
    ] {
        let response = ui.button(text);
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, name));
        if response.on_hover_text(name).clicked() {
            commands.push(UiCommand::Zoom(step));
        }
    }
}

/// The link state in words, for the connect screen and the exam's indicator.
pub(super) fn link_text(lang: Lang, link: Option<&crate::net::Link>) -> String {
    use crate::net::Link;
    match link {
        None => lang.t("Chưa kết nối", "Not connected yet").to_owned(),
        Some(Link::Connecting) => lang.t("Đang kết nối…", "Connecting…").to_owned(),
        Some(Link::Online) => lang.t("Đã kết nối", "Connected").to_owned(),
        Some(Link::Offline(reason)) => {
            format!("{} ({reason})", lang.t("Mất kết nối, đang thử lại", "Offline, retrying"))
        }
        Some(Link::WrongProctor(reason)) => format!(
            "{} ({reason})",
            lang.t("Máy giám thị không đúng: hãy báo giám thị", "Wrong proctor machine: tell the proctor")
        ),
    }
}
