//! What the reader says of each table (`model::TableReport`), worded in each language: places, evidence,
//! signs, columns, rows not read and tables passed over. English is the model's own `Display` (the words
//! `extract --explain` prints); Finnish and Swedish are worded here.

use super::fmt::Lang;
use crate::model::{
    ColumnNote, ColumnReading, Evidence, NotANumber, NotReadWhy, PassedOver, Place, Signs, SignsRead, TitleMatch,
    YearFrom,
};

/// A place in a file: `välilehti TA 2023, solu B7`, `sida 81, rad 7`.
pub fn place(p: &Place, lang: Lang) -> String {
    match (lang, p) {
        (Lang::En, _) => p.to_string(),
        (Lang::Fi, Place::Cell { sheet, cell }) => format!("välilehti {sheet}, solu {cell}"),
        (Lang::Sv, Place::Cell { sheet, cell }) => format!("blad {sheet}, cell {cell}"),
        (Lang::Fi, Place::Line { line }) => format!("rivi {line}"),
        (Lang::Sv, Place::Line { line }) => format!("rad {line}"),
        (Lang::Fi, Place::Page { page, line }) => format!("sivu {page}, rivi {line}"),
        (Lang::Sv, Place::Page { page, line }) => format!("sida {page}, rad {line}"),
        (Lang::Fi, Place::Rows { count: 1 }) => "1 rivi".into(),
        (Lang::Fi, Place::Rows { count }) => format!("{count} riviä"),
        (Lang::Sv, Place::Rows { count: 1 }) => "1 rad".into(),
        (Lang::Sv, Place::Rows { count }) => format!("{count} rader"),
        (_, Place::Sum { places, .. }) => places.iter().map(|p| place(p, lang)).collect::<Vec<_>>().join(" + "),
    }
}

/// A place within its table: a cell by its reference alone (the table's place names the sheet), a line of a
/// text or PDF as a place.
fn spot(p: &Place, lang: Lang) -> String {
    match p {
        Place::Cell { cell, .. } => cell.clone(),
        other => place(other, lang),
    }
}

/// Where a table's unit, year or money unit was read from.
pub fn evidence(e: &Evidence, lang: Lang) -> String {
    let fi = lang == Lang::Fi;
    match (lang, e) {
        (Lang::En, _) => e.to_string(),
        (_, Evidence::NoneStated) => if fi { "ei mainittu: euroa" } else { "inte angivet: euro" }.into(),
        (_, Evidence::ColumnHeaders) => if fi { "sarakkeiden otsikot" } else { "kolumnernas rubriker" }.into(),
        (_, Evidence::Title { text, matched }) => {
            let how = match (matched, fi) {
                (TitleMatch::Named, _) => "",
                (TitleMatch::Inflected, true) => " (taivutettu muoto)",
                (TitleMatch::Inflected, false) => " (böjd form)",
                (TitleMatch::NearMatch, true) => " (lähes sama nimi)",
                (TitleMatch::NearMatch, false) => " (nästan samma namn)",
                (TitleMatch::NotInOrg, true) => " (ei organisaatiotiedostossa)",
                (TitleMatch::NotInOrg, false) => " (finns inte i organisationsfilen)",
            };
            format!("{} \"{text}\"{how}", if fi { "otsikko" } else { "rubriken" })
        }
        (_, Evidence::TableTitle { text, at }) => {
            format!("{} \"{text}\" ({})", if fi { "taulukon otsikko" } else { "tabellens rubrik" }, spot(at, lang))
        }
        (_, Evidence::DocumentTitle { text, place: p }) => {
            format!("{} \"{text}\", {}", if fi { "asiakirjan otsikko" } else { "dokumentets rubrik" }, place(p, lang))
        }
        (Lang::Fi, Evidence::PageHeader { text, page }) => format!("sivun ylätunniste \"{text}\", sivu {page}"),
        (_, Evidence::PageHeader { text, page }) => format!("sidhuvudet \"{text}\", sida {page}"),
        (_, Evidence::FileName { name }) => format!("{} \"{name}\"", if fi { "tiedoston nimi" } else { "filens namn" }),
        (_, Evidence::SheetName { sheet }) => {
            format!("{} \"{sheet}\"", if fi { "välilehden nimi" } else { "bladets namn" })
        }
        (_, Evidence::Configured) => {
            if fi { "--year / year = asetuksissa" } else { "--year / year = i inställningarna" }.into()
        }
        (_, Evidence::UnitAbove { place: p }) => format!(
            "{}, {}",
            if fi { "taulukon yläpuolella nimetty yksikkö" } else { "enheten som nämns ovanför tabellen" },
            place(p, lang)
        ),
        (_, Evidence::OnlyRoot) => if fi {
            "organisaatiotiedoston ainoa ylin yksikkö (mikään otsikko ei nimeä yksikköä)"
        } else {
            "organisationsfilens enda översta enhet (ingen rubrik nämner en enhet)"
        }
        .into(),
        (_, Evidence::Header { text, at }) => {
            format!("{} \"{text}\" ({})", if fi { "sarakeotsikko" } else { "kolumnrubriken" }, spot(at, lang))
        }
        (_, Evidence::Caption { text, at }) => format!(
            "{} \"{text}\" ({})",
            if fi { "taulukon yläpuolinen teksti" } else { "texten ovanför tabellen" },
            spot(at, lang)
        ),
        (_, Evidence::ExternalApart(inner)) => format!(
            "{}; {}",
            evidence(inner, lang),
            if fi {
                "taulukon otsikon mukaan vain ulkoiset erät, kun yksikön toinen taulukko antaa ulkoiset ja sisäiset"
            } else {
                "tabellens rubrik anger endast externa poster, medan en annan tabell för enheten anger externa och \
                 interna"
            }
        ),
    }
}

