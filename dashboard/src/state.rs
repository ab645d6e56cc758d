//! The dashboard's persistent state: what the server last reported (room status, incidents,
//! results) and what the proctor chose (panel, filters, search, selection, large mode, language,
//! the action waiting for confirmation). Views read it; only [`super::Dashboard`] changes it,
//! after drawing, from the [`UiCommand`]s the views return.

use super::layout::SeatGrid;
use phongthi_results::export::ExportFormat;
use phongthi_results::marking::{EssayAnswer, MarkingProgress, NewMark};
use phongthi_server::RoomStatus;
use phongthi_server::control::{Command, Reply};
use phongthi_store::IncidentRecord;
use std::collections::BTreeSet;
use std::time::Instant;

/// The language of the labels: Vietnamese first, English available.
pub use phongthi_question_bank::i18n::Lang;

/// The main area's panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Panel {
    /// Seats of the room (F2).
    #[default]
    SeatMap,
    /// The incident log (F3).
    Incidents,
    /// Scores after submission (F4).
    Results,
    /// Blind marking of essay answers (F5).
    Marking,
}

/// Which seats the map shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SeatFilter {
    /// All of them.
    #[default]
    All,
    /// Those with any alert.
    AnyAlert,
    /// Those with this alert.
    Only(super::alerts::Alert),
    /// Not logged in yet.
    NotIn,
    /// Handed in.
    Submitted,
}

/// One student's row of the results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResultRow {
    /// Student id.
    pub student_id: String,
    /// Name.
    pub full_name: String,
    /// Class.
    pub class: String,
    /// Score in tenths of a point (Circular 22 rounding), when there is one.
    pub score_tenths: Option<i64>,
    /// Raw points over possible points, as the question bank prints them (`7.25/10`).
    pub raw: String,
    /// Absent / not submitted / not on the roster, or empty.
    pub note: String,
}

/// One question's share of full marks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuestionStat {
    /// Its number on the first form.
    pub number: usize,
    /// Sheets with full marks on it.
    pub full_marks: u32,
    /// Sheets graded.
    pub graded: u32,
}

impl QuestionStat {
    /// Percent with full marks, rounded down to a whole percent (0 with no sheets).
    pub fn percent(&self) -> u32 {
        (self.full_marks * 100).checked_div(self.graded).unwrap_or(0)
    }
}

/// The results as read from the store.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResultsData {
    /// One row per roster student, in class-list order.
    pub rows: Vec<ResultRow>,
    /// Per question of the first form.
    pub questions: Vec<QuestionStat>,
    /// The exam's scale in tenths (100 for a 10-point scale).
    pub scale_tenths: i64,
}

/// Results-table columns to sort by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SortBy {
    /// Class-list order.
    #[default]
    ClassList,
    /// Name.
    Name,
    /// Score.
    Score,
}

/// What the background link reports.
#[derive(Debug)]
pub enum Update {
    /// The room now.
    Status(Box<RoomStatus>),
    /// The whole incident log (it only grows).
    Incidents(Vec<IncidentRecord>),
    /// Results, read again after a new submission.
    Results(Box<ResultsData>),
    /// Essay answers to mark (blind) and the progress, read again after a submission or a mark.
    Marking(Box<MarkingData>),
    /// An action finished: what was asked and what the server said.
    ActionDone(String, Reply),
    /// Something the proctor should read (an export written, a failure).
    Notice(String),
}

/// What the views ask for; applied after drawing.
#[derive(Clone, Debug, PartialEq)]
pub enum UiCommand {
    /// Show a panel.
    Show(Panel),
    /// Record a mark.
    Mark(NewMark),
    /// Select a seat (by student id) or clear the selection.
    Select(Option<String>),
    /// Ask for confirmation before `command`.
    Confirm(Confirmation),
    /// The proctor confirmed.
    Confirmed,
    /// The proctor cancelled.
    Cancel,
    /// Show one class (room) or all.
    SetClass(Option<String>),
    /// Filter seats.
    SetFilter(SeatFilter),
    /// Toggle large (projector) mode.
    ToggleLarge,
    /// Switch the labels' language.
    SetLang(Lang),
    /// Export results in this format.
    ExportResults(ExportFormat),
    /// Export the incident log as CSV.
    ExportIncidents,
    /// Write the printable lab sheet (PDF).
    LabSheet,
    /// Sort the results table by this column (again: reverse).
    SortBy(SortBy),
}

