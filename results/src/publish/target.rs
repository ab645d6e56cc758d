//! Where to publish: the grade book's base URL, its token URL and the client id, checked before
//! anything is queued.

use super::PublishError;

/// Where to publish.
#[derive(Clone, PartialEq, Eq)]
pub struct PublishTarget {
    /// The grade book's base URL, without a trailing `/` (the binding's paths follow it).
    pub base_url: String,
    /// The OAuth 2 token endpoint.
    pub token_url: String,
    /// The OAuth 2 client id (not secret).
    pub client_id: String,
    /// The school's sourcedId for line items, when the grade book needs one.
    pub school: Option<String>,
}

impl std::fmt::Debug for PublishTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublishTarget")
            .field("base_url", &self.base_url)
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("school", &self.school)
            .finish()
    }
}

impl PublishTarget {
    /// Checks the URLs; the token URL defaults to `<base>/token`.
    pub fn new(base_url: &str, token_url: Option<&str>, client_id: &str) -> Result<PublishTarget, PublishError> {
        let base = check_url(base_url)?;
        let token = match token_url {
            Some(url) => check_url(url)?,
            None => format!("{base}/token"),
        };
        if client_id.trim().is_empty() {
            return Err(PublishError::BadUrl {
                url: base_url.to_owned(),
                detail: "thiếu client id / the client id is empty".to_owned(),
            });
        }
        Ok(PublishTarget { base_url: base, token_url: token, client_id: client_id.trim().to_owned(), school: None })
    }
}

/// `http(s)://host[:port][/path]` without a trailing slash, query or fragment.
fn check_url(url: &str) -> Result<String, PublishError> {
    let bad = |detail: &str| PublishError::BadUrl { url: url.to_owned(), detail: detail.to_owned() };
    let trimmed = url.trim().trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"))
        .ok_or_else(|| bad("cần bắt đầu bằng http:// hoặc https:// / must start with http:// or https://"))?;
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() || host.starts_with(':') {
        return Err(bad("thiếu tên máy / no host"));
    }
    if trimmed.contains(['?', '#', ' ']) || trimmed.chars().any(char::is_control) {
        return Err(bad("không được có ?, #, dấu cách / no query, fragment or spaces"));
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn checking_a_url_never_panics_and_keeps_the_scheme(url in "\\PC{0,60}") {
            if let Ok(target) = PublishTarget::new(&url, None, "truong") {
                prop_assert!(target.base_url.starts_with("http://") || target.base_url.starts_with("https://"));
                prop_assert!(!target.base_url.ends_with('/'));
                prop_assert_eq!(target.token_url, format!("{}/token", target.base_url));
            }
        }
    }

    #[test]
    fn an_explicit_token_url_and_an_empty_client_id() {
        let target =
            PublishTarget::new("https://so-diem.edu.vn/", Some("https://auth.edu.vn/oauth/token"), " ab ").unwrap();
        assert_eq!((target.token_url.as_str(), target.client_id.as_str()), ("https://auth.edu.vn/oauth/token", "ab"));
        let error = PublishTarget::new("https://so-diem.edu.vn", None, " ").unwrap_err();
        assert!(error.to_string().contains("client id is empty"), "{error}");
        assert!(PublishTarget::new("https://so-diem.edu.vn", Some("token"), "ab").is_err());
    }
}
