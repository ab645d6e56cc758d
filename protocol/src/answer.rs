//! A student's answer to one question, as carried inside a signed answer event.
//!
//! Choices are indices into the options *as this form presents them* (0 = A). The proctor maps
//! them back through the form's permutation to grade; the client never learns the mapping.

use serde::{Deserialize, Serialize};

/// The largest text answer accepted (an essay of a few thousand words).
pub const MAX_TEXT_ANSWER: usize = 32 * 1024;

/// One answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answer {
    /// The student removed their answer.
    Cleared,
    /// Chosen options by presented index (one for single choice; any for multiple response).
    Choices(Vec<u8>),
    /// Đúng (`true`) or Sai.
    TrueFalse(bool),
    /// Per statement: Đúng, Sai, or not yet answered.
    Cluster(Vec<Option<bool>>),
    /// Typed text: a short answer, a number as typed, or an essay (NFC).
    Text(String),
    /// Per prompt: the presented index of the matched answer, if any.
    Matching(Vec<Option<u8>>),
}

impl Answer {
    /// Encodes for an answer event.
    pub fn encode(&self) -> Vec<u8> {
        // Serialising these plain enums into a Vec cannot fail.
        postcard::to_stdvec(self).unwrap_or_default()
    }

    /// Decodes an event's response bytes, refusing trailing bytes and oversized texts.
    pub fn decode(bytes: &[u8]) -> Result<Self, crate::messages::DecodeError> {
        let (answer, rest): (Answer, &[u8]) =
            postcard::take_from_bytes(bytes).map_err(|e| crate::messages::DecodeError::Malformed(e.to_string()))?;
        if !rest.is_empty() {
            return Err(crate::messages::DecodeError::Malformed(format!("{} byte thừa / trailing bytes", rest.len())));
        }
        if let Answer::Text(text) = &answer
            && text.len() > MAX_TEXT_ANSWER
        {
            return Err(crate::messages::DecodeError::Malformed("câu trả lời quá dài / answer too long".into()));
        }
        Ok(answer)
    }

    /// Whether this counts as answered in the navigator.
    pub fn is_answered(&self) -> bool {
        match self {
            Answer::Cleared => false,
            Answer::Choices(c) => !c.is_empty(),
            Answer::TrueFalse(_) => true,
            Answer::Cluster(s) => s.iter().any(Option::is_some),
            Answer::Text(t) => !t.trim().is_empty(),
            Answer::Matching(m) => m.iter().any(Option::is_some),
        }
    }
}
