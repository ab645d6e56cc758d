//! Blueprints (ma trận đề): the TOML file a teacher writes to say what a test contains.
//!
//! A blueprint names the test, its subject and grade, the score scale and its rounding step, how
//! many forms (mã đề) to make and how to number them, and one `[[part]]` per section (Phần I, II,
//! III) with the kind of item, the points each item is worth and the cells of the matrix: topic ×
//! cognitive level × count (Official Letter 7991/BGDĐT-GDTrH). `examples/blueprint.toml` is the
//! data contract.
//!
//! Parsing is two-stage (house style): serde reads the TOML into raw structs that keep every
//! value's position (`toml::Spanned`), then [`Blueprint::parse`] validates and converts them, so
//! every error names the file, line and column, and the part and cell it is about. Points, steps
//! and percentages become exact values: TOML floats are converted through their shortest decimal
//! text (`0.1` is exactly one tenth), never used as binary floats.

use phongthi_formats::Location;
use phongthi_items::text::nfc;
use phongthi_items::{ClusterTable, Fraction, ItemKind, Level, MilliPoints, parse_decimal};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::ops::Range;
use std::str::FromStr;
use toml::Spanned;

/// The most forms one blueprint may ask for: three-digit form codes are the school convention.
pub const MAX_FORMS: u16 = 999;

/// A validated blueprint. Only [`Blueprint::parse`] makes one, so every value in it has been
/// checked (positive counts and points, a step that divides the scale, known kinds and levels).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blueprint {
    title: String,
    subject: String,
    grade: u8,
    duration_minutes: u32,
    scale: MilliPoints,
    rounding_step: MilliPoints,
    forms: FormSpec,
    parts: Vec<Part>,
}

/// How many forms to make and how to number them: code = prefix + (start + index × step).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormSpec {
    /// Number of forms, 1..=999.
    pub count: u16,
    /// Number of the first form (101 by default).
    pub code_start: u32,
    /// Difference between consecutive form numbers (1 by default).
    pub code_step: u32,
    /// Text written before each number (empty by default), e.g. `T10-`.
    pub code_prefix: String,
}

impl Default for FormSpec {
    /// One form numbered 101, the most common first code on Vietnamese papers.
    fn default() -> Self {
        Self { count: 1, code_start: 101, code_step: 1, code_prefix: String::new() }
    }
}

/// One section of the test (Phần I, II, III).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    /// Heading printed on the paper (`Phần I. Trắc nghiệm nhiều lựa chọn`).
    pub name: String,
    /// The kind every item of this part has.
    pub kind: ItemKind,
    /// Points each item of this part is worth (the blueprint decides, not the item).
    pub points_each: MilliPoints,
    /// The cells of the matrix for this part, in file order.
    pub cells: Vec<Cell>,
    /// For true/false clusters: the credit table by count right, replacing the items' own tables
    /// (items drawn into this part must then have as many statements as the table has entries).
    pub cluster_table: Option<ClusterTable>,
}

/// One cell of the matrix: how many items of a topic and level to draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    /// Topic / content unit (chủ đề), NFC.
    pub topic: String,
    /// Cognitive level.
    pub level: Level,
    /// How many items to draw (> 0).
    pub count: u32,
}

impl Part {
    /// Number of items in this part.
    pub fn item_count(&self) -> u64 {
        self.cells.iter().map(|c| u64::from(c.count)).sum()
    }

    /// Points of the whole part, exactly.
    pub fn total_points(&self) -> MilliPoints {
        let count = i64::try_from(self.item_count()).unwrap_or(i64::MAX);
        MilliPoints::from_milli(self.points_each.milli().saturating_mul(count))
    }
}

impl Blueprint {
    /// Reads and validates a blueprint. `file_name` is only used in error messages.
    pub fn parse(file_name: &str, text: &str) -> Result<Self, BlueprintError> {
        let raw: RawBlueprint = toml::from_str(text).map_err(|error| BlueprintError::Syntax {
            at: locate(file_name, text, error.span().map(|s| s.start)),
            message: error.message().to_owned(),
        })?;
        Validator { file_name, text }.blueprint(raw)
    }

    /// Test title printed on the paper.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// Subject (môn), NFC.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// Grade (khối), 1–12.
    pub fn grade(&self) -> u8 {
        self.grade
    }

