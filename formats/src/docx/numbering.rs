//! Word's automatic numbering (`word/numbering.xml`): the label Word would draw in front of a
//! numbered paragraph (`Câu 3.`, `A.`, `II.`), so a paper whose question numbers or option
//! letters come from a list style reads the same as one where they are typed.
//!
//! A paragraph names a `w:num` by id and a level; the `w:num` points at a `w:abstractNum` whose
//! `w:lvl` gives the format (`decimal`, `upperLetter`, `upperRoman`, …), the start value and the
//! text with `%1`…`%9` placeholders. Counters run per list and level, and a level's counter
//! restarts when a shallower level of the same list moves on, as Word does.

use super::document::{attribute as value, local};
use quick_xml::Reader;
use quick_xml::events::Event;
use std::collections::HashMap;

/// One level of an abstract list.
#[derive(Clone, Debug, Default)]
struct Level {
    format: String,
    text: String,
    start: u32,
}

/// The lists of a document and their running counters.
#[derive(Debug, Default)]
pub(crate) struct Numbering {
    /// `w:abstractNumId` → its levels by `w:ilvl`.
    abstracts: HashMap<String, HashMap<u8, Level>>,
    /// `w:numId` → `w:abstractNumId`.
    nums: HashMap<String, String>,
    /// Counters per abstract list (Word counts lists sharing an abstract list together).
    counters: HashMap<String, [u32; 10]>,
}

impl Numbering {
    /// Reads `numbering.xml`; a broken or missing part means no automatic labels, never an error
    /// (the typed text still reads).
    pub(crate) fn read(xml: &str) -> Self {
        let mut numbering = Self::default();
        let mut reader = Reader::from_str(xml);
        let mut abstract_id: Option<String> = None;
        let mut num_id: Option<String> = None;
        let mut level: Option<(u8, Level)> = None;
        loop {
            let (tag, empty) = match reader.read_event() {
                Ok(Event::Start(tag)) => (tag, false),
                Ok(Event::Empty(tag)) => (tag, true),
                Ok(Event::End(tag)) => {
                    match tag.local_name().as_ref() {
                        "lvl" => {
                            if let (Some(id), Some((ilvl, done))) = (abstract_id.as_ref(), level.take()) {
                                numbering.abstracts.entry(id.clone()).or_default().insert(ilvl, done);
                            }
                        }
                        "abstractNum" => abstract_id = None,
                        "num" => num_id = None,
                        _ => {}
                    }
                    continue;
                }
                Ok(Event::Eof) | Err(_) => break,
                Ok(_) => continue,
            };
            match (local(&tag).as_str(), empty) {
                ("abstractNum", false) => abstract_id = value(&tag, "abstractNumId"),
                ("lvl", false) => {
                    let ilvl = value(&tag, "ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                    level = Some((ilvl, Level { start: 1, ..Level::default() }));
                }
                ("start", _) => {
                    if let Some((_, level)) = level.as_mut() {
                        level.start = value(&tag, "val").and_then(|v| v.parse().ok()).unwrap_or(1);
                    }
                }
                ("numFmt", _) => {
                    if let Some((_, level)) = level.as_mut() {
                        level.format = value(&tag, "val").unwrap_or_default();
                    }
                }
                ("lvlText", _) => {
                    if let Some((_, level)) = level.as_mut() {
                        level.text = value(&tag, "val").unwrap_or_default();
                    }
                }
                ("num", false) => num_id = value(&tag, "numId"),
                ("abstractNumId", _) => {
                    if let (Some(num), Some(target)) = (num_id.as_ref(), value(&tag, "val")) {
                        numbering.nums.insert(num.clone(), target);
                    }
                }
                _ => {}
            }
        }
        numbering
    }

    /// The label of the next paragraph in list `num_id` at `ilvl`, advancing the counters.
    /// `None` for bullets, unknown lists and `numId 0` (numbering switched off).
    pub(crate) fn next_label(&mut self, num_id: &str, ilvl: u8) -> Option<String> {
        let abstract_id = self.nums.get(num_id)?.clone();
        let levels = self.abstracts.get(&abstract_id)?;
        let level = levels.get(&ilvl)?;
        if level.format == "bullet" || level.format == "none" {
            return None;
        }
        let depth = usize::from(ilvl.min(8));
        let counters = self.counters.entry(abstract_id).or_insert([0; 10]);
        counters[depth] = if counters[depth] == 0 { level.start } else { counters[depth] + 1 };
        for deeper in counters.iter_mut().skip(depth + 1) {
            *deeper = 0;
        }
        let mut label = level.text.clone();
        for (shallower, count) in counters.iter().enumerate().take(depth + 1) {
            let format = u8::try_from(shallower).ok().and_then(|l| levels.get(&l)).map_or("decimal", |l| &l.format);
            let start = u8::try_from(shallower).ok().and_then(|l| levels.get(&l)).map_or(1, |l| l.start);
            let shown = if *count == 0 { start } else { *count };
            label = label.replace(&format!("%{}", shallower + 1), &render(shown, format));
        }
        Some(label)
    }
}

/// A counter in a Word number format.
fn render(n: u32, format: &str) -> String {
    match format {
        "upperLetter" => letters(n).to_ascii_uppercase(),
        "lowerLetter" => letters(n),
        "upperRoman" => roman(n),
        "lowerRoman" => roman(n).to_ascii_lowercase(),
        _ => n.to_string(),
    }
}

/// Word's letters: a … z, then aa … zz.
fn letters(n: u32) -> String {
    if n == 0 {
        return String::new();
    }
    let letter = char::from(b'a' + u8::try_from((n - 1) % 26).unwrap_or(0));
    std::iter::repeat_n(letter, usize::try_from((n - 1) / 26 + 1).unwrap_or(1)).collect()
}

fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LISTS: &str = r#"<w:numbering xmlns:w="x">
      <w:abstractNum w:abstractNumId="3"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="Câu %1."/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%2."/></w:lvl></w:abstractNum>
      <w:abstractNum w:abstractNumId="4"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>
      <w:num w:numId="7"><w:abstractNumId w:val="3"/></w:num>
      <w:num w:numId="8"><w:abstractNumId w:val="4"/></w:num>
    </w:numbering>"#;

    #[test]
    fn questions_and_option_letters_count_as_word_draws_them() {
        let mut numbering = Numbering::read(LISTS);
        assert_eq!(numbering.next_label("7", 0).as_deref(), Some("Câu 1."));
        assert_eq!(numbering.next_label("7", 1).as_deref(), Some("A."));
        assert_eq!(numbering.next_label("7", 1).as_deref(), Some("B."));
        assert_eq!(numbering.next_label("7", 0).as_deref(), Some("Câu 2."));
        // The option letters start again under the next question.
        assert_eq!(numbering.next_label("7", 1).as_deref(), Some("A."));
        assert_eq!(numbering.next_label("8", 0), None, "bullets are not labels");
        assert_eq!(numbering.next_label("9", 0), None, "an unknown list has no label");
    }

    #[test]
    fn number_formats() {
        assert_eq!(render(4, "upperRoman"), "IV");
        assert_eq!(render(3, "lowerLetter"), "c");
        assert_eq!(render(27, "upperLetter"), "AA");
        assert_eq!(render(12, "decimal"), "12");
    }

    #[test]
    fn broken_numbering_gives_no_labels() {
        let mut numbering = Numbering::read("<w:numbering><w:num w:numId=");
        assert_eq!(numbering.next_label("1", 0), None);
    }
}
