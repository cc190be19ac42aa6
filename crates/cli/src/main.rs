//! `redline`: the command line. It wires the library crates together — sources parse
//! files, the store keeps versions, the matching engine screens — and owns every I/O
//! policy: where data lives, what is printed, what exit code a failure gets.

mod alerts;
mod audit;
mod batch;
mod bench;
mod compare;
mod context;
mod eval;
mod lists;
mod ownership;
mod payment;
mod scale;
mod screen;
mod search;
mod serve;
mod subjects;
mod text;
mod trade;

use std::path::PathBuf;
use std::process::ExitCode;

/// The binary's allocator. A screening allocates many small short-lived vectors and
/// strings (tokens, candidates, edges); under glibc's allocator a fifth of a query's
/// time went to `malloc` and `free` (perf on `redline bench`). mimalloc keeps them in
/// per-thread free lists. Library crates leave the choice to the binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::Result;
use clap::{Parser, Subcommand};
use redline_matching::{Options, QueryFields, DEFAULT_THRESHOLD};
use redline_model::SourceId;

#[derive(Parser)]
#[command(
    name = "redline",
    version,
    about = "Sanctions and export-control screening engine"
)]
struct Cli {
    /// Where the SQLite store lives (default: the platform data directory).
    #[arg(long, global = true, env = "REDLINE_DATA")]
    data_dir: Option<PathBuf>,
    /// A PostgreSQL database to keep everything in instead of SQLite
    /// (`postgres://user:password@host:5432/redline`): what replicas share.
    #[arg(
        long,
        global = true,
        env = "REDLINE_DATABASE_URL",
        hide_env_values = true
    )]
    database_url: Option<String>,
    /// Where index snapshots are kept, so that the matching index of the active
    /// lists is built once and then loaded (default: `index/` beside the SQLite
    /// store, or the platform cache directory with PostgreSQL); `off` builds it
    /// every time.
    #[arg(long, global = true, env = "REDLINE_INDEX_CACHE")]
    index_cache: Option<String>,
    /// The installation's TOML settings: the service's (addr, max_body_bytes,
    /// max_list_bytes, request_timeout_ms, max_in_flight, max_queued,
    /// screening_threads, max_batch, watch_interval_secs, key_cache_secs,
    /// store_connections, second_review_from, [freshness] stale_after_days and
    /// hard_limit_days), which the other commands read for freshness too.
    #[arg(long, global = true, env = "REDLINE_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Screen a name (or a JSON-lines batch with --input) against the active lists. A
    /// name with matches raises (or updates) an alert for review unless --dry-run; a
    /// threshold outside (0, 1] or a --source with no active list is refused.
    Screen(ScreenArgs),
    /// Look parties up: ranked candidates with the tokens that met, whatever their
    /// score (a surname, a prefix such as `Rosnef`, any script, an identifier). Raises
    /// no alert and writes nothing.
    Search(SearchArgs),
    /// Measure matching quality on benchmark files (recall, false positives, per class).
    Eval {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long, default_value_t = DEFAULT_THRESHOLD)]
        threshold: f64,
        /// Print up to this many missed cases and false positives per file.
        #[arg(long, default_value_t = 0)]
        show_misses: usize,
        /// Screen against these sources only (comma-separated; default: all).
        #[arg(long, value_delimiter = ',')]
        source: Vec<SourceId>,
        #[arg(long)]
        json: bool,
    },
    /// Compare pairs of records (FollowTheMoney entities, one pair per JSON line):
    /// the score, the same-party decision and why; precision, recall and F1 per schema
    /// when the pairs carry a human judgement. Writes nothing to the store.
    Compare {
        /// JSON lines `{"id": …, "left": {FtM entity}, "right": {FtM entity}, "judgement": "positive"|"negative"}`.
        #[arg(long)]
        input: PathBuf,
        /// Where the result lines go (default: standard output, with the scores on
        /// standard error).
        #[arg(long)]
        output: Option<PathBuf>,
        #[arg(long, default_value_t = DEFAULT_THRESHOLD)]
        threshold: f64,
        /// The scores as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Measure index build time, snapshot size, single-query latency, batch throughput
    /// and memory.
    Bench {
        /// Benchmark-format JSON lines to use as queries (default: derived from the lists).
        #[arg(long)]
        queries: Option<PathBuf>,
        #[arg(long, default_value_t = 5000)]
        count: usize,
        /// Measure over the parties of this FollowTheMoney JSON-lines file instead of
        /// the active lists.
        #[arg(long, conflicts_with = "scale")]
        ftm: Option<PathBuf>,
        /// Measure at these numbers of parties (`15k,100k,1M`), synthesised from the
        /// active lists, each in a fresh process.
        #[arg(long)]
        scale: Option<String>,
        /// With `--scale`: keep the synthesised FtM files in this directory.
        #[arg(long, requires = "scale")]
        keep: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Find listed parties named anywhere in a document (news, invoice, contract).
    Text {
        #[command(subcommand)]
        command: TextCommand,
    },
    /// Screen payment messages (ISO 20022, SWIFT MT): PASS, HOLD or BLOCK.
    Payment {
        #[command(subcommand)]
        command: PaymentCommand,
    },
    /// Ownership and control: load ownership files, list and explain derived blocks.
    Ownership {
        #[command(subcommand)]
        command: OwnershipCommand,
    },
    /// Screen a trade transaction: parties, goods (CHPL), route, vessel.
    Trade {
        #[command(subcommand)]
        command: TradeCommand,
    },
    /// The alert queue: list, show and decide alerts.
    Alerts {
        #[command(subcommand)]
        command: AlertsCommand,
    },
    /// The audit trail: verify the hash chain, export it, replay a decision.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Screen customer files in bulk (resumable, with progress).
    Batch {
        #[command(subcommand)]
        command: BatchCommand,
    },
    /// Stored customers/counterparties: import, delta rescreen, synthetic generator.
    Subjects {
        #[command(subcommand)]
        command: SubjectsCommand,
    },
    /// Serve the screening API over HTTP (Redline /v1 and yente-compatible /match).
    Serve(serve::ServeArgs),
    /// Create, list and revoke API keys for the service.
    Keys {
        #[command(subcommand)]
        command: serve::KeysCommand,
    },
    /// Bring the store's schema up to this Redline's (as `store migrate`).
    Migrate,
    /// The store itself: apply migrations, check integrity.
    Store {
        #[command(subcommand)]
        command: StoreCommand,
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
    /// At most this many matches: 10 by default for one name; a batch run (`--input`)
    /// writes every match at or above the threshold unless given.
    #[arg(long)]
    limit: Option<usize>,
    #[arg(long)]
    json: bool,
    /// JSON-lines queries: {"id", "name", "schema"?, "birth_date"?, "country"?, "identifiers"?}.
    #[arg(long, requires = "output")]
    input: Option<PathBuf>,
    /// Screen without raising an alert (a what-if). Without it, a name with matches
    /// raises or updates an alert for review, as the API does.
    #[arg(long)]
    dry_run: bool,
    /// Where batch results go, one JSON line per input line.
    #[arg(long)]
    output: Option<PathBuf>,
}

#[derive(clap::Args)]
struct SearchArgs {
    /// What to look up: a name or part of one, in any script, or an identifier.
    #[arg(required_unless_present = "input", conflicts_with = "input")]
    query: Option<String>,
    /// person, organization, vessel or aircraft.
    #[arg(long)]
    schema: Option<String>,
    /// Keep entities linked to these countries (ISO codes or names, comma-separated).
    #[arg(long, value_delimiter = ',')]
    country: Vec<String>,
    /// Keep entities of these lists (comma-separated).
    #[arg(long, value_delimiter = ',')]
    source: Vec<SourceId>,
    #[arg(long, default_value_t = 10)]
    limit: usize,
    #[arg(long, default_value_t = 0)]
    offset: usize,
    #[arg(long)]
    json: bool,
    /// JSON-lines queries, as for `screen --input` ({"id", "name", "schema"?,
    /// "country"?}); with `expected` and `class`, the share found first and in the
    /// first five is printed per class.
    #[arg(long, requires = "output")]
    input: Option<PathBuf>,
    /// Where batch results go, one JSON line per input line.
    #[arg(long)]
    output: Option<PathBuf>,
}

#[derive(Subcommand)]
enum PaymentCommand {
    /// Screen message files; exit 0 PASS, 1 HOLD, 2 BLOCK, 3 error (held, never passed).
    /// Every decision is recorded (for `audit replay`); one that is not PASS raises an
    /// alert.
    Screen {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// A policy TOML file, or a shipped profile: `default` (every payment
        /// touching Russia or Belarus is held) or `russia-evidence` (released when
        /// every party is identified and none is listed).
        #[arg(long, env = "REDLINE_PAYMENT_POLICY")]
        policy: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Measure what each shipped policy holds on a corpus of payments to Russian
    /// parties built from the loaded lists and company names on no list; exit 1 if
    /// any linked payment passes. Nothing is recorded.
    Measure {
        /// JSON lines of company names on no list, with a `class` locale: `ru_*`
        /// names are the Russian beneficiaries, `en_US` the payers.
        #[arg(long, default_value = "bench/negatives-orgs.jsonl")]
        unlisted: PathBuf,
        /// Messages per class (nine classes).
        #[arg(long, default_value_t = 40)]
        per_class: usize,
        /// Also write the messages and their labels (labels.jsonl) here.
        #[arg(long)]
        write: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum OwnershipCommand {
    /// Store an ownership file: the operator's CSV (owner,owned,percent,…), a UK PSC
    /// snapshot, GLEIF Level 2 relationship or LEI records, or BODS statements. Exit 1
    /// when rows were refused (the good rows are stored) unless --accept-partial.
    Load {
        file: PathBuf,
        /// csv, uk-psc, gleif-rr, gleif-lei or bods (default: detected from the content).
        #[arg(long)]
        format: Option<String>,
        /// CSV column mapping: owner=Shareholder,owned=Company,percent=Share
        #[arg(long)]
        map: Option<String>,
        /// A file with refused rows is not an error (they are still reported).
        #[arg(long)]
        accept_partial: bool,
        #[arg(long)]
        json: bool,
    },
    /// Time loading a generated UK PSC snapshot of N lines against the active lists
    /// (parse, name every owner, build, compute both rules) and its peak memory.
    Bench {
        #[arg(long, default_value_t = 100_000)]
        psc_lines: usize,
        /// Owners' names: population (Wikidata names of many languages) or listed
        /// (listed persons' words recombined: the matching engine's worst case).
        #[arg(long, default_value = "population")]
        names: String,
        /// Also write the generated snapshot here.
        #[arg(long)]
        write: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Every entity blocked by ownership.
    Derived {
        /// ofac (the 50% rule) or eu-uk (50% or more, plus control).
        #[arg(long, default_value = "ofac")]
        policy: String,
        /// Ownership as it stood on this date (YYYY-MM-DD; default: current stakes).
        #[arg(long)]
        as_of: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Who owns what, up to the listed owners: why an entity is blocked.
    Explain {
        entity: String,
        #[arg(long, default_value = "ofac")]
        policy: String,
        #[arg(long)]
        as_of: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum TradeCommand {
    /// Screen a trade JSON file; exit 0 PASS, 1 HOLD, 2 BLOCK, 3 error. The decision is
    /// recorded; one that is not PASS raises an alert.
    Screen {
        file: PathBuf,
        /// A goods list in the CHPL's CSV shape (hs_code,description,tier_or_category,source)
        /// instead of the built-in CHPL, e.g. the EU's Annex XXIII.
        #[arg(long)]
        goods_list: Option<PathBuf>,
        /// A route policy TOML instead of the built-in one.
        #[arg(long)]
        route_policy: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum AlertsCommand {
    /// Alerts, newest first.
    List {
        /// open (the queue), all, or one status (escalated, pending_release, true_match, …).
        #[arg(long, default_value = "open")]
        status: String,
        /// payment, name, subject, trade.
        #[arg(long)]
        kind: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// One alert with its matches and review history (JSON).
    Show { id: i64 },
    /// Give an open alert to a reviewer (without --to: back to the queue).
    Assign {
        id: i64,
        #[arg(long)]
        to: Option<String>,
        #[command(flatten)]
        reviewer: ReviewerArgs,
    },
    /// Decide an alert. A held payment's release, and a false positive on a strong
    /// match (score from --second-review-from, or a listed person or vessel under a
    /// programme), need a second, different reviewer.
    Decide {
        id: i64,
        /// escalate, true_match, false_positive, release or block.
        #[arg(long)]
        action: String,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        reviewer: ReviewerArgs,
        /// The score from which a false positive needs a second reviewer.
        #[arg(long, env = "REDLINE_SECOND_REVIEW_FROM", default_value_t = redline_server::review::SECOND_REVIEW_FROM)]
        second_review_from: f64,
    },
    /// Remembered false positives (suppressions), newest first.
    Suppressions {
        /// Revoked ones too.
        #[arg(long)]
        all: bool,
        #[arg(long, default_value_t = 100)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Revoke a suppression: the match it hid alerts again at the next screening.
    RevokeSuppression {
        id: i64,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        reviewer: ReviewerArgs,
    },
}

/// Who reviews. With reviewers configured (a key with the review role), the key
/// names the reviewer and `--actor` is refused; without, `--actor` or the login name.
#[derive(clap::Args)]
struct ReviewerArgs {
    /// Your API key (review role); needed once reviewers are configured.
    #[arg(long, env = "REDLINE_KEY", hide_env_values = true)]
    key: Option<String>,
    /// Who reviews, when no reviewers are configured (default: the login name).
    #[arg(long)]
    actor: Option<String>,
}

impl ReviewerArgs {
    fn reviewer(&self) -> alerts::Reviewer<'_> {
        alerts::Reviewer {
            key: self.key.as_deref(),
            actor: self.actor.as_deref(),
        }
    }
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check every entry's hash and link; exit 1 naming the first broken entry.
    Verify {
        #[arg(long)]
        json: bool,
    },
    /// Every entry as JSON lines.
    Export {
        #[arg(long, default_value_t = 1)]
        from: i64,
    },
    /// Re-screen a recorded decision on its recorded list versions and policy.
    Replay {
        decision_id: i64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum BatchCommand {
    /// Screen a customer file (CSV or JSON lines) on all cores, with progress. Every
    /// row with matches raises (or updates) an alert.
    Screen {
        /// CSV (any delimiter, UTF-8/UTF-16/Windows-1252) or JSON lines.
        input: PathBuf,
        /// Results: .csv or .jsonl (bad rows go to OUT.errors.jsonl).
        #[arg(long)]
        out: PathBuf,
        /// Column mapping: name=Full Name,birth_date=DOB,country=Nationality,id=Customer ID,schema=Type,identifiers=Passport
        #[arg(long, default_value = "")]
        map: String,
        /// Continue an interrupted run of the same input and output.
        #[arg(long)]
        resume: bool,
        #[arg(long, default_value_t = DEFAULT_THRESHOLD)]
        threshold: f64,
        /// Rows between checkpoints.
        #[arg(long, default_value_t = batch::DEFAULT_CHUNK, hide = true)]
        chunk_rows: usize,
    },
}

#[derive(Subcommand)]
enum SubjectsCommand {
    /// Store customers/counterparties from a file and screen them.
    Import {
        file: PathBuf,
        #[arg(long, default_value = "")]
        map: String,
        #[arg(long)]
        json: bool,
    },
    /// Screen stored subjects against what the lists changed since their last screening.
    Rescreen {
        /// Treat this version (id or prefix) as the one last screened against.
        #[arg(long)]
        since: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Write a synthetic customer file (names across cultures and scripts).
    Generate {
        #[arg(long, default_value_t = 100_000)]
        count: usize,
        /// Share of rows that are variations of listed names.
        #[arg(long, default_value_t = 0.01)]
        listed_share: f64,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum TextCommand {
    /// Screen a UTF-8 text file (`-`: standard input). A what-if: raises no alert.
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
enum StoreCommand {
    /// Bring the store's schema up to this Redline's (also done on every open).
    Migrate,
    /// Integrity: database pages, orphan rows, the audit chain; exit 1 on any problem.
    Check {
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
        /// The file(s): for ofac-sdn, sdn.csv with alt.csv, add.csv, sdn_comments.csv
        /// (without alt.csv it loads, with a warning that OFAC's aliases are missing);
        /// a file named *.gz is read decompressed.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Publication date (YYYY-MM-DD) when the file does not state one.
        #[arg(long)]
        published: Option<String>,
        /// Do not rescreen stored subjects against what the new version changed.
        #[arg(long)]
        no_rescreen: bool,
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
        /// Override a download address: SOURCE=URL (repeatable). For ofac-sdn, the URL of
        /// SDN.CSV: ALT.CSV, ADD.CSV and SDN_COMMENTS.CSV are fetched from beside it.
        #[arg(long)]
        url: Vec<String>,
        /// Do not rescreen stored subjects against what the new versions changed.
        #[arg(long)]
        no_rescreen: bool,
        /// Activate a download even if it holds under half the entities of the active
        /// version (held back by default: a truncated or wrong file can still parse).
        #[arg(long)]
        accept_shrink: bool,
        #[arg(long)]
        json: bool,
    },
}

fn run(cli: Cli) -> Result<()> {
    let location = context::store_location(cli.data_dir, cli.database_url.as_deref())?;
    context::set_index_cache(&location, cli.index_cache.as_deref());
    if !matches!(cli.command, Command::Serve(_)) {
        // A one-off command reports what it worked around (a damaged index snapshot
        // rebuilt, say) on stderr; the service sets up its own logging.
        serve::init_warnings();
    }
    match cli.command {
        Command::Screen(args) => {
            let mut store = context::open_store_with_lists(&location)?;
            // The name tables (legal forms, romanisation schemas, readings) are built
            // on other threads while the index is read: the 100,000 cities on one,
            // the rest on another.
            std::thread::spawn(redline_names::context::warm_up);
            std::thread::spawn(redline_names::warm_up);
            // Ownership first: the parties it blocks that no list carries are screened too.
            let snapshot = match context::index_cache() {
                Some(cache) => redline_server::Screening::load(store.as_ref(), cache)?,
                None => {
                    let snapshot = context::load_snapshot(store.as_ref())?;
                    redline_server::Screening {
                        blocks: snapshot.ownership.map(|v| v.blocks()).unwrap_or_default(),
                        index: snapshot.index,
                        versions: snapshot.versions,
                    }
                }
            };
            let index = &snapshot.index;
            let ownership = &snapshot.blocks;
            let options = Options {
                threshold: redline_matching::check_threshold(args.threshold)?,
                limit: args.limit.unwrap_or(10),
            };
            // A list asked for that is not loaded is refused for a batch as a whole.
            redline_matching::check_request(
                index,
                &redline_matching::Query {
                    sources: args.source.clone(),
                    ..Default::default()
                },
                &options,
            )?;
            if let (Some(input), Some(output)) = (&args.input, &args.output) {
                let options = match args.limit {
                    Some(limit) => Options { limit, ..options },
                    None => Options::every_match(args.threshold),
                };
                let (lines, errors) =
                    screen::run_batch(index, input, output, &args.source, &options)?;
                eprintln!(
                    "screened {lines} lines ({errors} errors) against {}; results in {}",
                    index.versions().join(", "),
                    output.display()
                );
                let freshness = context::settings(cli.config.as_deref())?.freshness;
                let stale = freshness.stale_among(
                    &snapshot.versions,
                    &context::now_rfc3339(),
                    &args.source,
                );
                for line in screen::stale_warnings(&stale) {
                    eprintln!("{line}");
                }
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
            for warning in fields.warnings() {
                eprintln!("warning: {warning}");
            }
            let matches = index.screen(&query, &options);
            let mut notes = screen::Notes {
                stale_lists: context::settings(cli.config.as_deref())?
                    .freshness
                    .stale_among(&snapshot.versions, &context::now_rfc3339(), &query.sources),
                ..screen::Notes::default()
            };
            if !matches.is_empty() && !args.dry_run {
                // Keyed by what was asked: the same query again updates the same alert.
                let subject = serde_json::to_value(&fields)?;
                let key = redline_alerts::content_hash(&subject);
                let listed: Vec<serde_json::Value> = matches
                    .iter()
                    .map(serde_json::to_value)
                    .collect::<Result<_, _>>()?;
                let raised = redline_server::review::raise(
                    store.as_mut(),
                    index,
                    &redline_server::review::Raising {
                        kind: "name",
                        subject_key: &key,
                        subject: &subject,
                        matches: &listed,
                        decision_id: None,
                        origin: redline_store::AlertOrigin {
                            via: "cli".into(),
                            by: context::login_name(),
                            threshold: Some(options.threshold),
                        },
                        at: &context::now_rfc3339(),
                    },
                )?;
                notes.raised(&raised);
            }
            screen::print_matches(&query, &matches, index, ownership, &notes, args.json)
        }
        Command::Eval {
            files,
            threshold,
            show_misses,
            source,
            json,
        } => {
            let store = context::open_store_with_lists(&location)?;
            let index = screen::load_index(store.as_ref())?;
            let options = Options::every_match(redline_matching::check_threshold(threshold)?);
            eval::run(&index, &files, &source, &options, json, show_misses)
        }
        Command::Search(args) => {
            let store = context::open_store_with_lists(&location)?;
            let index = screen::load_index(store.as_ref())?;
            redline_matching::check_request(
                &index,
                &redline_matching::Query {
                    name: "-".into(),
                    sources: args.source.clone(),
                    ..Default::default()
                },
                &Options::default(),
            )?;
            if let (Some(input), Some(output)) = (&args.input, &args.output) {
                return search::run_batch(&index, input, output, &args.source, args.limit);
            }
            let fields = redline_matching::QueryFields {
                schema: args.schema.clone(),
                ..redline_matching::QueryFields::new(args.query.clone().unwrap_or_default())
            };
            let query =
                redline_matching::SearchQuery::from_fields(&fields, &args.country, &args.source)?;
            let results = index.search(&query, args.limit, args.offset);
            search::print(&index, &query, &results, args.json)
        }
        Command::Compare {
            input,
            output,
            threshold,
            json,
        } => {
            let threshold = redline_matching::check_threshold(threshold)?;
            let store = context::open_store_with_lists(&location)?;
            let index = screen::load_index(store.as_ref())?;
            compare::run(&index, &input, output.as_deref(), threshold, json)
        }
        Command::Bench {
            queries,
            count,
            ftm,
            scale,
            keep,
            json,
        } => {
            let started = std::time::Instant::now();
            if let Some(file) = ftm {
                let bytes = lists::read_list_file(&file)?;
                let name = file.display().to_string();
                let parsed = redline_sources::parse(
                    redline_model::SourceId::OpenSanctions,
                    &[redline_sources::InputFile {
                        name: &name,
                        bytes: &bytes,
                    }],
                )?;
                drop(bytes);
                let versions = vec![format!("ftm@{name}")];
                let read = started.elapsed().as_secs_f64();
                return bench::run(
                    parsed.entities,
                    versions,
                    read,
                    queries.as_deref(),
                    count,
                    json,
                );
            }
            let store = context::open_store_with_lists(&location)?;
            let (entities, versions) = store.active_entities()?;
            if let Some(sizes) = scale {
                let sizes = scale::parse_sizes(&sizes)?;
                return scale::run(&entities, &sizes, count, keep.as_deref(), json);
            }
            let versions = versions.into_iter().map(|v| v.id).collect();
            let read = started.elapsed().as_secs_f64();
            bench::run(entities, versions, read, queries.as_deref(), count, json)
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
            let store = context::open_store_with_lists(&location)?;
            let index = screen::load_index(store.as_ref())?;
            let threshold = redline_matching::check_threshold(threshold)?;
            text::screen(&index, &file, &Options { threshold, limit }, json)?;
            let stale = context::settings(cli.config.as_deref())?
                .freshness
                .stale(&store.active_versions()?, &context::now_rfc3339());
            for line in screen::stale_warnings(&stale) {
                eprintln!("{line}");
            }
            Ok(())
        }
        Command::Serve(args) => serve::serve(&location, cli.config.as_deref(), args),
        Command::Migrate
        | Command::Store {
            command: StoreCommand::Migrate,
        } => {
            // Opening migrates (under a lock on PostgreSQL, so replicas starting at
            // the same time do not race).
            let store = context::open_store(&location)?;
            println!(
                "store {} ({}) is at schema version {}",
                location.redacted(),
                store.backend(),
                store.schema_version()?
            );
            Ok(())
        }
        Command::Store {
            command: StoreCommand::Check { json },
        } => {
            let store = context::open_store(&location)?;
            let problems = store.check()?;
            if json {
                println!("{}", serde_json::json!({ "problems": problems }));
            } else if problems.is_empty() {
                println!(
                    "store intact: schema {}, no orphan rows, audit chain verified",
                    store.schema_version()?
                );
            } else {
                for p in &problems {
                    println!("problem: {p}");
                }
            }
            exit_with(u8::from(!problems.is_empty()))
        }
        Command::Payment {
            command:
                PaymentCommand::Screen {
                    files,
                    policy,
                    json,
                },
        } => {
            let mut store = context::open_store_with_lists(&location)?;
            let freshness = context::settings(cli.config.as_deref())?.freshness;
            let code =
                payment::screen(store.as_mut(), &files, policy.as_deref(), &freshness, json)?;
            exit_with(code)
        }
        Command::Payment {
            command:
                PaymentCommand::Measure {
                    unlisted,
                    per_class,
                    write,
                    json,
                },
        } => {
            let store = context::open_store_with_lists(&location)?;
            let code =
                payment::measure(store.as_ref(), &unlisted, per_class, write.as_deref(), json)?;
            exit_with(code)
        }
        Command::Ownership { command } => {
            let mut store = context::open_store_with_lists(&location)?;
            match command {
                OwnershipCommand::Load {
                    file,
                    format,
                    map,
                    accept_partial,
                    json,
                } => {
                    let args = ownership::LoadArgs {
                        path: &file,
                        format: format.as_deref(),
                        map: map.as_deref(),
                        accept_partial,
                        json,
                    };
                    let code = ownership::load(store.as_mut(), &args)?;
                    exit_with(code)
                }
                OwnershipCommand::Bench {
                    psc_lines,
                    names,
                    write,
                    json,
                } => ownership::bench(store.as_ref(), psc_lines, &names, write.as_deref(), json),
                OwnershipCommand::Derived {
                    policy,
                    as_of,
                    json,
                } => ownership::derived(store.as_ref(), &policy, as_of.as_deref(), json),
                OwnershipCommand::Explain {
                    entity,
                    policy,
                    as_of,
                    json,
                } => ownership::explain(store.as_ref(), &entity, &policy, as_of.as_deref(), json),
            }
        }
        Command::Trade {
            command:
                TradeCommand::Screen {
                    file,
                    goods_list,
                    route_policy,
                    json,
                },
        } => {
            let mut store = context::open_store_with_lists(&location)?;
            exit_with(trade::screen(
                store.as_mut(),
                &file,
                goods_list.as_deref(),
                route_policy.as_deref(),
                &context::settings(cli.config.as_deref())?.freshness,
                json,
            )?)
        }
        Command::Alerts { command } => {
            let mut store = context::open_store_with_lists(&location)?;
            match command {
                AlertsCommand::List {
                    status,
                    kind,
                    limit,
                    json,
                } => alerts::list(store.as_ref(), &status, kind.as_deref(), limit, json),
                AlertsCommand::Show { id } => alerts::show(store.as_ref(), id),
                AlertsCommand::Assign { id, to, reviewer } => {
                    alerts::assign(store.as_mut(), id, to.as_deref(), reviewer.reviewer())
                }
                AlertsCommand::Decide {
                    id,
                    action,
                    reason,
                    reviewer,
                    second_review_from,
                } => alerts::decide(
                    store.as_mut(),
                    id,
                    &action,
                    &reason,
                    reviewer.reviewer(),
                    second_review_from,
                ),
                AlertsCommand::Suppressions { all, limit, json } => {
                    alerts::suppressions(store.as_ref(), all, limit, json)
                }
                AlertsCommand::RevokeSuppression {
                    id,
                    reason,
                    reviewer,
                } => alerts::revoke_suppression(store.as_mut(), id, &reason, reviewer.reviewer()),
            }
        }
        Command::Audit { command } => {
            let store = context::open_store_with_lists(&location)?;
            match command {
                AuditCommand::Verify { json } => exit_with(audit::verify(store.as_ref(), json)?),
                AuditCommand::Export { from } => audit::export(store.as_ref(), from),
                AuditCommand::Replay { decision_id, json } => {
                    exit_with(audit::replay(store.as_ref(), decision_id, json)?)
                }
            }
        }
        Command::Keys { command } => serve::keys(&location, command),
        Command::Lists { command } => match command {
            ListsCommand::Load {
                source,
                files,
                published,
                no_rescreen,
                json,
            } => {
                lists::load(&location, source, &files, published, json)?;
                rescreen_after_load(&location, no_rescreen)
            }
            ListsCommand::Status { json } => lists::status(
                context::open_store_with_lists(&location)?.as_ref(),
                &context::settings(cli.config.as_deref())?.freshness,
                json,
            ),
            ListsCommand::History { json } => {
                lists::history(context::open_store_with_lists(&location)?.as_ref(), json)
            }
            ListsCommand::Diff { from, to, json } => lists::diff_versions(
                context::open_store_with_lists(&location)?.as_ref(),
                &from,
                &to,
                json,
            ),
            ListsCommand::Update {
                source,
                url,
                no_rescreen,
                accept_shrink,
                json,
            } => {
                lists::update(
                    context::open_store_with_lists(&location)?.as_mut(),
                    &source,
                    &url,
                    accept_shrink,
                    lists::Report::json_if(json),
                )?;
                rescreen_after_load(&location, no_rescreen)
            }
        },
        Command::Batch {
            command:
                BatchCommand::Screen {
                    input,
                    out,
                    map,
                    resume,
                    threshold,
                    chunk_rows,
                },
        } => {
            let mut store = context::open_store_with_lists(&location)?;
            let index = screen::load_index(store.as_ref())?;
            let map =
                redline_subjects::input::ColumnMap::parse(&map).map_err(anyhow::Error::msg)?;
            let stale = context::settings(cli.config.as_deref())?
                .freshness
                .stale(&store.active_versions()?, &context::now_rfc3339());
            batch::run(
                &index,
                store.as_mut(),
                batch::BatchArgs {
                    input: &input,
                    output: &out,
                    map: &map,
                    resume,
                    options: Options::every_match(redline_matching::check_threshold(threshold)?),
                    chunk_rows,
                },
            )?;
            // Said after the summary, where whoever reads "0 alerts" reads it too.
            for line in screen::stale_warnings(&stale) {
                eprintln!("{line}");
            }
            Ok(())
        }
        Command::Subjects { command } => {
            let mut store = context::open_store_with_lists(&location)?;
            let options = Options::default();
            match command {
                SubjectsCommand::Import { file, map, json } => {
                    let map = redline_subjects::input::ColumnMap::parse(&map)
                        .map_err(anyhow::Error::msg)?;
                    subjects::import(store.as_mut(), &file, &map, &options, json)
                }
                SubjectsCommand::Rescreen { since, json } => {
                    let report = subjects::rescreen(store.as_mut(), since.as_deref(), &options)?;
                    subjects::print_report(report.as_ref(), json)
                }
                SubjectsCommand::Generate {
                    count,
                    listed_share,
                    seed,
                    out,
                } => subjects::generate(store.as_ref(), count, listed_share, seed, &out),
            }
        }
    }
}

/// Ends the process with a command's own exit code (after its output is written).
fn exit_with(code: u8) -> Result<()> {
    if code == 0 {
        return Ok(());
    }
    use std::io::Write;
    let _ = std::io::stdout().flush();
    std::process::exit(i32::from(code));
}

/// After a list load: stored subjects are rescreened against what changed, and the
/// new and changed matches are reported on stderr (stdout keeps the load's output).
fn rescreen_after_load(location: &redline_store::Location, skip: bool) -> Result<()> {
    if skip {
        return Ok(());
    }
    let mut store = context::open_store(location)?;
    if let Some(report) = subjects::rescreen(store.as_mut(), None, &Options::default())? {
        for m in report.new.iter().chain(&report.changed) {
            eprintln!(
                "new match: subject {} → {} {} ({:.3})",
                m.subject_id, m.entity_id, m.caption, m.score
            );
        }
    }
    Ok(())
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
