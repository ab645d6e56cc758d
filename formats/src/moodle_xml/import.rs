//! Moodle XML → items: interprets each `<question>` tree the reader built.

use super::category::Category;
use super::convention::{BLANK, Convention};
use super::lines::LineIndex;
use super::tree::{self, Element, Found};
use crate::{ImportError, ImportReport};
use base64::Engine;
use phongthi_items::text::nfc;
use phongthi_items::{
    Body, Choice, Fraction, Image, Item, MatchPair, MatchScoring, MilliPoints, NumericAnswer, NumericValue, SourceRef,
    TextAnswer, TextFormat, parse_decimal,
};
use rust_decimal::Decimal;

/// Reads a Moodle XML file (`<quiz>` of `<question>`s). `file_name` is only used in messages and
/// `meta.source`. A UTF-8 byte-order mark is accepted.
pub fn import(file_name: &str, text: &str) -> ImportReport {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = LineIndex::new(text);
    let error_at = |offset: usize, message: String| {
        let (line, column) = lines.locate(offset);
        ImportError::new(file_name, line, Some(column), message)
    };
    let mut report = ImportReport::default();
    let mut category = Category::default();
    for found in tree::read_questions(text) {
        let question = match found {
            Found::Problem { offset, message } => {
                report.errors.push(error_at(offset, message));
                continue;
            }
            Found::Question(question) => question,
        };
        if question.attribute("type") == Some("category") {
            match question.child("category").and_then(Element::text_child) {
                Some(path) => category = Category::from_moodle_path(&nfc(path)),
                None => report.errors.push(error_at(
                    question.offset,
                    "câu hỏi loại category thiếu <category><text> / a category question has no <category><text>"
                        .to_owned(),
                )),
            }
            continue;
        }
        let read = read_question(&question, &category).and_then(|mut item| {
            let (line, _) = lines.locate(question.offset);
            item.meta.source = Some(SourceRef { file: file_name.to_owned(), line });
            item.validate().map_err(|error| Problem::new(question.offset, error.to_string()))?;
            Ok(item)
        });
        match read {
            Ok(item) => report.items.push(item),
            Err(problem) => report.errors.push(error_at(problem.offset, problem.message)),
        }
    }
    report
}

/// Why a question could not be read, and the element to point at.
struct Problem {
    offset: usize,
    message: String,
}

impl Problem {
    fn new(offset: usize, message: impl Into<String>) -> Self {
        Self { offset, message: message.into() }
    }
}

type Read<T> = Result<T, Problem>;

fn read_question(question: &Element, category: &Category) -> Read<Item> {
    let kind = question.attribute("type").ok_or_else(|| {
        Problem::new(question.offset, "<question> thiếu thuộc tính type / <question> has no type attribute")
    })?;
    let mut answer_feedback = Vec::new();
    let body = match kind {
        "multichoice" => read_multichoice(question)?,
        "truefalse" => read_truefalse(question, &mut answer_feedback)?,
        "shortanswer" => read_shortanswer(question, &mut answer_feedback)?,
        "numerical" => read_numerical(question, &mut answer_feedback)?,
        "matching" => read_matching(question)?,
        "essay" => Body::Essay,
        "description" => Body::Description,
        "cloze" => return Err(refuse_cloze(question)),
        other => {
            return Err(Problem::new(
                question.offset,
                format!("loại câu hỏi \"{other}\" chưa được hỗ trợ / question type \"{other}\" is not supported"),
            ));
        }
    };
    let question_text = question.child("questiontext");
    let format = match question_text.and_then(|t| t.attribute("format")) {
        None => TextFormat::Html,
        Some(name) => TextFormat::parse(name).ok_or_else(|| {
            Problem::new(
                question_text.map_or(question.offset, |t| t.offset),
                format!("định dạng văn bản \"{name}\" không hợp lệ / unknown text format \"{name}\""),
            )
        })?,
    };
    let mut item = Item::new(text_of(question_text), body);
    item.answer_feedback = phongthi_items::canonical_answer_feedback(answer_feedback);
    item.format = format;
    item.name = non_empty(text_of(question.child("name")));
    item.general_feedback = non_empty(text_of(question.child("generalfeedback")));
    item.meta.points = read_points(question)?;
    item.meta.category = category.path.clone();
    item.meta.topic = category.topic.clone();
    item.meta.idnumber = question.child("idnumber").map(|id| nfc(id.text.trim())).filter(|id| !id.is_empty());
    collect_images(question, &mut item.images)?;
    legacy_image(question, &mut item)?;
    apply_tags(question, &mut item)?;
    Ok(item)
}

