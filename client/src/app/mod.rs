//! The exam window (egui), behind the `gui` feature.
//!
//! Shape (after eframe's own examples): [`App`] holds the persistent [`State`] (what the student
//! sees and typed) and transient handles (the channels to the network task, the launcher that
//! starts it, the clock). Each screen is one file under `screens/`; a screen draws from the
//! state and returns [`UiCommand`]s, which [`App::show`] applies *after* drawing, so no view
//! changes the screen under another's feet. Nothing in `show` blocks: driver events are taken
//! with `try_recv`, commands go out with `try_send` through an outbox that retries next frame.
//!
//! The network task ([`crate::net::driver`]) is started at login, because it logs in as part of
//! connecting; its [`DriverEvent`]s move the screens: connect → login → waiting room → exam →
//! submit confirmation → receipt, with an error screen for refusals.
//!
//! Question texts are typeset by [`math`] (inline `$...$` formulas) with their figures from
//! [`images`].

mod events;
mod ime_field;
mod lang;
pub mod lockdown;
pub mod machine;
pub mod readiness;
mod screens;
mod state;
mod typing;
mod typing_memory;

#[cfg(test)]
mod tests;

pub use ime_field::TextField;
pub use lang::Lang;
/// The shared typesetting, figures, fonts and theme (`phongthi-ui`), under the names the screens
/// have always used.
pub use phongthi_ui::{fonts, images, math};
use phongthi_ui::{markup, theme};
pub use state::{LabSummary, PackageState, SaveState, Screen, State};
pub use theme::Zoom;
pub use typing_memory::TypingMemory;

use crate::net::{Command, DriverHandle, Login};
use phongthi_protocol::{Answer, LocalTime};
use std::collections::VecDeque;
use std::time::Instant;

/// Starts the network task for a login. The binary spawns the real driver on its tokio runtime;
/// tests hand back channels they hold the other ends of.
pub type Launcher = Box<dyn FnMut(Login) -> Result<DriverHandle, String>>;

/// Seconds without typing after which a text answer is saved.
const TEXT_COMMIT_PAUSE_SECONDS: f64 = 2.0;

/// The client's monotonic clock, in the same milliseconds as the driver's [`LocalTime`].
#[derive(Clone, Copy, Debug)]
pub enum Clock {
    /// Milliseconds since this instant (set when the driver starts, as the driver does).
    Since(Instant),
    /// A fixed time (tests).
    Fixed(LocalTime),
}

impl Clock {
    /// Now.
    pub fn now(&self) -> LocalTime {
        match self {
            Clock::Since(start) => LocalTime(u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX)),
            Clock::Fixed(time) => *time,
        }
    }
}

/// What a screen asks for; applied after the frame is drawn.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum UiCommand {
    /// Connect screen → login screen.
    GoToLogin,
    /// Log in with the fields of the login screen.
    LogIn,
    /// Switch the label language.
    SetLang(Lang),
    /// Show question `number`.
    Select(u32),
    /// A choice-type answer changed.
    Answer {
        /// Question number.
        number: u32,
        /// The new answer.
        answer: Answer,
    },
    /// Save a text answer now (the field lost focus).
    CommitText(u32),
    /// Flag or unflag a question for review.
    ToggleFlag(u32),
    /// Open the submit confirmation.
    ReviewBeforeSubmit,
    /// Back from the confirmation to the questions.
    BackToExam,
    /// Submit for real.
    ConfirmSubmit,
    /// Back to the login screen (after a refusal).
    BackToLogin,
    /// High contrast on or off (every screen's bar).
    ToggleContrast,
    /// Larger, smaller or normal size (every screen's bar; Ctrl +/−/0 work too).
    Zoom(Zoom),
    /// `--readiness`: open the practice form.
    StartPractice,
    /// `--readiness`: back from the practice to the checks.
    BackToReadiness,
    /// Type answers with this input method (the exam screen's switch, Ctrl+Space).
    SetTyping(crate::ime::InputMethod),
}

/// The exam window.
pub struct App {
    state: State,
    launcher: Launcher,
    driver: Option<DriverHandle>,
    outbox: VecDeque<Command>,
    clock: Clock,
    fixed_clock: bool,
    /// The contrast last applied to the context (`None` before the first frame).
    applied_contrast: Option<bool>,
    /// Focus and full-screen losses in progress, clipboard attempts.
    lockdown: lockdown::Tracker,
    /// False for `--windowed` runs: leaving full screen is then no incident.
    expect_fullscreen: bool,
    /// Machine hints (a virtual machine) still to report, sent once admitted.
    machine_hints: Vec<String>,
    /// Connected monitors, reported once when more than one.
    monitors: usize,
    /// Measurements: close the window after this many more frames.
    close_after_frames: Option<u32>,
    /// Measurements: show the next question each frame (every figure gets decoded).
    walk_questions: bool,
    /// `--readiness`: results of the checks run on the runtime.
    check_results: Option<std::sync::mpsc::Receiver<(readiness::CheckId, crate::net::readiness::CheckResult)>>,
    /// Where each student's chosen input method is remembered on this PC.
    typing_memory: TypingMemory,
    /// The student id of the last login, whose choice is recalled and remembered.
    student: Option<String>,
}

