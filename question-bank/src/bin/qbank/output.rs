//! Small printing helpers shared by the commands.

use phongthi_items::MilliPoints;
use std::io::Write;
use std::path::Path;

/// Milliseconds since the Unix epoch, for history and bundle times.
pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Shortens a text for one table cell, on character boundaries, flattening line breaks.
pub(crate) fn cell(text: &str, width: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= width {
        flat
    } else {
        let mut cut: String = flat.chars().take(width.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// A score written with as many decimals as its rounding step has (`6.0` on a 0.1 step,
/// `7.25` on a 0.25 step), as grade books print them.
pub(crate) fn score_text(value: MilliPoints, step: MilliPoints) -> String {
    let decimals = step.to_decimal().normalize().scale();
    format!("{:.*}", decimals as usize, value.to_decimal())
}

/// Prints a value as pretty JSON on stdout.
pub(crate) fn print_json(value: &serde_json::Value) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// Writes bytes to `out`, or to stdout when `out` is `None`. A file is written whole or not at
/// all: it goes to a temporary sibling first and is renamed into place.
pub(crate) fn write_output(out: Option<&Path>, bytes: &[u8]) -> anyhow::Result<()> {
    match out {
        None => {
            std::io::stdout().lock().write_all(bytes)?;
            Ok(())
        }
        Some(path) => write_atomically(path, bytes),
    }
}

/// Writes a whole file via a temporary sibling and a rename, so a reader never sees half of it.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use anyhow::Context;
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("output");
    let tmp = path.with_file_name(format!(".{file_name}.tmp"));
    let result = std::fs::File::create(&tmp)
        .and_then(|mut file| file.write_all(bytes).and_then(|_| file.sync_all()))
        .and_then(|_| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.with_context(|| format!("{}", path.display()))
}
