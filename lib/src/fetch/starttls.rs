//! Just enough of each protocol to ask for the TLS upgrade. Replies are read byte by byte
//! up to the end of a line, so no byte of the server's TLS handshake is consumed here.

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::stream::Stream;
use super::{FetchError, Phase, Starttls};

/// Longest reply line accepted.
const LINE_LIMIT: usize = 4096;
/// Most lines accepted in one multi-line reply.
const LINES_LIMIT: usize = 100;
/// Most bytes accepted for XMPP stream features / LDAP responses.
const BLOB_LIMIT: usize = 64 * 1024;

struct Session<'a> {
    stream: &'a mut Stream,
    protocol: Starttls,
    label: &'a str,
}

impl Session<'_> {
    fn refused(&self, reply: impl Into<String>) -> FetchError {
        let mut reply: String = reply.into();
        if reply.len() > 200 {
            let mut cut = 200;
            while !reply.is_char_boundary(cut) {
                cut -= 1;
            }
            reply.truncate(cut);
            reply.push('…');
        }
        FetchError::StarttlsRefused {
            target: self.label.to_string(),
            protocol: self.protocol,
            reply,
        }
    }

    fn io(&self, source: std::io::Error) -> FetchError {
        FetchError::Io {
            target: self.label.to_string(),
            phase: Phase::Starttls,
            source,
        }
    }

    fn closed(&self) -> FetchError {
        FetchError::ConnectionClosed {
            target: self.label.to_string(),
            phase: Phase::Starttls,
        }
    }

    async fn send(&mut self, bytes: &[u8]) -> Result<(), FetchError> {
        self.stream.write_all(bytes).await.map_err(|e| self.io(e))
    }

    /// One line, without its line ending.
    async fn line(&mut self) -> Result<String, FetchError> {
        let mut line = Vec::new();
        let mut byte = [0u8; 1];
        loop {
            let n = self.stream.read(&mut byte).await.map_err(|e| self.io(e))?;
            if n == 0 {
                return Err(self.closed());
            }
            if byte[0] == b'\n' {
                break;
            }
            line.push(byte[0]);
            if line.len() > LINE_LIMIT {
                return Err(self.refused("reply line longer than 4 KiB"));
            }
        }
        if line.first() == Some(&0x16) || line.first() == Some(&0x15) {
            return Err(self.refused("the server answered with TLS already — connect without STARTTLS (the implicit-TLS port scheme)"));
        }
        Ok(String::from_utf8_lossy(&line).trim_end().to_string())
    }

    /// An SMTP/FTP reply: `250-…` continuation lines up to `250 …`. Returns the last line.
    async fn numeric_reply(&mut self) -> Result<String, FetchError> {
        for _ in 0..LINES_LIMIT {
            let line = self.line().await?;
            if line.len() < 4 || line.as_bytes()[3] != b'-' {
                return Ok(line);
            }
        }
        Err(self.refused("reply of more than 100 lines"))
    }

    async fn expect_code(&mut self, code: &str) -> Result<String, FetchError> {
        let reply = self.numeric_reply().await?;
        if reply.starts_with(code) {
            Ok(reply)
        } else {
            Err(self.refused(reply))
        }
    }

    /// Reads until `done(buffer)` holds.
    async fn until(&mut self, done: impl Fn(&str) -> bool) -> Result<String, FetchError> {
        let mut buf = Vec::new();
        let mut chunk = [0u8; 2048];
        loop {
            let n = self.stream.read(&mut chunk).await.map_err(|e| self.io(e))?;
            if n == 0 {
                return Err(self.closed());
            }
            buf.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&buf).into_owned();
            if done(&text) {
                return Ok(text);
            }
            if buf.len() > BLOB_LIMIT {
                return Err(self.refused("more than 64 KiB without the expected answer"));
            }
        }
    }
}