impl App {
    /// A window for the lab described by `lab`, showing labels in `lang`.
    pub fn new(lab: LabSummary, lang: Lang, launcher: Launcher) -> App {
        App {
            state: State::new(lab, lang),
            launcher,
            driver: None,
            outbox: VecDeque::new(),
            clock: Clock::Since(Instant::now()),
            fixed_clock: false,
            applied_contrast: None,
            lockdown: lockdown::Tracker::default(),
            expect_fullscreen: true,
            machine_hints: Vec::new(),
            monitors: 0,
            check_results: None,
            close_after_frames: None,
            walk_questions: false,
            typing_memory: TypingMemory::nowhere(),
            student: None,
        }
    }

    /// Fixes the clock (tests: the countdown then does not move).
    pub fn set_clock(&mut self, clock: Clock) {
        self.fixed_clock = matches!(clock, Clock::Fixed(_));
        self.clock = clock;
    }

    /// Whether the window is meant to be full screen (false for `--windowed` try-outs).
    pub fn set_expect_fullscreen(&mut self, expect: bool) {
        self.expect_fullscreen = expect;
    }

    /// Hints about the machine to report once admitted (see [`machine::vm_hints`]).
    pub fn set_machine_hints(&mut self, hints: Vec<String>) {
        self.machine_hints = hints;
    }

    /// Monitors connected to this PC (see [`machine::connected_monitors`]); more than one is
    /// reported once admitted, never blocking.
    pub fn set_connected_monitors(&mut self, count: usize) {
        self.monitors = count;
    }

    /// Readiness mode: the window shows the checks instead of the connect screen; `results`
    /// brings the proctor and journal checks, the window checks fonts and full screen itself.
    pub fn start_readiness(
        &mut self,
        results: std::sync::mpsc::Receiver<(readiness::CheckId, crate::net::readiness::CheckResult)>,
    ) {
        self.state.readiness = Some(readiness::Checks::new());
        self.state.screen = Screen::Readiness;
        self.check_results = Some(results);
    }

    /// Closes the window after `frames` frames (start-up measurements, `docs/client.md`).
    pub fn close_after_frames(&mut self, frames: u32) {
        self.close_after_frames = Some(frames);
    }

    /// Readiness mode: opens the practice form (what the checks screen's button does).
    pub fn start_practice(&mut self) {
        self.practice_with(readiness::practice_form());
    }

    /// Measurements: a practice of `items` questions with figures, walked one question per
    /// frame so every figure is decoded and uploaded.
    pub fn start_load_test(&mut self, items: u32) {
        self.practice_with(readiness::load_test_form(items, 512));
        self.walk_questions = true;
    }

    fn practice_with(&mut self, form: phongthi_protocol::PresentedForm) {
        self.state.answers.clear();
        self.state.text_fields.clear();
        self.state.flagged.clear();
        self.state.practice = true;
        self.state.open_form(form);
        self.state.screen = Screen::Exam;
    }

    /// The state (tests, and the lockdown hooks of the binary).
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The state, to fill login fields in tests.
    pub fn state_mut(&mut self) -> &mut State {
        &mut self.state
    }

