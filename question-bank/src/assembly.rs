//! Assembly: drawing the items of one test from the bank according to a blueprint.
//!
//! For every cell of the matrix (part kind × topic × level × count) the assembler draws `count`
//! distinct items, preferring the items used least often so far (exposure control: an item that
//! was in last year's test is the one students have seen), and breaking ties with a ChaCha20
//! generator seeded by the caller, so the same bank, blueprint and seed always give the same
//! test on every platform. A cell that cannot be filled does not stop the search: the error lists
//! every short cell, so the teacher sees in one run everything the bank lacks.

use crate::blueprint::{Blueprint, Part};
use phongthi_items::text::normalize_answer;
use phongthi_items::{Body, Item, ItemId, ItemKind, Level, MilliPoints};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha20Rng;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Options or matching answers are shown with the letters A–Z, so an item with more cannot be
/// presented; such items are never drawn.
pub const MAX_PRESENTED_OPTIONS: usize = 26;

/// An item the caller offers to the assembler: only approved items should be passed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// The item's number in the bank.
    pub id: ItemId,
    /// The item.
    pub item: Item,
    /// How many earlier tests used it; lower is preferred.
    pub usage_count: u32,
}

/// An assembled test: the blueprint's header and parts with the drawn items, before shuffling
/// into forms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Test {
    /// Title printed on the paper.
    pub title: String,
    /// Subject (môn).
    pub subject: String,
    /// Grade (khối).
    pub grade: u8,
    /// Working time in minutes.
    pub duration_minutes: u32,
    /// Score scale (10 by default).
    pub scale: MilliPoints,
    /// Rounding step of the reported score (0.1 by default).
    pub rounding_step: MilliPoints,
    /// Parts in blueprint order.
    pub parts: Vec<TestPart>,
    /// Every drawn item by id. Cluster items carry the part's credit table when the blueprint
    /// sets one.
    pub items: BTreeMap<ItemId, Item>,
}

/// One part of an assembled test.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestPart {
    /// Heading.
    pub name: String,
    /// Kind of every item in it.
    pub kind: ItemKind,
    /// Points of each item.
    pub points_each: MilliPoints,
    /// Drawn items, cell by cell in blueprint order.
    pub items: Vec<ItemId>,
}

impl Test {
    /// Number of questions.
    pub fn question_count(&self) -> usize {
        self.parts.iter().map(|p| p.items.len()).sum()
    }

    /// Raw points of the whole test.
    pub fn total_points(&self) -> MilliPoints {
        self.parts.iter().map(|p| MilliPoints::from_milli(p.points_each.milli() * p.items.len() as i64)).sum()
    }
}

/// A cell the bank cannot fill.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shortfall {
    /// 0-based index of the part.
    pub part_index: usize,
    /// Part heading.
    pub part: String,
    /// Kind the part asks for.
    pub kind: ItemKind,
    /// Topic of the cell.
    pub topic: String,
    /// Level of the cell.
    pub level: Level,
    /// Items the cell asks for.
    pub needed: u32,
    /// Matching items still available when the cell was drawn.
    pub available: u32,
}

impl fmt::Display for Shortfall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "phần {} «{}» ({}), {} — {}: cần {}, chỉ có {} / part {} ({}), {} — {}: needs {}, only {} available",
            self.part_index + 1,
            self.part,
            self.kind,
            self.topic,
            self.level,
            self.needed,
            self.available,
            self.part_index + 1,
            self.kind,
            self.topic,
            self.level.ascii(),
            self.needed,
            self.available,
        )
    }
}

/// Why a test could not be assembled.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AssemblyError {
    /// The bank lacks items for these cells (every short cell, in blueprint order).
    #[error("ngân hàng không đủ câu hỏi / the bank lacks items:{}", list(.0))]
    Shortfall(Vec<Shortfall>),
}

fn list(shortfalls: &[Shortfall]) -> String {
    shortfalls.iter().map(|s| format!("\n  {s}")).collect()
}