/// Speaks `protocol` on `stream` until the server agrees to start TLS.
pub(crate) async fn upgrade(
    stream: &mut Stream,
    protocol: Starttls,
    domain: &str,
    label: &str,
) -> Result<(), FetchError> {
    let mut s = Session {
        stream,
        protocol,
        label,
    };
    match protocol {
        Starttls::Smtp => {
            s.expect_code("220").await?;
            s.send(b"EHLO chainscope.invalid\r\n").await?;
            s.expect_code("250").await?;
            s.send(b"STARTTLS\r\n").await?;
            s.expect_code("220").await?;
        }
        Starttls::Ftp => {
            s.expect_code("220").await?;
            s.send(b"AUTH TLS\r\n").await?;
            s.expect_code("234").await?;
        }
        Starttls::Pop3 => {
            let greeting = s.line().await?;
            if !greeting.starts_with("+OK") {
                return Err(s.refused(greeting));
            }
            s.send(b"STLS\r\n").await?;
            let reply = s.line().await?;
            if !reply.starts_with("+OK") {
                return Err(s.refused(reply));
            }
        }
        Starttls::Imap => {
            let greeting = s.line().await?;
            if !greeting.starts_with("* OK") {
                return Err(s.refused(greeting));
            }
            s.send(b"cs1 STARTTLS\r\n").await?;
            for _ in 0..LINES_LIMIT {
                let line = s.line().await?;
                if let Some(status) = line.strip_prefix("cs1 ") {
                    if status.starts_with("OK") {
                        return Ok(());
                    }
                    return Err(s.refused(line));
                }
            }
            return Err(s.refused("no tagged answer to STARTTLS"));
        }
        Starttls::Postgres => {
            // SSLRequest: length 8, code 80877103.
            s.send(&[0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]).await?;
            let mut answer = [0u8; 1];
            let n = s.stream.read(&mut answer).await.map_err(|e| s.io(e))?;
            match (n, answer[0]) {
                (0, _) => return Err(s.closed()),
                (_, b'S') => {}
                (_, b'N') => {
                    return Err(s.refused("N (the server does not accept SSL connections)"))
                }
                (_, other) => {
                    return Err(s.refused(format!(
                        "unexpected answer 0x{other:02x} to SSLRequest (is this PostgreSQL?)"
                    )))
                }
            }
        }
        Starttls::Ldap => {
            // ExtendedRequest { messageID 1, requestName "1.3.6.1.4.1.1466.20037" }
            let oid = b"1.3.6.1.4.1.1466.20037";
            let mut req = vec![0x30, 0x1d, 0x02, 0x01, 0x01, 0x77, 0x18, 0x80, 0x16];
            req.extend_from_slice(oid);
            s.send(&req).await?;
            let message = read_ber_element(&mut s).await?;
            let (code, diagnostic) = ldap_result(&message)
                .ok_or_else(|| s.refused("unparseable LDAP ExtendedResponse"))?;
            if code != 0 {
                let text = if diagnostic.is_empty() {
                    format!("resultCode {code}")
                } else {
                    format!("resultCode {code}: {diagnostic}")
                };
                return Err(s.refused(text));
            }
        }
        Starttls::XmppClient => {
            let open = format!(
                "<?xml version='1.0'?><stream:stream to='{}' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>",
                xml_escape(domain)
            );
            s.send(open.as_bytes()).await?;
            let features = s
                .until(|t| {
                    t.contains("</stream:features>")
                        || t.contains("</stream:stream>")
                        || t.contains("<stream:error")
                })
                .await?;
            if !features.contains("urn:ietf:params:xml:ns:xmpp-tls") {
                let why = if features.contains("<stream:error") {
                    "stream error".to_string()
                } else {
                    "stream features do not offer <starttls/>".to_string()
                };
                return Err(s.refused(why));
            }
            s.send(b"<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
                .await?;
            let answer = s
                .until(|t| {
                    t.contains("<proceed")
                        || t.contains("<failure")
                        || t.contains("</stream:stream>")
                })
                .await?;
            if !answer.contains("<proceed") {
                return Err(s.refused(answer.trim().to_string()));
            }
        }
    }
    Ok(())
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('\'', "&apos;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Reads one BER element (tag, definite length, content) and returns its content.
async fn read_ber_element(s: &mut Session<'_>) -> Result<Vec<u8>, FetchError> {
    let mut header = [0u8; 2];
    s.stream
        .read_exact(&mut header)
        .await
        .map_err(|_| s.closed())?;
    if header[0] != 0x30 {
        return Err(s.refused(format!(
            "answer starts with 0x{:02x}, not an LDAP message (is this LDAP?)",
            header[0]
        )));
    }
    let len = if header[1] < 0x80 {
        usize::from(header[1])
    } else {
        let n = usize::from(header[1] & 0x7f);
        if n == 0 || n > 3 {
            return Err(s.refused("LDAP message with an unsupported length"));
        }
        let mut bytes = [0u8; 3];
        s.stream
            .read_exact(&mut bytes[..n])
            .await
            .map_err(|_| s.closed())?;
        bytes[..n]
            .iter()
            .fold(0usize, |acc, b| acc << 8 | usize::from(*b))
    };
    if len > BLOB_LIMIT {
        return Err(s.refused("LDAP response larger than 64 KiB"));
    }
    let mut content = vec![0u8; len];
    s.stream
        .read_exact(&mut content)
        .await
        .map_err(|_| s.closed())?;
    Ok(content)
}

/// Splits one TLV off `input`: (tag, value, rest).
fn tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 3 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| acc << 8 | usize::from(*b));
        (len, &rest[n..])
    };
    if rest.len() < len {
        return None;
    }
    Some((tag, &rest[..len], &rest[len..]))
}

/// The resultCode and diagnosticMessage of an LDAP ExtendedResponse message body.
fn ldap_result(message: &[u8]) -> Option<(u32, String)> {
    let (tag, _id, rest) = tlv(message)?;
    if tag != 0x02 {
        return None;
    }
    let (tag, response, _) = tlv(rest)?;
    if tag != 0x78 {
        return None;
    }
    let (tag, code, rest) = tlv(response)?;
    if tag != 0x0a || code.is_empty() || code.len() > 4 {
        return None;
    }
    let code = code.iter().fold(0u32, |acc, b| acc << 8 | u32::from(*b));
    let (_, _matched_dn, rest) = tlv(rest)?;
    let diagnostic = tlv(rest)
        .map(|(_, d, _)| String::from_utf8_lossy(d).into_owned())
        .unwrap_or_default();
    Some((code, diagnostic))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ldap_extended_response_result_is_read() {
        // messageID 1, ExtendedResponse { resultCode 2 (protocolError), "", "no TLS here" }
        let mut body = vec![
            0x02, 0x01, 0x01, 0x78, 0x12, 0x0a, 0x01, 0x02, 0x04, 0x00, 0x04, 0x0b,
        ];
        body.extend_from_slice(b"no TLS here");
        body.extend_from_slice(&[]);
        body[4] = u8::try_from(body.len() - 5).unwrap();
        assert_eq!(ldap_result(&body), Some((2, "no TLS here".to_string())));
        assert_eq!(ldap_result(&[0x02, 0x01]), None);
    }
}
