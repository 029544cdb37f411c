//! A report export's group and total rows (`4000 HENKILÖSTÖKULUT`, `Toimintatuotot yhteensä`, `YHTEENSÄ`):
//! told from account rows while the rows are summed, never summed as accounts, and checked against the rows
//! they head.

use super::{code_of, negated, unit_of_cell, Chunk, FastHash, Mapper, SLOTS};
use crate::model::{Item, LineItem, Org, Said, Scenario, Warning};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// At most this many group rows of a ledger are kept for checking (a report export has a few per cost center).
pub(super) const MAX_GROUP_ROWS: usize = 100_000;

/// A row of a report export that totals other rows: a group (`4000 HENKILÖSTÖKULUT`, `4999
/// TOIMINTAKATE/JÄÄMÄ`) or a total (`Toimintatuotot yhteensä`, `YHTEENSÄ` without an account).
#[derive(Debug, Clone)]
pub(super) struct GroupRow {
    pub line: u64,
    pub year: i32,
    pub cost_center: String,
    /// The unit a total without a cost center names (`Varhaiskasvatus yhteensä`): it totals all its rows.
    pub unit: Option<String>,
    pub label: String,
    pub amounts: [Decimal; SLOTS],
    /// Which amount slots the row fills.
    pub filled: u32,
    /// Whether its words say it is a total (else only its figures can show it).
    pub certain: bool,
    /// The line item its label names, without its total words (`Toimintatuotot yhteensä` → toimintatuotot).
    pub item: Option<Item>,
}

/// What a total row's words say: its label, the line item it names, whether its role is certain.
pub(super) struct TotalLabel {
    pub label: String,
    pub item: Option<Item>,
    pub certain: bool,
}

/// Whether a row of a report export totals other rows, its label, and whether its role is certain: a row
/// whose account's name (or the name in its account cell, `3000 TOIMINTATUOTOT`) says total (`yhteensä`,
/// `summa`, `total`) or names one of the scheme's totals in capitals (`HENKILÖSTÖKULUT`,
/// `TOIMINTAKATE/JÄÄMÄ`); a row with a name and no account (certain where the name says total or names a line
/// item; otherwise a total only if its figures show it, else a warning); and a row without an account whose
/// other text says total (`YHTEENSÄ` in the cost-center column).
pub(super) fn total_row(account: &str, name: &str, other: &str) -> Option<TotalLabel> {
    let code_len = account.chars().take_while(|c| c.is_ascii_digit()).count();
    let in_cell = account[code_len..].trim();
    let no_account = account.trim().is_empty();
    let label = if !in_cell.is_empty() {
        in_cell
    } else if !name.is_empty() {
        name
    } else if no_account {
        other
    } else {
        ""
    };
    if label.is_empty() {
        return None;
    }
    let lower = label.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric() && c != '/').filter(|w| !w.is_empty()).collect();
    let total_words = ["yhteensä", "yht", "summa", "total", "totalt", "sammanlagt", "kaikki"];
    let says_total = words.iter().any(|w| total_words.contains(w));
    let capitals = label.chars().any(char::is_alphabetic) && !label.chars().any(char::is_lowercase);
    let rest: Vec<&str> = words.iter().copied().filter(|w| !total_words.contains(w)).collect();
    let item = crate::ingest::label::match_label(&rest.join(" "), None).line_item().map(|li| li.item);
    let total = |certain: bool| TotalLabel { label: label.to_string(), item, certain };
    if no_account {
        // Text from the cost-center column makes a total only where it says so.
        let from_other = name.is_empty();
        return (says_total || !from_other).then(|| total(says_total || item.is_some()));
    }
    let names_total = item.is_some_and(|i| i.is_subtotal() || i == Item::TOIMINTAKATE);
    (says_total || (capitals && names_total)).then(|| total(true))
}

/// A quick test on a cell's bytes before [`total_row`]: could it be a total's label (any upper-case letter,
/// or a total word)? Most account names are neither all capitals nor totals.
pub(super) fn may_be_total(b: &[u8]) -> bool {
    let has_lower = b.iter().any(u8::is_ascii_lowercase);
    let word = |w: &[u8]| b.windows(w.len()).any(|x| x.eq_ignore_ascii_case(w));
    !has_lower || word(b"yht") || word(b"summa") || word(b"total") || word(b"sammanlagt")
}

