//! A PDF page's text laid out from the glyphs' positions. Lines are glyphs on one baseline, words are glyphs
//! without a gap. A budget table is found by its header (words above the figures naming at least two
//! scenarios): each header column's left edge starts a column, and every figure goes to the column whose
//! start is the last one left of the figure's right edge (figures are right-aligned under headers of any
//! alignment). Such tables come out as tab-separated rows, so that a narrow table whose thousands separator is
//! the same space that separates its columns is read by position, not guessed; wrapped labels and header
//! words broken by a narrow column are joined. Where the positions do not pin a row down, the row comes out
//! as plain text and the text reader's digit and arithmetic rules take over.

use super::super::header::{classify, join_header_parts};
use super::super::text::{is_number_token, is_year, mend_words};
use crate::model::Place;

/// One glyph on a page, in points from the page's top-left corner.
#[derive(Debug, Clone)]
pub struct Glyph {
    pub x0: f64,
    pub x1: f64,
    /// Baseline, downwards.
    pub y: f64,
    pub size: f64,
    pub text: String,
}

#[derive(Debug, Clone)]
struct Word {
    x0: f64,
    x1: f64,
    text: String,
}

#[derive(Debug, Clone)]
struct Line {
    y: f64,
    size: f64,
    words: Vec<Word>,
}

impl Line {
    /// Where the figures at the end of the line start (index of the first word of the trailing run of
    /// number tokens), if it ends in figures. Years are figures here too; the header finder tells them apart.
    fn figures_from(&self) -> Option<usize> {
        let mut k = self.words.len();
        while k > 0 && is_number_token(&self.words[k - 1].text) {
            k -= 1;
        }
        (k < self.words.len()).then_some(k)
    }

    /// Whether the line has figures: number tokens other than years and the money unit (`1 000 €`).
    fn has_figures(&self) -> bool {
        let mut in_unit = false;
        let mut any = false;
        for w in self.words.iter().rev() {
            let t = w.text.to_lowercase();
            if t.starts_with('€') || t.starts_with("eur") || t.starts_with("kr") || t.starts_with("tkr") {
                in_unit = true;
                continue;
            }
            let number = is_number_token(&w.text);
            if number && !in_unit && !is_year(&w.text) {
                any = true;
            }
            in_unit &= number;
        }
        any
    }

    /// The line as plain text: words one space apart, two before a figure that stands clearly apart.
    fn plain(&self) -> String {
        let mut out = String::new();
        for (k, w) in self.words.iter().enumerate() {
            if k > 0 {
                let gap = w.x0 - self.words[k - 1].x1;
                out.push(' ');
                if is_number_token(&w.text) && gap > 0.8 * self.size {
                    out.push(' ');
                }
            }
            out.push_str(&w.text);
        }
        out
    }
}

/// The glyphs as lines, top to bottom, each line's words left to right.
fn lines(mut glyphs: Vec<Glyph>) -> Vec<Line> {
    glyphs.retain(|g| g.x0.is_finite() && g.x1.is_finite() && g.y.is_finite() && g.size.is_finite());
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    let mut rows: Vec<Vec<Glyph>> = Vec::new();
    for g in glyphs {
        match rows.last_mut() {
            Some(row) if (g.y - row[0].y).abs() <= 0.3 * g.size.max(row[0].size).max(0.1) => row.push(g),
            _ => rows.push(vec![g]),
        }
    }
    lower_minus_signs(&mut rows);
    rows.into_iter()
        .map(|mut row| {
            row.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            let size = row.iter().map(|g| g.size).fold(0.0, f64::max).max(0.1);
            let y = row[0].y;
            let mut words: Vec<Word> = Vec::new();
            let mut open = false;
            for g in row {
                if g.text.chars().all(char::is_whitespace) {
                    open = false;
                    continue;
                }
                match words.last_mut() {
                    Some(w) if open && g.x0 - w.x1 <= 0.12 * size => {
                        w.text.push_str(&g.text);
                        w.x1 = w.x1.max(g.x1);
                    }
                    _ => words.push(Word { x0: g.x0, x1: g.x1, text: g.text.clone() }),
                }
                open = true;
            }
            Line { y, size, words }
        })
        .filter(|l| !l.words.is_empty())
        .collect()
}

/// A header column's extent (left, right) and its words (line, word).
type Span = (f64, f64, Vec<(usize, usize)>);
type Spans = Vec<Span>;

/// A table found on the page: its header lines, its column starts and texts, and its body lines.
struct Table {
    header: std::ops::Range<usize>,
    body: std::ops::Range<usize>,
    title: String,
    starts: Vec<f64>,
    columns: Vec<String>,
    /// A statement's two figure columns under each heading (the items', and the groups' totals printed on
    /// their last item's line): the right edges of the sub-columns, two per column.
    sub: Option<Vec<f64>>,
}

/// A table's columns as a table running on over a page break keeps them: starts, headings, sub-columns.
type Columns = (Vec<f64>, Vec<String>, Option<Vec<f64>>);

/// The last table on a page, for a table that runs on over the page break: its columns, and the lines after
/// it (a footer, a page number) held back until the next page shows whether the table runs on.
#[derive(Debug, Clone, Default)]
pub struct Carry {
    table: Option<Columns>,
    held: Vec<(String, Place)>,
}

impl Carry {
    /// The lines held back at the end of the last page.
    pub fn finish(self) -> Vec<(String, Place)> {
        self.held
    }
}