    /// Draws the window, then applies what the screens asked for. Never blocks.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        self.take_driver_events();
        self.run_checks(ui.ctx());
        if self.applied_contrast != Some(self.state.high_contrast) {
            // One theme whatever the desktop's: the light one, or high contrast in its place.
            ui.ctx().set_theme(egui::Theme::Light);
            ui.ctx().set_visuals_of(egui::Theme::Light, theme::visuals(self.state.high_contrast));
            self.applied_contrast = Some(self.state.high_contrast);
        }
        if !self.fixed_clock && self.driver.is_some() {
            // The countdown and the driver's events need frames even when nobody moves the mouse.
            ui.ctx().request_repaint_after(std::time::Duration::from_millis(250));
        }
        let now = self.clock.now();
        let mut commands = Vec::new();
        screens::show(ui, &mut self.state, now, &mut commands);
        let time = ui.input(|input| input.time);
        for number in self.state.text_answers_paused_since(time - TEXT_COMMIT_PAUSE_SECONDS) {
            commands.push(UiCommand::CommitText(number));
        }
        if self.walk_questions
            && let Some(next) = self
                .state
                .form
                .as_ref()
                .and_then(|form| form.questions().map(|q| q.number).find(|number| *number > self.state.current))
        {
            commands.push(UiCommand::Select(next));
            ui.ctx().request_repaint();
        }
        for command in commands {
            self.apply(command, ui.ctx());
        }
        self.flush_outbox();
    }

    /// Readiness mode: collects results, checks fonts and full screen, prints the list once.
    fn run_checks(&mut self, ctx: &egui::Context) {
        let Some(checks) = self.state.readiness.as_mut() else { return };
        if let Some(results) = &self.check_results {
            while let Ok((id, result)) = results.try_recv() {
                checks.set(id, result);
            }
        }
        if checks.get(readiness::CheckId::Fonts).is_none() {
            let font = egui::FontId::proportional(screens::BODY_SIZE);
            let drawn = ctx.fonts_mut(|fonts| fonts.has_glyphs(&font, readiness::FONT_SAMPLE));
            let result =
                if drawn { Ok(readiness::FONT_SAMPLE.to_owned()) } else { Err(readiness::FONT_SAMPLE.to_owned()) };
            checks.set(readiness::CheckId::Fonts, result);
        }
        let (time, fullscreen, size) = ctx.input(|input| {
            let viewport = input.viewport();
            (input.time, viewport.fullscreen, viewport.inner_rect.map(|rect| rect.size()))
        });
        if checks.get(readiness::CheckId::Fullscreen).is_none() {
            match (checks.fullscreen_asked, fullscreen) {
                (_, Some(true)) => {
                    let size = size.map(|s| format!("{:.0}×{:.0}", s.x, s.y)).unwrap_or_default();
                    checks.set(readiness::CheckId::Fullscreen, Ok(size));
                }
                (None, _) => {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
                    checks.fullscreen_asked = Some(time);
                }
                (Some(asked), _) if time - asked > 3.0 => {
                    let detail = self.state.lang.t("cửa sổ không vào được toàn màn hình", "the window stayed windowed");
                    checks.set(readiness::CheckId::Fullscreen, Err(detail.to_owned()));
                }
                _ => {}
            }
        }
        if checks.done() && !checks.printed {
            checks.printed = true;
            println!("{}", checks.report());
        }
        if !checks.done() {
            ctx.request_repaint_after(std::time::Duration::from_millis(200));
        }
    }

    fn apply(&mut self, command: UiCommand, ctx: &egui::Context) {
        match command {
            UiCommand::ToggleContrast => self.state.high_contrast = !self.state.high_contrast,
            UiCommand::StartPractice => self.start_practice(),
            UiCommand::BackToReadiness => self.state.screen = Screen::Readiness,
            UiCommand::Zoom(step) => theme::zoom(ctx, step),
            UiCommand::GoToLogin => self.state.screen = Screen::Login,
            UiCommand::LogIn => self.log_in(),
            UiCommand::SetLang(lang) => self.state.lang = lang,
            UiCommand::Select(number) => {
                self.commit_all_text();
                self.state.current = number;
            }
            UiCommand::Answer { number, answer } => self.record_answer(number, answer),
            UiCommand::CommitText(number) => self.commit_text(number),
            UiCommand::ToggleFlag(number) => {
                if !self.state.flagged.remove(&number) {
                    self.state.flagged.insert(number);
                }
            }
            UiCommand::ReviewBeforeSubmit => {
                self.commit_all_text();
                self.state.screen = Screen::ConfirmSubmit;
            }
            UiCommand::BackToExam => self.state.screen = Screen::Exam,
            UiCommand::ConfirmSubmit if self.state.practice => {
                self.commit_all_text();
                self.state.screen = Screen::PracticeDone;
            }
            UiCommand::ConfirmSubmit => {
                self.close_incidents();
                self.commit_all_text();
                self.outbox.push_back(Command::Submit);
                self.state.screen = Screen::Submitting;
            }
            UiCommand::BackToLogin => {
                self.stop_driver();
                self.state.screen = Screen::Login;
            }
            UiCommand::SetTyping(method) => self.choose_typing(method, ctx),
        }
    }

    fn log_in(&mut self) {
        let login = self.state.login.to_login();
        if login.student_id.is_empty() || login.room_code.is_empty() {
            self.state.login.message =
                Some(self.state.lang.t("Nhập mã học sinh và mã phòng.", "Enter your student id and room code.").into());
            return;
        }
        self.stop_driver();
        self.typing_for_login(&login.student_id);
        if !self.fixed_clock {
            // The driver counts its LocalTime from its own start: start ours at the same moment.
            self.clock = Clock::Since(Instant::now());
        }
        match (self.launcher)(login) {
            Ok(handle) => {
                self.driver = Some(handle);
                self.state.link = None;
                self.state.login.message = None;
                self.state.screen = Screen::Connect;
            }
            Err(error) => {
                self.state.login.message = Some(error);
                self.state.screen = Screen::Error;
            }
        }
    }

    fn stop_driver(&mut self) {
        // Dropping the command sender stops the task (it sees the channel close).
        self.driver = None;
        self.outbox.clear();
    }

    fn record_answer(&mut self, number: u32, answer: Answer) {
        if answer.is_answered() {
            self.state.answers.insert(number, answer.clone());
        } else {
            self.state.answers.remove(&number);
        }
        if !self.state.practice {
            self.outbox.push_back(Command::Answer { number, answer });
        }
    }

    fn commit_text(&mut self, number: u32) {
        let Some(field) = self.state.text_fields.get_mut(&number) else { return };
        field.edited_at = None;
        let text = field.text();
        let answer = if text.trim().is_empty() { Answer::Cleared } else { Answer::Text(text) };
        let previous = self.state.answers.get(&number).cloned().unwrap_or(Answer::Cleared);
        if previous != answer {
            self.record_answer(number, answer);
        }
    }

    fn commit_all_text(&mut self) {
        let numbers: Vec<u32> = self.state.text_fields.keys().copied().collect();
        for number in numbers {
            self.commit_text(number);
        }
    }

    fn flush_outbox(&mut self) {
        let Some(driver) = self.driver.as_ref() else { return };
        while let Some(command) = self.outbox.pop_front() {
            match driver.commands.try_send(command) {
                Ok(()) => {}
                Err(tokio::sync::mpsc::error::TrySendError::Full(command)) => {
                    // The task is busy: keep the order and try again next frame.
                    self.outbox.push_front(command);
                    break;
                }
                Err(tokio::sync::mpsc::error::TrySendError::Closed(_)) => {
                    self.state.link =
                        Some(crate::net::Link::Offline(self.state.lang.t("mất kết nối", "link closed").into()));
                    break;
                }
            }
        }
    }

    /// Tells the network task about the window (the binary's lockdown hook calls this each
    /// frame): the state for heartbeats, and an incident with its duration when a loss of focus
    /// or of full screen ends.
    pub fn report_window(&mut self, focused: bool, fullscreen: bool) {
        if self.state.window != Some((focused, fullscreen)) {
            self.state.window = Some((focused, fullscreen));
            self.outbox.push_back(Command::Window { focused, fullscreen });
        }
        if self.state.admission.is_some() && self.state.screen != Screen::Receipt {
            let ended = self.lockdown.observe(self.clock.now(), focused, fullscreen, self.expect_fullscreen);
            self.queue_incidents(ended);
        }
    }

    /// Removes clipboard events and shortcuts from the window's input (the binary's raw input
    /// hook calls this): nothing is pasted into or copied out of an answer. During the exam each
    /// attempt is reported.
    pub fn filter_input(&mut self, raw_input: &mut egui::RawInput) {
        let mut attempts = Vec::new();
        raw_input.events.retain(|event| match lockdown::clipboard_event(event) {
            Some(what) => {
                attempts.push(what);
                false
            }
            None => true,
        });
        if self.state.admission.is_none() {
            return;
        }
        let now = self.clock.now();
        let incidents: Vec<_> = attempts.into_iter().filter_map(|what| self.lockdown.clipboard(now, what)).collect();
        self.queue_incidents(incidents);
    }

    fn close_incidents(&mut self) {
        let open = self.lockdown.close(self.clock.now());
        self.queue_incidents(open);
    }

    fn queue_incidents(&mut self, incidents: Vec<lockdown::Incident>) {
        for incident in incidents {
            let lockdown::Incident { kind, duration, detail } = incident;
            self.outbox.push_back(Command::Incident { kind, duration, detail });
        }
    }

    /// Whether the window may close: before admission, or once the receipt is shown.
    pub fn may_close(&self) -> bool {
        self.state.admission.is_none() || self.state.screen == Screen::Receipt
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        // Lockdown inside the window: report focus and fullscreen, refuse to close mid-exam.
        let (focused, fullscreen, close) = ctx.input(|input| {
            let viewport = input.viewport();
            (viewport.focused.unwrap_or(true), viewport.fullscreen.unwrap_or(false), viewport.close_requested())
        });
        if self.driver.is_some() {
            self.report_window(focused, fullscreen);
        }
        if close && !self.may_close() {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
        }
        if let Some(frames) = self.close_after_frames.as_mut() {
            if *frames == 0 {
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            *frames = frames.saturating_sub(1);
            ctx.request_repaint();
        }
    }

    fn raw_input_hook(&mut self, _ctx: &egui::Context, raw_input: &mut egui::RawInput) {
        // No clipboard inside the exam: answers are typed, not pasted in or copied out.
        self.filter_input(raw_input);
    }
}
