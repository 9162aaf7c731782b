//! The library's public types can grow without breaking embedders (issue 12): every
//! reachable `pub enum`, and every reachable `pub struct` with a public field, is
//! `#[non_exhaustive]` — so a new variant or field is not a breaking change — unless
//! [`EXHAUSTIVE`] lists it with the reason callers are meant to match it exhaustively or
//! build it with a literal.
//!
//! `lib/src` is read with `syn`, following `mod` declarations from `lib.rs` (items under
//! `#[cfg(test)]` left out, every feature's items included). A type is reachable when every
//! module on its path is `pub mod`, or when a `pub use` in a reachable module (directly or
//! through further `pub use`s) names it. The test also fails on an [`EXHAUSTIVE`] entry that
//! is no longer such a type, so the list only holds live exceptions.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Public types that stay exhaustive: (path as declared, under `chainscope::`; why).
const EXHAUSTIVE: &[(&str, &str)] = &[
    (
        "cert::ValidityStatus",
        "an instant is before, inside or after a validity window: there is no fourth case, \
         and a caller's match over the three should stay checked by the compiler",
    ),
    (
        "monitor::check::Status",
        "the monitoring-plugin protocol defines exactly OK, WARNING, CRITICAL and UNKNOWN \
         (exit codes 0 to 3); a plugin host maps each one and must not need a wildcard arm",
    ),
];

type ModPath = Vec<String>;

#[derive(Debug)]
struct Type {
    file: String,
    line: usize,
    kind: &'static str,
    non_exhaustive: bool,
    /// An enum, or a struct with at least one `pub` field: what a caller could match or
    /// build with a literal from another crate.
    open: bool,
}

/// One `use` leaf: the path as written, the name it brings in (`None`: a glob).
#[derive(Debug)]
struct Use {
    public: bool,
    path: Vec<String>,
    name: Option<String>,
}

#[derive(Default, Debug)]
struct Module {
    /// Declared `pub mod` (the crate root counts as public).
    public: bool,
    children: BTreeSet<String>,
    types: BTreeMap<String, Type>,
    uses: Vec<Use>,
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../lib/src")
}

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg") && {
            let text = a.meta.require_list().map(|l| l.tokens.to_string());
            text.is_ok_and(|t| {
                t.split(|c: char| !c.is_alphanumeric() && c != '_')
                    .any(|w| w == "test")
                    && !t.contains("not")
            })
        }
    })
}

fn is_non_exhaustive(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn flatten(tree: &syn::UseTree, prefix: &mut Vec<String>, public: bool, out: &mut Vec<Use>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            flatten(&p.tree, prefix, public, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => out.push(Use {
            public,
            path: prefix.clone(),
            name: Some(n.ident.to_string()),
        }),
        syn::UseTree::Rename(r) => out.push(Use {
            public,
            path: prefix.clone(),
            name: Some(r.ident.to_string()),
        }),
        syn::UseTree::Glob(_) => out.push(Use {
            public,
            path: prefix.clone(),
            name: None,
        }),
        syn::UseTree::Group(g) => {
            for t in &g.items {
                flatten(t, prefix, public, out);
            }
        }
    }
}

/// Reads the items of one module; `dir` is where its child modules' files are.
fn walk(
    items: &[syn::Item],
    path: ModPath,
    public: bool,
    file: &Path,
    dir: &Path,
    crate_: &mut BTreeMap<ModPath, Module>,
) {
    let rel = file
        .strip_prefix(src())
        .unwrap_or(file)
        .display()
        .to_string();
    let mut module = Module {
        public,
        ..Module::default()
    };
    let mut subs = Vec::new();
    for item in items {
        let (attrs, ident, vis, kind, open) = match item {
            syn::Item::Struct(s) => {
                let open = s.fields.iter().any(|f| is_pub(&f.vis));
                (&s.attrs, &s.ident, &s.vis, "struct", open)
            }
            syn::Item::Enum(e) => (&e.attrs, &e.ident, &e.vis, "enum", true),
            syn::Item::Use(u) if !is_cfg_test(&u.attrs) => {
                flatten(&u.tree, &mut Vec::new(), is_pub(&u.vis), &mut module.uses);
                continue;
            }
            syn::Item::Mod(m) if !is_cfg_test(&m.attrs) => {
                module.children.insert(m.ident.to_string());
                subs.push(m);
                continue;
            }
            _ => continue,
        };
        if is_cfg_test(attrs) || !is_pub(vis) {
            continue;
        }
        module.types.insert(
            ident.to_string(),
            Type {
                file: rel.clone(),
                line: ident.span().start().line,
                kind,
                non_exhaustive: is_non_exhaustive(attrs),
                open,
            },
        );
    }
    crate_.insert(path.clone(), module);
    for m in subs {
        let name = m.ident.to_string();
        let mut child = path.clone();
        child.push(name.clone());
        let public = is_pub(&m.vis);
        match &m.content {
            Some((_, items)) => walk(items, child, public, file, &dir.join(&name), crate_),
            None => {
                let flat = dir.join(format!("{name}.rs"));
                let (file, items) = if flat.exists() {
                    let items = parse(&flat);
                    (flat, items)
                } else {
                    let nested = dir.join(&name).join("mod.rs");
                    let items = parse(&nested);
                    (nested, items)
                };
                walk(&items, child, public, &file, &dir.join(&name), crate_);
            }
        }
    }
}

fn parse(file: &Path) -> Vec<syn::Item> {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    syn::parse_file(&text)
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()))
        .items
}

