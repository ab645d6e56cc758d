//! The exam screen's input method switch, "Gõ: Telex | VNI | Tắt", and its shortcut.
//!
//! Ctrl+Space moves to the next method (Telex → VNI → Tắt → Telex) wherever the keyboard is,
//! text answers included: the lockdown swallows only the clipboard keys, zoom is Ctrl +/−/0, and
//! the exam keys (letters, arrows, PageUp/PageDown, Ctrl+←/→) use no Space. A Ctrl chord types no
//! character, so the field gets no stray space.

use super::super::{Lang, State, UiCommand};
use crate::ime::InputMethod;
use egui::{Key, Modifiers};

/// The method's name on its button.
pub(super) fn method_name(lang: Lang, method: InputMethod) -> &'static str {
    match method {
        InputMethod::Telex => "Telex",
        InputMethod::Vni => "VNI",
        InputMethod::Off => lang.t("Tắt", "Off"),
    }
}

/// The method after `method` in the switch's order, wrapping round.
fn next(method: InputMethod) -> InputMethod {
    let position = InputMethod::ALL.iter().position(|m| *m == method).unwrap_or(0);
    InputMethod::ALL[(position + 1) % InputMethod::ALL.len()]
}

/// Reads Ctrl+Space (before the text field can see the key).
pub(super) fn shortcut(ui: &egui::Ui, state: &State, commands: &mut Vec<UiCommand>) {
    if ui.input_mut(|input| input.consume_key(Modifiers::COMMAND, Key::Space)) {
        commands.push(UiCommand::SetTyping(next(state.typing)));
    }
}

/// Draws the switch: one button per method, the current one selected.
pub(super) fn switch(ui: &mut egui::Ui, state: &State, commands: &mut Vec<UiCommand>) {
    let lang = state.lang;
    ui.label(lang.t("Gõ:", "Typing:"));
    let hint =
        lang.t("Ctrl+Space: đổi kiểu gõ (Telex → VNI → Tắt)", "Ctrl+Space: next input method (Telex → VNI → Off)");
    for method in InputMethod::ALL {
        let selected = state.typing == method;
        let response = ui.add(egui::Button::selectable(selected, method_name(lang, method)));
        let name = format!("{}: {}", lang.t("Kiểu gõ", "Input method"), method_name(lang, method));
        response.widget_info(|| egui::WidgetInfo::selected(egui::Role::RadioButton, true, selected, &name));
        if response.on_hover_text(hint).clicked() {
            commands.push(UiCommand::SetTyping(method));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shortcut_goes_round_every_method() {
        assert_eq!(next(InputMethod::Telex), InputMethod::Vni);
        assert_eq!(next(InputMethod::Vni), InputMethod::Off);
        assert_eq!(next(InputMethod::Off), InputMethod::Telex);
    }
}
