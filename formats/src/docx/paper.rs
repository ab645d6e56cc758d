//! The grammar of a Vietnamese test paper, over the document's lines in order: parts, topics,
//! questions with their stems, options or statements, keys and explanations, and the items they
//! make. Every question that cannot become a valid item is reported with its paragraph and
//! first words; the caller decides (as with every importer) that a paper with errors imports
//! nothing unless told to skip them.

use super::document::Look;
use super::lines::{Embed, Line};
use super::markers::{
    CorrectMarks, Marked, PartKind, answer_line, end_line, explanation_start, marked_items, part_heading,
    question_start, topic_line, trim,
};
use super::{Convention, WordReport};
use crate::ImportError;
use crate::template::answers::{fits_four_char, multiple_response_fractions};
use phongthi_items::points::parse_decimal;
use phongthi_items::text::nfc;
use phongthi_items::{
    Body, Choice, ClusterTable, Fraction, Image, Item, Level, NumericAnswer, NumericValue, SourceRef, Statement,
    TextAnswer, TextFormat,
};

/// What the lines after a question's start belong to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Stem,
    Options,
    Statements,
    Explanation,
}

/// A question being read.
struct Question {
    number: u32,
    level: Option<Level>,
    paragraph: u32,
    preview: String,
    part: Option<PartKind>,
    topic: Option<String>,
    stem: Vec<String>,
    options: Vec<Marked>,
    statements: Vec<Marked>,
    answers: Vec<String>,
    explanation: Vec<String>,
    mode: Mode,
    images: Vec<Image>,
    problems: Vec<String>,
}

fn uses(conventions: &mut Vec<Convention>, convention: Convention) {
    if !conventions.contains(&convention) {
        conventions.push(convention);
    }
}

/// The reader's state between lines.
pub(crate) struct Paper<'a> {
    file: &'a str,
    marks: CorrectMarks,
    report: WordReport,
    part: Option<PartKind>,
    topic: Option<String>,
    question: Option<Question>,
    ended: bool,
}

fn text(chars: &[(char, Look)]) -> String {
    nfc(chars.iter().map(|(c, _)| *c).collect::<String>().trim())
}

impl<'a> Paper<'a> {
    pub(crate) fn new(file: &'a str, marks: CorrectMarks) -> Self {
        Self { file, marks, report: WordReport::default(), part: None, topic: None, question: None, ended: false }
    }

    fn uses(&mut self, convention: Convention) {
        uses(&mut self.report.conventions, convention);
    }

    fn note(&mut self, line: &Line, message: String) {
        self.report.notes.push(ImportError::in_paragraph(self.file, line.index, message));
    }

    /// Reads one paragraph.
    pub(crate) fn line(&mut self, line: &Line) {
        if self.ended {
            return;
        }
        let plain = line.text();
        if plain.trim().is_empty() && line.embeds.is_empty() {
            return;
        }
        if end_line(&plain) {
            self.finish();
            self.ended = true;
            return;
        }
        if let Some((number, kind)) = part_heading(&plain) {
            self.finish();
            self.part = kind;
            self.uses(Convention::Parts);
            if kind.is_none() {
                self.note(
                    line,
                    format!(
                        "phần {number} không nói loại câu hỏi; các câu được nhận theo nội dung / \
                         part {number} does not say its question kind; questions are read by their content"
                    ),
                );
            }
            return;
        }
        if let Some(topic) = topic_line(&plain) {
            self.finish();
            self.topic = Some(nfc(&topic));
            self.uses(Convention::Topics);
            return;
        }
        let heading = line.style.as_deref().is_some_and(|s| s.to_ascii_lowercase().starts_with("heading"));
        if heading && question_start(&plain).is_none() {
            self.finish();
            self.topic = Some(text(&line.chars));
            self.uses(Convention::Topics);
            return;
        }
        if let Some(start) = question_start(&plain) {
            self.finish();
            if line.numbered {
                self.uses(Convention::AutoNumbering);
            }
            if start.level.is_some() {
                self.uses(Convention::LevelTags);
            }
            let stem = text(&line.chars[start.stem_from.min(line.chars.len())..]);
            self.question = Some(Question {
                number: start.number,
                level: start.level,
                paragraph: line.index,
                preview: line.preview(),
                part: self.part,
                topic: self.topic.clone(),
                stem: if stem.is_empty() { Vec::new() } else { vec![stem] },
                options: Vec::new(),
                statements: Vec::new(),
                answers: Vec::new(),
                explanation: Vec::new(),
                mode: Mode::Stem,
                images: Vec::new(),
                problems: Vec::new(),
            });
            self.embeds(line);
            return;
        }
        if self.question.is_none() {
            let preview = line.preview();
            self.note(
                line,
                format!("bỏ qua đoạn ngoài câu hỏi «{preview}» / skipped a paragraph outside any question «{preview}»"),
            );
            return;
        }
        self.inside_question(line, &plain);
        self.embeds(line);
    }