/// The page's text as lines for the text reader, each with its place (`page`, and its line on the page,
/// top down). A table that runs on from the page before (its figures start at the top of this page, after
/// at most a running head, and fit its columns) goes on as the same table: the page furniture between the
/// two parts is left out, so that the rows follow the rows before them.
pub fn page_text(glyphs: Vec<Glyph>, page: u32, carry: &mut Carry) -> Vec<(String, Place)> {
    let lines = lines(glyphs);
    let at = |k: usize| Place::Page { page, line: k as u32 + 1 };
    let mut out = Vec::new();
    let mut i = 0;
    let held = std::mem::take(&mut carry.held);
    let mut went_on = false;
    if let Some((starts, columns, sub)) = carry.table.take() {
        let first = lines.iter().take(4).position(Line::has_figures);
        if let Some(f) = first.filter(|&f| table_at(&lines, 0).is_none_or(|t| t.header.start > f)) {
            if let Some((body_end, _, _)) = body_from(&lines, f) {
                let t = Table { header: f..f, body: f..body_end, title: String::new(), starts, columns, sub };
                out.extend(body_rows(&lines, &t).into_iter().map(|(l, k)| (l, at(k as usize - 1))));
                i = body_end;
                carry.table = Some((t.starts, t.columns, t.sub));
                went_on = true;
            }
        }
    }
    if !went_on {
        out.splice(0..0, held);
    }
    while i < lines.len() {
        if let Some(t) = table_at(&lines, i) {
            for (k, line) in lines.iter().enumerate().take(t.header.start).skip(i) {
                out.push((line.plain(), at(k)));
            }
            let mut header = t.title.clone();
            for c in &t.columns {
                header.push('\t');
                header.push_str(c);
            }
            out.push((header, at(t.header.start)));
            out.extend(body_rows(&lines, &t).into_iter().map(|(l, k)| (l, at(k as usize - 1))));
            i = t.body.end;
            carry.table = None;
            // A table that ends the page may run on over the break (a footer or page number may follow).
            let rest = &lines[i..];
            if rest.len() <= 3 && !rest.iter().any(Line::has_figures) {
                carry.held = rest.iter().enumerate().map(|(k, l)| (l.plain(), at(i + k))).collect();
                carry.table = Some((t.starts, t.columns, t.sub));
                break;
            }
            continue;
        }
        carry.table = None;
        out.push((lines[i].plain(), at(i)));
        i += 1;
    }
    out
}

/// A minus sign the PDF sets on a baseline of its own, a little above its figure: a row of nothing but minus
/// signs, each right before a digit on the row just below (within half a size down), joins that row.
fn lower_minus_signs(rows: &mut Vec<Vec<Glyph>>) {
    let is_minus = |g: &Glyph| matches!(g.text.as_str(), "-" | "\u{2212}" | "\u{2013}");
    let mut k = 0;
    while k + 1 < rows.len() {
        let (above, below) = (&rows[k], &rows[k + 1]);
        let size = above.iter().chain(below.iter()).map(|g| g.size).fold(0.1, f64::max);
        let near = below[0].y - above[0].y <= 0.6 * size;
        let each_before_a_digit = above.iter().all(|m| {
            is_minus(m)
                && below.iter().any(|g| {
                    g.text.chars().next().is_some_and(|c| c.is_ascii_digit())
                        && g.x0 >= m.x0
                        && g.x0 - m.x1 <= 0.3 * size
                        && !below.iter().any(|h| h.x0 < g.x0 && h.x1 > m.x1 + 0.05 * size)
                })
        });
        if near && each_before_a_digit {
            let minus = rows.remove(k);
            let y = rows[k][0].y;
            rows[k].extend(minus.into_iter().map(|m| Glyph { y, ..m }));
        } else {
            k += 1;
        }
    }
}

/// Whether a blank line (or more) stands between two lines: they are in blocks of their own.
fn blank_between(above: &Line, below: &Line) -> bool {
    below.y - above.y > 1.9 * above.size.max(below.size)
}

/// Whether close enough below `above` to be the next line of one table or header.
fn close(above: &Line, below: &Line) -> bool {
    below.y - above.y <= 2.6 * above.size.max(below.size)
}

