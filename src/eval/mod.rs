//! STUB — replaced by the evaluation work on the entities branch.
pub fn run(
    shared: &std::path::Path,
    ex: &crate::extract::Extractor,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    let _ = (shared, ex, out);
    anyhow::bail!("evaluation not built yet")
}