/// The signs a table was read in.
pub fn signs(s: &SignsRead, lang: Lang) -> String {
    let fi = match lang {
        Lang::En => return s.to_string(),
        Lang::Fi => true,
        Lang::Sv => false,
    };
    let layout = match (s.scenarios_as_rows, fi) {
        (false, _) => "",
        (true, true) => "skenaariot riveinä (Alkuperäinen, Muutos, Yhteensä); ",
        (true, false) => "scenarierna som rader (Alkuperäinen, Muutos, Yhteensä); ",
    };
    let how = match (s.how, fi) {
        (Signs::AsPrinted, true) => "kuten painettu (tulot positiivisina, menot negatiivisina)".to_string(),
        (Signs::AsPrinted, false) => "som tryckt (intäkter positiva, kostnader negativa)".to_string(),
        (Signs::CostsTurned { columns, net_cost, variance_turned }, true) => format!(
            "menot painettu positiivisina (toimintakate on {} {columns} sarakkeessa): käännetty{}",
            if net_cost { "menot − tulot eli nettokulu, sekin käännetty" } else { "tulot − menot" },
            if variance_turned { ", samoin menojen poikkeamat (painettu toteuma − talousarvio)" } else { "" }
        ),
        (Signs::CostsTurned { columns, net_cost, variance_turned }, false) => format!(
            "kostnaderna tryckta positiva (verksamhetsbidraget är {} i {columns} kolumn(er)): vända{}",
            if net_cost { "kostnader − intäkter, en nettokostnad, också vänd" } else { "intäkter − kostnader" },
            if variance_turned { ", kostnadsavvikelserna också (tryckt utfall − budget)" } else { "" }
        ),
        (Signs::UnitsAsRows, true) => "yksiköt riveinä, erä kunkin sarakeryhmän otsikon mukaan; määrärahat ovat \
                                       menoja: käännetty raporttien etumerkkeihin"
            .to_string(),
        (Signs::UnitsAsRows, false) => "enheterna som rader, posten enligt varje kolumngrupps rubrik; anslagen är \
                                        kostnader: vända till rapporternas tecken"
            .to_string(),
    };
    format!("{layout}{how}")
}