/// An action waiting for the proctor's confirmation.
#[derive(Clone, Debug, PartialEq)]
pub struct Confirmation {
    /// The question shown, naming the student where there is one.
    pub question: String,
    /// What runs on "Xác nhận".
    pub command: Command,
}

/// What the link is asked to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// A control command (the label names it in the notice).
    Control(String, Command),
    /// Export results.
    ExportResults(ExportFormat),
    /// Export the incident log as CSV.
    ExportIncidents,
    /// Write the lab sheet PDF into the export folder.
    LabSheet,
    /// Record a mark for an essay answer.
    Mark(NewMark),
}

/// What the marking panel shows.
#[derive(Clone, Debug, Default)]
pub struct MarkingData {
    /// Every answered essay of a submitted sheet, marked or not, by marking code (never a name).
    pub essays: Vec<EssayAnswer>,
    /// How far marking has come.
    pub progress: MarkingProgress,
}

/// Everything the dashboard remembers between frames.
#[derive(Debug, Default)]
pub struct State {
    /// Labels' language.
    pub lang: Lang,
    /// Panel shown.
    pub panel: Panel,
    /// Projector mode: everything larger.
    pub large: bool,
    /// The room, last reported.
    pub status: Option<RoomStatus>,
    /// When it arrived (the countdown runs on between reports).
    pub status_at: Option<Instant>,
    /// The seat map for the current roster.
    pub grid: SeatGrid,
    /// Students with an integrity incident.
    pub integrity: BTreeSet<String>,
    /// The incident log.
    pub incidents: Vec<IncidentRecord>,
    /// Results.
    pub results: Option<ResultsData>,
    /// Class shown on the map (`None`: all).
    pub class: Option<String>,
    /// Seat filter.
    pub filter: SeatFilter,
    /// Search text (id or name, marks optional).
    pub search: String,
    /// The selected student.
    pub selected: Option<String>,
    /// Minutes for Extend.
    pub extend_minutes: u32,
    /// The action waiting for confirmation.
    pub confirming: Option<Confirmation>,
    /// Incident kind shown (`None`: all).
    pub incident_kind: Option<String>,
    /// Incident search text.
    pub incident_search: String,
    /// Results order.
    pub sort_by: SortBy,
    /// Descending order.
    pub sort_descending: bool,
    /// The latest notices, newest last.
    pub notices: Vec<String>,
    /// Essays to mark.
    pub marking: Option<MarkingData>,
    /// What the marker typed per (marking code, question): points, comment.
    pub mark_inputs: std::collections::BTreeMap<(String, u32), (String, String)>,
    /// Show already-marked answers too.
    pub show_marked: bool,
}

impl State {
    /// A fresh state in `lang`.
    pub fn new(lang: Lang) -> State {
        State { lang, extend_minutes: 5, ..State::default() }
    }

    /// Takes a new status; the map is laid out again only when the roster changed.
    pub fn set_status(&mut self, status: RoomStatus, now: Instant) {
        let same_roster = self.status.as_ref().is_some_and(|old| {
            old.seats.len() == status.seats.len()
                && old.seats.iter().zip(&status.seats).all(|(a, b)| a.student_id == b.student_id && a.seat == b.seat)
        });
        self.status = Some(status);
        self.status_at = Some(now);
        if !same_roster {
            self.relayout();
        }
    }

    /// Lays out the map again for the class shown: seats of other classes get no tile.
    pub fn relayout(&mut self) {
        let Some(status) = &self.status else { return };
        let members: Vec<usize> = (0..status.seats.len())
            .filter(|&i| self.class.as_ref().is_none_or(|class| status.seats[i].class == *class))
            .collect();
        let labels: Vec<Option<&str>> = members.iter().map(|&i| status.seats[i].seat.as_deref()).collect();
        let mut grid = SeatGrid::build(&labels, 10);
        for cell in grid.rows.iter_mut().flatten() {
            *cell = cell.and_then(|i| members.get(i).copied());
        }
        self.grid = grid;
    }

    /// Takes the incident log.
    pub fn set_incidents(&mut self, incidents: Vec<IncidentRecord>) {
        self.integrity = incidents
            .iter()
            .filter(|i| i.incident.kind == "IntegrityMismatch")
            .filter_map(|i| i.incident.student_id.clone())
            .collect();
        self.incidents = incidents;
    }

    /// Keeps the last few notices.
    pub fn notice(&mut self, text: String) {
        self.notices.push(text);
        let excess = self.notices.len().saturating_sub(5);
        self.notices.drain(..excess);
    }
}
