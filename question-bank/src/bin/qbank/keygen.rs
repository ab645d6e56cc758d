//! `qbank keygen`: a teacher's Ed25519 signing key, optionally passphrase-protected. The same
//! kind of key signs exam bundles (`assemble --key`), an author's submissions (`submit --key`)
//! and a reviewer's decisions (`review --key`).

use anyhow::Context;
use clap::Args;
use phongthi_crypto::{KdfParams, Passphrase, SigningKey};
use phongthi_question_bank::i18n::Lang;
use std::path::{Path, PathBuf};

/// Loads a signing key, with its passphrase file when the key has one.
pub(crate) fn load(key: &Path, passphrase_file: Option<&Path>) -> anyhow::Result<SigningKey> {
    let passphrase = passphrase_file.map(Passphrase::from_file).transpose()?;
    phongthi_crypto::load_key(key, passphrase.as_ref()).with_context(|| key.display().to_string())
}

#[derive(Args)]
pub(crate) struct KeygenArgs {
    /// Tệp khóa mới (không ghi đè) / new key file (never overwritten)
    #[arg(long)]
    out: PathBuf,
    /// Bảo vệ khóa bằng mật khẩu trong tệp này / protect the key with the passphrase in this file
    #[arg(long)]
    passphrase_file: Option<PathBuf>,
}

pub(crate) fn run(lang: Lang, args: KeygenArgs) -> anyhow::Result<()> {
    let key = SigningKey::generate()?;
    let passphrase = args.passphrase_file.as_deref().map(Passphrase::from_file).transpose()?;
    phongthi_crypto::save_key(&args.out, &key, passphrase.as_ref().map(|p| (p, KdfParams::default())))
        .with_context(|| args.out.display().to_string())?;
    println!("{}: {}", lang.t("Đã tạo khóa", "Created key"), args.out.display());
    println!("{}: {}", lang.t("Dấu vân tay", "Fingerprint"), key.public_key().fingerprint());
    println!("{}: {}", lang.t("Khóa công khai", "Public key"), key.public_key());
    Ok(())
}
