//! The proctor's dashboard: an egui window over the running room (built into `proctor` by its
//! default `dashboard` feature).
//!
//! Shape (as the exam window's): [`Dashboard`] holds the persistent [`State`] and the transient
//! [`Link`] to a background task on the server's runtime ([`link::spawn`]) that polls the room
//! through its [`RoomHandle`](phongthi_server::RoomHandle) and carries out actions. Each panel is
//! one file (seat map, controls, incidents, clock, results); views return [`UiCommand`]s that
//! [`Dashboard::show`] applies after drawing. Nothing in `show` blocks: updates are taken with
//! `try_recv`, actions leave with `try_send`.
//!
//! Shortcuts: F2 seat map, F3 incidents, F4 results, F5 essay marking, Ctrl+L large (projector)
//! mode, Esc closes a confirmation or the selected seat.

pub mod alerts;
pub mod clock;
pub mod controls;
pub mod incidents;
pub mod layout;
pub mod link;
pub mod marking;
pub mod results;
pub mod seat_map;
pub mod state;

#[cfg(test)]
mod tests;

pub use link::{Link, spawn as spawn_link};
pub use state::{Lang, Panel, State, UiCommand, Update};

use state::{Action, SortBy};
use std::time::Instant;

/// The zoom of large (projector) mode.
pub const LARGE_ZOOM: f32 = 1.6;

/// The dashboard window.
pub struct Dashboard {
    state: State,
    link: Link,
    /// Actions `try_send` could not hand over yet (retried next frame).
    outbox: std::collections::VecDeque<Action>,
}

impl Dashboard {
    /// A dashboard in `lang` over `link`.
    pub fn new(lang: Lang, link: Link) -> Dashboard {
        Dashboard { state: State::new(lang), link, outbox: Default::default() }
    }

    /// The state (tests).
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The state, to set filters in tests.
    pub fn state_mut(&mut self) -> &mut State {
        &mut self.state
    }

    /// Takes an update (the window takes them from the link; tests may feed them directly).
    pub fn handle_update(&mut self, update: Update) {
        match update {
            Update::Status(status) => self.state.set_status(*status, Instant::now()),
            Update::Incidents(incidents) => self.state.set_incidents(incidents),
            Update::Results(results) => self.state.results = Some(*results),
            Update::Marking(marking) => self.state.marking = Some(*marking),
            Update::ActionDone(label, reply) => {
                let mark = if reply.ok { "√" } else { "⨯" };
                self.state.notice(format!("{mark} {label}: {}", reply.message));
            }
            Update::Notice(text) => self.state.notice(text),
        }
    }

