//! One `assessmentItem` (QTI 2.1/2.2) or `qti-assessment-item` (QTI 3.0, folded to the same
//! names by the tree reader) → one item. What 1EdTech's Basic level has and the bank has a kind
//! for is read; anything else is refused with a reason rather than imported half-scored.

use super::content::{FORMAT, Media, PART, Texts};
use super::response::{self, Declaration, Template, shares};
use super::tree::{Element, Problem};
use phongthi_items::text::nfc;
use phongthi_items::{
    Body, Choice, Fraction, Item, MatchPair, MatchScoring, MilliPoints, NumericAnswer, NumericValue, TextAnswer,
    TextFormat,
};
use rust_decimal::Decimal;

/// Class the exporter puts on a true/false item's choice interaction.
pub(super) const TRUE_FALSE: &str = "phongthi-true-false";
/// Class the exporter puts on a numeric item under the four-character rule.
pub(super) const FOUR_CHAR: &str = "phongthi-four-char";

const SUPPORTED: [&str; 4] =
    ["choiceInteraction", "textEntryInteraction", "extendedTextInteraction", "matchInteraction"];

/// Reads the item whose root element is `root`; `source` is the file's text.
/// The flag says whether this crate exported the item (its texts were read back byte for byte).
pub(super) fn read(root: &Element, source: &str, media: &mut dyn Media) -> Result<(Item, bool), Problem> {
    if root.name != "assessmentItem" {
        return Err(Problem::new(
            root.offset,
            format!(
                "phần tử gốc phải là assessmentItem, gặp <{0}> / the root element must be assessmentItem, found <{0}>",
                root.name
            ),
        ));
    }
    if root.child("templateDeclaration").is_some() || root.child("templateProcessing").is_some() {
        return Err(Problem::new(
            root.offset,
            "câu hỏi sinh số ngẫu nhiên (template) chưa được hỗ trợ / cloned (template) items are not supported",
        ));
    }
    let body = root.child("itemBody").ok_or_else(|| Problem::new(root.offset, "thiếu itemBody / no itemBody"))?;
    let interactions: Vec<&Element> =
        body.descendants().into_iter().filter(|e| e.name.ends_with("Interaction")).collect();
    if let Some(other) = interactions.iter().find(|e| !SUPPORTED.contains(&e.name.as_str())) {
        return Err(Problem::new(
            other.offset,
            format!("tương tác {0} chưa được hỗ trợ / {0} is not supported", other.name),
        ));
    }
    if interactions.len() > 1 {
        return Err(Problem::new(
            interactions[1].offset,
            "câu hỏi có nhiều tương tác chưa được hỗ trợ / items with several interactions are not supported",
        ));
    }
    let stem_part = body.descendants().into_iter().find(|e| e.attribute(PART) == Some("stem"));
    let ours = stem_part.map(|p| p.attribute(FORMAT).and_then(TextFormat::parse).unwrap_or(TextFormat::Html));
    let mut texts = Texts { source, media, images: Vec::new(), ours };
    let interaction = interactions.first().copied();
    let template = response::template(root).map_err(|message| Problem::new(root.offset, message))?;

    let (mut stem, stem_tail) = match stem_part {
        Some(part) => {
            let stem = texts.read(part, None)?;
            let tail = body.descendants().into_iter().find(|e| e.attribute(PART) == Some("tail"));
            (stem, tail.map(|t| texts.read(t, None)).transpose()?)
        }
        None => (texts.read(body, interaction.map(|i| i.offset))?, None),
    };
    if ours.is_none()
        && let Some(prompt) = interaction.and_then(|i| i.child("prompt"))
    {
        let prompt = texts.read(prompt, None)?;
        if !prompt.is_empty() {
            stem = if stem.is_empty() { prompt } else { format!("{stem}\n{prompt}") };
        }
    }

    let body = match interaction {
        None => Body::Description,
        Some(i) if i.name == "extendedTextInteraction" => Body::Essay,
        Some(i) => {
            let template = template.ok_or_else(|| {
                Problem::new(root.offset, "thiếu responseProcessing / no responseProcessing to score the item")
            })?;
            let identifier = i.attribute("responseIdentifier").unwrap_or_default();
            let decl = response::declaration(root, identifier)?;
            match i.name.as_str() {
                "choiceInteraction" => choice(i, &decl, template, &mut texts)?,
                "textEntryInteraction" => text_entry(i, &decl, template, ours.is_some())?,
                _ => matching(i, &decl, template, &mut texts)?,
            }
        }
    };
    let mut item = Item::new(nfc(&stem), body);
    item.stem_tail = stem_tail.map(|t| nfc(&t));
    item.format = ours.unwrap_or(TextFormat::Html);
    item.name =
        root.attribute("title").or(root.attribute("identifier")).map(|t| nfc(t.trim())).filter(|t| !t.is_empty());
    item.images = texts.images;
    item.meta.points = points(root)?;
    Ok((item, ours.is_some()))
}

