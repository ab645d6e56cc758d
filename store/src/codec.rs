//! Unsigned integers in SQLite columns.
//!
//! SQLite integers are signed 64-bit. Times, seqs and durations are `u64` in the API; they are
//! stored as the same non-negative `i64`, and a value above `i64::MAX` is refused with an error
//! instead of wrapping around (rusqlite's own `u64` support is an optional feature we leave
//! off so the whole workspace keeps one rusqlite configuration).

use rusqlite::Row;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

/// A `u64` bound as a parameter or read from a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct U64(pub(crate) u64);

impl ToSql for U64 {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        let value = i64::try_from(self.0).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        Ok(ToSqlOutput::from(value))
    }
}

impl FromSql for U64 {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let signed = value.as_i64()?;
        u64::try_from(signed).map(U64).map_err(|_| FromSqlError::OutOfRange(signed))
    }
}

/// Reads column `index` as a `u64`.
pub(crate) fn u64_at(row: &Row<'_>, index: usize) -> rusqlite::Result<u64> {
    row.get::<_, U64>(index).map(|v| v.0)
}

/// Reads column `index` as an optional `u64`.
pub(crate) fn opt_u64_at(row: &Row<'_>, index: usize) -> rusqlite::Result<Option<u64>> {
    row.get::<_, Option<U64>>(index).map(|v| v.map(|v| v.0))
}
