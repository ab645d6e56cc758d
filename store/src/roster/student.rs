//! One student of a roster and the values with rules of their own: the student id (mã định danh)
//! students type to log in, and the optional PIN, which is a secret.

use super::collation::{CollationKey, vietnamese_collation_key};
use super::date::Date;
use std::fmt;
use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroize;

/// One student admitted to an exam session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Student {
    /// The student's id (mã học sinh / mã định danh), unique in the roster.
    pub id: StudentId,
    /// Full name as the school writes it (`Nguyễn Văn An`): NFC, single spaces, never empty.
    pub full_name: String,
    /// Class (`10A1`), NFC and trimmed; empty when the file has no class column or cell.
    pub class: String,
    /// Date of birth, when the file gives one.
    pub date_of_birth: Option<Date>,
    /// Login PIN, when the school hands out PINs.
    pub pin: Option<Pin>,
    /// Seat or computer (`Máy 12`), when the file gives one.
    pub seat: Option<String>,
}

impl Student {
    /// The key that puts this student where a Vietnamese class list would (see
    /// [`vietnamese_collation_key`]).
    pub fn collation_key(&self) -> CollationKey {
        vietnamese_collation_key(&self.full_name)
    }
}

/// Longest student id accepted. The national student id is 10 digits; school codes are shorter.
pub const MAX_STUDENT_ID_CHARS: usize = 32;

/// A student id (mã định danh): 1–32 ASCII letters, digits or `-`, kept exactly as written.
///
/// It is a string, never a number: `0123456789` keeps its leading zero, because that is what
/// the national database holds and what the student types.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StudentId(String);

/// Why a text is not a student id.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StudentIdError {
    /// Nothing but spaces.
    #[error("mã học sinh trống / the student id is empty")]
    Empty,
    /// More than [`MAX_STUDENT_ID_CHARS`] characters.
    #[error(
        "mã học sinh dài {0} ký tự, tối đa {MAX_STUDENT_ID_CHARS} / \
         the student id has {0} characters, at most {MAX_STUDENT_ID_CHARS} are allowed"
    )]
    TooLong(usize),
    /// A character other than an ASCII letter, digit or `-`.
    #[error(
        "mã học sinh có ký tự không hợp lệ {0:?} (chỉ dùng chữ không dấu, chữ số và -) / \
         the student id has the invalid character {0:?} (use only letters without marks, digits and -)"
    )]
    InvalidCharacter(char),
}

impl StudentId {
    /// Checks and wraps a student id. Surrounding spaces are dropped; everything else must
    /// already be valid (no case folding, no zero padding).
    pub fn new(text: &str) -> Result<StudentId, StudentIdError> {
        let id: String = text.trim().nfc().collect();
        if id.is_empty() {
            return Err(StudentIdError::Empty);
        }
        if let Some(bad) = id.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-')) {
            return Err(StudentIdError::InvalidCharacter(bad));
        }
        // All ASCII from here, so bytes are characters.
        if id.len() > MAX_STUDENT_ID_CHARS {
            return Err(StudentIdError::TooLong(id.len()));
        }
        Ok(StudentId(id))
    }

    /// The id as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StudentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Longest PIN accepted; a PIN is something a student types, not a passphrase.
pub const MAX_PIN_CHARS: usize = 64;

/// A student's login PIN: a secret.
///
/// `Debug` prints `Pin(…)` so a PIN never lands in a log through `{:?}` of a [`Student`];
/// comparison is constant-time; the text is wiped from memory on drop.
#[derive(Clone)]
pub struct Pin(String);

/// Why a text is not a PIN. The messages never quote the PIN.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PinError {
    /// Nothing but spaces.
    #[error("mã PIN trống / the PIN is empty")]
    Empty,
    /// More than [`MAX_PIN_CHARS`] characters.
    #[error("mã PIN dài hơn {MAX_PIN_CHARS} ký tự / the PIN is longer than {MAX_PIN_CHARS} characters")]
    TooLong,
    /// Spaces inside or control characters: nobody can type those reliably at a login screen.
    #[error("mã PIN có khoảng trắng hoặc ký tự điều khiển / the PIN contains a space or a control character")]
    InvalidCharacter,
}

