//! Interim reports (osavuosikatsaus): for each unit and line item with a budget and actuals to date in the
//! period's year, the realisation against the elapsed share of the year, the forecast to year end (the
//! document's own `Ennuste` where it gives one, else the actuals to date over the share of the year expected
//! by now, the method named) and the forecast's variance; for binding appropriations the risk of overrunning.
//!
//! The share of the year expected by the period's end is, in this order: the phasing file's (the unit's own,
//! its nearest ancestor's, or the common one); last year's monthly profile (last year's actuals to the same
//! month over its year's, where the ledger holds last year's months); else the months elapsed (8/12). It
//! periodises the budget and, without a document forecast, makes the forecast (actuals to date / share: for
//! months, the run rate). Exact decimals throughout; percentages are for reading only.

use super::Row;
use crate::model::{LineItem, Org, Period, Phasing};
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::HashMap;

/// How a forecast was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// The document's own forecast column (`Ennuste`, `Toteumaennuste`, `Prognos`).
    Document,
    /// The months so far continued at their average: actuals to date × 12 / months, to the cent.
    RunRate,
    /// Actuals to date over the share of the year the phasing file gives by now.
    Phasing,
    /// Actuals to date over last year's share by the same month (last year's monthly profile).
    LastYear,
}

impl Method {
    pub fn id(self) -> &'static str {
        match self {
            Method::Document => "document",
            Method::RunRate => "run_rate",
            Method::Phasing => "phasing",
            Method::LastYear => "last_year_profile",
        }
    }

    pub fn from_id(id: &str) -> Option<Method> {
        [Method::Document, Method::RunRate, Method::Phasing, Method::LastYear].into_iter().find(|m| m.id() == id)
    }

    pub fn label(self, lang: &str) -> &'static str {
        match (self, lang) {
            (Method::Document, "sv") => "prognosen i materialet",
            (Method::RunRate, "sv") => "hittills månadssnitt × 12",
            (Method::Document, "en") => "the document's forecast",
            (Method::RunRate, "en") => "run rate (average month so far × 12)",
            (Method::Phasing, "sv") => "utfall / periodiseringens andel",
            (Method::LastYear, "sv") => "föregående års månadsprofil",
            (Method::Phasing, "en") => "actual / the phasing file's share",
            (Method::LastYear, "en") => "last year's monthly profile",
            (Method::Document, _) => "aineiston ennuste",
            (Method::RunRate, _) => "toteutunut kuukausikeskiarvo × 12",
            (Method::Phasing, _) => "toteuma / jaksotuksen osuus",
            (Method::LastYear, _) => "edellisen vuoden kuukausiprofiili",
        }
    }
}

/// Where the share of the year expected by the period's end came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// The months elapsed: months / 12.
    Months,
    /// The phasing file.
    Phasing,
    /// Last year's actuals to the same month over its year's.
    LastYear,
}

impl Basis {
    /// `aikaa kulunut 67 %` / `jaksotuksen mukaan 60 %`: the expected share in words.
    pub fn words(self, lang: &str) -> &'static str {
        match (self, lang) {
            (Basis::Months, "sv") => "förfluten tid",
            (Basis::Phasing, "sv") => "enligt periodiseringen",
            (Basis::LastYear, "sv") => "enligt föregående års profil",
            (Basis::Months, "en") => "of the year elapsed",
            (Basis::Phasing, "en") => "due by the phasing",
            (Basis::LastYear, "en") => "due by last year's profile",
            (Basis::Months, _) => "aikaa kulunut",
            (Basis::Phasing, _) => "jaksotuksen mukaan",
            (Basis::LastYear, _) => "edellisen vuoden profiilin mukaan",
        }
    }
}

/// The risk a binding appropriation runs by its forecast.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Risk {
    /// The forecast stays within the appropriation.
    Within,
    /// The forecast overruns it, within the overrun right the council granted.
    WithinRight,
    /// The forecast overruns it (beyond any overrun right).
    Overrun,
}

/// One unit's line item in an interim report. Amounts in the reports' signs (revenues positive, costs
/// negative): a positive forecast variance is better than budget.
#[derive(Debug, Clone)]
pub struct InterimRow {
    pub unit: String,
    pub line_item: LineItem,
    /// The budget after changes for the year.
    pub budget: Decimal,
    /// The budget due by the period's end: budget × the expected share, to the cent.
    pub budget_to_date: Decimal,
    /// The share of the year expected by the period's end, in percent, and where it came from.
    pub expected_pct: f64,
    pub basis: Basis,
    pub to_date: Decimal,
    /// Actuals to date / budget × 100.
    pub realisation_pct: Option<f64>,
    pub forecast: Decimal,
    pub method: Method,
    /// Forecast − budget.
    pub forecast_variance: Decimal,
    /// For a binding appropriation: the risk its forecast shows.
    pub risk: Option<Risk>,
    pub overrun_right: Option<Decimal>,
}

/// The share of the year elapsed at the period's end, in percent (months by default).
pub fn elapsed_pct(period: &Period) -> f64 {
    f64::from(period.months) / 12.0 * 100.0
}

