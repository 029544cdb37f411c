//! Each rule with hand-made figures: a right case, a rounding case and an error case.

use super::*;
use crate::model::{Item, Scenario, Source};
use proptest::prelude::*;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn fig(unit: &str, item: Item, scenario: Scenario, year: i32, amount: &str, cell: &str) -> Figure {
    Figure {
        unit: unit.into(),
        line_item: LineItem::new(item),
        scenario,
        year,
        amount: d(amount),
        source: Source::cell("t.xlsx", "S", cell, Decimal::ONE),
    }
}

fn only(a: &Analysis, rule: Rule) -> Vec<&Finding> {
    a.findings.iter().filter(|f| f.rule == rule).collect()
}

const ORG: &str = r#"
[[unit]]
name = "K"
binding = ["toimintakate"]
[[unit]]
name = "A"
parent = "K"
[[unit]]
name = "B"
parent = "K"
"#;

#[test]
fn sum_right_rounding_and_error() {
    use Scenario::Tp;
    let figs = |total: &str| {
        vec![
            fig("K", Item::HENKILOSTOKULUT, Tp, 2024, "-1774883", "B1"),
            fig("K", Item::PALVELUJEN_OSTOT, Tp, 2024, "-1904647", "B2"),
            fig("K", Item::AINEET_TARVIKKEET_JA_TAVARAT, Tp, 2024, "-67560", "B3"),
            fig("K", Item::AVUSTUKSET, Tp, 2024, "-24789", "B4"),
            fig("K", Item::MUUT_TOIMINTAKULUT, Tp, 2024, "-122713", "B5"),
            fig("K", Item::TOIMINTAKULUT, Tp, 2024, total, "B6"),
        ]
    };
    let right = analyze(&figs("-3894592"), None).unwrap();
    assert!(only(&right, Rule::Sum).is_empty());
    let rounding = analyze(&figs("-3894591"), None).unwrap();
    let f = only(&rounding, Rule::Sum);
    assert_eq!(f.len(), 1);
    assert_eq!((f[0].severity, f[0].difference), (Severity::Info, Some(d("1"))));
    assert_eq!(f[0].sources[0], "t.xlsx:S!B6");
    assert_eq!(f[0].sources.len(), 6);
    // Six whole-euro figures tolerate 3; 4 is an error.
    let error = analyze(&figs("-3894588"), None).unwrap();
    let f = only(&error, Rule::Sum);
    assert_eq!(
        (f[0].severity, f[0].expected, f[0].actual, f[0].difference),
        (Severity::Error, Some(d("-3894592")), Some(d("-3894588")), Some(d("4")))
    );
    assert!(error.has_errors());
}

#[test]
fn sum_needs_total_and_a_term() {
    let only_total = vec![fig("K", Item::TOIMINTATUOTOT, Scenario::Ta, 2024, "500", "B1")];
    assert!(analyze(&only_total, None).unwrap().findings.is_empty());
    // A blank term is nothing, not a missing check: total 300 500 from two of four terms.
    let two_terms = vec![
        fig("K", Item::MYYNTITUOTOT, Scenario::Ta, 2024, "20500", "B1"),
        fig("K", Item::TUET_JA_AVUSTUKSET, Scenario::Ta, 2024, "280000", "B2"),
        fig("K", Item::TOIMINTATUOTOT, Scenario::Ta, 2024, "300500", "B3"),
    ];
    assert!(analyze(&two_terms, None).unwrap().findings.is_empty());
    // "Of which" rows are never added in.
    let mut with_internal = two_terms.clone();
    with_internal.push(Figure {
        line_item: LineItem::joista_sisaiset(Item::TOIMINTATUOTOT),
        ..fig("K", Item::TOIMINTATUOTOT, Scenario::Ta, 2024, "1000", "B4")
    });
    assert!(only(&analyze(&with_internal, None).unwrap(), Rule::Sum).is_empty());
}

