//! `proctor trust add|list|remove`: the teacher and reviewer keys the school trusts.

use crate::commands::{Context, utc};
use anyhow::{Context as _, bail};
use clap::Subcommand;
use phongthi_crypto::PublicKey;
use phongthi_store::TrustedSigner;
use phongthi_store::admin::{now_ms, open_store};

#[derive(Subcommand)]
pub(crate) enum TrustCommand {
    /// Tin cậy khóa của một giáo viên hoặc người duyệt / trust a teacher's or reviewer's key
    Add {
        /// Khóa công khai (64 chữ số hex, `qbank keygen` in ra) / the public key (64 hex digits, as
        /// `qbank keygen` prints it)
        key: String,
        /// Tên người giữ khóa / who holds the key
        #[arg(long)]
        name: String,
    },
    /// Danh sách khóa được tin cậy / list the trusted keys
    List,
    /// Thôi tin cậy một khóa / stop trusting a key
    Remove {
        /// Khóa công khai / the public key
        key: String,
    },
}

fn parse_key(text: &str) -> anyhow::Result<PublicKey> {
    let text = text.trim();
    PublicKey::from_hex(&text.to_ascii_lowercase()).with_context(|| {
        format!(
            "{text:?}: cần khóa công khai 64 chữ số hex (dòng \"Khóa công khai\" của qbank keygen) / a public key of 64 \
             hex digits is needed (the \"Public key\" line of qbank keygen)"
        )
    })
}

pub(crate) async fn trust(ctx: &Context, command: TrustCommand) -> anyhow::Result<()> {
    let t = |vi, en| ctx.lang.t(vi, en);
    let (store, _) = open_store(&ctx.data, ctx.key_passphrase()?.as_ref())?;
    let outcome = match command {
        TrustCommand::Add { key, name } => {
            let key = parse_key(&key)?;
            if name.trim().is_empty() {
                bail!("--name: cần tên người giữ khóa / the key holder's name is needed");
            }
            let signer = TrustedSigner { key, name: name.trim().to_owned(), added_ms: now_ms() };
            let new = store.trust_signer(signer, "proctor").await?;
            let word = if new { t("Đã tin cậy", "Trusted") } else { t("Đã đổi tên", "Renamed") };
            println!("{word}: {} ({})", name.trim(), key.fingerprint());
            Ok(())
        }
        TrustCommand::List => {
            let signers = store.reader()?.trusted_signers()?;
            if signers.is_empty() {
                println!(
                    "{}",
                    t(
                        "Chưa tin cậy khóa nào: `proctor exam add` sẽ từ chối mọi đề.",
                        "No key is trusted yet: `proctor exam add` will refuse every exam."
                    )
                );
            }
            for signer in signers {
                println!("{}  {}  {}  {}", signer.key.fingerprint(), signer.name, utc(signer.added_ms), signer.key);
            }
            Ok(())
        }
        TrustCommand::Remove { key } => {
            let key = parse_key(&key)?;
            if store.distrust_signer(key, now_ms(), "proctor").await? {
                println!("{}: {}", t("Đã thôi tin cậy", "No longer trusted"), key.fingerprint());
                Ok(())
            } else {
                Err(anyhow::anyhow!(
                    "{}: chưa được tin cậy nên không có gì để xóa / was not trusted, nothing removed",
                    key.fingerprint()
                ))
            }
        }
    };
    store.close()?;
    outcome
}
