//! The chart of accounts: account ranges to the scheme's line items (the shipped one follows the KKNR
//! taxonomy's ranges, `src/model/accounts.csv`; a town's own with `--accounts`).

use crate::model::Item;

/// The chart of accounts: account ranges (first four digits) to line items.
#[derive(Debug, Clone)]
pub struct Chart {
    ranges: Vec<(u32, u32, Item)>,
}

impl Chart {
    /// The default chart shipped in the binary (`src/model/accounts.csv`, from the municipal chart of
    /// accounts 2023).
    pub fn default_chart() -> Chart {
        Chart::parse(include_str!("../../model/accounts.csv")).expect("the shipped chart of accounts is valid")
    }

    /// A chart file: `from,to,item` rows (item: a scheme id), `#` comments.
    pub fn parse(text: &str) -> std::result::Result<Chart, String> {
        let mut ranges = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with("from") {
                continue;
            }
            let f: Vec<&str> = line.split(',').map(str::trim).collect();
            let bad = || format!("line {}: expected from,to,item (e.g. 4300,4499,palvelujen_ostot)", i + 1);
            // A fourth field is a reference (the shipped chart's KKNR item code): not read.
            let (from, to, item) = match f.as_slice() {
                [from, to, item] | [from, to, item, _] => (from, to, item),
                _ => return Err(bad()),
            };
            let (Ok(from), Ok(to)) = (from.parse::<u32>(), to.parse::<u32>()) else { return Err(bad()) };
            let item = Item::all()
                .find(|it| it.id() == *item)
                .ok_or_else(|| format!("line {}: \"{item}\" is not an item of the scheme", i + 1))?;
            ranges.push((from, to, item));
        }
        Ok(Chart { ranges })
    }

    /// The line item of an account: by its first four digits.
    pub fn item_of(&self, account: &str) -> Option<Item> {
        let digits: String = account.chars().take_while(char::is_ascii_digit).take(4).collect();
        let n: u32 = digits.parse().ok()?;
        self.ranges.iter().find(|(a, b, _)| (*a..=*b).contains(&n)).map(|r| r.2)
    }
}