/// The module a `use` path's prefix names, from module `at`; `None` for other crates.
fn resolve(at: &ModPath, path: &[String], crate_: &BTreeMap<ModPath, Module>) -> Option<ModPath> {
    let mut segments = path.iter().peekable();
    let mut module = match segments.peek().map(|s| s.as_str()) {
        Some("crate") => {
            segments.next();
            Vec::new()
        }
        Some("self") => {
            segments.next();
            at.clone()
        }
        Some("super") => at.clone(),
        Some(first) if crate_[at].children.contains(first) => at.clone(),
        Some(_) => return None,
        None => at.clone(),
    };
    for s in segments {
        if s == "super" {
            module.pop()?;
        } else {
            module.push(s.clone());
            crate_.get(&module)?;
        }
    }
    Some(module)
}

/// Marks `name` in `module` reachable: the type itself, or what a `pub use` there names.
fn reach(
    module: &ModPath,
    name: Option<&str>,
    crate_: &BTreeMap<ModPath, Module>,
    seen: &mut BTreeSet<(ModPath, Option<String>)>,
    reachable: &mut BTreeSet<(ModPath, String)>,
) {
    if !seen.insert((module.clone(), name.map(str::to_owned))) {
        return;
    }
    let Some(m) = crate_.get(module) else { return };
    for ty in m.types.keys() {
        if name.is_none_or(|n| n == ty) {
            reachable.insert((module.clone(), ty.clone()));
        }
    }
    for u in m.uses.iter().filter(|u| u.public) {
        if name.is_some() && u.name.is_some() && u.name.as_deref() != name {
            continue;
        }
        let Some(target) = resolve(module, &u.path, crate_) else {
            continue;
        };
        reach(&target, u.name.as_deref(), crate_, seen, reachable);
    }
}

fn surface() -> (BTreeMap<ModPath, Module>, BTreeSet<(ModPath, String)>) {
    let mut crate_ = BTreeMap::new();
    let lib = src().join("lib.rs");
    walk(&parse(&lib), Vec::new(), true, &lib, &src(), &mut crate_);
    let mut reachable = BTreeSet::new();
    let mut seen = BTreeSet::new();
    for path in crate_.keys() {
        // A module is reachable when it and all its ancestors are `pub mod`.
        let public = (0..=path.len()).all(|n| crate_[&path[..n].to_vec()].public);
        if public {
            reach(path, None, &crate_, &mut seen, &mut reachable);
        }
    }
    (crate_, reachable)
}

fn display(module: &ModPath, name: &str) -> String {
    module
        .iter()
        .map(String::as_str)
        .chain([name])
        .collect::<Vec<_>>()
        .join("::")
}

#[test]
fn public_enums_and_structs_with_public_fields_are_non_exhaustive() {
    let (crate_, reachable) = surface();
    // The reader sees the surface at all: types from a public module, from a private one
    // re-exported at the root, and a feature-gated one.
    for known in [
        "cert::CertificateInfo",
        "error::Error",
        "fetch::FetchOptions",
    ] {
        assert!(
            reachable.iter().any(|(m, n)| display(m, n) == known),
            "the reader lost {known}"
        );
    }
    let mut offenders = Vec::new();
    let mut exhaustive = BTreeSet::new();
    for (module, name) in &reachable {
        let ty = &crate_[module].types[name];
        if !ty.open || ty.non_exhaustive {
            continue;
        }
        let path = display(module, name);
        if EXHAUSTIVE.iter().any(|(p, _)| *p == path) {
            exhaustive.insert(path);
        } else {
            offenders.push(format!(
                "{path} (pub {} at lib/src/{}:{})",
                ty.kind, ty.file, ty.line
            ));
        }
    }
    let stale: Vec<&str> = EXHAUSTIVE
        .iter()
        .map(|(p, _)| *p)
        .filter(|p| !exhaustive.contains(*p))
        .collect();
    assert!(
        offenders.is_empty(),
        "{} public types can be matched or built exhaustively from another crate: mark them \
         #[non_exhaustive] (with a constructor or Default if callers build them) or list \
         them in EXHAUSTIVE with a reason:\n  {}",
        offenders.len(),
        offenders.join("\n  ")
    );
    assert!(
        stale.is_empty(),
        "EXHAUSTIVE lists types that are not reachable exhaustive enums or structs with \
         public fields any more (remove them): {stale:?}"
    );
}

#[test]
fn every_exception_gives_a_reason() {
    for (path, why) in EXHAUSTIVE {
        assert!(why.len() > 20, "{path}: say why it stays exhaustive");
    }
}

