//! Distinguished names and general names, rendered the way people and RFCs write them.

use std::net::IpAddr;

use x509_parser::der_parser::asn1_rs::{Any, Tag};
use x509_parser::extensions::GeneralName;
use x509_parser::x509::X509Name;

use crate::oids;

/// A distinguished name: its RFC 4514 string and its attributes in encoding order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct DistinguishedName {
    /// RFC 4514 form: most specific RDN first, `,` between RDNs, `+` inside a multi-valued
    /// RDN, special characters escaped (`CN=example.com,O=Example\, Inc.,C=US`).
    pub rfc4514: String,
    /// The attributes in the order they are encoded (usually country first).
    pub attributes: Vec<NameAttribute>,
}

/// One attribute of a distinguished name.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct NameAttribute {
    /// Dotted OID of the attribute type.
    pub oid: String,
    /// Short name (`CN`, `O`, …) or the dotted OID when the type is not well known.
    pub name: String,
    /// The value as text (`#` and hex of the DER when it is not a string type).
    pub value: String,
    /// Index of the RDN this attribute belongs to (attributes sharing an index form one
    /// multi-valued RDN).
    pub rdn: usize,
}

impl DistinguishedName {
    /// Decodes an x509-parser name.
    pub(crate) fn from_x509(name: &X509Name<'_>) -> Self {
        let mut attributes = Vec::new();
        // Per attribute, the value as RFC 4514 writes it when that is not the escaped text.
        let mut verbatim = Vec::new();
        for (rdn_index, rdn) in name.iter_rdn().enumerate() {
            for attr in rdn.iter() {
                let oid = oids::dotted(attr.attr_type());
                let short = oids::attribute_name(&oid);
                let (value, is_hex) = any_to_text(attr.attr_value());
                // RFC 4514 §2.4: a type written as a dotted OID takes its value as `#` and
                // the hex of the value's BER encoding, whatever the value's type.
                verbatim.push(match (short, is_hex) {
                    (_, true) => Some(value.clone()),
                    (None, false) => Some(format!("#{}", der_hex(attr.attr_value()))),
                    (Some(_), false) => None,
                });
                attributes.push(NameAttribute {
                    value,
                    name: short.map(str::to_owned).unwrap_or_else(|| oid.clone()),
                    oid,
                    rdn: rdn_index,
                });
            }
        }
        let rfc4514 = render_rfc4514(&attributes, &verbatim);
        DistinguishedName {
            rfc4514,
            attributes,
        }
    }

    /// The values of every attribute of the given short name (`CN`), in order.
    pub fn values_of<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.attributes
            .iter()
            .filter(move |a| a.name == name)
            .map(|a| a.value.as_str())
    }

    /// The last common name, the one clients display.
    pub fn common_name(&self) -> Option<&str> {
        self.values_of("CN").last()
    }

    /// Whether the name has no attributes at all.
    pub fn is_empty(&self) -> bool {
        self.attributes.is_empty()
    }
}

/// What an RFC 5280 §7.1 comparison of names ignores besides the string type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fold {
    /// Case and white space as well: leading, trailing and repeated inner white space
    /// dropped, letters lower-cased (RFC 5280 §7.1 with RFC 4518 simplified; OpenSSL's
    /// canonical name, `x509_name_canon`).
    CaseAndSpace,
    /// Nothing more: only the string types are unified (GnuTLS inside a presented chain).
    StringTypeOnly,
}

/// A name prepared for comparison: per RDN, in encoding order, its (attribute OID, value)
/// pairs sorted.
pub(crate) type NormalizedName = Vec<Vec<(String, String)>>;

/// The RFC 5280 §7.1 form of `name`: every string value as text whatever its ASN.1 string
/// type, folded as `fold` says; a value of another type stays its `#hex` DER, unfolded.
/// Two names are equivalent when their forms are equal; one is within a directoryName
/// subtree when the subtree's form is a prefix of its own.
pub(crate) fn rfc5280_normalized(name: &DistinguishedName, fold: Fold) -> NormalizedName {
    let mut out: NormalizedName = Vec::new();
    for a in &name.attributes {
        while out.len() <= a.rdn {
            out.push(Vec::new());
        }
        let value = match fold {
            Fold::CaseAndSpace if !a.value.starts_with('#') => a
                .value
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase(),
            _ => a.value.clone(),
        };
        out[a.rdn].push((a.oid.clone(), value));
    }
    for rdn in &mut out {
        rdn.sort();
    }
    out
}

