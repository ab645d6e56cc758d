//! Items (câu hỏi): the content of a question and everything needed to score it.
//!
//! One `Item` type holds every kind; the kind-specific part is [`Body`]. Text is NFC. Inline math
//! is written `$...$` (LaTeX) inside any text. Images live in [`Item::images`] and are referenced
//! from text as `@@PLUGINFILE@@/NAME` (Moodle's convention, so Moodle XML round-trips untouched).

use super::meta::Metadata;
use super::points::{Fraction, MilliPoints};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The markup of an item's text, as GIFT's `[html]`/`[moodle]`/`[plain]`/`[markdown]` and Moodle
/// XML's `format` attribute name it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextFormat {
    /// Moodle auto-format (GIFT's default).
    #[default]
    Moodle,
    /// HTML.
    Html,
    /// Plain text.
    Plain,
    /// Markdown.
    Markdown,
}

impl TextFormat {
    /// The name GIFT and Moodle XML use.
    pub fn name(self) -> &'static str {
        match self {
            TextFormat::Moodle => "moodle",
            TextFormat::Html => "html",
            TextFormat::Plain => "plain",
            TextFormat::Markdown => "markdown",
        }
    }

    /// Parses a GIFT `[...]` tag or a Moodle XML `format` value (`moodle_auto_format` too).
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "moodle" | "moodle_auto_format" => Some(TextFormat::Moodle),
            "html" => Some(TextFormat::Html),
            "plain" | "plain_text" => Some(TextFormat::Plain),
            "markdown" => Some(TextFormat::Markdown),
            _ => None,
        }
    }
}

/// The kinds of item, with the stable names used in files, `--kind` and `--json`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// One correct option (Phần I).
    SingleChoice,
    /// Several correct options with Moodle fractions.
    MultipleResponse,
    /// One statement, Đúng/Sai.
    TrueFalse,
    /// A stem with statements a–d, each Đúng/Sai (Phần II).
    TrueFalseCluster,
    /// Typed text compared with accepted answers.
    ShortText,
    /// A number with tolerance or range (Phần III).
    Numeric,
    /// Match prompts to answers.
    Matching,
    /// Free text, marked by hand.
    Essay,
    /// Text only, no answer and no score.
    Description,
}

impl ItemKind {
    /// Every kind.
    pub const ALL: [ItemKind; 9] = [
        ItemKind::SingleChoice,
        ItemKind::MultipleResponse,
        ItemKind::TrueFalse,
        ItemKind::TrueFalseCluster,
        ItemKind::ShortText,
        ItemKind::Numeric,
        ItemKind::Matching,
        ItemKind::Essay,
        ItemKind::Description,
    ];

    /// The stable snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            ItemKind::SingleChoice => "single_choice",
            ItemKind::MultipleResponse => "multiple_response",
            ItemKind::TrueFalse => "true_false",
            ItemKind::TrueFalseCluster => "true_false_cluster",
            ItemKind::ShortText => "short_text",
            ItemKind::Numeric => "numeric",
            ItemKind::Matching => "matching",
            ItemKind::Essay => "essay",
            ItemKind::Description => "description",
        }
    }

    /// Parses the stable name.
    pub fn parse(name: &str) -> Option<Self> {
        ItemKind::ALL.into_iter().find(|k| k.name() == name.trim())
    }

    /// Whether the proctor can score it without a human.
    pub fn is_auto_scored(self) -> bool {
        !matches!(self, ItemKind::Essay | ItemKind::Description)
    }
}

impl fmt::Display for ItemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One option of a choice item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// Option text (may hold `$...$` math).
    pub text: String,
    /// Credit when chosen: 100 % for the correct option of a single-choice item; Moodle fractions
    /// (possibly negative) for multiple response.
    pub fraction: Fraction,
    /// Never moved by shuffling ("Tất cả các đáp án trên").
    pub pinned: bool,
    /// Feedback shown after the exam, if any.
    pub feedback: Option<String>,
}

/// One statement of a true/false cluster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    /// The statement (a, b, c, d in order).
    pub text: String,
    /// Whether it is true (Đúng).
    pub correct: bool,
}

