//! Instants as users write them and as chainscope prints them.
//!
//! Input: RFC 3339 (`2030-01-01T00:00:00Z`) or Unix seconds ([`parse_instant`]).
//! Output, the only two forms used anywhere: RFC 3339 for machines (JSON) and
//! `2030-01-01 00:00:00 UTC` for people (text).

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::error::{Error, Result};

/// Parses an RFC 3339 timestamp or a number of Unix seconds: the one parser of instants.
/// An error is [`Error::InvalidArgument`] about `what`, the parameter the text was given
/// for by its [`Hint`](crate::Hint) name (`at`, `not_before`), so that
/// [`Error::hint`](crate::Error::hint) names it. [`verify::parse_time`](crate::verify::parse_time)
/// is this parser for `at`.
///
/// ```
/// let t = chainscope::instant::parse_instant("1700000000", "at")?;
/// assert_eq!(t, chainscope::instant::parse_instant("2023-11-14T22:13:20Z", "at")?);
/// # Ok::<(), chainscope::Error>(())
/// ```
pub fn parse_instant(text: &str, what: &str) -> Result<OffsetDateTime> {
    let trimmed = text.trim();
    if let Ok(secs) = trimmed.parse::<i64>() {
        return OffsetDateTime::from_unix_timestamp(secs).map_err(|_| {
            Error::invalid_argument(
                what,
                format!("{trimmed} is outside the supported range of Unix seconds"),
            )
        });
    }
    OffsetDateTime::parse(trimmed, &Rfc3339).map_err(|_| {
        Error::invalid_argument(
            what,
            format!("'{trimmed}' is neither RFC 3339 (2030-01-01T00:00:00Z) nor Unix seconds"),
        )
    })
}

/// RFC 3339 text of an instant, in its own offset (`Z` for UTC; falls back to `@` and Unix
/// seconds outside RFC 3339's years 0000–9999).
pub(crate) fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339)
        .unwrap_or_else(|_| format!("@{}", t.unix_timestamp()))
}

/// [`rfc3339`] of Unix seconds, in UTC (`@` and the number when out of range).
pub(crate) fn rfc3339_unix(t: i64) -> String {
    match OffsetDateTime::from_unix_timestamp(t) {
        Ok(d) => rfc3339(d),
        Err(_) => format!("@{t}"),
    }
}

/// The text form for people of an RFC 3339 instant found in a report
/// (`2035-06-01T00:00:00Z` → `2035-06-01 00:00:00 UTC`); anything that does not parse is
/// returned unchanged.
///
/// ```
/// assert_eq!(chainscope::instant::human("2035-06-01T10:34:56Z"), "2035-06-01 10:34:56 UTC");
/// assert_eq!(chainscope::instant::human("@99999999999999"), "@99999999999999");
/// ```
pub fn human(rfc3339_text: &str) -> String {
    match OffsetDateTime::parse(rfc3339_text, &Rfc3339) {
        Ok(t) => human_utc(t),
        Err(_) => rfc3339_text.to_owned(),
    }
}

/// An instant for people: `2035-06-01 00:00:00 UTC` (whole seconds).
pub(crate) fn human_utc(t: OffsetDateTime) -> String {
    let d = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
        d.year(),
        u8::from(d.month()),
        d.day(),
        d.hour(),
        d.minute(),
        d.second()
    )
}

/// [`human_utc`] of Unix seconds (`@` and the number when out of range).
pub(crate) fn human_utc_unix(t: i64) -> String {
    match OffsetDateTime::from_unix_timestamp(t) {
        Ok(d) => human_utc(d),
        Err(_) => format!("@{t}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_print_as_rfc3339_for_machines_and_utc_text_for_people() {
        let t = time::macros::datetime!(2035-06-01 12:34:56.789 +02:00);
        assert_eq!(rfc3339(t), "2035-06-01T12:34:56.789+02:00");
        assert_eq!(
            rfc3339(t.to_offset(time::UtcOffset::UTC)),
            "2035-06-01T10:34:56.789Z"
        );
        assert_eq!(human_utc(t), "2035-06-01 10:34:56 UTC");
        assert_eq!(human_utc_unix(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(human_utc_unix(i64::MAX), format!("@{}", i64::MAX));
    }

    #[test]
    fn parsing_accepts_both_forms_and_names_the_option() {
        assert_eq!(parse_instant(" 0 ", "at").unwrap().unix_timestamp(), 0);
        assert_eq!(
            parse_instant("2026-01-01T00:00:00Z", "at")
                .unwrap()
                .unix_timestamp(),
            1_767_225_600
        );
        let e = parse_instant("tomorrow", "not_before").unwrap_err();
        assert!(e.to_string().starts_with("not_before: 'tomorrow'"), "{e}");
        assert_eq!(e.hint(), Some(crate::Hint::NotBefore));
        let e = parse_instant("99999999999999", "at").unwrap_err();
        assert!(e.to_string().contains("outside the supported range"), "{e}");
    }
}