    /// Working time in minutes.
    pub fn duration_minutes(&self) -> u32 {
        self.duration_minutes
    }

    /// The score is reported out of this many points (10 by default).
    pub fn scale(&self) -> MilliPoints {
        self.scale
    }

    /// Reported scores are rounded half-up to a multiple of this (0.1 by default).
    pub fn rounding_step(&self) -> MilliPoints {
        self.rounding_step
    }

    /// How many forms to make and how to number them.
    pub fn forms(&self) -> &FormSpec {
        &self.forms
    }

    /// The parts, in file order.
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// Raw points of the whole test (Σ count × points_each), exactly.
    pub fn total_points(&self) -> MilliPoints {
        self.parts.iter().map(Part::total_points).sum()
    }
}

/// Why a blueprint was refused. Every variant names the file, line and column.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BlueprintError {
    /// The text is not TOML, or its shape is wrong (missing key, unknown key, wrong type).
    #[error("{at}: lỗi TOML / TOML error: {message}")]
    Syntax {
        /// Where the TOML parser stopped.
        at: Location,
        /// The parser's message (English).
        message: String,
    },
    /// A value is well-formed TOML but not acceptable.
    #[error("{at}: {context}{problem}")]
    Invalid {
        /// Where the value is.
        at: Location,
        /// Which part and cell (`phần 2 «Phần II», ô 1: `), empty at top level.
        context: String,
        /// What is wrong.
        problem: BlueprintProblem,
    },
}

impl BlueprintError {
    /// Where the problem is.
    pub fn location(&self) -> &Location {
        match self {
            BlueprintError::Syntax { at, .. } | BlueprintError::Invalid { at, .. } => at,
        }
    }
}

/// What is wrong with one value of a blueprint.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BlueprintProblem {
    /// A text field is empty.
    #[error("`{0}` không được để trống / `{0}` must not be empty")]
    Empty(&'static str),
    /// The grade is not 1–12.
    #[error("khối phải từ 1 đến 12, có {0} / grade must be 1 to 12, found {0}")]
    BadGrade(i64),
    /// The duration is not a positive number of minutes.
    #[error("thời gian làm bài phải dương, có {0} / duration_minutes must be positive, found {0}")]
    BadDuration(i64),
    /// A number field holds something else (a boolean, a date, a word).
    #[error("`{field}` phải là số, có {found} / `{field}` must be a number, found {found}")]
    NotANumber {
        /// The key.
        field: &'static str,
        /// What was written.
        found: String,
    },
    /// A points value needs more than three decimals.
    #[error("`{field}` có quá 3 chữ số thập phân: {value} / `{field}` needs at most 3 decimals: {value}")]
    TooPrecise {
        /// The key.
        field: &'static str,
        /// The value as read.
        value: String,
    },
    /// A value that must be positive is zero or negative.
    #[error("`{field}` phải lớn hơn 0, có {value} / `{field}` must be greater than 0, found {value}")]
    NotPositive {
        /// The key.
        field: &'static str,
        /// The value as read.
        value: String,
    },
    /// The scale is not a whole number of rounding steps, so full marks could not reach it.
    #[error(
        "thang điểm {scale} không chia hết cho bước làm tròn {step} / the scale {scale} is not a multiple of the rounding step {step}"
    )]
    StepDoesNotDivideScale {
        /// The scale.
        scale: MilliPoints,
        /// The step.
        step: MilliPoints,
    },
    /// The form count is outside 1..=999.
    #[error("số mã đề phải từ 1 đến 999, có {0} / forms.count must be 1 to 999, found {0}")]
    BadFormCount(i64),
    /// A form-code number is negative or too large.
    #[error(
        "`{field}` phải từ {min} đến 4294967295, có {value} / `{field}` must be {min} to 4294967295, found {value}"
    )]
    BadFormNumber {
        /// The key.
        field: &'static str,
        /// Smallest accepted value.
        min: i64,
        /// The value.
        value: i64,
    },
    /// The last form code would not fit in 32 bits.
    #[error("mã đề cuối vượt quá giới hạn / the last form code is too large")]
    FormCodesOverflow,
    /// The file has no `[[part]]`.
    #[error("ma trận đề không có phần nào ([[part]]) / the blueprint has no [[part]]")]
    NoParts,
    /// A part has no cells.
    #[error("phần không có ô nào (cells) / the part has no cells")]
    NoCells,
    /// The kind is not one of the stable names.
    #[error(
        "loại câu hỏi không hợp lệ: {0:?} (single_choice, multiple_response, true_false, true_false_cluster, short_text, numeric, matching, essay) / unknown kind: {0:?}"
    )]
    UnknownKind(String),
    /// A description has no answer, so it cannot be a scored part.
    #[error("loại `description` không có điểm, không dùng được trong ma trận / `description` items carry no score")]
    DescriptionPart,
    /// The level is not Biết / Hiểu / Vận dụng / Vận dụng cao.
    #[error("mức độ không hợp lệ: {0:?} (Biết, Hiểu, Vận dụng, Vận dụng cao) / unknown level: {0:?}")]
    UnknownLevel(String),
    /// A cell asks for zero or a negative number of items.
    #[error("số câu phải lớn hơn 0, có {0} / count must be greater than 0, found {0}")]
    BadCount(i64),
    /// A cluster table on a part that is not a true/false cluster part.
    #[error(
        "`cluster_table` chỉ dùng cho phần true_false_cluster / `cluster_table` is only for true_false_cluster parts"
    )]
    ClusterTableOnWrongKind,
    /// A cluster-table entry is not a percentage with at most five decimals within 0..=100.
    #[error("mức điểm không hợp lệ: {0} (phần trăm từ 0 đến 100) / bad credit entry: {0} (a percentage from 0 to 100)")]
    BadPercentage(String),
    /// The cluster table does not rise to 100 %.
    #[error(
        "bảng điểm chùm đúng/sai phải tăng dần và kết thúc ở 100 / the cluster table must be non-decreasing and end at 100"
    )]
    BadClusterTable,
}

