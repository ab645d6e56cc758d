//! The OAuth client secret and the access token: read from a file, kept out of `Debug`, logs and
//! the store, wiped from memory when dropped.

use super::PublishError;
use std::path::Path;
use zeroize::Zeroizing;

/// The grade book's client secret. It has no `Debug` and no `Display`: the only way out is the
/// `Authorization` header of the token request.
pub struct ClientSecret(Zeroizing<String>);

impl ClientSecret {
    /// Reads the secret from `path`: the whole file without the trailing line break (an editor's
    /// newline is not part of the secret). An empty file is refused.
    pub fn from_file(path: &Path) -> Result<ClientSecret, PublishError> {
        let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|source| PublishError::SecretFile {
            file: path.display().to_string(),
            detail: source.to_string(),
        })?);
        let trimmed = text.trim_end_matches(['\r', '\n']);
        if trimmed.is_empty() {
            return Err(PublishError::SecretFile {
                file: path.display().to_string(),
                detail: "tệp rỗng / the file is empty".to_owned(),
            });
        }
        Ok(ClientSecret(Zeroizing::new(trimmed.to_owned())))
    }

    /// A secret given in memory (tests, a GUI that asked for it).
    pub fn new(secret: impl Into<String>) -> ClientSecret {
        ClientSecret(Zeroizing::new(secret.into()))
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

/// A bearer token from the grade book's token endpoint; no `Debug` either.
pub(crate) struct AccessToken(pub(crate) Zeroizing<String>);
