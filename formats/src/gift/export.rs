//! The GIFT exporter: writes items so that [`super::import`] reads them back unchanged, and so
//! that Moodle reads them as the same questions. What GIFT cannot hold is reported in
//! [`ExportReport::skipped`], never dropped silently.

use super::directives::{ScoringRule, option_letter};
use super::escape::{escape, escape_question_text};
use super::topic_of_category;
use crate::{ExportReport, Skipped};
use phongthi_items::{
    Body, Choice, Fraction, Item, MatchScoring, MilliPoints, NumericAnswer, NumericValue, TextFormat,
};

/// Writes `items` as GIFT: a `$CATEGORY:` line whenever the category changes, the project's
/// comment conventions (`// level:`, `// points:`, `// pin:`, ...) above each question, then
/// the question with GIFT's escapes. Numbers and credits are written as exact decimals.
pub fn export(items: &[Item]) -> ExportReport {
    let mut report = ExportReport::default();
    let mut current_category: Option<&str> = None;
    for (index, item) in items.iter().enumerate() {
        if let Some(reason) = why_not_expressible(item).or_else(|| crate::moodle_grades::check_body(&item.body).err()) {
            report.skipped.push(Skipped { index, reason });
            continue;
        }
        let out = &mut report.text;
        let category = item.meta.category.as_deref().map(str::trim).filter(|category| !category.is_empty());
        if category != current_category {
            separate_block(out);
            // An empty path ends the previous category for an item that has none.
            match category {
                Some(category) => out.push_str(&format!("$CATEGORY: {category}\n")),
                None => out.push_str("$CATEGORY:\n"),
            }
            current_category = category;
        }
        separate_block(out);
        write_conventions(out, item, category);
        write_question(out, item);
    }
    report
}

/// A blank line between blocks.
fn separate_block(out: &mut String) {
    if !out.is_empty() {
        out.push('\n');
    }
}

/// Why GIFT cannot carry `item`, bilingual, or `None` when it can.
fn why_not_expressible(item: &Item) -> Option<String> {
    if let Err(error) = item.validate() {
        return Some(error.to_string());
    }
    if !item.images.is_empty() {
        return Some(format!(
            "GIFT không mang được tệp hình ảnh (câu có {n} ảnh) / GIFT cannot carry image files (the item has {n})",
            n = item.images.len()
        ));
    }
    if item.meta.points.is_some_and(|points| points < MilliPoints::ZERO) {
        return Some(
            "số điểm âm không ghi được bằng // points / negative points cannot be written as // points".to_owned(),
        );
    }
    let has_line_break = |text: &Option<String>| text.as_deref().is_some_and(|text| text.contains(['\n', '\r']));
    if has_line_break(&item.meta.category) || has_line_break(&item.meta.topic) || has_line_break(&item.group) {
        return Some(
            "danh mục, chủ đề hoặc nhóm có xuống dòng, GIFT ghi chúng trên một dòng / the category, topic or group contains a line break, which GIFT writes on one line"
                .to_owned(),
        );
    }
    match &item.body {
        Body::TrueFalseCluster { .. } => {
            Some("GIFT không có dạng câu đúng/sai chùm / GIFT has no true/false cluster question".to_owned())
        }
        Body::Description if item.general_feedback.is_some() || item.stem_tail.is_some() => Some(
            "câu mô tả trong GIFT không có phản hồi chung hay phần sau chỗ trống / a GIFT description cannot have general feedback or text after a blank"
                .to_owned(),
        ),
        Body::ShortText { answers, .. } if answers.iter().any(|answer| answer.text.contains("->")) => Some(
            "đáp án chứa \"->\", GIFT sẽ đọc thành câu ghép đôi / an accepted answer contains \"->\", which GIFT reads as a matching question"
                .to_owned(),
        ),
        Body::Matching { pairs, distractors, .. }
            if pairs.iter().any(|pair| pair.prompt.contains("->"))
                || distractors.iter().any(|distractor| distractor.trim().is_empty()) =>
        {
            Some(
                "vế trái của cặp ghép chứa \"->\" hoặc có phương án nhiễu để trống / a matching prompt contains \"->\" or an extra answer is empty"
                    .to_owned(),
            )
        }
        Body::SingleChoice { options } | Body::MultipleResponse { options }
            if options.iter().skip(26).any(|option| option.pinned) =>
        {
            Some(
                "phương án cố định sau chữ Z không ghi được bằng // pin / a pinned option after letter Z cannot be written with // pin"
                    .to_owned(),
            )
        }
        _ => None,
    }
}

