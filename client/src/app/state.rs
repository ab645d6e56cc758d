//! What the window remembers between frames: the screen, the login fields, the admission, the
//! form, the answers and flags, the clock and the link. Changed only by [`super::App`] applying
//! commands and driver events; screens read it (and edit text fields in place).

use super::ime_field::TextField;
use super::lang::Lang;
use crate::ime::InputMethod;
use crate::net::{Link, Login};
use phongthi_protocol::{Admission, Answer, LocalTime, PresentedBody, PresentedForm};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// Which screen is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    /// Exam title and proctor address; then the link state while connecting.
    Connect,
    /// Student id, room code, PIN.
    Login,
    /// Admitted; waiting for Start.
    Waiting,
    /// Answering.
    Exam,
    /// Lists unanswered and flagged questions before submitting.
    ConfirmSubmit,
    /// Sent; waiting for the receipt.
    Submitting,
    /// The receipt code.
    Receipt,
    /// A refusal or a fatal problem.
    Error,
    /// `--readiness`: the pass/fail list of the PC's checks.
    Readiness,
    /// `--readiness`: what the student answered in the practice (not scored).
    PracticeDone,
}

/// The lab, from `lab.toml`, for the connect screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabSummary {
    /// Exam title.
    pub exam_title: String,
    /// The proctor's address.
    pub address: String,
}

/// Where the sealed package stands (waiting room).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum PackageState {
    /// Not received yet.
    #[default]
    Waiting,
    /// Received and its signature checked.
    Verified,
    /// Refused (tampered, wrong proctor).
    Refused(String),
}

/// How many answers wait for the proctor's acknowledgement.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SaveState {
    /// Answers not yet durable on the proctor.
    pub unacked: usize,
    /// The last refusal of an answer, if any.
    pub refused: Option<String>,
}

/// The login screen's fields.
#[derive(Clone, Debug, Default)]
pub struct LoginFields {
    /// Student id (mã học sinh).
    pub student_id: TextField,
    /// Room code (mã phòng).
    pub room_code: TextField,
    /// PIN, when the roster has one.
    pub pin: TextField,
    /// Whether the PIN field is shown.
    pub pin_required: bool,
    /// The last problem (refusal, missing field), shown under the form.
    pub message: Option<String>,
}

impl LoginFields {
    /// The login the network task is started with.
    pub fn to_login(&self) -> Login {
        let pin = self.pin.text().trim().to_owned();
        Login {
            student_id: self.student_id.text().trim().to_owned(),
            room_code: self.room_code.text().trim().to_owned(),
            pin: (!pin.is_empty()).then_some(pin),
        }
    }
}

/// Everything the window shows.
pub struct State {
    pub(crate) lang: Lang,
    pub(crate) lab: LabSummary,
    pub(crate) screen: Screen,
    pub(crate) link: Option<Link>,
    /// The login fields.
    pub login: LoginFields,
    pub(crate) welcome_title: Option<String>,
    pub(crate) seat_move_pending: bool,
    pub(crate) admission: Option<Admission>,
    pub(crate) package: PackageState,
    pub(crate) form: Option<PresentedForm>,
    pub(crate) answers: BTreeMap<u32, Answer>,
    pub(crate) text_fields: BTreeMap<u32, TextField>,
    pub(crate) flagged: BTreeSet<u32>,
    pub(crate) current: u32,
    pub(crate) deadline: Option<LocalTime>,
    pub(crate) paused: Option<Duration>,
    pub(crate) save: SaveState,
    pub(crate) receipt_code: Option<String>,
    pub(crate) window: Option<(bool, bool)>,
    pub(crate) high_contrast: bool,
    pub(crate) readiness: Option<super::readiness::Checks>,
    pub(crate) practice: bool,
    /// The input method of every typed answer (the login fields keep their own).
    pub(crate) typing: InputMethod,
    /// Whether the student picked [`State::typing`] (this session or remembered on this PC):
    /// the room's default then no longer applies.
    pub(crate) typing_chosen: bool,
}