    fn inside_question(&mut self, line: &Line, plain: &str) {
        let marks = self.marks;
        let conventions = &mut self.report.conventions;
        let Some(question) = self.question.as_mut() else { return };
        if let Some(rest) = explanation_start(plain) {
            question.mode = Mode::Explanation;
            if !rest.is_empty() {
                question.explanation.push(nfc(&rest));
            }
            uses(conventions, Convention::Explanations);
            return;
        }
        if question.mode == Mode::Explanation {
            question.explanation.push(text(&line.chars));
            return;
        }
        if let Some(answers) = answer_line(plain) {
            question.answers.extend(answers.iter().map(|a| nfc(a)));
            uses(conventions, Convention::AnswerLines);
            return;
        }
        let next_option = char::from(b'A' + u8::try_from(question.options.len()).unwrap_or(7).min(7));
        let next_statement = char::from(b'a' + u8::try_from(question.statements.len()).unwrap_or(7).min(7));
        if question.statements.is_empty()
            && let Some(options) = marked_items(line, true, next_option, marks)
        {
            question.mode = Mode::Options;
            let letters_in_order = options.first().is_some_and(|o| o.letter == next_option);
            if !letters_in_order {
                question.problems.push(format!(
                    "phương án {} đứng sau phương án {} / option {} follows option {}",
                    options[0].letter,
                    question.options.last().map_or('-', |o| o.letter),
                    options[0].letter,
                    question.options.last().map_or('-', |o| o.letter),
                ));
            }
            if options.len() > 1 {
                uses(conventions, Convention::OptionsOnOneLine);
            }
            if line.numbered {
                uses(conventions, Convention::AutoNumbering);
            }
            question.options.extend(options);
            return;
        }
        if question.options.is_empty()
            && let Some(statements) = marked_items(line, false, next_statement, marks)
        {
            question.mode = Mode::Statements;
            question.statements.extend(statements);
            return;
        }
        let continuation = trim(&line.chars);
        match question.mode {
            Mode::Options | Mode::Statements => {
                let last = if question.mode == Mode::Options {
                    question.options.last_mut()
                } else {
                    question.statements.last_mut()
                };
                if let Some(last) = last {
                    last.text.push(('\n', Look::default()));
                    last.text.extend(continuation);
                }
            }
            _ => question.stem.push(text(&continuation)),
        }
    }

    /// Pictures and refusals of a line belong to the question being read.
    fn embeds(&mut self, line: &Line) {
        let mut warnings = Vec::new();
        let Some(question) = self.question.as_mut() else { return };
        for embed in &line.embeds {
            match embed {
                Embed::Figure { name, bytes, warning } => {
                    if !question.images.iter().any(|i| &i.name == name) {
                        question.images.push(Image { name: name.clone(), bytes: bytes.clone() });
                    }
                    if let Some(warning) = warning {
                        warnings.push(format!("Câu {}: {warning}", question.number));
                    }
                }
                Embed::Refused(reason) => question.problems.push(reason.clone()),
                Embed::Picture { .. } | Embed::Ole { .. } | Embed::BadMath(_) => {}
            }
        }
        for warning in warnings {
            self.note(line, warning);
        }
    }

