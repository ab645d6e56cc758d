//! Submission: checking a student's signed answer sheet against the stored log, receipts, the
//! proctor's forced collection, and finalising a session from the stored log when no sheet
//! comes (deadline, end of exam, forced).
//!
//! Kept apart because it decides what is graded: a sheet is accepted only if it matches the
//! durable answer log exactly, and a collection waits until nothing is in flight.

use super::{CommandError, Room};
use crate::answer::Answer;
use crate::messages::{Refusal, ServerMsg};
use crate::session::effects::{ConnId, Effect, FinalizeReason, Incident};
use crate::time::ServerTime;
use phongthi_crypto::AnswerSheet;

/// Sheets, receipts and collection.
impl Room {
    fn refuse_sheet(&mut self, now: ServerTime, conn: ConnId, student: &str, reason: String) {
        self.incident(now, Some(student), Incident::SheetRefused(reason.clone()));
        self.send(conn, ServerMsg::SubmitRefused { reason });
    }

    pub(super) fn on_submit(&mut self, now: ServerTime, conn: ConnId, bytes: Vec<u8>) {
        let Some(student) = self.bound_student(conn) else {
            self.send(conn, ServerMsg::Refused(Refusal::NotLoggedIn));
            return;
        };
        let exam = self.config.exam;
        let late =
            self.seats.get(&student).and_then(|s| s.session.as_ref()).is_some_and(|s| self.late_window_open(now, s));
        let Some(seat) = self.seats.get_mut(&student) else { return };
        let form_index = seat.roster.form_index;
        let Some(session) = seat.session.as_mut() else { return };
        if let Some((receipt, code)) = session.receipt.clone() {
            self.send(conn, ServerMsg::Receipt { receipt, code });
            return;
        }
        if session.finishing {
            return;
        }
        if !session.pending.is_empty() {
            session.pending_submit = Some((conn, bytes));
            return;
        }
        if self.clock.is_over(now, session.extension) && !late {
            return self.refuse_sheet(
                now,
                conn,
                &student,
                "hết giờ; bài được thu từ các câu đã lưu / time is up; the stored answers are collected".into(),
            );
        }
        let sheet = session.keys.iter().find_map(|key| AnswerSheet::verify(&bytes, key).ok());
        let Some(sheet) = sheet else {
            return self.refuse_sheet(now, conn, &student, "chữ ký phiếu sai / bad sheet signature".into());
        };
        let answers = session.final_answers();
        let problem = if sheet.session != session.id || sheet.exam != exam || sheet.form_index != form_index {
            Some("phiếu của phiên, kỳ thi hoặc mã đề khác / sheet of another session, exam or form")
        } else if sheet.chain_head != session.verifier.head() || sheet.event_count != session.verifier.next_seq() {
            Some("phiếu không khớp nhật ký câu trả lời / sheet does not match the answer log")
        } else if decode_answers(&sheet.responses).as_deref() != Some(answers.as_slice()) {
            Some("câu trả lời trên phiếu khác nhật ký / sheet answers differ from the log")
        } else {
            None
        };
        if let Some(problem) = problem {
            return self.refuse_sheet(now, conn, &student, problem.into());
        }
        session.finishing = true;
        let late_events = std::mem::take(&mut session.late_events);
        self.effects.push_back(Effect::Submit { student: student.clone(), sheet_bytes: bytes, sheet, answers });
        self.report_late(now, &student, late_events);
    }

    /// Records that `count` answers of `student` were accepted after the deadline.
    fn report_late(&mut self, now: ServerTime, student: &str, count: u64) {
        if count > 0 {
            self.incident(now, Some(student), Incident::LateAnswers { count });
        }
    }

    /// The proctor graded and stored a submission and signed the receipt.
    pub fn handle_submitted(&mut self, student: &str, receipt: Vec<u8>, code: String) {
        let Some(seat) = self.seats.get_mut(student) else { return };
        let Some(session) = seat.session.as_mut() else { return };
        session.finishing = false;
        session.receipt = Some((receipt.clone(), code.clone()));
        if let Some(conn) = seat.conn {
            self.send(conn, ServerMsg::Receipt { receipt, code });
        }
    }

    /// Emits a finalisation when one was requested and nothing is in flight.
    pub(super) fn try_finalize(&mut self, student: &str) {
        let Some(session) = self.seats.get_mut(student).and_then(|s| s.session.as_mut()) else { return };
        let Some(reason) = session.finish else { return };
        if !session.stored
            || session.finishing
            || session.receipt.is_some()
            || !session.pending.is_empty()
            || session.pending_submit.is_some()
        {
            return;
        }
        session.finishing = true;
        let late_events = std::mem::take(&mut session.late_events);
        let effect = Effect::Finalize {
            student: student.to_owned(),
            session: session.id,
            answers: session.final_answers(),
            reason,
        };
        self.effects.push_back(effect);
        let now = self.now;
        self.report_late(now, student, late_events);
    }

    /// Collect one student's answers now, from the stored log.
    pub fn force_submit(&mut self, now: ServerTime, student: &str) -> Result<(), CommandError> {
        self.now = now;
        let seat = self.seats.get_mut(student).ok_or_else(|| CommandError::UnknownStudent(student.to_owned()))?;
        let conn = seat.conn;
        let session = seat.session.as_mut().ok_or_else(|| CommandError::NotLoggedIn(student.to_owned()))?;
        if session.receipt.is_some() || session.finishing {
            return Err(CommandError::AlreadySubmitted(student.to_owned()));
        }
        session.finish = Some(FinalizeReason::Forced);
        self.audit(now, "student.force-submit", format!("{{\"student\":{student:?}}}"));
        if let Some(conn) = conn {
            self.send(conn, ServerMsg::SubmitNow);
        }
        self.try_finalize(student);
        Ok(())
    }
}

/// The responses of a sheet: the final answers by question number, as the client encodes them.
pub fn encode_answers(answers: &[(u32, Answer)]) -> Vec<u8> {
    postcard::to_stdvec(answers).unwrap_or_default()
}

fn decode_answers(bytes: &[u8]) -> Option<Vec<(u32, Answer)>> {
    postcard::from_bytes(bytes).ok()
}
