//! Reports: every output format. Invariant: report never computes a figure; it words and lays out what
//! the model and engine give it (the one sum it makes is an overview's "others", the units a city-scale
//! overview leaves out, summed exactly for display). Files are rendered in memory first, then written as one set that replaces
//! the old one all at once (`output`), with a manifest of what was read and written (`manifest`).

pub mod chart;
pub mod docx;
pub mod explain;
pub mod extract;
pub mod findings;
pub mod flat;
pub mod fmt;
pub mod html;
pub mod interim;
pub mod manifest;
pub mod markdown;
pub mod output;
pub mod pdf;
pub mod tables_words;
pub mod text;
pub mod xlsx;
mod xlsx_words;

use crate::config::Thresholds;
use crate::engine::Analysis;
use crate::engine::Row;
use crate::error::{Error, Result};
use crate::model::{Figure, LineItem, Org, Scenario};
use fmt::Lang;
use std::collections::HashMap;
use std::path::Path;

/// A unit as reports list it.
#[derive(Debug, Clone)]
pub struct UnitEntry {
    pub name: String,
    pub depth: usize,
}

/// The units an overview shows, and where a level holds more than fit, the sum of the rest of it.
pub struct Overview<'u> {
    pub units: Vec<&'u UnitEntry>,
    pub others: Option<Others>,
}

/// The margin of the units an overview leaves out, summed (`Muut N yksikköä`): exact sums of their figures.
#[derive(Debug, Default, Clone)]
pub struct Others {
    pub count: usize,
    pub ta: Option<rust_decimal::Decimal>,
    pub ta_muutokset: Option<rust_decimal::Decimal>,
    pub ta_muutettu: Option<rust_decimal::Decimal>,
    pub tp: Option<rust_decimal::Decimal>,
    pub variance: Option<rust_decimal::Decimal>,
}

impl Others {
    /// Their label in a language.
    pub fn label(&self, lang: Lang) -> String {
        match lang {
            Lang::Fi => format!("Muut {} yksikköä yhteensä", self.count),
            Lang::Sv => format!("Övriga {} enheter sammanlagt", self.count),
            Lang::En => format!("Other {} units together", self.count),
        }
    }
}