/// The NFC, trimmed content of `<element><text>`; empty when absent.
fn text_of(element: Option<&Element>) -> String {
    element.and_then(Element::text_child).map(|t| nfc(t.trim())).unwrap_or_default()
}

fn non_empty(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

/// `<defaultgrade>`; a description's is always 0 in Moodle and means "no points".
fn read_points(question: &Element) -> Read<Option<MilliPoints>> {
    let Some(grade) = question.child("defaultgrade") else { return Ok(None) };
    let points = MilliPoints::parse(&grade.text).map_err(|error| Problem::new(grade.offset, error.to_string()))?;
    if points < MilliPoints::ZERO {
        return Err(Problem::new(grade.offset, "điểm không được âm / <defaultgrade> must not be negative"));
    }
    let is_description = question.attribute("type") == Some("description");
    Ok((!(is_description && points == MilliPoints::ZERO)).then_some(points))
}

/// The `fraction` attribute of an answer, a percentage (Moodle's default is 0).
fn read_fraction(answer: &Element) -> Read<Fraction> {
    match answer.attribute("fraction") {
        None => Ok(Fraction::ZERO),
        Some(value) => crate::moodle_grades::grade_from_percent(value)
            .map_err(|error| Problem::new(answer.offset, format!("fraction=\"{value}\": {error}"))),
    }
}

fn feedback_of(answer: &Element) -> Option<String> {
    non_empty(text_of(answer.child("feedback")))
}

fn read_multichoice(question: &Element) -> Read<Body> {
    let single = match question.child("single") {
        None => true,
        Some(single) => match single.text.trim() {
            "true" | "1" => true,
            "false" | "0" => false,
            other => {
                return Err(Problem::new(
                    single.offset,
                    format!(
                        "<single> phải là true hoặc false, gặp \"{other}\" / <single> must be true or false, found \"{other}\""
                    ),
                ));
            }
        },
    };
    let options = question
        .children_named("answer")
        .map(|answer| {
            Ok(Choice {
                text: text_of(Some(answer)),
                fraction: read_fraction(answer)?,
                pinned: false,
                feedback: feedback_of(answer),
            })
        })
        .collect::<Read<Vec<_>>>()?;
    let checked = if single {
        crate::moodle_grades::check_single(&options)
    } else {
        crate::moodle_grades::check_multiple(&options)
    };
    checked.map_err(|message| Problem::new(question.offset, message))?;
    Ok(if single { Body::SingleChoice { options } } else { Body::MultipleResponse { options } })
}

fn read_truefalse(question: &Element, feedback: &mut Vec<Option<String>>) -> Read<Body> {
    let mut true_fraction = None;
    let mut false_fraction = None;
    let mut true_feedback = None;
    let mut false_feedback = None;
    for answer in question.children_named("answer") {
        let fraction = read_fraction(answer)?;
        match text_of(Some(answer)).to_lowercase().as_str() {
            "true" => (true_fraction, true_feedback) = (Some(fraction), feedback_of(answer)),
            "false" => (false_fraction, false_feedback) = (Some(fraction), feedback_of(answer)),
            other => {
                return Err(Problem::new(
                    answer.offset,
                    format!(
                        "đáp án đúng/sai phải là true hoặc false, gặp \"{other}\" / a true/false answer must be true or false, found \"{other}\""
                    ),
                ));
            }
        }
    }
    *feedback = vec![true_feedback, false_feedback];
    match (true_fraction.is_some_and(Fraction::is_full), false_fraction.is_some_and(Fraction::is_full)) {
        (true, false) => Ok(Body::TrueFalse { answer: true }),
        (false, true) => Ok(Body::TrueFalse { answer: false }),
        _ => Err(Problem::new(
            question.offset,
            "câu đúng/sai cần đúng một đáp án (true hoặc false) có fraction=\"100\" / \
             a true/false question needs exactly one of true and false with fraction=\"100\"",
        )),
    }
}

/// Short answer. Moodle's `*` (any other answer) at 0 % only carries feedback, which the bank has
/// no place for: it is left out. A credited `*` would accept any text and is refused.
fn read_shortanswer(question: &Element, feedback: &mut Vec<Option<String>>) -> Read<Body> {
    let case_sensitive = question.child("usecase").is_some_and(|u| matches!(u.text.trim(), "1" | "true"));
    let mut answers = Vec::new();
    for answer in question.children_named("answer") {
        let fraction = read_fraction(answer)?;
        let text = text_of(Some(answer));
        if text == "*" {
            if fraction == Fraction::ZERO {
                continue;
            }
            return Err(Problem::new(
                answer.offset,
                "đáp án * (mọi câu trả lời) có điểm chưa được hỗ trợ / a credited * (any answer) is not supported",
            ));
        }
        answers.push(TextAnswer { text, fraction });
        feedback.push(feedback_of(answer));
    }
    Ok(Body::ShortText { answers, case_sensitive })
}

fn read_numerical(question: &Element, feedback: &mut Vec<Option<String>>) -> Read<Body> {
    if let Some(units) = question.child("units") {
        for unit in units.children_named("unit") {
            let name = text_of_leaf(unit.child("unit_name"));
            if !name.is_empty() {
                return Err(Problem::new(
                    unit.offset,
                    format!(
                        "đơn vị \"{name}\" chưa được hỗ trợ: hãy bỏ đơn vị khỏi câu hỏi số / \
                         units (\"{name}\") are not supported: remove the units from the numerical question"
                    ),
                ));
            }
        }
    }
    let mut answers = Vec::new();
    for answer in question.children_named("answer") {
        let fraction = read_fraction(answer)?;
        let written = text_of(Some(answer));
        if written == "*" {
            // Moodle's "any other answer": kept at 0 % for its feedback.
            if fraction == Fraction::ZERO {
                answers.push(NumericAnswer { value: NumericValue::Any, fraction });
                feedback.push(feedback_of(answer));
                continue;
            }
            return Err(Problem::new(
                answer.offset,
                "đáp án * (mọi câu trả lời) có điểm chưa được hỗ trợ / a credited * (any answer) is not supported",
            ));
        }
        let value = parse_number(&written, answer.offset)?;
        let tolerance = match answer.child("tolerance") {
            None => Decimal::ZERO,
            Some(tolerance) if tolerance.text.trim().is_empty() => Decimal::ZERO,
            Some(tolerance) => parse_number(&tolerance.text, tolerance.offset)?,
        };
        answers.push(NumericAnswer { value: NumericValue::Exact { value, tolerance }, fraction });
        feedback.push(feedback_of(answer));
    }
    Ok(Body::Numeric { answers, four_char_rule: false })
}

fn parse_number(written: &str, offset: usize) -> Read<Decimal> {
    parse_decimal(written).ok_or_else(|| {
        Problem::new(offset, format!("\"{}\" không phải số / \"{}\" is not a number", written.trim(), written.trim()))
    })
}

/// The trimmed text of a leaf element such as `<unit_name>`.
fn text_of_leaf(element: Option<&Element>) -> String {
    element.map(|e| nfc(e.text.trim())).unwrap_or_default()
}

fn read_matching(question: &Element) -> Read<Body> {
    let mut pairs = Vec::new();
    let mut distractors = Vec::new();
    for sub in question.children_named("subquestion") {
        let prompt = text_of(Some(sub));
        let answer = text_of(sub.child("answer"));
        match (prompt.is_empty(), answer.is_empty()) {
            (true, true) => {}
            (true, false) => distractors.push(answer),
            (false, _) => pairs.push(MatchPair { prompt, answer }),
        }
    }
    Ok(Body::Matching { pairs, distractors, scoring: MatchScoring::PerPair })
}

/// Moodle 1.x files carry a picture as `<image>name</image>` + `<image_base64>data</image_base64>`;
/// Moodle adds it to the question's files and `<img>` after the text, and so do we. Either one
/// alone (an `<image>` pointed at a course file that is not in the export) Moodle ignores, as we do.
fn legacy_image(question: &Element, item: &mut Item) -> Read<()> {
    let Some(data) = question.child("image_base64").filter(|d| !d.text.trim().is_empty()) else { return Ok(()) };
    // Moodle needs the name too, and flattens a folder into it (`hinh/a.png` → `hinh_a.png`).
    let name = question.child("image").map(|i| nfc(i.text.trim()).replace(['/', '\\'], "_")).unwrap_or_default();
    if name.is_empty() {
        return Ok(());
    }
    let packed: String = data.text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD.decode(packed.as_bytes()).map_err(|error| {
        Problem::new(
            data.offset,
            format!("<image_base64> không phải base64 hợp lệ / <image_base64> is not valid base64: {error}"),
        )
    })?;
    if item.images.iter().any(|i| i.name == name && i.bytes != bytes) {
        return Err(Problem::new(
            data.offset,
            format!("hai tệp khác nhau cùng tên \"{name}\" / two different files are both named \"{name}\""),
        ));
    }
    if !item.images.iter().any(|i| i.name == name) {
        item.images.push(Image { name: name.clone(), bytes });
    }
    let separator = if item.stem.is_empty() { "" } else { " " };
    item.stem = format!("{}{separator}<img src=\"@@PLUGINFILE@@/{name}\" />", item.stem);
    Ok(())
}

/// A cloze (multianswer) question is several gaps, each its own short-answer, numerical or
/// choice sub-question, marked as one; the bank's items have one answer each, so the question is
/// refused, naming every gap and what it is, so the teacher can split it into items.
fn refuse_cloze(question: &Element) -> Problem {
    let text = text_of(question.child("questiontext"));
    let (mut gaps, mut gaps_en) = (Vec::new(), Vec::new());
    let mut rest = text.as_str();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else { break };
        let inside = &rest[open + 1..open + close];
        let kind = inside.split(':').nth(1).map(str::trim).unwrap_or_default().to_ascii_uppercase();
        let named = match kind.as_str() {
            "SHORTANSWER" | "SA" | "MW" | "SHORTANSWER_C" | "SAC" | "MWC" => Some(("trả lời ngắn", "short answer")),
            "NUMERICAL" | "NM" => Some(("số", "numerical")),
            "" => None,
            _ => Some(("trắc nghiệm", "choice")),
        };
        if let Some((vietnamese, english)) = named {
            gaps.push(format!("ô {} ({vietnamese})", gaps.len() + 1));
            gaps_en.push(format!("gap {} ({english})", gaps_en.len() + 1));
        }
        rest = &rest[open + close + 1..];
    }
    Problem::new(
        question.offset,
        format!(
            "câu cloze (nhiều ô trống) chưa có loại tương ứng trong ngân hàng; hãy tách mỗi ô thành một câu: {} / \
             a cloze (multianswer) question has no kind in the bank; split each gap into its own question: {}",
            gaps.join(", "),
            gaps_en.join(", ")
        ),
    )
}