/// The comment lines above a question for what GIFT cannot say.
fn write_conventions(out: &mut String, item: &Item, category: Option<&str>) {
    let meta = &item.meta;
    // Moodle's own way to carry an idnumber and tags: `// [id:x] [tag:a] [tag:b]`.
    let bracket = |value: &str| value.replace('\\', "\\\\").replace(']', "\\]");
    let fits = |value: &&String| !value.trim().is_empty() && !value.contains(['\n', '\r']);
    let ids = meta.idnumber.iter().filter(fits).map(|id| format!("[id:{}]", bracket(id)));
    let tags = meta.tags.iter().filter(fits).map(|tag| format!("[tag:{}]", bracket(tag)));
    let brackets: Vec<String> = ids.chain(tags).collect();
    if !brackets.is_empty() {
        out.push_str(&format!("// {}\n", brackets.join(" ")));
    }
    let mut line = |key: &str, value: &str| out.push_str(&format!("// {key}: {value}\n"));
    let implied_topic = category.and_then(topic_of_category);
    if meta.topic.as_deref() != implied_topic {
        line("topic", meta.topic.as_deref().unwrap_or(""));
    }
    if let Some(level) = meta.level {
        line("level", level.vietnamese());
    }
    if let Some(points) = meta.points {
        line("points", &points.to_string());
    }
    if let Body::SingleChoice { options } | Body::MultipleResponse { options } = &item.body {
        let pinned: Vec<String> = options
            .iter()
            .enumerate()
            .filter(|(_, option)| option.pinned)
            .map(|(index, _)| option_letter(index).to_string())
            .collect();
        if !pinned.is_empty() {
            line("pin", &pinned.join(", "));
        }
    }
    let rule = match &item.body {
        Body::Numeric { four_char_rule: true, .. } => Some(ScoringRule::FourChar),
        Body::ShortText { case_sensitive: true, .. } => Some(ScoringRule::CaseSensitive),
        Body::Matching { scoring: MatchScoring::AllOrNothing, .. } => Some(ScoringRule::AllOrNothing),
        _ => None,
    };
    if let Some(rule) = rule {
        line("scoring", rule.name());
    }
    if let Some(group) = &item.group {
        line("group", group);
    }
}

/// `::name:: [format]text {answers} tail`.
fn write_question(out: &mut String, item: &Item) {
    let mut head = String::new();
    if let Some(name) = item.name.as_deref().filter(|name| !name.is_empty()) {
        head.push_str(&format!("::{}:: ", escape(name)));
    }
    // A text starting with `[` would be read as a tag, and a first line starting with `//` as a
    // comment: an explicit tag in front keeps both as text.
    let needs_tag = item.format != TextFormat::default()
        || item.stem.starts_with('[')
        || (head.is_empty() && item.stem.starts_with("//"));
    if needs_tag {
        head.push_str(&format!("[{}]", item.format.name()));
    }
    head.push_str(&escape_question_text(&item.stem));

    let general_feedback = item.general_feedback.as_deref().map(|feedback| format!("####{}", escape_rich(feedback)));
    let tail = item.stem_tail.as_deref().map(|tail| format!(" {}", escape_question_text(tail))).unwrap_or_default();
    let answer_lines = match answer_lines(&item.body, &item.answer_feedback) {
        Answers::None => {
            out.push_str(&head);
            out.push('\n');
            return;
        }
        Answers::Inline(inline) => {
            let block = format!("{{{inline}{}}}", general_feedback.unwrap_or_default());
            out.push_str(&join_with_space(&head, &block));
            out.push_str(&tail);
            out.push('\n');
            return;
        }
        Answers::Lines(lines) => lines,
    };
    out.push_str(&join_with_space(&head, "{"));
    out.push('\n');
    for line in answer_lines.iter().chain(&general_feedback) {
        out.push_str("  ");
        out.push_str(line);
        out.push('\n');
    }
    out.push('}');
    out.push_str(&tail);
    out.push('\n');
}

fn join_with_space(head: &str, rest: &str) -> String {
    if head.is_empty() { rest.to_owned() } else { format!("{head} {rest}") }
}

/// How an answer block is laid out.
enum Answers {
    /// No block (a description).
    None,
    /// On the question's line: `{T}`, `{#6}`, `{}`, `{=Hà Nội}`.
    Inline(String),
    /// One answer per line.
    Lines(Vec<String>),
}

/// ` #feedback` for the answer at `index` of [`Item::answer_feedback`], or nothing.
fn feedback_suffix(feedback: &[Option<String>], index: usize) -> String {
    feedback.get(index).cloned().flatten().map(|text| format!("#{}", escape_rich(&text))).unwrap_or_default()
}