/// A table whose header starts at line `i` (or below it, after title lines): header lines (no figures but years) directly above a body of
/// lines with figures, with at least two header columns that name a scenario.
fn table_at(lines: &[Line], i: usize) -> Option<Table> {
    // The header: lines without figures, each close to the next, up to the first line with figures.
    // One wider gap is allowed (a header set apart from the body by a rule or a blank line).
    let mut j = i;
    let mut gaps = 0;
    let mut apart = |above: &Line, below: &Line| {
        if close(above, below) {
            return false;
        }
        gaps += 1;
        gaps > 1 || below.y - above.y > 5.0 * above.size.max(below.size)
    };
    while j < lines.len() && !lines[j].has_figures() {
        if j > i && apart(&lines[j - 1], &lines[j]) {
            return None;
        }
        j += 1;
        if j - i > 8 {
            return None;
        }
    }
    if j == i || j >= lines.len() || apart(&lines[j - 1], &lines[j]) {
        return None;
    }
    let (body_end, label_end, fig_start) = body_from(lines, j)?;
    // Header words right of the labels are the columns' headings; those left of them are a title cell.
    // Where the body's labels start: a statement's title starts there too.
    let labels_left = (j..body_end).filter_map(|k| lines[k].words.first().map(|w| w.x0)).fold(f64::INFINITY, f64::min);
    // Where a later block's labels reach under the headings (fixed-width text of proportional print sets each
    // block off by its own amount), the labels of the block right under the header end the label column.
    let (title, mut spans) = header_words(lines, i, j, (labels_left, label_end, fig_start)).or_else(|| {
        let first_block = (j + 1..body_end).find(|&k| blank_between(&lines[k - 1], &lines[k])).unwrap_or(body_end);
        let label_end = (j..first_block)
            .flat_map(|k| {
                let f = lines[k].figures_from().unwrap_or(lines[k].words.len());
                lines[k].words[..f].iter().map(|w| w.x1)
            })
            .fold(f64::NEG_INFINITY, f64::max);
        (first_block < body_end && label_end.is_finite())
            .then(|| header_words(lines, i, j, (labels_left, label_end, fig_start)))
            .flatten()
    })?;
    // Spans that grew into each other merge too, and spans holding two words of one line a space apart ("1" and
    // "000 €" under "2024": the "000" went to the heading it overlaps, the "1" left of it stood alone).
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let joined = |m: &Span, s: &Span| {
        m.2.iter().any(|&(k, n)| {
            s.2.contains(&(k, n + 1)) && lines[k].words[n + 1].x0 - lines[k].words[n].x1 <= 0.33 * lines[k].size
        })
    };
    let mut merged: Vec<Span> = Vec::new();
    for s in spans {
        match merged.last_mut() {
            Some(m) if s.0 < m.1 - 0.5 || joined(m, &s) => {
                m.1 = m.1.max(s.1);
                m.2.extend(s.2);
            }
            _ => merged.push(s),
        }
    }
    // Dense headers: where the body's figures stand in more columns than the header's words make spans
    // (headings a space apart run together), the columns are the figures' own, each headed by the words above it.
    // (Not where the figures are a statement's items and totals under each heading: `sub_columns`' case.)
    if sub_columns(lines, j..body_end, merged.len()).is_none() {
        if let Some(dense) = figure_columns(lines, j..body_end, &merged) {
            merged = dense;
        }
    }
    let columns: Vec<String> = merged
        .iter()
        .map(|(_, _, ws)| {
            let mut ws = ws.clone();
            ws.sort();
            let words: Vec<String> = ws.iter().map(|&(k, n)| lines[k].words[n].text.clone()).collect();
            join_header_parts(mend_words(&words).iter().map(String::as_str))
        })
        .collect();
    // Columns naming a scenario, or a year or period alone (a statement's years, read as its actuals by the
    // table reader, as in workbooks).
    let named = columns
        .iter()
        .filter(|c| {
            let h = classify(c);
            h.scenario.is_some() || h.year.is_some()
        })
        .count();
    if named < 2 {
        return None;
    }
    // Lines above the first with a column heading (a unit's name, the table's title) stay lines of their own.
    // Lines below the last with a column heading (a heading row without figures) are the body's.
    let first = merged.iter().flat_map(|m| m.2.iter().map(|&(k, _)| k)).min().unwrap_or(i);
    let last = merged.iter().flat_map(|m| m.2.iter().map(|&(k, _)| k)).max().unwrap_or(j - 1);
    let title: Vec<String> = title.into_iter().filter(|(k, _)| (first..=last).contains(k)).map(|(_, t)| t).collect();
    Some(Table {
        header: first..last + 1,
        body: last + 1..body_end,
        title: title.join(" "),
        starts: merged.iter().map(|m| m.0).collect(),
        sub: sub_columns(lines, last + 1..body_end, merged.len()),
        columns,
    })
}

/// The header lines `i..j`'s words: right of the labels the columns' headings (word spans), left of them a
/// title cell. None where a line runs across the table (prose, not a header).
fn header_words(
    lines: &[Line],
    i: usize,
    j: usize,
    (labels_left, label_end, fig_start): (f64, f64, f64),
) -> Option<(Vec<(usize, String)>, Spans)> {
    let mut title = Vec::new();
    let mut spans: Vec<Span> = Vec::new();
    for (k, line) in lines.iter().enumerate().take(j).skip(i) {
        // The line's leading run of words a space apart, from the labels' left edge, each starting left of the
        // labels' end: a title cell, which may run past the labels' end ("TULOSLASKELMA (ULKOINEN)") but not
        // into the figures.
        let mut run_end = 0;
        if line.words.first().is_some_and(|w| (w.x0 - labels_left).abs() <= line.size) {
            run_end = 1;
            while run_end < line.words.len()
                && line.words[run_end].x0 - line.words[run_end - 1].x1 <= 0.6 * line.size
                && line.words[run_end].x0 < label_end - 0.5
                && line.words[run_end].x1 < fig_start - 0.5
            {
                run_end += 1;
            }
        }
        // The run is a cell of its own: what follows on the line stands well apart (prose runs on a space away).
        let apart = line
            .words
            .get(run_end)
            .is_none_or(|next| run_end > 0 && next.x0 - line.words[run_end - 1].x1 > 1.5 * line.size);
        let run_past_labels = apart
            && line.words[..run_end].iter().any(|w| w.x1 > label_end + 0.5)
            && line.words[..run_end].iter().all(|w| w.x1 < fig_start - 0.5)
            && line.words[..run_end].iter().all(|w| classify(&w.text.to_uppercase()).scenario.is_none());
        for (n, w) in line.words.iter().enumerate() {
            if n < run_end && run_past_labels {
                title.push((k, w.text.clone()));
                continue;
            }
            if w.x0 < label_end - 0.5 {
                if w.x1 > label_end + 0.5 {
                    return None; // a line running across the table: prose, not a header
                }
                title.push((k, w.text.clone()));
                continue;
            }
            // A word going on a space after the title's last word is prose running on, not a column heading.
            if n > 0
                && title.last().is_some_and(|t: &(usize, String)| t.0 == k && t.1 == line.words[n - 1].text)
                && w.x0 - line.words[n - 1].x1 <= 0.6 * line.size
            {
                return None;
            }
            // Merge with a column it overlaps, or with the word before it on the line a space away.
            let near = spans.iter().position(|(a, b, ws)| {
                (w.x0 < *b + 0.5 && w.x1 > *a - 0.5)
                    || ws.last().is_some_and(|&(lk, ln)| {
                        lk == k && ln + 1 == n && w.x0 - lines[lk].words[ln].x1 <= 0.33 * line.size
                    })
            });
            match near {
                Some(p) => {
                    let s = &mut spans[p];
                    s.0 = s.0.min(w.x0);
                    s.1 = s.1.max(w.x1);
                    s.2.push((k, n));
                }
                None => spans.push((w.x0, w.x1, vec![(k, n)])),
            }
        }
    }
    Some((title, spans))
}