#[test]
fn ta_muutettu_right_rounding_error_and_computed() {
    use Scenario::*;
    let case = |after: &str| {
        vec![
            fig("K", Item::TOIMINTAKULUT, Ta, 2024, "-1000", "B1"),
            fig("K", Item::TOIMINTAKULUT, TaMuutokset, 2024, "-200", "C1"),
            fig("K", Item::TOIMINTAKULUT, TaMuutettu, 2024, after, "D1"),
        ]
    };
    assert!(only(&analyze(&case("-1200"), None).unwrap(), Rule::TaMuutettu).is_empty());
    let r = analyze(&case("-1201"), None).unwrap();
    assert_eq!(only(&r, Rule::TaMuutettu)[0].severity, Severity::Info);
    let e = analyze(&case("-1300"), None).unwrap();
    let f = only(&e, Rule::TaMuutettu)[0];
    assert_eq!((f.severity, f.difference), (Severity::Error, Some(d("-100"))));
    // Missing after-changes figure is computed, blank changes count as 0.
    let a = analyze(
        &[
            fig("K", Item::TOIMINTAKULUT, Ta, 2024, "-1000", "B1"),
            fig("K", Item::TOIMINTAKULUT, Tp, 2024, "-900", "E1"),
        ],
        None,
    )
    .unwrap();
    let row = a.row("K", LineItem::new(Item::TOIMINTAKULUT), 2024).unwrap();
    assert_eq!((row.ta_muutettu, row.ta_muutettu_computed), (Some(d("-1000")), true));
    assert_eq!(row.variance, Some(d("100")));
    assert_eq!(row.variance_pct, Some(10.0));
    assert_eq!(row.realisation_pct, Some(90.0));
}

#[test]
fn poikkeama_right_rounding_error() {
    use Scenario::*;
    let case = |poik: &str| {
        vec![
            fig("K", Item::HENKILOSTOKULUT, TaMuutettu, 2024, "-1935039", "D1"),
            fig("K", Item::HENKILOSTOKULUT, Tp, 2024, "-1774883", "E1"),
            fig("K", Item::HENKILOSTOKULUT, Poikkeama, 2024, poik, "F1"),
        ]
    };
    let ok = analyze(&case("160156"), None).unwrap();
    assert!(only(&ok, Rule::Poikkeama).is_empty());
    let rounding = analyze(&case("160157"), None).unwrap();
    assert_eq!(only(&rounding, Rule::Poikkeama)[0].severity, Severity::Info);
    let row = rounding.row("K", LineItem::new(Item::HENKILOSTOKULUT), 2024).unwrap();
    assert_eq!(row.variance_shown(), Some(d("160157")), "reported variance shown when it agrees");
    let sign = analyze(&case("-160156"), None).unwrap();
    let f = only(&sign, Rule::Poikkeama)[0];
    assert_eq!((f.severity, f.expected, f.difference), (Severity::Error, Some(d("160156")), Some(d("-320312"))));
    let row = sign.row("K", LineItem::new(Item::HENKILOSTOKULUT), 2024).unwrap();
    assert!(row.variance_differs);
    assert_eq!((row.variance_shown(), row.poikkeama_reported), (Some(d("160156")), Some(d("-160156"))));
}

#[test]
fn rollup_right_rounding_error_and_root_cause() {
    use Scenario::Tp;
    let org = Org::parse(ORG).unwrap();
    let case = |k: &str, a_total: &str| {
        vec![
            fig("K", Item::TOIMINTAKATE, Tp, 2024, k, "B1"),
            fig("A", Item::TOIMINTATUOTOT, Tp, 2024, "254278", "B2"),
            fig("A", Item::TOIMINTAKULUT, Tp, 2024, "-2094028", "B3"),
            fig("A", Item::TOIMINTAKATE, Tp, 2024, a_total, "B4"),
            fig("B", Item::TOIMINTAKATE, Tp, 2024, "-879624", "B5"),
        ]
    };
    let ok = analyze(&case("-2719374", "-1839750"), Some(&org)).unwrap();
    assert!(ok.findings.iter().all(|f| f.rule == Rule::BindingWithin || f.rule == Rule::BindingOverrun));
    let rounding = analyze(&case("-2719375", "-1839750"), Some(&org)).unwrap();
    assert_eq!(only(&rounding, Rule::Rollup)[0].severity, Severity::Info);
    // A's total is 10 off its terms; K agrees with its terms but not with A + B: the root cause is named.
    let err = analyze(&case("-2719374", "-1839760"), Some(&org)).unwrap();
    let r = only(&err, Rule::Rollup)[0];
    assert_eq!(
        (r.severity, r.expected, r.actual, r.difference),
        (Severity::Error, Some(d("-2719384")), Some(d("-2719374")), Some(d("10")))
    );
    let cause = r.explained_by.as_ref().expect("root cause");
    assert_eq!(
        (cause.unit.as_str(), cause.rule, cause.line_item.map(|l| l.id()), cause.scenario, cause.year),
        ("A", Rule::Sum, Some("toimintakate".to_string()), Some(Tp), Some(2024))
    );
    // Errors come first.
    assert_eq!(err.findings[0].severity, Severity::Error);
}

