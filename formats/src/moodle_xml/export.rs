//! Items → Moodle XML that Moodle imports and that [`super::import`] reads back to the same items.

use super::category::Category;
use super::convention::{BLANK, Convention};
use crate::{ExportReport, Skipped};
use base64::Engine;
use phongthi_items::{Body, Choice, Fraction, Item, MatchScoring, NumericAnswer, NumericValue, TextFormat};
use quick_xml::escape::escape;
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// Writes `items` as one Moodle XML `<quiz>`. A category question is written whenever the
/// category changes; true/false clusters, which Moodle has no type for, are skipped with a reason.
pub fn export(items: &[Item]) -> ExportReport {
    let mut report = ExportReport::default();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n");
    let mut current_category: Option<String> = None;
    for (index, item) in items.iter().enumerate() {
        let mut question = String::new();
        if let Err(reason) =
            crate::moodle_grades::check_body(&item.body).and_then(|()| write_question(&mut question, item))
        {
            report.skipped.push(Skipped { index, reason });
            continue;
        }
        let category = Category::for_export(item.meta.category.as_deref(), item.meta.topic.as_deref());
        if category != current_category {
            write_category(&mut out, category.as_deref());
            current_category = category;
        }
        out.push_str(&question);
    }
    out.push_str("</quiz>\n");
    report.text = out;
    report
}

fn write_category(out: &mut String, path: Option<&str>) {
    out.push_str("  <question type=\"category\">\n    <category>\n      ");
    push_text(out, &Category::moodle_path(path));
    out.push_str("\n    </category>\n  </question>\n");
}

/// Writes one question, or says why it cannot be written.
fn write_question(out: &mut String, item: &Item) -> Result<(), String> {
    let kind = match &item.body {
        Body::SingleChoice { .. } | Body::MultipleResponse { .. } => "multichoice",
        Body::TrueFalse { .. } => "truefalse",
        Body::ShortText { .. } => "shortanswer",
        Body::Numeric { .. } => "numerical",
        Body::Matching { .. } => "matching",
        Body::Essay => "essay",
        Body::Description => "description",
        Body::TrueFalseCluster { .. } => {
            return Err("câu đúng/sai chùm không có loại tương ứng trong Moodle XML / \
                        a true/false cluster has no Moodle XML question type"
                .to_owned());
        }
    };
    let format = format_name(item.format);
    let _ = writeln!(out, "  <question type=\"{kind}\">");
    out.push_str("    <name>\n      ");
    push_text(out, item.name.as_deref().unwrap_or_default());
    out.push_str("\n    </name>\n");

    let _ = write!(out, "    <questiontext format=\"{format}\">\n      ");
    let mut conventions = Vec::new();
    match &item.stem_tail {
        None => push_text(out, &item.stem),
        Some(tail) => {
            push_text(out, &format!("{}{BLANK}{tail}", item.stem));
            conventions.push(Convention::BlankAt(item.stem.chars().count()));
        }
    }
    out.push('\n');
    for image in &item.images {
        let encoded = base64::engine::general_purpose::STANDARD.encode(&image.bytes);
        let _ = writeln!(
            out,
            "      <file name=\"{}\" path=\"/\" encoding=\"base64\">{encoded}</file>",
            escape(&image.name)
        );
    }
    out.push_str("    </questiontext>\n");

    if let Some(feedback) = &item.general_feedback {
        let _ = write!(out, "    <generalfeedback format=\"{format}\">\n      ");
        push_text(out, feedback);
        out.push_str("\n    </generalfeedback>\n");
    }
    if let Some(points) = item.meta.points {
        let _ = writeln!(out, "    <defaultgrade>{points}</defaultgrade>");
    }
    if let Some(idnumber) = &item.meta.idnumber {
        let _ = writeln!(out, "    <idnumber>{}</idnumber>", escape(idnumber));
    }
    write_body(out, item, format, &mut conventions)?;

    if let Some(level) = item.meta.level {
        conventions.push(Convention::Level(level));
    }
    if let Some(group) = &item.group {
        conventions.push(Convention::Group(group.clone()));
    }
    let tags: Vec<String> = item
        .meta
        .tags
        .iter()
        .cloned()
        .chain(conventions.iter().map(Convention::tag))
        .filter(|t| !t.is_empty())
        .collect();
    if !tags.is_empty() {
        out.push_str("    <tags>\n");
        for tag in tags {
            out.push_str("      <tag>");
            push_text(out, &tag);
            out.push_str("</tag>\n");
        }
        out.push_str("    </tags>\n");
    }
    out.push_str("  </question>\n");
    Ok(())
}

