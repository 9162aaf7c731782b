//! Robustness: whatever bytes come in, loading and decoding end in `Ok` or a clean one-line
//! error — never a panic, never a stack overflow, never a JSON report that fails to serialize.
//!
//! Inputs start from the real fixture files (certificates in PEM, DER and PKCS#7, requests,
//! keys, CRLs, real-world chains) and are mutated at three levels:
//! - DER structure: every TLV of the certificate is a target; lengths made longer, shorter,
//!   indefinite, non-minimal or huge; contents replaced or truncated; nodes dropped,
//!   duplicated, re-tagged, wrapped in SEQUENCE / OCTET STRING, nested thousands deep;
//!   times, serials and OIDs set to edge values (year 9999, empty, 100-byte serial).
//! - bytes: truncation at any offset, byte flips, insertions, splices of two inputs.
//! - PEM text: broken base64, missing END, huge or odd labels, CRLF, non-UTF-8 text between
//!   blocks, nested BEGIN lines, RFC 1421 headers.
//!
//! Deterministic sweeps (truncation at every offset, a flip at every byte) complement the
//! random cases. The fuzz target in `fuzz/` runs the same pipeline under libFuzzer.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chainscope::inspect::{InputReport, StreamedReport};
use chainscope::{load_bytes, LoadOptions};
use proptest::prelude::*;
use proptest::sample::Index;
use time::macros::datetime;
use time::OffsetDateTime;

/// Instants the reports are evaluated at: ordinary, and both ends of what `time` allows.
fn instants() -> [OffsetDateTime; 3] {
    [
        datetime!(2030-06-01 00:00 UTC),
        datetime!(0001-01-01 00:00 UTC),
        datetime!(9999-12-31 23:59:59 UTC),
    ]
}

/// The whole `show --json` pipeline on one input. Panics only on a bug: an error message
/// that is empty or spans several lines, or a report that does not serialize.
fn pipeline(bytes: &[u8], at: OffsetDateTime) {
    for keep_going in [false, true] {
        match load_bytes(bytes, "fuzz.pem", &{
            let mut o = LoadOptions::default();
            o.keep_going = keep_going;
            o
        }) {
            Ok(bundle) => {
                // `show --json` writes the streamed form: it must say exactly the same.
                let streamed = serde_json::to_string(&StreamedReport::new(&bundle, at));
                match InputReport::from_bundle(&bundle, at) {
                    Ok(report) => {
                        let json = serde_json::to_string(&report).expect("report serializes");
                        assert!(json.starts_with('{'));
                        assert_eq!(streamed.ok(), Some(json), "streamed report differs");
                        for skipped in &report.skipped {
                            assert_clean_message(skipped);
                        }
                    }
                    Err(e) => {
                        assert_clean_message(&e.to_string());
                        assert!(streamed.is_err(), "streamed report hides: {e}");
                    }
                }
            }
            Err(e) => assert_clean_message(&e.to_string()),
        }
    }
}

fn assert_clean_message(text: &str) {
    assert!(!text.trim().is_empty(), "empty error message");
    assert!(
        !text.contains('\n'),
        "error message spans several lines: {text:?}"
    );
}

// ---------------------------------------------------------------------------------------
// Seeds

struct Seed {
    name: String,
    /// The file as it is.
    file: Vec<u8>,
    /// The DER of each PEM block (or the file itself when it is binary).
    ders: Vec<Vec<u8>>,
    /// The certificates, requests and PKCS#7 bundles among `ders`, with their PEM label.
    structured: Vec<(&'static str, Vec<u8>)>,
}

/// The PEM label of a DER blob that is a certificate, a request or a PKCS#7 bundle.
fn structured_label(der: &[u8]) -> Option<&'static str> {
    use x509_parser::prelude::FromDer;
    // id-signedData, as it appears right after the ContentInfo header.
    const SIGNED_DATA: &[u8] = &[
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02,
    ];
    if x509_parser::certificate::X509Certificate::from_der(der).is_ok() {
        Some("CERTIFICATE")
    } else if x509_parser::certification_request::X509CertificationRequest::from_der(der).is_ok() {
        Some("CERTIFICATE REQUEST")
    } else if der.get(4..4 + SIGNED_DATA.len()) == Some(SIGNED_DATA) {
        Some("PKCS7")
    } else {
        None
    }
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../certs-fixtures")
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, out);
        } else if !matches!(path.extension().and_then(|e| e.to_str()), Some("md" | "sh")) {
            out.push(path);
        }
    }
}

