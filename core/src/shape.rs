//! Shape similarity: the maths that decides whether a unit looks like a pattern's reference
//! implementations, in one place.
//!
//! Build time (the `catalog` feature): IDF weights of reference features over the catalog's
//! units ([`Idf`]) and the features no match can lack ([`required_features`], what the index
//! files a shape under). Run time: the score of a unit, the IDF-weighted containment of a
//! reference's features in the unit's, scaled down for units much larger than the reference
//! ([`Reference::containment`], [`best_score`]). This module owns the formulas, not the data:
//! the catalog feeds it reference code, the database stores the weights, the engine asks for
//! scores and decides what to do with them (thresholds, guards, top-k).

use crate::document::Document;
use crate::pattern::ShapeReference;
use crate::unit::{Unit, UnitKind};

/// How many times more distinct features than a shape's reference a unit may have before its
/// score is scaled down.
pub(crate) const SIZE_SLACK: f32 = 4.0;

/// The unit a shape is about in a piece of reference code: the largest top-level unit that is
/// not the module (or the module when there is none).
pub(crate) fn main_unit(doc: &Document) -> &Unit {
    doc.units()
        .iter()
        .filter(|u| u.depth == 1)
        .max_by_key(|u| u.byte_range.len())
        .unwrap_or(doc.module())
}

/// Whether two unit kinds are comparable for shape matching (classes with classes, callables
/// with callables).
pub(crate) fn same_family(a: UnitKind, b: UnitKind) -> bool {
    (a.is_type_like() && b.is_type_like()) || (a.is_callable() && b.is_callable()) || a == b
}

/// The sum of the weights of a reference's features.
fn total_weight(features: &[(u64, f32)]) -> f32 {
    features.iter().map(|(_, w)| w).sum()
}

/// A reference implementation ready to score units: the kind of its main unit and its weighted
/// features.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Reference {
    kind: UnitKind,
    features: Vec<(u64, f32)>,
    total: f32,
}

impl Reference {
    /// A reference of a kind with weighted features (sorted by feature).
    pub fn new(kind: UnitKind, features: Vec<(u64, f32)>) -> Reference {
        let total = total_weight(&features);
        Reference {
            kind,
            features,
            total,
        }
    }

    /// A stored reference: its code is parsed once to learn the kind of its main unit (a class
    /// when the code does not parse).
    pub fn from_record(r: &ShapeReference<'_>) -> Reference {
        let kind = Document::new(r.language, r.code)
            .map(|d| main_unit(&d).kind)
            .unwrap_or(UnitKind::Class);
        Reference::new(kind, r.features.clone())
    }

    /// IDF-weighted containment of the reference's features in a unit's (sorted) features,
    /// scaled down by the square root of the size ratio for units more than [`SIZE_SLACK`]
    /// times the reference's size: a 250-line function contains most of a small reference's
    /// features by chance, which made shapes match large functions and classes of real code.
    pub fn containment(&self, unit_features: &[u64]) -> f32 {
        if self.total <= 0.0 {
            return 0.0;
        }
        let hit: f32 = self
            .features
            .iter()
            .filter(|(f, _)| unit_features.binary_search(f).is_ok())
            .map(|(_, w)| w)
            .sum();
        let room = SIZE_SLACK * self.features.len() as f32 / unit_features.len().max(1) as f32;
        hit / self.total * room.min(1.0).sqrt()
    }
}

/// A unit's shape score: the best containment over the references of its unit family (0 when
/// there is none).
pub(crate) fn best_score(refs: &[Reference], kind: UnitKind, unit_features: &[u64]) -> f32 {
    refs.iter()
        .filter(|r| same_family(r.kind, kind))
        .map(|r| r.containment(unit_features))
        .fold(0.0f32, f32::max)
}

/// Document frequencies of features over a corpus of units (every unit but the module of each
/// document added), for IDF weights. A feature present in every unit weighs 1; a rare one
/// weighs up to 1 + ln(N + 1).
#[cfg(feature = "catalog")]
#[derive(Debug, Default)]
pub(crate) struct Idf {
    df: std::collections::BTreeMap<u64, u32>,
    units: u32,
}

#[cfg(feature = "catalog")]
impl Idf {
    /// Adds the units of a document (its deep features, as shapes compare them).
    pub fn add(&mut self, doc: &Document) {
        for u in doc.units().iter().filter(|u| u.kind != UnitKind::Module) {
            self.units += 1;
            for f in doc.deep_features(u).iter() {
                *self.df.entry(*f).or_default() += 1;
            }
        }
    }

    /// The IDF weight of each feature, in order.
    pub fn weigh(&self, features: &[u64]) -> Vec<(u64, f32)> {
        let n = self.units.max(1) as f32;
        features
            .iter()
            .map(|f| {
                let d = self.df.get(f).copied().unwrap_or(0) as f32;
                (*f, 1.0 + ((n + 1.0) / (d + 1.0)).ln())
            })
            .collect()
    }

    /// The weighted features of a reference implementation: the deep features of its main unit.
    pub fn weigh_reference(&self, doc: &Document) -> Vec<(u64, f32)> {
        self.weigh(&doc.deep_features(main_unit(doc)))
    }
}

