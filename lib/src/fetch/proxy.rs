//! HTTP CONNECT proxies (`FetchOptions::proxy`, `http://host:port`).

use std::fmt;

use http_body_util::Empty;
use hyper::body::Bytes;
use hyper::client::conn::http1;
use hyper::upgrade::Upgraded;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use super::FetchError;

/// Longest proxy response head accepted (hyper's read buffer; at least 8 KiB).
const REPLY_LIMIT: usize = 16 * 1024;

/// A parsed `http://host:port` proxy address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProxyUrl {
    pub(crate) host: String,
    pub(crate) port: u16,
}

impl fmt::Display for ProxyUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "http://[{}]:{}", self.host, self.port)
        } else {
            write!(f, "http://{}:{}", self.host, self.port)
        }
    }
}

impl ProxyUrl {
    /// Parses `http://host[:port][/]` or `host:port`; the port defaults to 1080 like curl.
    pub(crate) fn parse(text: &str) -> Result<ProxyUrl, FetchError> {
        let bad = |reason: String| FetchError::InvalidOption {
            option: crate::Hint::Proxy.as_str().into(),
            reason: format!("`{text}`: {reason}"),
        };
        let rest = match text.split_once("://") {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") => rest,
            Some((scheme, _)) => {
                return Err(bad(format!(
                    "only http:// (CONNECT) proxies are supported, not {scheme}://"
                )))
            }
            None => text,
        };
        let rest = rest.trim_end_matches('/');
        if rest.contains('@') {
            return Err(bad("proxy credentials are not supported".into()));
        }
        let t = super::Target::parse(rest).map_err(|e| match e {
            FetchError::InvalidTarget { reason, .. } => bad(reason),
            other => other,
        })?;
        Ok(ProxyUrl {
            host: t.host,
            port: if t.port_explicit { t.port } else { 1080 },
        })
    }
}

/// Asks the proxy on `stream` to connect to `host:port` (an HTTP/1.1 `CONNECT` through
/// hyper): on success, the tunnel to the target. Bytes the proxy sent after its answer (a
/// server that speaks first, relayed at once) stay in the tunnel for the reader.
pub(crate) async fn connect(
    stream: TcpStream,
    proxy: &ProxyUrl,
    host: &str,
    port: u16,
) -> Result<TokioIo<Upgraded>, FetchError> {
    let fail = |reason: String| FetchError::Proxy {
        proxy: proxy.to_string(),
        reason,
    };
    let authority = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let mut builder = http1::Builder::new();
    builder.max_buf_size(REPLY_LIMIT);
    let (mut sender, connection) = builder
        .handshake::<_, Empty<Bytes>>(TokioIo::new(stream))
        .await
        .map_err(|e| fail(format!("HTTP: {e}")))?;
    // The driver ends once it hands the connection over to the tunnel; dropped earlier (a
    // refusal, a timeout), it closes the connection.
    let _driver = AbortOnDrop(tokio::spawn(async move {
        let _ = connection.with_upgrades().await;
    }));
    let request = hyper::Request::connect(authority.as_str())
        .header(hyper::header::HOST, authority.as_str())
        .header(
            hyper::header::USER_AGENT,
            concat!("chainscope/", env!("CARGO_PKG_VERSION")),
        )
        .body(Empty::new())
        .map_err(|e| fail(format!("cannot build CONNECT {authority}: {e}")))?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| fail(answer_error(&e)))?;
    if !response.status().is_success() {
        return Err(fail(format!(
            "CONNECT {authority} refused: {}",
            status_line(&response)
        )));
    }
    let tunnel = hyper::upgrade::on(response)
        .await
        .map_err(|e| fail(format!("CONNECT {authority}: the tunnel failed: {e}")))?;
    Ok(TokioIo::new(tunnel))
}

/// The status line as the proxy sent it (`HTTP/1.1 407 Proxy Authentication Required`).
fn status_line<B>(response: &hyper::Response<B>) -> String {
    let status = response.status();
    let reason = match response.extensions().get::<hyper::ext::ReasonPhrase>() {
        Some(reason) => String::from_utf8_lossy(reason.as_bytes()).into_owned(),
        None => status.canonical_reason().unwrap_or_default().to_owned(),
    };
    format!("{:?} {} {reason}", response.version(), status.as_u16())
        .trim_end()
        .to_owned()
}

/// What went wrong before the proxy's answer was read, in words.
fn answer_error(e: &hyper::Error) -> String {
    // hyper says which parse error only in its message (`is_parse_too_large` is server-side).
    if e.is_parse() && e.to_string().contains("too large") {
        format!(
            "answered CONNECT with more than {} KiB of headers",
            REPLY_LIMIT / 1024
        )
    } else if e.is_incomplete_message() || e.is_closed() || e.is_canceled() {
        "closed the connection instead of answering CONNECT".into()
    } else if e.is_parse() {
        format!("did not answer CONNECT in HTTP ({e})")
    } else {
        match std::error::Error::source(e) {
            Some(cause) => format!("CONNECT failed: {e}: {cause}"),
            None => format!("CONNECT failed: {e}"),
        }
    }
}

/// Whether `host` is reached without the proxy under `no_proxy` (`NO_PROXY` syntax:
/// `example.com` also matches its subdomains, `.example.com` only them, `*` everything).
pub(super) fn bypasses_proxy(no_proxy: &[String], host: &str) -> bool {
    no_proxy.iter().any(|rule| {
        let rule = rule.trim().trim_start_matches('*').to_ascii_lowercase();
        rule.is_empty() && no_proxy.iter().any(|r| r.trim() == "*")
            || rule.strip_prefix('.').map_or(
                !rule.is_empty() && (host == rule || host.ends_with(&format!(".{rule}"))),
                |suffix| host.ends_with(&format!(".{suffix}")),
            )
    })
}

/// Aborts a spawned task when dropped (the connection driver of a download given up).
pub(super) struct AbortOnDrop(pub(super) tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_urls() {
        assert_eq!(
            ProxyUrl::parse("http://proxy.local:3128/").unwrap(),
            ProxyUrl {
                host: "proxy.local".into(),
                port: 3128
            }
        );
        assert_eq!(ProxyUrl::parse("proxy.local").unwrap().port, 1080);
        assert!(ProxyUrl::parse("socks5://p:1")
            .unwrap_err()
            .to_string()
            .contains("only http://"));
        assert!(ProxyUrl::parse("http://u:p@p:1").is_err());
    }
}
