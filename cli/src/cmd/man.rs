//! `chainscope man`: the manual page (roff, clap_mangen), covering every subcommand.

use std::path::PathBuf;

use clap::CommandFactory;

use crate::{Cli, Ctx, EXIT_OK};

/// What `chainscope man --help` ends with.
pub const AFTER_HELP: &str = "\
Examples:
  chainscope man | man -l -
  chainscope man > /usr/local/share/man/man1/chainscope.1
  chainscope man --dir /usr/local/share/man/man1

Exit codes:
  0  the page was printed (or the pages written)
  2  usage error, or DIR cannot be written";

/// Arguments of `chainscope man`.
#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Instead of one page on standard output, write one page per command into DIR
    /// (chainscope.1, chainscope-verify.1, chainscope-mint-ca.1, …), as packagers want.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// Prints `chainscope(1)`: the top-level page, then one section per subcommand (at every
/// level: `mint ca` too) with its synopsis, description, options, examples and exit codes.
pub fn run(args: &ManArgs, ctx: &mut Ctx<'_>) -> anyhow::Result<i32> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    if let Some(dir) = &args.dir {
        std::fs::create_dir_all(dir).map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
        clap_mangen::generate_to(cmd, dir)
            .map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
        return Ok(EXIT_OK);
    }
    clap_mangen::Man::new(cmd.clone()).render(&mut ctx.out)?;
    for (path, sub) in subcommands(&cmd, Vec::new()) {
        // Each subcommand's sections, as subsections of one section named after it.
        writeln!(ctx.out, ".SH \"{}\"", path.join(" ").to_uppercase())?;
        let man = clap_mangen::Man::new(sub.clone());
        let mut page = Vec::new();
        man.render_synopsis_section(&mut page)?;
        man.render_description_section(&mut page)?;
        if sub.get_arguments().any(|a| !a.is_hide_set()) {
            man.render_options_section(&mut page)?;
        }
        if sub.get_after_help().is_some() || sub.get_after_long_help().is_some() {
            man.render_extra_section(&mut page)?;
        }
        let page = String::from_utf8_lossy(&page)
            .replace(".SH EXTRA", ".SS \"EXAMPLES AND EXIT CODES\"")
            .replace(".SH ", ".SS ");
        ctx.out.write_all(page.as_bytes())?;
    }
    Ok(EXIT_OK)
}

/// Every visible subcommand below `cmd`, depth first, with its path (`["chainscope",
/// "mint", "ca"]`).
pub fn subcommands(cmd: &clap::Command, parent: Vec<String>) -> Vec<(Vec<String>, clap::Command)> {
    let mut path = parent;
    path.push(cmd.get_name().to_owned());
    let mut out = Vec::new();
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let mut sub_path = path.clone();
        sub_path.push(sub.get_name().to_owned());
        out.push((sub_path, sub.clone()));
        for (p, c) in subcommands(sub, path.clone()) {
            out.push((p, c));
        }
    }
    out
}