/// The body of a table whose first line with figures is `j`: lines close to each other, up to the first
/// line with words reaching into the figures (prose after the table). Returns where it ends, where its
/// labels end and where its figures start.
fn body_from(lines: &[Line], j: usize) -> Option<(usize, f64, f64)> {
    let mut end = j + 1;
    while end < lines.len() {
        if close(&lines[end - 1], &lines[end]) {
            end += 1;
            continue;
        }
        // A statement's groups stand a blank line apart: the body goes on over a gap of a line or two where
        // the line after it has figures, or names a line item with figures within three lines (a group's
        // headings, then its rows).
        let (above, below) = (&lines[end - 1], &lines[end]);
        let gap_ok = below.y - above.y <= 6.0 * above.size.max(below.size);
        let figures_follow = (end..(end + 3).min(lines.len()))
            .take_while(|&k| k == end || close(&lines[k - 1], &lines[k]))
            .any(|k| lines[k].has_figures());
        // The line after the gap names a line item (a group's heading, or a row with its figures).
        let f = below.figures_from().unwrap_or(below.words.len());
        let label = below.words[..f].iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ");
        let names_item = super::super::label::match_label(&label, None) != super::super::label::LabelMatch::Unknown;
        if gap_ok && (below.has_figures() || figures_follow && names_item) {
            end += 1;
            continue;
        }
        break;
    }
    // Where the label column ends: the figures of the body start right of every label.
    let fig_start =
        (j..end).filter_map(|k| lines[k].figures_from().map(|f| lines[k].words[f].x0)).fold(f64::INFINITY, f64::min);
    if !fig_start.is_finite() {
        return None;
    }
    let body_end = (j..end)
        .find(|&k| {
            let f = lines[k].figures_from().unwrap_or(lines[k].words.len());
            lines[k].words[..f].iter().any(|w| w.x1 > fig_start + 0.5)
        })
        .unwrap_or(end);
    if body_end == j {
        return None;
    }
    let label_end = (j..body_end)
        .flat_map(|k| {
            let f = lines[k].figures_from().unwrap_or(lines[k].words.len());
            lines[k].words[..f].iter().map(|w| w.x1)
        })
        .fold(f64::NEG_INFINITY, f64::max);
    Some((body_end, if label_end.is_finite() { label_end } else { fig_start }, fig_start))
}

/// A body row: its label parts with their lines, and its cells (None for a line with a label only).
struct Row {
    labels: Vec<String>,
    cells: Option<Vec<String>>,
    line: usize,
    y: f64,
    size: f64,
    /// The figures could not be laid by position: the line goes out as plain text.
    plain: Option<String>,
}

fn body_rows(lines: &[Line], t: &Table) -> Vec<(String, u32)> {
    let mut rows: Vec<Row> = Vec::new();
    let anchors = misaligned_anchors(lines, t);
    for k in t.body.clone() {
        let line = &lines[k];
        let f = line.figures_from().unwrap_or(line.words.len());
        let label = line.words[..f].iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ");
        let labels = if label.is_empty() { vec![] } else { vec![label] };
        let mut totals = None;
        let (cells, plain) = if f == line.words.len() {
            (None, None)
        } else if let Some(sub) = &t.sub {
            let (items, sums) = place_sub(&line.words[f..], sub, line.size);
            // A line with only a group's figure (the margin) holds it as its own.
            if items.iter().all(String::is_empty) {
                (Some(sums), None)
            } else {
                totals = sums.iter().any(|c| !c.is_empty()).then_some(sums);
                (Some(items), None)
            }
        } else {
            let placed = match &anchors {
                Some(a) => place_in_order(&line.words[f..], t.starts.len(), line.size)
                    .or_else(|| place_by_anchor(&line.words[f..], a, k, line.size)),
                None => place(&line.words[f..], &t.starts, line.size)
                    .or_else(|| place_in_order(&line.words[f..], t.starts.len(), line.size)),
            };
            match placed {
                Some(c) => (Some(c), None),
                None => (Some(vec![]), Some(line.plain())),
            }
        };
        rows.push(Row { labels, cells, line: k, y: line.y, size: line.size, plain });
        if let Some(sums) = totals {
            // The group's total, printed on its last item's line: a row of its own without a label, which
            // the table reader names by the group's heading where the items add up to it.
            rows.push(Row { labels: vec![], cells: Some(sums), line: k, y: line.y, size: line.size, plain: None });
        }
    }
    // A label wrapped in a narrow column: a row of figures without a label takes the label line above it
    // (cells aligned to the middle), and a line in lower case without figures continues the row above.
    let near = |a: &Row, b: &Row| (b.y - a.y).abs() <= 1.6 * a.size.max(b.size);
    let mut k = 1;
    while k < rows.len() {
        let (before, after) = rows.split_at_mut(k);
        let (prev, row) = (before.last_mut().unwrap_or_else(|| unreachable!()), &mut after[0]);
        let lower = row.labels.first().and_then(|l| l.chars().next()).is_some_and(char::is_lowercase);
        if row.cells.is_some() && row.labels.is_empty() && prev.cells.is_none() && near(prev, row) {
            row.labels = std::mem::take(&mut prev.labels);
            rows.remove(k - 1);
            continue;
        }
        // A label wrapped onto the line of its figures ("Suunnitelman mukaiset" / "poistot  -21 700 000").
        if row.cells.is_some() && lower && prev.cells.is_none() && !prev.labels.is_empty() && near(prev, row) {
            let mut labels = std::mem::take(&mut prev.labels);
            labels.append(&mut row.labels);
            row.labels = labels;
            rows.remove(k - 1);
            continue;
        }
        if row.cells.is_none() && lower && near(prev, row) {
            let more = std::mem::take(&mut row.labels);
            prev.labels.extend(more);
            rows.remove(k);
            continue;
        }
        k += 1;
    }
    rows.into_iter()
        .map(|r| {
            if let Some(p) = r.plain {
                return (p, r.line as u32 + 1);
            }
            // Labels are matched without their spaces, so a word broken by the column ("Henkilöstökul" /
            // "ut") matches as well as words wrapped whole.
            let label = r.labels.join(" ");
            let cells = r.cells.unwrap_or_else(|| vec![String::new(); t.starts.len()]);
            let mut text = label;
            for c in cells {
                text.push('\t');
                text.push_str(&c);
            }
            (text, r.line as u32 + 1)
        })
        .collect()
}