/// Draws a test from `candidates` according to `blueprint`.
///
/// An item is drawn for a cell when its kind is the part's, its topic equals the cell's (after
/// NFC, whitespace and case folding), its level is the cell's, its subject and grade (when the
/// item states them) are the blueprint's, it passes [`Item::validate`], it can be shown with
/// letters A–Z, and — for a part with its own cluster table — it has as many statements as the
/// table has entries. No item is drawn twice (candidates repeating an id count once). Among the
/// matching items the least used come first; ties are broken by a ChaCha20 generator seeded with
/// `seed`, after ordering candidates by id so the caller's order does not matter.
pub fn assemble(blueprint: &Blueprint, candidates: &[Candidate], seed: u64) -> Result<Test, AssemblyError> {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let mut by_id: BTreeMap<ItemId, &Candidate> = BTreeMap::new();
    for candidate in candidates {
        by_id.entry(candidate.id).or_insert(candidate);
    }
    let subject = normalize_answer(blueprint.subject(), false);
    let mut used: BTreeSet<ItemId> = BTreeSet::new();
    let mut shortfalls = Vec::new();
    let mut parts = Vec::with_capacity(blueprint.parts().len());
    let mut items = BTreeMap::new();
    for (part_index, part) in blueprint.parts().iter().enumerate() {
        let mut drawn_ids = Vec::new();
        for cell in &part.cells {
            let topic = normalize_answer(&cell.topic, false);
            let mut pool: Vec<&Candidate> = by_id
                .values()
                .copied()
                .filter(|c| !used.contains(&c.id))
                .filter(|c| c.item.meta.level == Some(cell.level))
                .filter(|c| c.item.meta.topic.as_deref().is_some_and(|t| normalize_answer(t, false) == topic))
                .filter(|c| fits_part(&c.item, part, &subject, blueprint.grade()))
                .collect();
            let needed = cell.count as usize;
            if pool.len() < needed {
                shortfalls.push(Shortfall {
                    part_index,
                    part: part.name.clone(),
                    kind: part.kind,
                    topic: cell.topic.clone(),
                    level: cell.level,
                    needed: cell.count,
                    available: u32::try_from(pool.len()).unwrap_or(u32::MAX),
                });
                continue;
            }
            // Shuffle first, then a stable sort by usage: equal usage keeps the random order.
            pool.shuffle(&mut rng);
            pool.sort_by_key(|c| c.usage_count);
            for chosen in &pool[..needed] {
                used.insert(chosen.id);
                drawn_ids.push(chosen.id);
                items.insert(chosen.id, item_for_part(&chosen.item, part));
            }
        }
        parts.push(TestPart {
            name: part.name.clone(),
            kind: part.kind,
            points_each: part.points_each,
            items: drawn_ids,
        });
    }
    if !shortfalls.is_empty() {
        return Err(AssemblyError::Shortfall(shortfalls));
    }
    Ok(Test {
        title: blueprint.title().to_owned(),
        subject: blueprint.subject().to_owned(),
        grade: blueprint.grade(),
        duration_minutes: blueprint.duration_minutes(),
        scale: blueprint.scale(),
        rounding_step: blueprint.rounding_step(),
        parts,
        items,
    })
}

/// The rules of [`assemble`] besides topic and level.
fn fits_part(item: &Item, part: &Part, subject: &str, grade: u8) -> bool {
    item.kind() == part.kind
        && item.meta.subject.as_deref().is_none_or(|s| normalize_answer(s, false) == subject)
        && item.meta.grade.is_none_or(|g| g == grade)
        && item.validate().is_ok()
        && presentable(item)
        && match (&item.body, &part.cluster_table) {
            (Body::TrueFalseCluster { statements, .. }, Some(table)) => statements.len() == table.entries().len(),
            _ => true,
        }
}

/// Whether the item's options or matching answers fit the letters A–Z.
pub(crate) fn presentable(item: &Item) -> bool {
    match &item.body {
        Body::SingleChoice { options } | Body::MultipleResponse { options } => options.len() <= MAX_PRESENTED_OPTIONS,
        Body::Matching { pairs, distractors, .. } => pairs.len() + distractors.len() <= MAX_PRESENTED_OPTIONS,
        _ => true,
    }
}

/// The item as the test holds it: the blueprint's cluster table replaces the item's own.
fn item_for_part(item: &Item, part: &Part) -> Item {
    let mut item = item.clone();
    if let (Body::TrueFalseCluster { table, .. }, Some(part_table)) = (&mut item.body, &part.cluster_table) {
        *table = part_table.clone();
    }
    item
}

#[cfg(test)]
#[path = "assembly_tests.rs"]
mod tests;
