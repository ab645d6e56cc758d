//! Full-text search over an item's words with Vietnamese diacritics folded.
//!
//! Both sides are folded by [`fold_for_search`] (lower case, marks removed, `đ` → `d`): the
//! index holds folded text, and the query is folded the same way, so `menh de`, `Mệnh đề` and
//! `MỆNH ĐỀ` all find `Mệnh đề`. The query is cut into words in Rust and every word is quoted,
//! so FTS5 syntax a teacher types by accident (`"`, `*`, `AND`, `NEAR(`, `-`, `:`) is searched
//! for as text instead of raising a syntax error.

use phongthi_items::text::fold_for_search;
use phongthi_items::{Body, Item, ItemId};
use rusqlite::Connection;

/// Every searchable text of `item`: name, stem, options, statements, accepted texts and
/// matching pairs.
fn searchable_texts(item: &Item) -> Vec<&str> {
    let mut texts: Vec<&str> = Vec::new();
    texts.extend(item.name.as_deref());
    texts.push(&item.stem);
    texts.extend(item.stem_tail.as_deref());
    match &item.body {
        Body::SingleChoice { options } | Body::MultipleResponse { options } => {
            texts.extend(options.iter().map(|o| o.text.as_str()));
        }
        Body::TrueFalseCluster { statements, .. } => texts.extend(statements.iter().map(|s| s.text.as_str())),
        Body::ShortText { answers, .. } => texts.extend(answers.iter().map(|a| a.text.as_str())),
        Body::Matching { pairs, distractors, .. } => {
            for pair in pairs {
                texts.push(&pair.prompt);
                texts.push(&pair.answer);
            }
            texts.extend(distractors.iter().map(String::as_str));
        }
        Body::TrueFalse { .. } | Body::Numeric { .. } | Body::Essay | Body::Description => {}
    }
    texts
}

/// Writes (or rewrites) the index row of `item_id`.
pub(crate) fn index_item(conn: &Connection, item_id: ItemId, item: &Item) -> rusqlite::Result<()> {
    let words = searchable_texts(item).iter().map(|text| fold_for_search(text)).collect::<Vec<_>>().join("\n");
    conn.prepare_cached("DELETE FROM item_search WHERE rowid = ?1")?.execute([item_id.get()])?;
    conn.prepare_cached("INSERT INTO item_search (rowid, words) VALUES (?1, ?2)")?.execute((item_id.get(), words))?;
    Ok(())
}

/// The FTS5 query for what a teacher typed: every word must appear, in any order. `None` when
/// the text has no words at all (only punctuation, say), which the caller treats as no search.
pub(crate) fn match_query(search: &str) -> Option<String> {
    let folded = fold_for_search(search);
    // Words are runs of letters and digits, as FTS5's unicode61 tokenizer sees them, so a
    // quoted word is one token and the quotes cannot be escaped from.
    let words: Vec<String> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| format!("\"{word}\""))
        .collect();
    if words.is_empty() { None } else { Some(words.join(" ")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(search: &str, expected: Option<&str>) {
        assert_eq!(match_query(search).as_deref(), expected, "{search:?}");
    }

    #[test]
    fn queries_are_folded_and_quoted() {
        check("Mệnh đề", Some("\"menh\" \"de\""));
        check("  ĐỘNG   lượng ", Some("\"dong\" \"luong\""));
        check("oxi hóa – khử", Some("\"oxi\" \"hoa\" \"khu\""));
        check("x\"* OR NEAR(y", Some("\"x\" \"or\" \"near\" \"y\""));
        check("x^2 + 1", Some("\"x\" \"2\" \"1\""));
        check("", None);
        check(" \"*-:() ", None);
    }
}