#[test]
fn rollup_child_blank_counts_as_zero_and_parents_are_computed() {
    use Scenario::*;
    let org = Org::parse(ORG).unwrap();
    let figs = vec![
        fig("A", Item::POISTOT_JA_ARVONALENTUMISET, Ta, 2024, "-12845", "B1"),
        fig("K", Item::POISTOT_JA_ARVONALENTUMISET, Ta, 2024, "-44595", "B2"),
        fig("A", Item::TOIMINTAKATE, Tp, 2024, "-100", "B3"),
        fig("B", Item::TOIMINTAKATE, Tp, 2024, "-50", "B4"),
        fig("A", Item::TOIMINTAKATE, TaMuutettu, 2024, "-120", "B5"),
        fig("B", Item::TOIMINTAKATE, TaMuutettu, 2024, "-20", "B6"),
    ];
    let a = analyze(&figs, Some(&org)).unwrap();
    let f = only(&a, Rule::Rollup)[0];
    assert_eq!((f.severity, f.difference), (Severity::Error, Some(d("-31750"))));
    let k = a.row("K", LineItem::new(Item::TOIMINTAKATE), 2024).unwrap();
    assert!(k.rolled_up);
    assert_eq!((k.tp, k.ta_muutettu, k.variance), (Some(d("-150")), Some(d("-140")), Some(d("-10"))));
    // K's binding appropriation is judged on the rolled-up figures: an overrun of 10.
    assert_eq!(a.bindings.len(), 1);
    assert!(a.bindings[0].overrun);
    assert_eq!(a.bindings[0].variance, d("-10"));
    let over = only(&a, Rule::BindingOverrun)[0];
    assert_eq!(over.severity, Severity::Warning);
    assert_eq!(over.notes, [Note::Binding { variance: d("-10"), pct: Some(-7.142857142857143), right: None }]);
}

#[test]
fn signs_duplicates_and_unknown_units() {
    use Scenario::*;
    let org = Org::parse(ORG).unwrap();
    let figs = vec![
        fig("A", Item::MYYNTITUOTOT, Tp, 2024, "-5", "B1"),
        fig("A", Item::HENKILOSTOKULUT, Ta, 2024, "7", "B2"),
        fig("A", Item::HENKILOSTOKULUT, Poikkeama, 2024, "7", "B3"),
        fig("B", Item::AVUSTUKSET, Tp, 2024, "-10", "B4"),
        fig("B", Item::AVUSTUKSET, Tp, 2024, "-12", "Z4"),
        fig("B", Item::MAKSUTUOTOT, Tp, 2024, "3", "B5"),
        fig("B", Item::MAKSUTUOTOT, Tp, 2024, "3", "Z5"),
        fig("Bee", Item::MAKSUTUOTOT, Tp, 2024, "3", "B6"),
    ];
    let a = analyze(&figs, Some(&org)).unwrap();
    let signs = only(&a, Rule::Sign);
    assert_eq!(signs.len(), 2, "poikkeama may have either sign");
    assert!(signs.iter().all(|f| f.severity == Severity::Warning));
    let dups = only(&a, Rule::Duplicate);
    assert_eq!(dups.len(), 2);
    let differ = dups.iter().find(|f| f.severity == Severity::Error).unwrap();
    assert_eq!(differ.sources, vec!["t.xlsx:S!B4", "t.xlsx:S!Z4"]);
    assert_eq!(differ.difference, Some(d("-2")));
    assert!(dups.iter().any(|f| f.severity == Severity::Info));
    let unknown = only(&a, Rule::UnknownUnit);
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0].notes, [Note::Closest { name: "B".into() }]);
}

