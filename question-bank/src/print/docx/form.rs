//! One mã đề as a Word document, laid out like the PDF booklet: the header as a borderless
//! two-column table (Sở and Trường left with "(Đề có n trang)", kỳ thi, môn and thời gian
//! right), the candidate's dotted lines beside the boxed "Mã đề 101", each part's heading and
//! instruction, "Câu N." in the form's order with its options in 4, 2 or 1 columns, true/false
//! statements a)–d), matching prompts, "------ HẾT ------", and "Trang i/n - Mã đề 101" in
//! the footer from Word's own page fields.
//!
//! Nothing of the key goes in: options are written in the form's order with the same look
//! whatever their credit, and no feedback, answer or explanation is read.

use super::super::wording;
use super::super::{Header, PrintError};
use super::body::{Body, CELL_MARGINS, Look, Para, TEXT_WIDTH};
use super::markup::{Piece, paragraphs};
use super::runs::footer;
use crate::exam::Exam;
use crate::forms::{Form, FormQuestion, letter};
use phongthi_items::{Body as ItemBody, Image, Item, TextFormat};

/// The header's left column (Sở, Trường), in twips; the right one takes the rest.
pub(super) const HEADER_LEFT: u32 = 3_800;
/// How far options and statements are indented from the margin.
const OPTION_INDENT: u32 = 284;
/// Where an option's or statement's text starts in one-column layout (after "A.").
const HANGING_TEXT: u32 = 680;
/// An average character at 12 pt, in twips: between Times New Roman's (about 108) and the
/// wider Noto Serif LibreOffice substitutes where Times is missing (about 125), so an option
/// counted as fitting a column fits in both.
const CHARACTER_WIDTH: u32 = 115;
/// Room for "A. " before an option's text, in twips.
const LABEL_WIDTH: u32 = 3 * CHARACTER_WIDTH;

/// The `.docx` of `form` of `exam`.
pub fn form_docx(exam: &Exam, form: &Form, header: &Header) -> Result<Vec<u8>, PrintError> {
    check_pictures(exam, form)?;
    let mut body = Body::new();
    let code = form.code.to_string();
    header_block(&mut body, header, &code);
    let mut part = None;
    for (index, question) in form.questions.iter().enumerate() {
        let Some(item) = exam.items().get(&question.item) else { continue };
        if part != Some(question.part) {
            part = Some(question.part);
            let last = form.questions.iter().rposition(|q| q.part == question.part).unwrap_or(index);
            let name = exam.parts().get(question.part).map_or("", |p| p.name.as_str());
            let heading = Para { style: Some("PartHeading"), keep_next: true, ..Para::default() };
            body.line(&heading, &name.to_uppercase(), Look::BOLD);
            let instructions = wording::instructions(item.kind(), index + 1, last + 1);
            body.line(
                &Para { keep_next: true, align: Some("both"), ..Para::default() },
                &instructions,
                Look::default(),
            );
        }
        question_block(&mut body, index + 1, item, question);
    }
    let end = Para { before: Some(240), align: Some("center"), ..Para::default() };
    body.line(&end, wording::END, Look::BOLD);
    let (document, package) = body.finish()?;
    let footer = footer(wording::PAGE, &wording::footer_suffix(&wording::form_label(&code)))?;
    package.finish(&format!("{} - {}", header.exam_name, wording::form_label(&code)), document, footer)
}

/// Every picture of the form's items is a PNG or JPEG the PDF writer reads too, or the print
/// stops naming the question and the file, as `form_pdf` does: a paper never silently lacks a
/// figure, and a file that prints in one format prints in the other.
fn check_pictures(exam: &Exam, form: &Form) -> Result<(), PrintError> {
    for (index, question) in form.questions.iter().enumerate() {
        let Some(item) = exam.items().get(&question.item) else { continue };
        for image in &item.images {
            phongthi_pdf::Picture::decode(&image.name, &image.bytes)
                .map_err(|error| PrintError::Figure { question: index + 1, error })?;
        }
    }
    Ok(())
}

