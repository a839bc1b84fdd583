//! Standing searches ("alerts"), stored with the index in `sitrep-alerts.json`.
//!
//! An alert is a query with filters. When it is added, the passages that match it are
//! its baseline. After each `index` or `watch` run, `check` runs every alert over the
//! whole index and records the matching passages it has not seen as *new*, with the
//! time they were found; `take_new` hands them out once (`sitrep alert show NAME --new`).
//!
//! A passage is known by a hash of its article id, paragraph and text: reindexing an
//! unchanged article changes none of them, so an alert never reports a passage twice; an
//! edited passage is new content and is reported. The file is small and rewritten whole
//! (written beside, then renamed); a lock file serialises the commands that change it,
//! and `check` holds it only to merge what its searches found.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};

use crate::search::{Engine, Filters, Hit, Matching, Request, ALL};

/// The file of an index's alerts.
pub const FILE: &str = "sitrep-alerts.json";
const LOCK: &str = "sitrep-alerts.lock";

/// A lock older than this was left by a process that died.
const STALE: Duration = Duration::from_secs(60);

/// All alerts of an index.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Alerts {
    pub alerts: Vec<Alert>,
}

/// One standing search.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Alert {
    pub name: String,
    pub search: Search,
    /// When it was added (RFC 3339).
    pub created: String,
    /// Passages found and not yet handed out, oldest first.
    #[serde(default)]
    pub new: Vec<Found>,
    /// Hashes of every passage it has matched (the baseline included).
    #[serde(default)]
    seen: BTreeSet<u64>,
}

/// What an alert searches for: the query and filters as given, so that `--since 7d`
/// stays relative to the day of each check.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Search {
    pub query: String,
    #[serde(default)]
    pub locations: Vec<String>,
    #[serde(default)]
    pub weapons: Vec<String>,
    #[serde(default)]
    pub officials: Vec<String>,
    #[serde(default)]
    pub said_by: Vec<String>,
    #[serde(default)]
    pub stances: Vec<String>,
    #[serde(default)]
    pub sources: Vec<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub matching: String,
    pub exact: bool,
}

/// A passage an alert found, as it was when found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Found {
    /// `ID#¶N`, for `sitrep show`.
    pub id: String,
    pub title: String,
    pub source: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
    pub text: String,
    /// When the run that indexed it found it (RFC 3339).
    pub indexed: String,
}

impl Search {
    /// The request of a check: every result, no snippet needed.
    pub fn request(&self, filters: Filters) -> anyhow::Result<Request> {
        Ok(Request {
            query: self.query.clone(),
            filters,
            limit: ALL,
            facets: false,
            exact: self.exact,
            matching: Matching::parse(&self.matching)
                .ok_or_else(|| anyhow::anyhow!("--match: expected all, most or any"))?,
            per_article: 0,
            ..Request::default()
        })
    }

    /// The filters, with relative dates read as of today.
    pub fn filters(&self) -> anyhow::Result<Filters> {
        let args = crate::cli::FilterArgs {
            location: self.locations.clone(),
            weapon: self.weapons.clone(),
            official: self.officials.clone(),
            said_by: self.said_by.clone(),
            stance: self.stances.clone(),
            source: self.sources.clone(),
            since: self.since.clone(),
            until: self.until.clone(),
            min_killed: None,
        };
        crate::config::filters(&args, chrono::Utc::now().date_naive())
    }

    /// A line saying what it searches for: `drones --location Belgorod`.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if !self.query.is_empty() {
            parts.push(self.query.clone());
        }
        let flag = |parts: &mut Vec<String>, name: &str, values: &[String]| {
            for v in values {
                parts.push(format!("--{name} {v}"));
            }
        };
        flag(&mut parts, "location", &self.locations);
        flag(&mut parts, "weapon", &self.weapons);
        flag(&mut parts, "official", &self.officials);
        flag(&mut parts, "said-by", &self.said_by);
        flag(&mut parts, "stance", &self.stances);
        flag(&mut parts, "source", &self.sources);
        flag(&mut parts, "since", self.since.as_slice());
        flag(&mut parts, "until", self.until.as_slice());
        if self.matching != "most" {
            parts.push(format!("--match {}", self.matching));
        }
        if self.exact {
            parts.push("--exact".into());
        }
        if parts.is_empty() {
            "(every passage)".into()
        } else {
            parts.join(" ")
        }
    }
}