/// Share of the item's points by number of statements judged right: entry `k − 1` is the credit
/// for `k` right. The 2025 graduation-exam table for 4 statements is 10 % / 25 % / 50 % / 100 %
/// (0.1 / 0.25 / 0.5 / 1.0 of a 1-point cluster).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClusterTable(Vec<Fraction>);

impl ClusterTable {
    /// The Ministry's table for four statements.
    pub fn graduation_exam() -> Self {
        Self(
            [1_000_000, 2_500_000, 5_000_000, 10_000_000]
                .into_iter()
                .map(Fraction::from_raw)
                .map(Option::unwrap_or_default)
                .collect(),
        )
    }

    /// A custom table: one entry per statement count, non-decreasing, ending at 100 %.
    pub fn new(entries: Vec<Fraction>) -> Result<Self, ItemError> {
        let ordered = entries.windows(2).all(|w| w[0] <= w[1]);
        let in_range = entries.iter().all(|f| *f >= Fraction::ZERO);
        if entries.is_empty() || !ordered || !in_range || entries.last() != Some(&Fraction::ONE) {
            return Err(ItemError::BadClusterTable);
        }
        Ok(Self(entries))
    }

    /// The default for `statements` statements: the Ministry's table for four, otherwise credit in
    /// proportion to the count right (k / n).
    pub fn default_for(statements: usize) -> Self {
        if statements == 4 {
            return Self::graduation_exam();
        }
        let n = statements.max(1) as i64;
        Self(
            (1..=n)
                .map(|k| Fraction::from_raw((i64::from(Fraction::ONE.raw()) * k / n) as i32).unwrap_or(Fraction::ONE))
                .collect(),
        )
    }

    /// Credit for `right` statements judged right (0 → nothing).
    pub fn credit(&self, right: usize) -> Fraction {
        right.checked_sub(1).and_then(|i| self.0.get(i)).copied().unwrap_or(Fraction::ZERO)
    }

    /// The entries, by count right.
    pub fn entries(&self) -> &[Fraction] {
        &self.0
    }
}

/// An accepted text answer and its credit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextAnswer {
    /// Accepted text (NFC).
    pub text: String,
    /// Credit for it.
    pub fraction: Fraction,
}

/// How an accepted number is given: GIFT's `value:tolerance` or `min..max`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum NumericValue {
    /// `value ± tolerance` (tolerance 0 = exact).
    Exact {
        /// The value.
        value: Decimal,
        /// Absolute tolerance (≥ 0).
        tolerance: Decimal,
    },
    /// An inclusive range.
    Range {
        /// Lower bound.
        min: Decimal,
        /// Upper bound.
        max: Decimal,
    },
    /// Any other number: Moodle's `*` answer, kept for its feedback. Only at 0 % (validated):
    /// scoring takes the best matching answer, so a credited catch-all would score differently
    /// from Moodle, which takes the first.
    Any,
}

impl NumericValue {
    /// Whether `x` is accepted.
    pub fn accepts(&self, x: Decimal) -> bool {
        match self {
            NumericValue::Exact { value, tolerance } => (x - value).abs() <= *tolerance,
            NumericValue::Range { min, max } => *min <= x && x <= *max,
            NumericValue::Any => true,
        }
    }
}

/// An accepted number and its credit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumericAnswer {
    /// Which numbers it accepts.
    pub value: NumericValue,
    /// Credit for them.
    pub fraction: Fraction,
}

/// A prompt and the answer it matches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchPair {
    /// Left side.
    pub prompt: String,
    /// Right side.
    pub answer: String,
}

/// How a matching item is scored.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchScoring {
    /// Full points only when every pair is right.
    AllOrNothing,
    /// Points shared equally among pairs (Moodle's default).
    #[default]
    PerPair,
}

