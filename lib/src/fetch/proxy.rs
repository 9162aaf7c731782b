//! HTTP CONNECT proxies (`--proxy http://host:port`, `HTTPS_PROXY`).

use std::fmt;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::FetchError;

/// Longest proxy response header accepted.
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

/// Asks the proxy on `stream` to connect to `host:port`; on success the stream is a tunnel.
pub(crate) async fn connect(
    stream: &mut TcpStream,
    proxy: &ProxyUrl,
    host: &str,
    port: u16,
) -> Result<(), FetchError> {
    let fail = |reason: String| FetchError::Proxy {
        proxy: proxy.to_string(),
        reason,
    };
    let authority = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let request = format!(
        "CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\nUser-Agent: chainscope/{}\r\n\r\n",
        env!("CARGO_PKG_VERSION")
    );
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(|e| fail(e.to_string()))?;
    // Read byte by byte up to the blank line: the TLS bytes after it are not ours to take.
    let mut reply = Vec::new();
    let mut byte = [0u8; 1];
    while !reply.ends_with(b"\r\n\r\n") && !reply.ends_with(b"\n\n") {
        let n = stream
            .read(&mut byte)
            .await
            .map_err(|e| fail(e.to_string()))?;
        if n == 0 {
            return Err(fail(
                "closed the connection instead of answering CONNECT".into(),
            ));
        }
        reply.push(byte[0]);
        if reply.len() > REPLY_LIMIT {
            return Err(fail(
                "answered CONNECT with more than 16 KiB of headers".into(),
            ));
        }
    }
    let text = String::from_utf8_lossy(&reply);
    let status_line = text.lines().next().unwrap_or_default().trim().to_string();
    let code = status_line.split_whitespace().nth(1).unwrap_or_default();
    if status_line.starts_with("HTTP/") && code.starts_with('2') {
        Ok(())
    } else {
        Err(fail(format!("CONNECT {authority} refused: {status_line}")))
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
