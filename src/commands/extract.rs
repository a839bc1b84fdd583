//! `sitrep extract`: the entities and attributions of a file or of standard input, for
//! users and evaluation.
//!
//! A file is read as `index` reads it: in any encoding `index` decodes, and in any
//! format it knows (Markdown, JSON, JSON Lines, CSV, HTML), each article's body extracted
//! on its own, with a heading per article when there are several. A plain-text file,
//! a file of another extension and standard input are extracted whole, so that offsets
//! are offsets into the decoded text.

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use crate::cli::ExtractArgs;
use crate::corpus::{self, CorpusFile, Format, LoadOptions};
use crate::extract::Extractor;

/// One text to extract, with its article's id and title when it comes from a file of
/// several articles.
struct Text {
    heading: Option<(String, String)>,
    text: String,
}

pub fn run(args: &ExtractArgs) -> anyhow::Result<ExitCode> {
    let (texts, skipped) = if args.file.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("<stdin>: cannot read")?;
        (vec![plain("<stdin>", bytes)?], false)
    } else {
        read(&args.file)?
    };
    let extractor = Extractor::bundled()?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let several = texts.len() > 1;
    for t in &texts {
        let extraction = extractor.extract(&t.text);
        if args.json {
            crate::render::json::write_extraction(&mut out, &t.text, &extraction)?;
        } else {
            if let (true, Some((id, title))) = (several, &t.heading) {
                crate::render::text::write_extraction_heading(&mut out, id, title)?;
            }
            crate::render::text::write_extraction(&mut out, &t.text, &extraction)?;
        }
    }
    Ok(if skipped {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// The texts of a file, and whether any of its records was skipped (each named on
/// stderr, as `index` does).
fn read(path: &Path) -> anyhow::Result<(Vec<Text>, bool)> {
    let bytes = std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    let format = Format::from_path(path).filter(|f| *f != Format::Txt);
    let Some(format) = format else {
        return Ok((vec![plain(&path.display().to_string(), bytes)?], false));
    };
    let file = CorpusFile {
        path: path.to_path_buf(),
        key: path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        format,
    };
    let loaded = corpus::load_owned(&file, bytes, &LoadOptions::default())
        .map_err(|problem| anyhow::anyhow!("{problem}"))?;
    for p in loaded.problems.iter().chain(&loaded.warnings) {
        eprintln!("{p}");
    }
    if loaded.articles.is_empty() {
        anyhow::bail!("{}: no article with a body", path.display());
    }
    let texts = loaded
        .articles
        .into_iter()
        .map(|a| Text {
            heading: Some((a.id, a.title)),
            text: a.body,
        })
        .collect();
    Ok((texts, !loaded.problems.is_empty()))
}

/// Bytes decoded as `index` decodes them, as one text.
fn plain(name: &str, bytes: Vec<u8>) -> anyhow::Result<Text> {
    let text = corpus::decode_text(bytes).map_err(|reason| anyhow::anyhow!("{name}: {reason}"))?;
    Ok(Text {
        heading: None,
        text,
    })
}