/// The kind-specific part of an item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Body {
    /// One correct option.
    SingleChoice {
        /// Options in authored order.
        options: Vec<Choice>,
    },
    /// Several options with fractions; the item's credit is their sum, floored at 0.
    MultipleResponse {
        /// Options in authored order.
        options: Vec<Choice>,
    },
    /// One statement.
    TrueFalse {
        /// Whether the statement is true.
        answer: bool,
    },
    /// Statements a–d judged one by one.
    TrueFalseCluster {
        /// Statements in order.
        statements: Vec<Statement>,
        /// Credit by count right.
        table: ClusterTable,
    },
    /// Typed text.
    ShortText {
        /// Accepted answers.
        answers: Vec<TextAnswer>,
        /// Compare case-sensitively (Moodle's `usecase`).
        case_sensitive: bool,
    },
    /// A number.
    Numeric {
        /// Accepted numbers.
        answers: Vec<NumericAnswer>,
        /// Vietnamese answer-sheet rule: at most 4 characters from `-`, digits and one `,`.
        four_char_rule: bool,
    },
    /// Prompts to answers.
    Matching {
        /// The pairs.
        pairs: Vec<MatchPair>,
        /// Extra wrong answers.
        distractors: Vec<String>,
        /// Scoring rule.
        scoring: MatchScoring,
    },
    /// Free text.
    Essay,
    /// Text only.
    Description,
}

impl Body {
    /// The kind of this body.
    pub fn kind(&self) -> ItemKind {
        match self {
            Body::SingleChoice { .. } => ItemKind::SingleChoice,
            Body::MultipleResponse { .. } => ItemKind::MultipleResponse,
            Body::TrueFalse { .. } => ItemKind::TrueFalse,
            Body::TrueFalseCluster { .. } => ItemKind::TrueFalseCluster,
            Body::ShortText { .. } => ItemKind::ShortText,
            Body::Numeric { .. } => ItemKind::Numeric,
            Body::Matching { .. } => ItemKind::Matching,
            Body::Essay => ItemKind::Essay,
            Body::Description => ItemKind::Description,
        }
    }
}

/// An image stored in the bank with the item.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// File name the text refers to (`@@PLUGINFILE@@/NAME`).
    pub name: String,
    /// Bytes of the file (base64 in JSON, so a bundle does not carry one number per byte).
    #[serde(with = "base64_bytes")]
    pub bytes: Vec<u8>,
}

mod base64_bytes {
    //! serde adapter: bytes as a standard base64 string.
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(bytes))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(deserializer)?;
        STANDARD.decode(text.as_bytes()).map_err(serde::de::Error::custom)
    }
}

impl fmt::Debug for Image {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Image({:?}, {} bytes)", self.name, self.bytes.len())
    }
}

/// A stored item's number in the bank (`qbank show 42`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ItemId(i64);

impl ItemId {
    /// Wraps a row id.
    pub const fn new(id: i64) -> Self {
        Self(id)
    }

    /// The row id.
    pub const fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for ItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A question as the bank holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// Short name or code (`MĐ-01`), GIFT's `::name::`.
    pub name: Option<String>,
    /// Question text. For a missing-word question, the text before the blank.
    pub stem: String,
    /// For a missing-word question, the text after the blank.
    pub stem_tail: Option<String>,
    /// Markup of the texts.
    pub format: TextFormat,
    /// Kind-specific content and key.
    pub body: Body,
    /// Feedback shown to everyone after the exam.
    pub general_feedback: Option<String>,
    /// Classification and bookkeeping.
    pub meta: Metadata,
    /// Images the texts refer to.
    pub images: Vec<Image>,
    /// Word-style group (`Nhóm`): items shuffled only among themselves.
    pub group: Option<String>,
    /// Feedback per answer for the kinds whose answers have no feedback of their own (choice
    /// options keep theirs in [`Choice::feedback`]): for short text and numeric items one entry
    /// per accepted answer, in order; for true/false `[if answered true, if answered false]`
    /// (Moodle's `feedbacktrue`/`feedbackfalse`). Empty when there is none. Shown after the exam
    /// like [`Item::general_feedback`], and like it not part of [`Item::content_hash`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answer_feedback: Vec<Option<String>>,
}

impl Item {
    /// A new item with default metadata.
    pub fn new(stem: impl Into<String>, body: Body) -> Self {
        Self {
            name: None,
            stem: stem.into(),
            stem_tail: None,
            format: TextFormat::default(),
            body,
            general_feedback: None,
            meta: Metadata::default(),
            images: Vec::new(),
            group: None,
            answer_feedback: Vec::new(),
        }
    }

