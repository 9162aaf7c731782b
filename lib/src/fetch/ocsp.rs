//! Decoding the OCSP response a server staples to its handshake (RFC 6960), with
//! `x509-ocsp`. The response is reported, not verified: its signature and responder are
//! the verify step's business.

use der::Decode;
use time::OffsetDateTime;
use x509_ocsp::{BasicOcspResponse, CertStatus, OcspGeneralizedTime, OcspResponse};

/// The certificate status a stapled response gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum OcspCertStatus {
    /// Not revoked.
    Good,
    /// Revoked.
    Revoked,
    /// The responder does not know the certificate.
    Unknown,
}

/// A stapled OCSP response, decoded. Times are RFC 3339 in JSON.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct StapledOcsp {
    /// Size of the DER response.
    pub size: usize,
    /// The response status (`successful`, `try_later`, `unauthorized`, …).
    pub response_status: Option<String>,
    /// The status of the first (usually only) certificate in the response.
    pub cert_status: Option<OcspCertStatus>,
    /// When the responder signed the response.
    #[serde(serialize_with = "ser_time")]
    pub produced_at: Option<OffsetDateTime>,
    /// Start of the response's validity.
    #[serde(serialize_with = "ser_time")]
    pub this_update: Option<OffsetDateTime>,
    /// End of the response's validity (after it, the staple is stale).
    #[serde(serialize_with = "ser_time")]
    pub next_update: Option<OffsetDateTime>,
    /// When the certificate was revoked, if it was.
    #[serde(serialize_with = "ser_time")]
    pub revoked_at: Option<OffsetDateTime>,
    /// The revocation reason (`key_compromise`), if given.
    pub revocation_reason: Option<String>,
    /// Why the response could not be decoded, if it could not.
    pub error: Option<String>,
}

fn ser_time<S: serde::Serializer>(t: &Option<OffsetDateTime>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_some(&crate::instant::rfc3339(*t)),
        None => s.serialize_none(),
    }
}

fn to_time(t: &OcspGeneralizedTime) -> Option<OffsetDateTime> {
    let secs = i64::try_from(t.0.to_unix_duration().as_secs()).ok()?;
    OffsetDateTime::from_unix_timestamp(secs).ok()
}

/// Decodes a stapled response; undecodable bytes give a report with `error` set.
pub(crate) fn decode(der: &[u8]) -> StapledOcsp {
    let mut report = StapledOcsp {
        size: der.len(),
        response_status: None,
        cert_status: None,
        produced_at: None,
        this_update: None,
        next_update: None,
        revoked_at: None,
        revocation_reason: None,
        error: None,
    };
    let response = match OcspResponse::from_der(der) {
        Ok(r) => r,
        Err(e) => {
            report.error = Some(format!("not an OCSP response: {e}"));
            return report;
        }
    };
    report.response_status = Some(super::sniff::snake(&format!(
        "{:?}",
        response.response_status
    )));
    let Some(bytes) = response.response_bytes else {
        return report;
    };
    let basic = match BasicOcspResponse::from_der(bytes.response.as_bytes()) {
        Ok(b) => b,
        Err(e) => {
            report.error = Some(format!("not a basic OCSP response: {e}"));
            return report;
        }
    };
    let data = &basic.tbs_response_data;
    report.produced_at = to_time(&data.produced_at);
    if let Some(single) = data.responses.first() {
        report.this_update = to_time(&single.this_update);
        report.next_update = single.next_update.as_ref().and_then(to_time);
        report.cert_status = Some(match &single.cert_status {
            CertStatus::Good(_) => OcspCertStatus::Good,
            CertStatus::Revoked(info) => {
                report.revoked_at = to_time(&info.revocation_time);
                report.revocation_reason = info
                    .revocation_reason
                    .map(|r| super::sniff::snake(&format!("{r:?}")));
                OcspCertStatus::Revoked
            }
            CertStatus::Unknown(_) => OcspCertStatus::Unknown,
        });
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_staple_reports_an_error_instead_of_failing() {
        let r = decode(&[0x30, 0x03, 0x0a, 0x01]);
        assert!(r.error.is_some());
        assert_eq!(r.size, 4);
    }

    #[test]
    fn unsuccessful_status_is_named() {
        // OCSPResponse { responseStatus tryLater(3) }
        let r = decode(&[0x30, 0x03, 0x0a, 0x01, 0x03]);
        assert_eq!(r.response_status.as_deref(), Some("try_later"));
        assert!(r.error.is_none() && r.cert_status.is_none());
    }
}
