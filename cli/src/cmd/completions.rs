//! `chainscope completions SHELL`: a completion script for the shell (clap_complete).

use clap::CommandFactory;

use crate::{Cli, Ctx, EXIT_OK};

/// What `chainscope completions --help` ends with.
pub const AFTER_HELP: &str = "\
Examples:
  chainscope completions bash > ~/.local/share/bash-completion/completions/chainscope
  chainscope completions zsh > ~/.zfunc/_chainscope
  chainscope completions fish > ~/.config/fish/completions/chainscope.fish

Exit codes:
  0  the script was printed
  2  usage error (unknown shell)";

/// Arguments of `chainscope completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Prints the completion script for `args.shell` covering every subcommand and flag.
pub fn run(args: &CompletionsArgs, ctx: &mut Ctx<'_>) -> anyhow::Result<i32> {
    let mut cmd = Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "chainscope", &mut ctx.out);
    Ok(EXIT_OK)
}
