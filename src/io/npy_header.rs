//! The `.npy` header dictionary: a Python literal such as
//! `{'descr': '<f4', 'fortran_order': False, 'shape': (8, 1, 5, 5), }`.
//!
//! The parser accepts exactly what NumPy's writer produces and what `ast.literal_eval` would read for
//! these three keys: single- or double-quoted strings without escapes, `True`/`False`, and a tuple of
//! non-negative decimal integers (`()` is a scalar, `(3,)` a vector; `(3)` is an int in Python, so it is
//! rejected). Whitespace may appear between tokens; after the closing `}` only whitespace may follow
//! (NumPy pads with spaces and ends with `\n`). Each key must appear exactly once and no other key is
//! allowed. Errors are plain strings; the caller adds the tensor name.

/// The three fields every `.npy` header declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HeaderDict {
    /// The dtype string, e.g. `<f4`.
    pub descr: String,
    /// Whether the data is stored column-major.
    pub fortran_order: bool,
    /// The array's shape; empty for a scalar.
    pub shape: Vec<usize>,
}

/// NumPy itself refuses arrays with more dimensions than this (`NPY_MAXDIMS` in NumPy 2).
pub(crate) const MAX_DIMENSIONS: usize = 64;

/// Formats the dict NumPy writes for a C-order float32 array, without padding.
pub(crate) fn format_f32_header_dict(shape: &[usize]) -> String {
    let shape_text = match shape {
        [] => "()".to_string(),
        [only] => format!("({only},)"),
        dims => {
            let parts: Vec<String> = dims.iter().map(|dim| dim.to_string()).collect();
            format!("({})", parts.join(", "))
        }
    };
    format!("{{'descr': '<f4', 'fortran_order': False, 'shape': {shape_text}, }}")
}

/// Parses a header dict (see the module docs for what is accepted).
pub(crate) fn parse_header_dict(text: &str) -> Result<HeaderDict, String> {
    let mut cursor = Cursor { text, position: 0 };
    let mut descr = None;
    let mut fortran_order = None;
    let mut shape = None;

    cursor.skip_whitespace();
    cursor.expect('{')?;
    loop {
        cursor.skip_whitespace();
        if cursor.eat('}') {
            break;
        }
        let key = cursor.string()?;
        cursor.skip_whitespace();
        cursor.expect(':')?;
        cursor.skip_whitespace();
        let already_seen = match key {
            "descr" => descr.replace(cursor.string()?.to_string()).is_some(),
            "fortran_order" => fortran_order.replace(cursor.boolean()?).is_some(),
            "shape" => shape.replace(cursor.shape()?).is_some(),
            other => {
                return Err(format!(
                "header has unexpected key '{other}' (allowed: 'descr', 'fortran_order', 'shape')"
            ))
            }
        };
        if already_seen {
            return Err(format!("header repeats the key '{key}'"));
        }
        cursor.skip_whitespace();
        if cursor.eat('}') {
            break;
        }
        cursor.expect(',')?;
    }
    cursor.skip_whitespace();
    if !cursor.rest().is_empty() {
        return Err(format!(
            "header has text after the closing '}}' at byte {} (only spaces and a newline may follow)",
            cursor.position
        ));
    }

    let missing = |key: &str| format!("header lacks the key '{key}'");
    Ok(HeaderDict {
        descr: descr.ok_or_else(|| missing("descr"))?,
        fortran_order: fortran_order.ok_or_else(|| missing("fortran_order"))?,
        shape: shape.ok_or_else(|| missing("shape"))?,
    })
}

