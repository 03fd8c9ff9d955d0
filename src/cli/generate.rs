//! `aes-search completions SHELL` and `aes-search man`: the shell completion script and the roff
//! man page, both generated from the same flag definitions as `--help`, so they cannot drift.

use std::io::Write;

use aes_search::Result;
use clap_complete::Shell;

use super::{stdout_error, Status};

/// Prints the completion script for `shell`.
pub fn completions(mut command: clap::Command, shell: Shell) -> Result<Status> {
    let name = command.get_name().to_string();
    // Built in memory: the generators panic on a write error, and a closed pipe is not an error.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, name, &mut script);
    print(&script)
}

/// Prints the man page, section 1.
pub fn man(command: clap::Command) -> Result<Status> {
    let mut page = Vec::new();
    clap_mangen::Man::new(command)
        .render(&mut page)
        .map_err(stdout_error)?;
    print(&page)
}

fn print(bytes: &[u8]) -> Result<Status> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes).map_err(stdout_error)?;
    out.flush().map_err(stdout_error)?;
    Ok(Status::Success)
}
