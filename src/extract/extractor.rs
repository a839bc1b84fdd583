//! STUB — replaced by the entity-extraction work.
use super::Extraction;

pub struct Extractor;

impl Extractor {
    /// Load the gazetteers bundled in the binary and build the automaton.
    pub fn bundled() -> anyhow::Result<Extractor> {
        Ok(Extractor)
    }
    /// Entities and claims of one article text.
    pub fn extract(&self, text: &str) -> Extraction {
        let entities = Vec::new();
        let claims = super::attribution::attribute(text, &entities);
        Extraction { entities, claims }
    }
    /// Canonical name and variants of a facet path (`/location/Ukraine/Kharkiv Oblast/Kharkiv`
    /// → ["Kharkiv", "Kharkov", "Харків", …]); empty for unknown paths.
    pub fn names_for(&self, path: &str) -> Vec<String> {
        let _ = path;
        Vec::new()
    }
}
