//! People's numbers: how every figure on a chart, a chart's data table and the page's chart
//! paragraphs is written. One place, so `8.334e+9` never reaches a reader.
//!
//! # Conventions
//! - Counts group thousands with a comma and no decimals: `7,090`, `1,802 of 7,090`.
//! - Large quantities use an SI prefix after a space, three significant digits at most:
//!   `8.33 G`, `12.5 M`, `250 k`; below 10,000 they are plain grouped numbers.
//! - Energies in joules keep three significant digits: `0.080 J`, `1.25 J`, `312 J`.
//! - The output never depends on the browser's or the system's locale: Rust's `format!` is
//!   locale-free, and the grouping is written here.

/// SI prefixes for powers of 1,000 (index 0: none).
const SI_PREFIXES: [&str; 5] = ["", "k", "M", "G", "T"];

/// `digits` (ASCII, no sign) with a comma every three digits from the right.
fn group_digits(digits: &str) -> String {
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// A whole count with grouped thousands: `7090` → `7,090`.
pub fn count(value: u64) -> String {
    group_digits(&value.to_string())
}

/// `part` of `whole`: `1,802 of 7,090`.
pub fn count_of(part: u64, whole: u64) -> String {
    format!("{} of {}", count(part), count(whole))
}

/// [`count_of`] in `lang`: `1,802 of 7,090`, `1,802/7,090`.
pub fn count_of_in(part: u64, whole: u64, lang: crate::i18n::Lang) -> String {
    crate::i18n::tr(
        lang,
        "number.count-of",
        &[("part", &count(part)), ("whole", &count(whole))],
    )
}

/// `value` with `decimals` decimals and grouped thousands: `(12345.678, 1)` → `12,345.7`.
/// Non-finite values are written `–` (a dash reads as "no value", `NaN` reads as a bug).
pub fn fixed(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "–".to_string();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text.as_str(), None),
    };
    let mut out = String::new();
    // "-0.0" reads as a bug: a value that rounds to zero has no sign.
    let rounds_to_zero = text.chars().all(|c| matches!(c, '0' | '.'));
    if value < 0.0 && !rounds_to_zero {
        out.push('-');
    }
    out.push_str(&group_digits(whole));
    if let Some(fraction) = fraction {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// A quantity with an SI prefix from 10,000 on (three significant digits at most), grouped
/// below: `8.334e9` → `8.33 G`, `1.25e7` → `12.5 M`, `7090` → `7,090`. `unit` follows after a
/// space when given: `si(8.334e9, "MACs")` → `8.33 G MACs`.
pub fn si(value: f64, unit: &str) -> String {
    if !value.is_finite() {
        return "–".to_string();
    }
    let magnitude = value.abs();
    let (number, prefix) = if magnitude < 1e4 {
        let decimals = if magnitude == 0.0 || magnitude >= 100.0 || magnitude.fract() == 0.0 {
            0
        } else if magnitude >= 10.0 {
            1
        } else {
            2
        };
        (fixed(value, decimals), "")
    } else {
        let mut power = ((magnitude.log10() / 3.0).floor() as usize).min(SI_PREFIXES.len() - 1);
        let mut scaled = value / 1000f64.powi(power as i32);
        // 999,950 rounds to "1000 k": write it as "1.00 M" instead.
        if scaled.abs() >= 999.5 && power + 1 < SI_PREFIXES.len() {
            power += 1;
            scaled /= 1000.0;
        }
        (significant(scaled, 3), SI_PREFIXES[power])
    };
    [number.as_str(), prefix, unit]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `value` with `digits` significant digits (never in exponent form): `(8.334, 3)` → `8.33`.
pub fn significant(value: f64, digits: usize) -> String {
    if !value.is_finite() {
        return "–".to_string();
    }
    if value == 0.0 {
        return "0".to_string();
    }
    let order = value.abs().log10().floor() as i32;
    let decimals = (digits as i32 - 1 - order).clamp(0, 12) as usize;
    // Rounding can carry into the next order (9.996 → 10.00): one decimal fewer then.
    let text = fixed(value, decimals);
    let unit = 10f64.powi(-(decimals as i32));
    let rounded = (value.abs() / unit).round() * unit;
    if decimals > 0 && rounded >= 10f64.powi(order + 1) {
        fixed(value, decimals - 1)
    } else {
        text
    }
}

/// An energy in joules with three significant digits (at least three decimals below 1 J, so
/// small energies compare): `0.08` → `0.080 J`, `1.254` → `1.25 J`, `312.4` → `312 J`.
pub fn joules(value: f64) -> String {
    if !value.is_finite() {
        return "–".to_string();
    }
    let text = if value.abs() < 1.0 {
        fixed(value, 3)
    } else {
        significant(value, 3)
    };
    format!("{text} J")
}

/// A fraction as a percentage with `decimals` decimals: `(0.9021, 1)` → `90.2%`.
pub fn percent(fraction: f64, decimals: usize) -> String {
    if !fraction.is_finite() {
        return "–".to_string();
    }
    format!("{}%", fixed(100.0 * fraction, decimals))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_group_thousands() {
        assert_eq!(count(0), "0");
        assert_eq!(count(745), "745");
        assert_eq!(count(7090), "7,090");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(count_of(1802, 7090), "1,802 of 7,090");
    }

    #[test]
    fn fixed_groups_and_drops_the_sign_of_zero() {
        assert_eq!(fixed(12345.678, 1), "12,345.7");
        assert_eq!(fixed(-0.0001, 2), "0.00");
        assert_eq!(fixed(-1234.6, 0), "-1,235");
        assert_eq!(fixed(f64::NAN, 2), "–");
    }

    #[test]
    fn large_quantities_get_si_prefixes_not_exponents() {
        assert_eq!(si(8.334e9, ""), "8.33 G");
        assert_eq!(si(8.334e9, "MACs"), "8.33 G MACs");
        assert_eq!(si(1.25e7, ""), "12.5 M");
        assert_eq!(si(250_000.0, ""), "250 k");
        assert_eq!(si(999_950.0, ""), "1.00 M");
        assert_eq!(si(7090.0, ""), "7,090");
        assert_eq!(si(0.0, ""), "0");
        assert_eq!(si(2.5, ""), "2.50");
        assert!(!si(3.3e15, "").contains('e'));
    }

    #[test]
    fn significant_digits_carry_without_exponents() {
        assert_eq!(significant(8.334, 3), "8.33");
        assert_eq!(significant(9.996, 3), "10.0");
        assert_eq!(significant(0.000123456, 2), "0.00012");
        assert_eq!(significant(-42.0, 3), "-42.0");
    }

    #[test]
    fn energies_and_percentages() {
        assert_eq!(joules(0.08), "0.080 J");
        assert_eq!(joules(1.254), "1.25 J");
        assert_eq!(joules(312.4), "312 J");
        assert_eq!(percent(0.9021, 1), "90.2%");
        assert_eq!(percent(0.942, 2), "94.20%");
    }
}
