//! GIFT numerical answers after the `#`: `value`, `value:tolerance`, `min..max`, or several
//! `=` answers with `%n%` credit. Numbers are exact decimals and may use the Vietnamese decimal
//! comma (`{#9,8:0,1}`).

use super::answers::{read_weight, refuse_feedback, split_answers, split_feedback};
use super::escape::{Token, trim};
use super::parse::Problem;
use phongthi_items::{Body, Fraction, ItemError, NumericAnswer, NumericValue, parse_decimal};
use rust_decimal::Decimal;

/// Reads what follows the `#` at `hash_at`.
pub(super) fn read(spec: &[Token], hash_at: usize) -> Result<Body, Problem> {
    let spec = trim(spec);
    let mut answers = Vec::new();
    if spec.iter().any(|t| t.is('=')) {
        for answer in split_answers(spec)? {
            if answer.marker.ch != '=' {
                return Err(Problem::new(
                    answer.marker.at,
                    "mỗi đáp án số bắt đầu bằng = / each numerical answer starts with =",
                ));
            }
            let (weight, rest) = read_weight(answer.tokens)?;
            answers.push(NumericAnswer {
                value: value_without_feedback(rest, answer.marker.at)?,
                fraction: weight.unwrap_or(Fraction::ONE),
            });
        }
    } else {
        answers.push(NumericAnswer { value: value_without_feedback(spec, hash_at)?, fraction: Fraction::ONE });
    }
    Ok(Body::Numeric { answers, four_char_rule: false })
}

fn value_without_feedback(tokens: &[Token], fallback_at: usize) -> Result<NumericValue, Problem> {
    let (value, feedback) = split_feedback(tokens);
    refuse_feedback(feedback, ("câu trả lời số", "numerical"))?;
    read_value(value, fallback_at)
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
