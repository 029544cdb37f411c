//! A sheet as a grid of cells in absolute coordinates, with its merged regions.

use super::number::decimal_from_f64;
use crate::model::NotANumber;
use calamine::{Data, Dimensions, Range};
use rust_decimal::Decimal;

/// One cell as the table reader sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(Decimal),
    /// Anything else (an error value, a boolean, a date, a float past any budget).
    Other(crate::model::NotANumber),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell's text as a header or label would read it (numbers such as a year included).
    pub fn text(&self) -> Option<String> {
        match self {
            Cell::Text(t) if !t.trim().is_empty() => Some(t.clone()),
            Cell::Number(d) => Some(d.to_string()),
            _ => None,
        }
    }
}

pub struct Grid {
    pub start: (u32, u32),
    pub rows: u32,
    pub cols: u32,
    cells: Vec<Cell>,
    merges: Vec<Dimensions>,
    /// Rows and columns swapped (a table printed with line items across): cell names are given back in
    /// the sheet's own coordinates.
    transposed: bool,
}

impl Grid {
    pub fn new(range: &Range<Data>, merges: Vec<Dimensions>) -> Grid {
        let start = range.start().unwrap_or((0, 0));
        let (h, w) = range.get_size();
        let mut cells = Vec::with_capacity(h * w);
        for row in range.rows() {
            for data in row {
                cells.push(convert(data));
            }
        }
        Grid { start, rows: h as u32, cols: w as u32, cells, merges, transposed: false }
    }

    /// The same sheet with rows and columns swapped.
    pub fn transpose(&self) -> Grid {
        let mut cells = Vec::with_capacity(self.cells.len());
        for c in 0..self.cols as usize {
            for r in 0..self.rows as usize {
                cells.push(self.cells[r * self.cols as usize + c].clone());
            }
        }
        let swap = |(r, c): (u32, u32)| (c, r);
        Grid {
            start: swap(self.start),
            rows: self.cols,
            cols: self.rows,
            cells,
            merges: self.merges.iter().map(|m| Dimensions { start: swap(m.start), end: swap(m.end) }).collect(),
            transposed: !self.transposed,
        }
    }

    pub fn is_transposed(&self) -> bool {
        self.transposed
    }

    /// A grid position in the sheet's own (row, column).
    pub fn origin(&self, row: u32, col: u32) -> (u32, u32) {
        if self.transposed {
            (col, row)
        } else {
            (row, col)
        }
    }

    /// The sheet's name for a grid position (`B4`).
    pub fn cell_ref(&self, row: u32, col: u32) -> String {
        let (r, c) = self.origin(row, col);
        crate::model::cell_ref(r, c)
    }

    /// Last row index (absolute), exclusive.
    pub fn row_end(&self) -> u32 {
        self.start.0 + self.rows
    }

    pub fn col_end(&self) -> u32 {
        self.start.1 + self.cols
    }

    pub fn get(&self, row: u32, col: u32) -> &Cell {
        static EMPTY: Cell = Cell::Empty;
        if row < self.start.0 || col < self.start.1 || row >= self.row_end() || col >= self.col_end() {
            return &EMPTY;
        }
        let i = (row - self.start.0) as usize * self.cols as usize + (col - self.start.1) as usize;
        &self.cells[i]
    }

    pub fn row_is_empty(&self, row: u32) -> bool {
        (self.start.1..self.col_end()).all(|c| self.get(row, c).is_empty())
    }

    /// Text of a cell, or of the merged region covering it (taken from the region's top-left cell).
    pub fn merged_text(&self, row: u32, col: u32) -> Option<String> {
        self.get(row, col).text().or_else(|| {
            self.merges
                .iter()
                .find(|m| m.contains(row, col) && m.start != (row, col))
                .and_then(|m| self.get(m.start.0, m.start.1).text())
        })
    }

    pub fn has_merges(&self) -> bool {
        !self.merges.is_empty()
    }
}

fn convert(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(Decimal::from(*i)),
        // A float past the exact decimal range is no budget figure: said short ("1e308"), never as 309 digits.
        Data::Float(f) => decimal_from_f64(*f).map_or_else(
            || {
                if f.is_finite() {
                    Cell::Other(NotANumber::Beyond(format!("{f:e}")))
                } else {
                    Cell::Other(NotANumber::NotFinite(format!("{f}")))
                }
            },
            Cell::Number,
        ),
        Data::Bool(b) => Cell::Other(NotANumber::Bool(*b)),
        Data::DateTime(d) => Cell::Other(NotANumber::Date(d.to_string())),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Other(NotANumber::Date(s.clone())),
        Data::Error(e) => Cell::Other(NotANumber::ErrorValue(e.to_string())),
    }
}
