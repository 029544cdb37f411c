//! Benchmark: validate and roll up about a million figures (5 555 units in a four-level tree × 16 line
//! items × 6 scenarios × 2 years), consistent but for a few planted errors. Prints wall time of
//! `engine::analyze` and the process's peak memory. Run: `cargo run --release --example bench_engine`.
//! Figures go in BENCHMARKS.md.

use poikkeama::engine::{analyze, Severity};
use poikkeama::model::{Figure, Item, LineItem, Org, Scenario, Source};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::time::Instant;

/// A small deterministic generator (xorshift) so every run sees the same figures.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn euros(&mut self, max: i64) -> i64 {
        (self.next() % max as u64) as i64
    }
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    // The tree: 5 toimialat × 10 yksiköt × 10 ryhmät × 10 palvelualueet.
    let mut toml = String::from("name = \"Benchmark city\"\n");
    let mut units: Vec<(String, Option<String>)> = Vec::new();
    for a in 0..5 {
        let ta = format!("T{a}");
        units.push((ta.clone(), None));
        for b in 0..10 {
            let yb = format!("{ta}.Y{b}");
            units.push((yb.clone(), Some(ta.clone())));
            for c in 0..10 {
                let rc = format!("{yb}.R{c}");
                units.push((rc.clone(), Some(yb.clone())));
                for d in 0..10 {
                    units.push((format!("{rc}.P{d}"), Some(rc.clone())));
                }
            }
        }
    }
    for (name, parent) in &units {
        toml.push_str(&format!("[[unit]]\nname = \"{name}\"\n"));
        if let Some(p) = parent {
            toml.push_str(&format!("parent = \"{p}\"\n"));
        }
        if parent.is_none() {
            toml.push_str("binding = [\"toimintakate\"]\n");
        }
    }
    let org = Org::parse(&toml).expect("benchmark org parses");
    let leaves: Vec<&str> =
        units.iter().filter(|(n, _)| n.matches('.').count() == 3).map(|(n, _)| n.as_str()).collect();

    let started = Instant::now();
    let mut rng = Rng(0x9e3779b97f4a7c15);
    let years = [2023, 2024];
    // Leaf figures: terms at random, totals from the scheme, budget after changes and variance from those.
    let mut values: HashMap<(String, Item, Scenario, i32), i64> = HashMap::new();
    // The sixteen rows of a year-end table (the scheme's sub-rows left out), in print order.
    let items = [
        Item::MYYNTITUOTOT,
        Item::MAKSUTUOTOT,
        Item::TUET_JA_AVUSTUKSET,
        Item::MUUT_TOIMINTATUOTOT,
        Item::TOIMINTATUOTOT,
        Item::VALMISTUS_OMAAN_KAYTTOON,
        Item::HENKILOSTOKULUT,
        Item::PALVELUJEN_OSTOT,
        Item::AINEET_TARVIKKEET_JA_TAVARAT,
        Item::AVUSTUKSET,
        Item::MUUT_TOIMINTAKULUT,
        Item::TOIMINTAKULUT,
        Item::TOIMINTAKATE,
        Item::POISTOT_JA_ARVONALENTUMISET,
        Item::SISAISET_ERAT,
        Item::LASKENNALLISET_ERAT,
    ];
    for leaf in &leaves {
        for year in years {
            for sc in [Scenario::Ta, Scenario::TaMuutokset, Scenario::Tp, Scenario::Ts] {
                let mut v: HashMap<Item, i64> = HashMap::new();
                for &item in items.iter().filter(|i| !i.is_subtotal()) {
                    let x = rng.euros(if sc == Scenario::TaMuutokset { 5_000 } else { 500_000 });
                    let signed = match item.kind() {
                        poikkeama::model::Kind::Revenue => x,
                        poikkeama::model::Kind::Cost => -x,
                        poikkeama::model::Kind::Net => x - 250_000,
                    };
                    v.insert(item, signed);
                }
                for &total in items.iter().filter(|i| i.is_subtotal()) {
                    let sum = items.iter().filter(|t| t.sums_into() == Some(total)).map(|t| v[t]).sum();
                    v.insert(total, sum);
                }
                for (item, x) in v {
                    values.insert((leaf.to_string(), item, sc, year), x);
                }
            }
            for &item in &items {
                let k = |s| (leaf.to_string(), item, s, year);
                let tam = values[&k(Scenario::Ta)] + values[&k(Scenario::TaMuutokset)];
                values.insert(k(Scenario::TaMuutettu), tam);
                values.insert(k(Scenario::Poikkeama), values[&k(Scenario::Tp)] - tam);
            }
        }
    }
    // Parents report the exact sums of their children, deepest first.
    for depth in (0..3).rev() {
        for (name, _) in units.iter().filter(|(n, _)| n.matches('.').count() == depth) {
            let prefix = format!("{name}.");
            let children: Vec<&String> = units
                .iter()
                .filter(|(n, p)| p.as_deref() == Some(name.as_str()) && n.starts_with(&prefix))
                .map(|(n, _)| n)
                .collect();
            for year in years {
                for sc in Scenario::ALL.into_iter().take(6) {
                    for &item in &items {
                        let s: i64 = children.iter().map(|c| values[&((*c).clone(), item, sc, year)]).sum();
                        values.insert((name.clone(), item, sc, year), s);
                    }
                }
            }
        }
    }
    // Plant three errors.
    *values.get_mut(&("T0.Y0.R0.P0".to_string(), Item::TOIMINTAKATE, Scenario::Tp, 2024)).unwrap() += 10;
    *values.get_mut(&("T1".to_string(), Item::HENKILOSTOKULUT, Scenario::Ta, 2023)).unwrap() -= 500;
    *values.get_mut(&("T2.Y3".to_string(), Item::AVUSTUKSET, Scenario::Poikkeama, 2024)).unwrap() += 1;

    let mut figures: Vec<Figure> = values
        .into_iter()
        .enumerate()
        .map(|(i, ((unit, item, scenario, year), x))| Figure {
            unit,
            line_item: LineItem::new(item),
            scenario,
            year,
            amount: Decimal::from(x),
            source: Source::cell("bench.xlsx", "S", format!("B{i}"), Decimal::ONE),
        })
        .collect();
    figures.sort_by_key(|f| f.source.spot());
    let generated = started.elapsed();
    let rss_before = peak_rss_mib();

    let t = Instant::now();
    let analysis = analyze(&figures, Some(&org)).expect("analysis runs");
    let took = t.elapsed();
    println!("figures:            {}", figures.len());
    println!("units:              {}", units.len());
    println!("generate:           {:.2} s", generated.as_secs_f64());
    println!("engine::analyze:    {:.3} s", took.as_secs_f64());
    println!("rows computed:      {}", analysis.rows.len());
    println!(
        "findings:           {} errors, {} warnings, {} info",
        analysis.count(Severity::Error),
        analysis.count(Severity::Warning),
        analysis.count(Severity::Info)
    );
    println!("peak RSS before:    {rss_before:.0} MiB (generated figures)");
    println!("peak RSS:           {:.0} MiB", peak_rss_mib());
}
