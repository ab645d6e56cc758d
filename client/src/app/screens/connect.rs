//! The first screen: which exam and which proctor this PC is set up for, and the link state
//! while the network task connects after login.

use super::super::{State, UiCommand};
use super::link_text;

pub(super) fn show(ui: &mut egui::Ui, state: &State, commands: &mut Vec<UiCommand>) {
    let lang = state.lang;
    egui::CentralPanel::default().show(ui, |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space(40.0);
            let title = state.welcome_title.as_deref().unwrap_or(&state.lab.exam_title);
            ui.heading(title);
            ui.label(format!("{}: {}", lang.t("Máy giám thị", "Proctor"), state.lab.address));
            ui.add_space(20.0);
            ui.label(link_text(lang, state.link.as_ref()));
            if state.seat_move_pending {
                ui.label(
                    lang.t("Đang chờ giám thị cho phép đổi máy…", "Waiting for the proctor to approve the seat move…"),
                );
            }
            ui.add_space(20.0);
            if state.link.is_none() && ui.button(lang.t("Đăng nhập", "Log in")).clicked() {
                commands.push(UiCommand::GoToLogin);
            }
            if matches!(state.link, Some(crate::net::Link::WrongProctor(_)))
                && ui.button(lang.t("Quay lại đăng nhập", "Back to login")).clicked()
            {
                commands.push(UiCommand::BackToLogin);
            }
        });
    });
}