/// What every report needs.
pub struct ReportContext<'a> {
    pub analysis: &'a Analysis,
    /// The figures the analysis was made from: rows point into them for their source cells.
    pub figures: &'a [Figure],
    pub org: Option<&'a Org>,
    /// The year reported on: the latest with actuals (else the latest with any figure).
    pub year: i32,
    /// Units with figures, in tree order, with their depth.
    pub units: Vec<UnitEntry>,
    pub thresholds: Thresholds,
    /// The finance office's explanations of variances.
    pub explanations: &'a [crate::model::Explanation],
    /// Every table the inputs hold, read or passed over, with what was read and why (`extract --explain`).
    pub tables: &'a [crate::model::TableReport],
    /// The workbook's creation time (seconds since 1970, UTC): `SOURCE_DATE_EPOCH` where set, else the last
    /// day of the report year, never the clock, so that the same inputs give the same bytes.
    pub created: Option<i64>,
    /// The run's first language: the workbook's and the Word document's.
    pub lang: Lang,
    /// Each unit's rows, in the analysis's order, and each row by (unit, line item, year): reports of
    /// thousands of units look rows up, never scan for them.
    by_unit: HashMap<&'a str, Vec<&'a Row>>,
    index: HashMap<(&'a str, LineItem, i32), &'a Row>,
    bindings: HashMap<(&'a str, LineItem, i32), &'a crate::engine::Binding>,
    /// The first error about each figure (unit, line item, year, scenario): the figure is wrong.
    wrong: HashMap<(&'a str, LineItem, i32, crate::model::Scenario), &'a crate::engine::Finding>,
}

impl<'a> ReportContext<'a> {
    pub fn new(
        analysis: &'a Analysis,
        figures: &'a [Figure],
        org: Option<&'a Org>,
        thresholds: Thresholds,
    ) -> ReportContext<'a> {
        let year = analysis.report_year().or_else(|| analysis.rows.iter().map(|r| r.year).max()).unwrap_or(0);
        let mut units: Vec<UnitEntry> = Vec::new();
        let mut by_unit: HashMap<&str, Vec<&Row>> = HashMap::new();
        let mut index = HashMap::with_capacity(analysis.rows.len());
        for r in &analysis.rows {
            let rows = by_unit.entry(r.unit.as_str()).or_default();
            if rows.is_empty() {
                let depth = org.filter(|o| o.find(&r.unit).is_some()).map_or(0, |o| o.depth(&r.unit));
                units.push(UnitEntry { name: r.unit.clone(), depth });
            }
            rows.push(r);
            index.insert((r.unit.as_str(), r.line_item, r.year), r);
        }
        let bindings = analysis.bindings.iter().map(|b| ((b.unit.as_str(), b.line_item, b.year), b)).collect();
        let mut wrong = HashMap::new();
        for f in analysis.findings.iter().filter(|f| f.severity == crate::engine::Severity::Error) {
            if let (Some(li), Some(y), Some(sc)) = (f.line_item, f.year, f.scenario) {
                wrong.entry((f.unit.as_str(), li, y, sc)).or_insert(f);
            }
        }
        ReportContext {
            analysis,
            figures,
            org,
            year,
            units,
            thresholds,
            explanations: &[],
            tables: &[],
            created: None,
            lang: Lang::Fi,
            by_unit,
            index,
            bindings,
            wrong,
        }
    }
}

impl<'a> ReportContext<'a> {
    /// The units an overview shows (the summary's unit table and sentences, the charts): every unit when
    /// there are at most [`OVERVIEW_UNITS`], else the top levels of the tree that fit (below a municipality
    /// total added over several roots, at least the roots under it); the rest are in the workbook. Where even
    /// those levels hold more, the deepest of them keeps the units with the largest margin variances (in tree
    /// order) and the rest of that level are summed as others.
    pub fn overview(&self) -> Overview<'_> {
        let least = usize::from(self.org.is_some_and(|o| o.total.is_some()));
        let mut depth = self.units.iter().map(|u| u.depth).max().unwrap_or(0);
        while depth > least && self.units.iter().filter(|u| u.depth <= depth).count() > OVERVIEW_UNITS {
            depth -= 1;
        }
        let units: Vec<&UnitEntry> = self.units.iter().filter(|u| u.depth <= depth).collect();
        if units.len() <= OVERVIEW_UNITS {
            return Overview { units, others: None };
        }
        // The deepest level shown, by the size of its margin variance; the units above it stay.
        let margin = LineItem::new(crate::model::Item::TOIMINTAKATE);
        let size = |u: &UnitEntry| {
            self.row(&u.name, margin, self.year).and_then(|r| r.variance_shown()).map(|v| v.abs()).unwrap_or_default()
        };
        let above = units.iter().filter(|u| u.depth < depth).count();
        let room = OVERVIEW_UNITS.saturating_sub(above + 1).max(1);
        let mut level: Vec<&UnitEntry> = units.iter().copied().filter(|u| u.depth == depth).collect();
        level.sort_by(|a, b| size(b).cmp(&size(a)).then(a.name.cmp(&b.name)));
        let rest: Vec<&UnitEntry> = level.split_off(room.min(level.len()));
        let kept: std::collections::HashSet<&str> = level.iter().map(|u| u.name.as_str()).collect();
        // Exact sums; one past the decimal range leaves that sum out (never a wrong figure).
        let (mut sums, mut overflow) = ([None::<rust_decimal::Decimal>; 5], [false; 5]);
        for u in &rest {
            let Some(r) = self.row(&u.name, margin, self.year) else { continue };
            let values = [r.ta, r.ta_muutokset, r.ta_muutettu, r.tp, r.variance_shown()];
            for (k, v) in values.into_iter().enumerate() {
                if let Some(v) = v {
                    match sums[k].unwrap_or_default().checked_add(v) {
                        Some(s) => sums[k] = Some(s),
                        None => overflow[k] = true,
                    }
                }
            }
        }
        let [ta, ta_muutokset, ta_muutettu, tp, variance] = std::array::from_fn(|k| sums[k].filter(|_| !overflow[k]));
        let others = Others { count: rest.len(), ta, ta_muutokset, ta_muutettu, tp, variance };
        let units = units.into_iter().filter(|u| u.depth < depth || kept.contains(u.name.as_str())).collect();
        Overview { units, others: Some(others) }
    }

    /// The units an overview shows (see [`ReportContext::overview`]), without the others' sum.
    pub fn overview_units(&self) -> Vec<&UnitEntry> {
        self.overview().units
    }

    /// A unit's row of a line item in a year.
    pub fn row(&self, unit: &str, line_item: LineItem, year: i32) -> Option<&'a Row> {
        self.index.get(&(unit, line_item, year)).copied()
    }

    /// The binding appropriation judged for a unit's line item in a year, if it is one.
    pub fn binding(&self, unit: &str, line_item: LineItem, year: i32) -> Option<&'a crate::engine::Binding> {
        self.bindings.get(&(unit, line_item, year)).copied()
    }

    /// The error that says a figure is wrong (the first, where several do), if one does.
    pub fn wrong_figure(
        &self,
        unit: &str,
        line_item: LineItem,
        year: i32,
        scenario: crate::model::Scenario,
    ) -> Option<&'a crate::engine::Finding> {
        self.wrong.get(&(unit, line_item, year, scenario)).copied()
    }

    /// A unit's rows, in the analysis's order (scheme order, then year).
    pub fn unit_rows(&self, unit: &str) -> &[&'a Row] {
        self.by_unit.get(unit).map_or(&[], Vec::as_slice)
    }

    /// A unit's name in a reader's language: the org file's `name_sv` / `name_en` where given.
    pub fn unit_name<'n>(&'n self, name: &'n str, lang: fmt::Lang) -> &'n str {
        self.org.and_then(|o| o.find(name)).map_or(name, |u| u.name_in(lang.code()))
    }

    /// The explanation of a row's variance, if the finance office gave one: one without a language, else the
    /// Finnish one, else any.
    pub fn explanation(&self, row: &crate::engine::Row) -> Option<&str> {
        self.explanation_in(row, fmt::Lang::Fi)
    }

    /// The explanation of a row's variance in a reader's language: the one written in it, else one without a
    /// language, else any.
    pub fn explanation_in(&self, row: &crate::engine::Row, lang: fmt::Lang) -> Option<&str> {
        let of_row: Vec<&crate::model::Explanation> = self
            .explanations
            .iter()
            .filter(|e| e.unit == row.unit && e.line_item == row.line_item && e.year == row.year)
            .collect();
        of_row
            .iter()
            .find(|e| e.lang.as_deref() == Some(lang.code()))
            .or_else(|| of_row.iter().find(|e| e.lang.is_none()))
            .or_else(|| of_row.first())
            .map(|e| e.text.as_str())
    }

    /// Where a row's reported figures came from, for tools: `ta B7, tp E7 (file:sheet)`, cells grouped by sheet.
    pub fn sources(&self, row: &crate::engine::Row) -> String {
        self.sources_named(row, &|sc: Scenario| sc.id().to_string())
    }

    /// Where a row's reported figures came from, for readers: `TA B7, TP E7 (file:sheet)`, each scenario by its
    /// name in the language, never an id.
    pub fn sources_in(&self, row: &crate::engine::Row, lang: fmt::Lang) -> String {
        self.sources_named(row, &|sc: Scenario| sc.label(lang.code()).to_string())
    }

    fn sources_named(&self, row: &crate::engine::Row, name: &dyn Fn(Scenario) -> String) -> String {
        let mut groups: Vec<(String, Vec<String>)> = Vec::new();
        for sc in Scenario::ALL {
            let Some(f) = row.src[sc.index() as usize].and_then(|i| self.figures.get(i as usize)) else { continue };
            let place = f.source.container();
            let cell = format!("{} {}", name(sc), f.source.spot());
            match groups.iter_mut().find(|(p, _)| *p == place) {
                Some((_, cells)) => cells.push(cell),
                None => groups.push((place, vec![cell])),
            }
        }
        groups
            .into_iter()
            .map(|(place, cells)| format!("{} ({place})", cells.join(", ")))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

pub const WORKBOOK: &str = "poikkeama.xlsx";

/// How many units an overview (the summary's unit table, the charts) shows before it keeps to the top
/// levels of the tree.
pub const OVERVIEW_UNITS: usize = 40;
pub const FINDINGS: &str = "findings.json";
pub const MANIFEST: &str = "manifest.json";

/// Renders every output in memory: (file name, bytes).
pub fn render_all(ctx: &ReportContext, langs: &[Lang]) -> Result<Vec<(String, Vec<u8>)>> {
    let t = std::time::Instant::now();
    let lap = |what: &str| {
        tracing::debug!(seconds = t.elapsed().as_secs_f64(), "report: {what}");
    };
    let mut files = vec![(WORKBOOK.to_string(), xlsx::render(ctx)?)];
    lap("workbook");
    for lang in langs {
        files.push((markdown::file_name(*lang).to_string(), markdown::render(ctx, *lang).into_bytes()));
    }
    let chart_lang = langs.first().copied().unwrap_or(Lang::Fi);
    for lang in langs {
        files.push((chart::file_name(*lang).to_string(), chart::render(ctx, *lang).into_bytes()));
    }
    for lang in langs {
        files.push((html::file_name(*lang).to_string(), html::render(ctx, *lang).into_bytes()));
    }
    for lang in langs {
        files.push((pdf::file_name(*lang).to_string(), pdf::render(ctx, *lang)?));
    }
    lap("summaries and charts");
    let json = findings::to_json(ctx.analysis, chart_lang).map_err(|e| Error::Report(format!("findings.json: {e}")))?;
    files.push((FINDINGS.to_string(), format!("{json}\n").into_bytes()));
    lap("findings.json");
    files.push((docx::FILE.to_string(), docx::render(ctx)?));
    files.push((flat::CSV.to_string(), flat::render_csv(ctx)?));
    files.push((flat::PARQUET.to_string(), flat::render_parquet(ctx)?));
    lap("flat rows");
    Ok(files)
}

/// The output directory must be a directory, or not exist yet (it is then created).
pub fn check_out_dir(dir: &Path) -> Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::Usage(format!(
            "{}: the output directory is an existing file; give a directory with --out",
            dir.display()
        )));
    }
    Ok(())
}
