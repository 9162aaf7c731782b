//! No cycles between the library's files (issue 12.8): a file that uses another, directly
//! or through others, is not used back. Edges are the `crate::…`, `super::…` and
//! `self::…` paths in each file's code (doc comments, comments and its `#[cfg(test)] mod
//! tests` left out), resolved to the longest module path that is a file. A module and its
//! own submodules (`verify/mod.rs` and `verify/walk.rs`, `lib.rs` and everything) are
//! parent and child, not a cycle: a parent declares and re-exports its children.
//!
//! A few back edges are known and listed in [`KNOWN`], each with why it is there: the test
//! fails on any other cycle, and also when a listed edge is gone (so the list only shrinks).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Module = Vec<String>;

/// Back edges that still close a cycle, with their reason. Removing any one of them from
/// the graph is what the test does; every other cycle fails it.
const KNOWN: &[(&str, &str, &str)] = &[
    (
        "error",
        "mint",
        "Error::Mint wraps MintError (one error policy, issue 12.6), and minting checks names \
         with name_constraints, which loads certificates, which returns Error",
    ),
    (
        "verify/code",
        "verify/rules",
        "Code::Rule(&'static Rule): every catalogue rule is a code, and rules report codes",
    ),
    (
        "verify/crl",
        "verify/rules",
        "the CRL rules of the catalogue run on CRLs (Violation), and CRL checks run them",
    ),
    (
        "verify",
        "clients",
        "verify_chain's report carries the per-client predictions (clients::predict), which \
         read verify's options, codes and rules",
    ),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../lib/src")
}

fn modules() -> BTreeMap<Module, PathBuf> {
    let root = src();
    let mut out = BTreeMap::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("lib/src readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(&root).unwrap().with_extension("");
            let mut module: Module = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(module.last().map(String::as_str), Some("mod" | "lib")) {
                module.pop();
            }
            out.insert(module, path);
        }
    }
    out
}

/// The file's code: comments dropped, and its unit-test module (at the end) cut off.
fn code(text: &str) -> String {
    let mut end = text.len();
    for marker in [
        "#[cfg(test)]\nmod tests",
        "#[cfg(test)]\npub(super) mod tests",
        "#[cfg(test)]\npub(crate) mod tests",
    ] {
        if let Some(i) = text.find(marker) {
            end = end.min(i);
        }
    }
    text[..end]
        .lines()
        .map(|line| match line.find("//") {
            // `http://` in a string is not a comment.
            Some(i) if !line[..i].ends_with(':') => &line[..i],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Expands `a::{b, c::{d, e}}` into `a::b`, `a::c::d`, `a::c::e`.
fn expand(path: &str) -> Vec<String> {
    let Some(open) = path.find('{') else {
        return vec![path.to_owned()];
    };
    let prefix = &path[..open];
    let inner = &path[open + 1..path.rfind('}').unwrap_or(path.len())];
    let mut items = Vec::new();
    let (mut depth, mut current) = (0, String::new());
    for ch in inner.chars() {
        match ch {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(ch);
    }
    items.push(current);
    items
        .iter()
        .map(|i| i.trim())
        .filter(|i| !i.is_empty())
        .flat_map(|i| expand(&format!("{prefix}{i}")))
        .collect()
}

/// The paths starting with `crate::`, `super::` or `self::` in `code`.
fn paths(code: &str) -> Vec<String> {
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    for start in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(i) = code[from..].find(start) {
            let at = from + i;
            from = at + start.len();
            let before = at.checked_sub(1).map(|j| bytes[j]);
            if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':') {
                continue;
            }
            // Take identifiers, `::`, and one balanced `{…}` group.
            let mut end = at;
            let mut depth = 0usize;
            while end < bytes.len() {
                let b = bytes[end];
                let ok = b.is_ascii_alphanumeric()
                    || b == b'_'
                    || b == b':'
                    || (depth > 0 && (b == b',' || b.is_ascii_whitespace() || b == b'*'))
                    || b == b'{'
                    || (b == b'}' && depth > 0);
                if !ok {
                    break;
                }
                if b == b'{' {
                    depth += 1;
                }
                if b == b'}' {
                    depth -= 1;
                    if depth == 0 {
                        end += 1;
                        break;
                    }
                }
                end += 1;
            }
            out.extend(expand(code[at..end].trim_end_matches(':')));
        }
    }
    out
}

fn resolve(modules: &BTreeMap<Module, PathBuf>, from: &Module, path: &str) -> Option<Module> {
    let mut segments = path
        .split("::")
        .map(|s| s.split(" as ").next().unwrap().trim());
    let mut base: Module = match segments.next()? {
        "crate" => Vec::new(),
        "self" => from.clone(),
        "super" => from[..from.len().saturating_sub(1)].to_vec(),
        _ => return None,
    };
    let mut rest: Vec<&str> = segments.collect();
    while rest.first() == Some(&"super") {
        base.pop();
        rest.remove(0);
    }
    base.extend(rest.iter().map(|s| s.to_string()));
    (0..=base.len())
        .rev()
        .map(|k| base[..k].to_vec())
        .find(|m| modules.contains_key(m))
}

fn name(m: &Module) -> String {
    if m.is_empty() {
        "lib".into()
    } else {
        m.join("/")
    }
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules();
    let mut graph = BTreeMap::new();
    for (module, path) in &modules {
        let text = std::fs::read_to_string(path).expect("source readable");
        let mut edges = BTreeSet::new();
        for p in paths(&code(&text)) {
            let Some(target) = resolve(&modules, module, &p) else {
                continue;
            };
            let related = target.starts_with(module) || module.starts_with(&target);
            if !related {
                edges.insert(name(&target));
            }
        }
        graph.insert(name(module), edges);
    }
    graph
}

/// The strongly connected components with more than one file (Tarjan).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'g> {
        graph: &'g BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on: BTreeSet<&'g str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on.insert(v);
        let graph = s.graph;
        for w in graph.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on.remove(w);
                component.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.out.push(component);
            }
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out
}

