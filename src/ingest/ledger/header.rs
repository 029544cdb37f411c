//! A ledger export's header: which column holds the year (or a date or period), the cost center, the account,
//! the internal flag, and which hold amounts of which scenario and year. Towns and financial systems name them
//! differently (`Kustannuspaikka`, `Kustp nro`, `Kostnadsställe`, `Tilinumero`, `Konto`, `TA 2024`,
//! `Toteutuma 1-12/2024`, `Budjetti`, `Utfall`), so a header is read by its words, with the table headers'
//! vocabulary ([`crate::ingest::header::classify`]) for the amounts. A name given under `[ledger]` in poikkeama.toml is
//! matched exactly instead. Columns of names and descriptions (`Tilin nimi`, `Kustannuspaikan nimi`) are never
//! taken for codes.

use super::LedgerColumns;
use crate::error::{Error, Result};
use crate::ingest::header::classify;
use crate::model::Scenario;
use rust_decimal::Decimal;

/// How many amount columns a ledger may have (each a scenario and, where its header names one, a year).
pub(super) const SLOTS: usize = 16;

/// What a column holds, by its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Year,
    /// A date or period (`2024-03`, `15.3.2024`, `202403`): the year is read from it.
    Period,
    CostCenter,
    /// A unit of the organisation coarser than a cost center (`Tulosyksikkö nro`, `Vastuuyksikkö`): the rows'
    /// key where there is no cost-center column.
    Unit,
    Account,
    Internal,
    /// The long form's one amount column.
    Amount,
    /// The long form's scenario column.
    ScenarioColumn,
    /// A voucher listing's debit and credit columns (`Debet`, `Kredit`): the actuals are debit − credit.
    Debit,
    Credit,
    /// An amount column of a scenario (talousarvio, muutokset, toteuma), for the year its header names if any.
    Figure(Scenario, Option<i32>),
    Other,
}

/// A word without its Nordic letters (ä → a, ö → o, å → a).
fn fold(w: &str) -> String {
    w.chars()
        .map(|c| match c {
            'ä' | 'å' => 'a',
            'ö' => 'o',
            c => c,
        })
        .collect()
}

