//! `redline`: the command line. It wires the library crates together — sources parse
//! files, the store keeps versions, the matching engine screens — and owns every I/O
//! policy: where data lives, what is printed, what exit code a failure gets.

mod context;
mod lists;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};
use redline_model::SourceId;

#[derive(Parser)]
#[command(
    name = "redline",
    version,
    about = "Sanctions and export-control screening engine"
)]
struct Cli {
    /// Where the list store lives (default: the platform data directory).
    #[arg(long, global = true, env = "REDLINE_DATA")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Load, inspect, compare and update sanctions list versions.
    Lists {
        #[command(subcommand)]
        command: ListsCommand,
    },
}

#[derive(Subcommand)]
enum ListsCommand {
    /// Parse list files and store them as the new active version of their source.
    Load {
        /// ofac-sdn, un-sc, uk-hmt or opensanctions.
        #[arg(long)]
        source: SourceId,
        /// The file(s): for ofac-sdn, sdn.csv plus optional alt.csv, add.csv, sdn_comments.csv.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Publication date (YYYY-MM-DD) when the file does not state one.
        #[arg(long)]
        published: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The active version of each list, with its counts.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Every stored version, oldest first.
    History {
        #[arg(long)]
        json: bool,
    },
    /// Entities added, removed and changed between two versions (ids or id prefixes).
    Diff {
        from: String,
        to: String,
        #[arg(long)]
        json: bool,
    },
    /// Download the current lists from their publishers and load them.
    Update {
        /// Sources to update (default: every source with a download URL).
        #[arg(long, value_delimiter = ',')]
        source: Vec<SourceId>,
        /// Override a download address: SOURCE=URL (repeatable).
        #[arg(long)]
        url: Vec<String>,
        #[arg(long)]
        json: bool,
    },
}

fn run(cli: Cli) -> Result<()> {
    let dir = context::data_dir(cli.data_dir)?;
    match cli.command {
        Command::Lists { command } => match command {
            ListsCommand::Load {
                source,
                files,
                published,
                json,
            } => lists::load(&dir, source, &files, published, json),
            ListsCommand::Status { json } => {
                lists::status(&context::open_store_with_lists(&dir)?, json)
            }
            ListsCommand::History { json } => {
                lists::history(&context::open_store_with_lists(&dir)?, json)
            }
            ListsCommand::Diff { from, to, json } => {
                lists::diff_versions(&context::open_store_with_lists(&dir)?, &from, &to, json)
            }
            ListsCommand::Update { source, url, json } => lists::update(
                &mut context::open_store_with_lists(&dir)?,
                &source,
                &url,
                json,
            ),
        },
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