/// Do two cost-center cells name one cost center: the same text, or the same leading code (`6110 Toimitilat`,
/// `6110 Toimitilat yhteensä`, `6110`)?
fn same_code(a: &str, b: &str) -> bool {
    let lead = |t: &str| {
        let first = t.split_whitespace().next().unwrap_or("").to_string();
        if first.chars().any(|c| c.is_ascii_digit()) {
            first
        } else {
            t.trim().to_lowercase()
        }
    };
    a == b || lead(a) == lead(b)
}

/// A mapped sum's key: the unit (its index among the file's units), line item, scenario and year.
type MappedKey = (u32, Item, Scenario, i32);

/// A report export's group rows against the account rows they head.
pub(super) struct GroupCheck<'a> {
    pub(super) groups: &'a [GroupRow],
    pub(super) dropped: u64,
    pub(super) cost_centers: &'a [(String, usize)],
    pub(super) cc_items: &'a [(String, Option<Item>)],
    pub(super) slots: &'a [(Scenario, Option<i32>)],
    pub(super) shown: &'a str,
    pub(super) org: Option<&'a Org>,
}

impl GroupCheck<'_> {
    /// Each group row's figures, summed per unit, line item, scenario and year, with the sums of the account
    /// rows under that item (as the file signs them, turned where the ledger's are): a printed total each. A
    /// unit's group rows are checked where every cost center of the unit has one (else they total part of
    /// it); a total that names no line item where it totals the whole file. The rest are warnings, never
    /// guesses.
    pub(super) fn check(
        &self,
        mapped: &HashMap<MappedKey, (Decimal, u64), FastHash>,
        unit_all: &HashMap<(u32, Scenario, i32), (Decimal, u64), FastHash>,
        unit_names: &[String],
        raw_totals: &HashMap<(Scenario, i32), Decimal>,
        turn: bool,
    ) -> (Vec<crate::model::PrintedTotal>, Vec<Warning>) {
        let mut warnings = Vec::new();
        if self.groups.is_empty() {
            return (Vec::new(), warnings);
        }
        let at = |line: u64| format!("{}:{line}", self.shown);
        let sign = |d: Decimal| if turn { negated(d) } else { d };
        // (unit or "" for the whole file, item or none, scenario, year) → per cost center, its rows of that total
        // in order: (amount, line, certain). A cost center may print one total twice, as a group's heading row and
        // as its `yhteensä` row (`3000 TOIMINTATUOTOT` … `Toimintatuotot yhteensä`).
        // The last field: a total naming its unit (checked on its own, never summed with its cost centers').
        type Key = (String, Option<Item>, Scenario, i32, bool);
        type Rows = std::collections::BTreeMap<String, Vec<(Decimal, u64, bool)>>;
        let mut by_cc: std::collections::BTreeMap<Key, Rows> = Default::default();
        for g in self.groups {
            let item = g.item;
            let unit = if let Some(u) = &g.unit {
                Some(u.clone())
            } else if g.cost_center.is_empty() {
                Some(String::new())
            } else {
                self.org.and_then(|o| unit_of_cell(o, &g.cost_center)).map(|u| u.name.clone())
            };
            let Some(unit) = unit else {
                warnings.push(Warning {
                    location: at(g.line),
                    said: Said::GroupNotChecked {
                        label: g.label.clone(),
                        why: crate::model::GroupWhy::NoUnit { cost_center: g.cost_center.clone() },
                    },
                });
                continue;
            };
            for (k, (sc, slot_year)) in self.slots.iter().enumerate() {
                if g.filled & (1 << k) == 0 {
                    continue;
                }
                let year = slot_year.unwrap_or(g.year);
                let rows = by_cc.entry((unit.clone(), item, *sc, year, g.unit.is_some())).or_default();
                rows.entry(g.cost_center.clone()).or_default().push((g.amounts[k], g.line, g.certain));
            }
        }
        // The printed totals: the n-th row of each cost center (its last where it has fewer), summed over the
        // unit's cost centers; a total printed twice alike is one, printed twice unalike is checked each time
        // (the account rows tell which is wrong).
        // (key, n-th) → printed sum, rows' lines, cost centers, certain.
        type Printed = (Decimal, Vec<u64>, Vec<String>, bool);
        let mut printed: std::collections::BTreeMap<(Key, usize), Printed> = Default::default();
        for (key, rows) in by_cc {
            let most = rows.values().map(Vec::len).max().unwrap_or(0);
            let mut sums: Vec<Decimal> = Vec::new();
            for n in 0..most {
                let mut e: Printed = (Decimal::ZERO, Vec::new(), Vec::new(), true);
                for (cc, list) in &rows {
                    let (amount, line, certain) = list[n.min(list.len() - 1)];
                    e.0 = e.0.checked_add(amount).unwrap_or(e.0);
                    e.3 &= certain;
                    if !e.1.contains(&line) {
                        e.1.push(line);
                    }
                    e.2.push(cc.clone());
                }
                if !sums.contains(&e.0) {
                    sums.push(e.0);
                    printed.insert((key.clone(), n), e);
                }
            }
        }
        let mut out = Vec::new();
        for (((unit, item, scenario, year, _), _), (amount, lines, ccs, certain)) in printed {
            let first = lines.first().copied().unwrap_or_default();
            let printed_at = match lines.len() {
                1 => at(first),
                n => format!("{} and {} more rows", at(first), n - 1),
            };
            let (computed, rows) = match item {
                None if unit.is_empty() => match raw_totals.get(&(scenario, year)) {
                    Some(t) => (*t, None),
                    None => continue,
                },
                _ => {
                    let Some(u) = unit_names.iter().position(|n| *n == unit) else { continue };
                    // Every cost center of the unit in the file with rows under the item has the group row: else
                    // it totals part of the unit.
                    let posts_under = |cc: &String| {
                        self.cc_items.iter().any(|(c, it)| {
                            c == cc && item.is_none_or(|g| it.is_some_and(|it| it == g || it.is_under(g)))
                        })
                    };
                    let missing: Vec<&String> = self
                        .cost_centers
                        .iter()
                        .filter(|(_, i)| self.org.and_then(|o| o.units.get(*i)).is_some_and(|x| x.name == unit))
                        .map(|(cc, _)| cc)
                        // A cost center's total row names it by its code, perhaps with its name (`6110
                        // Toimitilat yhteensä`); a total naming the unit (no cost center) has them all.
                        .filter(|cc| !ccs.iter().any(|c| c.is_empty() || same_code(c, cc)) && posts_under(cc))
                        .collect();
                    if !missing.is_empty() {
                        warnings.push(Warning {
                            location: at(first),
                            said: Said::GroupNotChecked {
                                label: format!("{} {scenario} {year}", item.map_or("yhteensä", |g| g.id())),
                                why: crate::model::GroupWhy::PartOfUnit {
                                    unit: unit.clone(),
                                    missing: missing.iter().take(3).map(|c| c.to_string()).collect(),
                                },
                            },
                        });
                        continue;
                    }
                    let (mut sum, mut n) = (Decimal::ZERO, 0u64);
                    match item {
                        Some(g) => {
                            for ((mu, it, sc, y), (d, r)) in mapped {
                                if *mu as usize == u && *sc == scenario && *y == year && (*it == g || it.is_under(g)) {
                                    sum = sum.checked_add(*d).unwrap_or(sum);
                                    n += r;
                                }
                            }
                        }
                        // A total naming no line item: all the unit's rows, mapped to a line item or not.
                        None => match unit_all.get(&(u as u32, scenario, year)) {
                            Some((d, r)) => (sum, n) = (*d, *r),
                            None => continue,
                        },
                    }
                    (sum, Some(n))
                }
            };
            out.push(crate::model::PrintedTotal {
                unit: if unit.is_empty() { self.shown.to_string() } else { unit },
                line_item: item.map(LineItem::new),
                scenario,
                year,
                printed: sign(amount),
                computed: sign(computed),
                printed_at,
                computed_from: match rows {
                    Some(n) => format!("{} ({})", self.shown, crate::model::rows_en(n)),
                    None => format!("{} (all its account rows)", self.shown),
                },
                certain,
                of_months: false,
            });
        }
        warnings.insert(
            0,
            Warning {
                location: self.shown.to_string(),
                said: Said::GroupRows {
                    count: self.groups.len() as u64 + self.dropped,
                    first: format!("{} \"{}\"", at(self.groups[0].line), self.groups[0].label),
                    checked: out.len(),
                },
            },
        );
        (out, warnings)
    }
}