/// A read position in the header text; every method either consumes a token or returns an error.
struct Cursor<'a> {
    text: &'a str,
    position: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        self.text.get(self.position..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn skip_whitespace(&mut self) {
        let rest = self.rest();
        let trimmed = rest.trim_start_matches([' ', '\t', '\n', '\r']);
        self.position += rest.len() - trimmed.len();
    }

    /// Consumes `wanted` if it is next.
    fn eat(&mut self, wanted: char) -> bool {
        if self.peek() == Some(wanted) {
            self.position += wanted.len_utf8();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, wanted: char) -> Result<(), String> {
        if self.eat(wanted) {
            Ok(())
        } else {
            Err(format!(
                "header is malformed at byte {}: expected '{wanted}', found {}",
                self.position,
                self.describe_next()
            ))
        }
    }

    fn describe_next(&self) -> String {
        match self.peek() {
            Some(found) => format!("'{}'", found.escape_default()),
            None => "the end of the header".to_string(),
        }
    }

    /// A quoted string without escape sequences, e.g. `'<f4'`.
    fn string(&mut self) -> Result<&'a str, String> {
        let quote = match self.peek() {
            Some(quote @ ('\'' | '"')) => quote,
            _ => {
                return Err(format!(
                    "header is malformed at byte {}: expected a quoted string, found {}",
                    self.position,
                    self.describe_next()
                ))
            }
        };
        let start = self.position + 1;
        let body = self.text.get(start..).unwrap_or("");
        let Some(length) = body.find(quote) else {
            return Err(format!(
                "header has an unterminated string starting at byte {}",
                self.position
            ));
        };
        let value = &body[..length];
        if value.contains(['\\', '\n']) {
            return Err(format!(
                "header string {value:?} uses escapes or line breaks, which are not supported"
            ));
        }
        self.position = start + length + 1;
        Ok(value)
    }

    /// `True` or `False`.
    fn boolean(&mut self) -> Result<bool, String> {
        for (word, value) in [("True", true), ("False", false)] {
            if self.rest().starts_with(word) {
                self.position += word.len();
                return Ok(value);
            }
        }
        Err(format!(
            "header is malformed at byte {}: 'fortran_order' must be True or False, found {}",
            self.position,
            self.describe_next()
        ))
    }

    /// A tuple of dimensions: `()`, `(3,)`, `(2, 3)` or `(2, 3,)`.
    fn shape(&mut self) -> Result<Vec<usize>, String> {
        self.expect('(')?;
        let mut dims = Vec::new();
        let mut ended_with_comma = false;
        loop {
            self.skip_whitespace();
            if self.eat(')') {
                break;
            }
            if dims.len() == MAX_DIMENSIONS {
                return Err(format!(
                    "header shape has more than {MAX_DIMENSIONS} dimensions"
                ));
            }
            dims.push(self.dimension()?);
            self.skip_whitespace();
            ended_with_comma = self.eat(',');
            if !ended_with_comma {
                self.skip_whitespace();
                self.expect(')')?;
                break;
            }
        }
        if dims.len() == 1 && !ended_with_comma {
            return Err(
                "header shape (n) is an integer, not a tuple; a 1-D shape is written (n,)"
                    .to_string(),
            );
        }
        Ok(dims)
    }

    /// A non-negative decimal integer that fits `usize`.
    fn dimension(&mut self) -> Result<usize, String> {
        let rest = self.rest();
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 {
            return Err(format!(
                "header shape is malformed at byte {}: expected a non-negative integer, found {}",
                self.position,
                self.describe_next()
            ));
        }
        let text = &rest[..digits];
        if digits > 1 && text.starts_with('0') {
            return Err(format!(
                "header shape has a dimension with a leading zero: {text}"
            ));
        }
        let value = text.parse::<usize>().map_err(|_| {
            format!("header shape has a dimension too large for this machine: {text}")
        })?;
        self.position += digits;
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_numpy() {
        assert_eq!(
            format_f32_header_dict(&[8, 1, 5, 5]),
            "{'descr': '<f4', 'fortran_order': False, 'shape': (8, 1, 5, 5), }"
        );
        assert!(format_f32_header_dict(&[3]).ends_with("'shape': (3,), }"));
        assert!(format_f32_header_dict(&[]).ends_with("'shape': (), }"));
    }

    #[test]
    fn parses_numpy_output_and_variants() {
        let parsed = parse_header_dict(
            "{'descr': '<f4', 'fortran_order': False, 'shape': (8, 1, 5, 5), }    \n",
        )
        .expect("numpy header");
        assert_eq!(parsed.descr, "<f4");
        assert!(!parsed.fortran_order);
        assert_eq!(parsed.shape, vec![8, 1, 5, 5]);

        let reordered =
            parse_header_dict("{\"shape\":(3,),\"fortran_order\":True,\"descr\":\"|b1\"}")
                .expect("compact");
        assert_eq!(reordered.shape, vec![3]);
        assert!(reordered.fortran_order);
        assert_eq!(
            parse_header_dict("{'descr': '<f8', 'fortran_order': False, 'shape': ()}")
                .map(|h| h.shape),
            Ok(vec![])
        );
    }

    #[test]
    fn rejects_malformed_dicts() {
        let cases = [
            (
                "{'descr': '<f4', 'fortran_order': False}",
                "lacks the key 'shape'",
            ),
            (
                "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': ()}",
                "repeats the key 'descr'",
            ),
            (
                "{'descr': '<f4', 'fortran_order': False, 'shape': (), 'extra': 1}",
                "unexpected key 'extra'",
            ),
            (
                "{'descr': '<f4', 'fortran_order': 0, 'shape': ()}",
                "must be True or False",
            ),
            (
                "{'descr': '<f4', 'fortran_order': False, 'shape': (3)}",
                "not a tuple",
            ),
            (
                "{'descr': '<f4', 'fortran_order': False, 'shape': (-3,)}",
                "non-negative integer",
            ),
            (
                "{'descr': '<f4', 'fortran_order': False, 'shape': (03,)}",
                "leading zero",
            ),
            (
                "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999,)}",
                "too large",
            ),
            (
                "{'descr': '<f4', 'fortran_order': False, 'shape': ()} x",
                "text after the closing",
            ),
            ("{'descr: '<f4'}", "expected ':'"),
            ("{'descr': '<f4", "unterminated string"),
            ("", "expected '{'"),
        ];
        for (text, expected) in cases {
            let message = parse_header_dict(text).expect_err(text);
            assert!(
                message.contains(expected),
                "{text:?} gave {message:?}, expected {expected:?}"
            );
        }
    }

    #[test]
    fn limits_dimension_count() {
        let many = vec!["1"; MAX_DIMENSIONS + 1].join(", ");
        let text = format!("{{'descr': '<f4', 'fortran_order': False, 'shape': ({many},)}}");
        assert!(parse_header_dict(&text)
            .expect_err("too many dims")
            .contains("more than 64"));
    }
}
