//! What needs a proctor's eyes on a seat, computed from the room's status: each alert has a
//! colour *and* an icon and a word, so it reads without colour (colour-blind proctors, a washed
//! out projector).

use super::state::Lang;
use egui::Color32;
use phongthi_server::SeatStatus;

/// A heartbeat older than this means the PC stopped talking even if QUIC has not noticed yet.
pub const STALE_HEARTBEAT_MS: u64 = 15_000;

/// One reason to look at a seat, most urgent first in [`Alert::ALL`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Alert {
    /// The client build is not on the allow-list.
    IntegrityMismatch,
    /// A login from another PC waits for approval.
    MovePending,
    /// Logged in, but not connected now.
    Offline,
    /// The exam window lost focus.
    FocusLost,
    /// The exam window left full screen.
    NotFullscreen,
    /// Connected, but no heartbeat for a while.
    StaleHeartbeat,
}

impl Alert {
    /// Every alert, most urgent first.
    pub const ALL: [Alert; 6] = [
        Alert::IntegrityMismatch,
        Alert::MovePending,
        Alert::Offline,
        Alert::FocusLost,
        Alert::NotFullscreen,
        Alert::StaleHeartbeat,
    ];

    /// The icon drawn next to the word.
    pub fn icon(self) -> &'static str {
        match self {
            Alert::IntegrityMismatch => "‼",
            Alert::MovePending => "⇄",
            Alert::Offline => "⊘",
            Alert::FocusLost => "↗",
            Alert::NotFullscreen => "⊡",
            Alert::StaleHeartbeat => "⧖",
        }
    }

    /// The word.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Alert::IntegrityMismatch => lang.t("Bản máy khách lạ", "Unknown client build"),
            Alert::MovePending => lang.t("Xin đổi máy", "Seat move request"),
            Alert::Offline => lang.t("Mất kết nối", "Offline"),
            Alert::FocusLost => lang.t("Rời cửa sổ thi", "Left the exam window"),
            Alert::NotFullscreen => lang.t("Không toàn màn hình", "Not full screen"),
            Alert::StaleHeartbeat => lang.t("Im lặng quá lâu", "No heartbeat"),
        }
    }

    /// The seat's fill colour while this is its most urgent alert.
    pub fn colour(self) -> Color32 {
        match self {
            Alert::IntegrityMismatch | Alert::MovePending => Color32::from_rgb(0xC6, 0x28, 0x28),
            Alert::Offline => Color32::from_rgb(0x61, 0x61, 0x61),
            Alert::FocusLost | Alert::NotFullscreen => Color32::from_rgb(0xE6, 0x7E, 0x00),
            Alert::StaleHeartbeat => Color32::from_rgb(0x8D, 0x6E, 0x63),
        }
    }
}

/// The alerts of `seat` at proctor time `now_ms`, most urgent first. `integrity_mismatch` comes
/// from the incident log (the status does not carry it).
pub fn alerts_of(seat: &SeatStatus, now_ms: u64, integrity_mismatch: bool) -> Vec<Alert> {
    let mut alerts = Vec::new();
    if integrity_mismatch {
        alerts.push(Alert::IntegrityMismatch);
    }
    if seat.move_pending {
        alerts.push(Alert::MovePending);
    }
    // A student who has handed in may close the window: nothing after that is an alert.
    if seat.receipt_code.is_some() {
        return alerts;
    }
    if seat.logged_in && !seat.connected {
        alerts.push(Alert::Offline);
    }
    if seat.connected {
        if seat.focused == Some(false) {
            alerts.push(Alert::FocusLost);
        }
        if seat.fullscreen == Some(false) {
            alerts.push(Alert::NotFullscreen);
        }
        if seat.last_heartbeat_ms.is_some_and(|at| now_ms.saturating_sub(at) > STALE_HEARTBEAT_MS) {
            alerts.push(Alert::StaleHeartbeat);
        }
    }
    alerts
}

/// Where a seat stands when nothing is wrong: its colour, icon and word.
pub fn calm_state(seat: &SeatStatus, lang: Lang) -> (Color32, &'static str, &'static str) {
    if seat.receipt_code.is_some() {
        (Color32::from_rgb(0x1B, 0x5E, 0x20), "√", lang.t("Đã nộp", "Submitted"))
    } else if seat.connected {
        (Color32::from_rgb(0x15, 0x65, 0xC0), "•", lang.t("Đang thi", "Online"))
    } else {
        (Color32::from_rgb(0x42, 0x42, 0x42), "∘", lang.t("Chưa vào", "Not in"))
    }
}
