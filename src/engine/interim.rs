//! Interim reports (osavuosikatsaus): for each unit and line item with a budget and actuals to date in the
//! period's year, the realisation against the elapsed share of the year, the forecast to year end (the
//! document's own `Ennuste` where it gives one, else the run rate of the months so far, the method named) and
//! the forecast's variance; for binding appropriations the risk of overrunning. Exact decimals throughout;
//! percentages are for reading only.

use super::Row;
use crate::model::{LineItem, Org, Period};
use rust_decimal::{Decimal, RoundingStrategy};

/// How a forecast was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// The document's own forecast column (`Ennuste`, `Toteumaennuste`, `Prognos`).
    Document,
    /// The months so far continued at their average: actuals to date × 12 / months, to the cent.
    RunRate,
}

impl Method {
    pub fn id(self) -> &'static str {
        match self {
            Method::Document => "document",
            Method::RunRate => "run_rate",
        }
    }

    pub fn label(self, lang: &str) -> &'static str {
        match (self, lang) {
            (Method::Document, "sv") => "prognosen i materialet",
            (Method::RunRate, "sv") => "hittills månadssnitt × 12",
            (Method::Document, "en") => "the document's forecast",
            (Method::RunRate, "en") => "run rate (average month so far × 12)",
            (Method::Document, _) => "aineiston ennuste",
            (Method::RunRate, _) => "toteutunut kuukausikeskiarvo × 12",
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
    /// The budget for the months elapsed (periodised by months: budget × months / 12, to the cent).
    pub budget_to_date: Decimal,
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

/// The interim rows of the period's year: every row with a budget after changes and actuals to date.
pub fn interim(rows: &[Row], period: &Period, org: Option<&Org>) -> Vec<InterimRow> {
    let months = Decimal::from(period.months.clamp(1, 12));
    let mut out = Vec::new();
    for row in rows.iter().filter(|r| r.year == period.year) {
        let (Some(budget), Some(to_date)) = (row.ta_muutettu, row.kausi) else { continue };
        let (forecast, method) = match row.ennuste {
            Some(f) => (Some(f), Method::Document),
            None => (
                to_date
                    .checked_mul(Decimal::from(12))
                    .and_then(|x| x.checked_div(months))
                    .map(|x| x.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)),
                Method::RunRate,
            ),
        };
        let Some(forecast) = forecast else { continue };
        let Some(forecast_variance) = forecast.checked_sub(budget) else { continue };
        let Some(budget_to_date) = budget
            .checked_mul(months)
            .and_then(|x| x.checked_div(Decimal::from(12)))
            .map(|x| x.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
        else {
            continue;
        };
        let realisation_pct = (!budget.is_zero())
            .then(|| to_date.checked_div(budget))
            .flatten()
            .and_then(|r| rust_decimal::prelude::ToPrimitive::to_f64(&(r * Decimal::ONE_HUNDRED)));
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
        let r = &interim(&[row("-850.01", None)], &period, Some(&org))[0];
        assert_eq!((r.forecast, r.method), ("-1275.02".parse().unwrap(), Method::RunRate));
        assert_eq!(r.forecast_variance, "-75.02".parse::<Decimal>().unwrap());
        assert_eq!(r.risk, Some(Risk::Overrun));
        assert_eq!(r.budget_to_date, Decimal::from(-800));
        // The document's forecast wins: within.
        let r = &interim(&[row("-850.01", Some("-1150"))], &period, Some(&org))[0];
        assert_eq!((r.forecast, r.method, r.risk), (Decimal::from(-1150), Method::Document, Some(Risk::Within)));
    }
}
