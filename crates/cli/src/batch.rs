//! `redline batch screen`: a customer file screened on all cores, with progress,
//! resumable after an interruption.
//!
//! Rows are screened in chunks. After each chunk its results are appended to the
//! output (and bad rows to the error file), both are flushed to disk, and only then is
//! a checkpoint written (atomically, by rename) saying how many rows are done and how
//! long each file was. `--resume` truncates the files to the checkpoint — dropping a
//! chunk that was half written when the process died — and carries on from the next
//! row, so an interrupted and resumed run writes exactly the rows an uninterrupted run
//! would, none twice.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context as _, Result};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use redline_matching::{Index, Options};
use redline_store::Store;
use redline_subjects::input::{self, ColumnMap, RowError};
use redline_subjects::Subject;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Rows per checkpoint: large enough that the pause to sync is noise, small enough
/// that little work is redone after a crash.
pub const DEFAULT_CHUNK: usize = 10_000;

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Checkpoint {
    input_sha256: String,
    rows_done: usize,
    output_bytes: u64,
    errors_bytes: u64,
    alerts: usize,
    errors: usize,
}

pub struct BatchArgs<'a> {
    pub input: &'a Path,
    pub output: &'a Path,
    pub map: &'a ColumnMap,
    pub resume: bool,
    pub options: Options,
    pub chunk_rows: usize,
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

enum Format {
    Csv,
    Jsonl,
}

fn output_format(path: &Path) -> Result<Format> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("csv") => Ok(Format::Csv),
        Some("jsonl" | "ndjson" | "json") => Ok(Format::Jsonl),
        _ => bail!("{}: the output must end in .csv or .jsonl", path.display()),
    }
}

/// One result row.
fn render(
    format: &Format,
    line: u64,
    subject: &Subject,
    matches: &[redline_matching::Match],
    versions: &str,
) -> Result<Vec<u8>> {
    match format {
        Format::Jsonl => {
            let mut out = serde_json::to_vec(&json!({
                "line": line,
                "id": subject.id,
                "query": subject.name,
                "alert": !matches.is_empty(),
                "matches": matches,
            }))?;
            out.push(b'\n');
            Ok(out)
        }
        Format::Csv => {
            let mut w = csv::WriterBuilder::new()
                .has_headers(false)
                .from_writer(Vec::new());
            let top = matches.first();
            let compact: Vec<_> = matches
                .iter()
                .map(|m| json!({"entity_id": m.entity_id, "caption": m.caption, "score": m.score, "name": m.name}))
                .collect();
            w.write_record([
                line.to_string(),
                subject.id.clone(),
                subject.name.clone(),
                (!matches.is_empty()).to_string(),
                top.map(|m| m.entity_id.clone()).unwrap_or_default(),
                top.map(|m| m.caption.clone()).unwrap_or_default(),
                top.map(|m| format!("{:.3}", m.score)).unwrap_or_default(),
                matches.len().to_string(),
                serde_json::to_string(&compact)?,
                versions.to_string(),
            ])?;
            Ok(w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?)
        }
    }
}

/// One screened row: its output bytes, the subject and matches to alert on, or the
/// row's error.
type RowResult = (Vec<u8>, Option<(Value, Value)>, Option<RowError>);

const CSV_HEADER: &str =
    "line,id,name,alert,top_entity_id,top_caption,top_score,match_count,matches,list_versions\n";