/// One column and what became of it.
pub fn column(c: &ColumnNote, lang: Lang) -> String {
    let fi = match lang {
        Lang::En => return c.to_string(),
        Lang::Fi => true,
        Lang::Sv => false,
    };
    let (cell, header) = (spot(&c.at, lang), &c.header);
    let why = match &c.reading {
        ColumnReading::Read { scenario, year, year_from } => {
            let from = match (year_from, fi) {
                (YearFrom::Header, true) => "sen otsikko".to_string(),
                (YearFrom::Header, false) => "dess rubrik".to_string(),
                (YearFrom::BudgetHeader, true) => "talousarviosarakkeen otsikko".to_string(),
                (YearFrom::BudgetHeader, false) => "budgetkolumnens rubrik".to_string(),
                (YearFrom::Table(e), _) => evidence(e, lang),
            };
            let label = scenario.label(lang.code());
            return if fi {
                format!("{cell} \"{header}\": {label} {year} (vuosi: {from})")
            } else {
                format!("{cell} \"{header}\": {label} {year} (år: {from})")
            };
        }
        ColumnReading::Unheaded => {
            return if fi {
                format!("{cell} (ei otsikkoa): lukusarake ilman otsikkoa: ei luettu")
            } else {
                format!("{cell} (ingen rubrik): en kolumn med siffror utan rubrik: inte läst")
            };
        }
        ColumnReading::ToDateByCaption { months, caption } => {
            return if fi {
                format!(
                    "{cell}: toteuma kuukausilta 1–{months} tekstin \"{caption}\" mukaan: luettu kauden toteumana, \
                     ei vuoden toteumana"
                )
            } else {
                format!(
                    "{cell}: utfall för månaderna 1–{months} enligt texten \"{caption}\": läst som utfall hittills, \
                     inte årets utfall"
                )
            };
        }
        ColumnReading::ToDate { months } => {
            if fi {
                format!("toteuma kuukausilta 1–{months}: luettu kauden toteumana, ei vuoden toteumana")
            } else {
                format!("utfall för månaderna 1–{months}: läst som utfall hittills, inte årets utfall")
            }
        }
        ColumnReading::NoYear => if fi { "ei vuotta: ei luettu" } else { "inget år: inte läst" }.into(),
        ColumnReading::PartOfYear => if fi {
            "osa vuotta (kauden toteuma ei ole vuoden toteuma): ei luettu"
        } else {
            "del av året (utfall hittills är inte årets utfall): inte läst"
        }
        .into(),
        ColumnReading::RealisationPercent => if fi {
            "toteumaprosentti: tarkistettu rivin toteumaa ja talousarviota vasten"
        } else {
            "utfallsprocent: kontrollerad mot radens utfall och budget"
        }
        .into(),
        ColumnReading::Month => if fi {
            "kuukauden toteuma: tarkistettu, että kuukaudet ovat yhteensä kauden toteuma"
        } else {
            "månadens utfall: kontrollerat att månaderna summerar till utfallet hittills"
        }
        .into(),
        ColumnReading::BarePercent => if fi {
            "prosentti (otsikko kertoo mistä vain, jos taulukossa ei ole poikkeamasaraketta)"
        } else {
            "procent (rubriken säger av vad bara där tabellen saknar avvikelsekolumn)"
        }
        .into(),
        ColumnReading::Percent => if fi { "prosentti: ei luettu" } else { "procent: inte läst" }.into(),
        ColumnReading::NoScenario => if fi {
            "ei talousarvio-, muutos-, toteuma- tai poikkeamasarake: ei luettu"
        } else {
            "ingen budget-, ändrings-, utfalls- eller avvikelsekolumn: inte läst"
        }
        .into(),
    };
    format!("{cell} \"{header}\": {why}")
}

