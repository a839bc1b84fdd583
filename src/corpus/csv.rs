//! CSV with a header row: columns are mapped to article fields by their usual names,
//! or by the user's `--csv-column FIELD=COLUMN` overrides.

use super::record::{Batch, Field, Position, Record};
use super::{CorpusFile, CsvColumns, Loaded};

pub(crate) fn read(
    file: &CorpusFile,
    text: &str,
    overrides: &CsvColumns,
) -> Result<Loaded, String> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sniff_delimiter(text))
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| format!("cannot read the CSV header: {e}"))?
        .clone();
    let columns = map_columns(&headers, overrides)?;
    let mut batch = Batch::new(file);
    for row in reader.records() {
        match row {
            Ok(row) => {
                let line = row.position().map_or(0, csv::Position::line);
                let mut record = Record::default();
                for &(index, field) in &columns {
                    record.set(field, row.get(index).unwrap_or_default());
                }
                batch.push(record, Position::Line(line));
            }
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                batch.problem(Position::Line(line), csv_reason(&e));
            }
        }
    }
    Ok(batch.finish())
}

/// Column index → field. An override names its column exactly (ignoring case); the
/// other fields are found by their usual names. A file without a body column cannot
/// give any article, which is a file-level error.
fn map_columns(
    headers: &csv::StringRecord,
    overrides: &CsvColumns,
) -> Result<Vec<(usize, Field)>, String> {
    let position = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let mut columns = Vec::new();
    for field in Field::ALL {
        if let Some(name) = overrides.get(field) {
            let index = position(name).ok_or_else(|| {
                let found = headers.iter().collect::<Vec<_>>().join(", ");
                format!(
                    "no column '{name}' for --csv-column {}={name} (columns: {found})",
                    field.name()
                )
            })?;
            columns.push((index, field));
        }
    }
    for (index, header) in headers.iter().enumerate() {
        let overridden =
            |field| overrides.get(field).is_some() || columns.iter().any(|&(i, _)| i == index);
        match Field::from_name(header) {
            Some(field) if !overridden(field) => columns.push((index, field)),
            _ => {}
        }
    }
    if !columns.iter().any(|&(_, field)| field == Field::Body) {
        return Err("no body column (body, text, content, article_content, …); name it with --csv-column body=COLUMN".to_owned());
    }
    Ok(columns)
}

/// Spreadsheets in locales with a decimal comma export `;`-separated files, and some
/// tools write tabs: the delimiter is whichever of `,`, `;` and tab the header uses most.
fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or_default();
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|&d| (header.bytes().filter(|&b| b == d).count(), d == b','))
        .unwrap_or(b',')
}

fn csv_reason(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("row has {len} fields, the header has {expected_len}")
        }
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::sniff_delimiter;

    #[test]
    fn sniffs_delimiter_from_header() {
        let cases = [
            ("title,body\n", b','),
            ("title;body;date\n", b';'),
            ("title\tbody\n", b'\t'),
            ("body\n", b','),
            ("\"a;b\",c,d\n", b','),
        ];
        for (text, delimiter) in cases {
            assert_eq!(sniff_delimiter(text), delimiter, "{text:?}");
        }
    }
}