/// The identity of a passage for alerts.
fn passage_hash(hit: &Hit) -> u64 {
    let mut h = blake3::Hasher::new();
    h.update(hit.article.id.as_bytes());
    h.update(&[0]);
    h.update(&hit.paragraph.to_le_bytes());
    h.update(hit.text.as_bytes());
    let bytes = h.finalize();
    u64::from_le_bytes(bytes.as_bytes()[..8].try_into().expect("8 bytes"))
}

fn found(hit: &Hit, indexed: &str) -> Found {
    let a = &hit.article;
    Found {
        id: crate::search::article::passage_ref(&a.id, hit.paragraph),
        title: a.title.clone(),
        source: a.source.clone(),
        published: a.published.clone(),
        url: a.url.clone(),
        text: hit.text.clone(),
        indexed: indexed.to_string(),
    }
}

/// Every passage `search` matches in the index: (hash, hit) pairs given to `visit`.
fn matches(
    engine: &Engine,
    search: &Search,
    visit: &mut dyn FnMut(u64, &Hit),
) -> anyhow::Result<usize> {
    let req = search.request(search.filters()?)?;
    let response = engine.search_streaming(&req, false, &mut |hit, relaxed| {
        // The closest query of a search that finds nothing is not a match.
        if relaxed.is_none() {
            visit(passage_hash(&hit), &hit);
        }
        Ok(())
    })?;
    Ok(response.total)
}

/// A name as alerts take it: letters, digits, `-`, `_`, `.`.
fn check_name(name: &str) -> anyhow::Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !ok {
        bail!("alert name `{name}`: use letters, digits, `-`, `_` and `.` (at most 64)");
    }
    Ok(())
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl Alerts {
    /// The alerts of the index in `dir` (none when it has no alerts file).
    pub fn load(dir: &Path) -> anyhow::Result<Alerts> {
        let path = dir.join(FILE);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .with_context(|| format!("{}: not a valid alerts file", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Alerts::default()),
            Err(e) => Err(e).with_context(|| format!("{}: cannot read", path.display())),
        }
    }

    fn save(&self, dir: &Path) -> anyhow::Result<()> {
        let path = dir.join(FILE);
        let tmp = dir.join(format!("{FILE}.tmp"));
        let bytes = serde_json::to_vec_pretty(self)?;
        std::fs::write(&tmp, bytes).with_context(|| format!("{}: cannot write", tmp.display()))?;
        std::fs::rename(&tmp, &path)
            .with_context(|| format!("{}: cannot write", path.display()))?;
        Ok(())
    }

    pub fn get(&self, name: &str) -> Option<&Alert> {
        self.alerts.iter().find(|a| a.name == name)
    }
}

/// Change the alerts of `dir` under the lock: read them, apply `change`, write them.
fn update<T>(
    dir: &Path,
    change: impl FnOnce(&mut Alerts) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let _lock = Lock::take(dir)?;
    let mut alerts = Alerts::load(dir)?;
    let value = change(&mut alerts)?;
    alerts.save(dir)?;
    Ok(value)
}

/// Add an alert; its current matches are its baseline. Returns how many there are.
pub fn add(dir: &Path, engine: &Engine, name: &str, search: Search) -> anyhow::Result<usize> {
    check_name(name)?;
    if Alerts::load(dir)?.get(name).is_some() {
        bail!("an alert `{name}` exists already (`sitrep alert rm {name}` first)");
    }
    let mut seen = BTreeSet::new();
    let total = matches(engine, &search, &mut |hash, _| {
        seen.insert(hash);
    })?;
    update(dir, |alerts| {
        if alerts.get(name).is_some() {
            bail!("an alert `{name}` exists already");
        }
        alerts.alerts.push(Alert {
            name: name.to_string(),
            search,
            created: now(),
            new: Vec::new(),
            seen,
        });
        Ok(total)
    })
}