/// The `feature = "…"` names of an attribute list's `#[cfg(…)]`s, and those its
/// `#[cfg_attr(docsrs, doc(cfg(…)))]` badges name.
fn features(attrs: &[syn::Attribute]) -> (BTreeSet<String>, BTreeSet<String>) {
    let names = |text: &str| -> BTreeSet<String> {
        text.split("feature")
            .skip(1)
            .filter_map(|rest| rest.trim_start().strip_prefix('='))
            .filter_map(|rest| rest.trim_start().strip_prefix('"'))
            .filter_map(|rest| rest.split('"').next())
            .map(str::to_owned)
            .collect()
    };
    let (mut gated, mut badged) = (BTreeSet::new(), BTreeSet::new());
    for a in attrs {
        let Ok(list) = a.meta.require_list() else {
            continue;
        };
        let text = list.tokens.to_string();
        if a.path().is_ident("cfg") {
            gated.extend(names(&text));
        } else if a.path().is_ident("cfg_attr") && text.starts_with("docsrs") {
            badged.extend(names(&text));
        }
    }
    (gated, badged)
}

/// Public items, fields and variants behind a feature without its docs.rs badge.
fn unbadged(items: &[syn::Item], file: &str, out: &mut Vec<String>) {
    let mut found = Vec::new();
    let mut check = |attrs: &[syn::Attribute], public: bool, what: String| {
        let (gated, badged) = features(attrs);
        if public && !gated.is_empty() && gated != badged {
            found.push(format!("{file}: {what} (cfg {gated:?}, badge {badged:?})"));
        }
    };
    let mut inner_mods = Vec::new();
    for item in items {
        match item {
            syn::Item::Mod(m) if !is_cfg_test(&m.attrs) => {
                check(&m.attrs, is_pub(&m.vis), format!("mod {}", m.ident));
                if let Some((_, inner)) = &m.content {
                    inner_mods.push(inner);
                }
            }
            syn::Item::Use(u) => check(&u.attrs, is_pub(&u.vis), "pub use".into()),
            syn::Item::Fn(f) => check(&f.attrs, is_pub(&f.vis), format!("fn {}", f.sig.ident)),
            syn::Item::Const(c) => check(&c.attrs, is_pub(&c.vis), format!("const {}", c.ident)),
            syn::Item::Static(s) => check(&s.attrs, is_pub(&s.vis), format!("static {}", s.ident)),
            syn::Item::Type(t) => check(&t.attrs, is_pub(&t.vis), format!("type {}", t.ident)),
            syn::Item::Trait(t) => check(&t.attrs, is_pub(&t.vis), format!("trait {}", t.ident)),
            syn::Item::Struct(s) if !is_cfg_test(&s.attrs) => {
                check(&s.attrs, is_pub(&s.vis), format!("struct {}", s.ident));
                for f in &s.fields {
                    let name = f
                        .ident
                        .as_ref()
                        .map_or("(tuple field)".into(), |i| i.to_string());
                    check(&f.attrs, is_pub(&f.vis), format!("{}::{name}", s.ident));
                }
            }
            syn::Item::Enum(e) if !is_cfg_test(&e.attrs) => {
                check(&e.attrs, is_pub(&e.vis), format!("enum {}", e.ident));
                for v in &e.variants {
                    let what = format!("{}::{}", e.ident, v.ident);
                    check(&v.attrs, is_pub(&e.vis), what);
                }
            }
            syn::Item::Impl(i) if !is_cfg_test(&i.attrs) => {
                for it in &i.items {
                    if let syn::ImplItem::Fn(f) = it {
                        check(&f.attrs, is_pub(&f.vis), format!("fn {}", f.sig.ident));
                    }
                }
            }
            _ => {}
        }
    }
    out.extend(found);
    for inner in inner_mods {
        unbadged(inner, file, out);
    }
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

/// docs.rs shows which feature an item needs (`#![cfg_attr(docsrs, feature(doc_cfg))]` in
/// `lib.rs`, `rustdoc-args = ["--cfg", "docsrs"]` in `lib/Cargo.toml`): every public item,
/// field or variant under `#[cfg(feature = "…")]` carries a
/// `#[cfg_attr(docsrs, doc(cfg(feature = "…")))]` naming the same features.
#[test]
fn feature_gated_items_show_their_feature_on_docs_rs() {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    assert!(lib.contains("#![cfg_attr(docsrs, feature(doc_cfg))]"));
    let manifest = std::fs::read_to_string(src().join("../Cargo.toml")).unwrap();
    assert!(manifest.contains("rustdoc-args = [\"--cfg\", \"docsrs\"]"));
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut out = Vec::new();
    let mut gated = 0;
    for file in &files {
        let rel = file.strip_prefix(src()).unwrap().display().to_string();
        let items = parse(file);
        gated += items
            .iter()
            .filter(|i| matches!(i, syn::Item::Mod(m) if !features(&m.attrs).0.is_empty()))
            .count();
        unbadged(&items, &rel, &mut out);
    }
    // The reader sees the gates at all: `fetch`, `mint`, `monitor::exporter`.
    assert!(gated >= 3, "only {gated} feature-gated modules found");
    assert!(
        out.is_empty(),
        "public items behind a feature without its docs.rs badge:\n  {}",
        out.join("\n  ")
    );
}
