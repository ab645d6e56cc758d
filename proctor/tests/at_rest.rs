//! A copied proctor data directory reveals no question, option or answer key: after the exam is
//! added as `proctor exam add` adds it, every file of the folder is searched for every text of
//! the exam's items.

use phongthi_store::demo::{exam_day, roster_csv};

/// Every string in `value` of at least `min` characters (item texts, options, statements).
fn strings(value: &serde_json::Value, min: usize, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(text) if text.chars().count() >= min => out.push(text.clone()),
        serde_json::Value::Array(values) => values.iter().for_each(|v| strings(v, min, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| strings(v, min, out)),
        _ => {}
    }
}

#[tokio::test]
async fn a_copied_data_directory_reveals_no_question_or_key() {
    let dir = tempfile::tempdir().unwrap();
    let day = exam_day(dir.path(), 4, &roster_csv(12)).await.unwrap();
    let mut texts = Vec::new();
    for item in day.exam.items().values() {
        strings(&serde_json::to_value(&item.body).unwrap(), 6, &mut texts);
        strings(&serde_json::Value::String(item.stem.clone()), 6, &mut texts);
    }
    assert!(texts.len() > 20, "the example exam has many texts: {}", texts.len());
    let mut files = Vec::new();
    for entry in std::fs::read_dir(day.data.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            files.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
    assert!(files.iter().any(|(p, _)| p.ends_with("proctor.sqlite")), "{files:?}", files = files.len());
    for text in &texts {
        for (path, bytes) in &files {
            let found = bytes.windows(text.len()).any(|w| w == text.as_bytes());
            assert!(!found, "{text:?} is in {} in clear", path.display());
        }
    }
}