/// The header table, then the candidate's lines with the boxed form code at the right margin.
fn header_block(body: &mut Body, header: &Header, code: &str) {
    let left = HEADER_LEFT;
    let right = TEXT_WIDTH - left;
    let centred = Para { align: Some("center"), ..Para::default() };
    body.table(&[left, right], 0, false);
    body.row(false);
    body.cell(left);
    body.line(&centred, &header.department, Look::default());
    body.line(&centred, &header.school, Look::BOLD);
    // The short rule under the school's name, as on printed papers.
    let rule = (left - CELL_MARGINS - 1_400) / 2;
    let rule_line = Para { rule_above: true, indent: Some((rule, 0)), right: Some(rule), ..centred };
    body.line(&rule_line, "", Look { size: Some(8), ..Look::default() });
    body.open(&centred);
    body.run(wording::PAGE_COUNT.0, Look::ITALIC);
    body.field("NUMPAGES", "1", Look::ITALIC);
    body.run(wording::PAGE_COUNT.1, Look::ITALIC);
    body.close();
    body.end_cell();
    body.cell(right);
    body.line(&centred, &header.exam_name, Look::BOLD);
    body.line(&centred, &header.subject, Look::BOLD);
    // 11 pt: the usual wording fits the column on one line.
    body.line(&centred, &wording::working_time(header.minutes), Look { size: Some(22), ..Look::ITALIC });
    body.end_cell();
    body.end_row();
    body.end_table();

    const NAME_TABS: &[(&str, u32, Option<&str>)] = &[("left", 6_600, Some("dot")), ("right", TEXT_WIDTH, None)];
    body.open(&Para { tabs: NAME_TABS, before: Some(200), ..Para::default() });
    body.run(&format!("{} ", wording::CANDIDATE_NAME), Look::default());
    body.tab();
    body.tab();
    let boxed = Look { bold: true, boxed: true, size: Some(26), ..Look::default() };
    body.run(&format!(" {} ", wording::form_label(code)), boxed);
    body.close();
    const NUMBER_TABS: &[(&str, u32, Option<&str>)] = &[("left", 4_600, Some("dot"))];
    body.open(&Para { tabs: NUMBER_TABS, before: Some(120), after: Some(120), ..Para::default() });
    body.run(&format!("{} ", wording::CANDIDATE_NUMBER), Look::default());
    body.tab();
    body.close();
}

/// One question: "Câu N." and the stem, pictures the stem does not place, then its options,
/// statements or prompts.
fn question_block(body: &mut Body, number: usize, item: &Item, question: &FormQuestion) {
    let mut stem = item.stem.clone();
    if let Some(tail) = &item.stem_tail {
        stem = format!("{stem} ________ {tail}");
    }
    let follows = !matches!(
        item.body,
        ItemBody::TrueFalse { .. } | ItemBody::ShortText { .. } | ItemBody::Numeric { .. } | ItemBody::Description
    );
    let label = wording::question_label(number);
    let question_para = Para { style: Some("Question"), ..Para::default() };
    body.rich(&question_para, Some((&label, " ")), &stem, item.format, &item.images, TEXT_WIDTH, follows);
    // Pictures no text of the question places go under the stem, centred. Placed means named
    // by an <img> as the markup reader decodes it (`tam%20giac.png` is `tam giac.png`).
    let placed: Vec<String> = shown_texts(item)
        .into_iter()
        .flat_map(|text| paragraphs(text, item.format).into_iter().flatten())
        .filter_map(|piece| match piece {
            Piece::Picture(name) => Some(name),
            _ => None,
        })
        .collect();
    let loose: Vec<&Image> = item.images.iter().filter(|image| !placed.contains(&image.name)).collect();
    for (index, image) in loose.iter().enumerate() {
        let keep_next = follows || index + 1 < loose.len();
        body.open(&Para { keep_next, align: Some("center"), before: Some(60), ..Para::default() });
        body.picture(&image.name, &item.images, TEXT_WIDTH);
        body.close();
    }
    match &item.body {
        ItemBody::SingleChoice { options } | ItemBody::MultipleResponse { options } => {
            let texts: Vec<&str> = question
                .option_order
                .iter()
                .filter_map(|&i| options.get(usize::from(i)))
                .map(|o| o.text.as_str())
                .collect();
            choices(body, &texts, item.format, &item.images);
        }
        ItemBody::TrueFalseCluster { statements, .. } => {
            let count = statements.len();
            for (index, statement) in statements.iter().enumerate() {
                let label = format!("{})", letter(index).to_ascii_lowercase());
                hanging(body, &label, &statement.text, item, index + 1 < count);
            }
        }
        ItemBody::Matching { pairs, distractors, .. } => {
            for (index, pair) in pairs.iter().enumerate() {
                hanging(body, &format!("{})", index + 1), &pair.prompt, item, true);
            }
            let answers: Vec<&str> =
                pairs.iter().map(|p| p.answer.as_str()).chain(distractors.iter().map(String::as_str)).collect();
            let texts: Vec<&str> =
                question.option_order.iter().filter_map(|&i| answers.get(usize::from(i)).copied()).collect();
            choices(body, &texts, item.format, &item.images);
        }
        ItemBody::Essay => body.line(&Para::default(), "", Look::default()),
        _ => {}
    }
}

