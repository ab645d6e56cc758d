//! Which form each student sits, so that neighbours do not share one.
//!
//! With seat labels that name a grid position (`A3`, `B12`: row letter, column number; or
//! `3-4`: row-column), form = (row + column) mod n: the students left, right, in front and
//! behind always have another form (with two forms that is a checkerboard). Without usable seat
//! labels, students get forms in turn down the roster, which is the order they are usually
//! seated in.

/// A grid position parsed from a seat label.
fn grid(seat: &str) -> Option<(u32, u32)> {
    let seat = seat.trim();
    if let Some((row, col)) = seat.split_once(['-', '.', '/']) {
        return Some((row.trim().parse().ok()?, col.trim().parse().ok()?));
    }
    let letters: String = seat.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let digits = &seat[letters.len()..];
    if letters.len() != 1 || digits.is_empty() {
        return None;
    }
    let row = u32::from(letters.to_ascii_uppercase().as_bytes()[0] - b'A');
    Some((row, digits.parse().ok()?))
}

/// The form index for each student, in roster order, given their seat labels.
pub fn assign_forms(seats: &[Option<&str>], form_count: u32) -> Vec<u32> {
    let n = form_count.max(1);
    let grids: Option<Vec<(u32, u32)>> = seats.iter().map(|s| s.and_then(grid)).collect();
    match grids {
        Some(grids) => grids.into_iter().map(|(r, c)| (r + c) % n).collect(),
        None => (0..seats.len()).map(|i| (i as u32) % n).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbours_on_a_grid_differ() {
        let labels: Vec<String> =
            (0..5).flat_map(|r| (1..=6).map(move |c| format!("{}{c}", char::from(b'A' + r)))).collect();
        let seats: Vec<Option<&str>> = labels.iter().map(|l| Some(l.as_str())).collect();
        for n in [2, 3, 4] {
            let forms = assign_forms(&seats, n);
            let at = |r: usize, c: usize| forms[r * 6 + c];
            for r in 0..5 {
                for c in 0..6 {
                    if c + 1 < 6 {
                        assert_ne!(at(r, c), at(r, c + 1), "left-right, {n} forms");
                    }
                    if r + 1 < 5 {
                        assert_ne!(at(r, c), at(r + 1, c), "front-back, {n} forms");
                    }
                }
            }
            assert!((0..n).all(|f| forms.contains(&f)), "every form used");
        }
    }

    #[test]
    fn roster_order_without_seats_and_row_column_labels() {
        assert_eq!(assign_forms(&[None, None, None, None, None], 4), vec![0, 1, 2, 3, 0]);
        assert_eq!(assign_forms(&[Some("1-1"), Some("1-2"), Some("2-1")], 2), vec![0, 1, 1]);
        assert_eq!(assign_forms(&[Some("A1"), Some("bàn đầu")], 2), vec![0, 1], "one odd label: roster order");
        assert_eq!(assign_forms(&[], 3), Vec::<u32>::new());
    }
}