fn seeds() -> &'static [Seed] {
    static SEEDS: OnceLock<Vec<Seed>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut files = Vec::new();
        for dir in ["rsa", "ecdsa", "ed25519", "csr", "real", "garbage", "sha1"] {
            collect_files(&fixtures_dir().join(dir), &mut files);
        }
        files.sort();
        let seeds: Vec<Seed> = files
            .into_iter()
            .map(|path| {
                let file = std::fs::read(&path).expect("fixture readable");
                let ders = if file.windows(11).any(|w| w == b"-----BEGIN ") {
                    x509_parser::pem::Pem::iter_from_buffer(&file)
                        .filter_map(Result::ok)
                        .map(|p| p.contents)
                        .collect()
                } else {
                    vec![file.clone()]
                };
                let structured = ders
                    .iter()
                    .filter_map(|d| structured_label(d).map(|l| (l, d.clone())))
                    .collect();
                Seed {
                    name: path.display().to_string(),
                    file,
                    ders,
                    structured,
                }
            })
            .collect();
        assert!(seeds.len() > 40, "fixtures not found: {}", seeds.len());
        seeds
    })
}

fn seed_file(relative: &str) -> Vec<u8> {
    std::fs::read(fixtures_dir().join(relative)).expect("fixture readable")
}

// ---------------------------------------------------------------------------------------
// A minimal TLV tree, so structural mutations keep the enclosing lengths consistent and
// the damage lands exactly where intended. This is test scaffolding, not a DER parser the
// library uses.

#[derive(Debug, Clone)]
enum Tlv {
    Prim {
        tag: u8,
        content: Vec<u8>,
    },
    Cons {
        tag: u8,
        children: Vec<Tlv>,
    },
    /// An OCTET STRING or BIT STRING whose content is itself DER (extension values, keys).
    Wrapped {
        tag: u8,
        prefix: Vec<u8>,
        children: Vec<Tlv>,
    },
    /// Bytes emitted as they are (deliberately inconsistent encodings).
    Raw(Vec<u8>),
}

fn parse_all(mut bytes: &[u8], depth: usize) -> Option<Vec<Tlv>> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let (node, rest) = parse_one(bytes, depth)?;
        out.push(node);
        bytes = rest;
    }
    Some(out)
}

fn parse_one(bytes: &[u8], depth: usize) -> Option<(Tlv, &[u8])> {
    if depth > 64 {
        return None;
    }
    let tag = *bytes.first()?;
    if tag & 0x1f == 0x1f {
        return None;
    }
    let first = *bytes.get(1)?;
    let (len, hdr) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | usize::from(*bytes.get(2 + i)?);
        }
        (len, 2 + n)
    };
    let content = bytes.get(hdr..hdr + len)?;
    let rest = &bytes[hdr + len..];
    let node = if tag & 0x20 != 0 {
        Tlv::Cons {
            tag,
            children: parse_all(content, depth + 1)?,
        }
    } else if tag == 0x04 && !content.is_empty() {
        match parse_all(content, depth + 1) {
            Some(children) if !children.is_empty() => Tlv::Wrapped {
                tag,
                prefix: Vec::new(),
                children,
            },
            _ => Tlv::Prim {
                tag,
                content: content.to_vec(),
            },
        }
    } else if tag == 0x03 && content.len() > 1 && content[0] == 0 {
        match parse_all(&content[1..], depth + 1) {
            Some(children) if !children.is_empty() => Tlv::Wrapped {
                tag,
                prefix: vec![0],
                children,
            },
            _ => Tlv::Prim {
                tag,
                content: content.to_vec(),
            },
        }
    } else {
        Tlv::Prim {
            tag,
            content: content.to_vec(),
        }
    };
    Some((node, rest))
}

fn push_len(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    push_len(&mut out, content.len());
    out.extend_from_slice(content);
    out
}