/// An account code that may head others of the file: a code that others extend (`4000` before `400010`),
/// or one whose name names a scheme total above its own line (`4000 Personalkostnader`: the accounts the chart
/// maps under henkilöstökulut).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Head {
    pub code: u64,
    pub named: Option<Item>,
}

impl Head {
    /// Whether the code extends the head's.
    fn extends(self, a: u64) -> bool {
        a != self.code && a.to_string().starts_with(&self.code.to_string())
    }

    /// Whether the chart maps the code under the total the head's name names.
    fn under_named(self, a: u64, chart: &super::Chart) -> bool {
        let Some(g) = self.named else { return false };
        a != self.code && chart.item_of(&a.to_string()).is_some_and(|i| i == g || i.is_under(g))
    }

    /// Whether the code is in the range the head's significant digits open (`4300` over `434010`: the codes
    /// beginning `43`; `3000` over every `3…`), at a longer length than the head's.
    fn in_range(self, a: u64) -> bool {
        let (head, code) = (self.code.to_string(), a.to_string());
        let significant = head.trim_end_matches('0');
        a != self.code && code.len() > head.len() && !significant.is_empty() && code.starts_with(significant)
    }

    /// Whether the chart maps the code to the line its head's code is on (`4500` over `460010`: both aineet,
    /// tarvikkeet ja tavarat), at a longer length than the head's.
    fn on_its_line(self, a: u64, chart: &super::Chart) -> bool {
        let (head, code) = (self.code.to_string(), a.to_string());
        a != self.code
            && code.len() > head.len()
            && chart.item_of(&head).is_some_and(|h| chart.item_of(&code).is_some_and(|i| i == h || i.is_under(h)))
    }