/// A column's words, lower case: letters and digits, split at anything else (`Kustp.nro` → `kustp`, `nro`).
fn words(header: &str) -> Vec<String> {
    header.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

const NAME_WORDS: &[&str] =
    &["nimi", "nimitys", "selite", "selitys", "teksti", "kuvaus", "namn", "benämning", "name", "description", "text"];
const CODE_WORDS: &[&str] = &["nro", "numero", "no", "nr", "koodi", "tunnus", "kod", "kood", "code", "id", "number"];
const YEAR_WORDS: &[&str] = &["vuosi", "year", "år", "tilikausi", "räkenskapsår", "budjettivuosi", "varainhoitovuosi"];
const PERIOD_WORDS: &[&str] = &[
    "kausi",
    "periodi",
    "period",
    "kirjauspäivä",
    "kirjauspvm",
    "päivämäärä",
    "pvm",
    "tositepäivä",
    "tositepvm",
    "date",
    "datum",
    "bokföringsdag",
    "bokföringsdatum",
];
const ACCOUNT_WORDS: &[&str] = &[
    "tili",
    "tilinumero",
    "tilinro",
    "tilikoodi",
    "pääkirjatili",
    "kirjanpitotili",
    "kirjanpidontili",
    "konto",
    "kontonummer",
    "kontonr",
    "kontokod",
    "account",
    "accountnumber",
];
pub(super) const INTERNAL_WORDS: &[&str] = &["sisäinen", "sisainen", "internal", "intern"];
const AMOUNT_WORDS: &[&str] = &["summa", "euro", "euroa", "eur", "amount", "belopp", "määrä", "rahamäärä"];
const SCENARIO_WORDS: &[&str] = &["skenaario", "laji", "scenario", "typ", "tyyppi", "type"];

/// The role of a column by its header.
pub(super) fn role_of(header: &str) -> Role {
    // Words are compared without their umlauts too: API field names are written in ASCII
    // (`kirjauspaivamaara`, `sisainen`).
    let ws: Vec<String> = words(header).iter().map(|w| fold(w)).collect();
    let has = |list: &[&str]| ws.iter().any(|w| list.iter().any(|l| fold(l) == *w));
    if ws.is_empty() || has(NAME_WORDS) || ws.iter().any(|w| w.ends_with("nimi") || w.ends_with("namn")) {
        return Role::Other;
    }
    let starts = |p: &[&str]| ws.iter().any(|w| p.iter().any(|p| w.starts_with(&fold(p))));
    let pair = |a: &str, b: &[&str]| ws.windows(2).any(|p| p[0] == fold(a) && b.iter().any(|x| fold(x) == p[1]));
    if starts(&["kustannuspaik", "kustp", "kostnadsst", "kostst", "costcent"])
        || ws.first().is_some_and(|w| w == "kp")
        || pair("cost", &["center", "centre"])
    {
        return Role::CostCenter;
    }
    if starts(&["tulosyksik", "toimintayksik", "vastuuyksik", "kustannusyksik", "resultatenhet", "ansvarsenhet"])
        || has(&["vastuualue", "tulosalue", "organisaatio", "organisation"])
    {
        return Role::Unit;
    }
    if has(ACCOUNT_WORDS) || pair("tilin", CODE_WORDS) || pair("gl", &["account"]) {
        return Role::Account;
    }
    if ws.first().is_some_and(|w| INTERNAL_WORDS.iter().any(|l| fold(l) == *w)) {
        return Role::Internal;
    }
    if ws.len() <= 2 && has(&["debet", "debit", "veloitus", "veloitukset"]) {
        return Role::Debit;
    }
    if ws.len() <= 2 && has(&["kredit", "credit", "hyvitys", "hyvitykset"]) {
        return Role::Credit;
    }
    let figure = figure_of(header, &ws);
    if figure.is_none() && has(YEAR_WORDS) {
        return Role::Year;
    }
    let dated =
        ws.iter().any(|w| ["paivamaara", "paiva", "pvm", "datum", "dag", "date"].iter().any(|e| w.ends_with(e)));
    if figure.is_none() && (has(PERIOD_WORDS) || dated) {
        return Role::Period;
    }
    // `Summa`, and an amount with its currency (`summa_eur`, `Määrä euroa`, `Amount EUR`).
    let currency = |w: &String| ["eur", "euro", "euroa", "euroina", "e", "€"].contains(&w.as_str());
    if AMOUNT_WORDS.iter().any(|l| ws.first().is_some_and(|w| fold(l) == *w)) && ws[1..].iter().all(currency) {
        return Role::Amount;
    }
    if ws.len() == 1 && SCENARIO_WORDS.contains(&ws[0].as_str()) {
        return Role::ScenarioColumn;
    }
    figure.unwrap_or(Role::Other)
}

/// An amount column's scenario and year: the table headers' vocabulary (Finnish and Swedish, `TA 2024`,
/// `Toteutuma 2024`, `Budjettimuutokset`), with the English words of exports. Percentages, variances and
/// budgets after changes are not ledger amounts (poikkeama computes them).
fn figure_of(header: &str, ws: &[String]) -> Option<Role> {
    let c = classify(&header.to_uppercase());
    let english = if ws.iter().any(|w| w == "actual" || w == "actuals") {
        Some(Scenario::Tp)
    } else if ws.iter().any(|w| w == "changes") {
        Some(Scenario::TaMuutokset)
    } else {
        None
    };
    match c.scenario.or(english) {
        Some(sc @ (Scenario::Ta | Scenario::TaMuutokset | Scenario::TaMuutettu | Scenario::Tp)) if !c.percent => {
            Some(Role::Figure(sc, c.year))
        }
        _ => None,
    }
}

/// The month a header names (`Toteuma tammikuu`, `TP helmi`, `Utfall mars`, `Actuals Apr`), 1 to 12.
fn month_of(header: &str) -> Option<u32> {
    const MONTHS: [[&str; 5]; 12] = [
        ["tammikuu", "tammi", "januari", "january", "jan"],
        ["helmikuu", "helmi", "februari", "february", "feb"],
        ["maaliskuu", "maalis", "mars", "march", "mar"],
        ["huhtikuu", "huhti", "april", "april", "apr"],
        ["toukokuu", "touko", "maj", "may", "may"],
        ["kesäkuu", "kesä", "juni", "june", "jun"],
        ["heinäkuu", "heinä", "juli", "july", "jul"],
        ["elokuu", "elo", "augusti", "august", "aug"],
        ["syyskuu", "syys", "september", "september", "sep"],
        ["lokakuu", "loka", "oktober", "october", "oct"],
        ["marraskuu", "marras", "november", "november", "nov"],
        ["joulukuu", "joulu", "december", "december", "dec"],
    ];
    let ws = words(header);
    let mut found = MONTHS.iter().enumerate().filter(|(_, names)| ws.iter().any(|w| names.contains(&w.as_str())));
    match found.next() {
        Some((m, _)) => found.next().is_none().then_some(m as u32 + 1),
        None => quarter_of(&ws).map(|q| 100 + q),
    }
}

/// The quarter a header names (`Q1 2025`, `Toteuma 1. neljännes`, `I vuosineljännes`, `Kvartal 2`, `Quarter 3`),
/// 1 to 4: a part of the year as a month is, keyed apart from the months (101–104).
fn quarter_of(ws: &[String]) -> Option<u32> {
    let number = |w: &str| -> Option<u32> {
        let w = w.trim_end_matches('.');
        match w {
            "1" | "i" => Some(1),
            "2" | "ii" => Some(2),
            "3" | "iii" => Some(3),
            "4" | "iv" => Some(4),
            _ => None,
        }
    };
    if let Some(q) = ws.iter().find_map(|w| w.strip_prefix('q').and_then(number)) {
        return Some(q);
    }
    let at = ws.iter().position(|w| {
        ["neljännes", "vuosineljännes", "neljannes", "vuosineljannes", "kvartal", "quarter", "kvartalet"]
            .contains(&w.as_str())
    })?;
    let before = at.checked_sub(1).and_then(|i| ws.get(i)).and_then(|w| number(w));
    let after = ws.get(at + 1).and_then(|w| number(w));
    before.or(after)
}

/// The one year a report export's title lines name (`Käyttötalouden toteutuminen 1.1.-31.12.2025`), with the
/// line; a line of when it was printed or made (`Tulostettu 20.1.2026 klo 9.14`) names none. None where the
/// lines name no year or more than one.
fn title_year(lines: &[String]) -> Option<(i32, String)> {
    const WHEN: [&str; 9] =
        ["tulostettu", "tulostus", "printed", "utskriv", "ajettu", "ajopäivä", "luotu", "created", "päivitetty"];
    let mut found: Option<(i32, String)> = None;
    for line in lines {
        let lower = line.to_lowercase();
        if WHEN.iter().any(|w| lower.contains(w)) || lower.contains(" klo ") {
            continue;
        }
        let years = line.split(|c: char| !c.is_ascii_digit()).filter(|r| r.len() == 4).filter_map(|r| r.parse().ok());
        for y in years.filter(|y: &i32| (1900..=2100).contains(y)) {
            match &found {
                Some((f, _)) if *f != y => return None,
                Some(_) => {}
                None => found = Some((y, crate::ingest::context::short(line.trim()))),
            }
        }
    }
    found
}

/// A header that is a month of a year and nothing else: `2025-01`, `01/2025`, `1/2025`, `202501`.
fn period_header(header: &str) -> bool {
    let h = header.trim();
    let runs: Vec<&str> = h.split(['-', '/', '.']).collect();
    let num =
        |r: &str, n: std::ops::RangeInclusive<usize>| n.contains(&r.len()) && r.bytes().all(|b| b.is_ascii_digit());
    let month_ok = |r: &str| r.parse::<u32>().is_ok_and(|m| (1..=12).contains(&m));
    match runs[..] {
        [y, m] if num(y, 4..=4) && num(m, 1..=2) => month_ok(m),
        [m, y] if num(m, 1..=2) && num(y, 4..=4) => month_ok(m),
        [ym] if num(ym, 6..=6) => {
            ym[..4].parse::<i32>().is_ok_and(|y| (1900..=2100).contains(&y)) && month_ok(&ym[4..])
        }
        _ => false,
    }
}

/// The year of a year, date or period cell: `2024`, `2024-03`, `03/2024`, `15.3.2024`, `2024-03-15`, `202403`,
/// `20240315`. None when it names no year or more than one.
pub(super) fn year_of_cell(text: &str) -> Option<i32> {
    let in_range = |y: i32| (1900..=2100).contains(&y).then_some(y);
    let mut years = text.split(|c: char| !c.is_ascii_digit()).filter(|r| !r.is_empty()).filter_map(|r| match r.len() {
        4 => r.parse().ok().and_then(in_range),
        6 | 8 => {
            let month: u32 = r[4..6].parse().ok()?;
            (1..=12).contains(&month).then(|| r[..4].parse().ok().and_then(in_range)).flatten()
        }
        _ => None,
    });
    let first = years.next()?;
    years.next().is_none().then_some(first)
}

/// The month of a date or period cell: `2024-03`, `03/2024`, `15.3.2024`, `2024-03-15`, `202403`, `20240315`.
/// None for a bare year or anything else.
pub(super) fn month_of_cell(text: &str) -> Option<u8> {
    let runs: Vec<&str> = text.split(|c: char| !c.is_ascii_digit()).filter(|r| !r.is_empty()).collect();
    let month = match runs.as_slice() {
        [r] if r.len() == 6 || r.len() == 8 => r[4..6].parse().ok()?,
        // The year first (`2024-03`, `2024-03-15`): the month after it; else the month before the year
        // (`03/2024`, `15.3.2024`).
        [y, m, ..] if y.len() == 4 => m.parse().ok()?,
        [.., m, y] if y.len() == 4 => m.parse().ok()?,
        _ => return None,
    };
    (1..=12).contains(&month).then_some(month)
}

/// Where the columns are.
pub(super) struct Layout {
    /// The year column, or a date or period column; none when every amount column's header names its year.
    pub year_col: Option<usize>,
    pub cc_col: usize,
    pub acc_col: usize,
    /// The amount columns and their scenarios (the long form: its amount column once per scenario).
    pub amount_cols: Vec<(usize, Scenario)>,
    /// The year each amount column's header names, if any; it wins over the row's year.
    pub amount_years: Vec<Option<i32>>,
    /// Amount columns read with the sign turned (a credit column, summed with its debit column's slot).
    pub negated: Vec<bool>,
    /// A month column beside its year's total: the total's slot. Such a slot is no figure: the months' sum is
    /// checked against the total's.
    pub check_of: Vec<Option<usize>>,
    /// What the header left to be inferred, with the evidence (a change column's year from its neighbours').
    pub inferred: Vec<crate::model::Said>,
    /// Columns whose headers say money that are not read (a variance, a percentage, a plan year, VAT, a month
    /// no scenario names): named, with their totals.
    pub unread_cols: Vec<usize>,
    /// Of those, the percentages (named, never summed) and the months that name no scenario (named together,
    /// a warning: they may well be a figure's).
    pub percent_cols: Vec<usize>,
    pub month_cols: Vec<usize>,
    /// Each amount slot's money unit as a factor to euros (`TA 2025 (1000 €)`: 1 000).
    pub factors: Vec<Decimal>,
    /// The mark the file's amounts use for thousands where its first rows show it (`207.932,96`).
    pub thousands: Option<(char, String)>,
    /// The long form: the amount column and the scenario column.
    pub long: Option<(usize, usize)>,
    pub internal_col: Option<usize>,
    /// The accounts' names (`Tilin nimi`, `Account name`, `Kontonamn`): a report export's group rows are told
    /// by them (`HENKILÖSTÖKULUT`, `Toimintatuotot yhteensä`).
    pub name_col: Option<usize>,
    /// The header as read (lower case), for messages.
    pub header: Vec<String>,
}

impl Layout {
    /// Each sums slot's scenario and the year its header names.
    pub fn slots(&self) -> Vec<(Scenario, Option<i32>)> {
        self.amount_cols.iter().zip(&self.amount_years).map(|((_, sc), y)| (*sc, *y)).collect()
    }

    /// The first slot of the figure slot `k` fills (a credit column's is its debit column's).
    pub fn canonical_slot(&self, k: usize) -> usize {
        let key = |j: usize| (self.amount_cols[j].1, self.amount_years[j]);
        let month = |j: usize| self.check_of.get(j).copied().flatten().is_some();
        if month(k) {
            return k;
        }
        (0..k).find(|&j| key(j) == key(k) && !month(j)).unwrap_or(k)
    }

    /// The year slot `k` of a row of year `row_year` gives a figure for.
    pub fn year_of_slot(&self, k: usize, row_year: i32) -> i32 {
        self.amount_years.get(k).copied().flatten().unwrap_or(row_year)
    }
}

/// Does a header row name a cost-center and an account column (by the names configured, else by its words)?
pub fn is_ledger_header(cells: &[String], columns: &LedgerColumns) -> bool {
    let found = |configured: &Option<String>, roles: &[Role]| {
        configured.as_ref().is_some_and(|n| cells.iter().any(|c| c.trim().to_lowercase() == n.trim().to_lowercase()))
            || cells.iter().any(|c| roles.contains(&role_of(c)))
    };
    found(&columns.cost_center, &[Role::CostCenter, Role::Unit]) && found(&columns.account, &[Role::Account])
}

/// The layout of a ledger's header (its cells, lower case).
/// `line` is the header's line, `title` the lines above it (a report export's title: `Tilikausi 2025`).
pub(super) fn layout_of(
    header: Vec<String>,
    cols: &LedgerColumns,
    shown: &str,
    (line, title): (u64, &[String]),
) -> Result<Layout> {
    let line_err = |message: String| Error::Line { path: shown.to_string(), at: line.to_string(), message };
    let roles: Vec<Role> = header.iter().map(|h| role_of(h)).collect();
    let listed = || header.join(", ");
    let exact = |name: &str| -> Option<usize> {
        let name = name.trim().to_lowercase();
        header.iter().position(|h| *h == name)
    };
    // A role's column: the configured name where this file has it (a run's files may differ), else the
    // leftmost column of that role, one with a code word (`Kustp nro`) before one without.
    let by_role = |configured: &Option<String>, role: Role| -> Option<usize> {
        if let Some(k) = configured.as_deref().and_then(exact) {
            return Some(k);
        }
        let candidates: Vec<usize> = (0..header.len()).filter(|k| roles[*k] == role).collect();
        let coded = candidates.iter().find(|k| words(&header[**k]).iter().any(|w| CODE_WORDS.contains(&w.as_str())));
        coded.or(candidates.first()).copied()
    };
    let need = |k: Option<usize>, what: &str, example: &str, configured: &Option<String>| {
        k.ok_or_else(|| {
            let named = configured.as_ref().map(|n| format!(" or \"{n}\" as configured")).unwrap_or_default();
            line_err(format!("no {what} column (headers: {}; expected e.g. \"{example}\"{named})", listed()))
        })
    };
    let cc = by_role(&cols.cost_center, Role::CostCenter).or_else(|| by_role(&None, Role::Unit));
    let cc_col = need(cc, "cost center", "kustannuspaikka", &cols.cost_center)?;
    let acc_col = need(by_role(&cols.account, Role::Account), "account", "tili", &cols.account)?;
    let internal_col = by_role(&cols.internal, Role::Internal);
    let taken = [Some(cc_col), Some(acc_col), internal_col];
    // The wide form: configured amount columns, and every column whose header names a scenario.
    let configured =
        [(&cols.budget, Scenario::Ta), (&cols.changes, Scenario::TaMuutokset), (&cols.actual, Scenario::Tp)];
    let mut wide: Vec<(usize, Scenario, Option<i32>)> = Vec::new();
    // The scenarios a configured name gives in this file.
    let configured: Vec<(Option<usize>, Scenario)> =
        configured.iter().map(|(n, sc)| (n.as_deref().and_then(exact), *sc)).collect();
    for (k, sc) in configured.iter().copied() {
        if let Some(k) = k {
            let year = match roles[k] {
                Role::Figure(_, y) => y,
                _ => None,
            };
            wide.push((k, sc, year));
        }
    }
    for (k, role) in roles.iter().enumerate() {
        if let Role::Figure(sc, year) = *role {
            let configured_sc = configured.iter().any(|(k, s)| k.is_some() && *s == sc);
            if !configured_sc && !taken.contains(&Some(k)) && !wide.iter().any(|w| w.0 == k) {
                wide.push((k, sc, year));
            }
        }
    }
    // Columns of one scenario and year are one figure's months when each names a different month
    // (`Toteuma tammikuu` … `Toteuma joulukuu`): they are summed. Months beside one column without a month
    // (`Toteuma yhteensä`) are that total's: it is read, and the months are checked against it. Any other two
    // are refused.
    let month = |k: usize| month_of(&header[k]);
    let mut month_of_total: Vec<(usize, usize)> = Vec::new();
    for (i, a) in wide.iter().enumerate() {
        let same: Vec<&(usize, Scenario, Option<i32>)> = wide.iter().filter(|b| (b.1, b.2) == (a.1, a.2)).collect();
        let months: Vec<Option<u32>> = same.iter().map(|b| month(b.0)).collect();
        let distinct = |ms: &[Option<u32>]| ms.iter().enumerate().all(|(j, m)| m.is_none() || !ms[..j].contains(m));
        if months.iter().all(Option::is_some) && distinct(&months) {
            continue;
        }
        let totals: Vec<usize> = same.iter().filter(|b| month(b.0).is_none()).map(|b| b.0).collect();
        if totals.len() == 1 && same.len() > 1 && distinct(&months) {
            if month(a.0).is_some() {
                month_of_total.push((a.0, totals[0]));
            }
            continue;
        }
        if let Some(b) = wide[..i].iter().find(|b| (b.1, b.2) == (a.1, a.2)) {
            let what = format!("{}{}", a.1, a.2.map(|y| format!(" {y}")).unwrap_or_default());
            // Never suggest reading one month as the year's figure.
            return Err(line_err(if month(a.0).is_some() || month(b.0).is_some() {
                format!(
                    "columns \"{}\" and \"{}\" both give {what}, and months are read only all together or beside \
                     one column of the year's total; this file has neither",
                    header[b.0], header[a.0]
                )
            } else {
                format!(
                    "columns \"{}\" and \"{}\" both give {what}: name the one to read under [ledger] in \
                     poikkeama.toml (extract and validate take it with --config)",
                    header[b.0], header[a.0]
                )
            }));
        }
    }
    if wide.len() > SLOTS {
        return Err(line_err(format!("{} amount columns; at most {SLOTS} are read", wide.len())));
    }
    // The long form: an amount column and a scenario column, when no column names a scenario.
    let long = if wide.is_empty() {
        match (by_role(&cols.amount, Role::Amount), by_role(&cols.scenario, Role::ScenarioColumn)) {
            (Some(a), Some(s)) => Some((a, s)),
            _ => None,
        }
    } else {
        None
    };
    let (mut amount_cols, mut amount_years): (Vec<(usize, Scenario)>, Vec<Option<i32>>) = match long {
        Some((a, _)) => [Scenario::Ta, Scenario::TaMuutokset, Scenario::Tp].iter().map(|sc| ((a, *sc), None)).unzip(),
        None => wide.iter().map(|(k, sc, y)| ((*k, *sc), *y)).unzip(),
    };
    let mut negated = vec![false; amount_cols.len()];
    // A month column beside its total: the total's slot, which the months are checked against.
    let slot_of = |col: usize| amount_cols.iter().position(|(c, _)| *c == col);
    let check_of: Vec<Option<usize>> = amount_cols
        .iter()
        .map(|(c, _)| month_of_total.iter().find(|(m, _)| m == c).and_then(|(_, t)| slot_of(*t)))
        .collect();
    // A voucher listing: debit and credit columns and no other amounts are the actuals, debit − credit.
    if amount_cols.is_empty() {
        if let (Some(d), Some(c)) = (by_role(&None, Role::Debit), by_role(&None, Role::Credit)) {
            amount_cols = vec![(d, Scenario::Tp), (c, Scenario::Tp)];
            amount_years = vec![None, None];
            negated = vec![false, true];
        }
    }
    // A purchase or voucher export with a posting date and amounts without VAT, with VAT and the VAT itself
    // (`summa_alv0_euroina`, `alv_euroina`, `summa_euroina`): bookings, so actuals; the net amount is read, and
    // the others are named as not read.
    let mut inferred = Vec::new();
    // A scenario column beside amounts read in the wide form (a configured `actual =` over the long form's amount):
    // every row is read as that column's scenario whatever its own says; said, never silent.
    if long.is_none() && configured.iter().any(|(k, _)| k.is_some()) {
        if let Some(sc) = by_role(&cols.scenario, Role::ScenarioColumn).filter(|k| !wide.iter().any(|w| w.0 == *k)) {
            let read: Vec<String> = wide.iter().map(|(k, _, _)| header[*k].clone()).collect();
            inferred.push(crate::model::Said::ScenarioColumnIgnored { column: header[sc].clone(), read });
        }
    }
    if amount_cols.is_empty() && by_role(&None, Role::Period).is_some() {
        let vat_words = |h: &str| {
            words(h).iter().any(|w| ["alv", "vat", "moms", "arvonlisavero"].iter().any(|v| fold(w).starts_with(v)))
        };
        let net = |h: &str| {
            let ws: Vec<String> = words(h).iter().map(|w| fold(w)).collect();
            let has = |x: &str| ws.iter().any(|w| w == x);
            has("alv0")
                || has("veroton")
                || has("netto")
                || has("net")
                || (vat_words(h) && ["0", "ilman", "exkl", "excl", "without", "utan"].iter().any(|x| has(x)))
        };
        let moneyish = |h: &str| {
            words(h).iter().any(|w| {
                let w = fold(w);
                w.contains("summa") || w.contains("euro") || AMOUNT_WORDS.iter().any(|a| fold(a) == w)
            }) || vat_words(h)
        };
        let nets: Vec<usize> = (0..header.len())
            .filter(|&k| roles[k] != Role::Period && moneyish(&header[k]) && net(&header[k]))
            .collect();
        if let [k] = nets.as_slice() {
            let others: Vec<String> = (0..header.len())
                .filter(|&j| j != *k && roles[j] != Role::Period && moneyish(&header[j]) && !taken.contains(&Some(j)))
                .map(|j| header[j].clone())
                .collect();
            amount_cols = vec![(*k, Scenario::Tp)];
            amount_years = vec![None];
            negated = vec![false];
            inferred.push(crate::model::Said::NetAmounts { net: header[*k].clone(), others });
        }
    }
    if amount_cols.is_empty() {
        // A column of amounts without a scenario (a purchase-invoice export's `Laskun summa ilman ALV`) is read
        // when the user says which scenario it is.
        // Never a hint that would read every scenario's amounts as the actuals: beside a scenario column, the
        // amount column is the long form's.
        let scenario_col = by_role(&cols.scenario, Role::ScenarioColumn);
        let hint = header
            .iter()
            .find(|h| words(h).iter().any(|w| w.contains("summa") || AMOUNT_WORDS.contains(&w.as_str())))
            .map(|h| match scenario_col {
                Some(k) => format!(
                    "; if \"{h}\" holds the amounts of the scenarios \"{}\" names, say so under [ledger] in \
                     poikkeama.toml: amount = \"{h}\"",
                    header[k]
                ),
                None => {
                    format!(
                        "; if \"{h}\" holds the actuals, say so under [ledger] in poikkeama.toml (extract and \
                         validate take it with --config): actual = \"{h}\""
                    )
                }
            })
            .unwrap_or_default();
        return Err(line_err(format!(
            "no amount columns (talousarvio, muutokset, toteuma, or e.g. \"TA 2024\"), nor an amount and a scenario \
             column (summa, skenaario); headers: {}{hint}",
            listed()
        )));
    }
    // A change column whose header names no year (`TA-muutokset`) beside columns that all name one (`TA
    // 2024`, `Toteutuma 2024`), with no year column: that year, said.
    let named: std::collections::BTreeSet<i32> = amount_years.iter().flatten().copied().collect();
    if by_role(&cols.year, Role::Year).is_none() && by_role(&None, Role::Period).is_none() && named.len() == 1 {
        let year = named.iter().next().copied().unwrap_or_default();
        for ((c, sc), y) in amount_cols.iter().zip(amount_years.iter_mut()) {
            // Only a column a budget year alone has: an actuals column without a year may be any year's.
            if y.is_none() && matches!(sc, Scenario::TaMuutokset | Scenario::TaMuutettu) {
                *y = Some(year);
                inferred.push(crate::model::Said::ColumnYear { column: header[*c].clone(), year });
            }
        }
    }
    // The year: a year column, else (when some amount column's header names no year) a date or period column.
    let mut year_col = by_role(&cols.year, Role::Year);
    let undated = amount_cols.iter().zip(&amount_years).find(|(_, y)| y.is_none()).map(|((k, _), _)| *k);
    if year_col.is_none() {
        if let Some(k) = undated {
            year_col = by_role(&None, Role::Period);
            // No year in the rows: a title above the header that names one year gives it, else the file's name,
            // else `--year` (said, with where it came from).
            let from_title = title_year(title);
            let fallback = match (&from_title, crate::ingest::context::year_in_file_name(shown)) {
                (Some((y, _)), _) => Some((*y, false)),
                (None, Some(y)) => Some((y, false)),
                (None, None) => crate::ingest::context::configured_year().map(|y| (y, true)),
            };
            let title_line = from_title.map(|(_, t)| t);
            match (year_col, fallback) {
                (Some(_), _) => {}
                (None, Some((year, by_option))) => {
                    let mut columns = Vec::new();
                    for ((c, _), y) in amount_cols.iter().zip(amount_years.iter_mut()).filter(|(_, y)| y.is_none()) {
                        *y = Some(year);
                        columns.push(header[*c].clone());
                    }
                    inferred.push(crate::model::Said::LedgerYear { columns, year, by_option, title: title_line });
                }
                (None, None) => {
                    return Err(line_err(format!(
                        "no year column (vuosi, or a date or period) and column \"{}\" names no year, nor does the \
                         file's name; give the year with --year (or `year =` in poikkeama.toml); headers: {}",
                        header[k],
                        listed()
                    )))
                }
            }
        }
    }
    // The accounts' names: a name column whose words name the account, else the name column right after it.
    let is_name = |h: &str| {
        let ws = words(h);
        ws.iter().any(|w| NAME_WORDS.contains(&w.as_str()) || w.ends_with("nimi") || w.ends_with("namn"))
    };
    let names_account = |h: &str| {
        let ws = words(h);
        ws.iter().any(|w| w.starts_with("tili") || w.starts_with("konto") || w == "account")
    };
    let name_col = (0..header.len())
        .find(|&k| is_name(&header[k]) && names_account(&header[k]))
        .or_else(|| Some(acc_col + 1).filter(|&k| k < header.len() && is_name(&header[k])));
    let check_of =
        if long.is_some() || check_of.len() != amount_cols.len() { vec![None; amount_cols.len()] } else { check_of };
    // Every other column whose header says money (a variance, a percentage, a plan year, VAT, a sum) is named
    // as not read, with its total.
    let mut read: Vec<usize> = amount_cols.iter().map(|(c, _)| *c).collect();
    read.extend([Some(cc_col), Some(acc_col), internal_col, year_col, name_col].into_iter().flatten());
    if let Some((a, sc)) = long {
        read.extend([a, sc]);
    }
    // A month (`Tammi 2025`, `2025-01`, `1/2025`) without a scenario word: a figure's month, but whose?
    let is_month = |k: usize| month_of(&header[k]).is_some() || period_header(&header[k]);
    let unread_cols: Vec<usize> = (0..header.len())
        .filter(|k| !read.contains(k) && matches!(roles[*k], Role::Other | Role::Figure(..) | Role::Amount))
        .filter(|&k| {
            let ws: Vec<String> = words(&header[k]).iter().map(|w| fold(w)).collect();
            let named =
                ws.iter().any(|w| NAME_WORDS.contains(&w.as_str()) || w.ends_with("nimi") || w.ends_with("namn"));
            let c = classify(&header[k].to_uppercase());
            let money = ws.iter().any(|w| {
                w.contains("summa")
                    || w.contains("euro")
                    || ["eur", "amount", "belopp", "alv", "vat", "moms", "maara", "erotus", "differens", "ero"]
                        .contains(&w.as_str())
            });
            !named && (c.scenario.is_some() || c.percent || money || is_month(k))
        })
        .collect();
    // Each amount column's money unit: its header's (`TA 2025 (1000 €)`), else a title's above the header
    // (`Tuhansina euroina`); the amounts are read in euros, said.
    let title_unit = title.iter().find_map(|t| crate::ingest::header::caption_factor(t).map(|f| (f, t.clone())));
    let mut factors = Vec::with_capacity(amount_cols.len());
    for (c, _) in &amount_cols {
        let (factor, from) = match crate::ingest::header::unit_factor(&header[*c]) {
            Some(f) => (f, None),
            None => match &title_unit {
                Some((f, t)) => (*f, Some(crate::ingest::context::short(t))),
                None => (Decimal::ONE, None),
            },
        };
        if factor != Decimal::ONE && !factors.iter().zip(&amount_cols).any(|(_, (k, _))| k == c) {
            inferred.push(crate::model::Said::ColumnUnit { column: header[*c].clone(), factor, title: from });
        }
        factors.push(factor);
    }
    let percent_cols: Vec<usize> =
        unread_cols.iter().copied().filter(|&k| classify(&header[k].to_uppercase()).percent).collect();
    let month_cols: Vec<usize> = unread_cols
        .iter()
        .copied()
        .filter(|&k| is_month(k) && classify(&header[k].to_uppercase()).scenario.is_none())
        .collect();
    Ok(Layout {
        year_col,
        cc_col,
        acc_col,
        amount_cols,
        amount_years,
        negated,
        check_of,
        long,
        internal_col,
        name_col,
        inferred,
        unread_cols,
        percent_cols,
        month_cols,
        factors,
        thousands: None,
        header,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_of_several_systems_find_their_roles() {
        use crate::model::Scenario::{Ta, TaMuutettu, TaMuutokset, Tp};
        use Role::*;
        let cases = [
            ("Kustannuspaikka", CostCenter),
            ("Kustp nro", CostCenter),
            ("KP", CostCenter),
            ("Kostnadsställe", CostCenter),
            ("Cost center", CostCenter),
            ("Kustannuspaikan nimi", Other),
            ("Tili", Account),
            ("Tilin numero", Account),
            ("Pääkirjatili", Account),
            ("Konto", Account),
            ("Tilin nimi", Other),
            ("Kontonamn", Other),
            ("Vuosi", Year),
            ("Tilikausi", Year),
            ("År", Year),
            ("Kirjauspäivä", Period),
            ("Tositepäivämäärä", Period),
            ("Tositenumero", Other),
            ("Toimittajan Y-tunnus", Other),
            ("Kirjanpidon tilinumero", Account),
            ("Laskun summa ilman ALV", Other),
            ("TS 2025", Other),
            ("Kausi", Period),
            ("Talousarvio", Figure(Ta, None)),
            ("TA 2024", Figure(Ta, Some(2024))),
            ("Budjetti 2024", Figure(Ta, Some(2024))),
            ("Alkuperäinen talousarvio", Figure(Ta, None)),
            ("TA-muutokset", Figure(TaMuutokset, None)),
            ("Budjettimuutokset 2024", Figure(TaMuutokset, Some(2024))),
            ("Toteuma", Figure(Tp, None)),
            ("Toteutuma 1-12/2024", Figure(Tp, Some(2024))),
            ("TP 2023", Figure(Tp, Some(2023))),
            ("Utfall", Figure(Tp, None)),
            ("Actuals", Figure(Tp, None)),
            ("Muutettu TA", Figure(TaMuutettu, None)),
            ("Budjetti + muutos 2024", Figure(TaMuutettu, Some(2024))),
            ("Bu+muutos", Figure(TaMuutettu, None)),
            ("Bu-muutos 2024", Figure(TaMuutokset, Some(2024))),
            ("TA-muutokset", Figure(TaMuutokset, None)),
            ("Budjettimuutos", Figure(TaMuutokset, None)),
            ("Poikkeama", Other),
            ("Toteutuma-%", Other),
            ("Sisäinen/ulkoinen", Internal),
            ("Summa", Amount),
            ("Skenaario", ScenarioColumn),
            ("Kuukausi", Other),
            ("Tulosyksikkö nro", Unit),
            ("Tulosyksikön nimi", Other),
            ("Pääkirjatili nro", Account),
            ("Pääkirjatilin nimi", Other),
            ("Talousarvion tiliryhmä", Other),
            ("Toteuma Yht (ULS, Ulkoinen Laskenta Saldot)", Figure(Tp, None)),
            ("EUR", Amount),
            ("Debet", Debit),
            ("Kredit", Credit),
            ("Veloitus €", Debit),
        ];
        for (header, want) in cases {
            assert_eq!(role_of(header), want, "{header}");
        }
    }

    #[test]
    fn month_columns_of_one_scenario_are_summed() {
        let mut header = vec!["kustannuspaikka".to_string(), "tili".into(), "vuosi".into(), "ta".into()];
        for m in ["tammikuu", "helmikuu", "maaliskuu"] {
            header.push(format!("toteuma {m}"));
        }
        let l = layout_of(header.clone(), &LedgerColumns::default(), "l.csv", (1, &[])).unwrap();
        assert_eq!(l.slots(), [(Scenario::Ta, None), (Scenario::Tp, None), (Scenario::Tp, None), (Scenario::Tp, None)]);
        // The same month twice is no month set: refused.
        header.push("toteuma maaliskuu".into());
        assert!(layout_of(header, &LedgerColumns::default(), "l.csv", (1, &[])).is_err());
    }

    #[test]
    fn years_from_dates_and_periods() {
        for (cell, want) in [
            ("2024", Some(2024)),
            ("2024-03", Some(2024)),
            ("03/2024", Some(2024)),
            ("15.3.2024", Some(2024)),
            ("2024-03-15", Some(2024)),
            ("202403", Some(2024)),
            ("20240315", Some(2024)),
            ("202413", None),
            ("3", None),
            ("2023-2024", None),
            ("", None),
        ] {
            assert_eq!(year_of_cell(cell), want, "{cell}");
        }
    }

    #[test]
    fn years_in_amount_headers_need_no_year_column() {
        let header = ["Kustp", "Kustannuspaikan nimi", "Tili", "Tilin nimi", "TA 2024", "Toteutuma 2024", "TP 2023"]
            .map(|s| s.to_lowercase())
            .to_vec();
        let l = layout_of(header, &LedgerColumns::default(), "l.csv", (1, &[])).unwrap();
        assert_eq!((l.cc_col, l.acc_col, l.year_col), (0, 2, None));
        assert_eq!(
            l.slots(),
            [(Scenario::Ta, Some(2024)), (Scenario::Tp, Some(2024)), (Scenario::Tp, Some(2023))].to_vec()
        );
        // An amount column without a year and no year column: refused, naming it.
        let header = ["kustannuspaikka", "tili", "ta 2024", "toteuma"].map(String::from).to_vec();
        let e = layout_of(header, &LedgerColumns::default(), "l.csv", (1, &[])).err().unwrap().to_string();
        assert!(e.contains("column \"toteuma\" names no year"), "{e}");
        // Two columns of the same scenario and year: refused, naming both.
        let header = ["vuosi", "kustannuspaikka", "tili", "ta", "budjetti"].map(String::from).to_vec();
        let e = layout_of(header, &LedgerColumns::default(), "l.csv", (1, &[])).err().unwrap().to_string();
        assert!(e.contains("\"ta\" and \"budjetti\" both give"), "{e}");
    }
}