/// Rounds to the cent, half away from zero.
fn cents(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// The share of the year expected by the period's end for a unit's line item, as a fraction (numerator,
/// denominator: multiplied before divided, so that months give budget × 8 / 12 to the cent), and its basis:
/// the phasing file's; else last year's profile (its actuals to date over its year's, where both are there
/// and the share is within (0, 1]); else the months elapsed.
fn expected_share(
    unit: &str,
    last_year: Option<(Decimal, Decimal)>,
    period: &Period,
    org: Option<&Org>,
    phasing: Option<&Phasing>,
) -> ((Decimal, Decimal), Basis) {
    if let Some(fraction) = phasing.and_then(|p| p.fraction(unit, period.months, org)) {
        return (fraction, Basis::Phasing);
    }
    if let Some((to_date, year)) = last_year {
        if let Some(share) = (!year.is_zero()).then(|| to_date.checked_div(year)).flatten() {
            if share > Decimal::ZERO && share <= Decimal::ONE {
                return ((to_date, year), Basis::LastYear);
            }
        }
    }
    ((Decimal::from(period.months.clamp(1, 12)), Decimal::from(12)), Basis::Months)
}

/// `a × num / den`, to the cent; none past the exact range.
fn scaled(a: Decimal, (num, den): (Decimal, Decimal)) -> Option<Decimal> {
    a.checked_mul(num).and_then(|x| x.checked_div(den)).map(cents)
}

/// The interim rows of the period's year: every row with a budget after changes and actuals to date.
pub fn interim(rows: &[Row], period: &Period, org: Option<&Org>, phasing: Option<&Phasing>) -> Vec<InterimRow> {
    // Last year's actuals to date and for the year, per unit and line item.
    let last_year: HashMap<(&str, LineItem), (Decimal, Decimal)> = rows
        .iter()
        .filter(|r| r.year == period.year - 1)
        .filter_map(|r| Some(((r.unit.as_str(), r.line_item), (r.kausi?, r.tp?))))
        .collect();
    let mut out = Vec::new();
    for row in rows.iter().filter(|r| r.year == period.year) {
        let (Some(budget), Some(to_date)) = (row.ta_muutettu, row.kausi) else { continue };
        let prior = last_year.get(&(row.unit.as_str(), row.line_item)).copied();
        let (fraction, basis) = expected_share(&row.unit, prior, period, org, phasing);
        let (forecast, method) = match row.ennuste {
            Some(f) => (Some(f), Method::Document),
            None => (
                scaled(to_date, (fraction.1, fraction.0)),
                match basis {
                    Basis::Months => Method::RunRate,
                    Basis::Phasing => Method::Phasing,
                    Basis::LastYear => Method::LastYear,
                },
            ),
        };
        let Some(forecast) = forecast else { continue };
        let Some(forecast_variance) = forecast.checked_sub(budget) else { continue };
        let Some(budget_to_date) = scaled(budget, fraction) else { continue };
        let realisation_pct = (!budget.is_zero())
            .then(|| to_date.checked_div(budget))
            .flatten()
            .and_then(|r| rust_decimal::prelude::ToPrimitive::to_f64(&(r * Decimal::ONE_HUNDRED)));
        let expected_pct = fraction
            .0
            .checked_mul(Decimal::ONE_HUNDRED)
            .and_then(|x| x.checked_div(fraction.1))
            .and_then(|x| rust_decimal::prelude::ToPrimitive::to_f64(&x))
            .unwrap_or_default();
        let binding = org.and_then(|o| o.find(&row.unit)).is_some_and(|u| u.binding.contains(&row.line_item));
        let overrun_right = row.ylitysoikeus.map(|r| r.abs());
        let risk = binding.then(|| {
            if forecast_variance >= Decimal::ZERO {
                Risk::Within
            } else if overrun_right.is_some_and(|r| -forecast_variance <= r) {
                Risk::WithinRight
            } else {
                Risk::Overrun
            }
        });
        out.push(InterimRow {
            unit: row.unit.clone(),
            line_item: row.line_item,
            budget,
            budget_to_date,
            expected_pct,
            basis,
            to_date,
            realisation_pct,
            forecast,
            method,
            forecast_variance,
            risk,
            overrun_right,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_rate_forecasts_to_the_cent_and_binding_risk() {
        let period = Period { year: 2024, months: 8, from: String::new() };
        assert!((elapsed_pct(&period) - 66.666).abs() < 0.01);
        let org = Org::parse("[[unit]]\nname = \"K\"\nbinding = [\"toimintakate\"]\n").unwrap();
        let li = LineItem::new(crate::model::Item::TOIMINTAKATE);
        let row = |kausi: &str, ennuste: Option<&str>| Row {
            unit: "K".into(),
            line_item: li,
            year: 2024,
            ta: None,
            ta_muutokset: None,
            ta_muutettu: Some(Decimal::from(-1200)),
            ta_muutettu_computed: false,
            tp: None,
            ts: None,
            ennuste: ennuste.map(|e| e.parse().unwrap()),
            ehdotus: None,
            ylitysoikeus: None,
            kausi: Some(kausi.parse().unwrap()),
            poikkeama_reported: None,
            variance: None,
            variance_differs: false,
            variance_pct: None,
            realisation_pct: None,
            tp_change: None,
            rolled_up: false,
            summed: false,
            src: [None; crate::model::Scenario::COUNT],
        };
        // −850,01 a month for 8 months: −1 275,015 → −1 275,02 at the year's end, 75,02 over.
        let r = &interim(&[row("-850.01", None)], &period, Some(&org), None)[0];
        assert_eq!((r.forecast, r.method), ("-1275.02".parse().unwrap(), Method::RunRate));
        assert_eq!(r.forecast_variance, "-75.02".parse::<Decimal>().unwrap());
        assert_eq!(r.risk, Some(Risk::Overrun));
        assert_eq!(r.budget_to_date, Decimal::from(-800));
        // The document's forecast wins: within.
        let r = &interim(&[row("-850.01", Some("-1150"))], &period, Some(&org), None)[0];
        assert_eq!((r.forecast, r.method, r.risk), (Decimal::from(-1150), Method::Document, Some(Risk::Within)));
    }
}