impl Tlv {
    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Tlv::Prim { tag, content } => out.extend(tlv(*tag, content)),
            Tlv::Cons { tag, children } => {
                let mut inner = Vec::new();
                children.iter().for_each(|c| c.encode(&mut inner));
                out.extend(tlv(*tag, &inner));
            }
            Tlv::Wrapped {
                tag,
                prefix,
                children,
            } => {
                let mut inner = prefix.clone();
                children.iter().for_each(|c| c.encode(&mut inner));
                out.extend(tlv(*tag, &inner));
            }
            Tlv::Raw(bytes) => out.extend_from_slice(bytes),
        }
    }

    fn to_der(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(&mut out);
        out
    }

    fn tag(&self) -> Option<u8> {
        match self {
            Tlv::Prim { tag, .. } | Tlv::Cons { tag, .. } | Tlv::Wrapped { tag, .. } => Some(*tag),
            Tlv::Raw(_) => None,
        }
    }

    /// The content bytes as encoded (what follows the header).
    fn content_bytes(&self) -> Vec<u8> {
        match self {
            Tlv::Prim { content, .. } => content.clone(),
            Tlv::Cons { children, .. } => {
                let mut inner = Vec::new();
                children.iter().for_each(|c| c.encode(&mut inner));
                inner
            }
            Tlv::Wrapped {
                prefix, children, ..
            } => {
                let mut inner = prefix.clone();
                children.iter().for_each(|c| c.encode(&mut inner));
                inner
            }
            Tlv::Raw(bytes) => bytes.clone(),
        }
    }

    fn children_mut(&mut self) -> Option<&mut Vec<Tlv>> {
        match self {
            Tlv::Cons { children, .. } | Tlv::Wrapped { children, .. } => Some(children),
            _ => None,
        }
    }

    fn count(&self) -> usize {
        1 + match self {
            Tlv::Cons { children, .. } | Tlv::Wrapped { children, .. } => {
                children.iter().map(Tlv::count).sum()
            }
            _ => 0,
        }
    }

    /// The `n`-th node in pre-order, with its parent's child list and its index there.
    fn visit_mut(&mut self, n: &mut usize, f: &mut dyn FnMut(&mut Vec<Tlv>, usize)) -> bool {
        let Some(children) = self.children_mut() else {
            return false;
        };
        for i in 0..children.len() {
            if *n == 0 {
                f(children, i);
                return true;
            }
            *n -= 1;
            if children[i].visit_mut(n, f) {
                return true;
            }
        }
        false
    }
}

/// Edge-case contents for typed nodes.
const TIMES: [&[u8]; 12] = [
    b"99991231235959Z",
    b"991231235959Z",
    b"500101000000Z",
    b"491231235959Z",
    b"00000101000000Z",
    b"20250230000000Z",
    b"20251301000000Z",
    b"20250101000000.123456Z",
    b"20250101000000+0130",
    b"2025010100Z",
    b"Z",
    b"",
];

fn edge_integer(which: u8) -> Vec<u8> {
    match which % 6 {
        0 => Vec::new(),
        1 => vec![0],
        2 => vec![0xff; 100],
        3 => vec![0x00, 0x00, 0x01],
        4 => vec![0x80],
        _ => {
            let mut v = vec![0x7f];
            v.extend(std::iter::repeat_n(0xff, 20));
            v
        }
    }
}

fn edge_oid(which: u8) -> Vec<u8> {
    match which % 5 {
        0 => Vec::new(),
        1 => vec![0x80],
        2 => vec![
            0x2a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
        ],
        3 => vec![0xff; 64],
        _ => vec![0x55, 0x1d, 0x11],
    }
}

/// What to do to one node of the tree.
#[derive(Debug, Clone)]
enum NodeMutation {
    LengthLonger(u32),
    LengthShorter(u8),
    IndefiniteLength { with_end_of_contents: bool },
    NonMinimalLength,
    HugeLength(u8),
    ReplaceContent(Vec<u8>),
    TruncateContent(Index),
    Drop,
    Duplicate(u8),
    SwapWithNext,
    Retag(u8),
    Wrap { tag: u8, depth: u16 },
    DeepNest { depth: u16, indefinite: bool },
    InsertSibling(Vec<u8>),
    EdgeValue(u8),
}

fn node_mutation() -> impl Strategy<Value = NodeMutation> {
    prop_oneof![
        (1u32..=0x00ff_ffff).prop_map(NodeMutation::LengthLonger),
        (1u8..=8).prop_map(NodeMutation::LengthShorter),
        any::<bool>().prop_map(|with_end_of_contents| NodeMutation::IndefiniteLength {
            with_end_of_contents
        }),
        Just(NodeMutation::NonMinimalLength),
        any::<u8>().prop_map(NodeMutation::HugeLength),
        prop::collection::vec(any::<u8>(), 0..64).prop_map(NodeMutation::ReplaceContent),
        any::<Index>().prop_map(NodeMutation::TruncateContent),
        Just(NodeMutation::Drop),
        (1u8..=20).prop_map(NodeMutation::Duplicate),
        Just(NodeMutation::SwapWithNext),
        any::<u8>().prop_map(NodeMutation::Retag),
        (
            prop::sample::select(vec![0x30u8, 0x31, 0x04, 0xa0, 0xa3, 0x03]),
            1u16..=64
        )
            .prop_map(|(tag, depth)| NodeMutation::Wrap { tag, depth }),
        (1u16..=3000, any::<bool>())
            .prop_map(|(depth, indefinite)| NodeMutation::DeepNest { depth, indefinite }),
        prop::collection::vec(any::<u8>(), 1..48).prop_map(NodeMutation::InsertSibling),
        any::<u8>().prop_map(NodeMutation::EdgeValue),
    ]
}