/// Remove an alert.
pub fn remove(dir: &Path, name: &str) -> anyhow::Result<()> {
    update(dir, |alerts| {
        let before = alerts.alerts.len();
        alerts.alerts.retain(|a| a.name != name);
        if alerts.alerts.len() == before {
            bail!("no alert `{name}`");
        }
        Ok(())
    })
}

/// Hand out an alert's new passages, once: they are no longer new afterwards.
pub fn take_new(dir: &Path, name: &str) -> anyhow::Result<Vec<Found>> {
    update(dir, |alerts| {
        let alert = alerts
            .alerts
            .iter_mut()
            .find(|a| a.name == name)
            .ok_or_else(|| anyhow::anyhow!("no alert `{name}`"))?;
        Ok(std::mem::take(&mut alert.new))
    })
}

/// What one check found for one alert.
#[derive(Debug, Clone)]
pub struct Checked {
    pub name: String,
    pub found: Vec<Found>,
}

/// Run every alert of the index in `dir` and record the passages each has not seen as
/// new. Returns, per alert that found any, what it found. An alert whose search fails
/// (a filter name that no longer resolves) is reported in `errors` and skipped.
pub fn check(dir: &Path) -> anyhow::Result<(Vec<Checked>, Vec<String>)> {
    let alerts = Alerts::load(dir)?;
    if alerts.alerts.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let engine = Engine::open(dir)?;
    let indexed = now();
    let mut results: Vec<(String, Vec<(u64, Found)>)> = Vec::new();
    let mut errors = Vec::new();
    for alert in &alerts.alerts {
        let mut found = Vec::new();
        let outcome = matches(&engine, &alert.search, &mut |hash, hit| {
            if !alert.seen.contains(&hash) {
                found.push((hash, self::found(hit, &indexed)));
            }
        });
        match outcome {
            Ok(_) if !found.is_empty() => results.push((alert.name.clone(), found)),
            Ok(_) => {}
            Err(e) => errors.push(format!("alert `{}`: {e:#}", alert.name)),
        }
    }
    if results.is_empty() {
        return Ok((Vec::new(), errors));
    }
    // Merged under the lock, against the alerts as they are now: one removed meanwhile
    // is gone, and a passage another check recorded first is not recorded twice.
    let checked = update(dir, |current| {
        let mut checked = Vec::new();
        for (name, found) in results {
            let Some(alert) = current.alerts.iter_mut().find(|a| a.name == name) else {
                continue;
            };
            let mut fresh = Vec::new();
            for (hash, f) in found {
                if alert.seen.insert(hash) {
                    alert.new.push(f.clone());
                    fresh.push(f);
                }
            }
            if !fresh.is_empty() {
                checked.push(Checked { name, found: fresh });
            }
        }
        Ok(checked)
    })?;
    Ok((checked, errors))
}

/// The lock file of the alerts, removed when dropped.
struct Lock {
    path: PathBuf,
}

impl Lock {
    fn take(dir: &Path) -> anyhow::Result<Lock> {
        let path = dir.join(LOCK);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(_) => return Ok(Lock { path }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let stale = std::fs::metadata(&path)
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| SystemTime::now().duration_since(t).ok())
                        .is_some_and(|age| age > STALE);
                    if stale {
                        let _ = std::fs::remove_file(&path);
                        continue;
                    }
                    if Instant::now() > deadline {
                        bail!(
                            "{}: the alerts are locked by another sitrep (remove the file if none is running)",
                            path.display()
                        );
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(e) => {
                    return Err(e).with_context(|| format!("{}: cannot create", path.display()))
                }
            }
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
