//! Names that go into certificates: checked DNS names, IP networks, and name constraints.

use std::net::IpAddr;
use std::str::FromStr;

use super::MintError;
pub use crate::name_constraints::IpCidr;

impl FromStr for IpCidr {
    type Err = MintError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // A parse without context: the caller knows which parameter the network is for.
        let bad = |reason: &str| MintError::InvalidName {
            name: s.to_owned(),
            reason: reason.to_owned(),
            hint: None,
        };
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| bad("not an IP address or CIDR network (10.0.0.0/8, fd00::/8)"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| bad(&format!("prefix length must be 0..={max}")))?,
        };
        let cidr = IpCidr { addr, prefix };
        // 10.1.2.3/8 is almost certainly a typo for 10.0.0.0/8 or 10.1.2.3/32.
        if !cidr.contains(addr) || network_address(cidr) != addr {
            return Err(bad(&format!(
                "host bits are set; the network is {}/{prefix}",
                network_address(cidr)
            )));
        }
        Ok(cidr)
    }
}

fn network_address(c: IpCidr) -> IpAddr {
    let prefix = u32::from(c.prefix);
    match c.addr {
        IpAddr::V4(a) => {
            let mask = u32::MAX.checked_shl(32 - prefix).unwrap_or(0);
            IpAddr::V4((u32::from(a) & mask).into())
        }
        IpAddr::V6(a) => {
            let mask = u128::MAX.checked_shl(128 - prefix).unwrap_or(0);
            IpAddr::V6((u128::from(a) & mask).into())
        }
    }
}

/// Name constraints for a CA: which names the certificates under it may carry.
///
/// A DNS constraint `hospital.local` covers that name and every name below it;
/// `.hospital.local` covers only the names below it. Empty lists add no constraint; when
/// every list is empty the extension is left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct NameConstraints {
    /// DNS subtrees names must fall in.
    pub permitted_dns: Vec<String>,
    /// IP networks addresses must fall in.
    pub permitted_ips: Vec<IpCidr>,
    /// DNS subtrees names must not fall in.
    pub excluded_dns: Vec<String>,
    /// IP networks addresses must not fall in.
    pub excluded_ips: Vec<IpCidr>,
}

impl NameConstraints {
    /// Whether no constraint is set.
    pub fn is_empty(&self) -> bool {
        self.permitted_dns.is_empty()
            && self.permitted_ips.is_empty()
            && self.excluded_dns.is_empty()
            && self.excluded_ips.is_empty()
    }

    pub(crate) fn to_rcgen(&self) -> Result<Option<rcgen::NameConstraints>, MintError> {
        if self.is_empty() {
            return Ok(None);
        }
        let dns = |list: &[String]| -> Result<Vec<rcgen::GeneralSubtree>, MintError> {
            list.iter()
                .map(|d| {
                    let body = d.strip_prefix('.').unwrap_or(d);
                    check_dns_name(body).map_err(|e| e.about(crate::Hint::NameConstraints))?;
                    if body.contains('*') {
                        return Err(MintError::InvalidName {
                            name: d.clone(),
                            reason: "a name constraint cannot hold a wildcard".into(),
                            hint: Some(crate::Hint::NameConstraints),
                        });
                    }
                    Ok(rcgen::GeneralSubtree::DnsName(d.to_ascii_lowercase()))
                })
                .collect()
        };
        let ips = |list: &[IpCidr]| -> Vec<rcgen::GeneralSubtree> {
            list.iter()
                .map(|c| {
                    rcgen::GeneralSubtree::IpAddress(rcgen::CidrSubnet::from_addr_prefix(
                        c.addr, c.prefix,
                    ))
                })
                .collect()
        };
        let mut permitted = dns(&self.permitted_dns)?;
        permitted.extend(ips(&self.permitted_ips));
        let mut excluded = dns(&self.excluded_dns)?;
        excluded.extend(ips(&self.excluded_ips));
        Ok(Some(rcgen::NameConstraints {
            permitted_subtrees: permitted,
            excluded_subtrees: excluded,
        }))
    }
}

