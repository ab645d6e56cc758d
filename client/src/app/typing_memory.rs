//! The input method a student chose, remembered on this PC so that it comes back after the
//! client restarts (a power cut, a crash, the kiosk's restart) and the student logs in again.
//!
//! One small text file per student next to the answer journal, `<student id>.typing`:
//!
//! ```text
//! student = HS10A3-017
//! typing = vni
//! ```
//!
//! It holds nothing secret (no answers, no keys), so it is plain text. The student id is written
//! inside as well as in the file name because file names fold some characters together
//! (`10A3.017` and `10A3_017` share a name): a file naming another student is not theirs. A file
//! that cannot be read, is too long, or says anything else is ignored, and the room's default
//! applies: a bad file must never stop a student from typing. Writes go to a temporary sibling
//! renamed into place (invariant 13), so a power cut leaves the old file or the new one.

use crate::ime::InputMethod;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Longer than any file this module writes: a bigger file is not ours and is not read whole.
const MAX_FILE_BYTES: u64 = 1024;

/// Where students' chosen input methods are kept (nowhere: not remembered, as in tests and the
/// readiness practice).
#[derive(Clone, Debug, Default)]
pub struct TypingMemory {
    folder: Option<PathBuf>,
}

impl TypingMemory {
    /// Remembered in `folder` (the client's journal folder).
    pub fn in_folder(folder: impl Into<PathBuf>) -> TypingMemory {
        TypingMemory { folder: Some(folder.into()) }
    }

    /// Not remembered.
    pub fn nowhere() -> TypingMemory {
        TypingMemory::default()
    }

    fn path(&self, student_id: &str) -> Option<PathBuf> {
        let folder = self.folder.as_ref()?;
        Some(folder.join(format!("{}.typing", crate::net::driver::sanitize(student_id.trim()))))
    }

    /// The method `student_id` chose on this PC, if a readable file says so.
    pub fn recall(&self, student_id: &str) -> Option<InputMethod> {
        let path = self.path(student_id)?;
        let mut text = String::new();
        std::fs::File::open(&path).ok()?.take(MAX_FILE_BYTES + 1).read_to_string(&mut text).ok()?;
        if text.len() as u64 > MAX_FILE_BYTES {
            return None;
        }
        parse(&text, student_id.trim())
    }

    /// Remembers that `student_id` chose `method`. Does nothing when not remembering.
    pub fn remember(&self, student_id: &str, method: InputMethod) -> std::io::Result<()> {
        let Some(path) = self.path(student_id) else { return Ok(()) };
        let text = format!("student = {}\ntyping = {method}\n", student_id.trim());
        write_whole(&path, text.as_bytes())
    }
}

/// The method in `text` if it is a file of `student_id` with one valid `typing` line.
fn parse(text: &str, student_id: &str) -> Option<InputMethod> {
    let (mut student, mut typing) = (None, None);
    for line in text.lines().map(str::trim).filter(|line| !line.is_empty() && !line.starts_with('#')) {
        let (key, value) = line.split_once('=')?;
        let slot = match key.trim() {
            "student" => &mut student,
            "typing" => &mut typing,
            _ => return None,
        };
        if slot.replace(value.trim()).is_some() {
            return None;
        }
    }
    if student? != student_id {
        return None;
    }
    typing?.parse().ok()
}

/// Writes `bytes` to a temporary sibling and renames it over `path`.
fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    let temporary = PathBuf::from(temporary);
    let mut file = std::fs::File::create(&temporary)?;
    file.write_all(bytes)?;
    file.sync_data()?;
    drop(file);
    std::fs::rename(&temporary, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_choice_comes_back_for_its_student_only() {
        let folder = tempfile::tempdir().unwrap();
        let memory = TypingMemory::in_folder(folder.path());
        assert_eq!(memory.recall("HS10A3-017"), None, "nothing chosen yet");
        memory.remember("HS10A3-017", InputMethod::Vni).unwrap();
        assert_eq!(memory.recall("HS10A3-017"), Some(InputMethod::Vni));
        assert_eq!(memory.recall(" HS10A3-017 "), Some(InputMethod::Vni), "ids are trimmed, as the proctor does");
        memory.remember("HS10A3-017", InputMethod::Off).unwrap();
        assert_eq!(TypingMemory::in_folder(folder.path()).recall("HS10A3-017"), Some(InputMethod::Off));
        assert_eq!(memory.recall("HS10A3-018"), None);
        memory.remember("10A3.017", InputMethod::Vni).unwrap();
        assert_eq!(memory.recall("10A3_017"), None, "same file name, another student");
        let names: Vec<_> = std::fs::read_dir(folder.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 2, "no temporary file left behind: {names:?}");
        assert_eq!(TypingMemory::nowhere().recall("HS10A3-017"), None);
        TypingMemory::nowhere().remember("HS10A3-017", InputMethod::Vni).unwrap();
    }

    #[test]
    fn a_bad_file_is_ignored() {
        let check = |text: &str, expected: Option<InputMethod>| {
            assert_eq!(parse(text, "HS1"), expected, "{text:?}");
        };
        check("student = HS1\ntyping = vni\n", Some(InputMethod::Vni));
        check("# chosen on the exam screen\nstudent=HS1\n\ntyping= OFF", Some(InputMethod::Off));
        check("student = HS1\ntyping = unikey\n", None);
        check("student = HS1\n", None);
        check("typing = vni\n", None);
        check("student = HS2\ntyping = vni\n", None);
        check("student = HS1\ntyping = vni\ntyping = off\n", None);
        check("student = HS1\ntyping = vni\ncolour = red\n", None);
        check("vni", None);
        check("", None);
        let folder = tempfile::tempdir().unwrap();
        let memory = TypingMemory::in_folder(folder.path());
        let path = folder.path().join("HS1.typing");
        std::fs::write(&path, [0xff, 0xfe, 0x00, 0x9f]).unwrap();
        assert_eq!(memory.recall("HS1"), None, "not UTF-8");
        let mut long = "student = HS1\ntyping = vni\n".to_owned();
        long.push_str(&"#".repeat(2000));
        std::fs::write(&path, long).unwrap();
        assert_eq!(memory.recall("HS1"), None, "too long to be ours");
        std::fs::create_dir(folder.path().join("HS2.typing")).unwrap();
        assert_eq!(memory.recall("HS2"), None, "a folder in its place");
    }
}