/// The item's points: `normalMaximum` of `SCORE`, else the default of a `MAXSCORE` outcome
/// (Onyx and TAO declare one), exact to the thousandth or refused.
fn points(root: &Element) -> Result<Option<MilliPoints>, Problem> {
    let outcome =
        |name: &str| root.children_named("outcomeDeclaration").find(|o| o.attribute("identifier") == Some(name));
    let written =
        outcome("SCORE").and_then(|o| o.attribute("normalMaximum").map(|v| (o, v.to_owned()))).or_else(|| {
            let max = outcome("MAXSCORE")?;
            let value = max.child("defaultValue")?.child("value")?.text();
            Some((max, value))
        });
    let Some((at, text)) = written else { return Ok(None) };
    let value = response::number(at, &text)?;
    match MilliPoints::from_decimal(value) {
        Some(points) if points > MilliPoints::ZERO => Ok(Some(points)),
        _ => Err(Problem::new(
            at.offset,
            format!(
                "điểm tối đa {text} phải dương, tối đa 3 chữ số thập phân / \
                 the maximum score {text} must be positive with at most 3 decimals"
            ),
        )),
    }
}

fn has_class(element: &Element, class: &str) -> bool {
    element.attribute("class").is_some_and(|c| c.split_whitespace().any(|c| c == class))
}

fn choice(
    interaction: &Element,
    decl: &Declaration,
    template: Template,
    texts: &mut Texts<'_>,
) -> Result<Body, Problem> {
    let shuffle = interaction.attribute("shuffle").is_none_or(|s| s.trim() != "false");
    let max_choices =
        interaction.attribute("maxChoices").map_or(Ok(Decimal::ONE), |m| response::number(interaction, m))?;
    let mut ids = Vec::new();
    let mut options = Vec::new();
    for simple in interaction.children_named("simpleChoice") {
        let feedback = simple.child("feedbackInline");
        let end = feedback.map_or(simple.inner.end, |f| f.offset);
        let text = nfc(&texts.read_range(simple, end, None)?);
        let feedback = match (texts.ours, feedback) {
            (Some(_), Some(f)) => Some(nfc(&texts.read(f, None)?)).filter(|f| !f.is_empty()),
            _ => None,
        };
        // shuffle="false" keeps the author's order: every option stays where it is.
        let pinned = !shuffle || simple.attribute("fixed").is_some_and(|f| f.trim() == "true");
        ids.push(simple.attribute("identifier").unwrap_or_default().trim().to_owned());
        options.push(Choice { text, fraction: Fraction::ZERO, pinned, feedback });
    }
    let single = max_choices == Decimal::ONE;
    let fractions = match template {
        Template::MatchCorrect => {
            let in_set: Vec<bool> = ids.iter().map(|id| decl.correct.contains(id)).collect();
            let n = in_set.iter().filter(|c| **c).count();
            if n == 0 {
                return Err(Problem::new(interaction.offset, "không có correctResponse / no correctResponse"));
            }
            // All or nothing in QTI: a wrong pick costs everything (−100 %), each right one earns
            // an equal share.
            let values: Vec<Decimal> = in_set.iter().map(|c| if *c { Decimal::ONE } else { Decimal::ZERO }).collect();
            let mut got = shares(&values, &in_set, Decimal::from(n as u64)).unwrap_or_default();
            let wrong =
                if single { Fraction::ZERO } else { Fraction::from_raw(-Fraction::ONE.raw()).unwrap_or_default() };
            got.iter_mut().zip(&in_set).filter(|(_, c)| !**c).for_each(|(f, _)| *f = wrong);
            got
        }
        Template::MapResponse => {
            let values: Vec<Decimal> = ids.iter().map(|id| decl.value_of(id)).collect();
            mapped_shares(interaction, decl, &ids, &values, texts.ours.is_some())?
        }
    };
    for (option, fraction) in options.iter_mut().zip(fractions) {
        option.fraction = fraction;
    }
    if single && has_class(interaction, super::item::TRUE_FALSE) && ids == ["true", "false"] {
        return Ok(Body::TrueFalse { answer: options.first().is_some_and(|o| o.fraction.is_full()) });
    }
    Ok(if single { Body::SingleChoice { options } } else { Body::MultipleResponse { options } })
}

