//! Real Vietnamese text typed the usual ways gives itself back: the keys are derived from the
//! text (each letter, its quality mark right after it, the tone either at the end of the word or
//! right after its vowel), then typed into the composer.

use unicode_normalization::UnicodeNormalization;

use super::check_table;
use crate::ime::InputMethod::{self, Telex, Vni};
use crate::ime::ToneStyle;

/// Sentences from lessons and exam papers, written with the modern tone placement.
const TEXT: &[&str] = &[
    "Học sinh đọc kĩ đề bài trước khi trả lời từng câu hỏi.",
    "Mỗi câu trắc nghiệm có bốn phương án, chỉ một phương án đúng.",
    "Người ta thả một vật từ độ cao mười lăm mét xuống mặt đất.",
    "Khi đun nóng, nước chuyển từ thể lỏng sang thể khí.",
    "Hãy viết phương trình hoá học của phản ứng giữa sắt và lưu huỳnh.",
    "Tình yêu quê hương đất nước là truyền thống quý báu của dân tộc.",
    "Buổi sáng mùa thu, trời trong xanh, gió thổi nhè nhẹ qua khung cửa sổ.",
    "Em hãy giải thích vì sao khuỷu tay có thể gập lại được.",
    "Chúng tôi luôn khuyến khích học sinh tự nghiên cứu, suy nghĩ độc lập.",
    "Thuở nhỏ, ông ngoại thường kể chuyện cổ tích cho cháu nghe bên hiên nhà.",
    "Rượu, bia và thuốc lá có hại cho sức khoẻ của tuổi trẻ.",
    "Quyển sách giáo khoa mới được in trên giấy tốt, chữ rõ ràng.",
    "Đường thẳng song song với trục hoành cắt đồ thị hàm số tại hai điểm.",
    "Nguyễn Du là đại thi hào của dân tộc Việt Nam.",
    "Xoáy nước ngoằn ngoèo giữa dòng sông; thuyền bè qua lại tấp nập.",
    "Tính khối lượng muối thu được sau phản ứng, biết hiệu suất đạt tám mươi phần trăm.",
];

/// Where the tone key goes when deriving keys from a word.
#[derive(Clone, Copy)]
enum TonePlace {
    EndOfWord,
    AfterItsVowel,
}

/// The keys of one character: its base letter, its quality mark, and its tone key if any.
fn character_keys(method: InputMethod, character: char) -> (String, Option<char>) {
    let decomposed: Vec<char> = character.nfd().collect();
    let (base, stroke) = match character {
        'đ' => ('d', true),
        'Đ' => ('D', true),
        _ => (decomposed[0], false),
    };
    let mut keys = String::from(base);
    if stroke {
        keys.push(if method == Telex { 'd' } else { '9' });
    }
    let mut tone = None;
    for mark in &decomposed[1..] {
        match (method, *mark) {
            (Telex, '\u{302}') => keys.push(base.to_ascii_lowercase()),
            (Telex, '\u{306}' | '\u{31B}') => keys.push('w'),
            (Vni, '\u{302}') => keys.push('6'),
            (Vni, '\u{31B}') => keys.push('7'),
            (Vni, '\u{306}') => keys.push('8'),
            (_, tone_mark) => {
                let index =
                    ['\u{301}', '\u{300}', '\u{309}', '\u{303}', '\u{323}'].iter().position(|m| *m == tone_mark);
                let tone_keys = if method == Telex { ['s', 'f', 'r', 'x', 'j'] } else { ['1', '2', '3', '4', '5'] };
                tone = index.map(|index| tone_keys[index]);
            }
        }
    }
    (keys, tone)
}

/// The keys a student types for `text`.
fn keys_for(method: InputMethod, text: &str, place: TonePlace) -> String {
    let mut keys = String::new();
    let mut pending_tone = None;
    for character in text.chars() {
        if !character.is_alphabetic() {
            keys.extend(pending_tone.take());
            keys.push(character);
            continue;
        }
        let (character_keys, tone) = character_keys(method, character);
        keys.push_str(&character_keys);
        match (place, tone) {
            (TonePlace::AfterItsVowel, Some(tone)) => keys.push(tone),
            (TonePlace::EndOfWord, Some(tone)) => pending_tone = Some(tone),
            (_, None) => {}
        }
    }
    keys.extend(pending_tone);
    keys
}

#[test]
fn sentences_typed_the_usual_ways_give_themselves() {
    for method in [Telex, Vni] {
        for place in [TonePlace::EndOfWord, TonePlace::AfterItsVowel] {
            let table: Vec<(String, &str)> = TEXT.iter().map(|text| (keys_for(method, text, place), *text)).collect();
            let table: Vec<(&str, &str)> = table.iter().map(|(keys, text)| (keys.as_str(), *text)).collect();
            check_table(method, ToneStyle::Modern, &table);
        }
    }
}

#[test]
fn derived_keys_are_the_familiar_ones() {
    assert_eq!(keys_for(Telex, "Người Việt", TonePlace::EndOfWord), "Nguwowif Vieetj");
    assert_eq!(keys_for(Telex, "Người Việt", TonePlace::AfterItsVowel), "Nguwowfi Vieejt");
    assert_eq!(keys_for(Vni, "Đường", TonePlace::EndOfWord), "D9u7o7ng2");
}
