//! What the network task tells the window: each [`DriverEvent`] (link state, and the session's
//! welcome, admission, acks, clock and refusals) moves the state and the screens. The window takes
//! the events without blocking at the start of every frame; tests hand them in directly.

use super::{App, Lang, PackageState, Screen};
use crate::net::{Command, DriverEvent};
use phongthi_protocol::{ClientEvent, Refusal};

impl App {
    /// Handles one event from the network task (the window calls this for each event it takes;
    /// tests call it directly).
    pub fn handle_event(&mut self, event: DriverEvent) {
        match event {
            DriverEvent::Link(link) => self.state.link = Some(link),
            DriverEvent::Session(event) => self.handle_session_event(event),
        }
    }

    fn handle_session_event(&mut self, event: ClientEvent) {
        let state = &mut self.state;
        match event {
            ClientEvent::Welcome { exam_title, pin_required } => {
                state.welcome_title = Some(exam_title);
                if pin_required && !state.login.pin_required {
                    state.login.pin_required = true;
                }
            }
            ClientEvent::Refused(refusal) => {
                self.stop_driver();
                let state = &mut self.state;
                state.login.message = Some(refusal_text(state.lang, &refusal));
                match refusal {
                    Refusal::UnknownStudent | Refusal::WrongRoomCode | Refusal::WrongPin => {
                        if refusal == Refusal::WrongPin {
                            state.login.pin_required = true;
                        }
                        state.screen = Screen::Login;
                    }
                    _ => state.screen = Screen::Error,
                }
            }
            ClientEvent::SeatMovePending => state.seat_move_pending = true,
            ClientEvent::Admitted(admission) => {
                let room_default = admission.typing;
                state.admit(*admission);
                self.typing_admitted(room_default);
                for hint in std::mem::take(&mut self.machine_hints) {
                    self.outbox.push_back(Command::Incident {
                        kind: phongthi_protocol::IncidentKind::VirtualMachineHint,
                        duration: std::time::Duration::ZERO,
                        detail: hint,
                    });
                }
                let monitors = std::mem::take(&mut self.monitors);
                if monitors > 1 {
                    self.outbox.push_back(Command::Incident {
                        kind: phongthi_protocol::IncidentKind::MultipleMonitors,
                        duration: std::time::Duration::ZERO,
                        detail: format!("{monitors} màn hình đang kết nối / {monitors} monitors connected"),
                    });
                }
            }
            ClientEvent::PackageVerified => state.package = PackageState::Verified,
            ClientEvent::PackageRefused(reason) => {
                state.package = PackageState::Refused(reason.clone());
                state.login.message = Some(format!(
                    "{}: {reason}",
                    state.lang.t("Đề thi nhận được không hợp lệ", "The exam package was refused")
                ));
                state.screen = Screen::Error;
            }
            ClientEvent::FormReady(form) => state.open_form(*form),
            ClientEvent::Running { deadline } => {
                state.deadline = Some(deadline);
                state.paused = None;
                if state.form.is_some() && state.screen == Screen::Waiting {
                    state.screen = Screen::Exam;
                }
            }
            ClientEvent::Paused { remaining } => state.paused = Some(remaining),
            ClientEvent::Journal(_) => {}
            ClientEvent::Saved { seq: _, unacked } => state.save.unacked = unacked,
            ClientEvent::EventRefused { seq: _, reason } => state.save.refused = Some(reason),
            ClientEvent::SubmitNow => {
                self.close_incidents();
                self.commit_all_text();
                self.outbox.push_back(Command::Submit);
                self.state.screen = Screen::Submitting;
            }
            ClientEvent::SubmitRefused(reason) => {
                state.login.message =
                    Some(format!("{}: {reason}", state.lang.t("Nộp bài không thành công", "Submission refused")));
                state.screen = Screen::Error;
            }
            ClientEvent::Receipt { receipt: _, code } => {
                state.receipt_code = Some(code);
                state.screen = Screen::Receipt;
                self.outbox.push_back(Command::Shutdown);
            }
            ClientEvent::Ended => {
                if state.receipt_code.is_none() {
                    state.login.message =
                        Some(state.lang.t("Giám thị đã kết thúc buổi thi.", "The proctor ended the exam.").to_owned());
                    state.screen = Screen::Error;
                }
            }
        }
    }

    pub(super) fn take_driver_events(&mut self) {
        let mut events = Vec::new();
        if let Some(driver) = self.driver.as_mut() {
            while let Ok(event) = driver.events.try_recv() {
                events.push(event);
            }
        }
        for event in events {
            self.handle_event(event);
        }
    }
}

/// The message for a refused login, Vietnamese first.
fn refusal_text(lang: Lang, refusal: &Refusal) -> String {
    let text = match refusal {
        Refusal::ProtocolVersion { .. } => lang
            .t("Phiên bản phần mềm không khớp với máy giám thị.", "This client's version does not match the proctor."),
        Refusal::UnknownStudent => {
            lang.t("Không có mã học sinh này trong danh sách.", "No such student id on the roster.")
        }
        Refusal::WrongRoomCode => lang.t("Sai mã phòng.", "Wrong room code."),
        Refusal::WrongPin => lang.t("Sai mã PIN hoặc chưa nhập.", "Wrong or missing PIN."),
        Refusal::AlreadySeated => lang
            .t("Bạn đang đăng nhập ở máy khác: hãy báo giám thị.", "You are logged in on another PC: ask the proctor."),
        Refusal::ExamClosed => lang.t("Buổi thi đã đóng hoặc chưa mở.", "The exam is closed or not open yet."),
        Refusal::IntegrityMismatch => lang.t(
            "Phần mềm thi trên máy này không có trong danh sách giám thị cho phép: hãy báo giám thị.",
            "This exam client is not on the proctor's list of allowed builds: ask the proctor.",
        ),
        Refusal::TooManyAttempts => {
            lang.t("Sai quá nhiều lần: hãy báo giám thị.", "Too many attempts: ask the proctor.")
        }
        Refusal::NotLoggedIn => lang.t("Chưa đăng nhập.", "Not logged in."),
    };
    text.to_owned()
}