/// A figure word's whole part and its decimals after a comma or point (`922,02` → `922`, `02`).
fn split_decimals(w: &str) -> (&str, Option<&str>) {
    match w.find([',', '.']) {
        Some(p) => (&w[..p], Some(&w[p + 1..])),
        None => (w, None),
    }
}

/// Lays a row's figure words into the columns: the words are grouped into numbers (a minus or a wider gap
/// starts one, later groups have exactly three digits one space apart), each number goes to the column whose
/// start is the last left of its right edge. None when two numbers fall in one column or one left of all.
fn place(words: &[Word], starts: &[f64], size: f64) -> Option<Vec<String>> {
    let numbers = numbers(words, size);
    let mut cells = vec![String::new(); starts.len()];
    let mut last: Option<usize> = None;
    for (text, x1) in numbers {
        let col = starts.iter().rposition(|&s| s <= x1 + 1.0)?;
        if last.is_some_and(|l| l >= col) {
            return None;
        }
        last = Some(col);
        cells[col] = text;
    }
    Some(cells)
}

/// Columns from the body's figures, for a header whose headings run together: the figures' right edges in
/// groups, more groups than the header has spans, every line's figures in distinct groups. Each column is
/// headed by the header words whose centre falls between the previous column's right edge and its own; a
/// group heading above several columns ("Määrärahat 1000€" over five, "Tuloarviot 1000€" over the next five:
/// the header's first line, fewer word runs than half the columns) heads the columns from the one it starts
/// over to the one before the next group heading's.
fn figure_columns(lines: &[Line], body: std::ops::Range<usize>, merged: &[Span]) -> Option<Vec<Span>> {
    let size = body.clone().filter_map(|k| lines.get(k)).map(|l| l.size).fold(0.0, f64::max);
    let per_line: Vec<Vec<(String, f64)>> = body
        .clone()
        .filter_map(|k| lines.get(k))
        .filter_map(|l| l.figures_from().map(|f| numbers(&l.words[f..], l.size)))
        .collect();
    let mut edges: Vec<f64> = per_line.iter().flatten().map(|(_, x1)| *x1).collect();
    edges.sort_by(f64::total_cmp);
    let mut groups: Vec<(f64, f64)> = Vec::new();
    for x in edges {
        match groups.last_mut() {
            Some(g) if x - g.1 <= 1.5 * size => g.1 = x,
            _ => groups.push((x, x)),
        }
    }
    // More groups than headings, and a line with more figures than headings (else the groups are blocks of
    // rows set off their headings by different amounts: `misaligned_anchors`' case).
    let most = per_line.iter().map(Vec::len).max().unwrap_or(0);
    if groups.len() <= merged.len() || groups.len() < 3 || most <= merged.len() {
        return None;
    }
    let group_of = |x1: f64| groups.iter().position(|g| x1 >= g.0 - 0.5 && x1 <= g.1 + 0.5);
    let distinct = per_line.iter().all(|n| {
        let gs: Vec<Option<usize>> = n.iter().map(|(_, x1)| group_of(*x1)).collect();
        gs.iter().all(Option::is_some) && gs.windows(2).all(|w| w[0] < w[1])
    });
    if !distinct {
        return None;
    }
    let words: Vec<(usize, usize)> = merged.iter().flat_map(|m| m.2.iter().copied()).collect();
    let first_line = words.iter().map(|&(k, _)| k).min()?;
    let top: Vec<(usize, usize)> = words.iter().copied().filter(|&(k, _)| k == first_line).collect();
    // The first line heads groups of columns when it has fewer word runs than half the columns.
    let centre = |&(k, n): &(usize, usize)| (lines[k].words[n].x0 + lines[k].words[n].x1) / 2.0;
    let mut runs: Vec<Vec<(usize, usize)>> = Vec::new();
    for &w in &top {
        let gap_ok = runs
            .last()
            .and_then(|r| r.last())
            .is_some_and(|&(k, n)| n + 1 == w.1 && lines[k].words[w.1].x0 - lines[k].words[n].x1 <= 0.6 * size);
        match runs.last_mut() {
            Some(r) if gap_ok => r.push(w),
            _ => runs.push(vec![w]),
        }
    }
    let grouped = runs.len() >= 2 && 2 * runs.len() <= groups.len();
    // Each column starts right after the one before it ends, so that every figure falls in its own.
    let mut out: Vec<Span> = (0..groups.len())
        .map(|c| (if c == 0 { groups[0].0 - 4.0 * size } else { groups[c - 1].1 + 1.5 }, groups[c].1, Vec::new()))
        .collect();
    for &w in &words {
        if grouped && w.0 == first_line {
            continue;
        }
        let x = centre(&w);
        let c = (0..groups.len()).find(|&c| x <= groups[c].1 + 0.5 * size).unwrap_or(groups.len() - 1);
        out[c].2.push(w);
    }
    if grouped {
        // A group heading heads the columns from the one it starts over to the one before the next heading's.
        let run_start = |r: &Vec<(usize, usize)>| lines[r[0].0].words[r[0].1].x0;
        for (c, span) in out.iter_mut().enumerate() {
            let label = runs.iter().rev().find(|r| run_start(r) <= groups[c].1).or(runs.first());
            if let Some(r) = label {
                span.2.splice(0..0, r.iter().copied());
            }
        }
    }
    // Under a group heading every column has its own heading too. Elsewhere a column whose heading the page
    // lacks stays a column without one (the table reader reads it only where the table's arithmetic shows what
    // it is), as long as two columns have theirs.
    let headed = out.iter().filter(|span| !span.2.is_empty()).count();
    let ok = if grouped { out.iter().all(|span| span.2.iter().any(|&(k, _)| k != first_line)) } else { headed >= 2 };
    ok.then_some(out)
}