    /// Hash of what the item asks and accepts (text, format, body, images), not of its metadata:
    /// importing the same question twice, even with another topic or from another file, finds the
    /// stored one instead of duplicating it.
    pub fn content_hash(&self) -> phongthi_crypto::Digest {
        /// Images as they were first hashed: bytes as a JSON array of numbers. The hash is stored
        /// in every bank, so its encoding is frozen here, apart from how `Image` serialises today.
        #[derive(Serialize)]
        struct HashedImage<'a> {
            name: &'a str,
            bytes: &'a [u8],
        }
        let images: Vec<HashedImage<'_>> =
            self.images.iter().map(|i| HashedImage { name: &i.name, bytes: &i.bytes }).collect();
        // serde_json writes struct fields in declaration order, so this encoding is stable for a
        // given model version; the prefix names that version.
        let content = (&self.stem, &self.stem_tail, self.format, &self.body, &images);
        let encoded = serde_json::to_vec(&content).unwrap_or_default();
        phongthi_crypto::sha256_parts(&[b"phongthi/item-content/v1\0", &encoded])
    }

    /// The kind.
    pub fn kind(&self) -> ItemKind {
        self.body.kind()
    }

    /// Checks the rules every item must keep, naming the first broken one.
    pub fn validate(&self) -> Result<(), ItemError> {
        if self.stem.trim().is_empty() && self.stem_tail.is_none() {
            return Err(ItemError::EmptyStem);
        }
        let feedback_places = match &self.body {
            Body::ShortText { answers, .. } => answers.len(),
            Body::Numeric { answers, .. } => answers.len(),
            Body::TrueFalse { .. } => 2,
            _ => 0,
        };
        if self.answer_feedback.len() > feedback_places {
            return Err(ItemError::AnswerFeedback { entries: self.answer_feedback.len(), places: feedback_places });
        }
        match &self.body {
            Body::SingleChoice { options } => {
                check_options(options)?;
                if !options.iter().any(|o| o.fraction.is_full()) {
                    return Err(ItemError::NoCorrectOption);
                }
                if options.iter().filter(|o| o.fraction.is_full()).count() > 1 {
                    return Err(ItemError::SeveralCorrectOptions);
                }
            }
            Body::MultipleResponse { options } => {
                check_options(options)?;
                if !options.iter().any(|o| o.fraction > Fraction::ZERO) {
                    return Err(ItemError::NoCorrectOption);
                }
            }
            Body::TrueFalse { .. } | Body::Essay | Body::Description => {}
            Body::TrueFalseCluster { statements, table } => {
                if statements.len() < 2 {
                    return Err(ItemError::TooFewStatements(statements.len()));
                }
                if statements.iter().any(|s| s.text.trim().is_empty()) {
                    return Err(ItemError::EmptyOption);
                }
                if table.entries().len() != statements.len() {
                    return Err(ItemError::ClusterTableSize {
                        statements: statements.len(),
                        entries: table.entries().len(),
                    });
                }
            }
            Body::ShortText { answers, .. } => {
                if !answers.iter().any(|a| a.fraction.is_full()) {
                    return Err(ItemError::NoCorrectAnswer);
                }
                if answers.iter().any(|a| a.text.trim().is_empty()) {
                    return Err(ItemError::EmptyOption);
                }
            }
            Body::Numeric { answers, .. } => {
                if !answers.iter().any(|a| a.fraction.is_full()) {
                    return Err(ItemError::NoCorrectAnswer);
                }
                for answer in answers {
                    match answer.value {
                        NumericValue::Exact { tolerance, .. } if tolerance < Decimal::ZERO => {
                            return Err(ItemError::NegativeTolerance);
                        }
                        NumericValue::Range { min, max } if min > max => return Err(ItemError::EmptyRange),
                        NumericValue::Any if answer.fraction != Fraction::ZERO => {
                            return Err(ItemError::CreditedCatchAll);
                        }
                        _ => {}
                    }
                }
            }
            Body::Matching { pairs, .. } => {
                if pairs.len() < 2 {
                    return Err(ItemError::TooFewPairs(pairs.len()));
                }
                if pairs.iter().any(|p| p.prompt.trim().is_empty() || p.answer.trim().is_empty()) {
                    return Err(ItemError::EmptyOption);
                }
            }
        }
        Ok(())
    }

    /// The points this item is worth when nothing else decides: its own `points`, else 1.
    pub fn default_points(&self) -> MilliPoints {
        match self.body {
            Body::Description => MilliPoints::ZERO,
            _ => self.meta.points.unwrap_or(MilliPoints::from_milli(1000)),
        }
    }
}

