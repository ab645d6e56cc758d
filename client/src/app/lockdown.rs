//! What the window can see of a student leaving the exam, turned into incidents for the
//! proctor: how long focus was lost, how long full screen was left, clipboard attempts, and the
//! machine hints found at start (a virtual machine). Incidents are reported, never acted on: the
//! proctor decides what a 3-second Alt+Tab means.
//!
//! An in-app window cannot stop Alt+Tab, Ctrl+Alt+Del or a second keyboard; that is the kiosk
//! setup's job (`deploy/`, `docs/client.md`).

use phongthi_protocol::{IncidentKind, LocalTime};
use std::time::Duration;

/// Clipboard attempts closer together than this are one incident (a held Ctrl+V repeats).
const CLIPBOARD_QUIET: Duration = Duration::from_secs(2);

/// One incident to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Incident {
    /// What happened.
    pub kind: IncidentKind,
    /// How long it lasted (zero for instant events).
    pub duration: Duration,
    /// Details for the proctor: when it started, on the client's exam clock.
    pub detail: String,
}

/// Tracks focus and full screen over time.
#[derive(Clone, Debug, Default)]
pub struct Tracker {
    /// When focus was lost, if it is lost now.
    unfocused_since: Option<LocalTime>,
    /// When full screen was left, if it is left now.
    windowed_since: Option<LocalTime>,
    /// The last clipboard attempt reported.
    last_clipboard: Option<LocalTime>,
}

fn since(start: LocalTime, now: LocalTime) -> Duration {
    Duration::from_millis(now.0.saturating_sub(start.0))
}

/// `mm:ss` of the client's clock, so the proctor can line incidents up with the answer log.
fn at(time: LocalTime) -> String {
    let seconds = time.0 / 1000;
    format!("bắt đầu / started at {:02}:{:02}", seconds / 60, seconds % 60)
}

impl Tracker {
    /// The window's state at `now`; returns the incidents that just ended. `expect_fullscreen`
    /// is false for `--windowed` runs, which then report focus only.
    pub fn observe(
        &mut self,
        now: LocalTime,
        focused: bool,
        fullscreen: bool,
        expect_fullscreen: bool,
    ) -> Vec<Incident> {
        let mut ended = Vec::new();
        match (focused, self.unfocused_since) {
            (false, None) => self.unfocused_since = Some(now),
            (true, Some(start)) => {
                self.unfocused_since = None;
                ended.push(Incident { kind: IncidentKind::FocusLost, duration: since(start, now), detail: at(start) });
            }
            _ => {}
        }
        let left = expect_fullscreen && !fullscreen;
        match (left, self.windowed_since) {
            (true, None) => self.windowed_since = Some(now),
            (false, Some(start)) => {
                self.windowed_since = None;
                ended.push(Incident {
                    kind: IncidentKind::FullscreenExit,
                    duration: since(start, now),
                    detail: at(start),
                });
            }
            _ => {}
        }
        ended
    }

    /// Incidents still open at `now` (the exam is being submitted): reported with their
    /// duration so far.
    pub fn close(&mut self, now: LocalTime) -> Vec<Incident> {
        let mut open = Vec::new();
        if let Some(start) = self.unfocused_since.take() {
            open.push(Incident { kind: IncidentKind::FocusLost, duration: since(start, now), detail: at(start) });
        }
        if let Some(start) = self.windowed_since.take() {
            open.push(Incident { kind: IncidentKind::FullscreenExit, duration: since(start, now), detail: at(start) });
        }
        open
    }

    /// A clipboard shortcut or paste was swallowed at `now`: an incident unless one was just
    /// reported.
    pub fn clipboard(&mut self, now: LocalTime, what: &str) -> Option<Incident> {
        if self.last_clipboard.is_some_and(|last| since(last, now) < CLIPBOARD_QUIET) {
            return None;
        }
        self.last_clipboard = Some(now);
        Some(Incident {
            kind: IncidentKind::ClipboardAttempt,
            duration: Duration::ZERO,
            detail: format!("{what}, {}", at(now)),
        })
    }
}

/// What a clipboard event or shortcut in the raw input is, if it is one; such events are
/// removed before egui sees them.
pub fn clipboard_event(event: &egui::Event) -> Option<&'static str> {
    match event {
        egui::Event::Copy => Some("copy"),
        egui::Event::Cut => Some("cut"),
        egui::Event::Paste(_) => Some("paste"),
        egui::Event::PasteImage(_) => Some("paste image"),
        egui::Event::MiddleClickPaste { .. } => Some("middle-click paste"),
        egui::Event::Key { key, modifiers, pressed: true, .. } if modifiers.command => match key {
            egui::Key::C => Some("Ctrl+C"),
            egui::Key::X => Some("Ctrl+X"),
            egui::Key::V => Some("Ctrl+V"),
            _ => None,
        },
        egui::Event::Key { key: egui::Key::Insert, modifiers, pressed: true, .. }
            if modifiers.shift || modifiers.command =>
        {
            Some("Shift/Ctrl+Insert")
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn focus_and_fullscreen_losses_are_reported_with_their_durations() {
        let mut tracker = Tracker::default();
        assert!(tracker.observe(LocalTime(1_000), true, true, true).is_empty());
        assert!(tracker.observe(LocalTime(65_000), false, false, true).is_empty(), "reported when it ends");
        assert!(tracker.observe(LocalTime(66_000), false, false, true).is_empty());
        let ended = tracker.observe(LocalTime(68_500), true, false, true);
        assert_eq!(
            ended,
            vec![Incident {
                kind: IncidentKind::FocusLost,
                duration: Duration::from_millis(3_500),
                detail: "bắt đầu / started at 01:05".into()
            }]
        );
        let ended = tracker.observe(LocalTime(70_000), true, true, true);
        assert_eq!(ended.len(), 1);
        assert_eq!((ended[0].kind, ended[0].duration), (IncidentKind::FullscreenExit, Duration::from_secs(5)));
        assert!(tracker.observe(LocalTime(80_000), true, false, false).is_empty(), "windowed runs: no fullscreen");
        tracker.observe(LocalTime(90_000), false, true, true);
        let open = tracker.close(LocalTime(100_000));
        assert_eq!((open[0].kind, open[0].duration), (IncidentKind::FocusLost, Duration::from_secs(10)));
        assert!(tracker.close(LocalTime(101_000)).is_empty());
    }

    #[test]
    fn clipboard_attempts_are_coalesced_and_recognised() {
        let mut tracker = Tracker::default();
        assert!(tracker.clipboard(LocalTime(0), "paste").is_some());
        assert!(tracker.clipboard(LocalTime(1_500), "paste").is_none(), "a held key is one attempt");
        assert!(tracker.clipboard(LocalTime(2_500), "Ctrl+C").is_some());
        let key =
            |key, modifiers| egui::Event::Key { key, physical_key: None, pressed: true, repeat: false, modifiers };
        assert_eq!(clipboard_event(&key(egui::Key::V, egui::Modifiers::COMMAND)), Some("Ctrl+V"));
        assert_eq!(clipboard_event(&key(egui::Key::V, egui::Modifiers::NONE)), None, "a plain v is a letter");
        assert_eq!(clipboard_event(&key(egui::Key::Insert, egui::Modifiers::SHIFT)), Some("Shift/Ctrl+Insert"));
        assert_eq!(clipboard_event(&egui::Event::Paste("đáp án".into())), Some("paste"));
        assert_eq!(clipboard_event(&egui::Event::Text("a".into())), None);
    }
}