/// A statement's sub-columns: where the body's lines hold up to twice as many figures as there are columns
/// and the figures' right edges fall into twice as many groups, the groups' right edges (the items' figures
/// left, the groups' totals right, under each heading). None for an ordinary table.
fn sub_columns(lines: &[Line], body: std::ops::Range<usize>, columns: usize) -> Option<Vec<f64>> {
    if columns == 0 || body.is_empty() {
        return None;
    }
    let per_line: Vec<Vec<(String, f64)>> = body
        .clone()
        .filter_map(|k| lines.get(k))
        .filter_map(|l| l.figures_from().map(|f| numbers(&l.words[f..], l.size)))
        .collect();
    let most = per_line.iter().map(Vec::len).max().unwrap_or(0);
    if most != 2 * columns {
        return None;
    }
    let size = body.clone().filter_map(|k| lines.get(k)).map(|l| l.size).fold(0.0, f64::max);
    let mut edges: Vec<f64> = per_line.iter().flatten().map(|(_, x1)| *x1).collect();
    edges.sort_by(f64::total_cmp);
    // Groups of right edges within a few characters of each other.
    let mut groups: Vec<Vec<f64>> = Vec::new();
    for x in edges {
        match groups.last_mut() {
            Some(g) if x - g[g.len() - 1] <= 1.5 * size => g.push(x),
            _ => groups.push(vec![x]),
        }
    }
    (groups.len() == 2 * columns).then(|| groups.iter().map(|g| g.iter().copied().fold(f64::MIN, f64::max)).collect())
}

/// A statement line's figures by sub-column: the items' cells and the groups' totals' cells, a column each.
fn place_sub(words: &[Word], sub: &[f64], size: f64) -> (Vec<String>, Vec<String>) {
    let columns = sub.len() / 2;
    let (mut items, mut sums) = (vec![String::new(); columns], vec![String::new(); columns]);
    for (text, x1) in numbers(words, size) {
        let nearest = (0..sub.len()).min_by(|&a, &b| (sub[a] - x1).abs().total_cmp(&(sub[b] - x1).abs()));
        if let Some(k) = nearest {
            let cells = if k % 2 == 0 { &mut items } else { &mut sums };
            cells[k / 2] = text;
        }
    }
    (items, sums)
}

/// The full rows of a table whose figures stand off their headings, and each body line's block.
struct Anchors {
    /// Each full row's line, block and figures' right edges.
    full: Vec<(usize, usize, Vec<f64>)>,
    /// The block of each line of the body, from its first (lines a blank line apart are in other blocks).
    blocks: Vec<usize>,
    first: usize,
}

/// For a table whose figures stand off their headings (fixed-width text of a PDF in proportional print, each
/// block of rows set off by its own amount): the rows with a figure in every column, where at least one of
/// them the headings cannot place. Such a row lays its figures in order, and gives its block's columns' right
/// edges. None where the headings place every full row (or there is none).
fn misaligned_anchors(lines: &[Line], t: &Table) -> Option<Anchors> {
    let columns = t.starts.len();
    if t.sub.is_some() || columns == 0 {
        return None;
    }
    let (mut block, mut full, mut blocks, mut off) = (0, Vec::new(), Vec::new(), false);
    for k in t.body.clone() {
        let line = &lines[k];
        if k > t.body.start && blank_between(&lines[k - 1], line) {
            block += 1;
        }
        blocks.push(block);
        let Some(f) = line.figures_from() else { continue };
        let numbers = numbers(&line.words[f..], line.size);
        if numbers.len() == columns {
            off |= place(&line.words[f..], &t.starts, line.size).is_none();
            full.push((k, block, numbers.iter().map(|n| n.1).collect()));
        }
    }
    (off && !full.is_empty()).then_some(Anchors { full, blocks, first: t.body.start })
}

/// A row laid by the full row of its block (else the nearest full row): each figure to the column whose right
/// edge there is nearest its own, within a character's size, one figure a column, in order. None where a
/// figure is farther from every edge, or two go to one column.
fn place_by_anchor(words: &[Word], anchors: &Anchors, line: usize, size: f64) -> Option<Vec<String>> {
    let block = anchors.blocks.get(line - anchors.first).copied();
    let nearest =
        |same: bool| anchors.full.iter().filter(|a| !same || Some(a.1) == block).min_by_key(|a| a.0.abs_diff(line));
    let edges = &nearest(true).or_else(|| nearest(false))?.2;
    let mut cells = vec![String::new(); edges.len()];
    let mut last: Option<usize> = None;
    for (text, x1) in numbers(words, size) {
        let col = (0..edges.len()).min_by(|&a, &b| (edges[a] - x1).abs().total_cmp(&(edges[b] - x1).abs()))?;
        if (edges[col] - x1).abs() > size || last.is_some_and(|l| l >= col) {
            return None;
        }
        last = Some(col);
        cells[col] = text;
    }
    Some(cells)
}

/// Where [`place`] fails (figures set off their headings, as a text rendering of a PDF in fixed-width
/// characters does): a row with a figure for every column lays them in order, which alone is then certain.
/// None for a row with fewer figures than columns: which are blank cannot be told.
fn place_in_order(words: &[Word], columns: usize, size: f64) -> Option<Vec<String>> {
    let numbers = numbers(words, size);
    (numbers.len() == columns && columns > 0).then(|| numbers.into_iter().map(|(text, _)| text).collect())
}