    /// Draws one frame.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        while let Ok(update) = self.link.updates.try_recv() {
            self.handle_update(update);
        }
        // The countdown moves without input.
        ui.ctx().request_repaint_after(std::time::Duration::from_millis(250));
        let mut commands = Vec::new();
        self.shortcuts(ui.ctx(), &mut commands);
        self.draw(ui, &mut commands);
        for command in commands {
            self.apply(ui.ctx(), command);
        }
        self.flush_outbox();
    }

    fn shortcuts(&self, ctx: &egui::Context, commands: &mut Vec<UiCommand>) {
        ctx.input_mut(|input| {
            for (key, panel) in [
                (egui::Key::F2, Panel::SeatMap),
                (egui::Key::F3, Panel::Incidents),
                (egui::Key::F4, Panel::Results),
                (egui::Key::F5, Panel::Marking),
            ] {
                if input.consume_key(egui::Modifiers::NONE, key) {
                    commands.push(UiCommand::Show(panel));
                }
            }
            if input.consume_key(egui::Modifiers::COMMAND, egui::Key::L) {
                commands.push(UiCommand::ToggleLarge);
            }
            if input.consume_key(egui::Modifiers::NONE, egui::Key::Escape) {
                commands.push(if self.state.confirming.is_some() {
                    UiCommand::Cancel
                } else {
                    UiCommand::Select(None)
                });
            }
        });
    }

    fn draw(&mut self, ui: &mut egui::Ui, commands: &mut Vec<UiCommand>) {
        let lang = self.state.lang;
        egui::Panel::top("dashboard-top").show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                for (panel, label) in [
                    (Panel::SeatMap, lang.t("Sơ đồ phòng (F2)", "Seat map (F2)")),
                    (Panel::Incidents, lang.t("Sự cố (F3)", "Incidents (F3)")),
                    (Panel::Results, lang.t("Kết quả (F4)", "Results (F4)")),
                    (Panel::Marking, lang.t("Chấm tự luận (F5)", "Essay marking (F5)")),
                ] {
                    if ui.selectable_label(self.state.panel == panel, label).clicked() {
                        commands.push(UiCommand::Show(panel));
                    }
                }
                ui.separator();
                controls::room_bar(ui, &mut self.state, commands);
                ui.separator();
                let large = lang.t("Chữ lớn (Ctrl+L)", "Large (Ctrl+L)");
                if ui.selectable_label(self.state.large, large).clicked() {
                    commands.push(UiCommand::ToggleLarge);
                }
                let sheet = lang.t("In phiếu phòng máy (PDF)", "Print the lab sheet (PDF)");
                if ui.button(sheet).clicked() {
                    commands.push(UiCommand::LabSheet);
                }
                let other = match lang {
                    Lang::Vi => (Lang::En, "English"),
                    Lang::En => (Lang::Vi, "Tiếng Việt"),
                };
                if ui.button(other.1).clicked() {
                    commands.push(UiCommand::SetLang(other.0));
                }
            });
            if let Some(alarm) = self.state.status.as_ref().and_then(|s| s.store_alarm.as_ref()) {
                let text =
                    lang.t("LỖI GHI ĐĨA — câu trả lời không được lưu", "STORE FAILURE — answers are not being saved");
                ui.colored_label(egui::Color32::RED, egui::RichText::new(format!("‼ {text}: {alarm}")).strong());
            }
        });
        egui::Panel::bottom("dashboard-notices").show(ui, |ui| {
            for notice in &self.state.notices {
                ui.label(notice);
            }
        });
        egui::Panel::left("dashboard-clock").default_size(260.0).show(ui, |ui| {
            clock::show(ui, &self.state, Instant::now());
        });
        let selected = self
            .state
            .selected
            .as_ref()
            .and_then(|id| self.state.status.as_ref()?.seats.iter().find(|s| s.student_id == *id))
            .cloned();
        if let Some(seat) = selected {
            egui::Panel::right("dashboard-student").default_size(280.0).show(ui, |ui| {
                controls::student_panel(ui, &self.state, &seat, commands);
            });
        }
        egui::CentralPanel::default().show(ui, |ui| match self.state.panel {
            Panel::SeatMap => seat_map::show(ui, &mut self.state, commands),
            Panel::Incidents => incidents::show(ui, &mut self.state, commands),
            Panel::Results => results::show(ui, &self.state, commands),
            Panel::Marking => marking::show(ui, &mut self.state, commands),
        });
        controls::confirmation_modal(ui.ctx(), &self.state, commands);
    }

    fn apply(&mut self, ctx: &egui::Context, command: UiCommand) {
        let state = &mut self.state;
        match command {
            UiCommand::Show(panel) => state.panel = panel,
            UiCommand::Mark(mark) => self.outbox.push_back(Action::Mark(mark)),
            UiCommand::Select(student) => state.selected = student,
            UiCommand::Confirm(confirmation) => state.confirming = Some(confirmation),
            UiCommand::Confirmed => {
                if let Some(confirmation) = state.confirming.take() {
                    let label = controls::action_label(&confirmation.command, state.lang);
                    self.outbox.push_back(Action::Control(label, confirmation.command));
                }
            }
            UiCommand::Cancel => state.confirming = None,
            UiCommand::SetClass(class) => {
                state.class = class;
                state.relayout();
            }
            UiCommand::SetFilter(filter) => state.filter = filter,
            UiCommand::ToggleLarge => {
                state.large = !state.large;
                ctx.set_zoom_factor(if state.large { LARGE_ZOOM } else { 1.0 });
            }
            UiCommand::SetLang(lang) => state.lang = lang,
            UiCommand::ExportResults(format) => self.outbox.push_back(Action::ExportResults(format)),
            UiCommand::ExportIncidents => self.outbox.push_back(Action::ExportIncidents),
            UiCommand::LabSheet => self.outbox.push_back(Action::LabSheet),
            UiCommand::SortBy(by) => {
                state.sort_descending = state.sort_by == by && !state.sort_descending;
                state.sort_by = by;
                if by == SortBy::ClassList {
                    state.sort_descending = false;
                }
            }
        }
    }

    fn flush_outbox(&mut self) {
        while let Some(action) = self.outbox.pop_front() {
            match self.link.actions.try_send(action) {
                Ok(()) => {}
                Err(tokio::sync::mpsc::error::TrySendError::Full(action)) => {
                    self.outbox.push_front(action);
                    return;
                }
                Err(tokio::sync::mpsc::error::TrySendError::Closed(_)) => {
                    self.state.notice("⨯ máy chủ đã dừng / the server has stopped".into());
                    self.outbox.clear();
                    return;
                }
            }
        }
    }
}

impl eframe::App for Dashboard {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }
}

/// Opens the dashboard window over `room` and returns when the proctor closes it. Must run on
/// the main thread (windowing systems require it); `runtime` is the server's.
pub fn run_window(
    runtime: &tokio::runtime::Handle,
    room: phongthi_server::RoomHandle,
    export_dir: std::path::PathBuf,
    lang: Lang,
    title: &str,
) -> Result<(), eframe::Error> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(format!("Phòng Thi — {title}"))
            .with_inner_size([1400.0, 900.0]),
        renderer: eframe::Renderer::Glow,
        ..Default::default()
    };
    let runtime = runtime.clone();
    eframe::run_native(
        "Phòng Thi — giám thị",
        options,
        Box::new(move |creation| {
            phongthi_ui::fonts::install(&creation.egui_ctx);
            let ctx = creation.egui_ctx.clone();
            let link = link::spawn(&runtime, room, export_dir, Box::new(move || ctx.request_repaint()));
            Ok(Box::new(Dashboard::new(lang, link)))
        }),
    )
}

/// Whether a window can be opened: a display (X11 or Wayland) is set, or the platform always
/// has one.
pub fn display_available() -> bool {
    if cfg!(any(target_os = "windows", target_os = "macos")) {
        return true;
    }
    ["DISPLAY", "WAYLAND_DISPLAY"].iter().any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()))
}