/// Checks a DNS name for a certificate (`proxy.hospital.local`, `*.hospital.local`) and
/// returns it lower-cased without a trailing dot.
pub(crate) fn check_dns_name(name: &str) -> Result<String, MintError> {
    let bad = |reason: &str| MintError::InvalidName {
        name: name.to_owned(),
        reason: reason.to_owned(),
        hint: Some(crate::Hint::Names),
    };
    let trimmed = name.strip_suffix('.').unwrap_or(name);
    if trimmed.is_empty() {
        return Err(bad("empty DNS name"));
    }
    if trimmed.parse::<IpAddr>().is_ok() {
        return Err(bad(
            "an IP address, not a DNS name: give it as an IP address",
        ));
    }
    if !trimmed.is_ascii() {
        return Err(bad(
            "not ASCII: write internationalized names in their xn-- (punycode) form",
        ));
    }
    if trimmed.len() > 253 {
        return Err(bad("longer than 253 characters"));
    }
    for (i, label) in trimmed.split('.').enumerate() {
        if label.is_empty() {
            return Err(bad("empty label (two dots in a row, or a leading dot)"));
        }
        if label.len() > 63 {
            return Err(bad("a label is longer than 63 characters"));
        }
        if label == "*" {
            if i != 0 {
                return Err(bad(
                    "a wildcard must be the whole leftmost label (*.example.com)",
                ));
            }
            continue;
        }
        if !label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(bad(
                "only letters, digits, '-' and '_' are allowed in a label (and '*' as the whole leftmost label)",
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(bad("a label cannot start or end with '-'"));
        }
    }
    let lower = trimmed.to_ascii_lowercase();
    if lower == "*" {
        return Err(bad(
            "a bare wildcard would stand for every host name: give the domain it covers (*.example.com)",
        ));
    }
    if let Some(base) = lower.strip_prefix("*.") {
        if !base.contains('.') {
            return Err(bad(&format!(
                "*.{base} would cover the whole top-level domain {base}: a wildcard needs at least two labels after it (*.example.com)"
            )));
        }
        if listed_suffix(base) == Some(psl::Type::Icann) {
            return Err(bad(&format!(
                "*.{base} would cover every domain under the public suffix {base} (Public Suffix List; CA/B Forum BR 3.2.2.6): a wildcard must stand below a registrable domain (*.example.{base})"
            )));
        }
    }
    Ok(lower)
}

/// The section of the Public Suffix List that lists `name` (lower case) itself, if any.
fn listed_suffix(name: &str) -> Option<psl::Type> {
    let s = psl::suffix(name.as_bytes())?;
    if s.is_known() && s.as_bytes() == name.as_bytes() {
        s.typ()
    } else {
        None
    }
}

/// Refuses a wildcard over a suffix of the Public Suffix List's private section
/// (`*.github.io`, `*.s3.amazonaws.com`) unless the certificate also names that suffix
/// itself, which shows its subscriber operates the whole namespace (as the `br` profile
/// of `verify` accepts it). `dns` are names checked by [`check_dns_name`].
pub(crate) fn check_wildcard_namespaces(dns: &[String]) -> Result<(), MintError> {
    for d in dns {
        let Some(base) = d.strip_prefix("*.") else {
            continue;
        };
        if listed_suffix(base) == Some(psl::Type::Private) && !dns.iter().any(|n| n == base) {
            return Err(MintError::InvalidName {
                name: d.clone(),
                reason: format!(
                    "would cover every domain under {base}, a public suffix of its operator (Public Suffix List, private section): add {base} itself as a DNS name if you operate it, or use a wildcard below it"
                ),
                hint: Some(crate::Hint::Names),
            });
        }
    }
    Ok(())
}

/// Whether the DNS name pattern `allowed` (a DNS name the request to sign asks for) covers the
/// requested name: equal, or `allowed` starts with `.` and `requested` lies below it.
pub(crate) fn dns_covered(allowed: &str, requested: &str) -> bool {
    let allowed = allowed.to_ascii_lowercase();
    let requested = requested.to_ascii_lowercase();
    match allowed.strip_prefix('.') {
        Some(_) => requested.ends_with(&allowed) && requested.len() > allowed.len(),
        None => allowed == requested,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_parses_and_contains() {
        let c: IpCidr = "10.0.0.0/8".parse().unwrap();
        assert!(c.contains("10.1.2.3".parse().unwrap()));
        assert!(!c.contains("11.0.0.1".parse().unwrap()));
        let v6: IpCidr = "fd00::/8".parse().unwrap();
        assert!(v6.contains("fd12::1".parse().unwrap()));
        assert!("10.1.2.3/8".parse::<IpCidr>().is_err());
        assert!("10.0.0.0/33".parse::<IpCidr>().is_err());
        assert_eq!("10.1.2.3".parse::<IpCidr>().unwrap().prefix, 32);
    }

    #[test]
    fn dns_names_are_checked() {
        assert_eq!(
            check_dns_name("Proxy.Hospital.Local.").unwrap(),
            "proxy.hospital.local"
        );
        assert!(check_dns_name("*.hospital.local").is_ok());
        assert!(check_dns_name("a.*.local").is_err());
        assert!(check_dns_name("*.local").is_err());
        assert!(check_dns_name("*.hospital.test").is_ok());
        assert!(check_dns_name("10.1.2.3").is_err());
        assert!(check_dns_name("bad name.local").is_err());
        assert!(check_dns_name("hôpital.local").is_err());
    }

    fn refusal(name: &str) -> String {
        match check_dns_name(name) {
            Err(MintError::InvalidName { reason, .. }) => reason,
            other => panic!("{name}: expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn wildcards_over_a_whole_tld_or_public_suffix_are_refused() {
        // A bare wildcard, with or without the root's dot.
        for bare in ["*", "*."] {
            assert!(refusal(bare).contains("bare wildcard"), "{bare}");
        }
        // Whole top-level domains, listed or not.
        for tld in ["*.com", "*.com.", "*.local", "*.internal", "*.Test"] {
            assert!(refusal(tld).contains("whole top-level domain"), "{tld}");
        }
        // ICANN suffixes of more than one label.
        for suffix in ["*.co.uk", "*.com.au", "*.CO.JP", "*.pvt.k12.ma.us"] {
            assert!(refusal(suffix).contains("public suffix"), "{suffix}");
        }
        // Below a registrable domain they are fine.
        for ok in ["*.example.co.uk", "*.example.com", "*.hospital.local"] {
            assert!(check_dns_name(ok).is_ok(), "{ok}");
        }
        // The private section: only with the suffix itself named.
        let private = |names: &[&str]| {
            let v: Vec<String> = names.iter().map(|n| check_dns_name(n).unwrap()).collect();
            check_wildcard_namespaces(&v)
        };
        assert!(private(&["*.github.io"]).is_err());
        assert!(private(&["*.s3.amazonaws.com", "www.example.com"]).is_err());
        assert!(private(&["*.github.io", "github.io"]).is_ok());
        assert!(private(&["*.example.github.io"]).is_ok());
    }

    #[test]
    fn leading_dot_covers_only_subdomains() {
        assert!(dns_covered(".hospital.local", "device.hospital.local"));
        assert!(!dns_covered(".hospital.local", "hospital.local"));
        assert!(!dns_covered(".hospital.local", "evilhospital.local"));
        assert!(dns_covered(
            "device.hospital.local",
            "DEVICE.hospital.local"
        ));
        assert!(!dns_covered(
            "device.hospital.local",
            "other.hospital.local"
        ));
    }
}