/// Every `<file encoding="base64">` anywhere in the question (Moodle puts them beside the text
/// that uses them; the bank keeps one list per item).
fn collect_images(element: &Element, images: &mut Vec<Image>) -> Read<()> {
    for child in &element.children {
        if child.name == "file" {
            let image = read_file(child)?;
            match images.iter().find(|i| i.name == image.name) {
                None => images.push(image),
                Some(same) if same.bytes == image.bytes => {}
                Some(_) => {
                    return Err(Problem::new(
                        child.offset,
                        format!(
                            "hai tệp khác nhau cùng tên \"{0}\" / two different files are both named \"{0}\"",
                            image.name
                        ),
                    ));
                }
            }
        } else {
            collect_images(child, images)?;
        }
    }
    Ok(())
}

fn read_file(file: &Element) -> Read<Image> {
    let name = file.attribute("name").map(|n| nfc(n.trim())).unwrap_or_default();
    if name.is_empty() {
        return Err(Problem::new(file.offset, "<file> thiếu thuộc tính name / <file> has no name"));
    }
    // A file in a folder (`path="/hinh/"`) is referred to as `@@PLUGINFILE@@/hinh/NAME`.
    let folder = file.attribute("path").map(|p| nfc(p.trim().trim_matches('/'))).unwrap_or_default();
    let name = if folder.is_empty() { name } else { format!("{folder}/{name}") };
    if let Some(encoding) = file.attribute("encoding").filter(|e| *e != "base64") {
        return Err(Problem::new(
            file.offset,
            format!(
                "tệp \"{name}\": mã hóa \"{encoding}\" chưa được hỗ trợ (chỉ base64) / encoding \"{encoding}\" is not supported (base64 only)"
            ),
        ));
    }
    let packed: String = file.text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD.decode(packed.as_bytes()).map_err(|error| {
        Problem::new(
            file.offset,
            format!("tệp \"{name}\" không phải base64 hợp lệ / \"{name}\" is not valid base64: {error}"),
        )
    })?;
    Ok(Image { name, bytes })
}

