//! `proctor allow-build`: the client builds the proctor accepts at login, kept in the proctor's
//! store in the data directory (never in `lab.toml`, which lab PCs read), each change in the
//! audit log. `serve` reads the list when it starts.
//!
//! ```text
//! proctor allow-build VALUE --name "Phòng Thi 0.3 Windows"   # add (or rename)
//! proctor allow-build --list
//! proctor allow-build --remove VALUE
//! ```
//! VALUE is what `exam-client --print-integrity` prints on a PC with that build.

use crate::commands::{Context, utc};
use anyhow::{Context as _, bail};
use clap::{ArgGroup, Args};
use phongthi_crypto::BuildDigest;
use phongthi_store::admin::{now_ms, open_store};
use phongthi_store::{AllowedBuildRecord, AuditNote, BuildAdded};

/// The longest name kept: it is a label for the list, not a description.
const MAX_NAME_CHARS: usize = 120;

#[derive(Args)]
#[command(group(ArgGroup::new("action").args(["value", "list", "remove"]).required(true)))]
pub(crate) struct AllowBuildArgs {
    /// Giá trị của bản máy khách (64 chữ số hex, do `exam-client --print-integrity` in ra) /
    /// the build's value (64 hex digits, printed by `exam-client --print-integrity`)
    value: Option<String>,
    /// Tên gọi của bản này, ví dụ "Phòng Thi 0.3 Windows" / a name for it
    #[arg(long)]
    name: Option<String>,
    /// Liệt kê các bản được phép / list the allowed builds
    #[arg(long)]
    list: bool,
    /// Bỏ một bản khỏi danh sách / stop allowing a build
    #[arg(long, value_name = "VALUE")]
    remove: Option<String>,
}

/// The value an operator typed, or a message saying what a value looks like.
fn parse_value(text: &str) -> anyhow::Result<BuildDigest> {
    match BuildDigest::parse(text) {
        Some(digest) => Ok(digest),
        None => bail!(
            "giá trị {text:?} không hợp lệ: cần đúng 64 chữ số hex, như `exam-client --print-integrity` in ra / \
             invalid value {text:?}: exactly 64 hex digits are needed, as `exam-client --print-integrity` prints"
        ),
    }
}

fn parse_name(name: Option<&str>) -> anyhow::Result<String> {
    let name = name.map(str::trim).unwrap_or_default();
    if name.is_empty() {
        bail!(
            "cần đặt tên cho bản này: --name \"Phòng Thi 0.3 Windows\" / the build needs a name: \
             --name \"Phòng Thi 0.3 Windows\""
        );
    }
    if name.chars().count() > MAX_NAME_CHARS {
        bail!("tên dài quá {MAX_NAME_CHARS} ký tự / the name is longer than {MAX_NAME_CHARS} characters");
    }
    Ok(name.to_owned())
}

pub(crate) async fn allow_build(ctx: &Context, args: AllowBuildArgs) -> anyhow::Result<()> {
    let t = |vi, en| ctx.lang.t(vi, en);
    // Checked before the store is opened, so a mistyped value never needs the key passphrase.
    let action = match (&args.value, &args.remove) {
        (Some(value), _) => Some((parse_value(value)?, Some(parse_name(args.name.as_deref())?))),
        (None, Some(value)) => Some((parse_value(value)?, None)),
        (None, None) => None,
    };
    if args.name.is_some() && args.value.is_none() {
        bail!("--name chỉ đi cùng một giá trị cần thêm / --name goes with a value to add");
    }
    let (store, _) = open_store(&ctx.data, ctx.key_passphrase()?.as_ref())?;
    match action {
        Some((digest, Some(name))) => {
            let detail = serde_json::json!({ "build": digest.to_hex(), "name": name }).to_string();
            let note = AuditNote::new(now_ms(), "proctor", "build.allow", detail);
            let record = AllowedBuildRecord { digest, name: name.clone(), added_ms: now_ms() };
            let added = store.allow_build(record, note).await.context("allow-build")?;
            match added {
                BuildAdded::Added => println!("{}: {name}", t("Đã cho phép bản máy khách", "Allowed client build")),
                BuildAdded::Renamed => println!("{}: {name}", t("Đã đổi tên bản máy khách", "Renamed client build")),
            }
            println!("  {digest}");
            println!(
                "{}",
                t(
                    "Có hiệu lực từ lần chạy `proctor serve` tiếp theo.",
                    "Takes effect the next time `proctor serve` starts."
                )
            );
        }
        Some((digest, None)) => {
            let detail = serde_json::json!({ "build": digest.to_hex() }).to_string();
            let note = AuditNote::new(now_ms(), "proctor", "build.remove", detail);
            match store.remove_build(digest, note).await.context("allow-build --remove")? {
                Some(removed) => {
                    println!("{}: {}", t("Đã bỏ bản máy khách", "Removed client build"), removed.name);
                    println!("  {digest}");
                }
                None => {
                    store.close()?;
                    bail!(
                        "{digest} không có trong danh sách được phép / {digest} is not on the list of allowed builds"
                    );
                }
            }
        }
        None => {
            let builds = store.reader()?.allowed_builds()?;
            println!("{}: {}", t("Bản máy khách được phép", "Allowed client builds"), builds.len());
            for build in &builds {
                println!("{}  {}  ({} {})", build.digest, build.name, t("thêm lúc", "added"), utc(build.added_ms));
            }
            if builds.is_empty() {
                println!(
                    "{}",
                    t(
                        "Chưa có bản nào: máy chủ không kiểm tra phần mềm thi (và từ chối chạy với --strict-integrity).",
                        "None yet: the server does not check client builds (and refuses to run with --strict-integrity)."
                    )
                );
            }
        }
    }
    store.close()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_names_are_checked_with_bilingual_messages() {
        let value = "ab".repeat(32);
        assert_eq!(parse_value(&value.to_uppercase()).unwrap().to_hex(), value);
        for bad in ["", "abc", &"g".repeat(64), &"ab".repeat(33)] {
            let error = parse_value(bad).unwrap_err().to_string();
            assert!(error.contains("64 chữ số hex") && error.contains("64 hex digits"), "{error}");
        }
        assert_eq!(parse_name(Some("  Phòng Thi 0.3 Windows ")).unwrap(), "Phòng Thi 0.3 Windows");
        for bad in [None, Some("   "), Some(&*"x".repeat(MAX_NAME_CHARS + 1))] {
            let error = parse_name(bad).unwrap_err().to_string();
            assert!(error.contains(" / "), "{error}");
        }
    }
}
