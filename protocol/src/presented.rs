//! What a student sees: the content of a sealed package, with no answer keys.
//!
//! The proctor builds a [`PresentedForm`] from a form of the exam (options already in that form's
//! order) and seals it; the client decrypts it at Start. Nothing here says which option is right:
//! the client cannot leak what it does not have (invariant 9).

use serde::{Deserialize, Serialize};

/// One form as the student sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresentedForm {
    /// Exam title (`Kiểm tra giữa kỳ I — Toán 10`).
    pub exam_title: String,
    /// Form code (mã đề) as printed, e.g. `101`.
    pub form_code: String,
    /// Parts in order (Phần I, II, III).
    pub parts: Vec<PresentedPart>,
    /// Images referenced from texts as `@@PLUGINFILE@@/NAME`.
    pub images: Vec<PresentedImage>,
}

/// A part of the test.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresentedPart {
    /// Heading (`Phần I. Trắc nghiệm nhiều lựa chọn`).
    pub name: String,
    /// Questions in this form's order.
    pub questions: Vec<PresentedQuestion>,
}

/// One question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresentedQuestion {
    /// The number shown (`Câu 7`), 1-based across the whole form; answer events refer to it.
    pub number: u32,
    /// Points, in thousandths, shown next to the question.
    pub points_milli: i64,
    /// Markup of the texts: `moodle`, `html`, `plain` or `markdown`.
    pub format: String,
    /// Question text; `$...$` is inline math.
    pub stem: String,
    /// For a missing-word question, the text after the blank.
    pub stem_tail: Option<String>,
    /// How it is answered.
    pub body: PresentedBody,
}

/// How a question is answered, with its texts in this form's order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PresentedBody {
    /// Pick one; options are lettered A, B, C, … in this order.
    SingleChoice {
        /// Option texts.
        options: Vec<String>,
    },
    /// Pick any number.
    MultipleResponse {
        /// Option texts.
        options: Vec<String>,
    },
    /// Đúng or Sai.
    TrueFalse,
    /// Đúng or Sai for each statement a), b), c), d).
    TrueFalseCluster {
        /// Statement texts.
        statements: Vec<String>,
    },
    /// Type a short text.
    ShortText,
    /// Type a number; with the 4-character rule, at most 4 characters from `-`, digits and `,`.
    Numeric {
        /// Whether the answer-sheet rule applies.
        four_char_rule: bool,
    },
    /// Match each prompt with one of the answers.
    Matching {
        /// Left column.
        prompts: Vec<String>,
        /// Right column, shuffled.
        answers: Vec<String>,
    },
    /// Write freely.
    Essay,
    /// Text only; nothing to answer.
    Description,
}

/// An image used by the form.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresentedImage {
    /// Name the texts refer to.
    pub name: String,
    /// File bytes (PNG, JPEG, SVG).
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for PresentedImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PresentedImage({:?}, {} bytes)", self.name, self.bytes.len())
    }
}

impl PresentedForm {
    /// Every question in order.
    pub fn questions(&self) -> impl Iterator<Item = &PresentedQuestion> {
        self.parts.iter().flat_map(|p| p.questions.iter())
    }

    /// The question numbered `number`.
    pub fn question(&self, number: u32) -> Option<&PresentedQuestion> {
        self.questions().find(|q| q.number == number)
    }

    /// Encodes for sealing.
    pub fn encode(&self) -> Result<Vec<u8>, crate::messages::DecodeError> {
        postcard::to_stdvec(self).map_err(|e| crate::messages::DecodeError::Encoding(e.to_string()))
    }

    /// Decodes an opened package.
    pub fn decode(bytes: &[u8]) -> Result<Self, crate::messages::DecodeError> {
        postcard::from_bytes(bytes).map_err(|e| crate::messages::DecodeError::Malformed(e.to_string()))
    }
}