#[test]
fn thousands_tables_round_to_thousands() {
    let mut figs = vec![
        fig("K", Item::TOIMINTATUOTOT, Scenario::Tp, 2024, "20000", "B1"),
        fig("K", Item::TOIMINTAKULUT, Scenario::Tp, 2024, "-1151000", "B2"),
        fig("K", Item::TOIMINTAKATE, Scenario::Tp, 2024, "-1130000", "B3"),
    ];
    for f in &mut figs {
        f.source.factor = Decimal::from(1000);
    }
    // 1 000 off across three figures rounded to thousands: rounding, not an error.
    let a = analyze(&figs, None).unwrap();
    assert_eq!(only(&a, Rule::Sum)[0].severity, Severity::Info);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// Rollups of random trees equal the sum of their leaves exactly, at every depth.
    #[test]
    fn rollups_equal_sum_of_leaves(parents in proptest::collection::vec(0usize..1000, 1..25),
                                   cents in proptest::collection::vec(-10_000_000_000i64..=0, 25)) {
        // Unit i > 0 hangs under a unit with a smaller number: a tree of any depth.
        let n = parents.len() + 1;
        let mut toml = String::from("[[unit]]\nname = \"U0\"\n");
        let mut parent_of = vec![None];
        for (i, p) in parents.iter().enumerate() {
            let p = p % (i + 1);
            toml.push_str(&format!("[[unit]]\nname = \"U{}\"\nparent = \"U{p}\"\n", i + 1));
            parent_of.push(Some(p));
        }
        let org = Org::parse(&toml).unwrap();
        let is_leaf = |u: usize| !parent_of.contains(&Some(u));
        let figs: Vec<Figure> = (0..n).filter(|u| is_leaf(*u)).map(|u| Figure {
            amount: Decimal::new(cents[u], 2),
            ..fig(&format!("U{u}"), Item::TOIMINTAKULUT, Scenario::Tp, 2024, "0", &format!("A{u}"))
        }).collect();
        let a = analyze(&figs, Some(&org)).unwrap();
        prop_assert!(a.findings.is_empty());
        for u in 0..n {
            let leaves: Decimal = (0..n).filter(|l| is_leaf(*l)).filter(|l| {
                let mut cur = Some(*l);
                while let Some(c) = cur { if c == u { return true; } cur = parent_of[c]; }
                false
            }).map(|l| Decimal::new(cents[l], 2)).sum();
            let row = a.row(&format!("U{u}"), LineItem::new(Item::TOIMINTAKULUT), 2024).unwrap();
            prop_assert_eq!(row.tp, Some(leaves));
            prop_assert_eq!(row.rolled_up, !is_leaf(u));
        }
    }
}

#[test]
fn overrun_within_the_granted_overrun_right() {
    use Scenario::*;
    let org = Org::parse(ORG).unwrap();
    let figs = |right: &str| {
        vec![
            fig("K", Item::TOIMINTAKATE, TaMuutettu, 2024, "-1000000", "B1"),
            fig("K", Item::TOIMINTAKATE, Tp, 2024, "-1040000", "C1"),
            fig("K", Item::TOIMINTAKATE, Ylitysoikeus, 2024, right, "D1"),
        ]
    };
    let within = analyze(&figs("50000"), Some(&org)).unwrap();
    let b = &within.bindings[0];
    assert!(b.overrun && b.within_right);
    assert_eq!((b.variance, b.overrun_right), (d("-40000"), Some(d("50000"))));
    let f = only(&within, Rule::BindingWithinRight)[0];
    assert_eq!(f.severity, Severity::Info);
    assert!(matches!(f.notes[..], [Note::Binding { right: Some(r), .. }] if r == d("50000")), "{:?}", f.notes);
    assert!(f.sources.contains(&"t.xlsx:S!D1".to_string()));
    assert!(only(&within, Rule::BindingOverrun).is_empty());
    // A right smaller than the overrun: a plain overrun.
    let beyond = analyze(&figs("30000"), Some(&org)).unwrap();
    assert!(!beyond.bindings[0].within_right);
    assert_eq!(only(&beyond, Rule::BindingOverrun)[0].severity, Severity::Warning);
}

fn unread(label: &str, cell: &str, scenario: Scenario, amount: &str) -> crate::model::Unread {
    crate::model::Unread {
        label: label.into(),
        source: format!("t.xlsx:S!{cell}"),
        values: vec![(scenario, 2024, d(amount))],
        any_column: false,
    }
}

