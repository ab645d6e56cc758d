//! Which input method the student's answers are typed with, and where that comes from.
//!
//! In order: the method the student picked on the exam screen (this session, or remembered on
//! this PC by [`TypingMemory`]), else the room's default that the proctor set (`proctor serve
//! --typing`, carried in the admission), else Telex. A pick is saved at once, so a power cut
//! or a restart of the client brings it back at the next login; a reconnect's admission never
//! overrides it.

use super::{App, TypingMemory};
use crate::ime::InputMethod;

impl App {
    /// Where the student's pick is remembered (the binary passes the journal folder; by default
    /// nowhere).
    pub fn set_typing_memory(&mut self, memory: TypingMemory) {
        self.typing_memory = memory;
    }

    /// A login starts: another student than the last one starts from the room's default again.
    pub(super) fn typing_for_login(&mut self, student_id: &str) {
        if self.student.as_deref() != Some(student_id) {
            self.state.typing_chosen = false;
        }
        self.student = Some(student_id.to_owned());
    }

    /// Admitted with the room's default: the student's own pick wins, whether made this session
    /// or remembered on this PC.
    pub(super) fn typing_admitted(&mut self, room_default: InputMethod) {
        if self.state.typing_chosen {
            return;
        }
        let remembered = self.student.as_deref().and_then(|student| self.typing_memory.recall(student));
        self.state.typing_chosen = remembered.is_some();
        self.state.set_typing(remembered.unwrap_or(room_default));
    }

    /// The student picked `method` (the switch or Ctrl+Space). The current question's text is
    /// saved as it stands first, so nothing typed before the switch waits on the new method.
    pub(super) fn choose_typing(&mut self, method: InputMethod, ctx: &egui::Context) {
        self.commit_text(self.state.current);
        self.state.set_typing(method);
        self.state.typing_chosen = true;
        if self.state.text_fields.contains_key(&self.state.current) {
            // Back to the answer: a click on the switch took the keyboard away from it. Asked
            // after this frame's widgets, so the click does not take the focus away again.
            ctx.memory_mut(|memory| memory.request_focus(super::screens::answer_field_id(self.state.current)));
        }
        if self.state.practice {
            return;
        }
        if let Some(student) = &self.student
            && let Err(error) = self.typing_memory.remember(student, method)
        {
            // Not remembered after a restart; the choice still holds for this session.
            tracing::warn!("không lưu được kiểu gõ / cannot remember the input method: {error}");
        }
    }
}
