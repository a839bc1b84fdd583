//! `sitrep extract`: the entities and attributions of one text, for users and evaluation.

use std::io::Read;
use std::process::ExitCode;

use anyhow::Context;

use crate::cli::ExtractArgs;
use crate::extract::Extractor;

pub fn run(args: &ExtractArgs) -> anyhow::Result<ExitCode> {
    let text = if args.file.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("<stdin>: cannot read text (is it UTF-8?)")?;
        s
    } else {
        std::fs::read_to_string(&args.file)
            .with_context(|| format!("{}: cannot read text (is it UTF-8?)", args.file.display()))?
    };
    let extractor = Extractor::bundled()?;
    let extraction = extractor.extract(&text);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        crate::render::json::write_extraction(&mut out, &text, &extraction)?;
    } else {
        crate::render::text::write_extraction(&mut out, &text, &extraction)?;
    }
    Ok(ExitCode::SUCCESS)
}