/// Why a row with figures was not read.
pub fn not_read(w: &NotReadWhy, lang: Lang) -> String {
    let fi = match lang {
        Lang::En => return w.to_string(),
        Lang::Fi => true,
        Lang::Sv => false,
    };
    match w {
        NotReadWhy::UnknownLabel => {
            if fi { "rivin nimi ei ole mikään tunnettu erä" } else { "radens namn är ingen känd post" }.into()
        }
        NotReadWhy::NoLabel => if fi { "luvut ilman rivin nimeä" } else { "siffror utan radnamn" }.into(),
        NotReadWhy::NoUnit => if fi {
            "rivin nimi ei ole mikään organisaatiotiedoston yksikkö"
        } else {
            "radens namn är ingen enhet i organisationsfilen"
        }
        .into(),
        NotReadWhy::ChangeUnderNoItem => {
            if fi { "muutosrivi, jonka yläpuolella ei ole erää" } else { "en ändringsrad utan post ovanför" }.into()
        }
        NotReadWhy::NoItemAbove => if fi {
            "mikään yläpuolinen rivi ei kerro, mikä erä se on"
        } else {
            "ingen rad ovanför säger vilken post den är"
        }
        .into(),
        NotReadWhy::UnknownScenario { label } => {
            format!("{} {}", if fi { "tuntematon rivin nimi" } else { "okänt radnamn" }, crate::error::quoted(label))
        }
        NotReadWhy::NotANumber { value } => not_a_number(value, lang),
        NotReadWhy::TooManyNumbers { numbers, columns } => {
            if fi {
                format!("{numbers} lukua ei mahdu taulukon {columns} sarakkeeseen")
            } else {
                format!("{numbers} tal ryms inte i tabellens {columns} kolumner")
            }
        }
        NotReadWhy::Ambiguous { figures, columns, readings, more } => {
            let more = match (*more, fi) {
                (0, _) => String::new(),
                (m, true) => format!("; {m} muuta"),
                (m, false) => format!("; {m} till"),
            };
            if fi {
                format!(
                    "luvut \"{figures}\" voi lukea {columns} sarakkeeseen usealla tavalla ({}{more}): kirjoita rivi \
                     sarakkeet erotettuina (sarkaimin tai tyhjät sarakkeet merkittyinä)",
                    readings.join("; ")
                )
            } else {
                format!(
                    "siffrorna \"{figures}\" kan läsas in i de {columns} kolumnerna på mer än ett sätt ({}{more}): \
                     skriv raden med kolumnerna åtskilda (tabbar, eller tomma kolumner markerade)",
                    readings.join("; ")
                )
            }
        }
    }
}

/// What a figure cell holds instead of a number.
pub fn not_a_number(v: &NotANumber, lang: Lang) -> String {
    let fi = match lang {
        Lang::En => return v.to_string(),
        Lang::Fi => true,
        Lang::Sv => false,
    };
    let what = match v {
        NotANumber::Text(t) => crate::error::quoted(t),
        NotANumber::Date(d) => format!("{} ({d})", if fi { "päivämäärä" } else { "ett datum" }),
        NotANumber::Bool(b) => {
            format!("{} {}", if fi { "totuusarvo" } else { "sanningsvärdet" }, if *b { "TRUE" } else { "FALSE" })
        }
        NotANumber::ErrorValue(e) => format!("{} {e}", if fi { "virhearvo" } else { "felvärdet" }),
        NotANumber::Beyond(x) => {
            let past = if fi {
                "ylittää kaikki talousarviot (yli 10^15 €)"
            } else {
                "överskrider alla budgetar (mer än 10^15 €)"
            };
            return format!("{x} {past}");
        }
        NotANumber::NotFinite(x) => x.clone(),
    };
    format!("{what} {}", if fi { "ei ole luku" } else { "är inget tal" })
}

