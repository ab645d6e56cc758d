//! Invariant 11 of `ARCHITECTURE.md`: `question-bank/src/store` is the only code in the workspace
//! that knows item SQL. Checked by looking for the store's table names in every other source
//! file, so a query written elsewhere (in the proctor, say) fails here instead of in review.

use std::path::{Path, PathBuf};

/// Names that only item SQL uses.
const TABLE_NAMES: [&str; 5] = ["item_history", "item_images", "item_search", "item_json", "item_statements"];

fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if path.is_dir() {
            if !name.starts_with('.') && !name.starts_with("target") {
                sources(&path, found);
            }
        } else if name.ends_with(".rs") || name.ends_with(".sql") {
            found.push(path);
        }
    }
}

#[test]
fn only_the_store_module_knows_item_sql() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = crate_dir.parent().unwrap();
    let allowed = [crate_dir.join("src/store"), crate_dir.join("tests")];
    let mut files = Vec::new();
    sources(workspace, &mut files);
    assert!(files.iter().any(|f| f.ends_with("question-bank/src/store/items.rs")), "the walk missed the store");
    let offenders: Vec<String> = files
        .iter()
        .filter(|file| !allowed.iter().any(|dir| file.starts_with(dir)))
        .filter(|file| {
            let text = std::fs::read_to_string(file).unwrap_or_default();
            TABLE_NAMES.iter().any(|name| text.contains(name))
        })
        .map(|file| file.display().to_string())
        .collect();
    assert!(offenders.is_empty(), "item SQL outside question-bank/src/store: {offenders:?}");
}