/// Features a shape match in `language` cannot lack: in every reference of the language, those
/// whose weight alone exceeds what the threshold allows to be missing (the size scaling only
/// lowers a score, so a unit without one scores below the threshold). Sorted.
#[cfg(feature = "catalog")]
pub(crate) fn required_features(
    shape: &crate::pattern::Shape<'_>,
    language: crate::language::Language,
) -> Vec<u64> {
    let mut sets: Vec<Vec<u64>> = shape
        .references
        .iter()
        .filter(|r| r.language == language)
        .map(|r| {
            let slack = (1.0 - shape.threshold) * total_weight(&r.features);
            let mut v: Vec<u64> = r
                .features
                .iter()
                .filter(|(_, w)| *w > slack)
                .map(|(f, _)| *f)
                .collect();
            v.sort_unstable();
            v
        })
        .collect();
    let mut acc = sets.pop().unwrap_or_default();
    for s in sets {
        acc.retain(|f| s.binary_search(f).is_ok());
    }
    acc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::Language;

    fn reference(features: &[(u64, f32)]) -> Reference {
        Reference::new(UnitKind::Function, features.to_vec())
    }

    #[test]
    fn containment_is_the_weighted_share_of_reference_features() {
        let r = reference(&[(1, 1.0), (2, 3.0)]);
        assert_eq!(r.containment(&[1, 2]), 1.0);
        assert_eq!(r.containment(&[2]), 0.75);
        assert_eq!(r.containment(&[1]), 0.25);
        assert_eq!(r.containment(&[]), 0.0);
        assert_eq!(reference(&[]).containment(&[1, 2]), 0.0);
    }

    #[test]
    fn large_units_are_scaled_down_by_the_square_root_of_the_size_ratio() {
        let r = reference(&[(1, 1.0), (2, 1.0)]);
        // Up to SIZE_SLACK times the reference's size: no scaling.
        let eight: Vec<u64> = (1..=8).collect();
        assert_eq!(r.containment(&eight), 1.0);
        // 32 features = 4 × the slack: scaled by sqrt(8 / 32) = 0.5.
        let big: Vec<u64> = (1..=32).collect();
        assert!((r.containment(&big) - 0.5).abs() < 1e-6);
    }

    #[test]
    fn best_score_compares_within_a_unit_family() {
        let class = Reference::new(UnitKind::Class, vec![(1, 1.0)]);
        let function = Reference::new(UnitKind::Function, vec![(1, 1.0), (2, 1.0)]);
        let refs = [class, function];
        assert_eq!(best_score(&refs, UnitKind::Method, &[1]), 0.5);
        assert_eq!(best_score(&refs, UnitKind::Class, &[1]), 1.0);
        assert_eq!(best_score(&refs, UnitKind::Module, &[1, 2]), 0.0);
        assert!(same_family(UnitKind::Function, UnitKind::Method));
        assert!(!same_family(UnitKind::Class, UnitKind::Function));
    }

    #[test]
    fn the_main_unit_is_the_largest_top_level_unit() {
        let doc = Document::new(
            Language::Python,
            "def small():\n    pass\n\nclass Big:\n    def a(self):\n        return 1\n",
        )
        .unwrap();
        assert_eq!(&*main_unit(&doc).qualified_name, "Big");
        let r = Reference::from_record(&ShapeReference {
            language: Language::Python,
            code: doc.text(),
            features: Vec::new(),
        });
        assert_eq!(r.kind, UnitKind::Class);
        let empty = Document::new(Language::Python, "x = 1\n").unwrap();
        assert_eq!(main_unit(&empty).kind, UnitKind::Module);
    }

    #[test]
    #[cfg(feature = "catalog")]
    fn idf_weighs_rare_features_more() {
        let mut idf = Idf::default();
        let a = Document::new(Language::Python, "def f(x):\n    return x.lower()\n").unwrap();
        let b = Document::new(Language::Python, "def g(y):\n    return y.upper()\n").unwrap();
        idf.add(&a);
        idf.add(&b);
        assert_eq!(idf.units, 2);
        let fa = a.deep_features(main_unit(&a));
        let fb = b.deep_features(main_unit(&b));
        let shared = *fa.iter().find(|f| fb.binary_search(f).is_ok()).unwrap();
        let own = *fa.iter().find(|f| fb.binary_search(f).is_err()).unwrap();
        let w = idf.weigh(&[shared, own, 0xdead]);
        // In every unit: 1. In one of two: 1 + ln(3/2). In none: 1 + ln(3).
        assert_eq!(w[0], (shared, 1.0));
        assert!((w[1].1 - (1.0 + 1.5f32.ln())).abs() < 1e-6);
        assert!((w[2].1 - (1.0 + 3.0f32.ln())).abs() < 1e-6);
        assert_eq!(idf.weigh_reference(&a), idf.weigh(&fa));
    }

    #[test]
    #[cfg(feature = "catalog")]
    fn a_unit_without_a_required_feature_scores_below_the_threshold() {
        use crate::pattern::Shape;
        let features = vec![(1, 5.0), (2, 1.0), (3, 1.0), (4, 3.0)];
        let shape = Shape {
            threshold: 0.7,
            references: vec![ShapeReference {
                language: Language::Python,
                code: "",
                features: features.clone(),
            }],
            require: Vec::new(),
            exclude: Vec::new(),
        };
        // Slack: 0.3 × 10 = 3; only weights above it are required.
        let required = required_features(&shape, Language::Python);
        assert_eq!(required, [1]);
        assert!(required_features(&shape, Language::Rust).is_empty());
        let r = reference(&features);
        assert!(r.containment(&[2, 3, 4]) < shape.threshold);
        assert!(r.containment(&[1, 2, 3]) >= shape.threshold);
    }
}
