//! Vietnamese name order for class lists (danh sách lớp).
//!
//! A Vietnamese class list is sorted by **given name** — the last word (`An` in `Nguyễn Văn An`)
//! — and only then by the rest of the name from the family name on. Each word is compared in the
//! Vietnamese alphabet, `a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y`, where `ă`, `â`,
//! `đ`, `ê`, `ô`, `ơ`, `ư` are letters of their own and not `a`, `d`, … with a mark.
//!
//! Tones belong to the syllable, not to a letter, so dictionaries compare a word's letters first
//! and its tone only when the letters are equal, unmarked first: ngang, huyền, hỏi, ngã, sắc, nặng
//! (`Anh` < `Ánh` < `Ao`). Keeping the tone at word level also makes the old and new tone
//! placements (`Hoà`, `Hòa`) sort as the same name. Case is ignored and text is NFC first.
//!
//! Letters Vietnamese does not use (`f j w z`, found in minority and foreign names) take their
//! Latin place; any other character sorts after every letter, by code point.

use unicode_normalization::UnicodeNormalization;

/// A sort key for a full name: compare keys with `Ord` to order names as a Vietnamese class list.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CollationKey(Vec<u32>);

/// The base letters in Vietnamese order, with `f j w z` in their Latin places. A letter's weight
/// is its index + 1: 0 is kept for the end of a word, so a word sorts before its extensions
/// (`An` < `Anh`).
const ALPHABET: [char; 33] = [
    'a', 'ă', 'â', 'b', 'c', 'd', 'đ', 'e', 'ê', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'ô', 'ơ', 'p', 'q',
    'r', 's', 't', 'u', 'ư', 'v', 'w', 'x', 'y', 'z',
];

/// Weight of a character that is not a letter of [`ALPHABET`]: after all of them.
const OTHER_CHARACTER_BASE: u32 = 64;

/// Marks a word's end in the key; lower than every character weight.
const END_OF_WORD: u32 = 0;

/// Tones in the order Vietnamese sorts them; ngang (no mark) is 0.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tone {
    Ngang = 0,
    Huyen = 1,
    Hoi = 2,
    Nga = 3,
    Sac = 4,
    Nang = 5,
}

/// The key that sorts `full_name` the way a Vietnamese class list does: by the given name (last
/// word) first, then the words from the family name on; each word by its letters in the
/// Vietnamese alphabet, then by its tone. Case-insensitive, NFC, extra spaces ignored.
///
/// ```
/// use phongthi_store::roster::vietnamese_collation_key as key;
/// assert!(key("Nguyễn Văn An") < key("Trần Văn Ánh"));
/// assert!(key("Trần Văn Ánh") < key("Lê Thị Bình"));
/// assert!(key("Đặng Thùy Dương") < key("Phạm Minh Đức"));
/// ```
pub fn vietnamese_collation_key(full_name: &str) -> CollationKey {
    let lowered = full_name.nfc().collect::<String>().to_lowercase();
    let words: Vec<&str> = lowered.split_whitespace().collect();
    let mut key = Vec::with_capacity(lowered.len() + 2 * words.len());
    if let Some((given_name, family_and_middle)) = words.split_last() {
        push_word(&mut key, given_name);
        for word in family_and_middle {
            push_word(&mut key, word);
        }
    }
    CollationKey(key)
}

/// Appends one word: its letters' weights, the end-of-word mark, then its tone. The tone comes
/// after the end mark so it only decides between words with the same letters.
fn push_word(key: &mut Vec<u32>, word: &str) {
    let mut tone = Tone::Ngang;
    let mut letter: Option<char> = None;
    for c in word.nfd() {
        match c {
            // Marks that make a letter of its own: ă, â ê ô, ơ ư.
            '\u{0306}' | '\u{0302}' | '\u{031B}' => letter = letter.map(|base| with_mark(base, c)),
            '\u{0300}' | '\u{0309}' | '\u{0303}' | '\u{0301}' | '\u{0323}' => {
                // One tone per syllable; a second mark (a typo) does not change it.
                if tone == Tone::Ngang {
                    tone = tone_of(c);
                }
            }
            // Other combining marks (a diaeresis in a foreign name) do not change the order.
            c if unicode_normalization::char::is_combining_mark(c) => {}
            c => {
                if let Some(previous) = letter.replace(c) {
                    key.push(weight(previous));
                }
            }
        }
    }
    if let Some(last) = letter {
        key.push(weight(last));
    }
    key.push(END_OF_WORD);
    key.push(tone as u32);
}

