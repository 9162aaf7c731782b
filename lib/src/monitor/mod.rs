//! Watching chains over time: what monitoring systems speak.
//!
//! - [`check`]: the monitoring-plugin check (Nagios, Icinga, Sensu): one status —
//!   OK, WARNING, CRITICAL or UNKNOWN — per server or file, expiry thresholds in days, the
//!   status line and performance data the plugin protocol defines.
//! - [`probe`]: one Prometheus probe of a server or of certificate files: every certificate
//!   with its validity, the verdict and the connection facts, as plain data.
//! - `exporter` (feature `exporter`): the HTTP server that answers Prometheus' scrapes
//!   with probes (`chainscope exporter`).
//!
//! Both build on [`fetch`](mod@crate::fetch) and [`verify`](mod@crate::verify): the status of a
//! chain is the verdict [`verify_chain`](crate::verify_chain) gives, plus its expiry.

pub mod check;
#[cfg(feature = "exporter")]
#[cfg_attr(docsrs, doc(cfg(feature = "exporter")))]
pub mod exporter;
pub mod probe;

use crate::escape::{escape_with, Notation};

/// Text from a certificate, a server or a file name made safe for line-oriented monitoring
/// output: [`escape`](crate::escape::escape_with) in the [`Braced`](Notation::Braced)
/// notation plus the plugin protocol's `|` separator. Control characters, `|`, every
/// backslash and invisible or direction-changing Unicode characters are written as `\u{…}`
/// escapes, so a hostile subject can neither forge a status line or perfdata nor hide text.
pub fn sanitize(text: &str) -> String {
    escape_with(text, Notation::Braced, |c| c == '|').into_owned()
}

/// Parses an instant as reports write it — RFC 3339 (`2035-06-01T00:00:00Z`), the human
/// form (`2035-06-01 00:00:00 UTC`), or `@N` outside their range — into Unix seconds.
pub(crate) fn parse_report_instant(text: &str) -> Option<i64> {
    if let Some(n) = text.strip_prefix('@') {
        return n.parse().ok();
    }
    if let Ok(t) = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
    {
        return Some(t.unix_timestamp());
    }
    let format =
        time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second] UTC");
    time::PrimitiveDateTime::parse(text, &format)
        .ok()
        .map(|t| t.assume_utc().unix_timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_escapes_separators_controls_and_invisible_characters() {
        assert_eq!(sanitize("CN=ok.example"), "CN=ok.example");
        assert_eq!(sanitize("a|b"), "a\\u{7c}b");
        assert_eq!(sanitize("a\nCHAINSCOPE OK"), "a\\u{a}CHAINSCOPE OK");
        assert_eq!(sanitize("\u{1b}[31m"), "\\u{1b}[31m");
        assert_eq!(sanitize("abc\u{202e}def"), "abc\\u{202e}def");
        assert_eq!(sanitize("back\\slash"), "back\\u{5c}slash");
        assert_eq!(sanitize("Ünïcødé"), "Ünïcødé");
    }

    #[test]
    fn human_instants_round_trip() {
        let t = 2_000_000_000;
        assert_eq!(
            parse_report_instant(&crate::instant::human_utc_unix(t)),
            Some(t)
        );
        assert_eq!(
            parse_report_instant(&crate::instant::rfc3339_unix(t)),
            Some(t)
        );
        assert_eq!(
            parse_report_instant("@-99999999999999"),
            Some(-99_999_999_999_999)
        );
        assert_eq!(parse_report_instant("tomorrow"), None);
    }
}
