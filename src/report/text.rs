//! Findings in words, in the reader's language. The engine gives each finding as data (rule, figures,
//! cells, notes); this is the one place that words them, for the console, findings.json, the workbook and
//! the summaries alike.

use super::fmt::{money, money_cents, number, percent, signed_money, Lang};
use crate::engine::{Cause, Finding, Note, Part, RowRef, Rule, Severity};
use crate::model::{GroupWhy, Item, LineItem, Said, Scenario};

/// "virhe", "fel", "error".
pub fn severity_name(s: Severity, lang: Lang) -> &'static str {
    match (lang, s) {
        (Lang::Fi, Severity::Error) => "virhe",
        (Lang::Fi, Severity::Warning) => "varoitus",
        (Lang::Fi, Severity::Info) => "huomio",
        (Lang::Sv, Severity::Error) => "fel",
        (Lang::Sv, Severity::Warning) => "varning",
        (Lang::Sv, Severity::Info) => "notering",
        (Lang::En, Severity::Error) => "error",
        (Lang::En, Severity::Warning) => "warning",
        (Lang::En, Severity::Info) => "info",
    }
}

/// The check a finding comes from, as a reader names it: "rivien summa", "alayksiköiden summa".
pub fn rule_name(r: Rule, lang: Lang) -> &'static str {
    match (lang, r) {
        (Lang::Fi, Rule::Sum) => "rivien summa",
        (Lang::Fi, Rule::TaMuutettu) => "TA + muutokset",
        (Lang::Fi, Rule::Poikkeama) => "poikkeaman laskenta",
        (Lang::Fi, Rule::Rollup) => "alayksiköiden summa",
        (Lang::Fi, Rule::Sign) => "etumerkki",
        (Lang::Fi, Rule::Duplicate) => "sama luku useasti",
        (Lang::Fi, Rule::UnknownUnit) => "tuntematon yksikkö",
        (Lang::Fi, Rule::BindingOverrun) => "sitova määräraha ylittyi",
        (Lang::Fi, Rule::BindingWithin) => "sitova määräraha piti",
        (Lang::Fi, Rule::BindingWithinRight) => "ylitys ylitysoikeuden rajoissa",
        (Lang::Fi, Rule::Input) => "lähtötieto",
        (Lang::Fi, Rule::ExplanationMissing) => "perustelu puuttuu",
        (Lang::Fi, Rule::ForecastOverrun) => "ennuste ylittää sitovan määrärahan",
        (Lang::Fi, Rule::ForecastVariance) => "ennusteen poikkeaman laskenta",
        (Lang::Fi, Rule::Percent) => "toteutumisprosentti",
        (Lang::Sv, Rule::Percent) => "utfallsprocent",
        (Lang::En, Rule::Percent) => "realisation percentage",
        (Lang::Sv, Rule::ForecastVariance) => "prognosavvikelsens beräkning",
        (Lang::En, Rule::ForecastVariance) => "forecast variance arithmetic",
        (Lang::Sv, Rule::ExplanationMissing) => "motivering saknas",
        (Lang::Sv, Rule::ForecastOverrun) => "prognosen överskrider bindande anslag",
        (Lang::En, Rule::ExplanationMissing) => "explanation missing",
        (Lang::En, Rule::ForecastOverrun) => "forecast overruns a binding appropriation",
        (Lang::Sv, Rule::Sum) => "summan av raderna",
        (Lang::Sv, Rule::TaMuutettu) => "budget + ändringar",
        (Lang::Sv, Rule::Poikkeama) => "avvikelsens beräkning",
        (Lang::Sv, Rule::Rollup) => "summan av underenheterna",
        (Lang::Sv, Rule::Sign) => "förtecken",
        (Lang::Sv, Rule::Duplicate) => "samma siffra flera gånger",
        (Lang::Sv, Rule::UnknownUnit) => "okänd enhet",
        (Lang::Sv, Rule::BindingOverrun) => "bindande anslag överskridet",
        (Lang::Sv, Rule::BindingWithin) => "bindande anslag hölls",
        (Lang::Sv, Rule::BindingWithinRight) => "överskridning inom överskridningsrätten",
        (Lang::Sv, Rule::Input) => "indata",
        (Lang::En, Rule::Sum) => "sum of rows",
        (Lang::En, Rule::TaMuutettu) => "budget + changes",
        (Lang::En, Rule::Poikkeama) => "variance arithmetic",
        (Lang::En, Rule::Rollup) => "sum of sub-units",
        (Lang::En, Rule::Sign) => "sign",
        (Lang::En, Rule::Duplicate) => "same figure more than once",
        (Lang::En, Rule::UnknownUnit) => "unknown unit",
        (Lang::En, Rule::BindingOverrun) => "binding appropriation overrun",
        (Lang::En, Rule::BindingWithin) => "binding appropriation kept",
        (Lang::En, Rule::BindingWithinRight) => "overrun within the overrun right",
        (Lang::En, Rule::Input) => "input",
    }
}

/// The words for an arithmetic rule's failure, as in "Toimintakate ulkoinen: ei ole rivien summa".
fn rule_failed(rule: Rule, lang: Lang) -> String {
    match (lang, rule) {
        (Lang::Fi, Rule::Rollup) => "ei ole alayksiköiden summa".into(),
        (Lang::Fi, Rule::Sum) => "ei ole rivien summa".into(),
        (Lang::Fi, Rule::Poikkeama) => "ei ole TP − TA muutosten jälkeen".into(),
        (Lang::Fi, Rule::TaMuutettu) => "ei ole TA + muutokset".into(),
        (Lang::Fi, Rule::ForecastVariance) => "ei ole ennuste − TA muutosten jälkeen".into(),
        (Lang::Sv, Rule::ForecastVariance) => "är inte prognos − budget efter ändringar".into(),
        (Lang::En, Rule::ForecastVariance) => "is not forecast − budget after changes".into(),
        (Lang::Sv, Rule::Rollup) => "är inte summan av underenheterna".into(),
        (Lang::Sv, Rule::Sum) => "är inte summan av raderna".into(),
        (Lang::Sv, Rule::Poikkeama) => "är inte bokslut − budget efter ändringar".into(),
        (Lang::Sv, Rule::TaMuutettu) => "är inte budget + ändringar".into(),
        (Lang::En, Rule::Rollup) => "is not the sum of the sub-units".into(),
        (Lang::En, Rule::Sum) => "is not the sum of its rows".into(),
        (Lang::En, Rule::Poikkeama) => "is not actual − budget after changes".into(),
        (Lang::En, Rule::TaMuutettu) => "is not budget + changes".into(),
        (_, r) => rule_name(r, lang).into(),
    }
}