/// Why a table was passed over.
pub fn passed_over(p: &PassedOver, lang: Lang) -> String {
    let fi = match lang {
        Lang::En => return p.to_string(),
        Lang::Fi => true,
        Lang::Sv => false,
    };
    match p {
        PassedOver::NoUnitTitle => if fi {
            "mikään otsikko ei nimeä organisaatiotiedoston yksikköä"
        } else {
            "ingen rubrik nämner en enhet i organisationsfilen"
        }
        .into(),
        PassedOver::NoUnitRow => if fi {
            "mikään rivi ei nimeä organisaatiotiedoston yksikköä"
        } else {
            "ingen rad nämner en enhet i organisationsfilen"
        }
        .into(),
        PassedOver::NoYear { columns } if fi => format!(
            "sarakkeilla ({}) ei ole vuotta eikä taulukon ympäristö kerro sitä: anna vuosi valinnalla --year tai \
             year = poikkeama.toml-tiedostossa",
            columns.join(", ")
        ),
        PassedOver::NoYear { columns } => format!(
            "kolumnerna ({}) har inget år och inget runt tabellen anger det: ange året med --year eller year = i \
             poikkeama.toml",
            columns.join(", ")
        ),
        PassedOver::UnitsAsRowsNeedOrg { first } if fi => format!(
            "sarakeryhmät nimeävät eriä (määrärahat, tuloarviot) ja rivit ovat yksiköitä (ensimmäiset rivit: {}): \
             sen lukeminen vaatii organisaatiotiedoston (--org)",
            first.join("; ")
        ),
        PassedOver::UnitsAsRowsNeedOrg { first } => format!(
            "kolumngrupperna nämner poster (anslag, inkomstberäkningar) och raderna är enheter (första raderna: {}): \
             att läsa den kräver organisationsfilen (--org)",
            first.join("; ")
        ),
        PassedOver::NoLineItem { first } => {
            let none = if fi { "mikään rivi ei nimeä tunnettua erää" } else { "ingen rad nämner en känd post" };
            if first.is_empty() {
                none.to_string()
            } else {
                format!("{none} ({}: {})", if fi { "ensimmäiset rivit" } else { "första raderna" }, first.join("; "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Scenario;

    #[test]
    fn english_is_the_models_own_words_and_the_others_are_worded() {
        let c = ColumnNote {
            at: Place::Cell { sheet: "TA 2023".into(), cell: "B7".into() },
            header: "TP 2023".into(),
            reading: ColumnReading::Read { scenario: Scenario::Tp, year: 2023, year_from: YearFrom::Header },
        };
        assert_eq!(column(&c, Lang::En), "B7 \"TP 2023\": tp 2023 (year from its header)");
        assert_eq!(column(&c, Lang::Fi), "B7 \"TP 2023\": Tilinpäätös 2023 (vuosi: sen otsikko)");
        assert_eq!(column(&c, Lang::Sv), "B7 \"TP 2023\": Bokslut 2023 (år: dess rubrik)");
        let p = Place::Page { page: 81, line: 7 };
        let e = Evidence::DocumentTitle { text: "Tilinpäätös 2024".into(), place: p.clone() };
        assert_eq!(evidence(&e, Lang::En), "the document's title \"Tilinpäätös 2024\", page 81, line 7");
        assert_eq!(evidence(&e, Lang::Fi), "asiakirjan otsikko \"Tilinpäätös 2024\", sivu 81, rivi 7");
        assert_eq!(evidence(&e, Lang::Sv), "dokumentets rubrik \"Tilinpäätös 2024\", sida 81, rad 7");
        let s = SignsRead { scenarios_as_rows: false, how: Signs::AsPrinted };
        assert_eq!(signs(&s, Lang::Fi), "kuten painettu (tulot positiivisina, menot negatiivisina)");
        assert_eq!(not_read(&NotReadWhy::NoLabel, Lang::Sv), "siffror utan radnamn");
        let date = NotReadWhy::NotANumber { value: NotANumber::Date("45352".into()) };
        assert_eq!(not_read(&date, Lang::En), "a date (45352) is not a number");
        assert_eq!(not_read(&date, Lang::Fi), "päivämäärä (45352) ei ole luku");
        assert_eq!(not_read(&date, Lang::Sv), "ett datum (45352) är inget tal");
        let two_ways = NotReadWhy::Ambiguous {
            figures: "1 000 200".into(),
            columns: 2,
            readings: vec!["1000 | 200".into(), "1000200 | –".into()],
            more: 0,
        };
        assert!(not_read(&two_ways, Lang::En).starts_with("the figures \"1 000 200\" can be read into the 2 columns"));
        assert!(not_read(&two_ways, Lang::Fi)
            .starts_with("luvut \"1 000 200\" voi lukea 2 sarakkeeseen usealla tavalla (1000 | 200; 1000200 | –)"));
        let none = PassedOver::NoLineItem { first: vec!["Tavoite".into()] };
        assert_eq!(passed_over(&none, Lang::Fi), "mikään rivi ei nimeä tunnettua erää (ensimmäiset rivit: Tavoite)");
    }
}
