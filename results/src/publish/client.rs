//! The HTTP side of publishing: the OAuth 2 client-credentials token and one `PUT` per outbox
//! entry, each answer sorted into delivered / retry later / refused for good.
//!
//! Blocking `ureq` 3 over rustls with the ring provider (the workspace never builds aws-lc);
//! plain `http://` works for LAN gateways. Proxies from the environment are ignored: a grade
//! book on the school LAN must not be sent through a proxy set for the internet. The bearer
//! token is reused until shortly before it expires or until the server answers 401, then fetched
//! again once.
//!
//! **Secrets.** The secret and the token live in `Zeroizing` strings and only ever go into an
//! `Authorization` header. ureq logs through the `log` crate with headers allow-listed (no
//! `Authorization`) up to DEBUG, but unredacted at TRACE; the proctor installs no `log` backend,
//! and one must never be installed at TRACE for ureq.

use super::backoff::parse_retry_after;
use super::secret::{AccessToken, ClientSecret};
use super::{PublishTarget, SCOPE};
use crate::export::oneroster::id_part;
use base64::Engine as _;
use std::time::{Duration, Instant};
use zeroize::Zeroizing;

/// The binding's path under the base URL.
pub const GRADEBOOK_PATH: &str = "/ims/oneroster/gradebook/v1p2";

/// How much of a server's error message is kept (a whole HTML error page is not useful).
const MESSAGE_MAX_CHARS: usize = 300;

/// A token is renewed this long before the server says it expires.
const TOKEN_MARGIN: Duration = Duration::from_secs(30);

/// What one attempt came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// 2xx.
    Delivered(u16),
    /// 408, 429, 5xx or no answer: try again later (no sooner than `retry_after`).
    Retry {
        /// The status, when the server answered.
        status: Option<u16>,
        /// What went wrong.
        error: String,
        /// The server's `Retry-After`.
        retry_after: Option<Duration>,
    },
    /// Another 4xx: the server will not accept this request as it is.
    Refused {
        /// The status.
        status: u16,
        /// The server's message.
        error: String,
    },
    /// The grade book refuses our credentials (token refused, or 401 with a fresh token): stop the
    /// run, nothing else will get through either.
    Unauthorized(String),
}

/// A connection to one grade book.
pub struct GradebookClient {
    agent: ureq::Agent,
    target: PublishTarget,
    secret: ClientSecret,
    token: Option<(AccessToken, Instant)>,
    /// Tokens fetched (for the report and the tests' "reused" check).
    pub tokens_fetched: u32,
}

