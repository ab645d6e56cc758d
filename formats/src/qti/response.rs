//! Response declarations and the two response-processing templates we score like QTI does:
//! `match_correct` (the correct response or nothing) and `map_response` (the sum of the mapped
//! values). Mapped values are points, ours are shares of the item's points, so a foreign item's
//! values are divided by the credit of its correct response; the shares are spread with the
//! largest-remainder rule so that the correct set adds up to exactly 100 % (three correct options
//! of one point each become 33.33334 %, 33.33333 %, 33.33333 %, never 99.99999 %).

use super::tree::{Element, Problem};
use phongthi_items::{Fraction, parse_decimal};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// Which template scores the item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Template {
    /// `match_correct`.
    MatchCorrect,
    /// `map_response`.
    MapResponse,
}

/// The template named by `<responseProcessing template="…">`, matched on the URI's last path
/// segment because the URIs differ between 2.1, 2.2 and 3.0 (3.0 adds `.xml`). `Ok(None)` when
/// there is no response processing at all.
pub(super) fn template(item: &Element) -> Result<Option<Template>, String> {
    let Some(processing) = item.child("responseProcessing") else { return Ok(None) };
    let Some(uri) = processing.attribute("template") else {
        return Err("xử lý đáp án tự viết (không theo mẫu) chưa được hỗ trợ / \
                    custom response processing (no template) is not supported"
            .to_owned());
    };
    let last = uri.trim().trim_end_matches('/').rsplit('/').next().unwrap_or_default();
    match last.strip_suffix(".xml").unwrap_or(last) {
        "match_correct" => Ok(Some(Template::MatchCorrect)),
        "map_response" => Ok(Some(Template::MapResponse)),
        other => Err(format!(
            "mẫu xử lý đáp án \"{other}\" chưa được hỗ trợ (chỉ match_correct, map_response) / \
             response processing template \"{other}\" is not supported (only match_correct, map_response)"
        )),
    }
}

/// One mapped value.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub(super) key: String,
    pub(super) value: Decimal,
    pub(super) case_sensitive: bool,
}

/// A `<responseDeclaration>`.
#[derive(Debug, Clone)]
pub(super) struct Declaration {
    pub(super) base_type: String,
    pub(super) correct: Vec<String>,
    pub(super) mapping: Vec<Entry>,
    pub(super) default_value: Decimal,
}

/// The declaration of response `identifier`.
pub(super) fn declaration(item: &Element, identifier: &str) -> Result<Declaration, Problem> {
    let Some(decl) = item.children_named("responseDeclaration").find(|d| d.attribute("identifier") == Some(identifier))
    else {
        return Err(Problem::new(
            item.offset,
            format!("thiếu responseDeclaration \"{identifier}\" / no responseDeclaration \"{identifier}\""),
        ));
    };
    if decl.child("areaMapping").is_some() {
        return Err(Problem::new(decl.offset, "areaMapping chưa được hỗ trợ / areaMapping is not supported"));
    }
    let correct = decl
        .child("correctResponse")
        .map(|c| c.children_named("value").map(|v| v.text().trim().to_owned()).collect())
        .unwrap_or_default();
    let mut mapping = Vec::new();
    let mut default_value = Decimal::ZERO;
    if let Some(map) = decl.child("mapping") {
        if let Some(text) = map.attribute("defaultValue") {
            default_value = number(map, text)?;
        }
        for entry in map.children_named("mapEntry") {
            let key = entry.attribute("mapKey").unwrap_or_default().trim().to_owned();
            let value = number(entry, entry.attribute("mappedValue").unwrap_or_default())?;
            // Required in 2.1; QTI 3.0 makes true the default.
            let case_sensitive = entry.attribute("caseSensitive").is_none_or(|v| v.trim() != "false");
            mapping.push(Entry { key, value, case_sensitive });
        }
    }
    Ok(Declaration {
        base_type: decl.attribute("baseType").unwrap_or_default().trim().to_owned(),
        correct,
        mapping,
        default_value,
    })
}

/// A decimal exactly as written (QTI writes `.`; exponents are refused rather than guessed).
pub(super) fn number(at: &Element, text: &str) -> Result<Decimal, Problem> {
    parse_decimal(text).ok_or_else(|| {
        Problem::new(at.offset, format!("\"{text}\" không phải số thập phân / \"{text}\" is not a decimal number"))
    })
}

impl Declaration {
    /// The mapped value of `key` (the default when unmapped).
    pub(super) fn value_of(&self, key: &str) -> Decimal {
        self.mapping.iter().find(|e| e.key == key).map_or(self.default_value, |e| e.value)
    }
}

/// Shares for `values` relative to `total`: entries flagged in `exact_set` are spread by largest
/// remainder so that they add up to `Fraction::ONE` exactly (when they add up to `total`); the
/// others are rounded half-up. Values beyond ±100 % are clamped.
pub(super) fn shares(values: &[Decimal], exact_set: &[bool], total: Decimal) -> Option<Vec<Fraction>> {
    if total <= Decimal::ZERO {
        return None;
    }
    let one = Decimal::from(Fraction::ONE.raw());
    let scaled: Vec<Decimal> =
        values.iter().map(|v| v.checked_mul(one).and_then(|x| x.checked_div(total))).collect::<Option<_>>()?;
    let mut raw: Vec<i64> = scaled
        .iter()
        .map(|x| {
            x.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero).to_i64().unwrap_or(0)
        })
        .collect();
    let set_sum: Decimal = values.iter().zip(exact_set).filter(|(_, e)| **e).map(|(v, _)| *v).sum();
    if set_sum == total {
        let mut floors: Vec<(usize, Decimal)> = Vec::new();
        let mut sum = 0i64;
        for (i, x) in scaled.iter().enumerate().filter(|(i, _)| exact_set[*i]) {
            let floor = x.floor();
            raw[i] = floor.to_i64().unwrap_or(0);
            sum += raw[i];
            floors.push((i, *x - floor));
        }
        // Largest remainders first; ties go to the earlier option.
        floors.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut left = i64::from(Fraction::ONE.raw()) - sum;
        for (i, _) in floors {
            if left <= 0 {
                break;
            }
            raw[i] += 1;
            left -= 1;
        }
    }
    let limit = i64::from(Fraction::ONE.raw());
    Some(raw.into_iter().map(|r| Fraction::from_raw(r.clamp(-limit, limit) as i32).unwrap_or_default()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirds_add_up_to_exactly_one() {
        let one = Decimal::ONE;
        let got = shares(&[one, one, one, -one], &[true, true, true, false], Decimal::from(3)).unwrap();
        let raw: Vec<i32> = got.iter().map(|f| f.raw()).collect();
        assert_eq!(raw, [3_333_334, 3_333_333, 3_333_333, -3_333_333]);
    }
}