/// Mapped values → shares. Our own exports carry Moodle percentages as they are; a foreign
/// item's points are divided by the credit of its correct response (or of every positive value
/// when it declares none).
fn mapped_shares(
    at: &Element,
    decl: &Declaration,
    keys: &[String],
    values: &[Decimal],
    ours: bool,
) -> Result<Vec<Fraction>, Problem> {
    if ours {
        return values
            .iter()
            .map(|v| {
                Fraction::from_percent(*v)
                    .ok_or_else(|| Problem::new(at.offset, format!("tỉ lệ {v} không hợp lệ / bad percentage {v}")))
            })
            .collect();
    }
    let mut in_set: Vec<bool> = keys.iter().map(|k| decl.correct.contains(k)).collect();
    if !in_set.iter().any(|c| *c) {
        in_set = values.iter().map(|v| *v > Decimal::ZERO).collect();
    }
    let total: Decimal = values.iter().zip(&in_set).filter(|(_, c)| **c).map(|(v, _)| *v).sum();
    shares(values, &in_set, total).ok_or_else(|| {
        Problem::new(at.offset, "mapping không cho điểm dương nào / the mapping gives no positive credit")
    })
}

fn text_entry(interaction: &Element, decl: &Declaration, template: Template, ours: bool) -> Result<Body, Problem> {
    let numeric = matches!(decl.base_type.as_str(), "integer" | "float");
    if !numeric && decl.base_type != "string" {
        return Err(Problem::new(
            interaction.offset,
            format!(
                "baseType \"{}\" không được hỗ trợ cho ô nhập / baseType \"{}\" is not supported for text entry",
                decl.base_type, decl.base_type
            ),
        ));
    }
    let (keys, fractions, case_sensitive): (Vec<String>, Vec<Fraction>, bool) = match template {
        Template::MatchCorrect => {
            let keys = decl.correct.clone();
            let n = keys.len();
            (keys, vec![Fraction::ONE; n], true)
        }
        Template::MapResponse => {
            let keys: Vec<String> = decl.mapping.iter().map(|e| e.key.clone()).collect();
            let values: Vec<Decimal> = decl.mapping.iter().map(|e| e.value).collect();
            let fractions = if ours {
                mapped_shares(interaction, decl, &keys, &values, true)?
            } else {
                // Each accepted answer stands alone: its share is its value over the best one's.
                let best = values.iter().copied().max().unwrap_or_default();
                let flags = vec![false; values.len()];
                shares(&values, &flags, best).ok_or_else(|| {
                    Problem::new(
                        interaction.offset,
                        "mapping không cho điểm dương nào / the mapping gives no positive credit",
                    )
                })?
            };
            let sensitive = decl.mapping.iter().filter(|e| e.case_sensitive).count();
            if sensitive != 0 && sensitive != decl.mapping.len() {
                return Err(Problem::new(
                    interaction.offset,
                    "đáp án vừa phân biệt vừa không phân biệt hoa thường / answers mix case-sensitive and case-insensitive",
                ));
            }
            (keys, fractions, sensitive == decl.mapping.len())
        }
    };
    if numeric {
        let answers = keys
            .iter()
            .zip(fractions)
            .map(|(key, fraction)| {
                let value = response::number(interaction, key)?;
                Ok(NumericAnswer { value: NumericValue::Exact { value, tolerance: Decimal::ZERO }, fraction })
            })
            .collect::<Result<_, Problem>>()?;
        return Ok(Body::Numeric { answers, four_char_rule: has_class(interaction, FOUR_CHAR) });
    }
    let answers = keys.iter().zip(fractions).map(|(key, fraction)| TextAnswer { text: nfc(key), fraction }).collect();
    Ok(Body::ShortText { answers, case_sensitive })
}