impl GradebookClient {
    /// A client for `target`; nothing is sent yet.
    pub fn new(target: PublishTarget, secret: ClientSecret) -> GradebookClient {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .proxy(None)
            .max_redirects(0)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(Duration::from_secs(60)))
            .user_agent(concat!("phongthi-proctor/", env!("CARGO_PKG_VERSION")))
            .build();
        GradebookClient { agent: ureq::Agent::new_with_config(config), target, secret, token: None, tokens_fetched: 0 }
    }

    /// `PUT`s `body` as the `kind` object `sourced_id`.
    pub fn put(&mut self, collection: &str, sourced_id: &str, body: &str) -> Attempt {
        // The path segment is the sourcedId percent-encoded once more, so a `%` inside the id
        // (the CSV export's encoding of non-ASCII classes) reaches the server as itself.
        let url = format!("{}{GRADEBOOK_PATH}/{collection}/{}", self.target.base_url, id_part(sourced_id));
        for fresh_token_tried in [false, true] {
            let bearer = match self.bearer() {
                Ok(bearer) => bearer,
                Err(attempt) => return attempt,
            };
            let sent = self
                .agent
                .put(&url)
                .header("Authorization", bearer.as_str())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .send(body);
            let mut response = match sent {
                Ok(response) => response,
                Err(error) => return connection_failed(&url, &error),
            };
            let status = response.status().as_u16();
            if status == 401 && !fresh_token_tried {
                self.token = None;
                continue;
            }
            let retry_after =
                response.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(parse_retry_after);
            let message = server_message(response.body_mut().read_to_string().unwrap_or_default(), status);
            return match status {
                200..=299 => Attempt::Delivered(status),
                401 => Attempt::Unauthorized(format!(
                    "sổ điểm từ chối cả mã truy cập mới / the grade book refuses even a fresh token: {message}"
                )),
                408 | 429 | 500..=599 => Attempt::Retry { status: Some(status), error: message, retry_after },
                _ => Attempt::Refused { status, error: message },
            };
        }
        Attempt::Unauthorized("401".to_owned())
    }

    /// `Bearer <token>`, fetching a token when there is none or it is about to expire.
    fn bearer(&mut self) -> Result<Zeroizing<String>, Attempt> {
        if let Some((token, expires)) = &self.token
            && Instant::now() < *expires
        {
            return Ok(Zeroizing::new(format!("Bearer {}", token.0.as_str())));
        }
        let (token, lifetime) = self.fetch_token()?;
        let header = Zeroizing::new(format!("Bearer {}", token.0.as_str()));
        self.token = Some((token, Instant::now() + lifetime.saturating_sub(TOKEN_MARGIN)));
        Ok(header)
    }

    /// The client-credentials grant: HTTP Basic with the client id and secret, the gradebook
    /// scope, form-encoded.
    fn fetch_token(&mut self) -> Result<(AccessToken, Duration), Attempt> {
        let url = self.target.token_url.clone();
        let credentials = Zeroizing::new(format!("{}:{}", self.target.client_id, self.secret.expose()));
        let basic = Zeroizing::new(format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(credentials.as_bytes())
        ));
        let form = format!("grant_type=client_credentials&scope={}", id_part(SCOPE));
        let sent = self
            .agent
            .post(&url)
            .header("Authorization", basic.as_str())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .send(form.as_str());
        let mut response = match sent {
            Ok(response) => response,
            Err(error) => return Err(connection_failed(&url, &error)),
        };
        let status = response.status().as_u16();
        let text = Zeroizing::new(response.body_mut().read_to_string().unwrap_or_default());
        match status {
            200..=299 => {}
            400 | 401 | 403 => {
                return Err(Attempt::Unauthorized(format!(
                    "máy chủ cấp mã từ chối client id/secret / the token endpoint refuses the client id/secret \
                     ({url}): {}",
                    server_message(text.to_string(), status)
                )));
            }
            408 | 429 | 500..=599 => {
                let retry_after =
                    response.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(parse_retry_after);
                return Err(Attempt::Retry {
                    status: Some(status),
                    error: format!("{url}: {}", server_message(text.to_string(), status)),
                    retry_after,
                });
            }
            _ => {
                return Err(Attempt::Unauthorized(format!("{url}: {}", server_message(text.to_string(), status))));
            }
        }
        let parsed: serde_json::Value = serde_json::from_str(&text).map_err(|_| {
            Attempt::Unauthorized(format!("{url}: câu trả lời không phải JSON / the token answer is not JSON"))
        })?;
        let token = parsed.get("access_token").and_then(|v| v.as_str()).filter(|t| !t.is_empty()).ok_or_else(|| {
            Attempt::Unauthorized(format!("{url}: thiếu access_token / no access_token in the answer"))
        })?;
        let lifetime = parsed.get("expires_in").and_then(serde_json::Value::as_u64).unwrap_or(3_600);
        self.tokens_fetched += 1;
        Ok((AccessToken(Zeroizing::new(token.to_owned())), Duration::from_secs(lifetime)))
    }
}

fn connection_failed(url: &str, error: &ureq::Error) -> Attempt {
    Attempt::Retry {
        status: None,
        error: format!("không kết nối được {url} / cannot reach {url}: {error}"),
        retry_after: None,
    }
}

/// `HTTP 422: <the server's text, shortened>`; OneRoster's `imsx_description` when present.
fn server_message(body: String, status: u16) -> String {
    let described = serde_json::from_str::<serde_json::Value>(&body).ok().and_then(|v| {
        v.pointer("/imsx_statusInfo/imsx_description")
            .or_else(|| v.pointer("/imsx_description"))
            .or_else(|| v.get("error_description"))
            .or_else(|| v.get("error"))
            .and_then(|d| d.as_str().map(str::to_owned))
    });
    let text = described.unwrap_or(body);
    let short: String = text.trim().chars().take(MESSAGE_MAX_CHARS).collect();
    if short.is_empty() { format!("HTTP {status}") } else { format!("HTTP {status}: {short}") }
}

impl std::fmt::Debug for GradebookClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GradebookClient")
            .field("target", &self.target)
            .field("secret", &"<hidden>")
            .field("token", &self.token.as_ref().map(|_| "<hidden>"))
            .finish()
    }
}