fn apply(siblings: &mut Vec<Tlv>, i: usize, mutation: &NodeMutation) {
    let node = siblings[i].clone();
    let tag = node.tag().unwrap_or(0x30);
    let content = node.content_bytes();
    let raw = |header_len: &[u8], content: &[u8]| {
        let mut v = vec![tag];
        v.extend_from_slice(header_len);
        v.extend_from_slice(content);
        Tlv::Raw(v)
    };
    match mutation {
        NodeMutation::LengthLonger(extra) => {
            let mut len = Vec::new();
            push_len(&mut len, content.len() + *extra as usize);
            siblings[i] = raw(&len, &content);
        }
        NodeMutation::LengthShorter(less) => {
            let mut len = Vec::new();
            push_len(&mut len, content.len().saturating_sub(usize::from(*less)));
            siblings[i] = raw(&len, &content);
        }
        NodeMutation::IndefiniteLength {
            with_end_of_contents,
        } => {
            let mut body = content;
            if *with_end_of_contents {
                body.extend_from_slice(&[0, 0]);
            }
            siblings[i] = raw(&[0x80], &body);
        }
        NodeMutation::NonMinimalLength => {
            let len = u16::try_from(content.len())
                .unwrap_or(u16::MAX)
                .to_be_bytes();
            siblings[i] = raw(&[0x84, 0, 0, len[0], len[1]], &content);
        }
        NodeMutation::HugeLength(fill) => {
            let mut len = vec![0x88];
            len.extend(std::iter::repeat_n(*fill | 0x80, 8));
            siblings[i] = raw(&len, &content);
        }
        NodeMutation::ReplaceContent(bytes) => {
            siblings[i] = Tlv::Prim {
                tag,
                content: bytes.clone(),
            };
        }
        NodeMutation::TruncateContent(at) => {
            let cut = if content.is_empty() {
                0
            } else {
                at.index(content.len())
            };
            siblings[i] = Tlv::Raw(tlv(tag, &content[..cut]));
        }
        NodeMutation::Drop => {
            siblings.remove(i);
        }
        NodeMutation::Duplicate(times) => {
            for _ in 0..*times {
                siblings.insert(i, node.clone());
            }
        }
        NodeMutation::SwapWithNext => {
            if i + 1 < siblings.len() {
                siblings.swap(i, i + 1);
            }
        }
        NodeMutation::Retag(new) => {
            siblings[i] = Tlv::Raw(tlv(*new, &content));
        }
        NodeMutation::Wrap { tag, depth } => {
            let mut wrapped = node.to_der();
            for _ in 0..*depth {
                wrapped = tlv(*tag, &wrapped);
            }
            siblings[i] = Tlv::Raw(wrapped);
        }
        NodeMutation::DeepNest { depth, indefinite } => {
            let mut nested = Vec::new();
            if *indefinite {
                for _ in 0..*depth {
                    nested.extend_from_slice(&[0x30, 0x80]);
                }
                for _ in 0..*depth {
                    nested.extend_from_slice(&[0, 0]);
                }
            } else {
                for _ in 0..*depth {
                    nested = tlv(0x30, &nested);
                }
            }
            siblings[i] = Tlv::Raw(tlv(tag, &nested));
        }
        NodeMutation::InsertSibling(bytes) => {
            siblings.insert(i, Tlv::Raw(bytes.clone()));
        }
        NodeMutation::EdgeValue(which) => {
            let content = match tag {
                0x17 | 0x18 => TIMES[usize::from(*which) % TIMES.len()].to_vec(),
                0x02 => edge_integer(*which),
                0x06 => edge_oid(*which),
                0x03 => vec![*which, 0xff],
                0x01 => vec![*which],
                // Strings: invalid UTF-8, odd-length BMP, embedded NULs and escapes.
                _ => match which % 4 {
                    0 => vec![0xff, 0xfe, 0x00, b',', b'+', b'"', b'\\'],
                    1 => vec![0xd8, 0x00, 0x41],
                    2 => " #leading and trailing ".as_bytes().to_vec(),
                    _ => "\u{202e}é\u{0}\n".as_bytes().to_vec(),
                },
            };
            let tag = if *which >= 128 && matches!(tag, 0x17 | 0x18) {
                // Cross the time types: a GeneralizedTime string in a UTCTime and back.
                tag ^ 0x0f
            } else {
                tag
            };
            siblings[i] = Tlv::Prim { tag, content };
        }
    }
}