/// A row's figure words grouped into numbers with their right edges.
fn numbers(words: &[Word], size: f64) -> Vec<(String, f64)> {
    let mut numbers: Vec<(String, f64)> = Vec::new();
    // Whether the number being read can take another group of three digits.
    let mut open = false;
    let mut prev_x1 = f64::NEG_INFINITY;
    for w in words {
        let gap = w.x0 - prev_x1;
        let (whole, decimals) = split_decimals(&w.text);
        let group = whole.len() == 3 && whole.chars().all(|c| c.is_ascii_digit());
        let last = numbers.last_mut().filter(|_| open && group && gap <= 0.4 * size);
        if let Some(last) = last {
            last.0.push_str(&w.text);
            last.1 = w.x1;
        } else {
            numbers.push((w.text.clone(), w.x1));
            let d = whole.strip_prefix('-').unwrap_or(whole);
            open = (1..=3).contains(&d.len()) && d.chars().all(|c| c.is_ascii_digit()) && !d.starts_with('0');
        }
        // A decimal part ends the number.
        open &= decimals.is_none();
        prev_x1 = w.x1;
    }
    numbers
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIZE: f64 = 7.0;
    const ADVANCE: f64 = 3.9;
    const SPACE: f64 = 1.9;

    /// Glyphs of words one space apart starting at `x0`.
    fn text(s: &str, x0: f64, y: f64) -> Vec<Glyph> {
        let mut out = Vec::new();
        let mut x = x0;
        for (k, word) in s.split(' ').enumerate() {
            if k > 0 {
                x += SPACE;
            }
            for c in word.chars() {
                out.push(Glyph { x0: x, x1: x + ADVANCE, y, size: SIZE, text: c.to_string() });
                x += ADVANCE;
            }
        }
        out
    }

    /// A figure right-aligned at `right`, its digit groups one space apart.
    fn figure(s: &str, right: f64, y: f64) -> Vec<Glyph> {
        let width = s.chars().filter(|c| *c != ' ').count() as f64 * ADVANCE + s.matches(' ').count() as f64 * SPACE;
        text(s, right - width, y)
    }

    /// A table with its header at the columns' left edges and figures right-aligned 57 pt further on.
    fn table(rows: &[(&str, [&str; 5])]) -> Vec<Glyph> {
        let starts = [100.0, 160.0, 220.0, 280.0, 340.0];
        let mut g = Vec::new();
        for (k, h) in ["TA 2024", "TA-MUUTOKSET", "TA 2024 MUUTETTU", "TP 2024", "POIKKEAMA"].iter().enumerate() {
            for (n, part) in h.split(' ').enumerate() {
                g.extend(text(part, starts[k], 20.0 + 8.0 * n as f64));
            }
        }
        for (r, (label, cells)) in rows.iter().enumerate() {
            let y = 48.0 + 10.0 * r as f64;
            g.extend(text(label, 10.0, y));
            for (k, c) in cells.iter().enumerate() {
                if !c.is_empty() {
                    g.extend(figure(c, starts[k] + 57.0, y));
                }
            }
        }
        g
    }

    fn out(g: Vec<Glyph>) -> Vec<String> {
        let mut carry = Carry::default();
        let mut lines: Vec<String> = page_text(g, 1, &mut carry).into_iter().map(|(l, _)| l).collect();
        lines.extend(carry.finish().into_iter().map(|(l, _)| l));
        lines
    }

    #[test]
    fn figures_go_to_the_column_under_whose_header_they_end() {
        let lines = out(table(&[
            ("Toimintatuotot", ["1 234", "567", "1 801", "1 800", "-1"]),
            ("Muut toimintatuotot", ["", "", "", "1", "1"]),
            ("Maksutuotot", ["", "", "", "", ""]),
        ]));
        assert_eq!(lines[0], "\tTA 2024\tTA-MUUTOKSET\tTA 2024 MUUTETTU\tTP 2024\tPOIKKEAMA");
        // "1 234 567" would be one number by the digit rules; the gap and the columns split it.
        assert_eq!(lines[1], "Toimintatuotot\t1234\t567\t1801\t1800\t-1");
        assert_eq!(lines[2], "Muut toimintatuotot\t\t\t\t1\t1");
        assert_eq!(lines[3], "Maksutuotot\t\t\t\t\t");
    }

    #[test]
    fn a_money_unit_under_a_year_heads_one_column_and_a_missing_heading_leaves_a_column_without_one() {
        // "2024" over "1 000 €" whose "1" stands left of the year: one heading, not two columns.
        let mut g = Vec::new();
        g.extend(text("2024", 104.0, 20.0));
        g.extend(text("2023", 164.0, 20.0));
        g.extend(text("1 000 €", 100.0, 28.0));
        g.extend(text("1 000 €", 160.0, 28.0));
        for (r, (label, a, b)) in
            [("Toimintatuotot", "42 998", "27 935"), ("Toimintakulut", "-221 748", "-220 093")].iter().enumerate()
        {
            let y = 40.0 + 10.0 * r as f64;
            g.extend(text(label, 10.0, y));
            g.extend(figure(a, 130.0, y));
            g.extend(figure(b, 190.0, y));
        }
        let lines = out(g);
        assert_eq!(lines[0], "\t2024 1 000 €\t2023 1 000 €");
        assert_eq!(lines[1], "Toimintatuotot\t42998\t27935");
        // Headings over the first and last of three columns of figures: the middle one comes out without a
        // heading (the table reader decides what it is), not as two figures in one column.
        let mut g = Vec::new();
        g.extend(text("Talousarvio €", 100.0, 20.0));
        g.extend(text("Poikkeama €", 220.0, 20.0));
        g.extend(text("Toimintatulot", 10.0, 30.0));
        g.extend(figure("404 800", 150.0, 30.0));
        g.extend(figure("425 769", 210.0, 30.0));
        g.extend(figure("20 969", 270.0, 30.0));
        g.extend(text("Toimintamenot", 10.0, 40.0));
        g.extend(figure("2 887 200", 150.0, 40.0));
        g.extend(figure("2 866 441", 210.0, 40.0));
        g.extend(figure("20 759", 270.0, 40.0));
        let lines = out(g);
        assert_eq!(lines[0], "\tTALOUSARVIO €\t\tPOIKKEAMA €");
        assert_eq!(lines[1], "Toimintatulot\t404800\t425769\t20969");
    }

    #[test]
    fn a_minus_sign_set_above_its_figure_joins_it() {
        let mut g = table(&[("Toimintatuotot", ["1 234", "", "1 234", "1 200", "-34"])]);
        g.extend(text("Toimintakulut", 10.0, 58.0));
        for (k, f) in ["5 000", "5 000", "4 800"].iter().enumerate() {
            let right = [157.0, 277.0, 337.0][k];
            let mut fig = figure(f, right, 58.0);
            if k < 2 {
                // The minus 2 pt above the baseline, right before the figure.
                let x0 = fig[0].x0 - ADVANCE;
                fig.push(Glyph { x0, x1: x0 + ADVANCE, y: 56.0, size: SIZE, text: "-".into() });
            }
            g.extend(fig);
        }
        let lines = out(g);
        assert_eq!(lines[2], "Toimintakulut\t-5000\t\t-5000\t4800\t");
    }

    /// Fixed-width text as glyphs, as the page-text reader makes them: a character an advance of 1, size 3.5.
    fn laid(text: &str) -> Vec<Glyph> {
        let mut g = Vec::new();
        for (k, line) in text.lines().enumerate() {
            for (x, c) in line.chars().enumerate().filter(|(_, c)| !c.is_whitespace()) {
                let x0 = x as f64;
                g.push(Glyph { x0, x1: x0 + 1.0, y: 4.2 * (k as f64 + 1.0), size: 3.5, text: c.to_string() });
            }
        }
        g
    }

    #[test]
    fn blocks_of_rows_set_off_their_headings_are_laid_by_their_full_rows() {
        // pdftotext's rendering of Seinäjoki's p. 88: the second block stands 4 to 7 characters right of the
        // first, its labels under the first heading, its budget figure under the second.
        let lines = out(laid(
            "Talous                              Talousarvio €  Toteutuma €                     Poikkeama €
Toimintatulot        Alkuperäinen        1 501 700
Kv 27.5. §45         Muutos                123 000
                     Yhteensä            1 350 500     1 076 832                          -273 668

Toimintamenot               Alkuperäinen            1 688 400
Kv 22.4. §26                Muutos                     -7 800
                            Yhteensä                2 240 300        2 129 729            110 571

Netto (Toimintakate)                                 -889 800       -1 052 897            -163 097",
        ));
        assert_eq!(lines[0], "Talous\tTALOUSARVIO €\tTOTEUTUMA €\tPOIKKEAMA €");
        assert_eq!(lines[1], "Toimintatulot Alkuperäinen\t1501700\t\t");
        assert_eq!(lines[3], "Yhteensä\t1350500\t1076832\t-273668");
        assert_eq!(lines[4], "Toimintamenot Alkuperäinen\t1688400\t\t", "not under the second heading");
        assert_eq!(lines[5], "Kv 22.4. §26 Muutos\t-7800\t\t");
        assert_eq!(lines[7], "Netto (Toimintakate)\t-889800\t-1052897\t-163097");
    }

    #[test]
    fn a_row_the_positions_cannot_place_stays_plain_text() {
        let mut g = table(&[("Toimintatuotot", ["1 234", "", "1 234", "1 200", "-34"])]);
        // A second figure squeezed into the TP column: two numbers in one column.
        g.extend(text("Toimintakulut", 10.0, 58.0));
        g.extend(figure("5", 320.0, 58.0));
        g.extend(figure("7", 337.0, 58.0));
        let lines = out(g);
        assert_eq!(lines[2], "Toimintakulut  5  7", "wide gaps kept for the text rules");
    }

    #[test]
    fn wrapped_labels_join_the_row_their_figures_stand_on() {
        let mut g = table(&[("Toimintatuotot", ["1", "", "1", "1", ""])]);
        // Figures on the middle line of a label over two lines, then a label continued in lower case.
        g.extend(text("Poistot ja", 10.0, 56.0));
        g.extend(figure("-44 595", 157.0, 60.0));
        g.extend(text("arvonalentumiset", 10.0, 64.0));
        g.extend(text("Sisäiset erät", 10.0, 74.0));
        g.extend(figure("-1", 157.0, 74.0));
        g.extend(text("yhteensä", 10.0, 80.0));
        let lines = out(g);
        assert_eq!(lines[2], "Poistot ja arvonalentumiset\t-44595\t\t\t\t");
        assert_eq!(lines[3], "Sisäiset erät yhteensä\t-1\t\t\t\t");
    }

    #[test]
    fn prose_ends_the_table_and_one_scenario_is_no_table() {
        let mut g = table(&[("Toimintatuotot", ["1", "", "1", "1", ""])]);
        g.extend(text("Tekstiä taulukon jälkeen, joka kulkee sarakkeiden yli kokonaan 2024", 10.0, 60.0));
        let lines = out(g);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[2], "Tekstiä taulukon jälkeen, joka kulkee sarakkeiden yli kokonaan 2024");

        let mut g = text("TILINPÄÄTÖS 2024", 100.0, 20.0);
        g.extend(text("Toimintatuotot", 10.0, 30.0));
        g.extend(figure("1 234 567", 157.0, 30.0));
        assert_eq!(out(g), vec!["TILINPÄÄTÖS 2024", "Toimintatuotot  1 234 567"]);
    }
}