// ---- stage 1: the raw shape serde reads --------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBlueprint {
    title: Spanned<String>,
    subject: Spanned<String>,
    grade: Spanned<i64>,
    duration_minutes: Spanned<i64>,
    scale: Option<Spanned<toml::Value>>,
    rounding_step: Option<Spanned<toml::Value>>,
    forms: Option<RawForms>,
    #[serde(rename = "part", default)]
    parts: Vec<Spanned<RawPart>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawForms {
    count: Option<Spanned<i64>>,
    code_start: Option<Spanned<i64>>,
    code_step: Option<Spanned<i64>>,
    code_prefix: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPart {
    name: Spanned<String>,
    kind: Spanned<String>,
    points_each: Spanned<toml::Value>,
    cells: Spanned<Vec<Spanned<RawCell>>>,
    cluster_table: Option<Spanned<Vec<Spanned<toml::Value>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCell {
    topic: Spanned<String>,
    level: Spanned<String>,
    count: Spanned<i64>,
}

// ---- stage 2: validation -----------------------------------------------------------------------

struct Validator<'a> {
    file_name: &'a str,
    text: &'a str,
}

impl Validator<'_> {
    fn error(&self, span: Range<usize>, context: &str, problem: BlueprintProblem) -> BlueprintError {
        BlueprintError::Invalid {
            at: locate(self.file_name, self.text, Some(span.start)),
            context: context.to_owned(),
            problem,
        }
    }

    fn blueprint(&self, raw: RawBlueprint) -> Result<Blueprint, BlueprintError> {
        let title = self.non_empty(raw.title, "title", "")?;
        let subject = self.non_empty(raw.subject, "subject", "")?;
        let grade = match u8::try_from(*raw.grade.get_ref()) {
            Ok(grade @ 1..=12) => grade,
            _ => return Err(self.error(raw.grade.span(), "", BlueprintProblem::BadGrade(*raw.grade.get_ref()))),
        };
        let duration_minutes = match u32::try_from(*raw.duration_minutes.get_ref()) {
            Ok(minutes) if minutes > 0 => minutes,
            _ => {
                let found = *raw.duration_minutes.get_ref();
                return Err(self.error(raw.duration_minutes.span(), "", BlueprintProblem::BadDuration(found)));
            }
        };
        let scale = match &raw.scale {
            Some(value) => self.positive_points(value, "scale", "")?,
            None => MilliPoints::from_milli(10_000),
        };
        let rounding_step = match &raw.rounding_step {
            Some(value) => self.positive_points(value, "rounding_step", "")?,
            None => MilliPoints::from_milli(100),
        };
        if scale.milli() % rounding_step.milli() != 0 {
            // Point at the step when the file gives one, else at the scale that does not fit it.
            let span = raw.rounding_step.as_ref().or(raw.scale.as_ref()).map_or(0..0, Spanned::span);
            return Err(self.error(span, "", BlueprintProblem::StepDoesNotDivideScale { scale, step: rounding_step }));
        }
        let forms = match raw.forms {
            Some(forms) => self.forms(forms)?,
            None => FormSpec::default(),
        };
        if raw.parts.is_empty() {
            return Err(self.error(self.text.len()..self.text.len(), "", BlueprintProblem::NoParts));
        }
        let parts = raw
            .parts
            .into_iter()
            .enumerate()
            .map(|(index, part)| self.part(index, part))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Blueprint { title, subject, grade, duration_minutes, scale, rounding_step, forms, parts })
    }

    fn non_empty(&self, value: Spanned<String>, field: &'static str, context: &str) -> Result<String, BlueprintError> {
        let span = value.span();
        let text = nfc(value.into_inner().trim());
        if text.is_empty() {
            return Err(self.error(span, context, BlueprintProblem::Empty(field)));
        }
        Ok(text)
    }

    fn forms(&self, raw: RawForms) -> Result<FormSpec, BlueprintError> {
        let defaults = FormSpec::default();
        let count = match raw.count {
            Some(count) => match u16::try_from(*count.get_ref()) {
                Ok(n @ 1..=MAX_FORMS) => n,
                _ => return Err(self.error(count.span(), "", BlueprintProblem::BadFormCount(*count.get_ref()))),
            },
            None => defaults.count,
        };
        let code_start = match raw.code_start {
            Some(start) => self.form_number(start, "code_start", 0)?,
            None => defaults.code_start,
        };
        let code_step_span = raw.code_step.as_ref().map(Spanned::span).unwrap_or(0..0);
        let code_step = match raw.code_step {
            Some(step) => self.form_number(step, "code_step", 1)?,
            None => defaults.code_step,
        };
        let last = u64::from(code_start) + u64::from(count - 1) * u64::from(code_step);
        if u32::try_from(last).is_err() {
            return Err(self.error(code_step_span, "", BlueprintProblem::FormCodesOverflow));
        }
        let code_prefix = nfc(raw.code_prefix.unwrap_or_default().trim());
        Ok(FormSpec { count, code_start, code_step, code_prefix })
    }

    fn form_number(&self, value: Spanned<i64>, field: &'static str, min: i64) -> Result<u32, BlueprintError> {
        let number = *value.get_ref();
        match u32::try_from(number) {
            Ok(n) if i64::from(n) >= min => Ok(n),
            _ => Err(self.error(value.span(), "", BlueprintProblem::BadFormNumber { field, min, value: number })),
        }
    }

    fn part(&self, index: usize, raw: Spanned<RawPart>) -> Result<Part, BlueprintError> {
        let raw = raw.into_inner();
        let context = format!("phần {} «{}»: ", index + 1, raw.name.get_ref().trim());
        let kind_span = raw.kind.span();
        let kind = ItemKind::parse(raw.kind.get_ref()).ok_or_else(|| {
            self.error(kind_span.clone(), &context, BlueprintProblem::UnknownKind(raw.kind.into_inner()))
        })?;
        if kind == ItemKind::Description {
            return Err(self.error(kind_span, &context, BlueprintProblem::DescriptionPart));
        }
        let name = self.non_empty(raw.name, "name", &context)?;
        let points_each = self.positive_points(&raw.points_each, "points_each", &context)?;
        let cells_span = raw.cells.span();
        let raw_cells = raw.cells.into_inner();
        if raw_cells.is_empty() {
            return Err(self.error(cells_span, &context, BlueprintProblem::NoCells));
        }
        let cells = raw_cells
            .into_iter()
            .enumerate()
            .map(|(cell_index, cell)| {
                let cell_context = format!("phần {} «{}», ô {}: ", index + 1, name, cell_index + 1);
                self.cell(cell.into_inner(), &cell_context)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let cluster_table = match raw.cluster_table {
            Some(table) if kind != ItemKind::TrueFalseCluster => {
                return Err(self.error(table.span(), &context, BlueprintProblem::ClusterTableOnWrongKind));
            }
            Some(table) => Some(self.cluster_table(table, &context)?),
            None => None,
        };
        Ok(Part { name, kind, points_each, cells, cluster_table })
    }

    fn cell(&self, raw: RawCell, context: &str) -> Result<Cell, BlueprintError> {
        let topic = self.non_empty(raw.topic, "topic", context)?;
        let level_span = raw.level.span();
        let level = Level::parse(raw.level.get_ref())
            .ok_or_else(|| self.error(level_span, context, BlueprintProblem::UnknownLevel(raw.level.into_inner())))?;
        let count = match u32::try_from(*raw.count.get_ref()) {
            Ok(n) if n > 0 => n,
            _ => return Err(self.error(raw.count.span(), context, BlueprintProblem::BadCount(*raw.count.get_ref()))),
        };
        Ok(Cell { topic, level, count })
    }

    fn cluster_table(
        &self,
        raw: Spanned<Vec<Spanned<toml::Value>>>,
        context: &str,
    ) -> Result<ClusterTable, BlueprintError> {
        let span = raw.span();
        let entries = raw
            .into_inner()
            .iter()
            .map(|entry| {
                let decimal = self.decimal(entry, "cluster_table", context)?;
                Fraction::from_percent(decimal).filter(|f| *f >= Fraction::ZERO).ok_or_else(|| {
                    self.error(entry.span(), context, BlueprintProblem::BadPercentage(decimal.to_string()))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        ClusterTable::new(entries).map_err(|_| self.error(span, context, BlueprintProblem::BadClusterTable))
    }

    fn positive_points(
        &self,
        value: &Spanned<toml::Value>,
        field: &'static str,
        context: &str,
    ) -> Result<MilliPoints, BlueprintError> {
        let decimal = self.decimal(value, field, context)?;
        let shown = decimal.normalize().to_string();
        let points = MilliPoints::from_decimal(decimal).ok_or_else(|| {
            self.error(value.span(), context, BlueprintProblem::TooPrecise { field, value: shown.clone() })
        })?;
        if points <= MilliPoints::ZERO {
            return Err(self.error(value.span(), context, BlueprintProblem::NotPositive { field, value: shown }));
        }
        Ok(points)
    }

    fn decimal(
        &self,
        value: &Spanned<toml::Value>,
        field: &'static str,
        context: &str,
    ) -> Result<Decimal, BlueprintError> {
        exact_decimal(value.get_ref()).ok_or_else(|| {
            self.error(value.span(), context, BlueprintProblem::NotANumber { field, found: describe(value.get_ref()) })
        })
    }
}

/// An exact decimal from a TOML integer, float or string (`"0,25"` with the Vietnamese comma
/// too). A float goes through Rust's shortest round-trip text, so `0.1` becomes exactly `0.1`
/// and not the binary value nearest to it.
fn exact_decimal(value: &toml::Value) -> Option<Decimal> {
    match value {
        toml::Value::Integer(n) => Some(Decimal::from(*n)),
        toml::Value::Float(f) if f.is_finite() => Decimal::from_str(&f.to_string()).ok(),
        toml::Value::String(text) => parse_decimal(text),
        _ => None,
    }
}

fn describe(value: &toml::Value) -> String {
    match value {
        toml::Value::String(text) => format!("{text:?}"),
        // Debug keeps a float short (`1e300`), as the teacher wrote it.
        toml::Value::Float(f) => format!("{f:?}"),
        other => other.to_string(),
    }
}

/// Line and column (1-based, column in characters) of a byte offset.
fn locate(file_name: &str, text: &str, offset: Option<usize>) -> Location {
    let Some(offset) = offset else {
        return Location::line(file_name, 1, None);
    };
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    Location::line(file_name, u32::try_from(line).unwrap_or(u32::MAX), Some(u32::try_from(column).unwrap_or(u32::MAX)))
}

#[cfg(test)]
#[path = "blueprint_tests.rs"]
mod tests;
