//! The library names parameters and concepts, never the command line's flags (issue 12,
//! item 5): no string literal and no doc comment in `lib/src` outside `#[cfg(test)]` code
//! holds a `--flag` (a doc names the parameter, field or concept instead). Fixes that
//! point at an input carry a `chainscope::Hint` instead, which the CLI renders as its flag
//! (`cli/src/hints.rs`).
//!
//! The source is read with `proc-macro2`'s tokenizer, so comments are dropped, doc comments
//! are `#[doc]` attributes (checked like strings), and strings are seen whole wherever they are: in
//! `format!` arguments, `#[error(…)]` attributes, macro tables, across lines.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// Strings and doc lines allowed to hold a `--flag`, because the flag is not chainscope's:
/// (file under `lib/src`, text the literal contains, why).
const ALLOWED: &[(&str, &str, &str)] = &[
    (
        "mint/report.rs",
        "curl --",
        "a next step runs curl: --cacert, --cert and --key are curl's options",
    ),
    (
        "cert.rs",
        "curl's `--pinnedpubkey",
        "the SPKI pin is documented as the value curl's own option takes",
    ),
    (
        "fetch/mod.rs",
        "`--resolve`",
        "connect_to is explained by curl's --resolve, the option readers know it from",
    ),
    (
        "fetch/report.rs",
        "curl's `--resolve`",
        "connect_to is explained by curl's --resolve, the option readers know it from",
    ),
];

/// One string literal that names a flag.
#[derive(Debug)]
struct Hit {
    file: String,
    line: usize,
    literal: String,
    flags: Vec<String>,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text of a string literal as written (`"…"`, `r#"…"#`, `b"…"`), with the common
/// escapes and line continuations resolved; `None` for other literals.
fn string_value(repr: &str) -> Option<String> {
    let body = repr.strip_prefix('b').unwrap_or(repr);
    if let Some(raw) = body.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let inner = &raw[hashes..];
        return Some(inner[1..inner.len() - 1 - hashes].to_owned());
    }
    let inner = body.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') | Some('t') | Some('r') => out.push(' '),
            Some('\n') => {
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    Some(out)
}

/// Every `--word` in `text` that starts a token (not `xn--`, not `-----BEGIN`).
fn flags_in(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 2 < bytes.len() {
        let starts = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'-');
        if starts && bytes[i] == b'-' && bytes[i + 1] == b'-' && bytes[i + 2].is_ascii_lowercase() {
            let end = (i + 2..bytes.len())
                .find(|&j| !(bytes[j].is_ascii_alphanumeric() || bytes[j] == b'-'))
                .unwrap_or(bytes.len());
            out.push(text[i..end].to_owned());
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// Whether an attribute's tokens are `cfg(…test…)` (not `cfg(not(test))`).
fn is_cfg_test(attr: &TokenStream) -> bool {
    let tokens: Vec<TokenTree> = attr.clone().into_iter().collect();
    match tokens.as_slice() {
        [TokenTree::Ident(cfg), TokenTree::Group(args)] if cfg == "cfg" => {
            let text = args.stream().to_string();
            text.split(|c: char| !c.is_alphanumeric() && c != '_')
                .any(|w| w == "test")
                && !text.contains("not")
        }
        _ => false,
    }
}

/// Collects the flag-naming literals of `stream`, skipping doc attributes and items under
/// `#[cfg(test)]`.
fn scan(stream: TokenStream, file: &str, out: &mut Vec<Hit>) {
    let tokens: Vec<TokenTree> = stream.into_iter().collect();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Punct(p) if p.as_char() == '#' => {
                // `#[attr]` or `#![attr]`.
                let mut j = i + 1;
                if matches!(&tokens.get(j), Some(TokenTree::Punct(b)) if b.as_char() == '!') {
                    j += 1;
                }
                if let Some(TokenTree::Group(g)) = tokens.get(j) {
                    if g.delimiter() == Delimiter::Bracket {
                        let attr = g.stream();
                        if is_cfg_test(&attr) {
                            // Skip the item: up to its body `{…}` or its `;`.
                            let mut k = j + 1;
                            while k < tokens.len() {
                                match &tokens[k] {
                                    TokenTree::Group(b) if b.delimiter() == Delimiter::Brace => {
                                        break
                                    }
                                    TokenTree::Punct(s)
                                        if s.as_char() == ';' && s.spacing() == Spacing::Alone =>
                                    {
                                        break
                                    }
                                    _ => k += 1,
                                }
                            }
                            i = k + 1;
                            continue;
                        }
                        scan_attr(attr, file, out);
                        i = j + 1;
                        continue;
                    }
                }
                i += 1;
            }
            TokenTree::Group(g) => {
                scan(g.stream(), file, out);
                i += 1;
            }
            TokenTree::Literal(lit) => {
                check_literal(lit, file, out);
                i += 1;
            }
            _ => i += 1,
        }
    }
}

/// An attribute's literals: `#[error(…)]` messages, and doc comments (`///` and `//!` are
/// `#[doc = "…"]` attributes to the tokenizer; `#[cfg_attr(…, doc = "…")]` too).
fn scan_attr(attr: TokenStream, file: &str, out: &mut Vec<Hit>) {
    for t in attr {
        match t {
            TokenTree::Literal(lit) => check_literal(&lit, file, out),
            TokenTree::Group(g) => scan_attr(g.stream(), file, out),
            _ => {}
        }
    }
}

fn check_literal(lit: &proc_macro2::Literal, file: &str, out: &mut Vec<Hit>) {
    let repr = lit.to_string();
    let Some(value) = string_value(&repr) else {
        return;
    };
    let flags = flags_in(&value);
    if flags.is_empty() {
        return;
    }
    let allowed = ALLOWED
        .iter()
        .any(|(f, contains, _)| file.ends_with(f) && value.contains(contains));
    if !allowed {
        out.push(Hit {
            file: file.to_owned(),
            line: lit.span().start().line,
            literal: value,
            flags,
        });
    }
}

fn lib_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../lib/src")
}