/// Every text of `item` a form shows (never feedback or answers that are not options).
fn shown_texts(item: &Item) -> Vec<&str> {
    let mut texts = vec![item.stem.as_str()];
    texts.extend(item.stem_tail.as_deref());
    match &item.body {
        ItemBody::SingleChoice { options } | ItemBody::MultipleResponse { options } => {
            texts.extend(options.iter().map(|o| o.text.as_str()));
        }
        ItemBody::TrueFalseCluster { statements, .. } => texts.extend(statements.iter().map(|s| s.text.as_str())),
        ItemBody::Matching { pairs, distractors, .. } => {
            texts.extend(pairs.iter().flat_map(|p| [p.prompt.as_str(), p.answer.as_str()]));
            texts.extend(distractors.iter().map(String::as_str));
        }
        _ => {}
    }
    texts
}

/// A label with its text in a hanging indent ("a) …", one-column options).
fn hanging(body: &mut Body, label: &str, text: &str, item: &Item, keep_next: bool) {
    let para = Para { indent: Some((HANGING_TEXT, HANGING_TEXT - OPTION_INDENT)), keep_next, ..Para::default() };
    body.rich(&para, Some((label, "\t")), text, item.format, &item.images, TEXT_WIDTH - HANGING_TEXT, keep_next);
}

/// How wide `pieces` print, in characters: words as typed, formulas by their plain reading,
/// pictures by their width.
fn width(pieces: &[Vec<Piece>], images: &[Image]) -> usize {
    let mut total = 0;
    for piece in pieces.iter().flatten() {
        total += match piece {
            Piece::Words(words, _) => words.chars().count(),
            Piece::Formula(source) => phongthi_ui::math::plain_text(&format!("${source}$")).chars().count(),
            Piece::Picture(name) => images
                .iter()
                .find(|image| &image.name == name)
                .and_then(|image| super::picture::pixels(&image.bytes))
                // 15 twips a pixel at 96 dpi, capped as the picture itself is.
                .map_or(10, |(w, _)| (w.saturating_mul(15).min(super::picture::MAX_WIDTH) / CHARACTER_WIDTH) as usize),
        };
    }
    // A second paragraph never fits a column line.
    if pieces.len() > 1 { usize::MAX } else { total }
}

/// Options A., B., … in the most columns (4, 2 or 1) in which every option fits one line, as
/// the PDF lays them out: a borderless table, or hanging paragraphs for one column.
fn choices(body: &mut Body, texts: &[&str], format: TextFormat, images: &[Image]) {
    if texts.is_empty() {
        return;
    }
    let widest = texts.iter().map(|text| width(&paragraphs(text, format), images)).max().unwrap_or(0);
    // The characters a cell of `n` columns holds after its margins and the label.
    let room = |n: u32| ((TEXT_WIDTH - OPTION_INDENT) / n - CELL_MARGINS - LABEL_WIDTH) / CHARACTER_WIDTH;
    let columns =
        [4_usize, 2].into_iter().find(|&n| n <= texts.len().max(2) && widest <= room(n as u32) as usize).unwrap_or(1);
    let label = |index: usize| format!("{}.", letter(index));
    if columns == 1 {
        let para = Para { indent: Some((HANGING_TEXT, HANGING_TEXT - OPTION_INDENT)), ..Para::default() };
        for (index, text) in texts.iter().enumerate() {
            let keep = index + 1 < texts.len();
            let para = Para { keep_next: keep, ..para };
            body.rich(&para, Some((&label(index), "\t")), text, format, images, TEXT_WIDTH - HANGING_TEXT, keep);
        }
        return;
    }
    let column = (TEXT_WIDTH - OPTION_INDENT) / columns as u32;
    let widths = vec![column; columns];
    body.table(&widths, OPTION_INDENT, false);
    let rows = texts.len().div_ceil(columns);
    for row in 0..rows {
        body.row(false);
        let keep = row + 1 < rows;
        for offset in 0..columns {
            body.cell(column);
            let index = row * columns + offset;
            match texts.get(index) {
                Some(text) => {
                    let para = Para { keep_next: keep, ..Para::default() };
                    body.rich(&para, Some((&label(index), " ")), text, format, images, column - CELL_MARGINS, keep);
                }
                None => body.line(&Para::default(), "", Look::default()),
            }
            body.end_cell();
        }
        body.end_row();
    }
    body.end_table();
}
