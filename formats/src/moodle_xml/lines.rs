//! Turns the byte offsets the XML reader reports into the 1-based line and column (in
//! characters) a teacher sees in an editor.

/// Where each line of a text starts.
pub(crate) struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    /// Indexes `text`.
    pub(crate) fn new(text: &'t str) -> Self {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Self { text, starts }
    }

    /// The 1-based line and character column of byte `offset` (clamped to the text).
    pub(crate) fn locate(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line_index = self.starts.partition_point(|&start| start <= offset).saturating_sub(1);
        let line_start = self.starts.get(line_index).copied().unwrap_or(0);
        let column = self
            .text
            .get(line_start..)
            .map_or(0, |rest| rest.char_indices().take_while(|(i, _)| line_start + i < offset).count());
        (to_u32(line_index + 1), to_u32(column + 1))
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_character_columns() {
        let text = "<quiz>\n  <câu>\n<x>";
        let index = LineIndex::new(text);
        assert_eq!(index.locate(0), (1, 1));
        assert_eq!(index.locate(7), (2, 1));
        assert_eq!(index.locate(9), (2, 3));
        // "<câu>" has a two-byte 'â': the '>' is byte 13 but character column 7.
        assert_eq!(index.locate(text.find("u>").map_or(0, |i| i + 1)), (2, 7));
        assert_eq!(index.locate(text.len() + 10), (3, 4));
    }
}