fn hits() -> (usize, Vec<Hit>) {
    let mut files = Vec::new();
    rust_files(&lib_src(), &mut files);
    let mut hits = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let stream = TokenStream::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: does not tokenize: {e:?}", path.display()));
        let name = path.strip_prefix(lib_src()).unwrap().display().to_string();
        scan(stream, &name, &mut hits);
    }
    (files.len(), hits)
}

#[test]
fn no_library_string_names_a_command_line_flag() {
    let (files, hits) = hits();
    assert!(files > 50, "only {files} files under lib/src");
    let report: Vec<String> = hits
        .iter()
        .map(|h| {
            format!(
                "  {}:{}: {} in {:?}",
                h.file,
                h.line,
                h.flags.join(", "),
                h.literal
            )
        })
        .collect();
    assert!(
        hits.is_empty(),
        "{} library strings name a command-line flag; name the parameter or concept, and attach a \
         chainscope::Hint that cli/src/hints.rs renders:\n{}",
        hits.len(),
        report.join("\n")
    );
}

#[test]
fn the_scanner_sees_strings_and_docs_everywhere_and_skips_tests() {
    let src = r##"
        /// A doc comment with --doc-flag.
        #[error("refusing: pass --force")]
        struct E;
        fn f() {
            let a = format!("{} --max-depth {}", 1, 2);
            let b = "multi-line \
                     --untrusted FILE";
            let c = r#"raw --roots"#;
            let d = "xn--punycode and -----BEGIN CERT and a-b--c";
        }
        #[cfg(test)]
        mod tests {
            fn t() { let _ = "--in-a-test"; }
        }
        #[cfg_attr(docsrs, doc = "--cfg-attr-doc")]
        fn g() {}
    "##;
    let mut out = Vec::new();
    scan(TokenStream::from_str(src).unwrap(), "x.rs", &mut out);
    let flags: Vec<String> = out.iter().flat_map(|h| h.flags.clone()).collect();
    assert_eq!(
        flags,
        [
            "--doc-flag",
            "--force",
            "--max-depth",
            "--untrusted",
            "--roots",
            "--cfg-attr-doc"
        ]
    );
}

#[test]
fn every_allowlist_entry_is_still_needed() {
    let mut files = Vec::new();
    rust_files(&lib_src(), &mut files);
    for (file, contains, why) in ALLOWED {
        let text: String = files
            .iter()
            .filter(|p| p.ends_with(file))
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect();
        assert!(!text.is_empty(), "{file}: no such file under lib/src");
        assert!(
            text.contains(contains),
            "{file}: `{contains}` is gone ({why}): drop the entry"
        );
    }
}
