//! `redline`: the command line. It wires the library crates together — sources parse
//! files, the store keeps versions, the matching engine screens — and owns every I/O
//! policy: where data lives, what is printed, what exit code a failure gets.

mod bench;
mod context;
mod eval;
mod lists;
mod screen;
mod serve;
mod text;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};
use redline_matching::{Options, QueryFields, DEFAULT_THRESHOLD};
use redline_model::SourceId;
use redline_store::ListStore;

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
    /// Screen a name (or a JSON-lines batch with --input) against the active lists.
    Screen(ScreenArgs),
    /// Measure matching quality on benchmark files (recall, false positives, per class).
    Eval {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long, default_value_t = DEFAULT_THRESHOLD)]
        threshold: f64,
        /// Print up to this many missed cases and false positives per file.
        #[arg(long, default_value_t = 0)]
        show_misses: usize,
        #[arg(long)]
        json: bool,
    },
    /// Measure index build time, single-query latency, batch throughput and memory.
    Bench {
        /// Benchmark-format JSON lines to use as queries (default: derived from the lists).
        #[arg(long)]
        queries: Option<PathBuf>,
        #[arg(long, default_value_t = 5000)]
        count: usize,
        #[arg(long)]
        json: bool,
    },
    /// Find listed parties named anywhere in a document (news, invoice, contract).
    Text {
        #[command(subcommand)]
        command: TextCommand,
    },
    /// Serve the screening API over HTTP (Redline /v1 and yente-compatible /match).
    Serve(serve::ServeArgs),
    /// Create, list and revoke API keys for the service.
    Keys {
        #[command(subcommand)]
        command: serve::KeysCommand,
    },
    /// Load, inspect, compare and update sanctions list versions.
    Lists {
        #[command(subcommand)]
        command: ListsCommand,
    },
}

#[derive(clap::Args)]
struct ScreenArgs {
    /// The name to screen, in any script.
    #[arg(required_unless_present = "input", conflicts_with = "input")]
    name: Option<String>,
    /// person, organization, vessel or aircraft.
    #[arg(long)]
    schema: Option<String>,
    /// YYYY, YYYY-MM or YYYY-MM-DD.
    #[arg(long)]
    birth_date: Option<String>,
    /// ISO code or country name in any language.
    #[arg(long)]
    country: Option<String>,
    /// An identifier (passport, IMO, BIC, INN, …); repeatable.
    #[arg(long = "id")]
    ids: Vec<String>,
    /// Restrict to these sources (comma-separated).
    #[arg(long, value_delimiter = ',')]
    source: Vec<SourceId>,
    #[arg(long, default_value_t = DEFAULT_THRESHOLD)]
    threshold: f64,
    #[arg(long, default_value_t = 10)]
    limit: usize,
    #[arg(long)]
    json: bool,
    /// JSON-lines queries: {"id", "name", "schema"?, "birth_date"?, "country"?, "identifiers"?}.
    #[arg(long, requires = "output")]
    input: Option<PathBuf>,
    /// Where batch results go, one JSON line per input line.
    #[arg(long)]
    output: Option<PathBuf>,
}

#[derive(Subcommand)]
enum TextCommand {
    /// Screen a UTF-8 text file (`-`: standard input).
    Screen {
        file: PathBuf,
        #[arg(long, default_value_t = DEFAULT_THRESHOLD)]
        threshold: f64,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long)]
        json: bool,
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
        Command::Screen(args) => {
            let store = context::open_store_with_lists(&dir)?;
            let index = screen::load_index(&store)?;
            let options = Options {
                threshold: args.threshold,
                limit: args.limit,
            };
            if let (Some(input), Some(output)) = (&args.input, &args.output) {
                let (lines, errors) =
                    screen::run_batch(&index, input, output, &args.source, &options)?;
                eprintln!(
                    "screened {lines} lines ({errors} errors) against {}; results in {}",
                    index.versions().join(", "),
                    output.display()
                );
                return Ok(());
            }
            let fields = QueryFields {
                id: serde_json::Value::Null,
                name: args.name.unwrap_or_default(),
                schema: args.schema,
                birth_date: args.birth_date,
                country: args.country,
                identifiers: args.ids,
            };
            let query = fields.to_query(&args.source)?;
            let matches = index.screen(&query, &options);
            screen::print_matches(&query, &matches, &index, args.json)
        }
        Command::Eval {
            files,
            threshold,
            show_misses,
            json,
        } => {
            let store = context::open_store_with_lists(&dir)?;
            let index = screen::load_index(&store)?;
            let options = Options {
                threshold,
                limit: 10,
            };
            eval::run(&index, &files, &options, json, show_misses)
        }
        Command::Bench {
            queries,
            count,
            json,
        } => {
            let store = context::open_store_with_lists(&dir)?;
            let (entities, versions) = store.active_entities()?;
            let versions = versions.into_iter().map(|v| v.id).collect();
            bench::run(entities, versions, queries.as_deref(), count, json)
        }
        Command::Text {
            command:
                TextCommand::Screen {
                    file,
                    threshold,
                    limit,
                    json,
                },
        } => {
            let store = context::open_store_with_lists(&dir)?;
            let index = screen::load_index(&store)?;
            text::screen(&index, &file, &Options { threshold, limit }, json)
        }
        Command::Serve(args) => serve::serve(&dir, args),
        Command::Keys { command } => serve::keys(&dir, command),
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
    // The Rust runtime ignores SIGPIPE, so writing to a closed pipe (`redline lists diff
    // … | head`) makes `println!` panic with "failed printing to stdout: Broken pipe".
    // A command-line filter should instead end quietly, like other Unix tools: restore
    // the default action, which terminates the process when its reader goes away.
    // Sockets are unaffected: std sends with MSG_NOSIGNAL / SO_NOSIGPIPE.
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any other thread exists; setting a
    // signal's action to SIG_DFL installs no handler code.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