    /// The scopes a head may total, each tried on its own: the codes extending it, the range its significant
    /// digits open, the codes on its line of the chart, the codes under the total its name names.
    pub(super) fn scopes(self, chart: &super::Chart) -> [Box<dyn Fn(u64) -> bool + '_>; 4] {
        [
            Box::new(move |a| self.extends(a)),
            Box::new(move |a| self.in_range(a)),
            Box::new(move |a| self.on_its_line(a, chart)),
            Box::new(move |a| self.under_named(a, chart)),
        ]
    }

    /// Whether the head could total the code's rows (in any of its scopes).
    pub(super) fn heads(self, a: u64, chart: &super::Chart) -> bool {
        self.scopes(chart).iter().any(|scope| scope(a))
    }
}

/// The codes of the file that may head others: those that other codes extend (`4000` and `400010`; `30` and
/// `3010`), and those named as a scheme total above their line (`named`, from [`named_total`]).
pub(super) fn heads(accounts: &[u64], named: &[(u64, Item)]) -> Vec<Head> {
    let mut codes: Vec<String> = accounts.iter().map(u64::to_string).collect();
    codes.sort();
    let mut out: Vec<Head> = codes
        .windows(2)
        .filter(|w| w[1].len() > w[0].len() && w[1].starts_with(&w[0]))
        .filter_map(|w| w[0].parse().ok())
        .map(|code| Head { code, named: named.iter().find(|(a, _)| *a == code).map(|(_, i)| *i) })
        .collect();
    for (code, item) in named {
        if !out.iter().any(|h| h.code == *code) {
            out.push(Head { code: *code, named: Some(*item) });
        }
    }
    out.sort_by_key(|h| h.code);
    out
}

/// The scheme total an account row's name names above the line the chart maps its code to (`4000
/// Personalkostnader`: henkilöstökulut over palkat; `3000 Toimintatuotot` over myyntituotot): such a row may
/// be a group row in mixed case. An account named as its own line (`4940 Muut toimintakulut`) is not.
pub(super) fn named_total(code: &str, name: &str, chart: &super::Chart) -> Option<Item> {
    let g = crate::ingest::label::match_label(name, None).line_item().map(|li| li.item)?;
    match chart.item_of(code) {
        // A code too short for the chart (`45 Aineet, tarvikkeet ja tavarat` over 450010 and 460010) may head
        // the accounts of the line its name names, whatever line.
        None => Some(g),
        Some(c) => ((g.is_subtotal() || g == Item::TOIMINTAKATE) && c != g && c.is_under(g)).then_some(g),
    }
}

