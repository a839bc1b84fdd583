//! Search results as rows for a spreadsheet: CSV (RFC 4180, quoted where needed) or
//! TSV (no quoting: tabs and line breaks inside a field become spaces), one row per hit
//! under a header, written as each hit is read.

use std::io::Write;

use crate::extract::EntityKind;
use crate::search::article::passage_ref;
use crate::search::Hit;

/// The columns, in order. Lists (speakers, locations, …) are joined with `; `.
pub const HEADER: [&str; 14] = [
    "rank",
    "score",
    "id",
    "title",
    "source",
    "published",
    "url",
    "paragraph",
    "text",
    "speakers",
    "stances",
    "locations",
    "weapons",
    "officials",
];

/// Rows of hits in one of the two formats.
pub struct Table<W: Write> {
    out: csv::Writer<W>,
    tsv: bool,
}

impl<W: Write> Table<W> {
    /// A table writing to `out`, its header already written.
    pub fn new(out: W, tsv: bool) -> anyhow::Result<Table<W>> {
        let out = if tsv {
            csv::WriterBuilder::new()
                .delimiter(b'\t')
                .quote_style(csv::QuoteStyle::Never)
                .from_writer(out)
        } else {
            csv::WriterBuilder::new().from_writer(out)
        };
        let mut table = Table { out, tsv };
        table.out.write_record(HEADER)?;
        Ok(table)
    }

    pub fn row(&mut self, hit: &Hit) -> anyhow::Result<()> {
        let a = &hit.article;
        let mut speakers: Vec<&str> = Vec::new();
        let mut stances: Vec<&str> = Vec::new();
        for c in &hit.claims {
            let who = c.speaker.as_deref().unwrap_or("unattributed");
            if !speakers.contains(&who) {
                speakers.push(who);
            }
            let stance = c.stance.as_str();
            if !stances.contains(&stance) {
                stances.push(stance);
            }
        }
        let names = |kind: EntityKind| {
            let mut names: Vec<&str> = Vec::new();
            for e in hit.entities.iter().filter(|e| e.kind == kind) {
                if !names.contains(&e.name.as_str()) {
                    names.push(&e.name);
                }
            }
            names.join("; ")
        };
        let fields = [
            hit.rank.to_string(),
            format!("{:.4}", hit.score),
            passage_ref(&a.id, hit.paragraph),
            a.title.clone(),
            a.source.clone().unwrap_or_default(),
            a.published.clone().unwrap_or_default(),
            a.url.clone().unwrap_or_default(),
            hit.paragraph.to_string(),
            hit.text.clone(),
            speakers.join("; "),
            stances.join("; "),
            names(EntityKind::Location),
            names(EntityKind::Weapon),
            names(EntityKind::Official),
        ];
        if self.tsv {
            let flat = fields.map(|f| f.replace(['\t', '\n', '\r'], " "));
            self.out.write_record(&flat)?;
        } else {
            self.out.write_record(&fields)?;
        }
        Ok(())
    }

    pub fn finish(mut self) -> anyhow::Result<()> {
        self.out.flush()?;
        Ok(())
    }
}