/// `answer_feedback` in its one stored form: without trailing `None`s, so an item with no
/// per-answer feedback has none at all and compares equal however the file spelled it.
pub fn canonical_answer_feedback(mut feedback: Vec<Option<String>>) -> Vec<Option<String>> {
    while feedback.last().is_some_and(Option::is_none) {
        feedback.pop();
    }
    feedback
}

fn check_options(options: &[Choice]) -> Result<(), ItemError> {
    if options.len() < 2 {
        return Err(ItemError::TooFewOptions(options.len()));
    }
    if options.iter().any(|o| o.text.trim().is_empty()) {
        return Err(ItemError::EmptyOption);
    }
    Ok(())
}

/// A broken item rule, as [`Item::validate`] reports it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ItemError {
    /// No question text.
    #[error("câu hỏi không có nội dung / the question has no text")]
    EmptyStem,
    /// Fewer than two options.
    #[error("cần ít nhất 2 phương án, có {0} / at least 2 options are needed, found {0}")]
    TooFewOptions(usize),
    /// An option, statement or answer with no text.
    #[error("có phương án để trống / an option or answer is empty")]
    EmptyOption,
    /// No option earns full credit.
    #[error("không có phương án đúng / no option is marked correct")]
    NoCorrectOption,
    /// A single-choice item with several fully correct options.
    #[error("câu một lựa chọn có nhiều phương án đúng / a single-choice item has several correct options")]
    SeveralCorrectOptions,
    /// No accepted answer earns full credit.
    #[error("không có đáp án đạt điểm tối đa / no accepted answer earns full credit")]
    NoCorrectAnswer,
    /// A cluster with fewer than two statements.
    #[error("câu đúng/sai chùm cần ít nhất 2 ý, có {0} / a true/false cluster needs at least 2 statements, found {0}")]
    TooFewStatements(usize),
    /// A cluster table of the wrong length.
    #[error(
        "bảng điểm có {entries} mức cho {statements} ý / the credit table has {entries} entries for {statements} statements"
    )]
    ClusterTableSize {
        /// Statements in the cluster.
        statements: usize,
        /// Entries in the table.
        entries: usize,
    },
    /// A cluster table that is not non-decreasing up to 100 %.
    #[error("bảng điểm chùm đúng/sai phải tăng dần và kết thúc ở 100% / a cluster table must rise to 100%")]
    BadClusterTable,
    /// A negative numeric tolerance.
    #[error("sai số không được âm / tolerance must not be negative")]
    NegativeTolerance,
    /// A numeric range with min > max.
    #[error("khoảng giá trị rỗng (min > max) / empty numeric range (min > max)")]
    EmptyRange,
    /// A numeric catch-all (`*`) answer with credit.
    #[error("đáp án * (mọi số khác) chỉ dùng được với 0% điểm / a * (any other number) answer is only supported at 0%")]
    CreditedCatchAll,
    /// More per-answer feedback entries than the item has answers.
    #[error(
        "có {entries} phản hồi theo đáp án cho {places} đáp án / {entries} per-answer feedback entries for {places} answers"
    )]
    AnswerFeedback {
        /// Entries in `answer_feedback`.
        entries: usize,
        /// Answers that can have feedback.
        places: usize,
    },
    /// A matching item with fewer than two pairs.
    #[error("câu ghép đôi cần ít nhất 2 cặp, có {0} / a matching item needs at least 2 pairs, found {0}")]
    TooFewPairs(usize),
}
