//! Precision and recall of predicted spans against gold spans.

/// Counts for one kind under one matching rule.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Score {
    /// Predictions that match a gold span.
    pub right: usize,
    /// Predictions that match none and do not only touch excluded spans.
    pub wrong: usize,
    /// Gold spans some prediction matches.
    pub found: usize,
    pub gold: usize,
}

impl Score {
    pub fn precision(&self) -> f64 {
        ratio(self.right, self.right + self.wrong)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.found, self.gold)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, other: Score) {
        self.right += other.right;
        self.wrong += other.wrong;
        self.found += other.found;
        self.gold += other.gold;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Scores of one kind: named mentions and all spans, each by exact span and by overlap.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KindScore {
    pub kind: String,
    pub named_exact: Score,
    pub named_overlap: Score,
    pub all_exact: Score,
    pub all_overlap: Score,
}

impl KindScore {
    pub fn new(kind: &str) -> KindScore {
        KindScore {
            kind: kind.to_string(),
            ..KindScore::default()
        }
    }

    /// Add one document: predicted spans and gold spans, each gold span flagged named or not.
    pub fn add(&mut self, predicted: &[(usize, usize)], gold: &[((usize, usize), bool)]) {
        let named: Vec<(usize, usize)> = gold.iter().filter(|g| g.1).map(|g| g.0).collect();
        let excluded: Vec<(usize, usize)> = gold.iter().filter(|g| !g.1).map(|g| g.0).collect();
        let all: Vec<(usize, usize)> = gold.iter().map(|g| g.0).collect();
        self.named_exact
            .add(score(predicted, &named, &excluded, exact));
        self.named_overlap
            .add(score(predicted, &named, &excluded, overlaps));
        self.all_exact.add(score(predicted, &all, &[], exact));
        self.all_overlap.add(score(predicted, &all, &[], overlaps));
    }
}

type Span = (usize, usize);

fn exact(a: Span, b: Span) -> bool {
    a == b
}

fn overlaps(a: Span, b: Span) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// A prediction that matches no gold span but overlaps an excluded one (a pronoun, a
/// lower-case description) counts neither way.
fn score(
    predicted: &[Span],
    gold: &[Span],
    excluded: &[Span],
    matches: fn(Span, Span) -> bool,
) -> Score {
    let mut s = Score {
        gold: gold.len(),
        ..Score::default()
    };
    for &p in predicted {
        if gold.iter().any(|&g| matches(p, g)) {
            s.right += 1;
        } else if !excluded.iter().any(|&g| overlaps(p, g)) {
            s.wrong += 1;
        }
    }
    s.found = gold
        .iter()
        .filter(|&&g| predicted.iter().any(|&p| matches(p, g)))
        .count();
    s
}

pub fn print_table(
    out: &mut dyn std::io::Write,
    title: &str,
    scores: &[KindScore],
) -> std::io::Result<()> {
    writeln!(out, "{title}: named mentions | all spans")?;
    writeln!(
        out,
        "{:<10} {:<8} {:>6} {:>6} {:>6} {:>11} | {:>6} {:>6} {:>6} {:>11}",
        "kind", "match", "P", "R", "F1", "found/gold", "P", "R", "F1", "found/gold"
    )?;
    for k in scores {
        for (rule, named, all) in [
            ("exact", k.named_exact, k.all_exact),
            ("overlap", k.named_overlap, k.all_overlap),
        ] {
            writeln!(
                out,
                "{:<10} {:<8} {} | {}",
                k.kind,
                rule,
                cells(named),
                cells(all)
            )?;
        }
    }
    Ok(())
}

/// Two sets' named-mention overlap scores side by side, one row per kind.
pub fn print_beside(
    out: &mut dyn std::io::Write,
    (left, a): (&str, &[KindScore]),
    (right, b): (&str, &[KindScore]),
) -> std::io::Result<()> {
    writeln!(out, "named mentions, overlap: {left} | {right}")?;
    writeln!(
        out,
        "{:<10} {:>6} {:>6} {:>6} {:>11} | {:>6} {:>6} {:>6} {:>11}",
        "kind", "P", "R", "F1", "found/gold", "P", "R", "F1", "found/gold"
    )?;
    for k in a {
        let other = b.iter().find(|o| o.kind == k.kind);
        let right = other.map_or_else(|| "-".to_string(), |o| cells(o.named_overlap));
        writeln!(out, "{:<10} {} | {}", k.kind, cells(k.named_overlap), right)?;
    }
    Ok(())
}

fn cells(s: Score) -> String {
    format!(
        "{:>6.3} {:>6.3} {:>6.3} {:>11}",
        s.precision(),
        s.recall(),
        s.f1(),
        format!("{}/{}", s.found, s.gold)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excluded_spans_count_neither_way() {
        let mut k = KindScore::new("location");
        // Gold: "Iraq" (named) at 0..4, "the city" (not named) at 10..18.
        let gold = [((0, 4), true), ((10, 18), false)];
        k.add(&[(0, 4), (14, 18), (30, 35)], &gold);
        assert_eq!(
            k.named_exact,
            Score {
                right: 1,
                wrong: 1,
                found: 1,
                gold: 1
            }
        );
        assert_eq!(
            k.all_overlap,
            Score {
                right: 2,
                wrong: 1,
                found: 2,
                gold: 2
            }
        );
    }
}