/// Whether two distinguished names are equal after RFC 5280 §7.1 normalization: RDN by RDN,
/// attribute types equal, values compared case-insensitively with white space collapsed
/// and their string types ignored.
pub(crate) fn equivalent(a: &DistinguishedName, b: &DistinguishedName) -> bool {
    rfc5280_normalized(a, Fold::CaseAndSpace) == rfc5280_normalized(b, Fold::CaseAndSpace)
}

impl std::fmt::Display for DistinguishedName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.rfc4514)
    }
}

/// RFC 4514 string: RDNs in reverse encoding order. Values with a verbatim form (`#hex`,
/// RFC 4514 §2.4) are emitted as they are, all others escaped.
fn render_rfc4514(attributes: &[NameAttribute], verbatim: &[Option<String>]) -> String {
    let mut rdns: Vec<Vec<String>> = Vec::new();
    let mut last_rdn = None;
    for (attr, verbatim) in attributes.iter().zip(verbatim) {
        let text = match verbatim {
            Some(form) => format!("{}={form}", attr.name),
            None => format!("{}={}", attr.name, escape_value(&attr.value)),
        };
        match rdns.last_mut() {
            Some(last) if last_rdn == Some(attr.rdn) => last.push(text),
            _ => rdns.push(vec![text]),
        }
        last_rdn = Some(attr.rdn);
    }
    rdns.iter()
        .rev()
        .map(|rdn| rdn.join("+"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Escapes an attribute value per RFC 4514 §2.4.
fn escape_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let last = value.chars().count().saturating_sub(1);
    for (i, c) in value.chars().enumerate() {
        match c {
            ',' | '+' | '"' | '\\' | '<' | '>' | ';' => {
                out.push('\\');
                out.push(c);
            }
            '#' if i == 0 => out.push_str("\\#"),
            ' ' if i == 0 || i == last => out.push_str("\\ "),
            '\0' => out.push_str("\\00"),
            c => out.push(c),
        }
    }
    out
}

/// Text of a directory-string value, and whether it is the `#hex` form of the DER (used
/// when the value is not a string type).
fn any_to_text(any: &Any<'_>) -> (String, bool) {
    let data = any.data;
    let text = match any.tag() {
        Tag::Utf8String
        | Tag::PrintableString
        | Tag::Ia5String
        | Tag::NumericString
        | Tag::VisibleString => String::from_utf8_lossy(data).into_owned(),
        // T.61 in theory; in practice Latin-1.
        Tag::TeletexString => data.iter().map(|&b| char::from(b)).collect(),
        Tag::BmpString => {
            let units: Vec<u16> = data
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        Tag::UniversalString => data
            .chunks(4)
            .map(|c| {
                let mut b = [0u8; 4];
                b[..c.len()].copy_from_slice(c);
                char::from_u32(u32::from_be_bytes(b)).unwrap_or('\u{fffd}')
            })
            .collect(),
        _ => return (format!("#{}", der_hex(any)), true),
    };
    (text, false)
}

/// Hex of a value's DER (tag, length, content), re-framed by the `der` crate from the parsed
/// parts; only the content for tags it cannot express (numbers of 31 and above).
fn der_hex(any: &Any<'_>) -> String {
    let data = any.data;
    let identifier = u8::try_from(any.tag().0).ok().filter(|&t| t < 31).map(|t| {
        ((any.class() as u8) << 6) | if any.header.is_constructed() { 0x20 } else { 0 } | t
    });
    let framed = identifier
        .and_then(|id| der::Tag::try_from(id).ok())
        .and_then(|tag| der::asn1::AnyRef::new(tag, data).ok())
        .and_then(|value| der::Encode::to_der(&value).ok());
    crate::encoding::hex(framed.as_deref().unwrap_or(data), "")
}

/// An IP address from its SAN/NameConstraints encoding (4 or 16 bytes, or 8/32 with a mask).
pub(crate) fn ip_text(bytes: &[u8]) -> String {
    match bytes.len() {
        4 => IpAddr::from(<[u8; 4]>::try_from(bytes).unwrap_or_default()).to_string(),
        16 => IpAddr::from(<[u8; 16]>::try_from(bytes).unwrap_or_default()).to_string(),
        8 | 32 => {
            let (addr, mask) = bytes.split_at(bytes.len() / 2);
            let prefix: u32 = mask.iter().map(|b| b.count_ones()).sum();
            format!("{}/{prefix}", ip_text(addr))
        }
        _ => format!("invalid IP ({})", crate::encoding::hex(bytes, ":")),
    }
}

/// A general name as `TYPE:value`, the form OpenSSL prints (`DNS:example.com`,
/// `IP Address:10.0.0.1`, `email:a@b`, `URI:…`, `DirName:…`).
pub(crate) fn general_name_text(name: &GeneralName<'_>) -> (&'static str, String) {
    match name {
        GeneralName::DNSName(s) => ("dns", (*s).to_owned()),
        GeneralName::IPAddress(b) => ("ip", ip_text(b)),
        GeneralName::RFC822Name(s) => ("email", (*s).to_owned()),
        GeneralName::URI(s) => ("uri", (*s).to_owned()),
        GeneralName::DirectoryName(n) => {
            ("directory_name", DistinguishedName::from_x509(n).rfc4514)
        }
        GeneralName::RegisteredID(oid) => ("registered_id", oid.to_id_string()),
        GeneralName::OtherName(oid, value) => (
            "other_name",
            format!("{}:{}", oid.to_id_string(), crate::encoding::hex(value, "")),
        ),
        GeneralName::X400Address(any) => ("x400_address", crate::encoding::hex(any.data, "")),
        GeneralName::EDIPartyName(any) => ("edi_party_name", crate::encoding::hex(any.data, "")),
        GeneralName::Invalid(tag, data) => (
            "invalid",
            format!("tag {}: {}", tag.0, crate::encoding::hex(data, "")),
        ),
    }
}

/// A general name as `LABEL:value` (`DNS:example.com`, `IP:10.0.0.0/8`).
pub(crate) fn typed_general_name(name: &GeneralName<'_>) -> String {
    let (kind, value) = general_name_text(name);
    format!("{}:{value}", general_name_label(kind))
}

/// Label used when printing a general name of the given kind.
pub(crate) fn general_name_label(kind: &str) -> &'static str {
    match kind {
        "dns" => "DNS",
        "ip" => "IP",
        "email" => "email",
        "uri" => "URI",
        "directory_name" => "DirName",
        "registered_id" => "RID",
        "other_name" => "othername",
        "x400_address" => "X400",
        "edi_party_name" => "EdiParty",
        _ => "invalid",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_characters_are_escaped() {
        assert_eq!(escape_value("Example, Inc."), "Example\\, Inc.");
        assert_eq!(escape_value("#1"), "\\#1");
        assert_eq!(escape_value(" a "), "\\ a\\ ");
    }

    #[test]
    fn dotted_oid_attribute_value_is_written_as_hex_der() {
        // CN=example-custom-oids plus 1.3.6.1.4.1.36914=UTF8String "example".
        let pem = include_bytes!("../testdata/real/certigo-samples/example-custom-oid.pem");
        let block = x509_parser::pem::Pem::iter_from_buffer(pem)
            .next()
            .expect("a PEM block")
            .expect("valid PEM");
        let cert = block.parse_x509().expect("a certificate");
        let name = DistinguishedName::from_x509(cert.subject());
        assert_eq!(
            name.rfc4514,
            "1.3.6.1.4.1.36914=#0c076578616d706c65,CN=example-custom-oids"
        );
        // The attribute list keeps the readable text.
        assert_eq!(name.attributes[1].value, "example");
    }

    #[test]
    fn ip_addresses_and_masks_render() {
        assert_eq!(ip_text(&[10, 0, 0, 1]), "10.0.0.1");
        assert_eq!(ip_text(&[10, 0, 0, 0, 255, 0, 0, 0]), "10.0.0.0/8");
        let mut v6 = [0u8; 16];
        v6[15] = 1;
        assert_eq!(ip_text(&v6), "::1");
    }
}