fn write_checkpoint(path: &Path, checkpoint: &Checkpoint) -> Result<()> {
    let tmp = with_suffix(path, ".tmp");
    std::fs::write(&tmp, serde_json::to_vec(checkpoint)?)
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

fn open_for_append(path: &Path, keep_bytes: Option<u64>) -> Result<File> {
    let file = OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(keep_bytes.is_none())
        .open(path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    if let Some(len) = keep_bytes {
        // Drop whatever a crash left after the last checkpoint.
        file.set_len(len)?;
    }
    let mut file = file;
    std::io::Seek::seek(&mut file, std::io::SeekFrom::End(0))?;
    Ok(file)
}

pub fn run(index: &Index, store: &mut dyn Store, args: BatchArgs<'_>) -> Result<()> {
    let started = Instant::now();
    let format = output_format(args.output)?;
    let bytes = std::fs::read(args.input)
        .with_context(|| format!("cannot read {}", args.input.display()))?;
    let input_sha256 = redline_store::sha256_hex(&bytes);
    let name = args.input.display().to_string();
    let file = input::read(&name, &bytes, args.map)?;
    drop(bytes);
    let progress_path = with_suffix(args.output, ".progress");
    let errors_path = with_suffix(args.output, ".errors.jsonl");

    let mut checkpoint = Checkpoint {
        input_sha256: input_sha256.clone(),
        rows_done: 0,
        output_bytes: 0,
        errors_bytes: 0,
        alerts: 0,
        errors: 0,
    };
    let resumed = if progress_path.exists() {
        if !args.resume {
            bail!(
                "{} exists: an earlier run of this output was interrupted; pass --resume to continue it, or delete the file to start again",
                progress_path.display()
            );
        }
        let saved: Checkpoint = serde_json::from_slice(&std::fs::read(&progress_path)?)
            .with_context(|| format!("{} is damaged", progress_path.display()))?;
        if saved.input_sha256 != input_sha256 {
            bail!(
                "{} changed since the interrupted run; delete {} to start again",
                args.input.display(),
                progress_path.display()
            );
        }
        checkpoint = saved;
        true
    } else {
        if args.resume {
            eprintln!(
                "nothing to resume for {}: starting from the first row",
                args.output.display()
            );
        }
        false
    };
    let mut out = open_for_append(args.output, resumed.then_some(checkpoint.output_bytes))?;
    let mut errors_out = open_for_append(&errors_path, resumed.then_some(checkpoint.errors_bytes))?;
    if !resumed {
        if let Format::Csv = format {
            out.write_all(CSV_HEADER.as_bytes())?;
        }
        out.sync_data()?;
        checkpoint.output_bytes = out.metadata()?.len();
        write_checkpoint(&progress_path, &checkpoint)?;
    }

    let total = file.rows.len();
    let bar = ProgressBar::new(total as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} rows  {per_sec}  eta {eta}  {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_position(checkpoint.rows_done as u64);
    let versions = index.versions().join(" ");
    let options = args.options;
    let mut done = checkpoint.rows_done;
    while done < total {
        let end = (done + args.chunk_rows.max(1)).min(total);
        let results: Vec<RowResult> = file.rows[done..end]
            .par_iter()
            .map(|(line, row)| {
                let subject = match row {
                    Err(e) => return Ok((Vec::new(), None, Some(e.clone()))),
                    Ok(s) => s,
                };
                match subject.to_query(&[]) {
                    Err(e) => Ok((
                        Vec::new(),
                        None,
                        Some(RowError {
                            line: *line,
                            message: e.to_string(),
                        }),
                    )),
                    Ok(query) => {
                        let matches = index.screen(&query, &options);
                        let row = render(&format, *line, subject, &matches, &versions)?;
                        let alert = (!matches.is_empty())
                            .then(|| {
                                Ok::<_, serde_json::Error>((
                                    serde_json::to_value(subject)?,
                                    serde_json::to_value(&matches)?,
                                ))
                            })
                            .transpose()?;
                        Ok((row, alert, None))
                    }
                }
            })
            .collect::<Result<_>>()?;
        let mut writer = BufWriter::new(&mut out);
        let mut error_writer = BufWriter::new(&mut errors_out);
        let mut to_alert = Vec::new();
        for (row, alert, error) in results {
            writer.write_all(&row)?;
            checkpoint.alerts += usize::from(alert.is_some());
            to_alert.extend(alert);
            if let Some(e) = error {
                serde_json::to_writer(
                    &mut error_writer,
                    &json!({"file": name, "line": e.line, "error": e.message}),
                )?;
                error_writer.write_all(b"\n")?;
                checkpoint.errors += 1;
            }
        }
        writer.flush()?;
        error_writer.flush()?;
        drop(writer);
        drop(error_writer);
        out.sync_data()?;
        errors_out.sync_data()?;
        // Alerts before the checkpoint: a resumed run raises them again, and raising an
        // unchanged alert again writes nothing, so none is lost or doubled.
        let at = crate::context::now_rfc3339();
        for (subject, matches) in &to_alert {
            let key = subject["id"].as_str().unwrap_or_default().to_string();
            let matches = matches.as_array().cloned().unwrap_or_default();
            redline_server::review::raise(
                store,
                index,
                &redline_server::review::Raising {
                    kind: "subject",
                    subject_key: &key,
                    subject,
                    matches: &matches,
                    decision_id: None,
                    origin: redline_store::AlertOrigin {
                        via: "batch".into(),
                        by: crate::context::login_name(),
                        threshold: Some(options.threshold),
                    },
                    at: &at,
                },
            )?;
        }
        done = end;
        checkpoint.rows_done = done;
        checkpoint.output_bytes = out.metadata()?.len();
        checkpoint.errors_bytes = errors_out.metadata()?.len();
        write_checkpoint(&progress_path, &checkpoint)?;
        bar.set_position(done as u64);
        bar.set_message(format!(
            "{} alerts, {} errors",
            checkpoint.alerts, checkpoint.errors
        ));
    }
    bar.finish_and_clear();
    std::fs::remove_file(&progress_path).ok();
    if checkpoint.errors == 0 {
        std::fs::remove_file(&errors_path).ok();
    }
    eprintln!(
        "screened {total} rows of {} ({} encoding{}) in {:.1} s: {} alerts, {} errors{}; lists {}; results in {}",
        args.input.display(),
        file.encoding,
        file.delimiter.map(|d| format!(", delimiter {:?}", d as char)).unwrap_or_default(),
        started.elapsed().as_secs_f64(),
        checkpoint.alerts,
        checkpoint.errors,
        if checkpoint.errors > 0 { format!(" (see {})", errors_path.display()) } else { String::new() },
        versions,
        args.output.display()
    );
    Ok(())
}