/// The Vietnamese letter a base letter and a letter-making mark form, or the base unchanged when
/// the pair is not one (an `â` mark on `u` is not a Vietnamese letter).
fn with_mark(base: char, mark: char) -> char {
    match (base, mark) {
        ('a', '\u{0306}') => 'ă',
        ('a', '\u{0302}') => 'â',
        ('e', '\u{0302}') => 'ê',
        ('o', '\u{0302}') => 'ô',
        ('o', '\u{031B}') => 'ơ',
        ('u', '\u{031B}') => 'ư',
        _ => base,
    }
}

fn tone_of(mark: char) -> Tone {
    match mark {
        '\u{0300}' => Tone::Huyen,
        '\u{0309}' => Tone::Hoi,
        '\u{0303}' => Tone::Nga,
        '\u{0301}' => Tone::Sac,
        '\u{0323}' => Tone::Nang,
        _ => Tone::Ngang,
    }
}

fn weight(c: char) -> u32 {
    match ALPHABET.iter().position(|&letter| letter == c) {
        // At most 33: the cast cannot truncate.
        Some(index) => index as u32 + 1,
        None => OTHER_CHARACTER_BASE + u32::from(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts that `names`, as given, are in strictly increasing order.
    fn check_order(names: &[&str]) {
        for pair in names.windows(2) {
            assert!(
                vietnamese_collation_key(pair[0]) < vietnamese_collation_key(pair[1]),
                "{:?} should sort before {:?}",
                pair[0],
                pair[1]
            );
        }
    }

    fn check_same(a: &str, b: &str) {
        assert_eq!(vietnamese_collation_key(a), vietnamese_collation_key(b), "{a:?} and {b:?}");
    }

    #[test]
    fn example_from_the_design() {
        check_order(&["Nguyễn Văn An", "Trần Văn Ánh", "Lê Thị Bình", "Đặng Thùy Dương", "Phạm Minh Đức"]);
    }

    #[test]
    fn letters_with_marks_are_letters_of_their_own() {
        check_order(&["A", "Ă", "Â", "B", "C", "D", "Đ", "E", "Ê", "G", "H", "I", "K", "L", "M", "N"]);
        check_order(&["N", "O", "Ô", "Ơ", "P", "Q", "R", "S", "T", "U", "Ư", "V", "X", "Y"]);
        // đ after every d-word, whatever follows.
        check_order(&["Dương", "Dưỡng", "Đa", "Đức"]);
        check_order(&["Uyên", "Ưng"]);
    }

    #[test]
    fn tone_decides_only_between_equal_letters() {
        check_order(&["Ma", "Mà", "Mả", "Mã", "Má", "Mạ", "Mai"]);
        check_order(&["Anh", "Ánh", "Ao"]);
        check_order(&["Thuy", "Thùy", "Thủy", "Thúy", "Thụy"]);
    }

    #[test]
    fn given_name_first_then_from_the_family_name() {
        check_order(&["Trần Văn An", "Nguyễn Văn Anh"]);
        check_order(&["Lê Thị Hoa", "Nguyễn Thị Hoa", "Nguyễn Văn Hoa"]);
        check_order(&["Hoa", "Lê Hoa", "Lê Thị Hoa"]);
    }

    #[test]
    fn case_spacing_normal_form_and_tone_placement_do_not_matter() {
        check_same("Nguyễn Văn An", "  NGUYỄN   văn an ");
        check_same("Nguyễn Văn An", "Nguye\u{0302}\u{0303}n Va\u{0306}n An");
        check_same("Nguyễn Văn An", "Nguyễn\u{a0}Văn\tAn");
        check_same("Lê Thị Hoà", "Lê Thị Hòa");
        check_same("Thủy", "Thuỷ");
    }

    #[test]
    fn other_letters() {
        check_order(&["Ê", "Fan", "Giang"]);
        check_order(&["Y", "Zơ", "Ω"]);
        check_same("Zoë", "Zoe");
        assert_eq!(vietnamese_collation_key("   "), vietnamese_collation_key(""));
    }
}
