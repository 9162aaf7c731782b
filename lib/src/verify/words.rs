//! Words shared by the diagnosis passes ([`walk`](super::walk) and
//! [`diagnose`](super::diagnose)): times relative to the check, name constraints, and
//! which clients fetch missing intermediates.

/// Clients that do not fetch missing intermediates from AIA URLs.
pub(crate) const NO_AIA_CLIENTS: &str = "Firefox (without its preloaded intermediates), curl, Python, Java, Go, OpenSSL and rustls do not fetch missing intermediates and will fail; Chrome, Edge and Safari may fetch it from the AIA URL and succeed";

/// How long ago / ahead `t` is from `now`, in words.
pub(crate) fn distance(t: i64, now: i64) -> String {
    let secs = (now - t).abs();
    let days = secs / 86_400;
    let amount = if days >= 730 {
        format!("{} years", days / 365)
    } else if days >= 60 {
        format!("{} months", days / 30)
    } else if days >= 2 {
        format!("{days} days")
    } else if secs >= 7200 {
        format!("{} hours", secs / 3600)
    } else if secs >= 120 {
        format!("{} minutes", secs / 60)
    } else {
        format!("{secs} seconds")
    };
    if t <= now {
        format!("{amount} ago")
    } else {
        format!("in {amount}")
    }
}

/// Name constraints in words: `permits only DNS:.example.com, IP:10.0.0.0/8; excludes …`.
pub(crate) fn describe_constraints(permitted: &[String], excluded: &[String]) -> String {
    let mut parts = Vec::new();
    if !permitted.is_empty() {
        parts.push(format!("permits only {}", permitted.join(", ")));
    }
    if !excluded.is_empty() {
        parts.push(format!("excludes {}", excluded.join(", ")));
    }
    if parts.is_empty() {
        "no subtrees".to_owned()
    } else {
        parts.join("; ")
    }
}