/// How the mutated DER is finally presented to the loader.
#[derive(Debug, Clone)]
enum Presentation {
    Der,
    /// A PEM block with the label that fits what the DER was before mutation.
    NaturalPem,
    Pem {
        label: &'static str,
        crlf: bool,
        width: usize,
    },
    /// The mutated DER as a PEM block between two intact certificates.
    PemBetween,
}

fn presentation() -> impl Strategy<Value = Presentation> {
    prop_oneof![
        3 => Just(Presentation::Der),
        3 => Just(Presentation::NaturalPem),
        1 => (
            prop::sample::select(vec![
                "CERTIFICATE",
                "X509 CERTIFICATE",
                "TRUSTED CERTIFICATE",
                "PKCS7",
                "CMS",
                "CERTIFICATE REQUEST",
                "NEW CERTIFICATE REQUEST",
            ]),
            any::<bool>(),
            prop::sample::select(vec![64usize, 76, 1, 10_000]),
        )
            .prop_map(|(label, crlf, width)| Presentation::Pem { label, crlf, width }),
        1 => Just(Presentation::PemBetween),
    ]
}

fn pem_block(label: &str, der: &[u8], crlf: bool, width: usize) -> Vec<u8> {
    use base64::Engine as _;
    let eol = if crlf { "\r\n" } else { "\n" };
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----{eol}");
    for chunk in b64.as_bytes().chunks(width.max(1)) {
        out.push_str(std::str::from_utf8(chunk).expect("base64 is ASCII"));
        out.push_str(eol);
    }
    out.push_str(&format!("-----END {label}-----{eol}"));
    out.into_bytes()
}

fn present(der: &[u8], natural_label: &str, how: &Presentation) -> Vec<u8> {
    match how {
        Presentation::Der => der.to_vec(),
        Presentation::NaturalPem => pem_block(natural_label, der, false, 64),
        Presentation::Pem { label, crlf, width } => pem_block(label, der, *crlf, *width),
        Presentation::PemBetween => {
            let good = seed_file("rsa/leaf.pem");
            let mut out = good.clone();
            out.extend(b"text between blocks\n");
            out.extend(pem_block(natural_label, der, false, 64));
            out.extend(good);
            out
        }
    }
}

fn mutate_der(der: &[u8], mutations: &[(Index, NodeMutation)]) -> Vec<u8> {
    let Some(top) = parse_all(der, 0) else {
        return der.to_vec();
    };
    // A synthetic root so the top-level nodes are mutable like any other.
    let mut root = Tlv::Cons {
        tag: 0x30,
        children: top,
    };
    for (index, mutation) in mutations {
        let count = root.count() - 1;
        if count == 0 {
            break;
        }
        let mut n = index.index(count);
        root.visit_mut(&mut n, &mut |siblings, i| apply(siblings, i, mutation));
    }
    root.content_bytes()
}

// ---------------------------------------------------------------------------------------
// Byte-level and PEM-text mutations

#[derive(Debug, Clone)]
enum ByteMutation {
    Truncate(Index),
    Flip(Index, u8),
    Insert(Index, Vec<u8>),
    Delete(Index, u8),
    SpliceWith(Index, Index, Index),
}

fn byte_mutation() -> impl Strategy<Value = ByteMutation> {
    prop_oneof![
        any::<Index>().prop_map(ByteMutation::Truncate),
        (any::<Index>(), 1u8..=255).prop_map(|(i, x)| ByteMutation::Flip(i, x)),
        (any::<Index>(), prop::collection::vec(any::<u8>(), 1..32))
            .prop_map(|(i, v)| ByteMutation::Insert(i, v)),
        (any::<Index>(), 1u8..=64).prop_map(|(i, n)| ByteMutation::Delete(i, n)),
        (any::<Index>(), any::<Index>(), any::<Index>())
            .prop_map(|(s, a, b)| ByteMutation::SpliceWith(s, a, b)),
    ]
}