impl Pin {
    /// Checks and wraps a PIN: trimmed, NFC, no inner whitespace or control characters.
    pub fn new(text: &str) -> Result<Pin, PinError> {
        let pin: String = text.trim().nfc().collect();
        if pin.is_empty() {
            return Err(PinError::Empty);
        }
        if pin.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(PinError::InvalidCharacter);
        }
        if pin.chars().count() > MAX_PIN_CHARS {
            return Err(PinError::TooLong);
        }
        Ok(Pin(pin))
    }

    /// Whether `typed` is this PIN, in constant time (after trimming and NFC, as when stored).
    pub fn matches(&self, typed: &str) -> bool {
        let typed: String = typed.trim().nfc().collect();
        phongthi_crypto::ct_eq(self.0.as_bytes(), typed.as_bytes())
    }

    /// The PIN itself, for printing login slips or storing. Secret: never log it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl PartialEq for Pin {
    fn eq(&self, other: &Pin) -> bool {
        phongthi_crypto::ct_eq(self.0.as_bytes(), other.0.as_bytes())
    }
}

impl Eq for Pin {}

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pin(…)")
    }
}

impl Drop for Pin {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_id(text: &str, expected: Result<&str, StudentIdError>) {
        assert_eq!(StudentId::new(text).as_ref().map(StudentId::as_str), expected.as_ref().copied(), "{text:?}");
    }

    #[test]
    fn student_ids() {
        check_id("0123456789", Ok("0123456789"));
        check_id("  0012 ", Ok("0012"));
        check_id("HS-10A1-07", Ok("HS-10A1-07"));
        check_id(&"9".repeat(32), Ok(&"9".repeat(32)));
        check_id("", Err(StudentIdError::Empty));
        check_id(" \u{a0}", Err(StudentIdError::Empty));
        check_id(&"9".repeat(33), Err(StudentIdError::TooLong(33)));
        check_id("HS 01", Err(StudentIdError::InvalidCharacter(' ')));
        check_id("Hà01", Err(StudentIdError::InvalidCharacter('à')));
        check_id("１２３", Err(StudentIdError::InvalidCharacter('１')));
        check_id("01.5", Err(StudentIdError::InvalidCharacter('.')));
    }

    #[test]
    fn pins_are_checked_and_compared_after_nfc() {
        let pin = Pin::new(" 0427 ").unwrap();
        assert_eq!(pin.expose_secret(), "0427");
        assert!(pin.matches("0427"));
        assert!(pin.matches(" 0427\n"));
        assert!(!pin.matches("427"));
        assert!(!pin.matches("04270"));
        assert!(Pin::new("ma\u{0300}u").unwrap().matches("màu"));
        assert_eq!(Pin::new("màu").unwrap(), Pin::new("ma\u{0300}u").unwrap());
        assert_ne!(Pin::new("1234").unwrap(), Pin::new("1235").unwrap());
        assert_eq!(Pin::new("  "), Err(PinError::Empty));
        assert_eq!(Pin::new("12 34"), Err(PinError::InvalidCharacter));
        assert_eq!(Pin::new("12\u{7}"), Err(PinError::InvalidCharacter));
        assert_eq!(Pin::new(&"7".repeat(65)), Err(PinError::TooLong));
    }

    #[test]
    fn debug_never_shows_a_pin() {
        let student = Student {
            id: StudentId::new("0123456789").unwrap(),
            full_name: "Nguyễn Văn An".to_owned(),
            class: "10A1".to_owned(),
            date_of_birth: None,
            pin: Some(Pin::new("583920").unwrap()),
            seat: None,
        };
        let printed = format!("{student:?} {:?} {student:#?}", student.pin);
        assert!(!printed.contains("583920"), "{printed}");
        assert!(printed.contains("Pin(…)"), "{printed}");
        assert!(printed.contains("0123456789"), "{printed}");
    }
}
