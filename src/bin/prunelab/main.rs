//! The `prunelab` command-line tool.

fn main() {}