fn apply_bytes(mut bytes: Vec<u8>, mutation: &ByteMutation) -> Vec<u8> {
    let pos = |i: &Index, len: usize| if len == 0 { 0 } else { i.index(len + 1) };
    match mutation {
        ByteMutation::Truncate(i) => {
            let at = pos(i, bytes.len());
            bytes.truncate(at);
        }
        ByteMutation::Flip(i, x) => {
            if !bytes.is_empty() {
                let at = i.index(bytes.len());
                bytes[at] ^= x;
            }
        }
        ByteMutation::Insert(i, v) => {
            let at = pos(i, bytes.len());
            bytes.splice(at..at, v.iter().copied());
        }
        ByteMutation::Delete(i, n) => {
            let at = pos(i, bytes.len());
            let end = (at + usize::from(*n)).min(bytes.len());
            bytes.drain(at..end);
        }
        ByteMutation::SpliceWith(other, a, b) => {
            let other = &seeds()[other.index(seeds().len())].file;
            let at = pos(a, bytes.len());
            let from = pos(b, other.len());
            bytes.truncate(at);
            bytes.extend_from_slice(&other[from..]);
        }
    }
    bytes
}

#[derive(Debug, Clone)]
enum PemMutation {
    BreakBase64(Index, u8),
    RemoveEndLine(Index),
    RemoveBeginLine(Index),
    HugeLabel(usize),
    OddLabel(&'static str),
    MismatchedEnd,
    Crlf,
    CarriageReturnsOnly,
    NonUtf8BetweenBlocks(Vec<u8>),
    NestedBegin,
    RfcHeaders,
    StripPadding,
    ExtraPadding,
    IndentLines,
    TruncateInBody(Index),
}

fn pem_mutation() -> impl Strategy<Value = PemMutation> {
    prop_oneof![
        (
            any::<Index>(),
            prop::sample::select(vec![b'!', b'*', b'-', b'=', 0xff, 0x00, b' ', b'\t'])
        )
            .prop_map(|(i, c)| PemMutation::BreakBase64(i, c)),
        any::<Index>().prop_map(PemMutation::RemoveEndLine),
        any::<Index>().prop_map(PemMutation::RemoveBeginLine),
        prop::sample::select(vec![200usize, 70_000, 1_000_000]).prop_map(PemMutation::HugeLabel),
        prop::sample::select(vec![
            "",
            " ",
            "certificate",
            "CERTIFICATE-----",
            "CERT\u{e9}",
            "X509 CRL",
            "PKCS7",
            "CERTIFICATE REQUEST",
            "TRUSTED CERTIFICATE",
            "PRIVATE KEY",
        ])
        .prop_map(PemMutation::OddLabel),
        Just(PemMutation::MismatchedEnd),
        Just(PemMutation::Crlf),
        Just(PemMutation::CarriageReturnsOnly),
        prop::collection::vec(any::<u8>(), 1..64).prop_map(PemMutation::NonUtf8BetweenBlocks),
        Just(PemMutation::NestedBegin),
        Just(PemMutation::RfcHeaders),
        Just(PemMutation::StripPadding),
        Just(PemMutation::ExtraPadding),
        Just(PemMutation::IndentLines),
        any::<Index>().prop_map(PemMutation::TruncateInBody),
    ]
}

fn replace_all(haystack: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut i = 0;
    while i < haystack.len() {
        if haystack[i..].starts_with(needle) {
            out.extend_from_slice(with);
            i += needle.len();
        } else {
            out.push(haystack[i]);
            i += 1;
        }
    }
    out
}

fn find_all(haystack: &[u8], needle: &[u8]) -> Vec<usize> {
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}

/// Byte range of the line starting at `start`, newline included.
fn line_at(text: &[u8], start: usize) -> std::ops::Range<usize> {
    let end = text[start..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(text.len(), |p| start + p + 1);
    start..end
}

fn apply_pem(text: Vec<u8>, mutation: &PemMutation) -> Vec<u8> {
    let begins = find_all(&text, b"-----BEGIN ");
    let ends = find_all(&text, b"-----END ");
    let mut text = text;
    match mutation {
        PemMutation::BreakBase64(i, c) => {
            // A byte inside a block body (between a BEGIN line and its END).
            if let (Some(&b), Some(&e)) = (begins.first(), ends.first()) {
                let body = line_at(&text, b).end;
                if body < e {
                    let at = body + i.index(e - body);
                    text[at] = *c;
                }
            }
        }
        PemMutation::RemoveEndLine(i) => {
            if !ends.is_empty() {
                let r = line_at(&text, ends[i.index(ends.len())]);
                text.drain(r);
            }
        }
        PemMutation::RemoveBeginLine(i) => {
            if !begins.is_empty() {
                let r = line_at(&text, begins[i.index(begins.len())]);
                text.drain(r);
            }
        }
        PemMutation::HugeLabel(n) => {
            let label = "A".repeat(*n);
            text = replace_all(
                &text,
                b"-----BEGIN CERTIFICATE",
                format!("-----BEGIN {label}").as_bytes(),
            );
            text = replace_all(
                &text,
                b"-----END CERTIFICATE",
                format!("-----END {label}").as_bytes(),
            );
        }
        PemMutation::OddLabel(label) => {
            text = replace_all(
                &text,
                b"-----BEGIN CERTIFICATE",
                format!("-----BEGIN {label}").as_bytes(),
            );
            text = replace_all(
                &text,
                b"-----END CERTIFICATE",
                format!("-----END {label}").as_bytes(),
            );
        }
        PemMutation::MismatchedEnd => {
            text = replace_all(&text, b"-----END CERTIFICATE", b"-----END X509 CRL");
        }
        PemMutation::Crlf => text = replace_all(&text, b"\n", b"\r\n"),
        PemMutation::CarriageReturnsOnly => text = replace_all(&text, b"\n", b"\r"),
        PemMutation::NonUtf8BetweenBlocks(junk) => {
            let at = ends.first().map_or(0, |&e| line_at(&text, e).end);
            text.splice(at..at, junk.iter().copied());
        }
        PemMutation::NestedBegin => {
            if let Some(&b) = begins.first() {
                let body = line_at(&text, b).end;
                text.splice(body..body, b"-----BEGIN CERTIFICATE-----\n".iter().copied());
            }
        }
        PemMutation::RfcHeaders => {
            if let Some(&b) = begins.first() {
                let body = line_at(&text, b).end;
                let headers = b"Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n";
                text.splice(body..body, headers.iter().copied());
            }
        }
        PemMutation::StripPadding => text = replace_all(&text, b"=", b""),
        PemMutation::ExtraPadding => text = replace_all(&text, b"\n-----END", b"====\n-----END"),
        PemMutation::IndentLines => text = replace_all(&text, b"\n", b"\n  \t"),
        PemMutation::TruncateInBody(i) => {
            if let (Some(&b), Some(&e)) = (begins.first(), ends.first()) {
                if b < e {
                    let at = b + i.index(e - b);
                    text.truncate(at);
                }
            }
        }
    }
    text
}

// ---------------------------------------------------------------------------------------
// Properties

/// `cases` unless `PROPTEST_CASES` asks for another number (for longer local runs:
/// `PROPTEST_CASES=50000 cargo test --release -p chainscope --test robustness`).
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        // A failure is re-run while shrinking; keep that bounded too.
        max_shrink_iters: 2_000,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(1_500))]

    /// Structural damage inside the DER of certificates, requests and PKCS#7 bundles.
    #[test]
    fn der_structure_mutations_never_panic(
        seed in any::<Index>(),
        mutations in prop::collection::vec((any::<Index>(), node_mutation()), 1..4),
        how in presentation(),
        at in any::<Index>(),
    ) {
        let structured: Vec<&(&str, Vec<u8>)> =
            seeds().iter().flat_map(|s| &s.structured).collect();
        let (label, der) = structured[seed.index(structured.len())];
        let mutated = mutate_der(der, &mutations);
        pipeline(&present(&mutated, label, &how), instants()[at.index(3)]);
    }
}

