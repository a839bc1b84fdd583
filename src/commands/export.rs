//! `sitrep export --to opensearch|quickwit DIR`: the index's passages as bulk NDJSON
//! files of `--batch` passages each (`bulk-00001.ndjson`, …) and the index definition
//! (`index.json` for OpenSearch and Elasticsearch, `index-config.yaml` for Quickwit),
//! written passage by passage, in index order.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use crate::cli::ExportArgs;
use crate::render::export::{self, Target};
use crate::search::Engine;

pub fn run(index_dir: &Path, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let target = match args.to.as_str() {
        "quickwit" => Target::Quickwit,
        _ => Target::OpenSearch,
    };
    if args.batch == 0 {
        anyhow::bail!("--batch must be at least 1");
    }
    crate::index::ensure_readable(index_dir)?;
    let engine = Engine::open(index_dir).map_err(|e| crate::index::damaged(index_dir, e))?;
    let dir = &args.dir;
    std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    // Bulk files of an earlier export would be loaded with this one's.
    for entry in
        std::fs::read_dir(dir).with_context(|| format!("{}: cannot read", dir.display()))?
    {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name.starts_with("bulk-") && name.ends_with(".ndjson") {
            std::fs::remove_file(&path)
                .with_context(|| format!("{}: cannot remove", path.display()))?;
        }
    }
    let write = |name: &str, bytes: &[u8]| -> anyhow::Result<()> {
        let path = dir.join(name);
        std::fs::write(&path, bytes).with_context(|| format!("{}: cannot write", path.display()))
    };
    match target {
        Target::OpenSearch => {
            let mut body = serde_json::to_vec_pretty(&export::opensearch_index())?;
            body.push(b'\n');
            write("index.json", &body)?;
        }
        Target::Quickwit => write(
            "index-config.yaml",
            export::quickwit_config(&args.name).as_bytes(),
        )?,
    }
    let mut out: Option<std::io::BufWriter<std::fs::File>> = None;
    let (mut n, mut files) = (0usize, 0usize);
    engine.for_each_passage(&mut |p| {
        if n % args.batch == 0 {
            if let Some(mut done) = out.take() {
                done.flush()?;
            }
            files += 1;
            let path = dir.join(format!("bulk-{files:05}.ndjson"));
            let file = std::fs::File::create(&path)
                .with_context(|| format!("{}: cannot write", path.display()))?;
            out = Some(std::io::BufWriter::new(file));
        }
        let w = out.as_mut().expect("a bulk file is open");
        export::write_bulk(w, target, &args.name, &p)?;
        n += 1;
        Ok(())
    })?;
    if let Some(mut done) = out.take() {
        done.flush()?;
    }
    eprintln!(
        "sitrep: exported {n} passages to {} ({files} bulk {}, and {})",
        dir.display(),
        if files == 1 { "file" } else { "files" },
        match target {
            Target::OpenSearch => "index.json",
            Target::Quickwit => "index-config.yaml",
        }
    );
    Ok(ExitCode::SUCCESS)
}