fn write_body(out: &mut String, item: &Item, format: &str, conventions: &mut Vec<Convention>) -> Result<(), String> {
    match &item.body {
        Body::SingleChoice { options } | Body::MultipleResponse { options } => {
            let single = matches!(item.body, Body::SingleChoice { .. });
            let _ = writeln!(out, "    <single>{single}</single>");
            out.push_str("    <shuffleanswers>true</shuffleanswers>\n    <answernumbering>ABCD</answernumbering>\n");
            for (index, option) in options.iter().enumerate() {
                write_choice(out, option, format);
                if option.pinned {
                    conventions.push(Convention::Pin(index));
                }
            }
        }
        Body::TrueFalse { answer } => {
            for (index, (value, correct)) in [("true", *answer), ("false", !*answer)].into_iter().enumerate() {
                let fraction = if correct { Fraction::ONE } else { Fraction::ZERO };
                let _ = write!(out, "    <answer fraction=\"{fraction}\" format=\"moodle_auto_format\">\n      ");
                push_text(out, value);
                out.push('\n');
                write_feedback(out, answer_feedback(item, index), format);
                out.push_str("    </answer>\n");
            }
        }
        Body::ShortText { answers, case_sensitive } => {
            let _ = writeln!(out, "    <usecase>{}</usecase>", u8::from(*case_sensitive));
            for (index, answer) in answers.iter().enumerate() {
                let _ =
                    write!(out, "    <answer fraction=\"{}\" format=\"moodle_auto_format\">\n      ", answer.fraction);
                push_text(out, &answer.text);
                out.push('\n');
                write_feedback(out, answer_feedback(item, index), format);
                out.push_str("    </answer>\n");
            }
        }
        Body::Numeric { answers, four_char_rule } => {
            for (index, answer) in answers.iter().enumerate() {
                write_numeric_answer(out, answer, answer_feedback(item, index), format)?;
            }
            out.push_str("    <units>\n    </units>\n    <unitgradingtype>0</unitgradingtype>\n");
            out.push_str("    <unitpenalty>0.1000000</unitpenalty>\n    <showunits>3</showunits>\n");
            out.push_str("    <unitsleft>0</unitsleft>\n");
            if *four_char_rule {
                conventions.push(Convention::FourCharRule);
            }
        }
        Body::Matching { pairs, distractors, scoring } => {
            out.push_str("    <shuffleanswers>true</shuffleanswers>\n");
            let subquestions = pairs
                .iter()
                .map(|p| (p.prompt.as_str(), p.answer.as_str()))
                .chain(distractors.iter().map(|d| ("", d.as_str())));
            for (prompt, answer) in subquestions {
                let _ = write!(out, "    <subquestion format=\"{format}\">\n      ");
                push_text(out, prompt);
                out.push_str("\n      <answer>\n        ");
                push_text(out, answer);
                out.push_str("\n      </answer>\n    </subquestion>\n");
            }
            if *scoring == MatchScoring::AllOrNothing {
                conventions.push(Convention::AllOrNothing);
            }
        }
        Body::Essay => {
            out.push_str("    <responseformat>editor</responseformat>\n    <responserequired>1</responserequired>\n");
            out.push_str("    <responsefieldlines>15</responsefieldlines>\n    <attachments>0</attachments>\n");
            out.push_str("    <attachmentsrequired>0</attachmentsrequired>\n");
        }
        Body::Description | Body::TrueFalseCluster { .. } => {}
    }
    Ok(())
}

fn write_choice(out: &mut String, option: &Choice, format: &str) {
    let _ = write!(out, "    <answer fraction=\"{}\" format=\"{format}\">\n      ", option.fraction);
    push_text(out, &option.text);
    out.push('\n');
    write_feedback(out, option.feedback.as_deref(), format);
    out.push_str("    </answer>\n");
}

/// The item's feedback for its answer at `index` ([`Item::answer_feedback`]).
fn answer_feedback(item: &Item, index: usize) -> Option<&str> {
    item.answer_feedback.get(index).and_then(Option::as_deref)
}

/// `<feedback>` inside an `<answer>`, when there is any.
fn write_feedback(out: &mut String, feedback: Option<&str>, format: &str) {
    if let Some(feedback) = feedback {
        let _ = write!(out, "      <feedback format=\"{format}\">\n        ");
        push_text(out, feedback);
        out.push_str("\n      </feedback>\n");
    }
}

/// Moodle only knows `value ± tolerance`; a range becomes its midpoint ± half its width, which
/// accepts exactly the same numbers (and reads back as that value and tolerance).
fn write_numeric_answer(
    out: &mut String,
    answer: &NumericAnswer,
    feedback: Option<&str>,
    format: &str,
) -> Result<(), String> {
    let (value, tolerance) = match answer.value {
        NumericValue::Exact { value, tolerance } => (value.to_string(), tolerance),
        NumericValue::Any => ("*".to_owned(), Decimal::ZERO),
        NumericValue::Range { min, max } => {
            let two = Decimal::from(2);
            let midpoint = min.checked_add(max).and_then(|sum| sum.checked_div(two));
            let half_width = max.checked_sub(min).and_then(|width| width.checked_div(two));
            match (midpoint, half_width) {
                (Some(midpoint), Some(half_width)) => (midpoint.to_string(), half_width),
                _ => {
                    return Err(format!(
                        "khoảng {min}..{max} quá lớn để ghi thành giá trị ± sai số / \
                         the range {min}..{max} is too large to write as value ± tolerance"
                    ));
                }
            }
        }
    };
    let _ = write!(out, "    <answer fraction=\"{}\" format=\"moodle_auto_format\">\n      ", answer.fraction);
    push_text(out, &value);
    let _ = writeln!(out, "\n      <tolerance>{tolerance}</tolerance>");
    write_feedback(out, feedback, format);
    out.push_str("    </answer>\n");
    Ok(())
}

/// The `format` attribute Moodle writes.
fn format_name(format: TextFormat) -> &'static str {
    match format {
        TextFormat::Moodle => "moodle_auto_format",
        TextFormat::Html => "html",
        TextFormat::Plain => "plain_text",
        TextFormat::Markdown => "markdown",
    }
}

/// `<text>` with the content as CDATA, as Moodle writes it; a `]]>` inside the content is split
/// across two CDATA sections, the only way to carry it.
fn push_text(out: &mut String, text: &str) {
    out.push_str("<text>");
    if !text.is_empty() {
        out.push_str("<![CDATA[");
        out.push_str(&text.replace("]]>", "]]]]><![CDATA[>"));
        out.push_str("]]>");
    }
    out.push_str("</text>");
}