impl State {
    pub(crate) fn new(lab: LabSummary, lang: Lang) -> State {
        State {
            lang,
            lab,
            screen: Screen::Connect,
            link: None,
            login: LoginFields::default(),
            welcome_title: None,
            seat_move_pending: false,
            admission: None,
            package: PackageState::default(),
            form: None,
            answers: BTreeMap::new(),
            text_fields: BTreeMap::new(),
            flagged: BTreeSet::new(),
            current: 1,
            deadline: None,
            paused: None,
            save: SaveState::default(),
            receipt_code: None,
            window: None,
            high_contrast: false,
            readiness: None,
            practice: false,
            typing: InputMethod::default(),
            typing_chosen: false,
        }
    }

    /// The screen shown.
    pub fn screen(&self) -> Screen {
        self.screen
    }

    /// The current answers by question number.
    pub fn answers(&self) -> &BTreeMap<u32, Answer> {
        &self.answers
    }

    /// Questions flagged for review.
    pub fn flagged(&self) -> &BTreeSet<u32> {
        &self.flagged
    }

    /// Whether the high-contrast theme is on.
    pub fn high_contrast(&self) -> bool {
        self.high_contrast
    }

    /// The question shown.
    pub fn current(&self) -> u32 {
        self.current
    }

    /// The input method typed answers use now.
    pub fn typing(&self) -> InputMethod {
        self.typing
    }

    /// Types every answer with `method` from the next key on. What is already in the fields
    /// stays as it is: each field's composer is reset, so a word half typed under the old method
    /// is left as shown and never rewritten by the new one.
    pub(crate) fn set_typing(&mut self, method: InputMethod) {
        self.typing = method;
        for field in self.text_fields.values_mut() {
            field.set_method(method);
        }
    }

    /// The text field of a typed answer (tests).
    pub fn text_field_mut(&mut self, number: u32) -> Option<&mut TextField> {
        self.text_fields.get_mut(&number)
    }

    /// Logged in: the waiting room, with the answers the proctor already holds (another PC).
    pub(crate) fn admit(&mut self, admission: Admission) {
        self.answers = admission.answers.iter().filter(|(_, a)| a.is_answered()).cloned().collect();
        self.seat_move_pending = false;
        if self.screen != Screen::Exam {
            self.screen = Screen::Waiting;
        }
        self.admission = Some(admission);
        self.make_text_fields();
    }

    /// The form is open: text fields for typed answers, first question shown.
    pub(crate) fn open_form(&mut self, form: PresentedForm) {
        self.current = form.questions().next().map_or(1, |q| q.number);
        self.form = Some(form);
        self.make_text_fields();
        if matches!(self.screen, Screen::Waiting | Screen::Connect) {
            self.screen = Screen::Exam;
        }
    }

    fn make_text_fields(&mut self) {
        let Some(form) = &self.form else { return };
        for question in form.questions() {
            let typed = matches!(
                question.body,
                PresentedBody::ShortText | PresentedBody::Numeric { .. } | PresentedBody::Essay
            );
            if !typed || self.text_fields.contains_key(&question.number) {
                continue;
            }
            let text = match self.answers.get(&question.number) {
                Some(Answer::Text(text)) => text.clone(),
                _ => String::new(),
            };
            let mut field = TextField::new(text);
            field.set_method(self.typing);
            self.text_fields.insert(question.number, field);
        }
    }

    /// Text answers typed into and left alone since before `time` (seconds, egui's clock).
    pub(crate) fn text_answers_paused_since(&self, time: f64) -> Vec<u32> {
        self.text_fields
            .iter()
            .filter(|(_, field)| field.edited_at.is_some_and(|edited| edited <= time))
            .map(|(number, _)| *number)
            .collect()
    }

    /// Whether question `number` has an answer (typed text counts before it is saved).
    pub(crate) fn is_answered(&self, number: u32) -> bool {
        match self.text_fields.get(&number) {
            Some(field) => !field.text().trim().is_empty(),
            None => self.answers.get(&number).is_some_and(Answer::is_answered),
        }
    }

    /// Questions that need an answer and have none, in order.
    pub(crate) fn unanswered(&self) -> Vec<u32> {
        let Some(form) = &self.form else { return Vec::new() };
        form.questions()
            .filter(|q| q.body != PresentedBody::Description && !self.is_answered(q.number))
            .map(|q| q.number)
            .collect()
    }
}