    /// Ends the question being read, turning it into an item or an error.
    fn finish(&mut self) {
        let Some(question) = self.question.take() else { return };
        let (number, paragraph, preview) = (question.number, question.paragraph, question.preview.clone());
        if question.options.iter().chain(&question.statements).any(|o| o.pinned) {
            self.uses(Convention::Pins);
        }
        match build(self.file, question) {
            Ok(item) => self.report.import.items.push(item),
            Err(problems) => {
                for problem in problems {
                    self.report.import.errors.push(ImportError::in_paragraph(
                        self.file,
                        paragraph,
                        format!("Câu {number} «{preview}»: {problem}"),
                    ));
                }
            }
        }
    }

    /// The report once every line is read.
    pub(crate) fn end(mut self) -> WordReport {
        self.finish();
        self.report
    }
}

/// A question's item, or everything wrong with it.
fn build(file: &str, mut question: Question) -> Result<Item, Vec<String>> {
    let body = body(&question);
    let body = match body {
        Ok(body) => body,
        Err(problem) => {
            question.problems.push(problem);
            return Err(question.problems);
        }
    };
    if !question.problems.is_empty() {
        return Err(question.problems);
    }
    let stem = question.stem.join("\n");
    let mut item = Item::new(stem, body);
    item.format = TextFormat::Plain;
    item.images = std::mem::take(&mut question.images);
    item.meta.level = question.level;
    item.meta.topic = question.topic.clone();
    item.meta.source = Some(SourceRef { file: file.to_owned(), line: question.paragraph });
    if !question.explanation.is_empty() {
        item.general_feedback = Some(question.explanation.join("\n"));
    }
    item.validate().map_err(|error| vec![error.to_string()])?;
    Ok(item)
}

fn body(question: &Question) -> Result<Body, String> {
    if question.stem.iter().all(|s| s.trim().is_empty()) && question.images.is_empty() {
        return Err("câu hỏi không có nội dung / the question has no text".to_owned());
    }
    if !question.options.is_empty() {
        return choice(question);
    }
    if !question.statements.is_empty() {
        return cluster(question);
    }
    if !question.answers.is_empty() {
        return short_answer(question);
    }
    match question.part {
        Some(PartKind::Essay) => Ok(Body::Essay),
        Some(PartKind::ShortAnswer) => {
            Err("câu trả lời ngắn cần dòng «Đáp án: …» / a short-answer question needs an «Đáp án: …» line".to_owned())
        }
        Some(PartKind::TrueFalse) => {
            Err("câu đúng sai cần các ý a), b), c), d) / a true/false question needs statements a), b), c), d)"
                .to_owned())
        }
        _ => Err("không có phương án, ý đúng sai hay đáp án nào / no options, statements or answer key found \
                  (a question without a key belongs under a «TỰ LUẬN» part)"
            .to_owned()),
    }
}

