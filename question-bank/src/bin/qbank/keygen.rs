//! `qbank keygen`: a teacher's Ed25519 signing key, optionally passphrase-protected.

use anyhow::Context;
use clap::Args;
use phongthi_crypto::{KdfParams, Passphrase, SigningKey};
use phongthi_question_bank::i18n::Lang;
use std::path::PathBuf;

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