/// An option, prompt or feedback text with GIFT's escapes; one that starts with `[` gets a format
/// marker in front, so a bracket of its own is not read back as Moodle's `[html]`-style marker.
fn escape_rich(text: &str) -> String {
    if text.trim_start().starts_with('[') { format!("[moodle]{}", escape(text)) } else { escape(text) }
}

fn answer_lines(body: &Body, feedback: &[Option<String>]) -> Answers {
    match body {
        Body::Description | Body::TrueFalseCluster { .. } => Answers::None,
        Body::Essay => Answers::Inline(String::new()),
        Body::TrueFalse { answer } => {
            let mut inline = if *answer { "T" } else { "F" }.to_owned();
            // Moodle's order: `#if wrong#if right`; ours is [if answered true, if answered false].
            let (wrong, right) = if *answer { (1, 0) } else { (0, 1) };
            if feedback.iter().any(Option::is_some) {
                let text = |index: usize| feedback.get(index).cloned().flatten().map(|t| escape_rich(&t));
                inline.push('#');
                inline.push_str(&text(wrong).unwrap_or_default());
                if let Some(right) = text(right) {
                    inline.push('#');
                    inline.push_str(&right);
                }
            }
            Answers::Inline(inline)
        }
        Body::SingleChoice { options } => Answers::Lines(
            options
                .iter()
                .map(|option| choice_line(option, if option.fraction.is_full() { '=' } else { '~' }))
                .collect(),
        ),
        Body::MultipleResponse { options } => {
            Answers::Lines(options.iter().map(|option| choice_line(option, '~')).collect())
        }
        Body::ShortText { answers, .. } => {
            let lines: Vec<String> = answers
                .iter()
                .enumerate()
                .map(|(index, answer)| {
                    marked('=', answer.fraction, &escape(&answer.text)) + &feedback_suffix(feedback, index)
                })
                .collect();
            inline_if_single(lines)
        }
        Body::Numeric { answers, .. } => match answers.as_slice() {
            [only] if only.fraction.is_full() => {
                Answers::Inline(format!("#{}{}", numeric_value(&only.value), feedback_suffix(feedback, 0)))
            }
            _ => {
                let mut lines = vec!["#".to_owned()];
                lines.extend(
                    answers
                        .iter()
                        .enumerate()
                        .map(|(index, answer)| numeric_line(answer) + &feedback_suffix(feedback, index)),
                );
                Answers::Lines(lines)
            }
        },
        Body::Matching { pairs, distractors, .. } => Answers::Lines(
            pairs
                .iter()
                .map(|pair| format!("={} -> {}", escape_rich(&pair.prompt), escape(&pair.answer)))
                .chain(distractors.iter().map(|distractor| format!("= -> {}", escape(distractor))))
                .collect(),
        ),
    }
}

fn inline_if_single(mut lines: Vec<String>) -> Answers {
    match lines.len() {
        1 => Answers::Inline(lines.remove(0)),
        _ => Answers::Lines(lines),
    }
}

/// `=text`, `~text` or `~%50%text #feedback`.
fn choice_line(option: &Choice, marker: char) -> String {
    let mut line = marked(marker, option.fraction, &escape_rich(&option.text));
    if let Some(feedback) = &option.feedback {
        line.push_str(" #");
        line.push_str(&escape_rich(feedback));
    }
    line
}

/// The marker, the credit when the marker does not imply it (`=` is 100 %, `~` is 0), and the
/// text. A text that itself starts with `%` gets an explicit credit so it is not read as one.
fn marked(marker: char, fraction: Fraction, text: &str) -> String {
    let implied = if marker == '=' { Fraction::ONE } else { Fraction::ZERO };
    if fraction == implied && !text.starts_with('%') {
        format!("{marker}{text}")
    } else {
        format!("{marker}%{fraction}%{text}")
    }
}

/// `=%50%9.8:0.1`; the catch-all is Moodle's `~` with no number.
fn numeric_line(answer: &NumericAnswer) -> String {
    match answer.value {
        NumericValue::Any => "~".to_owned(),
        _ => marked('=', answer.fraction, &numeric_value(&answer.value)),
    }
}

/// `6`, `9.8:0.1` or `3.141..3.142`, from the exact decimals.
fn numeric_value(value: &NumericValue) -> String {
    match value {
        NumericValue::Exact { value, tolerance } if tolerance.is_zero() => value.to_string(),
        NumericValue::Exact { value, tolerance } => format!("{value}:{tolerance}"),
        NumericValue::Range { min, max } => format!("{min}..{max}"),
        NumericValue::Any => String::new(),
    }
}