proptest! {
    #![proptest_config(config(800))]

    /// Blind byte-level damage to whole files (PEM text, DER, PKCS#7, keys, CRLs).
    #[test]
    fn byte_mutations_never_panic(
        seed in any::<Index>(),
        mutations in prop::collection::vec(byte_mutation(), 1..6),
    ) {
        let seed = &seeds()[seed.index(seeds().len())];
        let bytes = mutations.iter().fold(seed.file.clone(), apply_bytes);
        pipeline(&bytes, instants()[0]);
    }

    /// Damage to the PEM framing of PEM files.
    #[test]
    fn pem_text_mutations_never_panic(
        seed in any::<Index>(),
        mutations in prop::collection::vec(pem_mutation(), 1..4),
    ) {
        let pem_seeds: Vec<&Seed> = seeds()
            .iter()
            .filter(|s| s.file.windows(11).any(|w| w == b"-----BEGIN "))
            .collect();
        let seed = pem_seeds[seed.index(pem_seeds.len())];
        let bytes = mutations.iter().fold(seed.file.clone(), apply_pem);
        pipeline(&bytes, instants()[0]);
    }

    /// Bytes with no relation to any certificate, bare or dressed as PEM or DER.
    #[test]
    fn random_bytes_never_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..1_500),
        dress in 0u8..3,
    ) {
        let input = match dress {
            0 => bytes,
            1 => pem_block("CERTIFICATE", &bytes, false, 64),
            _ => tlv(0x30, &bytes),
        };
        pipeline(&input, instants()[0]);
    }
}

// ---------------------------------------------------------------------------------------
// Deterministic sweeps