#[test]
fn a_sum_with_an_unread_term_is_a_warning_never_an_error() {
    use Scenario::*;
    let figs = vec![
        fig("K", Item::MYYNTITUOTOT, Tp, 2024, "100", "B1"),
        fig("K", Item::MAKSUTUOTOT, Tp, 2024, "50", "B2"),
        fig("K", Item::TOIMINTATUOTOT, Tp, 2024, "180", "B4"),
    ];
    let sum = |unread_rows: Vec<crate::model::Unread>| crate::model::TableSum {
        unit: "K".into(),
        total: LineItem::new(Item::TOIMINTATUOTOT),
        terms: vec![LineItem::new(Item::MYYNTITUOTOT), LineItem::new(Item::MAKSUTUOTOT)],
        columns: vec![(Tp, 2024)],
        unread: unread_rows,
    };
    // Without unread rows the table is wrong by 30.
    let plain = analyze_tables(&figs, &[sum(vec![])], None).unwrap();
    let f = only(&plain, Rule::Sum)[0];
    assert_eq!((f.severity, f.difference), (Severity::Error, Some(d("30"))));
    // An unread row of 30 completes it: a warning that says so, naming the cell.
    let completes = analyze_tables(&figs, &[sum(vec![unread("Kiinteistötulot", "A3", Tp, "30")])], None).unwrap();
    let f = only(&completes, Rule::Sum)[0];
    assert_eq!(f.severity, Severity::Warning);
    let row = RowRef { label: "Kiinteistötulot".into(), source: "t.xlsx:S!A3".into() };
    assert_eq!(f.notes, [Note::Unread { rows: vec![row.clone()], completes: true }]);
    assert!(!completes.has_errors());
    // One of 10 does not, and is still not an error.
    let short = analyze_tables(&figs, &[sum(vec![unread("Kiinteistötulot", "A3", Tp, "10")])], None).unwrap();
    let f = only(&short, Rule::Sum)[0];
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(f.notes, [Note::Unread { rows: vec![row], completes: false }]);
}

#[test]
fn a_total_the_table_does_not_print_is_never_zero() {
    use Scenario::*;
    // The margin and revenue are printed, costs are not (their row unread): no error on the margin.
    let figs = vec![
        fig("K", Item::TOIMINTATUOTOT, Ta, 2024, "300500", "B1"),
        fig("K", Item::TOIMINTAKATE, Ta, 2024, "-3942834", "B3"),
    ];
    let sums = vec![crate::model::TableSum {
        unit: "K".into(),
        total: LineItem::new(Item::TOIMINTAKATE),
        terms: vec![LineItem::new(Item::TOIMINTATUOTOT)],
        columns: vec![(Ta, 2024)],
        unread: vec![unread("Kulut", "A2", Ta, "-4243334")],
    }];
    let a = analyze_tables(&figs, &sums, None).unwrap();
    assert!(!a.has_errors(), "{:?}", a.findings);
    assert_eq!(only(&a, Rule::Sum)[0].severity, Severity::Warning);
}

#[test]
fn a_year_with_actuals_only_has_no_variance() {
    use Scenario::*;
    // 2023: last year's actuals beside 2024's budget and actuals. 2024: a blank budget counts as 0.
    let figs = vec![
        fig("K", Item::TOIMINTATUOTOT, Tp, 2023, "290000", "B1"),
        fig("K", Item::TOIMINTATUOTOT, TaMuutettu, 2024, "300500", "C1"),
        fig("K", Item::TOIMINTATUOTOT, Tp, 2024, "281829", "D1"),
        fig("K", Item::MUUT_TOIMINTATUOTOT, Tp, 2024, "1", "D2"),
    ];
    let a = analyze(&figs, None).unwrap();
    let last = a.row("K", LineItem::new(Item::TOIMINTATUOTOT), 2023).unwrap();
    assert_eq!((last.tp, last.variance, last.variance_pct), (Some(d("290000")), None, None));
    let this = a.row("K", LineItem::new(Item::TOIMINTATUOTOT), 2024).unwrap();
    assert_eq!(this.variance, Some(d("-18671")));
    let other = a.row("K", LineItem::new(Item::MUUT_TOIMINTATUOTOT), 2024).unwrap();
    assert_eq!((other.variance, other.variance_pct), (Some(d("1")), None));
}

#[test]
fn a_figure_beyond_any_budget_is_refused_not_a_crash() {
    let figs = vec![
        fig("K", Item::TOIMINTATUOTOT, Scenario::Tp, 2024, "50000000000000000000000000000", "B1"),
        fig("K", Item::MYYNTITUOTOT, Scenario::Tp, 2024, "50000000000000000000000000000", "B2"),
    ];
    let e = analyze(&figs, None).unwrap_err().to_string();
    assert!(e.contains("t.xlsx:S!B1") && e.contains("beyond any budget"), "{e}");
}