/// A label set inside a sentence: lower case, but abbreviations (`TA`, `TP`) kept.
pub fn mid_sentence(label: &str) -> String {
    label
        .split(' ')
        .map(|w| {
            let abbreviation = w.chars().count() >= 2 && w.chars().all(|c| c.is_uppercase());
            if abbreviation {
                w.to_string()
            } else {
                w.to_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// "Toimintakate ulkoinen, tilinpäätös 2024": the line item and the column a finding is about.
pub fn about(line_item: Option<LineItem>, scenario: Option<Scenario>, year: Option<i32>, lang: Lang) -> String {
    let column = match (scenario, year) {
        (Some(s), Some(y)) => Some(format!("{} {y}", mid_sentence(s.label(lang.code())))),
        (Some(s), None) => Some(mid_sentence(s.label(lang.code()))),
        (None, Some(y)) => Some(y.to_string()),
        (None, None) => None,
    };
    [line_item.map(|l| l.label(lang.code())), column].into_iter().flatten().collect::<Vec<_>>().join(", ")
}

fn rows_text(rows: &[RowRef]) -> String {
    rows.iter().map(|r| format!("\"{}\" ({})", r.label, r.source)).collect::<Vec<_>>().join(", ")
}

fn parts_text(parts: &[Part], more: usize, lang: Lang) -> String {
    let mut out: Vec<String> =
        parts.iter().map(|p| format!("{}: {} ({})", p.unit, p.line_item.label(lang.code()), p.source)).collect();
    if more > 0 {
        out.push(match lang {
            Lang::Fi => format!("ja {more} muuta"),
            Lang::Sv => format!("och {more} andra"),
            Lang::En => format!("and {more} more"),
        });
    }
    out.join(", ")
}

/// The error another one follows from, as a reader finds it: "Talous- ja henkilöstöpalvelut, toimintakate
/// ulkoinen, tilinpäätös 2024 (ei ole rivien summa)".
pub fn cause_text(c: &Cause, lang: Lang) -> String {
    format!("{}, {} ({})", c.unit, about(c.line_item, c.scenario, c.year, lang), rule_failed(c.rule, lang))
}

/// The whole message of a finding in one language, as every report prints it.
pub fn message(f: &Finding, lang: Lang) -> String {
    message_at(f, lang, "")
}

/// [`message`] with `place` (e.g. `` (`file:sheet!C13`)``) put at the end of its first sentence.
pub fn message_at(f: &Finding, lang: Lang, place: &str) -> String {
    let what = about(f.line_item, f.scenario, f.year, lang);
    let m = |d| money(d, lang);
    let mut out = match f.rule {
        Rule::Sum | Rule::TaMuutettu | Rule::Poikkeama | Rule::Rollup | Rule::ForecastVariance => {
            let (table, computed, diff) = match lang {
                Lang::Fi => ("taulukossa", "laskettuna", "ero"),
                Lang::Sv => ("i tabellen", "beräknat", "skillnad"),
                Lang::En => ("in the table", "computed", "difference"),
            };
            let figures = format!(
                "{table} {}, {computed} {}, {diff} {}",
                f.actual.map(m).unwrap_or_default(),
                f.expected.map(m).unwrap_or_default(),
                f.difference.map(|d| signed_money(d, lang)).unwrap_or_default()
            );
            let months = f.notes.contains(&Note::OfMonths);
            let verdict = match (f.severity, lang) {
                (Severity::Error, Lang::Fi) if months => "ei ole kuukausien summa".into(),
                (Severity::Error, Lang::Sv) if months => "är inte summan av månaderna".into(),
                (Severity::Error, Lang::En) if months => "is not the sum of its months".into(),
                (Severity::Error, _) => rule_failed(f.rule, lang),
                (Severity::Info, Lang::Fi) => format!("pyöristysero ({})", rule_name(f.rule, lang)),
                (Severity::Info, Lang::Sv) => format!("avrundningsdifferens ({})", rule_name(f.rule, lang)),
                (Severity::Info, Lang::En) => format!("rounding difference ({})", rule_name(f.rule, lang)),
                (Severity::Warning, Lang::Fi) => format!("{} ei täsmää luettuihin lukuihin", rule_name(f.rule, lang)),
                (Severity::Warning, Lang::Sv) => {
                    format!("{} stämmer inte med de lästa siffrorna", rule_name(f.rule, lang))
                }
                (Severity::Warning, Lang::En) => format!("{} does not match the figures read", rule_name(f.rule, lang)),
            };
            format!("{what}: {verdict}: {figures}.")
        }
        Rule::Percent => {
            let budget = f
                .notes
                .iter()
                .find_map(|n| match n {
                    Note::PercentOf { budget } => Some(mid_sentence(budget.label(lang.code()))),
                    _ => None,
                })
                .unwrap_or_default();
            let actual = f.scenario.map(|s| mid_sentence(s.label(lang.code()))).unwrap_or_default();
            let pct = |d: Option<rust_decimal::Decimal>| {
                let t = d.map(|d| d.to_string()).unwrap_or_default();
                if lang == Lang::En {
                    format!("{t} %")
                } else {
                    format!("{} %", t.replace('.', ","))
                }
            };
            let (printed, computed) = (pct(f.actual), pct(f.expected));
            let uncertain = f.severity != Severity::Error;
            match lang {
                Lang::Fi => format!(
                    "{what}: taulukon toteutumisprosentti {printed} ei ole {actual} / {budget} × 100: laskettuna {computed}.{}",
                    if uncertain { " Taulukossa ei ole muutettua talousarviota: prosentti voi olla laskettu siitä." } else { "" }
                ),
                Lang::Sv => format!(
                    "{what}: tabellens utfallsprocent {printed} är inte {actual} / {budget} × 100: beräknat {computed}.{}",
                    if uncertain { " Tabellen visar ingen ändrad budget: procenten kan vara beräknad mot den." } else { "" }
                ),
                Lang::En => format!(
                    "{what}: the table's realisation percentage {printed} is not {actual} / {budget} × 100: computed {computed}.{}",
                    if uncertain { " The table prints no budget after changes: the percentage may be of one." } else { "" }
                ),
            }
        }
        Rule::Sign => {
            let revenue = f.line_item.is_some_and(|l| l.item.kind() == crate::model::Kind::Revenue);
            let amount = f.actual.map(m).unwrap_or_default();
            match (lang, revenue) {
                (Lang::Fi, true) => format!(
                    "{what}: tuottorivi on negatiivinen ({amount}). Tuotot ovat positiivisia ja kulut negatiivisia."
                ),
                (Lang::Fi, false) => format!(
                    "{what}: kulurivi on positiivinen ({amount}). Tuotot ovat positiivisia ja kulut negatiivisia."
                ),
                (Lang::Sv, true) => {
                    format!("{what}: intäktsraden är negativ ({amount}). Intäkter är positiva och kostnader negativa.")
                }
                (Lang::Sv, false) => {
                    format!("{what}: kostnadsraden är positiv ({amount}). Intäkter är positiva och kostnader negativa.")
                }
                (Lang::En, true) => {
                    format!("{what}: a revenue line is negative ({amount}). Revenue is positive and costs negative.")
                }
                (Lang::En, false) => {
                    format!("{what}: a cost line is positive ({amount}). Revenue is positive and costs negative.")
                }
            }
        }
        Rule::Duplicate => {
            let listed = f
                .notes
                .iter()
                .find_map(|n| match n {
                    Note::Given { values } => Some(
                        values.iter().map(|g| format!("{} ({})", m(g.amount), g.source)).collect::<Vec<_>>().join(", "),
                    ),
                    _ => None,
                })
                .unwrap_or_default();
            match (lang, f.severity == Severity::Error) {
                (Lang::Fi, true) => {
                    format!("{what} on annettu useammin kuin kerran eri luvuin: {listed}. Ensimmäinen on käytetty.")
                }
                (Lang::Fi, false) => format!("{what} on annettu kahdesti samana lukuna: {listed}."),
                (Lang::Sv, true) => {
                    format!("{what} har angetts flera gånger med olika belopp: {listed}. Det första används.")
                }
                (Lang::Sv, false) => format!("{what} har angetts två gånger med samma belopp: {listed}."),
                (Lang::En, true) => {
                    format!("{what} is given more than once with different amounts: {listed}. The first is used.")
                }
                (Lang::En, false) => format!("{what} is given twice with the same amount: {listed}."),
            }
        }
        Rule::UnknownUnit => {
            let closest = f.notes.iter().find_map(|n| match n {
                Note::Closest { name } => Some(name.as_str()),
                _ => None,
            });
            let u = &f.unit;
            match (lang, closest) {
                (Lang::Fi, Some(c)) => {
                    format!("Yksikköä \"{u}\" ei ole organisaatiotiedostossa; lähin nimi on \"{c}\".")
                }
                (Lang::Fi, None) => format!("Yksikköä \"{u}\" ei ole organisaatiotiedostossa."),
                (Lang::Sv, Some(c)) => {
                    format!("Enheten \"{u}\" finns inte i organisationsfilen; närmaste namn är \"{c}\".")
                }
                (Lang::Sv, None) => format!("Enheten \"{u}\" finns inte i organisationsfilen."),
                (Lang::En, Some(c)) => format!("The unit \"{u}\" is not in the org file; the closest name is \"{c}\"."),
                (Lang::En, None) => format!("The unit \"{u}\" is not in the org file."),
            }
        }
        Rule::BindingOverrun | Rule::BindingWithin | Rule::BindingWithinRight => binding_message(f, lang),
        Rule::ForecastOverrun => {
            let li = f.line_item.map(|l| mid_sentence(&l.label(lang.code()))).unwrap_or_default();
            let (period, method) = f
                .notes
                .iter()
                .find_map(|n| match n {
                    Note::Forecast { period, method } => Some((period.as_str(), method.as_str())),
                    _ => None,
                })
                .unwrap_or_default();
            let method =
                crate::engine::interim::Method::from_id(method).unwrap_or(crate::engine::interim::Method::RunRate);
            let (budget, forecast) = (f.expected.map(&m).unwrap_or_default(), f.actual.map(&m).unwrap_or_default());
            let over = f.difference.map(|d| money(d.abs(), lang)).unwrap_or_default();
            match lang {
                Lang::Fi => format!(
                    "Sitova määräraha ({li}): {period} ennuste {forecast} ylittää määrärahan {budget} {over} \
                     (ennuste: {})."
                , method.label("fi")),
                Lang::Sv => format!(
                    "Bindande anslag ({li}): prognosen {forecast} överskrider anslaget {budget} med {over} (prognos: {})."
                , method.label("sv")),
                Lang::En => format!(
                    "Binding appropriation ({li}): the forecast {forecast} overruns the appropriation {budget} by {over} \
                     (forecast: {})."
                , method.label("en")),
            }
        }
        Rule::ExplanationMissing if f.notes.iter().any(|n| matches!(n, Note::Binding { .. })) => {
            let line = about(f.line_item, None, f.year, lang);
            let v = f.actual.map(|d| signed_money(d, lang)).unwrap_or_default();
            match lang {
                Lang::Fi => format!(
                    "{line}: sitovan määrärahan ylitys {v} on perusteltava valtuustolle, mutta perustelu puuttuu."
                ),
                Lang::Sv => format!(
                    "{line}: överskridningen {v} av ett bindande anslag ska motiveras för fullmäktige, men motivering saknas."
                ),
                Lang::En => format!(
                    "{line}: the overrun {v} of a binding appropriation must be explained to the council, but there is no \
                     explanation."
                ),
            }
        }
        Rule::ExplanationMissing => {
            let line = about(f.line_item, None, f.year, lang);
            let v = f.actual.map(|d| signed_money(d, lang)).unwrap_or_default();
            let (pct, limit) = f
                .notes
                .iter()
                .find_map(|n| match n {
                    Note::Significant { euros, percent, pct } => Some((
                        pct.map(|p| format!(" ({})", super::fmt::percent(p, lang))).unwrap_or_default(),
                        format!("{} / {}", money(*euros, lang), super::fmt::percent(*percent, lang)),
                    )),
                    _ => None,
                })
                .unwrap_or_default();
            match lang {
                Lang::Fi => {
                    format!("{line}: poikkeama {v}{pct} ylittää perustelurajan ({limit}), mutta perustelu puuttuu.")
                }
                Lang::Sv => format!(
                    "{line}: avvikelsen {v}{pct} överskrider gränsen för motivering ({limit}), men motivering saknas."
                ),
                Lang::En => format!(
                    "{line}: the variance {v}{pct} passes the limit for an explanation ({limit}), but there is none."
                ),
            }
        }
        Rule::Input => f
            .notes
            .iter()
            .find_map(|n| match n {
                Note::Input { said } => Some(said_text(said, lang)),
                _ => None,
            })
            .unwrap_or_default(),
    };
    if !place.is_empty() {
        match out.strip_suffix('.') {
            Some(head) => out = format!("{head}{place}."),
            None => out.push_str(place),
        }
    }
    for n in &f.notes {
        out.push_str(&note_text(n, f, lang));
    }
    if let Some(c) = f.explained_by.as_ref().filter(|c| c.rule == Rule::UnknownUnit) {
        let u = &c.unit;
        out.push_str(&match lang {
            Lang::Fi => {
                format!(" Selittyy yksiköllä \"{u}\", jota ei ole organisaatiotiedostossa: sen luku on erotus.")
            }
            Lang::Sv => format!(
                " Förklaras av enheten \"{u}\", som inte finns i organisationsfilen: dess siffra är skillnaden."
            ),
            Lang::En => {
                format!(" Explained by the unit \"{u}\", which is not in the org file: its figure is the difference.")
            }
        });
    } else if let Some(c) = &f.explained_by {
        let lead = match lang {
            Lang::Fi => "Johtuu virheestä",
            Lang::Sv => "Följer av felet",
            Lang::En => "Follows from the error",
        };
        out.push_str(&format!(" {lead}: {}.", cause_text(c, lang)));
    }
    out
}

fn binding_message(f: &Finding, lang: Lang) -> String {
    let Some((variance, pct, right)) = f.notes.iter().find_map(|n| match n {
        Note::Binding { variance, pct, right } => Some((*variance, *pct, *right)),
        _ => None,
    }) else {
        return rule_name(f.rule, lang).to_string();
    };
    let li = f.line_item.map(|l| mid_sentence(&l.label(lang.code()))).unwrap_or_default();
    let year = f.year.map(|y| y.to_string()).unwrap_or_default();
    let pct = pct.map(|p| format!(" ({})", percent(p.abs(), lang))).unwrap_or_default();
    let amount = money(variance.abs(), lang);
    let right = right.map(|r| money(r, lang)).unwrap_or_default();
    let (tp, tam) =
        (f.actual.map(|d| money(d, lang)).unwrap_or_default(), f.expected.map(|d| money(d, lang)).unwrap_or_default());
    let tail = match lang {
        Lang::Fi => format!(" TP {tp}, TA muutosten jälkeen {tam}."),
        Lang::Sv => format!(" Bokslut {tp}, budget efter ändringar {tam}."),
        Lang::En => format!(" Actual {tp}, budget after changes {tam}."),
    };
    let head = match (lang, f.rule) {
        (Lang::Fi, Rule::BindingWithinRight) => format!("Sitova määräraha ({li}) {year}: ylitys {amount}{pct} mahtui valtuuston myöntämään ylitysoikeuteen {right}."),
        (Lang::Fi, Rule::BindingOverrun) => format!("Sitova määräraha ({li}) {year}: ylitys {amount}{pct}."),
        (Lang::Fi, _) => format!("Sitova määräraha ({li}) {year} piti: {amount} parempi kuin talousarvio{pct}."),
        (Lang::Sv, Rule::BindingWithinRight) => format!("Bindande anslag ({li}) {year}: överskridning {amount}{pct}, inom den överskridningsrätt fullmäktige beviljat ({right})."),
        (Lang::Sv, Rule::BindingOverrun) => format!("Bindande anslag ({li}) {year}: överskridning {amount}{pct}."),
        (Lang::Sv, _) => format!("Bindande anslag ({li}) {year} hölls: {amount} bättre än budgeten{pct}."),
        (Lang::En, Rule::BindingWithinRight) => format!("Binding appropriation ({li}) {year}: overrun {amount}{pct}, within the overrun right the council granted ({right})."),
        (Lang::En, Rule::BindingOverrun) => format!("Binding appropriation ({li}) {year}: overrun {amount}{pct}."),
        (Lang::En, _) => format!("Binding appropriation ({li}) {year} kept: {amount} better than budget{pct}."),
    };
    format!("{head}{tail}")
}

fn note_text(n: &Note, f: &Finding, lang: Lang) -> String {
    match n {
        Note::Unread { rows, completes } => {
            let listed = rows_text(rows);
            let one = rows.len() == 1;
            match (lang, completes) {
                (Lang::Fi, true) => format!(" Summaa ei voitu tarkistaa: taulukossa on rivejä, joita ei luettu: {listed}; {} summan: lisää rivin nimi rivinimikkeistöön (--scheme), niin se luetaan.", if one { "rivi täydentää" } else { "rivit yhdessä täydentävät" }),
                (Lang::Fi, false) => format!(" Summaa ei voitu tarkistaa: taulukossa on rivejä, joita ei luettu: {listed}; {} summaa yksinään.", if one { "rivi ei täydennä" } else { "rivit yhdessä eivät täydennä" }),
                (Lang::Sv, true) => format!(" Summan kunde inte kontrolleras: tabellen har rader som inte lästes: {listed}; {} summan: lägg till radens namn i radschemat (--scheme) så läses den.", if one { "raden kompletterar" } else { "raderna kompletterar tillsammans" }),
                (Lang::Sv, false) => format!(" Summan kunde inte kontrolleras: tabellen har rader som inte lästes: {listed}; {} inte summan ensam.", if one { "raden kompletterar" } else { "raderna kompletterar" }),
                (Lang::En, true) => format!(" The sum could not be checked: the table has rows that were not read: {listed}; {} the sum: add the label to the scheme (--scheme) and it will be read.", if one { "the row completes" } else { "together the rows complete" }),
                (Lang::En, false) => format!(" The sum could not be checked: the table has rows that were not read: {listed}; {} not complete the sum alone.", if one { "the row does" } else { "the rows do" }),
            }
        }
        Note::UnreadBelow { unit, rows } => match lang {
            Lang::Fi => {
                format!(" Ei varmistettu: yksikön {unit} taulukossa on rivejä, joita ei luettu: {}.", rows_text(rows))
            }
            Lang::Sv => format!(" Inte bekräftat: tabellen för {unit} har rader som inte lästes: {}.", rows_text(rows)),
            Lang::En => {
                format!(" Not confirmed: the table of {unit} has rows that were not read: {}.", rows_text(rows))
            }
        },
        Note::SilentBelow { units } => {
            let listed = units.join(", ");
            match lang {
                Lang::Fi => format!(
                    " Ei varmistettu: aineistossa ei ole yhtään näiden alayksiköiden lukua tältä vuodelta: {listed}."
                ),
                Lang::Sv => {
                    format!(" Inte bekräftat: materialet har inga tal för dessa underenheter för detta år: {listed}.")
                }
                Lang::En => {
                    format!(" Not confirmed: the inputs give no figure of these sub-units for this year: {listed}.")
                }
            }
        }
        Note::SubRowsOnly { parts, more } => {
            let li = f.line_item.map(|l| mid_sentence(&l.label(lang.code()))).unwrap_or_default();
            let listed = parts_text(parts, *more, lang);
            match lang {
                Lang::Fi => format!(" Ei varmistettu: alayksikkö ei esitä riviä {li} vaan vain sen osia, joita sen oma taulukko ei vahvista: {listed}."),
                Lang::Sv => format!(" Inte bekräftat: en underenhet visar inte raden {li} utan bara dess delar, som dess egen tabell inte bekräftar: {listed}."),
                Lang::En => format!(" Not confirmed: a sub-unit does not print the line {li}, only parts of it that its own table does not confirm: {listed}."),
            }
        }
        Note::PercentOf { .. } | Note::OfMonths => String::new(),
        Note::OppositeSign => match lang {
            Lang::Fi => " Taulukko esittää poikkeaman käänteisellä etumerkillä (TA − ennuste); luvut täsmäävät.".into(),
            Lang::Sv => " Tabellen visar avvikelsen med omvänt tecken (budget − prognos); siffrorna stämmer.".into(),
            Lang::En => {
                " The table prints the variance the other way round (budget − forecast); the figures agree.".into()
            }
        },
        Note::Given { .. }
        | Note::Closest { .. }
        | Note::Forecast { .. }
        | Note::Binding { .. }
        | Note::Input { .. }
        | Note::Significant { .. } => String::new(),
    }
}

/// What reading the input warned of, in a reader's language.
pub fn said_text(said: &Said, lang: Lang) -> String {
    match (lang, said) {
        (Lang::Fi, Said::UnknownLabel { label }) => format!("tuntematon rivin nimi \"{label}\": riviä ei luettu"),
        (Lang::Sv, Said::UnknownLabel { label }) => format!("okänt radnamn \"{label}\": raden lästes inte"),
        (Lang::En, Said::UnknownLabel { label }) => format!("unknown row label \"{label}\": row not read"),
        (Lang::Fi, Said::LabelTypo { label, known, .. }) => {
            format!("rivin nimi \"{label}\" luettiin nimellä \"{known}\"")
        }
        (Lang::Sv, Said::LabelTypo { label, known, .. }) => format!("radnamnet \"{label}\" lästes som \"{known}\""),
        (Lang::En, Said::LabelTypo { label, known, .. }) => format!("row label \"{label}\" read as \"{known}\""),
        (Lang::Fi, Said::NoLabel) => "lukuja ilman rivin nimeä: riviä ei luettu".into(),
        (Lang::Sv, Said::NoLabel) => "siffror utan radnamn: raden lästes inte".into(),
        (Lang::En, Said::NoLabel) => "figures without a row label: row not read".into(),
        (Lang::Fi, Said::UnlabelledTotal { label, .. }) => {
            format!("nimetön rivi luettiin riviksi \"{label}\": sen yläpuolen rivit summautuvat siihen")
        }
        (Lang::Sv, Said::UnlabelledTotal { label, .. }) => {
            format!("en rad utan namn lästes som \"{label}\": raderna ovanför summerar till den")
        }
        (Lang::En, Said::UnlabelledTotal { label, .. }) => {
            format!("a row without a label read as \"{label}\": the rows above it add up to it")
        }
        (Lang::Fi, Said::ExternalApart { unit }) => format!(
            "taulukko esittää yksikön {unit} ulkoiset erät, toinen taulukko ulkoiset ja sisäiset: luettu yksikkönä \"{unit} (ulkoinen)\""
        ),
        (Lang::Sv, Said::ExternalApart { unit }) => format!(
            "tabellen visar {unit}s externa poster, en annan externa och interna: läst som \"{unit} (ulkoinen)\""
        ),
        (Lang::En, Said::ExternalApart { .. }) => said.to_string(),
        (Lang::Fi, Said::PartOfYear { column }) => {
            format!("sarake \"{column}\" on osalta vuotta: kertymä ei ole vuoden toteuma, joten saraketta ei luettu")
        }
        (Lang::Sv, Said::PartOfYear { column }) => {
            format!("kolumnen \"{column}\" gäller en del av året: utfallet hittills är inte årets utfall, kolumnen lästes inte")
        }
        (Lang::En, Said::PartOfYear { .. }) => said.to_string(),
        (Lang::Fi, Said::GroupRows { count, first, checked }) => format!(
            "{count} riviä on muiden rivien summia (ryhmä- ja yhteensärivejä; ensimmäinen {first}): niitä ei summattu \
             tileinä; {checked} niiden luvuista tarkistettiin riveistä, joiden summia ne ovat"
        ),
        (Lang::Sv, Said::GroupRows { count, first, checked }) => format!(
            "{count} rader är summor av andra rader (grupp- och summarader; den första {first}): de summerades inte \
             som konton; {checked} av deras belopp kontrollerades mot raderna de summerar"
        ),
        (Lang::Fi, Said::GroupNotChecked { label, why }) => {
            let why = match why {
                GroupWhy::NoUnit { cost_center } => {
                    format!("sen kustannuspaikka {cost_center} ei kuulu minkään yksikön koodeihin")
                }
                GroupWhy::PartOfUnit { unit, missing } => format!(
                    "yksikön {unit} kustannuspaikoilla {} ei ole tällaista riviä, joten se on vain osan yksiköstä summa",
                    missing.join(", ")
                ),
            };
            format!("summariviä \"{label}\" ei tarkistettu: {why}")
        }
        (Lang::Sv, Said::GroupNotChecked { label, why }) => {
            let why = match why {
                GroupWhy::NoUnit { cost_center } => {
                    format!("dess kostnadsställe {cost_center} hör inte till någon enhets koder")
                }
                GroupWhy::PartOfUnit { unit, missing } => format!(
                    "kostnadsställena {} i enheten {unit} har ingen sådan rad, så den summerar bara en del av enheten",
                    missing.join(", ")
                ),
            };
            format!("summaraden \"{label}\" kontrollerades inte: {why}")
        }
        (Lang::En, Said::GroupRows { .. } | Said::GroupNotChecked { .. }) => said.to_string(),
        (Lang::Fi, Said::ColumnYear { column, year }) => {
            format!("sarakkeen \"{column}\" otsikossa ei ole vuotta: luettu vuodelle {year}, jonka kaikki muut rahasarakkeet nimeävät")
        }
        (Lang::Sv, Said::ColumnYear { column, year }) => {
            format!("kolumnen \"{column}\" anger inget år: läst för {year}, året alla andra beloppskolumner anger")
        }
        (Lang::En, Said::ColumnYear { .. } | Said::LedgerYear { .. } | Said::ActualsToDate { .. }) => said.to_string(),
        (Lang::Fi, Said::ActualsToDate { year, months, by_option, after_rows, after_sum, undated }) => {
            let period = crate::model::Period { year: *year, months: *months, from: String::new() }.label("fi");
            let mut s = format!(
                "toteuma kattaa vain ajan {period} ({}): luettu toteumaksi ajalta, ei vuoden toteumaksi (osavuosiraportti)",
                if *by_option { "--period" } else { "viimeinen kuukausi, jolle toteumaa on kirjattu" }
            );
            if *after_rows > 0 {
                s.push_str(&format!("; kauden jälkeen päivättyjä toteumarivejä ei luettu: {after_rows} riviä, summa {after_sum}"));
            }
            if *undated > 0 {
                s.push_str(&format!("; {undated} toteumariviltä puuttuu kuukausi, eikä niitä voitu rajata kauteen: tarkista ne"));
            }
            s
        }
        (Lang::Sv, Said::ActualsToDate { year, months, by_option, after_rows, after_sum, undated }) => {
            let period = crate::model::Period { year: *year, months: *months, from: String::new() }.label("sv");
            let mut s = format!(
                "utfallet täcker bara {period} ({}): läst som utfall hittills, inte årets utfall (delårsrapport)",
                if *by_option { "--period" } else { "den sista månaden med bokfört utfall" }
            );
            if *after_rows > 0 {
                s.push_str(&format!("; utfallsrader daterade efter perioden lästes inte: {after_rows} rader, summa {after_sum}"));
            }
            if *undated > 0 {
                s.push_str(&format!("; {undated} utfallsrader saknar månad och kunde inte avgränsas till perioden: kontrollera dem"));
            }
            s
        }
        (Lang::Fi, Said::LedgerYear { columns, year, by_option, title }) => format!(
            "vuosisaraketta ei ole, eikä sarakkeiden {} otsikoissa ole vuotta: luettu vuodelle {year}, {}",
            columns.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", "),
            match (title, by_option) {
                (Some(t), _) => format!("joka on otsikkorivin yläpuolella olevassa otsikossa (\"{t}\")"),
                (None, true) => "joka annettiin valitsimella --year".to_string(),
                (None, false) => "joka on tiedoston nimessä".to_string(),
            }
        ),
        (Lang::Sv, Said::LedgerYear { columns, year, by_option, title }) => format!(
            "ingen årskolumn, och kolumnerna {} anger inget år: läst för {year}, {}",
            columns.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", "),
            match (title, by_option) {
                (Some(t), _) => format!("året i rubriken ovanför rubrikraden (\"{t}\")"),
                (None, true) => "året som angavs med --year".to_string(),
                (None, false) => "året i filens namn".to_string(),
            }
        ),
        (Lang::Fi, Said::NetAmounts { net, others }) => format!(
            "kirjauksia kirjauspäivineen: sarake \"{net}\" (ilman arvonlisäveroa) luettiin toteumaksi{}",
            if others.is_empty() { String::new() } else { format!("; ei luettu: {}", others.join(", ")) }
        ),
        (Lang::Sv, Said::NetAmounts { net, others }) => format!(
            "bokningar med bokföringsdag: kolumnen \"{net}\" (utan moms) lästes som utfall{}",
            if others.is_empty() { String::new() } else { format!("; lästes inte: {}", others.join(", ")) }
        ),
        (Lang::En, Said::NetAmounts { .. }) => said.to_string(),
        (Lang::Fi, Said::ColumnUnit { column, factor, title }) => format!(
            "sarake \"{column}\" on {} euroina ({}): sen summat luettiin × {}",
            if *factor == rust_decimal::Decimal::from(1_000_000) { "miljoonina" } else { "tuhansina" },
            match title {
                Some(t) => format!("otsikkorivin yläpuolella oleva otsikko sanoo niin: \"{t}\""),
                None => "sen otsikko sanoo niin".to_string(),
            },
            number(*factor, lang)
        ),
        (Lang::Sv, Said::ColumnUnit { column, factor, title }) => format!(
            "kolumnen \"{column}\" är i {} euro ({}): dess belopp lästes × {}",
            if *factor == rust_decimal::Decimal::from(1_000_000) { "miljoner" } else { "tusentals" },
            match title {
                Some(t) => format!("rubriken ovanför rubrikraden säger det: \"{t}\""),
                None => "dess rubrik säger det".to_string(),
            },
            number(*factor, lang)
        ),
        (Lang::En, Said::ColumnUnit { .. }) => said.to_string(),
        (Lang::Fi, Said::ScenarioColumnIgnored { column, read }) => format!(
            "sarake \"{column}\" nimeää kunkin rivin skenaarion, mutta summat luetaan sarakkeista {} niiden otsikoiden \
             tai asetusten mukaan, sanoipa se mitä tahansa; jos yksi summasarake kattaa kaikki skenaariot, aseta \
             amount = ja scenario =",
            read.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ")
        ),
        (Lang::Sv, Said::ScenarioColumnIgnored { column, read }) => format!(
            "kolumnen \"{column}\" anger varje rads scenario, men beloppen läses från {} enligt deras rubriker eller \
             inställningarna, vad den än säger; om en beloppskolumn gäller alla scenarier, ange amount = och scenario =",
            read.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ")
        ),
        (Lang::En, Said::ScenarioColumnIgnored { .. }) => said.to_string(),
        (Lang::Fi, Said::ThousandsMark { mark, example, count }) => format!(
            "{count} summaa, joissa on yksi '{mark}' ennen kolmea numeroa (kuten 250{mark}000), luettiin sen ollessa \
             tuhaterotin, kuten tiedoston oma {example} osoittaa"
        ),
        (Lang::Sv, Said::ThousandsMark { mark, example, count }) => format!(
            "{count} belopp med ett '{mark}' före tre siffror (som 250{mark}000) lästes med det som tusentalsavgränsare, \
             som filens egna {example} visar"
        ),
        (Lang::En, Said::ThousandsMark { .. }) => said.to_string(),
        (Lang::Fi, Said::CostCenterHeadings { rows }) => format!(
            "kustannuspaikat on tulostettu kerran, rivien yläpuolelle: {rows} riviä, joiden kustannuspaikka on tyhjä, \
             sai yläpuolellaan olevan (ensimmäinen tässä)"
        ),
        (Lang::Sv, Said::CostCenterHeadings { rows }) => format!(
            "kostnadsställena skrivs ut en gång, ovanför sina rader: {rows} rader med tomt kostnadsställe fick det \
             ovanför (den första här)"
        ),
        (Lang::En, Said::CostCenterHeadings { .. }) => said.to_string(),
        (Lang::Fi, Said::MonthsNotRead { columns, total }) => format!(
            "{} kuukausisaraketta ({}) eivät nimeä skenaariota, eikä niitä luettu{}: nimeä se niiden otsikoissa \
             (\"Toteuma {}\", \"Talousarvio {}\") tai niiden vieressä summasarakkeessa",
            columns.len(),
            crate::model::month_span(columns),
            total.map(|t| format!("; niiden summat ovat yhteensä {}", money(t, lang))).unwrap_or_default(),
            columns[0],
            columns[0]
        ),
        (Lang::Sv, Said::MonthsNotRead { columns, total }) => format!(
            "{} månadskolumner ({}) nämner inget scenario och lästes inte{}: nämn det i deras rubriker (\"Utfall {}\", \
             \"Budget {}\") eller bredvid dem i en summakolumn",
            columns.len(),
            crate::model::month_span(columns),
            total.map(|t| format!("; deras belopp är sammanlagt {}", money(t, lang))).unwrap_or_default(),
            columns[0],
            columns[0]
        ),
        (Lang::En, Said::MonthsNotRead { .. }) => said.to_string(),
        (Lang::Fi, Said::ColumnNotRead { column, total }) => format!(
            "saraketta \"{column}\" ei luettu (se ei anna minkään skenaarion lukua){}",
            total.map(|t| format!("; sen summat ovat yhteensä {}", money(t, lang))).unwrap_or_default()
        ),
        (Lang::Sv, Said::ColumnNotRead { column, total }) => format!(
            "kolumnen \"{column}\" lästes inte (den ger inget scenarios siffror){}",
            total.map(|t| format!("; dess belopp är sammanlagt {}", money(t, lang))).unwrap_or_default()
        ),
        (Lang::En, Said::ColumnNotRead { .. }) => said.to_string(),
        (Lang::Fi, Said::CodeGroupInPart { code, not_in, first }) => format!(
            "tili {code} on ryhmärivi siellä, missä sen rivit ovat sen alaisten tilien summa, mutta ei {not_in} \
             kustannuspaikalla (ensimmäinen {first}): siellä se luettiin omana tilinään; tarkista rivit"
        ),
        (Lang::Sv, Said::CodeGroupInPart { code, not_in, first }) => format!(
            "kontot {code} är en grupprad där dess rader är summan av kontona under det, men inte på {not_in} \
             kostnadsställen (det första {first}): där lästes det som ett eget konto; kontrollera raderna"
        ),
        (Lang::En, Said::CodeGroupInPart { .. }) => said.to_string(),
        (Lang::Fi, Said::CodeGroups { codes, rows }) => format!(
            "tilit {} ovat aineiston muiden tilien ryhmiä, ja niiden {rows} riviä ovat niiden summia: ryhmärivejä, ei \
             summattu",
            codes.join(", ")
        ),
        (Lang::Sv, Said::CodeGroups { codes, rows }) => format!(
            "kontona {} är grupper av filens andra konton, och deras {rows} rader är deras summor: grupprader, \
             summerades inte",
            codes.join(", ")
        ),
        (Lang::Fi, Said::CodeNotGroup { code, named: Some(total) }) => {
            let total = Item::from_id(total).map_or(total.as_str(), |i| i.label_fi());
            format!(
            "tilin {code} nimi on summarivin nimi ({total}), mutta sen rivit eivät ole sen alle kuuluvien tilien eivätkä \
             sen koodin alle kuuluvien tilien summa: luettu omana tilinään; tarkista, onko se ryhmärivi"
            )
        }
        (Lang::Sv, Said::CodeNotGroup { code, named: Some(total) }) => {
            let total = Item::from_id(total).map_or(total.as_str(), |i| i.label_sv());
            format!(
            "kontot {code} har en summaradens namn ({total}), men dess rader är inte summan av kontona under den \
             eller under dess kod: läst som ett eget konto; kontrollera om det är en grupprad"
            )
        }
        (Lang::Fi, Said::CodeNotGroup { code, .. }) => format!(
            "tili {code} on aineiston muiden tilien ryhmä, mutta sen rivit eivät ole niiden summa: luettu omana \
             tilinään; tarkista, onko se ryhmärivi"
        ),
        (Lang::Sv, Said::CodeNotGroup { code, .. }) => format!(
            "kontot {code} är en grupp av filens andra konton, men dess rader är inte deras summa: läst som ett eget \
             konto; kontrollera om det är en grupprad"
        ),
        (Lang::En, Said::CodeGroups { .. } | Said::CodeNotGroup { .. }) => said.to_string(),
        (Lang::Fi, Said::EmptyLedger) => "kirjanpidon aineistossa on otsikkorivi mutta ei rivejä: siitä ei saatu lukuja".into(),
        (Lang::Sv, Said::EmptyLedger) => "bokföringsfilen har en rubrikrad men inga rader: den gav inga siffror".into(),
        (Lang::En, Said::EmptyLedger) => said.to_string(),
        (Lang::Fi, Said::UnheadedColumn) => "lukusarake ilman otsikkoa: ei luettu".into(),
        (Lang::Sv, Said::UnheadedColumn) => "en kolumn med siffror utan rubrik: lästes inte".into(),
        (Lang::Fi, Said::UnheadedActuals { rows, example }) => format!(
            "otsikoton sarake luettiin toteumaksi: poikkeama on sen ja talousarvion erotus kaikilla {rows} rivillä, \
             joilla sarakkeessa on luku ({example})"
        ),
        (Lang::Sv, Said::UnheadedActuals { rows, example }) => format!(
            "en kolumn utan rubrik lästes som utfall: avvikelsen är den minus budgeten på alla {rows} rader med \
             siffror i den ({example})"
        ),
        (Lang::En, Said::UnheadedColumn | Said::UnheadedActuals { .. }) => said.to_string(),
        (Lang::Fi, Said::RowNotRead { label, reason }) => {
            format!("riviä \"{label}\" ei luettu: {}", super::tables_words::not_read(reason, lang))
        }
        (Lang::Sv, Said::RowNotRead { label, reason }) => {
            format!("raden \"{label}\" lästes inte: {}", super::tables_words::not_read(reason, lang))
        }
        (Lang::En, Said::RowNotRead { label, reason }) => format!("row \"{label}\" not read: {reason}"),
        (Lang::Fi, Said::CostsTurned { columns, variance_turned, net_cost }) => format!(
            "taulukko esittää kulut positiivisina (toimintakate = {} {columns} sarakkeessa): kulut{} käännetty \
             raporttien etumerkkeihin{}",
            if *net_cost { "menot − tulot eli nettokulu" } else { "tulot − menot" },
            if *net_cost { " ja toimintakate" } else { "" },
            if *variance_turned { ", samoin niiden poikkeamat" } else { "" }
        ),
        (Lang::Sv, Said::CostsTurned { columns, variance_turned, net_cost }) => format!(
            "tabellen visar kostnaderna positiva (verksamhetsbidrag = {} i {columns} kolumner): kostnaderna{} vända \
             till rapporternas tecken{}",
            if *net_cost { "kostnader − intäkter, en nettokostnad" } else { "intäkter − kostnader" },
            if *net_cost { " och verksamhetsbidraget" } else { "" },
            if *variance_turned { ", likaså deras avvikelser" } else { "" }
        ),
        (Lang::En, Said::CostsTurned { .. }) => said.to_string(),
        (Lang::Fi, Said::NoUnit { titles }) => format!(
            "taulukon yläpuolella ei ole organisaatiotiedoston yksikön nimeä ({}): sen lukuja ei luettu",
            titles.join("; ")
        ),
        (Lang::Sv, Said::NoUnit { titles }) => format!(
            "ovanför tabellen står ingen enhet ur organisationsfilen ({}): dess siffror lästes inte",
            titles.join("; ")
        ),
        (Lang::En, Said::NoUnit { .. }) => said.to_string(),
        (Lang::Fi, Said::NoYear { column }) => {
            format!("sarakkeella \"{column}\" ei ole vuotta eikä taulukon ympäristö kerro sitä: saraketta ei luettu (anna vuosi: --year tai year = poikkeama.toml:ssa)")
        }
        (Lang::Sv, Said::NoYear { column }) => {
            format!("kolumnen \"{column}\" har inget år och inget kring tabellen anger det: kolumnen lästes inte (ange året: --year eller year = i poikkeama.toml)")
        }
        (Lang::En, Said::NoYear { .. }) => said.to_string(),
        (_, Said::FormulasWithoutResults { count, shown }) => {
            let cells = shown.join(", ");
            let more = count.saturating_sub(shown.len());
            match lang {
                Lang::Fi => format!("{count} lukusolussa on kaava ilman tallennettua tulosta ({cells}{}): ei luettu; avaa tiedosto Excelissä tai LibreOfficessa ja tallenna se", if more > 0 { format!(" ja {more} muuta") } else { String::new() }),
                Lang::Sv => format!("{count} sifferceller har en formel utan sparat resultat ({cells}{}): lästes inte; öppna filen i Excel eller LibreOffice och spara den", if more > 0 { format!(" och {more} till") } else { String::new() }),
                Lang::En => format!("{count} figure cells hold a formula with no stored result ({cells}{}): not read; open the file in Excel or LibreOffice and save it", if more > 0 { format!(" and {more} more") } else { String::new() }),
            }
        }
        (Lang::Fi, Said::UnitFromTitle { title, unit }) => {
            format!("yksikkö luettiin otsikosta \"{title}\": \"{unit}\"")
        }
        (Lang::Sv, Said::UnitFromTitle { title, unit }) => {
            format!("enheten lästes ur rubriken \"{title}\": \"{unit}\"")
        }
        (Lang::En, Said::UnitFromTitle { title, unit }) => {
            format!("unit read from the title \"{title}\" as \"{unit}\"")
        }
        (Lang::Fi, Said::UnitNearMatch { name, unit }) => {
            format!("yksikön nimi \"{name}\" luettiin nimellä \"{unit}\" (lähin nimi organisaatiotiedostossa)")
        }
        (Lang::Sv, Said::UnitNearMatch { name, unit }) => {
            format!("enhetsnamnet \"{name}\" lästes som \"{unit}\" (närmaste namn i organisationsfilen)")
        }
        (Lang::En, Said::UnitNearMatch { name, unit }) => {
            format!("unit name \"{name}\" read as \"{unit}\" (closest name in the org file)")
        }
        (_, Said::UnmappedCostCenter { code, scenario, year, amount, rows }) => {
            let (col, m) = (mid_sentence(scenario.label(lang.code())), money_cents(*amount, lang));
            match lang {
                Lang::Fi => format!(
                    "kustannuspaikka {code} ei kuulu minkään yksikön koodeihin: {col} {year} {m} ({}) jäi lukematta",
                    rows_in(*rows, lang)
                ),
                Lang::Sv => format!(
                    "kostnadsstället {code} hör inte till någon enhets koder: {col} {year} {m} ({}) lästes inte",
                    rows_in(*rows, lang)
                ),
                Lang::En => format!(
                    "cost center {code} is in no unit's codes: {col} {year} {m} ({}) not read",
                    rows_in(*rows, lang)
                ),
            }
        }
        (_, Said::UnmappedMore { accounts, count, among_first, scenario, year, amount, rows }) => {
            let (col, m) = (mid_sentence(scenario.label(lang.code())), money_cents(*amount, lang));
            match (lang, accounts) {
                (Lang::Fi, false) => format!(
                    "{count} muuta kustannuspaikkaa ei kuulu minkään yksikön koodeihin (suurimmat{} yllä): {col} {year} {m} ({}) jäi lukematta",
                    among_first.map(|n| format!(" ensimmäisistä {n}:sta")).unwrap_or_default(),
                    rows_in(*rows, lang)
                ),
                (Lang::Fi, true) => format!(
                    "{count} muuta tiliä ei kuulu tililuettelon toimintariveihin (suurimmat yllä): {col} {year} {m} ({}) jäi lukematta",
                    rows_in(*rows, lang)
                ),
                (Lang::Sv, false) => format!(
                    "{count} kostnadsställen till hör inte till någon enhets koder (de största{} ovan): {col} {year} {m} ({}) lästes inte",
                    among_first.map(|n| format!(" av de första {n}")).unwrap_or_default(),
                    rows_in(*rows, lang)
                ),
                (Lang::Sv, true) => format!(
                    "{count} konton till hör inte till kontoplanens verksamhetsrader (de största ovan): {col} {year} {m} ({}) lästes inte",
                    rows_in(*rows, lang)
                ),
                (Lang::En, _) => said.to_string(),
            }
        }
        (_, Said::UnmappedAccount { account, scenario, year, amount, rows }) => {
            let (col, m) = (mid_sentence(scenario.label(lang.code())), money_cents(*amount, lang));
            match lang {
                Lang::Fi => format!(
                    "tili {account} ei kuulu tililuettelon toimintariveihin: {col} {year} {m} ({}) jäi lukematta",
                    rows_in(*rows, lang)
                ),
                Lang::Sv => format!(
                    "kontot {account} hör inte till kontoplanens verksamhetsrader: {col} {year} {m} ({}) lästes inte",
                    rows_in(*rows, lang)
                ),
                Lang::En => format!(
                    "account {account} maps to no operating line: {col} {year} {m} ({}) not read",
                    rows_in(*rows, lang)
                ),
            }
        }
        (_, Said::SignsTurned { costs, revenues, configured }) => {
            let (c, r) = (money_cents(*costs, lang), money_cents(*revenues, lang));
            match (lang, configured) {
                (Lang::Fi, false) => format!("etumerkit käännettiin raporttien mukaisiksi (tuotot positiivisina, kulut negatiivisina): kulut oli kirjattu positiivisina ({c}), tuotot {r}"),
                (Lang::Fi, true) => format!("etumerkit käännettiin raporttien mukaisiksi (tuotot positiivisina, kulut negatiivisina), kuten [ledger] signs = \"ledger\" sanoo: kulut kirjattuina {c}, tuotot {r}"),
                (Lang::Sv, false) => format!("tecknen vändes till rapporternas (intäkter positiva, kostnader negativa): kostnaderna var bokförda som positiva ({c}), intäkterna {r}"),
                (Lang::Sv, true) => format!("tecknen vändes till rapporternas (intäkter positiva, kostnader negativa) enligt [ledger] signs = \"ledger\": kostnader som bokförda {c}, intäkter {r}"),
                (Lang::En, false) => format!("signs turned to the reports' (revenues positive, costs negative): costs were booked positive ({c}), revenues {r}"),
                (Lang::En, true) => format!("signs turned to the reports' (revenues positive, costs negative) as [ledger] signs = \"ledger\" says: costs as booked {c}, revenues {r}"),
            }
        }
        (_, Said::Reconciliation { scenario, year, total, mapped, unmapped }) => {
            let col = mid_sentence(scenario.label(lang.code()));
            // To the cent: the reconciliation's point.
            let (t, a, u) = (money_cents(*total, lang), money_cents(*mapped, lang), money_cents(*unmapped, lang));
            match lang {
                Lang::Fi => {
                    format!("täsmäytys, {col} {year}: kaikki rivit {t} = kohdistetut {a} + kohdistamattomat {u}")
                }
                Lang::Sv => format!("avstämning, {col} {year}: alla rader {t} = fördelade {a} + ofördelade {u}"),
                Lang::En => format!("reconciliation, {col} {year}: all rows {t} = mapped {a} + unmapped {u}"),
            }
        }
    }
}

/// `1 rivi` / `2 riviä`, `1 rad` / `2 rader`, `1 row` / `2 rows`.
pub fn rows_in(n: u64, lang: Lang) -> String {
    match (lang, n) {
        (Lang::Fi, 1) => "1 rivi".into(),
        (Lang::Fi, n) => format!("{n} riviä"),
        (Lang::Sv, 1) => "1 rad".into(),
        (Lang::Sv, n) => format!("{n} rader"),
        (Lang::En, n) => crate::model::rows_en(n),
    }
}

/// A source's row count in the report's language: `paakirja.csv (2 rows)` → `paakirja.csv (2 riviä)`
/// (sources are kept in English in findings.json, where programs read them).
pub fn source_in(source: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return source.to_string();
    }
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(open) = rest.find('(') {
        out.push_str(&rest[..open]);
        let inner = &rest[open + 1..];
        let counted = inner.find(')').and_then(|close| {
            let (n, word) = inner[..close].split_once(' ')?;
            let n: u64 = n.parse().ok()?;
            matches!(word, "row" | "rows").then(|| (n, close))
        });
        match counted {
            Some((n, close)) => {
                out.push('(');
                out.push_str(&rows_in(n, lang));
                out.push(')');
                rest = &inner[close + 1..];
            }
            None => {
                out.push('(');
                rest = inner;
            }
        }
    }
    out.push_str(rest);
    out
}

/// "11 virhettä lähdeluvuissa" and the like: the console's closing lines, in the first report language.
pub fn errors_in_figures(n: usize, lang: Lang) -> String {
    match (lang, n) {
        (Lang::Fi, 1) => "1 virhe lähdeluvuissa".into(),
        (Lang::Fi, n) => format!("{n} virhettä lähdeluvuissa"),
        (Lang::Sv, n) => format!("{n} fel i källsiffrorna"),
        (Lang::En, 1) => "1 error in the figures".into(),
        (Lang::En, n) => format!("{n} errors in the figures"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_counts_of_sources_in_each_language() {
        let s = "paakirja.csv (1 row), ta (2 rows) (iso.csv), t.xlsx:S!(C5+C6)";
        assert_eq!(source_in(s, Lang::Fi), "paakirja.csv (1 rivi), ta (2 riviä) (iso.csv), t.xlsx:S!(C5+C6)");
        assert_eq!(source_in(s, Lang::Sv), "paakirja.csv (1 rad), ta (2 rader) (iso.csv), t.xlsx:S!(C5+C6)");
        assert_eq!(source_in(s, Lang::En), s);
    }
    use crate::model::Item;
    use rust_decimal::Decimal;

    fn finding(rule: Rule, severity: Severity) -> Finding {
        Finding {
            severity,
            rule,
            unit: "K".into(),
            line_item: Some(LineItem::new(Item::TOIMINTAKATE)),
            scenario: Some(Scenario::TaMuutettu),
            year: Some(2022),
            expected: Some(Decimal::from(-820_300)),
            actual: Some(Decimal::from(-808_300)),
            difference: Some(Decimal::from(12_000)),
            sources: vec!["t.xlsx:S!C58".into()],
            notes: Vec::new(),
            explained_by: None,
        }
    }

    #[test]
    fn what_reading_warned_of_in_each_language() {
        let said = Said::UnknownLabel { label: "Verotulot".into() };
        assert_eq!(said_text(&said, Lang::Fi), "tuntematon rivin nimi \"Verotulot\": riviä ei luettu");
        assert_eq!(said_text(&said, Lang::Sv), "okänt radnamn \"Verotulot\": raden lästes inte");
        assert_eq!(said_text(&said, Lang::En), "unknown row label \"Verotulot\": row not read");
        let formulas = Said::FormulasWithoutResults { count: 10, shown: vec!["B2".into(), "C2".into()] };
        assert!(said_text(&formulas, Lang::Fi)
            .starts_with("10 lukusolussa on kaava ilman tallennettua tulosta (B2, C2 ja 8 muuta)"));
    }

    #[test]
    fn labels_inside_a_sentence_keep_their_abbreviations() {
        assert_eq!(mid_sentence("TA muutosten jälkeen"), "TA muutosten jälkeen");
        assert_eq!(mid_sentence("Toimintakate ulkoinen"), "toimintakate ulkoinen");
        assert_eq!(mid_sentence("Budget after changes"), "budget after changes");
        assert_eq!(mid_sentence("A"), "a");
    }

    #[test]
    fn messages_name_columns_in_words_never_ids() {
        let f = finding(Rule::Sum, Severity::Error);
        assert_eq!(
            message(&f, Lang::Fi),
            "Toimintakate ulkoinen, TA muutosten jälkeen 2022: ei ole rivien summa: taulukossa −808\u{a0}300\u{a0}€, \
             laskettuna −820\u{a0}300\u{a0}€, ero +12\u{a0}000\u{a0}€."
        );
        for lang in [Lang::Fi, Lang::Sv, Lang::En] {
            let m = message(&f, lang);
            assert!(!m.contains("ta_muutettu") && !m.contains("toimintakate "), "{m}");
        }
        assert!(message(&f, Lang::En).contains("budget after changes 2022: is not the sum of its rows"));
        assert!(message(&f, Lang::Sv).contains("budget efter ändringar 2022: är inte summan av raderna"));
    }
}