/// Truncating a DER certificate, request and PKCS#7 bundle at every offset.
#[test]
fn truncation_at_every_offset_never_panics() {
    for file in [
        "rsa/leaf.der",
        "rsa/chain.p7b",
        "ed25519/inter.der",
        "ecdsa/inter.der",
    ] {
        let bytes = seed_file(file);
        for cut in 0..bytes.len() {
            pipeline(&bytes[..cut], instants()[0]);
        }
    }
    let pem = seed_file("csr/request.pem");
    for cut in 0..pem.len() {
        pipeline(&pem[..cut], instants()[0]);
    }
}

/// Truncated DER is named as such, with how many bytes there are and were announced.
#[test]
fn truncated_der_certificate_is_reported_with_both_lengths() {
    let der = seed_file("rsa/leaf.der");
    let err = load_bytes(&der[..600], "leaf.der", &LoadOptions::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("leaf.der: truncated DER at byte 600 of {}", der.len())
    );
}

/// Every byte of a certificate inverted in turn, as DER and inside a two-certificate PEM.
#[test]
fn flipping_each_byte_never_panics() {
    let der = seed_file("ecdsa/leaf.pem");
    let der = &x509_parser::pem::Pem::iter_from_buffer(&der)
        .next()
        .expect("one block")
        .expect("valid PEM")
        .contents;
    let inter = seed_file("ecdsa/inter.der");
    for i in 0..der.len() {
        let mut bytes = der.clone();
        bytes[i] ^= 0xff;
        pipeline(&bytes, instants()[0]);
        let mut pem = pem_block("CERTIFICATE", &bytes, false, 64);
        pem.extend(pem_block("CERTIFICATE", &inter, false, 64));
        pipeline(&pem, instants()[0]);
    }
}

/// Certificates expiring at the very end of year 9999, or starting at year 0: date
/// arithmetic must not overflow (x509-parser 0.18.1 panics on `ASN1Time + Duration` there).
#[test]
fn extreme_validity_dates_decode() {
    let der = seed_file("rsa/leaf.der");
    let mut root = Tlv::Cons {
        tag: 0x30,
        children: parse_all(&der, 0).expect("fixture parses"),
    };
    // Every time node becomes the latest GeneralizedTime there is.
    fn set_times(node: &mut Tlv) {
        if let Some(children) = node.children_mut() {
            for child in children.iter_mut() {
                if matches!(child.tag(), Some(0x17 | 0x18)) {
                    *child = Tlv::Prim {
                        tag: 0x18,
                        content: b"99991231235959Z".to_vec(),
                    };
                } else {
                    set_times(child);
                }
            }
        }
    }
    set_times(&mut root);
    let bytes = root.content_bytes();
    for at in instants() {
        let bundle = load_bytes(&bytes, "y9999.der", &LoadOptions::default())
            .expect("a certificate with odd dates still loads");
        let report = InputReport::from_bundle(&bundle, at).expect("and decodes");
        let validity = &report.certificates[0].info.validity;
        assert_eq!(validity.not_after, "9999-12-31T23:59:59Z");
        serde_json::to_string(&report).expect("report serializes");
    }
}

/// A certificate wrapped in thousands of SEQUENCEs or OCTET STRINGs, and a PEM body of
/// nothing but nested indefinite-length SEQUENCEs.
#[test]
fn deep_nesting_is_refused_without_stack_overflow() {
    let der = seed_file("rsa/leaf.der");
    for tag in [0x30u8, 0x04, 0xa0] {
        let mut wrapped = der.clone();
        for _ in 0..5_000 {
            wrapped = tlv(tag, &wrapped);
        }
        pipeline(&wrapped, instants()[0]);
    }
    let mut indefinite = Vec::new();
    for _ in 0..50_000 {
        indefinite.extend_from_slice(&[0x30, 0x80]);
    }
    pipeline(&indefinite, instants()[0]);
    pipeline(&pem_block("PKCS7", &indefinite, false, 64), instants()[0]);
}

/// The mutators themselves are sound: with no mutation, the tree re-encodes every fixture
/// byte for byte (otherwise the structural cases would test the wrong thing).
#[test]
fn tlv_tree_round_trips_fixtures() {
    let mut checked = 0;
    for seed in seeds() {
        for der in &seed.ders {
            if let Some(nodes) = parse_all(der, 0) {
                let mut out = Vec::new();
                nodes.iter().for_each(|n| n.encode(&mut out));
                assert_eq!(&out, der, "{}", seed.name);
                checked += 1;
            }
        }
    }
    assert!(checked > 40, "only {checked} DER blobs parsed");
}