fn choice(question: &Question) -> Result<Body, String> {
    if question.options.len() < 2 {
        return Err("cần ít nhất 2 phương án / at least 2 options are needed".to_owned());
    }
    if question.part == Some(PartKind::TrueFalse) {
        return Err("phần đúng sai cần các ý a), b), … chứ không phải phương án A., B. / \
                    a true/false part needs statements a), b), …, not options A., B."
            .to_owned());
    }
    let mut correct: Vec<usize> =
        question.options.iter().enumerate().filter(|(_, o)| o.correct).map(|(i, _)| i).collect();
    if correct.is_empty()
        && let [letter] = question.answers.as_slice()
        && let Some(index) = letter_index(letter)
    {
        correct.push(index);
    }
    if let Some(missing) = correct.iter().find(|i| **i >= question.options.len()) {
        return Err(format!("đáp án chỉ tới phương án không có ({missing}) / the key names a missing option"));
    }
    let texts: Vec<String> = question.options.iter().map(|o| text(&o.text)).collect();
    if let Some(empty) = texts.iter().position(String::is_empty) {
        let letter = question.options[empty].letter;
        return Err(format!("phương án {letter} trống / option {letter} is empty"));
    }
    let options = |fractions: Vec<Fraction>| -> Vec<Choice> {
        texts
            .iter()
            .zip(&question.options)
            .zip(fractions)
            .map(|((text, option), fraction)| Choice {
                text: text.clone(),
                fraction,
                pinned: option.pinned,
                feedback: None,
            })
            .collect()
    };
    match correct.len() {
        0 => Err("không có phương án nào được đánh dấu đúng / no option marked correct".to_owned()),
        1 => {
            let fractions =
                (0..texts.len()).map(|i| if correct[0] == i { Fraction::ONE } else { Fraction::ZERO }).collect();
            Ok(Body::SingleChoice { options: options(fractions) })
        }
        _ if question.part == Some(PartKind::SingleChoice) => {
            let letters: String = correct.iter().map(|i| question.options[*i].letter).collect();
            Err(format!(
                "có nhiều phương án được đánh dấu đúng ({letters}) trong phần một lựa chọn / \
                 several options marked correct ({letters}) in a single-choice part"
            ))
        }
        _ => Ok(Body::MultipleResponse { options: options(multiple_response_fractions(texts.len(), &correct)) }),
    }
}

fn letter_index(letter: &str) -> Option<usize> {
    let mut chars = letter.trim().chars();
    let c = chars.next()?.to_ascii_uppercase();
    (chars.next().is_none() && ('A'..='H').contains(&c)).then(|| usize::from(c as u8 - b'A'))
}

fn cluster(question: &Question) -> Result<Body, String> {
    let statements: Vec<Statement> =
        question.statements.iter().map(|s| Statement { text: text(&s.text), correct: s.correct }).collect();
    if let Some(empty) = statements.iter().position(|s| s.text.is_empty()) {
        let letter = question.statements[empty].letter;
        return Err(format!("ý {letter}) trống / statement {letter}) is empty"));
    }
    let table = if statements.len() == 4 {
        ClusterTable::graduation_exam()
    } else {
        ClusterTable::default_for(statements.len())
    };
    Ok(Body::TrueFalseCluster { statements, table })
}

fn short_answer(question: &Question) -> Result<Body, String> {
    let numbers: Option<Vec<_>> = question.answers.iter().map(|a| parse_decimal(a)).collect();
    let in_short_part = question.part == Some(PartKind::ShortAnswer);
    match numbers {
        Some(values) => {
            let fits = question.answers.iter().all(|a| fits_four_char(a));
            if in_short_part && !fits {
                let bad = question.answers.iter().find(|a| !fits_four_char(a)).cloned().unwrap_or_default();
                return Err(format!(
                    "đáp án \"{bad}\" không viết được bằng 4 ký tự (-, chữ số, dấu phẩy) của phần trả lời ngắn / \
                     the key \"{bad}\" does not fit the short-answer part's 4 characters (-, digits, comma)"
                ));
            }
            let answers = values
                .into_iter()
                .map(|value| NumericAnswer {
                    value: NumericValue::Exact { value, tolerance: rust_decimal::Decimal::ZERO },
                    fraction: Fraction::ONE,
                })
                .collect();
            Ok(Body::Numeric { answers, four_char_rule: fits })
        }
        None if in_short_part && question.answers.iter().any(|a| !fits_four_char(a)) => Err(format!(
            "đáp án \"{0}\" không phải số 4 ký tự của phần trả lời ngắn / \
             the key \"{0}\" is not a 4-character number as the short-answer part needs",
            question.answers[0]
        )),
        None => Ok(Body::ShortText {
            answers: question.answers.iter().map(|a| TextAnswer { text: a.clone(), fraction: Fraction::ONE }).collect(),
            case_sensitive: false,
        }),
    }
}
