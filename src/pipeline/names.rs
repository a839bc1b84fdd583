//! The names search resolves without the gazetteers: the lookup of the facet paths an
//! index holds (built as pieces are applied, committed with the index), and the
//! catalogue of every path the gazetteers know (written once per version of them).

use std::path::Path;

use super::read::LazyExtractor;
use crate::article::Article;
use crate::extract::{Extraction, Extractor};
use crate::facet::{self, Family};
use crate::index::lookup::{Lookup, LookupBuilder, CATALOGUE_FILE};

/// Make the facets of an article resolvable by name at search time: each entity path
/// and its ancestors with their gazetteer names, speakers by their names and known
/// variants, sources by their names.
pub fn add(lookup: &mut LookupBuilder, x: &Extractor, article: &Article, ex: &Extraction) {
    for e in &ex.entities {
        let mut path = e.path.as_str();
        loop {
            if !lookup.has(path) {
                let mut names = x.names_for(path);
                if names.is_empty() {
                    names.push(facet::label(path).into_owned());
                }
                lookup.add(path, names);
                lookup.add_includes(path, x.includes(path));
            }
            // Up to the family's first level (`/location/Ukraine`), not its root.
            match facet::parent(path) {
                Some(parent) if facet::depth(parent) >= 2 => path = parent,
                _ => break,
            }
        }
    }
    for c in &ex.claims {
        if let Some(s) = &c.speaker {
            let path = Family::Speaker.path(&[c.speaker_kind.as_str(), s]);
            if !lookup.has(&path) {
                lookup.add(&path, x.speaker_names(s));
            }
        }
    }
    if let Some(source) = &article.source {
        lookup.add(&Family::Source.path(&[source]), [source.clone()]);
    }
}

/// Write the index's catalogue of names (every path the gazetteers know, with its
/// names) unless the catalogue of this version of the gazetteers is there. It is written
/// before any file is read, while the writer's arenas are empty: the catalogue's rows
/// are some megabytes while they are built, and the commit is the run's peak.
pub fn ensure_catalogue(dir: &Path, extractor: &LazyExtractor) -> anyhow::Result<()> {
    let version = Extractor::catalogue_version();
    if Lookup::catalogue_version(dir).as_deref() == Some(version.as_str()) {
        return Ok(());
    }
    // A failure to load the gazetteers is reported when the run needs them.
    let Ok(x) = extractor.get_or_init(Extractor::bundled) else {
        return Ok(());
    };
    let mut catalogue = LookupBuilder::catalogue(version);
    for path in x.catalogue_paths() {
        let names = x.names_for(&path);
        // A place's names are wanted only to be found by: its canonical name is the
        // last segment of its path. Without their path rows (50,000 of them) the
        // catalogue is a quarter smaller and quicker to write.
        let place = Family::Location.holds(&path) && facet::depth(&path) >= 4;
        if place {
            catalogue.add_names_only(&path, names);
        } else if !names.is_empty() {
            catalogue.add(&path, names);
        }
        catalogue.add_includes(&path, x.includes(&path));
    }
    crate::index::record::write_json_atomically(&dir.join(CATALOGUE_FILE), &catalogue)
}