#[test]
fn the_library_has_no_cycles_between_files_beyond_the_known_ones() {
    let mut graph = graph();
    assert!(graph.len() > 40, "only {} files found", graph.len());
    for (from, to, why) in KNOWN {
        let present = graph.get_mut(*from).is_some_and(|e| e.remove(*to));
        assert!(
            present,
            "{from} -> {to} is gone: drop it from KNOWN ({why})"
        );
    }
    let found = cycles(&graph);
    let described: Vec<String> = found
        .iter()
        .map(|c| {
            let edges: Vec<String> = c
                .iter()
                .flat_map(|a| {
                    graph[a]
                        .iter()
                        .filter(|b| c.contains(b))
                        .map(move |b| format!("{a} -> {b}"))
                })
                .collect();
            format!("[{}]: {}", c.join(", "), edges.join("; "))
        })
        .collect();
    assert!(
        found.is_empty(),
        "cycles between files:\n{}",
        described.join("\n")
    );
}

/// The detector finds a cycle where there is one: the edges of two sibling files that use
/// each other, and none between a module and its own child.
#[test]
fn the_detector_sees_a_cycle_and_ignores_parent_and_child() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("fetch/a", vec!["fetch/b"]),
        ("fetch/b", vec!["fetch/a"]),
        ("fetch/c", vec!["fetch/a"]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.into_iter().map(str::to_owned).collect()))
    .collect();
    assert_eq!(
        cycles(&graph),
        [vec!["fetch/a".to_owned(), "fetch/b".to_owned()]]
    );
    assert_eq!(
        paths("use super::{plan::Stream, proxy::{self, ProxyUrl}};"),
        [
            "super::plan::Stream",
            "super::proxy::self",
            "super::proxy::ProxyUrl"
        ]
    );
    // The real graph has the fetch edges the library is known to have.
    let real = graph_of_library();
    assert!(
        real["fetch/plan"].contains("fetch/proxy"),
        "{:?}",
        real["fetch/plan"]
    );
    assert!(!real["fetch/proxy"].contains("fetch/aia"));
}

fn graph_of_library() -> BTreeMap<String, BTreeSet<String>> {
    graph()
}
