//! Where each seat goes on the map: from the roster's seat labels (`A3` → row A, column 3;
//! `2-4` → row 2, column 4), or in reading order on a grid when labels are missing or do not
//! parse. Computed once per roster, not per frame.

use std::collections::BTreeMap;

/// A parsed seat label.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SeatPosition {
    /// The row's name (`A`, `2`), sorted letters-then-numbers as written.
    pub row: RowKey,
    /// The column, from 1.
    pub column: u32,
}

/// A row name that sorts `A < B < … < Z < AA` and `2 < 10`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RowKey {
    length: usize,
    name: String,
}

impl RowKey {
    fn new(name: &str) -> Self {
        RowKey { length: name.len(), name: name.to_ascii_uppercase() }
    }

    /// The row's name as shown.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// Columns beyond this are not a room layout but a typo (and would allocate a huge row).
pub const MAX_COLUMNS: u32 = 200;

/// Parses `A3`, `b12`, `2-4`, `2.4` or `2/4`; `None` for anything else.
pub fn parse_seat(label: &str) -> Option<SeatPosition> {
    let label = label.trim();
    if let Some((row, column)) = label.split_once(['-', '.', '/']) {
        let (row, column) = (row.trim(), column.trim());
        if row.is_empty() || !row.chars().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        let column = column.parse::<u32>().ok().filter(|c| (1..=MAX_COLUMNS).contains(c))?;
        return Some(SeatPosition { row: RowKey::new(row), column });
    }
    let split = label.find(|c: char| !c.is_ascii_alphabetic())?;
    let (row, column) = label.split_at(split);
    if row.is_empty() {
        return None;
    }
    let column = column.parse::<u32>().ok().filter(|c| (1..=MAX_COLUMNS).contains(c))?;
    Some(SeatPosition { row: RowKey::new(row), column })
}

/// The map: rows of cells, each cell an index into the seats it was built from (or empty).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SeatGrid {
    /// Row names, top to bottom.
    pub row_names: Vec<String>,
    /// `rows[r][c]`: the seat at row `r`, column `c + 1`.
    pub rows: Vec<Vec<Option<usize>>>,
}

impl SeatGrid {
    /// Lays out `labels` (one per seat, in roster order). Seats whose labels parse go where they
    /// say (a second seat with the same label goes to the end of that row); the others fill
    /// rows of `fallback_columns` after them, in roster order.
    pub fn build(labels: &[Option<&str>], fallback_columns: usize) -> SeatGrid {
        let mut by_row: BTreeMap<RowKey, BTreeMap<u32, Vec<usize>>> = BTreeMap::new();
        let mut unplaced = Vec::new();
        for (index, label) in labels.iter().enumerate() {
            match label.and_then(parse_seat) {
                Some(position) => {
                    by_row.entry(position.row).or_default().entry(position.column).or_default().push(index)
                }
                None => unplaced.push(index),
            }
        }
        let mut grid = SeatGrid::default();
        for (row, columns) in by_row {
            let width = columns.keys().next_back().copied().unwrap_or(0) as usize;
            let mut cells = vec![None; width];
            let mut extra = Vec::new();
            for (column, seats) in columns {
                let mut seats = seats.into_iter();
                if let (Some(first), Some(cell)) = (seats.next(), cells.get_mut(column as usize - 1)) {
                    *cell = Some(first);
                }
                extra.extend(seats);
            }
            cells.extend(extra.into_iter().map(Some));
            grid.row_names.push(row.name().to_owned());
            grid.rows.push(cells);
        }
        let columns = fallback_columns.max(1);
        for (number, chunk) in unplaced.chunks(columns).enumerate() {
            grid.row_names.push(format!("#{}", number + 1));
            grid.rows.push(chunk.iter().copied().map(Some).collect());
        }
        grid
    }

    /// The widest row.
    pub fn columns(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn labels_parse_as_rows_and_columns() {
        let position = |row: &str, column| Some(SeatPosition { row: RowKey::new(row), column });
        assert_eq!(parse_seat("A3"), position("A", 3));
        assert_eq!(parse_seat(" b12 "), position("B", 12));
        assert_eq!(parse_seat("2-4"), position("2", 4));
        assert_eq!(parse_seat("3/1"), position("3", 1));
        for bad in ["", "A", "12", "A0", "A201", "A99999999999", "Ghế 3", "-4", "A-", "A3B"] {
            assert_eq!(parse_seat(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_grid_follows_labels_then_fills_the_rest() {
        let labels = [Some("B2"), Some("A1"), None, Some("A3"), Some("bàn cuối"), Some("A1")];
        let grid = SeatGrid::build(&labels, 2);
        assert_eq!(grid.row_names, ["A", "B", "#1"]);
        assert_eq!(grid.rows[0], [Some(1), None, Some(3), Some(5)]);
        assert_eq!(grid.rows[1], [None, Some(0)]);
        assert_eq!(grid.rows[2], [Some(2), Some(4)]);
        assert_eq!(grid.columns(), 4);
    }

    proptest! {
        /// Every seat appears exactly once whatever the labels.
        #[test]
        fn every_seat_is_placed_once(labels in proptest::collection::vec(proptest::option::of("[A-Za-z0-9./ -]{0,5}"), 0..60)) {
            let borrowed: Vec<Option<&str>> = labels.iter().map(|l| l.as_deref()).collect();
            let grid = SeatGrid::build(&borrowed, 7);
            let mut seen: Vec<usize> = grid.rows.iter().flatten().flatten().copied().collect();
            seen.sort_unstable();
            prop_assert_eq!(seen, (0..labels.len()).collect::<Vec<_>>());
        }
    }
}