fn matching(
    interaction: &Element,
    decl: &Declaration,
    template: Template,
    texts: &mut Texts<'_>,
) -> Result<Body, Problem> {
    if decl.base_type != "directedPair" {
        return Err(Problem::new(
            interaction.offset,
            "matchInteraction cần baseType directedPair / matchInteraction needs baseType directedPair",
        ));
    }
    let sets: Vec<&Element> = interaction.children_named("simpleMatchSet").collect();
    let [sources, targets] = sets.as_slice() else {
        return Err(Problem::new(
            interaction.offset,
            "matchInteraction cần đúng 2 simpleMatchSet / matchInteraction needs exactly 2 simpleMatchSet",
        ));
    };
    let mut read_set = |set: &Element| -> Result<Vec<(String, String)>, Problem> {
        set.children_named("simpleAssociableChoice")
            .map(|c| Ok((c.attribute("identifier").unwrap_or_default().trim().to_owned(), nfc(&texts.read(c, None)?))))
            .collect()
    };
    let sources = read_set(sources)?;
    let targets = read_set(targets)?;
    let pairs_given: Vec<(String, String)> = decl
        .correct
        .iter()
        .map(|v| {
            let mut parts = v.split_whitespace();
            (parts.next().unwrap_or_default().to_owned(), parts.next().unwrap_or_default().to_owned())
        })
        .collect();
    let mut pairs = Vec::new();
    let mut used = vec![false; targets.len()];
    for (id, prompt) in &sources {
        let mut mine = pairs_given.iter().filter(|(s, _)| s == id);
        let (Some((_, target)), None) = (mine.next(), mine.next()) else {
            return Err(Problem::new(
                interaction.offset,
                format!(
                    "mỗi vế trái cần đúng một đáp án, \"{id}\" thì không / every prompt needs exactly one answer, \"{id}\" has not"
                ),
            ));
        };
        let Some(index) = targets.iter().position(|(t, _)| t == target) else {
            return Err(Problem::new(
                interaction.offset,
                format!("không có lựa chọn \"{target}\" / no choice \"{target}\""),
            ));
        };
        used[index] = true;
        pairs.push(MatchPair { prompt: prompt.clone(), answer: targets[index].1.clone() });
    }
    let distractors = targets.iter().zip(&used).filter(|(_, u)| !**u).map(|((_, t), _)| t.clone()).collect();
    let scoring = match template {
        Template::MatchCorrect => MatchScoring::AllOrNothing,
        Template::MapResponse => MatchScoring::PerPair,
    };
    Ok(Body::Matching { pairs, distractors, scoring })
}