/// Ordinary tags go to `meta.tags`; `phongthi:` conventions set what they stand for.
fn apply_tags(question: &Element, item: &mut Item) -> Read<()> {
    let Some(tags) = question.child("tags") else { return Ok(()) };
    for tag in tags.children_named("tag") {
        let text = text_of(Some(tag));
        if text.is_empty() {
            continue;
        }
        let Some(convention) = Convention::parse(&text) else {
            item.meta.tags.push(text);
            continue;
        };
        let convention = convention.map_err(|message| Problem::new(tag.offset, message))?;
        apply_convention(convention, item).map_err(|message| Problem::new(tag.offset, message))?;
    }
    Ok(())
}

fn apply_convention(convention: Convention, item: &mut Item) -> Result<(), String> {
    match convention {
        Convention::Level(level) => item.meta.level = Some(level),
        Convention::Group(group) => item.group = Some(group),
        Convention::Pin(index) => {
            let (Body::SingleChoice { options } | Body::MultipleResponse { options }) = &mut item.body else {
                return Err("chỉ câu trắc nghiệm mới ghim được phương án / only choice questions have options to pin"
                    .to_owned());
            };
            let count = options.len();
            let option = options.get_mut(index).ok_or_else(|| {
                format!(
                    "không có phương án thứ {0} để ghim (câu có {count}) / there is no option {0} to pin ({count} options)",
                    index + 1
                )
            })?;
            option.pinned = true;
        }
        Convention::FourCharRule => match &mut item.body {
            Body::Numeric { four_char_rule, .. } => *four_char_rule = true,
            _ => {
                return Err(
                    "quy tắc 4 ký tự chỉ dùng cho câu số / the 4-character rule is for numerical questions".to_owned()
                );
            }
        },
        Convention::AllOrNothing => match &mut item.body {
            Body::Matching { scoring, .. } => *scoring = MatchScoring::AllOrNothing,
            _ => {
                return Err(
                    "cách chấm cả câu chỉ dùng cho câu ghép đôi / all-or-nothing scoring is for matching".to_owned()
                );
            }
        },
        Convention::BlankAt(at) => split_at_blank(item, at),
    }
    Ok(())
}

/// Turns `stem _____ tail` back into a missing-word question. The position is a hint: if the text
/// was edited, the first blank is used, and without any blank the text stays whole.
fn split_at_blank(item: &mut Item, at: usize) {
    let byte_at = item.stem.char_indices().nth(at).map_or(item.stem.len(), |(i, _)| i);
    let blank_at = if item.stem[byte_at..].starts_with(BLANK) { Some(byte_at) } else { item.stem.find(BLANK) };
    if let Some(start) = blank_at {
        let tail = item.stem[start + BLANK.len()..].to_owned();
        item.stem.truncate(start);
        item.stem_tail = Some(tail);
    }
}
