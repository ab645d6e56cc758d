//! `qbank demo`: the whole teacher flow on the example files, in a temporary folder.
//!
//! It runs this very binary with the commands a teacher would type (and prints them), so a
//! newcomer sees every step work and learns the commands at the same time: the author's and the
//! reviewer's keys, import, submit and review (signed), assemble four forms, print the key,
//! grade answer sheets.

use anyhow::{Context, bail};
use clap::Args;
use phongthi_question_bank::i18n::Lang;
use std::path::Path;
use std::process::Command;

const EXAMPLES: [(&str, &str); 4] = [
    ("questions.csv", include_str!("../../../../examples/questions.csv")),
    ("toan10.gift", include_str!("../../../../examples/toan10.gift")),
    ("blueprint.toml", include_str!("../../../../examples/blueprint.toml")),
    ("sheets.csv", include_str!("../../../../examples/sheets.csv")),
];

#[derive(Args)]
pub(crate) struct DemoArgs {
    /// Giữ lại thư mục tạm để xem các tệp / keep the temporary folder to look at the files
    #[arg(long)]
    keep: bool,
}

struct Runner<'a> {
    exe: std::path::PathBuf,
    dir: &'a Path,
    lang: Lang,
}

impl Runner<'_> {
    /// Runs and prints the command and its output.
    fn run(&self, args: &[&str]) -> anyhow::Result<String> {
        self.run_echo(args, true)
    }

    /// Runs and prints the command, keeping its output for the demo itself.
    fn run_quiet(&self, args: &[&str]) -> anyhow::Result<String> {
        self.run_echo(args, false)
    }

    fn run_echo(&self, args: &[&str], echo: bool) -> anyhow::Result<String> {
        println!("\n$ qbank {}", args.join(" "));
        let output = Command::new(&self.exe)
            .args(["--db", "bank.sqlite", "--lang", if self.lang == Lang::En { "en" } else { "vi" }])
            .args(args)
            .current_dir(self.dir)
            .output()
            .context("qbank")?;
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        if echo {
            print!("{stdout}");
        }
        eprint!("{}", String::from_utf8_lossy(&output.stderr));
        if !output.status.success() {
            bail!("qbank {} ({})", args.join(" "), output.status);
        }
        Ok(stdout)
    }
}

pub(crate) fn run(lang: Lang, args: DemoArgs) -> anyhow::Result<()> {
    let dir = tempfile::Builder::new().prefix("phongthi-demo-").tempdir()?;
    for (name, content) in EXAMPLES {
        std::fs::write(dir.path().join(name), content)?;
    }
    std::fs::write(dir.path().join("mat-khau.txt"), "Kiểm tra giữa kỳ I — tổ Toán\n")?;
    println!("{} {}", lang.t("Thư mục làm việc:", "Working folder:"), dir.path().display());
    let runner = Runner { exe: std::env::current_exe()?, dir: dir.path(), lang };

    // Two people, two keys: the teacher writes and submits, the head of the subject group
    // reviews. A proctor counts only approvals by someone other than the author.
    runner.run(&["keygen", "--out", "giao-vien.key"])?;
    runner.run(&["keygen", "--out", "to-truong.key"])?;
    runner.run(&["import", "questions.csv", "toan10.gift", "--subject", "Toán", "--grade", "10"])?;
    runner.run(&["list"])?;
    let listed: serde_json::Value = serde_json::from_str(&runner.run_quiet(&["list", "--status", "draft", "--json"])?)?;
    let ids: Vec<String> =
        listed.as_array().into_iter().flatten().filter_map(|i| i["id"].as_i64()).map(|i| i.to_string()).collect();
    let mut submit = vec!["submit", "--by", "Nguyễn Thị Lan", "--key", "giao-vien.key"];
    submit.extend(ids.iter().map(String::as_str));
    runner.run(&submit)?;
    // The subject group approves every item; one command each, as the workflow records a
    // reviewer per item. Only the first is shown in full.
    for (i, id) in ids.iter().enumerate() {
        let review = ["review", id, "--approve", "--by", "Tổ trưởng tổ Toán", "--key", "to-truong.key"];
        if i == 0 {
            runner.run(&review)?
        } else {
            runner.run_quiet(&review)?
        };
    }
    runner.run(&[
        "assemble",
        "blueprint.toml",
        "--forms",
        "4",
        "--seed",
        "2026",
        "--out",
        "giua-ky-1.exam",
        "--passphrase-file",
        "mat-khau.txt",
        "--key",
        "giao-vien.key",
    ])?;
    runner.run(&["key", "giua-ky-1.exam", "--passphrase-file", "mat-khau.txt"])?;
    runner.run(&["grade", "giua-ky-1.exam", "--passphrase-file", "mat-khau.txt", "sheets.csv"])?;
    if args.keep {
        let kept = dir.keep();
        println!("\n{} {}", lang.t("Giữ lại thư mục:", "Kept folder:"), kept.display());
    }
    Ok(())
}
