//! GIFT numerical answers after the `#`: `value`, `value:tolerance`, `min..max`, or several
//! `=` answers with `%n%` credit. Numbers are exact decimals and may use the Vietnamese decimal
//! comma (`{#9,8:0,1}`).

use super::answers::{feedback_of, read_weight, split_answers, split_feedback};
use super::escape::{Token, trim};
use super::parse::Problem;
use phongthi_items::{Body, Fraction, ItemError, NumericAnswer, NumericValue, parse_decimal};
use rust_decimal::Decimal;

/// Reads what follows the `#` at `hash_at`: the body and each answer's feedback.
///
/// `~` with no number (`~#Sai hoàn toàn`) is Moodle's "any other answer" (`*`) at 0 %, kept as
/// [`NumericValue::Any`] for its feedback.
pub(super) fn read(spec: &[Token], hash_at: usize) -> Result<(Body, Vec<Option<String>>), Problem> {
    let spec = trim(spec);
    let mut answers = Vec::new();
    let mut feedbacks = Vec::new();
    // Moodle reads `{#3:2~#Sai}`: an answer before the first marker is a plain `=` answer.
    let first_marker = spec.iter().position(|t| t.is('=') || t.is('~')).unwrap_or(spec.len());
    let mut parts: Vec<(char, usize, &[Token])> = Vec::new();
    if !trim(&spec[..first_marker]).is_empty() || first_marker == spec.len() {
        parts.push(('=', hash_at, &spec[..first_marker]));
    }
    if first_marker < spec.len() {
        parts.extend(split_answers(&spec[first_marker..])?.into_iter().map(|a| (a.marker.ch, a.marker.at, a.tokens)));
    }
    for (marker, marker_at, tokens) in parts {
        let (weight, rest) = read_weight(tokens)?;
        let (value, feedback) = split_feedback(rest);
        if marker == '~' {
            if trim(value).is_empty() && weight.unwrap_or(Fraction::ZERO) == Fraction::ZERO {
                answers.push(NumericAnswer { value: NumericValue::Any, fraction: Fraction::ZERO });
                feedbacks.push(feedback_of(feedback));
                continue;
            }
            return Err(Problem::new(
                marker_at,
                "trong câu số chỉ dùng ~ cho \"mọi câu trả lời khác\" không có điểm (~#phản hồi); mỗi đáp án số bắt đầu bằng = / \
                 in a numerical question ~ is only Moodle's uncredited \"any other answer\" (~#feedback); each numerical answer starts with =",
            ));
        }
        answers.push(NumericAnswer { value: read_value(value, marker_at)?, fraction: weight.unwrap_or(Fraction::ONE) });
        feedbacks.push(feedback_of(feedback));
    }
    if answers.is_empty() {
        return Err(Problem::new(hash_at, "thiếu giá trị số / a number is missing"));
    }
    Ok((Body::Numeric { answers, four_char_rule: false }, feedbacks))
}

/// `value`, `value:tolerance` or `min..max`.
fn read_value(tokens: &[Token], fallback_at: usize) -> Result<NumericValue, Problem> {
    let tokens = trim(tokens);
    let start_at = tokens.first().map_or(fallback_at, |t| t.at);
    if let Some(dots) = tokens.windows(2).position(|pair| pair[0].is('.') && pair[1].is('.')) {
        let min = number(&tokens[..dots], start_at)?;
        let max = number(&tokens[dots + 2..], tokens[dots].at)?;
        if min > max {
            return Err(Problem::new(start_at, format!("{} ({min}..{max})", ItemError::EmptyRange)));
        }
        return Ok(NumericValue::Range { min, max });
    }
    if let Some(colon) = tokens.iter().position(|t| t.is(':')) {
        let value = number(&tokens[..colon], start_at)?;
        let tolerance = number(&tokens[colon + 1..], tokens[colon].at)?;
        if tolerance < Decimal::ZERO {
            return Err(Problem::new(tokens[colon].at, ItemError::NegativeTolerance.to_string()));
        }
        return Ok(NumericValue::Exact { value, tolerance });
    }
    Ok(NumericValue::Exact { value: number(tokens, start_at)?, tolerance: Decimal::ZERO })
}

/// One exact decimal; `fallback_at` is where to point when there is nothing there.
fn number(tokens: &[Token], fallback_at: usize) -> Result<Decimal, Problem> {
    let tokens = trim(tokens);
    let text: String = tokens.iter().map(|t| t.ch).collect();
    let at = tokens.first().map_or(fallback_at, |t| t.at);
    if text.is_empty() {
        return Err(Problem::new(at, "thiếu giá trị số / a number is missing"));
    }
    parse_decimal(&text).ok_or_else(|| {
        Problem::new(
            at,
            format!(
                "số không hợp lệ \"{text}\" (ví dụ 9,8 hoặc 9.8) / not a valid number \"{text}\" (e.g. 9,8 or 9.8)"
            ),
        )
    })
}