/// Takes a report export's coded group rows out of the sums: finds the codes that may head others ([`heads`]),
/// has `read_side` read the file again for those accounts and the ones they would head alone, and separates
/// the heads whose rows are those accounts' sums ([`separate_prefix_groups`]). What to say about them.
pub(super) fn separate_groups(
    chunk: &mut Chunk,
    mapper: Mapper,
    read_side: impl FnOnce(&std::collections::HashSet<u64>) -> crate::error::Result<Chunk>,
) -> crate::error::Result<Vec<Said>> {
    let heads = heads(&chunk.accounts, &chunk.named_heads);
    if heads.is_empty() || !chunk.errors.is_empty() {
        return Ok(Vec::new());
    }
    let chart = mapper.chart;
    let family: std::collections::HashSet<u64> =
        chunk.accounts.iter().copied().filter(|a| heads.iter().any(|h| h.heads(*a, chart) || h.code == *a)).collect();
    let side = read_side(&family)?;
    Ok(separate_prefix_groups(chunk, side, &heads, mapper))
}

/// A report export's group rows told by their codes: each head (see [`Head`]) whose rows, per year and cost
/// center, are in every column the sum of the rows of the codes it heads (by code, or by the total its name
/// names) is a group there, and its rows are taken out of the sums (`side` holds the sums of the heads and the
/// accounts they may head alone, by their codes). A head whose rows are not their sum stays an account, and a
/// warning says its role cannot be told.
pub(super) fn separate_prefix_groups(chunk: &mut Chunk, side: Chunk, heads: &[Head], mut mapper: Mapper) -> Vec<Said> {
    let is_head = |a: u64| heads.iter().any(|h| h.code == a);
    let (mut groups, mut rows, mut not) = (Vec::new(), 0u64, Vec::new());
    // The main chunk's key of a cost center read in the side pass (interned codes by their text).
    let index: HashMap<&str, usize> = chunk.names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let mut keyed: Vec<((i32, u64, u64), super::Sums)> = side.sums.iter().map(|(k, v)| (*k, *v)).collect();
    keyed.sort_by_key(|(k, _)| *k);
    for ((year, cc, code), (amounts, head_rows)) in keyed.iter().filter(|((_, _, a), _)| is_head(*a)) {
        let Some(head) = heads.iter().find(|h| h.code == *code).copied() else { continue };
        let sum_of = |under: &dyn Fn(u64) -> bool| {
            let mut sum = [Decimal::ZERO; SLOTS];
            for ((y, c, a), (am, _)) in &keyed {
                if y == year && c == cc && !is_head(*a) && under(*a) {
                    for (s, x) in sum.iter_mut().zip(am) {
                        *s = s.checked_add(*x).unwrap_or(*s);
                    }
                }
            }
            sum
        };
        // Some scope whose codes have rows here and sum to the head's.
        let is_sum = head.scopes(mapper.chart).iter().any(|scope| {
            keyed.iter().any(|((y, c, a), _)| y == year && c == cc && !is_head(*a) && scope(*a))
                && sum_of(&|a| scope(a)) == *amounts
        });
        if !is_sum {
            match not.iter_mut().find(|(h, _, _)| *h == head) {
                Some(e) => e.1 += 1,
                None => not.push((head, 1, code_of(*cc, &side.names))),
            }
            continue;
        }
        let cc_key = if cc >> 63 == 0 {
            Some(*cc)
        } else {
            let text = code_of(*cc, &side.names);
            index.get(text.as_str()).map(|i| (1 << 63) | *i as u64)
        };
        let Some(cc_key) = cc_key else { continue };
        let key = (*year, mapper.cost_center(cc_key, &chunk.names), mapper.account(*code, &chunk.names));
        if let Some(entry) = chunk.sums.get_mut(&key) {
            for (s, x) in entry.0.iter_mut().zip(amounts) {
                *s = s.checked_sub(*x).unwrap_or(*s);
            }
            for (n, r) in entry.1.iter_mut().zip(head_rows) {
                *n = n.saturating_sub(*r);
            }
            rows += head_rows.iter().max().copied().unwrap_or(0);
            if entry.1.iter().all(|n| *n == 0) {
                chunk.sums.remove(&key);
            }
            if !groups.contains(code) {
                groups.push(*code);
            }
        }
    }
    let mut said = Vec::new();
    if !groups.is_empty() {
        said.push(Said::CodeGroups { codes: groups.iter().map(u64::to_string).collect(), rows });
    }
    for (head, n, first) in not {
        if groups.contains(&head.code) {
            // A group row in some cost centers and not in others: never summed in silence.
            said.push(Said::CodeGroupInPart { code: head.code.to_string(), not_in: n, first });
        } else {
            said.push(Said::CodeNotGroup {
                code: head.code.to_string(),
                named: head.named.map(|i| i.id().to_string()),
            });
        }
    }
    said
}
