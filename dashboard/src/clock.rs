//! The exam clock: a big countdown readable from the back of the room, the start and end times,
//! time spent paused, the room's extension and each student's own extension.

use super::state::{Lang, State};
use egui::{Color32, RichText};
use phongthi_protocol::ClockState;
use std::time::Instant;

/// Vietnam time (UTC+7, no daylight saving) of a proctor timestamp, `HH:MM:SS`.
pub fn clock_time(ms: u64) -> String {
    let seconds = (ms / 1000 + 7 * 3600) % 86_400;
    format!("{:02}:{:02}:{:02}", seconds / 3600, (seconds % 3600) / 60, seconds % 60)
}

/// `H:MM:SS` (or `MM:SS` under an hour) of a duration in milliseconds, rounded up to the second
/// so that 00:00 means the time is really up.
pub fn countdown(ms: u64) -> String {
    let seconds = ms.div_ceil(1000);
    let (h, m, s) = (seconds / 3600, (seconds % 3600) / 60, seconds % 60);
    if h > 0 { format!("{h}:{m:02}:{s:02}") } else { format!("{m:02}:{s:02}") }
}

/// The room's remaining time now: the last report, run on locally while the exam runs.
pub fn remaining_now(state: &State, now: Instant) -> u64 {
    let Some(status) = &state.status else { return 0 };
    let since = state.status_at.map(|at| now.saturating_duration_since(at).as_millis()).unwrap_or(0);
    match status.state {
        ClockState::Running => status.remaining_ms.saturating_sub(u64::try_from(since).unwrap_or(u64::MAX)),
        _ => status.remaining_ms,
    }
}

/// The word for the exam's state.
pub fn state_word(state: ClockState, lang: Lang) -> &'static str {
    match state {
        ClockState::NotStarted => lang.t("Chưa bắt đầu", "Not started"),
        ClockState::Running => lang.t("Đang thi", "Running"),
        ClockState::Paused => lang.t("Tạm dừng", "Paused"),
        ClockState::Ended => lang.t("Đã kết thúc", "Ended"),
    }
}

/// Draws the clock panel.
pub fn show(ui: &mut egui::Ui, state: &State, now: Instant) {
    let lang = state.lang;
    let Some(status) = &state.status else { return };
    ui.heading(&status.title);
    ui.label(RichText::new(state_word(status.state, lang)).strong());
    let colour = match status.state {
        ClockState::Running if remaining_now(state, now) < 5 * 60 * 1000 => Color32::from_rgb(0xC6, 0x28, 0x28),
        ClockState::Paused => Color32::from_rgb(0xE6, 0x7E, 0x00),
        _ => ui.visuals().strong_text_color(),
    };
    ui.label(RichText::new(countdown(remaining_now(state, now))).size(56.0).monospace().color(colour));
    let dash = || "—".to_owned();
    egui::Grid::new("clock-times").num_columns(2).show(ui, |ui| {
        ui.label(lang.t("Bắt đầu", "Started"));
        ui.label(status.started_ms.map(clock_time).unwrap_or_else(dash));
        ui.end_row();
        ui.label(lang.t("Kết thúc (dự kiến)", "Ends (expected)"));
        ui.label(status.deadline_ms.map(clock_time).unwrap_or_else(dash));
        ui.end_row();
        ui.label(lang.t("Đã tạm dừng", "Paused for"));
        ui.label(countdown(status.paused_ms));
        ui.end_row();
        ui.label(lang.t("Gia hạn cả phòng", "Room extension"));
        ui.label(format!("{} {}", status.room_extension_minutes, lang.t("phút", "min")));
        ui.end_row();
    });
    let extended: Vec<_> = status.seats.iter().filter(|s| s.extension_minutes > 0).collect();
    if !extended.is_empty() {
        ui.label(RichText::new(lang.t("Gia hạn riêng", "Student extensions")).strong());
        for seat in extended {
            ui.label(format!("+{} {} — {}", seat.extension_minutes, lang.t("phút", "min"), seat.full_name));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_vietnam_time_and_countdowns_round_up() {
        assert_eq!(clock_time(0), "07:00:00");
        assert_eq!(clock_time(1_795_366_134_869), "23:48:54");
        assert_eq!(countdown(0), "00:00");
        assert_eq!(countdown(1), "00:01");
        assert_eq!(countdown(45 * 60 * 1000), "45:00");
        assert_eq!(countdown(90 * 60 * 1000 + 500), "1:30:01");
    }
}
