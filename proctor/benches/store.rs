//! Store benchmark: written by the store work in progress; see the `pstore` branch.

fn main() {}
